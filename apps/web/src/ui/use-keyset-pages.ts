import { useState } from 'react';
import {
  hasPreviousPage,
  nextKeyed,
  pageNumber,
  previousKeyed,
  stackFor,
  type KeyedCursorStack,
} from './cursor-stack';

export interface KeysetPages {
  /** Cursor of the page to fetch; `undefined` for the first page. */
  readonly cursor: string | undefined;
  /** 1-based page number, for "第 n 页". */
  readonly page: number;
  readonly hasPrev: boolean;
  next(nextCursor: string): void;
  prev(): void;
  /** Back to the first page (e.g. a search run again with the same filters). */
  reset(): void;
}

/**
 * Keyset pages of one list (see cursor-stack). `filtersKey` is the filters serialized: when it
 * changes, the list is back on the first page.
 */
export function useKeysetPages(filtersKey: string): KeysetPages {
  const [paging, setPaging] = useState<KeyedCursorStack | null>(null);
  const stack = stackFor(paging, filtersKey);
  return {
    cursor: stack.current,
    page: pageNumber(stack),
    hasPrev: hasPreviousPage(stack),
    next: (nextCursor) => setPaging((current) => nextKeyed(current, filtersKey, nextCursor)),
    prev: () => setPaging((current) => previousKeyed(current, filtersKey)),
    reset: () => setPaging(null),
  };
}
