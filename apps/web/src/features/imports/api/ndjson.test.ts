import { describe, expect, it } from 'vitest';
import { LineSplitter, ndjsonLines } from './ndjson';

const LINES = [
  '{"type":"progress","phase":"reading","done":0,"total":3}',
  '{"type":"error","error":{"code":"validation_failed","message":"第3行：身份证号码校验位不正确"}}',
];
const TEXT = `${LINES.join('\n')}\n`;

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of ndjsonLines(body)) lines.push(line);
  return lines;
}

describe('LineSplitter', () => {
  it('gives the same lines wherever the text is cut in two', () => {
    for (let cut = 0; cut <= TEXT.length; cut += 1) {
      const splitter = new LineSplitter();
      const lines = [
        ...splitter.push(TEXT.slice(0, cut)),
        ...splitter.push(TEXT.slice(cut)),
        ...splitter.end(),
      ];
      expect(lines, `cut at ${cut}`).toEqual(LINES);
    }
  });

  it('holds a line back until its newline arrives', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a":')).toEqual([]);
    expect(splitter.push('1}\n{"b"')).toEqual(['{"a":1}']);
    expect(splitter.push(':2}\n')).toEqual(['{"b":2}']);
    expect(splitter.end()).toEqual([]);
  });

  it('drops blank lines and carriage returns, and keeps a last line without newline', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a":1}\r\n\n  \n{"b":2}')).toEqual(['{"a":1}']);
    expect(splitter.end()).toEqual(['{"b":2}']);
  });
});

describe('ndjsonLines', () => {
  it('decodes Chinese text cut in the middle of a character, one byte per chunk', async () => {
    const bytes = new TextEncoder().encode(TEXT);
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(await collect(streamOf(chunks))).toEqual(LINES);
  });

  it('reads several lines arriving in one chunk', async () => {
    expect(await collect(streamOf([new TextEncoder().encode(TEXT)]))).toEqual(LINES);
  });

  it('yields nothing for an empty body', async () => {
    expect(await collect(streamOf([]))).toEqual([]);
  });
});
