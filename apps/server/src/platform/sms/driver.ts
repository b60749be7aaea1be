/**
 * The SMS provider interface (issue 4 §6). The dispatcher (modules/sms/sms.dispatch.ts) is the
 * only caller: a driver sends one message and answers with the provider's message id, or throws
 * SmsSendError saying whether trying again later can help.
 *
 * Drivers never log: the phone number and the text are personal data (SECURITY.md 16), and the
 * error messages they build carry neither.
 */

export type SmsDriverName = 'record' | 'aliyun';

export interface SmsToSend {
  /** Normalized mainland mobile number (11 digits). */
  phone: string;
  /** The text as rendered from our template (what the outbox shows). */
  body: string;
  /** The provider's approved template (Aliyun: SMS_xxxxxxxx); required by template providers. */
  templateCode?: string | null;
  /** The template's variables, e.g. { name: '张三', festival: '春节' }. */
  params: Record<string, string>;
  /** Overrides the configured sign (签名). */
  signName?: string | null;
}

export interface SmsDriver {
  readonly name: SmsDriverName;
  send(msg: SmsToSend): Promise<{ providerMessageId: string }>;
}

/**
 * A refused or failed send. `retryable`: a later try may succeed (throttling, the provider's own
 * fault, a timeout), so the dispatcher backs off; otherwise the message is left as failed (a bad
 * number, a template the provider does not know, wrong credentials).
 * `message` is safe to store in the outbox and to log: it never contains the phone or the text.
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The provider's code, e.g. 'isv.BUSINESS_LIMIT_CONTROL'. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}
