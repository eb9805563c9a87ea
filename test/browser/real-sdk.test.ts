import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumFor, launchChromium, servePage } from './browser.js';
import { installHarness } from './page-harness.js';
import type { PageCall } from './page-harness.js';
import { startSignallingStub } from './signalling-stub.js';
import type { SignallingStub, StubConnection } from './signalling-stub.js';

// The stub speaks the signalling protocol as trtc-sdk-v5 5.17.1 does (docs/sdk-facts.md,
// "Signalling on loopback"). Another SDK version may speak differently: re-check those facts first.
const STUB_SDK_VERSION = '5.17.1';
const JOINED = { cmd: 20, code: 0, data: { publishers: [] } };
const kickFrame = (reason: string) => ({ cmd: 9, code: 0, data: { reason } });
const STUB_LIMITS = /reading 'useVp8'/;

const chromiumPath = chromiumFor('the real trtc-sdk-v5 tests');

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const installedSdk = JSON.parse(readFileSync(new URL('../../node_modules/trtc-sdk-v5/package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('the SDK version the signalling stub was written for', () => {
  it(`package.json pins trtc-sdk-v5 ${STUB_SDK_VERSION}, and that is what is installed`, () => {
    const message = (found: string) =>
      `trtc-sdk-v5 ${found} is not the ${STUB_SDK_VERSION} the loopback signalling stub was written for: ` +
      're-check the facts in docs/sdk-facts.md ("Signalling on loopback") against the new version, then update STUB_SDK_VERSION';
    expect(packageJson.devDependencies['trtc-sdk-v5'], message(String(packageJson.devDependencies['trtc-sdk-v5']))).toBe(STUB_SDK_VERSION);
    expect(installedSdk.version, message(installedSdk.version)).toBe(STUB_SDK_VERSION);
  });
});

const ENTER_BOUND_MS = 3_000;
const config = (userId: string, websocketProxy: string) => ({
  sdkAppId: 1400000000,
  userId,
  userSig: `userSig-${userId}-SECRET`,
  roomId: 8888,
  proxy: { websocketProxy },
});

/** A loopback port nobody listens on: the SDK's signalling never connects. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `ws://127.0.0.1:${port}`;
}

describe.skipIf(!chromiumPath)('the real trtc-sdk-v5 in Chromium, over a loopback signalling stub', () => {
  let browser: Browser;
  let page: Page;
  let http: Server;
  let url: string;
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
    // By default the stub lets every join in.
    stub.onMessage = (connection, message) => {
      if (message.cmd === 'join/v2') connection.send(JOINED);
    };
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => {
      // The stub answers signalling only; the SDK's media negotiation then reads server abilities
      // the stub never sends. Anything else thrown in the page fails the test.
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
  const lifecycle = async (name: string, instance?: number) =>
    (await calls(name))
      .filter((c) => !['on', 'off'].includes(c.method) && (instance === undefined || c.instance === instance))
      .map((c) => `${c.method}:${c.phase}${c.code ? `:${c.code}` : ''}`);
  const joins = () => stub.connections.filter((c) => c.received.some((m) => m.cmd === 'join/v2'));

  it('enter resolves; exit calls exitRoom; destroy calls destroy once; listeners balanced; no secret in the snapshot', async () => {
    const result = await page.evaluate(
      async ({ cfg, bound }) => {
        const room = window.harness.makeRoom('alice', { enterTimeoutMs: bound, exitTimeoutMs: 2000 });
        const entered = await room.enter(cfg).then(() => 'ok', (e: { code: string; message: string }) => `${e.code}: ${e.message}`);
        const inRoom = room.view().state;
        const persisted = JSON.stringify(room.actor.getPersistedSnapshot());
        await room.exit();
        const listenersAfterExit = window.harness.activeListeners('alice');
        await room.destroy();
        return { entered, inRoom, persisted, listenersAfterExit, after: room.view().state };
      },
      { cfg: config('alice', stub.url), bound: ENTER_BOUND_MS },
    );
    expect(
      result.entered,
      `the real SDK did not accept the stub's join reply ${JSON.stringify(JOINED)}: the loopback facts changed (docs/sdk-facts.md)`,
    ).toBe('ok');
    expect(result.inRoom).toBe('inRoom');
    expect(result.persisted).not.toContain('SECRET');
    expect(result.listenersAfterExit).toBe(0);
    expect(result.after).toBe('destroyed');
    expect(await lifecycle('alice')).toEqual([
      'enterRoom:call',
      'enterRoom:resolve',
      'exitRoom:call',
      'exitRoom:resolve',
      'destroy:call',
    ]);
    // The userSig went to the SDK, which put it in the signalling URL.
    expect(joins()[0]?.url).toContain('userSig-alice-SECRET');
  });

  it.each(['kick', 'banned', 'room_disband', 'room-disband'])(
    'a server kick (%s) puts the controller in kicked with no exitRoom; destroy never throws',
    async (reason) => {
      const result = await page.evaluate(
        async ({ cfg, bound }) => {
          const room = window.harness.makeRoom('alice', { enterTimeoutMs: bound, exitTimeoutMs: 2000 });
          await room.enter(cfg);
          return 'entered';
        },
        { cfg: config('alice', stub.url), bound: ENTER_BOUND_MS },
      );
      expect(result).toBe('entered');
      joins()[0]?.send(kickFrame(reason));
      await page.waitForFunction(() => window.harness.room('alice').view().state === 'kicked', undefined, { timeout: 5_000 });
      const after = await page.evaluate(async () => {
        const room = window.harness.room('alice');
        const kickReason = room.view().kickReason;
        await room.exit();
        await room.destroy();
        return { kickReason, state: room.view().state };
      });
      expect(after).toEqual({ kickReason: reason === 'room-disband' ? 'room_disband' : reason, state: 'destroyed' });
      expect(await lifecycle('alice')).toEqual(['enterRoom:call', 'enterRoom:resolve', 'destroy:call']);
    },
  );

  it('destroy from in the room exits first; the SDK never throws 5100', async () => {
    await page.evaluate(
      async ({ cfg }) => {
        const room = window.harness.makeRoom('alice', { enterTimeoutMs: 3000, exitTimeoutMs: 2000 });
        await room.enter(cfg);
        await room.destroy();
      },
      { cfg: config('alice', stub.url) },
    );
    expect(await lifecycle('alice')).toEqual(['enterRoom:call', 'enterRoom:resolve', 'exitRoom:call', 'exitRoom:resolve', 'destroy:call']);
    expect(stub.connections[0]?.received.some((m) => m.cmd === 'leave')).toBe(true);
  });

  it('the server refusing the join: ENTER_FAILED with the SDK code 5400 and the server code', async () => {
    stub.onMessage = (connection, message) => {
      if (message.cmd === 'join/v2') connection.send({ cmd: 20, code: -100018, message: 'userSig check failed', data: {} });
    };
    const error = await page.evaluate(
      async ({ cfg }) => {
        const room = window.harness.makeRoom('alice', { enterTimeoutMs: 3000, exitTimeoutMs: 2000 });
        return room.enter(cfg).then(
          () => null,
          (e: { code: string; sdkCode?: number; sdkExtraCode?: number }) => ({ code: e.code, sdkCode: e.sdkCode, sdkExtraCode: e.sdkExtraCode }),
        );
      },
      { cfg: config('alice', stub.url) },
    );
    expect(error).toEqual({ code: 'ENTER_FAILED', sdkCode: 5400, sdkExtraCode: -100018 });
  });

  it.each([
    ['never connects (signalling port closed)', 'closed'],
    ['never answers the join', 'silent'],
  ] as const)('an enter that %s is bounded; the factory gives a fresh instance that enters', async (_, kind) => {
    const silent: StubConnection[] = [];
    const wedgedUrl = kind === 'closed' ? await closedPort() : stub.url;
    if (kind === 'silent') {
      let first = true;
      stub.onMessage = (connection, message) => {
        if (message.cmd !== 'join/v2') return;
        if (first) {
          first = false;
          silent.push(connection);
          return;
        }
        connection.send(JOINED);
      };
    }
    const result = await page.evaluate(
      async ({ wedged, good, bound }) => {
        const room = window.harness.makeRoom('alice', { enterTimeoutMs: bound, exitTimeoutMs: 1000 });
        const started = Date.now();
        const first = await room.enter(wedged).then(() => 'ok', (e: { code: string }) => e.code);
        const elapsed = Date.now() - started;
        const state = room.view().state;
        await room.enter(good);
        const second = room.view().state;
        const instance = room.getSnapshot().context.instance;
        await room.destroy();
        return { first, elapsed, state, second, instance };
      },
      { wedged: config('alice', wedgedUrl), good: config('alice', stub.url), bound: ENTER_BOUND_MS },
    );
    expect(result).toMatchObject({ first: 'ENTER_TIMEOUT', state: 'idle', second: 'inRoom', instance: 2 });
    expect(result.elapsed).toBeLessThan(ENTER_BOUND_MS + 1_000);
    // The wedged instance was destroyed while its enterRoom was pending, which ended it (5100).
    await expect.poll(() => lifecycle('alice', 1)).toEqual(['enterRoom:call', 'destroy:call', 'enterRoom:reject:5100']);
    expect(await lifecycle('alice')).not.toContain('destroy:throw');
  }, 20_000);

  it('device preview with the fake camera and microphone, stopped before destroy', async () => {
    const result = await page.evaluate(async () => {
      const room = window.harness.makeRoom('alice', { enterTimeoutMs: 3000, exitTimeoutMs: 2000 });
      await room.startLocalAudio();
      await room.startLocalVideo({ view: null });
      const on = room.view().local;
      await room.destroy();
      return { on, off: room.view().local };
    });
    expect(result.on).toEqual({ microphone: 'on', camera: 'on', screen: 'off' });
    expect(result.off).toEqual({ microphone: 'off', camera: 'off', screen: 'off' });
    const lines = await lifecycle('alice');
    expect(lines.indexOf('destroy:call')).toBeGreaterThan(lines.indexOf('stopLocalVideo:resolve'));
    expect(lines.indexOf('destroy:call')).toBeGreaterThan(lines.indexOf('stopLocalAudio:resolve'));
  });

  it('listeners stay balanced over 20 enter/exit cycles on one real instance', async () => {
    const counts = await page.evaluate(
      async ({ cfg }) => {
        const room = window.harness.makeRoom('alice', { enterTimeoutMs: 3000, exitTimeoutMs: 2000 });
        const seen: number[] = [];
        for (let cycle = 0; cycle < 20; cycle += 1) {
          await room.enter(cfg);
          await room.exit();
          seen.push(window.harness.activeListeners('alice'));
        }
        await room.destroy();
        return seen;
      },
      { cfg: config('alice', stub.url) },
    );
    expect(counts).toEqual(Array.from({ length: 20 }, () => 0));
    expect(joins()).toHaveLength(20);
  }, 30_000);
});
