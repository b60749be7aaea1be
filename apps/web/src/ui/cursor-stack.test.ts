import { describe, expect, it } from 'vitest';
import {
  firstPage,
  goToNextPage,
  goToPreviousPage,
  hasPreviousPage,
  nextKeyed,
  pageNumber,
  previousKeyed,
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

describe('keyed cursor stack', () => {
  it('goes forward and back within the same filters', () => {
    const second = nextKeyed(null, 'a', 'c2');
    expect(second).toEqual({ key: 'a', stack: { previous: [undefined], current: 'c2' } });
    const third = nextKeyed(second, 'a', 'c3');
    expect(pageNumber(third.stack)).toBe(3);
    expect(previousKeyed(third, 'a')).toEqual(second);
    expect(previousKeyed(second, 'a')).toEqual({ key: 'a', stack: firstPage });
  });

  it('starts again from the first page when the filters changed', () => {
    const stale = nextKeyed(nextKeyed(null, 'a', 'c2'), 'a', 'c3');
    expect(nextKeyed(stale, 'b', 'd2')).toEqual({
      key: 'b',
      stack: { previous: [undefined], current: 'd2' },
    });
    expect(previousKeyed(stale, 'b')).toEqual({ key: 'b', stack: firstPage });
  });
});
