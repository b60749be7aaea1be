import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportBatch, ImportOptions } from '@liudong/contracts';
import { isApiError, setCsrfToken } from '../../../api/client';
import {
  ImportFailedError,
  ImportOutcomeUnknownError,
  XLSX_MIME,
  commitImport,
  commitWroteNothing,
  uploadFileName,
  uploadImport,
  type ImportProgress,
} from './imports-api';

const ID = '00000000-0000-4000-8000-0000000000aa';
const OPTIONS: ImportOptions = { mapping: [{ index: 0, field: 'name' }], dedupe: 'skip' };
const BATCH: ImportBatch = {
  id: ID,
  kind: 'members',
  fileName: '南岭县党员名册.xlsx',
  status: 'committed',
  orgId: '00000000-0000-4000-8000-0000000000bb',
  orgName: '南岭县委组织部',
  createdBy: '测试管理员',
  createdAt: '2025-03-01T08:00:00.000Z',
  committedAt: '2025-03-01T08:01:00.000Z',
  undoneAt: null,
  totalRows: 2,
  createdCount: 2,
  updatedCount: 0,
  skippedCount: 0,
  episodesCreated: 0,
  abilities: { undo: true },
};

/** A streamed answer whose chunks cut lines (and characters) anywhere. */
function ndjsonResponse(text: string, chunkSize = 7, status = 200): Response {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunkSize) {
        controller.enqueue(bytes.slice(i, i + chunkSize));
      }
      controller.close();
    },
  });
  return new Response(body, { status, headers: { 'content-type': 'application/x-ndjson' } });
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`;
const progress = (phase: ImportProgress['phase'], done: number, total: number) =>
  line({ type: 'progress', phase, done, total });

let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
  setCsrfToken('csrf-test-token');
});

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('commitImport', () => {
  it('reports each progress line, then returns the batch of the done line', async () => {
    fetchMock.mockResolvedValue(
      ndjsonResponse(
        progress('reading', 2, 2) +
          progress('checking', 1, 2) +
          progress('writing', 2, 2) +
          line({ type: 'done', batch: BATCH }),
      ),
    );
    const seen: string[] = [];
    const batch = await commitImport(ID, OPTIONS, (p) =>
      seen.push(`${p.phase}:${p.done}/${p.total}`),
    );

    expect(batch).toEqual(BATCH);
    expect(seen).toEqual(['reading:2/2', 'checking:1/2', 'writing:2/2']);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`/api/imports/${ID}/commit`);
    expect(init.method).toBe('POST');
    expect(init.body).toBe(JSON.stringify(OPTIONS));
    expect(init.headers).toMatchObject({
      'x-csrf-token': 'csrf-test-token',
      'content-type': 'application/json',
      accept: 'application/x-ndjson',
    });
  });

  it('turns an error line into ImportFailedError: rolled back, nothing written', async () => {
    fetchMock.mockResolvedValue(
      ndjsonResponse(
        progress('writing', 1, 2) +
          line({
            type: 'error',
            error: { code: 'conflict', message: '第3行的党员已被他人修改，请重新检查后导入' },
          }),
      ),
    );
    const error = await commitImport(ID, OPTIONS, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFailedError);
    expect((error as ImportFailedError).message).toBe('第3行的党员已被他人修改，请重新检查后导入');
    expect((error as ImportFailedError).code).toBe('conflict');
    expect(commitWroteNothing(error)).toBe(true);
  });

  it('says the outcome is unknown when the stream ends without a result line', async () => {
    fetchMock.mockResolvedValue(ndjsonResponse(progress('writing', 1, 2)));
    const error = await commitImport(ID, OPTIONS, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportOutcomeUnknownError);
    expect(commitWroteNothing(error)).toBe(false);
  });

  it('says the outcome is unknown for a line it cannot read', async () => {
    fetchMock.mockResolvedValue(ndjsonResponse('{"type":"progress",\n'));
    await expect(commitImport(ID, OPTIONS, () => undefined)).rejects.toBeInstanceOf(
      ImportOutcomeUnknownError,
    );
  });

  it('passes a refusal before the stream on as the server’s ApiError', async () => {
    fetchMock.mockResolvedValue(
      Response.json(
        { error: { code: 'not_found', message: '上传的文件已过期，请重新上传' } },
        { status: 404 },
      ),
    );
    const error = await commitImport(ID, OPTIONS, () => undefined).catch((e: unknown) => e);
    expect(isApiError(error, 'not_found')).toBe(true);
    expect((error as Error).message).toBe('上传的文件已过期，请重新上传');
    expect(commitWroteNothing(error)).toBe(true);
  });

  it('does not claim nothing was written after a gateway timeout', async () => {
    fetchMock.mockResolvedValue(new Response('<html>504 Gateway Time-out</html>', { status: 504 }));
    const error = await commitImport(ID, OPTIONS, () => undefined).catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    expect(commitWroteNothing(error)).toBe(false);
  });

  it('does not claim nothing was written when the connection failed', () => {
    expect(commitWroteNothing(new ImportOutcomeUnknownError())).toBe(false);
    expect(commitWroteNothing(new Error('boom'))).toBe(false);
  });
});

describe('uploadImport', () => {
  it('sends the file bytes as xlsx with kind, name and sheet in the query', async () => {
    fetchMock.mockResolvedValue(Response.json({ id: ID }));
    const file = new File([Uint8Array.of(0x50, 0x4b, 3, 4)], '党员名册 2025.xlsx');
    await uploadImport({ file, kind: 'ledger', sheet: '台账' });

    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    const parsed = new URL(url, 'http://localhost');
    expect(parsed.pathname).toBe('/api/imports');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      kind: 'ledger',
      fileName: '党员名册 2025.xlsx',
      sheet: '台账',
    });
    expect(init.headers).toMatchObject({
      'content-type': XLSX_MIME,
      'x-csrf-token': 'csrf-test-token',
    });
    const body = init.body as Blob;
    expect(body.type).toBe(XLSX_MIME);
    expect(new Uint8Array(await body.arrayBuffer())).toEqual(Uint8Array.of(0x50, 0x4b, 3, 4));
  });

  it('shows the server’s Chinese message when it refuses the file', async () => {
    fetchMock.mockResolvedValue(
      Response.json(
        { error: { code: 'validation_failed', message: '文件包含宏，不能导入' } },
        { status: 400 },
      ),
    );
    const file = new File(['x'], 'a.xlsx');
    await expect(uploadImport({ file, kind: 'members' })).rejects.toThrow('文件包含宏，不能导入');
  });

  it('explains a 413 from a proxy that is not the server’s JSON', async () => {
    fetchMock.mockResolvedValue(new Response('<html>Too Large</html>', { status: 413 }));
    const file = new File(['x'], 'a.xlsx');
    const error = await uploadImport({ file, kind: 'members' }).catch((e: unknown) => e);
    expect(isApiError(error, 'payload_too_large')).toBe(true);
    expect((error as Error).message).toContain('文件太大');
  });
});

describe('uploadFileName', () => {
  it('keeps ordinary names and shortens long ones to 200 characters with the extension', () => {
    expect(uploadFileName(' 名册.xlsx ')).toBe('名册.xlsx');
    const long = `${'党'.repeat(300)}.xlsx`;
    const short = uploadFileName(long);
    expect(short).toHaveLength(200);
    expect(short.endsWith('.xlsx')).toBe(true);
  });
});
