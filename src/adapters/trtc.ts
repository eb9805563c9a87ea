import { fromCallback, fromPromise } from 'xstate';
import type { EventObject } from 'xstate';
import { describeSdkError } from '../machines/room/room.errors.js';
import type { EnterConfig, EnterRoomInput, KickReason, SdkConnectionState, SdkEvent } from '../machines/room/room.types.js';

/**
 * What the controller needs of a TRTC instance: a `TRTC.create()` result fits, and so does the
 * simulator's client. The SDK itself is never imported here: it cannot load outside a browser.
 */
export interface TrtcLike {
  enterRoom(options: EnterConfig): Promise<unknown>;
  exitRoom(): Promise<unknown>;
  destroy(): unknown;
  on(event: string, handler: SdkEventHandler): unknown;
  off(event: string, handler: SdkEventHandler): unknown;
}

/**
 * A handler of any SDK event. The SDK types `on` per event (a generic over its event map); no
 * narrower handler type accepts that signature, so the controller's side takes any function.
 */
export type SdkEventHandler = Function;

/** The SDK's event names (`TRTC.EVENT.*` values) the lifecycle listens to. */
export const SDK_EVENT = {
  KICKED_OUT: 'kicked-out',
  ERROR: 'error',
  CONNECTION_STATE_CHANGED: 'connection-state-changed',
} as const;

/**
 * The controller's hold on its SDK instance and on the credentials of the enter in progress.
 * Lives outside the machine so that snapshots stay serialisable and free of secrets.
 */
export interface TrtcSession {
  /** The instance in use. */
  readonly trtc: TrtcLike;
  /** Hands over the full enterRoom options once; they are not kept after the call. */
  takeEnterOptions(): EnterConfig | undefined;
  /** Replaces a destroyed instance by a fresh one from the factory. */
  renew(): void;
}

const KICK_REASONS: Record<string, KickReason> = {
  kick: 'kick',
  banned: 'banned',
  room_disband: 'room_disband',
  'room-disband': 'room_disband',
};

/**
 * Maps the SDK's kick reason to ours; the docs' `room-disband` and the SDK's `room_disband` are one.
 * A reason the SDK does not document is the server's doing, so it reads as `banned`.
 */
export function normaliseKickReason(reason: unknown): KickReason {
  return (typeof reason === 'string' ? KICK_REASONS[reason] : undefined) ?? 'banned';
}

const CONNECTION_STATES: readonly SdkConnectionState[] = ['DISCONNECTED', 'CONNECTING', 'CONNECTED'];

function toConnectionState(value: unknown): SdkConnectionState {
  return CONNECTION_STATES.find((state) => state === value) ?? 'DISCONNECTED';
}

function payloadOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Calls `fn` and turns a synchronous throw into a rejection, so a bound can apply to it. */
async function call(fn: () => Promise<unknown>): Promise<void> {
  await fn();
}

/** Translates the SDK's events into machine events; the returned function removes every listener. */
function listen(trtc: TrtcLike, sendBack: (event: SdkEvent) => void): () => void {
  const handlers: Record<string, (payload: unknown) => void> = {
    [SDK_EVENT.KICKED_OUT]: (payload) =>
      sendBack({ type: 'sdk.kickedOut', reason: normaliseKickReason(payloadOf(payload).reason) }),
    [SDK_EVENT.ERROR]: (payload) => {
      const { code, extraCode, message } = describeSdkError(payload);
      sendBack({
        type: 'sdk.error',
        error: { code: code ?? 0, message, cause: payload, ...(extraCode === undefined ? {} : { extraCode }) },
      });
    },
    [SDK_EVENT.CONNECTION_STATE_CHANGED]: (payload) => {
      const { state, prevState } = payloadOf(payload);
      sendBack({ type: 'sdk.connectionChanged', state: toConnectionState(state), prevState: toConnectionState(prevState) });
    },
  };
  const entries = Object.entries(handlers);
  for (const [name, handler] of entries) trtc.on(name, handler);
  return () => {
    for (const [name, handler] of entries) {
      try {
        trtc.off(name, handler);
      } catch {
        // A destroyed SDK may refuse; it has dropped its listeners already.
      }
    }
  };
}

/** The SDK-facing implementations of the room machine's placeholders, over one session. */
export function trtcImplementations(session: TrtcSession) {
  // Listeners still attached. XState stops a state's invocations after the transition's own
  // actions run, so destroyInstance detaches them itself: no `off` ever reaches a destroyed SDK.
  const attached = new Set<() => void>();
  const attach = (trtc: TrtcLike, sendBack: (event: SdkEvent) => void) => {
    const remove = listen(trtc, sendBack);
    const detach = () => {
      if (attached.delete(detach)) remove();
    };
    attached.add(detach);
    return detach;
  };

  return {
    actors: {
      enterRoom: fromPromise<void, EnterRoomInput>(async () => {
        const options = session.takeEnterOptions();
        if (!options) throw new Error('enterRoom: no credentials were given; call enter() on the controller');
        await call(() => session.trtc.enterRoom(options));
      }),
      exitRoom: fromPromise<void>(() => call(() => session.trtc.exitRoom())),
      sdkEvents: fromCallback<EventObject, void, SdkEvent>(({ sendBack }) => attach(session.trtc, sendBack)),
    },
    actions: {
      destroyInstance: () => {
        for (const detach of [...attached]) detach();
        try {
          const result = session.trtc.destroy();
          if (result instanceof Promise) result.catch(() => undefined);
        } catch {
          // destroy() may throw (5100 while still in a room); the instance is retired either way.
        }
      },
      renewInstance: () => session.renew(),
    },
  };
}
