import {
  CancelTransferInput,
  DecideTransferInput,
  ErrorBody,
  IdParams,
  ReceiveTransferInput,
  RequestTransferInput,
  Transfer,
  TransferLetter,
  TransferListQuery,
  TransferListResponse,
  TransferSettings,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createTransferService } from './transfers.service';

const tags = ['组织关系转接'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function registerTransferRoutes(api: Api, s: AppServices) {
  const transfers = createTransferService({ db: s.db, cipher: s.cipher });

  api.get(
    '/api/transfers',
    {
      schema: {
        tags,
        summary: '组织关系转接台账（转出方或接收方在本级及下级的；可筛选逾期未回执）',
        querystring: TransferListQuery,
        response: { 200: TransferListResponse, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => transfers.list(req.ctx, req.query),
  );

  api.get(
    '/api/transfers/:id',
    {
      schema: {
        tags,
        summary: '一件组织关系转接',
        params: IdParams,
        response: { 200: Transfer, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => transfers.get(req.ctx, req.params.id),
  );

  api.post(
    '/api/transfers',
    {
      schema: {
        tags,
        summary: '申请转接组织关系（由党员组织关系所在党组织办理）',
        body: RequestTransferInput,
        response: { 200: Transfer, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => transfers.request(req.ctx, req.body),
  );

  api.post(
    '/api/transfers/:id/decision',
    {
      schema: {
        tags,
        summary: '审批转接：批准并开具介绍信（编号按县、年度连续分配），或不予批准',
        params: IdParams,
        body: DecideTransferInput,
        response: { 200: Transfer, ...errors },
      },
      config: { permission: 'transfer.approve' },
    },
    (req) => transfers.decide(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/transfers/:id/receipt',
    {
      schema: {
        tags,
        summary: '登记回执：接收党组织在系统内确认，或转出方登记纸质回执；党员组织关系随即转入',
        params: IdParams,
        body: ReceiveTransferInput,
        response: { 200: Transfer, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => transfers.receive(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/transfers/:id/cancel',
    {
      schema: {
        tags,
        summary: '撤销转接（待审批或介绍信未使用的）',
        params: IdParams,
        body: CancelTransferInput,
        response: { 200: Transfer, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => transfers.cancel(req.ctx, req.params.id, req.body),
  );

  api.get(
    '/api/transfers/:id/letter',
    {
      schema: {
        tags,
        summary: '打印介绍信（存根、介绍信、回执；身份证号码遮蔽；查看留痕）',
        params: IdParams,
        response: { 200: TransferLetter, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => transfers.letter(req.ctx, req.params.id),
  );

  api.get(
    '/api/transfer-settings',
    {
      schema: {
        tags,
        summary: '介绍信有效期（市内、市外天数）',
        response: { 200: TransferSettings, ...errors },
      },
      config: { permission: 'member.read' },
    },
    () => transfers.getSettings(),
  );
  api.put(
    '/api/transfer-settings',
    {
      schema: {
        tags,
        summary: '修改介绍信有效期（最长三个月）',
        body: TransferSettings,
        response: { 200: TransferSettings, ...errors },
      },
      config: { permission: 'transfer.configure' },
    },
    (req) => transfers.updateSettings(req.ctx, req.body),
  );
}
