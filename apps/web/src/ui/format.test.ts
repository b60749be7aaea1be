import { describe, expect, it } from 'vitest';
import {
  blankToNull,
  formatDate,
  formatDateTime,
  formatDateTimeMinutes,
  formatShortDateTime,
  orEmpty,
} from './format';

describe('format helpers', () => {
  it('formats dates and shows a dash for missing ones', () => {
    expect(formatDate('2024-07-01')).toBe('2024-07-01');
    expect(formatDate(null)).toBe('—');
    expect(formatDateTime(undefined)).toBe('—');
  });
  it('has shorter date-time forms for dense tables', () => {
    expect(formatDateTimeMinutes('2025-03-04T05:06:07')).toBe('2025-03-04 05:06');
    expect(formatShortDateTime('2025-03-04T05:06:07')).toBe('03-04 05:06:07');
    expect(formatShortDateTime(null)).toBe('—');
  });
  it('turns blank text into null', () => {
    expect(blankToNull('  ')).toBeNull();
    expect(blankToNull(undefined)).toBeNull();
    expect(blankToNull(' 张三 ')).toBe('张三');
  });
  it('shows a dash for empty text', () => {
    expect(orEmpty('')).toBe('—');
    expect(orEmpty('x')).toBe('x');
  });
});
