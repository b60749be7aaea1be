import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { Authenticator } from './authenticator';

// What a person does in the app, written as they would describe it, and found on the page the way
// they would find it: by label, role and visible text. antd puts a space between two Chinese
// characters on some buttons ("登 录"), hence the /登\s*录/ patterns.

/** The name of the root org created on first start (apps/server/.../accounts/bootstrap.ts). */
export const ROOT_ORG_NAME = '本级党委（请修改名称）';

/** The one message for a wrong password, an unknown user and a locked account (SECURITY.md 2). */
export const INVALID_CREDENTIALS_MESSAGE = '用户名或密码错误，或账号已被锁定';

const LOGIN_BUTTON = /登\s*录/;

export async function openLoginPage(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('用户名').waitFor();
  expect(new URL(page.url()).pathname).toBe('/login');
}

/** Types username and password into the login form and presses 登录. */
export async function submitPassword(page: Page, username: string, password: string) {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: LOGIN_BUTTON }).click();
}

/** The error shown above the login form after a refused sign-in. */
export async function loginErrorText(page: Page): Promise<string> {
  const alert = page.getByRole('alert').filter({ hasText: /\S/ }).first();
  await alert.waitFor();
  return (await alert.innerText()).trim();
}

/** Types a 6-digit code into the six boxes (the form submits itself after the sixth digit). */
async function typeTotpCode(page: Page, code: string) {
  const boxes = page.getByRole('group', { name: '6位验证码' }).getByRole('textbox');
  await boxes.first().click();
  await page.keyboard.type(code);
}

async function expectStage(page: Page, title: string) {
  await page.getByText(title, { exact: true }).waitFor();
}

/** The signed-in shell shows the home page: 工作台 under the 首页 menu entry. */
export async function expectHomePage(page: Page): Promise<void> {
  await page.getByRole('heading', { name: '工作台' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/');
  await page.getByRole('menuitem', { name: '首页' }).waitFor();
}

/**
 * First sign-in with a one-time password: the app insists on a new password, then on binding an
 * authenticator (admin roles, SECURITY.md 4), reading the secret printed beside the QR code the
 * way a person types it into their phone. Ends on the home page.
 */
export async function firstSignIn(
  page: Page,
  baseUrl: string,
  account: { username: string; oneTimePassword: string; newPassword: string },
  /** A password the policy refuses, tried first: the form must say why and stay on the step. */
  refused?: { password: string; message: string },
): Promise<Authenticator> {
  await openLoginPage(page, baseUrl);
  await submitPassword(page, account.username, account.oneTimePassword);

  await expectStage(page, '修改初始密码');
  await page.getByLabel('当前密码（初始密码）').fill(account.oneTimePassword);
  if (refused) {
    await page.getByLabel('新密码', { exact: true }).fill(refused.password);
    await page.getByLabel('确认新密码').fill(refused.password);
    await page.getByRole('button', { name: /修改密码并继续/ }).click();
    await page.getByText(refused.message, { exact: true }).waitFor();
    await expectStage(page, '修改初始密码');
  }
  await page.getByLabel('新密码', { exact: true }).fill(account.newPassword);
  await page.getByLabel('确认新密码').fill(account.newPassword);
  await page.getByRole('button', { name: /修改密码并继续/ }).click();

  return enrolAuthenticator(page);
}

/**
 * 绑定双因素认证: reads the secret printed beside the QR code the way a person types it into their
 * phone, enters the first code and lands on the home page.
 */
async function enrolAuthenticator(page: Page): Promise<Authenticator> {
  await expectStage(page, '绑定双因素认证');
  await page.getByRole('img', { name: '双因素认证二维码' }).waitFor();
  const shown = await page.getByLabel('双因素认证密钥').innerText();
  // Shown in groups of four ("ABCD EFGH …"); a base32 secret has only A–Z and 2–7.
  const secret = shown.replace(/[^A-Z2-7]/g, '');
  expect(secret.length).toBeGreaterThanOrEqual(16);
  const authenticator = new Authenticator(secret);
  await typeTotpCode(page, await authenticator.nextCode());

  await expectHomePage(page);
  return authenticator;
}

/**
 * First sign-in of an admin-role account whose password needs no change (the demo accounts of
 * `seed-demo`): password, then binding an authenticator. Ends on the home page.
 */
export async function firstSignInWithTotpEnrolment(
  page: Page,
  baseUrl: string,
  account: { username: string; password: string },
): Promise<Authenticator> {
  await openLoginPage(page, baseUrl);
  await submitPassword(page, account.username, account.password);
  return enrolAuthenticator(page);
}

/** Sign-in of an account with neither a password change nor TOTP due (a branch officer). */
export async function signInWithPassword(
  page: Page,
  baseUrl: string,
  account: { username: string; password: string },
): Promise<void> {
  await openLoginPage(page, baseUrl);
  await submitPassword(page, account.username, account.password);
  await expectHomePage(page);
}

/** A later sign-in: password, then the current code from the authenticator. */
export async function signIn(
  page: Page,
  baseUrl: string,
  account: { username: string; password: string; authenticator: Authenticator },
): Promise<void> {
  await openLoginPage(page, baseUrl);
  await submitPassword(page, account.username, account.password);
  await expectStage(page, '双因素验证');
  await typeTotpCode(page, await account.authenticator.nextCode());
  await expectHomePage(page);
}

/** 用户菜单 → 退出登录; back on the login page, and the app is closed again. */
export async function signOut(page: Page, baseUrl: string): Promise<void> {
  await page.getByRole('button', { name: '用户菜单' }).click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.getByLabel('用户名').waitFor();
  expect(new URL(page.url()).pathname).toBe('/login');
  // The old session is gone on the server: the home page sends us back to the login form.
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('用户名').waitFor();
  expect(new URL(page.url()).pathname).toBe('/login');
}

export async function openMenu(page: Page, label: string, heading = label): Promise<void> {
  await page.getByRole('menuitem', { name: label }).click();
  await page.getByRole('heading', { name: heading, level: 3 }).waitFor();
}

/** The open dropdown of an antd Select (rendered in a popup at the end of the document). */
function openDropdown(page: Page): Locator {
  return page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
}

/**
 * Opens a select and clicks the option showing `label`, scrolling the list with the mouse wheel
 * when the option is below the fold (antd renders long lists virtually: unseen options do not
 * exist yet).
 */
export async function chooseOption(page: Page, select: Locator, label: string): Promise<void> {
  await select.click();
  const dropdown = openDropdown(page);
  await dropdown.waitFor();
  const option = dropdown.getByTitle(label, { exact: true });
  for (let scrolls = 0; scrolls < 20 && !(await option.isVisible()); scrolls += 1) {
    await dropdown.hover();
    await page.mouse.wheel(0, 100);
    await page.waitForTimeout(100);
  }
  await option.click();
}

/** Types into a searchable select (an org picker), waits for the hit and clicks it. */
export async function searchAndChoose(
  page: Page,
  select: Locator,
  text: string,
  label: string,
): Promise<void> {
  // Type only once the dropdown has finished opening, and start over when the search box does not
  // hold the whole text: keys typed during the opening animation were lost, and a focus move by the
  // surrounding dialog as it settles closed the dropdown and cleared the search (both seen in CI).
  for (let attempt = 1; ; attempt += 1) {
    if (!(await settledDropdown(page).isVisible())) await select.click();
    await settledDropdown(page).waitFor();
    await select.fill('');
    await select.pressSequentially(text);
    if ((await select.inputValue()) === text) break;
    if (attempt === 3) {
      await expect.poll(() => select.inputValue()).toBe(text);
      break;
    }
  }
  // Click the hit once the dropdown has settled: a click during its opening animation can be lost.
  await settledDropdown(page).getByTitle(label, { exact: true }).click();
}

/** The toast antd shows after a save ("已新建「…」", "隶属关系已调整"). */
export async function expectToast(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.ant-message').getByText(text).waitFor();
}

// --- 组织管理 ---

export function orgTree(page: Page): Locator {
  return page.getByRole('tree');
}

export function orgTreeItem(page: Page, name: string): Locator {
  return orgTree(page)
    .getByRole('treeitem')
    .filter({ has: page.getByText(name, { exact: true }) });
}

/** Clicks an org in the tree and waits for its details on the right. */
export async function selectOrg(page: Page, name: string): Promise<void> {
  await orgTreeItem(page, name).getByText(name, { exact: true }).click();
  await page.getByRole('heading', { name, level: 4 }).waitFor();
}

/** With the parent selected: 新建下级组织 → name and kind → 保存. Leaves the new org selected. */
export async function createChildOrg(
  page: Page,
  parentName: string,
  org: { name: string; kindLabel: string },
): Promise<void> {
  await selectOrg(page, parentName);
  await page.getByRole('button', { name: /新建下级组织/ }).click();
  const drawer = page.getByRole('dialog', { name: `新建下级组织 · ${parentName}` });
  await drawer.waitFor();
  await drawer.getByLabel('组织名称').fill(org.name);
  await chooseOption(page, drawer.getByLabel('组织类型'), org.kindLabel);
  await drawer.getByRole('button', { name: /保\s*存/ }).click();
  await expectToast(page, `已新建「${org.name}」`);
  await drawer.waitFor({ state: 'hidden' });
  await page.getByRole('heading', { name: org.name, level: 4 }).waitFor();
}

/** The breadcrumb above the selected org's details, e.g. ['本级党委…', '测试镇党委', '测试第一党支部']. */
export async function orgBreadcrumb(page: Page): Promise<string[]> {
  // The separators ("/") are aria-hidden, so only the org names are list items.
  const texts = await page.getByRole('navigation').getByRole('listitem').allInnerTexts();
  return texts.map((text) => text.trim());
}

/**
 * 调整隶属关系: pick the new parent by typing part of its name, 下一步, read the confirmation
 * sentence (what moves, from where, to where) and confirm.
 */
export async function moveOrg(
  page: Page,
  org: { name: string; fromParentName: string; toParentName: string },
): Promise<void> {
  await selectOrg(page, org.name);
  await page.getByRole('button', { name: /调整隶属关系/ }).click();
  const dialog = page.getByRole('dialog', { name: `调整隶属关系 · ${org.name}` });
  await dialog.waitFor();
  await dialog.getByText(`当前上级组织：${org.fromParentName}`).waitFor();
  await modalAtRest(page, `调整隶属关系 · ${org.name}`);
  await searchAndChoose(
    page,
    dialog.getByLabel('新的上级组织'),
    org.toParentName.slice(0, 3),
    org.toParentName,
  );
  await dialog.getByRole('button', { name: /下一步/ }).click();

  const confirm = page.getByRole('dialog').filter({ hasText: '确认调整隶属关系' });
  await confirm
    .getByText(
      `将「${org.name}」及其全部下级组织从「${org.fromParentName}」调整到「${org.toParentName}」下`,
    )
    .waitFor();
  // Click only once the confirmation has finished zooming in: under load a click mid-animation
  // landed on a button that was still moving and was lost (a CI failure).
  await modalAtRest(page, '确认调整隶属关系');
  await confirm.getByRole('button', { name: /确认调整/ }).click();
  await expectToast(page, '隶属关系已调整');
  await confirm.waitFor({ state: 'hidden' });
  await dialog.waitFor({ state: 'hidden' });
}

/**
 * The expand/collapse toggle in front of an org in the tree. antd gives it no role or name, so
 * it is found by its class (reported as a UI gap).
 */
export function treeToggle(page: Page, name: string): Locator {
  return orgTreeItem(page, name).locator('.ant-tree-switcher');
}

// --- 账号与角色 ---

/** The row of the accounts table whose 用户名 cell is exactly `username`. */
export function accountRow(page: Page, username: string): Locator {
  return page
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: username, exact: true }) });
}

// --- Popups that have settled: dates, regions, options, confirmations ---

/**
 * antd animates a popup in (a dropdown, a calendar, a confirmation bubble) and, the first time,
 * places it only after measuring it: a click during that motion may land beside its target and do
 * nothing. These selectors match a popup once it is shown and still (no motion class left); a
 * popup fading out does not match either.
 */
const AT_REST = ':not([class*="-appear"]):not([class*="-enter"]):not([class*="-leave"])';
const DATE_POPUP = `.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)${AT_REST}`;
const SELECT_POPUP = `.ant-select-dropdown:not(.ant-select-dropdown-hidden)${AT_REST}`;
const CASCADER_POPUP = `.ant-cascader-dropdown:not(.ant-select-dropdown-hidden)${AT_REST}`;
const BUBBLE_POPUP = `.ant-popover:not(.ant-popover-hidden)${AT_REST}`;

/**
 * Waits until the modal holding `text` (its title) has finished zooming in: a click or a key
 * during the animation can land on a moving target and be lost on a loaded machine (CI).
 */
export async function modalAtRest(page: Page, text: string): Promise<void> {
  await page.locator(`.ant-modal${AT_REST}`).filter({ hasText: text }).waitFor();
}

/** The list of an open select (or searchable select), once it has settled. */
export function settledDropdown(page: Page): Locator {
  return page.locator(SELECT_POPUP);
}

/**
 * Picks a date (YYYY-MM-DD) in an antd DatePicker as a person does: opens the calendar, turns the
 * months with 上个月 / 下个月 until the date's month shows, and clicks the day; the calendar closes
 * and the field keeps the date. Neither typing nor Enter: in a modal form Enter also submits the
 * form, and a typed date that turns the calendar leaves it open after the click.
 */
export async function pickDate(page: Page, input: Locator, date: string): Promise<void> {
  await input.click();
  const popup = page.locator(DATE_POPUP);
  await popup.waitFor();
  const [year, month] = date.split('-').map(Number) as [number, number];
  const target = year * 12 + month;
  // The header shows e.g. "2026年 10月" (zh-CN); it has no role of its own.
  const header = popup.locator('.ant-picker-header-view');
  const shownMonth = async () => {
    const shown = /(\d{4})年\s*(\d{1,2})月/.exec(await header.innerText());
    expect(shown, 'the calendar shows a month').not.toBeNull();
    return Number(shown![1]) * 12 + Number(shown![2]);
  };
  for (let turns = 0; turns < 240; turns += 1) {
    const current = await shownMonth();
    if (current === target) break;
    const turn = current > target ? '上个月' : '下个月';
    await popup.getByRole('button', { name: turn, exact: true }).click();
    await expect.poll(shownMonth).toBe(current > target ? current - 1 : current + 1);
  }
  await popup.getByTitle(date, { exact: true }).click();
  await popup.waitFor({ state: 'hidden' });
  await expect.poll(() => input.inputValue()).toBe(date);
}

/**
 * Picks a place in the province → city → county cascader (RegionCascader), one column after the
 * other: each column is loaded when its parent is clicked, so each click waits for its option.
 * Picking the county (a leaf) closes the popup.
 */
export async function pickRegion(page: Page, input: Locator, names: readonly string[]) {
  await input.click();
  const popup = page.locator(CASCADER_POPUP);
  await popup.waitFor();
  for (const [column, name] of names.entries()) {
    // By its title: the option's accessible name also holds its expand arrow ("right").
    await popup.getByRole('menu').nth(column).getByTitle(name, { exact: true }).click();
  }
  await popup.waitFor({ state: 'hidden' });
}

/**
 * Opens a select, clicks the option showing `label` once the list has settled, and waits until
 * the list is gone (a list still fading out would be taken for the next select's). The option
 * must be among the first ones shown: antd renders long lists virtually (see `chooseOption`).
 */
export async function chooseOptionAndWait(page: Page, select: Locator, label: string) {
  await select.click();
  const dropdown = settledDropdown(page);
  await dropdown.waitFor();
  await dropdown.getByTitle(label, { exact: true }).click();
  await expect.poll(() => openDropdown(page).count(), { timeout: 10_000 }).toBe(0);
}

/**
 * The small confirmation bubble of an antd Popconfirm ("确认发放？"), found by its title once it
 * has settled.
 */
export function popconfirm(page: Page, title: string): Locator {
  return page.locator(BUBBLE_POPUP).filter({ hasText: title });
}

/** The body rows of a table (rows that hold cells, not the header) as arrays of cell texts. */
export async function rowTexts(table: Locator): Promise<string[][]> {
  const rows = table.getByRole('row').filter({ has: table.page().getByRole('cell') });
  const texts: string[][] = [];
  for (const row of await rows.all()) {
    texts.push((await row.getByRole('cell').allInnerTexts()).map((text) => text.trim()));
  }
  return texts;
}
