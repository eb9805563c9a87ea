// `npm run docs`: writes docs/statechart.md and docs/statechart.svg from the machine definitions,
// the inspector panel's laid-out charts (src/inspector/statechart.layout.ts), and the generated
// transition table of docs/room-machine.md (between its markers; the prose around it is kept).
import { readFileSync, writeFileSync } from 'node:fs';
import { statechartDocument } from './statechart-document.js';
import { statechartGraphFiles } from './statechart-layout.js';
import { withTransitionTable } from './transition-table.js';

const docs = new URL('../../docs/', import.meta.url);
const shown = (target: URL) => target.pathname.replace(/^.*\/docs\//, 'docs/');

const statechart = new URL('statechart.md', docs);
writeFileSync(statechart, statechartDocument());
console.log(`wrote ${shown(statechart)}`);

const graph = await statechartGraphFiles();
const svg = new URL('statechart.svg', docs);
writeFileSync(svg, graph.svg);
console.log(`wrote ${shown(svg)}`);
writeFileSync(new URL('../../src/inspector/statechart.layout.ts', import.meta.url), graph.module);
console.log('wrote src/inspector/statechart.layout.ts');

const roomMachine = new URL('room-machine.md', docs);
writeFileSync(roomMachine, withTransitionTable(readFileSync(roomMachine, 'utf8')));
console.log(`wrote the transition table of ${shown(roomMachine)}`);
