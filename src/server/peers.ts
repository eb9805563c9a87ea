// Loads Tencent's optional peers (CommonJS) synchronously, on first use. Node's modules are taken
// with process.getBuiltinModule() rather than imported, so that a bundler building the simulator
// for a browser sees no Node import at all: this code runs only when a server feature is used.
import { RoomError } from '../errors.js';

export type PeerName = 'tls-sig-api-v2' | 'tencentcloud-sdk-nodejs-common';

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

/** One of Node's own modules, or undefined outside Node (a browser). */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const process = (globalThis as { process?: NodeProcess }).process;
  return process?.getBuiltinModule?.(id) as T | undefined;
}

interface NodeModuleApi {
  createRequire(from: string): (id: string) => unknown;
}

const loaded = new Map<PeerName, unknown>();

/** `helper` names the call that needs the peer, for the message. */
export function requirePeer<T>(name: PeerName, helper: string): T {
  if (loaded.has(name)) return loaded.get(name) as T;
  const nodeModule = nodeBuiltin<NodeModuleApi>('node:module');
  if (!nodeModule) {
    throw new RoomError('MISSING_DEPENDENCY', `${helper}: needs Node.js (${name} runs on Node only); never sign or call Tencent's API from a browser`);
  }
  let peer: unknown;
  try {
    peer = nodeModule.createRequire(import.meta.url)(name);
  } catch (cause) {
    const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
    const missing = code === 'MODULE_NOT_FOUND' && String(message).includes(`'${name}'`);
    const why = missing ? 'is not installed' : 'could not be loaded';
    throw new RoomError('MISSING_DEPENDENCY', `${helper}: ${name} ${why}; add it with \`npm install ${name}\``, { cause });
  }
  loaded.set(name, peer);
  return peer as T;
}
