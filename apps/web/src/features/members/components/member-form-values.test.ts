import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import type { MemberDetail } from '@liudong/contracts';
import { computeIdCheckChar } from '@liudong/domain';
import {
  idNumberHint,
  serverFieldErrors,
  toCreateInput,
  toFormValues,
  toUpdateInput,
  typedPersonalFields,
  type MemberFormValues,
} from './member-form-values';

// A synthetic number: region 510104, born 1990-03-07, sequence 123 (odd: male).
const FIRST_17 = '51010419900307123';
const ID_NUMBER = FIRST_17 + computeIdCheckChar(FIRST_17);

const member: MemberDetail = {
  id: '00000000-0000-4000-8000-000000000001',
  name: '测试党员',
  gender: 'female',
  ethnicity: '汉族',
  age: 36,
  education: 'bachelor',
  idNumberMasked: '510104********1234',
  phoneMasked: '138****5678',
  homeAddressMasked: '四川省成都市****',
  currentAddressMasked: null,
  emergencyContactName: '联系人',
  emergencyContactPhoneMasked: null,
  orgId: '00000000-0000-4000-8000-000000000002',
  orgName: '测试党支部',
  membership: 'full',
  joinedOn: '2015-07-01',
  fullMemberOn: '2016-07-01',
  partyPosts: null,
  mobilities: [],
  version: 3,
  updatedAt: '2025-01-01T00:00:00+08:00',
  abilities: { update: true, reveal: true },
};

describe('edit form values', () => {
  it('never prefills the personal fields', () => {
    const values = toFormValues(member);
    expect(values.idNumber).toBeUndefined();
    expect(values.phone).toBeUndefined();
    expect(values.homeAddress).toBeUndefined();
    expect(values.name).toBe('测试党员');
    expect(values.joinedOn?.format('YYYY-MM-DD')).toBe('2015-07-01');
  });

  it('sends a personal field only when a new value was typed', () => {
    const values: MemberFormValues = { ...toFormValues(member), phone: ' 139 1234 5678 ' };
    const input = toUpdateInput(values, member.version);
    expect(input.version).toBe(3);
    expect(input.phone).toBe('13912345678');
    expect('idNumber' in input).toBe(false);
    expect('homeAddress' in input).toBe(false);
    expect(input.name).toBe('测试党员');
  });

  it('normalizes a typed ID number (spaces, a legacy 15-digit number) before sending it', () => {
    expect(typedPersonalFields({ name: 'x', idNumber: ` ${ID_NUMBER} ` }).idNumber).toBe(ID_NUMBER);
    // The same person's pre-1999 number: no century, no check character.
    expect(typedPersonalFields({ name: 'x', idNumber: '510104900307123' }).idNumber).toBe(
      ID_NUMBER,
    );
  });

  it('clears the full-membership date of a probationary member', () => {
    const values: MemberFormValues = {
      ...toFormValues(member),
      membership: 'probationary',
      fullMemberOn: dayjs('2016-07-01'),
    };
    expect(toUpdateInput(values, 3).fullMemberOn).toBeNull();
  });
});

describe('create form values', () => {
  it('leaves blank personal fields out and turns blank text into null', () => {
    const input = toCreateInput({
      name: ' 新党员 ',
      gender: 'male',
      orgId: member.orgId,
      idNumber: ID_NUMBER,
      phone: '',
      ethnicity: '  ',
      membership: 'full',
      joinedOn: dayjs('2020-07-01'),
    });
    expect(input).toMatchObject({
      name: '新党员',
      orgId: member.orgId,
      idNumber: ID_NUMBER,
      ethnicity: null,
      joinedOn: '2020-07-01',
      membership: 'full',
    });
    expect('phone' in input).toBe(false);
  });
});

describe('idNumberHint', () => {
  it('shows the birth date and gender of a valid number', () => {
    const hint = idNumberHint(ID_NUMBER);
    expect(hint).toMatchObject({ ok: true, gender: 'male' });
    expect(hint?.ok && hint.text).toContain('出生日期 1990-03-07，性别 男');
  });

  it('gives the domain message for a wrong number and nothing for an empty field', () => {
    expect(idNumberHint('12345')).toEqual({
      ok: false,
      message: '身份证号码格式不正确，应为18位（或15位旧号码）',
    });
    expect(idNumberHint('  ')).toBeNull();
  });
});

describe('serverFieldErrors', () => {
  it('puts each message on its field, whatever the path shape', () => {
    const { fields, other } = serverFieldErrors([
      { path: ['idNumber'], message: '身份证号码校验位不正确，请核对' },
      { path: 'body.phone', message: '手机号码或固定电话格式不正确' },
      { path: ['phone'], message: '手机号码或固定电话格式不正确' },
      { path: ['somethingElse'], message: '其他问题' },
      'not an issue',
    ]);
    expect(fields).toEqual([
      { name: ['idNumber'], errors: ['身份证号码校验位不正确，请核对'] },
      { name: ['phone'], errors: ['手机号码或固定电话格式不正确'] },
    ]);
    expect(other).toEqual(['其他问题']);
  });

  it('accepts details that are not a list', () => {
    expect(serverFieldErrors(undefined)).toEqual({ fields: [], other: [] });
  });
});
