// Real TRTC mode: one participant on Tencent's service, with your SDKAppID and a userSig (or, for
// local testing only, a SecretKey from which this page computes a test userSig).
import { createRoomController } from 'trtc-room-machine';
import type { EnterConfig } from 'trtc-room-machine';
import { button, el } from './dom.js';
import { describeError } from './describe-error.js';
import { createParticipantCard } from './participant.js';
import type { ParticipantCard } from './participant.js';
import { colourOf } from './people.js';
import { loadTrtcFactory } from './real-trtc.js';
import { genTestUserSig } from './test-usersig.js';

export interface RealMode {
  readonly element: HTMLElement;
  /** The loud warning shown once a SecretKey is in play; it stays until the page is reloaded. */
  readonly warning: HTMLElement;
  /** Leaving real mode: the participant leaves the room and its SDK instance is destroyed. */
  stop(): Promise<void>;
}

type Credential = 'userSig' | 'secretKey';

function field(label: string, input: HTMLElement, hint?: string): HTMLLabelElement {
  return el('label', { class: 'field field--stacked' }, el('span', {}, label), input, hint ? el('small', {}, hint) : undefined);
}

export function createRealMode(): RealMode {
  const sdkAppId = el('input', { type: 'number', min: '1', required: '', placeholder: '1400000000', 'aria-label': 'SDKAppID' });
  const userId = el('input', { type: 'text', required: '', value: 'alice', autocomplete: 'off', 'aria-label': 'userId' });
  const roomId = el('input', { type: 'number', min: '1', value: '8888', 'aria-label': 'Room id' });
  const userSig = el('textarea', { rows: '3', spellcheck: 'false', 'aria-label': 'userSig' });
  const secretKey = el('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', 'aria-label': 'SecretKey' });
  const problem = el('p', { class: 'error', role: 'alert', hidden: '' });
  const warning = el(
    'div',
    { class: 'secret-warning', role: 'alert', hidden: '' },
    el('strong', {}, 'A SecretKey is in this page. '),
    'It can sign a userSig for any user of your application: never put it in a client you ship. ',
    'This is for local testing only — in production your server issues userSigs.',
  );

  let credential: Credential = 'userSig';
  const userSigField = field('userSig', userSig, 'From your server, or the TRTC console\'s userSig tool.');
  const secretKeyField = field('SecretKey', secretKey, 'The page computes a test userSig from it, here in the browser.');
  const choose = (next: Credential) => {
    credential = next;
    userSigField.hidden = next !== 'userSig';
    secretKeyField.hidden = next !== 'secretKey';
    if (next === 'secretKey') warning.hidden = false;
    for (const [value, option] of options) option.setAttribute('aria-pressed', String(value === next));
  };
  const options = new Map<Credential, HTMLButtonElement>([
    ['userSig', button('userSig', () => choose('userSig'))],
    ['secretKey', button('SecretKey (testing only)', () => choose('secretKey'))],
  ]);

  const form = el(
    'form',
    { class: 'real-form' },
    el('p', {}, 'One participant on Tencent\'s TRTC service. Open this page in a second tab with another userId to see someone else.'),
    field('SDKAppID', sdkAppId),
    field('userId', userId),
    field('Room id', roomId),
    el('div', { class: 'segmented', role: 'group', 'aria-label': 'Credential' }, ...options.values()),
    userSigField,
    secretKeyField,
    el('button', { type: 'submit', class: 'primary' }, 'Create participant'),
    problem,
  );
  const slot = el('div', { class: 'participants' });
  const element = el('section', { class: 'real' }, form, slot);
  choose('userSig');

  let card: ParticipantCard | undefined;

  async function credentials(): Promise<EnterConfig> {
    const config = { sdkAppId: sdkAppId.valueAsNumber, userId: userId.value.trim(), roomId: roomId.valueAsNumber };
    if (credential === 'userSig') return { ...config, userSig: userSig.value.trim() };
    return { ...config, userSig: await genTestUserSig({ sdkAppId: config.sdkAppId, userId: config.userId, secretKey: secretKey.value }) };
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    problem.hidden = true;
    void (async () => {
      try {
        // The SDK's own checks of these run at Enter, and show on the card.
        const config = await credentials();
        const trtc = await loadTrtcFactory();
        const room = createRoomController({ trtc });
        const created = createParticipantCard({
          name: config.userId || 'you',
          colour: colourOf(config.userId),
          room,
          simulated: false,
          enterConfig: () => config,
          onRemove: () => void stop(),
        });
        card = created;
        form.hidden = true;
        slot.append(created.element);
      } catch (error) {
        problem.hidden = false;
        problem.textContent = describeError(error);
      }
    })();
  });

  async function stop(): Promise<void> {
    const leaving = card;
    card = undefined;
    form.hidden = false;
    await leaving?.dispose();
  }

  return { element, warning, stop };
}
