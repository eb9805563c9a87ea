import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';

// The frames below are what trtc-sdk-v5 5.17.1 expects (docs/sdk-facts.md, "Signalling on
// loopback" and "Retiring an instance"). A reply is matched to its request by the request's
// top-level `seq`; the reply's `code` is read at the top level too (0 is success).

/** The reply to `join/v2` that lets the SDK into the room. */
export const JOINED = { cmd: 20, code: 0, data: { publishers: [] } };
/** A reply to `join/v2` refusing it with the server's `code` (enterRoom rejects 5400/extraCode = code). */
export const joinRefused = (code = -100018) => ({ cmd: 20, code, message: 'refused by the stub', data: {} });
/** The server ending the session: `kicked-out` with this reason. */
export const kickFrame = (reason: string) => ({ cmd: 9, code: 0, data: { reason } });
/** The reply to `reconnect` (cmd 514); a non-zero code makes the SDK rejoin with a `join/v2`. */
export const reconnected = (seq: unknown, code = 0) => ({ cmd: 514, code, seq });
/** The reply to `change_role` (cmd 4110); a non-zero code rejects switchRole 5400. */
export const roleChanged = (seq: unknown, code = 0) => ({ cmd: 4110, code, seq });
/**
 * Sent for every `quality_report`. The SDK counts any frame from the server as a sign of life (its
 * link is "online" while the last frame is under 12 s old); a `cmd` it does not know is ignored.
 */
export const alive = (seq: unknown) => ({ cmd: 'quality_report_res', code: 0, seq });

export type StubMessage = Record<string, unknown>;

/** One client connection to the stub: what it sent, and a way to answer. */
export interface StubConnection {
  /** 1, 2, ... in the order the SDK opened them. */
  id: number;
  url: string;
  received: StubMessage[];
  send(message: StubMessage): void;
  /** Drops the TCP connection without a WebSocket close frame, as a network failure does. */
  close(): void;
  readonly closed: boolean;
}

/**
 * How the stub answers one kind of request: `true` with the default reply (below), `false` never
 * (the request stays unanswered), or a function that answers (or not) as a test needs.
 */
export type Answer = boolean | ((connection: StubConnection, message: StubMessage) => void);

export interface StubAnswers {
  /** `join/v2` (also the rejoin after a refused `reconnect`, and the join inside switchRoom): JOINED. */
  join: Answer;
  /** `reconnect`, sent on a new socket after a drop or a silent link: `{ cmd: 514, code: 0, seq }`. */
  reconnect: Answer;
  /** `change_role`, sent by switchRole: `{ cmd: 4110, code: 0, seq }`. */
  changeRole: Answer;
  /** `quality_report`, the SDK's heartbeat every 2 s: any frame, so the link never looks dead. */
  qualityReport: Answer;
}

/** A client frame with the time it arrived and the connection it came on. */
export interface StubFrame {
  at: number;
  connection: number;
  message: StubMessage;
}

export interface SignallingStub {
  url: string;
  connections: StubConnection[];
  /** Every client frame on every connection, in arrival order. */
  frames: StubFrame[];
  /** What the stub answers by itself; change a field per test. */
  answers: StubAnswers;
  /** Called for every JSON message a client sends, after the answer (if any) was sent. */
  onMessage: (connection: StubConnection, message: StubMessage) => void;
  /** The `cmd` names the clients sent so far, in order. */
  commands(): string[];
  /** Drops every open connection (no close frame), as a network failure does. */
  dropAll(): void;
  close(): Promise<void>;
}

const ANSWERED: Record<string, { key: keyof StubAnswers; reply: (message: StubMessage) => StubMessage }> = {
  'join/v2': { key: 'join', reply: () => JOINED },
  reconnect: { key: 'reconnect', reply: (message) => reconnected(message.seq) },
  change_role: { key: 'changeRole', reply: (message) => roleChanged(message.seq) },
  quality_report: { key: 'qualityReport', reply: (message) => alive(message.seq) },
};

/** The default answers: everything a long session asks is answered. */
export const answerEverything = (): StubAnswers => ({ join: true, reconnect: true, changeRole: true, qualityReport: true });

/**
 * A minimal WebSocket server on 127.0.0.1 that plays TRTC's signalling server for the real SDK
 * (enterRoom's `proxy.websocketProxy`). JSON text frames only; see docs/sdk-facts.md. By default it
 * answers joins, reconnects, role changes and heartbeats (`answers`), so a session of any length
 * stays up; a test turns an answer off, or replaces it, to refuse or to leave a request hanging.
 */
export async function startSignallingStub(): Promise<SignallingStub> {
  const server: Server = createServer((_, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const stub: SignallingStub = {
    url: '',
    connections: [],
    frames: [],
    answers: answerEverything(),
    onMessage: () => undefined,
    commands: () => stub.frames.map((frame) => String(frame.message.cmd)),
    dropAll: () => {
      for (const connection of stub.connections) connection.close();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
  const answer = (connection: StubConnection, message: StubMessage) => {
    const known = ANSWERED[String(message.cmd)];
    if (!known) return;
    const how = stub.answers[known.key];
    if (how === true) connection.send(known.reply(message));
    else if (typeof how === 'function') how(connection, message);
  };
  const receive = (connection: StubConnection, data: RawData) => {
    let message: StubMessage;
    try {
      message = JSON.parse(String(data)) as StubMessage;
    } catch {
      // Not JSON: the SDK sends only JSON; ignore anything else.
      return;
    }
    connection.received.push(message);
    stub.frames.push({ at: Date.now(), connection: connection.id, message });
    answer(connection, message);
    stub.onMessage(connection, message);
  };
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.on('error', () => undefined);
    const connection: StubConnection = {
      id: stub.connections.length + 1,
      url: request.url ?? '',
      received: [],
      send: (message) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      },
      // terminate(): the TCP connection goes without a close frame.
      close: () => socket.terminate(),
      get closed() {
        return socket.readyState === socket.CLOSING || socket.readyState === socket.CLOSED;
      },
    };
    stub.connections.push(connection);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) receive(connection, data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
