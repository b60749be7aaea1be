import type { CensusStatus, Permission } from '@liudong/domain';

export interface CensusPolicyActor {
  permissions: ReadonlySet<Permission>;
}

/**
 * Where a campaign lies relative to the actor (issue 4 §5). `orgInScope`: the campaign's org is
 * the actor's org or below it (the actor runs it, or oversees it). Otherwise the actor sees the
 * campaign from below: its subtree contains the actor's org, and the actor works its own part.
 */
export interface CensusPolicySubject {
  status: CensusStatus;
  orgInScope: boolean;
}

export interface CensusAbilities {
  close: boolean;
  verify: boolean;
  register: boolean;
}

/**
 * What an actor may do with a campaign they can see. Pure, tested as a table.
 * - Closing belongs to whoever opened it or oversees its org (census.manage, the org in scope):
 *   a branch working the county's campaign does not end it for the county.
 * - Verifying is everyone's who logs contacts, on their own part of the tasks, while it is open.
 * - The register (摸排登记表) is a spreadsheet export: it needs the export permission
 *   (SECURITY.md 23), open or closed, and holds only the actor's part.
 */
export function censusAbilities(actor: CensusPolicyActor, s: CensusPolicySubject): CensusAbilities {
  const open = s.status === 'open';
  return {
    close: open && s.orgInScope && actor.permissions.has('census.manage'),
    verify: open && actor.permissions.has('contact.log'),
    register: actor.permissions.has('member.export'),
  };
}
