import { useSelector } from '@xstate/vue';
import { createRenderer, createSSRApp, defineComponent, h, nextTick, watch } from 'vue';
import type { Component, Ref } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { afterEach, describe, expect, it } from 'vitest';
import { useRoom } from '../src/bindings/vue.js';
import type { RoomController } from '../src/controller.js';
import type { RoomView } from '../src/machines/room/room.view.js';
import { CASE_NAMES, CASES, SESSION_SUMMARIES, SESSION_SUMMARIES_PER_VIEW, actorOf, aliceSession, counting } from './support/parity.js';
import type { CaseName } from './support/parity.js';

// Our useRoom and @xstate/vue's useSelector, fed the same controller (theirs through an actor over
// it), each counted on its own wrapper of that controller.

/** A renderer into plain objects: enough to mount, update and unmount components in Node. */
interface Node {
  text: string;
  parent: Node | null;
  children: Node[];
}
const node = (text = ''): Node => ({ text, parent: null, children: [] });
const { createApp } = createRenderer<Node, Node>({
  createElement: () => node(),
  createText: (text) => node(text),
  createComment: () => node(),
  setText: (target, text) => void (target.text = text),
  setElementText: (target, text) => void (target.text = text),
  insert(child, parent, anchor) {
    child.parent?.children.splice(child.parent.children.indexOf(child), 1);
    const at = anchor ? parent.children.indexOf(anchor) : -1;
    parent.children.splice(at < 0 ? parent.children.length : at, 0, child);
    child.parent = parent;
  },
  remove(child) {
    child.parent?.children.splice(child.parent.children.indexOf(child), 1);
    child.parent = null;
  },
  parentNode: (target) => target.parent,
  nextSibling: (target) => target.parent?.children[target.parent.children.indexOf(target) + 1] ?? null,
  patchProp: () => undefined,
});

type Side = 'ours' | 'xstate';
const SIDES: Side[] = ['ours', 'xstate'];

function select(side: Side, room: RoomController, name: CaseName): Ref<unknown> {
  const { selector, ours, xstate } = CASES[name];
  return side === 'ours' ? useRoom(room, selector, ours) : useSelector(actorOf(room), (view: RoomView) => selector(view), xstate);
}

/** A component that shows a selection: it logs each value the selection takes, and each render. */
function shows(side: Side, room: RoomController, name: CaseName, log: { changes: unknown[]; renders: number }): Component {
  return defineComponent({
    setup() {
      const selected = select(side, room, name);
      watch(selected, (value) => log.changes.push(value), { flush: 'sync' });
      return () => {
        log.renders += 1;
        return h('p', JSON.stringify(selected.value));
      };
    },
  });
}

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  cleanups = [];
});

/** Both sides, each on its own count of alice's subscriptions, mounted in their own app. */
function sideBySide(name: CaseName) {
  const session = aliceSession();
  cleanups.push(session.destroy);
  const sides = SIDES.map((side) => {
    const counted = counting(session.alice);
    const log = { changes: [] as unknown[], renders: 0 };
    return { side, counted, log, app: createApp(shows(side, counted.counted, name, log)) };
  });
  const [ours, xstate] = sides as [(typeof sides)[number], (typeof sides)[number]];
  return { session, ours, xstate, mount: () => sides.forEach(({ app }) => app.mount(node())) };
}

const STATES = ['entering', 'inRoom', 'kicked'];

const withoutRepeats = (values: readonly unknown[]) => values.filter((value, i) => i === 0 || JSON.stringify(value) !== JSON.stringify(values[i - 1]));

/** Runs each step of the session, and lets Vue render what it changed. */
async function play(steps: ReadonlyArray<() => Promise<void>>): Promise<void> {
  for (const step of steps) {
    await step();
    await nextTick();
  }
}

describe('ours and @xstate/vue, mounted side by side', () => {
  // Selecting again at the mount from the view the setup selected from would make a new object,
  // a change by Object.is, and a second render for nothing.
  it.each(CASE_NAMES)('selector %s: the first render is the only one until something changes', async (name) => {
    const { ours, xstate, mount } = sideBySide(name);
    mount();
    await nextTick();
    for (const { log } of [ours, xstate]) expect(log).toEqual({ changes: [], renders: 1 });
  });

  it.each([
    ['state', STATES],
    ['object, shallowEqual', SESSION_SUMMARIES],
  ] as const)('selector %s: the same changes over a session, one render each', async (name, expected) => {
    const { session, ours, xstate, mount } = sideBySide(name);
    mount();
    await play(session.steps);
    expect(ours.log.changes).toEqual(expected);
    expect(xstate.log.changes).toEqual(expected);
    expect(ours.log.renders).toBe(1 + expected.length);
    expect(xstate.log.renders).toBe(1 + expected.length);
  });

  // The difference: @xstate/vue selects again on every notification of the actor, and an object
  // made anew is a change by Object.is; ours selects only when the (memoised) view is a new one.
  it('selector object, Object.is: ours changes once per new view, @xstate/vue once per notification', async () => {
    const { session, ours, xstate, mount } = sideBySide('object, Object.is');
    const views = new Set<RoomView>();
    session.alice.subscribe(() => views.add(session.alice.view()));
    mount();
    await play(session.steps);
    // Bob's microphone makes a new view with the same summary: a change by Object.is.
    const summaries = SESSION_SUMMARIES_PER_VIEW;
    expect(ours.log.changes).toEqual(summaries);
    expect(views.size).toBe(summaries.length);
    expect(ours.log.renders).toBe(1 + summaries.length);
    expect(xstate.log.changes.length).toBeGreaterThan(summaries.length);
    expect(withoutRepeats(xstate.log.changes)).toEqual(withoutRepeats(summaries));
    expect(xstate.log.renders).toBeGreaterThan(ours.log.renders);
  });

  it.each(CASE_NAMES)('selector %s: one subscription each while mounted, none after the unmount', async (name) => {
    const { session, ours, xstate, mount } = sideBySide(name);
    mount();
    expect([ours.counted.active(), xstate.counted.active()]).toEqual([1, 1]);
    await play(session.steps.slice(0, 2));
    ours.app.unmount();
    xstate.app.unmount();
    expect([ours.counted.active(), xstate.counted.active()]).toEqual([0, 0]);
    const renders = [ours.log.renders, xstate.log.renders];
    await play(session.steps.slice(2));
    expect([ours.log.renders, xstate.log.renders]).toEqual(renders);
  });

  it.each(CASE_NAMES)('selector %s: 100 mounts and unmounts leave no subscription', (name) => {
    const { session } = sideBySide(name);
    for (const side of SIDES) {
      const { counted, active, made } = counting(session.alice);
      for (let i = 0; i < 100; i += 1) {
        const app = createApp(shows(side, counted, name, { changes: [], renders: 0 }));
        app.mount(node());
        app.unmount();
      }
      expect([active(), made()]).toEqual([0, 100]);
    }
  });
});

describe('ours and @xstate/vue, rendered on the server', () => {
  it.each(CASE_NAMES)('selector %s: 100 renders show the current value and leave no subscription', async (name) => {
    const { session, ours, xstate } = sideBySide(name);
    await play(session.steps.slice(0, 2));
    const html = `<p>${JSON.stringify(CASES[name].selector(session.alice.view())).replaceAll('"', '&quot;')}</p>`;
    for (let i = 0; i < 100; i += 1) {
      for (const { side, counted, log } of [ours, xstate]) {
        expect(await renderToString(createSSRApp(shows(side, counted.counted, name, log)))).toBe(html);
      }
    }
    expect([ours.counted.active(), xstate.counted.active()]).toEqual([0, 0]);
    // The difference: @xstate/vue subscribes in setup and Vue's server renderer stops its watcher
    // at once; ours waits for a mount, which a server render never does.
    expect([ours.counted.made(), xstate.counted.made()]).toEqual([0, 100]);
  });
});
