import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureElement,
  capturePage,
  closePage,
  launchBrowser,
  newPage,
  screenshotOnFailure,
} from './support/browser';
import { startServer, type RunningServer } from './support/server';
import { expectToast, openMenu, searchAndChoose, signInWithPassword } from './support/steps';

// Journey (issue 4 "Done when"): on the fictional demo county (`liudong seed-demo`), a branch
// officer assigns liaisons to all the branch's outbound members in one go (定人·定时·定责) and
// sees 未分配联络员 fall to 0; the branch's liaison works through the overdue queue in Chromium,
// logging three members in a row with 保存并登记下一位 from the keyboard, and sees 已逾期 fall by
// three; the home dashboard's 按时联系率 rises (DOMAIN.md §9: a member reached today is on time).
const DEMO = { seed: 20260701, password: 'Nanling#Demo-2026-e2e' };
const LIAISON_ACCOUNT = 'lianluoyuan';
const CONTACTS = 3;

/** Waits until antd's loading veil over the tables of `scope` is gone. */
async function tablesSettled(scope: Page | Locator): Promise<void> {
  await scope.locator('.ant-table-wrapper .ant-spin-spinning').waitFor({ state: 'detached' });
}

/** A dialog that just opened has finished zooming in (a click mid-zoom can miss, see import.e2e). */
async function dialogOpened(dialog: Locator): Promise<void> {
  await dialog.waitFor();
  await dialog
    .page()
    .locator('[class*="ant-zoom-appear"], [class*="ant-zoom-enter"]')
    .first()
    .waitFor({ state: 'detached' });
}

const digits = (text: string) => Number(text.replace(/[^\d.]/g, ''));

describe('a branch officer assigns liaisons; the liaison works through the overdue queue', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ seedDemo: DEMO });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  screenshotOnFailure();

  let page: Page;
  let liaisonName = '';

  /** An indicator card of the home dashboard, found by its title. */
  const indicator = (title: string) =>
    page
      .locator('.ant-card')
      .filter({ has: page.locator('.ant-statistic-title').getByText(title, { exact: true }) });
  const indicatorValue = async (title: string) =>
    digits(await indicator(title).locator('.ant-statistic-content').innerText());

  /** A figure above the contact queue (已逾期, 本周应联系 …), found by its title. */
  const queueFigure = async (title: string) => {
    const card = page
      .locator('.ant-card')
      .filter({ has: page.locator('.ant-statistic-title').getByText(title, { exact: true }) });
    return digits(await card.locator('.ant-statistic-content').innerText());
  };

  it('zhibu: 联络员与三定 → 一键分配 gives every outbound member of the branch a liaison', async () => {
    page = await newPage(browser);
    await signInWithPassword(page, server.baseUrl, { username: 'zhibu', password: DEMO.password });
    await openMenu(page, '联络员与三定');

    // The branch's liaisons: the demo's liaison account is one of them.
    const liaisons = page.getByRole('table');
    await tablesSettled(page);
    const liaisonRow = liaisons
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: LIAISON_ACCOUNT, exact: true }) });
    liaisonName = (await liaisonRow.getByRole('cell').first().innerText()).trim();
    const countBefore = digits(await liaisonRow.getByRole('cell').nth(5).innerText());
    expect(liaisonName).not.toBe('');

    // The panel starts on the officer's own branch and says how many members have no liaison.
    const status = page.getByRole('status');
    await status.getByText(/^本组织流出党员 \d+ 人，其中未分配联络员 \d+ 人$/).waitFor();
    const [, total, unassigned] = (await status.innerText()).match(
      /(\d+) 人，其中未分配联络员 (\d+) 人/,
    )!;
    expect(Number(unassigned)).toBeGreaterThan(0);
    expect(Number(unassigned)).toBeLessThanOrEqual(Number(total));

    await searchAndChoose(page, page.getByLabel('联络员（定人）'), LIAISON_ACCOUNT, liaisonName);
    // 定责 comes prefilled with the usual duty text; the interval follows the org's rule.
    await expect(page.getByLabel('职责（定责）').inputValue()).resolves.toContain(
      '每月至少联系一次',
    );
    await capturePage(page, 'contacts-bulk-assign');

    await page.getByRole('button', { name: `一键分配（${unassigned} 人）` }).click();
    const confirm = page.getByRole('dialog').filter({ hasText: `确认分配 ${unassigned} 名党员？` });
    await dialogOpened(confirm);
    await expect(confirm.innerText()).resolves.toContain(`将全部由${liaisonName}负责联系`);
    await captureElement(confirm, 'contacts-bulk-assign-confirm');
    const assigned = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/liaisons/assign' &&
        response.request().method() === 'POST',
    );
    await confirm.getByRole('button', { name: `确认分配（${unassigned} 人）` }).click();
    expect((await assigned).status()).toBe(200);
    await expectToast(page, `已为 ${unassigned} 名党员分配联络员 ${liaisonName}`);

    // Nobody is left without a liaison; the liaison now answers for them too.
    await status.getByText(`本组织流出党员 ${total} 人，其中未分配联络员 0 人`).waitFor();
    await expect
      .poll(async () => digits(await liaisonRow.getByRole('cell').nth(5).innerText()))
      .toBe(countBefore + Number(unassigned));
    await expect(page.getByRole('button', { name: /一键分配/ }).isDisabled()).resolves.toBe(true);
    await capturePage(page, 'contacts-bulk-assigned');

    // 联系工作 says the same: the 未分配联络员 figure of the branch is 0.
    await openMenu(page, '联系工作');
    await expect.poll(() => queueFigure('未分配联络员')).toBe(0);
    await closePage(page);
  });

  let rateBefore = 0;
  let lostRateBefore = 0;
  /** How many of the members contacted were 失联 (lost) in the queue before the contact. */
  let lostContacted = 0;
  let firstName = '';

  it(`${LIAISON_ACCOUNT}: reads 按时联系率 on the home dashboard`, async () => {
    page = await newPage(browser);
    await signInWithPassword(page, server.baseUrl, {
      username: LIAISON_ACCOUNT,
      password: DEMO.password,
    });
    await indicator('按时联系率').waitFor();
    rateBefore = await indicatorValue('按时联系率');
    expect(rateBefore).toBeLessThan(100);
    lostRateBefore = await indicatorValue('失联率');
  });

  it(`${LIAISON_ACCOUNT}: 联系工作 → 已逾期, three contacts in a row from the keyboard`, async () => {
    await openMenu(page, '联系工作');
    // A liaison starts on their own list (我负责的), on the overdue tab.
    await expect(page.getByRole('radio', { name: '我负责的' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('tab', { name: /已逾期/, selected: true }).count()).resolves.toBe(
      1,
    );
    await tablesSettled(page);
    await expect.poll(() => queueFigure('已逾期')).toBeGreaterThanOrEqual(CONTACTS);
    const overdueBefore = await queueFigure('已逾期');
    const rows = page.getByRole('table').getByRole('row');
    const names: string[] = [];
    for (let i = 1; i <= CONTACTS; i += 1)
      names.push((await rows.nth(i).getByRole('cell').first().innerText()).trim());
    // The 失联状态 column: a reached contact ends a lost member's 6 months without a sign of life.
    for (let i = 1; i <= CONTACTS; i += 1)
      if ((await rows.nth(i).locator('.ant-tag').allInnerTexts()).includes('失联'))
        lostContacted += 1;
    firstName = names[0]!;
    await capturePage(page, 'contacts-queue-before');

    await rows.nth(1).getByRole('button', { name: '登记联系' }).click();
    for (const [index, name] of names.entries()) {
      const drawer = page.getByRole('dialog', { name: `登记联系 · ${name}` });
      await drawer.waitFor();
      // Focus starts in the first field (联系日期, today); by phone, reached, by default.
      const date = drawer.getByLabel('联系日期');
      await expect.poll(() => date.evaluate((el) => el === document.activeElement)).toBe(true);
      await expect(drawer.getByRole('radio', { name: '电话' }).isChecked()).resolves.toBe(true);
      // Tab past 是否联系上 and 联系方式 to 工作情况, type, Ctrl+Enter: 保存并登记下一位.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      const work = drawer.getByLabel('工作情况');
      await expect(work.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await page.keyboard.type(`第${index + 1}位：在外务工，工作稳定，已提醒按时交纳党费`);
      if (index === 0) await captureElement(drawer, 'contacts-form');
      const saved = page.waitForResponse(
        (response) =>
          new URL(response.url()).pathname === '/api/contacts' &&
          response.request().method() === 'POST',
      );
      await page.keyboard.press('Control+Enter');
      const response = await saved;
      expect(response.status(), await response.text()).toBe(200);
      await drawer.waitFor({ state: 'hidden' });
    }
    // The next member's form is open now: Esc closes it without saving.
    if (overdueBefore > CONTACTS) {
      await page.getByRole('dialog', { name: /^登记联系 · / }).waitFor();
      await page.keyboard.press('Escape');
    }
    await page.getByRole('dialog', { name: /^登记联系 · / }).waitFor({ state: 'hidden' });

    // The queue and its figures are fetched again: three fewer overdue.
    await expect.poll(() => queueFigure('已逾期')).toBe(overdueBefore - CONTACTS);
    await tablesSettled(page);
    for (const name of names)
      await expect(
        page.getByRole('table').getByRole('link', { name, exact: true }).count(),
      ).resolves.toBe(0);
    await capturePage(page, 'contacts-queue-after');
  });

  it('首页: 按时联系率 has risen', async () => {
    const answered = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/dashboard' &&
        response.request().method() === 'GET',
    );
    await openMenu(page, '首页', '工作台');
    expect((await answered).status()).toBe(200);
    await expect.poll(() => indicatorValue('按时联系率')).toBeGreaterThan(rateBefore);
    // 失联率 falls exactly when one of them was lost (lost contact is computed when read).
    if (lostContacted > 0)
      await expect.poll(() => indicatorValue('失联率')).toBeLessThan(lostRateBefore);
    else expect(await indicatorValue('失联率')).toBe(lostRateBefore);
    await capturePage(page, 'contacts-dashboard-after');
  });

  it('the member page shows the contact in 联系记录', async () => {
    await openMenu(page, '联系工作');
    await page.getByRole('tab', { name: /全部/ }).click();
    const searched = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/contacts/queue' &&
        new URL(response.url()).searchParams.get('q') === firstName,
    );
    await page.getByLabel('搜索党员').fill(firstName);
    expect((await searched).status()).toBe(200);
    await tablesSettled(page);
    await page.getByRole('table').getByRole('link', { name: firstName, exact: true }).click();
    await page.getByRole('heading', { name: firstName, level: 3 }).waitFor();
    const card = page
      .locator('.ant-card')
      .filter({ has: page.locator('.ant-card-head-title').getByText('联系记录', { exact: true }) });
    await card.getByText('第1位：在外务工，工作稳定，已提醒按时交纳党费').waitFor();
    await card.getByText(liaisonName, { exact: true }).first().waitFor();
    await captureElement(card, 'contacts-member-card');
  });
});
