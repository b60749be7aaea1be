import {
  ERROR_CODES,
  ImportProgressLine,
  type ErrorCode,
  type ImportBatch,
  type ImportBatchList,
  type ImportCheckResult,
  type ImportKind,
  type ImportMappingList,
  type ImportOptions,
  type ImportPreview,
  type UndoImportInput,
} from '@liudong/contracts';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { ApiError, api, buildUrl, isApiError, request, requestRaw } from '../../../api/client';
import { ndjsonLines } from './ndjson';

export const IMPORT_PAGE_SIZE = 20;
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The contract's cap on `fileName` (ImportUploadQuery). */
const FILE_NAME_MAX = 200;

export const importKeys = {
  all: ['imports'] as const,
  lists: ['imports', 'list'] as const,
  list: (kind: ImportKind | undefined, cursor: string | undefined) =>
    ['imports', 'list', kind ?? null, cursor ?? null] as const,
  mappings: ['import-mappings'] as const,
  mappingList: (kind: ImportKind) => ['import-mappings', kind] as const,
};

const path = (id: string, action = '') => `/api/imports/${encodeURIComponent(id)}${action}`;

export function importListQuery(kind: ImportKind | undefined, cursor: string | undefined) {
  return queryOptions({
    queryKey: importKeys.list(kind, cursor),
    queryFn: ({ signal }) =>
      api.get<ImportBatchList>('/api/imports', { kind, cursor, limit: IMPORT_PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });
}

export function importMappingsQuery(kind: ImportKind) {
  return queryOptions({
    queryKey: importKeys.mappingList(kind),
    queryFn: ({ signal }) => api.get<ImportMappingList>('/api/import-mappings', { kind }, signal),
  });
}

/** A name within the contract's length, keeping the extension the server checks. */
export function uploadFileName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length <= FILE_NAME_MAX) return trimmed;
  const dot = trimmed.lastIndexOf('.');
  const extension = dot > 0 && trimmed.length - dot <= 10 ? trimmed.slice(dot) : '';
  return trimmed.slice(0, FILE_NAME_MAX - extension.length) + extension;
}

/**
 * Upload: the file's bytes are the body, the rest travels in the query string. The server checks
 * size, zip structure and macros before parsing (SECURITY.md 24) and answers with the preview.
 */
export async function uploadImport(input: {
  file: Blob & { name: string };
  kind: ImportKind;
  sheet?: string;
}): Promise<ImportPreview> {
  try {
    return await request<ImportPreview>('POST', '/api/imports', {
      query: { kind: input.kind, fileName: uploadFileName(input.file.name), sheet: input.sheet },
      body: new Blob([input.file], { type: XLSX_MIME }),
    });
  } catch (error) {
    // A proxy in front of the server may cut the upload off with its own (non-JSON) 413 page.
    if (isApiError(error) && error.status === 413 && error.code !== 'payload_too_large') {
      throw new ApiError(413, 'payload_too_large', '文件太大，请删去无关的工作表或分批导入');
    }
    throw error;
  }
}

export const checkImport = (id: string, options: ImportOptions) =>
  api.post<ImportCheckResult>(path(id, '/check'), options);

/** The full row error report as .xlsx (a plain download: the session cookie goes along). */
export const importErrorsUrl = (id: string) => buildUrl(path(id, '/errors.xlsx'));

export const undoImport = (id: string, input: UndoImportInput) =>
  api.post<ImportBatch>(path(id, '/undo'), input);

export const deleteImportMapping = (id: string) =>
  api.delete<void>(`/api/import-mappings/${encodeURIComponent(id)}`);

/**
 * The commit's `error` line. The import is one transaction (SECURITY.md 25), so this means it was
 * rolled back: nothing was written.
 */
export class ImportFailedError extends ApiError {
  constructor(error: { code: string; message: string; details?: unknown }) {
    const code = (ERROR_CODES as readonly string[]).includes(error.code)
      ? (error.code as ErrorCode)
      : 'internal';
    super(200, code, error.message, error.details);
    this.name = 'ImportFailedError';
  }
}

/**
 * The answer stopped before its `done` or `error` line (connection lost, server restarted): the
 * transaction may have committed or not, only the batch history can tell.
 */
export class ImportOutcomeUnknownError extends Error {
  constructor() {
    super('与服务器的连接中断，无法确认本次导入是否完成。请在“导入记录”中查看，不要直接重复导入。');
    this.name = 'ImportOutcomeUnknownError';
  }
}

/**
 * Whether a failed commit certainly wrote nothing: the server said so in an `error` line, or it
 * refused the request (4xx) before starting. A lost connection does not tell, nor does a 5xx: a
 * proxy's 502/504 may come while the server is still importing.
 */
export function commitWroteNothing(error: unknown): boolean {
  if (error instanceof ImportFailedError) return true;
  return isApiError(error) && error.status >= 400 && error.status < 500;
}

function parseLine(raw: string): ImportProgressLine {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ImportOutcomeUnknownError();
  }
  const parsed = ImportProgressLine.safeParse(json);
  if (!parsed.success) throw new ImportOutcomeUnknownError();
  return parsed.data;
}

export type ImportProgress = Extract<ImportProgressLine, { type: 'progress' }>;

/**
 * Commit: the same options as the check; the answer streams NDJSON progress lines, then one
 * `done` (the batch) or `error` line. Errors before the stream starts arrive as a usual ApiError.
 */
export async function commitImport(
  id: string,
  options: ImportOptions,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportBatch> {
  const response = await requestRaw('POST', path(id, '/commit'), {
    body: JSON.stringify(options),
    contentType: 'application/json',
    accept: 'application/x-ndjson',
  });
  if (!response.body) throw new ImportOutcomeUnknownError();
  try {
    for await (const raw of ndjsonLines(response.body)) {
      const line = parseLine(raw);
      if (line.type === 'progress') onProgress(line);
      else if (line.type === 'done') return line.batch;
      else throw new ImportFailedError(line.error);
    }
  } catch (error) {
    if (error instanceof ImportFailedError || error instanceof ImportOutcomeUnknownError) {
      throw error;
    }
    // The body's reader failed (network gone mid-stream).
    throw new ImportOutcomeUnknownError();
  }
  throw new ImportOutcomeUnknownError();
}
