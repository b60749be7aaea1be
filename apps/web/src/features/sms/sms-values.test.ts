import { describe, expect, it } from 'vitest';
import { BroadcastInput, type BroadcastPreview, type SmsTemplate } from '@liudong/contracts';
import { DEFAULT_SMS_TEMPLATES } from '@liudong/domain';
import {
  broadcastCounts,
  broadcastKey,
  broadcastParamNames,
  broadcastTemplates,
  driverText,
  lengthText,
  limitWarning,
  outboxRefetchInterval,
  previewText,
  sendBlocker,
  sendConfirmText,
  toBroadcastInput,
  variableLabel,
} from './sms-values';

const ORG = '00000000-0000-4000-8000-000000000001';
const TEMPLATE = '00000000-0000-4000-8000-000000000002';
const greeting = DEFAULT_SMS_TEMPLATES.find((t) => t.name === '节日问候')!;

const template = (over: Partial<SmsTemplate>): SmsTemplate => ({
  id: TEMPLATE,
  name: '节日问候',
  kind: 'broadcast',
  body: greeting.body,
  variables: ['name', 'festival'],
  providerTemplateCode: null,
  active: true,
  version: 1,
  ...over,
});

describe('templates', () => {
  it('asks the sender for every variable but the recipient name', () => {
    expect(broadcastParamNames({ body: greeting.body })).toEqual(['festival']);
    expect(broadcastParamNames({ body: '${topic}：${name}，${topic}' })).toEqual(['topic']);
    expect(broadcastParamNames({ body: '无变量' })).toEqual([]);
  });

  it('offers only active broadcast templates for a broadcast', () => {
    const list = [
      template({ id: 'a' }),
      template({ id: 'b', active: false }),
      template({ id: 'c', kind: 'reminder' }),
    ];
    expect(broadcastTemplates(list).map((t) => t.id)).toEqual(['a']);
  });

  it('names the known variables', () => {
    expect(variableLabel('festival')).toBe('节日');
    expect(variableLabel('custom_x')).toBe('custom_x');
  });
});

describe('previewText', () => {
  it('fills sample values in the editor, with length and segments', () => {
    const preview = previewText(greeting.body, {}, true);
    expect(preview.text).toContain('值此春节之际');
    expect(preview.text).not.toContain('${');
    expect(preview.missing).toEqual([]);
    expect(preview.variables).toEqual(['name', 'festival']);
    expect(preview.chars).toBe([...preview.text].length);
    expect(preview.segments).toBe(preview.chars <= 70 ? 1 : Math.ceil(preview.chars / 67));
  });

  it('marks an unknown variable so the author sees where it lands', () => {
    expect(previewText('您好${unit}', {}, true).text).toBe('您好〔unit〕');
  });

  it('reports what the sender has not filled in when samples are off', () => {
    const preview = previewText(greeting.body, { festival: '  ' }, false);
    expect(preview.missing).toEqual(['name', 'festival']);
    expect(previewText(greeting.body, { festival: '中秋节' }, false).text).toContain(
      '值此中秋节之际',
    );
  });

  it('counts segments as providers bill them', () => {
    expect(previewText('', {}, true)).toMatchObject({ chars: 0, segments: 0 });
    expect(previewText('字'.repeat(70), {}, true).segments).toBe(1);
    expect(previewText('字'.repeat(71), {}, true).segments).toBe(2);
    expect(previewText('字'.repeat(135), {}, true).segments).toBe(3);
    expect(previewText('字'.repeat(501), {}, true).tooLong).toBe(true);
    expect(lengthText({ chars: 58, segments: 1 })).toBe('58 字 · 1 条');
    expect(lengthText({ chars: 140, segments: 3 })).toContain('3 条（');
  });
});

describe('the broadcast request', () => {
  it('sends only the template’s own params, trimmed, and the filter', () => {
    const input = toBroadcastInput(
      {
        templateId: TEMPLATE,
        orgId: ORG,
        direction: 'outflow',
        destinationRegionCode: '440300',
        params: { festival: ' 春节 ', topic: '留在表单里的旧值', name: '不可覆盖' },
      },
      { body: greeting.body },
    );
    expect(input).toEqual({
      templateId: TEMPLATE,
      filter: { orgId: ORG, direction: 'outflow', destinationRegionCode: '440300' },
      params: { festival: '春节' },
    });
    expect(BroadcastInput.safeParse(input).success).toBe(true);
  });

  it('defaults to every mobile member, anywhere', () => {
    const input = toBroadcastInput({ templateId: TEMPLATE, orgId: ORG }, { body: greeting.body });
    expect(input.filter).toEqual({ orgId: ORG, direction: 'all', destinationRegionCode: null });
    expect(input.params).toEqual({});
  });

  it('keys a preview by the request, whatever the order of the params', () => {
    const a = toBroadcastInput(
      { templateId: TEMPLATE, orgId: ORG, params: { festival: '春节', topic: 'x' } },
      { body: '${festival}${topic}' },
    );
    const b = toBroadcastInput(
      { templateId: TEMPLATE, orgId: ORG, params: { topic: 'x', festival: '春节' } },
      { body: '${topic}${festival}' },
    );
    expect(broadcastKey(a)).toBe(broadcastKey(b));
    expect(broadcastKey(a)).not.toBe(
      broadcastKey({ ...a, filter: { ...a.filter, direction: 'inflow' } }),
    );
  });
});

describe('sending', () => {
  const preview = (over: Partial<BroadcastPreview>): BroadcastPreview => ({
    recipients: 12,
    withoutPhone: 1,
    optedOut: 2,
    sample: '张三同志：值此春节之际……',
    segments: 1,
    missingVariables: [],
    remainingToday: 4980,
    ...over,
  });

  it('may send a complete preview with recipients', () => {
    expect(sendBlocker(preview({}))).toBeNull();
    expect(sendConfirmText(preview({}))).toBe('将向 12 人发送短信');
  });

  it('says why it may not send', () => {
    expect(sendBlocker(preview({ missingVariables: ['festival'] }))).toBe('请先填写：节日');
    expect(sendBlocker(preview({ recipients: 0 }))).toBe('没有可发送的收件人');
    expect(sendBlocker(preview({ remainingToday: 0 }))).toContain('上限');
  });

  it('warns when the group is larger than what is left today', () => {
    expect(limitWarning(preview({}))).toBeNull();
    expect(limitWarning(preview({ remainingToday: 5 }))).toContain('今日剩余可发送 5 条');
  });
});

describe('outbox', () => {
  it('refreshes while a message on screen is queued or sending', () => {
    expect(outboxRefetchInterval(undefined, 5000)).toBe(false);
    expect(outboxRefetchInterval([{ status: 'sent' }, { status: 'failed' }], 5000)).toBe(false);
    expect(outboxRefetchInterval([{ status: 'sent' }, { status: 'queued' }], 5000)).toBe(5000);
    expect(outboxRefetchInterval([{ status: 'sending' }], 5000)).toBe(5000);
  });

  it('lists a broadcast’s counts, sent first, zeros left out', () => {
    expect(broadcastCounts({ queued: 2, sent: 10, failed: 0, suppressed: 1 })).toEqual([
      { status: 'sent', count: 10 },
      { status: 'queued', count: 2 },
      { status: 'suppressed', count: 1 },
    ]);
  });

  it('says clearly that the record driver never sends', () => {
    expect(driverText({ driver: 'record', sentToday: 0, dailyLimit: 5000 })).toContain(
      '当前为记录模式，短信只记入发件箱，不会真正发出',
    );
    expect(driverText({ driver: 'aliyun', sentToday: 12, dailyLimit: 5000 })).toContain(
      '今日已发送 12 / 5000 条',
    );
  });
});
