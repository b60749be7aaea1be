import type { MemberAbilities } from '@liudong/contracts';
import type { Permission } from '@liudong/domain';

export interface MemberPolicyActor {
  permissions: ReadonlySet<Permission>;
}

/**
 * Where the member lies relative to the actor's scope (SECURITY.md 9). `home`: the org of
 * affiliation is in the scope, so the actor's side keeps the record (DOMAIN.md §8: the home org
 * keeps ownership). `host`: only an open mobility's host org is in the scope.
 */
export interface MemberPolicySubject {
  homeInScope: boolean;
  hostInScope: boolean;
}

/**
 * What an actor may do with a member they can see. Pure, tested as a table. The host side reads
 * the record masked and never edits it or reveals a full value: the home org owns it.
 */
export function memberAbilities(
  actor: MemberPolicyActor,
  subject: MemberPolicySubject,
): MemberAbilities {
  const owner = subject.homeInScope;
  return {
    update: owner && actor.permissions.has('member.write'),
    reveal: owner && actor.permissions.has('member.reveal'),
  };
}
