import { LAYOUT_TEXT } from './layout.js';
import type { LayoutEdge, LayoutNode, MachineLayout } from './layout.js';

/**
 * An SVG element as data: the panel builds it with the DOM, `npm run docs` writes it as markup.
 * Every text is a `text` (never markup), so a state or event name cannot inject anything.
 */
export interface Shape {
  tag: 'g' | 'defs' | 'marker' | 'rect' | 'text' | 'tspan' | 'path' | 'circle';
  attrs: Record<string, string | number>;
  text?: string;
  children?: Shape[];
}

const shape = (tag: Shape['tag'], attrs: Shape['attrs'], children?: Shape[], text?: string): Shape => ({
  tag,
  attrs,
  ...(children ? { children } : {}),
  ...(text !== undefined ? { text } : {}),
});

/** `[x0, y0, x1, y1, …]` → `M x0 y0 L x1 y1 …`. */
export function pathOf(points: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) parts.push(`${i === 0 ? 'M' : 'L'}${points[i]} ${points[i + 1]}`);
  return parts.join(' ');
}

/** The marker ids of a machine's arrows: plain, and of the last transition taken. */
export const arrowId = (machine: string, last = false) => `trm-arrow-${machine}${last ? '-last' : ''}`;

function arrow(id: string, className: string): Shape {
  return shape('marker', { id, class: className, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, [
    shape('path', { d: 'M0 0 L10 5 L0 10 z' }),
  ]);
}

function node(layout: LayoutNode): Shape {
  const { x, y, width, height } = layout;
  const children: Shape[] = [shape('rect', { class: 'trm-box', x, y, width, height, rx: 6 })];
  if (layout.final) children.push(shape('rect', { class: 'trm-inner', x: x + 3, y: y + 3, width: width - 6, height: height - 6, rx: 4 }));
  const name = layout.compound
    ? { x: x + 10, y: y + 16, 'text-anchor': 'start' }
    : { x: x + width / 2, y: y + height / 2 + 4, 'text-anchor': 'middle' };
  children.push(shape('text', { class: 'trm-name', ...name }, [shape('tspan', { class: 'trm-badges', dx: 6 }, undefined, '')], layout.key));
  const classes = ['trm-node', ...(layout.final ? ['trm-final'] : []), ...(layout.compound ? ['trm-compound'] : [])];
  return shape('g', { class: classes.join(' '), 'data-state-id': layout.id }, children);
}

function edge(layout: LayoutEdge, machine: string): Shape {
  const children: Shape[] = [shape('path', { class: 'trm-line', d: pathOf(layout.points), 'marker-end': `url(#${arrowId(machine)})` })];
  const { label } = layout;
  if (label) {
    children.push(
      shape('rect', { class: 'trm-label-bg', x: label.x, y: label.y, width: label.width, height: label.height, rx: 3 }),
      shape(
        'text',
        { class: 'trm-label' },
        label.lines.map((line, i) =>
          shape('tspan', { x: label.x + 3, y: label.y + (i + 1) * LAYOUT_TEXT.lineHeight - 3, 'data-event': line.eventType }, undefined, line.text),
        ),
      ),
    );
  }
  return shape('g', { class: 'trm-edge', 'data-source': layout.source, 'data-target': layout.target }, children);
}

/** The drawn chart: states (parents before their children), then the arrows and their labels on top. */
export function chartShapes(layout: MachineLayout): Shape {
  const markers = shape('defs', {}, [arrow(arrowId(layout.id), 'trm-arrow'), arrow(arrowId(layout.id, true), 'trm-arrow trm-arrow-last')]);
  const initials = layout.initials.map((initial) => {
    const r = LAYOUT_TEXT.initialSize / 2;
    return shape('g', { class: 'trm-initial', 'data-parent': initial.parent }, [
      shape('circle', { cx: initial.x + r, cy: initial.y + r, r }),
      shape('path', { class: 'trm-line', d: pathOf(initial.points), 'marker-end': `url(#${arrowId(layout.id)})` }),
    ]);
  });
  return shape('g', { class: 'trm-graph', 'data-machine': layout.id }, [
    markers,
    ...layout.nodes.map(node),
    ...initials,
    ...layout.edges.map((item) => edge(item, layout.id)),
  ]);
}
