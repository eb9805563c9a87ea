import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createActor, fromCallback, fromPromise } from 'xstate';
import type { EventObject } from 'xstate';
import { roomMachine } from '../src/machines/room/room.machine.js';
import type {
  EnterRoomInput,
  RoomContext,
  RoomEmittedType,
  RoomEvent,
  RoomStateName,
  RoomTarget,
  SdkEvent,
} from '../src/machines/room/room.types.js';

const ENTER_MS = 1000;
const EXIT_MS = 500;
const target: RoomTarget = { sdkAppId: 1400000000, userId: 'alice', roomId: 8888 };

type SdkCall = 'enterRoom' | 'exitRoom' | 'destroyInstance' | 'renewInstance';
type LifecycleCall = Extract<SdkCall, 'enterRoom' | 'exitRoom'>;

interface CallInFlight {
  name: LifecycleCall;
  input: EnterRoomInput | undefined;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/** The room machine with every SDK-facing actor and action replaced by one the test controls. */
function startRoom(canRenewInstance: boolean) {
  const log: SdkCall[] = [];
  const calls: CallInFlight[] = [];
  const emitted: RoomEmittedType[] = [];
  let listeners = 0;

  const call = (name: LifecycleCall, input?: EnterRoomInput) =>
    new Promise<void>((resolve, reject) => {
      log.push(name);
      const entry: CallInFlight = {
        name,
        input,
        settled: false,
        resolve: () => {
          entry.settled = true;
          resolve();
        },
        reject: (error) => {
          entry.settled = true;
          reject(error);
        },
      };
      calls.push(entry);
    });
  const destroyInstance = vi.fn(() => {
    log.push('destroyInstance');
  });
  const renewInstance = vi.fn(() => {
    log.push('renewInstance');
  });

  const machine = roomMachine.provide({
    actors: {
      enterRoom: fromPromise<void, EnterRoomInput>(({ input }) => call('enterRoom', input)),
      exitRoom: fromPromise<void>(() => call('exitRoom')),
      sdkEvents: fromCallback<EventObject, void, SdkEvent>(() => {
        listeners += 1;
        return () => {
          listeners -= 1;
        };
      }),
    },
    actions: { destroyInstance, renewInstance },
  });
  const actor = createActor(machine, { input: { enterTimeoutMs: ENTER_MS, exitTimeoutMs: EXIT_MS, canRenewInstance } });
  actor.on('*', (event) => emitted.push(event.type));
  actor.start();
  onTestFinished(() => {
    actor.stop();
  });

  return {
    actor,
    log,
    calls,
    emitted,
    destroyInstance,
    renewInstance,
    get listeners() {
      return listeners;
    },
    send(event: RoomEvent) {
      actor.send(event);
    },
    pending(name: LifecycleCall): CallInFlight | undefined {
      return calls.find((c) => c.name === name && !c.settled);
    },
    async settle(name: LifecycleCall, outcome: 'resolve' | 'reject') {
      const inFlight = calls.find((c) => c.name === name && !c.settled);
      if (outcome === 'resolve') inFlight?.resolve();
      else inFlight?.reject(new Error(`${name} refused`));
      await vi.advanceTimersByTimeAsync(0);
    },
    /** Lets `ms` pass, checking that nothing happens one millisecond before. */
    async elapse(ms: number) {
      const before = actor.getSnapshot().value;
      await vi.advanceTimersByTimeAsync(ms - 1);
      expect(actor.getSnapshot().value).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
    },
  };
}
type Room = ReturnType<typeof startRoom>;

// ---------------------------------------------------------------------------------------------
// Source states: the machine's states, with `entering` and `exiting` split by the request they
// carry, since the same event leads elsewhere with it.

const SOURCE_STATE = {
  idle: 'idle',
  entering: 'entering',
  'entering, exit requested': 'entering',
  inRoom: 'inRoom',
  exiting: 'exiting',
  'exiting, destroy requested': 'exiting',
  kicked: 'kicked',
  destroyed: 'destroyed',
} as const satisfies Record<string, RoomStateName>;
type Source = keyof typeof SOURCE_STATE;
const SOURCES = Object.keys(SOURCE_STATE) as Source[];

const REACH: Record<Source, (room: Room) => Promise<void>> = {
  idle: async () => {},
  entering: async (room) => room.send({ type: 'room.enter', target }),
  'entering, exit requested': async (room) => {
    await REACH.entering(room);
    room.send({ type: 'room.exit' });
  },
  inRoom: async (room) => {
    await REACH.entering(room);
    await room.settle('enterRoom', 'resolve');
  },
  exiting: async (room) => {
    await REACH.inRoom(room);
    room.send({ type: 'room.exit' });
  },
  'exiting, destroy requested': async (room) => {
    await REACH.inRoom(room);
    room.send({ type: 'room.destroy' });
  },
  kicked: async (room) => {
    await REACH.inRoom(room);
    room.send({ type: 'sdk.kickedOut', reason: 'kick' });
  },
  destroyed: async (room) => room.send({ type: 'room.destroy' }),
};

// ---------------------------------------------------------------------------------------------
// Event kinds: what the user, the SDK, the calls in flight and time can do.

const KINDS = [
  'room.enter',
  'room.exit',
  'room.destroy',
  'sdk.kickedOut',
  'sdk.error 5400',
  'sdk.error 5500/5501',
  'sdk.connectionChanged',
  'enterRoom resolves',
  'enterRoom rejects',
  'enter bound passes',
  'exitRoom resolves',
  'exitRoom rejects',
  'exit bound passes',
] as const;
type Kind = (typeof KINDS)[number];

const HAPPEN: Record<Kind, (room: Room) => Promise<void>> = {
  'room.enter': async (room) => room.send({ type: 'room.enter', target }),
  'room.exit': async (room) => room.send({ type: 'room.exit' }),
  'room.destroy': async (room) => room.send({ type: 'room.destroy' }),
  'sdk.kickedOut': async (room) => room.send({ type: 'sdk.kickedOut', reason: 'kick' }),
  'sdk.error 5400': async (room) => room.send({ type: 'sdk.error', error: { code: 5400, message: 'rejoin failed' } }),
  'sdk.error 5500/5501': async (room) =>
    room.send({ type: 'sdk.error', error: { code: 5500, extraCode: 5501, message: 'network unstable' } }),
  'sdk.connectionChanged': async (room) =>
    room.send({ type: 'sdk.connectionChanged', prevState: 'CONNECTED', state: 'DISCONNECTED' }),
  'enterRoom resolves': (room) => room.settle('enterRoom', 'resolve'),
  'enterRoom rejects': (room) => room.settle('enterRoom', 'reject'),
  'enter bound passes': (room) => room.elapse(ENTER_MS),
  'exitRoom resolves': (room) => room.settle('exitRoom', 'resolve'),
  'exitRoom rejects': (room) => room.settle('exitRoom', 'reject'),
  'exit bound passes': (room) => room.elapse(EXIT_MS),
};

/** The machine event each kind becomes, to check the kinds cover every event the machine handles. */
const MACHINE_EVENT: Record<Kind, string> = {
  'room.enter': 'room.enter',
  'room.exit': 'room.exit',
  'room.destroy': 'room.destroy',
  'sdk.kickedOut': 'sdk.kickedOut',
  'sdk.error 5400': 'sdk.error',
  'sdk.error 5500/5501': 'sdk.error',
  'sdk.connectionChanged': 'sdk.connectionChanged',
  'enterRoom resolves': 'xstate.done.actor.enterRoom',
  'enterRoom rejects': 'xstate.error.actor.enterRoom',
  'enter bound passes': 'xstate.after.enterTimeout.room.entering',
  'exitRoom resolves': 'xstate.done.actor.exitRoom',
  'exitRoom rejects': 'xstate.error.actor.exitRoom',
  'exit bound passes': 'xstate.after.exitTimeout.room.exiting',
};

const COMPLETION_OF: Partial<Record<Kind, LifecycleCall>> = {
  'enterRoom resolves': 'enterRoom',
  'enterRoom rejects': 'enterRoom',
  'enter bound passes': 'enterRoom',
  'exitRoom resolves': 'exitRoom',
  'exitRoom rejects': 'exitRoom',
  'exit bound passes': 'exitRoom',
};

// ---------------------------------------------------------------------------------------------
// The table.

/** Context as compared in the table: the error as its code and SDK codes, the warning as its SDK codes. */
function view(context: RoomContext) {
  const { error, warning } = context;
  return {
    ...context,
    error: error && (error.sdkCode === undefined ? error.code : `${error.code} (${sdkCodes(error)})`),
    warning: warning && sdkCodes(warning),
  };
}
type ContextView = ReturnType<typeof view>;

function sdkCodes({ sdkCode, sdkExtraCode }: { sdkCode?: number; sdkExtraCode?: number }): string {
  return `SDK ${sdkCode}${sdkExtraCode === undefined ? '' : `/${sdkExtraCode}`}`;
}

interface Effects {
  to: RoomStateName;
  /** SDK-facing calls the event causes, in order. */
  calls?: SdkCall[];
  /** Emitted event types, in order. */
  emits?: RoomEmittedType[];
  /** Context fields that change; all others must stay as they were. */
  context?: Partial<ContextView>;
}

type Row = { from: Source; on: Kind } & (
  | { then: Effects }
  /** The outcome depends on whether a wedged instance can be replaced. */
  | { then: { factory: Effects; plain: Effects } }
  /** Nothing changes. */
  | { ignored: string }
  /** Cannot happen in this state: the row checks only that no such call is in flight. */
  | { na: string }
);

const NO_ENTER = 'no enterRoom in flight';
const NO_EXIT = 'no exitRoom in flight';
const NOT_LISTENING = 'no SDK listener in this state';

const ROWS: Row[] = [
  { from: 'idle', on: 'room.enter', then: { to: 'entering', calls: ['enterRoom'], context: { target } } },
  { from: 'idle', on: 'room.exit', ignored: 'not in a room (the controller resolves at once)' },
  { from: 'idle', on: 'room.destroy', then: { to: 'destroyed', calls: ['destroyInstance'], emits: ['destroyed'] } },
  { from: 'idle', on: 'sdk.kickedOut', ignored: NOT_LISTENING },
  { from: 'idle', on: 'sdk.error 5400', ignored: NOT_LISTENING },
  { from: 'idle', on: 'sdk.error 5500/5501', ignored: NOT_LISTENING },
  { from: 'idle', on: 'sdk.connectionChanged', ignored: NOT_LISTENING },
  { from: 'idle', on: 'enterRoom resolves', ignored: NO_ENTER },
  { from: 'idle', on: 'enterRoom rejects', ignored: NO_ENTER },
  { from: 'idle', on: 'enter bound passes', ignored: NO_ENTER },
  { from: 'idle', on: 'exitRoom resolves', ignored: NO_EXIT },
  { from: 'idle', on: 'exitRoom rejects', ignored: NO_EXIT },
  { from: 'idle', on: 'exit bound passes', ignored: NO_EXIT },

  { from: 'entering', on: 'room.enter', ignored: 'an enter is in flight (the controller rejects INVALID_STATE)' },
  { from: 'entering', on: 'room.exit', then: { to: 'entering', context: { exitRequested: true } } },
  { from: 'entering', on: 'room.destroy', then: { to: 'destroyed', calls: ['destroyInstance'], emits: ['destroyed'] } },
  { from: 'entering', on: 'sdk.kickedOut', then: { to: 'kicked', emits: ['kicked'], context: { kickReason: 'kick' } } },
  // enterRoom's own promise decides whether the enter failed; the event is only a warning.
  { from: 'entering', on: 'sdk.error 5400', then: { to: 'entering', emits: ['warning'], context: { warning: 'SDK 5400' } } },
  { from: 'entering', on: 'sdk.error 5500/5501', then: { to: 'entering', emits: ['warning'], context: { warning: 'SDK 5500/5501' } } },
  { from: 'entering', on: 'sdk.connectionChanged', ignored: 'not handled while entering; entering the room sets connected' },
  { from: 'entering', on: 'enterRoom resolves', then: { to: 'inRoom', emits: ['connection', 'entered'], context: { connection: 'connected' } } },
  { from: 'entering', on: 'enterRoom rejects', then: { to: 'idle', emits: ['error'], context: { error: 'ENTER_FAILED' } } },
  {
    from: 'entering',
    on: 'enter bound passes',
    then: {
      factory: { to: 'idle', calls: ['destroyInstance', 'renewInstance'], emits: ['error'], context: { error: 'ENTER_TIMEOUT', instance: 2 } },
      plain: { to: 'destroyed', calls: ['destroyInstance'], emits: ['error', 'destroyed'], context: { error: 'ENTER_TIMEOUT' } },
    },
  },
  { from: 'entering', on: 'exitRoom resolves', ignored: NO_EXIT },
  { from: 'entering', on: 'exitRoom rejects', ignored: NO_EXIT },
  { from: 'entering', on: 'exit bound passes', ignored: `${NO_EXIT}; the enter bound is longer` },

  { from: 'entering, exit requested', on: 'room.enter', ignored: 'an enter is in flight (the controller rejects INVALID_STATE)' },
  { from: 'entering, exit requested', on: 'room.exit', ignored: 'the exit is requested already' },
  { from: 'entering, exit requested', on: 'room.destroy', then: { to: 'destroyed', calls: ['destroyInstance'], emits: ['destroyed'] } },
  { from: 'entering, exit requested', on: 'sdk.kickedOut', then: { to: 'kicked', emits: ['kicked'], context: { kickReason: 'kick' } } },
  { from: 'entering, exit requested', on: 'sdk.error 5400', then: { to: 'entering', emits: ['warning'], context: { warning: 'SDK 5400' } } },
  { from: 'entering, exit requested', on: 'sdk.error 5500/5501', then: { to: 'entering', emits: ['warning'], context: { warning: 'SDK 5500/5501' } } },
  { from: 'entering, exit requested', on: 'sdk.connectionChanged', ignored: 'not handled while entering' },
  // Entered, but the user has asked to leave: straight to exiting, never through inRoom.
  { from: 'entering, exit requested', on: 'enterRoom resolves', then: { to: 'exiting', calls: ['exitRoom'] } },
  { from: 'entering, exit requested', on: 'enterRoom rejects', then: { to: 'idle', emits: ['error'], context: { error: 'ENTER_FAILED' } } },
  {
    from: 'entering, exit requested',
    on: 'enter bound passes',
    then: {
      factory: { to: 'idle', calls: ['destroyInstance', 'renewInstance'], emits: ['error'], context: { error: 'ENTER_TIMEOUT', instance: 2 } },
      plain: { to: 'destroyed', calls: ['destroyInstance'], emits: ['error', 'destroyed'], context: { error: 'ENTER_TIMEOUT' } },
    },
  },
  { from: 'entering, exit requested', on: 'exitRoom resolves', ignored: `${NO_EXIT} (it starts once the enter settles)` },
  { from: 'entering, exit requested', on: 'exitRoom rejects', ignored: `${NO_EXIT} (it starts once the enter settles)` },
  { from: 'entering, exit requested', on: 'exit bound passes', ignored: `${NO_EXIT}; the enter bound is longer` },

  { from: 'inRoom', on: 'room.enter', ignored: 'in the room already (the controller rejects INVALID_STATE)' },
  { from: 'inRoom', on: 'room.exit', then: { to: 'exiting', calls: ['exitRoom'], emits: ['connection'], context: { connection: 'disconnected' } } },
  {
    from: 'inRoom',
    on: 'room.destroy',
    then: { to: 'exiting', calls: ['exitRoom'], emits: ['connection'], context: { connection: 'disconnected', destroyRequested: true } },
  },
  // The SDK has left the room by itself: no exitRoom.
  {
    from: 'inRoom',
    on: 'sdk.kickedOut',
    then: { to: 'kicked', emits: ['connection', 'kicked'], context: { connection: 'disconnected', kickReason: 'kick' } },
  },
  {
    from: 'inRoom',
    on: 'sdk.error 5400',
    then: { to: 'idle', emits: ['connection', 'error'], context: { connection: 'disconnected', error: 'CONNECTION_LOST (SDK 5400)' } },
  },
  { from: 'inRoom', on: 'sdk.error 5500/5501', then: { to: 'inRoom', emits: ['warning'], context: { warning: 'SDK 5500/5501' } } },
  { from: 'inRoom', on: 'sdk.connectionChanged', then: { to: 'inRoom', emits: ['connection'], context: { connection: 'reconnecting' } } },
  { from: 'inRoom', on: 'enterRoom resolves', ignored: `${NO_ENTER}: it settled on the way in` },
  { from: 'inRoom', on: 'enterRoom rejects', ignored: `${NO_ENTER}: it settled on the way in` },
  { from: 'inRoom', on: 'enter bound passes', ignored: `${NO_ENTER}: its bound ended with it` },
  { from: 'inRoom', on: 'exitRoom resolves', ignored: NO_EXIT },
  { from: 'inRoom', on: 'exitRoom rejects', ignored: NO_EXIT },
  { from: 'inRoom', on: 'exit bound passes', ignored: NO_EXIT },

  { from: 'exiting', on: 'room.enter', ignored: 'an exit is in flight (the controller rejects INVALID_STATE)' },
  { from: 'exiting', on: 'room.exit', ignored: 'the exit is in flight already (the controller joins it)' },
  { from: 'exiting', on: 'room.destroy', then: { to: 'exiting', context: { destroyRequested: true } } },
  { from: 'exiting', on: 'sdk.kickedOut', ignored: NOT_LISTENING },
  { from: 'exiting', on: 'sdk.error 5400', ignored: NOT_LISTENING },
  { from: 'exiting', on: 'sdk.error 5500/5501', ignored: NOT_LISTENING },
  { from: 'exiting', on: 'sdk.connectionChanged', ignored: NOT_LISTENING },
  { from: 'exiting', on: 'enterRoom resolves', ignored: NO_ENTER },
  { from: 'exiting', on: 'enterRoom rejects', ignored: NO_ENTER },
  { from: 'exiting', on: 'enter bound passes', na: `${NO_ENTER}; time passing here is the exit bound row` },
  { from: 'exiting', on: 'exitRoom resolves', then: { to: 'idle', emits: ['exited'] } },
  {
    from: 'exiting',
    on: 'exitRoom rejects',
    then: {
      factory: { to: 'idle', calls: ['destroyInstance', 'renewInstance'], emits: ['exited', 'error'], context: { error: 'EXIT_FAILED', instance: 2 } },
      plain: { to: 'destroyed', calls: ['destroyInstance'], emits: ['exited', 'error', 'destroyed'], context: { error: 'EXIT_FAILED' } },
    },
  },
  {
    from: 'exiting',
    on: 'exit bound passes',
    then: {
      factory: { to: 'idle', calls: ['destroyInstance', 'renewInstance'], emits: ['exited', 'error'], context: { error: 'EXIT_TIMEOUT', instance: 2 } },
      plain: { to: 'destroyed', calls: ['destroyInstance'], emits: ['exited', 'error', 'destroyed'], context: { error: 'EXIT_TIMEOUT' } },
    },
  },

  { from: 'exiting, destroy requested', on: 'room.enter', ignored: 'an exit is in flight (the controller rejects INVALID_STATE)' },
  { from: 'exiting, destroy requested', on: 'room.exit', ignored: 'the exit is in flight already' },
  { from: 'exiting, destroy requested', on: 'room.destroy', ignored: 'the destroy is requested already' },
  { from: 'exiting, destroy requested', on: 'sdk.kickedOut', ignored: NOT_LISTENING },
  { from: 'exiting, destroy requested', on: 'sdk.error 5400', ignored: NOT_LISTENING },
  { from: 'exiting, destroy requested', on: 'sdk.error 5500/5501', ignored: NOT_LISTENING },
  { from: 'exiting, destroy requested', on: 'sdk.connectionChanged', ignored: NOT_LISTENING },
  { from: 'exiting, destroy requested', on: 'enterRoom resolves', ignored: NO_ENTER },
  { from: 'exiting, destroy requested', on: 'enterRoom rejects', ignored: NO_ENTER },
  { from: 'exiting, destroy requested', on: 'enter bound passes', na: `${NO_ENTER}; time passing here is the exit bound row` },
  // Destroy wins over renewal: whatever the exit does, the instance is destroyed once and not renewed.
  { from: 'exiting, destroy requested', on: 'exitRoom resolves', then: { to: 'destroyed', calls: ['destroyInstance'], emits: ['exited', 'destroyed'] } },
  {
    from: 'exiting, destroy requested',
    on: 'exitRoom rejects',
    then: { to: 'destroyed', calls: ['destroyInstance'], emits: ['exited', 'error', 'destroyed'], context: { error: 'EXIT_FAILED' } },
  },
  {
    from: 'exiting, destroy requested',
    on: 'exit bound passes',
    then: { to: 'destroyed', calls: ['destroyInstance'], emits: ['exited', 'error', 'destroyed'], context: { error: 'EXIT_TIMEOUT' } },
  },

  { from: 'kicked', on: 'room.enter', then: { to: 'entering', calls: ['enterRoom'], context: { kickReason: null } } },
  { from: 'kicked', on: 'room.exit', ignored: 'the SDK has left the room already (the controller resolves at once)' },
  { from: 'kicked', on: 'room.destroy', then: { to: 'destroyed', calls: ['destroyInstance'], emits: ['destroyed'] } },
  { from: 'kicked', on: 'sdk.kickedOut', ignored: NOT_LISTENING },
  { from: 'kicked', on: 'sdk.error 5400', ignored: NOT_LISTENING },
  { from: 'kicked', on: 'sdk.error 5500/5501', ignored: NOT_LISTENING },
  { from: 'kicked', on: 'sdk.connectionChanged', ignored: NOT_LISTENING },
  { from: 'kicked', on: 'enterRoom resolves', ignored: NO_ENTER },
  { from: 'kicked', on: 'enterRoom rejects', ignored: NO_ENTER },
  { from: 'kicked', on: 'enter bound passes', ignored: NO_ENTER },
  { from: 'kicked', on: 'exitRoom resolves', ignored: NO_EXIT },
  { from: 'kicked', on: 'exitRoom rejects', ignored: NO_EXIT },
  { from: 'kicked', on: 'exit bound passes', ignored: NO_EXIT },

  { from: 'destroyed', on: 'room.enter', ignored: 'final state (the controller rejects DESTROYED)' },
  { from: 'destroyed', on: 'room.exit', ignored: 'final state (the controller rejects DESTROYED)' },
  { from: 'destroyed', on: 'room.destroy', ignored: 'final state; destroy is idempotent' },
  { from: 'destroyed', on: 'sdk.kickedOut', ignored: 'final state' },
  { from: 'destroyed', on: 'sdk.error 5400', ignored: 'final state' },
  { from: 'destroyed', on: 'sdk.error 5500/5501', ignored: 'final state' },
  { from: 'destroyed', on: 'sdk.connectionChanged', ignored: 'final state' },
  { from: 'destroyed', on: 'enterRoom resolves', ignored: `final state; ${NO_ENTER}` },
  { from: 'destroyed', on: 'enterRoom rejects', ignored: `final state; ${NO_ENTER}` },
  { from: 'destroyed', on: 'enter bound passes', ignored: `final state; ${NO_ENTER}` },
  { from: 'destroyed', on: 'exitRoom resolves', ignored: `final state; ${NO_EXIT}` },
  { from: 'destroyed', on: 'exitRoom rejects', ignored: `final state; ${NO_EXIT}` },
  { from: 'destroyed', on: 'exit bound passes', ignored: `final state; ${NO_EXIT}` },
];

const LISTENING: readonly RoomStateName[] = ['entering', 'inRoom'];

/** Holds whatever the events: one SDK listener exactly while entering or in the room, and one destroy per instance. */
function expectInvariants(room: Room) {
  const snapshot = room.actor.getSnapshot();
  expect(room.listeners).toBe(LISTENING.includes(snapshot.value) ? 1 : 0);
  expect(snapshot.status).toBe(snapshot.value === 'destroyed' ? 'done' : 'active');
  const renewed = room.renewInstance.mock.calls.length;
  expect(renewed).toBe(snapshot.context.instance - 1);
  expect(room.destroyInstance.mock.calls.length).toBe(renewed + (snapshot.value === 'destroyed' ? 1 : 0));
}

function expectUnchanged(room: Room, value: RoomStateName, context: RoomContext, logLength: number) {
  expect(room.actor.getSnapshot().value).toBe(value);
  expect(room.actor.getSnapshot().context).toEqual(context);
  expect(room.log.length).toBe(logLength);
  expect(room.emitted).toEqual([]);
}

async function enterRoom(canRenewInstance: boolean): Promise<Room> {
  const room = startRoom(canRenewInstance);
  await REACH.inRoom(room);
  return room;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('room machine transition table', () => {
  it('has exactly one row for every state of the machine and every event kind', () => {
    const states = Object.keys(roomMachine.config.states ?? {});
    expect(new Set(Object.values(SOURCE_STATE))).toEqual(new Set(states));

    const missing: string[] = [];
    for (const state of states) {
      for (const source of SOURCES.filter((s) => SOURCE_STATE[s] === state)) {
        for (const kind of KINDS) {
          const count = ROWS.filter((row) => row.from === source && row.on === kind).length;
          if (count !== 1) missing.push(`${source} + ${kind}: ${count} rows`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(ROWS).toHaveLength(SOURCES.length * KINDS.length);
  });

  it('covers every event the machine handles', () => {
    expect(new Set(roomMachine.events)).toEqual(new Set(Object.values(MACHINE_EVENT)));
  });

  describe.each([
    { canRenewInstance: true, instance: 'factory' },
    { canRenewInstance: false, instance: 'plain instance' },
  ] as const)('with a $instance', ({ canRenewInstance }) => {
    it.each(ROWS)('$from + $on', async (row) => {
      // XState warns about events sent to a stopped actor; in `destroyed` that is the point.
      if (row.from === 'destroyed') vi.spyOn(console, 'warn').mockImplementation(() => {});
      const room = startRoom(canRenewInstance);
      await REACH[row.from](room);
      expect(room.actor.getSnapshot().value).toBe(SOURCE_STATE[row.from]);
      expectInvariants(room);

      const completes = COMPLETION_OF[row.on];
      if ('na' in row || 'ignored' in row) {
        if (completes) expect(room.pending(completes)).toBeUndefined();
        if ('na' in row) return;
      }

      const before = room.actor.getSnapshot();
      const logLength = room.log.length;
      room.emitted.length = 0;
      await HAPPEN[row.on](room);

      if ('ignored' in row) {
        expectUnchanged(room, before.value, before.context, logLength);
      } else {
        const effects = 'to' in row.then ? row.then : canRenewInstance ? row.then.factory : row.then.plain;
        const after = room.actor.getSnapshot();
        expect(after.value).toBe(effects.to);
        expect(room.log.slice(logLength)).toEqual(effects.calls ?? []);
        expect(room.emitted).toEqual(effects.emits ?? []);
        expect(view(after.context)).toEqual({ ...view(before.context), ...effects.context });
      }
      expectInvariants(room);
    });
  });
});

describe('room machine sequences', () => {
  it('passes the target to enterRoom', async () => {
    const room = await enterRoom(true);
    expect(room.calls.map((c) => c.input)).toEqual([{ target }]);
  });

  it.each([true, false])('destroy from inRoom: exitRoom settles before the instance is destroyed (factory: %s)', async (canRenewInstance) => {
    const room = await enterRoom(canRenewInstance);
    room.send({ type: 'room.destroy' });
    expect(room.log).toEqual(['enterRoom', 'exitRoom']);
    await room.settle('exitRoom', 'resolve');
    expect(room.log).toEqual(['enterRoom', 'exitRoom', 'destroyInstance']);
    expect(room.actor.getSnapshot().value).toBe('destroyed');
  });

  describe.each([true, false])('destroy while exiting (factory: %s)', (canRenewInstance) => {
    it.each([
      ['exitRoom resolves', null],
      ['exitRoom rejects', 'EXIT_FAILED'],
      ['exit bound passes', 'EXIT_TIMEOUT'],
    ] as const)('then %s: destroyed, one destroy, no renewal', async (kind, error) => {
      const room = await enterRoom(canRenewInstance);
      room.send({ type: 'room.exit' });
      room.send({ type: 'room.destroy' });
      await HAPPEN[kind](room);
      const snapshot = room.actor.getSnapshot();
      expect(snapshot.value).toBe('destroyed');
      expect(snapshot.context.error?.code ?? null).toBe(error);
      expect(room.log).toEqual(['enterRoom', 'exitRoom', 'destroyInstance']);
      expect(room.renewInstance).not.toHaveBeenCalled();
      expectInvariants(room);
    });
  });

  it('reconnecting: a repeated status changes nothing; back to CONNECTED clears the warning', async () => {
    const room = await enterRoom(true);
    room.send({ type: 'sdk.error', error: { code: 5500, extraCode: 5501, message: 'network unstable' } });
    room.send({ type: 'sdk.connectionChanged', prevState: 'CONNECTED', state: 'DISCONNECTED' });
    room.send({ type: 'sdk.connectionChanged', prevState: 'DISCONNECTED', state: 'CONNECTING' });
    expect(room.actor.getSnapshot().context).toMatchObject({ connection: 'reconnecting', warning: { sdkCode: 5500 } });

    room.emitted.length = 0;
    room.send({ type: 'sdk.connectionChanged', prevState: 'CONNECTING', state: 'CONNECTED' });
    expect(room.actor.getSnapshot().context).toMatchObject({ connection: 'connected', warning: null });
    expect(room.emitted).toEqual(['connection']);
  });

  it('entering again after a kick listens once and calls enterRoom once more', async () => {
    const room = await enterRoom(true);
    room.send({ type: 'sdk.kickedOut', reason: 'kick' });
    room.send({ type: 'room.enter', target });
    await room.settle('enterRoom', 'resolve');
    expect(room.actor.getSnapshot().value).toBe('inRoom');
    expect(room.log).toEqual(['enterRoom', 'enterRoom']);
    expectInvariants(room);
  });
});

describe('late completion of an abandoned enterRoom changes nothing', () => {
  const leaveEntering: Record<string, (room: Room) => Promise<void>> = {
    'room.destroy': HAPPEN['room.destroy'],
    'sdk.kickedOut': HAPPEN['sdk.kickedOut'],
    'the enter bound (factory)': HAPPEN['enter bound passes'],
    // A new enter is in flight when the old one settles: only the new one may lead to inRoom.
    'the enter bound, then a new enter': async (room) => {
      await HAPPEN['enter bound passes'](room);
      room.send({ type: 'room.enter', target });
    },
  };

  describe.each(Object.keys(leaveEntering))('after %s', (how) => {
    it.each(['resolve', 'reject'] as const)('the old enterRoom settles: %s', async (outcome) => {
      const room = startRoom(true);
      await REACH.entering(room);
      const abandoned = room.pending('enterRoom');
      await leaveEntering[how]?.(room);

      const before = room.actor.getSnapshot();
      const logLength = room.log.length;
      room.emitted.length = 0;
      if (outcome === 'resolve') abandoned?.resolve();
      else abandoned?.reject(new Error('late'));
      await vi.advanceTimersByTimeAsync(0);

      expect(abandoned?.settled).toBe(true);
      expectUnchanged(room, before.value, before.context, logLength);
      expectInvariants(room);
    });
  });
});
