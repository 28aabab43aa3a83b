import * as z from 'zod';
import { employeeSchema } from '../domain/employee';
import { amsRequestStatuses, certificateStatuses } from '../domain/request-state';

/**
 * The AMS HTTP API that LOCK Desktop speaks, shared by the AMS client and the
 * mock AMS so the two cannot drift. docs/openapi.yaml describes the same paths.
 * Tokens travel in request bodies, never in URLs, so they stay out of access logs.
 */
export const amsPaths = {
  health: '/health',
  employee: '/api/lock/v1/employee',
  csr: '/api/lock/v1/csr',
  status: '/api/lock/v1/status',
  certificate: '/api/lock/v1/certificate',
  caChain: '/ca/chain.pem',
  adminTokens: '/admin/v1/tokens',
  adminUsers: '/admin/v1/users',
  adminFaults: '/admin/v1/faults',
  adminDecisions: '/admin/v1/decisions',
  adminSettings: '/admin/v1/settings',
  adminClock: '/admin/v1/clock',
  adminRevoke: '/admin/v1/revoke',
  adminExpireToken: '/admin/v1/tokens/expire',
  adminReset: '/admin/v1/reset',
  adminRequests: '/admin/v1/requests',
  caRoot: '/ca/root.crt',
  caIssuing: '/ca/issuing.crt',
  caCrl: '/ca/issuing.crl',
  caRootCrl: '/ca/root.crl',
  caOcsp: '/ca/ocsp',
  caCps: '/ca/cps',
} as const;

export const ADMIN_KEY_HEADER = 'x-admin-key';

export const tokenBodySchema = z.object({ token: z.string().min(1).max(1024) });
export type TokenBody = z.infer<typeof tokenBodySchema>;

export const requestStatusSchema = z.enum(amsRequestStatuses);

export const employeeResponseSchema = z.object({
  requestId: z.string(),
  product: z.string(),
  status: requestStatusSchema,
  employee: employeeSchema,
});
export type EmployeeResponse = z.infer<typeof employeeResponseSchema>;

export const csrBodySchema = tokenBodySchema.extend({ csr: z.string().min(1).max(65536) });
export type CsrBody = z.infer<typeof csrBodySchema>;

export const statusResponseSchema = z.object({
  requestId: z.string(),
  product: z.string(),
  status: requestStatusSchema,
  /** The verifier's note (Catatan Verifikasi). */
  note: z.string().optional(),
  updatedAt: z.iso.datetime(),
  certificate: z
    .object({
      serialNumber: z.string(),
      notAfter: z.iso.datetime(),
      /** The portal's certificate status: Issued, Renew, Revoke or Expired. */
      status: z.enum(certificateStatuses).optional(),
    })
    .optional(),
});
export type StatusResponse = z.infer<typeof statusResponseSchema>;

/** The issued certificate and its chain (issuing CA first, root last), all PEM. */
export const certificateResponseSchema = z.object({
  requestId: z.string(),
  certificate: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
  chain: z.array(z.string().startsWith('-----BEGIN CERTIFICATE-----')),
});
export type CertificateResponse = z.infer<typeof certificateResponseSchema>;

export const mintTokenBodySchema = z.object({
  email: z.email(),
  product: z.string().min(1).max(64).optional(),
});
export const mintTokenResponseSchema = z.object({ token: z.string(), requestId: z.string() });
export type MintTokenResponse = z.infer<typeof mintTokenResponseSchema>;

/** The verifier's decision on a request (Verifikasi). */
export const decisionBodySchema = z
  .object({ requestId: z.string(), decision: z.enum(['approve', 'reject']), note: z.string().max(500).optional() })
  .strict();

export const mockSettingsBodySchema = z.object({ autoApprove: z.boolean(), enrollmentFails: z.boolean() }).partial().strict();
export const clockBodySchema = z.object({ offsetDays: z.number().min(-3650).max(3650) }).strict();
export const revokeBodySchema = z
  .object({ serialNumber: z.string().regex(/^[0-9A-Fa-f]+$/), reason: z.enum(['keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'unspecified']) })
  .strict();
export const requestIdBodySchema = z.object({ requestId: z.string() }).strict();
export const createUserBodySchema = z
  .object({
    email: z.string().max(128),
    name: z.string().max(128),
    nik: z.string().max(32),
    nip: z.string().max(32),
    position: z.string().max(64),
    unit: z.string().min(1).max(128),
    organization: z.string().min(1).max(128),
    locality: z.string().min(1).max(128),
    province: z.string().min(1).max(128),
    country: z.string().length(2).default('ID'),
    employment: z.enum(['ASN', 'Lainnya']).default('ASN'),
    role: z.enum(['user', 'verifier']).default('user'),
  })
  .strict();

export const faultsBodySchema = z
  .object({
    latencyMs: z.number().int().min(0).max(120_000),
    serverErrors: z.number().int().min(0).max(1000),
    garbage: z.number().int().min(0).max(1000),
    dropAfterCsrStored: z.number().int().min(0).max(1000),
  })
  .partial()
  .strict();

/** Error codes the mock AMS answers with; the client maps them to AppError codes. */
export const amsErrorCodes = [
  'BAD_REQUEST',
  'TOKEN_UNKNOWN',
  'TOKEN_EXPIRED',
  'TOKEN_ALREADY_USED',
  'CSR_INVALID',
  'NOT_ISSUED',
  'REVOKED',
  'NOT_ALLOWED',
  'PROFILE_INVALID',
  'ADMIN_KEY_INVALID',
  'USER_UNKNOWN',
  'NOT_FOUND',
  'INTERNAL',
] as const;
export type AmsErrorCode = (typeof amsErrorCodes)[number];

export const amsErrorBodySchema = z.object({
  error: z.object({ code: z.enum(amsErrorCodes), message: z.string() }),
});
export type AmsErrorBody = z.infer<typeof amsErrorBodySchema>;
