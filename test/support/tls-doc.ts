import { createHmac } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

/** Undoes the TLS v2 wire form: the `*-_` alphabet, base64, zlib, JSON. */
export function decodeTls(sig: string): Record<string, unknown> {
  const base64 = sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
  return JSON.parse(inflateSync(Buffer.from(base64, 'base64')).toString('utf8')) as Record<string, unknown>;
}

export function encodeTls(doc: Record<string, unknown>): string {
  return deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

/** The TLS v2 HMAC, from Tencent's description of the scheme, to check a signature independently. */
export function tlsHmac(secretKey: string, doc: Record<string, unknown>): string {
  const fields = ['identifier', 'sdkappid', 'time', 'expire', ...(doc['TLS.userbuf'] === undefined ? [] : ['userbuf'])];
  const content = fields.map((field) => `TLS.${field}:${String(doc[`TLS.${field}`])}\n`).join('');
  return createHmac('sha256', secretKey).update(content).digest('base64');
}
