import type { ImportColumn, ImportKind } from '@liudong/contracts';
import { matchHeader, normalizeHeader, type SheetField } from '@liudong/domain';
import { cellText, type SheetRow } from '../../platform/xlsx-reader';

/**
 * Where the header of a real ledger is (issue 3 §6): title rows above it, sometimes a second
 * header row (a group title such as 外出情况 merged over 外出时间 / 流入地 / 工作单位), cells
 * merged across columns or down two rows. Pure functions over the first rows of the sheet.
 */

/** The header is looked for among the first rows that hold anything. */
export const HEADER_SCAN_ROWS = 15;
/** A header row has at least this many titles we know. */
const MIN_MATCHES = 2;

export const REQUIRED_FIELDS: Record<ImportKind, readonly SheetField[]> = {
  members: ['name', 'idNumber'],
  ledger: ['name', 'idNumber', 'leftOn', 'destination'],
};

export interface SheetLayout {
  /** 1-based number of the last header row; data starts below it. */
  headerRow: number;
  headerRows: 1 | 2;
  columns: { index: number; title: string; field: SheetField | null }[];
}

function texts(r: SheetRow): string[] {
  return r.cells.map((v) => cellText(v));
}

/** Recognises a title: the built-in ones, plus those of saved mappings. */
export type TitleMatcher = (title: string) => SheetField | null;

function matchedFields(
  r: SheetRow,
  onlyOwn: boolean,
  match: TitleMatcher,
): { matched: number; considered: number } {
  const seen = new Set<SheetField>();
  let considered = 0;
  r.cells.forEach((v, c) => {
    if (onlyOwn && r.filled?.includes(c)) return;
    const t = cellText(v);
    if (!t) return;
    considered++;
    const f = match(t);
    if (f) seen.add(f);
  });
  return { matched: seen.size, considered };
}

/** A row below a header that continues it: its own titles are mostly titles we know. */
function continuesHeader(below: SheetRow, match: TitleMatcher): boolean {
  const { matched, considered } = matchedFields(below, true, match);
  return matched >= 1 && matched * 2 >= considered;
}

/**
 * A group row above a header: group titles over several columns (merged, or at least two
 * different ones). A title spread over the whole width, or a "填报单位：…" line, is not one.
 */
function isGroupRow(above: SheetRow, header: SheetRow, match: TitleMatcher): boolean {
  const width = header.cells.flatMap((v, c) => (cellText(v) ? [c] : []));
  const values = width.map((c) => cellText(above.cells[c]));
  const distinct = new Set(values.filter(Boolean));
  if (distinct.size === 0) return false;
  if ([...distinct].some((v) => /[:：]/.test(v))) return false;
  // A known title up there is a header cell merged down over two rows: a group layout.
  if ([...distinct].some((v) => match(v) !== null)) return true;
  const merged = (above.filled?.length ?? 0) > 0;
  const coversAll = values.every((v) => v !== '');
  if (distinct.size === 1 && coversAll) return false;
  return distinct.size >= 2 || merged;
}

/**
 * Finds the header among the first rows — the first row with at least two known titles, else
 * the first with one known title among several (the officer maps the rest by hand) — joins a
 * two-row header into "上级/标题" titles and matches each column, the lower title first.
 * Returns null when no row looks like a header.
 */
export function detectLayout(
  top: readonly SheetRow[],
  match: TitleMatcher = matchHeader,
): SheetLayout | null {
  let first = top.findIndex((r) => matchedFields(r, false, match).matched >= MIN_MATCHES);
  if (first < 0)
    first = top.findIndex((r) => {
      const m = matchedFields(r, false, match);
      return m.matched >= 1 && m.considered >= 2;
    });
  if (first < 0) return null;
  let upper: SheetRow | null = null;
  let lower = top[first]!;
  const next = top[first + 1];
  const prev = first > 0 ? top[first - 1] : undefined;
  if (next && next.row === lower.row + 1 && continuesHeader(next, match)) {
    upper = lower;
    lower = next;
  } else if (prev && prev.row === lower.row - 1 && isGroupRow(prev, lower, match)) {
    upper = prev;
  }

  const up = upper ? texts(upper) : [];
  const lo = texts(lower);
  const count = Math.max(up.length, lo.length);
  const columns: SheetLayout['columns'] = [];
  const used = new Set<SheetField>();
  for (let index = 0; index < count; index++) {
    const u = up[index] ?? '';
    const l = lo[index] ?? '';
    if (!u && !l) continue;
    const title = !u || u === l ? l : !l ? u : `${u}/${l}`;
    // Built-in titles only: a saved mapping's own titles are applied by suggestColumns.
    let field = (l ? matchHeader(l) : null) ?? (u ? matchHeader(u) : null);
    // The first column wins when two titles mean the same field (联系电话 and 手机号).
    if (field && used.has(field)) field = null;
    if (field) used.add(field);
    columns.push({ index, title, field });
  }
  return { headerRow: lower.row, headerRows: upper ? 2 : 1, columns };
}

export interface SavedMapping {
  id: string;
  name: string;
  columns: { title: string; field: string }[];
}

/**
 * The columns with their suggested fields: a saved mapping first when its titles match the
 * sheet's (at least two, and at least half of the mapping), then the built-in titles for the
 * columns it leaves open.
 */
export function suggestColumns(
  layout: SheetLayout,
  saved: readonly SavedMapping[],
): { columns: ImportColumn[]; mapping: SavedMapping | null } {
  const titles = layout.columns.map((c) => normalizeHeader(c.title));
  let best: SavedMapping | null = null;
  let bestScore = 0;
  for (const m of saved) {
    const score = m.columns.filter((c) => titles.includes(c.title)).length;
    if (score >= 2 && score * 2 >= m.columns.length && score > bestScore) {
      best = m;
      bestScore = score;
    }
  }
  const byTitle = new Map(best?.columns.map((c) => [c.title, c.field as SheetField]) ?? []);
  const used = new Set<SheetField>();
  const columns: ImportColumn[] = layout.columns.map((c, i) => {
    const savedField = byTitle.get(titles[i]!);
    if (savedField && !used.has(savedField)) {
      used.add(savedField);
      return { index: c.index, title: c.title, field: savedField, source: 'saved' };
    }
    return { index: c.index, title: c.title, field: null, source: null };
  });
  for (const [i, c] of layout.columns.entries()) {
    const col = columns[i]!;
    if (col.field || !c.field || used.has(c.field)) continue;
    used.add(c.field);
    col.field = c.field;
    col.source = 'auto';
  }
  return { columns, mapping: best };
}

/** The built-in titles, and those of saved mappings (a two-row title is tried whole too). */
export function titleMatcher(saved: readonly SavedMapping[]): TitleMatcher {
  const known = new Map<string, SheetField>();
  for (const m of saved)
    for (const c of m.columns) if (!known.has(c.title)) known.set(c.title, c.field as SheetField);
  if (known.size === 0) return matchHeader;
  return (title) => known.get(normalizeHeader(title)) ?? matchHeader(title);
}

export function missingRequired(
  kind: ImportKind,
  mapped: Iterable<SheetField | null>,
): SheetField[] {
  const have = new Set(mapped);
  return REQUIRED_FIELDS[kind].filter((f) => !have.has(f));
}
