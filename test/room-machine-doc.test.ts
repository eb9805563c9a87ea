import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedSection, transitionRows, transitionTable } from '../scripts/transition-table.js';

const doc = () => readFileSync(new URL('../docs/room-machine.md', import.meta.url), 'utf8');
const rows = transitionRows();
const row = (from: string, on: string, guard = '') => rows.filter((r) => r.from === from && r.on === on && r.guard === guard);

describe('docs/room-machine.md', () => {
  it('has the transition table `npm run docs` generates from the machine now', () => {
    const section = generatedSection(doc());
    expect(section, 'docs/room-machine.md lost its transition markers').toBeDefined();
    expect(section, 'the room machine changed: run `npm run docs` and commit docs/room-machine.md').toBe(`\n${transitionTable()}`);
  });
});

describe('the generated transition table', () => {
  it('has one row per transition, targetless ones shown as —', () => {
    const table = transitionTable();
    expect(table.startsWith('| from | on | guard | to | actions |\n|---|---|---|---|---|\n')).toBe(true);
    expect(table.trimEnd().split('\n')).toHaveLength(rows.length + 2);
    expect(table).toMatch(/^\| entering \| sdk\.kickedOut \| +\| kicked \| [^\n]*recordKick/m);
    expect(row('entering', 'room.exit')).toEqual([expect.objectContaining({ to: '—', actions: 'requestExit' })]);
  });

  it('shows the root as (any), with the answers of abandoned calls', () => {
    expect(rows[0]?.from).toBe('(any)');
    for (const call of ['enterRoom', 'switchRole', 'switchRoom']) {
      for (const outcome of ['done', 'error']) {
        expect(row('(any)', `${outcome}: ${call}`)).toEqual([expect.objectContaining({ to: '—', actions: expect.stringContaining('endCall') })]);
      }
    }
  });

  it('labels delays, eventless transitions and guards', () => {
    const switchBound = rows.filter((r) => r.on === 'after switchBound');
    expect(switchBound.map((r) => r.from)).toEqual(expect.arrayContaining(['inRoom.switchingRole', 'inRoom.switchingRoom']));
    for (const r of switchBound) expect(r.to).toMatch(/^exiting/);
    expect(row('entering.waitingForCall', 'always', 'not callInFlight')).toEqual([expect.objectContaining({ to: 'entering.calling' })]);
    expect(rows.some((r) => r.guard.includes(' and '))).toBe(true);
    expect(rows.every((r) => !r.on.startsWith('xstate.'))).toBe(true);
  });

  it('names function actions and spread groups by what they are', () => {
    expect(row('entering', 'after enterBound', 'canRenewInstance')[0]?.actions).toContain('...retireInstance');
    expect(row('entering.calling', 'error: enterRoom')[0]?.actions).toBe('endCall, ...enterFailed');
  });

  it('keeps document order: a state before its children, always last', () => {
    const from = rows.map((r) => r.from);
    expect(from.indexOf('inRoom')).toBeLessThan(from.indexOf('inRoom.active'));
    const active = rows.filter((r) => r.from === 'inRoom.active').map((r) => r.on);
    expect(active.indexOf('always')).toBe(active.length - active.filter((on) => on === 'always').length);
  });
});
