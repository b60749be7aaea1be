import { describe, expect, it } from 'vitest';
import { literalCell } from './literal-cell';

describe('literalCell (SECURITY.md 22)', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+8613800000000', "'+8613800000000"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=cmd', "'\t=cmd"],
    ['\r=cmd', "'\r=cmd"],
    ['＝HYPERLINK("x")', '\'＝HYPERLINK("x")'],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠x', "'＠x"],
    ['张三', '张三'],
    ['深圳某科技有限公司', '深圳某科技有限公司'],
    ['2026-11-20', '2026-11-20'],
    ['a=b', 'a=b'],
    [' =1', ' =1'],
    ["'=1", "'=1"],
    ['', null],
    [null, null],
    [undefined, null],
  ] as const)('%j → %j', (input, expected) => {
    expect(literalCell(input)).toBe(expected);
  });
});
