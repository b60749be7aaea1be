import { PassThrough } from 'node:stream';
import type { FastifyError, FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  ErrorBody,
  IdParams,
  ImportBatch,
  ImportBatchList,
  ImportCheckResult,
  ImportListQuery,
  ImportMapping,
  ImportMappingList,
  ImportMappingQuery,
  ImportOptions,
  ImportPreview,
  ImportUploadQuery,
  SaveImportMappingInput,
  UndoImportInput,
  type ImportProgressLine,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import { AppError } from '../../platform/errors';
import type { Api } from '../../platform/http';
import { describeSafely } from '../../platform/safe-error';
import { XLSX_LIMITS } from '../../platform/zip-guard';
import { createImportService } from './imports.service';

const tags = ['数据导入'];
const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
};
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MB = 1024 * 1024;

/**
 * Excel import (issue 3 §6). The upload's body is the file itself; it is buffered up to the
 * size limit (SECURITY.md 24: larger is a 413 before anything reads it) and then checked by
 * platform/zip-guard before any parsing.
 */
export function registerImportRoutes(api: Api, s: AppServices) {
  const imports = createImportService({ db: s.db, cipher: s.cipher, clock: s.clock, log: api.log });

  // Our own plugin scope: the raw-body parser and the friendlier 413 apply to these routes only.
  void api.register(async (scope: Api) => {
    // The workbook arrives as raw bytes. '*' also takes a body sent without a content type;
    // JSON bodies still go to the JSON parser (an exact match wins over the catch-all).
    scope.addContentTypeParser(
      [XLSX, 'application/octet-stream'],
      { parseAs: 'buffer' },
      (_req, body, done) => done(null, body),
    );
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: FastifyError, _req, _reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        throw new AppError(
          'payload_too_large',
          `文件超过 ${XLSX_LIMITS.maxFileBytes / MB} MB，请拆分后再导入`,
        );
      // Everything else leaves through the one error handler of app.ts.
      throw err;
    });

    scope.post(
      '/api/imports',
      {
        bodyLimit: XLSX_LIMITS.maxFileBytes,
        schema: {
          tags,
          summary:
            '上传 .xlsx 文件（请求体为文件本身），校验后返回表头识别与预览；文件加密暂存，导入后或 50 分钟后删除',
          querystring: ImportUploadQuery,
          response: { 200: ImportPreview, ...errors, 413: ErrorBody },
        },
        config: { permission: 'member.import' },
      },
      async (req) => {
        const body = req.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new AppError('validation_failed', '请选择要导入的 .xlsx 文件', { reason: 'empty' });
        return imports.upload(req.ctx, req.query, body);
      },
    );

    scope.get(
      '/api/imports',
      {
        schema: {
          tags,
          summary: '导入批次列表（本级及下级组织的批次）',
          querystring: ImportListQuery,
          response: { 200: ImportBatchList, ...errors },
        },
        config: { permission: 'member.import' },
      },
      (req) => imports.list(req.ctx, req.query),
    );

    scope.get(
      '/api/imports/:id',
      {
        schema: {
          tags,
          summary: '导入批次详情',
          params: IdParams,
          response: { 200: ImportBatch, ...errors },
        },
        config: { permission: 'member.import' },
      },
      (req) => imports.get(req.ctx, req.params.id),
    );

    scope.get(
      '/api/imports/:id/preview',
      {
        schema: {
          tags,
          summary: '再次查看已上传文件的表头识别与预览（个人信息已脱敏）',
          params: IdParams,
          response: { 200: ImportPreview, ...errors },
        },
        config: { permission: 'member.import' },
      },
      (req) => imports.preview(req.ctx, req.params.id),
    );

    scope.post(
      '/api/imports/:id/check',
      {
        schema: {
          tags,
          summary: '试导入：逐行校验并统计将新增、更新、跳过的记录，不写入任何数据',
          params: IdParams,
          body: ImportOptions,
          response: { 200: ImportCheckResult, ...errors },
        },
        config: { permission: 'member.import' },
      },
      (req) => imports.check(req.ctx, req.params.id, req.body),
    );

    scope.post(
      '/api/imports/:id/commit',
      {
        schema: {
          tags,
          summary:
            '正式导入（一个事务，全部成功或全部不写入）；以 application/x-ndjson 逐行返回进度，最后一行为 done 或 error',
          params: IdParams,
          body: ImportOptions,
          response: errors,
        },
        config: { permission: 'member.import' },
      },
      async (req, reply) => {
        // Scope, state and options are checked before the stream starts: those refusals are
        // ordinary error responses. From here on the answer is 200 and its last line says.
        const job = await imports.startCommit(req.ctx, req.params.id, req.body);
        const out = new PassThrough();
        const line = (l: ImportProgressLine) => out.write(`${JSON.stringify(l)}\n`);
        void (async () => {
          try {
            const batch = await job.run(line);
            line({ type: 'done', batch });
          } catch (err) {
            if (err instanceof AppError) {
              line({
                type: 'error',
                error: { code: err.code, message: err.message, details: err.details },
              });
            } else {
              req.log.error({ err: describeSafely(err) }, 'import commit failed');
              line({
                type: 'error',
                error: {
                  code: 'internal',
                  message: `系统内部错误，未导入任何数据，请联系管理员（错误编号 ${String(req.id)}）`,
                  details: { correlationId: String(req.id) },
                },
              });
            }
          } finally {
            out.end();
          }
        })();
        // Untyped reply: the body is a stream, not one of the declared JSON shapes.
        return (reply as FastifyReply)
          .header('content-type', 'application/x-ndjson; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(out);
      },
    );

    scope.get(
      '/api/imports/:id/errors.xlsx',
      {
        schema: {
          tags,
          summary: '下载错误报告（Excel：行号、列、脱敏后的内容、问题）',
          params: IdParams,
          response: errors,
        },
        config: { permission: 'member.import' },
      },
      async (req, reply) => {
        const file = await imports.errorReport(req.ctx, req.params.id);
        return (reply as FastifyReply)
          .header('content-type', XLSX)
          .header(
            'content-disposition',
            `attachment; filename="import-errors.xlsx"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
          )
          .header('cache-control', 'no-store')
          .send(file.stream);
      },
    );

    scope.post(
      '/api/imports/:id/undo',
      {
        schema: {
          tags,
          summary:
            '撤销整个导入批次（须填写原因；导入后已被修改的记录会使撤销被拒绝，不会部分撤销）',
          params: IdParams,
          body: UndoImportInput,
          response: { 200: ImportBatch, ...errors },
        },
        config: { permission: 'member.import' },
      },
      (req) => imports.undo(req.ctx, req.params.id, req.body),
    );

    scope.get(
      '/api/import-mappings',
      {
        schema: {
          tags,
          summary: '已保存的列对应方案（本级及下级组织保存的）',
          querystring: ImportMappingQuery,
          response: { 200: ImportMappingList, ...errors },
        },
        config: { permission: 'member.import' },
      },
      (req) => imports.listMappings(req.ctx, req.query.kind),
    );

    scope.post(
      '/api/import-mappings',
      {
        schema: {
          tags,
          summary: '保存列对应方案（同名覆盖）',
          body: SaveImportMappingInput,
          response: { 200: ImportMapping, ...errors },
        },
        config: { permission: 'member.import' },
      },
      (req) => imports.saveMapping(req.ctx, req.body),
    );

    scope.delete(
      '/api/import-mappings/:id',
      {
        schema: {
          tags,
          summary: '删除列对应方案',
          params: IdParams,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'member.import' },
      },
      async (req, reply) => {
        await imports.deleteMapping(req.ctx, req.params.id);
        return reply.status(204).send(null);
      },
    );
  });
}
