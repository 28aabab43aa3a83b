import * as z from 'zod';
import { employeeSchema } from '../domain/employee';
import { errorCodes } from './errors';
import { ledgerEntrySchema, requestStatus } from './ledger-entry';

export { ledgerEntrySchema };

/**
 * The one contract between the renderer and the main process. Every call is
 * declared here once with its input and output schema; the preload, the
 * browser test host and the main-side dispatcher are all derived from it.
 */

const empty = z.object({}).strict();
const tokenInput = z.object({ token: z.string().max(4096) }).strict();

export const appInfoSchema = z.object({
  version: z.string(),
  amsUrl: z.string(),
  /** true when the embedded mock AMS is the server: the demo entry is offered. */
  mockAms: z.boolean(),
  dataDir: z.string(),
  /** Where the CSR token is kept between runs: the OS keychain or this session only. */
  tokenStorage: z.enum(['keychain', 'session']),
  /** The shell has system file dialogs (Electron); the browser test host does not. */
  canBrowse: z.boolean(),
  /** The language the user chose last, remembered in the settings. */
  language: z.enum(['id', 'en']).optional(),
});

export const lookupResultSchema = z.object({
  requestId: z.string(),
  product: z.string(),
  status: requestStatus,
  employee: employeeSchema,
  /** This computer already holds a key and CSR for the token: submitting resends them. */
  pendingLocally: z.boolean(),
  /** Where that key is, so the storage question can be answered for the user. */
  pendingKeyStore: z.enum(['file', 'pkcs11']).optional(),
});

const fileKeyInput = z
  .object({
    token: z.string().max(4096),
    keyStore: z.literal('file'),
    password: z.string().min(1).max(1024),
    passwordConfirm: z.string().max(1024),
  })
  .strict();

const pin = z.string().min(1).max(256);

/** Which token, and how to log in to it. The PIN is used for this call only, never kept. */
export const tokenLoginSchema = z
  .object({
    library: z.string().min(1).max(4096),
    tokenSerial: z.string().max(64),
    /** Absent for a token with a PIN pad. */
    pin: pin.optional(),
    /** The user agreed to spend the token's last PIN attempt. */
    confirmFinalTry: z.boolean().optional(),
    /** Required when the token says its PIN must be changed. */
    newPin: pin.optional(),
  })
  .strict();

const tokenKeyInput = tokenLoginSchema
  .extend({
    token: z.string().max(4096),
    keyStore: z.literal('pkcs11'),
    keyBits: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]).optional(),
  })
  .strict();

export const submitInputSchema = z.discriminatedUnion('keyStore', [fileKeyInput, tokenKeyInput]);

export const submitResultSchema = z.object({
  entry: ledgerEntrySchema,
  /** true when this submission resent a CSR made earlier on this computer. */
  resent: z.boolean(),
});

export const statusResultSchema = z.object({
  requestId: z.string(),
  status: requestStatus,
  note: z.string().optional(),
  certificate: z.object({ serialNumber: z.string(), notAfter: z.iso.datetime() }).optional(),
});

export const tokenDescriptorSchema = z.object({
  serial: z.string(),
  label: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  slotDescription: z.string(),
  loginRequired: z.boolean(),
  protectedAuthPath: z.boolean(),
  pinCountLow: z.boolean(),
  pinFinalTry: z.boolean(),
  pinLocked: z.boolean(),
  pinToBeChanged: z.boolean(),
  writeProtected: z.boolean(),
  rsaKeySizes: z.array(z.number()),
});
export type TokenInfo = z.infer<typeof tokenDescriptorSchema>;

export const driverSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first of the driver's usual paths that exists on this computer. */
  path: z.string(),
  /** Labels of the tokens this driver sees now; absent when it could not be asked. */
  tokens: z.array(z.string()).optional(),
});

const libraryInput = z.object({ library: z.string().min(1).max(4096) }).strict();
const filePath = z.string().min(1).max(4096);
const entryId = z.string().uuid();

/** A certificate object on a token, as the Download tab's token list shows it. */
export const tokenCertificateSchema = z.object({
  /** SHA-256 of the certificate's DER, hex: how the removal names it. */
  fingerprint: z.string(),
  label: z.string(),
  /** CKA_ID, hex: the key it belongs to. */
  keyId: z.string(),
  commonName: z.string(),
  serialNumber: z.string(),
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  /** holder: a person's certificate; authority: a CA certificate of the chain (always kept). */
  category: z.enum(['holder', 'authority']),
  /** current: the one to use; replaced: a newer one of the same holder is on the token or AMS says renewed; revoked and expired as said. */
  state: z.enum(['current', 'replaced', 'revoked', 'expired']),
  /** Only holder certificates that are not current. */
  removable: z.boolean(),
  /** Removing it also removes its key pair: no other certificate on the token has that CKA_ID. */
  removesKey: z.boolean(),
});
export type TokenCertificate = z.infer<typeof tokenCertificateSchema>;
const fingerprint = z.string().length(64).regex(/^[0-9a-f]+$/);

const downloadInput = z.discriminatedUnion('keyStore', [
  z.object({ entryId, keyStore: z.literal('file'), password: z.string().min(1).max(1024) }).strict(),
  tokenLoginSchema.omit({ library: true, tokenSerial: true }).extend({ entryId, keyStore: z.literal('pkcs11') }).strict(),
]);

const bundleInput = z
  .object({
    certificatePath: filePath,
    key: z.discriminatedUnion('kind', [z.object({ kind: z.literal('stored'), entryId }).strict(), z.object({ kind: z.literal('file'), path: filePath }).strict()]),
    /** The key file's own password, when it is encrypted. */
    keyPassword: z.string().max(1024).optional(),
    password: z.string().min(1).max(1024),
    passwordConfirm: z.string().max(1024),
    profile: z.enum(['compatible', 'modern']),
    /** Where to write; by default a new file in the output folder. An existing file is never replaced. */
    outPath: filePath.optional(),
  })
  .strict();

/** An http(s) address (AMS, a proxy); the main side parses it again. */
const httpUrl = z.string().max(2048).regex(/^https?:\/\/[^\s/?#]+[^\s]*$/i);

export const settingsViewSchema = z.object({
  /** The saved AMS; null: the embedded mock AMS. */
  amsUrl: z.string().nullable(),
  /** LOCK_AMS_URL, which wins over the saved server while it is set. */
  amsUrlFromEnv: z.string().nullable(),
  language: z.enum(['id', 'en']),
  outputDir: z.string(),
  proxyMode: z.enum(['system', 'manual', 'none']),
  proxyUrl: z.string().nullable(),
  /** The OS certificate store is trusted for HTTPS to AMS (TLS-inspecting office proxies). */
  trustSystemCa: z.boolean(),
});

const settingsInput = z
  .object({
    amsUrl: httpUrl.nullable().optional(),
    language: z.enum(['id', 'en']).optional(),
    outputDir: filePath.optional(),
    proxyMode: z.enum(['system', 'manual', 'none']).optional(),
    proxyUrl: httpUrl.nullable().optional(),
    trustSystemCa: z.boolean().optional(),
  })
  .strict();

export const contract = {
  'app.info': { input: empty, output: appInfoSchema },
  /** Opens a page of the configured AMS (e.g. its renewal page) in the system browser; any other URL is refused (URL_NOT_ALLOWED). */
  'app.openAmsPage': { input: z.object({ url: z.string().min(1).max(2048) }).strict(), output: z.null() },
  'app.quit': { input: empty, output: z.null() },
  /** Remembers the window's language in the settings. */
  'app.setLanguage': { input: z.object({ lang: z.enum(['id', 'en']) }).strict(), output: z.null() },
  'clipboard.readText': { input: empty, output: z.string() },
  'request.lookup': { input: tokenInput, output: lookupResultSchema },
  'request.submit': { input: submitInputSchema, output: submitResultSchema },
  /** Token drivers found on this computer, and the one chosen before. */
  'pkcs11.drivers': { input: empty, output: z.object({ drivers: z.array(driverSchema), chosen: z.string().optional(), canBrowse: z.boolean() }) },
  /** Loads the library to check it, then remembers it. */
  'pkcs11.chooseDriver': { input: libraryInput, output: z.object({ library: z.string(), tokens: z.array(tokenDescriptorSchema) }) },
  /** Opens the system file dialog to pick a driver; null when cancelled. */
  'pkcs11.browseDriver': { input: empty, output: z.string().nullable() },
  /** Tokens present now, with their PIN flags; the picker polls this. */
  'pkcs11.tokens': { input: libraryInput, output: z.array(tokenDescriptorSchema) },
  'demo.newRequest': { input: empty, output: z.object({ token: z.string(), email: z.string() }) },
  /** This computer's requests with their live status from AMS. */
  'ledger.refresh': { input: empty, output: z.array(ledgerEntrySchema) },
  /** The request made on this computer with a pasted token; the token is kept from then on. */
  'download.findToken': { input: tokenInput, output: ledgerEntrySchema },
  /** The inserted token holding a request's key, for the PIN dialog. */
  'download.keyToken': { input: z.object({ entryId }).strict(), output: z.object({ library: z.string(), token: tokenDescriptorSchema }) },
  'download.run': {
    input: downloadInput,
    output: z.object({
      entry: ledgerEntrySchema,
      files: z.object({ pem: z.string(), p12: z.string().optional() }),
      outputDir: z.string(),
      onToken: z.boolean(),
      selfTest: z.literal('passed'),
      /** The real-use self-test: the chain to the root, and what the certificate's own OCSP/CRL says. */
      realUse: z
        .object({ chain: z.enum(['verified', 'missing']), revocation: z.enum(['good', 'unknown', 'unavailable']), via: z.enum(['ocsp', 'crl']).optional() })
        .optional(),
    }),
  },
  /** The certificate objects on a token (public objects: no PIN), each with its state. */
  'download.tokenCertificates': { input: z.object({ library: z.string().min(1).max(4096), tokenSerial: z.string().max(64) }).strict(), output: z.array(tokenCertificateSchema) },
  /**
   * Removes one replaced, revoked or expired certificate from the token after the PIN, with its key pair when no
   * other certificate on the token uses it. The current certificate of a key and CA certificates are refused.
   */
  'download.removeTokenCertificate': {
    input: tokenLoginSchema.extend({ fingerprint }).strict(),
    output: z.object({ removed: tokenCertificateSchema, keyRemoved: z.boolean() }),
  },
  /**
   * Discards an unsent request (key lost or password forgotten) so its token can start over: by pasted
   * token (tab 1) or by entry (Download tab). Refused while AMS holds its CSR.
   */
  'request.discard': {
    input: z.union([tokenInput, z.object({ entryId }).strict()]),
    output: z.object({ entry: ledgerEntrySchema, keptKeyAt: z.string().optional() }),
  },
  'output.info': { input: empty, output: z.object({ dir: z.string(), canChoose: z.boolean() }) },
  /** The system folder dialog; null when cancelled. */
  'output.choose': { input: empty, output: z.string().nullable() },
  'output.set': { input: z.object({ dir: filePath }).strict(), output: z.object({ dir: z.string() }) },
  'output.open': { input: empty, output: z.null() },
  /** Keys this app keeps in files, for the Bundle p12 tab. */
  'bundle.keys': {
    /** With a certificate file, each key says whether it is that certificate's key. */
    input: z.object({ certificatePath: filePath.optional() }).strict(),
    output: z.array(
      z.object({
        entryId: z.string(),
        name: z.string(),
        product: z.string(),
        createdAt: z.string(),
        /** The serial of the certificate issued for this key, when known. */
        serialNumber: z.string().optional(),
        matchesCertificate: z.boolean().optional(),
      }),
    ),
  },
  'bundle.pickFile': { input: z.object({ kind: z.enum(['certificate', 'key']) }).strict(), output: z.string().nullable() },
  'bundle.create': { input: bundleInput, output: z.object({ p12Path: z.string(), chainLength: z.number() }) },
  'settings.get': { input: empty, output: settingsViewSchema },
  /** Saves; the server and network apply at the next start (restartNeeded). */
  'settings.set': { input: settingsInput, output: settingsViewSchema.extend({ restartNeeded: z.boolean() }) },
} as const;

export type Channel = keyof typeof contract;
export const channels = Object.keys(contract) as Channel[];
export type Input<C extends Channel> = z.input<(typeof contract)[C]['input']>;
export type Output<C extends Channel> = z.infer<(typeof contract)[C]['output']>;
export type { LedgerEntry } from './ledger-entry';
export type AppInfo = z.infer<typeof appInfoSchema>;
export type LookupResult = z.infer<typeof lookupResultSchema>;

/** Events pushed from main to renderer. */
export const events = {
  'request.onDidProgress': z.object({
    step: z.enum(['lookup', 'keygen', 'csr', 'upload', 'done']),
  }),
  'download.onDidProgress': z.object({
    step: z.enum(['fetch', 'verify', 'write', 'done']),
  }),
  /** The menu LOCK → Pengaturan. */
  'settings.onDidRequestOpen': z.object({}),
  /**
   * Something the user should hear about even with the window in the background:
   * a watched request issued or rejected, a certificate within 30 days of expiry.
   * The Electron shell shows it as a desktop notification; the test host records it.
   */
  'app.onDidNotify': z.object({
    kind: z.enum(['issued', 'rejected', 'expiring']),
    entryId: z.string(),
    title: z.string(),
    body: z.string(),
  }),
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

export const errorDataSchema = z.object({ code: z.enum(errorCodes), detail: z.string().optional() });

/** What every call returns across a process boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof errorDataSchema> };

/**
 * `window.lock` as the renderer sees it. Calls resolve to a Result rather than
 * rejecting, because an Error crossing the context bridge keeps only its message.
 */
export type LockApi = { [C in Channel]: (input: Input<C>) => Promise<Result<Output<C>>> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
