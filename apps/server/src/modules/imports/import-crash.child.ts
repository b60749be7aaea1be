// A child process for imports.crash.test.ts: opens the database it is given, commits an import
// batch and prints the progress lines, so the test can kill -9 it in the middle of the writing
// (SECURITY.md 25). Not part of the server.
import { ROLE_PERMISSIONS, fixedClock, type Role } from '@liudong/domain';
import { createFieldCipher, loadKeyring } from '../../platform/crypto';
import { openEmbedded, openPostgres } from '../../platform/db';
import { createImportService } from './imports.service';

const env = process.env;
const database = env.CRASH_DB_URL
  ? openPostgres(env.CRASH_DB_URL, { max: 1 })
  : await openEmbedded(env.CRASH_DATA_DIR!);
const cipher = createFieldCipher(loadKeyring({ env, dataDir: '/nonexistent', embedded: false }));
const actor = JSON.parse(env.CRASH_ACTOR!) as {
  accountId: string;
  username: string;
  role: Role;
  orgId: string;
  orgName: string;
  orgPath: string;
};
const ctx = {
  actor: { ...actor, grantId: actor.accountId, permissions: new Set(ROLE_PERMISSIONS[actor.role]) },
  ip: null,
  correlationId: 'crash-test',
  clock: fixedClock(env.CRASH_NOW!),
};
const service = createImportService({ db: database.db, cipher });
await service.commit(ctx, env.CRASH_BATCH!, JSON.parse(env.CRASH_OPTIONS!), (line) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
process.stdout.write('{"type":"finished"}\n');
await database.close();
