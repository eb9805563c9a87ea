import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedCloud } from 'trtc-room-machine/simulator';
import { runCli, USAGE } from '../../src/server/cli.run.js';
import { startApiStandIn } from '../support/api-stand-in.js';
import type { ApiStandIn } from '../support/api-stand-in.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SDK_APP_ID = 1400000001;
const SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const SECRET_ID = 'AKIDclitest';
const API_SECRET_KEY = 'api-secret-key-of-the-cli-test';

let standIn: ApiStandIn;
let env: Record<string, string>;

beforeAll(async () => {
  standIn = await startApiStandIn(API_SECRET_KEY);
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.answer({ kind: 'ok' });
  env = {
    TRTC_SDK_APP_ID: String(SDK_APP_ID),
    TRTC_SECRET_KEY: SECRET_KEY,
    TENCENTCLOUD_SECRET_ID: SECRET_ID,
    TENCENTCLOUD_SECRET_KEY: API_SECRET_KEY,
    TRTC_API_ENDPOINT: standIn.loopbackEndpoint,
  };
});

async function cli(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, env, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

const lastRequest = () => standIn.requests.at(-1);

describe('trtc-room-machine kick / dismiss', () => {
  it('kick --room 8888 alice bob: RemoveUser, what the API answered, exit 0', async () => {
    const { status, stdout, stderr } = await cli('kick', '--room', '8888', 'alice', 'bob');
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toBe(`RemoveUser: alice, bob put out of room 8888 (RequestId stand-in-${standIn.requests.length})\n`);
    expect(lastRequest()).toMatchObject({ headers: { 'x-tc-action': 'RemoveUser' }, json: { SdkAppId: SDK_APP_ID, RoomId: 8888, UserIds: ['alice', 'bob'] } });
    expect(lastRequest()?.signature).toMatchObject({ valid: true, secretId: SECRET_ID });
  });

  it('dismiss --str-room lobby --json: DismissRoomByStrRoomId, the answer as JSON', async () => {
    const { status, stdout } = await cli('dismiss', '--str-room', 'lobby', '--json');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ action: 'DismissRoomByStrRoomId', requestId: `stand-in-${standIn.requests.length}` });
    expect(lastRequest()?.json).toEqual({ SdkAppId: SDK_APP_ID, RoomId: 'lobby' });
  });

  it('TRTC_REGION is the region of the call', async () => {
    env.TRTC_REGION = 'ap-beijing';
    await cli('dismiss', '--room', '1');
    expect(lastRequest()?.headers['x-tc-region']).toBe('ap-beijing');
  });

  it('the API refuses: exit 2, its Code and RequestId on stderr (and in --json), no secret anywhere', async () => {
    standIn.answer({ kind: 'error', code: 'FailedOperation.RoomNotExist', message: `no such room (key ${API_SECRET_KEY})`, requestId: 'req-7' });
    const plain = await cli('dismiss', '--room', '8888');
    expect(plain.status).toBe(2);
    expect(plain.stderr).toBe('trtc-room-machine: DismissRoom failed: FailedOperation.RoomNotExist: no such room (key [redacted]) (RequestId req-7)\n');
    const json = await cli('dismiss', '--room', '8888', '--json');
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'SERVER_API_FAILED', action: 'DismissRoom', apiCode: 'FailedOperation.RoomNotExist', requestId: 'req-7', message: expect.any(String) },
    });
    for (const secret of [SECRET_KEY, SECRET_ID, API_SECRET_KEY]) expect(plain.stderr + json.stdout).not.toContain(secret);
  });

  it('no answer within --timeout: exit 2 with SERVER_TIMEOUT', async () => {
    standIn.answer({ kind: 'hang' });
    const { status, stdout } = await cli('kick', '--room', '8888', 'alice', '--timeout', '200', '--json');
    expect(status).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'SERVER_TIMEOUT', action: 'RemoveUser' } });
  });
});

describe('trtc-room-machine usersig', () => {
  it('prints a userSig that a cloud knowing the SecretKey takes; --json gives it with the userId', async () => {
    const { status, stdout } = await cli('usersig', 'alice', '--expire', '600');
    expect(status).toBe(0);
    const userSig = stdout.trim();
    const cloud = new SimulatedCloud({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY });
    await expect(cloud.createClient().enterRoom({ sdkAppId: SDK_APP_ID, userId: 'alice', userSig, roomId: 8888 })).resolves.toBeUndefined();

    const json = await cli('usersig', 'bob', '--json');
    expect(JSON.parse(json.stdout)).toEqual({ userId: 'bob', userSig: expect.stringMatching(/^[A-Za-z0-9*_-]+$/) });
  });

  it('needs only the application key, not the API key', async () => {
    delete env.TENCENTCLOUD_SECRET_ID;
    delete env.TENCENTCLOUD_SECRET_KEY;
    expect((await cli('usersig', 'alice')).status).toBe(0);
  });
});

describe('bad arguments and missing set-up: exit 1 and a message saying what to do', () => {
  it.each([
    [['kick', '--room', '8888', 'alice'], 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_ID is not set'],
    [['usersig', 'alice'], 'TRTC_SECRET_KEY', 'TRTC_SECRET_KEY is not set'],
    [['usersig', 'alice'], 'TRTC_SDK_APP_ID', 'TRTC_SDK_APP_ID is not set'],
  ])('%j without %s', async (argv, variable, message) => {
    delete env[variable];
    const { status, stderr } = await cli(...argv);
    expect(status).toBe(1);
    expect(stderr).toContain(message);
  });

  it.each([
    [['kick', '--room', 'abc', 'alice'], '--room must be a number'],
    [['kick', '--room', '1', '--str-room', 'x', 'alice'], 'give the room'],
    [['kick', '--room', '8888'], 'kick needs the userIds'],
    [['kick', '--room', '0', 'alice'], 'removeUser(): a room is required'],
    [['kick', '--str-room', 'a/b', 'alice'], 'strRoomId must be 1 to 64 characters'],
    [['dismiss', '--room', '4294967295'], 'roomId must be an integer from 1 to 4294967294'],
    [['dismiss', '--room', '1', 'alice'], 'dismiss takes no userIds'],
    [['usersig'], 'usersig takes one userId'],
    [['usersig', 'alice', '--expire', 'soon'], '--expire must be a whole number'],
    [['promote', 'alice'], 'unknown command "promote"'],
    [['kick', '--rooms', '1', 'alice'], "Unknown option '--rooms'"],
    [[], 'which command?'],
  ])('%j', async (argv, message) => {
    const before = standIn.requests.length;
    const { status, stderr } = await cli(...argv);
    expect(status).toBe(1);
    expect(stderr).toContain(message);
    expect(standIn.requests.length).toBe(before);
  });

  it('--help prints the usage, exit 0', async () => {
    expect(await cli('--help')).toEqual({ status: 0, stdout: USAGE, stderr: '' });
  });
});

describe('the built command (dist/server/cli.js)', () => {
  const built = `${root}dist/server/cli.js`;
  const run = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
    new Promise<{ status: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
      const started = Date.now();
      const { PATH = '' } = process.env;
      execFile(process.execPath, args, { cwd: options.cwd ?? root, env: { PATH, ...options.env } }, (error, stdout, stderr) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr, ms: Date.now() - started }),
      );
    });

  beforeAll(() => {
    if (!existsSync(built)) throw new Error('dist/server/cli.js is missing: run `npm test` (it builds first), not vitest alone');
  });

  it('kick --json against the stand-in: the JSON answer, exit 0, and it exits at once', async () => {
    const result = await run([built, 'kick', '--room', '8888', 'alice', '--json'], { env });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ action: 'RemoveUser', requestId: expect.stringMatching(/^stand-in-\d+$/) });
    expect(result.ms).toBeLessThan(4_000);
  });

  it('an API error: exit status 2', async () => {
    standIn.answer({ kind: 'error', code: 'InvalidParameter.RoomId', message: 'bad room' });
    const result = await run([built, 'dismiss', '--room', '8888'], { env });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('InvalidParameter.RoomId');
  });

  it('without the Tencent packages installed: MISSING_DEPENDENCY with the install command, exit 1', async () => {
    // The package alone, in a project with nothing else installed.
    const project = mkdtempSync(join(tmpdir(), 'trtc-room-machine-bare-'));
    try {
      const installed = join(project, 'node_modules', 'trtc-room-machine');
      cpSync(`${root}dist`, join(installed, 'dist'), { recursive: true });
      cpSync(`${root}package.json`, join(installed, 'package.json'));
      const cli = join(installed, 'dist', 'server', 'cli.js');

      const usersig = await run([cli, 'usersig', 'alice'], { cwd: project, env });
      expect(usersig.status).toBe(1);
      expect(usersig.stderr).toBe('trtc-room-machine: userSig(): tls-sig-api-v2 is not installed; add it with `npm install tls-sig-api-v2`\n');
      const kick = await run([cli, 'kick', '--room', '8888', 'alice'], { cwd: project, env });
      expect(kick.status).toBe(1);
      expect(kick.stderr).toContain('tencentcloud-sdk-nodejs-common is not installed; add it with `npm install tencentcloud-sdk-nodejs-common`');

      // The module itself loads; so does a simulator given no SecretKey.
      const script = `
        const { createRoomServer } = await import('trtc-room-machine/server');
        const { SimulatedCloud } = await import('trtc-room-machine/simulator');
        new SimulatedCloud();
        const codes = [];
        try { new SimulatedCloud({ sdkAppId: 1, secretKey: 'k' }); } catch (error) { codes.push(error.code); }
        await createRoomServer({ sdkAppId: 1, secretId: 'i', apiSecretKey: 'k' }).dismissRoom({ roomId: 1 }).catch((error) => codes.push(error.code));
        console.log(codes.join(' '));`;
      const loaded = await run(['--input-type=module', '-e', script], { cwd: project });
      expect(loaded.stdout.trim()).toBe('MISSING_DEPENDENCY MISSING_DEPENDENCY');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe('an internal error', () => {
  it('is not reported as a usage error: exit status 70, and no help hint', async () => {
    const { runCli } = await import('../../src/server/cli.run.js');
    const out: string[] = [];
    const broken = {
      get TRTC_SDK_APP_ID(): string {
        throw new TypeError('something inside broke');
      },
    };
    const status = await runCli(['usersig', 'alice'], broken as never, { stdout: (text: string) => out.push(text), stderr: (text: string) => out.push(text) });
    expect(status).toBe(70);
    expect(out.join('')).toContain('something inside broke');
    expect(out.join('')).not.toContain('--help');
  });
});
