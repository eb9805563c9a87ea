import type { Server } from 'node:http';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { launchChromium, servePage } from './browser.js';
import { installHarness } from './page-harness.js';
import type { PageCall } from './page-harness.js';
import { startSignallingStub } from './signalling-stub.js';
import type { SignallingStub, StubConnection } from './signalling-stub.js';

/**
 * The page errors the stub causes, not the library: the stub answers signalling only, and the SDK's
 * media negotiation then reads server abilities the stub never sends.
 */
export const STUB_LIMITS = /reading 'useVp8'/;

/** An enter config whose signalling goes to `websocketProxy` (the stub, or a closed port). */
export const config = (userId: string, websocketProxy: string, roomId = 8888) => ({
  sdkAppId: 1400000000,
  userId,
  userSig: `userSig-${userId}-SECRET`,
  roomId,
  proxy: { websocketProxy },
});

/** A loopback port nobody listens on: the SDK's signalling never connects. */
export async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `ws://127.0.0.1:${port}`;
}

/** What each test of the real SDK gets: a fresh page with the harness, and a fresh stub. */
export interface RealSdkPage {
  readonly page: Page;
  readonly stub: SignallingStub;
  /** The calls the controller `name` made on its TRTC instances. */
  calls(name: string): Promise<PageCall[]>;
  /** Those calls but on/off, as `method:phase[:code]`, of one instance or all. */
  lifecycle(name: string, instance?: number): Promise<string[]>;
  /** The stub's connections that carried a `join/v2`. */
  joins(): StubConnection[];
}

/**
 * Registers the hooks of a suite over the real SDK: Chromium and the page server for the suite, a
 * new page and signalling stub for each test, and a test failure for any unexpected page error.
 */
export function useRealSdkPage(chromiumPath: string | undefined): RealSdkPage {
  let browser: Browser;
  let http: Server;
  let url: string;
  let page: Page;
  let stub: SignallingStub;

  beforeAll(async () => {
    ({ server: http, url } = await servePage());
    browser = await launchChromium(chromiumPath ?? 'chromium');
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => http?.close(resolve));
  });

  beforeEach(async () => {
    stub = await startSignallingStub();
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => {
      // Anything thrown in the page but the stub's known limits fails the test.
      if (!STUB_LIMITS.test(error.message)) errors.push(error.message);
    });
    await page.goto(url);
    await page.waitForFunction(() => window.libReady === true, undefined, { timeout: 10_000 });
    await page.evaluate(installHarness);
    return async () => {
      await page.close();
      await stub.close();
      expect(errors).toEqual([]);
    };
  });

  const calls = (name: string): Promise<PageCall[]> => page.evaluate((n) => window.harness.calls(n), name);
  return {
    get page() {
      return page;
    },
    get stub() {
      return stub;
    },
    calls,
    lifecycle: async (name, instance) =>
      (await calls(name))
        .filter((c) => !['on', 'off'].includes(c.method) && (instance === undefined || c.instance === instance))
        .map((c) => `${c.method}:${c.phase}${c.code ? `:${c.code}` : ''}`),
    joins: () => stub.connections.filter((c) => c.received.some((m) => m.cmd === 'join/v2')),
  };
}
