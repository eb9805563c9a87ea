import { deviceMachine } from '../src/machines/device/device.machine.js';
import { roomMachine } from '../src/machines/room/room.machine.js';
import type { MachineLayout } from '../src/inspector/layout.js';
import { layoutMachine } from './statechart-graph.js';
import { statechartSvg } from './statechart-svg.js';

/** The room and device machines, laid out. */
export async function statechartLayouts(): Promise<MachineLayout[]> {
  return [await layoutMachine(roomMachine), await layoutMachine(deviceMachine)];
}

/** One item a line, so a change in the machines shows as a readable diff. */
function literal(layout: MachineLayout): string {
  const list = (items: readonly unknown[]) => (items.length === 0 ? '[]' : `[\n${items.map((item) => `    ${JSON.stringify(item)},`).join('\n')}\n  ]`);
  return [
    '{',
    `  id: ${JSON.stringify(layout.id)},`,
    `  width: ${layout.width},`,
    `  height: ${layout.height},`,
    `  everywhere: ${list(layout.everywhere)},`,
    `  nodes: ${list(layout.nodes)},`,
    `  edges: ${list(layout.edges)},`,
    `  initials: ${list(layout.initials)},`,
    '}',
  ].join('\n');
}

/** src/inspector/statechart.layout.ts: the layouts the panel draws, without a layout engine. */
export function layoutModule(layouts: readonly MachineLayout[]): string {
  const [room, device] = layouts;
  if (!room || !device) throw new Error('expected the room and device layouts');
  return [
    '// Generated from the machine definitions by `npm run docs` (scripts/statechart-graph.ts); do not edit.',
    "import type { MachineLayout } from './layout.js';",
    '',
    `export const ROOM_LAYOUT: MachineLayout = ${literal(room)};`,
    '',
    `export const DEVICE_LAYOUT: MachineLayout = ${literal(device)};`,
    '',
  ].join('\n');
}

/** Everything `npm run docs` writes from the layouts: docs/statechart.svg and the panel's module. */
export async function statechartGraphFiles(): Promise<{ svg: string; module: string }> {
  const layouts = await statechartLayouts();
  return { svg: statechartSvg(layouts), module: layoutModule(layouts) };
}
