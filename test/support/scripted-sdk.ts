/**
 * A scripted, TRTC-shaped fake with a rule checker: a second, adversarial implementation of the
 * SDK's surface written from docs/sdk-facts.md, independent of the project's simulator. It does no more than a script says: each call resolves at once, stays
 * pending until the test settles it ("late"), rejects, throws synchronously or never settles
 * ("hang"); `on()` adds the handler or throws (`nextOn`, `alwaysOn`); the test emits any SDK
 * event at any time, pending calls or not.
 *
 * The checker keeps, per instance, what the real SDK would know (in a room or not, whether it
 * left by itself, whether an `on()` of it threw) and records a violation the moment the
 * controller breaks one of these rules:
 * - V1: `exitRoom` after the SDK left by itself (a `kicked-out`, or `error` 5400 while in the
 *   room: a failed rejoin), before the next `enterRoom` call. Exempt: a leave the controller
 *   could not hear, i.e. emitted while the instance is deaf (one of its `on()` calls threw) and
 *   has no handler for that event (`kicked-out`, or `error`). It still takes the instance out of
 *   the room for the other rules. A kick reaching a handler counts, deaf or not, and so does one
 *   no handler was added for on an instance that never refused one (a listener forgotten).
 * - V2: `enterRoom` while in a room or while any lifecycle call (enterRoom, exitRoom, switchRoom,
 *   switchRole) of that instance is pending; `switchRoom` / `switchRole` while any lifecycle call
 *   is pending; `exitRoom` while an `enterRoom` or another `exitRoom` is pending (an `exitRoom`
 *   while a switch is pending is allowed: the controller leaves after giving up on the switch).
 * - V3: `destroy` while in a room and leaving was still possible, i.e. unless an `exitRoom` called
 *   since the instance last got into a room rejected, threw, or is still pending.
 * - V4: any call but `off` after `destroy` (a second `destroy` included).
 * - V5 (`checkListeners()`, at the end): every handler added with `on` removed with `off` before
 *   `destroy` (or by now, for an instance never destroyed).
 * - V6: `enterRoom` or `switchRoom` while the instance has no `kicked-out` handler or no `error`
 *   handler: a kick or a failed rejoin in the room it goes into could not be heard. So after a
 *   refused listener the controller must not go into a room on that instance until it listens again.
 *
 * In a room: an `enterRoom` that resolves puts the instance in the room unless a `kicked-out` was
 * emitted after that call began; a `switchRoom` that resolves leaves it in the room only if it was
 * in the room when the switch began and no `kicked-out` or in-room 5400 came since; `exitRoom`
 * resolving, `kicked-out`, `error` 5400 while in the room and `destroy` take it out. Nothing that
 * settles after `destroy` changes anything. A call that resolves or rejects "at once" does so in
 * the next microtask, as any promise: its effect applies then, not while its caller still runs.
 * `destroy` takes every listener away (as the SDK does), and a hung call stays pending for good
 * (unlike the SDK, whose destroy ends an enterRoom in flight: the fake is meant to be harsher).
 */
import type {
  LocalAudioOptions,
  LocalVideoOptions,
  RemoteVideoOptions,
  ScreenShareOptions,
  SdkEventHandler,
  StopRemoteVideoOptions,
  SwitchRoomOptions,
  TrtcLike,
} from '../../src/adapters/trtc.types.js';
import type { EnterConfig, UserRole } from '../../src/machines/room/room.types.js';

/** Every method of the TRTC-shaped surface that a script can decide, plus an autoplay failure's `resume()`. */
export const SCRIPTED_METHODS = [
  'enterRoom',
  'exitRoom',
  'switchRole',
  'switchRoom',
  'destroy',
  'startLocalAudio',
  'updateLocalAudio',
  'stopLocalAudio',
  'startLocalVideo',
  'updateLocalVideo',
  'stopLocalVideo',
  'startScreenShare',
  'updateScreenShare',
  'stopScreenShare',
  'startRemoteVideo',
  'updateRemoteVideo',
  'stopRemoteVideo',
  'muteRemoteAudio',
  'setRemoteAudioVolume',
  'enableAudioVolumeEvaluation',
  'resume',
] as const;
export type ScriptedMethod = (typeof SCRIPTED_METHODS)[number];

/** Methods that return nothing in the SDK: a script can only make them throw. */
const SYNC_METHODS: ReadonlySet<ScriptedMethod> = new Set(['setRemoteAudioVolume', 'enableAudioVolumeEvaluation']);
const LIFECYCLE: ReadonlySet<string> = new Set(['enterRoom', 'exitRoom', 'switchRole', 'switchRoom']);

export type Behaviour = 'resolve' | 'late' | 'reject' | 'throw' | 'hang';
/** What the next `on()` does: add the handler, or throw (adding nothing). */
export type OnBehaviour = 'add' | 'throw';

export interface SdkErrorInit {
  code: number;
  extraCode?: number;
  message?: string;
}

export interface Script {
  behaviour: Behaviour;
  /** For reject / throw; a default per method otherwise. */
  error?: SdkErrorInit;
}

/** Shaped like the SDK's RtcError: an Error with `code`, `extraCode` and `functionName`. */
export class ScriptedRtcError extends Error {
  override readonly name = 'RtcError';
  readonly code: number;
  readonly extraCode?: number;
  readonly functionName: string;

  constructor(functionName: string, init: SdkErrorInit) {
    super(init.message ?? `${functionName} failed (${init.code})`);
    this.code = init.code;
    if (init.extraCode !== undefined) this.extraCode = init.extraCode;
    this.functionName = functionName;
  }
}

function defaultError(method: ScriptedMethod): SdkErrorInit {
  switch (method) {
    case 'enterRoom':
    case 'switchRoom':
      return { code: 5400, extraCode: -100018, message: 'join room failed: userSig check failed' };
    case 'destroy':
      return { code: 5100, message: 'please call leave() before destroy()' };
    default:
      return { code: 5500, message: `${method} failed` };
  }
}

export type ViolationKind = 'V1' | 'V2' | 'V3' | 'V4' | 'V5' | 'V6';

export interface Violation {
  kind: ViolationKind;
  /** 1 for the first instance made. */
  instance: number;
  message: string;
  /** What happened on that instance up to the violation, oldest first. */
  history: readonly string[];
}

export function describeViolation(violation: Violation): string {
  return `[${violation.kind}] instance ${violation.instance}: ${violation.message}\n    history: ${violation.history.join(' | ')}`;
}

/** A call left pending by a `late` or `hang` script. Only `late` ones can be settled. */
export interface PendingCall {
  readonly id: number;
  readonly instance: number;
  readonly method: ScriptedMethod;
  readonly behaviour: 'late' | 'hang';
  settled: boolean;
}

interface PendingEntry extends PendingCall {
  succeed(): void;
  fail(error: SdkErrorInit | undefined): void;
}

interface ExitAttempt {
  status: 'pending' | 'resolved' | 'failed';
}

/** How a call ends, for the checker. */
interface Effects {
  succeeded?: () => void;
  failed?: () => void;
}

const HISTORY = 60;

/** One instance the controller was given: its TRTC-shaped object and what the checker knows of it. */
export class ScriptedInstance {
  readonly trtc: TrtcLike;
  inRoom = false;
  leftBySdk = false;
  destroyed = false;
  /** An `on()` of this instance threw: it may not hear what the controller meant to listen to. */
  deaf = false;
  /** `kicked-out` events so far. */
  kicks = 0;
  /** `kicked-out` events and in-room 5400s so far. */
  leaves = 0;
  /** Handlers added and not removed (before destroy). */
  listenerCount = 0;
  /** `listenerCount` when `destroy` was called. */
  listenersAtDestroy: number | undefined;
  readonly history: string[] = [];
  readonly pendingLifecycle = new Set<PendingEntry>();
  /** exitRoom calls since the instance last got into a room. */
  private exitAttempts: ExitAttempt[] = [];
  private readonly listeners = new Map<string, SdkEventHandler[]>();
  private readonly scripts = new Map<ScriptedMethod, Script[]>();
  private readonly onScripts: OnBehaviour[] = [];
  private onDefault: OnBehaviour | undefined;

  constructor(
    readonly index: number,
    private readonly sdk: ScriptedSdk,
  ) {
    this.trtc = this.build();
  }

  /** Scripts the next call of `method` on this instance (before any script of the fake as a whole). */
  next(method: ScriptedMethod, script: Script | Behaviour): this {
    const list = this.scripts.get(method) ?? [];
    list.push(typeof script === 'string' ? { behaviour: script } : script);
    this.scripts.set(method, list);
    return this;
  }

  takeScript(method: ScriptedMethod): Script | undefined {
    return this.scripts.get(method)?.shift();
  }

  /** Scripts the next `on()` calls of this instance, in order (before any of the fake as a whole). */
  nextOn(...behaviours: OnBehaviour[]): this {
    this.onScripts.push(...behaviours);
    return this;
  }

  /** Every `on()` of this instance without a `nextOn` script behaves so (an instance that cannot be listened to). */
  alwaysOn(behaviour: OnBehaviour): this {
    this.onDefault = behaviour;
    return this;
  }

  note(text: string): void {
    // Runs of on / off (a state's listeners come and go together) read as one entry: "on ×12".
    const plumbing = text.startsWith('on ') ? 'on' : text.startsWith('off ') ? 'off' : undefined;
    if (plumbing) {
      const last = this.history[this.history.length - 1];
      const match = last === undefined ? null : /^(on|off) ×(\d+)$/.exec(last);
      if (match && match[1] === plumbing) {
        this.history[this.history.length - 1] = `${plumbing} ×${Number(match[2]) + 1}`;
        return;
      }
      text = `${plumbing} ×1`;
    }
    this.history.push(text);
    if (this.history.length > HISTORY) this.history.shift();
  }

  /** Emits an SDK event: the checker learns of it first (the SDK has acted already), then every handler. */
  emit(event: string, payload?: unknown): void {
    this.note(`emit ${event}${describePayload(payload)}`);
    const handlers = this.listeners.get(event);
    const kick = event === 'kicked-out';
    if (kick || (event === 'error' && codeOf(payload) === 5400 && this.inRoom)) {
      this.inRoom = false;
      this.leaves += 1;
      if (kick) this.kicks += 1;
      // Only a controller that could have heard it is bound by V1: a handler got it, or none was refused.
      if (this.deaf && !handlers?.length) this.note('(unheard: deaf, no handler)');
      else this.leftBySdk = true;
    }
    if (!handlers) return;
    for (const handler of [...handlers]) (handler as (payload: unknown) => void)(payload);
  }

  /**
   * The `resume()` an `autoplay-failed` event carries: a call (method `resume`) of this instance,
   * behaving as `script` says, or as the next script for `resume` when none is given.
   */
  autoplayResume(script?: Script | Behaviour): () => Promise<unknown> {
    return () => {
      if (script !== undefined) this.next('resume', script);
      return this.invoke('resume', []) as Promise<unknown>;
    };
  }

  /** Handlers the controller registered and has not removed, by event. */
  activeListeners(): Map<string, number> {
    const active = new Map<string, number>();
    for (const [event, handlers] of this.listeners) if (handlers.length > 0) active.set(event, handlers.length);
    return active;
  }

  private violate(kind: ViolationKind, message: string): void {
    this.sdk.record({ kind, instance: this.index, message, history: [...this.history] });
  }

  private gotIntoRoom(): void {
    if (!this.inRoom) this.exitAttempts = [];
    this.inRoom = true;
  }

  private pendingNames(filter?: (method: string) => boolean): string[] {
    return [...this.pendingLifecycle].filter((entry) => !filter || filter(entry.method)).map((entry) => `${entry.method}#${entry.id}`);
  }

  /** V6: going into a room takes a handler for each event that says the SDK left it. */
  private checkHeard(method: 'enterRoom' | 'switchRoom'): void {
    const missing = ['kicked-out', 'error'].filter((event) => !this.listeners.get(event)?.length);
    if (missing.length > 0 && !this.destroyed) {
      this.violate('V6', `${method} called with no handler for ${missing.join(' or ')}${this.deaf ? ' (an on() of this instance threw)' : ''}`);
    }
  }

  /** The checks a call triggers when it begins; returns the effects of its outcome. */
  private begin(method: ScriptedMethod): Effects {
    if (this.destroyed && method !== 'resume') {
      this.violate('V4', method === 'destroy' ? 'destroy called a second time' : `${method} called after destroy`);
    }
    switch (method) {
      case 'enterRoom': {
        const pending = this.pendingNames();
        const reasons = [...(this.inRoom ? ['in a room'] : []), ...(pending.length > 0 ? [`${pending.join(', ')} is pending`] : [])];
        if (reasons.length > 0) this.violate('V2', `enterRoom called while ${reasons.join(' and ')}`);
        this.checkHeard(method);
        this.leftBySdk = false;
        const kicksBefore = this.kicks;
        return {
          succeeded: () => {
            if (!this.destroyed && this.kicks === kicksBefore) this.gotIntoRoom();
          },
        };
      }
      case 'switchRoom':
      case 'switchRole': {
        const pending = this.pendingNames();
        if (pending.length > 0) this.violate('V2', `${method} called while ${pending.join(', ')} is pending`);
        if (method === 'switchRole') return {};
        this.checkHeard(method);
        const wasInRoom = this.inRoom;
        const leavesBefore = this.leaves;
        return {
          succeeded: () => {
            if (this.destroyed) return;
            if (wasInRoom && this.leaves === leavesBefore) this.gotIntoRoom();
            else this.inRoom = false;
          },
        };
      }
      case 'exitRoom': {
        if (this.leftBySdk) this.violate('V1', 'exitRoom called after the SDK left the room by itself (kicked-out, or 5400 in the room), before a new enterRoom');
        const pending = this.pendingNames((name) => name === 'enterRoom' || name === 'exitRoom');
        if (pending.length > 0) this.violate('V2', `exitRoom called while ${pending.join(', ')} is pending`);
        const attempt: ExitAttempt = { status: 'pending' };
        this.exitAttempts.push(attempt);
        return {
          succeeded: () => {
            attempt.status = 'resolved';
            if (!this.destroyed) this.inRoom = false;
          },
          failed: () => {
            attempt.status = 'failed';
          },
        };
      }
      case 'destroy': {
        if (!this.destroyed) {
          const triedToLeave = this.exitAttempts.some((attempt) => attempt.status !== 'resolved');
          if (this.inRoom && !triedToLeave) this.violate('V3', 'destroy called while in a room, with no exitRoom tried since entering that failed or is pending');
          this.destroyed = true;
          this.inRoom = false;
          this.listenersAtDestroy = this.listenerCount;
          // As the SDK does: every listener is gone.
          this.listeners.clear();
        }
        return {};
      }
      default:
        return {};
    }
  }

  /** Runs one scripted call. */
  invoke(method: ScriptedMethod, args: unknown[]): unknown {
    this.note(`${method}${describeArgs(method, args)}`);
    const effects = this.begin(method);
    const script = this.takeScript(method) ?? this.sdk.takeScript(method) ?? { behaviour: 'resolve' };
    const error = () => script.error ?? defaultError(method);
    const sync = SYNC_METHODS.has(method);
    switch (script.behaviour) {
      case 'throw': {
        this.note(`${method} throws`);
        effects.failed?.();
        throw new ScriptedRtcError(method, error());
      }
      // "At once" is the next microtask, as for any promise: the call's effects apply when its
      // promise settles, not while the caller is still running (it cannot have seen the outcome).
      case 'resolve':
        if (sync || method === 'destroy') {
          effects.succeeded?.();
          return undefined;
        }
        return Promise.resolve().then(() => {
          effects.succeeded?.();
        });
      case 'reject': {
        if (sync) return undefined;
        const rejection = new ScriptedRtcError(method, error());
        return Promise.resolve().then(() => {
          this.note(`${method} rejects`);
          effects.failed?.();
          throw rejection;
        });
      }
      case 'late':
      case 'hang': {
        if (sync) return undefined;
        return new Promise<void>((resolve, reject) => {
          const entry: PendingEntry = {
            id: this.sdk.nextId(),
            instance: this.index,
            method,
            behaviour: script.behaviour as 'late' | 'hang',
            settled: false,
            succeed: () => {
              entry.settled = true;
              this.pendingLifecycle.delete(entry);
              this.note(`${method}#${entry.id} resolves`);
              effects.succeeded?.();
              resolve();
            },
            fail: (init) => {
              entry.settled = true;
              this.pendingLifecycle.delete(entry);
              this.note(`${method}#${entry.id} rejects`);
              effects.failed?.();
              reject(new ScriptedRtcError(method, init ?? script.error ?? defaultError(method)));
            },
          };
          this.note(`${method}#${entry.id} ${script.behaviour === 'late' ? 'pending' : 'hangs'}`);
          if (LIFECYCLE.has(method)) this.pendingLifecycle.add(entry);
          this.sdk.track(entry);
        });
      }
    }
  }

  private on(event: string, handler: SdkEventHandler): void {
    this.note(`on ${event}`);
    if (this.destroyed) {
      this.violate('V4', `on('${event}') called after destroy`);
      return;
    }
    if ((this.onScripts.shift() ?? this.sdk.takeOnScript() ?? this.onDefault) === 'throw') {
      this.deaf = true;
      this.note(`on('${event}') throws`);
      throw new ScriptedRtcError('on', { code: 5100, message: `on('${event}') refused` });
    }
    const handlers = this.listeners.get(event) ?? [];
    handlers.push(handler);
    this.listeners.set(event, handlers);
    this.listenerCount += 1;
  }

  private off(event: string, handler: SdkEventHandler): void {
    this.note(`off ${event}`);
    if (this.destroyed) return;
    const handlers = this.listeners.get(event);
    const at = handlers ? handlers.indexOf(handler) : -1;
    if (!handlers || at < 0) return;
    handlers.splice(at, 1);
    this.listenerCount -= 1;
  }

  private build(): TrtcLike {
    const call = (method: ScriptedMethod, ...args: unknown[]) => this.invoke(method, args);
    const promised = (method: ScriptedMethod, ...args: unknown[]) => call(method, ...args) as Promise<unknown>;
    return {
      on: (event: string, handler: SdkEventHandler) => this.on(event, handler),
      off: (event: string, handler: SdkEventHandler) => this.off(event, handler),
      enterRoom: (options: EnterConfig) => promised('enterRoom', options),
      exitRoom: () => promised('exitRoom'),
      switchRole: (role: UserRole, option?: { privateMapKey?: string }) => promised('switchRole', role, option),
      switchRoom: (options: SwitchRoomOptions) => promised('switchRoom', options),
      destroy: () => call('destroy'),
      startLocalAudio: (options?: LocalAudioOptions) => promised('startLocalAudio', options),
      updateLocalAudio: (options: LocalAudioOptions) => promised('updateLocalAudio', options),
      stopLocalAudio: () => promised('stopLocalAudio'),
      startLocalVideo: (options?: LocalVideoOptions) => promised('startLocalVideo', options),
      updateLocalVideo: (options: LocalVideoOptions) => promised('updateLocalVideo', options),
      stopLocalVideo: () => promised('stopLocalVideo'),
      startScreenShare: (options?: ScreenShareOptions) => promised('startScreenShare', options),
      updateScreenShare: (options: ScreenShareOptions) => promised('updateScreenShare', options),
      stopScreenShare: () => promised('stopScreenShare'),
      startRemoteVideo: (options: RemoteVideoOptions) => promised('startRemoteVideo', options),
      updateRemoteVideo: (options: RemoteVideoOptions) => promised('updateRemoteVideo', options),
      stopRemoteVideo: (options: StopRemoteVideoOptions) => promised('stopRemoteVideo', options),
      muteRemoteAudio: (userId: string, mute: boolean) => promised('muteRemoteAudio', userId, mute),
      setRemoteAudioVolume: (userId: string, volume: number) => call('setRemoteAudioVolume', userId, volume),
      enableAudioVolumeEvaluation: (interval?: number) => call('enableAudioVolumeEvaluation', interval),
    };
  }
}

function codeOf(payload: unknown): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as { code?: unknown }).code : undefined;
}

function describePayload(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return '';
  const parts = Object.entries(payload as Record<string, unknown>)
    .filter(([, value]) => typeof value !== 'function')
    .map(([key, value]) => `${key}: ${String(value)}`);
  return parts.length > 0 ? ` {${parts.join(', ')}}` : '';
}

function describeArgs(method: ScriptedMethod, args: unknown[]): string {
  if (method === 'switchRole') return `(${String(args[0])})`;
  if (method === 'switchRoom' || method === 'enterRoom') {
    const options = (args[0] ?? {}) as { roomId?: unknown; strRoomId?: unknown };
    return `(${String(options.roomId ?? options.strRoomId)})`;
  }
  return '';
}

/**
 * The fake as a whole: makes instances (`create`, to pass as `() => sdk.create()`), holds the
 * scripts that apply to whichever instance makes the next call, the calls left pending, and every
 * violation found.
 */
export class ScriptedSdk {
  readonly instances: ScriptedInstance[] = [];
  readonly violations: Violation[] = [];
  private readonly scripts = new Map<ScriptedMethod, Script[]>();
  private readonly defaults = new Map<ScriptedMethod, Script>();
  private readonly onScripts: OnBehaviour[] = [];
  private readonly pending: PendingEntry[] = [];
  private ids = 0;

  create(): TrtcLike {
    const instance = new ScriptedInstance(this.instances.length + 1, this);
    this.instances.push(instance);
    return instance.trtc;
  }

  /** The instance made last (the one the controller uses), if any. */
  get current(): ScriptedInstance | undefined {
    return this.instances[this.instances.length - 1];
  }

  /** The record of a TRTC-shaped object this fake made. */
  recordOf(trtc: TrtcLike): ScriptedInstance | undefined {
    return this.instances.find((instance) => instance.trtc === trtc);
  }

  /** Scripts the next call of `method`, on whichever instance makes it. */
  next(method: ScriptedMethod, script: Script | Behaviour): this {
    const list = this.scripts.get(method) ?? [];
    list.push(typeof script === 'string' ? { behaviour: script } : script);
    this.scripts.set(method, list);
    return this;
  }

  /** Every call of `method` without a `next` script behaves so (default: resolve at once). */
  always(method: ScriptedMethod, script: Script | Behaviour): this {
    this.defaults.set(method, typeof script === 'string' ? { behaviour: script } : script);
    return this;
  }

  takeScript(method: ScriptedMethod): Script | undefined {
    return this.scripts.get(method)?.shift() ?? this.defaults.get(method);
  }

  /** Scripts the next `on()` calls, on whichever instance makes them, in order (default: add). */
  nextOn(...behaviours: OnBehaviour[]): this {
    this.onScripts.push(...behaviours);
    return this;
  }

  takeOnScript(): OnBehaviour | undefined {
    return this.onScripts.shift();
  }

  /** Calls still pending, oldest first (`late` and `hang`). */
  pendingCalls(method?: ScriptedMethod): PendingCall[] {
    return this.pending.filter((entry) => !entry.settled && (method === undefined || entry.method === method));
  }

  /**
   * Resolves or rejects the oldest pending `late` call of `method` (on any instance). Returns the
   * call, or undefined when there is none.
   */
  settleOldest(method: ScriptedMethod, outcome: 'resolve' | 'reject', error?: SdkErrorInit): PendingCall | undefined {
    const index = this.pending.findIndex((entry) => !entry.settled && entry.behaviour === 'late' && entry.method === method);
    const entry = this.pending[index];
    if (!entry) return undefined;
    this.pending.splice(index, 1);
    if (outcome === 'resolve') entry.succeed();
    else entry.fail(error);
    return entry;
  }

  /** V5: records a violation for each instance with listeners left (before its destroy, or now). */
  checkListeners(): Violation[] {
    const found: Violation[] = [];
    for (const instance of this.instances) {
      const left = instance.destroyed ? instance.listenersAtDestroy ?? 0 : instance.listenerCount;
      if (left === 0) continue;
      const where = instance.destroyed ? 'when destroy was called' : 'at the end (never destroyed)';
      const violation: Violation = {
        kind: 'V5',
        instance: instance.index,
        message: `${left} listener(s) added with on() and not removed with off() ${where}`,
        history: [...instance.history],
      };
      found.push(violation);
      this.record(violation);
    }
    return found;
  }

  record(violation: Violation): void {
    this.violations.push(violation);
  }

  nextId(): number {
    return ++this.ids;
  }

  track(entry: PendingEntry): void {
    this.pending.push(entry);
  }
}
