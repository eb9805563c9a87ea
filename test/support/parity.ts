// Shared by the side-by-side tests of our bindings and @xstate/react's / @xstate/vue's useSelector,
// in Node and in the Chromium fixture: one controller, seen through both.
import { shallowEqual as xstateShallowEqual } from '@xstate/react';
import type { Observer, Subscription } from 'xstate';
import { SimulatedCloud } from '../../src/adapters/simulator/index.js';
import { shallowEqual } from '../../src/bindings/shallow-equal.js';
import { createRoomController } from '../../src/controller.js';
import type { RoomController } from '../../src/controller.js';
import type { RoomView } from '../../src/machines/room/room.view.js';

/** The controller, with the subscriptions and event listeners made through it counted. */
export function counting(room: RoomController) {
  const counts = { live: 0, made: 0 };
  const track = (stop: () => void) => {
    counts.live += 1;
    counts.made += 1;
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      counts.live -= 1;
      stop();
    };
  };
  const counted: RoomController = Object.create(room) as RoomController;
  counted.subscribe = (listener) => track(room.subscribe(listener));
  counted.on = (type, listener) => track(room.on(type, listener));
  return { counted, active: () => counts.live, made: () => counts.made };
}

/** What @xstate's useSelector reads: an actor whose snapshot is the controller's view. */
export interface ViewActor {
  getSnapshot(): RoomView;
  subscribe(observer: Observer<RoomView>): Subscription;
  subscribe(next?: (view: RoomView) => void, error?: (error: unknown) => void, complete?: () => void): Subscription;
}

export function actorOf(room: RoomController): ViewActor {
  return {
    getSnapshot: () => room.view(),
    subscribe(observer?: Observer<RoomView> | ((view: RoomView) => void)) {
      const next = typeof observer === 'function' ? observer : (view: RoomView) => observer?.next?.(view);
      return { unsubscribe: room.subscribe(() => next(room.view())) };
    },
  };
}

export interface Summary {
  state: string;
  remoteUsers: number;
  cameras: number;
}
const summary = (view: RoomView): Summary => ({
  state: view.state,
  remoteUsers: view.remoteUsers.length,
  cameras: view.remoteUsers.filter((user) => user.video).length,
});

export type CaseName = 'state' | 'object, shallowEqual' | 'object, Object.is';
type Equality = ((a: unknown, b: unknown) => boolean) | undefined;
interface Case {
  selector: (view: RoomView) => unknown;
  ours: Equality;
  xstate: Equality;
}

/**
 * The selectors compared, each with the equality each side is given (undefined: its default,
 * Object.is). @xstate/vue has no shallowEqual of its own: both xstate sides take @xstate/react's.
 */
export const CASES: Record<CaseName, Case> = {
  state: { selector: (view) => view.state, ours: undefined, xstate: undefined },
  'object, shallowEqual': { selector: summary, ours: shallowEqual, xstate: xstateShallowEqual },
  'object, Object.is': { selector: summary, ours: undefined, xstate: undefined },
};
export const CASE_NAMES = Object.keys(CASES) as CaseName[];

const ROOM = { sdkAppId: 1400000000, roomId: 8888 };

/** The summaries alice's session shows after idle, each once. */
export const SESSION_SUMMARIES: readonly Summary[] = [
  { state: 'entering', remoteUsers: 0, cameras: 0 },
  { state: 'inRoom', remoteUsers: 0, cameras: 0 },
  { state: 'inRoom', remoteUsers: 1, cameras: 0 },
  { state: 'inRoom', remoteUsers: 1, cameras: 1 },
  { state: 'kicked', remoteUsers: 0, cameras: 0 },
];
/** The same, one per new view: bob's microphone makes a new view with the same summary. */
export const SESSION_SUMMARIES_PER_VIEW: readonly Summary[] = [...SESSION_SUMMARIES.slice(0, 4), SESSION_SUMMARIES[3]!, SESSION_SUMMARIES[4]!];

/**
 * Alice's controller, and the steps of her session: she enters, bob enters and starts his camera
 * and microphone, and the server removes alice. Each step settles every network delivery.
 */
export function aliceSession(cloud = new SimulatedCloud()) {
  const controller = (userId: string) => createRoomController({ trtc: () => cloud.createClient({ label: userId }) });
  const alice = controller('alice');
  const bob = controller('bob');
  const settled = (command: () => Promise<unknown>) => async () => {
    await command();
    await cloud.flush();
  };
  const steps = [
    settled(() => alice.enter({ ...ROOM, userId: 'alice', userSig: 'x' })),
    settled(() => bob.enter({ ...ROOM, userId: 'bob', userSig: 'x' })),
    settled(() => bob.startLocalVideo()),
    settled(() => bob.startLocalAudio()),
    settled(() => cloud.removeUser({ ...ROOM, userIds: ['alice'] })),
  ];
  const destroy = () => Promise.all([alice.destroy(), bob.destroy()]);
  return { alice, steps, destroy };
}
