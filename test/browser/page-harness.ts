import type { RoomController, TrtcLike } from '../../src/index.js';

/** A call the controller made on a real TRTC instance, and how it ended. */
export interface PageCall {
  instance: number;
  method: string;
  phase: 'call' | 'resolve' | 'reject' | 'throw';
  code?: number;
  event?: string;
}

export interface PageHarness {
  /** A controller over `TRTC.create()` instances, each wrapped to log every call. */
  makeRoom(name: string, options: { enterTimeoutMs: number; exitTimeoutMs: number }): RoomController;
  room(name: string): RoomController;
  calls(name: string): PageCall[];
  /** Listeners the controller added and has not removed (on minus off). */
  activeListeners(name: string): number;
}

declare global {
  interface Window {
    lib: typeof import('../../src/index.js');
    TRTC: { create(): TrtcLike; VERSION?: string };
    libReady?: boolean;
    harness: PageHarness;
  }
}

/** Runs in the page (passed to page.evaluate): installs `window.harness`. */
export function installHarness(): void {
  const rooms = new Map<string, { room: RoomController; log: PageCall[] }>();
  const codeOf = (error: unknown) =>
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number'
      ? (error as { code: number }).code
      : undefined;

  const wrap = (trtc: TrtcLike, instance: number, log: PageCall[]): TrtcLike =>
    new Proxy(trtc, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const event = key === 'on' || key === 'off' ? String(args[0]) : undefined;
          log.push({ instance, method: key, phase: 'call', ...(event ? { event } : {}) });
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (error) {
            log.push({ instance, method: key, phase: 'throw', code: codeOf(error) });
            throw error;
          }
          if (result instanceof Promise) {
            result.then(
              () => log.push({ instance, method: key, phase: 'resolve' }),
              (error: unknown) => log.push({ instance, method: key, phase: 'reject', code: codeOf(error) }),
            );
          }
          return result;
        };
      },
    });

  window.harness = {
    makeRoom(name, options) {
      const log: PageCall[] = [];
      let instances = 0;
      const room = window.lib.createRoomController({
        trtc: () => wrap(window.TRTC.create(), ++instances, log),
        ...options,
      });
      rooms.set(name, { room, log });
      return room;
    },
    room: (name) => {
      const entry = rooms.get(name);
      if (!entry) throw new Error(`no room ${name}`);
      return entry.room;
    },
    calls: (name) => rooms.get(name)?.log ?? [],
    activeListeners: (name) =>
      (rooms.get(name)?.log ?? []).reduce(
        (count, call) => count + (call.phase !== 'call' ? 0 : call.method === 'on' ? 1 : call.method === 'off' ? -1 : 0),
        0,
      ),
  };
}
