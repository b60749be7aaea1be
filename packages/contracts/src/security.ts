import { z } from 'zod';
import { DEFAULT_IP_THROTTLE, DEFAULT_LOCKOUT_POLICY } from '@liudong/domain';

/** The "(c)" defaults of SECURITY.md, which the security admin may change. */
export const SecurityPolicy = z
  .object({
    lockout: z
      .object({
        maxFailures: z.number().int().min(3).max(20),
        windowMinutes: z.number().int().min(1).max(1440),
        lockMinutes: z.number().int().min(1).max(1440),
      })
      .strict(),
    ipThrottle: z
      .object({
        maxFailures: z.number().int().min(5).max(1000),
        windowMinutes: z.number().int().min(1).max(1440),
      })
      .strict(),
    idleMinutes: z.number().int().min(5).max(240),
    absoluteHours: z.number().int().min(1).max(72),
    adminPasswordMaxAgeDays: z.number().int().min(30).max(365),
    passwordHistory: z.number().int().min(1).max(24),
    /** Never below 6 months (Cybersecurity Law Art. 21; SECURITY.md 21). */
    auditRetentionMonths: z.number().int().min(6).max(120),
  })
  .strict();
export type SecurityPolicy = z.infer<typeof SecurityPolicy>;

/** The defaults of SECURITY.md, shared by the server (when nothing is configured) and the web form. */
export const DEFAULT_SECURITY_POLICY: SecurityPolicy = {
  lockout: { ...DEFAULT_LOCKOUT_POLICY },
  ipThrottle: { ...DEFAULT_IP_THROTTLE },
  idleMinutes: 30,
  absoluteHours: 12,
  adminPasswordMaxAgeDays: 90,
  passwordHistory: 5,
  auditRetentionMonths: 6,
};
