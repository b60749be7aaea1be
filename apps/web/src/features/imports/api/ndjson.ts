/**
 * Newline-delimited JSON (application/x-ndjson) as it arrives: network chunks end anywhere, in
 * the middle of a line and even in the middle of a UTF-8 character, so text is decoded in stream
 * mode and a line is only handed out once its newline has arrived.
 */
export class LineSplitter {
  private rest = '';

  /** The lines completed by this chunk (blank lines dropped, a trailing CR removed). */
  push(chunk: string): string[] {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop() ?? '';
    return parts.map(withoutCr).filter(isNotBlank);
  }

  /** The last line when the stream ended without a final newline. */
  end(): string[] {
    const last = withoutCr(this.rest);
    this.rest = '';
    return isNotBlank(last) ? [last] : [];
  }
}

const withoutCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
const isNotBlank = (line: string) => line.trim() !== '';

/** The lines of a streamed body, in order, as they complete. */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const splitter = new LineSplitter();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* splitter.push(decoder.decode(value, { stream: true }));
    }
    yield* splitter.push(decoder.decode());
    yield* splitter.end();
  } finally {
    reader.releaseLock();
  }
}
