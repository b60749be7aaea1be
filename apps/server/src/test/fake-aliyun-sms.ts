import http from 'node:http';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * A local stand-in for Aliyun SMS (dysmsapi SendSms 2017-05-25, signature version 1.0) that checks
 * requests the way the provider documents them (issue 4 §6: "tested against a local fake server
 * that checks the signature"): the HMAC-SHA1 signature with the secret it was given, the required
 * parameters, a timestamp within 15 minutes and a nonce never used before. It answers
 * Aliyun-shaped JSON and records what it accepted.
 *
 * Node built-ins only (http, crypto) and nothing of ours — in particular not the driver's own
 * encoder — so the check is independent and e2e can import this file by relative path.
 * It never prints anything: phones and texts are personal data even in tests (SECURITY.md 16).
 */

export interface FakeAliyunMessage {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  bizId: string;
}

export interface FakeAliyunSms {
  /** Endpoint for ALIYUN_SMS_ENDPOINT, e.g. http://127.0.0.1:43123 */
  url: string;
  /** Accepted messages, one per phone number, in arrival order. */
  messages: FakeAliyunMessage[];
  /** Every answer given, in order (Code and HTTP status), accepted or not. */
  responses: { code: string; status: number }[];
  /** The next `n` valid requests are refused with `code` (default isv.BUSINESS_LIMIT_CONTROL). */
  failNext(n: number, code?: string): void;
  close(): Promise<void>;
}

const HOST_ID = 'dysmsapi.aliyuncs.com';
const MAX_SKEW_MS = 15 * 60_000;

// RFC 3986 unreserved characters are kept; every other UTF-8 byte becomes %XY (upper-case hex).
// Written byte by byte on purpose: a second, independent implementation of the driver's encoder.
function percentEncode(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function expectedSignature(params: Map<string, string>, secret: string): string {
  const canonical = [...params.keys()]
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params.get(k)!)}`)
    .join('&');
  const stringToSign = `GET&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

function sameText(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** HTTP status Aliyun uses with a business code: isv./isp. answers come with 200. */
function statusOf(code: string): number {
  if (code.startsWith('isv.') || code.startsWith('isp.')) return 200;
  if (code === 'ServiceUnavailable') return 503;
  if (code === 'InternalError') return 500;
  return 400;
}

export async function startFakeAliyunSms(opts: {
  accessKeyId: string;
  accessKeySecret: string;
  /** The provider's clock for the timestamp check (default: the wall clock). */
  now?: () => Date;
}): Promise<FakeAliyunSms> {
  const now = opts.now ?? (() => new Date());
  const messages: FakeAliyunMessage[] = [];
  const responses: { code: string; status: number }[] = [];
  const nonces = new Set<string>();
  let failing = { n: 0, code: 'isv.BUSINESS_LIMIT_CONTROL' };
  let serial = 0;

  function answer(res: http.ServerResponse, code: string, message: string, extra = {}) {
    const status = code === 'OK' ? 200 : statusOf(code);
    responses.push({ code, status });
    const body =
      code === 'OK'
        ? { Code: 'OK', Message: 'OK', RequestId: randomUUID().toUpperCase(), ...extra }
        : {
            Code: code,
            Message: message,
            RequestId: randomUUID().toUpperCase(),
            HostId: HOST_ID,
            Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}`,
          };
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    if (req.method !== 'GET' || path !== '/') {
      return answer(
        res,
        'InvalidAction.NotFound',
        'Specified api is not found, please check your url and method.',
      );
    }
    const params = new Map<string, string>();
    for (const pair of (q < 0 ? '' : raw.slice(q + 1)).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      let k: string, v: string;
      try {
        k = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
        v = decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1));
      } catch {
        return answer(res, 'InvalidParameter', 'The request has a malformed percent-encoding.');
      }
      if (params.has(k)) return answer(res, 'InvalidParameter', `Parameter ${k} is repeated.`);
      params.set(k, v);
    }
    for (const name of [
      'AccessKeyId',
      'Action',
      'Format',
      'Signature',
      'SignatureMethod',
      'SignatureNonce',
      'SignatureVersion',
      'Timestamp',
      'Version',
    ]) {
      if (!params.get(name)) {
        return answer(res, `Missing${name}`, `${name} is mandatory for this action.`);
      }
    }
    if (params.get('SignatureMethod') !== 'HMAC-SHA1' || params.get('SignatureVersion') !== '1.0') {
      return answer(
        res,
        'IncompleteSignature',
        'The request signature does not conform to Aliyun standards.',
      );
    }
    if (params.get('Format') !== 'JSON') {
      return answer(res, 'InvalidParameter', 'This fake answers Format=JSON only.');
    }
    if (params.get('AccessKeyId') !== opts.accessKeyId) {
      return answer(res, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }
    const ts = params.get('Timestamp')!;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(ts) || Number.isNaN(Date.parse(ts))) {
      return answer(
        res,
        'InvalidTimeStamp.Format',
        'Specified time stamp or date value is not well formatted.',
      );
    }
    if (Math.abs(now().getTime() - Date.parse(ts)) > MAX_SKEW_MS) {
      return answer(
        res,
        'InvalidTimeStamp.Expired',
        'Specified time stamp or date value is expired.',
      );
    }
    if (!sameText(params.get('Signature')!, expectedSignature(params, opts.accessKeySecret))) {
      return answer(
        res,
        'SignatureDoesNotMatch',
        'Specified signature is not matched with our calculation.',
      );
    }
    const nonce = params.get('SignatureNonce')!;
    if (nonces.has(nonce)) {
      return answer(res, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    nonces.add(nonce);
    if (params.get('Action') !== 'SendSms') {
      return answer(res, 'InvalidAction.NotFound', 'Specified api is not found.');
    }
    if (params.get('Version') !== '2017-05-25') {
      return answer(res, 'InvalidVersion', 'Specified parameter Version is not valid.');
    }
    for (const name of ['PhoneNumbers', 'SignName', 'TemplateCode']) {
      if (!params.get(name)) {
        return answer(res, `Missing${name}`, `${name} is mandatory for this action.`);
      }
    }
    const phones = params.get('PhoneNumbers')!.split(',');
    if (phones.length > 1000 || phones.some((p) => !/^(?:\+?86)?1[3-9]\d{9}$/.test(p))) {
      return answer(res, 'isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    }
    let templateParams: Record<string, string> = {};
    const rawParam = params.get('TemplateParam');
    if (rawParam) {
      try {
        const parsed: unknown = JSON.parse(rawParam);
        if (
          !parsed ||
          typeof parsed !== 'object' ||
          Array.isArray(parsed) ||
          Object.values(parsed).some((v) => typeof v !== 'string')
        ) {
          throw new Error('not an object of strings');
        }
        templateParams = parsed as Record<string, string>;
      } catch {
        return answer(res, 'isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
      }
    }
    if (failing.n > 0) {
      failing = { ...failing, n: failing.n - 1 };
      return answer(res, failing.code, `Fake failure: ${failing.code}`);
    }
    const bizId = `${++serial}^${Date.now()}`;
    for (const phone of phones) {
      messages.push({
        phone,
        signName: params.get('SignName')!,
        templateCode: params.get('TemplateCode')!,
        params: templateParams,
        bizId,
      });
    }
    return answer(res, 'OK', 'OK', { BizId: bizId });
  }

  const server = http.createServer((req, res) => {
    // The request has no body (GET); drain whatever comes so the socket is reused.
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    responses,
    failNext(n, code = 'isv.BUSINESS_LIMIT_CONTROL') {
      failing = { n, code };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
