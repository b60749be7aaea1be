import { z } from 'zod';
import { PERMISSIONS, ROLES } from '@liudong/domain';
import { Id } from './common';

export const Role = z.enum(ROLES);
export const Permission = z.enum(PERMISSIONS);

export const LoginInput = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginInput = z.infer<typeof LoginInput>;

/**
 * What the signed-in person must do next. A session only grants access at `done`; before that the
 * cookie names a pending session that can do nothing but the next step (SECURITY.md 4, 7).
 */
export const AuthStage = z.enum(['change_password', 'enrol_totp', 'totp', 'done']);
export type AuthStage = z.infer<typeof AuthStage>;

export const LoginResponse = z.object({
  next: AuthStage,
  totpRequired: z.boolean(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const TotpInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '请输入6位数字验证码'),
});
export type TotpInput = z.infer<typeof TotpInput>;

export const TotpEnrolment = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrDataUrl: z.string(),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const StepResponse = z.object({ next: AuthStage });
export type StepResponse = z.infer<typeof StepResponse>;

export const RoleGrant = z.object({
  id: Id,
  role: Role,
  orgId: Id,
  orgName: z.string(),
});
export type RoleGrant = z.infer<typeof RoleGrant>;

export const Me = z.object({
  account: z.object({
    id: Id,
    username: z.string(),
    displayName: z.string(),
    totpEnabled: z.boolean(),
    passwordExpiresAt: z.string().nullable(),
  }),
  stage: AuthStage,
  grants: z.array(RoleGrant),
  activeGrantId: Id.nullable(),
  permissions: z.array(Permission),
  /** Send back as the `x-csrf-token` header on every state-changing request (SECURITY.md 6). */
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;

export const SwitchRoleInput = z.object({ grantId: Id });
export type SwitchRoleInput = z.infer<typeof SwitchRoleInput>;
