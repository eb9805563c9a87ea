import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { statechartGraphFiles } from '../scripts/statechart-layout.js';
import { chartOf } from '../src/inspect/statechart.js';
import { DEVICE_LAYOUT, ROOM_LAYOUT } from '../src/inspector/statechart.layout.js';
import type { MachineLayout } from '../src/inspector/layout.js';
import { deviceMachine } from '../src/machines/device/device.machine.js';
import { roomMachine } from '../src/machines/room/room.machine.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('docs/statechart.svg and the panel layout (src/inspector/statechart.layout.ts)', () => {
  it('are what `npm run docs` generates now, and generating them twice gives the same bytes', async () => {
    const first = await statechartGraphFiles();
    const second = await statechartGraphFiles();
    expect(second).toEqual(first);
    expect(read('../docs/statechart.svg'), 'the machines changed: run `npm run docs` and commit docs/statechart.svg').toBe(first.svg);
    expect(read('../src/inspector/statechart.layout.ts'), 'the machines changed: run `npm run docs` and commit the layout').toBe(first.module);
  }, 30_000);

  for (const [layout, machine] of [
    [ROOM_LAYOUT, roomMachine],
    [DEVICE_LAYOUT, deviceMachine],
  ] as const) {
    it(`${layout.id}: every state is a box inside its parent's, every transition on an arrow`, () => {
      const chart = chartOf(machine);
      const ids: string[] = [];
      const transitions: string[] = [];
      const walk = (node: typeof chart) => {
        if (node !== chart) ids.push(node.id);
        if (node !== chart) for (const transition of node.transitions) transitions.push(`${node.id}|${transition.eventType}|${transition.target}`);
        node.states.forEach(walk);
      };
      walk(chart);
      expect(layout.nodes.map((node) => node.id).sort()).toEqual([...ids].sort());

      const byId = new Map(layout.nodes.map((node) => [node.id, node]));
      for (const node of layout.nodes) {
        const parent = byId.get(node.id.slice(0, node.id.lastIndexOf('.')));
        expect(node.x).toBeGreaterThanOrEqual(0);
        expect(node.x + node.width).toBeLessThanOrEqual(layout.width);
        if (!parent) continue;
        expect(node.x, node.id).toBeGreaterThan(parent.x);
        expect(node.y, node.id).toBeGreaterThan(parent.y);
        expect(node.x + node.width, node.id).toBeLessThan(parent.x + parent.width);
        expect(node.y + node.height, node.id).toBeLessThan(parent.y + parent.height);
      }

      const drawn = layout.edges.flatMap((edge) => (edge.label?.lines ?? []).map((line) => `${edge.source}|${line.eventType}|${edge.target}`));
      expect(new Set(drawn)).toEqual(new Set(transitions));
      for (const edge of layout.edges) expect(edge.points.length, `${edge.source} → ${edge.target}`).toBeGreaterThanOrEqual(4);
      expect(layout.everywhere.map((line) => line.eventType)).toEqual(chart.transitions.map((transition) => transition.eventType));
    });
  }

  it('arrows end on the border of their target', () => {
    const near = (a: number, b: number) => Math.abs(a - b) <= 2;
    const check = (layout: MachineLayout) => {
      const byId = new Map(layout.nodes.map((node) => [node.id, node]));
      for (const edge of layout.edges) {
        const target = byId.get(edge.target);
        const [x = 0, y = 0] = edge.points.slice(-2);
        if (!target) throw new Error(`no node ${edge.target}`);
        const onSide = near(x, target.x) || near(x, target.x + target.width) || near(y, target.y) || near(y, target.y + target.height);
        expect(onSide, `${edge.source} → ${edge.target} ends at ${x},${y}`).toBe(true);
      }
    };
    check(ROOM_LAYOUT);
    check(DEVICE_LAYOUT);
  });

  it('the SVG draws every state by id and escapes its text', async () => {
    const { svg } = await statechartGraphFiles();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const node of [...ROOM_LAYOUT.nodes, ...DEVICE_LAYOUT.nodes]) expect(svg).toContain(`data-state-id="${node.id}"`);
    expect(svg).toContain('always [not callInFlight]');
    expect(svg).not.toMatch(/<(?!\/?(svg|style|rect|g|defs|marker|path|text|tspan|circle)[ >]|!--)/);
  });
});

describe('the layout engine', () => {
  it('is not imported by anything that ships (src/): the panel draws the layout computed by `npm run docs`', async () => {
    const { readdirSync } = await import('node:fs');
    const src = new URL('../src/', import.meta.url);
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expect(readFileSync(new URL(file, src), 'utf8'), file).not.toMatch(/from ['"]elkjs/);
  });
});
