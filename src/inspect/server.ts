/// <reference types="node" />
import { isUtf8 } from 'node:buffer';
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { RoomError } from '../errors.js';
import {
  CloseCode,
  closeCodeOf,
  encodeClose,
  encodeFrame,
  encodePong,
  encodeText,
  handshakeResponse,
  isControlOpcode,
  MAX_CONTROL_PAYLOAD_BYTES,
  Opcode,
  parseFrames,
} from './websocket.js';
import type { ClientFrame } from './websocket.js';

export interface InspectorServerOptions {
  /**
   * Default 8080: @statelyai/inspect's `createWebSocketInspector` and `createWebSocketReceiver`
   * connect to ws://localhost:8080 unless given a URL. 0 picks any free port.
   */
  port?: number;
  /**
   * The loopback address to listen on: any 127.x.x.x, '::1' or 'localhost' (which binds 127.0.0.1,
   * whatever the hosts file says). Default '127.0.0.1'. Anything else is refused.
   */
  host?: string;
  /**
   * Browser origins allowed to connect, exactly as browsers send them ('http://localhost:5173').
   * Given, it is the whole list; by default only pages on localhost, 127.0.0.1 and [::1] may.
   * Clients that send no Origin (Node, Electron's main process) are always accepted.
   */
  allowedOrigins?: readonly string[];
  /** How many of the latest messages each new client is sent first, so a late viewer sees the start. Default 200; 0 keeps none. */
  replay?: number;
  /**
   * The most bytes (of messages, as UTF-8) the replay keeps: the oldest messages are dropped while
   * the kept ones total more, and a message bigger than this is relayed but not kept. Default 4 MiB;
   * 0 keeps none. Never more than `maxBufferedBytes` is kept, so a new viewer's replay always fits.
   */
  maxReplayBytes?: number;
  /**
   * The largest message accepted; a bigger one closes its sender's connection with 1009, and
   * `send()` refuses one whose JSON is bigger. Default 1 MiB.
   */
  maxMessageBytes?: number;
  /**
   * The most bytes waiting to be sent to one client: a client that does not read fast enough (a
   * paused tab, a stuck viewer) and lets more pile up is closed with 1008, and cut off if it does
   * not go, so it can never make this process hold messages without limit. Default 8 MiB.
   */
  maxBufferedBytes?: number;
}

export interface InspectorServer {
  /** ws://127.0.0.1:PORT, or ws://[::1]:PORT: what to give createWebSocketInspector and createWebSocketReceiver. */
  readonly url: string;
  readonly port: number;
  /** The address listened on. */
  readonly host: string;
  /** Connected clients, senders and viewers alike. */
  readonly clientCount: number;
  /**
   * Sends `message` as JSON to every client (and keeps it for replay): a Node app can feed viewers
   * without a WebSocket of its own. Throws `RoomError` `INVALID_PARAMETER` (field 'message') when
   * the message is not a JSON value or its JSON is over `maxMessageBytes`. Does nothing once
   * `close` was called.
   */
  send(message: unknown): void;
  /** Closes every connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

interface Settings {
  port: number;
  host: string;
  allowedOrigins: readonly string[] | undefined;
  replay: number;
  /** Already capped at `maxBufferedBytes`. */
  maxReplayBytes: number;
  maxMessageBytes: number;
  maxBufferedBytes: number;
}

interface Client {
  socket: Socket;
  /** Until a close frame is sent or received, or the socket ends. */
  open: boolean;
}

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_REPLAY = 200;
const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
const DEFAULT_MAX_REPLAY_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const LOOPBACK_ORIGIN_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** How long a peer has to close its side after we closed ours, before its socket is destroyed. */
const CLOSE_GRACE_MS = 1000;
const PLAIN_HTTP_BODY =
  'This is a WebSocket endpoint for XState inspection events (trtc-room-machine inspector server).\n' +
  'Connect a WebSocket client to it, such as createWebSocketReceiver from @statelyai/inspect.\n';
const EMPTY = Buffer.alloc(0);
const HANDLED_OPCODES = new Set<number>([Opcode.text, Opcode.close, Opcode.ping, Opcode.pong]);

const invalid = (field: string, message: string) => new RoomError('INVALID_PARAMETER', message, { field });

function checkInteger(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `Inspector server ${field} must be an integer from ${min} to ${max}; got ${String(value)}.`);
  }
  return value;
}

/** The address to bind for a loopback `host`, or undefined when `host` is not loopback. */
function loopbackAddress(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return '127.0.0.1';
  if (isIP(bare) === 4 && bare.startsWith('127.')) return bare;
  if (bare === '::1') return '::1';
  return undefined;
}

function checkHost(host: string): string {
  const address = typeof host === 'string' ? loopbackAddress(host) : undefined;
  if (address !== undefined) return address;
  throw invalid(
    'host',
    `Inspector server host ${JSON.stringify(host)} is not a loopback address: inspection events describe the ` +
      "user's session and must stay on this machine. Use 127.0.0.1 (the default), another 127.x.x.x, ::1 or localhost.",
  );
}

function checkOrigins(origins: readonly string[] | undefined): readonly string[] | undefined {
  if (origins === undefined) return undefined;
  if (!Array.isArray(origins)) throw invalid('allowedOrigins', 'Inspector server allowedOrigins must be an array of origins.');
  for (const origin of origins) {
    if (originOf(origin) !== origin) {
      throw invalid(
        'allowedOrigins',
        `Inspector server allowedOrigins entry ${JSON.stringify(origin)} is not an origin as browsers send it ` +
          "(scheme://host[:port], no path or trailing slash, such as 'http://localhost:5173').",
      );
    }
  }
  return [...origins];
}

function originOf(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
}

function resolveSettings(options: InspectorServerOptions): Settings {
  const maxReplayBytes = checkInteger('maxReplayBytes', options.maxReplayBytes ?? DEFAULT_MAX_REPLAY_BYTES, 0, Number.MAX_SAFE_INTEGER);
  const maxBufferedBytes = checkInteger(
    'maxBufferedBytes',
    options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    0,
    Number.MAX_SAFE_INTEGER,
  );
  return {
    port: checkInteger('port', options.port ?? DEFAULT_PORT, 0, 65535),
    host: checkHost(options.host ?? DEFAULT_HOST),
    allowedOrigins: checkOrigins(options.allowedOrigins),
    replay: checkInteger('replay', options.replay ?? DEFAULT_REPLAY, 0, Number.MAX_SAFE_INTEGER),
    maxReplayBytes: Math.min(maxReplayBytes, maxBufferedBytes),
    maxMessageBytes: checkInteger('maxMessageBytes', options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES, 0, Number.MAX_SAFE_INTEGER),
    maxBufferedBytes,
  };
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

interface Refusal {
  status: number;
  reason: string;
}

function refusalOf(request: IncomingMessage, allowedOrigins: readonly string[] | undefined): Refusal | undefined {
  const { origin, upgrade } = request.headers;
  if (!originAllowed(origin, allowedOrigins)) {
    return { status: 403, reason: `Origin ${origin ?? ''} may not read inspection events (see allowedOrigins).` };
  }
  if (upgrade?.toLowerCase() !== 'websocket') return { status: 400, reason: 'Only WebSocket upgrades are served.' };
  if (request.headers['sec-websocket-version'] !== '13') return { status: 400, reason: 'Only WebSocket version 13 is served.' };
  const key = request.headers['sec-websocket-key'];
  if (key === undefined || Buffer.from(key, 'base64').length !== 16) return { status: 400, reason: 'Missing or invalid Sec-WebSocket-Key.' };
  return undefined;
}

/** Sends the last bytes and half-closes; a peer that never closes its side is cut off after a grace period. */
function hangUp(socket: Socket, lastBytes: Buffer | string): void {
  socket.end(lastBytes);
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}

function refuse(socket: Socket, { status, reason }: Refusal): void {
  socket.resume(); // read (and drop) anything more, so the peer's end is seen and the socket closes
  const body = `${reason}\n`;
  hangUp(
    socket,
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nSec-WebSocket-Version: 13\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function answerPlainHttp(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
  response.end(PLAIN_HTTP_BODY);
}

/** The close code a frame calls for before it is acted on, if it is one this relay does not take. */
function frameProblem(frame: ClientFrame): number | undefined {
  if (!frame.masked || frame.rsv !== 0) return CloseCode.protocolError;
  // RFC 6455 5.5: control frames carry at most 125 bytes and are never fragmented.
  if (isControlOpcode(frame.opcode) && (!frame.fin || frame.payload.length > MAX_CONTROL_PAYLOAD_BYTES)) {
    return CloseCode.protocolError;
  }
  if (!frame.fin || frame.opcode === Opcode.continuation || frame.opcode === Opcode.binary) return CloseCode.unsupportedData;
  return HANDLED_OPCODES.has(frame.opcode) ? undefined : CloseCode.protocolError;
}

/**
 * Receivers parse every message as JSON, unguarded: @statelyai/inspect's createWebSocketReceiver
 * throws out of its socket handler (an uncaught exception in Node) on anything else. So only JSON is relayed.
 */
function isJsonText(payload: Buffer): boolean {
  if (!isUtf8(payload)) return false;
  try {
    JSON.parse(payload.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts a WebSocket relay for XState inspection on a loopback address: every text message a
 * client sends goes to every other client, and the latest are replayed to each new one. A safe
 * stand-in for @statelyai/inspect's `createInspectorServer`, which listens on every interface and
 * takes any web page as a client.
 */
export async function startInspectorServer(options: InspectorServerOptions = {}): Promise<InspectorServer> {
  const settings = resolveSettings(options);
  const clients = new Set<Client>();
  /** The latest messages, oldest first, with their sizes (message bytes, as counted by maxReplayBytes). */
  const history: Array<{ frame: Buffer; bytes: number }> = [];
  let historyBytes = 0;
  let closing: Promise<void> | undefined;

  const closeClient = (client: Client, code: number | undefined): void => {
    client.open = false;
    hangUp(client.socket, encodeClose(code));
  };

  /**
   * Writes a frame to an open client, and closes the client when more than maxBufferedBytes are now
   * waiting for it: it is not reading, and everything sent to it would pile up in this process.
   */
  const deliver = (client: Client, frame: Buffer): void => {
    client.socket.write(frame);
    if (client.socket.writableLength > settings.maxBufferedBytes) closeClient(client, CloseCode.policyViolation);
  };

  const remember = (frame: Buffer, bytes: number): void => {
    if (settings.replay === 0 || bytes > settings.maxReplayBytes) return;
    history.push({ frame, bytes });
    historyBytes += bytes;
    while (history.length > settings.replay || historyBytes > settings.maxReplayBytes) {
      historyBytes -= history.shift()?.bytes ?? 0;
    }
  };

  /** Sends a text frame carrying `bytes` message bytes to every open client but `from`, and keeps it for replay. */
  const broadcast = (frame: Buffer, bytes: number, from?: Client): void => {
    remember(frame, bytes);
    for (const client of clients) if (client !== from && client.open) deliver(client, frame);
  };

  const handleFrame = (client: Client, frame: ClientFrame): void => {
    const problem = frameProblem(frame);
    if (problem !== undefined) return closeClient(client, problem);
    if (frame.opcode === Opcode.ping) deliver(client, encodePong(frame.payload));
    else if (frame.opcode === Opcode.close) closeClient(client, closeCodeOf(frame.payload));
    else if (frame.opcode === Opcode.text) {
      if (!isJsonText(frame.payload)) return closeClient(client, CloseCode.invalidPayload);
      broadcast(encodeFrame(frame.payload, Opcode.text), frame.payload.length, client);
    }
  };

  /** Acts on the complete frames in `buffer`; returns the bytes to keep for the next chunk. */
  const handleData = (client: Client, buffer: Buffer): Buffer => {
    const { frames, rest, oversized, controlTooLong } = parseFrames(buffer, settings.maxMessageBytes);
    for (const frame of frames) if (client.open) handleFrame(client, frame);
    if (controlTooLong && client.open) closeClient(client, CloseCode.protocolError);
    if (oversized && client.open) closeClient(client, CloseCode.messageTooBig);
    return client.open ? rest : EMPTY;
  };

  const accept = (socket: Socket, key: string, head: Buffer): void => {
    const client: Client = { socket, open: true };
    clients.add(client);
    socket.on('close', () => clients.delete(client));
    socket.on('end', () => {
      client.open = false;
      socket.end();
    });
    socket.write(handshakeResponse(key));
    // At most maxReplayBytes (itself at most maxBufferedBytes): the replay alone never overflows a client.
    for (const { frame } of history) socket.write(frame);
    let pending = handleData(client, head);
    socket.on('data', (chunk: Buffer) => {
      if (client.open) pending = handleData(client, Buffer.concat([pending, chunk]));
    });
  };

  const server = createServer(answerPlainHttp);
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => undefined); // a reset peer; 'close' follows and cleans up
    if (closing !== undefined) return socket.destroy();
    const refusal = refusalOf(request, settings.allowedOrigins);
    if (refusal !== undefined) return refuse(socket, refusal);
    accept(socket, String(request.headers['sec-websocket-key']), head);
  });
  await listen(server, settings.port, settings.host);
  const { port } = server.address() as AddressInfo;

  const shutdown = (): Promise<void> =>
    new Promise((resolve) => {
      for (const client of clients) if (client.open) closeClient(client, CloseCode.goingAway);
      server.close(() => resolve());
    });

  return {
    url: `ws://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`,
    port,
    host: settings.host,
    get clientCount() {
      let count = 0;
      for (const client of clients) if (client.open) count += 1;
      return count;
    },
    send(message) {
      if (closing !== undefined) return;
      const text: string | undefined = JSON.stringify(message);
      if (text === undefined) throw invalid('message', `Inspector server send() needs a JSON value; got ${typeof message}.`);
      const bytes = Buffer.byteLength(text);
      if (bytes > settings.maxMessageBytes) {
        throw invalid(
          'message',
          `Inspector server send() got a message of ${bytes} bytes as JSON; maxMessageBytes is ${settings.maxMessageBytes}.`,
        );
      }
      broadcast(encodeText(text), bytes);
    },
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}
