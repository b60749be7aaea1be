import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { z } from 'zod';

/**
 * Keys for field-level encryption at rest (SECURITY.md 15; PIPL Art. 51 "encryption" as a
 * required security measure for sensitive personal information, Art. 28 ID numbers are such
 * information). The key never lives in the repository: it comes from the environment, from a
 * file named by the environment, or — for the embedded database only — from a file in DATA_DIR
 * that is generated on first start, so `npm install && npm start` works with no setup.
 *
 * Key bytes are never logged and never put into an error message: every message below names the
 * source and the field that is wrong, not its value.
 */

/** Environment variable holding the keyring document as base64 of its JSON text. */
export const KEYRING_ENV = 'LIUDONG_KEYRING';
/** Environment variable holding the path of a keyring document file. */
export const KEYRING_FILE_ENV = 'LIUDONG_KEYRING_FILE';
/** The file the embedded database keeps its generated keyring in, inside DATA_DIR. */
export const EMBEDDED_KEYRING_FILE = 'keyring.json';

export const KEY_BYTES = 32;

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

// Key ids appear in every stored ciphertext (`v1.<keyId>.…`), so they may not contain the '.'
// separator; the length cap also keeps a pasted base64 key (44 characters) from ever being
// mistaken for a name and echoed in an error message.
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
// Exactly 32 bytes in canonical standard base64 (43 characters and one '='). Buffer.from(…,
// 'base64') silently skips characters it does not know, so the text is checked first.
const KEY_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

const KEY_ID_MESSAGE = '密钥编号只能包含字母、数字、- 和 _，最长 32 个字符';

const KeyId = z
  .string({ error: '应为密钥编号字符串' })
  .regex(KEY_ID_PATTERN, { error: KEY_ID_MESSAGE });
const KeyMaterial = z
  .string({ error: '应为 base64 编码的 32 字节密钥' })
  .regex(KEY_PATTERN, { error: '应为 base64 编码的 32 字节密钥（44 个字符，以 = 结尾）' });

/**
 * The keyring document: `{ "active": "k2", "keys": { "k1": "<base64>", "k2": "<base64>" },
 * "blindIndexKey": "<base64>" }`. Unknown fields are rejected rather than dropped, so a typo is
 * reported and a rotation never silently loses something written into the file.
 */
export const KeyringDocument = z
  .strictObject(
    {
      active: KeyId,
      keys: z.record(KeyId, KeyMaterial, {
        error: (issue) =>
          issue.code === 'invalid_key' ? KEY_ID_MESSAGE : '应为 { 密钥编号: base64 密钥 } 对象',
      }),
      blindIndexKey: KeyMaterial,
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `不认识的字段 ${issue.keys.map(describePathSegment).join('、')}（只允许 active、keys、blindIndexKey）`
          : '应为 JSON 对象 { active, keys, blindIndexKey }',
    },
  )
  .superRefine((doc, ctx) => {
    const keys = Object.entries(doc.keys);
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['keys'], message: '至少需要一个加密密钥' });
    } else if (!Object.hasOwn(doc.keys, doc.active)) {
      ctx.addIssue({ code: 'custom', path: ['active'], message: '指定的活动密钥不在 keys 中' });
    }
    // The blind index key must be independent of the encryption keys (key separation): it
    // outlives every encryption-key rotation, and one leaked key must not give away the other.
    if (keys.some(([, key]) => key === doc.blindIndexKey)) {
      ctx.addIssue({
        code: 'custom',
        path: ['blindIndexKey'],
        message: '盲索引密钥不得与任何加密密钥相同',
      });
    }
    const seen = new Set<string>();
    for (const [id, key] of keys) {
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['keys', id], message: '与另一个加密密钥相同' });
      }
      seen.add(key);
    }
  });
export type KeyringDocument = z.infer<typeof KeyringDocument>;

export interface EncryptionKey {
  readonly id: string;
  /** 32 bytes, AES-256. */
  readonly key: Buffer;
}

export type KeyringSource =
  | { readonly kind: 'env' }
  | { readonly kind: 'file'; readonly path: string }
  /** `created` is true when this load generated the file (a fresh embedded installation). */
  | { readonly kind: 'embedded'; readonly path: string; readonly created: boolean };

export interface Keyring {
  /** The key new values are encrypted under. */
  readonly activeKeyId: string;
  /** Every key still needed to decrypt stored values, the active one included. */
  readonly keys: readonly EncryptionKey[];
  /**
   * HMAC key of the blind indexes. Separate from the encryption keys and never rotated with
   * them: an index must give the same value before and after an encryption-key rotation.
   */
  readonly blindIndexKey: Buffer;
  readonly source: KeyringSource;
}

export interface LoadKeyringOptions {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** True for the embedded PGlite database, false when DATABASE_URL names a PostgreSQL server. */
  embedded: boolean;
}

const newKey = () => randomBytes(KEY_BYTES).toString('base64');

/** A fresh keyring document (JSON text) with one active key `k1` and a blind index key. */
export function generateKeyringDocument(): string {
  const doc: KeyringDocument = { active: 'k1', keys: { k1: newKey() }, blindIndexKey: newKey() };
  return serializeKeyringDocument(doc);
}

/** The value to put into LIUDONG_KEYRING for a keyring document (base64 of its JSON text). */
export function encodeKeyringForEnv(doc: KeyringDocument): string {
  return Buffer.from(JSON.stringify(doc), 'utf8').toString('base64');
}

export function serializeKeyringDocument(doc: KeyringDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Adds a new key `k<n+1>` (n = the highest numbered `k<n>` id) and makes it active. Old keys
 * stay, because values encrypted under them must remain readable until the re-encryption job
 * has rewritten them; the blind index key stays, because every index was computed with it.
 */
export function rotateKeyring(doc: KeyringDocument): KeyringDocument {
  const current = checkDocument(doc, '待轮换的密钥环');
  const highest = Object.keys(current.keys)
    .map((id) => /^k([1-9][0-9]{0,8})$/.exec(id)?.[1])
    .reduce((max, n) => (n === undefined ? max : Math.max(max, Number(n))), 0);
  let next = highest + 1;
  while (Object.hasOwn(current.keys, `k${next}`)) next += 1;
  const id = `k${next}`;
  return checkDocument(
    { active: id, keys: { ...current.keys, [id]: newKey() }, blindIndexKey: current.blindIndexKey },
    '轮换后的密钥环',
  );
}

/** Where the keyring comes from and its document, in the order of `loadKeyring`. */
export function readKeyringDocument(opts: LoadKeyringOptions): {
  document: KeyringDocument;
  source: KeyringSource;
} {
  const fromEnv = nonEmpty(opts.env[KEYRING_ENV]);
  if (fromEnv !== undefined) {
    return { document: parseEnvValue(fromEnv), source: { kind: 'env' } };
  }
  const fileVar = nonEmpty(opts.env[KEYRING_FILE_ENV]);
  if (fileVar !== undefined) {
    const file = path.resolve(fileVar);
    return { document: readKeyringFile(file), source: { kind: 'file', path: file } };
  }
  if (opts.embedded) {
    const file = path.join(path.resolve(opts.dataDir), EMBEDDED_KEYRING_FILE);
    if (fs.existsSync(file)) {
      return {
        document: readKeyringFile(file),
        source: { kind: 'embedded', path: file, created: false },
      };
    }
    const { document, created } = createKeyringFile(file);
    return { document, source: { kind: 'embedded', path: file, created } };
  }
  throw new KeyringError(
    [
      `未配置字段加密密钥：使用 PostgreSQL（DATABASE_URL）时必须设置环境变量 ${KEYRING_ENV}`,
      `（base64 编码的密钥环 JSON）或 ${KEYRING_FILE_ENV}（密钥环 JSON 文件的路径，文件权限应为 0600）。`,
      '用 `liudong keyring-generate` 生成新的密钥环，把它保存在代码仓库以外的安全位置并妥善备份：',
      '丢失密钥等于丢失全部加密的身份证号、手机号和地址。多个实例必须使用同一个密钥环。',
    ].join(''),
  );
}

/** Loads the keyring (SECURITY.md 15): LIUDONG_KEYRING, then LIUDONG_KEYRING_FILE, then DATA_DIR. */
export function loadKeyring(opts: LoadKeyringOptions): Keyring {
  const { document, source } = readKeyringDocument(opts);
  return toKeyring(document, source);
}

/** Reads and validates a keyring document file. */
export function readKeyringFile(file: string): KeyringDocument {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeyringError(
      code === 'ENOENT'
        ? `找不到密钥环文件 ${file}`
        : `无法读取密钥环文件 ${file}（${code ?? '未知错误'}）`,
    );
  }
  return parseKeyringJson(text, `密钥环文件 ${file}`);
}

/**
 * Replaces a keyring file atomically (temp file in the same directory, fsync, rename), mode
 * 0600: a crash leaves either the old or the new document, never half of one — a torn keyring
 * would make every encrypted value unreadable.
 */
export function writeKeyringFile(file: string, doc: KeyringDocument): void {
  const text = serializeKeyringDocument(checkDocument(doc, '要写入的密钥环'));
  const tmp = writeTempFile(file, text);
  try {
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  syncDirectory(path.dirname(file));
}

/**
 * Rotates the keyring kept in a file and writes it back (for the file and embedded sources; an
 * environment keyring is rotated by printing `encodeKeyringForEnv(rotateKeyring(doc))` for the
 * operator). A lock file keeps two rotations from racing: the second would otherwise overwrite
 * the first one's new key, and values already encrypted under it would be lost.
 * Running servers keep their loaded keyring and pick up the new active key on restart.
 */
export function rotateKeyringFile(file: string): KeyringDocument {
  const lock = `${file}.lock`;
  let fd: number;
  try {
    fd = fs.openSync(lock, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyringError(
        `另一个密钥轮换正在进行（锁文件 ${lock} 已存在）；确认没有轮换在运行后可删除该锁文件重试`,
      );
    }
    throw error;
  }
  try {
    fs.closeSync(fd);
    const rotated = rotateKeyring(readKeyringFile(file));
    writeKeyringFile(file, rotated);
    return rotated;
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  // An empty variable (LIUDONG_KEYRING= in a unit file) means "not set", as in config.ts.
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseEnvValue(value: string): KeyringDocument {
  const label = `环境变量 ${KEYRING_ENV}`;
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(value)) {
    throw new KeyringError(`${label} 无效：应为密钥环 JSON 文档的 base64 编码`);
  }
  return parseKeyringJson(Buffer.from(value, 'base64').toString('utf8'), label);
}

function parseKeyringJson(text: string, label: string): KeyringDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // The SyntaxError's own message quotes the text around the error — key material — so it is
    // replaced, not wrapped.
    throw new KeyringError(`${label} 无效：不是合法的 JSON 文档`);
  }
  return checkDocument(raw, label);
}

function checkDocument(raw: unknown, label: string): KeyringDocument {
  const parsed = KeyringDocument.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.map(describePathSegment).join('.');
    return where === '' ? issue.message : `${where}：${issue.message}`;
  });
  throw new KeyringError(`${label} 无效：${[...new Set(problems)].join('；')}`);
}

/** A path segment is a field name or a key id; anything else might be pasted key material. */
function describePathSegment(segment: PropertyKey): string {
  return typeof segment === 'string' && KEY_ID_PATTERN.test(segment) ? segment : '<无效的名称>';
}

function toKeyring(doc: KeyringDocument, source: KeyringSource): Keyring {
  const keyring: Keyring = {
    activeKeyId: doc.active,
    keys: Object.entries(doc.keys).map(([id, key]) => ({ id, key: Buffer.from(key, 'base64') })),
    blindIndexKey: Buffer.from(doc.blindIndexKey, 'base64'),
    source,
  };
  // A keyring that ends up in a log line or an error report by accident shows no key bytes.
  const redacted = () => ({
    activeKeyId: keyring.activeKeyId,
    keyIds: keyring.keys.map((k) => k.id),
    source: keyring.source,
  });
  Object.defineProperties(keyring, {
    toJSON: { value: redacted, enumerable: false },
    [inspect.custom]: { value: () => `Keyring ${inspect(redacted())}`, enumerable: false },
  });
  return Object.freeze(keyring);
}

/**
 * Creates the embedded keyring file unless another process got there first. The new file is
 * published with link(), which refuses to replace an existing file: rename() would let a second
 * process overwrite keys the first one has already started to encrypt with.
 */
function createKeyringFile(file: string): { document: KeyringDocument; created: boolean } {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = generateKeyringDocument();
  const tmp = writeTempFile(file, text);
  try {
    try {
      fs.linkSync(tmp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return { document: readKeyringFile(file), created: false };
      // Filesystems without hard links: fall back to rename, after checking once more.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      if (fs.existsSync(file)) return { document: readKeyringFile(file), created: false };
      fs.renameSync(tmp, file);
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  syncDirectory(path.dirname(file));
  return { document: parseKeyringJson(text, '新生成的密钥环'), created: true };
}

function writeTempFile(file: string, text: string): string {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    // The umask can only remove bits, but a chmod makes 0600 explicit whatever it is.
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  return tmp;
}

/** Makes a rename or link durable; not every platform can open a directory, which is fine. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Best effort (e.g. Windows).
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
