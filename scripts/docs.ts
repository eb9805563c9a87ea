// `npm run docs`: writes docs/statechart.md from the machine definitions.
import { writeFileSync } from 'node:fs';
import { statechartDocument } from './statechart-document.js';

const target = new URL('../../docs/statechart.md', import.meta.url);
writeFileSync(target, statechartDocument());
console.log(`wrote ${target.pathname.replace(/^.*\/docs\//, 'docs/')}`);
