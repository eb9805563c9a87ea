import { describe, expect, it } from 'vitest';
import { chromiumFor } from './browser.js';
import { config, useRealSdkPage } from './real-sdk-page.js';

// What reaches the server when a page in a room goes away without exit(). The SDK sends no
// `leave` by itself (its socket just closes; docs/sdk-facts.md): the controller leaves on pagehide.

const chromiumPath = chromiumFor('the page-close tests');

describe.skipIf(!chromiumPath)('a page in a room that goes away', () => {
  const sdk = useRealSdkPage(chromiumPath);
  const commands = () => sdk.stub.frames.map((frame) => String(frame.message.cmd));
  const enterAlice = () =>
    sdk.page.evaluate(
      async ({ cfg }) => {
        const room = window.harness.makeRoom('alice', { enterTimeoutMs: 3000, exitTimeoutMs: 2000 });
        await room.enter(cfg);
        return room.view().state;
      },
      { cfg: config('alice', sdk.stub.url) },
    );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

  // Fired by the test, so the page stays while the SDK sends its leave: a real close races the
  // page's teardown (on a loaded machine the leave sometimes does not get out; docs/sdk-facts.md).
  it('pagehide leaves the room: the server gets leave; the closed page then closes its socket', async () => {
    expect(await enterAlice()).toBe('inRoom');
    await sdk.page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false })));
    await expect.poll(commands, { timeout: 5_000 }).toContain('leave');
    expect(await sdk.page.evaluate(() => window.harness.room('alice').view().state)).toBe('idle');
    await sdk.page.close({ runBeforeUnload: true });
    await settle();
    expect(sdk.stub.connections.map((connection) => connection.closed)).toEqual([true]);
  });

  it('a page navigated away closes its socket (the leave may not get out before the page is gone)', async () => {
    expect(await enterAlice()).toBe('inRoom');
    await sdk.page.goto('about:blank');
    await settle();
    expect(sdk.stub.connections.map((connection) => connection.closed)).toEqual([true]);
  });
});
