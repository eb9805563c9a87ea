import type { StateValue } from 'xstate';
import type { MachineLayout } from './layout.js';
import { arrowId, chartShapes } from './statechart.shapes.js';
import type { Shape } from './statechart.shapes.js';

const SVG = 'http://www.w3.org/2000/svg';

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
  /** Marks the transition of `sourceId` on `eventType` as the last taken, and flashes it, if drawn. */
  fired(sourceId: string, eventType: string): void;
}

/** An arrow, and the line of its label naming one event. */
interface DrawnTransition {
  edge: SVGElement;
  line: Element;
}

function element<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Builds a shape with the DOM: attributes set one by one, text as text nodes. */
function build(doc: Document, shape: Shape): SVGElement {
  const node = doc.createElementNS(SVG, shape.tag) as SVGElement;
  for (const [name, value] of Object.entries(shape.attrs)) node.setAttribute(name, String(value));
  if (shape.text) node.append(doc.createTextNode(shape.text));
  for (const child of shape.children ?? []) node.append(build(doc, child));
  return node;
}

const FLASH: Keyframe[] = [
  { strokeWidth: 5, strokeDasharray: '6 4' },
  { strokeWidth: 2, strokeDasharray: 'none' },
];

/**
 * Draws a machine from its layout (computed by `npm run docs`): the states as nested boxes, the
 * transitions as labelled arrows; the machine's own transitions (taken in every state) head the
 * chart. A click toggles between fitting the panel's width and full size (scrolled).
 */
export function drawChart(doc: Document, layout: MachineLayout, title: string): DrawnChart {
  const root = element(doc, 'figure', 'trm-chart');
  root.dataset.machine = layout.id;
  const caption = element(doc, 'figcaption', 'trm-caption', title);
  const everywhere = element(doc, 'ul', 'trm-transitions trm-everywhere');
  const transitions = new Map<string, DrawnTransition | HTMLElement>();
  for (const line of layout.everywhere) {
    const item = element(doc, 'li', 'trm-transition', line.text);
    transitions.set(`${layout.id}|${line.eventType}`, item);
    everywhere.append(item);
  }

  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
  svg.setAttribute('width', String(layout.width));
  // Fitted to the panel, but never drawn larger than laid out.
  svg.style.maxWidth = `${layout.width}px`;
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${title} statechart`);
  const graph = build(doc, chartShapes(layout));
  svg.append(graph);
  const view = element(doc, 'div', 'trm-graph-view');
  view.title = 'Click: full size / fit';
  view.append(svg);
  view.addEventListener('click', () => view.classList.toggle('trm-zoomed'));
  root.append(caption, everywhere, view);

  const nodes = new Map<string, Element>();
  const badgeSlots = new Map<string, Element>();
  for (const node of Array.from(graph.querySelectorAll('.trm-node'))) {
    const id = node.getAttribute('data-state-id') ?? '';
    nodes.set(id, node);
    const slot = node.querySelector('.trm-badges');
    if (slot) badgeSlots.set(id, slot);
  }
  for (const edge of Array.from(graph.querySelectorAll<SVGElement>('.trm-edge'))) {
    const source = edge.getAttribute('data-source') ?? '';
    for (const line of Array.from(edge.querySelectorAll('tspan[data-event]'))) {
      transitions.set(`${source}|${line.getAttribute('data-event') ?? ''}`, { edge, line });
    }
  }

  let active = new Set<string>();
  let last: DrawnTransition | undefined;
  return {
    element: root,
    setActive(ids, badges) {
      for (const id of active) if (!ids.has(id)) nodes.get(id)?.classList.remove('trm-active');
      for (const id of ids) if (!active.has(id)) nodes.get(id)?.classList.add('trm-active');
      active = new Set(ids);
      if (!badges) return;
      for (const [id, slot] of badgeSlots) {
        const text = badges.get(id)?.join(' ') ?? '';
        if (slot.textContent !== text) slot.textContent = text;
      }
    },
    fired(sourceId, eventType) {
      const drawn = transitions.get(`${sourceId}|${eventType}`);
      if (!drawn) return;
      if (!('edge' in drawn)) {
        // One flash at a time: a transition taken again while it flashes keeps the running one.
        if (drawn.getAnimations?.().length) return;
        drawn.animate?.([{ backgroundColor: 'var(--trm-fired)' }, { backgroundColor: 'transparent' }], { duration: 900 });
        return;
      }
      const path = drawn.edge.querySelector('.trm-line');
      if (last && last.edge !== drawn.edge) {
        last.edge.classList.remove('trm-last');
        last.edge.querySelector('.trm-line')?.setAttribute('marker-end', `url(#${arrowId(layout.id)})`);
      }
      last?.line.classList.remove('trm-taken');
      last = drawn;
      drawn.edge.classList.add('trm-last');
      drawn.line.classList.add('trm-taken');
      path?.setAttribute('marker-end', `url(#${arrowId(layout.id, true)})`);
      if (path && !path.getAnimations?.().length) path.animate?.(FLASH, { duration: 900, easing: 'ease-out' });
    },
  };
}
