import { getCurrentInstance, onMounted, shallowRef, toValue, watch } from 'vue';
import type { MaybeRefOrGetter, ShallowRef } from 'vue';
import type { RoomController } from '../controller.js';
import type { RoomEmittedOf, RoomEmittedType } from '../machines/room/room.types.js';
import type { RoomView } from '../machines/room/room.view.js';

type Selector<T> = (view: RoomView) => T;
type Equality<T> = (previous: T, next: T) => boolean;

const wholeView: Selector<RoomView> = (view) => view;

/**
 * Runs `follow` where it is safe to subscribe: in a component, once it is mounted (so a server
 * render, which never mounts, subscribes to nothing); elsewhere (an `effectScope()`) at once. The
 * watcher it makes stops with the component or scope.
 */
function whenLive(follow: () => () => void): () => void {
  let stop: (() => void) | undefined;
  let stopped = false;
  const start = () => {
    if (!stopped) stop = follow();
  };
  if (getCurrentInstance()) onMounted(start);
  else start();
  return () => {
    stopped = true;
    stop?.();
  };
}

/**
 * The room's view as a shallow ref, updated on every change. `room` may be a controller, a ref
 * or a getter: when it changes, the ref follows the new controller. In a component it subscribes
 * once mounted (a server render reads the view once and subscribes to nothing); in an
 * `effectScope()` at once. It stops with the component or scope.
 */
export function useRoom(room: MaybeRefOrGetter<RoomController>): Readonly<ShallowRef<RoomView>>;
/**
 * A part of the room's view as a shallow ref; it changes only when the selection changes by
 * `isEqual` (default `Object.is`).
 */
export function useRoom<T>(room: MaybeRefOrGetter<RoomController>, selector: Selector<T>, isEqual?: Equality<T>): Readonly<ShallowRef<T>>;
export function useRoom<T>(
  room: MaybeRefOrGetter<RoomController>,
  selector?: Selector<T>,
  isEqual: Equality<T> = Object.is,
): Readonly<ShallowRef<T | RoomView>> {
  const select = (selector ?? wholeView) as Selector<T>;
  // The view the selection was made from: the same view again (at the mount, or a notification
  // that changed nothing the view shows) is not selected again, so a new object is not a change.
  let selectedFrom = toValue(room).view();
  const selection = shallowRef(select(selectedFrom));
  whenLive(() =>
    watch(
      () => toValue(room),
      (controller, _, onCleanup) => {
        const update = () => {
          const view = controller.view();
          if (view === selectedFrom) return;
          selectedFrom = view;
          const next = select(view);
          if (!isEqual(selection.value, next)) selection.value = next;
        };
        // What changed between the render and now (or on another controller) shows at once.
        update();
        onCleanup(controller.subscribe(update));
      },
      { immediate: true },
    ),
  );
  return selection;
}

/**
 * Calls `handler` with each `type` event the room emits (`kicked`, `error`, ...), following
 * `room` when it is a ref or getter that changes, until the component (from its mount) or the
 * `effectScope()` it is called in ends. Returns the function that stops it sooner (or at all,
 * when called outside any scope), as `watch()` does.
 */
export function useRoomEvent<T extends RoomEmittedType>(
  room: MaybeRefOrGetter<RoomController>,
  type: T,
  handler: (event: RoomEmittedOf<T>) => void,
): () => void {
  return whenLive(() =>
    watch(
      () => toValue(room),
      (controller, _, onCleanup) => onCleanup(controller.on(type, handler)),
      { immediate: true },
    ),
  );
}

export { shallowEqual } from './shallow-equal.js';
