import { toMermaid } from '../src/inspect/statechart.js';
import { deviceMachine } from '../src/machines/device/device.machine.js';
import { roomMachine } from '../src/machines/room/room.machine.js';

/** docs/statechart.md: generated from the machines, checked by test/statechart.test.ts. */
export function statechartDocument(): string {
  return [
    '# Statecharts',
    '',
    'Generated from the machine definitions by `npm run docs`; `npm test` fails when this file and the',
    'machines disagree. Events are labelled `event [guard]`; `done:`/`error:` are the settling of an',
    'invoked call, `after` a bound, `always` an eventless transition. A loop is a transition that runs',
    'actions without changing state. The prose version is [room-machine.md](room-machine.md); the same',
    'machines laid out as a graph (what the inspector panel draws) are [statechart.svg](statechart.svg).',
    '',
    '## Room (`src/machines/room/room.machine.ts`)',
    '',
    '```mermaid',
    toMermaid(roomMachine).trimEnd(),
    '```',
    '',
    '## Local device (`src/machines/device/device.machine.ts`)',
    '',
    '```mermaid',
    toMermaid(deviceMachine).trimEnd(),
    '```',
    '',
  ].join('\n');
}
