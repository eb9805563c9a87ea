import type { EnterConfig } from '../../machines/room/room.types.js';
import type { TrtcLike } from '../trtc.js';
import { Emitter } from './emitter.js';
import { ERROR_CODE, SimulatedRtcError } from './rtc-error.js';
import { checkEnterParams } from './sdk-checks.js';
import type { SimulatedRoomRef } from './sdk-checks.js';

export type SimulatedMethod = 'enterRoom' | 'exitRoom' | 'destroy' | 'on' | 'off';

/**
 * A fault for the next call of a method:
 * - `reject`: the call rejects (enterRoom defaults to 5400/-100018 "userSig check failed");
 * - `throw`: the call throws synchronously;
 * - `hang`: the call never settles and nothing is said; only destroy() ends it, as in the SDK;
 * - `unreachable` (enterRoom): signalling cannot connect. As the SDK does, the call stays pending,
 *   retries every 2 s with DISCONNECTED/CONNECTING events, and raises error 5500/5501 after ~4 s;
 * - `noAnswer` (enterRoom): the server never answers; after 10 s the call rejects 5400 "join room timeout".
 */
export type SimulatedFault =
  | { kind: 'reject'; code?: number; extraCode?: number; message?: string }
  | { kind: 'throw'; code?: number; message?: string }
  | { kind: 'hang' }
  | { kind: 'unreachable' }
  | { kind: 'noAnswer' };

/** The SDK's own rhythm when signalling is unreachable or silent (trtc-facts.md). */
const RETRY_INTERVAL_MS = 2_000;
const FIREWALL_WARNING_AFTER_RETRIES = 2;
const JOIN_TIMEOUT_MS = 10_000;

/** One entry of a client's call log: a call, and how it ended. */
export interface SimulatedCall {
  seq: number;
  client: string;
  method: SimulatedMethod;
  phase: 'call' | 'resolve' | 'reject' | 'throw';
  /** For on/off: the event name. */
  event?: string;
  code?: number;
}

export type ClientState = 'idle' | 'entering' | 'inRoom' | 'destroyed';
type ConnectionState = 'DISCONNECTED' | 'CONNECTING' | 'CONNECTED';

/** What a client needs of its cloud. */
export interface CloudLink {
  /** Runs `fn` after the simulated network latency. */
  schedule(fn: () => void): void;
  join(client: SimulatedClient, room: SimulatedRoomRef): void;
  leave(client: SimulatedClient): void;
  nextSeq(): number;
}

interface FaultError {
  code: number;
  extraCode?: number;
  message: string;
}

const DEFAULT_FAULT_ERRORS: { enterRoom: FaultError; exitRoom: FaultError; destroy: FaultError } = {
  enterRoom: { code: ERROR_CODE.SERVER_ERROR, extraCode: -100018, message: 'join room failed: userSig check failed' },
  exitRoom: { code: ERROR_CODE.OPERATION_FAILED, message: 'exitRoom failed' },
  destroy: { code: ERROR_CODE.UNKNOWN_ERROR, message: 'destroy failed' },
};

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A TRTC-shaped client of a SimulatedCloud. It behaves as trtc-sdk-v5 5.17.1 does (docs/sdk-facts.md):
 * its error codes, its parameter checks and its answers to calls made in the wrong state.
 */
export class SimulatedClient implements TrtcLike {
  readonly label: string;
  readonly calls: SimulatedCall[] = [];
  private readonly emitter = new Emitter();
  private readonly faults = new Map<SimulatedMethod, SimulatedFault[]>();
  private readonly callListeners = new Set<(call: SimulatedCall) => void>();
  private clientState: ClientState = 'idle';
  private connectionState: ConnectionState = 'DISCONNECTED';
  private enterInFlight: Deferred | undefined;
  private exitInFlight: Promise<void> | undefined;
  private hanging: Deferred[] = [];
  private retryTimer: ReturnType<typeof setInterval> | undefined;
  /** The room this client is in (or entering), and as whom. */
  room: SimulatedRoomRef | undefined;
  userId: string | undefined;

  constructor(
    private readonly cloud: CloudLink,
    label: string,
  ) {
    this.label = label;
  }

  get state(): ClientState {
    return this.clientState;
  }

  get connection(): ConnectionState {
    return this.connectionState;
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

  enterRoom(params: EnterConfig): Promise<void> {
    this.record('enterRoom', 'call');
    const fault = this.takeFault('enterRoom');
    if (fault?.kind === 'throw') this.throwFault('enterRoom', fault);
    return this.track('enterRoom', this.startEnter(params, fault));
  }

  exitRoom(): Promise<void> {
    this.record('exitRoom', 'call');
    return this.track('exitRoom', this.startExit());
  }

  destroy(): void {
    this.record('destroy', 'call');
    const fault = this.takeFault('destroy');
    if (fault?.kind === 'throw') this.throwFault('destroy', fault);
    if (this.clientState === 'destroyed') return this.record('destroy', 'resolve');
    const wasInRoom = this.clientState === 'inRoom';
    // The SDK tears down first, then complains: a half-dead instance if it was in a room.
    this.emitter.clear();
    if (this.room) this.cloud.leave(this);
    this.enterInFlight?.reject(this.error(ERROR_CODE.INVALID_OPERATION, 'enterRoom', 'client was destroyed'));
    for (const pending of this.hanging) pending.resolve();
    this.hanging = [];
    this.stopRetrying();
    this.clientState = 'destroyed';
    this.connectionState = 'DISCONNECTED';
    if (wasInRoom) {
      const error = this.error(ERROR_CODE.INVALID_OPERATION, 'destroy', 'please call leave() before destroy()');
      this.record('destroy', 'throw', { code: error.code });
      throw error;
    }
    this.record('destroy', 'resolve');
  }

  /** The network drops: CONNECTED → DISCONNECTED, then the SDK starts reconnecting. */
  dropConnection(): void {
    if (this.clientState !== 'inRoom' || this.connectionState !== 'CONNECTED') return;
    this.setConnection('DISCONNECTED');
    this.setConnection('CONNECTING', true);
  }

  /** The network is back and the SDK reconnects. */
  restoreConnection(): void {
    if (this.clientState !== 'inRoom' || this.connectionState === 'CONNECTED') return;
    this.setConnection('CONNECTED');
  }

  /** After the third failed reconnect attempt the SDK warns (5500/5501) and stays in the room. */
  warnReconnectFailing(): void {
    if (this.clientState !== 'inRoom') return;
    this.emitter.emit('error', this.error(ERROR_CODE.OPERATION_FAILED, 'reconnect', 'connection failed, possibly firewall restrictions', 5501));
  }

  /** The rejoin fails: the SDK leaves the room by itself and reports 5400. */
  failRejoin(): void {
    if (this.clientState !== 'inRoom') return;
    this.leaveRoom();
    this.emitter.emit('error', this.error(ERROR_CODE.SERVER_ERROR, 'reJoinRoom', 'reJoin room failed', 0));
  }

  // ---- called by the cloud ----

  /** The server put this client out of its room. The SDK leaves, then tells the app. */
  kickOut(reason: string): void {
    if (this.clientState !== 'inRoom') return;
    this.leaveRoom();
    this.emitter.emit('kicked-out', { reason });
  }

  deliver(event: string, payload: unknown): void {
    if (this.clientState === 'inRoom') this.emitter.emit(event, payload);
  }

  // ---- internals ----

  private async startEnter(params: EnterConfig, fault: SimulatedFault | undefined): Promise<void> {
    if (this.clientState === 'destroyed') throw this.error(ERROR_CODE.INVALID_OPERATION, 'enterRoom', 'client was destroyed');
    if (this.clientState === 'entering') throw this.error(ERROR_CODE.OPERATION_ABORT, 'enterRoom', 'enterRoom abort: already start');
    if (this.clientState === 'inRoom') throw this.error(ERROR_CODE.INVALID_OPERATION, 'enterRoom', 'already in room', 5104);
    const room = checkEnterParams(params as unknown as Record<string, unknown>);
    if (room instanceof SimulatedRtcError) throw room;

    const attempt = deferred();
    this.enterInFlight = attempt;
    this.clientState = 'entering';
    this.setConnection('CONNECTING');
    if (fault?.kind === 'hang') {
      // Only destroy() settles it (with 5100).
    } else if (fault?.kind === 'unreachable') {
      this.retryUnreachable();
    } else if (fault?.kind === 'noAnswer') {
      const timer = setTimeout(() => attempt.reject(this.error(ERROR_CODE.SERVER_ERROR, 'enterRoom', 'join room timeout')), JOIN_TIMEOUT_MS);
      attempt.promise.catch(() => undefined).finally(() => clearTimeout(timer));
    } else if (fault?.kind === 'reject') {
      const code = fault.code ?? DEFAULT_FAULT_ERRORS.enterRoom.code;
      const extraCode = fault.code === undefined ? (fault.extraCode ?? DEFAULT_FAULT_ERRORS.enterRoom.extraCode) : fault.extraCode;
      const message = fault.message ?? DEFAULT_FAULT_ERRORS.enterRoom.message;
      this.cloud.schedule(() => attempt.reject(this.error(code, 'enterRoom', message, extraCode)));
    } else {
      this.cloud.schedule(() => {
        if (this.enterInFlight !== attempt || this.clientState !== 'entering') return;
        this.room = room;
        this.userId = params.userId;
        this.clientState = 'inRoom';
        this.setConnection('CONNECTED');
        this.cloud.join(this, room);
        attempt.resolve();
      });
    }
    try {
      await attempt.promise;
    } catch (error) {
      if (this.clientState === 'entering') {
        this.clientState = 'idle';
        this.setConnection('DISCONNECTED');
      }
      throw error;
    } finally {
      if (this.enterInFlight === attempt) this.enterInFlight = undefined;
      this.stopRetrying();
    }
  }

  private retryUnreachable(): void {
    let retries = 0;
    this.retryTimer = setInterval(() => {
      retries += 1;
      this.setConnection('DISCONNECTED');
      this.setConnection('CONNECTING');
      if (retries === FIREWALL_WARNING_AFTER_RETRIES) {
        this.emitter.emit('error', this.error(ERROR_CODE.OPERATION_FAILED, 'enterRoom', 'signalling connection failed, possibly firewall restrictions', 5501));
      }
    }, RETRY_INTERVAL_MS);
  }

  private stopRetrying(): void {
    clearInterval(this.retryTimer);
    this.retryTimer = undefined;
  }

  private startExit(): Promise<void> {
    const fault = this.takeFault('exitRoom');
    if (fault?.kind === 'throw') this.throwFault('exitRoom', fault);
    if (fault?.kind === 'hang') {
      const pending = deferred();
      this.hanging.push(pending);
      return pending.promise;
    }
    if (fault?.kind === 'reject') {
      const { code, message } = { ...DEFAULT_FAULT_ERRORS.exitRoom, ...fault };
      return Promise.reject(this.error(code ?? ERROR_CODE.OPERATION_FAILED, 'exitRoom', message ?? ''));
    }
    if (this.exitInFlight) return this.exitInFlight;
    if (this.clientState === 'idle' || this.clientState === 'destroyed') return Promise.resolve();
    const exiting = this.exitAfterEnter().finally(() => {
      this.exitInFlight = undefined;
    });
    this.exitInFlight = exiting;
    return exiting;
  }

  private async exitAfterEnter(): Promise<void> {
    // exitRoom does not cancel an enterRoom in flight: it waits for it.
    if (this.enterInFlight) await this.enterInFlight.promise.catch(() => undefined);
    if (this.clientState !== 'inRoom') return;
    await new Promise<void>((resolve) => this.cloud.schedule(resolve));
    if (this.clientState === 'inRoom') this.leaveRoom();
  }

  private leaveRoom(): void {
    this.cloud.leave(this);
    this.clientState = 'idle';
    this.setConnection('DISCONNECTED');
  }

  private setConnection(state: ConnectionState, isReconnecting?: boolean): void {
    const prevState = this.connectionState;
    if (prevState === state) return;
    this.connectionState = state;
    this.emitter.emit('connection-state-changed', { prevState, state, ...(isReconnecting ? { isReconnecting } : {}) });
  }

  private takeFault(method: SimulatedMethod): SimulatedFault | undefined {
    return this.faults.get(method)?.shift();
  }

  private throwFault(method: SimulatedMethod, fault: { code?: number; message?: string }): never {
    const defaults: Partial<Record<SimulatedMethod, FaultError>> = DEFAULT_FAULT_ERRORS;
    const base = defaults[method] ?? { code: ERROR_CODE.UNKNOWN_ERROR, message: `${method} failed` };
    const error = this.error(fault.code ?? base.code, method, fault.message ?? base.message);
    this.record(method, 'throw', { code: error.code });
    throw error;
  }

  private track(method: SimulatedMethod, promise: Promise<void>): Promise<void> {
    promise.then(
      () => this.record(method, 'resolve'),
      (error: unknown) => this.record(method, 'reject', error instanceof SimulatedRtcError ? { code: error.code } : {}),
    );
    return promise;
  }

  private error(code: number, functionName: string, message: string, extraCode?: number): SimulatedRtcError {
    return new SimulatedRtcError({ code, functionName, message, ...(extraCode === undefined ? {} : { extraCode }) });
  }

  private record(method: SimulatedMethod, phase: SimulatedCall['phase'], extra: Partial<SimulatedCall> = {}): void {
    const call: SimulatedCall = { seq: this.cloud.nextSeq(), client: this.label, method, phase, ...extra };
    this.calls.push(call);
    for (const listener of this.callListeners) listener(call);
  }
}
