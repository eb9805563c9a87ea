import { LAYOUT_TEXT } from '../src/inspector/layout.js';
import type { MachineLayout } from '../src/inspector/layout.js';
import { chartShapes } from '../src/inspector/statechart.shapes.js';
import type { Shape } from '../src/inspector/statechart.shapes.js';
import { GRAPH_CSS } from '../src/inspector/inspector.styles.js';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A shape as SVG markup, indented by depth. */
export function markup(shape: Shape, indent = ''): string {
  const attrs = Object.entries(shape.attrs)
    .map(([name, value]) => ` ${name}="${escape(String(value))}"`)
    .join('');
  const text = shape.text !== undefined ? escape(shape.text) : '';
  if (!shape.children || shape.children.length === 0) return `${indent}<${shape.tag}${attrs}>${text}</${shape.tag}>`;
  // Text and its tspans stay on one line: whitespace between them would be drawn.
  if (shape.tag === 'text') return `${indent}<text${attrs}>${text}${shape.children.map((child) => markup(child)).join('')}</text>`;
  return [`${indent}<${shape.tag}${attrs}>`, ...shape.children.map((child) => markup(child, `${indent}  `)), `${indent}</${shape.tag}>`].join('\n');
}

const TITLE_HEIGHT = 24;
const MARGIN = 16;

/** Titles of the charts in docs/statechart.svg, by machine id. */
const TITLES: Record<string, string> = { room: 'Room (src/machines/room/room.machine.ts)', device: 'Local device (src/machines/device/device.machine.ts)' };

/** docs/statechart.svg: the machines one under the other, each with its title and its every-state transitions. */
export function statechartSvg(layouts: readonly MachineLayout[]): string {
  const width = Math.max(...layouts.map((layout) => layout.width)) + 2 * MARGIN;
  const parts: string[] = [];
  let y = MARGIN;
  for (const layout of layouts) {
    const heading: Shape[] = [shape('text', { class: 'trm-title', x: 0, y: 16 }, TITLES[layout.id] ?? layout.id)];
    const lines = layout.everywhere.length === 0 ? [] : ['In every state:', ...layout.everywhere.map((line) => line.text)];
    lines.forEach((text, i) => {
      heading.push(shape('text', { class: 'trm-label', x: i === 0 ? 0 : 12, y: TITLE_HEIGHT + (i + 1) * LAYOUT_TEXT.lineHeight }, text));
    });
    const top = TITLE_HEIGHT + lines.length * LAYOUT_TEXT.lineHeight + 8;
    parts.push(markup({ tag: 'g', attrs: { transform: `translate(${MARGIN} ${y})` }, children: [
      { tag: 'g', attrs: { class: 'trm-graph' }, children: heading },
      { tag: 'g', attrs: { transform: `translate(0 ${top})` }, children: [chartShapes(layout)] },
    ] }, '  '));
    y += top + layout.height + 2 * MARGIN;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}">`,
    '  <!-- Generated from the machine definitions by `npm run docs`; do not edit. -->',
    `  <style>${GRAPH_CSS}.trm-title { font: 600 14px system-ui, sans-serif; fill: #1f2328; }\n  </style>`,
    `  <rect width="${width}" height="${y}" fill="#fff"></rect>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function shape(tag: Shape['tag'], attrs: Shape['attrs'], text: string): Shape {
  return { tag, attrs, text };
}
