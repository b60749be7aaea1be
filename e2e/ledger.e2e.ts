import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureElement,
  capturePage,
  launchBrowser,
  newPage,
  screenshotOnFailure,
} from './support/browser';
import { startServer, type RunningServer } from './support/server';
import { LEDGER_HEADER_ROW, buildLedgerSheet, ledgerPeople } from './support/sheets';
import { chooseOptionAndWait, openMenu, signInWithPassword } from './support/steps';

// Journey (f2), issue 3 "Done when": an officer takes a county's Excel ledger, imports it and sees
// the dashboard. On the fictional demo county (`liudong seed-demo`) the branch officer reads the
// home dashboard's 流出党员 figure, imports the branch's 流动党员台账 (.xlsx, kind 'ledger': five
// new members, each with the outflow the ledger records, issue 3 §6), checks it (no errors, five
// new members and five outflows to register), imports it, and sees the dashboard count them
// (DOMAIN.md §9: 流出党员 counts members with an open outflow) and their cities among the main
// destinations; then finds an imported person's outflow, 已登记, in 流动党员台账.
const DEMO = { seed: 20260701, password: 'Nanling#Demo-2026-e2e' };
const FILE = '流动党员台账（2025年）.xlsx';
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const PEOPLE = ledgerPeople();
/** How many of the sheet's people go to each city (the dashboard counts by city). */
const BY_CITY = new Map<string, number>();
for (const person of PEOPLE) BY_CITY.set(person.city, (BY_CITY.get(person.city) ?? 0) + 1);
/** Looked up in the ledger: the place written short (广东深圳宝安区), and a real date cell. */
const LOOKED_UP = [
  PEOPLE.find((person) => person.name === '夏侯砚秋')!,
  PEOPLE.find((person) => person.name === '端木澄溪')!,
];

/** Waits until antd's loading veil over the tables of `scope` is gone. */
async function tablesSettled(scope: Page | Locator): Promise<void> {
  await scope.locator('.ant-table-wrapper .ant-spin-spinning').waitFor({ state: 'detached' });
}

/**
 * Waits until a dialog that just opened has finished zooming in (see import.e2e.ts: a button
 * clicked mid-zoom can move between Playwright's aim and its click).
 */
async function dialogOpened(dialog: Locator): Promise<void> {
  await dialog.waitFor();
  await dialog
    .page()
    .locator('[class*="ant-zoom-appear"], [class*="ant-zoom-enter"]')
    .first()
    .waitFor({ state: 'detached' });
}

/** What the home dashboard shows, read off the page. */
interface DashboardFigures {
  outbound: number;
  /** 持证率 in per cent (the card reads "80 %"). */
  certificateRate: number;
  /** The 报到率 card's note: "已报到 n / 有接收党组织 m". */
  checkInNote: string;
  /** 主要流入地 as the chart names it for screen readers: city → people. */
  destinations: Map<string, number>;
}

describe('a branch officer imports the county ledger and sees it on the dashboard', () => {
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
  let branchName = '';
  let before: DashboardFigures;

  /** An indicator card of the dashboard (流出党员, 报到率 …), found by its title. */
  const indicator = (title: string) =>
    page
      .locator('.ant-card')
      .filter({ has: page.locator('.ant-statistic-title').getByText(title, { exact: true }) });

  /** The figure of an indicator card, digits only ("1,234人" → 1234). */
  async function indicatorValue(title: string): Promise<number> {
    const text = await indicator(title).locator('.ant-statistic-content').innerText();
    return Number(text.replace(/[^\d]/g, ''));
  }

  /** Waits for the dashboard's cards and charts, then reads the figures this journey follows. */
  async function readDashboard(): Promise<DashboardFigures> {
    await indicator('流出党员').waitFor();
    // The ranking is an echarts canvas loaded after the cards; its label carries the ranking.
    const ranking = page.locator('.ant-card').filter({
      has: page.locator('.ant-card-head-title').getByText('主要流入地', { exact: true }),
    });
    const chart = ranking.getByRole('img', { name: /^主要流入地：/ });
    await chart.or(ranking.getByText('暂无数据', { exact: true })).waitFor();
    const destinations = new Map<string, number>();
    if (await chart.count()) {
      const label = (await chart.getAttribute('aria-label')) ?? '';
      for (const match of label.matchAll(/([^：，\s]+) (\d+) 人/g))
        destinations.set(match[1]!, Number(match[2]));
    }
    const checkInNote = (
      await indicator('报到率')
        .getByText(/^已报到 /)
        .innerText()
    ).trim();
    const certificateText = await indicator('持证率').locator('.ant-statistic-content').innerText();
    return {
      outbound: await indicatorValue('流出党员'),
      certificateRate: Number(certificateText.replace(/[^\d.]/g, '')),
      checkInNote,
      destinations,
    };
  }

  /** What the server says (only to explain a failure: the journey reads the page). */
  async function serverDashboard(): Promise<string> {
    const response = await page.request.get(`${server.baseUrl}/api/dashboard`);
    return `GET /api/dashboard ${response.status()}: ${await response.text()}`;
  }

  /** The figure of a count card of the 检查 step (数据行, 新增党员, 流动登记 …). */
  const countOf = async (title: string) => {
    const card = page
      .locator('.ant-statistic')
      .filter({ has: page.getByText(title, { exact: true }) });
    const text = await card.locator('.ant-statistic-content').innerText();
    return Number(text.replace(/[^\d]/g, ''));
  };

  it('zhibu signs in and reads the home dashboard', async () => {
    page = await newPage(browser);
    await signInWithPassword(page, server.baseUrl, { username: 'zhibu', password: DEMO.password });
    const role = (await page.getByLabel('当前角色').innerText()).trim();
    branchName = role.split(' · ')[0]!;
    expect(branchName, role).toMatch(/支部/);

    // The figures are those of the officer's branch (and below).
    await page.getByText(`${branchName}（含下级组织）流动党员概况`, { exact: true }).waitFor();
    before = await readDashboard();
    expect(before.checkInNote).toMatch(/^已报到 \d+ \/ 有接收党组织 \d+$/);
    await capturePage(page, 'ledger-dashboard-before');
  });

  it('Excel导入 → 流动党员台账: uploads the ledger and sees the columns matched', async () => {
    await openMenu(page, 'Excel导入');
    // antd's radio buttons hide the input under their label: click what a person sees.
    const ledgerKind = page.getByRole('radio', { name: '流动党员台账' });
    await page.locator('label').filter({ has: ledgerKind }).click();
    await expect(ledgerKind.isChecked()).resolves.toBe(true);
    await page.getByText('导入时一并登记流出', { exact: false }).waitFor();

    const file = await buildLedgerSheet({ orgName: branchName });
    const chooser = page.waitForEvent('filechooser');
    await page.getByText('点击选择或将Excel文件拖到此处', { exact: true }).click();
    await (await chooser).setFiles({ name: FILE, mimeType: XLSX_MIME, buffer: file });

    await page.getByText(FILE, { exact: true }).waitFor();
    await page.getByText('（流动党员台账）', { exact: false }).first().waitFor();
    // Title row and 填报单位 line skipped.
    await page.getByText(`第${LEDGER_HEADER_ROW}行为表头`, { exact: true }).waitFor();
    // Five people; the pre-filled 序号 below them is not a row.
    await page.getByText(`共 ${PEOPLE.length} 行数据`, { exact: true }).waitFor();

    const mapping = page.getByRole('table').first();
    const fieldOf = async (letter: string, title: string) => {
      const row = mapping
        .getByRole('row')
        .filter({ has: page.getByLabel(`${letter}列“${title}”对应的字段`) });
      return (await row.getByRole('cell').nth(3).innerText()).trim();
    };
    expect(await fieldOf('A', '序号')).toBe('不导入此列');
    expect(await fieldOf('B', '姓名')).toBe('姓名');
    expect(await fieldOf('C', '性别')).toBe('性别');
    expect(await fieldOf('D', '身份证号码')).toBe('身份证号码');
    expect(await fieldOf('E', '入党时间')).toBe('入党时间');
    expect(await fieldOf('F', '联系电话')).toBe('联系电话');
    expect(await fieldOf('G', '外出时间')).toBe('外出时间');
    expect(await fieldOf('H', '流入地')).toBe('流入地');
    expect(await fieldOf('I', '工作单位')).toBe('工作单位');
    expect(await fieldOf('J', '所在行业')).toBe('所在行业');
    expect(await fieldOf('K', '外出原因')).toBe('外出原因');
    expect(await fieldOf('L', '备注')).toBe('不导入此列');
    expect(await mapping.getByText('自动识别', { exact: true }).count()).toBe(10);
    // No org column: every row goes to the default org, the officer's own branch.
    await page
      .locator('.ant-form-item')
      .filter({ has: page.getByText('默认党组织', { exact: true }) })
      .getByText(branchName, { exact: true })
      .waitFor();
    await page
      .getByText('表格中没有“所在党组织”列：全部党员导入到此组织', { exact: true })
      .waitFor();

    // The preview shows personal data masked: no full ID number on the page.
    const html = await page.content();
    for (const person of PEOPLE) expect(html).not.toContain(person.idNumber);
    await capturePage(page, 'ledger-mapping');
  });

  it('检查数据: no errors; five new members and five outflows to register', async () => {
    const checked = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' &&
        /^\/api\/imports\/[^/]+\/check$/.test(new URL(response.url()).pathname),
    );
    await page.getByRole('button', { name: /检查数据/ }).click();
    expect((await checked).status()).toBe(200);
    await page.getByText('数据行', { exact: true }).waitFor();
    await page.getByText('检查通过，可以导入', { exact: true }).waitFor();
    expect(await countOf('数据行')).toBe(PEOPLE.length);
    expect(await countOf('新增党员')).toBe(PEOPLE.length);
    expect(await countOf('更新党员')).toBe(0);
    expect(await countOf('跳过')).toBe(0);
    expect(await countOf('流动登记')).toBe(PEOPLE.length);
    expect(await countOf('错误')).toBe(0);
    await capturePage(page, 'ledger-check-passed');
  });

  it('导入: confirms and sees the members added and the outflows registered', async () => {
    await page.getByRole('button', { name: /^导\s*入$/ }).click();
    const confirm = page.getByRole('dialog').filter({ hasText: `确认导入「${FILE}」？` });
    await dialogOpened(confirm);
    const counts = (await confirm.innerText()).replace(/\s+/g, ' ');
    expect(counts).toContain('类型 流动党员台账');
    expect(counts).toContain(`新增党员 ${PEOPLE.length}`);
    expect(counts).toContain(`流动登记 ${PEOPLE.length}`);
    await captureElement(confirm, 'ledger-confirm');

    const committed = page.waitForResponse((response) =>
      /^\/api\/imports\/[^/]+\/commit$/.test(new URL(response.url()).pathname),
    );
    await confirm.getByRole('button', { name: /开始导入/ }).click();
    expect((await committed).status()).toBe(200);
    await page.getByText('导入完成', { exact: true }).waitFor();
    const n = PEOPLE.length;
    await page
      .getByText(`${FILE}：新增 ${n} 名，更新 0 名，跳过 0 名，登记流动 ${n} 条`, { exact: false })
      .waitFor();
    await capturePage(page, 'ledger-import-done');
  });

  it('首页: 流出党员 has grown by the rows of the ledger, and their cities rank among 主要流入地', async () => {
    // The import marked the home figures stale (use-refresh-after-import.ts): coming back through
    // the menu recounts them, without a reload.
    const answered = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/dashboard' &&
        response.request().method() === 'GET',
    );
    await openMenu(page, '首页', '工作台');
    expect((await answered).status()).toBe(200);
    await expect.poll(() => indicatorValue('流出党员')).toBe(before.outbound + PEOPLE.length);
    const after = await readDashboard();
    const expected = before.outbound + PEOPLE.length;
    if (after.outbound !== expected) {
      // The page is what counts; what the server says only explains the difference.
      throw new Error(
        `流出党员 reads ${after.outbound}, not ${before.outbound} + ${PEOPLE.length}\n` +
          (await serverDashboard()),
      );
    }
    // New outflows have no host org yet: neither side of 报到率 moves.
    expect(after.checkInNote).toBe(before.checkInNote);
    // Nor a 流动党员活动证: the share of outbound members holding one falls (if any held one).
    if (before.certificateRate > 0)
      expect(after.certificateRate).toBeLessThan(before.certificateRate);
    else expect(after.certificateRate).toBe(0);
    for (const [city, people] of BY_CITY) {
      const shown = JSON.stringify([...after.destinations]);
      // The ranking shows the top ten cities: a city listed before has grown by its people; one
      // that was not listed has entered the ranking with at least them.
      const was = before.destinations.get(city);
      if (was === undefined)
        expect(after.destinations.get(city), shown).toBeGreaterThanOrEqual(people);
      else expect(after.destinations.get(city), shown).toBe(was + people);
    }
    await capturePage(page, 'ledger-dashboard-after');
  });

  it('流动党员台账: an imported person’s outflow is listed, 已登记, with the destination', async () => {
    await openMenu(page, '流动党员台账');
    await page.getByRole('table').getByRole('row').nth(1).waitFor();
    const answered = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/mobilities' &&
        new URL(response.url()).searchParams.get('status') === 'registered' &&
        response.status() === 200,
    );
    await chooseOptionAndWait(page, page.getByLabel('状态'), '已登记');
    await answered;
    await tablesSettled(page);

    // Newest outflows first (by 外出日期): go through the pages until both people have shown.
    const rowOf = (person: (typeof LOOKED_UP)[number]) =>
      page
        .getByRole('table')
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name: person.name, exact: true }) });
    const found = new Map<string, string[]>();
    for (;;) {
      for (const person of LOOKED_UP) {
        const row = rowOf(person);
        if (found.has(person.name) || (await row.count()) === 0) continue;
        await expect(row.count()).resolves.toBe(1);
        found.set(
          person.name,
          (await row.getByRole('cell').allInnerTexts()).map((cell) => cell.trim()),
        );
      }
      if (found.size === LOOKED_UP.length) break;
      const next = page.getByRole('button', { name: /下一页/ });
      expect(await next.isEnabled(), `not all found: ${[...found.keys()].join('、')}`).toBe(true);
      const turned = page.waitForResponse(
        (response) =>
          new URL(response.url()).pathname === '/api/mobilities' &&
          new URL(response.url()).searchParams.has('cursor') &&
          response.status() === 200,
      );
      await next.click();
      await turned;
      await tablesSettled(page);
    }
    for (const person of LOOKED_UP) {
      const cells = found.get(person.name)!;
      expect(cells).toContain(branchName);
      expect(cells).toContain(person.destinationName);
      expect(cells).toContain(person.leftOn);
      expect(cells).toContain('流出·已登记');
    }
    await capturePage(page, 'ledger-mobilities');
  });

  it('never wrote an ID number of the sheet into the server log', () => {
    const output = server.output();
    for (const person of PEOPLE) expect(output).not.toContain(person.idNumber);
  });
});
