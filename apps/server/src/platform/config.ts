import path from 'node:path';
import { z } from 'zod';

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
});

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
  };
}
