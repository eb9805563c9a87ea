// The demo page: participants on the built-in simulator (or one on real TRTC), the server panel
// (the simulated backend, or Tencent's API through the dev server), and the library's state for
// each participant as it happens.
import { createAdminPanel } from './admin.js';
import { loadDevConfig } from './dev-api.js';
import { button, el } from './dom.js';
import { createRealAdminPanel } from './real-admin.js';
import { createRealMode } from './real-mode.js';
import { createSimulation } from './simulation.js';

type Mode = 'simulator' | 'real';

const simulation = createSimulation();
const admin = createAdminPanel(simulation);
const realAdmin = createRealAdminPanel();
const real = createRealMode((target) => realAdmin.setTarget(target));

const addParticipant = button('+ participant', () => simulation.addParticipant(), { class: 'add' });
const simulatorArea = el(
  'section',
  { class: 'simulator' },
  el('div', { class: 'toolbar' }, el('h2', {}, 'Participants'), el('span', {}, 'each with its own controller and simulated client'), addParticipant),
  simulation.element,
);
real.element.hidden = true;
realAdmin.element.hidden = true;

const modeLabel = el('span', { class: 'mode-label' });
const modes = new Map<Mode, HTMLButtonElement>([
  ['simulator', button('Simulator', () => void setMode('simulator'))],
  ['real', button('Real TRTC', () => void setMode('real'))],
]);

async function setMode(mode: Mode): Promise<void> {
  document.body.dataset.mode = mode;
  modeLabel.textContent = mode === 'simulator' ? 'Simulator' : 'Real TRTC';
  for (const [value, control] of modes) control.setAttribute('aria-pressed', String(value === mode));
  simulatorArea.hidden = mode !== 'simulator';
  admin.element.hidden = mode !== 'simulator';
  real.element.hidden = mode !== 'real';
  realAdmin.element.hidden = mode !== 'real';
  if (mode === 'simulator') {
    await real.stop();
    return;
  }
  // Asked each time: the dev server restarts when .env.local changes.
  const config = await loadDevConfig();
  real.configure(config);
  realAdmin.configure(config);
}

const header = el(
  'header',
  { class: 'page-header' },
  el('h1', {}, 'trtc-room-machine', el('small', {}, ' demo')),
  el('p', { class: 'mode' }, 'Mode: ', modeLabel),
  el(
    'p',
    { class: 'try-this' },
    'Try this: Enter as alice and bob, then put alice out three ways from the Server panel — Remove user (banned), ',
    'the same userId elsewhere (kick), Dismiss room (room_disband) — and watch her SDK calls: no exitRoom after a kick.',
  ),
  el('div', { class: 'segmented', role: 'group', 'aria-label': 'Mode' }, ...modes.values()),
);

document.body.append(header, el('div', { class: 'admin-area' }, admin.element, realAdmin.element), simulatorArea, real.element);
void setMode('simulator');
simulation.addParticipant();
simulation.addParticipant();
