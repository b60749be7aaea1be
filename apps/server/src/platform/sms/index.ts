import { smsConfigOf, type AppConfig } from '../config';
import { createAliyunDriver } from './aliyun';
import type { SmsDriver } from './driver';
import { createRecordDriver } from './record';

export * from './driver';
export { createAliyunDriver } from './aliyun';
export { createRecordDriver } from './record';

/** The driver SMS_DRIVER names (platform/config.ts checked the keys it needs at start-up). */
export function createSmsDriver(config: Pick<AppConfig, 'sms'>): SmsDriver {
  const sms = smsConfigOf(config);
  if (sms.driver === 'aliyun' && sms.aliyun) return createAliyunDriver(sms.aliyun);
  return createRecordDriver();
}
