import { describe, expect, it } from 'vitest';
import { auditDiffRows, formatAuditValue } from './audit-diff';

describe('auditDiffRows', () => {
  it('lists every field of either side and flags the changed ones', () => {
    expect(
      auditDiffRows(
        { name: '一支部', version: 3, phone: '138****5678' },
        { name: '第一支部', version: 4, phone: '138****5678' },
      ),
    ).toEqual([
      { field: 'name', before: '一支部', after: '第一支部', isChanged: true },
      { field: 'version', before: '3', after: '4', isChanged: true },
      { field: 'phone', before: '138****5678', after: '138****5678', isChanged: false },
    ]);
  });

  it('handles a create (no before) and a delete (no after)', () => {
    expect(auditDiffRows(null, { name: 'x' })).toEqual([
      { field: 'name', before: '—', after: 'x', isChanged: true },
    ]);
    expect(auditDiffRows({ name: 'x' }, null)[0]?.after).toBe('—');
    expect(auditDiffRows(null, null)).toEqual([]);
  });

  it('formats values for people', () => {
    expect(formatAuditValue(true)).toBe('是');
    expect(formatAuditValue(null)).toBe('—');
    expect(formatAuditValue({ a: 1 })).toBe('{"a":1}');
  });
});
