import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getInitialSnapshot } from 'xstate';
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { createTestModel } from 'xstate/graph';
import type { AdjacencyValue, TestPath } from 'xstate/graph';
import { roomMachine } from '../../src/machines/room/room.machine.js';
import type { RoomSnapshot } from '../../src/controller.js';
import { ENTER_CONFIG, expectedView, modelState, roomModel, roomModelEvents, RoomDriver, statePaths, USER_SIG } from '../../src/testing/index.js';
import type { ModelStep, RoomModelEvent, RoomModelEventType, RoomModelSnapshot, TrackedCommand } from '../../src/testing/index.js';

type Path = TestPath<RoomModelSnapshot, RoomModelEvent>;
type Edge = AdjacencyValue<RoomModelSnapshot, RoomModelEvent>['transitions'][never];

// ---- paths ------------------------------------------------------------------------------------
// One model, explored in slices: the lifecycle alone, and with each group of in-room events.
// Explored whole, its states are the product of the groups: far too many to replay.

const LIFECYCLE: RoomModelEventType[] = [
  'user.enter', 'user.exit', 'user.destroy',
  'enter.ok', 'enter.fail', 'enter.stall', 'enter.hang',
  'exit.ok', 'exit.blip', 'exit.fail', 'exit.hang', 'release.hang', 'kick',
];
const SLICES: Record<string, RoomModelEventType[]> = {
  lifecycle: LIFECYCLE,
  camera: [...LIFECYCLE, 'camera.start', 'camera.denied', 'camera.stop', 'camera.mute', 'camera.unmute', 'camera.update', 'camera.hang'],
  switching: [...LIFECYCLE, 'user.switchRole', 'user.switchRoom', 'switch.ok', 'switch.fail', 'switch.hang', 'connection.drop', 'rejoin.fail'],
  signals: [
    ...LIFECYCLE,
    'connection.drop', 'connection.warn', 'connection.restore', 'rejoin.fail',
    'autoplay.fail', 'autoplay.resume', 'remote.enter', 'remote.exit', 'screen.start', 'screen.endedByBrowser',
  ],
};
/** Simple paths (no state twice) grow fast: only the plain lifecycle, to `destroyed`. */
const SIMPLE: RoomModelEventType[] = ['user.enter', 'user.exit', 'user.destroy', 'enter.ok', 'enter.fail', 'exit.ok', 'exit.fail', 'kick'];

const testModel = (types: readonly RoomModelEventType[], factory: boolean, skip?: (state: RoomModelSnapshot, event: RoomModelEvent) => boolean) =>
  createTestModel(roomModel, {
    input: { factory },
    events: [...roomModelEvents],
    filterEvents: (state, event) => types.includes(event.type) && state.can(event) && !skip?.(state, event),
  });

/** Paths open with the machine's own `xstate.init` step. */
const isModelStep = (step: Path['steps'][number]) => (step.event.type as string) !== 'xstate.init';

/** A path's steps, each with the model state it starts from. */
function stepsOf(path: Path, factory: boolean): ModelStep[] {
  let from = getInitialSnapshot(roomModel, { factory });
  return path.steps.filter(isModelStep).map(({ event, state: to }) => {
    const step = { from, event, to };
    from = to;
    return step;
  });
}

/**
 * The shortest path to every model state; then, for each transition of the model (and the state it
 * leads to) none of them takes, the shortest path to a state where it is taken, followed by it.
 */
function slicePaths(types: readonly RoomModelEventType[], factory: boolean): Path[] {
  const model = testModel(types, factory);
  const key = (from: RoomModelSnapshot, event: RoomModelEvent, to: RoomModelSnapshot) =>
    `${roomModel.getTransitionData(from, event).map(transitionKey).join(' + ')} ${JSON.stringify(event)} -> ${JSON.stringify(to.value)}`;
  const serialize = (state: RoomModelSnapshot) => JSON.stringify({ value: state.value, context: state.context });
  const paths = model.getShortestPaths();
  const covered = new Set(paths.flatMap((path) => stepsOf(path, factory).map(({ from, event, to }) => key(from, event, to))));
  const shortestTo = new Map(model.getShortestPaths({ allowDuplicatePaths: true }).map((path) => [serialize(path.state), path]));
  const extra: Path[] = [];
  for (const { state, transitions } of Object.values(model.getAdjacencyMap())) {
    const edges: Edge[] = Object.values(transitions);
    for (const { event, state: next } of edges) {
      const prefix = shortestTo.get(serialize(state));
      if (covered.has(key(state, event, next)) || !prefix) continue;
      covered.add(key(state, event, next));
      extra.push(...model.getPathsFromEvents([...prefix.steps.filter(isModelStep).map((step) => step.event), event], {}));
    }
  }
  return [...paths, ...extra];
}

const label = (event: RoomModelEvent) => (event.type === 'kick' ? `kick(${event.reason})` : event.type);

// ---- coverage of the real machine -------------------------------------------------------------

const nodesOf = (node: AnyStateNode): AnyStateNode[] => [node, ...Object.values(node.states).flatMap(nodesOf)];

/** A transition of the machine by where it is declared: `inRoom.active always #2`, `entering room.destroy #1`. */
function transitionKey(transition: AnyTransitionDefinition): string {
  const source = transition.source;
  const always = source.always?.indexOf(transition) ?? -1;
  const index = always >= 0 ? always : (source.transitions.get(transition.eventType)?.indexOf(transition) ?? -1);
  return `${source.path.join('.') || '(root)'} ${always >= 0 ? 'always' : transition.eventType} #${index + 1}`;
}

const ALL_NODES = nodesOf(roomMachine.root);
const ALL_STATES = ALL_NODES.filter((node) => node.path.length > 0).map((node) => node.path.join('.'));
const ALL_TRANSITIONS = ALL_NODES.flatMap((node) => [...[...node.transitions.values()].flat(), ...(node.always ?? [])]).map(transitionKey);

/**
 * Transitions the model does not drive, each with the reason; the transition table
 * (test/room.transitions.test.ts) has a row for every one of them.
 */
const ABANDONED = 'a call answering late after its state gave up on it: the simulator answers these late calls one way only';
const REMOTE = 'remote media commands are not in the model (no view state of their own)';
const LEAVING = 'the simulator cannot put a user out of a room it is leaving';
const DEAF = "an instance whose on() throws: the simulator's never does (test/listener-refused.test.ts drives it)";
const ONE_TAB = 'the model has one controller: the same user from another tab is test/duplicate-user.test.ts';
const UNREACHABLE: ReadonlyMap<string, string> = new Map([
  ['(root) xstate.error.actor.enterRoom #1', ABANDONED],
  ['(root) xstate.error.actor.switchRole #1', ABANDONED],
  ['(root) xstate.done.actor.switchRoom #1', ABANDONED],
  ['(root) xstate.error.actor.switchRoom #1', ABANDONED],
  ['(root) remote.done #1', REMOTE],
  ['(root) remote.call #1', REMOTE],
  ['(root) remote.call #2', REMOTE],
  ['idle remote.call #1', REMOTE],
  ['entering remote.done #2', REMOTE],
  ['inRoom remote.done #2', REMOTE],
  ['exiting sdk.kickedOut #1', LEAVING],
  ['exiting sdk.error #1', LEAVING],
  ['exiting.leaving.waitingForCall always #1', LEAVING],
  ['exiting.leaving.calling xstate.error.actor.exitRoom #1', LEAVING],
  ['exiting.leaving.retrying xstate.error.actor.exitRoom #1', LEAVING],
  ['entering.waitingForCall room.exit #1', 'the model has no abandoned call for an enter to wait on while exit() comes'],
  ['entering.subscribing room.exit #1', "the simulator's listeners are added at once: the enter is past them before exit() can come"],
  ['exiting.leaving.retrying xstate.after.exitBound.room.exiting.leaving.retrying #1', 'a second exitRoom that hangs after a first that failed: not a separate model event'],
  ['exiting.releasing xstate.done.actor.enterRoom #1', ABANDONED],
  ['exiting.releasing xstate.done.actor.enterRoom #2', ABANDONED],
  ['exiting.releasing xstate.done.actor.switchRoom #1', ABANDONED],
  ['exiting.releasing xstate.done.actor.switchRoom #2', ABANDONED],
  ['idle room.enter #1', ONE_TAB],
  ['kicked room.enter #1', ONE_TAB],
  ['entering presence.duplicate #1', ONE_TAB],
  ['inRoom presence.duplicate #1', ONE_TAB],
  ['entering sdk.listenerRefused #1', DEAF],
  ['entering sdk.listenerRefused #2', DEAF],
  ['entering sdk.listenerRefused #3', DEAF],
  ['inRoom sdk.listenerRefused #1', DEAF],
  ['inRoom.switchingRole sdk.listenerRefused #1', DEAF],
  ['inRoom.switchingRoom sdk.listenerRefused #1', DEAF],
  ['exiting sdk.listenerRefused #1', DEAF],
  ['inRoom.switchingRole sdk.error #2', 'a reconnect warning during a switch: the model warns only while reconnecting in inRoom.active'],
  ['inRoom.switchingRoom sdk.error #2', 'a reconnect warning during a switch: the model warns only while reconnecting in inRoom.active'],
]);

const visited = new Set<string>(['idle']);
const taken = new Set<string>();

// ---- checks after every step ------------------------------------------------------------------

const ENTER_OUTCOMES: Partial<Record<RoomModelEventType, string>> = {
  'enter.fail': 'ENTER_FAILED',
  'enter.hang': 'ENTER_TIMEOUT',
  kick: 'KICKED',
  'user.destroy': 'DESTROYED',
};

/** How a command stands after a step: `pending`, `resolved`, or the code it rejected with. */
function outcomeAfter(name: string, { from, event, to }: ModelStep): string {
  const state = modelState(to);
  switch (name) {
    case 'enter':
      if (state === 'entering' || to.context.owed === 'enter') return 'pending';
      if (from.context.owed === 'enter') return 'ENTER_TIMEOUT';
      if (event.type === 'enter.ok') return state === 'inRoom' ? 'resolved' : 'CANCELLED';
      return ENTER_OUTCOMES[event.type] ?? `no outcome for ${event.type}`;
    case 'exit': {
      if (state === 'entering' || state === 'inRoom' || state === 'exiting') return 'pending';
      // Asked for out of a room: nothing to leave (an earlier exit settled when the room was left).
      if (event.type === 'user.exit') return 'resolved';
      const error = to.context.error;
      return error === 'EXIT_FAILED' || error === 'EXIT_TIMEOUT' ? error : 'resolved';
    }
    case 'destroy':
      return state === 'destroyed' ? 'resolved' : 'pending';
    case 'switchRole':
    case 'switchRoom':
      if (to.matches({ inRoom: name === 'switchRole' ? 'switchingRole' : 'switchingRoom' })) return 'pending';
      // Past its bound, a switch settles once the room is left and the instance retired.
      if (to.context.owed === 'switch') return 'pending';
      if (from.context.owed === 'switch') return 'SWITCH_FAILED';
      if (event.type === 'switch.ok') return state === 'inRoom' ? 'resolved' : 'CANCELLED';
      if (event.type === 'switch.fail') return 'SWITCH_FAILED';
      if (event.type === 'rejoin.fail') return 'CONNECTION_LOST';
      // Kicked, also while a destroy waited for the switch (the room is then being destroyed).
      if (event.type === 'kick') return 'KICKED';
      return `no outcome for ${event.type}`;
    case 'startLocalVideo':
      return event.type === 'camera.denied' ? 'MEDIA_FAILED' : 'resolved';
    default:
      return 'resolved';
  }
}

const secretFree = (label: string, value: unknown) => expect(JSON.stringify(value), label).not.toContain(USER_SIG);

function checkStep(driver: RoomDriver, step: ModelStep, settled: TrackedCommand[]): void {
  const { room, recorder } = driver;
  const snapshot = room.getSnapshot();
  const state = modelState(step.to);
  // The top-level state, and the sub-states where the model has the same ones (inRoom, exiting);
  // the machine may be deeper still (exiting.leaving.retrying).
  const modelPaths = state === 'entering' ? ['entering'] : statePaths(step.to.value);
  expect(statePaths(snapshot.value), JSON.stringify(snapshot.value)).toEqual(expect.arrayContaining(modelPaths));

  const view = room.view();
  const expected = expectedView(step.to);
  expect({
    state: view.state,
    camera: view.local.camera,
    cameraMuted: view.muted.camera,
    screen: view.local.screen,
    connection: view.connection,
    role: view.role,
    error: view.error?.code,
    kickReason: view.kickReason,
    warning: view.warning !== undefined,
    autoplayBlocked: view.autoplayBlocked,
    remoteUsers: expected.remoteUsers === undefined ? undefined : view.remoteUsers.length,
  }).toEqual(expected);
  if (state !== 'inRoom') expect(Object.values(view.network).every((figure) => figure === 0)).toBe(true);
  else if (step.to.context.connection === 'reconnecting') expect(view.network.uplink).toBe(6);

  expect(recorder.violations()).toEqual([]);
  if (state === 'idle' || state === 'kicked' || state === 'destroyed') expect(recorder.activeListeners()).toBe(0);
  secretFree('snapshot', snapshot);
  secretFree('persisted snapshot', room.actor.getPersistedSnapshot());
  secretFree('view', view);

  for (const command of driver.commands) {
    if (settled.includes(command)) continue;
    const outcome = outcomeAfter(command.name, step);
    expect(command.outcome, `${command.name}() after ${step.event.type}`).toBe(outcome);
    if (outcome !== 'pending') settled.push(command);
  }
}

async function replay(path: Path, factory: boolean): Promise<void> {
  const driver = new RoomDriver({ factory, advance: (ms) => vi.advanceTimersByTimeAsync(ms) });
  const leaks: string[] = [];
  driver.room.actor.system.inspect((inspection) => {
    if (inspection.type === '@xstate.event' && JSON.stringify(inspection.event).includes(USER_SIG)) leaks.push(inspection.event.type);
    if (inspection.type === '@xstate.snapshot' && JSON.stringify(inspection.snapshot).includes(USER_SIG)) leaks.push(inspection.event.type);
    if (inspection.type !== '@xstate.microstep' || inspection.actorRef !== driver.room.actor) return;
    for (const transition of inspection._transitions) taken.add(transitionKey(transition));
    for (const state of statePaths((inspection.snapshot as RoomSnapshot).value)) visited.add(state);
  });
  await driver.start();
  const settled: TrackedCommand[] = [];
  try {
    await driver.playPath(path, (step) => {
      checkStep(driver, step, settled);
      expect(leaks, 'events and snapshots sent to the inspector').toEqual([]);
    });
    // Nothing wedged is left behind: from idle or kicked, a new enter works.
    const end = modelState(path.state);
    if (end === 'idle' || end === 'kicked') {
      let entered = 'pending';
      driver.room.enter(ENTER_CONFIG).then(
        () => void (entered = 'resolved'),
        (error: unknown) => void (entered = String(error)),
      );
      await vi.advanceTimersByTimeAsync(50);
      expect(entered, 'a new enter()').toBe('resolved');
    }
    // Whatever the path left waiting, destroy() ends it within the bounds, and nothing is left behind.
    await driver.dispose();
    expect(driver.state()).toBe('destroyed');
    expect(driver.commands.filter((command) => command.outcome === 'pending')).toEqual([]);
    expect(driver.recorder.violations()).toEqual([]);
    expect(driver.recorder.activeListeners()).toBe(0);
  } catch (error) {
    if (error instanceof Error) error.message += `\n  path: ${path.steps.filter(isModelStep).map((step) => label(step.event)).join(' → ')}`;
    throw error;
  }
}

// ---- tests ------------------------------------------------------------------------------------

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const counts: string[] = [];

describe('the room model, replayed against the controller over the simulator', () => {
  for (const [slice, types] of Object.entries(SLICES)) {
    for (const factory of [true, false]) {
      const paths = slicePaths(types, factory);
      counts.push(`${slice}/${factory ? 'factory' : 'instance'} ${paths.length}`);
      it(`${slice}, ${factory ? 'with a factory' : 'with one instance'}: ${paths.length} paths`, { timeout: 60_000 }, async () => {
        for (const path of paths) await replay(path, factory);
      });
    }
  }

  // An exit() with nothing to start (out of a room, or joining one in flight) multiplies the simple
  // paths tenfold and adds nothing here; the slices above take it.
  const idleExit = (state: RoomModelSnapshot, event: RoomModelEvent) =>
    event.type === 'user.exit' && !state.matches('entering') && !state.matches('inRoom');
  const simple = testModel(SIMPLE, true, idleExit).getSimplePaths({ toState: (state) => state.matches('destroyed') });
  counts.push(`simple ${simple.length}`);
  it(`simple paths of the plain lifecycle to destroyed: ${simple.length}`, { timeout: 60_000 }, async () => {
    for (const path of simple) await replay(path, true);
  });

  it('visits every state of the room machine and takes every transition', () => {
    const missingStates = ALL_STATES.filter((state) => !visited.has(state));
    const missingTransitions = ALL_TRANSITIONS.filter((transition) => !taken.has(transition) && !UNREACHABLE.has(transition));
    expect({ missingStates, missingTransitions }).toEqual({ missingStates: [], missingTransitions: [] });
  });
});

afterAll(() => {
  const states = ALL_STATES.filter((state) => visited.has(state)).length;
  const transitions = ALL_TRANSITIONS.filter((transition) => taken.has(transition)).length;
  process.stdout.write(`paths: ${counts.join(', ')}\n`);
  process.stdout.write(`states covered: ${states}/${ALL_STATES.length}, transitions covered: ${transitions}/${ALL_TRANSITIONS.length}\n`);
});
