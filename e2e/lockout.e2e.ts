import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePage, launchBrowser, newPage, screenshotOnFailure } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import {
  INVALID_CREDENTIALS_MESSAGE,
  accountRow,
  firstSignIn,
  loginErrorText,
  openLoginPage,
  openMenu,
  submitPassword,
} from './support/steps';

// Journey (b): 5 wrong passwords lock the account; then even the right password is refused with
// the very same words as an unknown username, so the page never tells whether an account exists
// (SECURITY.md 2). The locked account is `admin`; `security` then sees it locked in 账号与角色.
const FAILURES_TO_LOCK = 5;

interface Refusal {
  status: number;
  code: unknown;
  message: unknown;
  /** Everything the login card says, error included. */
  cardText: string;
}

describe('lockout after repeated failures, without revealing whether an account exists', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  screenshotOnFailure();

  /** Submits the login form and returns what the server and the page said. */
  async function refusedLogin(username: string, password: string): Promise<Refusal> {
    const answered = page.waitForResponse(
      (response: Response) =>
        response.url().endsWith('/api/auth/login') && response.request().method() === 'POST',
    );
    await submitPassword(page, username, password);
    const response = await answered;
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    const alertText = await loginErrorText(page);
    expect(alertText).toContain(INVALID_CREDENTIALS_MESSAGE);
    // Still the plain login form: no next step was offered.
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    const cardText = await page.locator('.ant-card').first().innerText();
    return {
      status: response.status(),
      code: body.error?.code,
      message: body.error?.message,
      cardText,
    };
  }

  let unknownUser: Refusal;

  it('an unknown username is refused with the generic message', async () => {
    await openLoginPage(page, server.baseUrl);
    await capturePage(page, 'login');
    unknownUser = await refusedLogin('zhangsan-nobody', 'Whatever#2025-pw');
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.message).toBe(INVALID_CREDENTIALS_MESSAGE);
    await capturePage(page, 'login-refused');
  });

  it(`${FAILURES_TO_LOCK} wrong passwords for admin are each refused with the same message`, async () => {
    for (let attempt = 1; attempt <= FAILURES_TO_LOCK; attempt += 1) {
      const refusal = await refusedLogin('admin', `Wrong#Password-${attempt}`);
      expect(refusal).toEqual(unknownUser);
    }
  });

  it('the 6th attempt with the CORRECT password is refused exactly like an unknown user', async () => {
    const correct = server.oneTimePasswords.get('admin')!;
    const locked = await refusedLogin('admin', correct);
    // Same status, same code, same words, same page: nothing tells "locked" from "no such user".
    expect(locked).toEqual(unknownUser);
    expect(locked.cardText).not.toContain('修改初始密码');
  });

  it('the security admin sees admin as 已锁定 in 账号与角色', async () => {
    const securityPage = await newPage(browser);
    await firstSignIn(securityPage, server.baseUrl, {
      username: 'security',
      oneTimePassword: server.oneTimePasswords.get('security')!,
      newPassword: 'Anquan#2025-e2e',
    });
    await openMenu(securityPage, '账号与角色');
    const row = accountRow(securityPage, 'admin');
    await row.getByText('已锁定', { exact: true }).waitFor();
    await accountRow(securityPage, 'security').getByText('正常', { exact: true }).waitFor();
  });
});
