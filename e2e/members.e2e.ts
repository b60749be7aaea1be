import type { Browser, Page } from 'playwright-core';
import { pinyin } from 'pinyin-pro';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName, parseIdNumber } from '@liudong/domain';
import { capturePage, launchBrowser, newPage, screenshotOnFailure } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import {
  expectHomePage,
  firstSignInWithTotpEnrolment,
  openMenu,
  rowTexts,
  searchAndChoose,
  signInWithPassword,
  signOut,
} from './support/steps';

// Journey (d): on the fictional demo county (`liudong seed-demo`), a branch officer finds one of
// the branch's members by the pinyin initials of the name, looks at the masked record and reveals
// the ID number once, with a reason (SECURITY.md 14); the auditor then finds the view and the
// reveal in the audit trail, with the reason and without the ID number.
const DEMO = { seed: 20260701, password: 'Nanling#Demo-2026-e2e' };
const REASON = '办理组织关系转接，核对身份证号';

/** The rows of the first table on the page that hold cells (not the header), as cell texts. */
async function tableRows(page: Page): Promise<string[][]> {
  // antd shows a spinner over the table while loading; read the rows once it is gone.
  await page.locator('.ant-table-wrapper .ant-spin-spinning').waitFor({ state: 'detached' });
  return rowTexts(page.getByRole('table'));
}

describe('a branch officer reveals an ID number with a reason; the auditor finds it', () => {
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

  let officerPage: Page;
  /** Every address the officer's page showed, to check that the search text never was one. */
  const visitedUrls: string[] = [];
  let memberName = '';
  let initials = '';
  let listMaskedIdNumber = '';
  let maskedIdNumber = '';
  let fullIdNumber = '';

  it('zhibu signs in and sees the outflow figures of the branch on the home dashboard', async () => {
    officerPage = await newPage(browser);
    const page = officerPage;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visitedUrls.push(frame.url());
    });
    await signInWithPassword(page, server.baseUrl, { username: 'zhibu', password: DEMO.password });

    const outbound = page.locator('.ant-card').filter({ has: page.getByLabel('流出党员说明') });
    await outbound.waitFor();
    const figure = /流出党员\s*([\d,]+)\s*人/.exec(await outbound.innerText());
    expect(figure, await outbound.innerText()).not.toBeNull();
    expect(Number(figure![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    await page.getByText('流出党员流向', { exact: true }).waitFor();
    await capturePage(page, 'dashboard');
  });

  it('opens 党员管理 and finds the first member of the list by the pinyin initials', async () => {
    const page = officerPage;
    await openMenu(page, '党员管理');
    await page.getByRole('table').getByRole('row').nth(1).waitFor();
    let rows = await tableRows(page);
    expect(rows.length).toBeGreaterThan(1);
    await capturePage(page, 'members');

    memberName = rows[0]![0]!;
    expect(memberName).toMatch(/^\p{Script=Han}{2,4}$/u);
    initials = pinyin(memberName, {
      pattern: 'first',
      toneType: 'none',
      type: 'array',
      surname: 'head',
    }).join('');
    expect(initials).toMatch(/^[a-z]{2,4}$/);

    const answered = page.waitForResponse(
      (response) =>
        response.url().includes('/api/members') &&
        new URL(response.url()).searchParams.get('q') === initials &&
        response.status() === 200,
    );
    await page.getByLabel('搜索党员').fill(initials);
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    await answered;
    rows = await tableRows(page);
    const found = rows.find((cells) => cells[0] === memberName);
    expect(found, `${memberName} (${initials}) in ${JSON.stringify(rows)}`).toBeDefined();
    // Every hit matches the initials (the search looks at names, pinyin and initials).
    for (const cells of rows) {
      const hitInitials = pinyin(cells[0]!, {
        pattern: 'first',
        toneType: 'none',
        type: 'array',
        surname: 'head',
      }).join('');
      expect(hitInitials, cells[0]).toContain(initials);
    }
    // The list shows the ID number masked (3 + 1 characters).
    listMaskedIdNumber = found!.find((cell) => /^\d[\d*]{16}[\dX*]$/.test(cell)) ?? '';
    expect(listMaskedIdNumber, JSON.stringify(found)).toMatch(/^\d{3}\*{14}[\dX]$/);
  });

  it('opens the member: the ID number is masked on the detail page', async () => {
    const page = officerPage;
    await page.getByRole('link', { name: memberName, exact: true }).first().click();
    await page.getByRole('heading', { name: memberName, level: 3 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/members\/[0-9a-f-]{36}$/);
    await page.getByText('基本信息', { exact: true }).waitFor();
    // The detail view shows a little more than the list: region code and last 4.
    const reveal = page.getByRole('button', { name: '查看完整身份证号' });
    const cell = page.getByRole('cell').filter({ has: reveal });
    maskedIdNumber = (await cell.innerText()).replace(/查\s*看/, '').trim();
    expect(maskedIdNumber).toContain('*');
    expect(maskedIdNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(maskedIdNumber.slice(0, 3)).toBe(listMaskedIdNumber.slice(0, 3));
    expect(maskedIdNumber.slice(-1)).toBe(listMaskedIdNumber.slice(-1));
    await capturePage(page, 'member-detail');
  });

  it('查看 the ID number: refused without a reason, shown with one, gone once closed', async () => {
    const page = officerPage;
    await page.getByRole('button', { name: '查看完整身份证号' }).click();
    const dialog = page.getByRole('dialog', { name: '查看完整信息 · 身份证号' });
    await dialog.waitFor();
    await dialog.getByText(`党员：${memberName}；当前显示：${maskedIdNumber}`).waitFor();

    // No reason: the form says why and nothing is revealed (no request is made).
    let revealRequests = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/api\/members\/.*reveal/.test(request.url()))
        revealRequests += 1;
    });
    await dialog.getByRole('button', { name: /查\s*看/ }).click();
    await dialog.getByText('请填写查看原因', { exact: true }).waitFor();
    await dialog.getByLabel('查看原因').fill('看看');
    await dialog.getByRole('button', { name: /查\s*看/ }).click();
    await dialog.getByText('请写明查看原因（至少4个字）', { exact: true }).waitFor();
    expect(revealRequests).toBe(0);
    await expect(dialog.getByLabel('完整身份证号').count()).resolves.toBe(0);

    await dialog.getByLabel('查看原因').fill(REASON);
    await dialog.getByRole('button', { name: /查\s*看/ }).click();
    const value = dialog.getByLabel('完整身份证号');
    await value.waitFor();
    expect(revealRequests).toBe(1);
    fullIdNumber = (await value.innerText()).trim();
    expect(fullIdNumber).toMatch(/^\d{17}[\dX]$/);
    const parsed = parseIdNumber(fullIdNumber);
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    // The masked form is the same number with the middle hidden.
    expect(fullIdNumber.slice(0, 6)).toBe(maskedIdNumber.slice(0, 6));
    expect(fullIdNumber.slice(-4)).toBe(maskedIdNumber.slice(-4));
    await dialog.getByText('本次查看已记入审计日志', { exact: false }).waitFor();

    // The dialog's own 关闭 button (the × in the corner is also named 关闭, but shows no text).
    await dialog
      .getByRole('button')
      .filter({ hasText: /关\s*闭/ })
      .click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(fullIdNumber);
    await page.getByText(maskedIdNumber, { exact: true }).waitFor();

    // Back to the list: the search is still there, and it never was in the address bar.
    await page.getByRole('button', { name: /返回党员列表/ }).click();
    await expect(page.getByLabel('搜索党员').inputValue()).resolves.toBe(initials);
    expect(await page.content()).not.toContain(fullIdNumber);
    expect(visitedUrls.length).toBeGreaterThan(0);
    for (const url of [...visitedUrls, page.url()]) {
      // A member's id is hex: "bc" or "fd" may well be part of it, so look around it.
      const { pathname, search, hash } = new URL(url);
      const rest = decodeURIComponent(`${pathname.replace(/[0-9a-f-]{36}/, '')}${search}${hash}`);
      expect(rest.toLowerCase(), url).not.toContain(initials);
      expect(rest, url).not.toContain(memberName);
    }
    await signOut(page, server.baseUrl);
    await page.context().close();
  });

  it('shenji finds the view and the reveal by zhibu in 审计日志, with the reason', async () => {
    const page = await newPage(browser);
    await firstSignInWithTotpEnrolment(page, server.baseUrl, {
      username: 'shenji',
      password: DEMO.password,
    });
    await expectHomePage(page);
    await openMenu(page, '审计日志');
    await page.getByRole('table').getByRole('row').nth(1).waitFor();

    async function search(actor: string, actionLabel: string) {
      await page.getByLabel('操作人').fill(actor);
      await searchAndChoose(page, page.getByLabel('操作类型'), actionLabel, actionLabel);
      const answered = page.waitForResponse(
        (response) => response.url().includes('/api/audit') && response.status() === 200,
      );
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await answered;
      await page.waitForLoadState('networkidle');
      return tableRows(page);
    }

    // The audit shows the member's name masked, as everywhere outside the member's own record.
    const target = maskName(memberName);
    const views = await search('zhibu', '查看党员信息');
    const view = views.find((cells) => cells.includes(target));
    expect(view, `${target} in ${JSON.stringify(views)}`).toBeDefined();
    expect(view).toContain('zhibu');
    expect(view).toContain('查看党员信息');

    const reveals = await search('zhibu', '查看完整个人信息');
    expect(reveals, JSON.stringify(reveals)).toHaveLength(1);
    const reveal = reveals[0]!;
    expect(reveal).toContain('zhibu');
    expect(reveal).toContain('查看完整个人信息');
    expect(reveal).toContain(target);
    expect(reveal).toContain(REASON);
    expect(await page.content()).not.toContain(fullIdNumber);
    await capturePage(page, 'audit-reveal');

    // The full record of the reveal: the reason and the field, never the value.
    await page.getByRole('table').getByRole('row').filter({ hasText: REASON }).first().click();
    const drawer = page.getByRole('dialog', { name: '审计记录详情' });
    await drawer.waitFor();
    await drawer.getByText(REASON, { exact: false }).first().waitFor();
    expect(await drawer.innerText()).not.toContain(fullIdNumber);
    expect(await page.content()).not.toContain(fullIdNumber);
    await page.context().close();
  });
});
