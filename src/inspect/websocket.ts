/// <reference types="node" />
import { createHash } from 'node:crypto';

/**
 * The server side of RFC 6455 framing, as much as a loopback relay of JSON text messages needs:
 * no extensions, no subprotocols, no fragmentation of what it sends.
 */

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
} as const;

/** RFC 6455 5.5: a control frame (close, ping, pong) carries at most this many payload bytes. */
export const MAX_CONTROL_PAYLOAD_BYTES = 125;

/** Close, ping and pong (and the reserved 0xB-0xF) have the high opcode bit set. */
export const isControlOpcode = (opcode: number): boolean => (opcode & 0x8) !== 0;

/** A frame as a client sent it; `payload` is already unmasked. */
export interface ClientFrame {
  fin: boolean;
  /** The three RSV bits; non-zero only with an extension, and none is ever negotiated here. */
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

export interface ParsedFrames {
  /** The complete frames at the start of the buffer, in order. */
  frames: ClientFrame[];
  /** The bytes after them: an incomplete frame to prepend to the next chunk. */
  rest: Buffer;
  /** The frame at the start of `rest` declares a payload over the limit (detected from its header alone). */
  oversized: boolean;
  /**
   * The frame at the start of `rest` is a control frame declaring more than 125 payload bytes, which
   * RFC 6455 forbids (detected from its header alone).
   */
  controlTooLong: boolean;
}

/** The `Sec-WebSocket-Accept` value for a client's `Sec-WebSocket-Key`. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + WS_GUID).digest('base64');
}

/** The complete `101 Switching Protocols` response head for a client's `Sec-WebSocket-Key`. */
export function handshakeResponse(key: string): string {
  return (
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`
  );
}

/** One unmasked, final (FIN) frame, as a server sends them. */
export function encodeFrame(payload: Buffer, opcode: number): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = length;
  else if (length < 65536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

export function encodeText(text: string): Buffer {
  return encodeFrame(Buffer.from(text, 'utf8'), Opcode.text);
}

/** A close frame; without a code its payload is empty (which the peer reads as 1005, no status). */
export function encodeClose(code?: number): Buffer {
  if (code === undefined) return encodeFrame(Buffer.alloc(0), Opcode.close);
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code, 0);
  return encodeFrame(payload, Opcode.close);
}

export function encodePong(payload: Buffer): Buffer {
  return encodeFrame(payload, Opcode.pong);
}

/** The status code of a received close frame's payload, if it carries one. */
export function closeCodeOf(payload: Buffer): number | undefined {
  return payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
}

interface FrameHeader {
  length: bigint;
  /** Bytes before the payload: the fixed two, the extended length and the mask. */
  headerLength: number;
}

function readHeader(buffer: Buffer): FrameHeader | undefined {
  if (buffer.length < 2) return undefined;
  const second = buffer[1] ?? 0;
  const maskLength = (second & 0x80) !== 0 ? 4 : 0;
  const shortLength = second & 0x7f;
  if (shortLength === 126) {
    if (buffer.length < 4) return undefined;
    return { length: BigInt(buffer.readUInt16BE(2)), headerLength: 4 + maskLength };
  }
  if (shortLength === 127) {
    if (buffer.length < 10) return undefined;
    return { length: buffer.readBigUInt64BE(2), headerLength: 10 + maskLength };
  }
  return { length: BigInt(shortLength), headerLength: 2 + maskLength };
}

function unmask(payload: Buffer, mask: Buffer): void {
  for (let i = 0; i < payload.length; i += 1) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
}

/**
 * Splits the complete frames off the start of `buffer` (client frames are masked; unmasked ones are
 * parsed too, flagged `masked: false`, for the caller to refuse). A frame whose declared length is
 * over `maxPayloadBytes`, or a control frame declaring over 125 bytes, stops parsing as soon as its
 * header is in, so it is never buffered whole.
 */
export function parseFrames(buffer: Buffer, maxPayloadBytes = Number.MAX_SAFE_INTEGER): ParsedFrames {
  const frames: ClientFrame[] = [];
  let rest = buffer;
  for (;;) {
    const header = readHeader(rest);
    if (header === undefined) return { frames, rest, oversized: false, controlTooLong: false };
    const first = rest[0] ?? 0;
    if (isControlOpcode(first & 0x0f) && header.length > BigInt(MAX_CONTROL_PAYLOAD_BYTES)) {
      return { frames, rest, oversized: false, controlTooLong: true };
    }
    if (header.length > BigInt(maxPayloadBytes)) return { frames, rest, oversized: true, controlTooLong: false };
    const end = header.headerLength + Number(header.length);
    if (rest.length < end) return { frames, rest, oversized: false, controlTooLong: false };
    const masked = ((rest[1] ?? 0) & 0x80) !== 0;
    const payload = Buffer.from(rest.subarray(header.headerLength, end));
    if (masked) unmask(payload, rest.subarray(header.headerLength - 4, header.headerLength));
    frames.push({ fin: (first & 0x80) !== 0, rsv: (first & 0x70) >> 4, opcode: first & 0x0f, masked, payload });
    rest = rest.subarray(end);
  }
}
