// A hidden second controller with a card's userId: entering puts the card out with reason `kick`,
// as when the same user signs in on another device.
import { createRoomController } from 'trtc-room-machine';
import type { EnterConfig } from 'trtc-room-machine';
import type { SimulatedCloud } from 'trtc-room-machine/simulator';
import { button, el, setData, setText } from './dom.js';
import { describeError } from './describe-error.js';

export interface ElsewhereEntry {
  readonly element: HTMLElement;
  /** Exits if in the room, destroys the controller and removes the entry. */
  dispose(): Promise<void>;
}

export function enterElsewhere(cloud: SimulatedCloud, config: EnterConfig): ElsewhereEntry {
  const room = createRoomController({ trtc: () => cloud.createClient({ label: `${config.userId} (elsewhere)` }) });
  const state = el('span', { class: 'badge' });
  const problem = el('span', { class: 'error', hidden: '' });
  const leave = button('Exit', () => void entry.dispose());
  const element = el('li', { class: 'elsewhere', 'data-user': config.userId }, el('strong', {}, config.userId), ' elsewhere ', state, leave, problem);

  const render = () => {
    const view = room.view();
    setText(state, view.state === 'kicked' ? `kicked: ${view.kickReason ?? '?'}` : view.state);
    setData(state, 'state', view.state);
    setData(element, 'state', view.state);
    setText(leave, view.state === 'inRoom' || view.state === 'entering' ? 'Exit' : 'Remove');
  };
  const stop = room.subscribe(render);
  render();

  const entry: ElsewhereEntry = {
    element,
    async dispose() {
      leave.disabled = true;
      try {
        await room.exit();
      } catch (error) {
        // Destroyed next anyway; say why the exit failed.
        problem.hidden = false;
        setText(problem, describeError(error));
      }
      await room.destroy();
      stop();
      element.remove();
    },
  };
  room.enter(config).catch((error: unknown) => {
    problem.hidden = false;
    setText(problem, describeError(error));
  });
  return entry;
}
