import { describe, expect, it } from 'vitest';
import { Roster } from '../src/machines/room/roster.js';
import type { RemoteUserView } from '../src/machines/room/roster.js';

const ids = (roster: Roster) => roster.snapshot().map((user) => user.userId);

const fresh = (userId: string): RemoteUserView => ({
  userId,
  audio: false,
  video: false,
  screen: false,
  playing: { video: false, screen: false },
  audioMuted: false,
});

function rosterOf(...userIds: string[]): Roster {
  const roster = new Roster();
  for (const userId of userIds) roster.apply({ kind: 'enter', userId });
  return roster;
}

describe('Roster: who is in the room', () => {
  it('starts empty', () => {
    const roster = new Roster();
    expect(roster.size).toBe(0);
    expect(roster.snapshot()).toEqual([]);
  });

  it('keeps users in order of arrival; one who leaves and comes back goes last', () => {
    const roster = rosterOf('a', 'b', 'c');
    expect(ids(roster)).toEqual(['a', 'b', 'c']);
    roster.apply({ kind: 'exit', userId: 'b' });
    expect(ids(roster)).toEqual(['a', 'c']);
    roster.apply({ kind: 'enter', userId: 'b' });
    expect(ids(roster)).toEqual(['a', 'c', 'b']);
    expect(roster.size).toBe(3);
  });

  it('after an exit in the middle, the users behind it are still found and updated in place', () => {
    const roster = rosterOf('a', 'b', 'c', 'd');
    const before = roster.snapshot();
    roster.apply({ kind: 'exit', userId: 'b' });
    roster.apply({ kind: 'audio', userId: 'd', available: true });
    roster.apply({ kind: 'exit', userId: 'a' });
    roster.apply({ kind: 'video', userId: 'c', streamType: 'main', available: true });
    expect(roster.snapshot()).toEqual([{ ...fresh('c'), video: true }, { ...fresh('d'), audio: true }]);
    expect(roster.get('d')?.audio).toBe(true);
    expect(roster.get('a')).toBeUndefined();
    expect(before.map((user) => user.userId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a repeated availability event changes nothing', () => {
    const roster = rosterOf('a');
    roster.apply({ kind: 'video', userId: 'a', streamType: 'main', available: true });
    const first = roster.snapshot();
    roster.apply({ kind: 'video', userId: 'a', streamType: 'main', available: true });
    expect(roster.snapshot()).toBe(first);
  });

  it('adds a user with nothing published', () => {
    const roster = rosterOf('a');
    expect(roster.get('a')).toEqual(fresh('a'));
  });

  it('neither moves nor resets a user who enters again', () => {
    const roster = rosterOf('a', 'b');
    roster.apply({ kind: 'audio', userId: 'a', available: true });
    const before = roster.snapshot();
    roster.apply({ kind: 'enter', userId: 'a' });
    expect(roster.snapshot()).toBe(before);
    expect(roster.get('a')?.audio).toBe(true);
  });

  it('ignores the exit of an unknown user', () => {
    const roster = rosterOf('a');
    const before = roster.snapshot();
    roster.apply({ kind: 'exit', userId: 'nobody' });
    expect(roster.snapshot()).toBe(before);
  });

  it('adds an unknown user on an availability event (a live-scene audience is not told of every enter)', () => {
    const roster = rosterOf('a');
    roster.apply({ kind: 'audio', userId: 'anchor1', available: true });
    roster.apply({ kind: 'video', userId: 'anchor2', streamType: 'sub', available: true });
    expect(ids(roster)).toEqual(['a', 'anchor1', 'anchor2']);
    expect(roster.get('anchor1')).toEqual({ ...fresh('anchor1'), audio: true });
    expect(roster.get('anchor2')).toEqual({ ...fresh('anchor2'), screen: true });
  });

  it('does not bring back a user who left on a late unavailability event', () => {
    const roster = rosterOf('a', 'b');
    roster.apply({ kind: 'exit', userId: 'b' });
    const before = roster.snapshot();
    roster.apply({ kind: 'audio', userId: 'b', available: false });
    roster.apply({ kind: 'video', userId: 'b', streamType: 'main', available: false });
    expect(roster.snapshot()).toBe(before);
    expect(ids(roster)).toEqual(['a']);
  });

  it('clears everyone', () => {
    const roster = rosterOf('a', 'b');
    roster.clear();
    expect(roster.size).toBe(0);
    expect(roster.get('a')).toBeUndefined();
    expect(roster.snapshot()).toEqual([]);
    roster.apply({ kind: 'enter', userId: 'b' });
    expect(ids(roster)).toEqual(['b']);
  });

  it('keeps the same array when an empty roster is cleared', () => {
    const roster = new Roster();
    const before = roster.snapshot();
    roster.clear();
    expect(roster.snapshot()).toBe(before);
  });
});

describe('Roster: streams', () => {
  it('maps the main video to `video` and the sub stream to `screen`', () => {
    const roster = rosterOf('a');
    roster.apply({ kind: 'video', userId: 'a', streamType: 'main', available: true });
    expect(roster.get('a')).toMatchObject({ video: true, screen: false });
    roster.apply({ kind: 'video', userId: 'a', streamType: 'sub', available: true });
    expect(roster.get('a')).toMatchObject({ video: true, screen: true });
    roster.apply({ kind: 'video', userId: 'a', streamType: 'main', available: false });
    expect(roster.get('a')).toMatchObject({ video: false, screen: true });
  });

  it('tracks audio availability', () => {
    const roster = rosterOf('a');
    roster.apply({ kind: 'audio', userId: 'a', available: true });
    expect(roster.get('a')?.audio).toBe(true);
    roster.apply({ kind: 'audio', userId: 'a', available: false });
    expect(roster.get('a')?.audio).toBe(false);
  });

  it('stops playing a stream that goes unavailable, and only that one', () => {
    const roster = rosterOf('a');
    for (const streamType of ['main', 'sub'] as const) {
      roster.apply({ kind: 'video', userId: 'a', streamType, available: true });
      roster.apply({ kind: 'subscription', userId: 'a', streamType, playing: true });
    }
    expect(roster.get('a')?.playing).toEqual({ video: true, screen: true });

    roster.apply({ kind: 'video', userId: 'a', streamType: 'sub', available: false });
    expect(roster.get('a')?.playing).toEqual({ video: true, screen: false });
    roster.apply({ kind: 'video', userId: 'a', streamType: 'main', available: false });
    expect(roster.get('a')?.playing).toEqual({ video: false, screen: false });
  });

  it('keeps playing a stream that becomes available again without a stop', () => {
    const roster = rosterOf('a');
    roster.apply({ kind: 'video', userId: 'a', streamType: 'main', available: true });
    roster.apply({ kind: 'subscription', userId: 'a', streamType: 'main', playing: true });
    roster.apply({ kind: 'video', userId: 'a', streamType: 'main', available: true });
    expect(roster.get('a')?.playing.video).toBe(true);
  });

  it('applies subscription and audioMuted changes to known users only', () => {
    const roster = rosterOf('a');
    roster.apply({ kind: 'subscription', userId: 'a', streamType: 'sub', playing: true });
    roster.apply({ kind: 'audioMuted', userId: 'a', muted: true });
    expect(roster.get('a')).toEqual({ ...fresh('a'), playing: { video: false, screen: true }, audioMuted: true });

    const before = roster.snapshot();
    roster.apply({ kind: 'subscription', userId: 'ghost', streamType: 'main', playing: true });
    roster.apply({ kind: 'audioMuted', userId: 'ghost', muted: true });
    expect(roster.get('ghost')).toBeUndefined();
    expect(roster.snapshot()).toBe(before);
  });
});

describe('Roster: volumes', () => {
  it('updates known users of a batch and skips unknown ones', () => {
    const roster = rosterOf('a', 'b');
    roster.apply({ kind: 'volumes', volumes: [{ userId: 'a', volume: 40 }, { userId: 'ghost', volume: 90 }] });
    expect(roster.get('a')?.volume).toBe(40);
    expect(roster.get('b')?.volume).toBeUndefined();
    expect(roster.get('ghost')).toBeUndefined();
    expect(ids(roster)).toEqual(['a', 'b']);
  });

  it('leaves users whose volume did not change identical, and the array too when none did', () => {
    const roster = rosterOf('a', 'b');
    roster.apply({ kind: 'volumes', volumes: [{ userId: 'a', volume: 10 }, { userId: 'b', volume: 20 }] });
    const first = roster.snapshot();
    const [a, b] = first;

    roster.apply({ kind: 'volumes', volumes: [{ userId: 'a', volume: 10 }, { userId: 'b', volume: 20 }] });
    expect(roster.snapshot()).toBe(first);

    roster.apply({ kind: 'volumes', volumes: [{ userId: 'a', volume: 10 }, { userId: 'b', volume: 25 }] });
    const second = roster.snapshot();
    expect(second).not.toBe(first);
    expect(second[0]).toBe(a);
    expect(second[1]).not.toBe(b);
    expect(second[1]?.volume).toBe(25);
  });
});

describe('Roster: snapshots', () => {
  it('returns the same array until a change, a new one after', () => {
    const roster = rosterOf('a');
    const first = roster.snapshot();
    expect(roster.snapshot()).toBe(first);
    roster.apply({ kind: 'audio', userId: 'a', available: true });
    const second = roster.snapshot();
    expect(second).not.toBe(first);
    expect(roster.snapshot()).toBe(second);
  });

  it('does not change an array already handed out', () => {
    const roster = rosterOf('a');
    const first = roster.snapshot();
    roster.apply({ kind: 'audio', userId: 'a', available: true });
    roster.apply({ kind: 'enter', userId: 'b' });
    roster.snapshot();
    expect(first).toEqual([fresh('a')]);
  });

  it('keeps users a change did not touch identical across snapshots', () => {
    const roster = rosterOf('a', 'b', 'c');
    const [a, b, c] = roster.snapshot();
    roster.apply({ kind: 'audioMuted', userId: 'b', muted: true });
    roster.apply({ kind: 'exit', userId: 'c' });
    roster.apply({ kind: 'enter', userId: 'd' });
    const after = roster.snapshot();
    expect(after[0]).toBe(a);
    expect(after[1]).not.toBe(b);
    expect(after[1]?.audioMuted).toBe(true);
    expect(after).not.toContain(c);
    expect(after.map((user) => user.userId)).toEqual(['a', 'b', 'd']);
  });

  it('does not mutate a user object it replaces', () => {
    const roster = rosterOf('a');
    roster.apply({ kind: 'video', userId: 'a', streamType: 'main', available: true });
    roster.apply({ kind: 'subscription', userId: 'a', streamType: 'main', playing: true });
    const before = roster.get('a');
    roster.apply({ kind: 'video', userId: 'a', streamType: 'main', available: false });
    expect(before).toEqual({ ...fresh('a'), video: true, playing: { video: true, screen: false } });
  });
});

describe('Roster: 10 000 users', () => {
  it('ends exact after everyone enters, toggles audio and video, and half leave', () => {
    const N = 10_000;
    const roster = new Roster();
    const user = (i: number) => `u${i}`;

    for (let i = 0; i < N; i += 1) roster.apply({ kind: 'enter', userId: user(i) });
    for (let i = 0; i < N; i += 1) {
      roster.apply({ kind: 'audio', userId: user(i), available: true });
      roster.apply({ kind: 'video', userId: user(i), streamType: 'main', available: true });
    }
    const middle = roster.snapshot();
    expect(middle).toHaveLength(N);

    for (let i = 0; i < N; i += 2) roster.apply({ kind: 'audio', userId: user(i), available: false });
    for (let i = 0; i < N; i += 3) roster.apply({ kind: 'video', userId: user(i), streamType: 'main', available: false });
    for (let i = 0; i < N; i += 2) roster.apply({ kind: 'exit', userId: user(i) });

    const users = roster.snapshot();
    expect(roster.size).toBe(N / 2);
    expect(users).toHaveLength(N / 2);
    expect(users.every((u, k) => u.userId === user(2 * k + 1))).toBe(true);
    expect(users.filter((u) => u.audio)).toHaveLength(N / 2);
    // Video is off for the odd multiples of 3: 3, 9, …, 9999.
    expect(users.filter((u) => !u.video)).toHaveLength(1667);

    expect(roster.get('u0')).toBeUndefined();
    expect(roster.get('u1')).toEqual({ ...fresh('u1'), audio: true, video: true });
    expect(roster.get('u3')).toEqual({ ...fresh('u3'), audio: true, video: false });
    expect(roster.get('u9999')).toEqual({ ...fresh('u9999'), audio: true, video: false });
    expect(roster.get('u9997')).toEqual({ ...fresh('u9997'), audio: true, video: true });
    // Users no change touched since the middle snapshot are the same objects.
    expect(users[0]).toBe(middle[1]);
    expect(middle).toHaveLength(N);
  });
});

describe('Roster: compaction without view reads', () => {
  it('keeps the slots bounded over many enter/exit pairs when nobody takes a snapshot', () => {
    const roster = rosterOf('stays-1', 'stays-2');
    let most = 0;
    for (let i = 0; i < 100_000; i += 1) {
      roster.apply({ kind: 'enter', userId: `u${i}` });
      roster.apply({ kind: 'exit', userId: `u${i}` });
      most = Math.max(most, roster.slots);
    }
    expect(most).toBeLessThanOrEqual(33);
    expect(roster.size).toBe(2);
    expect(ids(roster)).toEqual(['stays-1', 'stays-2']);
  });

  it('stays within about twice the users in a large room with churn', () => {
    const roster = new Roster();
    for (let i = 0; i < 1_000; i += 1) roster.apply({ kind: 'enter', userId: `u${i}` });
    let most = 0;
    for (let i = 0; i < 50_000; i += 1) {
      roster.apply({ kind: 'exit', userId: `u${i}` });
      most = Math.max(most, roster.slots);
      roster.apply({ kind: 'enter', userId: `u${i + 1_000}` });
      most = Math.max(most, roster.slots);
    }
    // 999 users after an exit: holes never outnumber them.
    expect(most).toBeLessThanOrEqual(2 * 999 + 1);
    expect(roster.size).toBe(1_000);
  });

  it('keeps the order of arrival and finds every user after compactions', () => {
    const roster = new Roster();
    for (let i = 0; i < 100; i += 1) roster.apply({ kind: 'enter', userId: `u${i}` });
    roster.apply({ kind: 'audio', userId: 'u99', available: true });
    for (let i = 0; i < 100; i += 1) if (i % 3 !== 0) roster.apply({ kind: 'exit', userId: `u${i}` });
    expect(roster.slots).toBeLessThan(100);
    roster.apply({ kind: 'enter', userId: 'late' });
    roster.apply({ kind: 'video', userId: 'u3', streamType: 'main', available: true });

    const expected = [...Array.from({ length: 34 }, (_, k) => `u${3 * k}`), 'late'];
    expect(ids(roster)).toEqual(expected);
    for (const userId of expected) expect(roster.get(userId)?.userId).toBe(userId);
    expect(roster.get('u99')?.audio).toBe(true);
    expect(roster.get('u3')?.video).toBe(true);
    expect(roster.get('u1')).toBeUndefined();
  });

  it('never changes a snapshot handed out before the exits that compact', () => {
    const roster = new Roster();
    for (let i = 0; i < 64; i += 1) roster.apply({ kind: 'enter', userId: `u${i}` });
    const before = roster.snapshot();
    const copy = [...before];
    for (let i = 0; i < 60; i += 1) roster.apply({ kind: 'exit', userId: `u${i}` });
    expect(roster.slots).toBeLessThan(64);
    expect(before).toEqual(copy);
    expect(before).toHaveLength(64);
    expect(ids(roster)).toEqual(['u60', 'u61', 'u62', 'u63']);
  });

  it('leaves the holes of a small room to the next snapshot', () => {
    const roster = rosterOf('a', 'b', 'c', 'd');
    roster.apply({ kind: 'exit', userId: 'a' });
    roster.apply({ kind: 'exit', userId: 'b' });
    roster.apply({ kind: 'exit', userId: 'c' });
    expect(roster.slots).toBe(4);
    expect(ids(roster)).toEqual(['d']);
    expect(roster.slots).toBe(1);
  });
});
