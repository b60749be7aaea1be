import dayjs from 'dayjs';

export const EMPTY_TEXT = '—';

export function formatDate(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD') : EMPTY_TEXT;
}

export function formatDateTime(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD HH:mm:ss') : EMPTY_TEXT;
}

/** Down to the minute, for tables where seconds only take room (最近登录). */
export function formatDateTimeMinutes(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD HH:mm') : EMPTY_TEXT;
}

/** Without the year, for dense tables; pair it with the full form in a tooltip. */
export function formatShortDateTime(value: string | null | undefined): string {
  return value ? dayjs(value).format('MM-DD HH:mm:ss') : EMPTY_TEXT;
}

export function orEmpty(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? EMPTY_TEXT : value;
}

/** Form text → API value: blank becomes null so that clearing a field clears it on the server. */
export function blankToNull(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
