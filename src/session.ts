import type { MediaOptions, SwitchCredentials, TrtcSession } from './adapters/trtc.js';
import type { TrtcLike } from './adapters/trtc.types.js';
import { wrapCalls } from './adapters/wrap-calls.js';
import type { DeviceKind } from './machines/device/device.types.js';
import { RoomError } from './errors.js';
import type { EnterConfig, RemoteChange } from './machines/room/room.types.js';
import { Roster } from './machines/room/roster.js';

const TRTC_METHODS = ['enterRoom', 'exitRoom', 'destroy', 'on', 'off'] as const;

export function isTrtcLike(value: unknown): value is TrtcLike {
  if (typeof value !== 'object' || value === null) return false;
  return TRTC_METHODS.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

/** A value handed from a command to the call it causes, exactly once. */
class Handover<T> {
  private value: T | undefined;
  give(value: T): void {
    this.value = value;
  }
  take(): T | undefined {
    const value = this.value;
    this.value = undefined;
    return value;
  }
}

/** What a remote command does on the instance (its options stay here, never in the machine). */
export type RemoteRun = (trtc: TrtcLike, session: ControllerSession) => unknown;

export interface ControllerSession extends TrtcSession {
  readonly roster: Roster;
  giveEnterOptions(options: EnterConfig): void;
  giveMediaOptions<K extends DeviceKind>(kind: K, options: MediaOptions[K] | undefined): void;
  giveSwitchOptions(options: SwitchCredentials): void;
  /** Hands over what remote command `id` will do on the instance, when the machine makes its call. */
  giveRemoteCall(id: number, run: RemoteRun): void;
  /** Drops what a settled remote command did not use. */
  dropRemoteCall(id: number): void;
  /** Runs and forgets every kept autoplay `resume()`. */
  resumeAutoplay(): Promise<void>;
  /** Turns audio-volume events on (> 0) or off on the instance, and on every instance after it. */
  setVolumeEvaluation(intervalMs: number): void;
  /**
   * After the factory failed to replace a wedged instance: asks it again, and throws what it
   * throws. Without a pending failure it does nothing.
   */
  ensureInstance(): void;
}

/**
 * A copy of what the SDK threw or sent with every string in it masked, to any depth: `message`,
 * `stack`, `data`, `originError`, nested causes and every other own field, hidden and symbol-keyed
 * ones included, Map and Set entries too; its class and its numbers (`code`, `extraCode`) kept.
 * Getters and functions are left out: what they would answer later is unknown (an own `toJSON` or
 * inspect hook could say anything). The value itself when there is nothing to hide; a value that
 * cannot be read is replaced.
 */
export function maskedError(value: unknown, mask: (text: string) => string): unknown {
  try {
    return hides(value, mask, new Set()) ? maskedCopy(value, mask, new Map()) : value;
  } catch {
    return new Error('[the SDK failed with a value that cannot be read]');
  }
}

/** The own entries of an object (a Map's and a Set's too): [key, value, whether it is a getter]. */
function entriesOf(value: object): Array<[unknown, unknown, boolean]> {
  if (value instanceof Map) return [...value].map(([key, item]) => [key, item, false]);
  if (value instanceof Set) return [...value].map((item) => [undefined, item, false]);
  return Reflect.ownKeys(value).map((key) => {
    const field = Object.getOwnPropertyDescriptor(value, key);
    return [key, field?.value, field !== undefined && !('value' in field)];
  });
}

function hides(value: unknown, mask: (text: string) => string, seen: Set<object>): boolean {
  if (typeof value === 'string') return mask(value) !== value;
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  return entriesOf(value).some(([key, item, getter]) => getter || typeof item === 'function' || hides(key, mask, seen) || hides(item, mask, seen));
}

function maskedCopy(value: unknown, mask: (text: string) => string, copies: Map<object, unknown>): unknown {
  if (typeof value === 'string') return mask(value);
  if (typeof value !== 'object' || value === null) return value;
  if (copies.has(value)) return copies.get(value);
  const again = (item: unknown) => maskedCopy(item, mask, copies);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value as unknown[]) copy.push(again(item));
    return copy;
  }
  if (value instanceof Map || value instanceof Set) {
    const copy = value instanceof Map ? new Map<unknown, unknown>() : new Set<unknown>();
    copies.set(value, copy);
    for (const [key, item] of entriesOf(value)) {
      if (copy instanceof Map) copy.set(again(key), again(item));
      else copy.add(again(item));
    }
    return copy;
  }
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as object;
  copies.set(value, copy);
  for (const key of Reflect.ownKeys(value)) {
    const field = Object.getOwnPropertyDescriptor(value, key);
    if (!field || !('value' in field) || typeof field.value === 'function') continue;
    Object.defineProperty(copy, typeof key === 'string' ? mask(key) : key, { ...field, value: again(field.value), writable: true, configurable: true });
  }
  return copy;
}

/**
 * SDK errors can quote what they were given (an expired userSig): every failure of a call on the
 * instance comes out masked, before it can reach the snapshot, the view or an inspector.
 */
function maskingErrors(trtc: TrtcLike, mask: (text: string) => string): TrtcLike {
  return wrapCalls(trtc, (_, run) => (...args) => {
    let result: unknown;
    try {
      result = run(...args);
    } catch (error) {
      throw maskedError(error, mask);
    }
    if (!(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      throw maskedError(error, mask);
    });
  });
}

/** Stands in for the instance the factory failed to make: every call says so, nothing hangs. */
function missingInstance(cause: unknown): TrtcLike {
  const fail = () => {
    throw new RoomError('INVALID_STATE', 'no TRTC instance: the factory failed to make a fresh one after the last was retired', { cause });
  };
  const inert = () => undefined;
  return new Proxy({ on: inert, off: inert, destroy: inert } as unknown as TrtcLike, {
    get: (target, key) => (key in target || typeof key !== 'string' ? (target as unknown as Record<PropertyKey, unknown>)[key] : fail),
  });
}

/**
 * What the controller holds outside the machine: the SDK instance (renewed from the factory when
 * wedged), secrets and DOM options on their way to one call, autoplay callbacks, the roster.
 */
export interface SessionHooks {
  /** Each SDK instance passes through here once (the SDK call log wraps it). */
  wrap?: (trtc: TrtcLike) => TrtcLike;
  /** Hides known secrets in a text (an SDK error message that quotes the userSig). */
  mask?: (text: string) => string;
  /** Called once per burst of roster changes, after the burst (in a microtask). */
  rosterChanged?: (notice: RosterNotice) => void;
}

export interface RosterNotice {
  count: number;
  changes: readonly RemoteChange[];
}

/** How many changes of a burst a notice carries for inspection; `count` has them all. */
const NOTICE_CHANGES = 16;

export function createSession(source: TrtcLike | (() => TrtcLike), hooks: SessionHooks = {}): ControllerSession {
  const { mask } = hooks;
  const wrap = (trtc: TrtcLike) => {
    const guarded = mask ? maskingErrors(trtc, mask) : trtc;
    return hooks.wrap ? hooks.wrap(guarded) : guarded;
  };
  const factory = typeof source === 'function' ? source : undefined;
  // Instances this controller took and has retired (destroyed): never to be used again.
  const retired = new WeakSet<object>();
  let current: TrtcLike | undefined;
  const take = (): TrtcLike => {
    const instance = factory ? factory() : source;
    if (!isTrtcLike(instance)) {
      throw new RoomError(
        'INVALID_PARAMETER',
        'createRoomController(): `trtc` must be a TRTC instance or a factory returning one (TRTC.create()): enterRoom, exitRoom, destroy, on and off are needed',
        { field: 'trtc' },
      );
    }
    if (retired.has(instance)) {
      throw new RoomError('INVALID_PARAMETER', 'the `trtc` factory returned an instance this controller destroyed; it must return a fresh one (TRTC.create())', {
        field: 'trtc',
      });
    }
    current = instance;
    return wrap(instance);
  };
  let trtc = take();
  let lostBecause: { error: unknown } | undefined;
  // Instance settings the app made, given again to a fresh instance.
  let volumeEvaluation: number | undefined;
  const fresh = () => {
    trtc = take();
    lostBecause = undefined;
    if (volumeEvaluation === undefined) return;
    try {
      trtc.enableAudioVolumeEvaluation(volumeEvaluation);
    } catch {
      // The app's call succeeded on the old instance; a refusal here leaves volumes off, as the SDK would.
    }
  };
  const enter = new Handover<EnterConfig>();
  const switching = new Handover<SwitchCredentials>();
  const media: { [K in DeviceKind]: Handover<MediaOptions[K]> } = {
    microphone: new Handover(),
    camera: new Handover(),
    screen: new Handover(),
  };
  let autoplayResumes: Array<() => Promise<unknown>> = [];
  const remoteRuns = new Map<number, RemoteRun>();
  const roster = new Roster();
  let burst: { count: number; changes: RemoteChange[] } | undefined;
  const noteChange = (change: RemoteChange) => {
    if (burst) {
      burst.count += 1;
      if (burst.changes.length < NOTICE_CHANGES) burst.changes.push(change);
      return;
    }
    burst = { count: 1, changes: [change] };
    const noted = burst;
    queueMicrotask(() => {
      if (burst !== noted) return;
      burst = undefined;
      hooks.rosterChanged?.(noted);
    });
  };

  const session: ControllerSession = {
    get trtc() {
      return trtc;
    },
    roster,
    giveEnterOptions: (options) => enter.give(options),
    takeEnterOptions: () => enter.take(),
    giveMediaOptions: (kind, options) => {
      if (options !== undefined) media[kind].give(options);
    },
    takeMediaOptions: (kind) => media[kind].take(),
    giveSwitchOptions: (options) => switching.give(options),
    giveRemoteCall: (id, run) => {
      remoteRuns.set(id, run);
    },
    dropRemoteCall: (id) => {
      remoteRuns.delete(id);
    },
    async remoteCall(id, name) {
      const run = remoteRuns.get(id);
      remoteRuns.delete(id);
      if (!run) throw new Error(`${name}: nothing was handed over for this call`);
      return run(trtc, session);
    },
    takeSwitchOptions: () => switching.take(),
    keepAutoplayResume: (resume) => {
      autoplayResumes.push(resume);
    },
    async resumeAutoplay() {
      const resumes = autoplayResumes;
      autoplayResumes = [];
      // async: a resume() that throws at once must not keep the others from running.
      await Promise.allSettled(resumes.map(async (resume) => resume()));
    },
    applyRemote: (change: RemoteChange) => {
      if (roster.apply(change)) noteChange(change);
    },
    clearRemote: () => {
      roster.clear();
      // Changes noted before the clear are gone with it: no notice for them.
      burst = undefined;
      autoplayResumes = [];
    },
    renew() {
      // Called by the machine as it retires a wedged instance: a factory that throws must not
      // break the machine. The next command asks the factory again (ensureInstance).
      if (current) retired.add(current);
      try {
        fresh();
      } catch (error) {
        lostBecause = { error };
        trtc = missingInstance(error);
      }
    },
    mask: (text) => (mask ? mask(text) : text),
    maskValue: (value) => (mask ? maskedError(value, mask) : value),
    ensureInstance() {
      if (lostBecause) fresh();
    },
    setVolumeEvaluation(intervalMs) {
      trtc.enableAudioVolumeEvaluation(intervalMs);
      volumeEvaluation = intervalMs > 0 ? intervalMs : undefined;
    },
  };
  return session;
}
