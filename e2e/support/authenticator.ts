import { generateSync } from 'otplib';

const STEP_SECONDS = 30;
/** Margin past the step boundary, so that our clock and the server's agree on the new step. */
const BOUNDARY_MARGIN_MS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The phone's authenticator app for one account. The server accepts a TOTP code once per
 * 30-second step (SECURITY.md 4: a replayed code is rejected), so a second sign-in of the same
 * account within the same step waits — only as long as needed — for the next step, as a person
 * would wait for the app to show a new code.
 */
export class Authenticator {
  private lastStep: number | null = null;

  constructor(readonly secret: string) {}

  async nextCode(): Promise<string> {
    const stepOf = (ms: number) => Math.floor(ms / 1000 / STEP_SECONDS);
    let now = Date.now();
    if (this.lastStep !== null && stepOf(now) <= this.lastStep) {
      const wait = (this.lastStep + 1) * STEP_SECONDS * 1000 - now + BOUNDARY_MARGIN_MS;
      await sleep(wait);
      now = Date.now();
    }
    this.lastStep = stepOf(now);
    return generateSync({ secret: this.secret, epoch: Math.floor(now / 1000) });
  }
}
