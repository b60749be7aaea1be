/**
 * What of an unexpected error may be written to a log or a console. Drizzle's query errors carry
 * the SQL parameters — names, encrypted fields, search terms — in their message and fields, so
 * only the database's error code, constraint, table and a message without values are kept
 * (SECURITY.md 16, 31). The stack stays: it holds code locations, not data.
 */
export function describeSafely(err: unknown): {
  type: string;
  message: string;
  stack?: string;
  db?: Record<string, string>;
} {
  const e = err as {
    name?: string;
    message?: string;
    stack?: string;
    cause?: unknown;
    code?: unknown;
  };
  const cause = (e.cause ??
    (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e : undefined)) as
    | {
        code?: string;
        constraint?: string;
        table?: string;
        column?: string;
        routine?: string;
        message?: string;
      }
    | undefined;
  if (cause && typeof cause.code === 'string') {
    const db: Record<string, string> = { code: cause.code };
    for (const k of ['constraint', 'table', 'column', 'routine'] as const) {
      const v = cause[k];
      if (typeof v === 'string') db[k] = v;
    }
    // The server's own message can quote values too (`value "13812345678" is out of range`),
    // so only the SQLSTATE code and identifiers are kept.
    return {
      type: e.name ?? 'Error',
      message: `database error ${db.code}`,
      db,
      ...(e.stack ? { stack: stackFrames(e.stack) } : {}),
    };
  }
  return {
    type: e.name ?? 'Error',
    message: (e.message ?? String(err)).slice(0, 500),
    ...(e.stack ? { stack: stackFrames(e.stack) } : {}),
  };
}

/** The "at …" lines of a stack only: the first line repeats the message. */
function stackFrames(stack: string) {
  return stack
    .split('\n')
    .filter((l) => l.trimStart().startsWith('at '))
    .join('\n');
}
