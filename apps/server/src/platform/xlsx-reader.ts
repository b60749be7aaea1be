import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import { excelSerialToDate } from '@liudong/domain';
import { AppError } from './errors';
import {
  entryStream,
  readEntryText,
  zipRejected,
  type ZipDirectory,
  type ZipEntry,
} from './zip-guard';

/**
 * A streaming reader of .xlsx worksheets for imports (issue 3 §6), over a file that
 * platform/zip-guard.ts has already checked. Rows come one at a time with merged areas filled
 * from their top-left cell; memory holds the shared-string table and one chunk of sheet XML.
 *
 * Why not exceljs's streaming WorkbookReader (exceljs stays our writer): version 4.4 decodes each
 * inflated chunk with TextDecoder without `stream: true`, so a Chinese character split across two
 * chunks turns into U+FFFD — measured on a 100,000-row roster: 87 corrupted names and addresses.
 * It also spills worksheets that precede sharedStrings.xml in the ZIP (Excel's own order) into
 * plain temporary files, parses numbers with parseFloat (an 18-digit number written by a program
 * loses its last digits), and emits rows before it reaches <mergeCells>.
 */

export class SheetDate {
  /** Whole days in Excel's 1900 date system (1904 workbooks are converted). */
  constructor(readonly serial: number) {}
}
/** An integer written with more digits than a double holds, kept exactly as written. */
export class SheetLongNumber {
  constructor(readonly digits: string) {}
}
/** A formula error value such as #N/A or #REF!. */
export class SheetError {
  constructor(readonly code: string) {}
}
export type CellValue = string | number | boolean | SheetDate | SheetLongNumber | SheetError;

export interface SheetRow {
  /** 1-based row number as Excel shows it. */
  row: number;
  /** By 0-based column index; holes are empty cells. */
  cells: (CellValue | undefined)[];
  /** Columns whose value was copied from a merged area's top-left cell (not typed in this row). */
  filled: number[] | null;
}

export interface WorkbookSheet {
  name: string;
  hidden: boolean;
  path: string;
}

export interface XlsxWorkbook {
  sheets: WorkbookSheet[];
  /**
   * The rows of a sheet that hold at least one value of their own, in order. Breaking out of
   * the loop stops the inflation. `merges` (from `merges()` earlier) saves the extra pass.
   */
  rows(sheet: WorkbookSheet, opts?: { merges?: MergeRange[] | null }): AsyncGenerator<SheetRow>;
  /**
   * How many rows below row `after` hold a value of their own in one of `columns` (in any
   * column when null): the rows `rows()` gives that pass that test, counted without making
   * their values (an upload's pass over the whole sheet).
   */
  countRows(
    sheet: WorkbookSheet,
    opts: { after: number; columns: readonly number[] | null },
  ): Promise<number>;
  /** The merged areas of a sheet (one pass over its XML). */
  merges(sheet: WorkbookSheet): Promise<MergeRange[]>;
}

/** Columns beyond this are ignored (a roster has a few dozen; Excel allows 16,384). */
export const MAX_COLUMNS = 512;
const MAX_CELL_TEXT = 32_767; // Excel's own limit per cell
const MAX_SHARED_STRINGS_BYTES = 100 * 1024 * 1024;
const MAX_SMALL_PART = 10 * 1024 * 1024;

const unreadable = () =>
  new AppError(
    'validation_failed',
    '工作簿内容无法读取（文件可能已损坏），请用 Excel 或 WPS 打开后另存为 .xlsx 再导入',
    { reason: 'corrupt' },
  );

// ---------------------------------------------------------------------------------------------
// XML: a small streaming tokenizer for the machine-written parts of a workbook. No DTDs (a
// DOCTYPE is refused, so no entity can expand), the five predefined entities and character
// references, CDATA, comments and processing instructions skipped, namespace prefixes dropped.

interface XmlHandler {
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  text(value: string): void;
  /**
   * Optional shortcut, offered every start tag: a handler that recognises the whole element at
   * `lt` (complete in `s`) may consume it at once, with exactly the effect its events would
   * have had, and return the index just past it; -1 declines (the events follow as usual).
   */
  element?(s: string, lt: number): number;
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (_m, e: string) => {
    if (e.charCodeAt(0) !== 35) return NAMED[e]!;
    const code = e.charCodeAt(1) === 120 ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** OOXML escapes control characters in strings as _xHHHH_ (ECMA-376 ST_Xstring). */
function decodeXstring(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

const ATTR = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/**
 * One attribute's value without building the whole map (the hot path: three per cell). Matches
 * the name only as a whole attribute name, with or without a namespace prefix.
 */
export function attrOf(raw: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const at = raw.indexOf(name, from);
    if (at < 0) return undefined;
    from = at + 1;
    const before = at === 0 ? 32 : raw.charCodeAt(at - 1);
    if (before > 32 && before !== 58) continue;
    let k = at + name.length;
    while (raw.charCodeAt(k) <= 32 && k < raw.length) k++;
    if (raw.charCodeAt(k) !== 61 /* = */) continue;
    k++;
    while (raw.charCodeAt(k) <= 32 && k < raw.length) k++;
    const q = raw.charCodeAt(k);
    if (q !== 34 && q !== 39) return undefined;
    const end = raw.indexOf(q === 34 ? '"' : "'", k + 1);
    return end < 0 ? undefined : decodeXml(raw.slice(k + 1, end));
  }
}

export function parseAttrs(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  ATTR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ATTR.exec(raw))) out[localName(m[1]!)] = decodeXml(m[2] ?? m[3] ?? '');
  return out;
}

const LONG_TEXT = 1024 * 1024;

/**
 * The '>' that ends the tag opened at `lt` (a '>' inside a quoted attribute value does not), or
 * -1 when the tag runs on into the next chunk. Searches with indexOf: tags are short.
 */
function tagEnd(s: string, lt: number): number {
  let pos = lt + 1;
  for (;;) {
    const gt = s.indexOf('>', pos);
    if (gt < 0) return -1;
    let q = -1;
    for (let k = pos; k < gt; k++) {
      const c = s.charCodeAt(k);
      if (c === 34 || c === 39) {
        q = k;
        break;
      }
    }
    if (q < 0) return gt;
    const close = s.indexOf(s.charAt(q), q + 1);
    if (close < 0) return -1;
    pos = close + 1;
  }
}

export class XmlScanner {
  private buf = '';
  constructor(private readonly h: XmlHandler) {}

  write(chunk: string) {
    // Joined into one flat string (`+` makes a rope, slower to index at every character).
    this.buf = this.buf.length > 0 ? [this.buf, chunk].join('') : chunk;
    this.run();
  }

  end() {
    this.run();
    if (this.buf.trim() !== '') throw unreadable();
  }

  private run() {
    const s = this.buf;
    const n = s.length;
    let i = 0;
    while (i < n) {
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        // Text running on into the next chunk. A very long text node is passed on in pieces
        // (cut before an entity that may be incomplete) so the buffer stays small.
        if (n - i > LONG_TEXT) {
          const amp = s.lastIndexOf('&');
          const cut = amp > i ? amp : n;
          this.h.text(decodeXml(s.slice(i, cut)));
          i = cut;
        }
        break;
      }
      if (lt > i) this.h.text(decodeXml(s.slice(i, lt)));
      i = lt;
      if (lt + 1 >= n) break;
      const c1 = s.charCodeAt(lt + 1);
      if (c1 === 33 /* ! */) {
        // Too short yet to tell a comment from CDATA or a declaration: wait for more.
        if (n - lt < 9 && !s.startsWith('<!--', lt)) break;
        if (s.startsWith('<!--', lt)) {
          const end = s.indexOf('-->', lt + 4);
          if (end < 0) break;
          i = end + 3;
          continue;
        }
        if (s.startsWith('<![CDATA[', lt)) {
          const end = s.indexOf(']]>', lt + 9);
          if (end < 0) break;
          this.h.text(s.slice(lt + 9, end));
          i = end + 3;
          continue;
        }
        // <!DOCTYPE …>: no workbook part has one; refusing it rules out entity expansion.
        throw unreadable();
      }
      if (c1 === 63 /* ? */) {
        const end = s.indexOf('?>', lt + 2);
        if (end < 0) break;
        i = end + 2;
        continue;
      }
      if (c1 !== 47 /* / */ && this.h.element) {
        const end = this.h.element(s, lt);
        if (end >= 0) {
          i = end;
          continue;
        }
      }
      const j = tagEnd(s, lt);
      if (j < 0) break;
      if (c1 === 47 /* / */) {
        this.h.close(localName(s.slice(lt + 2, j).trim()));
      } else {
        const selfClosing = s.charCodeAt(j - 1) === 47;
        const stop = selfClosing ? j - 1 : j;
        let k = lt + 1;
        while (k < stop && s.charCodeAt(k) > 32) k++;
        const name = localName(s.slice(lt + 1, k));
        this.h.open(name, k < stop ? s.slice(k, stop) : '', selfClosing);
        if (selfClosing) this.h.close(name);
      }
      i = j + 1;
    }
    this.buf = i < n ? s.slice(i) : '';
  }
}

/** The size of the pieces zip-guard's entryStream hands out. */
const PIECE = 16 * 1024;
/** Inflated four pieces at a time: a tenth of a large sheet's reading went to the stream's steps. */
const INFLATE_CHUNK = 4 * PIECE;

/**
 * An entry's inflated bytes in exactly the pieces of zip-guard's entryStream, and with its limit
 * (never more than the declared size, which the upload's guard checked is the real one; past it,
 * the same refusal at the same piece), but inflated in larger steps.
 */
async function* entryPieces(buf: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
  if (entry.method !== 8) {
    const stream = entryStream(buf, entry);
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } finally {
      stream.destroy();
    }
    return;
  }
  const inflate = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK });
  inflate.end(buf.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize));
  let produced = 0;
  try {
    for await (const chunk of inflate) {
      const bytes = chunk as Buffer;
      for (let at = 0; at < bytes.length; at += PIECE) {
        const piece = bytes.subarray(at, at + PIECE);
        produced += piece.length;
        if (produced > entry.size)
          // entryStream's refusal, word for word.
          throw zipRejected(
            'too_large_uncompressed',
            '文件已损坏或不是有效的 .xlsx 文件，请用 Excel 或 WPS 打开后另存为 .xlsx 再导入',
          );
        yield piece;
      }
    }
  } finally {
    inflate.destroy();
  }
}

/** Feeds one entry through a scanner; `stop()` returning true ends the read early. */
async function scanEntry(buf: Buffer, entry: ZipEntry, h: XmlHandler, stop?: () => boolean) {
  const scanner = new XmlScanner(h);
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of entryPieces(buf, entry)) {
      scanner.write(decoder.write(chunk));
      if (stop?.()) return;
    }
    scanner.write(decoder.end());
    scanner.end();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unreadable();
  }
}

// ---------------------------------------------------------------------------------------------
// Workbook structure

function resolveTarget(baseDir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `${baseDir}${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

interface Relationship {
  type: string;
  target: string;
}

async function readRels(buf: Buffer, dir: ZipDirectory, relsPath: string, baseDir: string) {
  const rels = new Map<string, Relationship>();
  const entry = dir.entries.get(relsPath);
  if (!entry) return rels;
  const xml = await readEntryText(buf, entry, MAX_SMALL_PART);
  const scanner = new XmlScanner({
    open(name, attrs) {
      if (name !== 'Relationship') return;
      const a = parseAttrs(attrs);
      if (a.Id && a.Target && a.TargetMode !== 'External')
        rels.set(a.Id, { type: a.Type ?? '', target: resolveTarget(baseDir, a.Target) });
    },
    close() {},
    text() {},
  });
  scanner.write(xml);
  scanner.end();
  return rels;
}

// Built-in number formats that are dates (ECMA-376 §18.8.30, plus the CJK ids 27–36, 50–58).
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
  52, 53, 54, 55, 56, 57, 58,
]);

/** A custom format is a date when, outside quoted text and [colour/locale] sections, it has y/m/d. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .split(';')[0]!;
  if (/^general$/i.test(bare.trim()) || bare.includes('@')) return false;
  return /[ymd]/i.test(bare.replace(/[eE][+-]/g, ''));
}

async function readDateStyles(buf: Buffer, entry: ZipEntry | undefined): Promise<boolean[]> {
  if (!entry) return [];
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  await scanEntry(buf, entry, {
    open(name, attrs) {
      if (name === 'numFmt') {
        const a = parseAttrs(attrs);
        custom.set(Number(a.numFmtId), a.formatCode ?? '');
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfFormats.push(Number(parseAttrs(attrs).numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  return xfFormats.map((id) => {
    const code = custom.get(id);
    return code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id);
  });
}

/** Slots of StringTable's cache of recently read strings. */
const RECENT = 1024;

/**
 * The shared-string table, kept as UTF-8 bytes with offsets rather than as a JS string per entry:
 * a 100,000-row roster holds several hundred thousand distinct strings, and packed they take a
 * third of the memory and nothing for the garbage collector to trace. A cell's string is decoded
 * when its row is read.
 */
export class StringTable {
  private bytes = Buffer.alloc(64 * 1024);
  private ends = new Uint32Array(1024);
  private used = 0;
  private count = 0;
  /** Per string: 1 when it is blank (trims to nothing), for hasText. */
  private blank = new Uint8Array(1024);
  private readonly recentIndex = new Int32Array(RECENT).fill(-1);
  private readonly recentText: string[] = new Array<string>(RECENT);

  get size() {
    return this.count;
  }

  push(text: string) {
    const need = this.used + Buffer.byteLength(text, 'utf8');
    if (need > this.bytes.length) {
      const grown = Buffer.alloc(Math.max(need, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(text, this.used, 'utf8');
    if (this.count === this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
      const blank = new Uint8Array(this.ends.length);
      blank.set(this.blank);
      this.blank = blank;
    }
    this.blank[this.count] = text.trim() === '' ? 1 : 0;
    this.ends[this.count++] = this.used;
  }

  /** Whether `get(i)` gives a string that is not blank, without decoding it. */
  hasText(i: number): boolean {
    return Number.isInteger(i) && i >= 0 && i < this.count && this.blank[i] === 0;
  }

  get(i: number): string | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return undefined;
    // The few values that fill a column (男, 汉族, a branch's name) are decoded once: a small
    // cache by index, each slot holding the last string read there.
    const slot = i & (RECENT - 1);
    if (this.recentIndex[slot] === i) return this.recentText[slot];
    const text = this.bytes.toString('utf8', i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
    this.recentIndex[slot] = i;
    this.recentText[slot] = text;
    return text;
  }
}

async function readSharedStrings(buf: Buffer, entry: ZipEntry | undefined): Promise<StringTable> {
  const table = new StringTable();
  if (!entry) return table;
  if (entry.size > MAX_SHARED_STRINGS_BYTES)
    throw new AppError('validation_failed', '工作簿中的文字内容过多，请拆分后再导入', {
      reason: 'too_large_uncompressed',
    });
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  await scanEntry(buf, entry, {
    open(name, _attrs, selfClosing) {
      if (name === 'si') current = '';
      else if (name === 't' && !selfClosing && phonetic === 0) inText = true;
      else if (name === 'rPh') phonetic++;
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        table.push(decodeXstring(current ?? ''));
        current = null;
      }
    },
    text(value) {
      if (inText && current !== null && current.length < MAX_CELL_TEXT) current += value;
    },
  });
  return table;
}

// ---------------------------------------------------------------------------------------------
// Cell references and merged areas

/** "AB12" → { col: 27 (0-based), row: 12 }; null when it is not a reference. */
export function decodeRef(ref: string): { col: number; row: number } | null {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  if (i === 0 || i > 3) return null;
  let row = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    row = row * 10 + (c - 48);
  }
  return row >= 1 ? { col: col - 1, row } : null;
}

export interface MergeRange {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

/**
 * The merged areas of a sheet. Excel writes <mergeCells> after <sheetData>, so a reader that
 * emits rows as it goes has to know them first: this pass inflates the sheet once more and looks
 * for the one element by plain string search (references are ASCII, so latin1 decoding is exact).
 */
export async function scanMerges(buf: Buffer, entry: ZipEntry): Promise<MergeRange[]> {
  const merges: MergeRange[] = [];
  let carry = '';
  for await (const chunk of entryPieces(buf, entry)) {
    const s = carry + chunk.toString('latin1');
    let from = 0;
    let last = 0;
    for (;;) {
      const at = s.indexOf('mergeCell ', from);
      if (at < 0) break;
      const end = s.indexOf('>', at);
      if (end < 0) break;
      const ref = /ref\s*=\s*["']([^"']+)["']/.exec(s.slice(at, end))?.[1];
      const [a, b] = (ref ?? '').split(':');
      const from1 = a ? decodeRef(a) : null;
      const to1 = b ? decodeRef(b) : from1;
      if (from1 && to1)
        merges.push({
          r1: Math.min(from1.row, to1.row),
          c1: Math.min(from1.col, to1.col),
          r2: Math.max(from1.row, to1.row),
          c2: Math.min(Math.max(from1.col, to1.col), MAX_COLUMNS - 1),
        });
      from = last = end + 1;
    }
    // Keep an unfinished element for the next chunk (an element is far shorter than 512).
    carry = s.slice(Math.max(last, s.length - 512));
  }
  return merges.sort((x, y) => x.r1 - y.r1 || x.c1 - y.c1);
}

// ---------------------------------------------------------------------------------------------
// The cells of a worksheet

/** What a pass over a sheet's cells does with them (build the rows, or only count them). */
interface CellSink {
  /** A row of <sheetData> starts (its number as Excel shows it). */
  startRow(n: number): void;
  /** A cell of the row ends, at a column below MAX_COLUMNS, with its raw parts. */
  cell(col: number, type: string, style: number, vText: string, tText: string): void;
  /** The row ends. */
  endRow(): void;
}

/** The XML handler for a worksheet part: rows and cells in order, to `sink`. */
function sheetCells(sink: CellSink): { handler: XmlHandler; done(): boolean } {
  let inSheetData = false;
  let done = false;
  let lastRow = 0;
  let inRow = false;
  let lastCol = -1;
  // The cell being read.
  let col = -1;
  let type = '';
  let style = -1;
  let capture: 'v' | 't' | null = null;
  let inInline = false;
  let phonetic = 0;
  let vText = '';
  let tText = '';

  /** The end of the cell just read (as `</c>` does below). */
  const endCell = () => {
    if (!inRow || col < 0 || col >= MAX_COLUMNS) return;
    sink.cell(col, type, style, vText, tText);
    col = -1;
  };

  const handler: XmlHandler = {
    /**
     * A cell as Excel, WPS and most writers put it — `<c r="B3" s="5" t="s"><v>14</v></c>`,
     * `<c r="B3" s="5"/>`, `<c r="B3" t="inlineStr"><is><t>文本</t></is></c>` — read in one
     * step instead of six events, which took nearly half the reading time of a large sheet. Only
     * that exact form, between cells of a row and with nothing to decode (no entity, no
     * prefix, attributes r, s, t in that order with plain values), so the effect is exactly
     * that of the events; anything else (formulas, rich text, other attributes) declines.
     */
    element(s, lt) {
      if (!inRow || col !== -1 || capture !== null || inInline || phonetic !== 0) return -1;
      if (!s.startsWith('<c r="', lt)) return -1;
      let k = lt + 6;
      const refEnd = plainValueEnd(s, k, false);
      if (refEnd < 0) return -1;
      const refCol = refColumn(s, k, refEnd);
      k = refEnd + 1;
      let styleText: string | undefined;
      if (s.startsWith(' s="', k)) {
        const end = plainValueEnd(s, k + 4, true);
        if (end < 0) return -1;
        styleText = s.slice(k + 4, end);
        k = end + 1;
      }
      let typeText = '';
      if (s.startsWith(' t="', k)) {
        const end = typeValueEnd(s, k + 4);
        if (end < 0) return -1;
        typeText = s.slice(k + 4, end);
        k = end + 1;
      }
      const cellCol = refCol >= 0 ? refCol : lastCol + 1;
      if (cellCol >= MAX_COLUMNS) return -1;
      let value = '';
      let inline = false;
      let end: number;
      if (s.startsWith('/>', k)) {
        end = k + 2;
      } else if (s.charCodeAt(k) !== 62 /* > */) {
        return -1;
      } else if (s.startsWith('</c>', k + 1)) {
        end = k + 5;
      } else if (s.startsWith('<v>', k + 1)) {
        const close = plainTextEnd(s, k + 4);
        if (close < 0 || !s.startsWith('</v></c>', close)) return -1;
        value = s.slice(k + 4, close);
        end = close + 8;
      } else {
        const from = s.startsWith('<is><t>', k + 1)
          ? k + 8
          : s.startsWith('<is><t xml:space="preserve">', k + 1)
            ? k + 29
            : -1;
        if (from < 0) return -1;
        const close = plainTextEnd(s, from);
        if (close < 0 || !s.startsWith('</t></is></c>', close)) return -1;
        value = s.slice(from, close);
        inline = true;
        end = close + 13;
      }
      col = cellCol;
      lastCol = cellCol;
      type = typeText;
      style = styleText !== undefined ? Number(styleText) : -1;
      vText = inline ? '' : value;
      tText = inline ? value : '';
      if (s.charCodeAt(k) === 47 /* self-closing */) col = -1;
      else endCell();
      return end;
    },
    open(name, attrs, selfClosing) {
      switch (name) {
        case 'sheetData':
          inSheetData = !selfClosing;
          break;
        case 'row': {
          if (!inSheetData) break;
          const r = Number(attrOf(attrs, 'r'));
          const n = Number.isInteger(r) && r > 0 ? r : lastRow + 1;
          lastCol = -1;
          inRow = !selfClosing;
          if (inRow) sink.startRow(n);
          lastRow = n;
          break;
        }
        case 'c': {
          if (!inRow) break;
          const r = attrOf(attrs, 'r');
          const ref = r ? decodeRef(r) : null;
          col = ref ? ref.col : lastCol + 1;
          lastCol = col;
          type = attrOf(attrs, 't') ?? '';
          const s = attrOf(attrs, 's');
          style = s !== undefined ? Number(s) : -1;
          vText = '';
          tText = '';
          if (selfClosing) col = -1;
          break;
        }
        case 'v':
          if (col >= 0 && !selfClosing) capture = 'v';
          break;
        case 'is':
          inInline = col >= 0 && !selfClosing;
          break;
        case 'rPh':
          phonetic++;
          break;
        case 't':
          if (inInline && phonetic === 0 && !selfClosing) capture = 't';
          break;
      }
    },
    close(name) {
      switch (name) {
        case 'v':
        case 't':
          capture = null;
          break;
        case 'is':
          inInline = false;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'c':
          endCell();
          break;
        case 'row':
          if (inRow) sink.endRow();
          inRow = false;
          break;
        case 'sheetData':
          inSheetData = false;
          done = true;
          break;
      }
    },
    text(value) {
      if (capture === 'v') {
        if (vText.length < MAX_CELL_TEXT) vText += value;
      } else if (capture === 't') {
        if (tText.length < MAX_CELL_TEXT) tText += value;
      }
    },
  };
  return { handler, done: () => done };
}

// ---------------------------------------------------------------------------------------------

const LONG_DIGITS = /^\d{16,}$/;

/**
 * The closing quote of an attribute value starting at `from` if it is plain — only A–Z and
 * 0–9 (a cell reference), or only digits (a style) — so that nothing needs decoding and a
 * search for another attribute's name cannot stop inside it; else -1.
 */
function plainValueEnd(s: string, from: number, digitsOnly: boolean): number {
  for (let k = from; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 48 && c <= 57) continue;
    if (c === 34 /* " */) return k;
    if (digitsOnly || c < 65 || c > 90) return -1;
  }
  return -1;
}

/**
 * decodeRef(s.slice(from, end))?.col ?? -1 for a reference of A–Z and 0–9 (as plainValueEnd
 * passes it), without making the string and the object: it runs for every cell.
 */
function refColumn(s: string, from: number, end: number): number {
  let col = 0;
  let i = from;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  if (i === from || i - from > 3) return -1;
  let row = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    row = row * 10 + (c - 48);
  }
  return row >= 1 ? col - 1 : -1;
}

/** The same for a cell type (letters only: s, str, inlineStr, b, e, n, d). */
function typeValueEnd(s: string, from: number): number {
  for (let k = from; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) continue;
    return c === 34 ? k : -1;
  }
  return -1;
}

/** The '<' ending a text that has no entity to decode; -1 if there is one or it runs on. */
function plainTextEnd(s: string, from: number): number {
  const lt = s.indexOf('<', from);
  if (lt < 0) return -1;
  for (let k = from; k < lt; k++) if (s.charCodeAt(k) === 38 /* & */) return -1;
  return lt;
}

function isEmptyValue(v: CellValue | undefined): boolean {
  return v === undefined || (typeof v === 'string' && v.trim() === '');
}

export async function openXlsx(buf: Buffer, dir: ZipDirectory): Promise<XlsxWorkbook> {
  const rootRels = await readRels(buf, dir, '_rels/.rels', '');
  const bookPath =
    [...rootRels.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ??
    'xl/workbook.xml';
  const bookEntry = dir.entries.get(bookPath);
  if (!bookEntry) throw unreadable();
  const slash = bookPath.lastIndexOf('/');
  const bookDir = slash >= 0 ? bookPath.slice(0, slash + 1) : '';
  const rels = await readRels(
    buf,
    dir,
    `${bookDir}_rels/${bookPath.slice(slash + 1)}.rels`,
    bookDir,
  );

  const sheets: WorkbookSheet[] = [];
  let date1904 = false;
  const xml = await readEntryText(buf, bookEntry, MAX_SMALL_PART);
  const scanner = new XmlScanner({
    open(name, attrs) {
      if (name === 'workbookPr') {
        const v = parseAttrs(attrs).date1904;
        date1904 = v === '1' || v === 'true';
      } else if (name === 'sheet') {
        const a = parseAttrs(attrs);
        const rel = a.id ? rels.get(a.id) : undefined;
        // Chart sheets and dialog sheets have no rows.
        if (!rel || !rel.type.endsWith('/worksheet') || !dir.entries.has(rel.target)) return;
        sheets.push({
          name: a.name ?? rel.target,
          hidden: a.state === 'hidden' || a.state === 'veryHidden',
          path: rel.target,
        });
      }
    },
    close() {},
    text() {},
  });
  scanner.write(xml);
  scanner.end();
  if (sheets.length === 0) throw unreadable();

  const partOf = (suffix: string) => {
    const rel = [...rels.values()].find((r) => r.type.endsWith(suffix));
    return rel ? dir.entries.get(rel.target) : undefined;
  };
  let context: Promise<{ strings: StringTable; dateStyles: boolean[] }> | null = null;
  const loadContext = () =>
    (context ??= (async () => ({
      strings: await readSharedStrings(buf, partOf('/sharedStrings')),
      dateStyles: await readDateStyles(buf, partOf('/styles')),
    }))());

  async function merges(sheet: WorkbookSheet) {
    const entry = dir.entries.get(sheet.path);
    if (!entry) throw unreadable();
    return scanMerges(buf, entry);
  }

  async function* rows(
    sheet: WorkbookSheet,
    opts: { merges?: MergeRange[] | null } = {},
  ): AsyncGenerator<SheetRow> {
    const entry = dir.entries.get(sheet.path);
    if (!entry) throw unreadable();
    const { strings, dateStyles } = await loadContext();
    const merges = opts.merges
      ? [...opts.merges].sort((x, y) => x.r1 - y.r1 || x.c1 - y.c1)
      : await scanMerges(buf, entry);

    // Merged areas: activated at the first row reached at or after their top row, with the
    // top-left value when that row is the top row (else the area's value is empty).
    let nextMerge = 0;
    let active: (MergeRange & { value: CellValue | undefined })[] = [];
    const applyMerges = (r: SheetRow) => {
      while (nextMerge < merges.length && merges[nextMerge]!.r1 <= r.row) {
        const m = merges[nextMerge++]!;
        if (m.r2 >= r.row) active.push({ ...m, value: m.r1 === r.row ? r.cells[m.c1] : undefined });
      }
      if (active.length === 0) return;
      for (const m of active) {
        if (m.value === undefined || m.r1 > r.row) continue;
        for (let c = m.c1; c <= m.c2; c++) {
          if (m.r1 === r.row && c === m.c1) continue;
          if (!isEmptyValue(r.cells[c])) continue;
          r.cells[c] = m.value;
          (r.filled ??= []).push(c);
        }
      }
      active = active.filter((m) => m.r2 > r.row);
    };

    const cellValue = (
      type: string,
      style: number,
      vText: string,
      tText: string,
    ): CellValue | undefined => {
      switch (type) {
        case 's':
          return strings.get(Number(vText));
        case 'inlineStr':
          return decodeXstring(tText);
        case 'str':
          return decodeXstring(vText);
        case 'b':
          return vText.trim() === '1' || vText.trim() === 'true';
        case 'e':
          return new SheetError(vText.trim());
        case 'd': {
          // ISO 8601 date cells (rare; strict OOXML): the calendar day as text.
          const d = vText.trim().slice(0, 10);
          return d === '' ? undefined : d;
        }
        default: {
          const raw = vText.trim();
          if (raw === '') return undefined;
          if (LONG_DIGITS.test(raw)) return new SheetLongNumber(raw);
          const n = Number(raw);
          if (!Number.isFinite(n)) return raw;
          if (style >= 0 && dateStyles[style])
            return new SheetDate(Math.floor(n) + (date1904 ? 1462 : 0));
          return n;
        }
      }
    };

    const ready: SheetRow[] = [];
    let row: SheetRow | null = null;
    let own = false;
    const cells = sheetCells({
      startRow(n) {
        row = { row: n, cells: [], filled: null };
        own = false;
      },
      cell(col, type, style, vText, tText) {
        const v = cellValue(type, style, vText, tText);
        if (!isEmptyValue(v)) {
          row!.cells[col] = v;
          own = true;
        }
      },
      endRow() {
        if (row && own) {
          applyMerges(row);
          ready.push(row);
        }
        row = null;
      },
    });

    const scanner = new XmlScanner(cells.handler);
    const decoder = new StringDecoder('utf8');
    for await (const chunk of entryPieces(buf, entry)) {
      try {
        scanner.write(decoder.write(chunk));
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw unreadable();
      }
      while (ready.length > 0) yield ready.shift()!;
      // The rest of the part (merge list, print settings) is not needed here.
      if (cells.done()) return;
    }
    scanner.write(decoder.end());
    while (ready.length > 0) yield ready.shift()!;
  }

  async function countRows(
    sheet: WorkbookSheet,
    opts: { after: number; columns: readonly number[] | null },
  ): Promise<number> {
    const entry = dir.entries.get(sheet.path);
    if (!entry) throw unreadable();
    const { strings } = await loadContext();
    let count = 0;
    let rowNumber = 0;
    // Per column of the current row, what its value (the last one kept, as `rows` keeps them)
    // shows: 1 text, 2 nothing (an error value without a code), 0 no value.
    const shows = new Uint8Array(MAX_COLUMNS);
    const held: number[] = [];
    const cells = sheetCells({
      startRow(n) {
        rowNumber = n;
        for (const c of held) shows[c] = 0;
        held.length = 0;
      },
      cell(col, type, _style, vText, tText) {
        // What cellValue, isEmptyValue and cellText say of the cell, without making its value.
        let kept: boolean;
        let text: boolean;
        switch (type) {
          case 's':
            kept = text = strings.hasText(Number(vText));
            break;
          case 'inlineStr':
            kept = text = decodeXstring(tText).trim() !== '';
            break;
          case 'str':
            kept = text = decodeXstring(vText).trim() !== '';
            break;
          case 'b':
            kept = text = true;
            break;
          case 'e':
            kept = true;
            text = vText.trim() !== '';
            break;
          default:
            // A number, a date or other text: kept, and shown, unless blank.
            kept = text = vText.trim() !== '';
        }
        if (!kept) return;
        if (shows[col] === 0) held.push(col);
        shows[col] = text ? 1 : 2;
      },
      endRow() {
        if (rowNumber <= opts.after) return;
        for (const c of opts.columns ?? held) {
          if (shows[c] === 1) {
            count++;
            return;
          }
        }
      },
    });

    const scanner = new XmlScanner(cells.handler);
    const decoder = new StringDecoder('utf8');
    for await (const chunk of entryPieces(buf, entry)) {
      try {
        scanner.write(decoder.write(chunk));
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw unreadable();
      }
      if (cells.done()) return count;
    }
    scanner.write(decoder.end());
    return count;
  }

  return { sheets, rows, countRows, merges };
}

/** A cell as the text a person sees (dates as YYYY-MM-DD), trimmed; '' for empty. */
export function cellText(v: CellValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof SheetDate) {
    const d = excelSerialToDate(v.serial);
    return d.ok ? d.date : String(v.serial);
  }
  if (v instanceof SheetLongNumber) return v.digits;
  return v.code;
}
