import { describe, expect, it } from 'vitest';
import { ROLES, ROLE_PERMISSIONS, type Role } from '@liudong/domain';
import { memberAbilities, type MemberPolicySubject } from './members.policy';

const actor = (role: Role) => ({ permissions: new Set(ROLE_PERMISSIONS[role]) });
const home: MemberPolicySubject = { homeInScope: true, hostInScope: false };
const both: MemberPolicySubject = { homeInScope: true, hostInScope: true };
const host: MemberPolicySubject = { homeInScope: false, hostInScope: true };
const officers: readonly Role[] = ['org_admin', 'committee_officer', 'branch_officer'];

describe('memberAbilities', () => {
  const table = ROLES.flatMap((role) => {
    const officer = officers.includes(role);
    return [
      [role, 'home', home, { update: officer, reveal: officer }],
      [role, 'home and host', both, { update: officer, reveal: officer }],
      // The host side is read-only and masked, whatever the role.
      [role, 'host', host, { update: false, reveal: false }],
    ] as const;
  });
  it.each(table)('%s on the %s side', (role, _side, subject, expected) => {
    expect(memberAbilities(actor(role), subject)).toEqual(expected);
  });

  it('gives nothing to an actor without the member permissions', () => {
    expect(memberAbilities({ permissions: new Set() }, home)).toEqual({
      update: false,
      reveal: false,
    });
  });
});
