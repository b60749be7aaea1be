import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SMS_TEMPLATES,
  SMS_MAX_ATTEMPTS,
  renderTemplate,
  smsRetryDelayMs,
  smsSegments,
  templateVariables,
} from './sms';

describe('templateVariables', () => {
  it.each([
    ['no variables', '同志们好', []],
    ['one', '${name}同志', ['name']],
    ['in order of first appearance, once each', '${b}${a}${b}', ['b', 'a']],
    ['digits and underscores after the first letter', '${a_1}${_x}', ['a_1', '_x']],
    ['a name may not start with a digit', '${1a}', []],
    ['no spaces inside', '${ name }', []],
    ['unclosed', '${name', []],
    ['not the {{ }} form', '{{name}}', []],
    ['Chinese names are not variables', '${姓名}', []],
    ['30 characters at most', `\${${'a'.repeat(31)}}`, []],
    ['exactly 30 is fine', `\${${'a'.repeat(30)}}`, ['a'.repeat(30)]],
  ])('%s', (_, body, expected) => {
    expect(templateVariables(body)).toEqual(expected);
  });

  it('reads the default templates', () => {
    const byName = Object.fromEntries(
      DEFAULT_SMS_TEMPLATES.map((t) => [t.name, templateVariables(t.body)]),
    );
    expect(byName).toEqual({
      联系提醒: ['name', 'overdue', 'week'],
      失联预警: ['name', 'member', 'months'],
      节日问候: ['name', 'festival'],
      学习通知: ['name', 'topic'],
    });
  });
});

describe('renderTemplate', () => {
  it.each([
    [
      'fills every variable',
      '${name}同志：${festival}快乐',
      { name: '张三', festival: '春节' },
      '张三同志：春节快乐',
      [],
    ],
    ['numbers are written as they are', '逾期${n}人', { n: 3 }, '逾期3人', []],
    ['zero is a value', '逾期${n}人', { n: 0 }, '逾期0人', []],
    ['a missing value is reported, not sent as ${…}', '${name}同志', {}, '同志', ['name']],
    ['an empty string counts as missing', '${name}同志', { name: '' }, '同志', ['name']],
    ['null counts as missing', '${name}同志', { name: null }, '同志', ['name']],
    ['reported once however often used', '${a}${a}', {}, '', ['a']],
    ['extra values are ignored', '你好', { name: '张三' }, '你好', []],
    ['a value is not read as a variable again', '${a}', { a: '${b}' }, '${b}', []],
    ['text that is not a variable stays', '$ {x} ${1}', {}, '$ {x} ${1}', []],
  ] as const)('%s', (_, body, values, text, missing) => {
    expect(renderTemplate(body, values)).toEqual({ text, missing });
  });
});

describe('smsSegments', () => {
  it.each([
    ['empty', '', 1],
    ['one character', '好', 1],
    ['70 characters: one message', '好'.repeat(70), 1],
    ['71: two parts of 67', '好'.repeat(71), 2],
    ['134 = 2 × 67', '好'.repeat(134), 2],
    ['135', '好'.repeat(135), 3],
    ['500 (the provider maximum)', '好'.repeat(500), 8],
    ['Latin letters count like Chinese ones', 'a'.repeat(71), 2],
    // Counted in characters (code points), not UTF-16 units: 70 emoji are 140 units.
    ['characters outside the BMP count once', '😀'.repeat(70), 1],
  ])('%s', (_, text, expected) => {
    expect(smsSegments(text)).toBe(expected);
  });

  it('a default broadcast with its sign is billed as one message', () => {
    const body = DEFAULT_SMS_TEMPLATES.find((t) => t.name === '节日问候')!.body;
    const { text } = renderTemplate(body, { name: '欧阳明华', festival: '中秋节' });
    expect(smsSegments(`【南岭县委组织部】${text}`)).toBe(1);
  });
});

describe('smsRetryDelayMs', () => {
  it.each([
    [0, 60_000],
    [1, 60_000],
    [2, 5 * 60_000],
    [3, 30 * 60_000],
    [4, 2 * 3_600_000],
    [5, null],
    [6, null],
  ])('after %i failed tries: %s ms', (attempts, expected) => {
    expect(smsRetryDelayMs(attempts)).toBe(expected);
  });

  it('gives up exactly at SMS_MAX_ATTEMPTS, with delays that grow until then', () => {
    const delays = Array.from({ length: SMS_MAX_ATTEMPTS - 1 }, (_, i) => smsRetryDelayMs(i + 1)!);
    expect(delays.every((d, i) => i === 0 || d > delays[i - 1]!)).toBe(true);
    expect(smsRetryDelayMs(SMS_MAX_ATTEMPTS)).toBeNull();
  });
});
