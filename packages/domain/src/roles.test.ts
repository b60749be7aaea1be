import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  PERMISSIONS,
  ROLES,
  ROLE_LABELS,
  SEPARATED_ADMIN_ROLES,
  anyRequiresTotp,
  checkRoleGrant,
  hasPermission,
  isPermission,
  isRole,
  permissionsOf,
  requiresTotp,
  rolesWithPermission,
} from './roles';
import type { Permission, Role } from './roles';

describe('roles', () => {
  it('labels every role distinctly in Chinese', () => {
    const labels = ROLES.map((r) => ROLE_LABELS[r]);
    expect(new Set(labels).size).toBe(ROLES.length);
    for (const l of labels) expect(l).toMatch(/[\u4e00-\u9fff]/);
    for (const r of SEPARATED_ADMIN_ROLES) expect(ROLE_LABELS[r]).toMatch(/管理员$/);
  });

  it('recognizes roles and permissions', () => {
    expect(ROLES.every(isRole)).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(PERMISSIONS.every(isPermission)).toBe(true);
    expect(isPermission('audit.write')).toBe(false);
  });

  it.each([
    ['org_admin', true],
    ['system_admin', true],
    ['security_admin', true],
    ['auditor', true],
    ['committee_officer', false],
    ['branch_officer', false],
    ['station_staff', false],
    ['liaison', false],
    ['mobile_org_secretary', false],
  ] as const)('requiresTotp(%s) = %s', (role, expected) => {
    expect(requiresTotp(role)).toBe(expected);
  });

  it('needs TOTP for an account if any role needs it', () => {
    expect(anyRequiresTotp(['liaison', 'branch_officer'])).toBe(false);
    expect(anyRequiresTotp(['liaison', 'org_admin'])).toBe(true);
    expect(anyRequiresTotp([])).toBe(false);
  });
});

describe('checkRoleGrant (三员分立)', () => {
  it.each([
    [[], 'system_admin', true],
    [[], 'auditor', true],
    [['system_admin'], 'system_admin', true], // same role at another org
    [['system_admin'], 'security_admin', false],
    [['system_admin'], 'auditor', false],
    [['security_admin'], 'system_admin', false],
    [['security_admin'], 'auditor', false],
    [['auditor'], 'system_admin', false],
    [['auditor'], 'security_admin', false],
    [['auditor', 'liaison'], 'security_admin', false],
    [['org_admin'], 'committee_officer', true],
    [['branch_officer', 'liaison'], 'station_staff', true],
    // the three are dedicated accounts: no business role beside them, either way round
    [['system_admin'], 'org_admin', false],
    [['org_admin'], 'auditor', false],
    [['security_admin'], 'liaison', false],
    [['auditor', 'auditor'], 'auditor', true],
  ] as const)('%j + %s → ok %s', (existing, role, ok) => {
    const r = checkRoleGrant(existing, role);
    expect(r.ok).toBe(ok);
    if (!r.ok) {
      expect(r.code).toBe('separation_of_duties');
      expect(r.message).toContain('三员分立');
    }
  });

  it('never lets an account hold one of the three beside any other role, whatever the grant order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ROLES), { maxLength: 12 }), (requests) => {
        const held: Role[] = [];
        for (const role of requests) if (checkRoleGrant(held, role).ok) held.push(role);
        const distinct = new Set(held);
        if ([...distinct].some((r) => SEPARATED_ADMIN_ROLES.includes(r))) {
          expect(distinct.size).toBe(1);
        }
        // and an account that starts with a business role keeps getting business roles
        if (requests[0] && !SEPARATED_ADMIN_ROLES.includes(requests[0])) {
          const business = requests.filter((r) => !SEPARATED_ADMIN_ROLES.includes(r));
          expect(held).toEqual(business);
        }
      }),
    );
  });
});

describe('permissions', () => {
  // The full role × permission table, written out so that any change to ROLE_PERMISSIONS must be
  // made here too. Columns in PERMISSIONS order: org.read, org.create, org.update, org.move,
  // org.dissolve, service_point.manage, account.read, account.manage, role.grant, audit.read,
  // security_policy.manage, system.manage, org.lookup, member.read, member.write, member.reveal,
  // certificate.configure, member.export, member.import, transfer.approve, transfer.configure,
  // contact.log, liaison.assign, contact.configure, census.manage, sms.send, sms.configure.
  const TABLE: Record<Role, string> = {
    org_admin: '111111000000011111111111111',
    committee_officer: '111001000000011101110110110',
    branch_officer: '101000000000011101100110000',
    station_staff: '100000000000010000000100000',
    liaison: '100000000000010000000100000',
    mobile_org_secretary: '100000000000010000000100000',
    system_admin: '100000000001000000000000000',
    security_admin: '000000111010100000000000000',
    auditor: '000000000100000000000000000',
  };
  const cases = ROLES.flatMap((role) =>
    PERMISSIONS.map((p, i) => [role, p, TABLE[role][i] === '1'] as const),
  );

  it.each(cases)('%s has %s: %s', (role, p, expected) => {
    expect(hasPermission(role, p)).toBe(expected);
  });

  const none = (role: Role, ps: readonly Permission[]) => ps.filter((p) => hasPermission(role, p));

  it('三员分立: the system admin cannot read the audit trail, grant roles or manage accounts', () => {
    expect(
      none('system_admin', [
        'audit.read',
        'role.grant',
        'account.manage',
        'account.read',
        'security_policy.manage',
      ]),
    ).toEqual([]);
  });

  it('三员分立: the auditor can only read the audit trail', () => {
    expect(PERMISSIONS.filter((p) => hasPermission('auditor', p))).toEqual(['audit.read']);
  });

  it('三员分立: the security admin has no org write, no org read and no audit', () => {
    expect(
      none('security_admin', [
        'org.read',
        'org.create',
        'org.update',
        'org.move',
        'org.dissolve',
        'service_point.manage',
        'audit.read',
        'system.manage',
      ]),
    ).toEqual([]);
  });

  it('三员分立: no two of the three share a permission', () => {
    const [a, b, c] = SEPARATED_ADMIN_ROLES.map((r) => permissionsOf([r]));
    for (const [x, y] of [
      [a, b],
      [a, c],
      [b, c],
    ]) {
      const shared = [...(x ?? [])].filter((p) => y?.has(p));
      expect(shared).toEqual([]);
    }
  });

  it('audit.read and role.grant each belong to exactly one role', () => {
    expect(rolesWithPermission('audit.read')).toEqual(['auditor']);
    expect(rolesWithPermission('role.grant')).toEqual(['security_admin']);
    expect(rolesWithPermission('system.manage')).toEqual(['system_admin']);
    expect(rolesWithPermission('org.lookup')).toEqual(['security_admin']);
  });

  it('permissionsOf is the union', () => {
    expect([...permissionsOf(['station_staff', 'system_admin'])].sort()).toEqual([
      'contact.log',
      'member.read',
      'org.read',
      'system.manage',
    ]);
    expect(permissionsOf([]).size).toBe(0);
  });

  it('fails closed for an unknown role', () => {
    expect(hasPermission('root' as Role, 'org.read')).toBe(false);
  });
});
