/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { RoomError } from '../errors.js';

export interface InspectorServerOptions {
  /**
   * Default 8080, where @statelyai/inspect's clients look by default (they still need `server.url`,
   * which carries the token). 0 picks any free port.
   */
  port?: number;
  /**
   * The loopback address to listen on: any 127.x.x.x, '::1' or 'localhost' (which binds 127.0.0.1,
   * whatever the hosts file says). Default '127.0.0.1'. Anything else is refused.
   */
  host?: string;
  /**
   * The secret every client must give as `?token=` in the URL; a connection without it, or with
   * another, is refused with HTTP 401. Default: 256 random bits, new for each server. Set one only
   * to keep the URL stable across restarts: at least 16 characters from A-Z a-z 0-9 - . _ ~
   * (URL-safe as it is), at most 512.
   */
  token?: string;
  /**
   * Browser origins allowed to connect, exactly as browsers send them ('http://localhost:5173').
   * Given, it is the whole list; by default only pages on localhost, 127.0.0.1 and [::1] may.
   * Clients that send no Origin (Node, Electron's main process) are always accepted.
   */
  allowedOrigins?: readonly string[];
  /**
   * The most connections held at once (open or closing); the next is refused with HTTP 503.
   * Default 16; from 1 to 1000.
   */
  maxClients?: number;
  /** How many of the latest messages each new client is sent first, so a late viewer sees the start. Default 200; 0 keeps none. */
  replay?: number;
  /**
   * The most bytes (of messages, as UTF-8) the replay keeps: the oldest messages are dropped while
   * the kept ones total more, and a message bigger than this is relayed but not kept. Default 4 MiB;
   * 0 keeps none. Never more than `maxBufferedBytes` is kept, so a new viewer's replay always fits.
   */
  maxReplayBytes?: number;
  /**
   * The largest message accepted, at least 1: a frame declaring more closes its sender's
   * connection with 1009 as soon as its header is in, so no client makes this process hold more
   * than this of an unfinished message. `send()` refuses a message whose JSON is bigger. Default 1 MiB.
   */
  maxMessageBytes?: number;
  /**
   * The most bytes waiting to be sent to one client: a client that does not read fast enough (a
   * paused tab, a stuck viewer) and lets more pile up is closed with 1008, and cut off if it does
   * not go, so it can never make this process hold messages without limit. Default 8 MiB.
   */
  maxBufferedBytes?: number;
}

export interface Settings {
  port: number;
  host: string;
  token: string;
  allowedOrigins: readonly string[] | undefined;
  maxClients: number;
  replay: number;
  /** Already capped at `maxBufferedBytes`. */
  maxReplayBytes: number;
  maxMessageBytes: number;
  maxBufferedBytes: number;
}

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_MAX_CLIENTS = 16;
const MAX_CLIENTS_LIMIT = 1000;
const DEFAULT_REPLAY = 200;
const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
const DEFAULT_MAX_REPLAY_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const TOKEN_BYTES = 32;
/** RFC 3986 unreserved characters: a token made of them goes into a URL unescaped. */
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,512}$/;

export const invalid = (field: string, message: string, cause?: unknown) =>
  new RoomError('INVALID_PARAMETER', message, cause === undefined ? { field } : { field, cause });

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

function checkToken(token: string | undefined): string {
  if (token === undefined) return randomBytes(TOKEN_BYTES).toString('base64url');
  if (typeof token === 'string' && TOKEN_PATTERN.test(token)) return token;
  throw invalid(
    'token',
    'Inspector server token must be 16 to 512 characters from A-Z a-z 0-9 - . _ ~ ' +
      '(leave it out for a random one, which is what you want unless the URL must stay the same).',
  );
}

export function originOf(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
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

export function resolveSettings(options: InspectorServerOptions): Settings {
  const unlimited = Number.MAX_SAFE_INTEGER;
  const maxReplayBytes = checkInteger('maxReplayBytes', options.maxReplayBytes ?? DEFAULT_MAX_REPLAY_BYTES, 0, unlimited);
  const maxBufferedBytes = checkInteger('maxBufferedBytes', options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES, 0, unlimited);
  return {
    port: checkInteger('port', options.port ?? DEFAULT_PORT, 0, 65535),
    host: checkHost(options.host ?? DEFAULT_HOST),
    token: checkToken(options.token),
    allowedOrigins: checkOrigins(options.allowedOrigins),
    maxClients: checkInteger('maxClients', options.maxClients ?? DEFAULT_MAX_CLIENTS, 1, MAX_CLIENTS_LIMIT),
    replay: checkInteger('replay', options.replay ?? DEFAULT_REPLAY, 0, unlimited),
    maxReplayBytes: Math.min(maxReplayBytes, maxBufferedBytes),
    // At least 1: ws reads a maxPayload of 0 as no limit.
    maxMessageBytes: checkInteger('maxMessageBytes', options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES, 1, unlimited),
    maxBufferedBytes,
  };
}
