import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createFieldCipher } from './field-cipher';
import {
  KeyringDocument,
  KeyringError,
  encodeKeyringForEnv,
  generateKeyringDocument,
  loadKeyring,
  readKeyringDocument,
  rotateKeyring,
  rotateKeyringFile,
  writeKeyringFile,
} from './keyring';

// SECURITY.md 15: the key is never in the repository and can be rotated.

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'liudong-keyring-'));
const newDocument = () => KeyringDocument.parse(JSON.parse(generateKeyringDocument()));
const writeJson = (dir: string, name: string, value: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
  return file;
};

/** Every key string of a document, for checks that an error message leaks none of them. */
const materialOf = (doc: KeyringDocument) => [...Object.values(doc.keys), doc.blindIndexKey];

/** No key, and no 8-character piece of one, appears in the text. */
const expectNoKeyMaterial = (text: string, keys: string[]) => {
  for (const key of keys) {
    for (let i = 0; i + 8 <= key.length; i++) expect(text).not.toContain(key.slice(i, i + 8));
  }
};

describe('embedded keyring in DATA_DIR', () => {
  it('is created on first use with mode 0600 and reused, unchanged, afterwards', () => {
    const dataDir = path.join(tmp(), 'data');
    const first = loadKeyring({ env: {}, dataDir, embedded: true });
    const file = path.join(dataDir, 'keyring.json');
    expect(first.source).toEqual({ kind: 'embedded', path: file, created: true });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir)).toEqual(['keyring.json']); // no temp file left behind
    expect(first.activeKeyId).toBe('k1');
    expect(first.keys).toHaveLength(1);
    expect(first.keys[0]!.key).toHaveLength(32);
    expect(first.blindIndexKey).toHaveLength(32);
    expect(first.blindIndexKey.equals(first.keys[0]!.key)).toBe(false);

    const second = loadKeyring({ env: {}, dataDir, embedded: true });
    expect(second.source).toEqual({ kind: 'embedded', path: file, created: false });
    expect(second.keys[0]!.key.equals(first.keys[0]!.key)).toBe(true);
    expect(second.blindIndexKey.equals(first.blindIndexKey)).toBe(true);

    const stored = createFieldCipher(first).encrypt('13812345678', 'member.phone');
    expect(createFieldCipher(second).decrypt(stored, 'member.phone')).toBe('13812345678');
  });

  it('a broken keyring file is reported, never replaced by fresh keys', () => {
    const dataDir = tmp();
    fs.writeFileSync(path.join(dataDir, 'keyring.json'), '{"active":');
    expect(() => loadKeyring({ env: {}, dataDir, embedded: true })).toThrow(
      /keyring\.json 无效：不是合法的 JSON 文档/,
    );
    expect(fs.readFileSync(path.join(dataDir, 'keyring.json'), 'utf8')).toBe('{"active":');
  });
});

describe('configured keyring sources', () => {
  it('without configuration, PostgreSQL refuses to start and says how to configure a key', () => {
    const dataDir = tmp();
    for (const env of [{}, { LIUDONG_KEYRING: '', LIUDONG_KEYRING_FILE: ' ' }]) {
      const load = () => loadKeyring({ env, dataDir, embedded: false });
      expect(load).toThrow(KeyringError);
      expect(load).toThrow(/未配置字段加密密钥.*LIUDONG_KEYRING.*liudong keyring-generate/s);
    }
    expect(fs.readdirSync(dataDir)).toEqual([]); // nothing generated for a server database
  });

  it('LIUDONG_KEYRING wins over LIUDONG_KEYRING_FILE, which wins over DATA_DIR', () => {
    const dir = tmp();
    const fromEnv = newDocument();
    const fromFile = newDocument();
    const file = writeJson(dir, 'keys.json', fromFile);
    const dataDir = path.join(dir, 'data');

    const both = loadKeyring({
      env: { LIUDONG_KEYRING: encodeKeyringForEnv(fromEnv), LIUDONG_KEYRING_FILE: file },
      dataDir,
      embedded: true,
    });
    expect(both.source).toEqual({ kind: 'env' });
    expect(both.keys[0]!.key.toString('base64')).toBe(fromEnv.keys.k1);
    expect(both.blindIndexKey.toString('base64')).toBe(fromEnv.blindIndexKey);

    const fileOnly = loadKeyring({ env: { LIUDONG_KEYRING_FILE: file }, dataDir, embedded: true });
    expect(fileOnly.source).toEqual({ kind: 'file', path: file });
    expect(fileOnly.keys[0]!.key.toString('base64')).toBe(fromFile.keys.k1);
    expect(fs.existsSync(dataDir)).toBe(false); // no embedded keyring made on the side
  });

  it('accepts a line-wrapped base64 value, as `base64` prints it', () => {
    const doc = newDocument();
    const wrapped = encodeKeyringForEnv(doc).replace(/(.{76})/g, '$1\n');
    const keyring = loadKeyring({
      env: { LIUDONG_KEYRING: wrapped },
      dataDir: tmp(),
      embedded: false,
    });
    expect(keyring.blindIndexKey.toString('base64')).toBe(doc.blindIndexKey);
  });

  it('names a missing keyring file', () => {
    const file = path.join(tmp(), 'absent.json');
    expect(() =>
      loadKeyring({ env: { LIUDONG_KEYRING_FILE: file }, dataDir: tmp(), embedded: false }),
    ).toThrow(`找不到密钥环文件 ${file}`);
  });
});

describe('malformed keyring documents', () => {
  const good = newDocument();
  const short = Buffer.from(good.keys.k1!, 'base64').subarray(0, 31).toString('base64');
  const cases: [string, unknown, RegExp][] = [
    ['not an object', [good.keys.k1], /应为 JSON 对象/],
    [
      'key of 31 bytes',
      { ...good, keys: { k1: short } },
      /keys\.k1：应为 base64 编码的 32 字节密钥/,
    ],
    [
      'key with stray characters',
      { ...good, keys: { k1: `${good.keys.k1!.slice(0, 43)}!` } },
      /keys\.k1：应为 base64 编码的 32 字节密钥/,
    ],
    ['missing active', { keys: good.keys, blindIndexKey: good.blindIndexKey }, /active：/],
    ['active not among the keys', { ...good, active: 'k2' }, /active：指定的活动密钥不在 keys 中/],
    ['no keys', { ...good, keys: {} }, /keys：至少需要一个加密密钥/],
    [
      'blind index key equal to an encryption key',
      { ...good, blindIndexKey: good.keys.k1 },
      /blindIndexKey：盲索引密钥不得与任何加密密钥相同/,
    ],
    [
      'key material pasted as a key id',
      { ...good, keys: { [good.keys.k1!]: good.keys.k1 } },
      /keys\.<无效的名称>：密钥编号只能包含/,
    ],
    ['unknown field', { ...good, blindindexkey: good.blindIndexKey }, /不认识的字段/],
  ];

  it.each(cases)('%s: a clear message that contains no key material', (_, doc, message) => {
    const dir = tmp();
    const file = writeJson(dir, 'bad.json', doc);
    const viaFile = () =>
      loadKeyring({ env: { LIUDONG_KEYRING_FILE: file }, dataDir: dir, embedded: false });
    const viaEnv = () =>
      loadKeyring({
        env: { LIUDONG_KEYRING: Buffer.from(JSON.stringify(doc)).toString('base64') },
        dataDir: dir,
        embedded: false,
      });
    for (const load of [viaFile, viaEnv]) {
      expect(load).toThrow(KeyringError);
      expect(load).toThrow(message);
      try {
        load();
      } catch (error) {
        expectNoKeyMaterial((error as Error).message, materialOf(good));
      }
    }
  });

  it('invalid JSON: the parser’s message, which quotes the text, is not passed on', () => {
    const dir = tmp();
    const text = JSON.stringify(good).replace('"blindIndexKey"', 'blindIndexKey');
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, text);
    const load = () =>
      loadKeyring({ env: { LIUDONG_KEYRING_FILE: file }, dataDir: dir, embedded: false });
    expect(load).toThrow(`密钥环文件 ${file} 无效：不是合法的 JSON 文档`);
    try {
      load();
    } catch (error) {
      expectNoKeyMaterial((error as Error).message, materialOf(good));
    }
  });

  it('an environment value that is not base64 (e.g. raw JSON) is named as such', () => {
    expect(() =>
      loadKeyring({
        env: { LIUDONG_KEYRING: JSON.stringify(good) },
        dataDir: tmp(),
        embedded: false,
      }),
    ).toThrow('环境变量 LIUDONG_KEYRING 无效：应为密钥环 JSON 文档的 base64 编码');
  });
});

describe('key rotation', () => {
  it('adds k<n+1> as the active key and keeps the old keys and the blind index key', () => {
    const doc = newDocument();
    const once = rotateKeyring(doc);
    expect(once.active).toBe('k2');
    expect(Object.keys(once.keys)).toEqual(['k1', 'k2']);
    expect(once.keys.k1).toBe(doc.keys.k1);
    expect(once.keys.k2).not.toBe(doc.keys.k1);
    expect(once.blindIndexKey).toBe(doc.blindIndexKey);
    expect(rotateKeyring(once).active).toBe('k3');
    // After the re-encryption job has retired k1, numbering continues after the highest id.
    const { k1: _retired, ...rest } = rotateKeyring(once).keys;
    expect(rotateKeyring({ ...once, active: 'k3', keys: rest }).active).toBe('k4');
    expect(doc.active).toBe('k1'); // the input is not modified
  });

  it('rotates a keyring file in place, atomically and 0600, old values still readable', () => {
    const dir = tmp();
    const doc = newDocument();
    const file = writeJson(dir, 'keys.json', doc);
    fs.chmodSync(file, 0o644);
    const opts = { env: { LIUDONG_KEYRING_FILE: file }, dataDir: dir, embedded: false };
    const stored = createFieldCipher(loadKeyring(opts)).encrypt('13812345678', 'member.phone');

    const rotated = rotateKeyringFile(file);
    expect(rotated.active).toBe('k2');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['keys.json']); // no temp or lock file left
    const reloaded = createFieldCipher(loadKeyring(opts));
    expect(reloaded.activeKeyId).toBe('k2');
    expect(reloaded.decrypt(stored, 'member.phone')).toBe('13812345678');
    expect(readKeyringDocument(opts).document).toEqual(rotated);
  });

  it('refuses a second rotation while one holds the lock', () => {
    const dir = tmp();
    const file = writeJson(dir, 'keys.json', newDocument());
    fs.writeFileSync(`${file}.lock`, '');
    expect(() => rotateKeyringFile(file)).toThrow(/另一个密钥轮换正在进行/);
    expect(KeyringDocument.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).active).toBe('k1');
  });

  it('writes only valid documents', () => {
    const file = path.join(tmp(), 'keys.json');
    const doc = newDocument();
    expect(() => writeKeyringFile(file, { ...doc, active: 'k7' })).toThrow(KeyringError);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('generated documents and loaded keyrings', () => {
  it('generateKeyringDocument gives a valid document with fresh keys each time', () => {
    const a = newDocument();
    const b = newDocument();
    expect(a.active).toBe('k1');
    expect(a.keys.k1).not.toBe(b.keys.k1);
    expect(a.blindIndexKey).not.toBe(b.blindIndexKey);
  });

  it('a keyring printed or serialized by accident shows no key bytes', () => {
    const doc = newDocument();
    const keyring = loadKeyring({
      env: { LIUDONG_KEYRING: encodeKeyringForEnv(doc) },
      dataDir: tmp(),
      embedded: false,
    });
    const hex = [...keyring.keys.map((k) => k.key), keyring.blindIndexKey].map((k) =>
      k.toString('hex'),
    );
    for (const text of [JSON.stringify(keyring), inspect(keyring), inspect({ keyring })]) {
      expect(text).toContain('k1');
      expectNoKeyMaterial(text, [...materialOf(doc), ...hex]);
      expect(text).not.toMatch(/<Buffer/);
    }
  });
});
