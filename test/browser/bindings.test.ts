import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumFor, launchChromium, serveDirectory } from './browser.js';

const chromiumPath = chromiumFor('the React and Vue examples');

const root = fileURLToPath(new URL('../..', import.meta.url));

type Build = 'development' | 'production';

/**
 * Builds an example with React's and Vue's development or production code. Only the development
 * code reports an uncached getSnapshot, a missing key or a Vue warning on the console. Vite takes
 * the choice from NODE_ENV, which the test runner has set to 'test'.
 */
async function buildExample(name: string, nodeEnv: Build, outDir: string): Promise<void> {
  const runnerEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  try {
    await build({ configFile: join(root, 'examples', name, 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'silent' });
  } finally {
    if (runnerEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = runnerEnv;
  }
}

/** Serves a built example on 127.0.0.1; `/` is its index.html. */
interface ExamplePage {
  page: Page;
  /** Page errors, console errors and console warnings, in order. */
  problems: string[];
  click(testId: string): Promise<void>;
  /** Waits until the element with this data-testid shows exactly this text. */
  shows(testId: string, text: string): Promise<void>;
}

async function open(browser: Browser, url: string): Promise<ExamplePage> {
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

interface Renders {
  status: number;
  remoteUsers: number;
}
const renders = ({ page }: ExamplePage) => page.evaluate(() => ({ ...(window as unknown as { renders: Renders }).renders }));

const EXAMPLES: Array<[string, Build]> = [
  ['react', 'development'],
  ['react', 'production'],
  ['vue', 'development'],
  ['vue', 'production'],
];

describe.skipIf(!chromiumPath)('the examples in Chromium, over the simulator', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium(chromiumPath ?? 'chromium');
  }, 15_000);

  afterAll(async () => {
    await browser?.close();
  });

  describe.each(EXAMPLES)('%s, %s build', (name, nodeEnv) => {
    let http: Server;
    let url: string;
    let outDir: string;

    beforeAll(async () => {
      mkdirSync(join(root, 'build'), { recursive: true });
      outDir = mkdtempSync(join(root, 'build', `example-${name}-${nodeEnv}-`));
      await buildExample(name, nodeEnv, outDir);
      ({ server: http, url } = await serveDirectory(outDir));
    }, 30_000);

    afterAll(async () => {
      await new Promise((resolve) => http?.close(resolve));
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    });

    it('enters with a remote user there, is kicked out, and is destroyed', async () => {
      const example = await open(browser, url);
      await example.shows('state', 'idle');

      await example.click('enter');
      await example.shows('state', 'inRoom');
      await example.shows('remote-count', '1');

      await example.click('kick');
      await example.shows('state', 'kicked');
      await example.shows('kick-reason', 'banned');
      await example.shows('events', 'kicked out: banned');

      await example.click('destroy');
      await example.shows('state', 'destroyed');
      await example.page.close();
      expect(example.problems).toEqual([]);
    }, 15_000);

    it('re-renders only the parts whose selection changed', async () => {
      const example = await open(browser, url);
      await example.click('enter');
      await example.shows('state', 'inRoom');
      await example.shows('remote-ids', 'bob');
      const before = await renders(example);

      await example.click('bob-camera');
      await example.shows('remote-cameras', '1');
      expect(await renders(example)).toEqual(before);

      // The counters do count: a change both lines show renders both.
      await example.click('kick');
      await example.shows('state', 'kicked');
      await example.shows('remote-count', '0');
      const after = await renders(example);
      expect(after.status).toBeGreaterThan(before.status);
      expect(after.remoteUsers).toBeGreaterThan(before.remoteUsers);
      await example.page.close();
      expect(example.problems).toEqual([]);
    }, 15_000);
  });
});
