import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Clock } from '@liudong/domain';

const ISSUER = '流动党员动态管理系统';

export function newTotpSecret(): string {
  return generateSecret();
}

export async function totpEnrolment(secret: string, username: string) {
  const otpauthUrl = generateURI({ issuer: ISSUER, label: username, secret });
  const qrDataUrl = await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 });
  return { secret, otpauthUrl, qrDataUrl };
}

/**
 * Checks a code against the clock, allowing one 30-second step of drift either way, and refuses
 * any time step at or before the last accepted one: a replayed code fails (SECURITY.md 4).
 * Returns the accepted time step, or null.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  clock: Clock,
  lastStep: number | null,
): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(clock.now().getTime() / 1000),
    epochTolerance: 30,
    ...(lastStep != null ? { afterTimeStep: lastStep } : {}),
  });
  // TOTP results carry the matched time step (otplib's union type also covers HOTP).
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}
