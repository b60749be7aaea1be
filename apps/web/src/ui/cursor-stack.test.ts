import { describe, expect, it } from 'vitest';
import {
  firstPage,
  goToNextPage,
  goToPreviousPage,
  hasPreviousPage,
  pageNumber,
  stackFor,
} from './cursor-stack';

describe('cursor stack', () => {
  it('starts on the first page with nothing behind it', () => {
    expect(firstPage.current).toBeUndefined();
    expect(hasPreviousPage(firstPage)).toBe(false);
    expect(pageNumber(firstPage)).toBe(1);
  });

  it('walks forward and back to the same cursors', () => {
    const second = goToNextPage(firstPage, 'c2');
    const third = goToNextPage(second, 'c3');
    expect(third).toEqual({ previous: [undefined, 'c2'], current: 'c3' });
    expect(pageNumber(third)).toBe(3);
    const back = goToPreviousPage(third);
    expect(back).toEqual(second);
    expect(goToPreviousPage(back)).toEqual(firstPage);
  });

  it('stays on the first page when asked to go back from it', () => {
    expect(goToPreviousPage(firstPage)).toBe(firstPage);
  });

  it('does not mutate the stack it was given', () => {
    const second = goToNextPage(firstPage, 'c2');
    goToNextPage(second, 'c3');
    expect(second.previous).toEqual([undefined]);
  });
});

describe('cursor stack per set of filters', () => {
  it('reuses the pages seen while the filters stay the same', () => {
    const stack = goToNextPage(firstPage, 'c2');
    expect(stackFor({ key: 'a', stack }, 'a')).toBe(stack);
  });

  it('starts again on the first page when the filters change', () => {
    const stack = goToNextPage(firstPage, 'c2');
    expect(stackFor({ key: 'a', stack }, 'b')).toBe(firstPage);
    expect(stackFor(null, 'a')).toBe(firstPage);
  });
});
