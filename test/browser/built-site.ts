import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, serveDirectory } from './browser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type Build = 'development' | 'production';

/**
 * Builds an example with React's and Vue's development or production code. Only the development
 * code reports an uncached getSnapshot, a missing key or a Vue warning on the console. Vite takes
 * the choice from NODE_ENV, which the test runner has set to 'test'.
 */
export async function buildSite(configFile: string, nodeEnv: Build, outDir: string): Promise<void> {
  const runnerEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  try {
    await build({ configFile, build: { outDir, emptyOutDir: true }, logLevel: 'silent' });
  } finally {
    if (runnerEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = runnerEnv;
  }
}

/** Builds the site of a Vite config before the tests of the enclosing describe, and serves it. */
export function servedBuild(configFile: string, name: string, nodeEnv: Build): { url: string } {
  const site = { url: '' };
  let http: Server | undefined;
  let outDir: string | undefined;
  beforeAll(async () => {
    mkdirSync(join(root, 'build'), { recursive: true });
    outDir = mkdtempSync(join(root, 'build', `${name}-`));
    await buildSite(configFile, nodeEnv, outDir);
    const served = await serveDirectory(outDir);
    http = served.server;
    site.url = served.url;
  }, 30_000);
  afterAll(async () => {
    await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });
  return site;
}

/** Chromium for the tests of the enclosing describe: launched before them, closed after them. */
export function launchedChromium(executablePath: string | undefined): { readonly browser: Browser } {
  let launched: Browser | undefined;
  beforeAll(async () => {
    launched = await launchChromium(executablePath ?? 'chromium');
  }, 15_000);
  afterAll(async () => {
    await launched?.close();
  });
  return {
    get browser() {
      if (!launched) throw new Error('Chromium is launched before the tests of its describe');
      return launched;
    },
  };
}

export interface ExamplePage {
  page: Page;
  /** Page errors, console errors and console warnings, in order. */
  problems: string[];
  click(testId: string): Promise<void>;
  /** Waits until the element with this data-testid shows exactly this text. */
  shows(testId: string, text: string): Promise<void>;
}

/** Opens a built site (served by `serveDirectory`) and collects its problems. */
export async function open(browser: Browser, url: string): Promise<ExamplePage> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
  });
  await page.goto(url);
  const select = (testId: string) => `[data-testid="${testId}"]`;
  return {
    page,
    problems,
    click: (testId) => page.locator(select(testId)).click(),
    async shows(testId, text) {
      try {
        await page.waitForFunction(([query, text]) => document.querySelector(query)?.textContent === text, [select(testId), text] as const, {
          timeout: 5_000,
        });
      } catch {
        const shown = await page.locator(select(testId)).textContent({ timeout: 100 }).catch(() => null);
        throw new Error(`${testId} shows ${JSON.stringify(shown)}, not ${JSON.stringify(text)}; problems: ${JSON.stringify(problems)}`);
      }
    },
  };
}
