import type { EnterConfig } from '../../machines/room/room.types.js';
import { deferred, faultError } from './calls.js';
import type { Deferred, SimulatedCall, SimulatedFault, SimulatedMethod } from './calls.js';
import { Emitter } from './emitter.js';
import type { Presence } from './presence.js';
import { rtcError, SimulatedRtcError } from './rtc-error.js';
import type { SimulatedRoomRef } from './sdk-checks.js';

/** A client as its cloud sees it. */
export interface CloudMember {
  readonly userId: string | undefined;
  room: SimulatedRoomRef | undefined;
  readonly speakingLevel: number;
  presence(): Presence | undefined;
  /** Another user of the room changed from `before` to `after` (undefined: not visible). */
  observe(source: CloudMember, before: Presence | undefined, after: Presence | undefined): void;
  kickOut(reason: string): void;
}

/** What a client needs of its cloud. */
export interface CloudLink {
  /** Runs `fn` after the simulated network latency. */
  schedule(fn: () => void): void;
  join(client: CloudMember, room: SimulatedRoomRef): void;
  /** Takes the client out of its room; the others last saw it as `last`. */
  leave(client: CloudMember, last: Presence | undefined): void;
  /** Tells the others in the client's room how it changed. */
  announce(client: CloudMember, before: Presence | undefined, after: Presence | undefined): void;
  /** Everyone in the client's room (the client too), by userId in order of arrival; empty when not in one. */
  members(client: CloudMember): ReadonlyMap<string, CloudMember>;
  nextSeq(): number;
  /** The server's answer to a join: undefined to let it in, else the error enterRoom rejects with. */
  admit(room: SimulatedRoomRef, params: EnterConfig): SimulatedRtcError | undefined;
}

/**
 * The plumbing of a simulated client: its event emitter, its call log and its injected faults.
 * Every SDK method goes through `invoke` (asynchronous) or `invokeSync`, which record the call and
 * its outcome and apply the next fault queued for that method.
 */
export abstract class ClientBase {
  readonly label: string;
  readonly calls: SimulatedCall[] = [];
  protected readonly emitter = new Emitter();
  private readonly faults = new Map<SimulatedMethod, SimulatedFault[]>();
  private readonly callListeners = new Set<(call: SimulatedCall) => void>();
  /** Calls left hanging by a `hang` fault: destroy() settles them. */
  protected hanging: Deferred[] = [];

  constructor(
    protected readonly cloud: CloudLink,
    label: string,
  ) {
    this.label = label;
  }

  /** The next call of `method` fails this way (faults queue up, one per call). */
  injectFault(method: SimulatedMethod, fault: SimulatedFault): void {
    const queue = this.faults.get(method) ?? [];
    queue.push(fault);
    this.faults.set(method, queue);
  }

  /** Observes every call and outcome (the demo prints them). Returns the unsubscribe function. */
  onCall(listener: (call: SimulatedCall) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  listenerCount(event?: string): number {
    return this.emitter.listenerCount(event);
  }

  /** Emits an SDK event to this client's listeners, as the SDK's public `emit` does. */
  emit(event: string, ...args: unknown[]): void {
    this.emitter.emit(event, ...args);
  }

  on(event: string, handler: (...args: never) => void): this {
    this.record('on', 'call', { event });
    this.emitter.on(event, handler);
    return this;
  }

  off(event: string, handler: (...args: never) => void): this {
    this.record('off', 'call', { event });
    this.emitter.off(event, handler);
    return this;
  }

  /** An asynchronous SDK method: `run` is skipped when a fault says how the call ends. */
  protected invoke(method: SimulatedMethod, run: () => Promise<void>): Promise<void> {
    this.record(method, 'call');
    const fault = this.takeFault(method);
    if (fault?.kind === 'throw') this.throwFault(method, fault);
    if (fault?.kind === 'hang') return this.track(method, this.hang());
    if (fault?.kind === 'reject') {
      const { code, message, extraCode } = faultError(method, fault);
      return this.track(method, this.settle().then(() => Promise.reject(rtcError(code, method, message, extraCode))));
    }
    return this.track(method, run());
  }

  /** A synchronous SDK method: only a `throw` fault applies. */
  protected invokeSync<T>(method: SimulatedMethod, run: () => T): T {
    this.record(method, 'call');
    const fault = this.takeFault(method);
    if (fault?.kind === 'throw') this.throwFault(method, fault);
    try {
      const result = run();
      this.record(method, 'resolve');
      return result;
    } catch (error) {
      this.record(method, 'throw', error instanceof SimulatedRtcError ? { code: error.code } : {});
      throw error;
    }
  }

  /** Resolves after the simulated network latency. */
  settle(): Promise<void> {
    return new Promise<void>((resolve) => this.cloud.schedule(resolve));
  }

  protected hang(): Promise<void> {
    const pending = deferred();
    this.hanging.push(pending);
    return pending.promise;
  }

  protected takeFault(method: SimulatedMethod): SimulatedFault | undefined {
    return this.faults.get(method)?.shift();
  }

  protected throwFault(method: SimulatedMethod, fault: { code?: number; extraCode?: number; message?: string }): never {
    const { code, message, extraCode } = faultError(method, fault);
    const error = rtcError(code, method, message, extraCode);
    this.record(method, 'throw', { code: error.code });
    throw error;
  }

  protected track(method: SimulatedMethod, promise: Promise<void>): Promise<void> {
    promise.then(
      () => this.record(method, 'resolve'),
      (error: unknown) => this.record(method, 'reject', error instanceof SimulatedRtcError ? { code: error.code } : {}),
    );
    return promise;
  }

  protected record(method: SimulatedMethod, phase: SimulatedCall['phase'], extra: Partial<SimulatedCall> = {}): void {
    const call: SimulatedCall = { seq: this.cloud.nextSeq(), client: this.label, method, phase, ...extra };
    this.calls.push(call);
    for (const listener of this.callListeners) listener(call);
  }
}
