import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as simulator from '../src/adapters/simulator/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import type { SimulatedClient } from '../src/adapters/simulator/index.js';
import type { RoomController } from '../src/controller.js';
import * as library from '../src/index.js';
import { createRoomController } from '../src/index.js';
import * as server from '../src/server/index.js';
import type { RoomServerOptions } from '../src/server/index.js';
import { runSnippet, snippetsOf, typeCheck } from './support/snippets.js';
import type { Preamble, Snippet } from './support/snippets.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const readmeSnippets = snippetsOf(readme, 'README.md');
const bindingsSnippets = snippetsOf(readFileSync(`${root}docs/bindings.md`, 'utf8'), 'docs/bindings.md');

/** The README's snippet whose first line starts with `head`; the tests below name each one. */
const snippet = (head: string): Snippet => {
  const found = readmeSnippets.filter((s) => s.head.startsWith(head));
  if (found.length !== 1) throw new Error(`README: ${found.length} snippets start with ${JSON.stringify(head)}`);
  return found[0] as Snippet;
};

/** Snippets the test runs on the simulator, by first line. */
const RUN = [
  "import TRTC from 'trtc-sdk-v5';",
  'await room.startLocalAudio();',
  'for (const user of room.view().remoteUsers) {',
  'const { uplink, downlink, uplinkRTT } = room.view().network;',
  "await room.startScreenShare({ option: { profile: '1080p' } });",
  'await room.startScreenShare({ option: { systemAudio: true } });',
  "await room.startLocalVideo({ option: { profile: '720p' } });",
  'await room.updateLocalVideo({ option: { rotation: 90, mirror: false } });',
  "import { SimulatedCloud } from 'trtc-room-machine/simulator';",
  "import { createRoomServer } from 'trtc-room-machine/server';",
  'const server: RoomServer = new SimulatedCloud(',
];

/** Snippets only type-checked, and why they are not run. */
const TYPE_CHECKED_ONLY: Record<string, string> = {
  "import { useRoom, useRoomEvent } from 'trtc-room-machine/react';": 'hooks run in a component: test/browser/bindings.test.ts renders them in Chromium',
  "import { mountInspector } from 'trtc-room-machine/inspector';": 'draws into a real DOM: test/browser/inspector-panel.test.ts mounts the panel in Chromium',
  "import { createStatelyBrowserInspector } from 'trtc-room-machine/stately';": "opens stately.ai's inspector in a browser window, over the internet",
};

/** Neither run nor type-checked, and why. */
const NOT_CODE: Record<string, string> = {
  'const room = createRoomController({ trtc, enterTimeoutMs?, exitTimeoutMs?, inspect?, redact? });': "the API at a glance: signatures with `?` marks, not code",
};

/** What a snippet's free names are, for the type check. */
const PREAMBLE: Preamble = {
  room: "declare const room: import('trtc-room-machine').RoomController;",
  button: 'declare const button: HTMLButtonElement;',
  userSig: 'declare const userSig: string;',
  userId: 'declare const userId: string;',
  sdkAppId: 'declare const sdkAppId: number;',
  roomId: 'declare const roomId: number;',
  createRoomController: "import { createRoomController } from 'trtc-room-machine';",
  TRTC: "import TRTC from 'trtc-sdk-v5';",
  RoomServer: "import type { RoomServer } from 'trtc-room-machine/server';",
  SimulatedCloud: "import { SimulatedCloud } from 'trtc-room-machine/simulator';",
  // The effectScope() snippet is Vue's; the selector ones hold for both bindings.
  useRoom: (code) => `import { useRoom } from 'trtc-room-machine/${code.includes('effectScope') ? 'vue' : 'react'}';`,
  effectScope: "import { effectScope } from 'vue';",
  CallStatus: 'declare function CallStatus(): null;',
};

const ROOM = { sdkAppId: 1400000000, roomId: 8888 };
const until = async (done: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 3_000;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!done()) throw new Error(`timed out waiting for ${what}`);
};

describe('README snippets', () => {
  it('each ts block is run, type-checked with a reason it is not run, or named as not code', () => {
    const classified = [...RUN, ...Object.keys(TYPE_CHECKED_ONLY), ...Object.keys(NOT_CODE)];
    expect(readmeSnippets.map((s) => classified.filter((head) => s.head.startsWith(head)).length)).toEqual(readmeSnippets.map(() => 1));
    for (const head of classified) snippet(head);
  });

  it.skipIf(!existsSync(`${root}dist/index.d.ts`))('type-check against the built package, as do those of docs/bindings.md', () => {
    const code = readmeSnippets.filter((s) => !Object.keys(NOT_CODE).some((head) => s.head.startsWith(head)));
    expect(() => typeCheck(`${root}build/snippet-check/`, [...code, ...bindingsSnippets], PREAMBLE)).not.toThrow();
  }, 60_000);

  it('the usage example runs with the simulator as TRTC, fetch answering the userSig', async () => {
    const cloud = new SimulatedCloud();
    const logged: unknown[] = [];
    const fetched: string[] = [];
    const fetch = (url: string) => {
      fetched.push(url);
      return Promise.resolve({ json: () => Promise.resolve({ userSig: 'signed' }) });
    };
    const console = { log: (value: unknown) => logged.push(value) };
    const { room } = await runSnippet(snippet("import TRTC from 'trtc-sdk-v5';").code, { fetch, console, alert: () => undefined }, {
      'trtc-sdk-v5': { default: { create: () => cloud.createClient() } },
      'trtc-room-machine': library,
    }, ['room']);
    expect(fetched).toEqual(['/api/usersig?userId=alice']);
    expect(logged).toContain('inRoom');
    expect(logged.at(-1)).toBe('destroyed');
    expect((room as RoomController).view().state).toBe('destroyed');
  });

  it('the in-room steps run in order, in a room with bob publishing', async () => {
    const cloud = new SimulatedCloud();
    const clients: SimulatedClient[] = [];
    const client = (label: string) => () => {
      const made = cloud.createClient({ label });
      clients.push(made);
      return made;
    };
    const bob = createRoomController({ trtc: client('bob') });
    await bob.enter({ ...ROOM, userId: 'bob', userSig: 'x' });
    await bob.startLocalAudio();
    await bob.startLocalVideo();
    const room = createRoomController({ trtc: client('alice') });
    await room.enter({ ...ROOM, userId: 'alice', userSig: 'x' });
    const [bobClient, aliceClient] = clients as [SimulatedClient, SimulatedClient];
    const button: { onclick: null | (() => unknown) } = { onclick: null };
    const run = (head: string, returns?: string[]) => runSnippet(snippet(head).code, { room, button, userSig: 'x' }, {}, returns);

    await run('await room.startLocalAudio();');
    expect(room.view().local).toEqual({ microphone: 'on', camera: 'on', screen: 'off' });
    expect(room.view().muted.microphone).toBe(true);

    aliceClient.failAutoplay('bob', 'video');
    await until(() => room.view().autoplayBlocked, 'autoplayBlocked');
    await run('for (const user of room.view().remoteUsers) {');
    expect(room.view().remoteUsers).toMatchObject([{ userId: 'bob', video: true, playing: { video: true }, audioMuted: true }]);
    await button.onclick?.();
    expect(aliceClient.autoplayResumes).toBe(1);

    aliceClient.degradeNetwork({ uplinkNetworkQuality: 3, downlinkNetworkQuality: 2, uplinkRTT: 120 });
    await until(() => room.view().network.uplinkRTT === 120, 'the network report');
    const network = await run('const { uplink, downlink, uplinkRTT } = room.view().network;', ['uplink', 'downlink', 'uplinkRTT']);
    expect(network).toEqual({ uplink: 3, downlink: 2, uplinkRTT: 120 });

    await run("await room.startScreenShare({ option: { profile: '1080p' } });");
    expect(room.view().local.screen).toBe('off');
    await run('await room.startScreenShare({ option: { systemAudio: true } });');
    expect(room.view().local.screen).toBe('on');
    expect(aliceClient.local.screen.systemAudio).toBe(true);
    aliceClient.endScreenShareByBrowser(); // the user pressed "Stop sharing"
    await until(() => room.view().local.screen === 'off', 'the screen back to off');

    await run("await room.startLocalVideo({ option: { profile: '720p' } });");
    await run('await room.updateLocalVideo({ option: { rotation: 90, mirror: false } });');
    expect(aliceClient.local.video.options).toMatchObject({ option: { profile: '1080p', rotation: 90, mirror: false } });

    // The inline ones: audio volumes, role and room.
    const inline = [...readme.matchAll(/`(await room\.[^`]+)`/g)].map((match) => match[1] ?? '');
    expect(inline).toEqual(["await room.enableAudioVolumeEvaluation(500)", "await room.switchRole('anchor')", 'await room.switchRoom({ roomId: 9000, userSig })']);
    bobClient.setSpeakingLevel(40);
    await room.muteRemoteAudio('bob', false); // muted here, bob's volume would be 0
    await runSnippet(inline[0] ?? '', { room }, {});
    await until(() => room.view().remoteUsers[0]?.volume === 40, 'bob at volume 40');
    await runSnippet(inline[1] ?? '', { room }, {});
    expect(room.view().role).toBe('anchor');
    await runSnippet(inline[2] ?? '', { room, userSig: 'x' }, {});
    expect(room.getSnapshot().context.target).toMatchObject({ roomId: 9000 });
    expect(room.view().remoteUsers).toEqual([]);
    await Promise.all([room.destroy(), bob.destroy()]);
  });

  /** A snippet with `line` put in before the first line that starts with `marker`. */
  const inserting = (code: string, marker: string, line: string) => {
    if (!code.includes(`\n${marker}`)) throw new Error(`the snippet has no line starting ${marker}`);
    return code.replace(`\n${marker}`, `\n${line}\n${marker}`);
  };
  /** A controller of `userId` in a room of `cloud`; `signed`: with a userSig the cloud signs. */
  const controllerOn = async (cloud: SimulatedCloud, userId: string, where: { roomId: number } | { strRoomId: string }, signed = false) => {
    const controller = createRoomController({ trtc: () => cloud.createClient() });
    const userSig = signed ? cloud.userSig(userId) : 'x';
    await controller.enter({ sdkAppId: ROOM.sdkAppId, userId, userSig, ...where });
    return controller;
  };

  it('the simulator snippet runs: alice removed (banned), then the room dismissed (room_disband)', async () => {
    let code = snippet("import { SimulatedCloud } from 'trtc-room-machine/simulator';").code;
    code = inserting(code, 'await cloud.removeUser', "await room.enter({ sdkAppId, roomId, userId: 'alice', userSig: 'x' });");
    code = inserting(code, 'await cloud.dismissRoom', "const bob = await controllerOn(cloud, 'bob', { roomId });");
    const ran = await runSnippet(code, { ...ROOM, createRoomController, controllerOn }, { 'trtc-room-machine/simulator': simulator }, ['room', 'bob']);
    const [alice, bob] = [ran.room, ran.bob] as [RoomController, RoomController];
    await until(() => alice.view().state === 'kicked' && bob.view().state === 'kicked', 'alice and bob kicked');
    expect(alice.view().kickReason).toBe('banned');
    expect(bob.view().kickReason).toBe('room_disband');
    await Promise.all([alice.destroy(), bob.destroy()]);
  });

  it('the server snippet runs with createRoomServer swapped for the simulated cloud (a RoomServer)', async () => {
    const createRoomServer = (options: RoomServerOptions) => new SimulatedCloud({ sdkAppId: options.sdkAppId, secretKey: options.secretKey });
    const env = { TRTC_SECRET_KEY: 'test-key', TENCENTCLOUD_SECRET_ID: 'id', TENCENTCLOUD_SECRET_KEY: 'api-key' };
    // Bob and carol enter, with userSigs the server signs, before its calls.
    const code = inserting(
      snippet("import { createRoomServer } from 'trtc-room-machine/server';").code,
      'const userSig =',
      "const bob = await controllerOn(server, 'bob', { roomId: 8888 }, true), carol = await controllerOn(server, 'carol', { strRoomId: 'lobby' }, true);",
    );
    const modules = { 'trtc-room-machine/server': { ...server, createRoomServer } };
    const ran = await runSnippet(code, { process: { env }, controllerOn }, modules, ['server', 'userSig', 'bob', 'carol']);
    const [bob, carol] = [ran.bob, ran.carol] as [RoomController, RoomController];
    await until(() => bob.view().state === 'kicked' && carol.view().state === 'kicked', 'bob and carol kicked');
    expect(bob.view().kickReason).toBe('banned');
    expect(carol.view().kickReason).toBe('room_disband');
    // The userSig it signed is one the cloud takes at enterRoom (it checks them, given the SecretKey).
    const alice = createRoomController({ trtc: () => (ran.server as SimulatedCloud).createClient() });
    await alice.enter({ ...ROOM, userId: 'alice', userSig: ran.userSig as string });
    expect(alice.view().state).toBe('inRoom');
    await Promise.all([alice, bob, carol].map((controller) => controller.destroy()));
  });

  it('the one-line swap makes a RoomServer', async () => {
    const { server: made } = await runSnippet(snippet('const server: RoomServer = new SimulatedCloud(').code, { SimulatedCloud }, {}, ['server']);
    expect(made).toBeInstanceOf(SimulatedCloud);
    expect(typeof (made as SimulatedCloud).userSig('alice')).toBe('string');
  });
});
