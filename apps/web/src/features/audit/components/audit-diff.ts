export interface AuditDiffRow {
  field: string;
  before: string;
  after: string;
  isChanged: boolean;
}

const EMPTY = '—';

export function formatAuditValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return EMPTY;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/**
 * Before/after of an audited write as rows (field, before, after), fields in first-seen order,
 * changed ones flagged. Either side may be null (a create has no before, a delete no after).
 */
export function auditDiffRows(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): AuditDiffRow[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields.map((field) => {
    const b = formatAuditValue(before?.[field]);
    const a = formatAuditValue(after?.[field]);
    return { field, before: b, after: a, isChanged: b !== a };
  });
}
