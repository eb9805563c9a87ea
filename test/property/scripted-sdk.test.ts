/**
 * Property: over an adversarial, scripted SDK (test/support/scripted-sdk.ts, a second
 * implementation of the SDK's surface, independent of the project's simulator), whatever the user
 * does and however each SDK call ends, the controller keeps the SDK's rules, rejects only with
 * RoomErrors, and leaves no command pending once destroy() has resolved (invariant 11).
 *
 * A run is a fresh controller given `() => sdk.create()` (or, one run in five, one plain instance),
 * with enterTimeoutMs 200 (E) and exitTimeoutMs 100 (X), on fake timers so a hang costs no real
 * time, then 0–25 steps:
 * - a command (enter in rtc / live anchor / live audience, exit, destroy, switchRole, switchRoom to
 *   the other room, the microphone and camera commands, the remote ones, resumeAutoplay), or two
 *   fired together; fired and left running (no fake time passes), or "awaited": fake time passes
 *   until they settle or 3 × (E + 2X) has passed; every promise is kept;
 * - a script: the next call of an SDK method (on whichever instance makes it) resolves late,
 *   rejects (5400 or 5500), throws, or hangs; unscripted calls resolve at once;
 * - a settle: the oldest late call of a method resolves or rejects;
 * - an SDK event (kicked-out kick / banned / room_disband, error 5400 "reJoin room failed", error
 *   5500/5501, a connection change, bob entering / leaving / publishing, autoplay-failed with a
 *   resume() that resolves, resolves late, rejects or hangs, screen-share-stopped) on the instance
 *   in use or on the one before it;
 * - a wait of 0, 50, 100, 200 or 400 ms of fake time;
 * - only in one scenario in DEAF_ONE_IN (so the rest keep their mix): an on() that throws, the
 *   next one or after a few more are added (within an attach or a later state's), or every on()
 *   of the instance in use from then on.
 * After each step every pending microtask runs (as between two browser tasks), so a call that
 * resolved is seen by the controller before the next step acts. Every run ends with destroy(),
 * which must resolve within 10 × (E + X) of fake time, plus the wait for a switch given up on
 * (SDK_SWITCH_TIMEOUT_MS: the SDK's own switch timeout, waited out before the room is left).
 *
 * The checker (in the fake, per instance; exact semantics in test/support/scripted-sdk.ts) records
 * a violation the moment it happens: V1 exitRoom after the SDK left by itself (kick, or 5400 in the
 * room) and before the next enterRoom call, unless the instance could not hear it (an on() of it
 * threw and no handler for that event was there); V2 overlapping lifecycle calls, or enterRoom
 * while in a room; V3 destroy while in a room with leaving still possible; V4 a call after
 * destroy; V5 (at the end) listeners not removed before destroy; V6 enterRoom or switchRoom with
 * no kicked-out or error handler. After every step: no violation, and every
 * rejection so far is a RoomError with a known code. At the end: destroy() resolved (not
 * rejected), then after a 0 ms tick every command of the run has settled, and V5 holds.
 *
 * Size: PROPERTY_RUNS runs if set, else 10 000 with CI set, 2 000 otherwise; 10 000 passing runs
 * take about 30–45 s on 2 cores. PROPERTY_SEED (and PROPERTY_PATH) replay a failure fast-check
 * reported.
 */
import fc from 'fast-check';
import { describe, vi } from 'vitest';
import { createRoomController, ROOM_ERROR_CODES, RoomError } from '../../src/index.js';
import type { EnterConfig, RoomController, RoomErrorCode, UserRole } from '../../src/index.js';
import { SDK_SWITCH_TIMEOUT_MS } from '../../src/machines/room/room.setup.js';
import { describeViolation, ScriptedSdk } from '../support/scripted-sdk.js';
import type { OnBehaviour, ScriptedInstance, ScriptedMethod } from '../support/scripted-sdk.js';
import { itHoldsOverScenarios, playScenario } from '../support/property.js';

const ENTER_MS = 200;
const EXIT_MS = 100;
/** How long an awaited command is given: 3 × its longest bound (an exit waiting on an enter). */
const AWAIT_MS = 3 * (ENTER_MS + 2 * EXIT_MS);
/** How long the final destroy() is given. */
const DESTROY_MS = 10 * (ENTER_MS + EXIT_MS) + SDK_SWITCH_TIMEOUT_MS;
const NUM_RUNS = process.env.CI ? 10_000 : 2_000;
const MAX_STEPS = 25;
const ROOM_ID = 8888;
const OTHER_ROOM = 9000;

/**
 * Lets every pending microtask run, with no fake time passing: what the browser does between two
 * tasks. Taken before the fake timers replace it.
 */
const realSetImmediate = globalThis.setImmediate;
const drain = () => new Promise<void>((resolve) => realSetImmediate(() => resolve()));

/** Every code a command may reject with in a run (a missing optional peer cannot happen here). */
const KNOWN_CODES: ReadonlySet<string> = new Set<RoomErrorCode>(ROOM_ERROR_CODES.filter((code) => code !== 'MISSING_DEPENDENCY'));

// ---- the steps ----

type Scene = 'rtc' | 'live anchor' | 'live audience';

type Command =
  | { do: 'enter'; scene: Scene }
  | { do: 'exit' }
  | { do: 'destroy' }
  | { do: 'switchRole'; role: UserRole }
  | { do: 'switchRoom' }
  | { do: 'startLocalAudio' }
  | { do: 'stopLocalAudio' }
  | { do: 'updateLocalAudio'; mute: boolean }
  | { do: 'startLocalVideo' }
  | { do: 'stopLocalVideo' }
  | { do: 'startRemoteVideo' }
  | { do: 'stopRemoteVideo' }
  | { do: 'muteRemoteAudio' }
  | { do: 'setRemoteAudioVolume' }
  | { do: 'enableAudioVolumeEvaluation' }
  | { do: 'resumeAutoplay' };

const SDK_EVENTS = {
  'kicked-out kick': ['kicked-out', { reason: 'kick' }],
  'kicked-out banned': ['kicked-out', { reason: 'banned' }],
  'kicked-out room_disband': ['kicked-out', { reason: 'room_disband' }],
  'error 5400 (rejoin failed)': ['error', { code: 5400, extraCode: 0, message: 'reJoin room failed' }],
  'error 5500/5501': ['error', { code: 5500, extraCode: 5501, message: 'connection failed: firewall restrictions' }],
  'CONNECTED → DISCONNECTED': ['connection-state-changed', { prevState: 'CONNECTED', state: 'DISCONNECTED' }],
  'DISCONNECTED → CONNECTING': ['connection-state-changed', { prevState: 'DISCONNECTED', state: 'CONNECTING' }],
  'CONNECTING → CONNECTED': ['connection-state-changed', { prevState: 'CONNECTING', state: 'CONNECTED' }],
  'bob enters': ['remote-user-enter', { userId: 'bob' }],
  'bob leaves': ['remote-user-exit', { userId: 'bob' }],
  'bob video available': ['remote-video-available', { userId: 'bob', streamType: 'main' }],
  'autoplay-failed': ['autoplay-failed', { userId: 'bob' }],
  'screen-share-stopped': ['screen-share-stopped', undefined],
} as const;
type SdkEventName = keyof typeof SDK_EVENTS;

/**
 * Methods a script step can target: every one the commands above reach. The lifecycle calls and
 * the device calls count more: the rules are about them, and a rule takes several of them to break.
 */
const SCRIPTABLE: ReadonlyArray<[method: ScriptedMethod, weight: number]> = [
  ['enterRoom', 4],
  ['exitRoom', 3],
  ['switchRole', 2],
  ['switchRoom', 2],
  ['destroy', 1],
  ['startLocalAudio', 2],
  ['stopLocalAudio', 2],
  ['updateLocalAudio', 1],
  ['startLocalVideo', 1],
  ['stopLocalVideo', 1],
  ['startRemoteVideo', 1],
  ['stopRemoteVideo', 1],
  ['muteRemoteAudio', 1],
  ['setRemoteAudioVolume', 1],
  ['enableAudioVolumeEvaluation', 1],
  ['resume', 1],
];
/** The synchronous methods can throw, but not be pending. */
const SYNC: ReadonlySet<ScriptedMethod> = new Set(['setRemoteAudioVolume', 'enableAudioVolumeEvaluation']);

const weighted = (entries: ReadonlyArray<[ScriptedMethod, number]>): fc.Arbitrary<ScriptedMethod> =>
  fc.oneof(...entries.map(([method, weight]) => ({ weight, arbitrary: fc.constant(method) })));
const scriptedMethodArb = weighted(SCRIPTABLE);
const settledMethodArb = weighted(SCRIPTABLE.filter(([method]) => !SYNC.has(method)));

type Step =
  /** One command, or two fired together; awaited: time passes until they settle (or 3 × the bounds). */
  | { step: 'run'; commands: Command[]; awaited: boolean }
  | { step: 'script'; method: ScriptedMethod; behaviour: 'late' | 'reject' | 'throw' | 'hang'; code: 5400 | 5500 }
  | { step: 'settle'; method: ScriptedMethod; outcome: 'resolve' | 'reject' }
  /** `resume` is how the `resume()` an autoplay-failed event carries behaves when called. */
  | { step: 'event'; event: SdkEventName; on: 'current' | 'older'; resume: 'resolve' | 'late' | 'reject' | 'hang' }
  | { step: 'wait'; ms: number }
  /** `after` on() calls that add, then one that throws, queued after any before (on whichever instance); only in deaf scenarios. */
  | { step: 'refuse'; after: number }
  /** Every on() of the instance in use throws from now on; only in deaf scenarios. */
  | { step: 'deafen' };

function describeCommand(command: Command): string {
  switch (command.do) {
    case 'enter':
      return `enter(${command.scene})`;
    case 'switchRole':
      return `switchRole('${command.role}')`;
    case 'switchRoom':
      return 'switchRoom(other room)';
    case 'updateLocalAudio':
      return `updateLocalAudio({ mute: ${command.mute} })`;
    case 'startRemoteVideo':
      return "startRemoteVideo('bob')";
    case 'stopRemoteVideo':
      return "stopRemoteVideo('bob')";
    case 'muteRemoteAudio':
      return "muteRemoteAudio('bob', true)";
    case 'setRemoteAudioVolume':
      return "setRemoteAudioVolume('bob', 50)";
    case 'enableAudioVolumeEvaluation':
      return 'enableAudioVolumeEvaluation(500)';
    default:
      return `${command.do}()`;
  }
}

function describeStep(step: Step): string {
  switch (step.step) {
    case 'run': {
      const commands = step.commands.map(describeCommand);
      const fired = commands.length === 1 ? commands.join('') : `[${commands.join(', ')}]`;
      return `${step.awaited ? 'await ' : ''}${fired}`;
    }
    case 'script': {
      const how = { late: 'resolves late', reject: `rejects ${step.code}`, throw: `throws ${step.code}`, hang: 'hangs' }[step.behaviour];
      return `next ${step.method} ${how}`;
    }
    case 'settle':
      return `${step.outcome} the oldest late ${step.method}`;
    case 'event': {
      const resume = step.event === 'autoplay-failed' && step.resume !== 'resolve' ? ` (its resume() ${step.resume === 'late' ? 'resolves late' : `${step.resume}s`})` : '';
      return `sdk: ${step.event}${resume}${step.on === 'older' ? ' on the older instance' : ''}`;
    }
    case 'wait':
      return `wait ${step.ms} ms`;
    case 'refuse':
      return step.after === 0 ? 'next on() throws' : `on() throws after ${step.after} more`;
    case 'deafen':
      return 'every on() of the instance in use throws';
  }
}

/** Shown as its description in fast-check's counterexamples. */
function readable(step: Step): Step {
  return Object.defineProperty(step, fc.toStringMethod, { value: () => describeStep(step), enumerable: false });
}

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<Scene>('rtc', 'rtc', 'live anchor', 'live audience').map((scene) => ({ do: 'enter', scene }) as const) },
  { weight: 3, arbitrary: fc.constant({ do: 'exit' } as const) },
  { weight: 1, arbitrary: fc.constant({ do: 'destroy' } as const) },
  { weight: 2, arbitrary: fc.constantFrom<UserRole>('anchor', 'audience').map((role) => ({ do: 'switchRole', role }) as const) },
  { weight: 2, arbitrary: fc.constant({ do: 'switchRoom' } as const) },
  { weight: 2, arbitrary: fc.constant({ do: 'startLocalAudio' } as const) },
  { weight: 1, arbitrary: fc.constant({ do: 'stopLocalAudio' } as const) },
  { weight: 1, arbitrary: fc.boolean().map((mute) => ({ do: 'updateLocalAudio', mute }) as const) },
  { weight: 2, arbitrary: fc.constant({ do: 'startLocalVideo' } as const) },
  { weight: 1, arbitrary: fc.constant({ do: 'stopLocalVideo' } as const) },
  {
    weight: 4,
    arbitrary: fc.constantFrom<Command>(
      { do: 'startRemoteVideo' },
      { do: 'stopRemoteVideo' },
      { do: 'muteRemoteAudio' },
      { do: 'setRemoteAudioVolume' },
      { do: 'enableAudioVolumeEvaluation' },
      { do: 'resumeAutoplay' },
    ),
  },
);

/** Every kind of step but the refusals, weighted. */
const stepArbs = [
  {
    weight: 10,
    arbitrary: fc.record({
      step: fc.constant('run' as const),
      // A second command, fired right after the first; shrinks away first.
      commands: fc
        .tuple(commandArb, fc.option(commandArb, { nil: undefined, freq: 4 }))
        .map(([first, second]) => (second === undefined ? [first] : [first, second])),
      awaited: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      step: fc.constant('script' as const),
      method: scriptedMethodArb,
      behaviour: fc.constantFrom('late' as const, 'reject' as const, 'throw' as const, 'hang' as const),
      code: fc.constantFrom(5500 as const, 5400 as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      step: fc.constant('settle' as const),
      method: settledMethodArb,
      outcome: fc.constantFrom('resolve' as const, 'reject' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      step: fc.constant('event' as const),
      event: fc.constantFrom(...(Object.keys(SDK_EVENTS) as SdkEventName[])),
      on: fc.oneof({ weight: 4, arbitrary: fc.constant('current' as const) }, { weight: 1, arbitrary: fc.constant('older' as const) }),
      resume: fc.constantFrom('resolve' as const, 'late' as const, 'reject' as const, 'hang' as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ step: fc.constant('wait' as const), ms: fc.constantFrom(0, 50, 100, 200, 400) }) },
] as const;
const stepArb: fc.Arbitrary<Step> = fc.oneof(...stepArbs).map(readable);
/**
 * A refusal lands on an attach's first listener (after 0), within one (kicked-out and error come
 * first, a state that feeds the roster adds a dozen), or in a later state's attach.
 */
const refuseArb: fc.Arbitrary<Step> = fc.record({
  step: fc.constant('refuse' as const),
  after: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })),
});
const deafStepArb: fc.Arbitrary<Step> = fc
  .oneof(...stepArbs, { weight: 2, arbitrary: refuseArb }, { weight: 2, arbitrary: fc.record({ step: fc.constant('deafen' as const) }) })
  .map(readable);

const factoryArb = fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
/** One scenario in DEAF_ONE_IN may make on() throw: few enough not to thin out the rest. */
const DEAF_ONE_IN = 20;
const scenarioArb = fc.oneof(
  { weight: DEAF_ONE_IN - 1, arbitrary: fc.record({ factory: factoryArb, steps: fc.array(stepArb, { maxLength: MAX_STEPS, size: 'max' }) }) },
  { weight: 1, arbitrary: fc.record({ factory: factoryArb, steps: fc.array(deafStepArb, { maxLength: MAX_STEPS, size: 'max' }) }) },
);

// ---- running them ----

function enterConfig(scene: Scene): EnterConfig {
  const base = { sdkAppId: 1400000000, userId: 'alice', userSig: 'userSig-of-alice', roomId: ROOM_ID };
  if (scene === 'rtc') return base;
  return { ...base, scene: 'live', role: scene === 'live anchor' ? 'anchor' : 'audience' };
}

/** A command of the run: settled or not, and a problem noted if it rejected with anything but a known RoomError. */
interface Tracked {
  label: string;
  settled: boolean;
  rejected: boolean;
}

class Run {
  readonly sdk = new ScriptedSdk();
  readonly room: RoomController;
  readonly tracked: Tracked[] = [];
  /** Broken rules other than the fake's violations. */
  readonly problems: string[] = [];

  constructor(factory: boolean) {
    this.room = createRoomController({
      trtc: factory ? () => this.sdk.create() : this.sdk.create(),
      enterTimeoutMs: ENTER_MS,
      exitTimeoutMs: EXIT_MS,
    });
  }

  private rejected(label: string, error: unknown): void {
    if (!(error instanceof RoomError)) {
      this.problems.push(`${label} rejected with a non-RoomError: ${String(error)}`);
    } else if (!KNOWN_CODES.has(error.code)) {
      this.problems.push(`${label} rejected with an unknown code ${error.code}`);
    }
  }

  start(command: Command): Tracked {
    const tracked: Tracked = { label: describeCommand(command), settled: false, rejected: false };
    this.tracked.push(tracked);
    let result: Promise<void> | void;
    try {
      result = this.call(command);
    } catch (error) {
      // The synchronous commands (setRemoteAudioVolume, enableAudioVolumeEvaluation) throw.
      tracked.settled = true;
      tracked.rejected = true;
      this.rejected(tracked.label, error);
      return tracked;
    }
    if (!(result instanceof Promise)) {
      tracked.settled = true;
      return tracked;
    }
    result.then(
      () => {
        tracked.settled = true;
      },
      (error: unknown) => {
        tracked.settled = true;
        tracked.rejected = true;
        this.rejected(tracked.label, error);
      },
    );
    return tracked;
  }

  private call(command: Command): Promise<void> | void {
    const room = this.room;
    switch (command.do) {
      case 'enter':
        return room.enter(enterConfig(command.scene));
      case 'exit':
        return room.exit();
      case 'destroy':
        return room.destroy();
      case 'switchRole':
        return room.switchRole(command.role);
      case 'switchRoom': {
        const roomId = room.getSnapshot().context.target?.roomId === OTHER_ROOM ? ROOM_ID : OTHER_ROOM;
        return room.switchRoom({ roomId, userSig: `userSig-for-${roomId}` });
      }
      case 'startLocalAudio':
        return room.startLocalAudio();
      case 'stopLocalAudio':
        return room.stopLocalAudio();
      case 'updateLocalAudio':
        return room.updateLocalAudio({ mute: command.mute });
      case 'startLocalVideo':
        return room.startLocalVideo();
      case 'stopLocalVideo':
        return room.stopLocalVideo();
      case 'startRemoteVideo':
        return room.startRemoteVideo({ userId: 'bob', streamType: 'main', view: null });
      case 'stopRemoteVideo':
        return room.stopRemoteVideo({ userId: 'bob', streamType: 'main' });
      case 'muteRemoteAudio':
        return room.muteRemoteAudio('bob', true);
      case 'setRemoteAudioVolume':
        return room.setRemoteAudioVolume('bob', 50);
      case 'enableAudioVolumeEvaluation':
        return room.enableAudioVolumeEvaluation(500);
      case 'resumeAutoplay':
        return room.resumeAutoplay();
    }
  }

  private instance(on: 'current' | 'older'): ScriptedInstance | undefined {
    const { instances } = this.sdk;
    return instances[instances.length - (on === 'current' ? 1 : 2)];
  }

  async perform(step: Step): Promise<void> {
    switch (step.step) {
      case 'run': {
        const started = step.commands.map((command) => this.start(command));
        if (step.awaited) await this.drive(started, AWAIT_MS);
        return;
      }
      case 'script': {
        const error = step.code === 5400 ? { code: 5400, extraCode: -100018, message: 'server refused' } : { code: 5500, message: 'operation failed' };
        this.sdk.next(step.method, { behaviour: step.behaviour, error });
        return;
      }
      case 'settle':
        this.sdk.settleOldest(step.method, step.outcome);
        return;
      case 'event': {
        const instance = this.instance(step.on);
        if (!instance) return;
        const [event, payload] = SDK_EVENTS[step.event];
        instance.emit(event, event === 'autoplay-failed' ? { ...payload, resume: instance.autoplayResume(step.resume) } : payload);
        return;
      }
      case 'wait':
        await vi.advanceTimersByTimeAsync(step.ms);
        return;
      case 'refuse':
        this.sdk.nextOn(...Array<OnBehaviour>(step.after).fill('add'), 'throw');
        return;
      case 'deafen':
        this.sdk.current?.alwaysOn('throw');
        return;
    }
  }

  /** Lets fake time pass until the commands settle, or `limit` ms have passed, or nothing is scheduled. */
  async drive(commands: readonly Tracked[], limit: number): Promise<void> {
    const until = Date.now() + limit;
    await vi.advanceTimersByTimeAsync(0);
    while (commands.some((command) => !command.settled) && Date.now() < until && vi.getTimerCount() > 0) {
      await vi.advanceTimersToNextTimerAsync();
    }
  }

  /** Every check that must hold between any two steps. */
  check(): void {
    if (this.sdk.violations.length === 0 && this.problems.length === 0) return;
    throw new Error(this.report());
  }

  private report(): string {
    return ['', ...this.sdk.violations.map(describeViolation), ...this.problems].join('\n');
  }

  /** destroy(), then invariant 11 and the listener balance. */
  async finish(): Promise<void> {
    const destroyed = this.start({ do: 'destroy' });
    await this.drive([destroyed], DESTROY_MS);
    if (!destroyed.settled) this.problems.push(`destroy() still pending after ${DESTROY_MS} ms`);
    else if (destroyed.rejected) this.problems.push('destroy() rejected: it always resolves');
    await vi.advanceTimersByTimeAsync(0);
    const pending = this.tracked.filter((command) => !command.settled).map((command) => command.label);
    if (pending.length > 0) this.problems.push(`still pending after destroy() resolved (invariant 11): ${pending.join(', ')}`);
    this.sdk.checkListeners();
    this.check();
  }
}

const play = ({ factory, steps }: { factory: boolean; steps: Step[] }) => playScenario(() => new Run(factory), steps, drain);

describe('a scripted, adversarial SDK', () => {
  itHoldsOverScenarios(
    "never makes the controller break the SDK's rules, reject with a non-RoomError, or leave a command pending after destroy()",
    scenarioArb,
    play,
    NUM_RUNS,
    600_000,
  );
});
