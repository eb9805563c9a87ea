// `npm run bench`: the controller's per-event cost against a bare XState floor, enter/exit cycles,
// heap per remote user, what a long-lived page accumulates, and bundle sizes, printed as a table
// and one JSON line. See docs/performance.md.
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { createActor, createMachine } from 'xstate';
import { createRoomController } from 'trtc-room-machine';
import { EmitterSdk } from './emitter-sdk.js';
import { bundleSizes } from './bundle.js';
import { CHURN_EVENTS, freshSigCycles, rosterChurn, SIG_CYCLES, SIG_WINDOW } from './long-run.js';

const SIZES = [10, 100, 1000, 5000];
const EVENTS = 20_000;
/** A burst costs far less per event: more of them make a sample long enough to be steady. */
const BURST_EVENTS = 200_000;
const ROUNDS = 7;
const SPEAKERS = 8;
const config = { sdkAppId: 1400000000, userId: 'bench', userSig: 'bench-sig', roomId: 1 };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Runs `events` events and awaits the microtasks they queued, so deferred work is counted: as a
 * burst (all in one task, as the SDK delivers a join's publishers), or one by one (each event's
 * microtasks run before the next, as with events that arrive in separate tasks).
 */
async function timed(events: number, send: (i: number) => void, oneByOne = false): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < events; i += 1) {
    send(i);
    if (oneByOne) await Promise.resolve();
  }
  await Promise.resolve();
  return ((performance.now() - start) * 1e6) / events;
}

async function roomWith(users: number) {
  const sdk = new EmitterSdk();
  const room = createRoomController({ trtc: () => sdk });
  // A UI that renders the view on every change, as useSyncExternalStore would.
  room.subscribe(() => room.view());
  await room.enter(config);
  for (let i = 0; i < users; i += 1) sdk.emit('remote-user-enter', { userId: `u${i}` });
  return { sdk, room };
}

function floorActor() {
  const toggle = createMachine({
    initial: 'a',
    states: { a: { on: { toggle: 'b' } }, b: { on: { toggle: 'a' } } },
  });
  const actor = createActor(toggle).start();
  actor.subscribe(() => undefined);
  return actor;
}

type Mode = 'burst' | 'oneByOne';
const MODES: readonly Mode[] = ['burst', 'oneByOne'];

interface Row {
  users: number;
  mode: Mode;
  toggleNs: number;
  volumeNs: number;
}

/**
 * The SDK's payloads for one series, made before the timing (the SDK builds them, not us): a
 * toggle of each user's camera in turn, and volume batches whose every entry changes (37 and 101
 * are prime to the room sizes, so no batch is a no-op the roster could skip).
 */
function payloads(users: number) {
  const toggles = Array.from({ length: EVENTS }, (_, i) => ({
    event: i % 2 === 0 ? 'remote-video-available' : 'remote-video-unavailable',
    payload: { userId: `u${(i >> 1) % users}`, streamType: 'main' },
  }));
  const volumes = Array.from({ length: EVENTS }, (_, i) => ({
    result: Array.from({ length: SPEAKERS }, (_, s) => ({ userId: `u${(i + s) % users}`, volume: (37 * i + s) % 101, floatVolume: 0 })),
  }));
  return { toggles, volumes };
}

async function perEventCosts(): Promise<{ rows: Row[]; floorNs: Record<Mode, number> }> {
  const rooms = await Promise.all(SIZES.map(roomWith));
  const inputs = SIZES.map(payloads);
  const floor = floorActor();
  const toggle = { type: 'toggle' } as const;
  const samples = new Map<string, number[]>();
  const note = (key: string, value: number) => samples.set(key, [...(samples.get(key) ?? []), value]);
  // Interleaved rounds: every series sees the same machine state (JIT, GC, other load).
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const mode of MODES) {
      const oneByOne = mode === 'oneByOne';
      const events = oneByOne ? EVENTS : BURST_EVENTS;
      note(`floor:${mode}`, await timed(events, () => floor.send(toggle), oneByOne));
      for (const [index, users] of SIZES.entries()) {
        const { sdk } = rooms[index] ?? (await roomWith(users));
        const { toggles, volumes } = inputs[index] ?? payloads(users);
        note(
          `toggle:${users}:${mode}`,
          await timed(
            events,
            (i) => {
              const { event, payload } = toggles[i % EVENTS] ?? { event: '', payload: {} };
              sdk.emit(event, payload);
            },
            oneByOne,
          ),
        );
        note(`volume:${users}:${mode}`, await timed(events, (i) => sdk.emit('audio-volume', volumes[i % EVENTS]), oneByOne));
      }
    }
  }
  await Promise.all(rooms.map(({ room }) => room.destroy()));
  return {
    floorNs: { burst: median(samples.get('floor:burst') ?? []), oneByOne: median(samples.get('floor:oneByOne') ?? []) },
    rows: MODES.flatMap((mode) =>
      SIZES.map((users) => ({
        users,
        mode,
        toggleNs: median(samples.get(`toggle:${users}:${mode}`) ?? []),
        volumeNs: median(samples.get(`volume:${users}:${mode}`) ?? []),
      })),
    ),
  };
}

async function cyclesPerSecond(): Promise<number> {
  const sdk = new EmitterSdk();
  const room = createRoomController({ trtc: () => sdk });
  const cycles = 2_000;
  const start = performance.now();
  for (let i = 0; i < cycles; i += 1) {
    await room.enter(config);
    await room.exit();
  }
  const seconds = (performance.now() - start) / 1000;
  await room.destroy();
  return cycles / seconds;
}

async function heapPerUser(): Promise<number | null> {
  if (!gc) return null;
  const users = 10_000;
  const { sdk, room } = await roomWith(0);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < users; i += 1) sdk.emit('remote-user-enter', { userId: `user-${i}` });
  room.view();
  gc();
  const after = process.memoryUsage().heapUsed;
  await room.destroy();
  return (after - before) / users;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const { rows, floorNs } = await perEventCosts();
const cycles = await cyclesPerSecond();
const heap = await heapPerUser();
const sigCycles = await freshSigCycles();
const churnMiB = await rosterChurn();
const bundles = await bundleSizes();
const baseOf = (mode: Mode) => rows.find((row) => row.mode === mode && row.users === SIZES[0]) ?? { toggleNs: 1, volumeNs: 1 };
const ratios = rows.map((row) => ({
  ...row,
  toggleVs10: row.toggleNs / baseOf(row.mode).toggleNs,
  toggleVsFloor: row.toggleNs / floorNs[row.mode],
  volumeVs10: row.volumeNs / baseOf(row.mode).volumeNs,
  volumeVsFloor: row.volumeNs / floorNs[row.mode],
}));

console.log(`\ntrtc-room-machine bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
console.log(
  `median of ${ROUNDS} interleaved rounds of ${fmt(BURST_EVENTS)} events in a burst, ${fmt(EVENTS)} one by one; audio-volume batches of ${SPEAKERS} speakers`,
);
console.log('a UI renders view() on every change; burst: events in one task; one by one: each event\'s microtasks run before the next\n');
console.log('mode       | remote users | toggle ns/event | × 10 users | × floor | volume ns/batch | × 10 users | × floor');
for (const row of ratios) {
  console.log(
    [
      row.mode.padEnd(10),
      String(row.users).padStart(12),
      fmt(row.toggleNs).padStart(15),
      fmt(row.toggleVs10, 2).padStart(10),
      fmt(row.toggleVsFloor, 2).padStart(7),
      fmt(row.volumeNs).padStart(15),
      fmt(row.volumeVs10, 2).padStart(10),
      fmt(row.volumeVsFloor, 2).padStart(7),
    ].join(' | '),
  );
}
console.log(`\nbare XState floor (two-state toggle): ${fmt(floorNs.burst)} ns/event in a burst, ${fmt(floorNs.oneByOne)} ns one by one`);
console.log(`enter → exit cycles: ${fmt(cycles)} per second`);
console.log(`heap per remote user: ${heap === null ? 'n/a (run with node --expose-gc)' : `${fmt(heap)} bytes`}`);

// Goals of a long-lived page: flat cycle time and heap over many sessions, a bounded roster.
const mark = (met: boolean) => (met ? 'met' : 'NOT MET');
const sigRatio = sigCycles.lastMs / sigCycles.firstMs;
const sigHeapMiB = sigCycles.heapAtWindow === null || sigCycles.heapAtEnd === null ? null : sigCycles.heapAtEnd - sigCycles.heapAtWindow;
const sigMet = sigRatio < 1.5 && (sigHeapMiB === null || sigHeapMiB < 1);
const churnMet = churnMiB === null || churnMiB < 1;
console.log(
  `${fmt(SIG_CYCLES)} enter → exit cycles, a fresh 300-character userSig each, inspector attached: ` +
    `${fmt(sigCycles.firstMs, 2)} CPU ms/cycle in the first ${fmt(SIG_WINDOW)}, ${fmt(sigCycles.lastMs, 2)} in the last (× ${fmt(sigRatio, 2)}); ` +
    (sigHeapMiB === null
      ? 'heap n/a'
      : `heap ${fmt(sigCycles.heapAtWindow ?? 0, 1)} MiB after ${fmt(SIG_WINDOW)}, ${fmt(sigCycles.heapAtEnd ?? 0, 1)} after ${fmt(SIG_CYCLES)} (${sigHeapMiB >= 0 ? '+' : ''}${fmt(sigHeapMiB, 2)})`) +
    ` — goal < 1.5 × and < 1 MiB: ${mark(sigMet)}`,
);
console.log(
  `${fmt(CHURN_EVENTS)} remote enter/exit events, no view reads: heap ${churnMiB === null ? 'n/a' : `${churnMiB >= 0 ? '+' : ''}${fmt(churnMiB, 2)} MiB`} — goal < 1 MiB: ${mark(churnMet)}`,
);
for (const bundle of bundles) console.log(`bundle ${bundle.entry}: ${fmt(bundle.minified)} B minified, ${fmt(bundle.gzipped)} B gzipped`);
console.log(
  JSON.stringify({
    floorNs,
    rows: ratios,
    cyclesPerSecond: cycles,
    heapBytesPerRemoteUser: heap,
    freshSigCycles: { ...sigCycles, ratio: sigRatio, heapGrowthMiB: sigHeapMiB, met: sigMet },
    rosterChurn: { events: CHURN_EVENTS, heapGrowthMiB: churnMiB, met: churnMet },
    bundles,
  }),
);
