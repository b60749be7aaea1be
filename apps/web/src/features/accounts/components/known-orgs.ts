import type { AccountSummary } from '@liudong/contracts';
import type { KnownOrg } from '../../orgs/components/org-picker';

export /** Orgs already on screen (own grants, home orgs and grants in the list), for the org picker. */
function collectKnownOrgs(
  ownGrants: readonly { orgId: string; orgName: string }[],
  accounts: readonly AccountSummary[],
): KnownOrg[] {
  const byId = new Map<string, string>();
  for (const grant of ownGrants) byId.set(grant.orgId, grant.orgName);
  for (const account of accounts) {
    byId.set(account.homeOrgId, account.homeOrgName);
    for (const grant of account.grants)
      if (!byId.has(grant.orgId)) byId.set(grant.orgId, grant.orgName);
  }
  return [...byId].map(([id, name]) => ({ id, name }));
}
