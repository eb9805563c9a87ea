// A TEST userSig, computed where the page runs. A SecretKey signs any userSig for its application:
// it must never ship in a client. Production userSigs come from your server.

export interface TestUserSigInput {
  sdkAppId: number;
  userId: string;
  secretKey: string;
  /** How long the signature stays valid, in seconds. Default 604 800 (7 days). */
  expireSeconds?: number;
}

export type TestUserSigField = keyof TestUserSigInput | 'environment';

/** Refused input, or a runtime without Web Crypto or CompressionStream; `field` says which. */
export class TestUserSigError extends Error {
  override readonly name = 'TestUserSigError';
  constructor(
    readonly field: TestUserSigField,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_EXPIRE_SECONDS = 604_800;

function checkInput({ sdkAppId, userId, secretKey, expireSeconds }: TestUserSigInput): void {
  if (typeof sdkAppId !== 'number' || !Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) {
    throw new TestUserSigError('sdkAppId', `sdkAppId must be a positive integer, as shown in the TRTC console (got ${String(sdkAppId)})`);
  }
  if (typeof userId !== 'string' || userId.trim() === '') {
    throw new TestUserSigError('userId', 'userId must be a non-empty string');
  }
  if (userId !== userId.trim()) {
    throw new TestUserSigError('userId', `userId must not start or end with spaces (got ${JSON.stringify(userId)})`);
  }
  if (typeof secretKey !== 'string' || secretKey.trim() === '') {
    throw new TestUserSigError('secretKey', "secretKey must be the application's SDKSecretKey from the TRTC console");
  }
  if (secretKey !== secretKey.trim()) {
    throw new TestUserSigError('secretKey', 'secretKey must not start or end with spaces (a copy-paste slip?)');
  }
  if (expireSeconds !== undefined && (typeof expireSeconds !== 'number' || !Number.isSafeInteger(expireSeconds) || expireSeconds <= 0)) {
    throw new TestUserSigError('expireSeconds', `expireSeconds must be a positive integer (got ${String(expireSeconds)})`);
  }
}

function checkEnvironment(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new TestUserSigError('environment', 'Web Crypto is unavailable: open the page from https:// or http://localhost (a secure context)');
  }
  if (typeof CompressionStream !== 'function') {
    throw new TestUserSigError('environment', 'CompressionStream is unavailable: use a current browser or Node 20+');
  }
  return subtle;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function hmacSha256Base64(subtle: SubtleCrypto, key: string, content: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toBase64(new Uint8Array(await subtle.sign('HMAC', cryptoKey, encoder.encode(content))));
}

/** zlib format (RFC 1950), which is what `CompressionStream('deflate')` writes. */
async function zlibDeflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The URL-safe alphabet of TLS signatures: not RFC 4648's, but `+` → `*`, `/` → `-`, `=` → `_`. */
const tlsBase64 = (base64: string) => base64.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');

/**
 * A TLS signature v2 userSig for local testing, made with Web Crypto and CompressionStream only,
 * so it runs in a browser (secure context) and in Node 20.
 */
export async function genTestUserSig(input: TestUserSigInput): Promise<string> {
  checkInput(input);
  const subtle = checkEnvironment();
  const { sdkAppId, userId, secretKey } = input;
  const expire = input.expireSeconds ?? DEFAULT_EXPIRE_SECONDS;
  const time = Math.floor(Date.now() / 1000);
  const content = `TLS.identifier:${userId}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': userId,
    'TLS.sdkappid': sdkAppId,
    'TLS.expire': expire,
    'TLS.time': time,
    'TLS.sig': await hmacSha256Base64(subtle, secretKey, content),
  };
  return tlsBase64(toBase64(await zlibDeflate(JSON.stringify(doc))));
}
