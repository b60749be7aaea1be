import type { OrgAbilities } from '@liudong/contracts';
import { ORG_KINDS, canContain, type OrgKind, type Permission } from '@liudong/domain';

export interface OrgPolicySubject {
  path: string;
  kind: OrgKind;
  dissolved: boolean;
  hasActiveChildren: boolean;
}

export interface OrgPolicyActor {
  orgPath: string;
  permissions: ReadonlySet<Permission>;
}

/**
 * What an actor may do with an org inside their scope. Pure, tested as a table. The scope root
 * itself cannot be moved or dissolved by its own officers: that would take it out of their hands.
 */
export function orgAbilities(actor: OrgPolicyActor, org: OrgPolicySubject): OrgAbilities {
  const can = (p: Permission) => actor.permissions.has(p) && !org.dissolved;
  const isScopeRoot = org.path === actor.orgPath;
  return {
    update: can('org.update'),
    createChild: can('org.create') && ORG_KINDS.some((k) => canContain(org.kind, k)),
    move: can('org.move') && !isScopeRoot,
    // Dissolving keeps history; live children must be moved or dissolved first.
    dissolve: can('org.dissolve') && !isScopeRoot && !org.hasActiveChildren,
    manageServicePoints: can('service_point.manage'),
  };
}
