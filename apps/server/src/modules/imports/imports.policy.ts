import type { ImportStatus } from '@liudong/contracts';
import type { Permission } from '@liudong/domain';

export interface ImportPolicyActor {
  permissions: ReadonlySet<Permission>;
}

export interface ImportPolicySubject {
  status: ImportStatus;
  /** The batch's org lies in the actor's subtree. */
  inScope: boolean;
}

/**
 * What an actor may do with an import batch they can see. Pure, tested as a table. Only a
 * committed batch can be undone, as a whole, by an importer of its scope (issue 3 §6); whether
 * its records still allow it is decided by the undo itself (a record changed since refuses it).
 */
export function importAbilities(actor: ImportPolicyActor, subject: ImportPolicySubject) {
  return {
    undo:
      subject.inScope && subject.status === 'committed' && actor.permissions.has('member.import'),
  };
}
