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

/** A browser inspector, which also says whether its page answered. */
export interface StatelyBrowserInspector extends StatelyInspector {
  /**
   * Resolves once the inspector page has answered; rejects with a RoomError
   * `INSPECTOR_UNAVAILABLE` when the window could not be opened (a blocked popup) or the page did
   * not answer within `connectTimeoutMs` (offline, a DNS error, a page that is not the inspector).
   * Never an unhandled rejection: `onUnavailable` hears it too.
   */
  readonly connected: Promise<void>;
}

/** The part of a browser window the inspector uses (the page's `window` by default). */
export interface InspectorWindow {
  open(url: string, target: string): unknown;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface StatelyBrowserInspectorOptions {
  /** The inspector page; default https://stately.ai/inspect (needs internet; events go to that page). */
  url?: string;
  /** How long the inspector page has to answer once started; default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Told when the inspector page cannot be reached; default `console.warn`. */
  onUnavailable?: (error: RoomError) => void;
  /** The window to open the inspector from; default the page's. */
  window?: InspectorWindow;
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

const CONNECTED = '@statelyai.connected';
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const unavailable = (why: string) => new RoomError('INSPECTOR_UNAVAILABLE', `createStatelyBrowserInspector(): ${why}`);

/**
 * Watches `target` for the inspector page's hello, from the first `open` (or iframe start) on: a
 * window that did not open, or a page that stays silent, is reported rather than left silent.
 */
function watchConnection(target: InspectorWindow, options: StatelyBrowserInspectorOptions) {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const report = options.onUnavailable ?? ((error: RoomError) => console.warn(error.message));
  let settle: { resolve(): void; reject(error: RoomError): void } | undefined;
  const connected = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  connected.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const end = (error?: RoomError) => {
    if (!settle) return;
    const { resolve, reject } = settle;
    settle = undefined;
    clearTimeout(timer);
    target.removeEventListener('message', hello);
    if (!error) return resolve();
    reject(error);
    report(error);
  };
  const hello = (event: { data: unknown }) => {
    if ((event.data as { type?: unknown } | null)?.type === CONNECTED) end();
  };
  const started = () => {
    if (!settle || timer !== undefined) return;
    target.addEventListener('message', hello);
    const why = `the inspector page did not answer within ${timeoutMs} ms (offline, or not the inspector); events are kept and sent if it answers later`;
    timer = setTimeout(() => end(unavailable(why)), timeoutMs);
  };
  // What @statelyai/inspect is given: the same window, with `open` watched for a blocked popup.
  const window: InspectorWindow = new Proxy(target, {
    get(object, key) {
      if (key === 'open') {
        return (url: string, name: string) => {
          const opened = object.open(url, name);
          started();
          if (!opened) end(unavailable('the browser did not open the inspector window (a blocked popup?); pass an iframe, or allow popups'));
          return opened;
        };
      }
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
  /** Stopped by the app: the wait ends quietly (`connected` rejects, nobody is told). */
  const cancel = () => {
    const report = settle;
    if (!report) return;
    settle = undefined;
    clearTimeout(timer);
    target.removeEventListener('message', hello);
    report.reject(new RoomError('INSPECTOR_UNAVAILABLE', 'createStatelyBrowserInspector(): stopped before the inspector page answered'));
  };
  return { window, connected, started, cancel };
}

/**
 * An @statelyai/inspect browser inspector (loaded only now). The controller redacts secrets from
 * every event before the inspector sees it. `connected` says whether the inspector page answered;
 * by default a page that cannot be reached is reported with `console.warn`.
 */
export async function createStatelyBrowserInspector(options: StatelyBrowserInspectorOptions = {}): Promise<StatelyBrowserInspector> {
  const { createBrowserInspector } = await loadStately('createStatelyBrowserInspector');
  const target = options.window ?? (globalThis as { window?: InspectorWindow }).window;
  if (!target) {
    throw new RoomError('INVALID_STATE', 'createStatelyBrowserInspector(): needs a browser window; in Node use createStatelyWebSocketInspector()');
  }
  const watch = watchConnection(target, options);
  const { connectTimeoutMs: _timeout, onUnavailable: _report, ...given } = options;
  const inspector = createBrowserInspector({ ...given, window: watch.window, filter: options.filter ?? quiet } as Parameters<
    typeof createBrowserInspector
  >[0]);
  // Without a window, @statelyai/inspect returns an inert object with no `inspect`.
  if (!('inspect' in inspector)) {
    throw new RoomError('INVALID_STATE', 'createStatelyBrowserInspector(): needs a browser window; in Node use createStatelyWebSocketInspector()');
  }
  // In an iframe nothing is opened: the wait starts with the inspector.
  if (options.iframe && options.autoStart !== false) watch.started();
  const start = inspector.start.bind(inspector);
  const stop = inspector.stop.bind(inspector);
  return Object.assign(inspector, {
    connected: watch.connected,
    start() {
      start();
      if (options.iframe) watch.started();
    },
    stop() {
      watch.cancel();
      stop();
    },
  });
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
