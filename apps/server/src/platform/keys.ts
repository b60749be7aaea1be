import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { KeyringError, createFieldCipher, loadKeyring, type FieldCipher } from './crypto';
import { queryRows, type Database } from './db';

/**
 * Loads the keyring for field encryption (SECURITY.md 15) and refuses to run with keys that
 * cannot read the data: a keyring.json generated just now beside a database that already holds
 * encrypted values means the real keyring was lost or not copied with the data directory.
 */
export async function openCipher(
  database: Database,
  opts: { dataDir: string; env?: NodeJS.ProcessEnv },
): Promise<FieldCipher> {
  const keyring = loadKeyring({
    env: opts.env ?? process.env,
    dataDir: opts.dataDir,
    embedded: database.kind === 'pglite',
  });
  if (keyring.source.kind === 'embedded' && keyring.source.created) {
    const [row] = await queryRows<{ encrypted: boolean }>(
      database.db,
      sql`select exists (select 1 from member where id_number_enc is not null or phone_enc is not null) as encrypted`,
    );
    if (row?.encrypted) {
      // Remove the useless new file, or the next start would accept it silently.
      fs.rmSync(keyring.source.path, { force: true });
      throw new KeyringError(
        `数据库中已有加密数据，但 ${keyring.source.path} 不存在（已生成的新密钥无法解密这些数据）。` +
          '请把原来的 keyring.json 放回数据目录，或用 LIUDONG_KEYRING / LIUDONG_KEYRING_FILE 指定密钥环。',
      );
    }
  }
  return createFieldCipher(keyring);
}
