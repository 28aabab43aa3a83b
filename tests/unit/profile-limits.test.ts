import { describe, expect, it } from 'vitest';
import { checkProfile, FIELD_LIMITS, normalizeProfile, type ProfileInput } from '../../src/domain/profile';

/**
 * The profile's certificate-field upper bounds (RFC 5280 appendix A), each at
 * its limit and one above: CN (name), O, OU, title (position) 64; L, ST 128;
 * e-mail 255. Counted in characters (code points) after trimming.
 */
const BASE: ProfileInput = {
  name: 'MAMAN',
  nik: '1234567890123456',
  nip: '199010101925011001',
  position: 'PELAKSANA',
  email: 'maman@instansi.go.id',
  employment: 'ASN',
  unit: 'BIDANG UMUM',
  organization: 'NAMA INSTANSI',
  locality: 'Jakarta Pusat',
  province: 'DKI Jakarta',
};

/** A value of exactly `length` code points that no other rule refuses; multi-byte letters, so bytes ≠ characters. */
const valueOf: Record<keyof typeof FIELD_LIMITS, (length: number) => string> = {
  name: (n) => 'É'.repeat(n),
  unit: (n) => 'Ü'.repeat(n),
  organization: (n) => 'Ö'.repeat(n),
  locality: (n) => 'é'.repeat(n),
  province: (n) => 'ñ'.repeat(n),
  position: (n) => 'P'.repeat(n),
  email: (n) => `${'m'.repeat(n - '@instansi.go.id'.length)}@instansi.go.id`,
};

describe('profile field limits (RFC 5280 upper bounds)', () => {
  it('are 64 for CN, O, OU and title, 128 for L and ST, 255 for the e-mail address', () => {
    expect(FIELD_LIMITS).toEqual({ name: 64, unit: 64, organization: 64, locality: 128, province: 128, position: 64, email: 255 });
  });

  it('the base profile is accepted', () => {
    expect(checkProfile(BASE)).toEqual([]);
  });

  // The position has its own, stricter AMS rule (20 characters): at 64 only that one applies, at 65 both.
  const atLimit = (field: keyof typeof FIELD_LIMITS) => (field === 'position' ? ['POSITION_TOO_LONG'] : []);
  const aboveLimit = (field: keyof typeof FIELD_LIMITS) => (field === 'position' ? ['FIELD_TOO_LONG', 'POSITION_TOO_LONG'] : ['FIELD_TOO_LONG']);

  for (const field of Object.keys(FIELD_LIMITS) as (keyof typeof FIELD_LIMITS)[]) {
    const limit = FIELD_LIMITS[field];
    it(`${field}: ${limit - 1} and ${limit} characters pass the length rule, ${limit + 1} is FIELD_TOO_LONG`, () => {
      expect([...valueOf[field](limit)]).toHaveLength(limit);
      expect(checkProfile({ ...BASE, [field]: valueOf[field](limit - 1) })).toEqual(atLimit(field));
      expect(checkProfile({ ...BASE, [field]: valueOf[field](limit) })).toEqual(atLimit(field));
      expect(checkProfile({ ...BASE, [field]: valueOf[field](limit + 1) })).toEqual(aboveLimit(field));
    });

    it(`${field}: surrounding spaces are not counted (trimmed first)`, () => {
      expect(checkProfile({ ...BASE, [field]: `  ${valueOf[field](limit)}  ` })).toEqual(atLimit(field));
    });
  }

  it('an optional field that is absent is not checked; one that is blank is FIELD_EMPTY', () => {
    const { unit: _u, organization: _o, locality: _l, province: _p, ...required } = BASE;
    expect(checkProfile(required)).toEqual([]);
    expect(checkProfile({ ...BASE, locality: '   ' })).toEqual(['FIELD_EMPTY']);
  });

  it('the problems are listed once each, however many fields break the same rule', () => {
    expect(checkProfile({ ...BASE, unit: valueOf.unit(65), organization: valueOf.organization(65), locality: valueOf.locality(129) })).toEqual(['FIELD_TOO_LONG']);
  });

  it('normalising trims every text field and lowercases the e-mail, leaving the rest as given', () => {
    const padded = { ...BASE, name: ' MAMAN ', unit: ' BIDANG ', locality: '\tJakarta ', email: ' Maman@Instansi.GO.ID ', nik: ' 1234567890123456' };
    expect(normalizeProfile(padded)).toEqual({ ...BASE, unit: 'BIDANG', locality: 'Jakarta', nik: ' 1234567890123456' });
  });

  it('normalising leaves an absent optional field absent', () => {
    const { unit: _u, organization: _o, locality: _l, province: _p, ...required } = BASE;
    const normal = normalizeProfile({ ...required, name: ' MAMAN ' });
    expect(normal).toEqual({ ...required, name: 'MAMAN' });
    expect(Object.keys(normal)).not.toContain('unit');
  });
});
