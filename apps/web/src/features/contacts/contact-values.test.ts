import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { CreateContactInput, type LostItem, type QueueItem } from '@liudong/contracts';
import {
  DEFAULT_DUTY,
  candidateLabel,
  defaultQueueView,
  episodeOfTarget,
  formatRate,
  initialContactValues,
  intervalText,
  isFutureDay,
  isSaveNextShortcut,
  lostContactTarget,
  lostFilters,
  nextInQueue,
  overdueText,
  parseLostTab,
  parseQueueTab,
  parseQueueView,
  queueFilters,
  queueTabsFor,
  relativeTime,
  safeAppLink,
  toCreateContactInput,
  unassignedSummaryText,
  warningPointText,
} from './contact-values';

const MEMBER = '00000000-0000-4000-8000-000000000001';
/** Not in any queue below. */
const OUTSIDE = '00000000-0000-4000-8000-0000000000ff';

function item(n: number): QueueItem {
  return {
    memberId: `00000000-0000-4000-8000-00000000000${n}`,
    memberName: `成员${n}`,
    mobilityId: `00000000-0000-4000-9000-00000000000${n}`,
    orgId: '00000000-0000-4000-a000-000000000001',
    orgName: '第一支部',
    mobilityVersion: 1,
    destinationRegionCode: null,
    destinationName: null,
    employer: null,
    phoneMasked: null,
    leftOn: '2026-01-01',
    liaisonId: null,
    liaisonName: null,
    category: 'domestic',
    intervalMonths: 1,
    lastContactOn: null,
    lastReachedOn: null,
    dueOn: '2026-02-01',
    bucket: 'overdue',
    overdueDays: 10,
    lostLevel: 'ok',
  };
}

describe('queue tabs and views', () => {
  it('reads ?bucket=, defaulting to 已逾期 (the reminders link there)', () => {
    expect(parseQueueTab('overdue')).toBe('overdue');
    expect(parseQueueTab('week')).toBe('week');
    expect(parseQueueTab('unassigned')).toBe('unassigned');
    expect(parseQueueTab(null)).toBe('overdue');
    expect(parseQueueTab('later')).toBe('overdue');
  });

  it('starts a liaison on 我负责的 and everyone else on 本组织全部', () => {
    expect(defaultQueueView('liaison')).toBe('mine');
    expect(defaultQueueView('branch_officer')).toBe('org');
    expect(defaultQueueView('committee_officer')).toBe('org');
    expect(defaultQueueView(null)).toBe('org');
    expect(parseQueueView('org', 'liaison')).toBe('org');
    expect(parseQueueView('mine', 'branch_officer')).toBe('mine');
    expect(parseQueueView('nonsense', 'liaison')).toBe('mine');
  });

  it('offers 未分配联络员 in the org view only', () => {
    expect(queueTabsFor('org')).toContain('unassigned');
    expect(queueTabsFor('mine')).not.toContain('unassigned');
  });

  it('builds the query: trimmed search, no liaison filter on the unassigned tab', () => {
    expect(queueFilters('overdue', 'mine')).toEqual({ view: 'mine', bucket: 'overdue' });
    expect(queueFilters('all', 'org', { q: '  张 ', liaisonId: 'L' })).toEqual({
      view: 'org',
      bucket: 'all',
      q: '张',
      liaisonId: 'L',
    });
    expect(queueFilters('unassigned', 'org', { liaisonId: 'L' })).toEqual({
      view: 'org',
      bucket: 'unassigned',
    });
    // A hand-written ?bucket=unassigned&view=mine falls back to the overdue list.
    expect(queueFilters('unassigned', 'mine').bucket).toBe('overdue');
  });

  it('prints overdue days, rates and the assignment line', () => {
    expect(overdueText(0)).toBeNull();
    expect(overdueText(12)).toBe('逾期12天');
    expect(formatRate(null)).toBe('—');
    expect(formatRate(85.3)).toBe('85.3%');
    expect(formatRate(0)).toBe('0%');
    expect(unassignedSummaryText({ total: 37, unassigned: 12 })).toBe(
      '本组织流出党员 37 人，其中未分配联络员 12 人',
    );
    expect(intervalText(1)).toBe('每月一次');
    expect(intervalText(6)).toBe('每6个月一次');
    expect(DEFAULT_DUTY).toContain('每月至少联系一次');
  });
});

describe('保存并登记下一位: nextInQueue', () => {
  const list = [item(1), item(2), item(3), item(4)];
  const id = (n: number) => item(n).memberId;

  it('takes the member after the current one', () => {
    expect(nextInQueue(list, id(1), new Set([id(1)]))?.memberId).toBe(id(2));
    expect(nextInQueue(list, id(2), new Set([id(1), id(2)]))?.memberId).toBe(id(3));
  });

  it('skips those already logged in this run, then wraps to the ones before', () => {
    expect(nextInQueue(list, id(2), new Set([id(2), id(3)]))?.memberId).toBe(id(4));
    expect(nextInQueue(list, id(4), new Set([id(2), id(3), id(4)]))?.memberId).toBe(id(1));
  });

  it('falls back to the refetched list when the run has used up its snapshot', () => {
    const done = new Set([id(1), id(2), id(3), id(4)]);
    expect(nextInQueue(list, id(4), done)).toBeNull();
    expect(nextInQueue(list, id(4), done, [item(3), item(5)])?.memberId).toBe(item(5).memberId);
  });

  it('starts from the top when the current member is not in the list (opened elsewhere)', () => {
    expect(nextInQueue(list, OUTSIDE, new Set())?.memberId).toBe(id(1));
  });
});

describe('the contact form', () => {
  const today = dayjs('2026-11-21');

  it('starts on today, by phone, reached', () => {
    const values = initialContactValues(today);
    expect(values.contactedOn?.format('YYYY-MM-DD')).toBe('2026-11-21');
    expect(values.channel).toBe('phone');
    expect(values.reached).toBe(true);
  });

  it('gives a body the contract accepts, blanks as null', () => {
    const body = toCreateContactInput(
      { ...initialContactValues(today), work: '  在深圳务工 ', life: '  ' },
      MEMBER,
      undefined,
    );
    const parsed = CreateContactInput.safeParse(body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({
      memberId: MEMBER,
      contactedOn: '2026-11-21',
      channel: 'phone',
      reached: true,
      work: '在深圳务工',
      life: null,
      followUpNeeded: false,
    });
  });

  it('sends what was learnt, and the whereabouts with the episode version', () => {
    const body = toCreateContactInput(
      {
        ...initialContactValues(today),
        orgLifeOn: dayjs('2026-11-01'),
        duesPaidOn: dayjs('2026-10-15'),
        whereaboutsChanged: true,
        destinationRegionCode: '440305',
        employer: '某科技有限公司',
      },
      MEMBER,
      3,
    );
    const parsed = CreateContactInput.safeParse(body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({
      orgLifeOn: '2026-11-01',
      duesPaidOn: '2026-10-15',
      whereabouts: {
        destinationRegionCode: '440305',
        destinationAddress: null,
        employer: '某科技有限公司',
      },
      mobilityVersion: 3,
    });
  });

  it('leaves out org life, dues and whereabouts when the member was not reached', () => {
    const body = toCreateContactInput(
      {
        ...initialContactValues(today),
        reached: false,
        orgLifeOn: dayjs('2026-11-01'),
        whereaboutsChanged: true,
        destinationRegionCode: '440305',
      },
      MEMBER,
      3,
    );
    expect(body).not.toHaveProperty('orgLifeOn');
    expect(body).not.toHaveProperty('whereabouts');
    expect(CreateContactInput.safeParse(body).success).toBe(true);
  });

  it('refuses a whereabouts change without a region (the contract says which field)', () => {
    const body = toCreateContactInput(
      { ...initialContactValues(today), whereaboutsChanged: true },
      MEMBER,
      3,
    );
    const parsed = CreateContactInput.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['whereabouts', 'destinationRegionCode']);
  });

  it('takes the episode from a queue row, and asks for the member record only without one', () => {
    expect(
      episodeOfTarget({
        ...item(1),
        mobilityVersion: 4,
        destinationRegionCode: '440305',
        destinationName: '广东省 / 深圳市 / 南山区',
        employer: '某科技公司',
      }),
    ).toEqual({
      version: 4,
      destinationRegionCode: '440305',
      destinationName: '广东省 / 深圳市 / 南山区',
      employer: '某科技公司',
    });
    // A member's page knows the member, not the episode's version: the form reads the record.
    expect(episodeOfTarget({ destinationName: '广东省', employer: null })).toBeNull();
    // The version goes with the whereabouts into a body the contract accepts.
    const episode = episodeOfTarget({ ...item(1), mobilityVersion: 4 })!;
    const input = toCreateContactInput(
      {
        ...initialContactValues(dayjs('2026-11-20')),
        whereaboutsChanged: true,
        destinationRegionCode: '500101',
      },
      MEMBER,
      episode.version,
    );
    const parsed = CreateContactInput.safeParse(input);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({
      mobilityVersion: 4,
      whereabouts: { destinationRegionCode: '500101' },
    });
  });

  it('knows future days and the Ctrl+Enter shortcut', () => {
    expect(isFutureDay(dayjs('2026-11-22'), today)).toBe(true);
    expect(isFutureDay(dayjs('2026-11-21T23:00:00'), today)).toBe(false);
    expect(isSaveNextShortcut({ key: 'Enter', ctrlKey: true, metaKey: false })).toBe(true);
    expect(isSaveNextShortcut({ key: 'Enter', ctrlKey: false, metaKey: true })).toBe(true);
    expect(isSaveNextShortcut({ key: 'Enter', ctrlKey: false, metaKey: false })).toBe(false);
    expect(isSaveNextShortcut({ key: 's', ctrlKey: true, metaKey: false })).toBe(false);
  });
});

describe('lost contact', () => {
  it('reads ?tab=, defaulting to 预警', () => {
    expect(parseLostTab('lost')).toBe('lost');
    expect(parseLostTab('found')).toBe('found');
    expect(parseLostTab('not_found')).toBe('not_found');
    expect(parseLostTab(undefined)).toBe('warning');
    expect(parseLostTab('x')).toBe('warning');
  });

  it('builds the list query and names the warning point', () => {
    expect(lostFilters('warning')).toEqual({ level: 'warning' });
    expect(lostFilters('lost', ' 李 ')).toEqual({ level: 'lost', q: '李' });
    expect(warningPointText(3)).toBe('满3个月');
    expect(warningPointText(null)).toBeNull();
  });
});

describe('notifications', () => {
  const now = dayjs('2026-11-21T10:00:00+08:00');

  it('says how long ago', () => {
    expect(relativeTime('2026-11-21T09:59:40+08:00', now)).toBe('刚刚');
    expect(relativeTime('2026-11-21T09:55:00+08:00', now)).toBe('5分钟前');
    expect(relativeTime('2026-11-21T07:00:00+08:00', now)).toBe('3小时前');
    expect(relativeTime('2026-11-19T10:00:00+08:00', now)).toBe('2天前');
    expect(relativeTime('2026-11-01T10:00:00+08:00', now)).toBe('2026-11-01');
  });

  it('follows links inside the app only', () => {
    expect(safeAppLink('/contacts?bucket=overdue')).toBe('/contacts?bucket=overdue');
    expect(safeAppLink('/lost-contact?tab=warning')).toBe('/lost-contact?tab=warning');
    expect(safeAppLink('//evil.example/x')).toBeNull();
    expect(safeAppLink('https://evil.example/')).toBeNull();
    expect(safeAppLink('javascript:alert(1)')).toBeNull();
    expect(safeAppLink('/\\evil.example')).toBeNull();
    expect(safeAppLink(null)).toBeNull();
  });
});

describe('liaison accounts', () => {
  it('labels an account by name and username, once when they are the same', () => {
    expect(candidateLabel({ displayName: '王红梅', username: 'wanghm' })).toBe('王红梅（wanghm）');
    expect(candidateLabel({ displayName: 'zhibu', username: 'zhibu' })).toBe('zhibu');
  });
});

describe('登记联系 from the lost-contact list', () => {
  const lost: LostItem = {
    memberId: MEMBER,
    memberName: '失联党员',
    orgId: '00000000-0000-4000-a000-000000000001',
    orgName: '第一支部',
    mobilityId: '00000000-0000-4000-9000-000000000001',
    mobilityVersion: 3,
    destinationRegionCode: '440305',
    employer: '某科技公司',
    destinationName: '广东省深圳市南山区',
    leftOn: '2026-01-10',
    level: 'lost',
    lastSignOn: '2026-01-10',
    lastSignKind: 'left',
    monthsWithout: 10,
    warningPoint: null,
    lostOn: '2026-07-10',
    lastOrgLifeOn: null,
    lastDuesOn: null,
    lastReachedOn: '2025-12-01',
    searchAttempts: 2,
    reasonCode: null,
    suggestedReason: 'work_business',
    note: null,
    liaisonName: null,
  };

  it('carries the episode like a queue row: no read of the member record for 去向有变化', () => {
    const target = lostContactTarget(lost);
    expect(target).toMatchObject({
      memberId: MEMBER,
      memberName: '失联党员',
      orgName: '第一支部',
      lastContactOn: '2025-12-01',
      lostLevel: 'lost',
    });
    expect(episodeOfTarget(target)).toEqual({
      version: 3,
      destinationRegionCode: '440305',
      destinationName: '广东省深圳市南山区',
      employer: '某科技公司',
    });
  });
});
