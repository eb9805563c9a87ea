import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toMermaid } from '../src/inspect/statechart.js';
import { roomMachine } from '../src/machines/room/room.machine.js';
import { statechartDocument } from '../scripts/statechart-document.js';

describe('docs/statechart.md', () => {
  it('is what `npm run docs` generates from the machines now', () => {
    const committed = readFileSync(new URL('../docs/statechart.md', import.meta.url), 'utf8');
    expect(committed, 'the machines changed: run `npm run docs` and commit docs/statechart.md').toBe(statechartDocument());
  });

  it('draws every state and every transition of the room machine', () => {
    const diagram = toMermaid(roomMachine);
    const ids: string[] = [];
    const walk = (node: { id: string; states: Record<string, unknown> }) => {
      ids.push(node.id);
      for (const child of Object.values(node.states)) walk(child as typeof node);
    };
    walk(roomMachine.root as unknown as { id: string; states: Record<string, unknown> });
    for (const id of ids.slice(1)) expect(diagram).toContain(id.replace(/\./g, '_'));
    for (const event of ['room.enter', 'sdk.error [isRejoinFailure]', 'media.start [mayPublish]', 'done: enterRoom', 'after enterBound', 'always [not callInFlight]', 'always [retireRequested and canRenewInstance]']) {
      expect(diagram).toContain(event);
    }
    expect(diagram).toContain('room_entering --> room_kicked : sdk.kickedOut');
    expect(diagram).toContain('room_destroyed --> [*]');
  });
});
