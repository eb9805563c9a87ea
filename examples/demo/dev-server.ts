/// <reference types="node" />
// Real mode's server side, inside `npm start`'s dev server: signs userSigs and calls RemoveUser and
// DismissRoom with createRoomServer(). The secrets stay in this Node process; the page gets
// userSigs and the API's answers, never a key. A dev tool: it gives a userSig to whoever asks,
// which is fine on localhost and never in production, where your server decides who may have one.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadEnv } from 'vite';
import type { Connect, Plugin } from 'vite';
import { isRoomError } from '../../src/server/index.js';
import type { DismissRoomParams, RemoveUserParams, RoomServer } from '../../src/server/index.js';
import type { ApiAnswer, Availability, DevErrorBody, UserSigAnswer } from './dev-api.types.js';
import { describeSetup, ENV_PREFIXES, setUpDevServer } from './dev-server.env.js';
import type { DevEnv, DevSetup } from './dev-server.env.js';

const MAX_BODY_BYTES = 16 * 1024;

type ErrorFields = DevErrorBody['error'];

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly fields: ErrorFields,
  ) {
    super(fields.message);
  }
}

const STATUS_OF: Record<string, number> = { INVALID_PARAMETER: 400, SERVER_API_FAILED: 502, SERVER_TIMEOUT: 504 };

function needs(server: RoomServer | undefined, availability: Availability, what: string): RoomServer {
  if (server && availability.ready) return server;
  const missing = availability.ready ? [] : availability.missing;
  const reason = availability.ready ? 'not set up' : availability.reason;
  throw new Refusal(503, { code: 'NOT_CONFIGURED', message: `${what}: ${reason} in the dev server's environment (examples/demo/.env.local)`, missing });
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * Only this page may ask: a page on another site could otherwise make the developer's browser
 * kick users with the developer's API key. Its POSTs need a CORS preflight (JSON), and Fetch
 * Metadata and Origin tell a cross-site request apart.
 */
function refuseOtherSites(request: IncomingMessage): void {
  const site = request.headers['sec-fetch-site'];
  const { origin } = request.headers;
  if ((site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && hostOf(origin) !== request.headers.host)) {
    throw new Refusal(403, { code: 'FORBIDDEN', message: 'the dev server answers its own page only' });
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) {
    throw new Refusal(415, { code: 'BAD_REQUEST', message: 'send the parameters as application/json' });
  }
  let body = '';
  request.setEncoding('utf8');
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > MAX_BODY_BYTES) throw new Refusal(413, { code: 'BAD_REQUEST', message: 'the body is too large' });
  }
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Answered below.
  }
  throw new Refusal(400, { code: 'BAD_REQUEST', message: 'the body must be a JSON object' });
}

/** The room fields only: `{ roomId }` or `{ strRoomId }`, checked by the server module. */
const roomOf = ({ roomId, strRoomId }: Record<string, unknown>) => ({ roomId, strRoomId }) as DismissRoomParams;

async function route(setup: DevSetup, request: IncomingMessage, url: URL): Promise<unknown> {
  refuseOtherSites(request);
  const { config } = setup;
  switch (`${request.method ?? ''} ${url.pathname}`) {
    case 'GET /api/config':
      return config;
    case 'GET /api/usersig': {
      const signer = needs(setup.signer, config.userSig, 'userSigs');
      const userId = url.searchParams.get('userId') ?? '';
      return { userId, sdkAppId: config.sdkAppId ?? 0, userSig: signer.userSig(userId) } satisfies UserSigAnswer;
    }
    case 'POST /api/remove-user': {
      const api = needs(setup.api, config.api, 'RemoveUser');
      const body = await readJson(request);
      const room = roomOf(body);
      const { requestId } = await api.removeUser({ ...room, userIds: body.userIds } as RemoveUserParams);
      return { action: room.roomId !== undefined ? 'RemoveUser' : 'RemoveUserByStrRoomId', requestId } satisfies ApiAnswer;
    }
    case 'POST /api/dismiss-room': {
      const api = needs(setup.api, config.api, 'DismissRoom');
      const room = roomOf(await readJson(request));
      const { requestId } = await api.dismissRoom(room);
      return { action: room.roomId !== undefined ? 'DismissRoom' : 'DismissRoomByStrRoomId', requestId } satisfies ApiAnswer;
    }
    default:
      throw new Refusal(404, { code: 'NOT_FOUND', message: `no ${request.method ?? ''} ${url.pathname} here: GET /api/config, GET /api/usersig, POST /api/remove-user, POST /api/dismiss-room` });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** Errors as the page reads them: a RoomError's own JSON (the server module keeps secrets out of it). */
function failure(error: unknown): { status: number; body: DevErrorBody } {
  if (error instanceof Refusal) return { status: error.status, body: { error: error.fields } };
  if (isRoomError(error)) return { status: STATUS_OF[error.code] ?? 500, body: { error: error.toJSON() } };
  console.error('[dev server]', error);
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'the dev server failed: see its terminal' } } };
}

/** The `/api/*` middleware over an environment; anything else goes on to Vite. */
export function createDevApi(env: DevEnv): { handle: Connect.NextHandleFunction; summary: string } {
  const setup = setUpDevServer(env);
  const handle: Connect.NextHandleFunction = (request, response, next) => {
    const url = new URL(request.url ?? '/', 'http://dev-server');
    if (!url.pathname.startsWith('/api/')) return next();
    route(setup, request, url).then(
      (body) => send(response, 200, body),
      (error: unknown) => {
        const { status, body } = failure(error);
        send(response, status, body);
      },
    );
  };
  return { handle, summary: describeSetup(setup) };
}

/** The Vite plugin: reads `.env`, `.env.local`, … in Vite's envDir (the demo's folder) at start-up. */
export function trtcDevServer(): Plugin {
  let api: ReturnType<typeof createDevApi> | undefined;
  const mount = (server: { middlewares: Connect.Server; config: { logger: { info(message: string): void } } }) => {
    if (!api) return;
    server.middlewares.use(api.handle);
    server.config.logger.info(`  ${api.summary}`);
  };
  return {
    name: 'trtc-room-machine-demo-api',
    configResolved(config) {
      api = createDevApi(loadEnv(config.mode, config.envDir, ENV_PREFIXES));
    },
    configureServer: mount,
    configurePreviewServer: mount,
  };
}
