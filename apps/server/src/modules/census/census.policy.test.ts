import { describe, expect, it } from 'vitest';
import { ROLES, ROLE_PERMISSIONS, type Permission, type Role } from '@liudong/domain';
import { censusAbilities, type CensusPolicySubject } from './census.policy';

const actor = (role: Role) => ({ permissions: new Set(ROLE_PERMISSIONS[role]) });
const can = (role: Role, p: Permission) => ROLE_PERMISSIONS[role].includes(p);

const subject = (
  side: 'in_scope' | 'from_below',
  status: 'open' | 'closed',
): CensusPolicySubject => ({
  status,
  orgInScope: side === 'in_scope',
});

describe('censusAbilities', () => {
  const table = ROLES.flatMap((role) => {
    const manage = can(role, 'census.manage');
    const log = can(role, 'contact.log');
    const exp = can(role, 'member.export');
    return [
      // The campaign's org in scope: close with census.manage, verify with contact.log.
      [role, 'in_scope', 'open', { close: manage, verify: log, register: exp }],
      // Seen from below (a branch in the county's campaign): verify its part, never close.
      [role, 'from_below', 'open', { close: false, verify: log, register: exp }],
      // Closed: history only; the register stays available.
      [role, 'in_scope', 'closed', { close: false, verify: false, register: exp }],
      [role, 'from_below', 'closed', { close: false, verify: false, register: exp }],
    ] as const;
  });
  it.each(table)('%s, campaign %s, %s', (role, side, status, expected) => {
    expect(censusAbilities(actor(role), subject(side, status))).toEqual(expected);
  });

  it('lets the county officers close and branch officers only verify', () => {
    const open = subject('in_scope', 'open');
    expect(censusAbilities(actor('committee_officer'), open).close).toBe(true);
    expect(censusAbilities(actor('org_admin'), open).close).toBe(true);
    expect(censusAbilities(actor('branch_officer'), open)).toEqual({
      close: false,
      verify: true,
      register: true,
    });
    expect(censusAbilities(actor('liaison'), open)).toEqual({
      close: false,
      verify: true,
      register: false,
    });
  });

  it('gives nothing to the 三员 and the auditor', () => {
    for (const role of ['system_admin', 'security_admin', 'auditor'] as const)
      for (const status of ['open', 'closed'] as const)
        expect(Object.values(censusAbilities(actor(role), subject('in_scope', status)))).toEqual([
          false,
          false,
          false,
        ]);
  });
});
