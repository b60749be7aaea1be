import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeIdCheckChar, normalizeIdNumber } from '@liudong/domain';
import { createFieldCipher, FieldDecryptError } from './field-cipher';
import {
  encodeKeyringForEnv,
  generateKeyringDocument,
  loadKeyring,
  rotateKeyring,
  KeyringDocument,
} from './keyring';

// SECURITY.md 15: ID number, phone and address encrypted at rest, exact search by blind index.

const DECRYPT_FAILED = '加密字段无法解密（密钥不匹配或数据被篡改）';

const newDocument = () => KeyringDocument.parse(JSON.parse(generateKeyringDocument()));
const keyringOf = (doc: KeyringDocument) =>
  loadKeyring({
    env: { LIUDONG_KEYRING: encodeKeyringForEnv(doc) },
    dataDir: '/nonexistent',
    embedded: false,
  });

const doc1 = newDocument();
const cipher = createFieldCipher(keyringOf(doc1));

const CONTEXTS = ['member.id_number', 'member.phone', 'member.address'] as const;
const ADDRESS = '广东省深圳市南山区粤海街道科技园南区高新南一道 8 号 3 栋 1201 室';

const idNumber = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 })
  .map((digits) => {
    const first17 = digits.join('');
    return first17 + computeIdCheckChar(first17);
  });

const expectDecryptFailure = (fn: () => unknown) => {
  expect(fn).toThrow(FieldDecryptError);
  expect(fn).toThrow(DECRYPT_FAILED);
};

describe('field cipher round trip', () => {
  it('decrypt(encrypt(x, ctx), ctx) === x for any Unicode text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('', ADDRESS, '11010519491231002X', '13812345678', '𠀀𪚥 emoji 👨‍👩‍👧'),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(...CONTEXTS), (plain, context) => {
        const stored = cipher.encrypt(plain, context);
        expect(stored.startsWith(`v1.${cipher.activeKeyId}.`)).toBe(true);
        expect(cipher.decrypt(stored, context)).toBe(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses text with a lone surrogate instead of storing a changed value', () => {
    expect(() => cipher.encrypt('abc\uD800', 'member.address')).toThrow(TypeError);
    expect(() => cipher.encrypt('\uDC00', 'member.address')).toThrow(TypeError);
  });

  it('refuses context and purpose labels outside the closed character set', () => {
    expect(() => cipher.encrypt('x', '')).toThrow(TypeError);
    expect(() => cipher.encrypt('x', 'member id')).toThrow(TypeError);
    expect(() => cipher.blindIndex('x', 'phone\u0000x')).toThrow(TypeError);
  });
});

describe('random IV and blind index', () => {
  it('two encryptions of one value differ but share one blind index', () => {
    fc.assert(
      fc.property(idNumber, (id) => {
        const a = cipher.encrypt(id, 'member.id_number');
        const b = cipher.encrypt(id, 'member.id_number');
        expect(a).not.toBe(b);
        expect(cipher.blindIndex(id, 'id_number')).toBe(cipher.blindIndex(id, 'id_number'));
      }),
    );
  });

  it('gives a fixed-length index that depends on the value, the purpose and the key', () => {
    const index = cipher.blindIndex('13812345678', 'phone');
    expect(index).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.blindIndex('', 'phone')).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.blindIndex('13812345679', 'phone')).not.toBe(index);
    // The same digits in two fields give unrelated indexes (purpose separation).
    expect(cipher.blindIndex('13812345678', 'id_number')).not.toBe(index);
    // The index is keyed: another installation's key gives another index.
    expect(createFieldCipher(keyringOf(newDocument())).blindIndex('13812345678', 'phone')).not.toBe(
      index,
    );
  });

  it('indexes the normalized form only: callers normalize before asking', () => {
    const lower = '11010519491231002x';
    expect(cipher.blindIndex(lower, 'id_number')).not.toBe(
      cipher.blindIndex('11010519491231002X', 'id_number'),
    );
    expect(cipher.blindIndex(normalizeIdNumber(lower), 'id_number')).toBe(
      cipher.blindIndex('11010519491231002X', 'id_number'),
    );
  });
});

describe('tampering and mismatches', () => {
  const stored = cipher.encrypt('11010519491231002X', 'member.id_number');

  it('fails under another column’s context', () => {
    expectDecryptFailure(() => cipher.decrypt(stored, 'member.phone'));
    expectDecryptFailure(() => cipher.decrypt(stored, 'member.id_numbe'));
  });

  it('fails when any bit of the IV, ciphertext or tag is flipped', () => {
    const [version, keyId, ...parts] = stored.split('.') as [string, string, ...string[]];
    parts.forEach((part, p) => {
      const bytes = Buffer.from(part, 'base64url');
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const flipped = Buffer.from(bytes);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const changed = parts.map((x, i) => (i === p ? flipped.toString('base64url') : x));
        expectDecryptFailure(() =>
          cipher.decrypt([version, keyId, ...changed].join('.'), 'member.id_number'),
        );
      }
    });
  });

  it('fails when any character of the stored text is changed', () => {
    for (let i = 0; i < stored.length; i++) {
      for (let bit = 0; bit < 7; bit++) {
        const changed =
          stored.slice(0, i) +
          String.fromCharCode(stored.charCodeAt(i) ^ (1 << bit)) +
          stored.slice(i + 1);
        expectDecryptFailure(() => cipher.decrypt(changed, 'member.id_number'));
      }
    }
  });

  it('fails on every truncation and on extra text', () => {
    for (let length = 0; length < stored.length; length++) {
      expectDecryptFailure(() => cipher.decrypt(stored.slice(0, length), 'member.id_number'));
    }
    expectDecryptFailure(() => cipher.decrypt(`${stored}A`, 'member.id_number'));
    expectDecryptFailure(() => cipher.decrypt(`${stored}.`, 'member.id_number'));
    expectDecryptFailure(() => cipher.decrypt('11010519491231002X', 'member.id_number'));
  });

  it('fails for an unknown key id and for another keyring’s key of the same id', () => {
    expectDecryptFailure(() =>
      cipher.decrypt(stored.replace(/^v1\.k1\./, 'v1.k9.'), 'member.id_number'),
    );
    const other = createFieldCipher(keyringOf(newDocument()));
    expect(other.activeKeyId).toBe(cipher.activeKeyId);
    expectDecryptFailure(() => other.decrypt(stored, 'member.id_number'));
  });

  it('the error names no data', () => {
    try {
      cipher.decrypt(stored, 'member.phone');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe(DECRYPT_FAILED);
      expect(JSON.stringify(error)).not.toContain('1101');
    }
  });
});

describe('key rotation', () => {
  it('keeps old values readable, encrypts new ones under the new key, keeps the index', () => {
    const before = cipher.encrypt(ADDRESS, 'member.address');
    const phoneIndex = cipher.blindIndex('13812345678', 'phone');
    expect(cipher.needsReencrypt(before)).toBe(false);

    const rotated = createFieldCipher(keyringOf(rotateKeyring(doc1)));
    expect(rotated.activeKeyId).toBe('k2');
    expect(rotated.decrypt(before, 'member.address')).toBe(ADDRESS);
    expect(rotated.needsReencrypt(before)).toBe(true);

    const after = rotated.encrypt(ADDRESS, 'member.address');
    expect(after.startsWith('v1.k2.')).toBe(true);
    expect(rotated.needsReencrypt(after)).toBe(false);
    expect(rotated.blindIndex('13812345678', 'phone')).toBe(phoneIndex);

    // What the rotate-keys job will do: decrypt with the old key, encrypt with the active one.
    const reencrypted = rotated.encrypt(
      rotated.decrypt(before, 'member.address'),
      'member.address',
    );
    expect(rotated.needsReencrypt(reencrypted)).toBe(false);
    // The old keyring cannot read values written under the key it does not have.
    expectDecryptFailure(() => cipher.decrypt(after, 'member.address'));
  });

  it('needsReencrypt refuses something that is not a stored value', () => {
    expectDecryptFailure(() => cipher.needsReencrypt('13812345678'));
    expectDecryptFailure(() => cipher.needsReencrypt(''));
  });
});

describe('no plaintext in the stored text', () => {
  it('an ID number appears neither whole nor as any 6-digit run, as text or as bytes', () => {
    fc.assert(
      fc.property(idNumber, (id) => {
        const stored = cipher.encrypt(id, 'member.id_number');
        const ciphertext = Buffer.from(stored.split('.')[3]!, 'base64url');
        expect(ciphertext.length).toBe(id.length);
        for (let i = 0; i + 6 <= id.length; i++) {
          const run = id.slice(i, i + 6);
          expect(stored).not.toContain(run);
          expect(ciphertext.includes(Buffer.from(run))).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a phone number and an address do not appear either', () => {
    const phone = cipher.encrypt('13812345678', 'member.phone');
    for (let i = 0; i + 6 <= 11; i++) expect(phone).not.toContain('13812345678'.slice(i, i + 6));
    const address = cipher.encrypt(ADDRESS, 'member.address');
    expect(address).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(address).not.toContain(Buffer.from(ADDRESS).toString('base64url').slice(0, 12));
  });
});
