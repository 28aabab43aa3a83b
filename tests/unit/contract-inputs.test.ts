import { describe, expect, it } from 'vitest';
import { type Channel, channels, contract, type Input } from '../../src/contract/api';

/**
 * What the renderer may send on each channel, written out by hand (tests/unit/contract-dispatch.test.ts derives
 * its samples from the schemas themselves, so it cannot notice a schema that changed): realistic inputs with every
 * optional field and every allowed value pass unchanged, and each length limit holds at the limit and fails one
 * past it.
 */
const entryId = '3f8a2c1e-5b7d-4e9f-8a6b-1c2d3e4f5a6b';
const login = { library: '/usr/lib/softhsm/libsofthsm2.so', tokenSerial: '61DD1BB3958C5175', pin: '1234' };
const fingerprint = 'ab'.repeat(32);
const bundle: Input<'bundle.create'> = {
  certificatePath: '/home/maman/maman.pem',
  key: { kind: 'file', path: '/home/maman/maman.key' },
  keyPassword: 'Kunci#Lama2020',
  password: 'Kunci#Rahasia2026',
  passwordConfirm: 'Kunci#Rahasia2026',
  profile: 'compatible',
  outPath: '/home/maman/maman.p12',
};
const fileSubmit: Input<'request.submit'> = { token: '61DD1BB3958C5175A64D', keyStore: 'file', password: 'Kunci#Rahasia2026', passwordConfirm: 'Kunci#Rahasia2026' };
const tokenSubmit: Input<'request.submit'> = { token: '61DD1BB3958C5175A64D', keyStore: 'pkcs11', ...login, confirmFinalTry: true, newPin: '987654', keyBits: 3072 };
const settings: Input<'settings.set'> = {
  amsUrl: 'https://ams.bsre.id',
  language: 'en',
  outputDir: '/home/maman/LOCK',
  proxyMode: 'manual',
  proxyUrl: 'http://proxy.instansi.go.id:8080',
  trustSystemCa: true,
};

const inputs: { [C in Channel]: Input<C>[] } = {
  'app.info': [{}],
  'app.openAmsPage': [{ url: 'https://ams.bsre.id/renewal' }],
  'app.quit': [{}],
  'app.setLanguage': [{ lang: 'id' }, { lang: 'en' }],
  'clipboard.readText': [{}],
  'request.lookup': [{ token: '61DD1BB3958C5175A64D' }],
  'request.submit': [fileSubmit, tokenSubmit, { ...tokenSubmit, keyBits: 2048 }, { ...tokenSubmit, keyBits: 4096 }, { token: 'T', keyStore: 'pkcs11', library: '/lib.so', tokenSerial: '' }],
  'pkcs11.drivers': [{}],
  'pkcs11.chooseDriver': [{ library: login.library }],
  'pkcs11.browseDriver': [{}],
  'pkcs11.tokens': [{ library: login.library }],
  'demo.newRequest': [{}],
  'ledger.refresh': [{}],
  'download.findToken': [{ token: '61DD1BB3958C5175A64D' }],
  'download.keyToken': [{ entryId }],
  'download.run': [
    { entryId, keyStore: 'file', password: 'Kunci#Rahasia2026' },
    { entryId, keyStore: 'pkcs11', pin: '1234', confirmFinalTry: true, newPin: '987654' },
    { entryId, keyStore: 'pkcs11' },
  ],
  'download.tokenCertificates': [{ library: login.library, tokenSerial: login.tokenSerial }],
  'download.removeTokenCertificate': [{ ...login, fingerprint }],
  'request.discard': [{ token: '61DD1BB3958C5175A64D' }, { entryId }],
  'output.info': [{}],
  'output.choose': [{}],
  'output.set': [{ dir: '/home/maman/LOCK' }],
  'output.open': [{}],
  'bundle.keys': [{ certificatePath: '/home/maman/maman.pem' }, {}],
  'bundle.pickFile': [{ kind: 'certificate' }, { kind: 'key' }],
  'bundle.create': [bundle, { ...bundle, key: { kind: 'stored', entryId }, profile: 'modern' }],
  'settings.get': [{}],
  'settings.set': [settings, { amsUrl: null, proxyUrl: null, language: 'id', proxyMode: 'system' }, { proxyMode: 'none' }, { amsUrl: 'http://10.0.0.5:8080/ams' }],
};

describe('what the renderer may send passes unchanged', () => {
  it('every channel of the contract has inputs here', () => {
    expect(Object.keys(inputs).sort()).toEqual([...channels].sort());
  });

  it.each(channels)('%s', (channel) => {
    for (const input of inputs[channel]) expect(contract[channel].input.parse(input)).toEqual(input);
  });
});

/** [what, channel, a valid input with the field set to a string of n characters, the fewest allowed, the most allowed] */
const limits: [string, Channel, (text: string) => unknown, number, number][] = [
  ['CSR token', 'request.lookup', (token) => ({ token }), 0, 4096],
  ['password of a file key', 'request.submit', (password) => ({ ...fileSubmit, password }), 1, 1024],
  ['its confirmation', 'request.submit', (passwordConfirm) => ({ ...fileSubmit, passwordConfirm }), 0, 1024],
  ['token driver', 'request.submit', (library) => ({ ...tokenSubmit, library }), 1, 4096],
  ['token serial', 'request.submit', (tokenSerial) => ({ ...tokenSubmit, tokenSerial }), 0, 64],
  ['PIN', 'request.submit', (pin) => ({ ...tokenSubmit, pin }), 1, 256],
  ['new PIN', 'request.submit', (newPin) => ({ ...tokenSubmit, newPin }), 1, 256],
  ['driver to choose', 'pkcs11.chooseDriver', (library) => ({ library }), 1, 4096],
  ['driver to list tokens of', 'pkcs11.tokens', (library) => ({ library }), 1, 4096],
  ['AMS page', 'app.openAmsPage', (url) => ({ url }), 1, 2048],
  ['download password', 'download.run', (password) => ({ entryId, keyStore: 'file', password }), 1, 1024],
  ['download PIN', 'download.run', (pin) => ({ entryId, keyStore: 'pkcs11', pin }), 1, 256],
  ['certificate list driver', 'download.tokenCertificates', (library) => ({ library, tokenSerial: 'S' }), 1, 4096],
  ['certificate list serial', 'download.tokenCertificates', (tokenSerial) => ({ library: '/lib.so', tokenSerial }), 0, 64],
  ['output folder', 'output.set', (dir) => ({ dir }), 1, 4096],
  ['certificate to match keys with', 'bundle.keys', (certificatePath) => ({ certificatePath }), 1, 4096],
  ['bundle certificate', 'bundle.create', (certificatePath) => ({ ...bundle, certificatePath }), 1, 4096],
  ['bundle key file', 'bundle.create', (path) => ({ ...bundle, key: { kind: 'file', path } }), 1, 4096],
  ['bundle key password', 'bundle.create', (keyPassword) => ({ ...bundle, keyPassword }), 0, 1024],
  ['bundle password', 'bundle.create', (password) => ({ ...bundle, password }), 1, 1024],
  ['bundle password confirmation', 'bundle.create', (passwordConfirm) => ({ ...bundle, passwordConfirm }), 0, 1024],
  ['bundle output file', 'bundle.create', (outPath) => ({ ...bundle, outPath }), 1, 4096],
  ['settings output folder', 'settings.set', (outputDir) => ({ outputDir }), 1, 4096],
  // The shortest https address, https://x, has 9 characters.
  ['AMS address', 'settings.set', (text) => ({ amsUrl: `https://${text.slice(8)}` }), 9, 2048],
  ['proxy address', 'settings.set', (text) => ({ proxyUrl: `https://${text.slice(8)}` }), 9, 2048],
];

describe('length limits: at the limit accepted, one past it refused', () => {
  const accepts = (channel: Channel, input: unknown) => contract[channel].input.safeParse(input).success;
  it.each(limits)('%s (%s): %i..%i characters', (_what, channel, withText, min, max) => {
    expect(accepts(channel, withText('x'.repeat(max)))).toBe(true);
    expect(accepts(channel, withText('x'.repeat(max + 1)))).toBe(false);
    expect(accepts(channel, withText('x'.repeat(min)))).toBe(true);
    if (min > 0) expect(accepts(channel, withText('x'.repeat(min - 1)))).toBe(false);
  });

  it('a certificate to remove is named by 64 lower-case hex digits', () => {
    const remove = (fp: string) => accepts('download.removeTokenCertificate', { ...login, fingerprint: fp });
    expect(remove(fingerprint)).toBe(true);
    expect(remove(fingerprint.slice(1))).toBe(false);
    expect(remove(`${fingerprint}a`)).toBe(false);
    expect(remove(fingerprint.toUpperCase())).toBe(false);
    expect(remove(`${fingerprint.slice(1)}g`)).toBe(false);
    expect(remove(`g${fingerprint.slice(1)}`)).toBe(false);
  });

  it('server and proxy addresses are http(s) base URLs without spaces', () => {
    const url = (amsUrl: string) => accepts('settings.set', { amsUrl });
    for (const good of ['http://h', 'HTTPS://ams.bsre.id/path?x=1', 'https://[::1]:8443/']) expect(url(good), good).toBe(true);
    for (const bad of ['ftp://h', 'http://', 'http:///path', 'http://h h', 'xhttp://h', ' http://h', 'http://h/a b', 'https//h']) expect(url(bad), bad).toBe(false);
  });

  it('entries are named by UUID', () => {
    expect(accepts('download.keyToken', { entryId })).toBe(true);
    expect(accepts('download.keyToken', { entryId: 'REQ-0001' })).toBe(false);
  });
});
