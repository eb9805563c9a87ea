import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromiumFor } from './browser.js';
import { closedPort, config, useRealSdkPage } from './real-sdk-page.js';
import { JOINED, joinRefused, kickFrame } from './signalling-stub.js';
import type { StubConnection } from './signalling-stub.js';

// The stub speaks the signalling protocol as trtc-sdk-v5 5.17.1 does (docs/sdk-facts.md,
// "Signalling on loopback"). Another SDK version may speak differently: re-check those facts first.
const STUB_SDK_VERSION = '5.17.1';

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

describe.skipIf(!chromiumPath)('the real trtc-sdk-v5 in Chromium, over a loopback signalling stub', () => {
  const sdk = useRealSdkPage(chromiumPath);
  const { lifecycle, joins } = sdk;

  it('enter resolves; exit calls exitRoom; destroy calls destroy once; listeners balanced; no secret in the snapshot', async () => {
    const result = await sdk.page.evaluate(
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
      { cfg: config('alice', sdk.stub.url), bound: ENTER_BOUND_MS },
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
    'a server kick (%s) puts the controller in kicked with no exitRoom and no reconnecting before it; destroy never throws',
    async (reason) => {
      const result = await sdk.page.evaluate(
        async ({ cfg, bound }) => {
          const room = window.harness.makeRoom('alice', { enterTimeoutMs: bound, exitTimeoutMs: 2000 });
          await room.enter(cfg);
          // The SDK's DISCONNECTED before its kicked-out (2–105 ms) falls within the grace.
          const shown = [room.view().connection];
          (window as unknown as { shown: string[] }).shown = shown;
          room.subscribe(() => {
            if (shown.at(-1) !== room.view().connection) shown.push(room.view().connection);
          });
          return 'entered';
        },
        { cfg: config('alice', sdk.stub.url), bound: ENTER_BOUND_MS },
      );
      expect(result).toBe('entered');
      joins()[0]?.send(kickFrame(reason));
      await sdk.page.waitForFunction(() => window.harness.room('alice').view().state === 'kicked', undefined, { timeout: 5_000 });
      const after = await sdk.page.evaluate(async () => {
        const room = window.harness.room('alice');
        const kickReason = room.view().kickReason;
        const shown = [...(window as unknown as { shown: string[] }).shown];
        await room.exit();
        await room.destroy();
        return { kickReason, shown, state: room.view().state };
      });
      expect(after).toEqual({ kickReason: reason === 'room-disband' ? 'room_disband' : reason, shown: ['connected', 'disconnected'], state: 'destroyed' });
      expect(await lifecycle('alice')).toEqual(['enterRoom:call', 'enterRoom:resolve', 'destroy:call']);
    },
  );

  it('destroy from in the room exits first; the SDK never throws 5100', async () => {
    await sdk.page.evaluate(
      async ({ cfg }) => {
        const room = window.harness.makeRoom('alice', { enterTimeoutMs: 3000, exitTimeoutMs: 2000 });
        await room.enter(cfg);
        await room.destroy();
      },
      { cfg: config('alice', sdk.stub.url) },
    );
    expect(await lifecycle('alice')).toEqual(['enterRoom:call', 'enterRoom:resolve', 'exitRoom:call', 'exitRoom:resolve', 'destroy:call']);
    expect(sdk.stub.connections[0]?.received.some((m) => m.cmd === 'leave')).toBe(true);
  });

  it('the server refusing the join: ENTER_FAILED with the SDK code 5400 and the server code', async () => {
    sdk.stub.answers.join = (connection) => connection.send(joinRefused(-100018));
    const error = await sdk.page.evaluate(
      async ({ cfg }) => {
        const room = window.harness.makeRoom('alice', { enterTimeoutMs: 3000, exitTimeoutMs: 2000 });
        return room.enter(cfg).then(
          () => null,
          (e: { code: string; sdkCode?: number; sdkExtraCode?: number }) => ({ code: e.code, sdkCode: e.sdkCode, sdkExtraCode: e.sdkExtraCode }),
        );
      },
      { cfg: config('alice', sdk.stub.url) },
    );
    expect(error).toEqual({ code: 'ENTER_FAILED', sdkCode: 5400, sdkExtraCode: -100018 });
  });

  it.each([
    ['never connects (signalling port closed)', 'closed'],
    ['never answers the join', 'silent'],
  ] as const)('an enter that %s is bounded; the factory gives a fresh instance that enters', async (_, kind) => {
    const silent: StubConnection[] = [];
    const wedgedUrl = kind === 'closed' ? await closedPort() : sdk.stub.url;
    if (kind === 'silent') {
      let first = true;
      sdk.stub.answers.join = (connection) => {
        if (first) {
          first = false;
          silent.push(connection);
          return;
        }
        connection.send(JOINED);
      };
    }
    const result = await sdk.page.evaluate(
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
      { wedged: config('alice', wedgedUrl), good: config('alice', sdk.stub.url), bound: ENTER_BOUND_MS },
    );
    expect(result).toMatchObject({ first: 'ENTER_TIMEOUT', state: 'idle', second: 'inRoom', instance: 2 });
    expect(result.elapsed).toBeLessThan(ENTER_BOUND_MS + 1_000);
    // The wedged instance was destroyed while its enterRoom was pending, which ended it (5100).
    await expect.poll(() => lifecycle('alice', 1)).toEqual(['enterRoom:call', 'destroy:call', 'enterRoom:reject:5100']);
    expect(await lifecycle('alice')).not.toContain('destroy:throw');
  }, 20_000);

  it('device preview with the fake camera and microphone, stopped before destroy', async () => {
    const result = await sdk.page.evaluate(async () => {
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
    const counts = await sdk.page.evaluate(
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
      { cfg: config('alice', sdk.stub.url) },
    );
    expect(counts).toEqual(Array.from({ length: 20 }, () => 0));
    expect(joins()).toHaveLength(20);
  }, 30_000);
});
