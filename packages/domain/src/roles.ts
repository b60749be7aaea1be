// Roles and permissions (DOMAIN.md §1; SECURITY.md 4, 8 and 12). 三员分立 (GB/T 22239-2019 level 3,
// 8.1.4.2 d "权限分离" and 8.1.5 系统管理/审计管理/安全管理): the system administrator, the security
// administrator and the audit administrator are separate accounts with non-overlapping powers.

export const ROLES = [
  'org_admin',
  'committee_officer',
  'branch_officer',
  'station_staff',
  'liaison',
  'mobile_org_secretary',
  'system_admin',
  'security_admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  org_admin: '组织部管理员',
  committee_officer: '党(工)委工作人员',
  branch_officer: '支部书记/组织委员',
  station_staff: '服务站工作人员',
  liaison: '联络员',
  mobile_org_secretary: '流动党员党组织书记',
  system_admin: '系统管理员',
  security_admin: '安全管理员',
  auditor: '审计管理员',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** SECURITY.md 4: admin roles get no session without a TOTP second factor. */
export const ROLES_REQUIRING_TOTP: readonly Role[] = [
  'org_admin',
  'system_admin',
  'security_admin',
  'auditor',
];

export function requiresTotp(role: Role): boolean {
  return ROLES_REQUIRING_TOTP.includes(role);
}

/** True if any of the account's roles needs the second factor. */
export function anyRequiresTotp(roles: readonly Role[]): boolean {
  return roles.some(requiresTotp);
}

/** 三员: system, security and audit administrator. */
export const SEPARATED_ADMIN_ROLES: readonly Role[] = ['system_admin', 'security_admin', 'auditor'];

export function isSeparatedAdminRole(role: Role): boolean {
  return SEPARATED_ADMIN_ROLES.includes(role);
}

export const SEPARATION_OF_DUTIES_MESSAGE =
  '三员分立：系统管理员、安全管理员、审计管理员须由专门账号担任，不能与其他任何角色兼任';

export type RoleGrantCheck =
  | { ok: true }
  // 'already_granted' is never returned here: the same role at another org is a valid grant, and
  // duplicates at the same org are the caller's (database's) concern. Kept for callers' switches.
  | { ok: false; code: 'separation_of_duties' | 'already_granted'; message: string };

/**
 * May an account that already holds `existing` (at any org) also be given `role`? SECURITY.md 12
 * (三员分立, GB/T 22239-2019 level 3): the system, security and audit administrators are
 * dedicated accounts. An account holding one of them holds no other role of any kind, or the
 * system admin could read business records and the auditor could edit them through a second
 * role. The same role at another org is fine.
 */
export function checkRoleGrant(existing: readonly Role[], role: Role): RoleGrantCheck {
  const others = existing.filter((r) => r !== role);
  const mixes =
    others.length > 0 && (isSeparatedAdminRole(role) || others.some(isSeparatedAdminRole));
  if (mixes)
    return { ok: false, code: 'separation_of_duties', message: SEPARATION_OF_DUTIES_MESSAGE };
  return { ok: true };
}

export const PERMISSIONS = [
  'org.read',
  'org.create',
  'org.update',
  'org.move',
  'org.dissolve',
  'service_point.manage',
  'account.read',
  'account.manage',
  'role.grant',
  'audit.read',
  'security_policy.manage',
  'system.manage',
  // Find an org by name to grant a role there: names and breadcrumbs only, no org page.
  'org.lookup',
  // Member records (issue 3): read masked, write, and reveal one full value with a reason.
  'member.read',
  'member.write',
  'member.reveal',
  // 流动党员活动证 (issue 3 §3): the numbering pattern and the review grace, for the org department.
  'certificate.configure',
  // Spreadsheet exports of members and the mobility ledger, masked and watermarked (SECURITY.md 23).
  'member.export',
  // Spreadsheet imports of rosters and ledgers (issue 3 §6): all-or-nothing batches with undo.
  'member.import',
  // 组织关系转接 (issue 3 §5): approving a transfer and issuing its letter is the sending
  // committee's; requesting one and recording a receipt go with member.write.
  'transfer.approve',
  // The letters' validity limits (DOMAIN.md §3: a local practice), for the org department.
  'transfer.configure',
  // Keeping in touch (issue 4): log a contact with a member in scope (liaisons above all),
  // name liaisons (三定, the branch's job), set schedules and warning points (org department),
  // run census campaigns (committees), send SMS broadcasts, and manage SMS templates.
  'contact.log',
  'liaison.assign',
  'contact.configure',
  'census.manage',
  'sms.send',
  'sms.configure',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  org_admin: [
    'org.read',
    'org.create',
    'org.update',
    'org.move',
    'org.dissolve',
    'service_point.manage',
    'member.read',
    'member.write',
    'member.reveal',
    'certificate.configure',
    'member.export',
    'member.import',
    'transfer.approve',
    'transfer.configure',
    'contact.log',
    'liaison.assign',
    'contact.configure',
    'census.manage',
    'sms.send',
    'sms.configure',
  ],
  committee_officer: [
    'org.read',
    'org.create',
    'org.update',
    'service_point.manage',
    'member.read',
    'member.write',
    'member.reveal',
    'member.export',
    'member.import',
    'transfer.approve',
    'contact.log',
    'liaison.assign',
    'census.manage',
    'sms.send',
  ],
  branch_officer: [
    'org.read',
    'org.update',
    'member.read',
    'member.write',
    'member.reveal',
    'member.export',
    'member.import',
    'contact.log',
    'liaison.assign',
  ],
  // Station staff, liaisons and mobile-org secretaries see members masked; revealing a full ID
  // number or phone is for the officers who keep the record.
  station_staff: ['org.read', 'member.read', 'contact.log'],
  liaison: ['org.read', 'member.read', 'contact.log'],
  mobile_org_secretary: ['org.read', 'member.read', 'contact.log'],
  // The org tree's structure only: no personal data, no audit trail, no accounts (SECURITY.md 12).
  system_admin: ['org.read', 'system.manage'],
  // Accounts, roles and security policies only; no business data, no audit trail.
  security_admin: [
    'account.read',
    'account.manage',
    'role.grant',
    'security_policy.manage',
    'org.lookup',
  ],
  // The audit trail only, shown with PII masked.
  auditor: ['audit.read'],
};

export function hasPermission(role: Role, p: Permission): boolean {
  return (ROLE_PERMISSIONS[role] as readonly Permission[] | undefined)?.includes(p) ?? false;
}

/** Union of the permissions of several roles. */
export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []));
}

export function rolesWithPermission(p: Permission): Role[] {
  return ROLES.filter((r) => hasPermission(r, p));
}
