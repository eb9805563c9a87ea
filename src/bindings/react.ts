import { createContext, createElement, useCallback, useContext, useEffect, useInsertionEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactElement, ReactNode } from 'react';
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

/**
 * A controller owned by the component: `create()` runs when the component mounts, and the
 * controller is destroyed when it unmounts. `null` until then (the first render, and every server
 * render, which never mounts). Under StrictMode's mount, unmount, mount in development the first
 * controller is destroyed at once and the second stays: one is alive while the component is
 * mounted. The latest `create` is called; a new one does not re-create the controller (give the
 * component a new `key` for that).
 */
export function useRoomController(create: () => RoomController): RoomController | null {
  const latest = useRef(create);
  useInsertionEffect(() => {
    latest.current = create;
  });
  const [room, setRoom] = useState<RoomController | null>(null);
  useEffect(() => {
    const created = latest.current();
    setRoom(created);
    return () => {
      // Rendered again without an effect first (a hidden <Activity> shown), it is null, not dead.
      setRoom(null);
      // destroy() settles once the SDK instance is destroyed; nothing here waits for it.
      created.destroy().catch(() => undefined);
    };
  }, []);
  return room;
}

const RoomContext = createContext<RoomController | null>(null);

/** Hands `room` to every `useRoomContext()` below it. */
export function RoomProvider({ room, children }: { room: RoomController; children?: ReactNode }): ReactElement {
  return createElement(RoomContext.Provider, { value: room }, children);
}

/** The controller of the nearest `<RoomProvider>` above; throws when there is none. */
export function useRoomContext(): RoomController {
  const room = useContext(RoomContext);
  if (!room) throw new Error('useRoomContext(): no <RoomProvider room={...}> above this component');
  return room;
}

export { shallowEqual } from './shallow-equal.js';
