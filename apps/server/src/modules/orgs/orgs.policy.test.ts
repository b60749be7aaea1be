import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, type Role } from '@liudong/domain';
import { orgAbilities, type OrgPolicySubject } from './orgs.policy';

const actor = (role: Role) => ({ orgPath: '/root/', permissions: new Set(ROLE_PERMISSIONS[role]) });
const child: OrgPolicySubject = {
  path: '/root/a/',
  kind: 'branch',
  dissolved: false,
  hasActiveChildren: false,
};
const root: OrgPolicySubject = {
  path: '/root/',
  kind: 'committee',
  dissolved: false,
  hasActiveChildren: true,
};

describe('orgAbilities', () => {
  it.each([
    [
      'org_admin',
      child,
      { update: true, createChild: true, move: true, dissolve: true, manageServicePoints: true },
    ],
    [
      'org_admin',
      root,
      { update: true, createChild: true, move: false, dissolve: false, manageServicePoints: true },
    ],
    [
      'org_admin',
      { ...child, dissolved: true },
      {
        update: false,
        createChild: false,
        move: false,
        dissolve: false,
        manageServicePoints: false,
      },
    ],
    [
      'org_admin',
      { ...child, hasActiveChildren: true },
      { update: true, createChild: true, move: true, dissolve: false, manageServicePoints: true },
    ],
    [
      'org_admin',
      { ...child, kind: 'group' },
      { update: true, createChild: false, move: true, dissolve: true, manageServicePoints: true },
    ],
    [
      'committee_officer',
      child,
      { update: true, createChild: true, move: false, dissolve: false, manageServicePoints: true },
    ],
    [
      'branch_officer',
      child,
      {
        update: true,
        createChild: false,
        move: false,
        dissolve: false,
        manageServicePoints: false,
      },
    ],
    [
      'liaison',
      child,
      {
        update: false,
        createChild: false,
        move: false,
        dissolve: false,
        manageServicePoints: false,
      },
    ],
    [
      'system_admin',
      child,
      {
        update: false,
        createChild: false,
        move: false,
        dissolve: false,
        manageServicePoints: false,
      },
    ],
    [
      'auditor',
      child,
      {
        update: false,
        createChild: false,
        move: false,
        dissolve: false,
        manageServicePoints: false,
      },
    ],
    [
      'security_admin',
      child,
      {
        update: false,
        createChild: false,
        move: false,
        dissolve: false,
        manageServicePoints: false,
      },
    ],
  ] as const)('%s on %o', (role, subject, expected) => {
    expect(orgAbilities(actor(role), subject)).toEqual(expected);
  });
});
