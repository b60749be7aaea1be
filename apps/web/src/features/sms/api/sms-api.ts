import type {
  Broadcast,
  BroadcastInput,
  BroadcastPreview,
  OutboxQuery,
  OutboxResponse,
  SaveSmsTemplateInput,
  SendBroadcastInput,
  SmsStatusResponse,
  SmsTemplate,
} from '@liudong/contracts';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { outboxRefetchInterval } from '../sms-values';

export const OUTBOX_PAGE_SIZE = 20;
export const BROADCAST_PAGE_SIZE = 20;
/** While messages wait in the outbox, the page looks again this often. */
export const OUTBOX_REFRESH_MS = 5_000;

export type OutboxFilters = Omit<OutboxQuery, 'cursor' | 'limit'>;
/** GET /api/sms/broadcasts (BroadcastListResponse). */
export interface BroadcastPage {
  items: Broadcast[];
  nextCursor: string | null;
}

// Every SMS query starts with 'sms', so one invalidation refreshes outbox, broadcasts and status.
export const smsKeys = {
  all: ['sms'] as const,
  status: ['sms', 'status'] as const,
  templates: ['sms', 'templates'] as const,
  outbox: (filters: OutboxFilters, cursor: string | undefined) =>
    ['sms', 'outbox', filters, cursor ?? null] as const,
  broadcasts: (cursor: string | undefined) => ['sms', 'broadcasts', cursor ?? null] as const,
};

export function smsStatusQuery() {
  return queryOptions({
    queryKey: smsKeys.status,
    queryFn: ({ signal }) => api.get<SmsStatusResponse>('/api/sms/status', undefined, signal),
    // Today's count moves as the background job sends: one cheap count now and then.
    refetchInterval: 15_000,
  });
}

export function smsTemplatesQuery() {
  return queryOptions({
    queryKey: smsKeys.templates,
    queryFn: ({ signal }) =>
      api.get<{ items: SmsTemplate[] }>('/api/sms/templates', undefined, signal),
  });
}

export function outboxQuery(filters: OutboxFilters, cursor: string | undefined) {
  return queryOptions({
    queryKey: smsKeys.outbox(filters, cursor),
    queryFn: ({ signal }) =>
      api.get<OutboxResponse>(
        '/api/sms/outbox',
        { ...filters, cursor, limit: OUTBOX_PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
    // Queued or sending messages change by themselves (the background job): look again.
    refetchInterval: (query) => outboxRefetchInterval(query.state.data?.items, OUTBOX_REFRESH_MS),
    refetchOnWindowFocus: false,
  });
}

export function broadcastsQuery(cursor: string | undefined) {
  return queryOptions({
    queryKey: smsKeys.broadcasts(cursor),
    queryFn: ({ signal }) =>
      api.get<BroadcastPage>('/api/sms/broadcasts', { cursor, limit: BROADCAST_PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((b) => b.counts.queued > 0) ? OUTBOX_REFRESH_MS : false,
    refetchOnWindowFocus: false,
  });
}

export const createSmsTemplate = (input: SaveSmsTemplateInput) =>
  api.post<SmsTemplate>('/api/sms/templates', input);

export const updateSmsTemplate = (id: string, input: SaveSmsTemplateInput) =>
  api.put<SmsTemplate>(`/api/sms/templates/${encodeURIComponent(id)}`, input);

export const previewBroadcast = (input: BroadcastInput) =>
  api.post<BroadcastPreview>('/api/sms/broadcasts/preview', input);

export const sendBroadcast = (input: SendBroadcastInput) =>
  api.post<Broadcast>('/api/sms/broadcasts', input);

/**
 * 退订 (issue 4 §6): recorded by the officers who keep the member's record (member.write), e.g.
 * from the member page's 联系记录 card; applies to the number, broadcasts included.
 */
export const optOutOfSms = (memberId: string) => api.post<void>('/api/sms/opt-outs', { memberId });

export const undoSmsOptOut = (memberId: string) =>
  api.delete<void>(`/api/sms/opt-outs/${encodeURIComponent(memberId)}`);
