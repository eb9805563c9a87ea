/// <reference types="node" />
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RawData, ServerOptions, WebSocket } from 'ws';
import { RoomError } from '../errors.js';
import { answerPlainHttp, CLOSE_GRACE_MS, refusalOf, refuse, tokenChecker } from './server.admission.js';
import { invalid, resolveSettings } from './server.options.js';
import type { InspectorServerOptions } from './server.options.js';

export type { InspectorServerOptions } from './server.options.js';

export interface InspectorServer {
  /**
   * ws://127.0.0.1:PORT/?token=…, or ws://[::1]:PORT/?token=…: what to give createWebSocketInspector
   * and createWebSocketReceiver. Without the token the server refuses the connection.
   */
  readonly url: string;
  readonly port: number;
  /** The address listened on. */
  readonly host: string;
  /** The secret in `url`, for a client that builds its own URL (`?token=`). */
  readonly token: string;
  /** Connected clients, senders and viewers alike. */
  readonly clientCount: number;
  /**
   * Sends `message` as JSON to every client (and keeps it for replay): a Node app can feed viewers
   * without a WebSocket of its own. Throws `RoomError` `INVALID_PARAMETER` (field 'message') when
   * the message is not a JSON value (undefined, a function, a BigInt, a cycle, a throwing `toJSON`)
   * or its JSON is over `maxMessageBytes`. Does nothing once `close` was called.
   */
  send(message: unknown): void;
  /** Closes every connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

const CloseCode = { goingAway: 1001, unsupportedData: 1003, invalidPayload: 1007, policyViolation: 1008 } as const;

type WsModule = typeof import('ws');

async function loadWs(): Promise<WsModule> {
  try {
    return await import('ws');
  } catch (cause) {
    throw new RoomError('MISSING_DEPENDENCY', 'startInspectorServer(): ws is not installed; add it with `npm install --save-dev ws`', {
      cause,
    });
  }
}

function jsonOf(message: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(message);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw invalid('message', `Inspector server send() could not turn the message into JSON: ${why}`, cause);
  }
  if (text === undefined) throw invalid('message', `Inspector server send() needs a JSON value; got ${typeof message}.`);
  return text;
}

/**
 * Receivers parse every message as JSON, unguarded: @statelyai/inspect's createWebSocketReceiver
 * throws out of its socket handler (an uncaught exception in Node) on anything else. So only JSON
 * is relayed. ws has already refused text that is not UTF-8 (1007).
 */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const bufferOf = (data: RawData): Buffer =>
  Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

/**
 * `message` itself if it fills its memory, else a copy that does: ws may hand over a slice of a
 * larger chunk read from the socket, and the replay must not keep that whole chunk alive.
 */
function ownBytes(message: Buffer): Buffer {
  if (message.byteOffset === 0 && message.byteLength === message.buffer.byteLength) return message;
  const copy = Buffer.allocUnsafeSlow(message.length);
  message.copy(copy);
  return copy;
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
 * takes any web page as a client: this one takes only clients that know its token (in `url`).
 */
export async function startInspectorServer(options: InspectorServerOptions = {}): Promise<InspectorServer> {
  const settings = resolveSettings(options);
  const { WebSocketServer } = await loadWs();
  const hasToken = tokenChecker(settings.token);
  /** Every connection not yet closed, open or closing: what maxClients counts. */
  const clients = new Set<WebSocket>();
  /** The latest messages, oldest first, each sent as is to every client that joins. */
  const history: Buffer[] = [];
  let historyBytes = 0;
  let closing: Promise<void> | undefined;

  const wsOptions: ServerOptions & { closeTimeout: number } = {
    noServer: true,
    // A frame declaring more is refused (1009) from its header alone, so an unfinished message
    // never holds more than this: maxClients × maxMessageBytes in all.
    maxPayload: settings.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
    // How long a peer that closed, or was closed, has to hang up.
    closeTimeout: CLOSE_GRACE_MS,
  };
  const wss = new WebSocketServer(wsOptions);

  /** Closes `client` with `code`, and destroys its socket if it has not gone within the grace period. */
  // Clients being hung up: a second hang-up (a flood of bad frames) adds no timer or listener.
  const hangingUp = new WeakSet<WebSocket>();
  const hangUp = (client: WebSocket, code?: number, reason?: string): void => {
    if (hangingUp.has(client)) return;
    hangingUp.add(client);
    if (code !== undefined) client.close(code, reason);
    const cutOff = setTimeout(() => client.terminate(), CLOSE_GRACE_MS).unref();
    client.once('close', () => clearTimeout(cutOff)); // or the timer would keep what the client holds for a second
  };

  /**
   * Sends to an open client, and closes the client when more than maxBufferedBytes are now waiting
   * for it: it is not reading, and everything sent to it would pile up in this process.
   */
  const deliver = (client: WebSocket, message: Buffer): void => {
    client.send(message, { binary: false });
    if (client.bufferedAmount > settings.maxBufferedBytes) {
      hangUp(client, CloseCode.policyViolation, 'Not reading: more than maxBufferedBytes waiting.');
    }
  };

  const remember = (message: Buffer): void => {
    if (settings.replay === 0 || message.length > settings.maxReplayBytes) return;
    history.push(ownBytes(message));
    historyBytes += message.length;
    while (history.length > settings.replay || historyBytes > settings.maxReplayBytes) {
      historyBytes -= history.shift()?.length ?? 0;
    }
  };

  /** Sends `message` (JSON, as UTF-8) to every open client but `from`, and keeps it for replay. */
  const broadcast = (message: Buffer, from?: WebSocket): void => {
    remember(message);
    for (const client of clients) if (client !== from && client.readyState === client.OPEN) deliver(client, message);
  };

  const onMessage = (client: WebSocket, data: RawData, isBinary: boolean): void => {
    // ws still hands over what arrives while the client is closing: a client being closed relays nothing.
    if (client.readyState !== client.OPEN) return;
    if (isBinary) return hangUp(client, CloseCode.unsupportedData, 'Only JSON text messages are relayed.');
    const message = bufferOf(data);
    if (!isJson(message.toString('utf8'))) return hangUp(client, CloseCode.invalidPayload, 'Only JSON text messages are relayed.');
    broadcast(message, client);
  };

  const accept = (client: WebSocket): void => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    // ws has already closed it (1002, 1007, 1009): a second to hang up, then the socket is destroyed.
    client.on('error', () => hangUp(client));
    // At most maxReplayBytes (itself at most maxBufferedBytes): the replay alone never overflows a client.
    for (const message of history) client.send(message, { binary: false });
    client.on('message', (data, isBinary) => onMessage(client, data, isBinary));
  };

  const server = createServer(answerPlainHttp);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined); // a reset peer; 'close' follows and cleans up
    if (closing !== undefined) return socket.destroy();
    const refusal = refusalOf(request, settings, hasToken, clients.size);
    if (refusal !== undefined) return refuse(socket, refusal);
    wss.handleUpgrade(request, socket, head, accept);
  });
  await listen(server, settings.port, settings.host);
  const { port } = server.address() as AddressInfo;

  const shutdown = (): Promise<void> =>
    new Promise((resolve) => {
      for (const client of clients) hangUp(client, CloseCode.goingAway);
      wss.close();
      server.close(() => resolve());
    });

  const hostInUrl = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    url: `ws://${hostInUrl}:${port}/?token=${settings.token}`,
    port,
    host: settings.host,
    token: settings.token,
    get clientCount() {
      let count = 0;
      for (const client of clients) if (client.readyState === client.OPEN) count += 1;
      return count;
    },
    send(message) {
      if (closing !== undefined) return;
      const text = jsonOf(message);
      const bytes = Buffer.byteLength(text);
      if (bytes > settings.maxMessageBytes) {
        throw invalid(
          'message',
          `Inspector server send() got a message of ${bytes} bytes as JSON; maxMessageBytes is ${settings.maxMessageBytes}.`,
        );
      }
      broadcast(Buffer.from(text, 'utf8'));
    },
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}
