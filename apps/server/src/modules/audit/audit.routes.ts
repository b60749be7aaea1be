import {
  AuditQuery,
  AuditSearchResponse,
  AuditVerifyResponse,
  ErrorBody,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createAuditService } from './audit.service';

const tags = ['审计'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

export function registerAuditRoutes(api: Api, s: AppServices) {
  const audit = createAuditService({ db: s.db });
  api.get(
    '/api/audit',
    {
      schema: {
        tags,
        summary: '查询审计日志',
        querystring: AuditQuery,
        response: { 200: AuditSearchResponse, ...errors },
      },
      config: { permission: 'audit.read' },
    },
    (req) => audit.search(req.ctx, req.query),
  );
  api.post(
    '/api/audit/verify',
    {
      schema: {
        tags,
        summary: '校验审计日志哈希链',
        response: { 200: AuditVerifyResponse, ...errors },
      },
      config: { permission: 'audit.read' },
    },
    (req) => audit.verify(req.ctx),
  );
}
