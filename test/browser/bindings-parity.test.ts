import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CASE_NAMES, SESSION_SUMMARIES, SESSION_SUMMARIES_PER_VIEW } from '../support/parity.js';
import { chromiumFor } from './browser.js';
import { launchedChromium, open, servedBuild } from './built-site.js';
import type { ExamplePage } from './built-site.js';

const chromiumPath = chromiumFor('our React binding against @xstate/react');

const configFile = fileURLToPath(new URL('./fixtures/react-parity/vite.config.ts', import.meta.url));

interface Subscriptions {
  live: number;
  made: number;
}
interface Parity {
  steps: number;
  step(i: number): Promise<void>;
  commits(): Record<string, unknown[]>;
  subscriptions(): { ours: Subscriptions; xstate: Subscriptions };
}
type ParityWindow = { parity: Parity };
const subscriptions = ({ page }: ExamplePage) => page.evaluate(() => (window as unknown as ParityWindow).parity.subscriptions());
const commits = ({ page }: ExamplePage) => page.evaluate(() => (window as unknown as ParityWindow).parity.commits());
/** Plays alice's session, step by step, each committed before the next. */
const play = ({ page }: ExamplePage) =>
  page.evaluate(async () => {
    const { parity } = window as unknown as ParityWindow;
    for (let i = 0; i < parity.steps; i += 1) await parity.step(i);
  });

const idle = { state: 'idle', remoteUsers: 0, cameras: 0 };

describe.skipIf(!chromiumPath)('our useRoom and @xstate/react useSelector side by side in Chromium, under StrictMode', () => {
  const chromium = launchedChromium(chromiumPath);

  // Development runs each mount's effects twice (StrictMode): the first value is committed twice.
  describe.each([
    ['development', 2],
    ['production', 1],
  ] as const)('%s build', (nodeEnv, perMount) => {
    const site = servedBuild(configFile, `react-parity-${nodeEnv}`, nodeEnv);

    it('commits the same values, as many times, over a session', async () => {
      const page = await open(chromium.browser, site.url);
      await page.shows('mounted', 'yes');
      await play(page);
      await page.shows('ours state', '"kicked"');
      const committed = await commits(page);
      const first = <T>(value: T) => Array<T>(perMount).fill(value);
      // Bob's microphone makes a new view with the same summary: a new object, a change by Object.is.
      const expected: Record<(typeof CASE_NAMES)[number], unknown[]> = {
        state: [...first('idle'), 'entering', 'inRoom', 'kicked'],
        'object, shallowEqual': [...first(idle), ...SESSION_SUMMARIES],
        'object, Object.is': [...first(idle), ...SESSION_SUMMARIES_PER_VIEW],
      };
      for (const name of CASE_NAMES) {
        expect({ name, commits: committed[`ours ${name}`] }).toEqual({ name, commits: expected[name] });
        expect({ name, commits: committed[`xstate ${name}`] }).toEqual({ name, commits: expected[name] });
      }
      await page.page.close();
      expect(page.problems).toEqual([]);
    }, 20_000);

    // Three components a side; StrictMode subscribes, unsubscribes and subscribes again at a mount.
    it('holds one subscription per component while mounted, and none after the unmount', async () => {
      const page = await open(chromium.browser, site.url);
      const both = (live: number, made: number) => ({ ours: { live, made }, xstate: { live, made } });
      for (let mount = 1; mount <= 3; mount += 1) {
        await page.shows('mounted', 'yes');
        expect(await subscriptions(page)).toEqual(both(3, 3 * perMount * mount));
        await page.click('toggle');
        await page.shows('mounted', 'no');
        expect(await subscriptions(page)).toEqual(both(0, 3 * perMount * mount));
        await page.click('toggle');
      }
      await page.page.close();
      expect(page.problems).toEqual([]);
    }, 20_000);
  });
});
