import type { MobilityAbilities } from '@liudong/contracts';
import {
  isOpenMobilityStatus,
  type MobilityDirection,
  type MobilityStatus,
  type Permission,
} from '@liudong/domain';

export interface MobilityPolicyActor {
  permissions: ReadonlySet<Permission>;
}

/**
 * Where an episode lies relative to the actor's scope. `home`: the home org is in the scope.
 * `host`: the host org is.
 */
export interface MobilityPolicySubject {
  direction: MobilityDirection;
  status: MobilityStatus;
  homeInScope: boolean;
  hostInScope: boolean;
}

/**
 * The side that registered the episode keeps it (DOMAIN.md §3, §8): the home side for an
 * outflow, the host side for an inflow (its home org may be outside the system).
 */
export function ownsMobility(s: MobilityPolicySubject): boolean {
  return s.direction === 'outflow' ? s.homeInScope : s.hostInScope;
}

/**
 * What an actor may do with an episode they can see. Pure, tested as a table. Closed episodes
 * are history: nobody moves or edits them. The host side of an outflow takes part in the life
 * cycle (it receives the member and serves them) but only the owner edits the registration.
 */
export function mobilityAbilities(
  actor: MobilityPolicyActor,
  subject: MobilityPolicySubject,
): MobilityAbilities {
  const open = isOpenMobilityStatus(subject.status);
  const write = actor.permissions.has('member.write');
  const owner = ownsMobility(subject);
  return {
    transition: open && write && (owner || subject.hostInScope),
    edit: open && write && owner,
  };
}

/**
 * The steps the non-owning host side of an outflow may take: it records the check-in (settled)
 * and the service (serving). Returning, transferring or ending the episode is the home side's
 * decision (条例 Art. 25: the home org stays responsible).
 */
const HOST_SIDE_STEPS: readonly MobilityStatus[] = ['settled', 'serving'];

export function mayMoveTo(
  actor: MobilityPolicyActor,
  subject: MobilityPolicySubject,
  to: MobilityStatus,
): boolean {
  if (!mobilityAbilities(actor, subject).transition) return false;
  return ownsMobility(subject) || HOST_SIDE_STEPS.includes(to);
}
