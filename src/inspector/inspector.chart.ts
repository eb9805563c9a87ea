import type { StateValue } from 'xstate';
import type { ChartNode } from '../inspect/statechart.js';

/** The ids of every active state node: `{ inRoom: 'active' }` → room.inRoom, room.inRoom.active. */
export function activeStateIds(rootId: string, value: StateValue): string[] {
  const ids: string[] = [];
  const walk = (prefix: string, current: StateValue) => {
    if (typeof current === 'string') {
      ids.push(`${prefix}.${current}`);
      return;
    }
    for (const [key, child] of Object.entries(current)) {
      ids.push(`${prefix}.${key}`);
      if (child !== undefined) walk(`${prefix}.${key}`, child);
    }
  };
  walk(rootId, value);
  return ids;
}

/** A drawn machine: its element, and handles to mark the active states and fired transitions. */
export interface DrawnChart {
  readonly element: HTMLElement;
  /** Marks exactly these states active; `badges` adds labels to states (devices in the device chart). */
  setActive(ids: ReadonlySet<string>, badges?: ReadonlyMap<string, string[]>): void;
  /** Flashes the transition of `sourceId` on `eventType`, if drawn. */
  fired(sourceId: string, eventType: string): void;
}

const relative = (rootId: string, id: string) => (id === rootId ? id : id.slice(rootId.length + 1));

function element<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Draws a machine as nested boxes, one per state, each listing its transitions (`event → target`).
 * The root's own transitions (taken in every state) head the chart.
 */
export function drawChart(doc: Document, chart: ChartNode, title: string): DrawnChart {
  const boxes = new Map<string, HTMLElement>();
  const badgeSlots = new Map<string, HTMLElement>();
  const transitions = new Map<string, HTMLElement>();

  const transitionList = (node: ChartNode) => {
    const list = element(doc, 'ul', 'trm-transitions');
    for (const transition of node.transitions) {
      const target = transition.target === node.id ? '↺' : `→ ${relative(chart.id, transition.target)}`;
      const item = element(doc, 'li', 'trm-transition', `${transition.label} ${target}`);
      transitions.set(`${node.id}|${transition.eventType}`, item);
      list.append(item);
    }
    return list;
  };

  const drawNode = (node: ChartNode): HTMLElement => {
    const box = element(doc, 'div', node.final ? 'trm-node trm-final' : 'trm-node');
    box.dataset.stateId = node.id;
    const name = element(doc, 'div', 'trm-name', node.key);
    const badges = element(doc, 'span', 'trm-badges');
    name.append(badges);
    box.append(name, transitionList(node));
    if (node.states.length > 0) {
      const children = element(doc, 'div', 'trm-children');
      for (const child of node.states) children.append(drawNode(child));
      box.append(children);
    }
    boxes.set(node.id, box);
    badgeSlots.set(node.id, badges);
    return box;
  };

  const root = element(doc, 'figure', 'trm-chart');
  root.dataset.machine = chart.id;
  const caption = element(doc, 'figcaption', 'trm-caption', title);
  const everywhere = transitionList(chart);
  everywhere.classList.add('trm-everywhere');
  const states = element(doc, 'div', 'trm-children trm-top');
  for (const child of chart.states) states.append(drawNode(child));
  root.append(caption, everywhere, states);

  let active = new Set<string>();
  return {
    element: root,
    setActive(ids, badges) {
      for (const id of active) if (!ids.has(id)) boxes.get(id)?.classList.remove('trm-active');
      for (const id of ids) if (!active.has(id)) boxes.get(id)?.classList.add('trm-active');
      active = new Set(ids);
      if (!badges) return;
      for (const [id, slot] of badgeSlots) {
        const text = badges.get(id)?.join(' ') ?? '';
        if (slot.textContent !== text) slot.textContent = text;
      }
    },
    fired(sourceId, eventType) {
      const item = transitions.get(`${sourceId}|${eventType}`);
      // One flash at a time: a transition taken again while it flashes keeps the running one.
      if (!item || item.getAnimations?.().length) return;
      item.animate?.([{ backgroundColor: 'var(--trm-fired)' }, { backgroundColor: 'transparent' }], { duration: 900 });
    },
  };
}
