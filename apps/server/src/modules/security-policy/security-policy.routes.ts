import { ErrorBody, SecurityPolicy } from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createSecurityPolicyService } from './security-policy.service';

const tags = ['安全策略'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

export function registerSecurityPolicyRoutes(api: Api, s: AppServices) {
  const policies = createSecurityPolicyService({ db: s.db });
  const config = { permission: 'security_policy.manage' as const };
  api.get(
    '/api/security-policy',
    { schema: { tags, summary: '安全策略', response: { 200: SecurityPolicy, ...errors } }, config },
    () => policies.get(),
  );
  api.put(
    '/api/security-policy',
    {
      schema: {
        tags,
        summary: '修改安全策略',
        body: SecurityPolicy,
        response: { 200: SecurityPolicy, ...errors },
      },
      config,
    },
    (req) => policies.update(req.ctx, req.body),
  );
}
