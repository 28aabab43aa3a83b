import { describe, expect, it } from 'vitest';
import { type Channel, channels, contract, errorDataSchema, type EventName, events, ledgerEntrySchema, type Output, statusResultSchema } from '../../src/contract/api';
import { tokenInfo } from '../support/token-info';

/**
 * What main may answer on each channel, and what it may push as events: the renderer reads these shapes, the
 * browser test host checks them. For every channel, answers with every optional field and every allowed value of
 * each list come through parsing unchanged (nothing dropped, nothing refused), and a value outside a list is refused.
 * The allowed values are written out here, not taken from the code under test.
 */

const at = '2026-11-30T10:00:00.000Z';
const employee = {
  name: 'MAMAN',
  unit: 'BAGIAN UMUM',
  organization: 'INSTANSI CONTOH',
  email: 'maman@instansi.go.id',
  locality: 'JAKARTA SELATAN',
  province: 'DKI JAKARTA',
  country: 'ID',
};
const entry: Output<'download.findToken'> = {
  id: '3f8a2c1e-5b7d-4e9f-8a6b-1c2d3e4f5a6b',
  requestId: 'REQ-0001',
  product: 'Sertifikat Elektronik Individu',
  server: 'http://127.0.0.1:47315',
  employee,
  keyStore: 'pkcs11',
  token: { serial: '61DD1BB3958C5175', label: 'LOCK TOKEN' },
  state: 'downloaded',
  amsStatus: 'issued',
  note: 'Data sesuai',
  tokenKnown: true,
  certificate: { serialNumber: '1F2E3D', notAfter: '2027-11-30T10:00:00.000Z', status: 'Issued' },
  files: { pem: '/out/maman.pem', p12: '/out/maman.p12' },
  refreshError: { code: 'SERVER_UNREACHABLE', detail: 'ECONNREFUSED' },
  createdAt: at,
  updatedAt: at,
};
const entries = [
  entry,
  ...['csr_ready', 'csr_sent', 'downloaded'].map((state) => ({ ...entry, state })),
  ...['awaiting_csr', 'csr_uploaded', 'submitted', 'issued', 'rejected', 'enroll_failed', 'revoked'].map((amsStatus) => ({ ...entry, amsStatus })),
  ...['Issued', 'Renew', 'Revoke', 'Expired'].map((status) => ({ ...entry, certificate: { ...entry.certificate!, status } })),
  { ...entry, keyStore: 'file' },
] as Output<'download.findToken'>[];

const token = tokenInfo({ serial: '61DD1BB3958C5175', label: 'LOCK TOKEN', manufacturer: 'SoftHSM project', model: 'SoftHSM v2', slotDescription: 'SoftHSM slot ID 0x1', rsaKeySizes: [2048, 3072, 4096] });
const certificate: Output<'download.tokenCertificates'>[number] = {
  fingerprint: 'ab'.repeat(32),
  label: 'MAMAN',
  keyId: '0102',
  commonName: 'MAMAN',
  serialNumber: '1F2E3D',
  notBefore: at,
  notAfter: '2027-11-30T10:00:00.000Z',
  category: 'holder',
  state: 'current',
  removable: false,
  removesKey: true,
};
const certificates = [
  certificate,
  { ...certificate, category: 'authority' },
  ...['current', 'replaced', 'revoked', 'expired'].map((state) => ({ ...certificate, state })),
] as Output<'download.tokenCertificates'>;
const settings: Output<'settings.get'> = {
  amsUrl: 'https://ams.bsre.id',
  amsUrlFromEnv: 'http://127.0.0.1:47315',
  language: 'id',
  outputDir: '/home/maman/LOCK',
  proxyMode: 'manual',
  proxyUrl: 'http://proxy.instansi.go.id:8080',
  trustSystemCa: true,
};
const settingsViews = [
  settings,
  { ...settings, amsUrl: null, amsUrlFromEnv: null, proxyUrl: null, language: 'en' },
  ...['system', 'manual', 'none'].map((proxyMode) => ({ ...settings, proxyMode })),
] as Output<'settings.get'>[];
const run: Output<'download.run'> = {
  entry,
  files: { pem: '/out/maman.pem', p12: '/out/maman.p12' },
  outputDir: '/out',
  onToken: false,
  selfTest: 'passed',
  realUse: { chain: 'verified', revocation: 'good', via: 'ocsp' },
};

/** Answers main may give, per channel; every channel must have some (the type says so, and the first test). */
const answers: { [C in Channel]: Output<C>[] } = {
  'app.info': [
    { version: '1.4.0', amsUrl: 'http://127.0.0.1:47315', mockAms: true, dataDir: '/data', tokenStorage: 'keychain', canBrowse: true, language: 'id' },
    { version: '1.4.0', amsUrl: 'https://ams.bsre.id', mockAms: false, dataDir: '/data', tokenStorage: 'session', canBrowse: false, language: 'en' },
  ],
  'app.openAmsPage': [null],
  'app.quit': [null],
  'app.setLanguage': [null],
  'clipboard.readText': ['61DD1BB3958C5175A64D', ''],
  'request.lookup': [
    ...['awaiting_csr', 'csr_uploaded', 'submitted', 'issued', 'rejected', 'enroll_failed', 'revoked'].map(
      (status) => ({ requestId: 'REQ-0001', product: 'Individu', status, employee, pendingLocally: false }) as Output<'request.lookup'>,
    ),
    { requestId: 'REQ-0001', product: 'Individu', status: 'awaiting_csr', employee, pendingLocally: true, pendingKeyStore: 'file' },
    { requestId: 'REQ-0001', product: 'Individu', status: 'awaiting_csr', employee, pendingLocally: true, pendingKeyStore: 'pkcs11' },
  ],
  'request.submit': entries.map((e, i) => ({ entry: e, resent: i % 2 === 0 })),
  'pkcs11.drivers': [
    { drivers: [{ id: 'softhsm2', name: 'SoftHSM2', path: '/usr/lib/softhsm/libsofthsm2.so', tokens: ['LOCK TOKEN'] }], chosen: 'softhsm2', canBrowse: true },
    { drivers: [{ id: 'safenet', name: 'SafeNet', path: '/usr/lib/libeToken.so' }], canBrowse: false },
  ],
  'pkcs11.chooseDriver': [{ library: '/usr/lib/softhsm/libsofthsm2.so', tokens: [token] }],
  'pkcs11.browseDriver': ['/usr/lib/libeToken.so', null],
  'pkcs11.tokens': [[token, { ...token, loginRequired: false, protectedAuthPath: true, pinLocked: true, rsaKeySizes: [] }], []],
  'demo.newRequest': [{ token: '61DD1BB3958C5175A64D', email: 'maman@instansi.go.id' }],
  'ledger.refresh': [entries, []],
  'download.findToken': entries,
  'download.keyToken': [{ library: '/usr/lib/softhsm/libsofthsm2.so', token }],
  'download.run': [
    run,
    { ...run, files: { pem: '/out/maman.pem' }, onToken: true, realUse: { chain: 'missing', revocation: 'unknown', via: 'crl' } },
    { ...run, realUse: { chain: 'verified', revocation: 'unavailable' } },
    { entry, files: { pem: '/out/maman.pem' }, outputDir: '/out', onToken: true, selfTest: 'passed' },
  ],
  'download.tokenCertificates': [certificates, []],
  'download.removeTokenCertificate': certificates.map((removed, i) => ({ removed, keyRemoved: i % 2 === 1 })),
  'request.discard': [{ entry, keptKeyAt: '/data/discarded/REQ-0001.key' }, { entry }],
  'output.info': [{ dir: '/out', canChoose: true }],
  'output.choose': ['/out', null],
  'output.set': [{ dir: '/out' }],
  'output.open': [null],
  'bundle.keys': [
    [
      { entryId: entry.id, name: 'MAMAN', product: 'Individu', createdAt: at, serialNumber: '1F2E3D', matchesCertificate: true },
      { entryId: entry.id, name: 'MAMAN', product: 'Individu', createdAt: at },
    ],
  ],
  'bundle.pickFile': ['/home/maman/cert.pem', null],
  'bundle.create': [{ p12Path: '/out/maman.p12', chainLength: 3 }],
  'settings.get': settingsViews,
  'settings.set': settingsViews.map((view, i) => ({ ...view, restartNeeded: i % 2 === 0 })),
};

const pushed: { [E in EventName]: unknown[] } = {
  'request.onDidProgress': ['lookup', 'keygen', 'csr', 'upload', 'done'].map((step) => ({ step })),
  'download.onDidProgress': ['fetch', 'verify', 'write', 'done'].map((step) => ({ step })),
  'settings.onDidRequestOpen': [{}],
  'app.onDidNotify': ['issued', 'rejected', 'expiring'].map((kind) => ({ kind, entryId: entry.id, title: 'Sertifikat terbit', body: 'MAMAN' })),
};

describe('every answer main may give parses to itself', () => {
  it('every channel of the contract has answers here, and no other name', () => {
    expect(Object.keys(answers).sort()).toEqual([...channels].sort());
    expect(Object.keys(pushed).sort()).toEqual(Object.keys(events).sort());
  });

  it.each(channels)('%s', (channel) => {
    const output = contract[channel].output;
    for (const answer of answers[channel]) expect(output.parse(answer)).toEqual(answer);
  });

  it.each(Object.keys(pushed) as EventName[])('event %s', (event) => {
    for (const payload of pushed[event]) expect(events[event].parse(payload)).toEqual(payload);
  });

  it('a request status as the request service gives it: with the verifier note and the certificate, or without', () => {
    const status = { requestId: 'REQ-0001', status: 'issued', note: 'Data sesuai', certificate: { serialNumber: '1F2E3D', notAfter: at } };
    expect(statusResultSchema.parse(status)).toEqual(status);
    expect(statusResultSchema.parse({ requestId: 'REQ-0001', status: 'submitted' })).toEqual({ requestId: 'REQ-0001', status: 'submitted' });
  });

  it('an error crossing the boundary: its code, and its detail when there is one', () => {
    expect(errorDataSchema.parse({ code: 'KEY_MISSING', detail: 'REQ-0001' })).toEqual({ code: 'KEY_MISSING', detail: 'REQ-0001' });
    expect(errorDataSchema.parse({ code: 'INTERNAL' })).toEqual({ code: 'INTERNAL' });
  });
});

describe('a value outside its list is refused', () => {
  const refused: [string, { safeParse(v: unknown): { success: boolean } }, unknown][] = [
    ['token storage', contract['app.info'].output, { ...answers['app.info'][0], tokenStorage: 'file' }],
    ['request status', contract['request.lookup'].output, { ...answers['request.lookup'][0], status: 'approved' }],
    ['pending key store', contract['request.lookup'].output, { ...answers['request.lookup'][0], pendingKeyStore: 'cloud' }],
    ['ledger state', ledgerEntrySchema, { ...entry, state: 'sent' }],
    ['key store of an entry', ledgerEntrySchema, { ...entry, keyStore: 'cloud' }],
    ['certificate status', ledgerEntrySchema, { ...entry, certificate: { ...entry.certificate, status: 'Valid' } }],
    ['refresh error code', ledgerEntrySchema, { ...entry, refreshError: { code: 'NOT_A_CODE' } }],
    ['self-test', contract['download.run'].output, { ...run, selfTest: 'failed' }],
    ['chain', contract['download.run'].output, { ...run, realUse: { ...run.realUse, chain: 'partial' } }],
    ['revocation', contract['download.run'].output, { ...run, realUse: { ...run.realUse, revocation: 'revoked' } }],
    ['revocation source', contract['download.run'].output, { ...run, realUse: { ...run.realUse, via: 'http' } }],
    ['certificate category', contract['download.tokenCertificates'].output, [{ ...certificate, category: 'root' }]],
    ['certificate state', contract['download.tokenCertificates'].output, [{ ...certificate, state: 'valid' }]],
    ['proxy mode', contract['settings.get'].output, { ...settings, proxyMode: 'pac' }],
    ['language', contract['settings.get'].output, { ...settings, language: 'fr' }],
    ['progress step', events['request.onDidProgress'], { step: 'sign' }],
    ['download step', events['download.onDidProgress'], { step: 'sign' }],
    ['notice kind', events['app.onDidNotify'], { ...pushed['app.onDidNotify'][0]!, kind: 'info' }],
    ['error code', errorDataSchema, { code: 'NOT_A_CODE' }],
  ];
  it.each(refused)('%s', (_name, schema, value) => {
    expect(schema.safeParse(value).success).toBe(false);
  });
});
