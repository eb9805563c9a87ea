// The demo page: participants on the built-in simulator (or one on real TRTC), the simulated
// server's admin panel, and the library's state for each participant as it happens.
import { createAdminPanel } from './admin.js';
import { button, el } from './dom.js';
import { createRealMode } from './real-mode.js';
import { createSimulation } from './simulation.js';

type Mode = 'simulator' | 'real';

const simulation = createSimulation();
const admin = createAdminPanel(simulation);
const real = createRealMode();

const addParticipant = button('+ participant', () => simulation.addParticipant(), { class: 'add' });
const simulatorArea = el(
  'section',
  { class: 'simulator' },
  el('div', { class: 'toolbar' }, el('h2', {}, 'Participants'), el('span', {}, 'each with its own controller and simulated client'), addParticipant),
  simulation.element,
);
real.element.hidden = true;

const modeLabel = el('span', { class: 'mode-label' });
const modes = new Map<Mode, HTMLButtonElement>([
  ['simulator', button('Simulator', () => void setMode('simulator'))],
  ['real', button('Real TRTC', () => void setMode('real'))],
]);
const realNote = el(
  'p',
  { class: 'admin-note', hidden: '' },
  'The server panel drives the simulated backend. With real TRTC, your server calls the REST APIs RemoveUser and DismissRoom.',
);

async function setMode(mode: Mode): Promise<void> {
  document.body.dataset.mode = mode;
  modeLabel.textContent = mode === 'simulator' ? 'Simulator' : 'Real TRTC';
  for (const [value, control] of modes) control.setAttribute('aria-pressed', String(value === mode));
  simulatorArea.hidden = mode !== 'simulator';
  real.element.hidden = mode !== 'real';
  realNote.hidden = mode !== 'real';
  admin.setEnabled(mode === 'simulator');
  if (mode === 'simulator') await real.stop();
}

const header = el(
  'header',
  { class: 'page-header' },
  el('h1', {}, 'trtc-room-machine', el('small', {}, ' demo')),
  el('p', { class: 'mode' }, 'Mode: ', modeLabel),
  el('div', { class: 'segmented', role: 'group', 'aria-label': 'Mode' }, ...modes.values()),
);

document.body.append(header, real.warning, el('div', { class: 'admin-area' }, admin.element, realNote), simulatorArea, real.element);
void setMode('simulator');
simulation.addParticipant();
simulation.addParticipant();
