import type { MockUserInput } from './store';

/** Demo users. MAMAN is the example user of the AMS 5.0 guide (seed 001); the verifier approves requests. */
export const seedUsers: MockUserInput[] = [
  {
    email: 'maman@instansi.go.id',
    name: 'MAMAN',
    nik: '1234567890123456',
    nip: '199010101925011001',
    position: 'PELAKSANA',
    unit: 'BIDANG OPERASIONAL',
    organization: 'NAMA INSTANSI',
    locality: 'Jakarta Pusat',
    province: 'DKI Jakarta',
    country: 'ID',
  },
  {
    email: 'yogi.nur@bssn.go.id',
    name: 'YOGI NUR HAKIM',
    nik: '3174000101900001',
    nip: '199001012015031001',
    position: 'PRANATA KOMPUTER',
    unit: 'Balai Sertifikasi Elektronik',
    organization: 'Balai Sertifikasi Elektronik',
    locality: 'Jakarta Selatan',
    province: 'DKI Jakarta',
    country: 'ID',
  },
  {
    email: 'verifikator@instansi.go.id',
    name: 'VERIFIKATOR INSTANSI',
    nik: '3174000101850002',
    nip: '198501012010011002',
    position: 'VERIFIKATOR',
    unit: 'BIDANG OPERASIONAL',
    organization: 'NAMA INSTANSI',
    locality: 'Jakarta Pusat',
    province: 'DKI Jakarta',
    country: 'ID',
    role: 'verifier',
  },
];

export const DEFAULT_PRODUCT = 'Tanda Tangan Elektronik';
export const products = [DEFAULT_PRODUCT, 'Proteksi Email'] as const;

/** MAMAN's employee data as AMS sends it to LOCK: the example for tests and benchmarks. */
export const MAMAN_EMPLOYEE = {
  name: 'MAMAN',
  unit: 'BIDANG OPERASIONAL',
  organization: 'NAMA INSTANSI',
  email: 'maman@instansi.go.id',
  locality: 'Jakarta Pusat',
  province: 'DKI Jakarta',
  country: 'ID',
} as const;
