import { describe, expect, it } from 'vitest';
import { matchHeader, matchHeaders } from './sheet-headers';

describe('sheet header matching', () => {
  it.each([
    ['姓名', 'name'],
    [' 姓 名 ', 'name'],
    ['身份证号码（18位）*', 'idNumber'],
    ['公民身份号码', 'idNumber'],
    ['手机号码', 'phone'],
    ['联系电话：', 'phone'],
    ['入党时间(年月)', 'joinedOn'],
    ['所在党支部', 'orgName'],
    ['外出时间', 'leftOn'],
    ['流入地', 'destination'],
    ['流动党员活动证号', 'certificateNumber'],
    ['【必填】工作单位', 'employer'],
    ['备注', null],
  ] as const)('%s → %s', (title, field) => {
    expect(matchHeader(title)).toBe(field);
  });

  it('maps a header row, keeps the first of two titles for one field, and reports the rest', () => {
    expect(
      matchHeaders(['序号', '姓名', '性别', '身份证号', '联系电话', '手机号', null, '备注']),
    ).toEqual({
      columns: { name: 1, gender: 2, idNumber: 3, phone: 4 },
      unmatched: [
        { index: 0, title: '序号' },
        { index: 7, title: '备注' },
      ],
      duplicates: [{ index: 5, title: '手机号', field: 'phone' }],
    });
  });
});
