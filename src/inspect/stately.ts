import type { InspectionEvent, Observer } from 'xstate';
import type { ElementLike } from '../adapters/trtc.types.js';
import { RoomError } from '../errors.js';
import { isNoisyEvent } from './inspection.js';

/** The part of an @statelyai/inspect inspector the controller uses. */
export interface StatelyInspector {
  /** Pass as `createRoomController({ inspect: inspector.inspect })` or to `room.inspect()`. */
  readonly inspect: Observer<InspectionEvent>;
  start(): void;
  stop(): void;
}

export interface StatelyBrowserInspectorOptions {
  /** The inspector page; default https://stately.ai/inspect (needs internet; events go to that page). */
  url?: string;
  /** Show the inspector in this iframe (an HTMLIFrameElement) instead of a new window. */
  iframe?: ElementLike | null;
  autoStart?: boolean;
  /** Which inspection events to send; the default drops the noisiest (see `isNoisyInspectionEvent`). */
  filter?: (event: unknown) => boolean;
}

export interface StatelyWebSocketInspectorOptions {
  /**
   * Pass `server.url` of a `startInspectorServer()` (`trtc-room-machine/inspector-server`): it
   * carries the token that server requires. The default, ws://127.0.0.1:8080, has none, so such a
   * server refuses it (401); it fits only a relay of your own that asks for no token.
   */
  url?: string;
  autoStart?: boolean;
  filter?: (event: unknown) => boolean;
}

type StatelyModule = typeof import('@statelyai/inspect');

async function loadStately(helper: string): Promise<StatelyModule> {
  try {
    return await import('@statelyai/inspect');
  } catch (cause) {
    throw new RoomError(
      'MISSING_DEPENDENCY',
      `${helper}(): @statelyai/inspect is not installed; add it with \`npm install --save-dev @statelyai/inspect\``,
      { cause },
    );
  }
}

/** Which inspection events to send: the default drops audio-volume batches and network-quality reports. */
export function isNoisyInspectionEvent(event: unknown): boolean {
  return isNoisyEvent((event as { event?: unknown } | undefined)?.event);
}

const quiet = (event: unknown) => !isNoisyInspectionEvent(event);

/**
 * An @statelyai/inspect browser inspector (loaded only now). The controller redacts secrets from
 * every event before the inspector sees it.
 */
export async function createStatelyBrowserInspector(options: StatelyBrowserInspectorOptions = {}): Promise<StatelyInspector> {
  const { createBrowserInspector } = await loadStately('createStatelyBrowserInspector');
  const inspector = createBrowserInspector({ ...options, filter: options.filter ?? quiet } as Parameters<typeof createBrowserInspector>[0]);
  // Without a window, @statelyai/inspect returns an inert object with no `inspect`.
  if (!('inspect' in inspector)) {
    throw new RoomError('INVALID_STATE', 'createStatelyBrowserInspector(): needs a browser window; in Node use createStatelyWebSocketInspector()');
  }
  return inspector;
}

/**
 * An @statelyai/inspect WebSocket inspector (loaded only now), for Node or Electron: pair it with
 * `startInspectorServer()`, which listens on the loopback interface only, and give it that
 * server's `url`.
 */
export async function createStatelyWebSocketInspector(options: StatelyWebSocketInspectorOptions = {}): Promise<StatelyInspector> {
  const { createWebSocketInspector } = await loadStately('createStatelyWebSocketInspector');
  return createWebSocketInspector({ url: 'ws://127.0.0.1:8080', ...options, filter: options.filter ?? quiet } as Parameters<
    typeof createWebSocketInspector
  >[0]);
}
