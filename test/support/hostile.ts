/**
 * The hostile-input sweep's table and its runner (test/hostile-sweep*.test.ts): values of every
 * kind, structural traps (throwing getters and Proxies, revoked Proxies, inherited and polluted
 * fields), and how a row's outcome is judged.
 */
import { expect } from 'vitest';
import { createRoomController, RoomError } from '../../src/index.js';
import type { RoomController } from '../../src/index.js';
import { SimulatedCloud } from '../../src/adapters/simulator/index.js';
import { SdkRecorder } from './recorder.js';
import { ScriptedSdk } from './scripted-sdk.js';
import { enterConfig, ROOM_ID, SDK_APP_ID, stateOf } from './harness.js';

/** Built once: 10 MB. */
export const BIG = 'x'.repeat(10 * 1024 * 1024);

/** A value of every kind, by label. */
export const KINDS = {
  undefined: undefined,
  null: null,
  Symbol: Symbol('hostile'),
  BigInt: 10n,
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  '-0': -0,
  '0': 0,
  '-1': -1,
  '1.5': 1.5,
  '2^53': 2 ** 53,
  "''": '',
  "'   '": '   ',
  '10 MB string': BIG,
  true: true,
  '{}': {},
  '[]': [],
  function: () => undefined,
  Date: new Date(0),
} as const;
export type Kind = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as Kind[];

/** Kinds accepted for a field, each with the reason. */
export type Ok = Partial<Record<Kind, string>>;

const OPTIONAL = 'optional: not given';
export const OK_BOOL: Ok = { undefined: OPTIONAL, true: 'a boolean' };
export const OK_TEXT: Ok = {
  undefined: OPTIONAL,
  "''": 'any string: the SDK sets no format',
  "'   '": 'any string: the SDK sets no format',
  '10 MB string': 'any string: no length is documented, the server judges it',
};
export const OK_ONE_OF: Ok = { undefined: OPTIONAL };
export const OK_AT_LEAST_0: Ok = { undefined: OPTIONAL, '-0': '-0 is 0', '0': 'in range', '1.5': 'in range', '2^53': 'no upper bound is documented' };
export const OK_OBJECT_NODE: Ok = {
  undefined: OPTIONAL,
  '{}': 'outside a browser there is no class to check the object against',
  Date: 'outside a browser there is no class to check the object against',
};
/** A view: null, an element id (there is no page to look it up in Node), an element or a list of them. */
export const OK_VIEW: Ok = {
  undefined: OPTIONAL,
  null: 'null renders nowhere',
  "'   '": 'an element id: outside a browser there is no page to look it up in',
  '10 MB string': 'an element id: outside a browser there is no page to look it up in',
  '{}': 'an element: outside a browser there is no HTMLElement to check against',
  Date: 'an element: outside a browser there is no HTMLElement to check against',
  '[]': 'an empty list of elements',
};

export type Expect = { refused: string; cause?: unknown; code?: 'INVALID_PARAMETER' | 'DESTROYED' } | { accepted: string; reads?: () => number };

export interface Row {
  name: string;
  call: (room: RoomController) => unknown;
  expect: Expect;
  /** The method throws rather than rejects (listener methods). */
  sync?: boolean;
  /** Object.prototype gets this field (valued so) while the call runs, synchronously, then loses it. */
  pollute?: [string, unknown];
}

type Plain = Record<string, unknown>;

function parentOf(base: Plain, path: string): [Plain, string] {
  const keys = path.split('.');
  let parent = base;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Plain;
  return [parent, keys[keys.length - 1] as string];
}

export function withField(base: Plain, path: string, value: unknown): Plain {
  const [parent, key] = parentOf(base, path);
  parent[key] = value;
  return base;
}

export interface FieldSpec {
  path: string;
  ok?: Ok;
  /** More values to refuse, and more to accept (with why). */
  bad?: Array<[string, unknown]>;
  good?: Array<[string, unknown, string]>;
  /** The field the error names, when not `path` (a missing strRoomId is a missing room: 'roomId'). */
  named?: string | ((kind: string) => string);
  /** A base with the objects the path goes through. */
  base?: () => Plain;
}

export interface ArgSpec {
  label: string;
  call: (room: RoomController, arg: unknown) => unknown;
  base: () => Plain;
  /** The field named when the whole argument is wrong. */
  whole: string;
  /** The field read first (a Proxy that throws on every read fails there). */
  first: string;
  /** What `{}` gives: refused naming a field, or accepted. */
  empty: Expect;
  /** The argument may be left out. */
  optional?: boolean;
  fields: FieldSpec[];
}

const trap = () => new TypeError('trap');
const thrower = () => {
  throw trap();
};

/** Every row for one object argument: the whole of it, its structure, then each field. */
export function objectRows(spec: ArgSpec): Row[] {
  const { label, call, base, whole, first } = spec;
  const rows: Row[] = [];
  const add = (name: string, arg: () => unknown, expect: Expect, extra: Partial<Row> = {}) => {
    rows.push({ name: `${label} ${name}`, call: (room) => call(room, arg()), expect, ...extra });
  };

  for (const kind of KIND_NAMES) {
    if (kind === '{}' || kind === 'Date') add(`= ${kind}`, () => (kind === '{}' ? {} : new Date(0)), spec.empty);
    else if (kind === 'undefined' && spec.optional) add('left out', () => undefined, { accepted: 'optional' });
    else add(`= ${kind}`, () => KINDS[kind], { refused: whole });
  }
  const error = trap();
  add('= a Proxy whose every read throws', () => new Proxy(base(), { get: () => { throw error; } }), { refused: first, cause: error });
  add('= a revoked Proxy', () => {
    const { proxy, revoke } = Proxy.revocable(base(), {});
    revoke();
    return proxy;
  }, { refused: whole });
  for (const trapName of ['ownKeys', 'getPrototypeOf', 'has', 'getOwnPropertyDescriptor', 'set', 'defineProperty', 'deleteProperty'] as const) {
    add(`= a Proxy whose ${trapName} throws`, () => new Proxy(base(), { [trapName]: thrower }), { accepted: `only the fields are read: ${trapName} is never asked` });
  }
  add('= Object.create(valid)', () => Object.create(base()) as unknown, { accepted: 'inherited fields are read as the SDK reads them, and handed on as own fields' });
  add(`= an object whose prototype holds a bad ${first}`, () => {
    const own = base();
    delete own[first];
    return Object.setPrototypeOf(own, { [first]: Symbol('inherited') }) as unknown;
  }, { refused: first });
  add('= a null-prototype copy', () => Object.assign(Object.create(null) as object, base()), { accepted: 'a plain record' });
  add('= frozen', () => Object.freeze(base()), { accepted: 'only read' });
  add("= JSON with an own '__proto__' key holding the fields", () => JSON.parse(`{"__proto__": ${JSON.stringify(base())}}`) as unknown, spec.empty);
  for (const field of spec.fields) rows.push(...fieldRows(spec, field));
  return rows;
}

function fieldRows(arg: ArgSpec, spec: FieldSpec): Row[] {
  const { path } = spec;
  const base = spec.base ?? arg.base;
  const ok = spec.ok ?? {};
  const named = (kind: string) => (typeof spec.named === 'function' ? spec.named(kind) : (spec.named ?? path));
  const rows: Row[] = [];
  const add = (name: string, value: () => unknown, expect: Expect) =>
    rows.push({ name: `${arg.label} .${path} = ${name}`, call: (room) => arg.call(room, withField(base(), path, value())), expect });

  for (const kind of KIND_NAMES) {
    const why = ok[kind];
    add(kind, () => KINDS[kind], why === undefined ? { refused: named(kind) } : { accepted: why });
  }
  for (const [name, value] of spec.bad ?? []) add(name, () => value, { refused: named(name) });
  for (const [name, value, why] of spec.good ?? []) add(name, () => value, { accepted: why });

  // The field as a getter: one that throws, one that would answer differently the second time.
  const error = new Error(`reading ${path} failed`);
  rows.push({
    name: `${arg.label} .${path} = a getter that throws`,
    call: (room) => {
      const object = base();
      const [parent, key] = parentOf(object, path);
      Object.defineProperty(parent, key, { enumerable: true, get: () => { throw error; } });
      return arg.call(room, object);
    },
    expect: { refused: path, cause: error },
  });
  const valid = parentOf(base(), path);
  const validValue = valid[0][valid[1]];
  if (validValue !== undefined) {
    let reads = 0;
    rows.push({
      name: `${arg.label} .${path} = a getter that answers differently the second time`,
      call: (room) => {
        reads = 0;
        const object = base();
        const [parent, key] = parentOf(object, path);
        Object.defineProperty(parent, key, { enumerable: true, get: () => (++reads > 1 ? Symbol('changed') : validValue) });
        return arg.call(room, object);
      },
      expect: { accepted: 'read once: what was checked is what is handed on', reads: () => reads },
    });
  }
  // Left out, and found on a polluted Object.prototype instead (even with a valid value).
  if (!path.includes('.')) {
    rows.push({
      name: `${arg.label} .${path} left out, on a polluted Object.prototype`,
      call: (room) => {
        const object = base();
        delete object[path];
        return arg.call(room, object);
      },
      expect: { refused: path },
      pollute: [path, validValue ?? 'polluted'],
    });
  }
  return rows;
}

/** Rows for a positional argument that is not an object (a user id, a volume, a role). */
export function valueRows(label: string, call: (room: RoomController, value: unknown) => unknown, field: string, ok: Ok, extra: { bad?: Array<[string, unknown]>; good?: Array<[string, unknown, string]> } = {}): Row[] {
  const rows: Row[] = KIND_NAMES.map((kind) => ({
    name: `${label} = ${kind}`,
    call: (room: RoomController) => call(room, KINDS[kind]),
    expect: ok[kind] === undefined ? { refused: field } : { accepted: ok[kind] as string },
  }));
  for (const [name, value] of extra.bad ?? []) rows.push({ name: `${label} = ${name}`, call: (room) => call(room, value), expect: { refused: field } });
  for (const [name, value, why] of extra.good ?? []) rows.push({ name: `${label} = ${name}`, call: (room) => call(room, value), expect: { accepted: why } });
  return rows;
}

// ---- the controllers the rows run on ----

export interface Stage {
  room: RoomController;
  /** SDK calls so far, listeners' on/off left out. */
  sdkCalls(): number;
  /** Broken SDK rules seen so far (the recorder's, and the scripted SDK's own checker). */
  violations(): string[];
}

const callsOf = (recorder: SdkRecorder) => () => recorder.log.filter((entry) => entry.phase === 'call' && entry.method !== 'on' && entry.method !== 'off').length;

export type StageState = 'idle' | 'inRoom' | 'devicesOn' | 'destroyed';

/** A controller on the simulator; in the room, a peer 'bob' publishes camera, screen and microphone. */
export async function simulatorStage(state: StageState): Promise<Stage> {
  const cloud = new SimulatedCloud();
  const recorder = new SdkRecorder();
  const room = createRoomController({ trtc: recorder.factory(() => cloud.createClient({ label: 'alice' })), enterTimeoutMs: 500, exitTimeoutMs: 300 });
  // The call log redacts every argument handed on: it must read them as safely as the checks do.
  const logged: unknown[] = [];
  room.onSdkCall((call) => void logged.push(call.args));
  const stage: Stage = { room, sdkCalls: callsOf(recorder), violations: () => recorder.violations() };
  if (state === 'idle') return stage;
  if (state === 'destroyed') {
    await room.destroy();
    return stage;
  }
  const bob = cloud.createClient({ label: 'bob' });
  await bob.enterRoom({ sdkAppId: SDK_APP_ID, userId: 'bob', userSig: 'userSig-of-bob', roomId: ROOM_ID });
  await Promise.all([bob.startLocalAudio(), bob.startLocalVideo(), bob.startScreenShare()]);
  await room.enter(enterConfig());
  await cloud.flush();
  if (state === 'devicesOn') await Promise.all([room.startLocalAudio(), room.startLocalVideo(), room.startScreenShare()]);
  return stage;
}

/** A controller on the independent scripted SDK, whose checker records any broken SDK rule. */
export async function scriptedStage(state: StageState): Promise<Stage> {
  const sdk = new ScriptedSdk();
  const recorder = new SdkRecorder();
  const room = createRoomController({ trtc: recorder.factory(() => sdk.create()), enterTimeoutMs: 500, exitTimeoutMs: 300 });
  const stage: Stage = {
    room,
    sdkCalls: callsOf(recorder),
    violations: () => [...recorder.violations(), ...sdk.violations.map((violation) => `[${violation.kind}] ${violation.message}`)],
  };
  if (state === 'inRoom' || state === 'devicesOn') await room.enter(enterConfig());
  if (state === 'destroyed') await room.destroy();
  return stage;
}

// ---- judging a row ----

interface Outcome {
  threw: boolean;
  /** What it threw or rejected with; `undefined` when it returned or resolved. */
  error?: unknown;
  settled: boolean;
}

async function attempt(row: Row, room: RoomController): Promise<Outcome> {
  let result: unknown;
  let threw = false;
  let error: unknown;
  const [key, value] = row.pollute ?? [];
  if (key !== undefined) Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true, enumerable: true });
  try {
    result = row.call(room);
  } catch (caught) {
    threw = true;
    error = caught;
  } finally {
    if (key !== undefined) delete (Object.prototype as Record<string, unknown>)[key];
  }
  if (threw || !(result instanceof Promise)) return { threw, error, settled: true };
  // A promise that has not settled within a few turns is pending (an accepted start may wait on the SDK).
  let settled = false;
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 50));
  await Promise.race([
    result.then(
      () => {
        settled = true;
      },
      (rejected: unknown) => {
        settled = true;
        error = rejected ?? 'rejected with nothing';
      },
    ),
    timeout,
  ]);
  return { threw, error, settled };
}

const show = (value: unknown) =>
  value instanceof RoomError ? `${value.code}${value.field ? `(${value.field})` : ''}: ${value.message.slice(0, 160)}` : String(value).slice(0, 160);

/** Runs a row; returns what is wrong with its outcome, or null. */
export async function judge(row: Row, stage: Stage): Promise<string | null> {
  const before = stage.sdkCalls();
  const snapshot = stage.room.getSnapshot();
  const outcome = await attempt(row, stage.room);
  const calls = stage.sdkCalls() - before;
  const { expect: expected } = row;
  if ('refused' in expected) {
    const code = expected.code ?? 'INVALID_PARAMETER';
    const problems: string[] = [];
    if (!(outcome.error instanceof RoomError)) problems.push(`expected a RoomError, got ${outcome.settled ? show(outcome.error) : 'a pending promise'}`);
    else {
      if (outcome.error.code !== code) problems.push(`code ${outcome.error.code}, expected ${code}`);
      if (code === 'INVALID_PARAMETER' && outcome.error.field !== expected.refused) problems.push(`field ${String(outcome.error.field)}, expected ${expected.refused}`);
      if (expected.cause !== undefined && outcome.error.cause !== expected.cause) problems.push(`cause ${show(outcome.error.cause)}`);
    }
    if (row.sync && !outcome.threw) problems.push('expected a synchronous throw');
    if (!row.sync && outcome.threw) problems.push(`threw synchronously instead of rejecting: ${show(outcome.error)}`);
    if (calls > 0) problems.push(`${calls} SDK call(s)`);
    if (stage.room.getSnapshot() !== snapshot) problems.push('the snapshot changed');
    return problems.length > 0 ? `${row.name}: ${problems.join('; ')}` : null;
  }
  const problems: string[] = [];
  if (outcome.error instanceof RoomError && outcome.error.code === 'INVALID_PARAMETER') problems.push(`refused: ${show(outcome.error)}`);
  else if (outcome.error !== undefined && calls === 0) problems.push(`failed before reaching the SDK: ${show(outcome.error)}`);
  if (expected.reads && expected.reads() !== 1) problems.push(`read ${expected.reads()} times`);
  return problems.length > 0 ? `${row.name} (accepted: ${expected.accepted}): ${problems.join('; ')}` : null;
}

/** The controller still works: out of any room, in, and out again. */
export async function works(room: RoomController): Promise<void> {
  await room.exit();
  await room.enter(enterConfig());
  expect(stateOf(room)).toBe('inRoom');
  await room.exit();
  expect(stateOf(room)).toBe('idle');
}
