import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_SMS_DAILY_LIMITS } from '@liudong/domain';

// Zod's own messages in Chinese, everywhere in the server (config, requests).
z.config(z.locales.zhCN());

export class ConfigError extends Error {}

// Environment is parsed once, with zod, at start-up (ARCHITECTURE.md "Boundaries").
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Where the embedded database, its lock file and backups live. */
  DATA_DIR: z.string().default('./data'),
  /** Set to run on a PostgreSQL server instead of the embedded PGlite. */
  DATABASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* and mark cookies Secure. */
  TRUST_PROXY: z.stringbool().default(false),
  COOKIE_SECURE: z.stringbool().optional(),
  NODE_ENV: z.string().default('production'),
  // SMS (issue 4 §6; README "短信"). The default driver records to the outbox and never sends.
  SMS_DRIVER: z.enum(['record', 'aliyun']).default('record'),
  ALIYUN_SMS_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_SMS_ACCESS_KEY_SECRET: z.string().optional(),
  ALIYUN_SMS_SIGN_NAME: z.string().max(30).optional(),
  ALIYUN_SMS_ENDPOINT: z.url({ protocol: /^https?$/ }).default('https://dysmsapi.aliyuncs.com'),
  SMS_DAILY_LIMIT_PER_PHONE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(DEFAULT_SMS_DAILY_LIMITS.perPhone),
  SMS_DAILY_LIMIT_TOTAL: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .default(DEFAULT_SMS_DAILY_LIMITS.total),
  /** Background work runs every minute; a shorter period (seconds) for end-to-end tests. */
  BACKGROUND_TICK_SECONDS: z.coerce.number().int().min(1).max(60).optional(),
});

/** Aliyun SMS (dysmsapi) credentials. The secret is never logged (toJSON hides it). */
export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  endpoint: string;
}

export interface SmsConfig {
  /** record: kept in the outbox and marked sent with provider 'record', never sent to anyone. */
  driver: 'record' | 'aliyun';
  aliyun: AliyunSmsConfig | null;
  dailyLimitPerPhone: number;
  dailyLimitTotal: number;
}

/** The SMS settings when none were loaded (tests build AppConfig by hand): record, defaults. */
export const DEFAULT_SMS_CONFIG: SmsConfig = {
  driver: 'record',
  aliyun: null,
  dailyLimitPerPhone: DEFAULT_SMS_DAILY_LIMITS.perPhone,
  dailyLimitTotal: DEFAULT_SMS_DAILY_LIMITS.total,
};

export function smsConfigOf(config: Pick<AppConfig, 'sms'>): SmsConfig {
  return config.sms ?? DEFAULT_SMS_CONFIG;
}

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  trustProxy: boolean;
  cookieSecure: boolean;
  /** Built web app to serve, when it exists. */
  webDistDir: string;
  /** SMS driver and daily limits; absent means DEFAULT_SMS_CONFIG (the record driver). */
  sms?: SmsConfig;
  /** Seconds between background ticks; absent: every minute (croner). */
  backgroundTickSeconds?: number;
}

function smsConfigFrom(e: z.infer<typeof Env>): SmsConfig {
  let aliyun: AliyunSmsConfig | null = null;
  if (e.SMS_DRIVER === 'aliyun') {
    const missing = (
      ['ALIYUN_SMS_ACCESS_KEY_ID', 'ALIYUN_SMS_ACCESS_KEY_SECRET', 'ALIYUN_SMS_SIGN_NAME'] as const
    ).filter((k) => !e[k]);
    if (missing.length > 0) {
      throw new ConfigError(
        `短信驱动设为 aliyun（阿里云短信）时必须设置环境变量 ${missing.join('、')}；` +
          '不发送短信请去掉 SMS_DRIVER 或设为 record（只记入发件箱）',
      );
    }
    const secret = e.ALIYUN_SMS_ACCESS_KEY_SECRET!;
    aliyun = {
      accessKeyId: e.ALIYUN_SMS_ACCESS_KEY_ID!,
      accessKeySecret: secret,
      signName: e.ALIYUN_SMS_SIGN_NAME!,
      endpoint: e.ALIYUN_SMS_ENDPOINT.replace(/\/+$/, ''),
    };
    // A config object printed by mistake must not carry the secret (SECURITY.md 16).
    Object.defineProperty(aliyun, 'accessKeySecret', { enumerable: false });
  }
  return {
    driver: e.SMS_DRIVER,
    aliyun,
    dailyLimitPerPhone: e.SMS_DAILY_LIMIT_PER_PHONE,
    dailyLimitTotal: e.SMS_DAILY_LIMIT_TOTAL,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (DATABASE_URL= in a shell or a unit file) means "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；');
    throw new ConfigError(`环境变量配置有误：${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    cookieSecure: e.COOKIE_SECURE ?? e.TRUST_PROXY,
    webDistDir: path.resolve(import.meta.dirname, '../../../web/dist'),
    sms: smsConfigFrom(e),
    backgroundTickSeconds: e.BACKGROUND_TICK_SECONDS,
  };
}
