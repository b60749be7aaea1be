import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { VerifyCensusTaskInput, type CensusCounts } from '@liudong/contracts';
import {
  CENSUS_CHANNELS,
  campaignSummary,
  closeConfirmText,
  defaultCampaignName,
  defaultCampaignPeriod,
  defaultVerifiedOn,
  nextPendingTask,
  progressPercent,
  progressText,
  resultForKey,
  taskFilters,
  toVerifyInput,
  verifiedOnDisabled,
  verifyIssueField,
} from './census-values';

const counts = (over: Partial<CensusCounts>): CensusCounts => ({
  total: 10,
  pending: 10,
  unchanged: 0,
  changed: 0,
  unreachable: 0,
  ...over,
});

describe('progress', () => {
  it.each([
    [counts({ total: 0, pending: 0 }), 0],
    [counts({ pending: 10 }), 0],
    [counts({ pending: 7, unchanged: 3 }), 30],
    [counts({ pending: 0, unchanged: 8, unreachable: 2 }), 100],
    // 199 of 200 is 99.5 %: never "100%" while one member is still pending.
    [counts({ total: 200, pending: 1, unchanged: 199 }), 99],
    [counts({ total: 3, pending: 2, unchanged: 1 }), 33],
  ])('%j → %i %%', (c, percent) => {
    expect(progressPercent(c)).toBe(percent);
  });

  it('reads 已核实 x / 总数', () => {
    expect(progressText(counts({ pending: 4, unchanged: 5, changed: 1 }))).toBe('已核实 6 / 10');
  });

  it('summarises a closed campaign, naming what was left pending', () => {
    expect(campaignSummary(counts({ pending: 0, unchanged: 7, changed: 2, unreachable: 1 }))).toBe(
      '共 10 人，无变化 7 人，有变化 2 人，无法联系 1 人',
    );
    expect(campaignSummary(counts({ pending: 2, unchanged: 8 }))).toContain('未核实 2 人');
  });

  it('states the pending count in the closing confirmation', () => {
    expect(closeConfirmText('春节摸排', counts({ pending: 3, unchanged: 7 }))).toContain(
      '还有 3 人未核实',
    );
    expect(closeConfirmText('春节摸排', counts({ pending: 0, unchanged: 10 }))).toContain(
      '全部任务已核实',
    );
  });
});

describe('a new campaign', () => {
  it.each([
    ['2026-01-20', '2026年春节流动党员集中摸排'],
    ['2026-03-31', '2026年春节流动党员集中摸排'],
    ['2025-12-15', '2026年春节流动党员集中摸排'],
    ['2026-09-10', '2026年中秋国庆流动党员集中摸排'],
    ['2026-06-01', '2026年6月流动党员集中摸排'],
  ])('on %s is named %s', (today, name) => {
    expect(defaultCampaignName(today)).toBe(name);
  });

  it('runs a month from today, month ends clamped', () => {
    expect(defaultCampaignPeriod('2026-01-20')).toEqual(['2026-01-20', '2026-02-20']);
    expect(defaultCampaignPeriod('2026-01-31')).toEqual(['2026-01-31', '2026-02-28']);
  });
});

describe('the 核实 form', () => {
  const period = { startsOn: '2026-01-20', endsOn: '2026-02-28' };

  it('starts at today, kept within the period and never in the future', () => {
    expect(defaultVerifiedOn('2026-02-01', period)).toBe('2026-02-01');
    expect(defaultVerifiedOn('2026-03-05', period)).toBe('2026-02-28');
    expect(defaultVerifiedOn('2026-01-10', period)).toBe('2026-01-10');
  });

  it('offers the days of the period up to today', () => {
    const off = (day: string) => verifiedOnDisabled(dayjs(day), period, '2026-02-10');
    expect(off('2026-01-19')).toBe(true);
    expect(off('2026-01-20')).toBe(false);
    expect(off('2026-02-10')).toBe(false);
    expect(off('2026-02-11')).toBe(true);
  });

  it('maps the keys 1, 2, 3 to the results', () => {
    expect(resultForKey('1')).toBe('unchanged');
    expect(resultForKey('2')).toBe('changed');
    expect(resultForKey('3')).toBe('unreachable');
    expect(resultForKey('4')).toBeNull();
    expect(resultForKey('0')).toBeNull();
    expect(resultForKey('a')).toBeNull();
    expect(resultForKey('Enter')).toBeNull();
  });

  it('does not offer 本人报告 as a census channel', () => {
    expect(CENSUS_CHANNELS).toContain('phone');
    expect(CENSUS_CHANNELS).not.toContain('self_report');
  });

  const task = { version: 3, mobilityVersion: 5 };

  it('builds an unchanged verification the contract accepts, without whereabouts', () => {
    const input = toVerifyInput(task, {
      result: 'unchanged',
      verifiedOn: dayjs('2026-02-01'),
      channel: 'phone',
      note: '  ',
      destinationRegionCode: '440305',
      employer: '某公司',
    });
    expect(input).toEqual({
      result: 'unchanged',
      verifiedOn: '2026-02-01',
      channel: 'phone',
      note: null,
      version: 3,
    });
    expect(VerifyCensusTaskInput.safeParse(input).success).toBe(true);
  });

  it('sends the new whereabouts with the episode version when changed', () => {
    const input = toVerifyInput(task, {
      result: 'changed',
      verifiedOn: dayjs('2026-02-01'),
      channel: 'visit',
      destinationRegionCode: '330106',
      destinationAddress: ' 文三路1号 ',
      employer: '',
    });
    expect(input).toMatchObject({
      whereabouts: {
        destinationRegionCode: '330106',
        destinationAddress: '文三路1号',
        employer: null,
      },
      mobilityVersion: 5,
    });
    expect(VerifyCensusTaskInput.safeParse(input).success).toBe(true);
  });

  it('leaves a changed verification without a place for the contract to refuse', () => {
    const input = toVerifyInput(task, {
      result: 'changed',
      verifiedOn: dayjs('2026-02-01'),
      channel: 'phone',
    });
    expect(VerifyCensusTaskInput.safeParse(input).success).toBe(false);
  });
});

describe('保存并核实下一位', () => {
  const items = [
    { id: 'a', status: 'unchanged' as const },
    { id: 'b', status: 'pending' as const },
    { id: 'c', status: 'pending' as const },
    { id: 'd', status: 'unreachable' as const },
    { id: 'e', status: 'pending' as const },
  ];

  it('goes to the next pending task below', () => {
    expect(nextPendingTask(items, 'b')?.id).toBe('c');
    expect(nextPendingTask(items, 'c')?.id).toBe('e');
  });

  it('wraps to the first pending one above at the end of the page', () => {
    expect(nextPendingTask(items, 'e')?.id).toBe('b');
  });

  it('says none when nothing else is pending', () => {
    expect(nextPendingTask([{ id: 'x', status: 'pending' as const }], 'x')).toBeNull();
    expect(nextPendingTask([], 'x')).toBeNull();
  });

  it('starts from the top when the task is not on the page any more', () => {
    expect(nextPendingTask(items, 'gone')?.id).toBe('b');
  });
});

describe('task filters', () => {
  it('leaves empty filters out', () => {
    expect(taskFilters({ orgId: null, status: null, q: '  ' })).toEqual({});
    expect(taskFilters({ orgId: 'o', status: 'pending', q: ' 张 ' })).toEqual({
      orgId: 'o',
      status: 'pending',
      q: '张',
    });
  });
});

describe('contract issues in the 核实 form', () => {
  it('puts the whereabouts on the form’s own fields and the versions above the form', () => {
    expect(verifyIssueField(['whereabouts'])).toBe('destinationRegionCode');
    expect(verifyIssueField(['whereabouts', 'employer'])).toBe('employer');
    expect(verifyIssueField(['verifiedOn'])).toBe('verifiedOn');
    expect(verifyIssueField(['mobilityVersion'])).toBeNull();
    expect(verifyIssueField(['version'])).toBeNull();
    expect(verifyIssueField([])).toBeNull();
  });
});
