import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import {
  DecideTransferInput,
  ReceiveTransferInput,
  RequestTransferInput,
  type Transfer,
  type TransferLetter,
} from '@liudong/contracts';
import {
  BLANK,
  SHORT_BLANK,
  chineseDate,
  destinationText,
  introductionText,
  memberParticulars,
  openTransferOf,
  overdueLabel,
  parseTransferView,
  receiptDateDisabled,
  receiptSources,
  receiptText,
  toDecideInput,
  toReceiveInput,
  toRequestInput,
  transferFilters,
  validityDays,
} from './transfer-values';

const MEMBER_ID = '00000000-0000-4000-8000-000000000001';
const ORG_ID = '00000000-0000-4000-8000-000000000002';

const transfer: Transfer = {
  id: '00000000-0000-4000-8000-000000000003',
  memberId: MEMBER_ID,
  memberName: '测试党员',
  mobilityId: null,
  fromOrgId: ORG_ID,
  fromOrgName: '城关镇第一党支部',
  toOrgId: null,
  toOrgName: '深圳市某公司党支部',
  toRegionCode: '440305',
  toRegionName: '广东省深圳市南山区',
  reason: '外出务工满6个月',
  status: 'approved',
  statusLabel: '已开介绍信，待回执',
  requestedOn: '2026-03-01',
  decidedOn: '2026-03-02',
  decisionNote: null,
  letterNumber: '南组〔2026〕17号',
  letterIssuedOn: '2026-03-02',
  dueOn: '2026-04-01',
  overdue: false,
  overdueDays: 0,
  receivedOn: null,
  receiptSource: null,
  receiptNote: null,
  cancelledOn: null,
  cancelReason: null,
  version: 2,
  updatedAt: '2026-03-02T09:00:00+08:00',
  abilities: { decide: false, receive: false, recordPaperReceipt: true, cancel: true },
};

const letter: TransferLetter = {
  transfer,
  member: {
    name: '测试党员',
    gender: 'male',
    age: 35,
    ethnicity: '汉族',
    membership: 'full',
    idNumberMasked: '510104********1234',
  },
  issuingOrgName: '中共城关镇委员会',
};

describe('list filters', () => {
  it.each([
    ['out', { side: 'out' }],
    ['in', { side: 'in' }],
    ['all', {}],
  ] as const)('tab %s with a status and a search', (view, expected) => {
    expect(transferFilters(view, { status: 'approved', q: ' 张三 ' })).toEqual({
      ...expected,
      status: 'approved',
      q: '张三',
    });
  });

  it('overdue spans both sides and ignores the status filter', () => {
    expect(transferFilters('overdue', { status: 'requested', q: '' })).toEqual({ overdue: 'true' });
  });

  it('keeps a member filter from the URL', () => {
    expect(transferFilters('all', { memberId: MEMBER_ID })).toEqual({ memberId: MEMBER_ID });
  });

  it('reads the tab from the URL, 全部 by default', () => {
    expect(parseTransferView('overdue')).toBe('overdue');
    expect(parseTransferView(null)).toBe('all');
    expect(parseTransferView('bogus')).toBe('all');
  });
});

describe('row labels', () => {
  it('says how many days a letter is overdue', () => {
    expect(overdueLabel({ overdue: true, overdueDays: 5 })).toBe('逾期5天');
    expect(overdueLabel({ overdue: false, overdueDays: 0 })).toBeNull();
  });

  it('shows the region of an org outside the system', () => {
    expect(destinationText(transfer)).toBe('深圳市某公司党支部（广东省深圳市南山区）');
    expect(destinationText({ ...transfer, toOrgId: ORG_ID })).toBe('深圳市某公司党支部');
  });

  it('offers the receipts the abilities allow', () => {
    expect(receiptSources({ receive: true, recordPaperReceipt: true })).toEqual([
      'system',
      'paper',
    ]);
    expect(receiptSources({ receive: false, recordPaperReceipt: true })).toEqual(['paper']);
    expect(receiptSources({ receive: false, recordPaperReceipt: false })).toEqual([]);
  });

  it('finds the open transfer among closed ones', () => {
    const closed = { ...transfer, id: 'a', status: 'cancelled' as const };
    expect(openTransferOf([closed, transfer])?.id).toBe(transfer.id);
    expect(openTransferOf([closed])).toBeNull();
  });
});

describe('request input', () => {
  it('an org in the system: id only, no region', () => {
    const input = toRequestInput(MEMBER_ID, {
      toOrgMode: 'system',
      toOrgId: ORG_ID,
      toOrgText: '残留文字',
      toRegionCode: '440305',
      reason: ' 工作稳定 ',
    });
    expect(input).toEqual({
      memberId: MEMBER_ID,
      toOrgId: ORG_ID,
      toOrgText: null,
      toRegionCode: null,
      reason: '工作稳定',
    });
    expect(RequestTransferInput.safeParse(input).success).toBe(true);
  });

  it('an org outside the system: name and region', () => {
    const input = toRequestInput(MEMBER_ID, {
      toOrgMode: 'text',
      toOrgText: '深圳市某公司党支部',
      toRegionCode: '440305',
      reason: '工作稳定',
    });
    expect(input).toMatchObject({ toOrgId: null, toOrgText: '深圳市某公司党支部' });
    expect(RequestTransferInput.safeParse(input).success).toBe(true);
  });

  it('outside the system without a region is refused with the contract message', () => {
    const result = RequestTransferInput.safeParse(
      toRequestInput(MEMBER_ID, { toOrgMode: 'text', toOrgText: '某党支部', reason: '工作稳定' }),
    );
    expect(result.error?.issues[0]?.message).toBe('系统外的接收党组织请选择所在行政区划');
  });
});

describe('decision and receipt input', () => {
  it('a rejection needs a reason', () => {
    expect(DecideTransferInput.safeParse(toDecideInput({ decision: 'reject' }, 2)).success).toBe(
      false,
    );
    const ok = toDecideInput({ decision: 'reject', note: ' 手续不全 ' }, 2);
    expect(ok).toEqual({ decision: 'reject', note: '手续不全', version: 2 });
    expect(DecideTransferInput.safeParse(ok).success).toBe(true);
  });

  it('a receipt names its source and date', () => {
    const input = toReceiveInput({ source: 'paper', receivedOn: dayjs('2026-03-20') }, 3);
    expect(input).toEqual({ source: 'paper', receivedOn: '2026-03-20', note: null, version: 3 });
    expect(ReceiveTransferInput.safeParse(input).success).toBe(true);
  });

  it('a receipt date lies between the letter and today', () => {
    const today = dayjs('2026-03-20');
    expect(receiptDateDisabled(dayjs('2026-03-01'), '2026-03-02', today)).toBe(true);
    expect(receiptDateDisabled(dayjs('2026-03-02'), '2026-03-02', today)).toBe(false);
    expect(receiptDateDisabled(dayjs('2026-03-21'), '2026-03-02', today)).toBe(true);
  });
});

describe('the printed letter', () => {
  it('describes the member with the masked ID number', () => {
    expect(memberParticulars(letter.member)).toBe(
      '男，35岁，汉族，正式党员，身份证号码 510104********1234',
    );
  });

  it('leaves blanks for unknown facts and takes labels as they come', () => {
    expect(
      memberParticulars({
        ...letter.member,
        gender: '女',
        age: null,
        ethnicity: null,
        membership: '预备党员',
        idNumberMasked: null,
      }),
    ).toBe(`女，${BLANK}岁，${BLANK}，预备党员，身份证号码 ${BLANK}`);
  });

  it('reads as the letter sentence', () => {
    expect(introductionText(letter)).toBe(
      '兹介绍测试党员同志（男，35岁，汉族，正式党员，身份证号码 510104********1234）的党员组织关系由城关镇第一党支部转去深圳市某公司党支部（广东省深圳市南山区），请接洽。',
    );
    expect(receiptText(letter)).toBe(
      '你处南组〔2026〕17号介绍信所介绍的测试党员同志的党员组织关系已转达我处，特此回复。',
    );
  });

  it('prints dates in Chinese and the validity in days', () => {
    expect(chineseDate('2026-03-02')).toBe('2026年3月2日');
    expect(chineseDate(null)).toBe(`${BLANK}年${SHORT_BLANK}月${SHORT_BLANK}日`);
    expect(validityDays('2026-03-02', '2026-04-01')).toBe(30);
    expect(validityDays(null, '2026-04-01')).toBeNull();
  });
});
