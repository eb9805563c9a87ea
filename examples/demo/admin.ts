// The server panel on the simulator: what the TRTC server's REST APIs do, on the simulated cloud: RemoveUser, DismissRoom, and the
// same userId entering from somewhere else. Each ends in a kick with its own reason.
import { button, el } from './dom.js';
import { enterElsewhere } from './elsewhere.js';
import { SIMULATED_SDK_APP_ID } from './simulation.js';
import type { Simulation } from './simulation.js';

export interface AdminPanel {
  readonly element: HTMLElement;
}

function participantSelect(label: string, action: string, onClick: (userId: string) => void) {
  const input = el('select', { 'aria-label': label });
  const go = button(action, () => input.value && onClick(input.value));
  return { input, go, element: el('div', { class: 'admin-action' }, input, go) };
}

export function createAdminPanel(simulation: Simulation): AdminPanel {
  const { cloud } = simulation;
  const room = () => ({ sdkAppId: SIMULATED_SDK_APP_ID, roomId: simulation.roomId });

  const roomId = el('input', { type: 'number', min: '1', value: String(simulation.roomId), 'aria-label': 'Room id' });
  roomId.addEventListener('input', () => (simulation.roomId = roomId.valueAsNumber));

  // What the server API answered when it refused (a room id out of range, say).
  const answer = el('p', { class: 'admin-answer', role: 'status' });
  const call = (request: () => Promise<unknown>) => {
    answer.textContent = '';
    request().catch((error: unknown) => (answer.textContent = error instanceof Error ? error.message : String(error)));
  };
  const remove = participantSelect('Participant to remove', 'Remove user', (userId) => call(() => cloud.removeUser({ ...room(), userIds: [userId] })));
  const elsewhereList = el('ul', { class: 'elsewhere-list' });
  const twin = participantSelect('Participant to sign in elsewhere', 'Enter the same userId elsewhere', (userId) => {
    elsewhereList.append(enterElsewhere(cloud, simulation.enterConfig(userId)).element);
  });
  const dismiss = button('Dismiss room', () => call(() => cloud.dismissRoom(room())), { class: 'danger' });

  const fillSelects = () => {
    for (const { input } of [remove, twin]) {
      const chosen = input.value;
      input.replaceChildren(...simulation.names().map((name) => el('option', { value: name }, name)));
      if (simulation.names().includes(chosen)) input.value = chosen;
    }
  };
  simulation.onParticipantsChanged(fillSelects);
  fillSelects();

  const element = el(
    'section',
    { class: 'admin', 'aria-label': 'Server (simulated)' },
    el('h2', {}, 'Server', el('small', {}, ' — the simulated TRTC backend')),
    el('label', { class: 'field' }, 'Room', roomId),
    el('div', { class: 'admin-group' }, el('span', { class: 'admin-why' }, 'RemoveUser → banned'), remove.element),
    el('div', { class: 'admin-group' }, el('span', { class: 'admin-why' }, 'same userId signs in → kick'), twin.element),
    el('div', { class: 'admin-group' }, el('span', { class: 'admin-why' }, 'DismissRoom → room_disband'), dismiss),
    answer,
    elsewhereList,
  );

  return { element };
}
