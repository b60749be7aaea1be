import type {
  ChangePasswordInput,
  LoginInput,
  LoginResponse,
  Me,
  StepResponse,
  TotpEnrolment,
} from '@liudong/contracts';
import { api, setCsrfToken } from '../../../api/client';

export const meQueryKey = ['auth', 'me'] as const;
export const totpEnrolmentQueryKey = ['auth', 'totp-enrolment'] as const;

export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  const me = await api.get<Me>('/api/auth/me', undefined, signal);
  setCsrfToken(me.csrfToken);
  return me;
}

export function login(input: LoginInput): Promise<LoginResponse> {
  return api.post<LoginResponse>('/api/auth/login', input);
}

export function changePassword(input: ChangePasswordInput): Promise<StepResponse> {
  return api.post<StepResponse>('/api/auth/password', input);
}

export function fetchTotpEnrolment(): Promise<TotpEnrolment> {
  return api.get<TotpEnrolment>('/api/auth/totp/enrolment');
}

export function confirmTotpEnrolment(code: string): Promise<StepResponse> {
  return api.post<StepResponse>('/api/auth/totp/enrolment', { code });
}

export function verifyTotp(code: string): Promise<StepResponse> {
  return api.post<StepResponse>('/api/auth/totp', { code });
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/api/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}

export async function switchRole(grantId: string): Promise<Me> {
  const me = await api.post<Me>('/api/auth/switch-role', { grantId });
  setCsrfToken(me.csrfToken);
  return me;
}
