import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import {
  MobilityTransitionInput,
  RegisterInflowInput,
  RegisterOutflowInput,
} from '@liudong/contracts';
import { computeIdCheckChar } from '@liudong/domain';
import { z } from 'zod';
import { ApiError } from '../../../api/client';
import {
  errorAboveForm,
  fieldErrorsOf,
  offeredSteps,
  orgChoice,
  toInflowInput,
  toOutflowInput,
  toTransitionInput,
  type InflowFormValues,
} from './mobility-form-values';

const ORG_ID = '00000000-0000-4000-8000-000000000010';
const HOST_ID = '00000000-0000-4000-8000-000000000020';
// A synthetic number: region 510104, born 1990-03-07, sequence 123.
const FIRST_17 = '51010419900307123';
const ID_NUMBER = FIRST_17 + computeIdCheckChar(FIRST_17);

describe('offered steps', () => {
  it('never offers closing an outflow as transferred: the transfer receipt does that', () => {
    expect(offeredSteps({ direction: 'outflow', status: 'serving' })).toEqual([
      'returned',
      'ended',
    ]);
    expect(offeredSteps({ direction: 'inflow', status: 'serving' })).toEqual([
      'returned',
      'transferred',
      'ended',
    ]);
    expect(offeredSteps({ direction: 'outflow', status: 'returned' })).toEqual([]);
  });
});

describe('orgChoice', () => {
  it.each([
    ['system mode keeps the id only', 'system', ORG_ID, '某党支部', { orgId: ORG_ID, text: null }],
    [
      'text mode keeps the trimmed name only',
      'text',
      ORG_ID,
      ' 某党支部 ',
      { orgId: null, text: '某党支部' },
    ],
    ['no mode means the directory', undefined, ORG_ID, undefined, { orgId: ORG_ID, text: null }],
    ['blank text is nothing', 'text', null, '   ', { orgId: null, text: null }],
    ['no pick is nothing', 'system', null, '某党支部', { orgId: null, text: null }],
  ] as const)('%s', (_, mode, id, text, expected) => {
    expect(orgChoice(mode, id, text)).toEqual(expected);
  });
});

describe('outflow input', () => {
  const base = {
    leftOn: dayjs('2026-03-01'),
    destinationRegionCode: '440305',
    reason: 'work' as const,
  };

  it('sends the host org picked in the directory, never both', () => {
    const input = toOutflowInput({
      ...base,
      hostOrgMode: 'system',
      hostOrgId: HOST_ID,
      // Left in the form by a switch of mode: not sent.
      hostOrgText: '旧名称',
    });
    expect(input.hostOrgId).toBe(HOST_ID);
    expect(input.hostOrgText).toBeNull();
    expect(RegisterOutflowInput.safeParse(input).success).toBe(true);
  });

  it('sends a host org outside the system by name', () => {
    const input = toOutflowInput({ ...base, hostOrgMode: 'text', hostOrgText: '深圳某公司党支部' });
    expect(input).toMatchObject({ hostOrgId: null, hostOrgText: '深圳某公司党支部' });
    expect(RegisterOutflowInput.safeParse(input).success).toBe(true);
  });

  it('may leave the host org for later', () => {
    const input = toOutflowInput({ ...base, hostOrgMode: 'system' });
    expect(input).toMatchObject({ hostOrgId: null, hostOrgText: null, leftOn: '2026-03-01' });
    expect(RegisterOutflowInput.safeParse(input).success).toBe(true);
  });
});

describe('transition input', () => {
  it('check-in with a directory org sends its id only', () => {
    const input = toTransitionInput(
      'settled',
      { hostOrgMode: 'system', hostOrgId: HOST_ID, hostOrgText: '旧名称', hostContact: ' 王老师 ' },
      4,
    );
    expect(input).toEqual({
      to: 'settled',
      version: 4,
      note: null,
      hostOrgId: HOST_ID,
      hostContact: '王老师',
    });
    expect(MobilityTransitionInput.safeParse(input).success).toBe(true);
  });

  it('check-in with a written name sends the name only', () => {
    const input = toTransitionInput(
      'serving',
      { hostOrgMode: 'text', hostOrgId: HOST_ID, hostOrgText: '某商会党委' },
      2,
    );
    expect(input.hostOrgText).toBe('某商会党委');
    expect('hostOrgId' in input).toBe(false);
    expect(MobilityTransitionInput.safeParse(input).success).toBe(true);
  });

  it('a blank host org leaves the saved one as it is', () => {
    const input = toTransitionInput('settled', { hostOrgMode: 'system' }, 1);
    expect('hostOrgId' in input).toBe(false);
    expect('hostOrgText' in input).toBe(false);
  });

  it('other steps carry no check-in data', () => {
    const input = toTransitionInput(
      'informed',
      { hostOrgMode: 'system', hostOrgId: HOST_ID, note: '已告知' },
      1,
    );
    expect(input).toEqual({ to: 'informed', version: 1, note: '已告知' });
  });

  it('a return carries its date and conduct note', () => {
    const input = toTransitionInput(
      'returned',
      { endedOn: dayjs('2026-05-01'), endNote: '表现良好' },
      3,
    );
    expect(input).toMatchObject({ endedOn: '2026-05-01', endNote: '表现良好' });
    expect(MobilityTransitionInput.safeParse(input).success).toBe(true);
  });
});

describe('inflow input', () => {
  const base: InflowFormValues = {
    name: ' 测试流入 ',
    idNumber: ` ${ID_NUMBER.toLowerCase()} `,
    phone: '139 1234 5678',
    membership: 'probationary',
    hostOrgId: HOST_ID,
    arrivedOn: dayjs('2026-04-02'),
    reason: 'work',
  };

  it('a home org in the system: id only, no region (the org has its own)', () => {
    const input = toInflowInput({
      ...base,
      homeOrgMode: 'system',
      homeOrgId: ORG_ID,
      homeRegionCode: '510104',
    });
    expect(input).toMatchObject({
      name: '测试流入',
      idNumber: ID_NUMBER,
      phone: '13912345678',
      membership: 'probationary',
      homeOrgId: ORG_ID,
      homeOrgText: null,
      homeRegionCode: null,
      hostOrgId: HOST_ID,
      arrivedOn: '2026-04-02',
    });
    expect(RegisterInflowInput.safeParse(input).success).toBe(true);
  });

  it('a home org outside the system: name and region', () => {
    const input = toInflowInput({
      ...base,
      homeOrgMode: 'text',
      homeOrgId: ORG_ID,
      homeOrgText: '外省某村党支部',
      homeRegionCode: '510104',
      certificateNumber: ' 川2026001 ',
    });
    expect(input).toMatchObject({
      homeOrgId: null,
      homeOrgText: '外省某村党支部',
      homeRegionCode: '510104',
      certificateNumber: '川2026001',
    });
    expect(RegisterInflowInput.safeParse(input).success).toBe(true);
  });

  it('no home org at all is refused by the contract with its message', () => {
    const result = RegisterInflowInput.safeParse(toInflowInput({ ...base, homeOrgMode: 'text' }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain('请选择或填写流出地党组织');
  });

  it('an ID number that does not parse is sent as typed (the server explains)', () => {
    const input = toInflowInput({ ...base, idNumber: ' 12345 ', phone: '' });
    expect(input.idNumber).toBe('12345');
    expect(input.phone).toBeNull();
  });
});

describe('fieldErrorsOf', () => {
  it('puts messages on known fields and keeps the rest apart', () => {
    const result = fieldErrorsOf(
      [
        { path: ['idNumber'], message: '身份证号码校验位不正确' },
        { path: 'body.hostOrgId', message: '不在管辖范围内' },
        { path: ['idNumber'], message: '身份证号码校验位不正确' },
        { path: ['somethingElse'], message: '其他问题' },
        'not an object',
      ],
      ['idNumber', 'hostOrgId'] as const,
    );
    expect(result.fields).toEqual([
      { name: ['idNumber'], errors: ['身份证号码校验位不正确'] },
      { name: ['hostOrgId'], errors: ['不在管辖范围内'] },
    ]);
    expect(result.other).toEqual(['其他问题']);
  });

  it('ignores details that are not a list', () => {
    expect(fieldErrorsOf({ message: 'x' }, ['name'] as const)).toEqual({ fields: [], other: [] });
  });
});

describe('errorAboveForm', () => {
  const fields = ['idNumber', 'hostOrgId'] as const;

  it('shows nothing for the form’s own complaints (they sit by their fields)', () => {
    expect(errorAboveForm(new z.ZodError([]), fields)).toBeNull();
    expect(errorAboveForm(null, fields)).toBeNull();
  });

  it('sums up field messages and keeps only the others', () => {
    const error = new ApiError(400, 'validation_failed', '身份证号码校验位不正确', [
      { path: ['idNumber'], message: '身份证号码校验位不正确' },
      { path: ['registeredOn'], message: '登记日期不能晚于今天' },
    ]);
    const above = errorAboveForm(error, fields) as ApiError;
    expect(above.message).toBe('提交的内容有误，请修改后重试');
    expect(above.details).toEqual(['登记日期不能晚于今天']);
  });

  it('passes other errors through unchanged', () => {
    const conflict = new ApiError(409, 'conflict', '该党员正在由他人登记，请稍后重试');
    expect(errorAboveForm(conflict, fields)).toBe(conflict);
    const unplaced = new ApiError(400, 'validation_failed', '请求有误', [{ message: 'x' }]);
    expect(errorAboveForm(unplaced, fields)).toBe(unplaced);
  });
});
