import { describe, expect, it } from 'vitest';
import { chromiumFor } from './browser.js';
import { closedPort, config, useRealSdkPage } from './real-sdk-page.js';
import { joinRefused } from './signalling-stub.js';

// The controller over the real SDK in the long-session cases: role and room switches, a dropped
// connection, a failed rejoin, a switch past the controller's bound, a wedged enter with the
// microphone on. The stub answers as trtc-sdk-v5 5.17.1's server would (docs/sdk-facts.md,
// "Retiring an instance"); each test turns off the answer it needs missing.

const chromiumPath = chromiumFor('the real trtc-sdk-v5 lifecycle tests');

/** The controller's bound on enter and switches in these tests; the SDK's own are ~10 s. */
const BOUND_MS = 3_000;
const options = { enterTimeoutMs: BOUND_MS, exitTimeoutMs: 2_000 };

describe.skipIf(!chromiumPath)('the controller over the real trtc-sdk-v5: switches, reconnects, retiring an instance', () => {
  const sdk = useRealSdkPage(chromiumPath);
  const { calls, lifecycle } = sdk;
  const sent = (cmd: string) => sdk.stub.frames.filter((frame) => frame.message.cmd === cmd);

  /** A controller `alice` in the room over the stub, with `bound` on enter and switches. */
  const enterAlice = (opts: { enterTimeoutMs: number; exitTimeoutMs: number } = options) =>
    sdk.page.evaluate(
      async ({ cfg, opts }) => {
        const room = window.harness.makeRoom('alice', opts);
        await room.enter(cfg);
        return room.view().state;
      },
      { cfg: config('alice', sdk.stub.url), opts },
    );

  /** How many `leave` frames reached the stub, waiting up to `withinMs` for the first. */
  const leavesWithin = async (withinMs: number) => {
    const deadline = Date.now() + withinMs;
    while (sent('leave').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    return sent('leave').length;
  };
  const callsSeen = async () => `the SDK calls: ${(await lifecycle('alice')).join(', ')}`;

  const threw5100 = async () => (await calls('alice')).filter((call) => call.code === 5100 && call.phase === 'throw');

  it("switchRole('audience') then ('anchor') resolve; roleChanged is emitted; the room stays entered", async () => {
    expect(await enterAlice()).toBe('inRoom');
    const result = await sdk.page.evaluate(async () => {
      const room = window.harness.room('alice');
      const roles: string[] = [];
      room.on('roleChanged', ({ role }) => roles.push(role));
      const outcome = (promise: Promise<void>) => promise.then(() => 'ok', (e: { code: string }) => e.code);
      const audience = await outcome(room.switchRole('audience'));
      const between = room.view().state;
      const anchor = await outcome(room.switchRole('anchor'));
      return { audience, anchor, between, roles, state: room.view().state };
    });
    expect(result).toEqual({ audience: 'ok', anchor: 'ok', between: 'inRoom', roles: ['audience', 'anchor'], state: 'inRoom' });
    // 21 is audience, 20 anchor, in the SDK's change_role.
    expect(sent('change_role').map((frame) => (frame.message.data as { role?: number }).role)).toEqual([21, 20]);
    expect(await lifecycle('alice')).not.toContain('exitRoom:call');
  });

  it('switchRoom to 9999 resolves over the SDK fallback (leave, then join/v2 for 9999); roomSwitched is emitted', async () => {
    expect(await enterAlice()).toBe('inRoom');
    const result = await sdk.page.evaluate(async () => {
      const room = window.harness.room('alice');
      const switched: unknown[] = [];
      room.on('roomSwitched', ({ room: to }) => switched.push(to.roomId));
      const outcome = await room.switchRoom({ roomId: 9999, userSig: 'userSig-alice-9999-SECRET' }).then(
        () => 'ok',
        (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
      );
      return { outcome, switched, state: room.view().state, roomId: room.getSnapshot().context.target?.roomId };
    });
    expect(result).toEqual({ outcome: 'ok', switched: [9999], state: 'inRoom', roomId: 9999 });
    expect(sent('join/v2').map((frame) => String((frame.message.data as { roomId?: unknown }).roomId))).toEqual(['8888', '9999']);
    expect(sent('leave')).toHaveLength(1);
  });

  it("a dropped socket that reconnects (in ~40 ms, within the grace): connection never leaves 'connected'; no exitRoom", async () => {
    expect(await enterAlice()).toBe('inRoom');
    await sdk.page.evaluate(() => {
      const room = window.harness.room('alice');
      const seen: string[] = [room.view().connection];
      (window as unknown as { seen: string[] }).seen = seen;
      room.subscribe(() => {
        const connection = room.view().connection;
        if (seen[seen.length - 1] !== connection) seen.push(connection);
      });
    });
    sdk.stub.dropAll();
    await expect.poll(() => sent('reconnect').length, { timeout: 5_000 }).toBe(1);
    // Past the grace (300 ms) after the SDK is back.
    await sdk.page.waitForTimeout(600);
    const result = await sdk.page.evaluate(() => ({
      seen: (window as unknown as { seen: string[] }).seen,
      state: window.harness.room('alice').view().state,
    }));
    expect(result).toEqual({ seen: ['connected'], state: 'inRoom' });
    expect(await lifecycle('alice')).not.toContain('exitRoom:call');
  });

  it('a failed rejoin (reconnect and join refused): idle with CONNECTION_LOST, and no exitRoom', async () => {
    expect(await enterAlice()).toBe('inRoom');
    sdk.stub.answers.reconnect = (connection, message) => connection.send({ cmd: 514, code: -1, message: 'refused', seq: message.seq });
    sdk.stub.answers.join = (connection) => connection.send(joinRefused(-100018));
    sdk.stub.dropAll();
    await sdk.page
      .waitForFunction(() => window.harness.room('alice').view().state === 'idle', undefined, { timeout: 5_000 })
      .catch(() => undefined);
    const result = await sdk.page.evaluate(() => {
      const room = window.harness.room('alice');
      return { state: room.view().state, error: room.getSnapshot().context.error?.code };
    });
    expect(result).toEqual({ state: 'idle', error: 'CONNECTION_LOST' });
    expect(await lifecycle('alice')).not.toContain('exitRoom:call');
    await sdk.page.evaluate(() => window.harness.room('alice').destroy());
    expect(await threw5100(), await callsSeen()).toEqual([]);
  });

  it('a switchRole past the bound (change_role never answered): SWITCH_FAILED; leave is sent, never 5100; idle; a new enter works', async () => {
    expect(await enterAlice()).toBe('inRoom');
    sdk.stub.answers.changeRole = false;
    const result = await sdk.page.evaluate(async () => {
      const room = window.harness.room('alice');
      const started = Date.now();
      let reported = 0;
      const stop = room.on('error', () => (reported = Date.now() - started));
      const code = await room.switchRole('audience').then(() => 'ok', (e: { code: string }) => e.code);
      stop();
      return { code, reported, elapsed: Date.now() - started, state: room.view().state };
    });
    expect(result.code).toBe('SWITCH_FAILED');
    // The failure is reported at the bound; the switch settles once the room is left and the
    // instance replaced: the SDK sends `leave` only when its own switch has ended (~10 s).
    expect(result.reported).toBeGreaterThanOrEqual(BOUND_MS - 50);
    expect(result.reported).toBeLessThan(BOUND_MS + 1_000);
    expect(result.state).toBe('idle');
    expect(await leavesWithin(2_000), await callsSeen()).toBe(1);
    expect(await threw5100(), await callsSeen()).toEqual([]);
    sdk.stub.answers.changeRole = true;
    const after = await sdk.page.evaluate(
      async ({ cfg }) => {
        const room = window.harness.room('alice');
        const state = room.view().state;
        const entered = await room.enter(cfg).then(() => 'ok', (e: { code: string }) => e.code);
        const inRoom = room.view().state;
        await room.destroy();
        return { state, entered, inRoom };
      },
      { cfg: config('alice', sdk.stub.url) },
    );
    expect(after).toEqual({ state: 'idle', entered: 'ok', inRoom: 'inRoom' });
    expect(await threw5100(), await callsSeen()).toEqual([]);
  }, 30_000);

  it('destroy() during a hung switchRole resolves; leave is sent, never 5100', async () => {
    expect(await enterAlice()).toBe('inRoom');
    sdk.stub.answers.changeRole = false;
    const result = await sdk.page.evaluate(async () => {
      const room = window.harness.room('alice');
      const switching = room.switchRole('audience').then(() => 'ok', (e: { code: string }) => e.code);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = Date.now();
      await room.destroy();
      return { elapsed: Date.now() - started, state: room.view().state, switched: await switching };
    });
    expect(result.state).toBe('destroyed');
    expect(result.switched).not.toBe('ok');
    expect(await leavesWithin(12_000), await callsSeen()).toBe(1);
    expect(await threw5100(), await callsSeen()).toEqual([]);
    expect(await lifecycle('alice')).toContain('destroy:call');
  }, 30_000);

  it('a wedged enter with the microphone on: ENTER_TIMEOUT at the bound, already idle then; a second enter is taken at once', async () => {
    const wedged = config('alice', await closedPort());
    const result = await sdk.page.evaluate(
      async ({ cfg, opts }) => {
        const room = window.harness.makeRoom('alice', opts);
        await room.startLocalAudio();
        const started = Date.now();
        const first = await room.enter(cfg).then(
          () => ({ code: 'ok', state: room.view().state, second: 'none' }),
          (e: { code: string }) => {
            const state = room.view().state;
            // Taken means not refused at once: the enter runs (and would time out too; destroy ends it).
            const second = room.enter(cfg).then(() => 'ok', (error: { code: string }) => error.code);
            return { code: e.code, state, second };
          },
        );
        const elapsed = Date.now() - started;
        const second = await Promise.race([
          first.second instanceof Promise ? first.second : Promise.resolve(first.second),
          new Promise<string>((resolve) => setTimeout(() => resolve('pending'), 300)),
        ]);
        const stateAfter = room.view().state;
        await room.destroy();
        return { code: first.code, state: first.state, elapsed, second, stateAfter };
      },
      { cfg: wedged, opts: options },
    );
    expect(result).toMatchObject({ code: 'ENTER_TIMEOUT', state: 'idle', second: 'pending', stateAfter: 'entering' });
    expect(result.elapsed).toBeGreaterThanOrEqual(BOUND_MS - 100);
    expect(result.elapsed).toBeLessThan(BOUND_MS + 1_000);
    expect(await threw5100(), await callsSeen()).toEqual([]);
  }, 20_000);

  it('destroy() during a wedged enter with the microphone on resolves in under 1 s and stops the microphone', async () => {
    const wedged = config('alice', await closedPort());
    const result = await sdk.page.evaluate(
      async ({ cfg, opts }) => {
        const room = window.harness.makeRoom('alice', opts);
        await room.startLocalAudio();
        const entering = room.enter(cfg).then(() => 'ok', (e: { code: string }) => e.code);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const started = Date.now();
        await room.destroy();
        return { elapsed: Date.now() - started, entered: await entering, state: room.view().state, microphone: room.view().local.microphone };
      },
      { cfg: wedged, opts: options },
    );
    expect(result).toMatchObject({ entered: 'DESTROYED', state: 'destroyed', microphone: 'off' });
    expect(result.elapsed).toBeLessThan(1_000);
    expect(await lifecycle('alice')).toContain('destroy:call');
    expect(await threw5100(), await callsSeen()).toEqual([]);
  }, 20_000);
});
