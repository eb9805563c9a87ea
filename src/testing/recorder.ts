import type { TrtcLike } from '../adapters/trtc.types.js';

type Handler = (...args: never) => void;

export interface RecordedEntry {
  seq: number;
  /** Which instance (1 for the first one the factory made). */
  instance: number;
  /** An SDK method, or 'event' for an SDK event seen on the instance. */
  method: string;
  phase: 'call' | 'resolve' | 'reject' | 'throw' | 'emit';
  /** The SDK event name, for on/off/event. */
  event?: string;
}

/** Calls that change the session: never two in flight, but for the exitRoom that leaves a room whose switch hangs. */
const LIFECYCLE = new Set(['enterRoom', 'exitRoom', 'switchRoom', 'switchRole']);
const SWITCHES = new Set(['switchRoom', 'switchRole']);
/** Events the recorder watches on the instance itself, whether or not the controller listens. */
const WATCHED = ['kicked-out', 'error'];

/**
 * Wraps TRTC-shaped instances and logs every call the controller makes and how it ended, plus the
 * SDK's own kicked-out/error events. `violations()` checks the SDK's rules on the log:
 * 1. no `exitRoom` between a `kicked-out` and the next successful `enterRoom`;
 * 2. `destroy` at most once, and nothing called after it;
 * 3. at most one of enterRoom / exitRoom / switchRoom / switchRole in flight, except that exitRoom
 *    may leave the room while a switch the controller gave up on (past its bound) is still out;
 * 4. `exitRoom` only for a room entered (or being entered);
 * 5. every listener added is removed (`activeListeners()`).
 */
export class SdkRecorder {
  readonly log: RecordedEntry[] = [];
  /** Every handler the controller registered, per instance and event, kept after removal. */
  private readonly handlers: Array<Map<string, Set<Handler>>> = [];
  private seq = 0;

  factory(make: () => TrtcLike): () => TrtcLike {
    return () => this.wrap(make());
  }

  wrap(trtc: TrtcLike): TrtcLike {
    const instance = this.handlers.length + 1;
    const handlers = new Map<string, Set<Handler>>();
    this.handlers.push(handlers);
    const note = (method: string, phase: RecordedEntry['phase'], event?: string) =>
      this.log.push({ seq: ++this.seq, instance, method, phase, ...(event === undefined ? {} : { event }) });
    for (const event of WATCHED) trtc.on(event, () => note('event', 'emit', event));

    // Every method: the call, and how it ended (a synchronous throw, or the promise's outcome).
    const record =
      (method: string, run: (...args: unknown[]) => unknown) =>
      (...args: unknown[]): unknown => {
        note(method, 'call', method === 'on' || method === 'off' ? String(args[0]) : undefined);
        let result: unknown;
        try {
          result = run(...args);
        } catch (error) {
          note(method, 'throw');
          throw error;
        }
        if (result instanceof Promise) {
          result.then(
            () => note(method, 'resolve'),
            () => note(method, 'reject'),
          );
        }
        return result;
      };
    const wrapped = new Proxy(trtc, {
      get: (target, key, receiver) => {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || typeof value !== 'function') return value;
        const method = (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args);
        if (key === 'on') {
          return record(key, (event, handler) => {
            const set = handlers.get(String(event)) ?? new Set<Handler>();
            handlers.set(String(event), set.add(handler as Handler));
            return method(event, handler);
          });
        }
        return record(key, method);
      },
    });
    return wrapped;
  }

  /** Listeners the controller added and has not removed, on one instance or all. */
  activeListeners(instance?: number): number {
    return this.log
      .filter((entry) => instance === undefined || entry.instance === instance)
      .reduce((count, entry) => count + (entry.method === 'on' ? 1 : entry.method === 'off' ? -1 : 0), 0);
  }

  /**
   * Calls every handler the controller ever registered for `event` on an instance, removed ones
   * included: an SDK event arriving late, after the controller moved on.
   */
  fireLate(instance: number, event: string, payload: unknown): void {
    for (const handler of this.handlers[instance - 1]?.get(event) ?? []) (handler as (payload: unknown) => void)(payload);
  }

  /** Every broken rule (1–4 above; 5 is `activeListeners()`), as readable strings; [] when all hold. */
  violations(): string[] {
    const found: string[] = [];
    const instances = new Set(this.log.map((entry) => entry.instance));
    for (const instance of instances) {
      const entries = this.log.filter((entry) => entry.instance === instance);
      let kickedSinceEnter = false;
      let inRoomOrEntering = false;
      let destroyed = false;
      const inFlight = new Set<string>();
      for (const entry of entries) {
        const where = `instance ${instance}, #${entry.seq} ${entry.method}:${entry.phase}`;
        if (destroyed && entry.phase === 'call') found.push(`${where}: called after destroy (invariant 2)`);
        if (entry.method === 'event' && entry.event === 'kicked-out') {
          kickedSinceEnter = true;
          inRoomOrEntering = false;
        }
        if (entry.method === 'destroy' && entry.phase === 'call') destroyed = true;
        if (!LIFECYCLE.has(entry.method)) continue;
        if (entry.phase === 'call') {
          const overlapped = [...inFlight].filter((other) => !(entry.method === 'exitRoom' && SWITCHES.has(other)));
          if (overlapped.length > 0) found.push(`${where}: overlaps ${overlapped.join(', ')} in flight (invariant 3)`);
          inFlight.add(entry.method);
          if (entry.method === 'exitRoom') {
            if (kickedSinceEnter) found.push(`${where}: exitRoom after kicked-out (invariant 1)`);
            if (!inRoomOrEntering) found.push(`${where}: exitRoom without a room entered (invariant 4)`);
          } else {
            inRoomOrEntering = true;
          }
        } else {
          inFlight.delete(entry.method);
          // A kick ends the session: only a new enterRoom starts another (a switch answering late does not).
          if (entry.method === 'enterRoom' && entry.phase === 'resolve') {
            kickedSinceEnter = false;
            inRoomOrEntering = true;
          }
          if (entry.method === 'enterRoom' && entry.phase !== 'resolve') inRoomOrEntering = false;
          if (entry.method === 'exitRoom' && entry.phase === 'resolve') inRoomOrEntering = false;
        }
      }
    }
    return found;
  }
}
