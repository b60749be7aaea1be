import { createHmac, randomUUID } from 'node:crypto';
import type { AliyunSmsConfig } from '../config';
import { SmsSendError, type SmsDriver, type SmsToSend } from './driver';

/**
 * Aliyun SMS (阿里云短信服务, dysmsapi) SendSms, API version 2017-05-25, called RPC style with
 * the signature the provider documents ("HTTP协议及签名", help.aliyun.com/document_detail/56189
 * and "Signature method", alibabacloud.com/help/en/sms/signature-method; signature version 1.0):
 *
 * 1. Every request parameter except Signature, sorted by name, each name and value
 *    percent-encoded as UTF-8 per RFC 3986 — A–Z a–z 0–9 - _ . ~ stay as they are, everything
 *    else becomes %XY, a space is %20 (not +), * is %2A, ~ is not encoded — joined as
 *    name=value with & (the canonicalized query string).
 * 2. StringToSign = "GET" + "&" + percentEncode("/") + "&" + percentEncode(canonicalized query).
 * 3. Signature = Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)), sent percent-
 *    encoded as the Signature parameter.
 *
 * The documented example (AccessKeyId testId, secret testSecret, nonce 45e25e9b-…, timestamp
 * 2017-07-12T02:42:19Z) signs to zJDF+Lrzhj/ThnlvIToysFRq6t4=; aliyun.test.ts checks exactly that,
 * and the fake provider (test/fake-aliyun-sms.ts) verifies every request independently.
 */

export const ALIYUN_SMS_VERSION = '2017-05-25';
export const ALIYUN_SMS_REGION = 'cn-hangzhou';
const TIMEOUT_MS = 10_000;

/** RFC 3986 percent-encoding with Aliyun's rules (space %20, * %2A, ~ kept). */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Step 1: the canonicalized query string (sorted by parameter name, code unit order). */
export function aliyunCanonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k]!)}`)
    .join('&');
}

/** Steps 2–3: the signature of a GET request's parameters. */
export function aliyunSignature(
  params: Readonly<Record<string, string>>,
  accessKeySecret: string,
): string {
  const stringToSign = `GET&${aliyunPercentEncode('/')}&${aliyunPercentEncode(aliyunCanonicalQuery(params))}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** ISO 8601 in UTC without milliseconds, as Aliyun expects: 2026-11-21T02:00:00Z. */
export function aliyunTimestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** The full query string of a signed SendSms request. */
export function signedSendSmsQuery(
  config: Pick<AliyunSmsConfig, 'accessKeyId' | 'accessKeySecret'>,
  msg: { phone: string; signName: string; templateCode: string; params: Record<string, string> },
  opts: { now: Date; nonce: string },
): string {
  const params: Record<string, string> = {
    AccessKeyId: config.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: msg.phone,
    RegionId: ALIYUN_SMS_REGION,
    SignName: msg.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: opts.nonce,
    SignatureVersion: '1.0',
    TemplateCode: msg.templateCode,
    TemplateParam: JSON.stringify(msg.params),
    Timestamp: aliyunTimestamp(opts.now),
    Version: ALIYUN_SMS_VERSION,
  };
  const signature = aliyunSignature(params, config.accessKeySecret);
  return `Signature=${aliyunPercentEncode(signature)}&${aliyunCanonicalQuery(params)}`;
}

// Codes after which a later try can succeed: frequency and daily controls (per number:
// 1/minute, 5/hour, 10/day by default), the account's balance or service state, the provider's
// own errors (isp.*), a reused nonce (the next try has a new one).
const RETRYABLE_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'isv.DAY_LIMIT_CONTROL',
  'isv.AMOUNT_NOT_ENOUGH',
  'isv.OUT_OF_SERVICE',
  'SignatureNonceUsed',
  'ServiceUnavailable',
  'InternalError',
]);
// isp.* are the provider's faults, retried, except a missing RAM permission (configuration).
const PERMANENT_CODES = new Set(['isp.RAM_PERMISSION_DENY']);

/**
 * Whether a refusal is worth another try. Anything else — isv.MOBILE_NUMBER_ILLEGAL,
 * isv.SMS_TEMPLATE_ILLEGAL, isv.SMS_SIGNATURE_ILLEGAL, isv.TEMPLATE_MISSING_PARAMETERS,
 * SignatureDoesNotMatch, InvalidAccessKeyId.NotFound, an unknown code — is permanent: retrying
 * cannot fix it, and not retrying an unknown answer never sends a message twice.
 */
export function isRetryableAliyunCode(code: string, httpStatus: number): boolean {
  if (PERMANENT_CODES.has(code)) return false;
  return (
    RETRYABLE_CODES.has(code) ||
    code.startsWith('Throttling') ||
    code.startsWith('isp.') ||
    httpStatus >= 500
  );
}

/** The provider's message without anything that looks like a number (it may echo the phone). */
function safeProviderMessage(message: unknown): string {
  return typeof message === 'string' ? message.replace(/\d{5,}/g, '…').slice(0, 200) : '';
}

export function createAliyunDriver(
  config: AliyunSmsConfig,
  opts: { timeoutMs?: number; now?: () => Date; fetch?: typeof fetch } = {},
): SmsDriver {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? (() => new Date());
  return {
    name: 'aliyun',
    async send(msg: SmsToSend) {
      if (!msg.templateCode) {
        throw new SmsSendError(
          '短信模板未填写阿里云模板编号（模板 CODE，如 SMS_123456789），请在短信模板中补充后重发',
          false,
          'MissingTemplateCode',
        );
      }
      const query = signedSendSmsQuery(
        config,
        {
          phone: msg.phone,
          signName: msg.signName ?? config.signName,
          templateCode: msg.templateCode,
          params: msg.params,
        },
        // The signing time is the wall clock: the provider checks it against its own.
        { now: now(), nonce: randomUUID() },
      );
      let res: Response;
      try {
        res = await doFetch(`${config.endpoint}/?${query}`, {
          method: 'GET',
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(opts.timeoutMs ?? TIMEOUT_MS),
        });
      } catch (err) {
        // The underlying error is not kept: its message could name the URL, which holds the phone.
        const timeout = (err as { name?: string }).name === 'TimeoutError';
        throw new SmsSendError(
          timeout ? '阿里云短信接口超时未响应' : '无法连接阿里云短信接口',
          true,
          timeout ? 'Timeout' : 'NetworkError',
        );
      }
      type Answer = { Code?: unknown; Message?: unknown; BizId?: unknown };
      let body: Answer | null;
      try {
        body = (await res.json()) as Answer | null;
      } catch {
        body = null;
      }
      const code = typeof body?.Code === 'string' ? body.Code : `HTTP${res.status}`;
      if (res.ok && code === 'OK' && typeof body?.BizId === 'string') {
        return { providerMessageId: body.BizId };
      }
      const detail = safeProviderMessage(body?.Message);
      throw new SmsSendError(
        `阿里云短信未受理：${code}${detail ? `（${detail}）` : ''}`,
        isRetryableAliyunCode(code, res.status),
        code,
      );
    },
  };
}
