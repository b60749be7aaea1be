/**
 * Keyset pagination in the browser (SECURITY.md 27): the server gives only `nextCursor`, so going
 * back means remembering the cursors of the pages already seen. `undefined` is the first page.
 * Immutable so that it can live in React state.
 */
export interface CursorStack {
  /** Cursors of the pages before the current one, oldest first. */
  readonly previous: readonly (string | undefined)[];
  /** Cursor of the page on screen. */
  readonly current: string | undefined;
}

export const firstPage: CursorStack = { previous: [], current: undefined };

export function goToNextPage(stack: CursorStack, nextCursor: string): CursorStack {
  return { previous: [...stack.previous, stack.current], current: nextCursor };
}

export function goToPreviousPage(stack: CursorStack): CursorStack {
  if (stack.previous.length === 0) return stack;
  return {
    previous: stack.previous.slice(0, -1),
    current: stack.previous[stack.previous.length - 1],
  };
}

export function hasPreviousPage(stack: CursorStack): boolean {
  return stack.previous.length > 0;
}

/** 1-based page number, for "第 n 页". */
export function pageNumber(stack: CursorStack): number {
  return stack.previous.length + 1;
}

/**
 * The pages seen for one set of filters. A list keeps `{ key, stack }` in state with the filters
 * serialized as `key`: when the filters change, the stale stack is simply not used any more
 * (`stackFor` gives the first page) — no effect needed to reset it.
 */
export interface KeyedCursorStack {
  readonly key: string;
  readonly stack: CursorStack;
}

export function stackFor(paging: KeyedCursorStack | null, key: string): CursorStack {
  return paging && paging.key === key ? paging.stack : firstPage;
}

/** The keyed stack after going to the page at `nextCursor` of the list filtered by `key`. */
export function nextKeyed(
  paging: KeyedCursorStack | null,
  key: string,
  nextCursor: string,
): KeyedCursorStack {
  return { key, stack: goToNextPage(stackFor(paging, key), nextCursor) };
}

/** The keyed stack after going back one page of the list filtered by `key`. */
export function previousKeyed(paging: KeyedCursorStack | null, key: string): KeyedCursorStack {
  return { key, stack: goToPreviousPage(stackFor(paging, key)) };
}
