// Real TRTC mode: one participant on Tencent's service. Its userSig comes from the dev server
// (dev-server.ts signs it with the SecretKey in examples/demo/.env.local), or is pasted in.
// No SecretKey ever reaches this page.
import { createRoomController } from 'trtc-room-machine';
import type { EnterConfig } from 'trtc-room-machine';
import { fetchUserSig } from './dev-api.js';
import type { DevConfig } from './dev-api.types.js';
import { button, el } from './dom.js';
import { describeError } from './describe-error.js';
import { createParticipantCard } from './participant.js';
import type { ParticipantCard } from './participant.js';
import { colourOf } from './people.js';
import { loadTrtcFactory } from './real-trtc.js';

/** Who the participant is and where: what the server panel acts on. */
export interface RealTarget {
  userId: string;
  roomId: number;
}

export interface RealMode {
  readonly element: HTMLElement;
  /** What the dev server can do (undefined: there is none). Read again each time real mode is shown. */
  configure(config: DevConfig | undefined): void;
  /** Leaving real mode: the participant leaves the room and its SDK instance is destroyed. */
  stop(): Promise<void>;
}

type Credential = 'devServer' | 'pasted';

function field(label: string, input: HTMLElement, hint?: string): HTMLLabelElement {
  return el('label', { class: 'field field--stacked' }, el('span', {}, label), input, hint ? el('small', {}, hint) : undefined);
}

/** Where the userSig will come from, in words; `data-source` for tests and styles. */
function describeSource(config: DevConfig | undefined): { source: string; text: string } {
  if (!config) {
    return {
      source: 'none',
      text: 'No dev server here (a static build): paste a userSig, e.g. from `npx trtc-room-machine usersig alice` run where the SecretKey is.',
    };
  }
  if (config.userSig.ready) {
    return { source: 'dev-server', text: 'The dev server signs a userSig at each Enter, with the SecretKey in its .env.local; the key never reaches this page.' };
  }
  return {
    source: 'missing',
    text: `The dev server cannot sign userSigs: ${config.userSig.reason}. Put them in examples/demo/.env.local (see .env.example) and restart npm start, or paste a userSig.`,
  };
}

export function createRealMode(onParticipant: (target: RealTarget) => void): RealMode {
  const sdkAppId = el('input', { type: 'number', min: '1', required: '', placeholder: '1400000000', 'aria-label': 'SDKAppID' });
  const userId = el('input', { type: 'text', required: '', value: 'alice', autocomplete: 'off', 'aria-label': 'userId' });
  const roomId = el('input', { type: 'number', min: '1', value: '8888', 'aria-label': 'Room id' });
  const userSig = el('textarea', { rows: '3', spellcheck: 'false', 'aria-label': 'userSig' });
  const source = el('p', { class: 'real-source', role: 'status' });
  const proxyNote = el('p', { class: 'real-proxy', hidden: '' });
  const problem = el('p', { class: 'error', role: 'alert', hidden: '' });

  let config: DevConfig | undefined;
  let credential: Credential = 'pasted';
  const userSigField = field('userSig', userSig, 'From your server, `npx trtc-room-machine usersig <userId>`, or the TRTC console.');
  const choose = (next: Credential) => {
    credential = next;
    userSigField.hidden = next !== 'pasted';
    // The dev server signs for its own SDKAppID.
    sdkAppId.readOnly = next === 'devServer';
    if (next === 'devServer' && config?.sdkAppId !== undefined) sdkAppId.value = String(config.sdkAppId);
    for (const [value, option] of options) option.setAttribute('aria-pressed', String(value === next));
  };
  const options = new Map<Credential, HTMLButtonElement>([
    ['devServer', button('From the dev server', () => choose('devServer'))],
    ['pasted', button('Paste a userSig', () => choose('pasted'))],
  ]);

  const form = el(
    'form',
    { class: 'real-form' },
    el('p', {}, "One participant on Tencent's TRTC service. Open this page in a second tab with another userId to see someone else."),
    source,
    field('SDKAppID', sdkAppId),
    field('userId', userId),
    field('Room id', roomId),
    el('div', { class: 'segmented', role: 'group', 'aria-label': 'userSig from' }, ...options.values()),
    userSigField,
    proxyNote,
    el('button', { type: 'submit', class: 'primary' }, 'Create participant'),
    problem,
  );
  const slot = el('div', { class: 'participants' });
  const element = el('section', { class: 'real' }, form, slot);

  let card: ParticipantCard | undefined;

  /** Read at each Enter: a userSig from the dev server is signed afresh each time. */
  function enterConfigOf(target: RealTarget, how: Credential, pasted: string, websocketProxy: string | undefined) {
    const proxy = websocketProxy === undefined ? {} : { proxy: { websocketProxy } };
    return async (): Promise<EnterConfig> => {
      if (how === 'pasted') return { sdkAppId: sdkAppId.valueAsNumber, ...target, userSig: pasted, ...proxy };
      const answer = await fetchUserSig(target.userId);
      return { sdkAppId: answer.sdkAppId, ...target, userSig: answer.userSig, ...proxy };
    };
  }

  // One participant at a time: a second submit while the SDK loads would make a card no one removes.
  let creating = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (creating || card) return;
    creating = true;
    problem.hidden = true;
    void (async () => {
      try {
        // The SDK's own checks of these run at Enter, and show on the card.
        const target: RealTarget = { userId: userId.value.trim(), roomId: roomId.valueAsNumber };
        const trtc = await loadTrtcFactory();
        const room = createRoomController({ trtc });
        const created = createParticipantCard({
          name: target.userId || 'you',
          colour: colourOf(target.userId),
          room,
          simulated: false,
          enterConfig: enterConfigOf(target, credential, userSig.value.trim(), config?.websocketProxy),
          onRemove: () => void stop(),
        });
        card = created;
        form.hidden = true;
        slot.append(created.element);
        onParticipant(target);
      } catch (error) {
        problem.hidden = false;
        problem.textContent = describeError(error);
      } finally {
        creating = false;
      }
    })();
  });

  async function stop(): Promise<void> {
    const leaving = card;
    card = undefined;
    form.hidden = false;
    await leaving?.dispose();
  }

  function configure(next: DevConfig | undefined): void {
    config = next;
    const { source: kind, text } = describeSource(next);
    source.dataset.source = kind;
    source.textContent = text;
    proxyNote.hidden = next?.websocketProxy === undefined;
    proxyNote.textContent = next?.websocketProxy ? `Signalling goes through ${next.websocketProxy} (TRTC_WEBSOCKET_PROXY).` : '';
    const signs = next?.userSig.ready === true;
    const devServer = options.get('devServer');
    if (devServer) devServer.disabled = !signs;
    if (next?.sdkAppId !== undefined && sdkAppId.value === '') sdkAppId.value = String(next.sdkAppId);
    choose(signs ? 'devServer' : 'pasted');
  }

  source.dataset.source = 'loading';
  source.textContent = 'Asking the dev server what it can do…';
  options.get('devServer')?.setAttribute('disabled', '');
  choose('pasted');
  return { element, configure, stop };
}
