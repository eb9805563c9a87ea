// The server panel in real TRTC mode: RemoveUser and DismissRoom on Tencent's API, called by the
// dev server with the API key in its .env.local (this page never holds it).
import { dismissRoom, removeUser } from './dev-api.js';
import type { ApiAnswer, DevConfig } from './dev-api.types.js';
import { describeError } from './describe-error.js';
import { button, el } from './dom.js';
import type { RealTarget } from './real-mode.js';

export interface RealAdminPanel {
  readonly element: HTMLElement;
  /** What the dev server can do (undefined: there is none); the buttons work only with an API key. */
  configure(config: DevConfig | undefined): void;
  /** The real participant's room and userId, as defaults for the calls. */
  setTarget(target: RealTarget): void;
}

function describeApi(config: DevConfig | undefined): { api: string; text: string } {
  if (!config) {
    return { api: 'none', text: 'No dev server here (a static build): call the API from your server, or run `npx trtc-room-machine kick --room 8888 alice`.' };
  }
  if (config.api.ready) return { api: 'ready', text: "The dev server calls Tencent's API, signed with the API key in its .env.local." };
  return {
    api: 'missing',
    text:
      `Remove user and Dismiss room need a Tencent Cloud API key in the dev server: ${config.api.reason}. ` +
      'Create one in the CAM console (API keys), put it in examples/demo/.env.local (see .env.example) and restart npm start.',
  };
}

export function createRealAdminPanel(): RealAdminPanel {
  const status = el('p', { class: 'admin-status', role: 'status', 'data-api': 'loading' }, 'Asking the dev server what it can do…');
  const roomId = el('input', { type: 'number', min: '1', value: '8888', 'aria-label': 'Room to act on' });
  const userId = el('input', { type: 'text', value: 'alice', autocomplete: 'off', 'aria-label': 'userId to remove' });
  const answer = el('p', { class: 'admin-answer', role: 'status' });

  const call = (request: () => Promise<ApiAnswer>) => {
    answer.textContent = '';
    answer.classList.remove('admin-answer--ok');
    request().then(
      ({ action, requestId }) => {
        answer.classList.add('admin-answer--ok');
        answer.textContent = `${action}: done (RequestId ${requestId})`;
      },
      (error: unknown) => (answer.textContent = describeError(error)),
    );
  };
  const remove = button('Remove user', () => call(() => removeUser(roomId.valueAsNumber, userId.value.trim())));
  const dismiss = button('Dismiss room', () => call(() => dismissRoom(roomId.valueAsNumber)), { class: 'danger' });

  const element = el(
    'section',
    { class: 'admin', 'aria-label': "Server (Tencent's TRTC API)" },
    el('h2', {}, 'Server', el('small', {}, " — TRTC's server API, through the dev server")),
    status,
    el('label', { class: 'field' }, 'Room', roomId),
    el('div', { class: 'admin-group' }, el('span', { class: 'admin-why' }, 'RemoveUser → banned'), el('div', { class: 'admin-action' }, userId, remove)),
    el('div', { class: 'admin-group' }, el('span', { class: 'admin-why' }, 'same userId signs in → kick'), el('span', {}, 'open this page in another tab as the same user')),
    el('div', { class: 'admin-group' }, el('span', { class: 'admin-why' }, 'DismissRoom → room_disband'), dismiss),
    answer,
  );

  const setReady = (ready: boolean) => {
    element.classList.toggle('admin--disabled', !ready);
    for (const control of [roomId, userId, remove, dismiss]) control.disabled = !ready;
  };
  setReady(false);

  return {
    element,
    configure(config) {
      const { api, text } = describeApi(config);
      status.dataset.api = api;
      status.textContent = text;
      setReady(config?.api.ready === true);
    },
    setTarget(target) {
      roomId.value = String(target.roomId);
      userId.value = target.userId;
    },
  };
}
