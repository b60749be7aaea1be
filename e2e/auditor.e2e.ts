import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePage, launchBrowser, newPage, screenshotOnFailure } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import {
  ROOT_ORG_NAME,
  accountRow,
  chooseOption,
  createChildOrg,
  expectToast,
  firstSignIn,
  moveOrg,
  openMenu,
  orgTreeItem,
  searchAndChoose,
  signOut,
} from './support/steps';

// Journey (c): the security admin creates an auditor, who finds the org department admin's work
// in the audit trail. This file has its own server, so admin first does (again) what journey (a)
// does: create two orgs and move one. Three people, three browser contexts, one after the other.
const COMMITTEE = '测试镇党委';
const BRANCH = '测试第一党支部';
const AUDITOR = { username: 'shenji1', displayName: '审计员一', newPassword: 'Audit#Trail-2025' };

describe('security admin creates an auditor who finds the org changes in the audit trail', () => {
  let server: RunningServer;
  let browser: Browser;
  let auditorOneTimePassword = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  screenshotOnFailure();

  it(`admin creates ${COMMITTEE} and ${BRANCH} and moves the branch under the committee`, async () => {
    const page = await newPage(browser);
    await firstSignIn(page, server.baseUrl, {
      username: 'admin',
      oneTimePassword: server.oneTimePasswords.get('admin')!,
      newPassword: 'Zuzhibu#2025-e2e',
    });
    await openMenu(page, '组织管理');
    await orgTreeItem(page, ROOT_ORG_NAME).waitFor();
    await createChildOrg(page, ROOT_ORG_NAME, { name: COMMITTEE, kindLabel: '党委' });
    await createChildOrg(page, ROOT_ORG_NAME, { name: BRANCH, kindLabel: '党支部' });
    await moveOrg(page, { name: BRANCH, fromParentName: ROOT_ORG_NAME, toParentName: COMMITTEE });
    await signOut(page, server.baseUrl);
    await page.context().close();
  });

  let securityPage: Page;

  it(`security creates the account ${AUDITOR.username} and reads its one-time password once`, async () => {
    securityPage = await newPage(browser);
    const page = securityPage;
    await firstSignIn(page, server.baseUrl, {
      username: 'security',
      oneTimePassword: server.oneTimePasswords.get('security')!,
      newPassword: 'Anquan#2025-e2e',
    });
    await openMenu(page, '账号与角色');
    await accountRow(page, 'admin').waitFor();

    await page.getByRole('button', { name: /新建账号/ }).click();
    const form = page.getByRole('dialog', { name: '新建账号' });
    await form.getByLabel('用户名').fill(AUDITOR.username);
    await form.getByLabel('姓名').fill(AUDITOR.displayName);
    // The security admin cannot search the org tree (三员分立): the picker offers known orgs.
    await searchAndChoose(page, form.getByLabel('所属组织'), '本级', ROOT_ORG_NAME);
    await form.getByRole('button', { name: /创\s*建/ }).click();

    const shown = page.getByRole('dialog', { name: '账号已创建' });
    await shown.getByText('一次性密码只显示这一次').waitFor();
    auditorOneTimePassword = (await shown.getByLabel('一次性密码').innerText()).trim();
    expect(auditorOneTimePassword).toMatch(/^\S{12,}$/);
    await shown.getByRole('button', { name: /我已妥善记录，关闭/ }).click();
    await shown.waitFor({ state: 'hidden' });
    await accountRow(page, AUDITOR.username).getByText('未授予角色').waitFor();
  });

  it(`security grants ${AUDITOR.username} the role 审计管理员 at the root org`, async () => {
    const page = securityPage;
    await accountRow(page, AUDITOR.username)
      .getByRole('button', { name: /授予角色/ })
      .click();
    const form = page.getByRole('dialog', {
      name: `授予角色 · ${AUDITOR.displayName}（${AUDITOR.username}）`,
    });
    await chooseOption(page, form.getByLabel('角色'), '审计管理员');
    await searchAndChoose(page, form.getByLabel('任职组织'), '本级', ROOT_ORG_NAME);
    await form.getByRole('button', { name: /授\s*予/ }).click();
    await expectToast(page, `已为「${AUDITOR.displayName}」授予角色`);
    await form.waitFor({ state: 'hidden' });
    await accountRow(page, AUDITOR.username)
      .getByText(`${ROOT_ORG_NAME} · 审计管理员`, { exact: true })
      .waitFor();
    // As the security admin sees the page when coming back to it later.
    await page.reload();
    await accountRow(page, AUDITOR.username).getByText('审计管理员', { exact: false }).waitFor();
    await capturePage(page, 'accounts');
    await signOut(page, server.baseUrl);
    await page.context().close();
  });

  let auditorPage: Page;

  it(`${AUDITOR.username} signs in for the first time and sees only the audit menu`, async () => {
    auditorPage = await newPage(browser);
    const page = auditorPage;
    await firstSignIn(page, server.baseUrl, {
      username: AUDITOR.username,
      oneTimePassword: auditorOneTimePassword,
      newPassword: AUDITOR.newPassword,
    });
    const menu = await page.getByRole('menu').getByRole('menuitem').allInnerTexts();
    expect(menu.map((label) => label.trim())).toEqual(['首页', '审计日志']);
    // Typing another page's address does not help either.
    await page.goto(`${server.baseUrl}/orgs`);
    await page.getByText('抱歉，当前角色无权访问此页面', { exact: false }).waitFor();
    await page.getByRole('button', { name: /返回首页/ }).click();
    await page.getByRole('heading', { name: '工作台' }).waitFor();
  });

  it('finds the org creations (新建组织) and the move (调整隶属关系) by admin in 审计日志', async () => {
    const page = auditorPage;
    await openMenu(page, '审计日志');
    const table = page.getByRole('table');
    await table.getByRole('row').nth(1).waitFor();
    await capturePage(page, 'audit');

    /** Filters by actor and action and returns the rows as arrays of cell texts. */
    async function search(actor: string, actionLabel: string) {
      await page.getByLabel('操作人').fill(actor);
      await searchAndChoose(page, page.getByLabel('操作类型'), actionLabel, actionLabel);
      const answered = page.waitForResponse(
        (response) => response.url().includes('/api/audit') && response.status() === 200,
      );
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await answered;
      await page.waitForLoadState('networkidle');
      // antd shows a spinner over the table while loading; read the rows once it is gone.
      await page.locator('.ant-table-wrapper .ant-spin-spinning').waitFor({ state: 'detached' });
      const rows = table.getByRole('row').filter({ has: page.getByRole('cell') });
      const texts: string[][] = [];
      for (const row of await rows.all()) {
        texts.push((await row.getByRole('cell').allInnerTexts()).map((text) => text.trim()));
      }
      return texts;
    }

    const created = await search('admin', '新建组织');
    for (const name of [COMMITTEE, BRANCH]) {
      const row = created.find((cells) => cells.includes(name));
      expect(row, `新建组织 ${name}`).toBeDefined();
      expect(row).toContain('admin');
      expect(row).toContain('新建组织');
      expect(row).toContain('组织部管理员');
    }

    const moved = await search('admin', '调整隶属关系');
    expect(moved).toHaveLength(1);
    expect(moved[0]).toContain(BRANCH);
    expect(moved[0]).toContain('admin');
    expect(moved[0]).toContain('调整隶属关系');
    await capturePage(page, 'audit-filtered');

    // Reading the audit trail is itself audited (SECURITY.md 18): the searches above are there.
    const queries = await search(AUDITOR.username, '查询审计日志');
    expect(queries.length).toBeGreaterThanOrEqual(2);
    expect(queries.every((cells) => cells.includes(AUDITOR.username))).toBe(true);
  });
});
