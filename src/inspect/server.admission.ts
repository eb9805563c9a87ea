/// <reference types="node" />
import { createHash, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Settings } from './server.options.js';

const LOOPBACK_ORIGIN_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** How long a peer has to close its side after we closed ours, before its socket is destroyed. */
export const CLOSE_GRACE_MS = 1000;
const PLAIN_HTTP_BODY =
  'This is a WebSocket endpoint for XState inspection events (trtc-room-machine inspector server).\n' +
  'Connect a WebSocket client to its URL, token included, such as createWebSocketReceiver from @statelyai/inspect.\n';

export interface Refusal {
  status: number;
  reason: string;
}

function originAllowed(origin: string | undefined, allowedOrigins: readonly string[] | undefined): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins !== undefined) return allowedOrigins.includes(origin);
  try {
    return LOOPBACK_ORIGIN_HOSTNAMES.has(new URL(origin).hostname);
  } catch {
    return false; // 'null' (sandboxed frames, file: pages) and anything unparseable
  }
}

function tokenOf(request: IncomingMessage): string | undefined {
  try {
    return new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
  } catch {
    return undefined;
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares digests, equal in length whatever was sent, so the time taken tells nothing of the token. */
export function tokenChecker(token: string): (request: IncomingMessage) => boolean {
  const expected = digest(token);
  return (request) => {
    const given = tokenOf(request);
    return given !== undefined && timingSafeEqual(digest(given), expected);
  };
}

/**
 * Why an upgrade request is refused before any WebSocket exists, if it is: a foreign page (403)
 * learns nothing of the token; a right token past the client cap gets 503. The handshake itself
 * (version, key) is ws's to check.
 */
export function refusalOf(
  request: IncomingMessage,
  settings: Settings,
  hasToken: (request: IncomingMessage) => boolean,
  heldConnections: number,
): Refusal | undefined {
  const { origin } = request.headers;
  if (!originAllowed(origin, settings.allowedOrigins)) {
    return { status: 403, reason: `Origin ${origin ?? ''} may not read inspection events (see allowedOrigins).` };
  }
  if (!hasToken(request)) {
    return { status: 401, reason: 'Missing or wrong token: connect to the server.url that startInspectorServer() gave, ?token= included.' };
  }
  if (heldConnections >= settings.maxClients) {
    return { status: 503, reason: `Already ${settings.maxClients} connections (maxClients); try again once one has gone.` };
  }
  return undefined;
}

/** Answers with the refusal and hangs up; a peer that never closes its side is cut off after a grace period. */
export function refuse(socket: Duplex, { status, reason }: Refusal): void {
  socket.resume(); // read (and drop) anything more, so the peer's end is seen and the socket closes
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}

export function answerPlainHttp(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
  response.end(PLAIN_HTTP_BODY);
}
