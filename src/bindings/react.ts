import { useCallback, useEffect, useInsertionEffect, useRef, useSyncExternalStore } from 'react';
import type { RoomController } from '../controller.js';
import type { RoomEmittedOf, RoomEmittedType } from '../machines/room/room.types.js';
import type { RoomView } from '../machines/room/room.view.js';

type Selector<T> = (view: RoomView) => T;
type Equality<T> = (previous: T, next: T) => boolean;

interface Selected<T> {
  view: RoomView;
  selector: Selector<T>;
  selection: T;
}

const wholeView: Selector<RoomView> = (view) => view;

/** The room's view; re-renders whenever `room.view()` gives a new object. */
export function useRoom(room: RoomController): RoomView;
/**
 * A part of the room's view; re-renders only when the selection changes by `isEqual`
 * (default `Object.is`). The selector may be an inline function.
 */
export function useRoom<T>(room: RoomController, selector: Selector<T>, isEqual?: Equality<T>): T;
export function useRoom<T>(room: RoomController, selector?: Selector<T>, isEqual: Equality<T> = Object.is): T | RoomView {
  const select = (selector ?? wholeView) as Selector<T>;
  const subscribe = useCallback((onChange: () => void) => room.subscribe(() => onChange()), [room]);
  const last = useRef<Selected<T> | null>(null);

  // React compares snapshots with Object.is and re-renders (or loops) on a new value, so an
  // unchanged view, and a selection equal to the last one, must give back the very same value.
  const getSelection = (): T => {
    const view = room.view();
    const previous = last.current;
    if (previous && previous.view === view && previous.selector === select) return previous.selection;
    const next = select(view);
    const selection = previous && isEqual(previous.selection, next) ? previous.selection : next;
    last.current = { view, selector: select, selection };
    return selection;
  };

  return useSyncExternalStore(subscribe, getSelection, getSelection);
}

/**
 * Calls `handler` with each `type` event the room emits (`kicked`, `error`, ...), from mount to
 * unmount. The latest handler is called, so an inline function does not resubscribe.
 */
export function useRoomEvent<T extends RoomEmittedType>(
  room: RoomController,
  type: T,
  handler: (event: RoomEmittedOf<T>) => void,
): void {
  const latest = useRef(handler);
  // Before any other effect, and without the server-side warning of useLayoutEffect.
  useInsertionEffect(() => {
    latest.current = handler;
  });
  useEffect(() => room.on(type, (event) => latest.current(event)), [room, type]);
}

export { shallowEqual } from './shallow-equal.js';
