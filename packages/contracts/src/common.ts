import { z } from 'zod';

// One error shape for every response (ARCHITECTURE.md "Boundaries"). Codes are stable: clients
// branch on `code`, never on `message`, which is Chinese text meant for people.
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'totp_invalid',
  'stage_required',
  'csrf_failed',
  'forbidden',
  'not_found',
  'conflict',
  'version_conflict',
  'password_policy',
  'separation_of_duties',
  'rate_limited',
  'payload_too_large',
  'internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Id = z.uuid();
export const IdParams = z.object({ id: Id });
export type IdParams = z.infer<typeof IdParams>;

/** Calendar date as YYYY-MM-DD (dates that are dates are `date`, not timestamps). */
export const IsoDate = z.iso.date();
/** Instant as an ISO 8601 string with offset. */
export const IsoDateTime = z.string();

/** Optimistic locking: every edit names the version it was based on (SECURITY.md 26). */
export const Version = z.number().int().min(1);

/** Keyset pagination: an opaque cursor from the previous page (SECURITY.md 27). */
export const PageQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type PageQuery = z.infer<typeof PageQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const HealthResponse = z.object({
  status: z.literal('ok'),
  db: z.enum(['pglite', 'postgres']),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** Trimmed, non-empty text with a length cap — the usual shape of a name field. */
export function text(max: number) {
  return z.string().trim().min(1).max(max);
}
export function optionalText(max: number) {
  return z.string().trim().max(max).nullable().optional();
}
