import { randomUUID } from 'node:crypto';
import type { SmsDriver } from './driver';

/**
 * The default driver: the message stays in the outbox, marked 'sent' with provider 'record' and a
 * local id, and nobody is contacted. It lets an installation without a provider contract use
 * every SMS feature (templates, broadcasts, limits, the outbox) and see what would have been sent;
 * the outbox and GET /api/sms/status say which driver is active so no one mistakes it for
 * delivery (issue 4 §6: "the default driver records to the outbox and never sends").
 */
export function createRecordDriver(): SmsDriver {
  return {
    name: 'record',
    send: async () => ({ providerMessageId: `record-${randomUUID()}` }),
  };
}
