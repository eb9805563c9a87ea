// The page's side of the dev server's /api/* (dev-server.ts): real mode asks it for userSigs and
// for the server API calls. A static build (npm run build:demo) has no dev server.
import type { ApiAnswer, DevConfig, DevErrorBody, UserSigAnswer } from './dev-api.types.js';

/** What the dev server refused or what failed behind it; `code` as in DevErrorBody. */
export class DevServerError extends Error {
  override readonly name = 'DevServerError';
  readonly code: string;
  readonly details: DevErrorBody['error'];
  constructor(details: DevErrorBody['error']) {
    super(details.message);
    this.code = details.code;
    this.details = details;
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const body = (await response.json().catch(() => undefined)) as T | DevErrorBody | undefined;
  if (response.ok && body !== undefined) return body as T;
  const error = (body as DevErrorBody | undefined)?.error;
  throw new DevServerError(error ?? { code: 'INTERNAL', message: `the dev server answered ${response.status} to ${path}` });
}

const post = <T>(path: string, body: object) => call<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** What the dev server can do, or undefined when there is none (a static build, another server). */
export async function loadDevConfig(): Promise<DevConfig | undefined> {
  try {
    const config = await call<DevConfig>('/api/config');
    return typeof config.userSig === 'object' && typeof config.api === 'object' ? config : undefined;
  } catch {
    return undefined;
  }
}

export const fetchUserSig = (userId: string) => call<UserSigAnswer>(`/api/usersig?userId=${encodeURIComponent(userId)}`);

export const removeUser = (roomId: number, userId: string) => post<ApiAnswer>('/api/remove-user', { roomId, userIds: [userId] });

export const dismissRoom = (roomId: number) => post<ApiAnswer>('/api/dismiss-room', { roomId });
