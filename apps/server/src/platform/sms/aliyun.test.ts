import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAliyunSms, type FakeAliyunSms } from '../../test/fake-aliyun-sms';
import { ConfigError, loadConfig } from '../config';
import {
  aliyunCanonicalQuery,
  aliyunPercentEncode,
  aliyunSignature,
  aliyunTimestamp,
  createAliyunDriver,
  signedSendSmsQuery,
} from './aliyun';
import { SmsSendError } from './driver';
import { createSmsDriver } from './index';

// Synthetic credentials, made up for the tests.
const KEY = { accessKeyId: 'LTAItestKeyId0001', accessKeySecret: 'fake-secret-Abc123' };
const PHONE = '13900001111';

const codeOf = async (res: Response) => ((await res.json()) as { Code: string }).Code;

describe('Aliyun RPC signature (signature version 1.0)', () => {
  it.each([
    ['unreserved characters stay', 'AZaz09-_.~', 'AZaz09-_.~'],
    ['a space is %20, never +', 'a b', 'a%20b'],
    ['* is %2A', 'a*b', 'a%2Ab'],
    ['the characters encodeURIComponent leaves alone', "!'()", '%21%27%28%29'],
    ['+ / = : are encoded', '+/=:', '%2B%2F%3D%3A'],
    ['UTF-8 bytes, upper-case hex', '党', '%E5%85%9A'],
    ['JSON', '{"a":"b"}', '%7B%22a%22%3A%22b%22%7D'],
  ])('percent-encodes: %s', (_, raw, encoded) => {
    expect(aliyunPercentEncode(raw)).toBe(encoded);
  });

  it('signs the example of the provider’s documentation to the documented signature', () => {
    // help.aliyun.com/document_detail/56189 ("HTTP协议及签名"), request example 2.1.
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(aliyunSignature(params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(aliyunCanonicalQuery(params)).toBe(
      'AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001' +
        '&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8' +
        '&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466' +
        '&SignatureVersion=1.0&TemplateCode=SMS_71390007' +
        '&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z' +
        '&Version=2017-05-25',
    );
    // Signature is not part of what is signed.
    expect(aliyunSignature({ ...params, Signature: 'x' }, 'testSecret')).toBe(
      'zJDF+Lrzhj/ThnlvIToysFRq6t4=',
    );
  });

  it('writes the timestamp as ISO 8601 UTC without milliseconds', () => {
    expect(aliyunTimestamp(new Date('2026-11-21T02:00:00.789Z'))).toBe('2026-11-21T02:00:00Z');
  });
});

describe('Aliyun driver against the fake provider', () => {
  let fake: FakeAliyunSms;
  const config = () => ({ ...KEY, signName: '南岭县委组织部', endpoint: fake.url });
  const msg = {
    phone: PHONE,
    body: '张三同志：值此春节之际……',
    templateCode: 'SMS_000000001',
    params: { name: '张三', festival: '春节' },
  };

  beforeAll(async () => {
    fake = await startFakeAliyunSms(KEY);
  });
  afterAll(() => fake.close());

  async function refusal(p: Promise<unknown>) {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SmsSendError);
    const e = err as SmsSendError;
    // What is stored and logged never names the number or the text (SECURITY.md 16).
    expect(e.message).not.toContain(PHONE);
    expect(e.message).not.toContain('张三');
    return e;
  }

  it('sends a signed SendSms that the fake verifies and records', async () => {
    const before = fake.messages.length;
    const { providerMessageId } = await createAliyunDriver(config()).send(msg);
    expect(providerMessageId).toMatch(/\^/);
    expect(fake.messages.slice(before)).toEqual([
      {
        phone: PHONE,
        signName: '南岭县委组织部',
        templateCode: 'SMS_000000001',
        params: { name: '张三', festival: '春节' },
        bizId: providerMessageId,
      },
    ]);
  });

  it('is rejected by the fake when signed with a wrong secret (so the check can fail)', async () => {
    const before = fake.messages.length;
    const e = await refusal(
      createAliyunDriver({ ...config(), accessKeySecret: 'not-the-secret' }).send(msg),
    );
    expect(e.code).toBe('SignatureDoesNotMatch');
    expect(e.retryable).toBe(false);
    expect(fake.responses.at(-1)).toEqual({ code: 'SignatureDoesNotMatch', status: 400 });
    expect(fake.messages.length).toBe(before);
  });

  it('is rejected with an unknown AccessKeyId', async () => {
    const e = await refusal(
      createAliyunDriver({ ...config(), accessKeyId: 'LTAIother' }).send(msg),
    );
    expect(e.code).toBe('InvalidAccessKeyId.NotFound');
    expect(e.retryable).toBe(false);
  });

  it('is rejected when the timestamp is more than 15 minutes off', async () => {
    const late = createAliyunDriver(config(), { now: () => new Date(Date.now() - 16 * 60_000) });
    const e = await refusal(late.send(msg));
    expect(e.code).toBe('InvalidTimeStamp.Expired');
    // 14 minutes is still accepted.
    const ok = createAliyunDriver(config(), { now: () => new Date(Date.now() - 14 * 60_000) });
    await expect(ok.send(msg)).resolves.toHaveProperty('providerMessageId');
  });

  it('refuses a replayed request (same nonce) and a request with a parameter missing', async () => {
    const query = signedSendSmsQuery(
      KEY,
      { phone: PHONE, signName: '南岭县委组织部', templateCode: 'SMS_1', params: { a: 'b' } },
      { now: new Date(), nonce: 'fixed-nonce-for-replay' },
    );
    const first = await fetch(`${fake.url}/?${query}`);
    expect(await codeOf(first)).toBe('OK');
    const replay = await fetch(`${fake.url}/?${query}`);
    expect(replay.status).toBe(400);
    expect(await codeOf(replay)).toBe('SignatureNonceUsed');

    // Without TemplateCode, correctly signed: the parameter check, not the signature, refuses it.
    const params: Record<string, string> = {
      AccessKeyId: KEY.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: PHONE,
      RegionId: 'cn-hangzhou',
      SignName: '南岭县委组织部',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: 'nonce-missing-template',
      SignatureVersion: '1.0',
      Timestamp: aliyunTimestamp(new Date()),
      Version: '2017-05-25',
    };
    const sig = aliyunSignature(params, KEY.accessKeySecret);
    const missing = await fetch(
      `${fake.url}/?Signature=${aliyunPercentEncode(sig)}&${aliyunCanonicalQuery(params)}`,
    );
    expect(await codeOf(missing)).toBe('MissingTemplateCode');

    // A tampered value after signing is caught by the signature.
    const tampered = query
      .replace('fixed-nonce-for-replay', 'another-nonce')
      .replace(PHONE, '13900002222');
    const t = await fetch(`${fake.url}/?${tampered}`);
    expect(await codeOf(t)).toBe('SignatureDoesNotMatch');
  });

  it('maps throttling to retryable and a bad number to permanent', async () => {
    const driver = createAliyunDriver(config());
    fake.failNext(1);
    const throttled = await refusal(driver.send(msg));
    expect(throttled).toMatchObject({ code: 'isv.BUSINESS_LIMIT_CONTROL', retryable: true });
    fake.failNext(1, 'Throttling.User');
    expect(await refusal(driver.send(msg))).toMatchObject({ retryable: true });
    fake.failNext(1, 'isp.SYSTEM_ERROR');
    expect(await refusal(driver.send(msg))).toMatchObject({ retryable: true });
    const bad = await refusal(driver.send({ ...msg, phone: '02012345678' }));
    expect(bad).toMatchObject({ code: 'isv.MOBILE_NUMBER_ILLEGAL', retryable: false });
    // After the failures, the next one goes through.
    await expect(driver.send(msg)).resolves.toHaveProperty('providerMessageId');
  });

  it('needs the provider template code', async () => {
    const e = await refusal(createAliyunDriver(config()).send({ ...msg, templateCode: null }));
    expect(e).toMatchObject({ code: 'MissingTemplateCode', retryable: false });
  });

  it('times out a provider that does not answer, and survives a refused connection', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const slow = createAliyunDriver(
        { ...config(), endpoint: `http://127.0.0.1:${port}` },
        { timeoutMs: 200 },
      );
      expect(await refusal(slow.send(msg))).toMatchObject({ code: 'Timeout', retryable: true });
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
    const down = createAliyunDriver({ ...config(), endpoint: `http://127.0.0.1:${port}` });
    expect(await refusal(down.send(msg))).toMatchObject({ code: 'NetworkError', retryable: true });
  });
});

describe('SMS configuration', () => {
  it('defaults to the record driver and the default daily limits', () => {
    const c = loadConfig({});
    expect(c.sms).toMatchObject({
      driver: 'record',
      aliyun: null,
      dailyLimitPerPhone: 5,
      dailyLimitTotal: 5000,
    });
    expect(createSmsDriver(c).name).toBe('record');
  });

  it('refuses the aliyun driver without its keys, in Chinese, naming what is missing', () => {
    expect(() => loadConfig({ SMS_DRIVER: 'aliyun', ALIYUN_SMS_ACCESS_KEY_ID: 'x' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ SMS_DRIVER: 'aliyun' })).toThrow(
      /ALIYUN_SMS_ACCESS_KEY_ID、ALIYUN_SMS_ACCESS_KEY_SECRET、ALIYUN_SMS_SIGN_NAME/,
    );
    expect(() => loadConfig({ SMS_DRIVER: 'tencent' })).toThrow(ConfigError);
    expect(() => loadConfig({ SMS_DAILY_LIMIT_TOTAL: '0' })).toThrow(ConfigError);
  });

  it('reads the aliyun settings and never prints the secret', () => {
    const c = loadConfig({
      SMS_DRIVER: 'aliyun',
      ALIYUN_SMS_ACCESS_KEY_ID: KEY.accessKeyId,
      ALIYUN_SMS_ACCESS_KEY_SECRET: KEY.accessKeySecret,
      ALIYUN_SMS_SIGN_NAME: '南岭县委组织部',
      ALIYUN_SMS_ENDPOINT: 'http://127.0.0.1:9/',
      SMS_DAILY_LIMIT_PER_PHONE: '3',
      SMS_DAILY_LIMIT_TOTAL: '100',
    });
    expect(c.sms!.aliyun!.accessKeySecret).toBe(KEY.accessKeySecret);
    expect(c.sms!.aliyun!.endpoint).toBe('http://127.0.0.1:9');
    expect(c.sms).toMatchObject({ driver: 'aliyun', dailyLimitPerPhone: 3, dailyLimitTotal: 100 });
    expect(JSON.stringify(c)).not.toContain(KEY.accessKeySecret);
    expect(createSmsDriver(c).name).toBe('aliyun');
  });
});
