import { describe, expect, it } from 'vitest';
import { checkProfile, type ProfileInput } from '../../src/domain/profile';

const MAMAN: ProfileInput = { name: 'MAMAN', nik: '1234567890123456', nip: '199010101925011001', position: 'PELAKSANA', email: 'maman@instansi.go.id', employment: 'ASN' };

describe('AMS profile rules', () => {
  it('accepts the guide’s example user', () => {
    expect(checkProfile(MAMAN)).toEqual([]);
    expect(checkProfile({ ...MAMAN, name: 'Siti Nurhaliza' })).toEqual([]);
    expect(checkProfile({ ...MAMAN, employment: 'Lainnya', nip: MAMAN.nik, email: 'maman@example.com' })).toEqual([]);
  });

  it.each<[string, Partial<ProfileInput>, string]>([
    ['digits in the name', { name: 'MAMAN 2' }, 'NAME_LETTERS_ONLY'],
    ['punctuation in the name', { name: 'Maman, S.Kom' }, 'NAME_LETTERS_ONLY'],
    ['a title as a word', { name: 'Dr Maman' }, 'NAME_HAS_TITLE'],
    ['NIK of 15 digits', { nik: '123456789012345' }, 'NIK_16_DIGITS'],
    ['NIK with a letter', { nik: '12345678901234X6' }, 'NIK_16_DIGITS'],
    ['NIP of 17 digits', { nip: '19901010192501100' }, 'NIP_18_DIGITS'],
    ['Lainnya whose NIP is not the NIK', { employment: 'Lainnya', nip: '199010101925011001' }, 'NIP_MUST_BE_NIK'],
    ['position over 20 characters', { position: 'KEPALA SUB BAGIAN UMUM DAN KEPEGAWAIAN' }, 'POSITION_TOO_LONG'],
    ['position with a dot', { position: 'KASUBAG T.U.' }, 'POSITION_PUNCTUATION'],
    ['position with brackets', { position: 'STAF (PLT)' }, 'POSITION_PUNCTUATION'],
    ['broken email', { email: 'maman@' }, 'EMAIL_INVALID'],
    ['ASN with a non-government email', { email: 'maman@gmail.com' }, 'EMAIL_NOT_GO_ID'],
  ])('refuses %s', (_name, change, problem) => {
    expect(checkProfile({ ...MAMAN, ...change })).toContain(problem);
  });
});

describe('free-text fields: no control characters and no markup (they go into the certificate and onto screens)', () => {
  const at = (c: string) => ({ ...MAMAN, unit: `BAGIAN${c}UMUM` });

  it.each([
    ['NUL', '\u0000'],
    ['unit separator, the last C0 control', '\u001f'],
    ['DEL', '\u007f'],
    ['NEL, a C1 control', '\u0085'],
    ['the last C1 control', '\u009f'],
    ['left-to-right mark', '\u200e'],
    ['right-to-left mark', '\u200f'],
    ['left-to-right embedding', '\u202a'],
    ['right-to-left override', '\u202e'],
    ['left-to-right isolate', '\u2066'],
    ['pop directional isolate', '\u2069'],
  ])('%s → FIELD_CONTROL_CHARACTERS', (_name, c) => {
    expect(checkProfile(at(c))).toEqual(['FIELD_CONTROL_CHARACTERS']);
  });

  it.each([
    ['a space', ' '],
    ['a no-break space, just after the C1 controls', '\u00a0'],
    ['a zero-width joiner, just before the marks', '\u200d'],
    ['a paragraph separator, just before the embeddings', '\u2029'],
    ['the code point after the isolates', '\u206a'],
    ['an apostrophe', "'"],
    ['the word javascript without a colon', 'javascript'],
  ])('%s is allowed', (_name, c) => {
    expect(checkProfile(at(c))).toEqual([]);
  });

  it.each(['<', '>', '&', '"', 'javascript:', 'JavaScript:'])('%j → FIELD_MARKUP', (c) => {
    expect(checkProfile(at(c))).toEqual(['FIELD_MARKUP']);
  });
});
