import type { TransferAbilities } from '@liudong/contracts';
import { isOpenTransferStatus, type Permission, type TransferStatus } from '@liudong/domain';

export interface TransferPolicyActor {
  permissions: ReadonlySet<Permission>;
}

/**
 * Where a transfer lies relative to the actor's scope. `fromInScope`: the sending org (the
 * member's org of affiliation when requested) is in the subtree. `toInScope`: the receiving org
 * is in the system and in the subtree. A county admin may well see both sides.
 */
export interface TransferPolicySubject {
  status: TransferStatus;
  fromInScope: boolean;
  toInScope: boolean;
}

/**
 * What an actor may do with a transfer they can see (issue 3 §5). Pure, tested as a table.
 * - The sending committee approves or rejects (transfer.approve on the sending side).
 * - The receiving org confirms the receipt in the system; the sending side records a paper
 *   receipt that came back (for any destination, in the system or not).
 * - The sending side withdraws a request or an unused letter. The receiving side never changes
 *   the sending side's decisions: the home org stays responsible until the receipt (条例 Art. 25).
 */
export function transferAbilities(
  actor: TransferPolicyActor,
  s: TransferPolicySubject,
): TransferAbilities {
  const write = actor.permissions.has('member.write');
  const waitingForReceipt = s.status === 'approved';
  return {
    decide: s.status === 'requested' && s.fromInScope && actor.permissions.has('transfer.approve'),
    receive: waitingForReceipt && s.toInScope && write,
    recordPaperReceipt: waitingForReceipt && s.fromInScope && write,
    cancel: isOpenTransferStatus(s.status) && s.fromInScope && write,
  };
}

/** The ability a receipt of this source needs. */
export function mayRecordReceipt(
  actor: TransferPolicyActor,
  s: TransferPolicySubject,
  source: 'system' | 'paper',
): boolean {
  const abilities = transferAbilities(actor, s);
  return source === 'system' ? abilities.receive : abilities.recordPaperReceipt;
}
