import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  randomFillSync,
  type KeyObject,
} from 'node:crypto';
import { KEY_BYTES, type Keyring } from './keyring';

/**
 * Field-level encryption at rest for ID numbers, phone numbers and addresses (SECURITY.md 15;
 * PIPL Art. 28 and 51), with a keyed blind index for exact search.
 *
 * Stored text: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url, no padding). `v1` is AES-256-GCM
 * with a 12-byte random IV and a 16-byte tag; a later SM4 variant (where an assessor requires
 * it) would be a new version prefix beside it, so both can be read during a migration.
 *
 * The column name travels as GCM's additional authenticated data (`context`, e.g.
 * 'member.id_number'): a ciphertext copied into another column, or another row's field of a
 * different kind, fails to decrypt instead of being shown as that field.
 */

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Random 96-bit IVs are safe for up to 2^32 encryptions per key (NIST SP 800-38D §8.3); a
// county's members times their fields are many orders of magnitude below that, and a key
// rotation starts the count again.

const DECRYPT_FAILED = '加密字段无法解密（密钥不匹配或数据被篡改）';

/** Thrown for any stored value that does not decrypt; carries no data and no key material. */
export class FieldDecryptError extends Error {
  constructor() {
    super(DECRYPT_FAILED);
    this.name = 'FieldDecryptError';
  }
}

export interface FieldCipher {
  /** Encrypts under the active key; `context` names the column, e.g. 'member.id_number'. */
  encrypt(plain: string, context: string): string;
  /** Decrypts with whichever key the value names; throws FieldDecryptError on any mismatch. */
  decrypt(stored: string, context: string): string;
  /**
   * Keyed blind index (HMAC-SHA-256, 64 hex characters) for exact search. The caller passes the
   * NORMALIZED value — e.g. an ID number trimmed and upper-cased (18 characters, 'x' → 'X'), a
   * phone number as its 11 digits without '+86', spaces or dashes — because the index of
   * '11010519491231002x' and of '11010519491231002X' differ. `purpose` (e.g. 'id_number',
   * 'phone') keeps the indexes of different fields unrelated, so equal values in two columns
   * cannot be joined through their indexes.
   *
   * The index is deterministic by design: it reveals which rows share a value, and whoever holds
   * the blind index key can test guesses (an 11-digit phone space is small), so the key is
   * guarded exactly like the encryption keys.
   */
  blindIndex(normalized: string, purpose: string): string;
  /** True when the value was encrypted under a key other than the active one (rotate-keys job). */
  needsReencrypt(stored: string): boolean;
  readonly activeKeyId: string;
}

interface ParsedValue {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

// Purposes and contexts are code constants, not user input; a NUL in a purpose would make
// `purpose + '\0' + value` ambiguous, so the character set is closed.
const LONE_SURROGATE = /\p{Cs}/u;
const LABEL_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

function checkLabel(kind: 'context' | 'purpose', label: string): void {
  if (!LABEL_PATTERN.test(label)) {
    throw new TypeError(`${kind} 只能包含字母、数字和 _ . : -（1–64 个字符）`);
  }
}

/**
 * IVs come from a pooled CSPRNG buffer refilled in blocks: one randomBytes(12) call per value
 * costs more than the AES-GCM work itself. Each IV is copied out of the pool and the pool is
 * never reused, so IVs stay independent random values.
 */
const IV_POOL_BYTES = IV_BYTES * 512;
const ivPool = Buffer.alloc(IV_POOL_BYTES);
let ivOffset = IV_POOL_BYTES;

function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > IV_POOL_BYTES) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + IV_BYTES));
  ivPool.fill(0, ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/**
 * Strict base64url: Buffer.from(…, 'base64url') skips unknown characters and ignores the unused
 * low bits of the last character, so several texts would decode to the same bytes. Re-encoding
 * and comparing makes the stored form canonical: any changed character is a changed value.
 */
function decodeCanonical(text: string, expectedBytes?: number): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) return undefined;
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function parseStored(stored: string): ParsedValue | undefined {
  if (typeof stored !== 'string') return undefined;
  const parts = stored.split('.');
  if (parts.length !== 5) return undefined;
  const [version, keyId, ivText, ciphertextText, tagText] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (version !== VERSION || keyId === '') return undefined;
  const iv = decodeCanonical(ivText, IV_BYTES);
  const ciphertext = decodeCanonical(ciphertextText);
  const tag = decodeCanonical(tagText, TAG_BYTES);
  if (iv === undefined || ciphertext === undefined || tag === undefined) return undefined;
  return { keyId, iv, ciphertext, tag };
}

export function createFieldCipher(keyring: Keyring): FieldCipher {
  // Key objects are built once here, not per call (SECURITY.md 15 at 100k-row import scale).
  const keys = new Map<string, KeyObject>();
  for (const { id, key } of keyring.keys) {
    if (key.length !== KEY_BYTES) throw new Error(`加密密钥 ${id} 的长度不是 ${KEY_BYTES} 字节`);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error('密钥编号格式无效');
    if (keys.has(id)) throw new Error(`密钥编号 ${id} 重复`);
    keys.set(id, createSecretKey(key));
  }
  const activeKeyId = keyring.activeKeyId;
  const activeKey = keys.get(activeKeyId);
  if (activeKey === undefined) throw new Error('活动密钥不在密钥环中');
  if (keyring.blindIndexKey.length !== KEY_BYTES) {
    throw new Error(`盲索引密钥的长度不是 ${KEY_BYTES} 字节`);
  }
  const blindIndexKey = createSecretKey(keyring.blindIndexKey);
  const prefix = `${VERSION}.${activeKeyId}.`;

  return {
    activeKeyId,

    encrypt(plain, context) {
      checkLabel('context', context);
      // A lone UTF-16 surrogate would be stored as U+FFFD and come back changed; refuse it
      // rather than alter a record silently.
      if (LONE_SURROGATE.test(plain)) throw new TypeError('待加密的文本含有无效的 Unicode 字符');
      const iv = nextIv();
      const cipher = createCipheriv(ALGORITHM, activeKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const head = cipher.update(plain, 'utf8');
      const tail = cipher.final();
      const ciphertext = tail.length === 0 ? head : Buffer.concat([head, tail]);
      return `${prefix}${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${cipher
        .getAuthTag()
        .toString('base64url')}`;
    },

    decrypt(stored, context) {
      checkLabel('context', context);
      const parsed = parseStored(stored);
      const key = parsed && keys.get(parsed.keyId);
      if (parsed === undefined || key === undefined) throw new FieldDecryptError();
      try {
        const decipher = createDecipheriv(ALGORITHM, key, parsed.iv, {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(parsed.tag);
        const head = decipher.update(parsed.ciphertext);
        const tail = decipher.final();
        // GCM authenticated exactly these bytes, and encrypt only accepts well-formed strings,
        // so the UTF-8 decoding gives back the very string that was encrypted.
        return (tail.length === 0 ? head : Buffer.concat([head, tail])).toString('utf8');
      } catch {
        // OpenSSL's message ("Unsupported state or unable to authenticate data") is replaced by
        // one fixed message; which check failed is not the caller's business.
        throw new FieldDecryptError();
      }
    },

    blindIndex(normalized, purpose) {
      checkLabel('purpose', purpose);
      return createHmac('sha256', blindIndexKey)
        .update(purpose, 'utf8')
        .update('\u0000', 'utf8')
        .update(normalized, 'utf8')
        .digest('hex');
    },

    needsReencrypt(stored) {
      const parsed = parseStored(stored);
      if (parsed === undefined) throw new FieldDecryptError();
      return parsed.keyId !== activeKeyId;
    },
  };
}
