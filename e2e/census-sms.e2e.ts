import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPhone } from '@liudong/domain';
import { startFakeAliyunSms, type FakeAliyunSms } from '../apps/server/src/test/fake-aliyun-sms';
import {
  captureElement,
  capturePage,
  closePage,
  launchBrowser,
  newPage,
  screenshotOnFailure,
} from './support/browser';
import { startServer, type RunningServer } from './support/server';
import {
  chooseOptionAndWait,
  expectToast,
  firstSignInWithTotpEnrolment,
  openMenu,
  pickRegion,
  rowTexts,
  searchAndChoose,
  signInWithPassword,
} from './support/steps';

// Journeys of issue 4 §5 and §6 ("Done when": a census runs to completion, and an SMS broadcast
// goes through the real adapter's protocol to the fake provider). On the fictional demo county:
//
// (a) 摸排: the township officer (zhenwei, no TOTP) opens a census for one village branch (the
//     branch of the demo account zhibu: a handful of outbound members, so the journey stays
//     short), verifies every task from the 核实 dialog with the keyboard flow (保存并核实下一位):
//     one 有变化 with a new city, one 无法联系, the rest 无变化 — then closes the campaign, sees
//     100% and the summary, and downloads the .xlsx register.
// (b) 短信: the server runs the REAL Aliyun adapter (SMS_DRIVER=aliyun) against a local fake of
//     the provider that checks every signature. The county's org admin gives the 节日问候 template
//     its provider template code (a provider refuses a message without one); zhenwei previews a
//     holiday greeting to the branch's outbound members, sends it after the confirmation that
//     repeats the count, and the outbox shows every message 已发送 — and the fake provider got
//     exactly that many signed requests, with the template's params.
const DEMO = { seed: 7, password: 'Nanling#Demo-2026-e2e' };
const ALIYUN = {
  accessKeyId: 'LTAI5tE2eCensusSms0001',
  accessKeySecret: randomBytes(18).toString('base64'),
  signName: '南岭县委组织部',
};
/** The provider's template code the admin enters (Aliyun's form: SMS_ and digits). */
const TEMPLATE_CODE = 'SMS_480215001';
const FESTIVAL = '元旦';
/** The journey verifies every task by hand: the branch must stay small. */
const MAX_TASKS = 20;

/** Today in China (the server's "today", DOMAIN.md: dates are China dates). */
const chinaToday = () =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** Waits until antd's loading veil over the tables of `scope` is gone. */
async function tablesSettled(scope: Page | Locator): Promise<void> {
  await scope.locator('.ant-table-wrapper .ant-spin-spinning').waitFor({ state: 'detached' });
}

/** Waits until a dialog that just opened has finished zooming in (see ledger.e2e.ts). */
async function dialogOpened(dialog: Locator): Promise<void> {
  await dialog.waitFor();
  await dialog
    .page()
    .locator('[class*="ant-zoom-appear"], [class*="ant-zoom-enter"]')
    .first()
    .waitFor({ state: 'detached' });
}

/** The table in the card titled `title` (各党组织进度, 核实任务). */
function cardTable(page: Page, title: string): Locator {
  return page
    .locator('.ant-card')
    .filter({ has: page.locator('.ant-card-head-title').getByText(title, { exact: true }) })
    .getByRole('table');
}

/** The small confirmation of `modal.confirm`, found by its title once it has zoomed in. */
async function confirmation(page: Page, title: string): Promise<Locator> {
  const dialog = page
    .locator('.ant-modal-confirm')
    .filter({ has: page.locator('.ant-modal-confirm-title').getByText(title, { exact: true }) });
  await dialogOpened(dialog);
  return dialog;
}

describe('a census runs to completion, and a holiday SMS goes out through the Aliyun adapter', () => {
  let fake: FakeAliyunSms;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    fake = await startFakeAliyunSms({
      accessKeyId: ALIYUN.accessKeyId,
      accessKeySecret: ALIYUN.accessKeySecret,
    });
    server = await startServer({
      seedDemo: DEMO,
      env: {
        SMS_DRIVER: 'aliyun',
        ALIYUN_SMS_ACCESS_KEY_ID: ALIYUN.accessKeyId,
        ALIYUN_SMS_ACCESS_KEY_SECRET: ALIYUN.accessKeySecret,
        ALIYUN_SMS_SIGN_NAME: ALIYUN.signName,
        ALIYUN_SMS_ENDPOINT: fake.url,
        // The outbox is dispatched by the background tick: every 2 s instead of every minute.
        BACKGROUND_TICK_SECONDS: '2',
      },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.close();
  });

  screenshotOnFailure();

  let page: Page;
  /** The branch of the demo account zhibu, as the seed printed it in its account list. */
  let branchName = '';
  let campaignName = '';
  let taskCount = 0;
  let changedMember = '';
  let unreachableMember = '';

  it('zhenwei opens a census for one branch: every mobile member there gets a task', async () => {
    const account = /^\s*zhibu\s+branch_officer\s+(\S+)\s*$/m.exec(server.output());
    expect(account, 'the seed lists the demo accounts with their orgs').not.toBeNull();
    branchName = account![1]!;

    page = await newPage(browser);
    await signInWithPassword(page, server.baseUrl, {
      username: 'zhenwei',
      password: DEMO.password,
    });
    await openMenu(page, '摸排');
    // The demo county has a finished Spring Festival census already.
    await page.getByRole('table').getByText('已结束', { exact: true }).first().waitFor();

    await page.getByRole('button', { name: /发起摸排/ }).click();
    const dialog = page.getByRole('dialog', { name: '发起摸排' });
    await dialogOpened(dialog);
    // Prefilled: the festival at hand and the officer's own township as the scope.
    const prefilled = await dialog.getByLabel('摸排名称').inputValue();
    expect(prefilled).toMatch(/^\d{4}年.+流动党员集中摸排$/);
    campaignName = `${prefilled}（${branchName}）`.slice(0, 60);
    await dialog.getByLabel('摸排名称').fill(campaignName);
    await searchAndChoose(page, dialog.getByLabel('摸排范围'), branchName, branchName);
    await captureElement(dialog, 'census-open-dialog');
    await dialog.getByRole('button', { name: /下一步/ }).click();

    const confirm = await confirmation(page, '确认发起摸排');
    expect(await confirm.innerText()).toContain(
      `将为「${branchName}」及其全部下级组织中的每一名流动党员`,
    );
    const opened = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/census' &&
        response.request().method() === 'POST',
    );
    await confirm.getByRole('button', { name: /确认发起/ }).click();
    expect((await opened).status()).toBe(200);

    const toast = page.locator('.ant-message').getByText(/^已发起「.+」，共 \d+ 项核实任务$/);
    await toast.waitFor();
    taskCount = Number(/共 (\d+) 项/.exec(await toast.innerText())![1]);
    expect(taskCount, 'one 有变化, one 无法联系 and at least one 无变化').toBeGreaterThanOrEqual(3);
    expect(taskCount, `a short journey: ${branchName} has few mobile members`).toBeLessThanOrEqual(
      MAX_TASKS,
    );

    // The campaign's page: open, nothing verified yet, one row of progress for the branch.
    await page.waitForURL(/\/census\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: campaignName, level: 3 }).waitFor();
    await page.getByText('进行中', { exact: true }).first().waitFor();
    await page.getByText(`已核实 0 / ${taskCount}`, { exact: true }).first().waitFor();
    await tablesSettled(page);
    const [progress] = await rowTexts(cardTable(page, '各党组织进度'));
    expect(progress).toEqual([
      branchName,
      expect.stringContaining(`已核实 0 / ${taskCount}`),
      String(taskCount),
      '0',
      '0',
      '0',
    ]);
    await capturePage(page, 'census-opened');
  });

  it('核实: works through every task with 保存并核实下一位 (有变化 with a new city, 无法联系, 无变化)', async () => {
    const tasks = cardTable(page, '核实任务');
    expect((await rowTexts(tasks)).length).toBe(taskCount);
    await tasks.getByRole('button', { name: /^核实/ }).first().click();

    const dialog = page.getByRole('dialog').filter({ hasText: '核实结果' });
    const title = dialog.locator('.ant-modal-title');
    /** The member in the dialog, once it shows one and has put the focus on the result. */
    const current = async () => {
      await dialog.locator('input[type="radio"]:focus').waitFor({ state: 'attached' });
      return (await title.innerText()).replace(/^核实 · /, '').trim();
    };
    /** After a save: the next member's name in the title (or the dialog gone after the last). */
    const advanced = async (from: string, last: boolean) => {
      if (last) await dialog.waitFor({ state: 'hidden' });
      else
        await expect.poll(async () => (await title.innerText()).trim()).not.toBe(`核实 · ${from}`);
    };
    await dialogOpened(dialog);

    const seen = new Set<string>();
    for (let index = 0; index < taskCount; index += 1) {
      const member = await current();
      expect(seen.has(member), `${member} came round twice`).toBe(false);
      seen.add(member);
      const last = index === taskCount - 1;
      const saved = page.waitForResponse(
        (response) =>
          /^\/api\/census\/[^/]+\/tasks\/[^/]+$/.test(new URL(response.url()).pathname) &&
          response.request().method() === 'POST',
      );
      if (index === 0) {
        // 有变化: the place where the member is now, which moves the outflow episode too.
        changedMember = member;
        await page.keyboard.press('2');
        const place = dialog.getByLabel('现在的流入地');
        await place.waitFor();
        const before = await dialog.innerText();
        const city = before.includes('深圳')
          ? ['浙江省', '杭州市', '西湖区']
          : ['广东省', '深圳市', '南山区'];
        await pickRegion(page, place, city);
        await dialog.getByLabel('工作单位').fill('南山科创服务有限公司');
        await captureElement(dialog, 'census-verify-changed');
        await dialog.getByRole('button', { name: /保存并核实下一位/ }).click();
      } else if (index === 1) {
        // 无法联系, with a note; Ctrl+Enter in the note saves and goes on.
        unreachableMember = member;
        await page.keyboard.press('3');
        await dialog.getByLabel('备注').fill('电话停机，已托家属转告');
        await page.keyboard.press('Control+Enter');
      } else {
        // The common case, keys only: 1 (无变化), Enter (保存并核实下一位).
        await page.keyboard.press('1');
        await page.keyboard.press('Enter');
      }
      expect((await saved).status()).toBe(200);
      await advanced(member, last);
    }
    await expectToast(page, '已没有待核实的任务');

    // 100 %: every task has a result; the branch's row counts them.
    await page.getByText(`已核实 ${taskCount} / ${taskCount}`, { exact: true }).first().waitFor();
    await tablesSettled(page);
    const [progress] = await rowTexts(cardTable(page, '各党组织进度'));
    expect(progress).toEqual([
      branchName,
      expect.stringContaining('100%'),
      '0',
      String(taskCount - 2),
      '1',
      '1',
    ]);
    const rows = await rowTexts(cardTable(page, '核实任务'));
    const changed = rows.find((cells) => cells[0] === changedMember)!;
    expect(changed).toContain('已核实·有变化');
    expect(changed.some((cell) => /深圳市南山区|杭州市西湖区/.test(cell))).toBe(true);
    expect(changed).toContain('南山科创服务有限公司');
    expect(rows.find((cells) => cells[0] === unreachableMember)).toContain('无法联系');
    expect(rows.filter((cells) => cells.includes('已核实·无变化')).length).toBe(taskCount - 2);
    expect(rows.every((cells) => cells.includes(chinaToday()))).toBe(true);
    await capturePage(page, 'census-all-verified');
  });

  it('结束摸排: the confirmation says nothing is pending; the campaign reads 100% and its summary', async () => {
    await page.getByRole('button', { name: /结束摸排/ }).click();
    const confirm = await confirmation(page, '确认结束摸排');
    expect(await confirm.innerText()).toContain('全部任务已核实');
    await confirm.getByRole('button', { name: /结束摸排/ }).click();
    await expectToast(page, `「${campaignName}」已结束`);
    await confirm.waitFor({ state: 'hidden' });

    await page.getByText(`本次摸排已于 ${chinaToday()} 结束`, { exact: true }).waitFor();
    await page
      .getByText(
        `共 ${taskCount} 人，无变化 ${taskCount - 2} 人，有变化 1 人，无法联系 1 人。结束后只读，详情见登记表。`,
        { exact: true },
      )
      .waitFor();
    await page.getByRole('progressbar').first().waitFor();
    expect(await page.getByRole('progressbar').first().getAttribute('aria-valuenow')).toBe('100');
    // Read-only now: no 核实, no 更正, no 结束摸排.
    await page.getByRole('heading', { name: campaignName, level: 3 }).waitFor();
    await expect(page.getByRole('button', { name: /^(核实|更正)/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /结束摸排/ }).count()).resolves.toBe(0);
    await capturePage(page, 'census-closed');
  });

  it('下载登记表: an .xlsx named after the campaign, one row per task', async () => {
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: /下载登记表/ }).click();
    const download = await downloading;
    const fileName = download.suggestedFilename();
    expect(fileName.startsWith(campaignName), fileName).toBe(true);
    expect(fileName.endsWith(`登记表-${chinaToday()}.xlsx`), fileName).toBe(true);
    const file = await readFile((await download.path())!);
    // A ZIP (an .xlsx is one), then a workbook exceljs can read.
    expect(file.subarray(0, 2).toString('latin1')).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const register = workbook.getWorksheet('摸排登记表')!;
    expect(register, 'sheet 摸排登记表').toBeDefined();
    expect(String(register.getCell(1, 1).value)).toContain(campaignName);
    expect(register.getRow(3).getCell(2).value).toBe('姓名');
    const lines: string[][] = [];
    register.eachRow((row, number) => {
      if (number > 3) lines.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
    });
    expect(lines.length).toBe(taskCount);
    expect(lines.find((cells) => cells[1] === changedMember)).toContain('已核实·有变化');
    expect(lines.find((cells) => cells[1] === unreachableMember)).toContain('无法联系');
    expect(workbook.getWorksheet('汇总'), 'sheet 汇总').toBeDefined();
  });

  it('模板: the org admin gives 节日问候 its Aliyun template code', async () => {
    const admin = await newPage(browser);
    await firstSignInWithTotpEnrolment(admin, server.baseUrl, {
      username: 'zuzhibu',
      password: DEMO.password,
    });
    await openMenu(admin, '短信');
    await admin.getByText(/^短信通过阿里云短信服务发送/).waitFor();
    await admin.getByRole('tab', { name: '模板' }).click();
    const row = admin
      .getByRole('row')
      .filter({ has: admin.getByRole('cell', { name: '节日问候', exact: true }) });
    await row.getByRole('button', { name: /编\s*辑/ }).click();
    const dialog = admin.getByRole('dialog', { name: '编辑短信模板 · 节日问候' });
    await dialogOpened(dialog);
    // The live preview fills the variables with sample values and counts what will be billed.
    await dialog
      .getByLabel('模板预览')
      .getByText(/值此春节之际/)
      .waitFor();
    await dialog.getByText(/^\d+ 字 · 1 条，不含短信签名$/).waitFor();
    await dialog.getByLabel('服务商模板编号').fill(TEMPLATE_CODE);
    await captureElement(dialog, 'sms-template-edit');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expectToast(admin, '已保存「节日问候」');
    await row.getByText(TEMPLATE_CODE, { exact: true }).waitFor();
    await closePage(admin);
  });

  it('群发: zhenwei previews a holiday greeting to the branch’s outbound members and sends it', async () => {
    await openMenu(page, '短信');
    await page.getByText(/^短信通过阿里云短信服务发送/).waitFor();
    await chooseOptionAndWait(page, page.getByLabel('短信模板'), '节日问候');
    // Only the template's own variable is asked for: the name is each recipient's.
    await page.getByRole('textbox', { name: '节日' }).fill(FESTIVAL);
    await searchAndChoose(page, page.getByLabel('发送范围'), branchName, branchName);
    await page
      .locator('label')
      .filter({ has: page.getByRole('radio', { name: '流出党员' }) })
      .click();

    const previewed = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/api/sms/broadcasts/preview',
    );
    await page.getByRole('button', { name: /预\s*览/ }).click();
    expect((await previewed).status()).toBe(200);
    const sample = page.getByLabel('短信样例');
    await sample.waitFor();
    expect(await sample.innerText()).toMatch(new RegExp(`^\\S+同志：值此${FESTIVAL}之际`));
    const fact = (label: string) =>
      page
        .locator('th.ant-descriptions-item-label')
        .filter({ hasText: new RegExp(`^${label}$`) })
        .locator('xpath=following-sibling::td[1]');
    const recipients = Number((await fact('收件人').innerText()).replace(/[^\d]/g, ''));
    expect(recipients).toBeGreaterThanOrEqual(1);
    expect(recipients).toBeLessThanOrEqual(MAX_TASKS);
    expect(await fact('今日剩余可发').innerText()).toMatch(/^\d+ 条$/);
    await capturePage(page, 'sms-broadcast-preview');

    await page.getByRole('button', { name: /发\s*送/ }).click();
    const confirm = await confirmation(page, `将向 ${recipients} 人发送短信`);
    const sent = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/sms/broadcasts' &&
        response.request().method() === 'POST',
    );
    await confirm.getByRole('button', { name: /确认发送/ }).click();
    const answer = await sent;
    expect(answer.status()).toBe(200);
    expect(JSON.parse(answer.request().postData() ?? '{}')).toMatchObject({
      confirmRecipients: recipients,
      filter: { direction: 'outflow' },
      params: { festival: FESTIVAL },
    });
    await expectToast(page, `已提交群发，${recipients} 条短信进入发件箱`);

    // The outbox, this broadcast only: it refreshes by itself until every message is sent.
    await page.getByText(/^只看群发：节日问候/).waitFor();
    const outbox = page.getByRole('tabpanel', { name: '发件箱' }).getByRole('table');
    await expect
      .poll(
        async () => (await rowTexts(outbox)).filter((cells) => cells.includes('已发送')).length,
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(recipients);
    const rows = await rowTexts(outbox);
    expect(rows.length).toBe(recipients);
    await capturePage(page, 'sms-outbox-sent');

    // The fake provider: exactly one signed request per recipient (the fake refuses a bad
    // signature), all accepted, with the sign, the template code and the template's params.
    expect(fake.responses.length).toBe(recipients);
    expect(fake.responses.every((response) => response.code === 'OK')).toBe(true);
    expect(fake.messages.length).toBe(recipients);
    for (const message of fake.messages) {
      expect(message.signName).toBe(ALIYUN.signName);
      expect(message.templateCode).toBe(TEMPLATE_CODE);
      expect(Object.keys(message.params).sort()).toEqual(['festival', 'name']);
      expect(message.params.festival).toBe(FESTIVAL);
    }
    // The same people the outbox lists (name over masked phone in the first cell).
    const listed = rows.map((cells) => cells[0]!.split('\n').map((line) => line.trim()));
    expect(fake.messages.map((m) => m.params.name).sort()).toEqual(
      listed.map(([name]) => name).sort(),
    );
    expect(fake.messages.map((m) => maskPhone(m.phone.replace(/^\+?86/, ''))).sort()).toEqual(
      listed.map(([, phone]) => phone).sort(),
    );
  });

  it('群发记录: the broadcast counts its messages as sent', async () => {
    await page.getByRole('tab', { name: '群发记录' }).click();
    const row = page
      .getByRole('tabpanel', { name: '群发记录' })
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: '节日问候', exact: true }) })
      .first();
    await row.getByText(/^已发送 \d+$/).waitFor();
    await capturePage(page, 'sms-broadcasts');
  });

  it('never wrote a phone number the provider received into the server log', () => {
    const output = server.output();
    for (const message of fake.messages) expect(output.includes(message.phone)).toBe(false);
  });
});
