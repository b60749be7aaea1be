import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticator } from './support/authenticator';
import { capturePage, launchBrowser, newPage, screenshotOnFailure } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import {
  ROOT_ORG_NAME,
  createChildOrg,
  expectHomePage,
  firstSignIn,
  moveOrg,
  openMenu,
  orgBreadcrumb,
  orgTreeItem,
  selectOrg,
  signIn,
  signOut,
  treeToggle,
} from './support/steps';

// Journey (a): the org department admin's first day. One server for this file; the steps run in
// order and build on each other.
const ADMIN_PASSWORD = 'Zuzhibu#2025-e2e';
const COMMITTEE = '测试镇党委';
const BRANCH = '测试第一党支部';

describe('org department admin: first sign-in, build and reshape the org tree', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let authenticator: Authenticator;

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

  it('signs in with the printed one-time password, must change it and bind TOTP, lands on 首页', async () => {
    const oneTimePassword = server.oneTimePasswords.get('admin');
    expect(oneTimePassword).toMatch(/^\S{12,}$/);
    authenticator = await firstSignIn(
      page,
      server.baseUrl,
      { username: 'admin', oneTimePassword: oneTimePassword!, newPassword: ADMIN_PASSWORD },
      // Long enough and four classes, but it contains the username (SECURITY.md 1).
      { password: 'Admin#2025-password', message: '密码不能包含用户名' },
    );
    await page.getByText('当前身份：').waitFor();
    await capturePage(page, 'home');
  });

  it(`creates ${COMMITTEE} (党委) and ${BRANCH} (党支部) under the root org`, async () => {
    await openMenu(page, '组织管理');
    await orgTreeItem(page, ROOT_ORG_NAME).waitFor();
    await createChildOrg(page, ROOT_ORG_NAME, { name: COMMITTEE, kindLabel: '党委' });
    await createChildOrg(page, ROOT_ORG_NAME, { name: BRANCH, kindLabel: '党支部' });

    // Both now hang directly under the root.
    await orgTreeItem(page, COMMITTEE).waitFor();
    await orgTreeItem(page, BRANCH).waitFor();
    await selectOrg(page, BRANCH);
    expect(await orgBreadcrumb(page)).toEqual([ROOT_ORG_NAME, BRANCH]);
  });

  it(`moves ${BRANCH} under ${COMMITTEE} through 调整隶属关系, and the tree shows it there`, async () => {
    await moveOrg(page, { name: BRANCH, fromParentName: ROOT_ORG_NAME, toParentName: COMMITTEE });

    // The details and the breadcrumb follow the move…
    await page.getByRole('navigation').getByText(COMMITTEE, { exact: true }).waitFor();
    expect(await orgBreadcrumb(page)).toEqual([ROOT_ORG_NAME, COMMITTEE, BRANCH]);
    // …and so does the tree: folding the committee hides the branch, unfolding shows it again.
    await orgTreeItem(page, BRANCH).waitFor();
    await treeToggle(page, COMMITTEE).click();
    await orgTreeItem(page, BRANCH).waitFor({ state: 'detached' });
    await orgTreeItem(page, COMMITTEE).waitFor();
    await treeToggle(page, COMMITTEE).click();
    await orgTreeItem(page, BRANCH).waitFor();

    await selectOrg(page, BRANCH);
    await capturePage(page, 'orgs');
  });

  it('signs out, and signs in again with the new password and a fresh TOTP code', async () => {
    await signOut(page, server.baseUrl);
    await signIn(page, server.baseUrl, {
      username: 'admin',
      password: ADMIN_PASSWORD,
      authenticator,
    });
    await expectHomePage(page);
    await signOut(page, server.baseUrl);
  });
});
