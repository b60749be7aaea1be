import { z } from 'zod';
import { Id, IsoDateTime, PageQuery, pageOf, text } from './common';
import { Role } from './auth';

export const Username = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9_.-]{3,32}$/, '用户名为3–32位字母、数字、下划线、点或短横线');

export const AccountGrant = z.object({
  id: Id,
  role: Role,
  orgId: Id,
  orgName: z.string(),
  grantedAt: IsoDateTime,
});
export type AccountGrant = z.infer<typeof AccountGrant>;

export const AccountStatus = z.enum(['active', 'locked', 'disabled']);
export type AccountStatus = z.infer<typeof AccountStatus>;

export const AccountSummary = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  status: AccountStatus,
  homeOrgId: Id,
  homeOrgName: z.string(),
  totpEnabled: z.boolean(),
  lastLoginAt: IsoDateTime.nullable(),
  grants: z.array(AccountGrant),
});
export type AccountSummary = z.infer<typeof AccountSummary>;

export const AccountSearchQuery = PageQuery.extend({ q: z.string().trim().max(64).optional() });
export type AccountSearchQuery = z.infer<typeof AccountSearchQuery>;
export const AccountSearchResponse = pageOf(AccountSummary);
export type AccountSearchResponse = z.infer<typeof AccountSearchResponse>;

export const CreateAccountInput = z
  .object({ username: Username, displayName: text(40), homeOrgId: Id })
  .strict();
export type CreateAccountInput = z.infer<typeof CreateAccountInput>;

/** The one-time password is shown once to the security admin and must be changed at first login. */
export const OneTimePasswordResponse = z.object({
  account: AccountSummary,
  oneTimePassword: z.string(),
});
export type OneTimePasswordResponse = z.infer<typeof OneTimePasswordResponse>;

export const GrantRoleInput = z.object({ role: Role, orgId: Id }).strict();
export type GrantRoleInput = z.infer<typeof GrantRoleInput>;

export const GrantParams = z.object({ id: Id, grantId: Id });
export type GrantParams = z.infer<typeof GrantParams>;

export const SetAccountStatusInput = z.object({ disabled: z.boolean() }).strict();
export type SetAccountStatusInput = z.infer<typeof SetAccountStatusInput>;
