/// <reference types="node" />
import { parseArgs } from 'node:util';
import { isRoomError } from '../errors.js';
import { isRoomServerError } from './room-server.errors.js';
import type { ServerAction } from './room-server.errors.js';
import { createRoomServer } from './room-server.js';
import type { RoomServerOptions } from './room-server.js';
import { ROOM_SERVER_ENV, roomServerOptionsFromEnv } from './room-server.env.js';
import type { RoomServerEnv, RoomServerUse } from './room-server.env.js';
import type { RoomRef, RoomServer } from './room-server.types.js';

export const USAGE = `Usage: trtc-room-machine <command> [--json]

  usersig <userId> [--expire <seconds>]                print a userSig for userId
  kick (--room <id> | --str-room <id>) <userId>...     RemoveUser: those users leave the room ('banned')
  dismiss (--room <id> | --str-room <id>)              DismissRoom: everyone leaves the room ('room_disband')

  --json            print the answer (or the error) as JSON on stdout
  --timeout <ms>    bound of an API call (default 10000)

Environment:
  TRTC_SDK_APP_ID          the application's SDKAppID (TRTC console)
  TRTC_SECRET_KEY          the application's SDK SecretKey: signs userSigs (usersig)
  TENCENTCLOUD_SECRET_ID   a Tencent Cloud API key pair (CAM console): signs API calls (kick, dismiss)
  TENCENTCLOUD_SECRET_KEY
  TRTC_REGION              default ap-guangzhou
  TRTC_API_ENDPOINT        default trtc.tencentcloudapi.com

Exit status: 0 done, 1 bad arguments or set-up, 2 the API failed or did not answer.
`;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export type CliEnv = RoomServerEnv;

/** Bad arguments or environment: exit status 1. */
class UsageError extends Error {}

/** 70: EX_SOFTWARE of sysexits.h, an internal error. */
const EXIT = { ok: 0, usage: 1, api: 2, internal: 70 } as const;

function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number (got ${JSON.stringify(value)})`);
  return Number(value);
}

function roomOf(values: { room?: string | undefined; 'str-room'?: string | undefined }): RoomRef {
  const { room, 'str-room': strRoom } = values;
  if ((room === undefined) === (strRoom === undefined)) throw new UsageError('give the room: --room <number> or --str-room <string> (one of them)');
  if (room !== undefined) {
    if (!/^\d+$/.test(room)) throw new UsageError(`--room must be a number; for a string room id use --str-room (got ${JSON.stringify(room)})`);
    return { roomId: Number(room) };
  }
  return { strRoomId: strRoom ?? '' };
}

function serverOptions(env: CliEnv, use: RoomServerUse, timeoutMs: number | undefined): RoomServerOptions {
  const reading = roomServerOptionsFromEnv(env, use);
  if (!reading.ready) {
    const what = reading.missing.map((variable) => `\n  ${variable}: ${Object.values(ROOM_SERVER_ENV).find((entry) => entry.variable === variable)?.what ?? ''}`);
    throw new UsageError(`${reading.reason}${what.join('')}`);
  }
  return timeoutMs === undefined ? reading.options : { ...reading.options, timeoutMs };
}

async function run(argv: readonly string[], env: CliEnv, io: CliIo, json: boolean): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      room: { type: 'string' },
      'str-room': { type: 'string' },
      expire: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') return io.stdout(USAGE);
  const timeoutMs = wholeNumber('--timeout', values.timeout);
  const print = (answer: Record<string, unknown>, line: string) => io.stdout(json ? `${JSON.stringify(answer)}\n` : `${line}\n`);

  if (command === 'usersig') {
    if (rest.length !== 1) throw new UsageError('usersig takes one userId: trtc-room-machine usersig <userId>');
    const userId = rest[0] ?? '';
    const expireSeconds = wholeNumber('--expire', values.expire);
    const server: RoomServer = createRoomServer(serverOptions(env, 'userSig', timeoutMs));
    const userSig = server.userSig(userId, expireSeconds === undefined ? {} : { expireSeconds });
    return print({ userId, userSig, ...(expireSeconds === undefined ? {} : { expireSeconds }) }, userSig);
  }
  if (command === 'kick' || command === 'dismiss') {
    const room = roomOf(values);
    const where = room.roomId !== undefined ? `room ${room.roomId}` : `room ${JSON.stringify(room.strRoomId)}`;
    const byStr = room.roomId === undefined ? 'ByStrRoomId' : '';
    if (command === 'kick' && rest.length === 0) throw new UsageError('kick needs the userIds to put out of the room');
    if (command === 'dismiss' && rest.length > 0) throw new UsageError('dismiss takes no userIds: it puts everyone out of the room');
    const server = createRoomServer(serverOptions(env, 'api', timeoutMs));
    const action: ServerAction = command === 'kick' ? `RemoveUser${byStr}` : `DismissRoom${byStr}`;
    const { requestId } = command === 'kick' ? await server.removeUser({ ...room, userIds: rest }) : await server.dismissRoom(room);
    const what = command === 'kick' ? `${rest.join(', ')} put out of ${where}` : `${where} dismissed`;
    return print({ action, requestId }, `${action}: ${what} (RequestId ${requestId})`);
  }
  throw new UsageError(command === undefined ? 'which command? usersig, kick or dismiss' : `unknown command ${JSON.stringify(command)}: usersig, kick or dismiss`);
}

/**
 * The `trtc-room-machine` command (bin: dist/server/cli.js). Resolves with the exit status:
 * 0 done, 1 bad arguments or set-up (a missing variable, INVALID_PARAMETER, MISSING_DEPENDENCY), 2 the API failed,
 * 70 anything else (an internal error: a bug to report).
 */
export async function runCli(argv: readonly string[], env: CliEnv, io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    await run(argv, env, io, json);
    return EXIT.ok;
  } catch (error) {
    const usage = error instanceof UsageError || String((error as { code?: unknown } | null)?.code).startsWith('ERR_PARSE_ARGS');
    const setUp = usage || (isRoomError(error) && (error.code === 'INVALID_PARAMETER' || error.code === 'MISSING_DEPENDENCY'));
    // Anything else is not the operator's doing: said as such, not as a usage error.
    const status = isRoomServerError(error) ? EXIT.api : setUp ? EXIT.usage : EXIT.internal;
    const message = error instanceof Error ? error.message : String(error);
    if (json) {
      io.stdout(`${JSON.stringify({ error: isRoomError(error) ? error.toJSON() : { message } })}\n`);
    } else {
      io.stderr(`trtc-room-machine: ${message}\n${usage ? '\nRun `trtc-room-machine --help` for the commands.\n' : ''}`);
    }
    return status;
  }
}
