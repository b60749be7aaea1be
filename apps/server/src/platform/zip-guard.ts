import { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { AppError } from './errors';

/**
 * Checks an uploaded .xlsx (a ZIP container) BEFORE anything parses it (SECURITY.md 24): size,
 * magic number, the central directory (entry count, zip-slip names, declared sizes, overlapping
 * entries), macros, and finally the real inflated size of every entry, counted by a streaming
 * inflate that stops as soon as a limit is passed. Headers can lie (a zip bomb declares a few
 * bytes and inflates to gigabytes), so the declared sizes are only a first filter; memory stays
 * constant whatever the entries claim or contain.
 *
 * The whole file is in memory (it is at most `maxFileBytes`), so entries are read by offset from
 * the central directory, the way every other ZIP reader does it, never by scanning local headers.
 */

export interface ZipLimits {
  /** The upload itself (the route's body limit is the same number). */
  maxFileBytes: number;
  maxEntries: number;
  /** Sum of the inflated sizes of all entries, declared and actual. */
  maxTotalUncompressed: number;
}

export const XLSX_LIMITS: ZipLimits = {
  maxFileBytes: 25 * 1024 * 1024,
  // Real workbooks have 10–50 parts; a few hundred with many sheets, images and comments.
  maxEntries: 1000,
  // A 100,000-row roster inflates to about 65 MB; a full 25 MB file of text to about 300 MB.
  maxTotalUncompressed: 512 * 1024 * 1024,
};

export type ZipRejectReason =
  | 'too_large'
  | 'empty'
  | 'not_xlsx'
  | 'legacy_or_encrypted'
  | 'corrupt'
  | 'zip64'
  | 'too_many_entries'
  | 'too_large_uncompressed'
  | 'unsafe_path'
  | 'encrypted_entry'
  | 'unsupported_compression'
  | 'macro'
  | 'not_spreadsheet';

const MB = 1024 * 1024;

/** Every rejection is a 400 with a message that says what is wrong and what to do. */
export function zipRejected(reason: ZipRejectReason, message: string): AppError {
  return new AppError('validation_failed', message, { reason });
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc32: number;
  compressedSize: number;
  /** As declared by the central directory; `guardXlsx` has checked it is the real size. */
  size: number;
  localHeaderOffset: number;
  /** Where the compressed bytes start (after the local header, its name and extra field). */
  dataOffset: number;
}

export interface ZipDirectory {
  entries: Map<string, ZipEntry>;
  /** Sum of the declared inflated sizes. */
  totalSize: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const CORRUPT = '文件已损坏或不是有效的 .xlsx 文件，请用 Excel 或 WPS 打开后另存为 .xlsx 再导入';
const MACRO = '文件包含宏，请另存为 .xlsx（Excel 工作簿）后再导入';

function findEndOfCentralDirectory(buf: Buffer): number {
  const stop = Math.max(0, buf.length - EOCD_SIZE - 0xffff);
  for (let i = buf.length - EOCD_SIZE; i >= stop; i--) {
    if (buf.readUInt32LE(i) === SIG_EOCD && i + EOCD_SIZE + buf.readUInt16LE(i + 20) <= buf.length)
      return i;
  }
  return -1;
}

/**
 * Zip-slip (SECURITY.md 24): a name that would leave the extraction directory, or that means
 * different things on different systems, is refused even though we never extract to disk — a
 * file with such names was made to attack something.
 */
export function isUnsafeEntryName(name: string): boolean {
  if (name === '' || name.includes('\0') || name.includes('\\')) return true;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return true;
  return name.split('/').some((segment) => segment === '..');
}

/**
 * The structural checks, without inflating anything: magic number, end of central directory,
 * entry count, names, flags, methods, declared sizes, and that every local header is where the
 * directory says, carries the same name, and that no two entries overlap.
 */
export function inspectZip(buf: Buffer, limits: ZipLimits = XLSX_LIMITS): ZipDirectory {
  if (buf.length === 0) throw zipRejected('empty', '文件为空');
  if (buf.length > limits.maxFileBytes)
    throw zipRejected(
      'too_large',
      `文件超过 ${Math.round(limits.maxFileBytes / MB)} MB，请拆分后再导入`,
    );
  if (buf.length >= 8 && buf.subarray(0, 8).equals(OLE2_MAGIC)) {
    throw zipRejected(
      'legacy_or_encrypted',
      '这是旧版 .xls 文件或设置了打开密码的文件，请取消密码并另存为 .xlsx 后再导入',
    );
  }
  if (buf.length < LOCAL_SIZE || buf.readUInt32LE(0) !== SIG_LOCAL)
    throw zipRejected('not_xlsx', '文件不是 .xlsx 格式（文件头不符），请另存为 .xlsx 后再导入');

  const eocd = findEndOfCentralDirectory(buf);
  if (eocd < 0) throw zipRejected('corrupt', CORRUPT);
  const diskNo = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const onDisk = buf.readUInt16LE(eocd + 8);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (
    count === 0xffff ||
    cdSize === 0xffffffff ||
    cdOffset === 0xffffffff ||
    (eocd >= 20 && buf.readUInt32LE(eocd - 20) === SIG_ZIP64_LOCATOR)
  ) {
    // A workbook under the size limit never needs ZIP64; its 64-bit sizes are a bomb's tool.
    throw zipRejected('zip64', CORRUPT);
  }
  if (diskNo !== 0 || cdDisk !== 0 || onDisk !== count) throw zipRejected('corrupt', CORRUPT);
  if (count > limits.maxEntries)
    throw zipRejected(
      'too_many_entries',
      `文件内部包含的部件过多（${count} 个，上限 ${limits.maxEntries} 个），不像正常的 Excel 工作簿`,
    );
  if (count === 0 || cdOffset + cdSize > eocd) throw zipRejected('corrupt', CORRUPT);

  const entries = new Map<string, ZipEntry>();
  let totalSize = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + CENTRAL_SIZE > cdOffset + cdSize || buf.readUInt32LE(p) !== SIG_CENTRAL)
      throw zipRejected('corrupt', CORRUPT);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc32 = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localHeaderOffset = buf.readUInt32LE(p + 42);
    const nameEnd = p + CENTRAL_SIZE + nameLen;
    if (nameEnd + extraLen + commentLen > cdOffset + cdSize) throw zipRejected('corrupt', CORRUPT);
    // Bit 11: UTF-8 names. Parts of a workbook have ASCII names either way.
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + CENTRAL_SIZE, nameEnd);
    p = nameEnd + extraLen + commentLen;

    if (isUnsafeEntryName(name))
      throw zipRejected('unsafe_path', '文件内部包含异常的路径（可能是恶意构造的文件），已拒绝');
    if (entries.has(name)) throw zipRejected('corrupt', CORRUPT);
    if (flags & 0x41) throw zipRejected('encrypted_entry', '文件已加密，请取消密码后再导入');
    if (method !== 0 && method !== 8) throw zipRejected('unsupported_compression', CORRUPT);
    if (compressedSize === 0xffffffff || size === 0xffffffff) throw zipRejected('zip64', CORRUPT);
    if (method === 0 && compressedSize !== size) throw zipRejected('corrupt', CORRUPT);
    totalSize += size;
    if (totalSize > limits.maxTotalUncompressed)
      throw zipRejected(
        'too_large_uncompressed',
        `文件解压后超过 ${Math.round(limits.maxTotalUncompressed / MB)} MB，请拆分后再导入`,
      );

    if (
      localHeaderOffset + LOCAL_SIZE > cdOffset ||
      buf.readUInt32LE(localHeaderOffset) !== SIG_LOCAL
    )
      throw zipRejected('corrupt', CORRUPT);
    const localNameLen = buf.readUInt16LE(localHeaderOffset + 26);
    const localExtraLen = buf.readUInt16LE(localHeaderOffset + 28);
    const localName = buf.toString(
      flags & 0x800 ? 'utf8' : 'latin1',
      localHeaderOffset + LOCAL_SIZE,
      localHeaderOffset + LOCAL_SIZE + localNameLen,
    );
    // A local name that differs from the directory's shows one file to one reader and another
    // to the next (a known way to smuggle content past a check).
    if (localName !== name) throw zipRejected('corrupt', CORRUPT);
    const dataOffset = localHeaderOffset + LOCAL_SIZE + localNameLen + localExtraLen;
    if (dataOffset + compressedSize > cdOffset) throw zipRejected('corrupt', CORRUPT);
    entries.set(name, {
      name,
      method,
      crc32,
      compressedSize,
      size,
      localHeaderOffset,
      dataOffset,
    });
  }

  // Overlapping entries reuse one compressed stream many times (the "better zip bomb").
  const byOffset = [...entries.values()].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1]!;
    if (prev.dataOffset + prev.compressedSize > byOffset[i]!.localHeaderOffset)
      throw zipRejected('corrupt', CORRUPT);
  }
  return { entries, totalSize };
}

const INFLATE_CHUNK = 16 * 1024;

/**
 * The inflated bytes of one entry as a stream, never more than its declared size: a lying header
 * ends the stream with an error instead of inflating further (defence in depth after the guard).
 */
export function entryStream(buf: Buffer, entry: ZipEntry): Readable {
  const compressed = buf.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) {
    // Stored (not compressed): handed out in pieces, like an inflate would.
    return Readable.from(
      (function* () {
        for (let i = 0; i < compressed.length; i += INFLATE_CHUNK)
          yield compressed.subarray(i, i + INFLATE_CHUNK);
      })(),
    );
  }
  let produced = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      produced += chunk.length;
      if (produced > entry.size) done(zipRejected('too_large_uncompressed', CORRUPT));
      else done(null, chunk);
    },
  });
  const inflate = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK });
  inflate.on('error', (err) => cap.destroy(err));
  cap.on('close', () => inflate.destroy());
  inflate.pipe(cap);
  inflate.end(compressed);
  return cap;
}

/** A small part (workbook.xml, rels, content types) as text, refused past `maxBytes`. */
export async function readEntryText(buf: Buffer, entry: ZipEntry, maxBytes: number) {
  if (entry.size > maxBytes) throw zipRejected('too_large_uncompressed', CORRUPT);
  const chunks: Buffer[] = [];
  for await (const chunk of entryStream(buf, entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Inflates one entry only to count its bytes and check its CRC, stopping at once past its
 * declared size or past the remaining budget: memory is one chunk, whatever the entry holds.
 */
function measureEntry(buf: Buffer, entry: ZipEntry, budget: number): Promise<number> {
  const compressed = buf.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) {
    if (zlib.crc32(compressed) !== entry.crc32)
      return Promise.reject(zipRejected('corrupt', CORRUPT));
    return Promise.resolve(compressed.length);
  }
  return new Promise((resolve, reject) => {
    const inflate = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK });
    let produced = 0;
    let crc = 0;
    let settled = false;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      inflate.destroy();
      reject(err);
    };
    inflate.on('data', (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > entry.size || produced > budget) {
        // The header said less than this (or the whole file is past the limit): a zip bomb.
        fail(
          zipRejected(
            'too_large_uncompressed',
            '文件解压后的实际大小与声明不符或超过上限（疑似“压缩炸弹”），已拒绝',
          ),
        );
        return;
      }
      crc = zlib.crc32(chunk, crc);
    });
    inflate.on('error', () => fail(zipRejected('corrupt', CORRUPT)));
    inflate.on('end', () => {
      if (settled) return;
      settled = true;
      if (produced !== entry.size || crc !== entry.crc32) reject(zipRejected('corrupt', CORRUPT));
      else resolve(produced);
    });
    inflate.end(compressed);
  });
}

const SPREADSHEET_MAIN = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml',
];
/** Macro parts by name: VBA projects, Excel 4.0 macro sheets, Excel 5 dialog sheets. */
const MACRO_PART = /(^|\/)vbaProject\.bin$|^xl\/macrosheets\/|^xl\/dialogsheets\//i;
const MACRO_CONTENT_TYPE = /macroEnabled|vbaProject|macrosheet|vnd\.ms-office\.activeX/i;

/**
 * The whole gate for an uploaded workbook (SECURITY.md 24), in the order of cost: the file name,
 * the structure (no inflation), macro parts by name, the content types (one small part), then
 * every entry inflated and counted. Returns the directory the reader then uses.
 */
export async function guardXlsx(
  buf: Buffer,
  fileName: string,
  limits: ZipLimits = XLSX_LIMITS,
): Promise<ZipDirectory> {
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(fileName.trim())?.[1]?.toLowerCase() ?? '';
  if (['xlsm', 'xltm', 'xlam'].includes(ext)) throw zipRejected('macro', MACRO);
  if (ext === 'xls' || ext === 'et')
    throw zipRejected('legacy_or_encrypted', '不支持旧版 .xls 文件，请另存为 .xlsx 后再导入');
  if (ext !== 'xlsx' && ext !== 'xltx')
    throw zipRejected('not_xlsx', '只能导入 .xlsx 格式的 Excel 文件');

  const dir = inspectZip(buf, limits);
  for (const name of dir.entries.keys())
    if (MACRO_PART.test(name)) throw zipRejected('macro', MACRO);

  const types = dir.entries.get('[Content_Types].xml');
  if (!types) throw zipRejected('not_spreadsheet', CORRUPT);
  const typesXml = await readEntryText(buf, types, MB);
  if (MACRO_CONTENT_TYPE.test(typesXml)) throw zipRejected('macro', MACRO);
  if (!SPREADSHEET_MAIN.some((t) => typesXml.includes(t)))
    throw zipRejected(
      'not_spreadsheet',
      '文件不是 Excel 工作簿（可能是 Word、PowerPoint 或其他文件改了扩展名）',
    );

  let remaining = limits.maxTotalUncompressed;
  for (const entry of dir.entries.values()) remaining -= await measureEntry(buf, entry, remaining);
  return dir;
}
