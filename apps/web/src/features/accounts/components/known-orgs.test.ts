import { describe, expect, it } from 'vitest';
import type { AccountSummary } from '@liudong/contracts';
import { collectKnownOrgs } from './known-orgs';

const account = (homeOrgId: string, grants: [string, string][]): AccountSummary => ({
  id: homeOrgId + '-acc',
  username: 'u',
  displayName: 'U',
  status: 'active',
  homeOrgId,
  homeOrgName: `组织${homeOrgId}`,
  totpEnabled: false,
  lastLoginAt: null,
  grants: grants.map(([orgId, orgName]) => ({
    id: `${orgId}-g`,
    role: 'branch_officer',
    orgId,
    orgName,
    grantedAt: '2025-01-01T00:00:00Z',
  })),
});

describe('collectKnownOrgs', () => {
  it('collects own grant orgs, home orgs and grant orgs once each', () => {
    const orgs = collectKnownOrgs(
      [{ orgId: 'root', orgName: '区委' }],
      [
        account('a', [
          ['root', '区委简称'],
          ['b', '组织b'],
        ]),
        account('a', []),
      ],
    );
    expect(orgs).toEqual([
      { id: 'root', name: '区委' },
      { id: 'a', name: '组织a' },
      { id: 'b', name: '组织b' },
    ]);
  });
});
