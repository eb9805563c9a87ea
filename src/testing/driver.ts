import { getInitialSnapshot } from 'xstate';
import type { StatePath } from 'xstate/graph';
import { createRoomController, stateOf } from '../controller.js';
import type { RoomController, RoomSnapshot } from '../controller.js';
import type { TrtcLike } from '../adapters/trtc.types.js';
import { ERROR_CODE, EXTRA_CODE, SimulatedCloud } from '../adapters/simulator/index.js';
import type { SimulatedClient, SimulatedFault } from '../adapters/simulator/index.js';
import type { EnterConfig, RoomStateName } from '../machines/room/room.types.js';
import { DEFAULT_RECONNECT_GRACE_MS } from '../machines/room/room.config.js';
import { SDK_SWITCH_TIMEOUT_MS } from '../machines/room/room.setup.js';
import { SdkRecorder } from './recorder.js';
import { roomModel } from './room-model.js';
import type { RoomModelEvent, RoomModelEventType, RoomModelSnapshot } from './room-model.js';

export const SDK_APP_ID = 1400000000;
export const ROOM_IDS = { first: 8888, second: 9000 } as const;
export const USER_ID = 'alice';
/** Tests may look for it: it must never show in a snapshot, a view or an inspection event. */
export const USER_SIG = 'userSig-of-alice-SECRET';
/** Who is in the first room when the model says `others`. */
export const OTHER_USER_ID = 'bob';

export const ENTER_CONFIG: EnterConfig = { sdkAppId: SDK_APP_ID, userId: USER_ID, userSig: USER_SIG, roomId: ROOM_IDS.first };

/** The SDK calls whose answers the driver holds until the model says how they end. */
type HeldMethod = 'enterRoom' | 'exitRoom' | 'switchRole' | 'switchRoom';

/** How the model ends each held call, and the fault that makes the simulator end it so. */
const ENDINGS: Record<HeldMethod, Partial<Record<RoomModelEventType, SimulatedFault | SimulatedFault[] | null>>> = {
  enterRoom: {
    'enter.ok': null,
    'enter.fail': { kind: 'reject' },
    'enter.stall': { kind: 'unreachable' },
    'enter.hang': { kind: 'hang' },
    // Joined, but the answer has not reached the controller yet.
    kick: null,
    // What destroy() is for: an enter that never settles.
    'user.destroy': { kind: 'hang' },
  },
  // The controller tries a failed exitRoom once more: a failed exit fails twice.
  exitRoom: { 'exit.ok': null, 'exit.blip': { kind: 'reject' }, 'exit.fail': [{ kind: 'reject' }, { kind: 'reject' }], 'exit.hang': { kind: 'hang' } },
  switchRole: { 'switch.ok': null, 'switch.fail': { kind: 'reject' }, 'switch.hang': { kind: 'hang' }, kick: null, 'rejoin.fail': null },
  switchRoom: { 'switch.ok': null, 'switch.fail': { kind: 'reject' }, 'switch.hang': { kind: 'hang' }, kick: null, 'rejoin.fail': null },
};

/** The model state in which each held call is out. */
const CALL_STATES: Record<HeldMethod, string> = {
  enterRoom: 'entering',
  exitRoom: 'exiting.leaving',
  switchRole: 'inRoom.switchingRole',
  switchRoom: 'inRoom.switchingRoom',
};

/** Until the stall warning: the SDK retries every 2 s and warns after the second failure. */
const STALL_MS = 4_000;
/**
 * Time for the simulator to answer everything due. Its answers take 0 ms, but fake timers run a
 * 0 ms timer set while they tick 1 ms later, so a chain of answers needs a few ms.
 */
const SETTLE_MS = 20;

const CAMERA_DENIED: SimulatedFault = {
  kind: 'reject',
  code: ERROR_CODE.DEVICE_ERROR,
  extraCode: EXTRA_CODE.DEVICE_NOT_ALLOWED_ERROR,
  message: 'NotAllowedError: Permission denied',
};

/** Every active state of a snapshot value, as dotted paths: `inRoom`, `inRoom.active`. */
export function statePaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}${value}`];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [`${prefix}${key}`, ...statePaths(child, `${prefix}${key}.`)]);
}

export interface RoomDriverOptions {
  /** Give the controller a factory of instances (default) or one instance. */
  factory?: boolean;
  /**
   * Lets `ms` of time pass, and what it settles run: `(ms) => vi.advanceTimersByTimeAsync(ms)` with
   * fake timers. Each step lets a few ms pass, far below the bounds.
   */
  advance: (ms: number) => Promise<unknown>;
  enterTimeoutMs?: number;
  exitTimeoutMs?: number;
}

export interface TrackedCommand {
  name: string;
  /** `pending`, `resolved`, or the RoomError code it rejected with. */
  outcome: string;
}

export interface ModelStep {
  /** The model before and after the event. */
  from: RoomModelSnapshot;
  event: RoomModelEvent;
  to: RoomModelSnapshot;
}

interface Hold {
  method: string;
  open: () => void;
}

/**
 * Plays the events of the room model against a real controller over a SimulatedCloud. The answers of
 * enterRoom, exitRoom, switchRole and switchRoom are held until the model's `enter.ok`,
 * `exit.fail`, … says so; the simulator has done its part by then (joined, left, refused).
 */
export class RoomDriver {
  readonly cloud = new SimulatedCloud();
  readonly recorder = new SdkRecorder();
  readonly clients: SimulatedClient[] = [];
  readonly room: RoomController;
  readonly commands: TrackedCommand[] = [];
  readonly factory: boolean;
  readonly enterTimeoutMs: number;
  readonly exitTimeoutMs: number;
  private readonly advance: (ms: number) => Promise<unknown>;
  private readonly other: SimulatedClient;
  private holds: Hold[] = [];
  /** The held calls the model has out after the step being played; any other call is answered as it comes. */
  private awaited = new Set<HeldMethod>();
  /** When each active state of the real machine was entered. */
  private readonly since = new Map<string, number>();

  constructor(options: RoomDriverOptions) {
    this.advance = options.advance;
    this.factory = options.factory ?? true;
    this.enterTimeoutMs = options.enterTimeoutMs ?? 15_000;
    this.exitTimeoutMs = options.exitTimeoutMs ?? 5_000;
    const make = () => {
      const client = this.cloud.createClient({ label: `${USER_ID}#${this.clients.length + 1}` });
      this.clients.push(client);
      return this.holdAnswers(client);
    };
    this.room = createRoomController({
      trtc: this.factory ? this.recorder.factory(make) : this.recorder.wrap(make()),
      enterTimeoutMs: this.enterTimeoutMs,
      exitTimeoutMs: this.exitTimeoutMs,
    });
    this.other = this.cloud.createClient({ label: OTHER_USER_ID });
    this.note(this.room.getSnapshot());
    this.room.subscribe((snapshot) => this.note(snapshot));
  }

  /** The instance in use. */
  client(): SimulatedClient {
    const last = this.clients[this.clients.length - 1];
    if (!last) throw new Error('no client was made');
    return last;
  }

  state(): RoomStateName {
    return stateOf(this.room.getSnapshot());
  }

  /** The model's starting point: the other user is in the first room. */
  async start(): Promise<void> {
    await this.settle(this.other.enterRoom({ sdkAppId: SDK_APP_ID, userId: OTHER_USER_ID, userSig: 'userSig-of-bob', roomId: ROOM_IDS.first }));
  }

  /** Plays a path of the model (`getShortestPaths()`, ...); `check` runs after every step. */
  async playPath(path: StatePath<RoomModelSnapshot, RoomModelEvent>, check?: (step: ModelStep) => void | Promise<void>): Promise<void> {
    let from = getInitialSnapshot(roomModel, { factory: this.factory });
    // A path opens with the machine's own `xstate.init` step.
    const steps = path.steps.filter((step) => (step.event.type as string) !== 'xstate.init');
    const events = steps.map((step) => step.event);
    for (const [i, { event, state: to }] of steps.entries()) {
      const step = { from, event, to };
      await this.play(step, events.slice(i + 1));
      await check?.(step);
      from = to;
    }
  }

  /** Plays one step of a path; `upcoming` are the events after it, which say how the calls it starts will end. */
  async play({ from, event, to }: ModelStep, upcoming: readonly RoomModelEvent[]): Promise<void> {
    const methods = Object.keys(CALL_STATES) as HeldMethod[];
    this.awaited = new Set(methods.filter((method) => statePaths(to.value).includes(CALL_STATES[method])));
    for (const method of this.awaited) if (!statePaths(from.value).includes(CALL_STATES[method])) this.prepare(method, upcoming);
    await this.perform(event, from);
    await this.advance(SETTLE_MS);
    // A call the session moved past without its answer (a kick, a failed rejoin, a destroy): the
    // answer comes after all, late.
    for (const method of methods) if (statePaths(from.value).includes(CALL_STATES[method]) && !this.awaited.has(method)) this.release(method);
    await this.advance(SETTLE_MS);
  }

  /** Destroys the controller and lets every bound pass: afterwards no command may be pending. */
  async dispose(): Promise<void> {
    this.awaited.clear();
    const done = this.track('destroy', this.room.destroy());
    for (let i = 0; i < 4 && this.state() !== 'destroyed'; i++) await this.advance(Math.max(this.enterTimeoutMs, this.exitTimeoutMs));
    await done;
    await this.advance(SETTLE_MS);
  }

  private async perform(event: RoomModelEvent, model: RoomModelSnapshot): Promise<void> {
    const { room } = this;
    const client = this.client();
    switch (event.type) {
      case 'user.enter':
        return void this.track('enter', room.enter(ENTER_CONFIG));
      case 'user.exit':
        return void this.track('exit', room.exit());
      case 'user.destroy':
        return void this.track('destroy', room.destroy());
      case 'user.switchRole':
        return void this.track('switchRole', room.switchRole(model.context.role === 'anchor' ? 'audience' : 'anchor'));
      case 'user.switchRoom': {
        const roomId = model.context.room === 'first' ? ROOM_IDS.second : ROOM_IDS.first;
        return void this.track('switchRoom', room.switchRoom({ roomId, userSig: USER_SIG }));
      }
      case 'enter.ok':
      case 'enter.fail':
        return this.answer('enterRoom');
      case 'exit.ok':
      case 'exit.blip':
      case 'exit.fail':
        return this.answer('exitRoom');
      case 'switch.ok':
      case 'switch.fail':
        return this.answer(model.matches({ inRoom: 'switchingRole' }) ? 'switchRole' : 'switchRoom');
      case 'enter.stall':
        return this.waitOut('entering', STALL_MS);
      case 'enter.hang':
        return this.waitOut('entering', this.enterTimeoutMs);
      case 'switch.hang':
        await this.waitOut(model.matches({ inRoom: 'switchingRole' }) ? 'inRoom.switchingRole' : 'inRoom.switchingRoom', this.enterTimeoutMs);
        // The switch given up on is still waited for, as long as the SDK itself would pursue it.
        return void (await this.advance(SDK_SWITCH_TIMEOUT_MS));
      case 'exit.hang':
        return this.waitOut('exiting.leaving', this.exitTimeoutMs);
      case 'release.hang':
        return this.waitOut('exiting.releasing', this.exitTimeoutMs);
      case 'kick':
        return this.kick(event.reason, client);
      case 'rejoin.fail':
        return client.failRejoin();
      case 'connection.drop':
        client.dropConnection();
        client.degradeNetwork({ uplinkNetworkQuality: 6, downlinkNetworkQuality: 6 });
        // An outage shows as reconnecting once it outlasts the grace.
        return void (await this.advance(DEFAULT_RECONNECT_GRACE_MS));
      case 'connection.restore':
        client.restoreConnection();
        return client.degradeNetwork({ uplinkNetworkQuality: 1, downlinkNetworkQuality: 1 });
      case 'connection.warn':
        return client.warnReconnectFailing();
      case 'camera.start':
        return void this.track('startLocalVideo', room.startLocalVideo());
      case 'camera.denied':
        client.injectFault('startLocalVideo', CAMERA_DENIED);
        return void this.track('startLocalVideo', room.startLocalVideo());
      case 'camera.stop':
        return void this.track('stopLocalVideo', room.stopLocalVideo());
      case 'camera.mute':
      case 'camera.unmute':
        return void this.track('updateLocalVideo', room.updateLocalVideo({ mute: event.type === 'camera.mute' }));
      case 'camera.update':
        return void this.track('updateLocalVideo', room.updateLocalVideo({ option: { profile: '720p' } }));
      case 'camera.hang':
        return client.injectFault('stopLocalVideo', { kind: 'hang' });
      case 'screen.start':
        return void this.track('startScreenShare', room.startScreenShare());
      case 'screen.endedByBrowser':
        return client.endScreenShareByBrowser();
      case 'autoplay.fail':
        return client.failAutoplay(OTHER_USER_ID, 'audio');
      case 'autoplay.resume':
        return void this.track('resumeAutoplay', room.resumeAutoplay());
      case 'remote.enter':
        return this.settle(this.other.enterRoom({ sdkAppId: SDK_APP_ID, userId: OTHER_USER_ID, userSig: 'userSig-of-bob', roomId: ROOM_IDS.first }));
      case 'remote.exit':
        return this.settle(this.other.exitRoom());
    }
  }

  /** The server's and the SDK's three ways of putting a user out of a room. */
  private async kick(reason: 'kick' | 'banned' | 'room_disband', client: SimulatedClient): Promise<void> {
    const roomId = client.room?.roomId;
    if (roomId === undefined) throw new Error(`kick: ${client.label} is in no room to be put out of`);
    if (reason === 'banned') return void (await this.cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId, userIds: [USER_ID] }));
    if (reason === 'room_disband') return void (await this.cloud.dismissRoom({ sdkAppId: SDK_APP_ID, roomId }));
    // The same user enters elsewhere (another tab), then closes it.
    const twin = this.cloud.createClient({ label: `${USER_ID}-elsewhere` });
    await this.settle(twin.enterRoom({ ...ENTER_CONFIG, roomId }));
    await this.settle(twin.exitRoom());
  }

  /** Queues on the instance in use the fault that makes its next `method` end as the path says. */
  private prepare(method: HeldMethod, upcoming: readonly RoomModelEvent[]): void {
    const ending = upcoming.find((event) => event.type in ENDINGS[method]);
    const fault = ending ? ENDINGS[method][ending.type] : null;
    for (const one of fault ? [fault].flat() : []) this.client().injectFault(method, one);
  }

  /** Lets the controller see the answer of the held call. */
  private answer(method: HeldMethod): void {
    if (!this.holds.some((held) => held.method === method)) throw new Error(`${method}: no call is waiting for its answer`);
    this.release(method);
  }

  private release(method: HeldMethod): void {
    for (const hold of this.holds.filter((held) => held.method === method)) hold.open();
    this.holds = this.holds.filter((held) => held.method !== method);
  }

  /** Lets time pass until the bound of the real machine's `state` is reached. */
  private async waitOut(state: string, bound: number): Promise<void> {
    const since = this.since.get(state);
    if (since === undefined) throw new Error(`the controller is not in ${state}: ${JSON.stringify(this.room.getSnapshot().value)}`);
    await this.advance(Math.max(0, since + bound - Date.now()));
  }

  private note(snapshot: RoomSnapshot): void {
    const active = new Set(statePaths(snapshot.value));
    for (const state of this.since.keys()) if (!active.has(state)) this.since.delete(state);
    for (const state of active) if (!this.since.has(state)) this.since.set(state, Date.now());
  }

  private track(name: string, promise: Promise<void>): Promise<void> {
    const command: TrackedCommand = { name, outcome: 'pending' };
    this.commands.push(command);
    return promise.then(
      () => void (command.outcome = 'resolved'),
      (error: unknown) => void (command.outcome = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error)),
    );
  }

  private async settle(promise: Promise<void>): Promise<void> {
    const settled = promise.catch(() => undefined);
    await this.advance(SETTLE_MS);
    await settled;
  }

  /** The instance with the answers of its lifecycle calls held until `answer()`. */
  private holdAnswers(client: SimulatedClient): TrtcLike {
    const holds = () => this.holds;
    const awaited = (method: string) => (this.awaited as ReadonlySet<string>).has(method);
    return new Proxy(client, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        const method = (...args: unknown[]): unknown => (value as (...a: unknown[]) => unknown).apply(target, args);
        if (typeof key !== 'string' || !awaited(key)) return method;
        return (...args: unknown[]) => {
          const answer = method(...args) as Promise<void>;
          answer.catch(() => undefined);
          return new Promise<void>((resolve) => holds().push({ method: key, open: resolve })).then(() => answer);
        };
      },
    });
  }
}
