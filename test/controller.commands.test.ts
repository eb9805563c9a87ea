import { describe, expect, it } from 'vitest';
import type { RoomStateName } from '../src/index.js';
import { createHarness, enterConfig, outcome, reach, stateOf } from './support/harness.js';
import type { Harness } from './support/harness.js';

/** SDK lifecycle calls (not on/off) made after the state was reached. */
function callsSince(harness: Harness, mark: number): string[] {
  return harness.recorder.log
    .filter((entry) => entry.seq > mark && entry.phase === 'call' && entry.method !== 'on' && entry.method !== 'off')
    .map((entry) => `${entry.method}#${entry.instance}`);
}

function lastSeq(harness: Harness): number {
  return harness.recorder.log.at(-1)?.seq ?? 0;
}

interface Row {
  state: RoomStateName;
  /** What the command's promise does: 'resolved' or a RoomError code. */
  result: string;
  /** The state when the command has settled. */
  then: RoomStateName;
  /** SDK lifecycle calls the command caused, in order. */
  calls: string[];
}

// design.md's command table, one row per (command, state).
const table: Record<'enter' | 'exit' | 'destroy', Row[]> = {
  enter: [
    { state: 'idle', result: 'resolved', then: 'inRoom', calls: ['enterRoom#1'] },
    { state: 'entering', result: 'INVALID_STATE', then: 'entering', calls: [] },
    { state: 'inRoom', result: 'INVALID_STATE', then: 'inRoom', calls: [] },
    { state: 'exiting', result: 'INVALID_STATE', then: 'exiting', calls: [] },
    { state: 'kicked', result: 'resolved', then: 'inRoom', calls: ['enterRoom#1'] },
    { state: 'destroyed', result: 'DESTROYED', then: 'destroyed', calls: [] },
  ],
  exit: [
    { state: 'idle', result: 'resolved', then: 'idle', calls: [] },
    // The enter in flight never settles: the bound ends it, the wedged instance is replaced.
    { state: 'entering', result: 'resolved', then: 'idle', calls: ['destroy#1'] },
    { state: 'inRoom', result: 'resolved', then: 'idle', calls: ['exitRoom#1'] },
    // The exit in flight never settles: the bound ends it, and both exit() calls report it.
    { state: 'exiting', result: 'EXIT_TIMEOUT', then: 'idle', calls: ['destroy#1'] },
    { state: 'kicked', result: 'resolved', then: 'kicked', calls: [] },
    { state: 'destroyed', result: 'DESTROYED', then: 'destroyed', calls: [] },
  ],
  destroy: [
    { state: 'idle', result: 'resolved', then: 'destroyed', calls: ['destroy#1'] },
    { state: 'entering', result: 'resolved', then: 'destroyed', calls: ['destroy#1'] },
    { state: 'inRoom', result: 'resolved', then: 'destroyed', calls: ['exitRoom#1', 'destroy#1'] },
    { state: 'exiting', result: 'resolved', then: 'destroyed', calls: ['destroy#1'] },
    { state: 'kicked', result: 'resolved', then: 'destroyed', calls: ['destroy#1'] },
    { state: 'destroyed', result: 'resolved', then: 'destroyed', calls: [] },
  ],
};

describe('command table (design.md), over the simulator', () => {
  for (const [command, rows] of Object.entries(table) as Array<[keyof typeof table, Row[]]>) {
    describe(`${command}()`, () => {
      it.each(rows)(`in $state: $result, ends $then, SDK calls $calls`, async (row) => {
        const harness = createHarness();
        await reach(harness, row.state);
        expect(stateOf(harness.room)).toBe(row.state);
        const mark = lastSeq(harness);

        const promise = command === 'enter' ? harness.room.enter(enterConfig()) : harness.room[command]();
        const settled = await promise.then(
          () => 'resolved',
          (error: { code: string }) => error.code,
        );
        expect(settled).toBe(row.result);
        expect(stateOf(harness.room)).toBe(row.then);
        expect(callsSince(harness, mark)).toEqual(row.calls);
        await Promise.all(harness.pending);
        expect(harness.recorder.violations()).toEqual([]);
      });
    });
  }
});

describe('commands racing an enter', () => {
  it('exit() while the enter is in flight waits, then leaves; enter() rejects CANCELLED', async () => {
    const harness = createHarness();
    const entering = harness.room.enter(enterConfig());
    const exiting = harness.room.exit();
    expect(stateOf(harness.room)).toBe('entering');

    await expect(entering).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(exiting).resolves.toBeUndefined();
    expect(stateOf(harness.room)).toBe('idle');
    expect(callsSince(harness, 0)).toEqual(['enterRoom#1', 'exitRoom#1']);
    expect(harness.recorder.violations()).toEqual([]);
  });

  it('destroy() while the enter is wedged ends it at once: enter() rejects DESTROYED', async () => {
    const harness = createHarness({ enterTimeoutMs: 60_000 });
    harness.client().injectFault('enterRoom', { kind: 'hang' });
    const entering = harness.room.enter(enterConfig());
    await expect(outcome(entering)).resolves.toBe('pending');

    await harness.room.destroy();
    await expect(entering).rejects.toMatchObject({ code: 'DESTROYED' });
    expect(harness.client().state).toBe('destroyed');
  });

  it('kicked while entering: enter() rejects KICKED with the reason', async () => {
    const harness = createHarness();
    const entering = harness.room.enter(enterConfig());
    // The SDK says kicked-out before its enterRoom promise has reached the controller.
    harness.recorder.fireLate(1, 'kicked-out', { reason: 'room-disband' });
    await expect(entering).rejects.toMatchObject({ code: 'KICKED', kickReason: 'room_disband' });
    expect(harness.room.getSnapshot().context.kickReason).toBe('room_disband');
  });

  it('a plain instance that wedges leaves the controller destroyed with the error', async () => {
    const harness = createHarness({ factory: false });
    harness.client().injectFault('enterRoom', { kind: 'hang' });
    await expect(harness.room.enter(enterConfig())).rejects.toMatchObject({ code: 'ENTER_TIMEOUT' });
    expect(stateOf(harness.room)).toBe('destroyed');
    expect(harness.room.getSnapshot().context.error?.code).toBe('ENTER_TIMEOUT');
    await expect(harness.room.enter(enterConfig())).rejects.toMatchObject({ code: 'DESTROYED' });
  });

  it('a factory replaces a wedged instance, and the next enter() uses the fresh one', async () => {
    const harness = createHarness();
    harness.client().injectFault('enterRoom', { kind: 'hang' });
    await expect(harness.room.enter(enterConfig())).rejects.toMatchObject({ code: 'ENTER_TIMEOUT' });
    expect(harness.clients).toHaveLength(2);
    expect(harness.clients[0]?.state).toBe('destroyed');

    await harness.room.enter(enterConfig());
    expect(harness.client().state).toBe('inRoom');
    expect(harness.room.getSnapshot().context.instance).toBe(2);
    expect(harness.recorder.violations()).toEqual([]);
  });
});

describe('local media commands end with their device', () => {
  it('an update in flight when the browser ends the screen share settles, and the next command runs', async () => {
    const harness = createHarness();
    await harness.room.startScreenShare();
    harness.client().injectFault('updateScreenShare', { kind: 'hang' });
    const updating = harness.room.updateScreenShare({ option: { profile: '1080p' } });
    await harness.cloud.flush();
    harness.client().endScreenShareByBrowser();
    expect(await outcome(updating)).toBe('CANCELLED');
    await harness.room.startScreenShare();
    expect(harness.room.view().local.screen).toBe('on');
    await harness.room.destroy();
  });

  it('a stop queued behind a start that waits on a prompt has settled once destroy() resolves', async () => {
    const harness = createHarness();
    harness.client().injectFault('startLocalAudio', { kind: 'hang' });
    const ends: string[] = [];
    const watch = (promise: Promise<void>) => promise.catch((error: { code: string }) => ends.push(error.code));
    const commands = [watch(harness.room.startLocalAudio()), watch(harness.room.stopLocalAudio())];
    await harness.cloud.flush();
    await harness.room.destroy();
    // Checked the moment destroy() resolves, not a tick later (invariant 11).
    expect(ends).toEqual(['DESTROYED', 'DESTROYED']);
    await Promise.all(commands);
  });
});
