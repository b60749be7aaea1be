import type {
  CancelCertificateInput,
  Certificate,
  CertificateList,
  PublicCertificateCheck,
  ReissueCertificateInput,
  ReissueCertificateResponse,
} from '@liudong/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export const certificateKeys = {
  all: ['certificates'] as const,
  ofMember: (memberId: string) => ['certificates', 'member', memberId] as const,
  verify: (number: string) => ['certificates', 'verify', number] as const,
};

export function memberCertificatesQuery(memberId: string) {
  return queryOptions({
    queryKey: certificateKeys.ofMember(memberId),
    queryFn: ({ signal }) =>
      api.get<CertificateList>(
        `/api/members/${encodeURIComponent(memberId)}/certificates`,
        undefined,
        signal,
      ),
    refetchOnWindowFocus: false,
  });
}

/** The public check of a number: valid or not, nothing about the person. */
export function verifyCertificateQuery(number: string) {
  return queryOptions({
    queryKey: certificateKeys.verify(number),
    queryFn: ({ signal }) =>
      api.get<PublicCertificateCheck>(
        `/api/public/certificates/${encodeURIComponent(number)}`,
        undefined,
        signal,
      ),
    retry: false,
    refetchOnWindowFocus: false,
  });
}

const path = (id: string, action: string) =>
  `/api/certificates/${encodeURIComponent(id)}/${action}`;

export const issueCertificate = (memberId: string) =>
  api.post<Certificate>(`/api/members/${encodeURIComponent(memberId)}/certificates`, {});

export const reviewCertificate = (id: string, version: number) =>
  api.post<Certificate>(path(id, 'review'), { version });

export const returnCertificate = (id: string, version: number) =>
  api.post<Certificate>(path(id, 'return'), { version });

export const cancelCertificate = (id: string, input: CancelCertificateInput) =>
  api.post<Certificate>(path(id, 'cancel'), input);

export const reissueCertificate = (id: string, input: ReissueCertificateInput) =>
  api.post<ReissueCertificateResponse>(path(id, 'reissue'), input);
