// What a long-lived page accumulates: many sessions with fresh secrets, and a roster that only churns.
import { randomBytes } from 'node:crypto';
import { createRoomController } from 'trtc-room-machine';
import { EmitterSdk } from './emitter-sdk.js';

const gc = (globalThis as { gc?: () => void }).gc;
const MiB = 1024 * 1024;
const heapAfterGc = () => {
  // One full collection can leave a megabyte that the next one frees (weak maps, code): repeat.
  for (let i = 0; i < 3; i += 1) gc?.();
  return process.memoryUsage().heapUsed / MiB;
};
/** CPU milliseconds of this process (all its threads, GC included): other processes on a shared machine do not count. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export const SIG_CYCLES = 10_000;
/** The windows compared: the first and the last this many cycles. */
export const SIG_WINDOW = 1_000;
const WARM_UP_CYCLES = 1_000;

export interface FreshSigCycles {
  /** CPU milliseconds per cycle, the mean over the first and over the last window. */
  firstMs: number;
  lastMs: number;
  /** Heap after gc, in MiB, after the first window and after the last cycle; null without --expose-gc. */
  heapAtWindow: number | null;
  heapAtEnd: number | null;
}

/** An inspector that reads what a log shows: each event's payload and snapshot (redacted copies). */
function readingInspector(event: object): void {
  const read = event as { event?: unknown; snapshot?: unknown };
  void read.event;
  void read.snapshot;
}

/** Runs `count` cycles on a new controller; `at(i)` is called before cycle i, and with `count` after the last. */
async function cycles(count: number, at: (i: number) => void): Promise<void> {
  const sdk = new EmitterSdk();
  const room = createRoomController({ trtc: () => sdk, inspect: readingInspector });
  const config = { sdkAppId: 1400000000, userId: 'bench', roomId: 1 };
  for (let i = 0; i < count; i += 1) {
    // A fresh 300-character userSig per session, as a page that renews its signature would give.
    const userSig = randomBytes(225).toString('base64');
    at(i);
    await room.enter({ ...config, userSig });
    await room.exit();
  }
  at(count);
  await room.destroy();
}

/**
 * Enter → exit cycles on one controller with an inspector attached, each with a fresh userSig:
 * the cycle time of the first and the last window, and the heap after each. A first controller
 * warms the JIT up, so the first window is not slower for reasons of its own.
 */
export async function freshSigCycles(): Promise<FreshSigCycles> {
  await cycles(WARM_UP_CYCLES, () => undefined);
  const result: FreshSigCycles = { firstMs: 0, lastMs: 0, heapAtWindow: null, heapAtEnd: null };
  let windowStart = 0;
  await cycles(SIG_CYCLES, (i) => {
    if (i === SIG_WINDOW) {
      result.firstMs = (cpuMs() - windowStart) / SIG_WINDOW;
      if (gc) result.heapAtWindow = heapAfterGc();
    }
    if (i === SIG_CYCLES) {
      result.lastMs = (cpuMs() - windowStart) / SIG_WINDOW;
      if (gc) result.heapAtEnd = heapAfterGc();
    }
    if (i === 0 || i === SIG_CYCLES - SIG_WINDOW) windowStart = cpuMs();
  });
  return result;
}

export const CHURN_EVENTS = 2_000_000;

/**
 * Remote users entering and leaving a room nobody renders (no `view()` reads): the heap after gc
 * once the room has its 10 users, and after `CHURN_EVENTS` more enter and exit events, in bursts
 * of a thousand whose notices reach the machine in between. Null without --expose-gc.
 */
export async function rosterChurn(): Promise<number | null> {
  if (!gc) return null;
  const sdk = new EmitterSdk();
  const room = createRoomController({ trtc: () => sdk });
  await room.enter({ sdkAppId: 1400000000, userId: 'bench', userSig: 'bench-sig', roomId: 1 });
  for (let i = 0; i < 10; i += 1) sdk.emit('remote-user-enter', { userId: `stays-${i}` });
  await Promise.resolve();
  const before = heapAfterGc();
  for (let i = 0; i < CHURN_EVENTS / 2; i += 1) {
    sdk.emit('remote-user-enter', { userId: `u${i}` });
    sdk.emit('remote-user-exit', { userId: `u${i}` });
    if (i % 500 === 499) await Promise.resolve();
  }
  await Promise.resolve();
  const growth = heapAfterGc() - before;
  await room.destroy();
  return growth;
}
