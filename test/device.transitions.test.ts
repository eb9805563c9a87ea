import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createActor, fromCallback, fromPromise, setup } from 'xstate';
import type { EventObject } from 'xstate';
import { deviceMachine } from '../src/machines/device/device.machine.js';
import type { DeviceCallInput, DeviceContext, DeviceEvent, DeviceStatus } from '../src/machines/device/device.types.js';
import type { RoomErrorData } from '../src/errors.js';
import type { RoomEvent } from '../src/machines/room/room.types.js';
import { callsInFlight } from './support/calls-in-flight.js';

type StatusReport = Extract<RoomEvent, { type: 'device.status' }>;
type CallName = 'start' | 'stop' | 'update' | 'mute';


interface SdkError {
  code: number;
  extraCode: number;
  message: string;
}

const DENIED: SdkError = { code: 5300, extraCode: 5302, message: 'NotAllowedError: Permission denied' };
const BUSY: SdkError = { code: 5300, extraCode: 5303, message: 'NotReadableError: Could not start video source' };

/** The error the device keeps when `call` fails with `sdk`. */
const mediaFailed = (call: CallName, sdk: SdkError): RoomErrorData => ({
  code: 'MEDIA_FAILED',
  message: `camera: ${call} failed (SDK code ${sdk.code}/${sdk.extraCode}): ${sdk.message}`,
  sdkCode: sdk.code,
  sdkExtraCode: sdk.extraCode,
});

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A camera device run as the child of a parent that records its reports; every call is a deferred. */
function startCamera() {
  const { calls, call } = callsInFlight<CallName, DeviceCallInput>();
  const reports: Omit<StatusReport, 'type'>[] = [];
  let listeners = 0;

  const device = deviceMachine.provide({
    actors: {
      startDevice: fromPromise<void, DeviceCallInput>(({ input }) => call('start', input)),
      stopDevice: fromPromise<void, DeviceCallInput>(({ input }) => call('stop', input)),
      updateDevice: fromPromise<void, DeviceCallInput>(({ input }) => call(input.muted === undefined ? 'update' : 'mute', input)),
      deviceEvents: fromCallback<EventObject, DeviceCallInput, DeviceEvent>(() => {
        listeners += 1;
        return () => {
          listeners -= 1;
        };
      }),
    },
  });

  const parent = setup({
    types: { events: {} as StatusReport, children: {} as { device: 'device' } },
    actors: { device },
  }).createMachine({
    invoke: { id: 'device', src: 'device', input: { kind: 'camera' } },
    on: {
      'device.status': {
        actions: ({ event: { type: _type, ...report } }) => {
          reports.push(report);
        },
      },
    },
  });

  const actor = createActor(parent).start();
  onTestFinished(() => {
    actor.stop();
  });

  const child = () => {
    const ref = actor.getSnapshot().children.device;
    if (!ref) throw new Error('the device child is gone');
    return ref;
  };

  return {
    calls,
    reports,
    get listeners() {
      return listeners;
    },
    get value() {
      return child().getSnapshot().value;
    },
    get context(): DeviceContext {
      return child().getSnapshot().context;
    },
    send(event: DeviceEvent) {
      child().send(event);
    },
    inFlight(): CallName[] {
      return calls.filter((c) => !c.settled).map((c) => c.name);
    },
    async settle(name: CallName, outcome: 'resolve' | SdkError) {
      const pending = calls.filter((c) => c.name === name && !c.settled);
      expect(pending, `one ${name} call in flight`).toHaveLength(1);
      const [entry] = pending;
      if (outcome === 'resolve') entry?.resolve();
      else entry?.reject({ ...outcome });
      await flush();
    },
  };
}
type Camera = ReturnType<typeof startCamera>;

// ---------------------------------------------------------------------------------------------
// Source states. `starting` and `on.ready` are split by what the context carries.

type Value = 'off' | 'starting' | 'stopping' | 'failed' | { on: 'ready' | 'updating' | 'muting' };

const SOURCE = {
  off: 'off',
  starting: 'starting',
  'starting-with-stop-requested': 'starting',
  'on.ready': { on: 'ready' },
  'on.ready (muted)': { on: 'ready' },
  'on.updating': { on: 'updating' },
  'on.muting': { on: 'muting' },
  stopping: 'stopping',
  failed: 'failed',
} as const satisfies Record<string, Value>;
type Source = keyof typeof SOURCE;
const SOURCES = Object.keys(SOURCE) as Source[];

/** The call each source state waits on. */
const IN_FLIGHT: Record<Source, CallName | null> = {
  off: null,
  starting: 'start',
  'starting-with-stop-requested': 'start',
  'on.ready': null,
  'on.ready (muted)': null,
  'on.updating': 'update',
  'on.muting': 'mute',
  stopping: 'stop',
  failed: null,
};

const REACH: Record<Source, (camera: Camera) => Promise<void>> = {
  off: async () => {},
  starting: async (camera) => camera.send({ type: 'device.start' }),
  'starting-with-stop-requested': async (camera) => {
    await REACH.starting(camera);
    camera.send({ type: 'device.stop' });
  },
  'on.ready': async (camera) => {
    await REACH.starting(camera);
    await camera.settle('start', 'resolve');
  },
  'on.ready (muted)': async (camera) => {
    await REACH['on.muting'](camera);
    await camera.settle('mute', 'resolve');
  },
  'on.updating': async (camera) => {
    await REACH['on.ready'](camera);
    camera.send({ type: 'device.update' });
  },
  'on.muting': async (camera) => {
    await REACH['on.ready'](camera);
    camera.send({ type: 'device.mute', muted: true });
  },
  stopping: async (camera) => {
    await REACH['on.ready'](camera);
    camera.send({ type: 'device.stop' });
  },
  failed: async (camera) => {
    await REACH.starting(camera);
    await camera.settle('start', BUSY);
  },
};

// ---------------------------------------------------------------------------------------------
// Event kinds: the parent's commands, the browser ending the capture, and the calls settling.

const KINDS = [
  'device.start',
  'device.stop',
  'device.update',
  'device.mute true',
  'device.mute false',
  'device.release',
  'device.ended',
  'start resolves',
  'start rejects (denied)',
  'start rejects (busy)',
  'stop resolves',
  'stop rejects',
  'update resolves',
  'update rejects',
  'mute resolves',
  'mute rejects',
] as const;
type Kind = (typeof KINDS)[number];

/** The call a settling kind settles. */
const SETTLES: Partial<Record<Kind, CallName>> = {
  'start resolves': 'start',
  'start rejects (denied)': 'start',
  'start rejects (busy)': 'start',
  'stop resolves': 'stop',
  'stop rejects': 'stop',
  'update resolves': 'update',
  'update rejects': 'update',
  'mute resolves': 'mute',
  'mute rejects': 'mute',
};

const send = (event: DeviceEvent) => async (camera: Camera) => camera.send(event);
const HAPPEN: Record<Kind, (camera: Camera) => Promise<void>> = {
  'device.start': send({ type: 'device.start' }),
  'device.stop': send({ type: 'device.stop' }),
  'device.update': send({ type: 'device.update' }),
  'device.mute true': send({ type: 'device.mute', muted: true }),
  'device.mute false': send({ type: 'device.mute', muted: false }),
  'device.release': send({ type: 'device.release' }),
  'device.ended': send({ type: 'device.ended' }),
  'start resolves': (camera) => camera.settle('start', 'resolve'),
  'start rejects (denied)': (camera) => camera.settle('start', DENIED),
  'start rejects (busy)': (camera) => camera.settle('start', BUSY),
  'stop resolves': (camera) => camera.settle('stop', 'resolve'),
  'stop rejects': (camera) => camera.settle('stop', BUSY),
  'update resolves': (camera) => camera.settle('update', 'resolve'),
  'update rejects': (camera) => camera.settle('update', BUSY),
  'mute resolves': (camera) => camera.settle('mute', 'resolve'),
  'mute rejects': (camera) => camera.settle('mute', BUSY),
};

// ---------------------------------------------------------------------------------------------
// The table. A row either moves (target, calls made, context changes, statuses reported to the
// parent) or is ignored: same state, no call, no change, no report.

type Changes = Partial<Pick<DeviceContext, 'muted' | 'error' | 'stopAfterStart'>>;
type Row =
  | { from: Source; on: Kind; ignored: string }
  | { from: Source; on: Kind; to: Value; calls?: CallName[]; changes?: Changes; reports?: DeviceStatus[] };

const ignored = (from: Source, on: Kind, why: string): Row => ({ from, on, ignored: why });

/** Every call of this camera is made with its kind; mute calls add the wanted state. */
const INPUT: Record<CallName, (from: Source, on: Kind) => DeviceCallInput> = {
  start: () => ({ kind: 'camera' }),
  stop: () => ({ kind: 'camera' }),
  update: () => ({ kind: 'camera' }),
  mute: (_, on) => ({ kind: 'camera', muted: on === 'device.mute true' }),
};

const ROWS: Row[] = [
  // off
  { from: 'off', on: 'device.start', to: 'starting', calls: ['start'], reports: ['starting'] },
  ignored('off', 'device.stop', 'already off'),
  ignored('off', 'device.update', 'nothing to update'),
  ignored('off', 'device.mute true', 'mute applies to a running device only'),
  ignored('off', 'device.mute false', 'mute applies to a running device only'),
  ignored('off', 'device.release', 'nothing to release'),
  ignored('off', 'device.ended', 'nothing is capturing'),

  // starting
  ignored('starting', 'device.start', 'already starting'),
  { from: 'starting', on: 'device.stop', to: 'starting', changes: { stopAfterStart: true } },
  ignored('starting', 'device.update', 'dropped: not on yet'),
  ignored('starting', 'device.mute true', 'dropped: not on yet'),
  ignored('starting', 'device.mute false', 'dropped: not on yet'),
  { from: 'starting', on: 'device.release', to: 'starting', changes: { stopAfterStart: true } },
  ignored('starting', 'device.ended', 'not capturing yet'),
  { from: 'starting', on: 'start resolves', to: { on: 'ready' }, reports: ['on'] },
  { from: 'starting', on: 'start rejects (denied)', to: 'failed', changes: { error: mediaFailed('start', DENIED) }, reports: ['failed'] },
  { from: 'starting', on: 'start rejects (busy)', to: 'failed', changes: { error: mediaFailed('start', BUSY) }, reports: ['failed'] },

  // starting, a stop requested
  ignored('starting-with-stop-requested', 'device.start', 'the requested stop wins: it still stops once started'),
  ignored('starting-with-stop-requested', 'device.stop', 'stop already requested'),
  ignored('starting-with-stop-requested', 'device.update', 'dropped: not on yet'),
  ignored('starting-with-stop-requested', 'device.mute true', 'dropped: not on yet'),
  ignored('starting-with-stop-requested', 'device.mute false', 'dropped: not on yet'),
  ignored('starting-with-stop-requested', 'device.release', 'stop already requested'),
  ignored('starting-with-stop-requested', 'device.ended', 'not capturing yet'),
  { from: 'starting-with-stop-requested', on: 'start resolves', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  {
    from: 'starting-with-stop-requested',
    on: 'start rejects (denied)',
    to: 'failed',
    changes: { error: mediaFailed('start', DENIED) },
    reports: ['failed'],
  },
  {
    from: 'starting-with-stop-requested',
    on: 'start rejects (busy)',
    to: 'failed',
    changes: { error: mediaFailed('start', BUSY) },
    reports: ['failed'],
  },

  // on.ready
  ignored('on.ready', 'device.start', 'already on'),
  { from: 'on.ready', on: 'device.stop', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  { from: 'on.ready', on: 'device.update', to: { on: 'updating' }, calls: ['update'] },
  { from: 'on.ready', on: 'device.mute true', to: { on: 'muting' }, calls: ['mute'] },
  ignored('on.ready', 'device.mute false', 'already unmuted'),
  { from: 'on.ready', on: 'device.release', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  { from: 'on.ready', on: 'device.ended', to: 'off', reports: ['off'] },

  // on.ready, muted
  ignored('on.ready (muted)', 'device.start', 'already on'),
  { from: 'on.ready (muted)', on: 'device.stop', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  { from: 'on.ready (muted)', on: 'device.update', to: { on: 'updating' }, calls: ['update'] },
  ignored('on.ready (muted)', 'device.mute true', 'already muted'),
  { from: 'on.ready (muted)', on: 'device.mute false', to: { on: 'muting' }, calls: ['mute'] },
  { from: 'on.ready (muted)', on: 'device.release', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  { from: 'on.ready (muted)', on: 'device.ended', to: 'off', changes: { muted: false }, reports: ['off'] },

  // on.updating
  ignored('on.updating', 'device.start', 'already on'),
  { from: 'on.updating', on: 'device.stop', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  ignored('on.updating', 'device.update', 'dropped: an update is in flight'),
  ignored('on.updating', 'device.mute true', 'dropped: an update is in flight'),
  ignored('on.updating', 'device.mute false', 'dropped: an update is in flight'),
  { from: 'on.updating', on: 'device.release', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  { from: 'on.updating', on: 'device.ended', to: 'off', reports: ['off'] },
  { from: 'on.updating', on: 'update resolves', to: { on: 'ready' }, reports: ['on'] },
  { from: 'on.updating', on: 'update rejects', to: { on: 'ready' }, changes: { error: mediaFailed('update', BUSY) }, reports: ['on'] },

  // on.muting (muting)
  ignored('on.muting', 'device.start', 'already on'),
  { from: 'on.muting', on: 'device.stop', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  ignored('on.muting', 'device.update', 'dropped: a mute is in flight'),
  ignored('on.muting', 'device.mute true', 'the same mute is in flight'),
  ignored('on.muting', 'device.mute false', 'dropped: a mute is in flight'),
  { from: 'on.muting', on: 'device.release', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  { from: 'on.muting', on: 'device.ended', to: 'off', reports: ['off'] },
  { from: 'on.muting', on: 'mute resolves', to: { on: 'ready' }, changes: { muted: true }, reports: ['on'] },
  { from: 'on.muting', on: 'mute rejects', to: { on: 'ready' }, changes: { error: mediaFailed('mute', BUSY) }, reports: ['on'] },

  // stopping
  ignored('stopping', 'device.start', 'dropped: the stop is in flight'),
  ignored('stopping', 'device.stop', 'already stopping'),
  ignored('stopping', 'device.update', 'stopping'),
  ignored('stopping', 'device.mute true', 'stopping'),
  ignored('stopping', 'device.mute false', 'stopping'),
  ignored('stopping', 'device.release', 'already stopping'),
  ignored('stopping', 'device.ended', 'the stop is in flight'),
  { from: 'stopping', on: 'stop resolves', to: 'off', reports: ['off'] },
  { from: 'stopping', on: 'stop rejects', to: 'failed', changes: { error: mediaFailed('stop', BUSY) }, reports: ['failed'] },

  // failed (a start failed)
  { from: 'failed', on: 'device.start', to: 'starting', calls: ['start'], changes: { error: null }, reports: ['starting'] },
  // A failed stop may have left capture running: stop again (harmless if it never started).
  { from: 'failed', on: 'device.stop', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  ignored('failed', 'device.update', 'not running'),
  ignored('failed', 'device.mute true', 'not running'),
  ignored('failed', 'device.mute false', 'not running'),
  { from: 'failed', on: 'device.release', to: 'stopping', calls: ['stop'], reports: ['stopping'] },
  ignored('failed', 'device.ended', 'not running'),
];

const isOn = (value: unknown) => typeof value === 'object' && value !== null && 'on' in value;

function changesOf(before: DeviceContext, after: DeviceContext): Changes {
  const changes: Record<string, unknown> = {};
  for (const key of ['kind', 'muted', 'error', 'stopAfterStart'] as const) {
    if (!isDeepStrictEqual(before[key], after[key])) changes[key] = after[key];
  }
  return changes;
}

describe('device machine: transition table', () => {
  it('covers every source state × event kind once; settling a call not in flight has no row', () => {
    for (const from of SOURCES) {
      for (const on of KINDS) {
        const rows = ROWS.filter((row) => row.from === from && row.on === on);
        const call = SETTLES[on];
        const applicable = call === undefined || IN_FLIGHT[from] === call;
        expect(rows, `${from} × ${on}`).toHaveLength(applicable ? 1 : 0);
      }
    }
    expect(ROWS).toHaveLength(75);
  });

  it.each(SOURCES)('%s is reached with exactly its own call in flight', async (from) => {
    const camera = startCamera();
    await REACH[from](camera);
    expect(camera.value).toEqual(SOURCE[from]);
    const call = IN_FLIGHT[from];
    expect(camera.inFlight()).toEqual(call === null ? [] : [call]);
    expect(camera.context.stopAfterStart).toBe(from === 'starting-with-stop-requested');
    expect(camera.context.muted).toBe(from === 'on.ready (muted)');
  });

  it.each(ROWS)('$from + $on', async (row) => {
    const camera = startCamera();
    await REACH[row.from](camera);
    const before = camera.context;
    const [callsBefore, reportsBefore] = [camera.calls.length, camera.reports.length];

    await HAPPEN[row.on](camera);

    const after = camera.context;
    const calls = camera.calls.slice(callsBefore).map(({ name, input }) => ({ name, input }));
    const reports = camera.reports.slice(reportsBefore);
    if ('ignored' in row) {
      expect(camera.value).toEqual(SOURCE[row.from]);
      expect(calls).toEqual([]);
      expect(changesOf(before, after)).toEqual({});
      expect(reports).toEqual([]);
    } else {
      expect(camera.value).toEqual(row.to);
      expect(calls).toEqual((row.calls ?? []).map((name) => ({ name, input: INPUT[name](row.from, row.on) })));
      expect(changesOf(before, after)).toEqual(row.changes ?? {});
      expect(reports.map((r) => r.status)).toEqual(row.reports ?? []);
      const last = reports.at(-1);
      if (last) expect(last).toEqual({ kind: 'camera', status: last.status, muted: after.muted, error: after.error });
    }
    // The capture's own events are listened to only while on.
    expect(camera.listeners).toBe(isOn(camera.value) ? 1 : 0);
  });
});

describe('device machine: reports to the parent', () => {
  it('reports off at once, then each status of a start, a mute and a stop', async () => {
    const camera = startCamera();
    expect(camera.reports).toEqual([{ kind: 'camera', status: 'off', muted: false, error: null }]);
    camera.send({ type: 'device.start' });
    await camera.settle('start', 'resolve');
    camera.send({ type: 'device.mute', muted: true });
    await camera.settle('mute', 'resolve');
    camera.send({ type: 'device.stop' });
    await camera.settle('stop', 'resolve');
    expect(camera.reports.map(({ status, muted }) => [status, muted])).toEqual([
      ['off', false],
      ['starting', false],
      ['on', false],
      ['on', true],
      ['stopping', true],
      ['off', false],
    ]);
  });

  it('reports a denied start with the SDK codes, and a restart clears it', async () => {
    const camera = startCamera();
    camera.send({ type: 'device.start' });
    await camera.settle('start', DENIED);
    expect(camera.reports.at(-1)).toEqual({ kind: 'camera', status: 'failed', muted: false, error: mediaFailed('start', DENIED) });
    expect(camera.context.error).toMatchObject({ code: 'MEDIA_FAILED', sdkCode: 5300, sdkExtraCode: 5302 });

    camera.send({ type: 'device.start' });
    expect(camera.reports.at(-1)).toEqual({ kind: 'camera', status: 'starting', muted: false, error: null });
  });

  it('reports a failed update while the device stays on, and clears it after a successful one', async () => {
    const camera = startCamera();
    await REACH['on.updating'](camera);
    await camera.settle('update', BUSY);
    expect(camera.reports.at(-1)).toEqual({ kind: 'camera', status: 'on', muted: false, error: mediaFailed('update', BUSY) });
    camera.send({ type: 'device.update' });
    await camera.settle('update', 'resolve');
    expect(camera.value).toEqual({ on: 'ready' });
    expect(camera.reports.at(-1)).toEqual({ kind: 'camera', status: 'on', muted: false, error: null });
  });

  it('keeps the last failure of a device that is stopped after failing', async () => {
    const camera = startCamera();
    await REACH.failed(camera);
    camera.send({ type: 'device.stop' });
    await camera.settle('stop', 'resolve');
    expect(camera.reports.at(-1)).toEqual({ kind: 'camera', status: 'off', muted: false, error: mediaFailed('start', BUSY) });
  });
});

describe('device machine: calls that settle after their state is left', () => {
  it('ignores an update that resolves after a stop', async () => {
    const camera = startCamera();
    await REACH['on.updating'](camera);
    camera.send({ type: 'device.stop' });
    const reports = camera.reports.length;
    camera.calls.find((c) => c.name === 'update')?.resolve();
    await flush();
    expect(camera.value).toBe('stopping');
    expect(camera.reports).toHaveLength(reports);
  });

  it('ignores a mute that resolves after the capture ended', async () => {
    const camera = startCamera();
    await REACH['on.muting'](camera);
    camera.send({ type: 'device.ended' });
    camera.calls.find((c) => c.name === 'mute')?.resolve();
    await flush();
    expect(camera.value).toBe('off');
    expect(camera.context.muted).toBe(false);
  });

  it('stops a stop-requested start without ever listening to the capture', async () => {
    const camera = startCamera();
    await REACH['starting-with-stop-requested'](camera);
    await camera.settle('start', 'resolve');
    expect(camera.listeners).toBe(0);
    await camera.settle('stop', 'resolve');
    expect(camera.value).toBe('off');
    expect(camera.reports.map((r) => r.status)).toEqual(['off', 'starting', 'stopping', 'off']);
    expect(camera.calls.map((c) => c.name)).toEqual(['start', 'stop']);
  });
});

describe('device machine: the instance is lost', () => {
  it.each(SOURCES)('from %s: off at once, with no call', async (from) => {
    const camera = startCamera();
    await REACH[from](camera);
    const calls = camera.calls.length;
    camera.send({ type: 'device.lost' });
    expect(camera.value).toBe('off');
    expect(camera.calls).toHaveLength(calls);
    expect(camera.reports.at(-1)).toMatchObject({ status: 'off', muted: false });
  });
});
