import pino, { type LoggerOptions } from 'pino';

/**
 * Paths pino must never print (issue 2 §8, SECURITY.md 16). Request bodies are not logged at all;
 * these cover the places where a value could still slip in: headers, and any object a module
 * logs that carries a field with one of these names.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'newPassword',
    'currentPassword',
    'oneTimePassword',
    'token',
    'code',
    'secret',
    'totpSecret',
    'idNumber',
    'phone',
    'contactPhone',
    'address',
    'homeAddress',
    'currentAddress',
  ].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[已隐藏]' },
    serializers: {
      // Only method and URL path: a query string may carry search terms such as a phone number.
      req: (req: { method?: string; url?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url?.split('?')[0],
      }),
    },
  };
}

export function createLogger(level: string) {
  return pino(loggerOptions(level));
}
