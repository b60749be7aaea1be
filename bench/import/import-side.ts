/**
 * The measured side of the import benchmark: the roster file through the import service exactly
 * as the API calls it — upload (zip checks, streaming read, header detection), then commit
 * (validation, encryption, dedupe, batched inserts, undo records and the audit record, one
 * transaction). Only the HTTP framing is left out; an upload of the same bytes over HTTP adds
 * the body transfer on loopback.
 */
import type { ImportProgressLine } from '@liudong/contracts';
import { createImportService } from '../../apps/server/src/modules/imports/imports.service';
import type { FieldCipher } from '../../apps/server/src/platform/crypto';
import type { BenchWorld } from '../lib/setup';

export async function runImport(
  world: BenchWorld,
  cipher: FieldCipher,
  file: Buffer,
  expectedRows: number,
) {
  const service = createImportService({ db: world.database.db, cipher, clock: world.ctx.clock });
  // CPU time of the whole process (all threads): steadier than the wall clock on a shared
  // machine, it shows what a change saves even when other work slows the run down.
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const preview = await service.upload(
    world.ctx,
    { kind: 'members', fileName: 'roster.xlsx' },
    file,
  );
  const uploadMs = performance.now() - started;
  if (preview.missingRequired.length > 0)
    throw new Error(`headers not matched: ${preview.missingRequired.join(', ')}`);
  const mapping = preview.columns.flatMap((c) =>
    c.field ? [{ index: c.index, field: c.field }] : [],
  );
  const phases: Record<string, number> = {};
  let last: ImportProgressLine | undefined;
  const batch = await service.commit(world.ctx, preview.id, { mapping, dedupe: 'skip' }, (line) => {
    if (line.type === 'progress' && !(line.phase in phases))
      phases[line.phase] = Math.round(performance.now() - started);
    last = line;
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const created = batch.createdCount;
  if (created !== expectedRows)
    throw new Error(
      `import created ${created} members, expected ${expectedRows} (${JSON.stringify(last)})`,
    );
  return {
    rows: created,
    ms,
    uploadMs: Math.round(uploadMs),
    commitMs: Math.round(ms - uploadMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    phaseStartsMs: phases,
  };
}
