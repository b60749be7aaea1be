import { describe, expect, it } from 'vitest';
import { IMPORT_STATUSES, SHEET_FIELD_NAMES } from '@liudong/contracts';
import { SHEET_FIELDS } from '@liudong/domain';
import {
  IMPORT_PHASE_LABELS,
  IMPORT_STATUS_COLORS,
  IMPORT_STATUS_LABELS,
  SHEET_FIELD_GROUPS,
  SHEET_FIELD_LABELS,
  batchCountsText,
} from './import-labels';
import { progressPercent, progressText } from './import-progress';

describe('sheet field labels', () => {
  it('labels every field of SHEET_FIELDS in Chinese, and nothing else', () => {
    expect(Object.keys(SHEET_FIELD_LABELS).sort()).toEqual(Object.keys(SHEET_FIELDS).sort());
    for (const field of SHEET_FIELD_NAMES) {
      expect(SHEET_FIELD_LABELS[field], field).toMatch(/^[\u4e00-\u9fff（）/]+$/);
    }
  });

  it('gives each field its own label', () => {
    const labels = Object.values(SHEET_FIELD_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('puts every field in exactly one Select group', () => {
    const grouped = SHEET_FIELD_GROUPS.flatMap((group) => group.fields);
    expect([...grouped].sort()).toEqual([...SHEET_FIELD_NAMES].sort());
    expect(new Set(grouped).size).toBe(grouped.length);
  });
});

describe('status and phase labels', () => {
  it('labels and colours every batch status', () => {
    for (const status of IMPORT_STATUSES) {
      expect(IMPORT_STATUS_LABELS[status]).toBeTruthy();
      expect(IMPORT_STATUS_COLORS[status]).toBeTruthy();
    }
  });

  it('names the three phases as the bar shows them', () => {
    expect(IMPORT_PHASE_LABELS).toEqual({ reading: '读取', checking: '校验', writing: '写入' });
  });
});

describe('progress', () => {
  it('moves one bar forward through the phases', () => {
    const steps = [
      progressPercent({ phase: 'reading', done: 0, total: 100 }),
      progressPercent({ phase: 'reading', done: 100, total: 100 }),
      progressPercent({ phase: 'checking', done: 50, total: 100 }),
      progressPercent({ phase: 'writing', done: 0, total: 100 }),
      progressPercent({ phase: 'writing', done: 99, total: 100 }),
      progressPercent({ phase: 'writing', done: 100, total: 100 }),
    ];
    expect(steps).toEqual([0, 10, 25, 40, 99, 100]);
  });

  it('stays within its phase for odd counts', () => {
    expect(progressPercent({ phase: 'checking', done: 0, total: 0 })).toBe(10);
    expect(progressPercent({ phase: 'checking', done: 5, total: 3 })).toBe(40);
    expect(progressPercent({ phase: 'writing', done: -1, total: 3 })).toBe(40);
  });

  it('says what happens in words', () => {
    expect(progressText({ phase: 'writing', done: 1200, total: 5000 })).toBe(
      '写入 1,200 / 5,000 行',
    );
    expect(progressText({ phase: 'reading', done: 0, total: 0 })).toBe('读取中…');
  });
});

describe('batchCountsText', () => {
  it('names what a batch wrote, with mobility registrations only when there are some', () => {
    const counts = { createdCount: 12, updatedCount: 3, skippedCount: 1, episodesCreated: 0 };
    expect(batchCountsText(counts)).toBe('新增 12 名，更新 3 名，跳过 1 名');
    expect(batchCountsText({ ...counts, episodesCreated: 5 })).toBe(
      '新增 12 名，更新 3 名，跳过 1 名，登记流动 5 条',
    );
  });
});
