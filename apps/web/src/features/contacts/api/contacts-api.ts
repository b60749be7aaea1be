import type {
  AssignLiaisonInput,
  AssignLiaisonResponse,
  Assignment,
  ContactSettings,
  CreateContactInput,
  CreateContactResponse,
  CreateLiaisonInput,
  Liaison,
  LiaisonCandidatesResponse,
  LiaisonListResponse,
  LostListQuery,
  LostListResponse,
  LostNoteInput,
  LostRegisterItem,
  LostRegisterQuery,
  MemberContactsResponse,
  NotificationListResponse,
  OrgSchedule,
  QueueQuery,
  QueueResponse,
  QueueSummary,
  RetireLiaisonInput,
  SetOrgScheduleInput,
  UpdateAssignmentInput,
  UpdateLiaisonInput,
} from '@liudong/contracts';
import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, buildUrl } from '../../../api/client';

// Keeping in touch (issue 4 §7): liaisons and 三定, the contact queue, the contact log, lost
// contact and the notification bell. Every contact query starts with 'contacts' and every liaison
// query with 'liaisons', so that one invalidation after a write refreshes lists, counts and cards.

export const QUEUE_PAGE_SIZE = 20;
export const LIAISON_PAGE_SIZE = 20;
export const LOST_PAGE_SIZE = 50;
export const MEMBER_CONTACTS_PAGE_SIZE = 10;
/** Liaisons offered in a picker (one org's liaisons are few). */
export const LIAISON_PICKER_LIMIT = 200;

export type QueueFilters = Omit<QueueQuery, 'cursor' | 'limit'>;
export type QueueView = QueueQuery['view'];
export type QueueTab = QueueQuery['bucket'];
export type LostFilters = Omit<LostListQuery, 'cursor' | 'limit'>;
export type RegisterFilters = Omit<LostRegisterQuery, 'cursor' | 'limit'>;
export interface LiaisonFilters {
  orgId?: string;
  q?: string;
  includeInactive?: 'true';
}
export type LostRegisterResponse = { items: LostRegisterItem[]; nextCursor: string | null };

export const contactKeys = {
  all: ['contacts'] as const,
  queues: ['contacts', 'queue'] as const,
  queue: (filters: QueueFilters, cursor: string | undefined) =>
    ['contacts', 'queue', filters, cursor ?? null] as const,
  summary: (view: QueueView, orgId: string | undefined) =>
    ['contacts', 'summary', view, orgId ?? null] as const,
  member: (memberId: string) => ['contacts', 'member', memberId] as const,
  lost: (filters: LostFilters, cursor: string | undefined) =>
    ['contacts', 'lost', filters, cursor ?? null] as const,
  registers: (filters: RegisterFilters, cursor: string | undefined) =>
    ['contacts', 'registers', filters, cursor ?? null] as const,
  settings: ['contact-settings'] as const,
  schedules: ['contact-settings', 'schedules'] as const,
};

export const liaisonKeys = {
  all: ['liaisons'] as const,
  list: (filters: LiaisonFilters, cursor: string | undefined, limit: number) =>
    ['liaisons', 'list', filters, cursor ?? null, limit] as const,
  /** Under 'liaisons': naming an account a liaison refreshes its 已是联络员 mark. */
  candidates: (q: string) => ['liaisons', 'candidates', q] as const,
};

export const notificationKeys = {
  all: ['notifications'] as const,
};

// ---------------------------------------------------------------------------------------------
// Queue

export function queueQuery(filters: QueueFilters, cursor: string | undefined) {
  return queryOptions({
    queryKey: contactKeys.queue(filters, cursor),
    queryFn: ({ signal }) =>
      api.get<QueueResponse>(
        '/api/contacts/queue',
        { ...filters, cursor, limit: QUEUE_PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}

export function queueSummaryQuery(view: QueueView, orgId?: string) {
  return queryOptions({
    queryKey: contactKeys.summary(view, orgId),
    queryFn: ({ signal }) =>
      api.get<QueueSummary>('/api/contacts/queue/summary', { view, orgId }, signal),
    placeholderData: keepPreviousData,
  });
}

// ---------------------------------------------------------------------------------------------
// Contacts

export const createContact = (input: CreateContactInput) =>
  api.post<CreateContactResponse>('/api/contacts', input);

/**
 * A member's 三定, lost-contact status, whether texts reach them (`sms`: phone on record, 退订)
 * and contact history, newest first, page by page. Registering or lifting an opt-out
 * (sms-api optOutOfSms / undoSmsOptOut) invalidates `contactKeys.member` to refresh it.
 */
export function memberContactsQuery(memberId: string) {
  return infiniteQueryOptions({
    queryKey: contactKeys.member(memberId),
    queryFn: ({ signal, pageParam }) =>
      api.get<MemberContactsResponse>(
        `/api/members/${encodeURIComponent(memberId)}/contacts`,
        { cursor: pageParam ?? undefined, limit: MEMBER_CONTACTS_PAGE_SIZE },
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchOnWindowFocus: false,
  });
}

// ---------------------------------------------------------------------------------------------
// Lost contact

export function lostListQuery(filters: LostFilters, cursor: string | undefined) {
  return queryOptions({
    queryKey: contactKeys.lost(filters, cursor),
    queryFn: ({ signal }) =>
      api.get<LostListResponse>(
        '/api/contacts/lost',
        { ...filters, cursor, limit: LOST_PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}

export function lostRegisterQuery(filters: RegisterFilters, cursor: string | undefined) {
  return queryOptions({
    queryKey: contactKeys.registers(filters, cursor),
    queryFn: ({ signal }) =>
      api.get<LostRegisterResponse>(
        '/api/contacts/lost/registers',
        { ...filters, cursor, limit: LOST_PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}

/**
 * The Excel download of a lost-contact tab (the session cookie goes along; member.export): the
 * whole list of the active org's subtree, not the page or the name search. `since` applies to
 * the found register only.
 */
export function lostExportUrl(
  tab: 'warning' | 'lost' | 'found' | 'not_found',
  since?: string,
): string {
  return tab === 'warning' || tab === 'lost'
    ? buildUrl('/api/contacts/lost.xlsx', { level: tab })
    : buildUrl('/api/contacts/lost/registers.xlsx', {
        kind: tab,
        since: tab === 'found' ? since : undefined,
      });
}

export const setLostNote = (memberId: string, input: LostNoteInput) =>
  api.put<unknown>(`/api/contacts/lost/${encodeURIComponent(memberId)}/note`, input);

// ---------------------------------------------------------------------------------------------
// Liaisons and assignments

export function liaisonListQuery(
  filters: LiaisonFilters,
  cursor: string | undefined,
  limit = LIAISON_PAGE_SIZE,
) {
  return queryOptions({
    queryKey: liaisonKeys.list(filters, cursor, limit),
    queryFn: ({ signal }) =>
      api.get<LiaisonListResponse>('/api/liaisons', { ...filters, cursor, limit }, signal),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}

/**
 * Accounts that may be linked as a liaison: business roles in the active scope, by username or
 * display name (the server answers the best 20; an officer has no accounts list).
 */
export function liaisonCandidatesQuery(q: string) {
  return queryOptions({
    queryKey: liaisonKeys.candidates(q),
    queryFn: ({ signal }) =>
      api.get<LiaisonCandidatesResponse>('/api/liaisons/candidates', q ? { q } : undefined, signal),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}

const liaisonPath = (id: string, action = '') => `/api/liaisons/${encodeURIComponent(id)}${action}`;

export const createLiaison = (input: CreateLiaisonInput) =>
  api.post<Liaison>('/api/liaisons', input);

export const updateLiaison = (id: string, input: UpdateLiaisonInput) =>
  api.patch<Liaison>(liaisonPath(id), input);

export const retireLiaison = (id: string, input: RetireLiaisonInput) =>
  api.post<{ moved: number }>(liaisonPath(id, '/retire'), input);

export const assignLiaison = (input: AssignLiaisonInput) =>
  api.post<AssignLiaisonResponse>('/api/liaisons/assign', input);

export const updateAssignment = (id: string, input: UpdateAssignmentInput) =>
  api.patch<Assignment>(`/api/assignments/${encodeURIComponent(id)}`, input);

// ---------------------------------------------------------------------------------------------
// Settings (定时, warning points)

export function contactSettingsQuery() {
  return queryOptions({
    queryKey: contactKeys.settings,
    queryFn: ({ signal }) => api.get<ContactSettings>('/api/contacts/settings', undefined, signal),
  });
}

export function orgSchedulesQuery() {
  return queryOptions({
    queryKey: contactKeys.schedules,
    queryFn: ({ signal }) =>
      api.get<{ items: OrgSchedule[] }>('/api/contacts/schedules', undefined, signal),
  });
}

export const updateContactSettings = (input: ContactSettings) =>
  api.put<ContactSettings>('/api/contacts/settings', input);

export const setOrgSchedule = (input: SetOrgScheduleInput) =>
  api.put<unknown>('/api/contacts/schedules', input);

// ---------------------------------------------------------------------------------------------
// Notifications (the bell)

/** How often the bell asks for new notifications (a reminder is computed by a daily job). */
export const NOTIFICATION_POLL_MS = 60_000;

export function notificationsQuery() {
  return queryOptions({
    queryKey: notificationKeys.all,
    queryFn: ({ signal }) =>
      api.get<NotificationListResponse>('/api/notifications', undefined, signal),
    refetchInterval: NOTIFICATION_POLL_MS,
    // A missing or failing bell must not bother the page: the next poll tries again.
    retry: false,
    staleTime: 0,
  });
}

export const markNotificationRead = (id: string) =>
  api.post<unknown>(`/api/notifications/${encodeURIComponent(id)}/read`);

export const markAllNotificationsRead = () => api.post<unknown>('/api/notifications/read-all');
