import {
  CancelCertificateInput,
  Certificate,
  CertificateActionInput,
  CertificateList,
  CertificateNumberParams,
  CertificateSettings,
  ErrorBody,
  IdParams,
  IssueCertificateInput,
  PublicCertificateCheck,
  ReissueCertificateInput,
  ReissueCertificateResponse,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createCertificateService } from './certificates.service';

const tags = ['流动党员活动证'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function registerCertificateRoutes(api: Api, s: AppServices) {
  const certificates = createCertificateService({ db: s.db });

  api.get(
    '/api/members/:id/certificates',
    {
      schema: {
        tags,
        summary: '党员的流动党员活动证（含已交回、注销、作废的）',
        params: IdParams,
        response: { 200: CertificateList, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => certificates.listOfMember(req.ctx, req.params.id),
  );

  api.post(
    '/api/members/:id/certificates',
    {
      schema: {
        tags,
        summary: '发放流动党员活动证（须有正在进行的流出登记；编号由系统按县、年度连续分配）',
        params: IdParams,
        body: IssueCertificateInput,
        response: { 200: Certificate, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => certificates.issue(req.ctx, req.params.id),
  );

  api.post(
    '/api/certificates/:id/review',
    {
      schema: {
        tags,
        summary: '活动证年审',
        params: IdParams,
        body: CertificateActionInput,
        response: { 200: Certificate, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => certificates.review(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/certificates/:id/return',
    {
      schema: {
        tags,
        summary: '交回活动证（党员返回）',
        params: IdParams,
        body: CertificateActionInput,
        response: { 200: Certificate, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => certificates.return(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/certificates/:id/cancel',
    {
      schema: {
        tags,
        summary: '注销活动证（须写明原因）',
        params: IdParams,
        body: CancelCertificateInput,
        response: { 200: Certificate, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => certificates.cancel(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/certificates/:id/reissue',
    {
      schema: {
        tags,
        summary: '遗失补办：原证作废，发放新编号的活动证',
        params: IdParams,
        body: ReissueCertificateInput,
        response: { 200: ReissueCertificateResponse, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => certificates.reissue(req.ctx, req.params.id, req.body),
  );

  api.get(
    '/api/public/certificates/:number',
    {
      schema: {
        tags,
        summary: '公开核验活动证编号（只显示是否有效，不含任何个人信息）',
        params: CertificateNumberParams,
        response: { 200: PublicCertificateCheck, 400: ErrorBody, 404: ErrorBody, 429: ErrorBody },
      },
      config: { auth: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    (req) => certificates.verify(req.ctx, req.params.number),
  );

  const configure = { permission: 'certificate.configure' as const };
  api.get(
    '/api/certificate-settings',
    {
      schema: {
        tags,
        summary: '活动证编号格式与年审宽限期',
        response: { 200: CertificateSettings, ...errors },
      },
      config: configure,
    },
    () => certificates.getSettings(),
  );
  api.put(
    '/api/certificate-settings',
    {
      schema: {
        tags,
        summary: '修改活动证编号格式与年审宽限期',
        body: CertificateSettings,
        response: { 200: CertificateSettings, ...errors },
      },
      config: configure,
    },
    (req) => certificates.updateSettings(req.ctx, req.body),
  );
}
