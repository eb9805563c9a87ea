import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromiumFor } from './browser.js';
import { launchedChromium, open, servedBuild } from './built-site.js';
import type { Build, ExamplePage } from './built-site.js';

const chromiumPath = chromiumFor('the React and Vue examples');

const root = fileURLToPath(new URL('../..', import.meta.url));

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
  const chromium = launchedChromium(chromiumPath);

  describe.each(EXAMPLES)('%s, %s build', (name, nodeEnv) => {
    const site = servedBuild(join(root, 'examples', name, 'vite.config.ts'), `example-${name}-${nodeEnv}`, nodeEnv);

    it('enters with a remote user there, is kicked out, and is destroyed', async () => {
      const example = await open(chromium.browser, site.url);
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
      const example = await open(chromium.browser, site.url);
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

  interface Instances {
    created: number;
    destroyed: number;
  }
  const instances = ({ page }: ExamplePage) => page.evaluate(() => (window as unknown as { instances: () => Instances }).instances());
  const settled = (example: ExamplePage, expected: Instances) =>
    example.page.waitForFunction(
      (expected) => JSON.stringify((window as unknown as { instances: () => Instances }).instances()) === JSON.stringify(expected),
      expected,
      { timeout: 5_000 },
    );

  // Development mounts, unmounts and mounts again: two controllers, the first destroyed at once.
  describe.each([
    ['development', 2],
    ['production', 1],
  ] as const)('a controller owned by a component under StrictMode (useRoomController), %s build', (nodeEnv, perMount) => {
    const configFile = join(root, 'test', 'browser', 'fixtures', 'react-owner', 'vite.config.ts');
    const site = servedBuild(configFile, `react-owner-${nodeEnv}`, nodeEnv);

    it('keeps one SDK instance alive per real mount, and none after the unmount', async () => {
      const example = await open(chromium.browser, site.url);
      await example.shows('state', 'idle');
      await settled(example, { created: perMount, destroyed: perMount - 1 });

      await example.click('enter');
      await example.shows('state', 'inRoom');
      expect(await instances(example)).toEqual({ created: perMount, destroyed: perMount - 1 });

      await example.click('toggle');
      await example.shows('state', 'unmounted');
      await settled(example, { created: perMount, destroyed: perMount });

      // A new mount owns a new controller (and instance), idle again.
      await example.click('toggle');
      await example.shows('state', 'idle');
      await settled(example, { created: 2 * perMount, destroyed: 2 * perMount - 1 });
      await example.click('toggle');
      await settled(example, { created: 2 * perMount, destroyed: 2 * perMount });
      await example.page.close();
      expect(example.problems).toEqual([]);
    }, 15_000);
  });
});
