import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDateOf, maskName } from '@liudong/domain';
import {
  captureElement,
  capturePage,
  launchBrowser,
  newPage,
  screenshotOnFailure,
  trackPage,
} from './support/browser';
import { startServer, type RunningServer } from './support/server';
import {
  chooseOptionAndWait,
  expectToast,
  modalAtRest,
  openMenu,
  pickDate,
  pickRegion,
  popconfirm,
  settledDropdown,
  signInWithPassword,
} from './support/steps';

// Journey (e), issue 3 §9: on the fictional demo county (`liudong seed-demo`), the branch officer
// registers a member's outflow (DOMAIN.md §3: 登记 → 告知 → 联系 → 落实 → 服务 → 返回), issues the
// 流动党员活动证 and prints it with its QR code; anyone can check the number on the public verify
// page, which shows the number and its state and names nobody. The officer then records the
// check-in at the host org and the return, takes the certificate back, and finds the closed
// episode in the ledger.
const DEMO = { seed: 20260701, password: 'Nanling#Demo-2026-e2e' };

// Synthetic outflow details. A few days back, in China's calendar like the server's (dates after
// "today" are refused): left, checked in, came back — in that order, all before today.
const TODAY = chinaDateOf(new Date());
const LEFT_ON = addDays(TODAY, -6);
const CHECKED_IN_ON = addDays(TODAY, -4);
const RETURNED_ON = addDays(TODAY, -1);
const DESTINATION = ['广东省', '深圳市', '南山区'] as const;
const DESTINATION_NAME = DESTINATION.join('');
const EMPLOYER = '深圳南山测试商贸有限公司';
const INDUSTRY = '批发和零售业';
const REASON = '经商';
const REASON_NOTE = '在深圳经营小型商贸公司';
// The county's own mobile Party branch in Shenzhen (seed-demo): in the system, but outside the
// branch officer's scope, so it is picked from the system-wide directory (issue 3 §2).
const HOST_ORG = '中共南岭县驻深圳流动党员第1支部委员会';
const HOST_ORG_SEARCH = '驻深圳流动党员第1';
const HOST_CONTACT = '测试街道党群服务中心 李书记';
const CONDUCT = '外出期间按时参加流入地党组织生活，按月交纳党费，表现良好';

/** The fields of a saved episode (MobilityDetail) this journey looks at. */
interface SavedMobility {
  status: string;
  industry: string | null;
  reason: string;
  reasonNote: string | null;
  expectedMonths: number | null;
  hostOrgName: string | null;
  checkedInOn: string | null;
  hostContact: string | null;
  endedOn: string | null;
  endNote: string | null;
}

/** Waits until antd's loading veil over the tables of `scope` is gone. */
async function tablesSettled(scope: Page | Locator): Promise<void> {
  await scope.locator('.ant-table-wrapper .ant-spin-spinning').waitFor({ state: 'detached' });
}

describe('outflow, certificate, check-in and return, end to end', () => {
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
  let memberName = '';
  let certificateNumber = '';
  let closedBefore = 0;

  /** The member's episode registered by this journey (older, closed ones may be listed too). */
  const episode = () => page.locator('.member-mobility-card').filter({ hasText: EMPLOYER });
  /** The 流动党员活动证 card of the member page. */
  const certificates = () =>
    page.locator('.ant-card').filter({ has: page.getByText('流动党员活动证', { exact: true }) });
  const certificateRow = () =>
    certificates().getByRole('row').filter({ hasText: certificateNumber });

  /** The answer of the next POST whose path matches `path` (what the server saved). */
  function savedBy(path: RegExp): Promise<SavedMobility> {
    return page
      .waitForResponse(
        (response) =>
          response.request().method() === 'POST' && path.test(new URL(response.url()).pathname),
      )
      .then(async (response) => {
        expect(response.status()).toBe(200);
        return (await response.json()) as SavedMobility;
      });
  }

  /**
   * Clicks an episode's next step, fills its form and confirms; waits for the saved state and
   * returns what the server saved.
   */
  async function moveEpisode(
    action: string,
    title: string,
    fill: (dialog: Locator) => Promise<void>,
  ): Promise<SavedMobility> {
    const [first, second] = [...action];
    await episode()
      .getByRole('button', { name: new RegExp(`^${first}\\s*${second}$`) })
      .click();
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.waitFor();
    await modalAtRest(page, title);
    await fill(dialog);
    const saved = savedBy(/^\/api\/mobilities\/[^/]+\/transitions$/);
    await dialog.getByRole('button', { name: `确认${action}` }).click();
    await expectToast(page, `已办理「${action}」`);
    await dialog.waitFor({ state: 'hidden' });
    return saved;
  }

  it('zhibu signs in and opens a member of the branch who is not away', async () => {
    page = await newPage(browser);
    await signInWithPassword(page, server.baseUrl, { username: 'zhibu', password: DEMO.password });
    await openMenu(page, '党员管理');
    await page.getByRole('table').getByRole('row').nth(1).waitFor();

    const answered = page.waitForResponse(
      (response) =>
        response.url().includes('/api/members') &&
        new URL(response.url()).searchParams.get('mobility') === 'none' &&
        response.status() === 200,
    );
    await chooseOptionAndWait(page, page.getByLabel('流动状态'), '未流动');
    await answered;
    await tablesSettled(page);
    const first = page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('cell') })
      .first();
    await first.getByText('未流动', { exact: true }).waitFor();
    memberName = (await first.getByRole('link').first().innerText()).trim();
    expect(memberName).toMatch(/^\p{Script=Han}{2,4}$/u);

    await first.getByRole('link', { name: memberName, exact: true }).click();
    await page.getByRole('heading', { name: memberName, level: 3 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/members\/[0-9a-f-]{36}$/);
    // Not away, so no certificate in hand, and none can be issued yet: 登记流出 comes first.
    await certificates().getByRole('table').waitFor();
    await tablesSettled(certificates());
    await expect(certificates().getByText('已发放', { exact: true }).count()).resolves.toBe(0);
    await expect(
      certificates()
        .getByRole('button', { name: /发\s*放/ })
        .count(),
    ).resolves.toBe(0);
    await expect(episode().count()).resolves.toBe(0);
    // Older episodes of the member, already closed, stay listed below the new one.
    closedBefore = await page.getByText('流出·已返回', { exact: true }).count();
  });

  it('registers the outflow (登记流出) and sees the episode with its timeline', async () => {
    await page.getByRole('button', { name: /登记流出/ }).click();
    const dialog = page.getByRole('dialog', { name: `登记流出 · ${memberName}` });
    await dialog.waitFor();
    // The home org is the member's own org, shown and not editable.
    const homeOrg = dialog.getByLabel('流出地党组织');
    await expect(homeOrg.isDisabled()).resolves.toBe(true);
    const homeOrgName = await homeOrg.inputValue();
    expect(homeOrgName).toMatch(/\S{2,}/);
    expect(homeOrgName).not.toBe('—');

    // Saving an empty form says what is missing, and saves nothing.
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('请选择外出日期', { exact: true }).waitFor();
    await dialog.getByText('请选择流入地', { exact: true }).waitFor();

    await pickDate(page, dialog.getByLabel('外出日期'), LEFT_ON);
    await pickRegion(page, dialog.getByLabel('流入地'), DESTINATION);
    await dialog
      .getByText(DESTINATION.join(' / '), { exact: true })
      .filter({ visible: true })
      .waitFor();
    await dialog.getByLabel('工作单位').fill(EMPLOYER);
    await chooseOptionAndWait(page, dialog.getByLabel('行业'), INDUSTRY);
    await chooseOptionAndWait(page, dialog.getByLabel('外出原因', { exact: true }), REASON);
    await dialog.getByLabel('预计外出时长（月）').fill('12');
    await dialog.getByLabel('外出原因说明').fill(REASON_NOTE);
    await captureElement(dialog, 'outflow-form');
    const saved = savedBy(/^\/api\/members\/[^/]+\/outflows$/);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expectToast(page, `已登记「${memberName}」流出`);
    await dialog.waitFor({ state: 'hidden' });
    // What the page does not show back (流动记录 has no place for them) was saved all the same.
    expect(await saved).toMatchObject({
      status: 'registered',
      industry: 'F',
      reason: 'business',
      reasonNote: REASON_NOTE,
      expectedMonths: 12,
    });

    // The episode: the registered fields and the first step of its timeline.
    const card = episode();
    await card.getByText('流出·已登记', { exact: true }).waitFor();
    await card.getByText(`${LEFT_ON} 起`, { exact: true }).waitFor();
    const text = await card.innerText();
    expect(text).toMatch(/状态\s+已登记/);
    expect(text).toMatch(new RegExp(`外出日期\\s+${LEFT_ON}`));
    expect(text).toMatch(new RegExp(`流入地\\s+${DESTINATION_NAME}`));
    expect(text).toMatch(new RegExp(`行业\\s+${INDUSTRY}`));
    expect(text).toMatch(new RegExp(`外出原因\\s+${REASON}`));
    // 南岭县 is in Sichuan: Shenzhen is another province (DOMAIN.md §9 statistics categories).
    expect(text).toMatch(/流动范围\s+跨省（区、市）/);
    expect(text).toMatch(new RegExp(`流出地党组织\\s+${homeOrgName}`));
    await card.getByText('状态变更', { exact: true }).waitFor();
    await card.getByRole('list').getByText('已登记', { exact: true }).waitFor();
    // The page header shows the member as away now, and a second outflow cannot be registered.
    await expect(page.getByText('流出·已登记', { exact: true }).count()).resolves.toBe(2);
    await expect(page.getByRole('button', { name: /登记流出/ }).count()).resolves.toBe(0);
  });

  it('moves the episode to 已告知', async () => {
    await moveEpisode('告知', '告知流入地党组织', async (dialog) => {
      await dialog.getByLabel('办理说明').fill('已将该党员外出情况通报流入地党组织');
    });
    const card = episode();
    await card.getByText('流出·已告知', { exact: true }).waitFor();
    await card.getByText('已登记 → 已告知', { exact: true }).waitFor();
    await card.getByText('已将该党员外出情况通报流入地党组织', { exact: true }).waitFor();
    await capturePage(page, 'member-outflow');
  });

  it('issues the certificate (发放) and sees its number', async () => {
    await certificates()
      .getByRole('button', { name: /发\s*放$/ })
      .click();
    const confirm = popconfirm(page, '发放流动党员活动证');
    await confirm.getByText('编号由系统按县、年度连续分配', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: /^发\s*放$/ }).click();

    const toast = page.locator('.ant-message').getByText(/已发放活动证，编号/);
    await toast.waitFor();
    const shown = /编号\s*(\S+)/.exec(await toast.innerText());
    certificateNumber = shown?.[1] ?? '';
    // {county}-{year}-{seq:5}, the default pattern: the county's code and the year of issue.
    const parts = /^\d{6}-(\d{4})-\d{5}$/.exec(certificateNumber);
    expect(parts, certificateNumber).not.toBeNull();

    const row = certificateRow();
    await row
      .getByText(new RegExp(`^${parts![1]}-\\d{2}-\\d{2}$`))
      .first()
      .waitFor();
    await row.getByText('已发放', { exact: true }).waitFor();
    await row.getByText('有效', { exact: true }).waitFor();
    // One certificate in hand at a time: 发放 is gone.
    await expect(
      certificates()
        .getByRole('button', { name: /发\s*放$/ })
        .count(),
    ).resolves.toBe(0);
  });

  it('opens the print page in a new tab: number, name, QR code; print hides the buttons', async () => {
    const [printPage] = await Promise.all([
      page.context().waitForEvent('page'),
      certificateRow()
        .getByRole('link', { name: /打\s*印/ })
        .click({ modifiers: ['ControlOrMeta'] }),
    ]);
    trackPage(printPage);
    expect(new URL(printPage.url()).pathname).toMatch(/^\/certificates\/[0-9a-f-]{36}\/print$/);

    await printPage.getByRole('heading', { name: '流动党员活动证', level: 1 }).waitFor();
    await printPage.getByText(certificateNumber, { exact: true }).waitFor();
    const nameRow = printPage.getByRole('row').filter({ hasText: '姓　　名' });
    await nameRow.getByText(memberName, { exact: true }).waitFor();
    await printPage.getByRole('row').filter({ hasText: '发证机关' }).waitFor();

    const qr = printPage.getByRole('img', { name: '活动证核验二维码' });
    await qr.waitFor();
    await expect(qr.getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/);
    // Decoded and laid out, not a broken image.
    const drawn = await qr.evaluate(
      (img: HTMLImageElement) => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0,
    );
    expect(drawn).toBe(true);

    const printButton = printPage.getByRole('button', { name: /打\s*印/ });
    const backButton = printPage.getByRole('button', { name: /返回党员详情/ });
    await expect(printButton.isEnabled()).resolves.toBe(true);
    await expect(backButton.isVisible()).resolves.toBe(true);
    await capturePage(printPage, 'certificate-print');

    // On paper: the sheet only, no buttons.
    await printPage.emulateMedia({ media: 'print' });
    await printButton.waitFor({ state: 'hidden' });
    await backButton.waitFor({ state: 'hidden' });
    await expect(qr.isVisible()).resolves.toBe(true);
    await expect(printPage.getByText(certificateNumber, { exact: true }).isVisible()).resolves.toBe(
      true,
    );
    await expect(nameRow.getByText(memberName, { exact: true }).isVisible()).resolves.toBe(true);
    await capturePage(printPage, 'certificate-print-media');
    await printPage.close();
  });

  let publicPage: Page;

  it('anyone can check the number on the public verify page, which names nobody', async () => {
    // Another computer, nobody signed in: the QR code leads here.
    publicPage = await newPage(browser);
    const answered = publicPage.waitForResponse(
      (response) =>
        response.url().includes('/api/') &&
        response.url().includes(encodeURIComponent(certificateNumber)),
    );
    await publicPage.goto(`${server.baseUrl}/verify/${encodeURIComponent(certificateNumber)}`);
    const response = await answered;
    expect(response.status()).toBe(200);
    await publicPage.getByRole('heading', { name: '流动党员活动证核验' }).waitFor();
    await publicPage.getByText('有效', { exact: true }).waitFor();
    await publicPage.getByText(certificateNumber, { exact: true }).waitFor();
    await publicPage.getByText('状态：有效', { exact: true }).waitFor();
    expect(new URL(publicPage.url()).pathname).toBe(
      `/verify/${encodeURIComponent(certificateNumber)}`,
    );

    // Neither the page nor the answer behind it says whose certificate it is.
    const body = await response.text();
    const pageText = await publicPage.locator('body').innerText();
    for (const shown of [body, pageText, await publicPage.content()]) {
      expect(shown).not.toContain(memberName);
      expect(shown).not.toContain(maskName(memberName));
    }
    await capturePage(publicPage, 'certificate-verify');
  });

  it('records the check-in at the host org (联系, then 落实 with date and contact)', async () => {
    await moveEpisode('联系', '与流动党员取得联系', async (dialog) => {
      await dialog.getByLabel('办理说明').fill('已电话联系本人，告知流入地党组织联系方式');
    });
    await episode().getByText('已告知 → 已联系', { exact: true }).waitFor();

    const saved = await moveEpisode('落实', '落实接收党组织', async (dialog) => {
      // 系统内党组织 is the default: type part of the name, pick the hit by its breadcrumb.
      await expect(dialog.getByRole('radio', { name: '系统内党组织' }).isChecked()).resolves.toBe(
        true,
      );
      const picker = dialog.getByLabel('接收党组织', { exact: true });
      await picker.click();
      await picker.pressSequentially(HOST_ORG_SEARCH);
      await settledDropdown(page)
        .getByTitle(new RegExp(` / ${HOST_ORG}$`))
        .click();
      await dialog.getByTitle(new RegExp(` / ${HOST_ORG}$`)).waitFor();
      await pickDate(page, dialog.getByLabel('报到日期'), CHECKED_IN_ON);
      await dialog.getByLabel('联系人').fill(HOST_CONTACT);
      await captureElement(dialog, 'mobility-check-in');
    });
    const card = episode();
    await card.getByText('流出·已落实', { exact: true }).waitFor();
    await card.getByText('已联系 → 已落实', { exact: true }).waitFor();
    const text = await card.innerText();
    expect(text).toMatch(new RegExp(`接收党组织\\s+${HOST_ORG}`));
    expect(text).toMatch(new RegExp(`报到日期\\s+${CHECKED_IN_ON}`));
    // The host contact is saved, though the member page does not show it.
    expect(saved).toMatchObject({
      status: 'settled',
      hostOrgName: HOST_ORG,
      checkedInOn: CHECKED_IN_ON,
      hostContact: HOST_CONTACT,
    });
  });

  it('records the return (返回) with the date and a note on conduct', async () => {
    const saved = await moveEpisode('返回', '办理返回', async (dialog) => {
      // Required: the form says so before anything is sent.
      await dialog.getByRole('button', { name: '确认返回' }).click();
      await dialog.getByText('请填写外出期间的表现情况', { exact: true }).waitFor();
      await pickDate(page, dialog.getByLabel('返回日期'), RETURNED_ON);
      await dialog.getByLabel('在外表现').fill(CONDUCT);
    });
    const card = episode();
    await card.getByText('流出·已返回', { exact: true }).waitFor();
    await card.getByText(`${LEFT_ON} 至 ${RETURNED_ON}`, { exact: true }).waitFor();
    await card.getByText('已落实 → 已返回', { exact: true }).waitFor();
    const text = await card.innerText();
    expect(text).toMatch(new RegExp(`结束日期\\s+${RETURNED_ON}`));
    expect(text).toContain(CONDUCT);
    expect(saved).toMatchObject({ status: 'returned', endedOn: RETURNED_ON, endNote: CONDUCT });
    // A closed episode is history: no more steps; the member may leave again later.
    await expect(card.getByRole('button').count()).resolves.toBe(0);
    await page.getByRole('button', { name: /登记流出/ }).waitFor();
    await expect(page.getByText('流出·已返回', { exact: true }).count()).resolves.toBe(
      closedBefore + 1,
    );
  });

  it('took the certificate back with the return: no longer valid, also on the verify page', async () => {
    // The return hands the certificate back in the same step (DOMAIN.md §3): no separate 交回.
    const row = certificateRow();
    await row.getByText('已交回', { exact: true }).waitFor();
    await expect(row.getByRole('button', { name: /^交\s*回$/ }).count()).resolves.toBe(0);
    await row.getByText('无效', { exact: true }).waitFor();
    await expect(row.getByRole('link', { name: /打\s*印/ }).count()).resolves.toBe(0);
    await capturePage(page, 'member-returned');

    await publicPage.reload();
    await publicPage.getByText('无效', { exact: true }).waitFor();
    await publicPage.getByText('状态：已交回', { exact: true }).waitFor();
    expect(await publicPage.locator('body').innerText()).not.toContain(memberName);
    await publicPage.context().close();
  });

  it('finds the closed episode (已返回) in 流动党员台账', async () => {
    await openMenu(page, '流动党员台账');
    await page.getByRole('table').getByRole('row').nth(1).waitFor();
    const answered = page.waitForResponse(
      (response) =>
        response.url().includes('/api/mobilities') &&
        new URL(response.url()).searchParams.get('status') === 'returned' &&
        response.status() === 200,
    );
    await chooseOptionAndWait(page, page.getByLabel('状态'), '已返回');
    await answered;
    await tablesSettled(page);
    // Synthetic names repeat in a county: the row is the one of this member, host org and date.
    const row = page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: memberName, exact: true }) })
      .filter({ hasText: HOST_ORG })
      .filter({ hasText: LEFT_ON });
    await row.waitFor();
    await expect(row.count()).resolves.toBe(1);
    const cells = (await row.getByRole('cell').allInnerTexts()).map((cell) => cell.trim());
    expect(cells).toContain(DESTINATION_NAME);
    expect(cells).toContain('流出·已返回');
    await capturePage(page, 'mobilities-returned');
  });
});
