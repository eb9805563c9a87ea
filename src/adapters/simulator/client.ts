import type { EnterConfig } from '../../machines/room/room.types.js';
import type { TrtcLike } from '../trtc.js';
import { deferred, faultError } from './calls.js';
import type { Deferred, SimulatedFault } from './calls.js';
import { MediaClient } from './media-client.js';
import type { ClientState } from './media-client.js';
import type { SimulatedRole, SwitchRoomConfig } from './media-types.js';
import { ERROR_CODE, EXTRA_CODE, rtcError, SimulatedRtcError } from './rtc-error.js';
import { checkArg, checkEnterParams, checkSwitchRoomParams, notJoined } from './sdk-checks.js';
import type { SimulatedRoomRef } from './sdk-checks.js';

export type { CloudLink, CloudMember } from './client-base.js';
export type { SimulatedCall, SimulatedFault, SimulatedMethod } from './calls.js';
export type { ClientState } from './media-client.js';

/** The SDK's own rhythm when signalling is unreachable or silent (trtc-facts.md). */
const RETRY_INTERVAL_MS = 2_000;
const FIREWALL_WARNING_AFTER_RETRIES = 2;
const JOIN_TIMEOUT_MS = 10_000;

const ROLES: readonly SimulatedRole[] = ['anchor', 'audience'];

type ConnectionState = 'DISCONNECTED' | 'CONNECTING' | 'CONNECTED';

/**
 * A TRTC-shaped client of a SimulatedCloud. It behaves as trtc-sdk-v5 5.17.1 does (docs/sdk-facts.md):
 * its error codes, its parameter checks and its answers to calls made in the wrong state.
 * This part is the room: enter, exit, destroy, kicks, the connection, switchRole and switchRoom.
 */
export class SimulatedClient extends MediaClient implements TrtcLike {
  private connectionState: ConnectionState = 'DISCONNECTED';
  private enterInFlight: Deferred | undefined;
  private exitInFlight: Promise<void> | undefined;
  private retryTimer: ReturnType<typeof setInterval> | undefined;
  /** The last enterRoom options: switchRoom re-enters with them, as the SDK does. */
  private enterParams: EnterConfig | undefined;
  /** Counts the joins, so that an answer meant for an earlier stay in a room is recognised. */
  private session = 0;

  get state(): ClientState {
    return this.clientState;
  }

  get connection(): ConnectionState {
    return this.connectionState;
  }

  get role(): SimulatedRole {
    return this.currentRole;
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
    if (this.room) this.leaveCloud();
    this.remote.clear();
    this.stopVolumeTimer();
    this.enterInFlight?.reject(rtcError(ERROR_CODE.INVALID_OPERATION, 'enterRoom', 'client was destroyed'));
    for (const pending of this.hanging) pending.resolve();
    this.hanging = [];
    this.stopRetrying();
    this.clientState = 'destroyed';
    this.connectionState = 'DISCONNECTED';
    if (wasInRoom) {
      // The throw comes before the SDK's own stop of the local tracks: they stay captured.
      const error = rtcError(ERROR_CODE.INVALID_OPERATION, 'destroy', 'please call leave() before destroy()');
      this.record('destroy', 'throw', { code: error.code });
      throw error;
    }
    this.localMedia.stopAll();
    this.record('destroy', 'resolve');
  }

  /** Needs entering or in-room. Becoming an audience unpublishes at once; becoming an anchor republishes. */
  switchRole(role: SimulatedRole, option?: { privateMapKey?: string; latencyLevel?: number }): Promise<void> {
    void option;
    return this.invoke('switchRole', async () => {
      const invalid = checkArg('switchRole', 'role', role, 'string', ROLES);
      if (invalid) throw invalid;
      const entering = this.clientState === 'entering';
      if (!entering && this.clientState !== 'inRoom') throw notJoined('switchRole');
      if (role === this.currentRole) return;
      const session = this.session;
      if (role === 'audience') this.change(() => this.localMedia.unpublishAll());
      await this.settle();
      if (this.clientState === 'entering') {
        this.currentRole = role;
        return;
      }
      // Our choice: a switch whose room was left meanwhile (kick, exit) fails as if never in it.
      if (this.clientState !== 'inRoom' || (!entering && this.session !== session)) throw notJoined('switchRole');
      this.change(() => {
        this.currentRole = role;
        if (role === 'anchor') this.localMedia.publishStarted(this.canPublish());
      });
    });
  }

  /**
   * Without the switchRoom feature (enabled per app by Tencent) the SDK falls back to its own
   * exitRoom() then enterRoom() with the enterRoom options overridden by these (read from the bundle):
   * the old room sees this user leave, the connection goes DISCONNECTED → CONNECTING → CONNECTED, and
   * the role is again the one given to enterRoom. Those inner calls are not in the call log.
   */
  switchRoom(params: SwitchRoomConfig): Promise<void> {
    return this.invoke('switchRoom', async () => {
      const target = checkSwitchRoomParams(params, this.clientState === 'inRoom' ? this.room : undefined);
      if (target instanceof SimulatedRtcError) throw target;
      const base = this.enterParams;
      if (!base) throw notJoined('switchRoom');
      await this.exitOnce();
      await this.startEnter({ ...base, ...params }, undefined);
    });
  }

  /** The network drops: CONNECTED → DISCONNECTED, then the SDK starts reconnecting. The room keeps this user. */
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
    const message = 'connection failed, possibly firewall restrictions';
    this.emitter.emit('error', rtcError(ERROR_CODE.OPERATION_FAILED, 'reconnect', message, EXTRA_CODE.FIREWALL_RESTRICTION));
  }

  /** The rejoin fails: the SDK leaves the room by itself and reports 5400. */
  failRejoin(): void {
    if (this.clientState !== 'inRoom') return;
    this.leaveRoom();
    this.emitter.emit('error', rtcError(ERROR_CODE.SERVER_ERROR, 'reJoinRoom', 'reJoin room failed', 0));
  }

  /** Called by the cloud: the server put this client out of its room. The SDK leaves, then tells the app. */
  kickOut(reason: string): void {
    if (this.clientState !== 'inRoom') return;
    this.leaveRoom();
    this.emitter.emit('kicked-out', { reason });
  }

  // ---- internals ----

  private async startEnter(params: EnterConfig, fault: SimulatedFault | undefined): Promise<void> {
    if (this.clientState === 'destroyed') throw rtcError(ERROR_CODE.INVALID_OPERATION, 'enterRoom', 'client was destroyed');
    if (this.clientState === 'entering') throw rtcError(ERROR_CODE.OPERATION_ABORT, 'enterRoom', 'enterRoom abort: already start');
    if (this.clientState === 'inRoom') {
      throw rtcError(ERROR_CODE.INVALID_OPERATION, 'enterRoom', 'already in room', EXTRA_CODE.INVALID_OPERATION_REPEAT_CALL);
    }
    const room = checkEnterParams(params as unknown as Record<string, unknown>);
    if (room instanceof SimulatedRtcError) throw room;

    this.enterParams = params;
    this.scene = params.scene ?? 'rtc';
    this.currentRole = params.role ?? 'anchor';
    const attempt = deferred();
    this.enterInFlight = attempt;
    this.clientState = 'entering';
    this.setConnection('CONNECTING');
    if (fault?.kind === 'hang') {
      // Only destroy() settles it (with 5100).
    } else if (fault?.kind === 'unreachable') {
      this.retryUnreachable();
    } else if (fault?.kind === 'noAnswer') {
      const timer = setTimeout(() => attempt.reject(rtcError(ERROR_CODE.SERVER_ERROR, 'enterRoom', 'join room timeout')), JOIN_TIMEOUT_MS);
      attempt.promise.catch(() => undefined).finally(() => clearTimeout(timer));
    } else if (fault?.kind === 'reject') {
      const { code, message, extraCode } = faultError('enterRoom', fault);
      this.cloud.schedule(() => attempt.reject(rtcError(code, 'enterRoom', message, extraCode)));
    } else {
      this.cloud.schedule(() => {
        if (this.enterInFlight !== attempt || this.clientState !== 'entering') return;
        const refused = this.cloud.admit(room, params);
        if (refused) return attempt.reject(refused);
        this.join(room, params.userId);
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

  /** In the room: tracks started before are published, the others are met, the network is reported. */
  private join(room: SimulatedRoomRef, userId: string): void {
    this.room = room;
    this.userId = userId;
    this.clientState = 'inRoom';
    this.session += 1;
    this.localMedia.publishStarted(this.canPublish());
    this.setConnection('CONNECTED');
    this.cloud.join(this, room);
    this.emitter.emit('network-quality', { ...this.network });
  }

  private retryUnreachable(): void {
    let retries = 0;
    this.retryTimer = setInterval(() => {
      retries += 1;
      this.setConnection('DISCONNECTED');
      this.setConnection('CONNECTING');
      if (retries === FIREWALL_WARNING_AFTER_RETRIES) {
        const message = 'signalling connection failed, possibly firewall restrictions';
        this.emitter.emit('error', rtcError(ERROR_CODE.OPERATION_FAILED, 'enterRoom', message, EXTRA_CODE.FIREWALL_RESTRICTION));
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
    if (fault?.kind === 'hang') return this.hang();
    if (fault?.kind === 'reject') {
      const { code, message, extraCode } = faultError('exitRoom', fault);
      return Promise.reject(rtcError(code, 'exitRoom', message, extraCode));
    }
    return this.exitOnce();
  }

  /** Concurrent exits share one. */
  private exitOnce(): Promise<void> {
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
    await this.settle();
    if (this.clientState === 'inRoom') this.leaveRoom();
  }

  /** Leaving keeps the local tracks (unpublished) and forgets the remote users without events. */
  private leaveRoom(): void {
    this.leaveCloud();
    this.remote.clear();
    this.clientState = 'idle';
    this.setConnection('DISCONNECTED');
  }

  private leaveCloud(): void {
    this.cloud.leave(this, this.presence());
    this.localMedia.unpublishAll();
  }

  private setConnection(state: ConnectionState, isReconnecting?: boolean): void {
    const prevState = this.connectionState;
    if (prevState === state) return;
    this.connectionState = state;
    this.emitter.emit('connection-state-changed', { prevState, state, ...(isReconnecting ? { isReconnecting } : {}) });
  }
}
