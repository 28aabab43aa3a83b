import { describe, expect, it } from 'vitest';
import { amsPaths } from '../../src/ams-api/schemas';
import { MockAdminClient } from '../../src-main/mock-ams/admin-client';
import { useMockAms } from '../support/mock';
import { expectCode } from './support';

const RINA = { email: 'rina@instansi.go.id', name: 'RINA', nik: '3171010101900004', nip: '199001012015032003', position: 'STAF', unit: 'UMUM', organization: 'NAMA INSTANSI', locality: 'Jakarta', province: 'DKI Jakarta' };

/** Profile data the mock takes from QA: every field trimmed, free of controls and markup, within the certificate's bounds. */
const cases: [string, Partial<typeof RINA>, RegExp][] = [
  ['CN of 65 letters', { name: 'A'.repeat(65) }, /FIELD_TOO_LONG/],
  ['unit with HTML', { unit: '<script>alert(1)</script>' }, /FIELD_MARKUP/],
  ['organisation with a NUL', { organization: 'NAMA\u0000INSTANSI' }, /FIELD_CONTROL_CHARACTERS/],
  ['locality with an ANSI escape', { locality: '\u001b[31mJakarta' }, /FIELD_CONTROL_CHARACTERS/],
  ['province with a newline', { province: 'DKI\nJakarta' }, /FIELD_CONTROL_CHARACTERS/],
  ['unit with a right-to-left override', { unit: 'UMUM\u202Egnp.exe' }, /FIELD_CONTROL_CHARACTERS/],
  ['organisation of 65 characters', { organization: 'O'.repeat(65) }, /FIELD_TOO_LONG/],
  ['unit of only spaces', { unit: '   ' }, /FIELD_EMPTY/],
  ['email with an ampersand and quote', { email: '"a&b"@instansi.go.id' }, /FIELD_MARKUP|EMAIL_INVALID/],
];

describe('corpus: profile data given to the mock', () => {
  const fixture = useMockAms();
  const admin = () => new MockAdminClient(fixture.mock.url, fixture.mock.adminKey);

  for (const [name, change, problem] of cases) {
    it(`${name} → INPUT_INVALID, no user created`, async () => {
      const before = fixture.mock.store.users().length;
      const outcome = await expectCode(() => admin().call(amsPaths.adminUsers, { ...RINA, ...change }), 'INPUT_INVALID');
      expect(outcome.detail ?? '').toMatch(problem);
      expect(fixture.mock.store.users()).toHaveLength(before);
    });
  }

  it('an email with a trailing space is trimmed: the duplicate is caught (deliberate success, then INPUT_INVALID)', async () => {
    await expectCode(() => admin().call(amsPaths.adminUsers, { ...RINA, email: 'dup@instansi.go.id ', unit: '  UMUM  ' }), 'OK');
    expect(fixture.mock.store.findUser('dup@instansi.go.id')).toMatchObject({ email: 'dup@instansi.go.id', unit: 'UMUM' });
    await expectCode(() => admin().call(amsPaths.adminUsers, { ...RINA, email: 'DUP@instansi.go.id' }), ['INPUT_INVALID', 'SERVER_BAD_RESPONSE']);
  });
});
