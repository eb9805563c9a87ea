import { getCurrentScope, onScopeDispose, shallowRef } from 'vue';
import type { ShallowRef } from 'vue';
import type { RoomController } from '../controller.js';
import type { RoomEmittedOf, RoomEmittedType } from '../machines/room/room.types.js';
import type { RoomView } from '../machines/room/room.view.js';

type Selector<T> = (view: RoomView) => T;
type Equality<T> = (previous: T, next: T) => boolean;

const wholeView: Selector<RoomView> = (view) => view;

function stopWithScope(stop: () => void): void {
  if (getCurrentScope()) onScopeDispose(stop);
}

/**
 * The room's view as a shallow ref, updated on every change. Stops with the component or
 * `effectScope()` it is called in; outside any scope, call it inside an `effectScope()` you stop.
 */
export function useRoom(room: RoomController): Readonly<ShallowRef<RoomView>>;
/**
 * A part of the room's view as a shallow ref; it changes only when the selection changes by
 * `isEqual` (default `Object.is`).
 */
export function useRoom<T>(room: RoomController, selector: Selector<T>, isEqual?: Equality<T>): Readonly<ShallowRef<T>>;
export function useRoom<T>(
  room: RoomController,
  selector?: Selector<T>,
  isEqual: Equality<T> = Object.is,
): Readonly<ShallowRef<T | RoomView>> {
  const select = (selector ?? wholeView) as Selector<T>;
  let lastView = room.view();
  const selection = shallowRef(select(lastView));
  const unsubscribe = room.subscribe(() => {
    const view = room.view();
    if (view === lastView) return;
    lastView = view;
    const next = select(view);
    if (!isEqual(selection.value, next)) selection.value = next;
  });
  stopWithScope(unsubscribe);
  return selection;
}

/**
 * Calls `handler` with each `type` event the room emits (`kicked`, `error`, ...) until the
 * component or `effectScope()` it is called in is disposed. Returns the function that stops it
 * sooner (or at all, when called outside any scope), as `watch()` does.
 */
export function useRoomEvent<T extends RoomEmittedType>(
  room: RoomController,
  type: T,
  handler: (event: RoomEmittedOf<T>) => void,
): () => void {
  const stop = room.on(type, handler);
  stopWithScope(stop);
  return stop;
}
