import { createRoomController, stateOf as topState } from '../../src/index.js';
import type { EnterConfig, RoomController, RoomStateName } from '../../src/index.js';
import { SimulatedCloud } from '../../src/adapters/simulator/index.js';
import type { SimulatedClient } from '../../src/adapters/simulator/index.js';
import { SdkRecorder } from './recorder.js';

export const SDK_APP_ID = 1400000000;
export const ROOM_ID = 8888;

export function enterConfig(userId = 'alice', extra: Partial<EnterConfig> = {}): EnterConfig {
  return { sdkAppId: SDK_APP_ID, userId, userSig: `userSig-of-${userId}-SECRET`, roomId: ROOM_ID, ...extra };
}

export interface Harness {
  cloud: SimulatedCloud;
  recorder: SdkRecorder;
  room: RoomController;
  /** Every simulated client the controller was given, in order. */
  clients: SimulatedClient[];
  /** The client in use now. */
  client(): SimulatedClient;
  /** Promises of commands started by `reach()`, still pending. */
  pending: Promise<unknown>[];
}

export interface HarnessOptions {
  /** Give the controller a factory (default) or a single instance. */
  factory?: boolean;
  enterTimeoutMs?: number;
  exitTimeoutMs?: number;
  userId?: string;
}

export function createHarness(options: HarnessOptions = {}): Harness {
  const cloud = new SimulatedCloud();
  const recorder = new SdkRecorder();
  const clients: SimulatedClient[] = [];
  const label = options.userId ?? 'alice';
  const make = () => {
    const client = cloud.createClient({ label: `${label}#${clients.length + 1}` });
    clients.push(client);
    return client;
  };
  const trtc = options.factory === false ? recorder.wrap(make()) : recorder.factory(make);
  const room = createRoomController({
    trtc,
    enterTimeoutMs: options.enterTimeoutMs ?? 300,
    exitTimeoutMs: options.exitTimeoutMs ?? 150,
  });
  const client = () => {
    const last = clients[clients.length - 1];
    if (!last) throw new Error('no client made');
    return last;
  };
  return { cloud, recorder, room, clients, client, pending: [] };
}

/** A promise's outcome without awaiting it forever: 'pending' if it has not settled by now. */
export async function outcome(promise: Promise<unknown>): Promise<'resolved' | 'pending' | string> {
  const pending = Symbol('pending');
  const result = await Promise.race([
    promise.then(
      () => 'resolved',
      (error: unknown) => (typeof error === 'object' && error && 'code' in error ? String(error.code) : String(error)),
    ),
    new Promise<symbol>((resolve) => setTimeout(() => resolve(pending), 0)),
  ]);
  return result === pending ? 'pending' : (result as string);
}

/** Drives a fresh harness into a state; commands left waiting are kept in `pending`. */
export async function reach(harness: Harness, state: RoomStateName): Promise<void> {
  const { room, cloud } = harness;
  const userId = harness.client().label.split('#')[0] ?? 'alice';
  switch (state) {
    case 'idle':
      return;
    case 'entering':
      harness.client().injectFault('enterRoom', { kind: 'hang' });
      harness.pending.push(room.enter(enterConfig(userId)).catch((error: unknown) => error));
      return;
    case 'inRoom':
      await room.enter(enterConfig(userId));
      return;
    case 'exiting':
      await room.enter(enterConfig(userId));
      harness.client().injectFault('exitRoom', { kind: 'hang' });
      harness.pending.push(room.exit().catch((error: unknown) => error));
      return;
    case 'kicked':
      await room.enter(enterConfig(userId));
      cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID, userIds: [userId] });
      await cloud.flush();
      return;
    case 'destroyed':
      await room.destroy();
      return;
  }
}

export function stateOf(room: RoomController): RoomStateName {
  return topState(room.getSnapshot());
}
