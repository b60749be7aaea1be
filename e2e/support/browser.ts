import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { beforeEach } from 'vitest';
import { REPO_ROOT } from './server';

export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'e2e/artifacts');
export const PAGE_SHOTS_DIR = path.join(ARTIFACTS_DIR, 'pages');

/** How long a person-like action (click, fill, wait for a text) may take before the step fails. */
const ACTION_TIMEOUT_MS = 20_000;

// No browser downloads are possible here: Debian's Chromium, headless, nothing phoning home.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Pages still open, so that a failing test can photograph whatever the person was looking at. */
const openPages = new Set<Page>();

/**
 * A page in a fresh browser context (its own cookies: one context is one person at one
 * computer), Chinese locale and China time, a desktop-sized window.
 */
export async function newPage(browser: Browser): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  return page;
}

export async function closePage(page: Page): Promise<void> {
  openPages.delete(page);
  await page.context().close();
}

function fileNameOf(name: string): string {
  // Keep CJK, letters and digits; everything else becomes a dash.
  return name
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}

/**
 * Registers, for every test of the calling file, a full-page screenshot of each open page on
 * failure: e2e/artifacts/<test-name>.png (then -2, -3… for a second or third person's page).
 * CI keeps e2e/artifacts.
 */
export function screenshotOnFailure(): void {
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      await mkdir(ARTIFACTS_DIR, { recursive: true });
      const base = fileNameOf(`${task.file.name.replace(/^.*\//, '')}-${task.name}`);
      let index = 0;
      for (const page of openPages) {
        index += 1;
        const file = path.join(ARTIFACTS_DIR, `${base}${index > 1 ? `-${index}` : ''}.png`);
        // A page caught mid-navigation would show only a spinner: give it a moment to settle.
        await page.waitForLoadState('networkidle', { timeout: 3_000 }).catch(() => undefined);
        await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      }
    });
  });
}

/** A screenshot of a main page for people to look at (e2e/artifacts/pages/<name>.png). */
export async function capturePage(page: Page, name: string): Promise<void> {
  await mkdir(PAGE_SHOTS_DIR, { recursive: true });
  // Let spinners, fades and message toasts settle so that the picture shows the page itself.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page
    .locator('.ant-message-notice')
    .first()
    .waitFor({ state: 'detached', timeout: 8_000 })
    .catch(() => undefined);
  // No tooltip of whatever the mouse last touched.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(PAGE_SHOTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * Adds a page the app opened by itself (a second tab, e.g. a print view opened with Ctrl+click)
 * to those photographed on failure; its context is the one of the page that opened it.
 */
export function trackPage(page: Page): void {
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
}

/**
 * A screenshot of one part of a page, e.g. an open dialog (e2e/artifacts/pages/<name>.png): a
 * full-page picture shows a fixed dialog cut and its mask covering the first screen only.
 */
export async function captureElement(element: Locator, name: string): Promise<void> {
  await mkdir(PAGE_SHOTS_DIR, { recursive: true });
  const page = element.page();
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.mouse.move(0, 0);
  // A dialog taller than the window scrolls inside it: make the window tall enough for a while.
  const viewport = page.viewportSize();
  const box = await element.boundingBox();
  const taller = viewport && box && box.height + 96 > viewport.height;
  if (taller) await page.setViewportSize({ ...viewport, height: Math.ceil(box.height) + 96 });
  await element.screenshot({
    path: path.join(PAGE_SHOTS_DIR, `${name}.png`),
    animations: 'disabled',
  });
  if (taller) await page.setViewportSize(viewport);
}
