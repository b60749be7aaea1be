import { z } from 'zod';
import { CERTIFICATE_STATUSES } from '@liudong/domain';
import { Id, IsoDate, IsoDateTime, Version } from './common';

// 流动党员活动证 (issue 3 §3; DOMAIN.md §3).

export const CertificateStatus = z.enum(CERTIFICATE_STATUSES);

export const Certificate = z.object({
  id: Id,
  number: z.string(),
  countyCode: z.string(),
  year: z.number().int(),
  seq: z.number().int(),
  memberId: Id,
  mobilityId: Id.nullable(),
  status: CertificateStatus,
  statusLabel: z.string(),
  /** Counts for 持证率: issued, and issued or reviewed within 12 months plus the grace. */
  valid: z.boolean(),
  /** The last day it stays valid without a new annual review. */
  validThrough: IsoDate.nullable(),
  issuedOn: IsoDate,
  issuedByOrgId: Id,
  issuedByOrgName: z.string().nullable(),
  lastReviewedOn: IsoDate.nullable(),
  endedOn: IsoDate.nullable(),
  endReason: z.string().nullable(),
  replacedById: Id.nullable(),
  version: Version,
  updatedAt: IsoDateTime,
});
export type Certificate = z.infer<typeof Certificate>;

export const CertificateList = z.object({ items: z.array(Certificate) });
export type CertificateList = z.infer<typeof CertificateList>;

/** Issue: the number, the date and the stamping committee are the system's, not the client's. */
export const IssueCertificateInput = z.object({}).strict();
export type IssueCertificateInput = z.infer<typeof IssueCertificateInput>;

/** Review and return: the version read (optimistic locking, SECURITY.md 26). */
export const CertificateActionInput = z.object({ version: Version }).strict();
export type CertificateActionInput = z.infer<typeof CertificateActionInput>;

export const CancelCertificateInput = z
  .object({
    version: Version,
    reason: z.string().trim().min(2, '请写明注销原因（至少2个字）').max(200),
  })
  .strict();
export type CancelCertificateInput = z.infer<typeof CancelCertificateInput>;

/** Reissue after a loss: the old number is voided and a new one issued, in one step. */
export const ReissueCertificateInput = z
  .object({
    version: Version,
    reason: z.string().trim().min(2, '请写明补办原因（至少2个字）').max(200).default('遗失补办'),
  })
  .strict();
export type ReissueCertificateInput = z.infer<typeof ReissueCertificateInput>;

export const ReissueCertificateResponse = z.object({ old: Certificate, new: Certificate });
export type ReissueCertificateResponse = z.infer<typeof ReissueCertificateResponse>;

export const CertificateNumberParams = z.object({ number: z.string().trim().min(1).max(64) });
export type CertificateNumberParams = z.infer<typeof CertificateNumberParams>;

/** The public verification: validity only, never personal data (SECURITY.md; PIPL). */
export const PublicCertificateCheck = z
  .object({ number: z.string(), valid: z.boolean(), statusLabel: z.string() })
  .strict();
export type PublicCertificateCheck = z.infer<typeof PublicCertificateCheck>;

export const CertificateSettings = z
  .object({
    /** Tokens {county} {year} {yy} {seq:N}; checked by checkCertificatePattern. */
    pattern: z.string().trim().min(1).max(60),
    /** Months after the review is due before a certificate stops counting as valid. */
    graceMonths: z.number().int().min(0).max(12),
  })
  .strict();
export type CertificateSettings = z.infer<typeof CertificateSettings>;
