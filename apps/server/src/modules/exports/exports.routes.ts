import type { FastifyReply } from 'fastify';
import { ErrorBody, MemberListQuery, MobilityListQuery } from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createExportService, type ExportFile } from './exports.service';

const tags = ['数据导出'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The list filters without the page: an export runs through every page itself.
const MobilityExportQuery = MobilityListQuery.omit({ cursor: true, limit: true });
const MemberExportQuery = MemberListQuery.omit({ cursor: true, limit: true });

/**
 * Sends a finished export: a plain ASCII file name for old clients and the Chinese one (RFC 6266
 * filename*), never cached (SECURITY.md 17). Shared by every .xlsx download.
 */
export function sendXlsx(reply: FastifyReply, file: ExportFile, asciiName: string) {
  return reply
    .header('content-type', XLSX)
    .header(
      'content-disposition',
      `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .header('cache-control', 'no-store')
    .send(file.stream);
}

export function registerExportRoutes(api: Api, s: AppServices) {
  const exporter = createExportService({ db: s.db, cipher: s.cipher });

  api.get(
    '/api/mobilities/export.xlsx',
    {
      schema: {
        tags,
        summary: '导出流动党员台账（Excel；筛选与范围同台账查询；个人信息脱敏，带导出人水印）',
        querystring: MobilityExportQuery,
        response: errors,
      },
      config: { permission: 'member.export' },
    },
    async (req, reply) =>
      sendXlsx(reply, await exporter.mobilities(req.ctx, req.query), 'mobility-ledger.xlsx'),
  );

  api.get(
    '/api/members/export.xlsx',
    {
      schema: {
        tags,
        summary: '导出党员信息（Excel；筛选与范围同党员查询；个人信息脱敏，带导出人水印）',
        querystring: MemberExportQuery,
        response: errors,
      },
      config: { permission: 'member.export' },
    },
    async (req, reply) =>
      sendXlsx(reply, await exporter.members(req.ctx, req.query), 'members.xlsx'),
  );
}
