import { describe, expect, it } from 'vitest';
import type { MobilityBrief, MobilityRecord } from '@liudong/contracts';
import {
  industryLabel,
  mobilitiesNewestFirst,
  mobilityPlaceText,
  mobilityReasonLabel,
  mobilitySummaryText,
  mobilityTagColor,
  mobilityTagText,
  unitTypeLabel,
} from './member-labels';

const brief: MobilityBrief = {
  id: '00000000-0000-4000-8000-000000000001',
  direction: 'outflow',
  status: 'serving',
  leftOn: '2024-03-01',
  destinationRegionCode: '510104',
  destinationName: '四川省成都市锦江区',
  hostOrgName: '成都市南岭流动党员党支部',
};

function record(id: string, leftOn: string, registeredOn = leftOn): MobilityRecord {
  return {
    ...brief,
    id,
    leftOn,
    registeredOn,
    version: 1,
    employer: null,
    industry: null,
    unitType: null,
    originalOccupation: null,
    reason: 'work',
    reasonNote: null,
    expectedMonths: null,
    hostContact: null,
    mobilityRange: null,
    homeOrgName: null,
    checkedInOn: null,
    endedOn: null,
    endNote: null,
    destinationAddressMasked: null,
    timeline: [],
  };
}

describe('mobility tag and place', () => {
  it('names direction and step as the list shows them', () => {
    expect(mobilityTagText(brief)).toBe('流出·服务中');
    expect(mobilityTagText({ direction: 'inflow', status: 'registered' })).toBe('流入·已登记');
  });

  it('colours open outflows, open inflows and ended episodes apart', () => {
    expect(mobilityTagColor(brief)).toBe('orange');
    expect(mobilityTagColor({ direction: 'inflow', status: 'serving' })).toBe('blue');
    expect(mobilityTagColor({ direction: 'outflow', status: 'returned' })).toBe('default');
  });

  it('shows the destination of an outflow and the origin of an inflow', () => {
    expect(mobilityPlaceText(brief)).toBe('四川省成都市锦江区');
    expect(mobilityPlaceText({ ...brief, direction: 'inflow' })).toBe('来自四川省成都市锦江区');
  });

  it('falls back to the region code, then to a note, when the name is missing', () => {
    expect(mobilityPlaceText({ ...brief, destinationName: null })).toBe('510104');
    expect(
      mobilityPlaceText({ ...brief, destinationName: null, destinationRegionCode: null }),
    ).toBe('流入地未登记');
  });

  it('summarizes the whole cell in words', () => {
    expect(mobilitySummaryText(brief)).toBe(
      '流出·服务中 四川省成都市锦江区 接收党组织：成都市南岭流动党员党支部',
    );
    expect(mobilitySummaryText({ ...brief, hostOrgName: null })).toBe(
      '流出·服务中 四川省成都市锦江区',
    );
    expect(mobilitySummaryText(null)).toBe('未流动');
  });
});

describe('statistics vocabularies', () => {
  it('labels known codes and shows unknown ones as they are', () => {
    expect(industryLabel('E')).toBe('建筑业');
    expect(unitTypeLabel('private_enterprise')).toBe('私营企业');
    expect(mobilityReasonLabel('work')).toBe('务工');
    expect(industryLabel('Z9')).toBe('Z9');
    expect(industryLabel(null)).toBe('—');
  });
});

describe('mobilitiesNewestFirst', () => {
  it('orders by departure, then registration, newest first, without mutating', () => {
    const list = [
      record('a', '2021-05-01'),
      record('b', '2024-03-01', '2024-02-01'),
      record('c', '2024-03-01', '2024-02-20'),
    ];
    expect(mobilitiesNewestFirst(list).map((m) => m.id)).toEqual(['c', 'b', 'a']);
    expect(list.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });
});
