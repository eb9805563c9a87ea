import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createActor, fromCallback, fromPromise } from 'xstate';
import type { EventObject } from 'xstate';
import { stateOf } from '../src/controller.js';
import type { RoomSnapshot } from '../src/controller.js';
import type { RoomErrorCode } from '../src/errors.js';
import { deviceMachine } from '../src/machines/device/device.machine.js';
import { DEVICE_KINDS } from '../src/machines/device/device.types.js';
import type { DeviceCallInput, DeviceKind, DeviceReport } from '../src/machines/device/device.types.js';
import { roomMachine } from '../src/machines/room/room.machine.js';
import { SDK_SWITCH_TIMEOUT_MS } from '../src/machines/room/room.setup.js';
import type { SdkEventsInput } from '../src/machines/room/room.setup.js';
import type {
  EnterRoomInput,
  NetworkQuality,
  RemoteCall,
  RemoteCallInput,
  RemoteChange,
  RoomContext,
  RoomEmitted,
  RoomEmittedType,
  RoomEvent,
  RoomTarget,
  SdkEvent,
  SwitchRoleInput,
  SwitchRoomInput,
  UserRole,
} from '../src/machines/room/room.types.js';
import { callsInFlight } from './support/calls-in-flight.js';

const ENTER_MS = 1000;
const EXIT_MS = 500;
const GRACE_MS = 100;
const target: RoomTarget = { sdkAppId: 1400000000, userId: 'alice', roomId: 8888 };
const liveAudience: RoomTarget = { ...target, scene: 'live', role: 'audience' };
const otherRoom = { roomId: 9999 };
const network: NetworkQuality = { uplink: 1, downlink: 2, uplinkRTT: 30, downlinkRTT: 40, uplinkLoss: 0, downlinkLoss: 3 };
const newcomer: RemoteChange = { kind: 'enter', userId: 'bob' };
const playing: RemoteChange = { kind: 'subscription', userId: 'bob', streamType: 'main', playing: true };

type LifecycleCall = 'enterRoom' | 'exitRoom' | 'switchRole' | 'switchRoom';
/** The calls `callInFlight` tracks: they may outlive the state that made them. */
type TrackedCall = Exclude<LifecycleCall, 'exitRoom'>;
type DeviceCallName = 'startDevice' | 'stopDevice' | 'updateDevice';
type CallName = LifecycleCall | DeviceCallName | 'remoteCall';
type DeviceCall = `${DeviceCallName}(${DeviceKind})` | `updateDevice(${DeviceKind}, muted: ${boolean})`;
/** Calls out of the machine: the SDK's (through actors and actions) and the controller's roster. */
type Call = LifecycleCall | DeviceCall | RemoteCall | 'destroyInstance' | 'renewInstance' | 'clearRoster' | 'applyRemoteChange';

type Settled = Extract<RoomEmittedType, `${string}.settled`>;
/** An emitted event as the table shows it: a command's outcome with its error code, or `ok`. */
type Emitted = Exclude<RoomEmittedType, Settled> | `${Settled} ${RoomErrorCode | 'ok'}`;

function shown(event: RoomEmitted): Emitted {
  if (!event.type.endsWith('.settled') || !('error' in event)) return event.type as Emitted;
  return `${event.type as Settled} ${event.error?.code ?? 'ok'}`;
}

/** What a row needs before its source state is reached. */
interface Setup {
  target: RoomTarget;
  /** The camera is started (and on) in idle, before anything else, and again after a session ended. */
  cameraOn: boolean;
  /** The SDK reports blocked autoplay while entering. */
  autoplayBlocked: boolean;
  /** A remote call is made in idle, before anything else, and left in flight. */
  remoteCall: RemoteCall | null;
}
const PLAIN_SETUP: Setup = { target, cameraOn: false, autoplayBlocked: false, remoteCall: null };

/** The room machine with every SDK-facing actor and action replaced by one the test controls. */
function startRoom(canRenewInstance: boolean, setup: Setup = PLAIN_SETUP) {
  const log: Call[] = [];
  const inFlight = callsInFlight<CallName, unknown>();
  const { calls } = inFlight;
  const emitted: Emitted[] = [];
  /** The SDK listeners running, by whether each feeds the roster. */
  const listeners: boolean[] = [];
  /** Whether listening says it started (`sdk.listening`) as the adapter does, or keeps quiet. */
  let confirmsListening = true;

  const call = (name: CallName, logged: Call, input: unknown, signal?: AbortSignal) => {
    log.push(logged);
    return inFlight.call(name, input, signal);
  };
  const logging = (name: Call) =>
    vi.fn(() => {
      log.push(name);
    });
  const destroyInstance = logging('destroyInstance');
  const renewInstance = logging('renewInstance');
  const clearRoster = logging('clearRoster');
  const applyRemoteChange = logging('applyRemoteChange');

  const device = deviceMachine.provide({
    actors: {
      startDevice: fromPromise<void, DeviceCallInput>(({ input }) => call('startDevice', `startDevice(${input.kind})`, input)),
      stopDevice: fromPromise<void, DeviceCallInput>(({ input }) => call('stopDevice', `stopDevice(${input.kind})`, input)),
      updateDevice: fromPromise<void, DeviceCallInput>(({ input }) =>
        call(
          'updateDevice',
          input.muted === undefined ? `updateDevice(${input.kind})` : `updateDevice(${input.kind}, muted: ${input.muted})`,
          input,
        ),
      ),
    },
  });
  const machine = roomMachine.provide({
    actors: {
      enterRoom: fromPromise<void, EnterRoomInput>(({ input, signal }) => call('enterRoom', 'enterRoom', input, signal)),
      exitRoom: fromPromise<void>(({ signal }) => call('exitRoom', 'exitRoom', undefined, signal)),
      switchRole: fromPromise<UserRole, SwitchRoleInput>(({ input, signal }) =>
        call('switchRole', 'switchRole', input, signal).then(() => input.role),
      ),
      switchRoom: fromPromise<SwitchRoomInput['room'], SwitchRoomInput>(({ input, signal }) =>
        call('switchRoom', 'switchRoom', input, signal).then(() => input.room),
      ),
      sdkEvents: fromCallback<EventObject, SdkEventsInput, SdkEvent>(({ input, sendBack }) => {
        listeners.push(input.roster);
        if (confirmsListening) sendBack({ type: 'sdk.listening' });
        return () => {
          listeners.splice(listeners.indexOf(input.roster), 1);
        };
      }),
      remoteCall: fromCallback<EventObject, RemoteCallInput>(({ input, sendBack }) => {
        const stopped = new AbortController();
        const answer = (error: unknown) => sendBack({ type: 'remote.done', ...input, error });
        call('remoteCall', input.call, input, stopped.signal).then(() => answer(null), answer);
        return () => stopped.abort();
      }),
      localDevice: device,
    },
    actions: { destroyInstance, renewInstance, clearRoster, applyRemoteChange },
  });
  const actor = createActor(machine, { input: { enterTimeoutMs: ENTER_MS, exitTimeoutMs: EXIT_MS, reconnectGraceMs: GRACE_MS, canRenewInstance } });
  actor.on('*', (event) => emitted.push(shown(event)));
  actor.start();
  onTestFinished(() => {
    actor.stop();
  });

  /** The oldest call among `names` the SDK has not answered and the machine still awaits an answer to. */
  const pending = (names: readonly CallName[]) => calls.find((c) => names.includes(c.name) && !c.settled && !c.stopped);
  return {
    actor,
    setup,
    log,
    calls,
    emitted,
    destroyInstance,
    renewInstance,
    clearRoster,
    get listeners() {
      return [...listeners];
    },
    send(event: RoomEvent) {
      actor.send(event);
    },
    /** From now on, listening starts without saying so: the machine waits for `sdk.listening`. */
    holdListening() {
      confirmsListening = false;
    },
    pending,
    /** Settles the oldest call in flight among `names`, if any. */
    async settle(names: readonly CallName[], outcome: 'resolve' | 'reject') {
      const inFlight = pending(names);
      if (outcome === 'resolve') inFlight?.resolve();
      else inFlight?.reject(new Error(`${inFlight?.name} refused`));
      await vi.advanceTimersByTimeAsync(0);
    },
    /** Lets `ms` pass, checking that nothing happens one millisecond before. */
    async elapse(ms: number) {
      const before = actor.getSnapshot().value;
      await vi.advanceTimersByTimeAsync(ms - 1);
      expect(actor.getSnapshot().value).toEqual(before);
      await vi.advanceTimersByTimeAsync(1);
    },
  };
}
type Room = ReturnType<typeof startRoom>;

/** The state as a dotted path: `inRoom.active`, `exiting.leaving.calling`, `idle`. */
function leafOf(snapshot: RoomSnapshot): string {
  const path: string[] = [];
  let value: unknown = snapshot.value;
  while (typeof value === 'object' && value !== null) {
    const [key, child] = Object.entries(value)[0] ?? [];
    if (key === undefined) break;
    path.push(key);
    value = child;
  }
  if (typeof value === 'string') path.push(value);
  return path.join('.');
}

/** Starts a device outside a room (a preview) and lets the start succeed. */
async function turnOn(room: Room, device: DeviceKind) {
  room.send({ type: 'media.start', device, publish: false });
  await room.settle(['startDevice'], 'resolve');
}

/** The session that released the camera is over: its stop completes, and the camera is started again. */
async function cameraBackOn(room: Room) {
  if (!room.setup.cameraOn) return;
  await room.settle(['stopDevice'], 'resolve');
  await turnOn(room, 'camera');
}

const sdkCalls = (room: Room) => room.log.filter((c) => c !== 'clearRoster' && c !== 'applyRemoteChange');

// ---------------------------------------------------------------------------------------------
// Source states: the machine's states, split by the request they carry and the call they have in
// flight, since the same event leads elsewhere with it.

type Leaf =
  | 'idle'
  | 'entering.subscribing'
  | 'entering.waitingForCall'
  | 'entering.calling'
  | 'inRoom.active'
  | 'inRoom.switchingRole'
  | 'inRoom.switchingRoom'
  | 'exiting.leaving.waitingForCall'
  | 'exiting.leaving.calling'
  | 'exiting.leaving.retrying'
  | 'exiting.releasing'
  | 'kicked'
  | 'destroyed';

const SOURCE_STATE = {
  idle: 'idle',
  'idle, a switch in flight (failed rejoin)': 'idle',
  entering: 'entering.calling',
  'entering, exit requested': 'entering.calling',
  'entering.subscribing': 'entering.subscribing',
  'entering.waitingForCall': 'entering.waitingForCall',
  'entering.waitingForCall, an earlier enter in flight': 'entering.waitingForCall',
  'inRoom.active': 'inRoom.active',
  'inRoom.switchingRole': 'inRoom.switchingRole',
  'inRoom.switchingRole, exit requested': 'inRoom.switchingRole',
  'inRoom.switchingRoom': 'inRoom.switchingRoom',
  'exiting.leaving.waitingForCall': 'exiting.leaving.waitingForCall',
  'exiting.leaving.calling': 'exiting.leaving.calling',
  'exiting.leaving.calling, destroy requested': 'exiting.leaving.calling',
  'exiting.leaving.retrying': 'exiting.leaving.retrying',
  'exiting.releasing, a device stopping': 'exiting.releasing',
  'exiting.releasing, an enter past its bound': 'exiting.releasing',
  kicked: 'kicked',
  'kicked, a switch in flight': 'kicked',
  'kicked, an enter in flight': 'kicked',
  destroyed: 'destroyed',
} as const satisfies Record<string, Leaf>;
type Source = keyof typeof SOURCE_STATE;
const SOURCES = Object.keys(SOURCE_STATE) as Source[];

/** States the machine never rests in, so no event can find it there. */
const TRANSIENT = { 'exiting.done': 'eventless: it leaves as soon as it is entered' };

/** The call each source left in flight without waiting for it (`callInFlight`): its answer is an abandoned call's. */
const ABANDONS: Partial<Record<Source, TrackedCall>> = {
  'idle, a switch in flight (failed rejoin)': 'switchRole',
  'entering.waitingForCall': 'switchRole',
  'entering.waitingForCall, an earlier enter in flight': 'enterRoom',
  'exiting.leaving.waitingForCall': 'switchRole',
  'exiting.releasing, an enter past its bound': 'enterRoom',
  'kicked, a switch in flight': 'switchRole',
  'kicked, an enter in flight': 'enterRoom',
};

const REACH: Record<Source, (room: Room) => Promise<void>> = {
  idle: async () => {},
  'idle, a switch in flight (failed rejoin)': async (room) => {
    await REACH['inRoom.switchingRole'](room);
    room.send({ type: 'sdk.error', error: { code: 5400, message: 'rejoin failed' } });
    await cameraBackOn(room);
  },
  entering: async (room) => {
    room.send({ type: 'room.enter', target: room.setup.target });
    if (room.setup.autoplayBlocked) room.send({ type: 'sdk.autoplayFailed' });
  },
  'entering, exit requested': async (room) => {
    await REACH.entering(room);
    room.send({ type: 'room.exit' });
  },
  // The instance has not said yet whether it took every listener.
  'entering.subscribing': async (room) => {
    room.holdListening();
    await REACH.entering(room);
  },
  'entering.waitingForCall': async (room) => {
    await REACH['kicked, a switch in flight'](room);
    await REACH.entering(room);
    await cameraBackOn(room);
  },
  'entering.waitingForCall, an earlier enter in flight': async (room) => {
    await REACH['kicked, an enter in flight'](room);
    await REACH.entering(room);
    await cameraBackOn(room);
  },
  'inRoom.active': async (room) => {
    await REACH.entering(room);
    await room.settle(['enterRoom'], 'resolve');
  },
  'inRoom.switchingRole': async (room) => {
    await REACH['inRoom.active'](room);
    room.send({ type: 'room.switchRole', role: 'audience' });
  },
  'inRoom.switchingRole, exit requested': async (room) => {
    await REACH['inRoom.switchingRole'](room);
    room.send({ type: 'room.exit' });
  },
  'inRoom.switchingRoom': async (room) => {
    await REACH['inRoom.active'](room);
    room.send({ type: 'room.switchRoom', room: otherRoom });
  },
  'exiting.leaving.waitingForCall': async (room) => {
    await REACH['inRoom.switchingRole'](room);
    await room.elapse(ENTER_MS);
  },
  'exiting.leaving.calling': async (room) => {
    await REACH['inRoom.active'](room);
    room.send({ type: 'room.exit' });
  },
  'exiting.leaving.calling, destroy requested': async (room) => {
    await REACH['inRoom.active'](room);
    room.send({ type: 'room.destroy' });
  },
  'exiting.leaving.retrying': async (room) => {
    await REACH['exiting.leaving.calling'](room);
    await room.settle(['exitRoom'], 'reject');
  },
  'exiting.releasing, a device stopping': async (room) => {
    await REACH['inRoom.active'](room);
    await turnOn(room, 'microphone');
    room.send({ type: 'room.exit' });
    await room.settle(['exitRoom'], 'resolve');
  },
  // With a device on, the wedged instance is kept until the device has stopped.
  'exiting.releasing, an enter past its bound': async (room) => {
    await turnOn(room, 'microphone');
    await REACH.entering(room);
    await room.elapse(ENTER_MS);
  },
  kicked: async (room) => {
    await REACH['inRoom.active'](room);
    room.send({ type: 'sdk.kickedOut', reason: 'kick' });
  },
  'kicked, a switch in flight': async (room) => {
    await REACH['inRoom.switchingRole'](room);
    room.send({ type: 'sdk.kickedOut', reason: 'kick' });
  },
  'kicked, an enter in flight': async (room) => {
    await REACH.entering(room);
    room.send({ type: 'sdk.kickedOut', reason: 'kick' });
  },
  destroyed: async (room) => {
    room.send({ type: 'room.destroy' });
    // With a device on, destroy waits for it to stop.
    await room.settle(['stopDevice'], 'resolve');
  },
};

// ---------------------------------------------------------------------------------------------
// Event kinds: what the user, the SDK, the devices, the calls in flight and time can do.

const KINDS = [
  'room.enter',
  'room.enter, a duplicate refused',
  'room.enter, a duplicate warned',
  'presence.duplicate',
  'room.exit',
  'room.destroy',
  'sdk.kickedOut',
  'sdk.error 5400',
  'sdk.error 5500/5501',
  'sdk.connectionChanged',
  'an outage outlasts the grace',
  'an outage heals within the grace',
  'sdk.remote',
  'sdk.networkQuality',
  'sdk.autoplayFailed',
  'sdk.listenerRefused',
  'sdk.listening',
  'room.switchRole',
  'room.switchRoom',
  'media.start',
  'media.start as live audience',
  'media.stop',
  'media.update',
  'media.mute',
  'remote.call',
  'remote.call (instance setting)',
  'remote call answers',
  'remote call fails',
  'resumeAutoplay answers',
  'enterRoom resolves',
  'enterRoom rejects',
  'enter bound passes',
  'switch resolves',
  'switch rejects',
  'abandoned call answers late',
  'abandoned call fails late',
  'abandoned-call bound passes',
  'exitRoom resolves',
  'exitRoom rejects',
  'exit bound passes',
  'device stop settles',
] as const;
type Kind = (typeof KINDS)[number];

const SWITCHES: readonly CallName[] = ['switchRole', 'switchRoom'];
// A fresh object each time, as every event the controller and the adapter send is.
const send = (event: RoomEvent) => async (room: Room) => room.send({ ...event });
/** The call the machine tracks but no state awaits any more (a kick, a failed rejoin, a switch past its bound). */
const abandoned = (room: Room): CallName[] => {
  const name = room.actor.getSnapshot().context.callInFlight;
  return name ? [name] : [];
};

const HAPPEN: Record<Kind, (room: Room) => Promise<void>> = {
  'room.enter': send({ type: 'room.enter', target }),
  'room.enter, a duplicate refused': send({ type: 'room.enter', target, duplicate: 'refuse' }),
  'room.enter, a duplicate warned': send({ type: 'room.enter', target, duplicate: 'warn' }),
  'presence.duplicate': send({ type: 'presence.duplicate' }),
  'room.exit': send({ type: 'room.exit' }),
  'room.destroy': send({ type: 'room.destroy' }),
  'sdk.kickedOut': send({ type: 'sdk.kickedOut', reason: 'kick' }),
  'sdk.error 5400': send({ type: 'sdk.error', error: { code: 5400, message: 'rejoin failed' } }),
  'sdk.error 5500/5501': send({ type: 'sdk.error', error: { code: 5500, extraCode: 5501, message: 'network unstable' } }),
  'sdk.connectionChanged': send({ type: 'sdk.connectionChanged', prevState: 'CONNECTED', state: 'DISCONNECTED' }),
  'an outage outlasts the grace': async (room) => {
    room.send({ type: 'sdk.connectionChanged', prevState: 'CONNECTED', state: 'DISCONNECTED' });
    await room.elapse(GRACE_MS);
  },
  'an outage heals within the grace': async (room) => {
    room.send({ type: 'sdk.connectionChanged', prevState: 'CONNECTED', state: 'DISCONNECTED' });
    await vi.advanceTimersByTimeAsync(GRACE_MS - 1);
    room.send({ type: 'sdk.connectionChanged', prevState: 'DISCONNECTED', state: 'CONNECTED' });
    await vi.advanceTimersByTimeAsync(GRACE_MS);
  },
  'sdk.remote': send({ type: 'sdk.remote', count: 1, changes: [newcomer] }),
  'sdk.networkQuality': send({ type: 'sdk.networkQuality', network }),
  'sdk.autoplayFailed': send({ type: 'sdk.autoplayFailed' }),
  'sdk.listenerRefused': send({ type: 'sdk.listenerRefused', error: new Error('on() refused') }),
  'sdk.listening': send({ type: 'sdk.listening' }),
  'room.switchRole': send({ type: 'room.switchRole', role: 'audience' }),
  'room.switchRoom': send({ type: 'room.switchRoom', room: otherRoom }),
  'media.start': send({ type: 'media.start', device: 'microphone', publish: true }),
  'media.start as live audience': send({ type: 'media.start', device: 'microphone', publish: true }),
  'media.stop': send({ type: 'media.stop', device: 'camera' }),
  'media.update': send({ type: 'media.update', device: 'camera' }),
  'media.mute': send({ type: 'media.mute', device: 'camera', muted: true }),
  'remote.call': send({ type: 'remote.call', id: 7, call: 'startRemoteVideo', change: playing }),
  'remote.call (instance setting)': send({ type: 'remote.call', id: 7, call: 'enableAudioVolumeEvaluation' }),
  // The remote call made in idle (SETUP) answers.
  'remote call answers': (room) => room.settle(['remoteCall'], 'resolve'),
  'remote call fails': (room) => room.settle(['remoteCall'], 'reject'),
  'resumeAutoplay answers': (room) => room.settle(['remoteCall'], 'resolve'),
  'enterRoom resolves': (room) => room.settle(['enterRoom'], 'resolve'),
  'enterRoom rejects': (room) => room.settle(['enterRoom'], 'reject'),
  // Also the bound of a role or room switch.
  'enter bound passes': (room) => room.elapse(ENTER_MS),
  'switch resolves': (room) => room.settle(SWITCHES, 'resolve'),
  'switch rejects': (room) => room.settle(SWITCHES, 'reject'),
  'abandoned call answers late': (room) => room.settle(abandoned(room), 'resolve'),
  'abandoned call fails late': (room) => room.settle(abandoned(room), 'reject'),
  'abandoned-call bound passes': (room) => room.elapse(SDK_SWITCH_TIMEOUT_MS),
  'exitRoom resolves': (room) => room.settle(['exitRoom'], 'resolve'),
  'exitRoom rejects': (room) => room.settle(['exitRoom'], 'reject'),
  // Also the bound on releasing the devices.
  'exit bound passes': (room) => room.elapse(EXIT_MS),
  'device stop settles': (room) => room.settle(['stopDevice'], 'resolve'),
};

/** What a kind needs set up first to have anything to act on. */
const SETUP: Partial<Record<Kind, Partial<Setup>>> = {
  'media.start as live audience': { target: liveAudience },
  'media.stop': { cameraOn: true },
  'media.update': { cameraOn: true },
  'media.mute': { cameraOn: true },
  'remote call answers': { remoteCall: 'startRemoteVideo' },
  'remote call fails': { remoteCall: 'startRemoteVideo' },
  'resumeAutoplay answers': { remoteCall: 'resumeAutoplay', autoplayBlocked: true },
};

/** The remote call SETUP leaves in flight (id 1); `remote.call` rows make id 7. */
const remoteCallOf = (call: RemoteCall): RoomEvent =>
  call === 'startRemoteVideo' ? { type: 'remote.call', id: 1, call, change: playing } : { type: 'remote.call', id: 1, call };

/** The machine events each kind becomes, to check the kinds cover every event the machine handles. */
const MACHINE_EVENTS: Record<Kind, string[]> = {
  'room.enter': ['room.enter'],
  'room.enter, a duplicate refused': ['room.enter'],
  'room.enter, a duplicate warned': ['room.enter'],
  'presence.duplicate': ['presence.duplicate'],
  'room.exit': ['room.exit'],
  'room.destroy': ['room.destroy'],
  'sdk.kickedOut': ['sdk.kickedOut'],
  'sdk.error 5400': ['sdk.error'],
  'sdk.error 5500/5501': ['sdk.error'],
  'sdk.connectionChanged': ['sdk.connectionChanged'],
  'an outage outlasts the grace': ['sdk.connectionChanged', 'connection.graceEnded'],
  'an outage heals within the grace': ['sdk.connectionChanged'],
  'sdk.remote': ['sdk.remote'],
  'sdk.networkQuality': ['sdk.networkQuality'],
  'sdk.autoplayFailed': ['sdk.autoplayFailed'],
  'sdk.listenerRefused': ['sdk.listenerRefused'],
  'sdk.listening': ['sdk.listening'],
  'room.switchRole': ['room.switchRole'],
  'room.switchRoom': ['room.switchRoom'],
  'media.start': ['media.start'],
  'media.start as live audience': ['media.start'],
  'media.stop': ['media.stop'],
  'media.update': ['media.update'],
  'media.mute': ['media.mute'],
  'remote.call': ['remote.call'],
  'remote.call (instance setting)': ['remote.call'],
  'remote call answers': ['remote.done'],
  'remote call fails': ['remote.done'],
  'resumeAutoplay answers': ['remote.done'],
  'enterRoom resolves': ['xstate.done.actor.enterRoom'],
  'enterRoom rejects': ['xstate.error.actor.enterRoom'],
  'enter bound passes': [
    'xstate.after.enterBound.room.entering',
    'xstate.after.switchBound.room.inRoom.switchingRole',
    'xstate.after.switchBound.room.inRoom.switchingRoom',
  ],
  'switch resolves': ['xstate.done.actor.switchRole', 'xstate.done.actor.switchRoom'],
  'switch rejects': ['xstate.error.actor.switchRole', 'xstate.error.actor.switchRoom'],
  'abandoned call answers late': ['xstate.done.actor.enterRoom', 'xstate.done.actor.switchRole', 'xstate.done.actor.switchRoom'],
  'abandoned call fails late': ['xstate.error.actor.enterRoom', 'xstate.error.actor.switchRole', 'xstate.error.actor.switchRoom'],
  'abandoned-call bound passes': ['xstate.after.abandonedCallBound.room.exiting.leaving.waitingForCall'],
  'exitRoom resolves': ['xstate.done.actor.exitRoom'],
  'exitRoom rejects': ['xstate.error.actor.exitRoom'],
  'exit bound passes': [
    'xstate.after.exitBound.room.exiting.leaving.calling',
    'xstate.after.exitBound.room.exiting.leaving.retrying',
    'xstate.after.exitBound.room.exiting.releasing',
  ],
  'device stop settles': ['device.status', 'device.settled'],
};

/** The calls a kind completes: an ignored row checks that none of them is awaited. */
const COMPLETION_OF: Partial<Record<Kind, readonly CallName[]>> = {
  'remote call answers': ['remoteCall'],
  'remote call fails': ['remoteCall'],
  'resumeAutoplay answers': ['remoteCall'],
  'enterRoom resolves': ['enterRoom'],
  'enterRoom rejects': ['enterRoom'],
  'enter bound passes': ['enterRoom', ...SWITCHES],
  'switch resolves': SWITCHES,
  'switch rejects': SWITCHES,
  'exitRoom resolves': ['exitRoom'],
  'exitRoom rejects': ['exitRoom'],
  'exit bound passes': ['exitRoom'],
  'device stop settles': ['stopDevice'],
};

/** An ignored row has nothing to act on: no call the kind completes is awaited, and no call is abandoned. */
function expectNothingToComplete(room: Room, from: Source, kind: Kind) {
  if (kind.startsWith('abandoned call')) expect(room.actor.getSnapshot().context.callInFlight).toBeNull();
  const completes = (COMPLETION_OF[kind] ?? []).filter((name) => name !== ABANDONS[from]);
  expect(room.pending(completes)).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------
// The table.

const deviceView = ({ status, muted, error }: DeviceReport) => [status, muted ? 'muted' : '', error?.code ?? ''].filter(Boolean).join(' ');

/**
 * Context as compared in the table: errors as their code and SDK codes, an owed outcome as the
 * event it becomes, the warning as its SDK codes, each device as its status.
 */
function view(context: RoomContext) {
  const { error, exitError, owedOutcome, warning, local, ...rest } = context;
  return {
    ...rest,
    error: error && (error.sdkCode === undefined ? error.code : `${error.code} (${sdkCodes(error)})`),
    exitError: exitError?.code ?? null,
    owedOutcome: owedOutcome && `${owedOutcome.command}.settled ${owedOutcome.error.code}`,
    warning: warning && sdkCodes(warning),
    microphone: deviceView(local.microphone),
    camera: deviceView(local.camera),
    screen: deviceView(local.screen),
  };
}
type ContextView = ReturnType<typeof view>;

function sdkCodes({ sdkCode, sdkExtraCode }: { sdkCode?: number; sdkExtraCode?: number }): string {
  return `SDK ${sdkCode}${sdkExtraCode === undefined ? '' : `/${sdkExtraCode}`}`;
}

interface Effects {
  to: Leaf;
  /** Calls the event causes, in order. */
  calls?: Call[];
  /** Emitted events, in order; a command's outcome with its error code. */
  emits?: Emitted[];
  /** Context fields that change; all others must stay as they were. */
  context?: Partial<ContextView>;
}
type Retiring = { factory: Effects; plain: Effects };

type Row = { from: Source; on: Kind } & (
  | { then: Effects }
  /** The outcome depends on whether a wedged instance can be replaced. */
  | { then: Retiring }
  /** Nothing changes. */
  | { ignored: string }
  /** Cannot happen as this kind here (another row covers it): the row only reaches the source. */
  | { na: string }
);

const ignoring = (from: Source, kinds: readonly Kind[], why: string): Row[] => kinds.map((on) => ({ from, on, ignored: why }));
const notApplicable = (from: Source, kinds: readonly Kind[], why: string): Row[] => kinds.map((on) => ({ from, on, na: why }));
const rows = (from: Source, effects: Partial<Record<Kind, Effects | Retiring>>): Row[] =>
  Object.entries(effects).map(([on, then]) => ({ from, on: on as Kind, then }) as Row);

const SDK_KINDS = [
  'sdk.kickedOut',
  'sdk.error 5400',
  'sdk.error 5500/5501',
  'sdk.connectionChanged',
  'sdk.remote',
  'sdk.networkQuality',
  'sdk.autoplayFailed',
  'sdk.listenerRefused',
] as const satisfies readonly Kind[];
/** What the SDK says that does not end a session. */
const QUIET_SDK_KINDS = SDK_KINDS.filter((kind) => kind !== 'sdk.kickedOut' && kind !== 'sdk.error 5400' && kind !== 'sdk.listenerRefused');
const SWITCH_KINDS = ['room.switchRole', 'room.switchRoom'] as const satisfies readonly Kind[];
const MEDIA_KINDS = ['media.start', 'media.start as live audience', 'media.stop', 'media.update', 'media.mute'] as const satisfies readonly Kind[];
const ENTER_ANSWERS = ['enterRoom resolves', 'enterRoom rejects'] as const satisfies readonly Kind[];
const ENTER_DONE = [...ENTER_ANSWERS, 'enter bound passes'] as const satisfies readonly Kind[];
const SWITCH_DONE = ['switch resolves', 'switch rejects'] as const satisfies readonly Kind[];
const ABANDONED_DONE = ['abandoned call answers late', 'abandoned call fails late'] as const satisfies readonly Kind[];
const EXIT_ANSWERS = ['exitRoom resolves', 'exitRoom rejects'] as const satisfies readonly Kind[];
const EXIT_DONE = [...EXIT_ANSWERS, 'exit bound passes'] as const satisfies readonly Kind[];

const NO_ENTER = 'no enterRoom in flight';
const NO_SWITCH = 'no switch in flight';
const NO_EXIT = 'no exitRoom in flight';
const NO_STOP = 'no device is stopping';
const NOTHING_ABANDONED = 'no call is left in flight';
const NO_BOUND = 'no bound runs here';
const NOT_LISTENING = 'no SDK listener in this state';
const NOT_IN_ROOM = 'not in a room (the controller refuses INVALID_STATE)';
const SWITCHING = 'a switch is in flight (the controller refuses INVALID_STATE)';
const NO_MEDIA = 'no local media commands here (the controller refuses INVALID_STATE)';
const AUDIENCE = 'an audience may not publish in the live scene (mayPublish)';
const FINAL = 'final state (the controller rejects DESTROYED)';
const AWAITED_ENTER = 'the enterRoom in flight is awaited: its answer is an enterRoom row';
const AWAITED_SWITCH = 'the switch in flight is awaited: its answer is a switch row';
const ABANDONED_ENTER = 'the enterRoom in flight is an earlier, abandoned one: its answer is an abandoned-call row';
const ABANDONED_SWITCH = 'the switch in flight is abandoned: its answer is an abandoned-call row';
const ENTER_BOUND_FIRST = 'the enter (or switch) bound passes first';
const EXIT_BOUND_FIRST = 'the exit bound passes first';

/** Leaving inRoom: disconnected, and the role is gone. */
const left = { connection: 'disconnected', role: null } as const;
/** Entering destroyed from where no exit is needed: the instance is destroyed, the roster cleared. */
const destroyedAtOnce = (emits: Emitted[] = [], context: Partial<ContextView> = {}): Effects => ({
  to: 'destroyed',
  calls: ['destroyInstance', 'clearRoster'],
  emits: [...emits, 'destroyed'],
  context: { destroyRequested: true, role: null, callInFlight: null, ...context },
});
/** Local media commands go to the device child; its status comes back to the context. */
const media = (to: Leaf) =>
  ({
    'media.start': { to, calls: ['startDevice(microphone)'], context: { microphone: 'starting' } },
    'media.stop': { to, calls: ['stopDevice(camera)'], context: { camera: 'stopping' } },
    'media.update': { to, calls: ['updateDevice(camera)'] },
    'media.mute': { to, calls: ['updateDevice(camera, muted: true)'] },
  }) satisfies Record<string, Effects>;
/** Where local media is taken: idle (a preview, publishing nothing) and in a session (guarded by mayPublish). */
const mediaRows = (from: Source, to: Leaf): Row[] => [
  ...rows(from, media(to)),
  SOURCE_STATE[from] === 'idle'
    ? { from, on: 'media.start as live audience', then: media(to)['media.start'] }
    : { from, on: 'media.start as live audience', ignored: AUDIENCE },
];

/**
 * Remote commands: made in idle, entering and inRoom, and refused elsewhere but for instance
 * settings. An answer always settles its command; in a session a succeeded one also applies its change.
 */
function remoteRows(from: Source, to: Leaf, where: 'session' | 'idle' | 'winding down'): Row[] {
  const started: Effects = { to, calls: ['startRemoteVideo'], context: { remoteCalls: [{ id: 7, call: 'startRemoteVideo' }] } };
  const applied = where === 'session' ? { calls: ['applyRemoteChange'] satisfies Call[] } : {};
  return rows(from, {
    'remote.call': where === 'winding down' ? { to, emits: ['remote.settled INVALID_STATE'] } : started,
    'remote.call (instance setting)': { to, calls: ['enableAudioVolumeEvaluation'], context: { remoteCalls: [{ id: 7, call: 'enableAudioVolumeEvaluation' }] } },
    'remote call answers': { to, ...applied, emits: ['remote.settled ok'], context: { remoteCalls: [] } },
    'remote call fails': { to, emits: ['remote.settled MEDIA_FAILED'], context: { remoteCalls: [] } },
    // Playback resumed: only a session has blocked autoplay to clear.
    'resumeAutoplay answers': {
      to,
      ...applied,
      emits: ['remote.settled ok'],
      context: where === 'session' ? { remoteCalls: [], autoplayBlocked: false } : { remoteCalls: [] },
    },
  });
}

/**
 * A wedged enter, or one on an instance that refused a listener: the instance is destroyed in the
 * same step (which ends the enter), and replaced with a factory.
 */
const enterGivenUp = (code: 'ENTER_TIMEOUT' | 'ENTER_FAILED', emits: Emitted[] = [], context: Partial<ContextView> = {}): Retiring => ({
  factory: {
    to: 'idle',
    calls: ['destroyInstance', 'renewInstance', 'clearRoster'],
    emits: ['error', `enter.settled ${code}`, ...emits],
    context: { error: code, instance: 2, role: null, callInFlight: null, ...context },
  },
  plain: {
    to: 'destroyed',
    calls: ['destroyInstance', 'clearRoster'],
    emits: ['error', `enter.settled ${code}`, ...emits, 'destroyed'],
    context: { error: code, role: null, callInFlight: null, ...context },
  },
});
const enterTimedOut = (emits: Emitted[] = [], context: Partial<ContextView> = {}) => enterGivenUp('ENTER_TIMEOUT', emits, context);
const enterUnheard = (emits: Emitted[] = [], context: Partial<ContextView> = {}) => enterGivenUp('ENTER_FAILED', emits, context);
/**
 * The instance refused a listener while the room is left: it is left all the same, and the
 * instance retired after. The `error` is told, not recorded: what ended the session stays.
 */
const leavingUnheard = (from: Source): Row =>
  ENDS_WITH_INSTANCE.has(from)
    ? { from, on: 'sdk.listenerRefused', ignored: 'the instance is to be retired or destroyed already: a refusal changes nothing' }
    : { from, on: 'sdk.listenerRefused', then: { to: SOURCE_STATE[from], emits: ['error'], context: { retireRequested: true } } };
/** Leaving sources whose instance goes with the session (retireRequested or destroyRequested). */
const ENDS_WITH_INSTANCE: ReadonlySet<Source> = new Set([
  'exiting.leaving.waitingForCall',
  'exiting.leaving.calling, destroy requested',
  'exiting.releasing, an enter past its bound',
]);
/** An exit that failed twice or passed its bound: the instance is retired once out of the leaving state. */
const exitGaveUp = (code: 'EXIT_FAILED' | 'EXIT_TIMEOUT', context: Partial<ContextView> = {}): Retiring => ({
  factory: {
    to: 'idle',
    calls: ['destroyInstance', 'renewInstance', 'clearRoster'],
    emits: ['exited', 'error', `exit.settled ${code}`],
    context: { error: code, instance: 2, exitRequested: false, ...context },
  },
  plain: {
    to: 'destroyed',
    calls: ['destroyInstance', 'clearRoster'],
    emits: ['exited', 'error', `exit.settled ${code}`, 'destroyed'],
    context: { error: code, retireRequested: true, exitRequested: false, ...context },
  },
});
/** A switch past its bound: the room is left (after the switch), and the switch reported failed at once. */
const switchTimedOut = (context: Partial<ContextView> = {}): Effects => ({
  to: 'exiting.leaving.waitingForCall',
  calls: ['clearRoster'],
  emits: ['connection', 'error'],
  context: { ...left, error: 'SWITCH_FAILED', owedOutcome: 'switch.settled SWITCH_FAILED', retireRequested: true, ...context },
});

/** The instance refused a listener during a switch: the room is left after the switch, which settles at the end. */
const switchUnheard = (): Effects => ({
  to: 'exiting.leaving.waitingForCall',
  calls: ['clearRoster'],
  emits: ['connection', 'error'],
  context: { ...left, error: 'CONNECTION_LOST', owedOutcome: 'switch.settled CONNECTION_LOST', retireRequested: true },
});

/**
 * A kick or a failed rejoin ends a switch at once: the SDK has left the room, the switch settles
 * KICKED / CONNECTION_LOST (its call stays tracked), and an exit asked for meanwhile settles too.
 */
function switchEndedBySdk(exitRequested: boolean): Partial<Record<Kind, Effects>> {
  const exit: Emitted[] = exitRequested ? ['exit.settled ok'] : [];
  const settled = exitRequested ? { exitRequested: false } : {};
  return {
    'sdk.kickedOut': {
      to: 'kicked',
      calls: ['clearRoster'],
      emits: ['connection', 'switch.settled KICKED', 'kicked', ...exit],
      context: { ...left, kickReason: 'kick', sdkLeft: true, ...settled },
    },
    'sdk.error 5400': {
      to: 'idle',
      calls: ['clearRoster'],
      emits: ['connection', 'error', 'switch.settled CONNECTION_LOST', ...exit],
      context: { ...left, error: 'CONNECTION_LOST (SDK 5400)', sdkLeft: true, ...settled },
    },
  };
}

const ROWS: Row[] = withOutageRows(withDuplicateUserRows([
  ...idleRows('idle'),
  ...rows('idle', {
    'room.enter': { to: 'entering.calling', calls: ['enterRoom'], context: { target, role: 'anchor', callInFlight: 'enterRoom' } },
    'room.destroy': destroyedAtOnce(),
  }),
  ...ignoring('idle', SWITCH_DONE, NO_SWITCH),
  ...ignoring('idle', ABANDONED_DONE, NOTHING_ABANDONED),

  // The SDK left the room by itself with the switch still out: a new enter waits for it.
  ...idleRows('idle, a switch in flight (failed rejoin)'),
  ...rows('idle, a switch in flight (failed rejoin)', {
    'room.enter': { to: 'entering.waitingForCall', context: { role: 'anchor', error: null } },
    'room.destroy': destroyedAtOnce(),
    'abandoned call answers late': { to: 'idle', context: { callInFlight: null } },
    'abandoned call fails late': { to: 'idle', context: { callInFlight: null } },
  }),
  ...notApplicable('idle, a switch in flight (failed rejoin)', SWITCH_DONE, ABANDONED_SWITCH),

  ...enteringRows('entering', 'entering.calling'),
  ...rows('entering', {
    'room.exit': { to: 'entering.calling', context: { exitRequested: true } },
    'room.destroy': destroyedAtOnce(['enter.settled DESTROYED']),
    'sdk.kickedOut': { to: 'kicked', calls: ['clearRoster'], emits: ['enter.settled KICKED', 'kicked'], context: { kickReason: 'kick', sdkLeft: true, role: null } },
    'enterRoom resolves': {
      to: 'inRoom.active',
      emits: ['enter.settled ok', 'connection', 'entered'],
      context: { connection: 'connected', callInFlight: null },
    },
    'enterRoom rejects': {
      to: 'idle',
      calls: ['clearRoster'],
      emits: ['error', 'enter.settled ENTER_FAILED'],
      context: { error: 'ENTER_FAILED', role: null, callInFlight: null },
    },
    'enter bound passes': enterTimedOut(),
    'sdk.listenerRefused': enterUnheard(),
  }),
  ...ignoring('entering', SWITCH_DONE, NO_SWITCH),
  ...notApplicable('entering', ABANDONED_DONE, AWAITED_ENTER),

  ...enteringRows('entering, exit requested', 'entering.calling'),
  { from: 'entering, exit requested', on: 'room.exit', ignored: 'the exit is requested already' },
  ...rows('entering, exit requested', {
    'room.destroy': destroyedAtOnce(['enter.settled DESTROYED', 'exit.settled ok'], { exitRequested: false }),
    'sdk.kickedOut': {
      to: 'kicked',
      calls: ['clearRoster'],
      emits: ['enter.settled KICKED', 'kicked', 'exit.settled ok'],
      context: { kickReason: 'kick', sdkLeft: true, role: null, exitRequested: false },
    },
    // Entered, but the user has asked to leave: straight to exiting, never through inRoom.
    'enterRoom resolves': {
      to: 'exiting.leaving.calling',
      calls: ['clearRoster', 'exitRoom'],
      emits: ['enter.settled CANCELLED'],
      context: { role: null, callInFlight: null },
    },
    'enterRoom rejects': {
      to: 'idle',
      calls: ['clearRoster'],
      emits: ['error', 'enter.settled ENTER_FAILED', 'exit.settled ok'],
      context: { error: 'ENTER_FAILED', role: null, callInFlight: null, exitRequested: false },
    },
    'enter bound passes': enterTimedOut(['exit.settled ok'], { exitRequested: false }),
    'sdk.listenerRefused': enterUnheard(['exit.settled ok'], { exitRequested: false }),
  }),
  ...ignoring('entering, exit requested', SWITCH_DONE, NO_SWITCH),
  ...notApplicable('entering, exit requested', ABANDONED_DONE, AWAITED_ENTER),

  // enterRoom waits until the instance has taken every listener: it could not tell of a kick otherwise.
  ...enteringRows('entering.subscribing', 'entering.subscribing'),
  ...uncalledEnterRows('entering.subscribing'),
  ...rows('entering.subscribing', {
    'sdk.kickedOut': { to: 'kicked', calls: ['clearRoster'], emits: ['enter.settled KICKED', 'kicked'], context: { kickReason: 'kick', sdkLeft: true, role: null } },
    'sdk.listening': { to: 'entering.calling', calls: ['enterRoom'], context: { callInFlight: 'enterRoom' } },
  }),
  ...ignoring('entering.subscribing', ENTER_ANSWERS, `${NO_ENTER}: the enter waits for the listeners`),
  ...ignoring('entering.subscribing', SWITCH_DONE, NO_SWITCH),
  ...ignoring('entering.subscribing', ABANDONED_DONE, NOTHING_ABANDONED),

  // A kick ended the last session with its switch out: the enter waits for the switch to answer.
  ...enteringRows('entering.waitingForCall', 'entering.waitingForCall'),
  ...waitingEnterRows('entering.waitingForCall'),
  ...ignoring('entering.waitingForCall', ENTER_ANSWERS, `${NO_ENTER}: the enter waits for the switch`),
  ...notApplicable('entering.waitingForCall', SWITCH_DONE, ABANDONED_SWITCH),

  // A kick ended the last enter before it settled: the new enter waits for the old enterRoom to answer,
  // then calls its own (the old answer says nothing about the new enter).
  ...enteringRows('entering.waitingForCall, an earlier enter in flight', 'entering.waitingForCall'),
  ...waitingEnterRows('entering.waitingForCall, an earlier enter in flight'),
  ...notApplicable('entering.waitingForCall, an earlier enter in flight', ENTER_ANSWERS, ABANDONED_ENTER),
  ...ignoring('entering.waitingForCall, an earlier enter in flight', SWITCH_DONE, NO_SWITCH),

  ...inRoomRows('inRoom.active'),
  ...rows('inRoom.active', {
    'room.exit': { to: 'exiting.leaving.calling', calls: ['clearRoster', 'exitRoom'], emits: ['connection'], context: { ...left, exitRequested: true } },
    'room.destroy': {
      to: 'exiting.leaving.calling',
      calls: ['clearRoster', 'exitRoom'],
      emits: ['connection'],
      context: { ...left, destroyRequested: true },
    },
    // The SDK has left the room by itself: no exitRoom.
    'sdk.kickedOut': { to: 'kicked', calls: ['clearRoster'], emits: ['connection', 'kicked'], context: { ...left, kickReason: 'kick', sdkLeft: true } },
    'sdk.error 5400': {
      to: 'idle',
      calls: ['clearRoster'],
      emits: ['connection', 'error'],
      context: { ...left, error: 'CONNECTION_LOST (SDK 5400)', sdkLeft: true },
    },
    // The SDK could not tell of a kick: leave, then retire the instance.
    'sdk.listenerRefused': {
      to: 'exiting.leaving.calling',
      calls: ['clearRoster', 'exitRoom'],
      emits: ['connection', 'error'],
      context: { ...left, error: 'CONNECTION_LOST', retireRequested: true },
    },
    'room.switchRole': { to: 'inRoom.switchingRole', calls: ['switchRole'], context: { callInFlight: 'switchRole' } },
    // The SDK may leave and enter again: the roster starts afresh.
    'room.switchRoom': { to: 'inRoom.switchingRoom', calls: ['clearRoster', 'switchRoom'], context: { callInFlight: 'switchRoom' } },
  }),
  ...ignoring('inRoom.active', ENTER_DONE, `${NO_ENTER}: it settled on the way in`),
  ...ignoring('inRoom.active', SWITCH_DONE, NO_SWITCH),
  ...ignoring('inRoom.active', ABANDONED_DONE, NOTHING_ABANDONED),
  ...ignoring('inRoom.active', ['exit bound passes', 'abandoned-call bound passes'], NO_BOUND),

  // Exit and destroy wait for the switch, then are taken (see the sequences).
  ...switchingRows('inRoom.switchingRole'),
  ...rows('inRoom.switchingRole', {
    'room.exit': { to: 'inRoom.switchingRole', context: { exitRequested: true } },
    'room.destroy': { to: 'inRoom.switchingRole', context: { destroyRequested: true } },
    // The switch is left in flight, tracked: a new enter waits for it.
    ...switchEndedBySdk(false),
    'enter bound passes': switchTimedOut(),
    'sdk.listenerRefused': switchUnheard(),
    'switch resolves': { to: 'inRoom.active', emits: ['roleChanged', 'switch.settled ok'], context: { role: 'audience', callInFlight: null } },
    'switch rejects': {
      to: 'inRoom.active',
      emits: ['error', 'switch.settled SWITCH_FAILED'],
      context: { error: 'SWITCH_FAILED', callInFlight: null },
    },
  }),

  ...switchingRows('inRoom.switchingRole, exit requested'),
  { from: 'inRoom.switchingRole, exit requested', on: 'room.exit', ignored: 'the exit is requested already' },
  ...rows('inRoom.switchingRole, exit requested', {
    'room.destroy': { to: 'inRoom.switchingRole', context: { destroyRequested: true } },
    ...switchEndedBySdk(true),
    'enter bound passes': switchTimedOut(),
    'sdk.listenerRefused': switchUnheard(),
    // The room is left at once, so the switch is moot.
    'switch resolves': {
      to: 'exiting.leaving.calling',
      calls: ['clearRoster', 'exitRoom'],
      emits: ['roleChanged', 'switch.settled CANCELLED', 'connection'],
      context: { ...left, callInFlight: null },
    },
    'switch rejects': {
      to: 'exiting.leaving.calling',
      calls: ['clearRoster', 'exitRoom'],
      emits: ['error', 'switch.settled SWITCH_FAILED', 'connection'],
      context: { ...left, error: 'SWITCH_FAILED', callInFlight: null },
    },
  }),

  ...switchingRows('inRoom.switchingRoom'),
  ...rows('inRoom.switchingRoom', {
    'room.exit': { to: 'inRoom.switchingRoom', context: { exitRequested: true } },
    'room.destroy': { to: 'inRoom.switchingRoom', context: { destroyRequested: true } },
    ...switchEndedBySdk(false),
    'enter bound passes': switchTimedOut(),
    'sdk.listenerRefused': switchUnheard(),
    'switch resolves': {
      to: 'inRoom.active',
      emits: ['roomSwitched', 'roleChanged', 'switch.settled ok'],
      context: { target: { ...target, ...otherRoom }, callInFlight: null },
    },
    // Where the SDK stands is unknown: leave cleanly.
    'switch rejects': {
      to: 'exiting.leaving.calling',
      calls: ['clearRoster', 'exitRoom'],
      emits: ['connection', 'error', 'switch.settled SWITCH_FAILED'],
      context: { ...left, error: 'SWITCH_FAILED', callInFlight: null },
    },
  }),

  // The switch past its bound is still out: the exit waits for it (bounded by the SDK's own give-up),
  // unless the SDK leaves by itself meanwhile; then the instance is retired.
  ...leavingRows('exiting.leaving.waitingForCall'),
  ...rows('exiting.leaving.waitingForCall', {
    'room.exit': { to: 'exiting.leaving.waitingForCall', context: { exitRequested: true } },
    'room.destroy': { to: 'exiting.leaving.waitingForCall', context: { destroyRequested: true } },
    'sdk.kickedOut': sdkLeftWhileWaiting(),
    'sdk.error 5400': sdkLeftWhileWaiting(),
    'abandoned call answers late': { to: 'exiting.leaving.calling', calls: ['exitRoom'], context: { callInFlight: null } },
    'abandoned call fails late': { to: 'exiting.leaving.calling', calls: ['exitRoom'], context: { callInFlight: null } },
    // The SDK gives up on a switch by then; its exitRoom would wait for it anyway.
    'abandoned-call bound passes': { to: 'exiting.leaving.calling', calls: ['exitRoom'] },
  }),
  { from: 'exiting.leaving.waitingForCall', on: 'enter bound passes', ignored: `${NO_BOUND} but the abandoned-call bound, which is longer` },
  ...notApplicable('exiting.leaving.waitingForCall', SWITCH_DONE, ABANDONED_SWITCH),
  ...ignoring('exiting.leaving.waitingForCall', EXIT_DONE, `${NO_EXIT}: it waits for the switch`),

  ...leavingRows('exiting.leaving.calling'),
  ...callingRows('exiting.leaving.calling'),
  { from: 'exiting.leaving.calling', on: 'room.exit', ignored: 'the exit is in flight already (the controller joins it)' },
  ...rows('exiting.leaving.calling', {
    'room.destroy': { to: 'exiting.leaving.calling', context: { destroyRequested: true } },
    'exitRoom resolves': { to: 'idle', calls: ['clearRoster'], emits: ['exited', 'exit.settled ok'], context: { exitRequested: false } },
    // A failed exitRoom is cheap to repeat.
    'exitRoom rejects': { to: 'exiting.leaving.retrying', calls: ['exitRoom'] },
    'exit bound passes': exitGaveUp('EXIT_TIMEOUT'),
  }),

  // Destroy wins over renewal: whatever the exit does, the instance is destroyed once and not renewed.
  ...leavingRows('exiting.leaving.calling, destroy requested'),
  ...callingRows('exiting.leaving.calling, destroy requested'),
  { from: 'exiting.leaving.calling, destroy requested', on: 'room.destroy', ignored: 'the destroy is requested already' },
  ...rows('exiting.leaving.calling, destroy requested', {
    'room.exit': { to: 'exiting.leaving.calling', context: { exitRequested: true } },
    'exitRoom resolves': { to: 'destroyed', calls: ['destroyInstance', 'clearRoster'], emits: ['exited', 'destroyed'] },
    'exitRoom rejects': { to: 'exiting.leaving.retrying', calls: ['exitRoom'] },
    'exit bound passes': {
      to: 'destroyed',
      calls: ['destroyInstance', 'clearRoster'],
      // No exit() waits: the failure is the `error` event (destroy() resolves regardless).
      emits: ['exited', 'error', 'destroyed'],
      context: { error: 'EXIT_TIMEOUT', retireRequested: true },
    },
  }),

  ...leavingRows('exiting.leaving.retrying'),
  ...callingRows('exiting.leaving.retrying'),
  { from: 'exiting.leaving.retrying', on: 'room.exit', ignored: 'the exit is in flight already (the controller joins it)' },
  ...rows('exiting.leaving.retrying', {
    'room.destroy': { to: 'exiting.leaving.retrying', context: { destroyRequested: true } },
    'exitRoom resolves': { to: 'idle', calls: ['clearRoster'], emits: ['exited', 'exit.settled ok'], context: { exitRequested: false } },
    // Twice refused: the instance is in doubt, and retired.
    'exitRoom rejects': exitGaveUp('EXIT_FAILED'),
    'exit bound passes': exitGaveUp('EXIT_TIMEOUT'),
  }),

  { from: 'exiting.releasing, a device stopping', on: 'room.enter', ignored: 'an exit is in progress (the controller rejects INVALID_STATE)' },
  { from: 'exiting.releasing, a device stopping', on: 'room.exit', ignored: 'the room is left already (the controller joins the exit)' },
  ...rows('exiting.releasing, a device stopping', {
    'room.destroy': { to: 'exiting.releasing', context: { destroyRequested: true } },
    // The release is bounded too: the session ends with the stop still in flight.
    'exit bound passes': { to: 'idle', calls: ['clearRoster'], emits: ['exit.settled ok'], context: { exitRequested: false } },
    'device stop settles': { to: 'idle', calls: ['clearRoster'], emits: ['media.settled ok', 'exit.settled ok'], context: { microphone: 'off', exitRequested: false } },
  }),
  // Out of the room, only what ends a session is heard: it rules out leaving again for a late answer.
  { from: 'exiting.releasing, a device stopping', on: 'sdk.kickedOut', then: { to: 'exiting.releasing', context: { sdkLeft: true } } },
  { from: 'exiting.releasing, a device stopping', on: 'sdk.error 5400', then: { to: 'exiting.releasing', context: { sdkLeft: true } } },
  leavingUnheard('exiting.releasing, a device stopping'),
  ...ignoring('exiting.releasing, a device stopping', QUIET_SDK_KINDS, 'only what ends a session is heard while leaving'),
  ...ignoring('exiting.releasing, a device stopping', SWITCH_KINDS, NOT_IN_ROOM),
  ...ignoring('exiting.releasing, a device stopping', MEDIA_KINDS, NO_MEDIA),
  ...remoteRows('exiting.releasing, a device stopping', 'exiting.releasing', 'winding down'),
  ...ignoring('exiting.releasing, a device stopping', ENTER_ANSWERS, NO_ENTER),
  { from: 'exiting.releasing, a device stopping', on: 'enter bound passes', na: `${NO_ENTER}; ${EXIT_BOUND_FIRST}` },
  ...ignoring('exiting.releasing, a device stopping', SWITCH_DONE, NO_SWITCH),
  ...ignoring('exiting.releasing, a device stopping', ABANDONED_DONE, NOTHING_ABANDONED),
  { from: 'exiting.releasing, a device stopping', on: 'abandoned-call bound passes', na: EXIT_BOUND_FIRST },
  ...ignoring('exiting.releasing, a device stopping', EXIT_ANSWERS, `${NO_EXIT}: it settled already`),

  // The enter is given up on but still out: if it gets in after all, that room is left too. The
  // instance is retired once the devices are released, and the enter settles then.
  { from: 'exiting.releasing, an enter past its bound', on: 'room.enter', ignored: 'an exit is in progress (the controller rejects INVALID_STATE)' },
  ...rows('exiting.releasing, an enter past its bound', {
    'room.exit': { to: 'exiting.releasing', context: { exitRequested: true } },
    'room.destroy': { to: 'exiting.releasing', context: { destroyRequested: true } },
    // Invariant 10: the SDK is heard while a call it has not answered is tracked; a kick or a failed
    // rejoin says the late enter must not be followed by an exitRoom.
    'sdk.kickedOut': { to: 'exiting.releasing', context: { sdkLeft: true } },
    'sdk.error 5400': { to: 'exiting.releasing', context: { sdkLeft: true } },
    'abandoned call answers late': { to: 'exiting.leaving.calling', calls: ['exitRoom'], context: { callInFlight: null } },
    'abandoned call fails late': { to: 'exiting.releasing', context: { callInFlight: null } },
    'exit bound passes': enterRetired(false),
    'device stop settles': enterRetired(true),
  }),
  leavingUnheard('exiting.releasing, an enter past its bound'),
  ...ignoring('exiting.releasing, an enter past its bound', QUIET_SDK_KINDS, 'only what ends a session is heard while leaving'),
  ...ignoring('exiting.releasing, an enter past its bound', SWITCH_KINDS, NOT_IN_ROOM),
  ...ignoring('exiting.releasing, an enter past its bound', MEDIA_KINDS, NO_MEDIA),
  ...remoteRows('exiting.releasing, an enter past its bound', 'exiting.releasing', 'winding down'),
  ...notApplicable('exiting.releasing, an enter past its bound', ENTER_ANSWERS, ABANDONED_ENTER),
  { from: 'exiting.releasing, an enter past its bound', on: 'enter bound passes', na: EXIT_BOUND_FIRST },
  ...ignoring('exiting.releasing, an enter past its bound', SWITCH_DONE, NO_SWITCH),
  { from: 'exiting.releasing, an enter past its bound', on: 'abandoned-call bound passes', na: EXIT_BOUND_FIRST },
  ...ignoring('exiting.releasing, an enter past its bound', EXIT_ANSWERS, NO_EXIT),

  ...kickedRows('kicked'),
  ...rows('kicked', {
    'room.enter': {
      to: 'entering.calling',
      calls: ['enterRoom'],
      context: { kickReason: null, role: 'anchor', callInFlight: 'enterRoom', sdkLeft: false },
    },
  }),
  ...ignoring('kicked', ENTER_ANSWERS, NO_ENTER),
  ...ignoring('kicked', SWITCH_DONE, NO_SWITCH),
  ...ignoring('kicked', ABANDONED_DONE, NOTHING_ABANDONED),

  ...kickedRows('kicked, a switch in flight'),
  ...abandonedByKickRows('kicked, a switch in flight'),
  ...ignoring('kicked, a switch in flight', ENTER_ANSWERS, NO_ENTER),
  ...notApplicable('kicked, a switch in flight', SWITCH_DONE, ABANDONED_SWITCH),

  ...kickedRows('kicked, an enter in flight'),
  ...abandonedByKickRows('kicked, an enter in flight'),
  ...notApplicable('kicked, an enter in flight', ENTER_ANSWERS, ABANDONED_ENTER),
  ...ignoring('kicked, an enter in flight', SWITCH_DONE, NO_SWITCH),

  { from: 'destroyed', on: 'room.enter', ignored: FINAL },
  { from: 'destroyed', on: 'room.exit', ignored: FINAL },
  { from: 'destroyed', on: 'room.destroy', ignored: 'final state; destroy is idempotent' },
  ...ignoring('destroyed', [...SWITCH_KINDS, ...MEDIA_KINDS, 'remote.call', 'remote.call (instance setting)'], FINAL),
  // Its entry stopped every call in flight (a remote one settled DESTROYED).
  ...ignoring(
    'destroyed',
    KINDS.filter((kind) => !kind.startsWith('room.') && !kind.startsWith('media.') && !kind.startsWith('remote.call')),
    'final state',
  ),
]));

/**
 * An outage in the room shows `reconnecting` once it outlasts the grace, and nothing if it heals
 * within it; wherever a connection change is not taken, neither is an outage.
 */
function withOutageRows(table: Row[]): Row[] {
  const derived = table.flatMap((row): Row[] => {
    // destroyed ignores them with every other event from outside (its own row).
    if (row.on !== 'sdk.connectionChanged' || row.from === 'destroyed') return [];
    const { from } = row;
    if (!('then' in row)) {
      const { on: _, ...reason } = row;
      return [
        { ...reason, on: 'an outage outlasts the grace' },
        { ...reason, on: 'an outage heals within the grace' },
      ];
    }
    const to = SOURCE_STATE[from];
    return [
      { from, on: 'an outage outlasts the grace', then: { to, emits: ['connection'], context: { connection: 'reconnecting' } } },
      { from, on: 'an outage heals within the grace', then: { to } },
    ];
  });
  return [...table, ...derived];
}

/**
 * Another tab of this browser holds the user in that room. An enter the state takes is refused at
 * once when the app refuses duplicates (no call), or taken as usual with `duplicateUser` first when
 * it warns; where the state does not take an enter, neither is taken. `presence.duplicate` (another
 * tab entering as this user) is said while this controller is entering or in the room.
 */
function withDuplicateUserRows(table: Row[]): Row[] {
  const derived = table.flatMap((row): Row[] => {
    if (row.on !== 'room.enter') return [];
    const { from } = row;
    if (!('then' in row) || 'factory' in row.then) {
      const { on: _, ...reason } = row;
      return [
        { ...reason, on: 'room.enter, a duplicate refused' },
        { ...reason, on: 'room.enter, a duplicate warned' },
      ];
    }
    const taken = row.then as Effects;
    return [
      { from, on: 'room.enter, a duplicate refused', then: { to: SOURCE_STATE[from], emits: ['enter.settled DUPLICATE_USER'] } },
      { from, on: 'room.enter, a duplicate warned', then: { ...taken, emits: ['duplicateUser', ...(taken.emits ?? [])] } },
    ];
  });
  // destroyed ignores it with every other event from outside (its own row).
  const presence = SOURCES.filter((from) => from !== 'destroyed').map((from): Row => {
    const leaf = SOURCE_STATE[from];
    return leaf.startsWith('entering') || leaf.startsWith('inRoom')
      ? { from, on: 'presence.duplicate', then: { to: leaf, emits: ['duplicateUser'] } }
      : { from, on: 'presence.duplicate', ignored: 'no session of this controller to be kicked' };
  });
  // Listening says it started as each state that listens begins; only an enter waits for it.
  // destroyed ignores it with every other event (its own row).
  const listening = SOURCES.filter((from) => from !== 'entering.subscribing' && from !== 'destroyed').map((from): Row => {
    const leaf = SOURCE_STATE[from];
    const listens = leaf.startsWith('entering') || leaf.startsWith('inRoom') || leaf.startsWith('exiting.leaving');
    // In the room it tells the app it entered (the 'enterRoom resolves' rows): said once, as the room is reached.
    if (leaf.startsWith('inRoom')) return { from, on: 'sdk.listening', na: 'said once, as the room was reached, and already said' };
    return { from, on: 'sdk.listening', ignored: listens ? 'said once as this state began listening; nothing waits for it here' : NOT_LISTENING };
  });
  return [...table, ...derived, ...presence, ...listening];
}

/** Rows both idle sources share: out of a room, with a preview and remote calls allowed. */
function idleRows(from: Source): Row[] {
  return [
    { from, on: 'room.exit', then: { to: 'idle', emits: ['exit.settled ok'] } },
    ...ignoring(from, SDK_KINDS, NOT_LISTENING),
    ...ignoring(from, SWITCH_KINDS, NOT_IN_ROOM),
    ...mediaRows(from, 'idle'),
    ...remoteRows(from, 'idle', 'idle'),
    ...ignoring(from, ENTER_DONE, NO_ENTER),
    { from, on: 'abandoned-call bound passes', ignored: NO_BOUND },
    ...ignoring(from, EXIT_DONE, NO_EXIT),
    { from, on: 'device stop settles', ignored: NO_STOP },
  ];
}

/** Rows every entering source shares: the events entering itself handles, and the calls it never makes. */
function enteringRows(from: Source, to: Leaf): Row[] {
  return [
    { from, on: 'room.enter', ignored: 'an enter is in flight (the controller rejects INVALID_STATE)' },
    // enterRoom's own promise decides whether the enter failed; the event is only a warning.
    { from, on: 'sdk.error 5400', then: { to, emits: ['warning'], context: { warning: 'SDK 5400' } } },
    { from, on: 'sdk.error 5500/5501', then: { to, emits: ['warning'], context: { warning: 'SDK 5500/5501' } } },
    { from, on: 'sdk.connectionChanged', ignored: 'not handled while entering; entering the room sets connected' },
    { from, on: 'sdk.remote', then: { to, calls: [], emits: ['remoteUsersChanged'] } },
    { from, on: 'sdk.networkQuality', ignored: 'only shown in the room' },
    { from, on: 'sdk.autoplayFailed', then: { to, context: { autoplayBlocked: true } } },
    ...ignoring(from, SWITCH_KINDS, 'not in the room yet (the controller refuses INVALID_STATE)'),
    ...mediaRows(from, to),
    ...remoteRows(from, to, 'session'),
    { from, on: 'abandoned-call bound passes', na: ENTER_BOUND_FIRST },
    ...ignoring(from, EXIT_ANSWERS, NO_EXIT),
    { from, on: 'exit bound passes', ignored: `${NO_EXIT}; the enter bound is longer` },
    { from, on: 'device stop settles', ignored: NO_STOP },
  ];
}

/** Rows of an enter that has not called enterRoom yet. */
function uncalledEnterRows(from: Source): Row[] {
  return rows(from, {
    // Nothing was asked of the SDK yet: the enter is dropped and the exit has nothing to leave.
    'room.exit': { to: 'idle', calls: ['clearRoster'], emits: ['enter.settled CANCELLED', 'exit.settled ok'], context: { role: null } },
    'room.destroy': destroyedAtOnce(['enter.settled DESTROYED']),
    'enter bound passes': enterTimedOut(),
    'sdk.listenerRefused': enterUnheard(),
  });
}

/** Rows of an enter waiting for an abandoned call: nothing is called until it answers. */
function waitingEnterRows(from: Source): Row[] {
  return [...uncalledEnterRows(from), ...rows(from, {
    'sdk.kickedOut': { to: 'kicked', calls: ['clearRoster'], emits: ['enter.settled KICKED', 'kicked'], context: { kickReason: 'kick', role: null } },
    'abandoned call answers late': { to: 'entering.calling', calls: ['enterRoom'], context: { callInFlight: 'enterRoom', sdkLeft: false } },
    'abandoned call fails late': { to: 'entering.calling', calls: ['enterRoom'], context: { callInFlight: 'enterRoom', sdkLeft: false } },
  })];
}

/** Rows every substate of inRoom shares: the events inRoom itself handles, and the calls it never makes. */
function inRoomRows(from: Source & `inRoom.${string}`): Row[] {
  const to = SOURCE_STATE[from];
  return [
    { from, on: 'room.enter', ignored: 'in the room already (the controller rejects INVALID_STATE)' },
    { from, on: 'sdk.error 5500/5501', then: { to, emits: ['warning'], context: { warning: 'SDK 5500/5501' } } },
    // The SDK left CONNECTED: the grace starts; only an outage that outlasts it shows.
    { from, on: 'sdk.connectionChanged', then: { to, context: { connectionLapse: true } } },
    { from, on: 'sdk.remote', then: { to, calls: [], emits: ['remoteUsersChanged'] } },
    { from, on: 'sdk.networkQuality', then: { to, context: { network } } },
    { from, on: 'sdk.autoplayFailed', then: { to, context: { autoplayBlocked: true } } },
    ...mediaRows(from, to),
    ...remoteRows(from, to, 'session'),
    ...ignoring(from, EXIT_ANSWERS, NO_EXIT),
    { from, on: 'device stop settles', ignored: NO_STOP },
  ];
}

/** Rows of a switch in flight and awaited. */
function switchingRows(from: Source & `inRoom.switching${string}`): Row[] {
  return [
    ...inRoomRows(from),
    ...ignoring(from, SWITCH_KINDS, SWITCHING),
    ...ignoring(from, ENTER_ANSWERS, NO_ENTER),
    ...notApplicable(from, ABANDONED_DONE, AWAITED_SWITCH),
    { from, on: 'abandoned-call bound passes', na: 'the switch bound passes first' },
    { from, on: 'exit bound passes', ignored: `${NO_EXIT}; the switch bound is longer` },
  ];
}

/** Rows every exiting.leaving source shares: only what ends a session is heard, remote media is refused. */
function leavingRows(from: Source & `exiting.leaving${string}`): Row[] {
  const to = SOURCE_STATE[from];
  return [
    { from, on: 'room.enter', ignored: 'an exit is in flight (the controller rejects INVALID_STATE)' },
    leavingUnheard(from),
    ...ignoring(from, QUIET_SDK_KINDS, 'only what ends a session is heard while leaving'),
    ...ignoring(from, SWITCH_KINDS, NOT_IN_ROOM),
    ...ignoring(from, MEDIA_KINDS, `${NO_MEDIA}; the devices are released next`),
    ...remoteRows(from, to, 'winding down'),
    ...ignoring(from, ENTER_ANSWERS, NO_ENTER),
    { from, on: 'device stop settles', ignored: NO_STOP },
  ];
}

/** Rows of an exitRoom in flight: a kick or a failed rejoin heard now stops any retry. */
function callingRows(from: Source & `exiting.leaving.${'calling' | 'retrying'}${string}`): Row[] {
  const to = SOURCE_STATE[from];
  return [
    { from, on: 'sdk.kickedOut', then: { to, context: { sdkLeft: true } } },
    { from, on: 'sdk.error 5400', then: { to, context: { sdkLeft: true } } },
    { from, on: 'enter bound passes', na: `${NO_ENTER}; ${EXIT_BOUND_FIRST}` },
    ...ignoring(from, SWITCH_DONE, NO_SWITCH),
    ...ignoring(from, ABANDONED_DONE, NOTHING_ABANDONED),
    { from, on: 'abandoned-call bound passes', na: EXIT_BOUND_FIRST },
  ];
}

/** The SDK left by itself while the exit waited for the switch: no exitRoom, and the instance is retired. */
function sdkLeftWhileWaiting(): Retiring {
  return {
    factory: {
      to: 'idle',
      calls: ['destroyInstance', 'renewInstance', 'clearRoster'],
      emits: ['exited', 'switch.settled SWITCH_FAILED'],
      context: { sdkLeft: true, callInFlight: null, instance: 2, retireRequested: false, owedOutcome: null },
    },
    plain: {
      to: 'destroyed',
      calls: ['destroyInstance', 'clearRoster'],
      emits: ['exited', 'switch.settled SWITCH_FAILED', 'destroyed'],
      context: { sdkLeft: true, callInFlight: null, owedOutcome: null },
    },
  };
}

/**
 * The devices are released (or their bound passed): the wedged instance is retired, and the enter
 * settles. `stopped`: the device stop settled (media.settled first); else the device is lost with
 * the instance (media.settled last, with a factory).
 */
function enterRetired(stopped: boolean): Retiring {
  const context: Partial<ContextView> = stopped ? { microphone: 'off' } : {};
  const deviceAtRest: Emitted[] = ['media.settled ok'];
  return {
    factory: {
      to: 'idle',
      calls: ['destroyInstance', 'renewInstance', 'clearRoster'],
      emits: stopped ? [...deviceAtRest, 'enter.settled ENTER_TIMEOUT'] : ['enter.settled ENTER_TIMEOUT', ...deviceAtRest],
      context: { callInFlight: null, instance: 2, retireRequested: false, owedOutcome: null, microphone: 'off', ...context },
    },
    plain: {
      to: 'destroyed',
      calls: ['destroyInstance', 'clearRoster'],
      emits: [...(stopped ? deviceAtRest : []), 'enter.settled ENTER_TIMEOUT', 'destroyed'],
      context: { callInFlight: null, owedOutcome: null, ...context },
    },
  };
}

/** Rows every kicked source shares: the SDK has left the room; the next enter starts afresh. */
function kickedRows(from: Source & `kicked${string}`): Row[] {
  return [
    { from, on: 'room.exit', then: { to: 'kicked', emits: ['exit.settled ok'] } },
    { from, on: 'room.destroy', then: destroyedAtOnce() },
    ...ignoring(from, SDK_KINDS, NOT_LISTENING),
    ...ignoring(from, SWITCH_KINDS, NOT_IN_ROOM),
    ...ignoring(from, MEDIA_KINDS, NO_MEDIA),
    ...remoteRows(from, 'kicked', 'winding down'),
    { from, on: 'enter bound passes', ignored: NO_BOUND },
    { from, on: 'abandoned-call bound passes', ignored: NO_BOUND },
    ...ignoring(from, EXIT_DONE, NO_EXIT),
    { from, on: 'device stop settles', ignored: NO_STOP },
  ];
}

/** Rows of a kick that left a lifecycle call in flight: it is tracked until it answers, and a new enter waits for it. */
function abandonedByKickRows(from: Source & `kicked, ${string}`): Row[] {
  return rows(from, {
    'room.enter': { to: 'entering.waitingForCall', context: { kickReason: null, role: 'anchor' } },
    'abandoned call answers late': { to: 'kicked', context: { callInFlight: null } },
    'abandoned call fails late': { to: 'kicked', context: { callInFlight: null } },
  });
}

/** The SDK listeners a state runs, by whether each feeds the roster. */
function listenersOf(snapshot: RoomSnapshot): boolean[] {
  if (snapshot.matches('entering') || snapshot.matches('inRoom')) return [true];
  return snapshot.matches('exiting') ? [false] : [];
}

/** The top-level state of a device child, as the room should mirror it. */
function deviceState(snapshot: RoomSnapshot, kind: DeviceKind): unknown {
  const value: unknown = snapshot.children[kind]?.getSnapshot().value;
  return typeof value === 'object' && value !== null ? Object.keys(value)[0] : value;
}

const TRACKED: readonly CallName[] = ['enterRoom', 'switchRole', 'switchRoom'];

/**
 * Holds whatever the events: the SDK listeners of the state, one destroy per instance, each device
 * mirrored, and every lifecycle call the SDK has not answered tracked in `callInFlight`.
 */
function expectInvariants(room: Room) {
  const snapshot = room.actor.getSnapshot();
  const state = stateOf(snapshot);
  const { callInFlight } = snapshot.context;
  const listening = listenersOf(snapshot);
  expect(room.listeners).toEqual(listening);
  expect(snapshot.status).toBe(state === 'destroyed' ? 'done' : 'active');
  const renewed = room.renewInstance.mock.calls.length;
  expect(renewed).toBe(snapshot.context.instance - 1);
  expect(room.destroyInstance.mock.calls.length).toBe(renewed + (state === 'destroyed' ? 1 : 0));
  if (snapshot.status === 'active') {
    for (const kind of DEVICE_KINDS) expect(snapshot.context.local[kind].status).toBe(deviceState(snapshot, kind));
    const unanswered = room.calls.filter((c) => TRACKED.includes(c.name) && !c.settled && !c.stopped).map((c) => c.name);
    expect(unanswered).toEqual(callInFlight ? [callInFlight] : []);
  }
}

function expectUnchanged(room: Room, before: RoomSnapshot, logLength: number) {
  expect(room.actor.getSnapshot().value).toEqual(before.value);
  expect(room.actor.getSnapshot().context).toEqual(before.context);
  expect(room.log.length).toBe(logLength);
  expect(room.emitted).toEqual([]);
}

async function enterRoom(canRenewInstance: boolean, setup: Setup = PLAIN_SETUP): Promise<Room> {
  const room = startRoom(canRenewInstance, setup);
  await REACH['inRoom.active'](room);
  return room;
}

interface StateNodeLike {
  path: string[];
  states: Record<string, StateNodeLike>;
}
const leafStates = (node: StateNodeLike): string[] => {
  const children = Object.values(node.states);
  return children.length === 0 ? [node.path.join('.')] : children.flatMap(leafStates);
};

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('room machine transition table', () => {
  it('has exactly one row for every state of the machine and every event kind', () => {
    const sources = new Set<string>(Object.values(SOURCE_STATE));
    expect(new Set([...sources, ...Object.keys(TRANSIENT)])).toEqual(new Set(leafStates(roomMachine.root)));

    const missing: string[] = [];
    for (const source of SOURCES) {
      for (const kind of KINDS) {
        const count = ROWS.filter((row) => row.from === source && row.on === kind).length;
        if (count !== 1) missing.push(`${source} + ${kind}: ${count} rows`);
      }
    }
    expect(missing).toEqual([]);
    expect(ROWS).toHaveLength(SOURCES.length * KINDS.length);
  });

  it('covers every event the machine handles', () => {
    expect(new Set(roomMachine.events)).toEqual(new Set(Object.values(MACHINE_EVENTS).flat()));
  });

  describe.each([
    { canRenewInstance: true, instance: 'factory' },
    { canRenewInstance: false, instance: 'plain instance' },
  ] as const)('with a $instance', ({ canRenewInstance }) => {
    it.each(ROWS.map((row) => [`${row.from} + ${row.on}`, row] as const))('%s', async (_, row) => {
      // XState warns about events sent to a stopped actor; in `destroyed` that is the point.
      if (row.from === 'destroyed') vi.spyOn(console, 'warn').mockImplementation(() => {});
      const room = startRoom(canRenewInstance, { ...PLAIN_SETUP, ...SETUP[row.on] });
      if (room.setup.cameraOn) await turnOn(room, 'camera');
      if (room.setup.remoteCall) room.send(remoteCallOf(room.setup.remoteCall));
      await REACH[row.from](room);
      expect(leafOf(room.actor.getSnapshot())).toBe(SOURCE_STATE[row.from]);
      expectInvariants(room);
      if ('na' in row) return;
      if ('ignored' in row) expectNothingToComplete(room, row.from, row.on);

      const before = room.actor.getSnapshot();
      const logLength = room.log.length;
      room.emitted.length = 0;
      await HAPPEN[row.on](room);

      if ('ignored' in row) {
        expectUnchanged(room, before, logLength);
      } else {
        const effects = 'to' in row.then ? row.then : canRenewInstance ? row.then.factory : row.then.plain;
        const after = room.actor.getSnapshot();
        expect(leafOf(after)).toBe(effects.to);
        expect(room.log.slice(logLength)).toEqual(effects.calls ?? []);
        expect(room.emitted).toEqual(effects.emits ?? []);
        expect(view(after.context)).toEqual({ ...view(before.context), ...effects.context });
      }
      expectInvariants(room);
    });
  });
});

describe('room machine sequences', () => {
  it('passes the target to enterRoom, the role to switchRole and the room to switchRoom', async () => {
    const room = await enterRoom(true);
    room.send({ type: 'room.switchRole', role: 'audience' });
    await room.settle(['switchRole'], 'resolve');
    room.send({ type: 'room.switchRoom', room: otherRoom });
    await room.settle(['switchRoom'], 'resolve');
    expect(room.calls.map((c) => c.input)).toEqual([{ target }, { role: 'audience' }, { room: otherRoom }]);
  });

  it('a switched room keeps the enter options and takes back the role given to enter', async () => {
    const room = await enterRoom(true, { ...PLAIN_SETUP, target: liveAudience });
    room.send({ type: 'room.switchRole', role: 'anchor' });
    await room.settle(['switchRole'], 'resolve');
    expect(room.actor.getSnapshot().context.role).toBe('anchor');
    room.send({ type: 'room.switchRoom', room: otherRoom });
    await room.settle(['switchRoom'], 'resolve');
    expect(room.actor.getSnapshot().context).toMatchObject({ target: { ...liveAudience, roomId: 9999 }, role: 'audience' });
  });

  it.each([true, false])('destroy from inRoom: exitRoom settles before the instance is destroyed (factory: %s)', async (canRenewInstance) => {
    const room = await enterRoom(canRenewInstance);
    room.send({ type: 'room.destroy' });
    expect(sdkCalls(room)).toEqual(['enterRoom', 'exitRoom']);
    await room.settle(['exitRoom'], 'resolve');
    expect(sdkCalls(room)).toEqual(['enterRoom', 'exitRoom', 'destroyInstance']);
    expect(leafOf(room.actor.getSnapshot())).toBe('destroyed');
  });

  describe.each([true, false])('destroy while exiting (factory: %s)', (canRenewInstance) => {
    const rejectsTwice = async (room: Room) => {
      await HAPPEN['exitRoom rejects'](room);
      await HAPPEN['exitRoom rejects'](room);
    };
    it.each([
      ['exitRoom resolves', HAPPEN['exitRoom resolves'], null, ['exitRoom']],
      ['exitRoom rejects twice', rejectsTwice, 'EXIT_FAILED', ['exitRoom', 'exitRoom']],
      ['exit bound passes', HAPPEN['exit bound passes'], 'EXIT_TIMEOUT', ['exitRoom']],
    ] as const)('then %s: destroyed, one destroy, no renewal', async (_, happen, error, exits) => {
      const room = await enterRoom(canRenewInstance);
      room.send({ type: 'room.exit' });
      room.send({ type: 'room.destroy' });
      await happen(room);
      const snapshot = room.actor.getSnapshot();
      expect(leafOf(snapshot)).toBe('destroyed');
      expect(snapshot.context.error?.code ?? null).toBe(error);
      expect(sdkCalls(room)).toEqual(['enterRoom', ...exits, 'destroyInstance']);
      expect(room.emitted).toContain(`exit.settled ${error ?? 'ok'}`);
      expect(room.renewInstance).not.toHaveBeenCalled();
      expectInvariants(room);
    });
  });

  describe.each(['room.switchRole', 'room.switchRoom'] as const)('a request during %s is taken once the switch settles', (type) => {
    const startSwitch = (room: Room) =>
      room.send(type === 'room.switchRole' ? { type, role: 'audience' } : { type, room: otherRoom });

    it.each(['resolve', 'reject'] as const)('exit, then the switch settles: %s', async (outcome) => {
      const room = await enterRoom(true);
      startSwitch(room);
      room.send({ type: 'room.exit' });
      room.emitted.length = 0;
      expect(room.pending(['exitRoom'])).toBeUndefined();
      await room.settle(SWITCHES, outcome);
      expect(leafOf(room.actor.getSnapshot())).toBe('exiting.leaving.calling');
      await room.settle(['exitRoom'], 'resolve');
      expect(leafOf(room.actor.getSnapshot())).toBe('idle');
      expect(sdkCalls(room)).toEqual(['enterRoom', type === 'room.switchRole' ? 'switchRole' : 'switchRoom', 'exitRoom']);
      expect(room.emitted.filter((e) => e.includes('.settled'))).toEqual([
        outcome === 'resolve' ? 'switch.settled CANCELLED' : 'switch.settled SWITCH_FAILED',
        'exit.settled ok',
      ]);
      expectInvariants(room);
    });

    it.each(['resolve', 'reject'] as const)('destroy, then the switch settles: %s', async (outcome) => {
      const room = await enterRoom(true);
      startSwitch(room);
      room.send({ type: 'room.destroy' });
      await room.settle(SWITCHES, outcome);
      await room.settle(['exitRoom'], 'resolve');
      expect(leafOf(room.actor.getSnapshot())).toBe('destroyed');
      expect(sdkCalls(room)).toEqual(['enterRoom', type === 'room.switchRole' ? 'switchRole' : 'switchRoom', 'exitRoom', 'destroyInstance']);
      expectInvariants(room);
    });
  });

  it.each([
    ['a kick', { type: 'sdk.kickedOut', reason: 'banned' }, 'switch.settled KICKED'],
    ['a failed rejoin', { type: 'sdk.error', error: { code: 5400, extraCode: 0, message: 'reJoin room failed' } }, 'switch.settled CONNECTION_LOST'],
  ] as const)('a destroy asked for during a switch is still carried out when %s ends the session', async (_, ending, settled) => {
    const room = await enterRoom(true);
    room.send({ type: 'room.switchRole', role: 'audience' });
    room.send({ type: 'room.destroy' });
    room.send(ending);
    await vi.advanceTimersByTimeAsync(0);
    expect(leafOf(room.actor.getSnapshot())).toBe('destroyed');
    expect(sdkCalls(room)).toEqual(['enterRoom', 'switchRole', 'destroyInstance']);
    expect(room.emitted).toContain(settled);
    expectInvariants(room);
  });

  it.each([true, false])(
    'a switch past its bound: the room is left once the SDK gives up on it, the instance retired, the switch settled last (factory: %s)',
    async (canRenewInstance) => {
      const room = await enterRoom(canRenewInstance);
      room.send({ type: 'room.switchRole', role: 'audience' });
      await room.elapse(ENTER_MS);
      expect(room.emitted).not.toContain('switch.settled SWITCH_FAILED');
      await room.elapse(SDK_SWITCH_TIMEOUT_MS);
      expect(sdkCalls(room)).toEqual(['enterRoom', 'switchRole', 'exitRoom']);
      await room.settle(['exitRoom'], 'resolve');
      expect(leafOf(room.actor.getSnapshot())).toBe(canRenewInstance ? 'idle' : 'destroyed');
      expect(sdkCalls(room).slice(3)).toEqual(canRenewInstance ? ['destroyInstance', 'renewInstance'] : ['destroyInstance']);
      expect(room.emitted.filter((e) => e.includes('.settled'))).toEqual(['enter.settled ok', 'switch.settled SWITCH_FAILED']);
      expectInvariants(room);
    },
  );

  it('reconnecting: a repeated status changes nothing; back to CONNECTED clears the warning', async () => {
    const room = await enterRoom(true);
    room.send({ type: 'sdk.error', error: { code: 5500, extraCode: 5501, message: 'network unstable' } });
    room.send({ type: 'sdk.connectionChanged', prevState: 'CONNECTED', state: 'DISCONNECTED' });
    room.send({ type: 'sdk.connectionChanged', prevState: 'DISCONNECTED', state: 'CONNECTING' });
    await vi.advanceTimersByTimeAsync(GRACE_MS);
    expect(room.actor.getSnapshot().context).toMatchObject({ connection: 'reconnecting', warning: { sdkCode: 5500 } });

    room.emitted.length = 0;
    room.send({ type: 'sdk.connectionChanged', prevState: 'CONNECTING', state: 'CONNECTED' });
    expect(room.actor.getSnapshot().context).toMatchObject({ connection: 'connected', warning: null });
    expect(room.emitted).toEqual(['connection']);
  });

  it('a kick 50 ms after the DISCONNECTED that announces it: connected, then disconnected, never reconnecting', async () => {
    const room = await enterRoom(true);
    const shown: string[] = [];
    room.actor.subscribe((snapshot) => {
      if (shown.at(-1) !== snapshot.context.connection) shown.push(snapshot.context.connection);
    });
    room.send({ type: 'sdk.connectionChanged', prevState: 'CONNECTED', state: 'DISCONNECTED' });
    await vi.advanceTimersByTimeAsync(50);
    room.send({ type: 'sdk.kickedOut', reason: 'kick' });
    await vi.advanceTimersByTimeAsync(GRACE_MS * 2);
    expect(shown).toEqual(['connected', 'disconnected']);
    expect(room.actor.getSnapshot().context.connectionLapse).toBe(false);
    expect(leafOf(room.actor.getSnapshot())).toBe('kicked');
  });

  it('entering again after a kick listens once and calls enterRoom once more', async () => {
    const room = await enterRoom(true);
    room.send({ type: 'sdk.kickedOut', reason: 'kick' });
    room.send({ type: 'room.enter', target });
    await room.settle(['enterRoom'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('inRoom.active');
    expect(sdkCalls(room)).toEqual(['enterRoom', 'enterRoom']);
    expectInvariants(room);
  });

  it('an enter that waited for a switch left in flight by a kick enters with its own enterRoom', async () => {
    const room = startRoom(true);
    await REACH['entering.waitingForCall'](room);
    await room.settle(['switchRole'], 'resolve');
    expect(sdkCalls(room)).toEqual(['enterRoom', 'switchRole', 'enterRoom']);
    await room.settle(['enterRoom'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('inRoom.active');
    expectInvariants(room);
  });

  it('passes a roster notice on as remoteUsersChanged, with no call and the same snapshot (the roster lives outside it)', async () => {
    const room = await enterRoom(true);
    const before = room.actor.getSnapshot();
    const seen: unknown[] = [];
    const heard: unknown[] = [];
    room.actor.subscribe((snapshot) => seen.push(snapshot));
    room.actor.on('remoteUsersChanged', (event) => heard.push(event));
    room.send({ type: 'sdk.remote', count: 3, changes: [newcomer] });
    expect(seen).toEqual([before]);
    expect(heard).toEqual([{ type: 'remoteUsersChanged', count: 3, changes: [newcomer] }]);
    expect(sdkCalls(room)).toEqual(['enterRoom']);
  });

  it('a live audience may start a device that does not publish', async () => {
    const room = await enterRoom(true, { ...PLAIN_SETUP, target: liveAudience });
    room.send({ type: 'media.start', device: 'camera', publish: false });
    expect(room.actor.getSnapshot().context.local.camera.status).toBe('starting');
  });
});

describe('remote calls', () => {
  it('a remote call gets its input, and its answer carries the change back to be applied', async () => {
    const room = await enterRoom(true);
    const applied = vi.fn();
    room.send({ type: 'remote.call', id: 3, call: 'muteRemoteAudio', change: { kind: 'audioMuted', userId: 'bob', muted: true } });
    expect(room.pending(['remoteCall'])?.input).toEqual({ id: 3, call: 'muteRemoteAudio', change: { kind: 'audioMuted', userId: 'bob', muted: true } });
    room.actor.on('remote.settled', applied);
    await room.settle(['remoteCall'], 'resolve');
    expect(applied).toHaveBeenCalledWith({ type: 'remote.settled', id: 3, error: null });
  });

  it('destroy settles every remote call in flight with DESTROYED, and their answers go nowhere', async () => {
    const room = startRoom(true);
    room.send({ type: 'remote.call', id: 1, call: 'startRemoteVideo', change: playing });
    room.send({ type: 'remote.call', id: 2, call: 'enableAudioVolumeEvaluation' });
    const [first, second] = room.calls;
    room.send({ type: 'room.destroy' });
    expect(room.emitted).toEqual(['remote.settled DESTROYED', 'remote.settled DESTROYED', 'destroyed']);
    first?.resolve();
    second?.reject(new Error('late'));
    await vi.advanceTimersByTimeAsync(0);
    expect(room.emitted).toHaveLength(3);
    expect([first?.stopped, second?.stopped]).toEqual([true, true]);
  });
});

describe('an abandoned call stays tracked until it answers, and what ended its session is known', () => {
  // Invariant 10. In kicked and idle the call was given up on because the SDK left the room by
  // itself (a kick, a failed rejoin): that is recorded (sdkLeft), so nothing more the SDK could say
  // changes what its late answer means, and no listener is kept for it.
  it.each(['kicked, a switch in flight', 'kicked, an enter in flight', 'idle, a switch in flight (failed rejoin)'] as const)(
    '%s',
    async (from) => {
      const room = startRoom(true);
      await REACH[from](room);
      const { callInFlight, sdkLeft } = room.actor.getSnapshot().context;
      expect({ callInFlight: callInFlight !== null, sdkLeft }).toEqual({ callInFlight: true, sdkLeft: true });
      const before = sdkCalls(room).length;
      await HAPPEN['abandoned call answers late'](room);
      expect(room.actor.getSnapshot().context.callInFlight).toBeNull();
      expect(sdkCalls(room).slice(before)).toEqual([]);
    },
  );

  // Invariant 1: releasing leaves a late enter's room only if no kick came, so a kick must be heard there.
  it('a kick while an enter past its bound is released: the enter getting in late is not followed by exitRoom', async () => {
    const room = startRoom(true);
    await REACH['exiting.releasing, an enter past its bound'](room);
    room.send({ type: 'sdk.kickedOut', reason: 'kick' });
    await room.settle(['enterRoom'], 'resolve');
    expect(room.log).not.toContain('exitRoom');
  });
});

describe('local devices at the end of a session', () => {
  const toDestroy: Record<string, (room: Room) => Promise<void>> = {
    idle: async () => {},
    entering: REACH.entering,
    kicked: REACH.kicked,
  };

  it.each(Object.keys(toDestroy))('destroy from %s waits for a device that is on to stop', async (from) => {
    const room = startRoom(true);
    await turnOn(room, 'camera');
    await toDestroy[from]?.(room);
    room.send({ type: 'room.destroy' });
    expect(leafOf(room.actor.getSnapshot())).toBe('exiting.releasing');
    expect(room.destroyInstance).not.toHaveBeenCalled();

    await room.settle(['stopDevice'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('destroyed');
    expect(sdkCalls(room).slice(-2)).toEqual(['stopDevice(camera)', 'destroyInstance']);
    expect(room.log).not.toContain('exitRoom');
    expectInvariants(room);
  });

  it.each([
    ['enter', REACH.entering, 'enter.settled ENTER_TIMEOUT'],
    ['switchRole', REACH['inRoom.switchingRole'], 'switch.settled SWITCH_FAILED'],
    ['switchRoom', REACH['inRoom.switchingRoom'], 'switch.settled SWITCH_FAILED'],
  ] as const)('%s past its bound with a device on: the instance is retired once the device has stopped', async (call, reach, settled) => {
    for (const canRenewInstance of [true, false]) {
      const room = startRoom(canRenewInstance);
      await turnOn(room, 'camera');
      await reach(room);
      await room.elapse(ENTER_MS);
      if (call !== 'enter') {
        // The room is left first, once the switch has answered.
        expect(leafOf(room.actor.getSnapshot())).toBe('exiting.leaving.waitingForCall');
        await room.settle([call], 'reject');
        await room.settle(['exitRoom'], 'resolve');
      }
      expect(leafOf(room.actor.getSnapshot())).toBe('exiting.releasing');
      expect(room.actor.getSnapshot().context).toMatchObject({ retireRequested: true, error: { code: settled.split(' ')[1] } });
      expect(room.destroyInstance).not.toHaveBeenCalled();
      expect(room.emitted).not.toContain(settled);

      await room.settle(['stopDevice'], 'resolve');
      expect(leafOf(room.actor.getSnapshot())).toBe(canRenewInstance ? 'idle' : 'destroyed');
      const calls = sdkCalls(room);
      expect(calls.slice(calls.indexOf('stopDevice(camera)'))).toEqual(
        canRenewInstance ? ['stopDevice(camera)', 'destroyInstance', 'renewInstance'] : ['stopDevice(camera)', 'destroyInstance'],
      );
      expect(room.emitted).toContain(settled);
      expect(room.actor.getSnapshot().context.retireRequested).toBe(!canRenewInstance);
      expectInvariants(room);
    }
  });

  it('releasing waits for every device that is on', async () => {
    const room = await enterRoom(true);
    await turnOn(room, 'camera');
    await turnOn(room, 'screen');
    room.send({ type: 'room.exit' });
    await room.settle(['exitRoom'], 'resolve');
    expect(sdkCalls(room).slice(-2)).toEqual(['stopDevice(camera)', 'stopDevice(screen)']);

    await room.settle(['stopDevice'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('exiting.releasing');
    await room.settle(['stopDevice'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('idle');
    expectInvariants(room);
  });

  it('a device still starting is stopped once it has started', async () => {
    const room = await enterRoom(true);
    room.send({ type: 'media.start', device: 'camera', publish: true });
    room.send({ type: 'room.exit' });
    await room.settle(['exitRoom'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('exiting.releasing');
    await room.settle(['startDevice'], 'resolve');
    expect(room.actor.getSnapshot().context.local.camera.status).toBe('stopping');
    await room.settle(['stopDevice'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('idle');
  });

  it.each([
    ['a kick', { type: 'sdk.kickedOut', reason: 'kick' }, 'kicked'],
    ['a failed rejoin', { type: 'sdk.error', error: { code: 5400, message: 'rejoin failed' } }, 'idle'],
  ] as const)('after %s the devices are stopped without exitRoom', async (_, event, to) => {
    const room = await enterRoom(true);
    await turnOn(room, 'camera');
    room.send(event);
    expect(leafOf(room.actor.getSnapshot())).toBe(to);
    expect(room.actor.getSnapshot().context.local.camera.status).toBe('stopping');
    expect(sdkCalls(room).slice(-1)).toEqual(['stopDevice(camera)']);
    expect(room.pending(['exitRoom'])).toBeUndefined();
  });

  it('a stop that outlasts the release bound still reaches the context', async () => {
    const room = startRoom(true);
    await REACH['exiting.releasing, a device stopping'](room);
    await room.elapse(EXIT_MS);
    expect(room.actor.getSnapshot().context.local.microphone.status).toBe('stopping');
    await room.settle(['stopDevice'], 'resolve');
    expect(room.actor.getSnapshot().context.local.microphone.status).toBe('off');
    expect(leafOf(room.actor.getSnapshot())).toBe('idle');
    expectInvariants(room);
  });
});

// A call the machine still tracks answers in the table (the abandoned-call rows); one it stopped
// (its instance destroyed or retired) answers into nothing.
describe('late answer of a call the machine stopped changes nothing', () => {
  const boundThenEnter = async (room: Room) => {
    await HAPPEN['enter bound passes'](room);
    room.send({ type: 'room.enter', target });
  };
  const cases: Array<{ call: CallName; reach: Source; leave: string; how: (room: Room) => Promise<void> }> = [
    { call: 'enterRoom', reach: 'entering', leave: 'room.destroy', how: HAPPEN['room.destroy'] },
    { call: 'enterRoom', reach: 'entering', leave: 'the enter bound', how: HAPPEN['enter bound passes'] },
    // A new enter is in flight when the old call settles: only the new one may lead to inRoom.
    { call: 'enterRoom', reach: 'entering', leave: 'the enter bound, then a new enter', how: boundThenEnter },
    { call: 'enterRoom', reach: 'kicked, an enter in flight', leave: 'room.destroy', how: HAPPEN['room.destroy'] },
    { call: 'switchRole', reach: 'entering.waitingForCall', leave: 'the enter bound, then a new enter', how: boundThenEnter },
    { call: 'switchRole', reach: 'exiting.leaving.waitingForCall', leave: 'a kick (the instance is retired)', how: HAPPEN['sdk.kickedOut'] },
    { call: 'exitRoom', reach: 'exiting.leaving.calling', leave: 'the exit bound', how: HAPPEN['exit bound passes'] },
    { call: 'exitRoom', reach: 'exiting.leaving.retrying', leave: 'the exit bound', how: HAPPEN['exit bound passes'] },
  ];

  describe.each(cases)('$call, after $leave', ({ call, reach, how }) => {
    it.each(['resolve', 'reject'] as const)('settles late: %s', async (outcome) => {
      const room = startRoom(true);
      await REACH[reach](room);
      const abandoned = room.pending([call]);
      await how(room);

      const before = room.actor.getSnapshot();
      const logLength = room.log.length;
      room.emitted.length = 0;
      expect(abandoned?.stopped).toBe(true);
      if (outcome === 'resolve') abandoned?.resolve();
      else abandoned?.reject(new Error('late'));
      await vi.advanceTimersByTimeAsync(0);

      expect(abandoned?.settled).toBe(true);
      expectUnchanged(room, before, logLength);
      expectInvariants(room);
    });
  });
});
