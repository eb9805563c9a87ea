// One participant: a controller's card with its state, controls, video, SDK call log and inspector.
import { describeEnding } from 'trtc-room-machine';
import type { EnterConfig, RoomController, RoomView } from 'trtc-room-machine';
import { mountInspector } from 'trtc-room-machine/inspector';
import { createCallLog } from './call-log.js';
import { createControls } from './card-controls.js';
import { describeError } from './describe-error.js';
import { button, el, setData, setText } from './dom.js';
import { createStage } from './stage.js';

export interface ParticipantOptions {
  name: string;
  colour: string;
  room: RoomController;
  simulated: boolean;
  /** Read at each Enter: the room id may have changed since. */
  enterConfig(): EnterConfig | Promise<EnterConfig>;
  /** The card's close button; the owner disposes of it. */
  onRemove(): void;
}

export interface ParticipantCard {
  readonly name: string;
  readonly room: RoomController;
  readonly element: HTMLElement;
  /** Destroys the controller and removes the card. */
  dispose(): Promise<void>;
}

/** How often remote volumes are reported once in a room. */
const VOLUME_INTERVAL_MS = 500;

export function createParticipantCard(options: ParticipantOptions): ParticipantCard {
  const { name, colour, room, simulated } = options;
  const badge = el('span', { class: 'badge' });
  const kickReason = el('span', { class: 'kick-reason', hidden: '' });
  const connection = el('span', { class: 'connection', hidden: '' }, 'reconnecting…');
  const errorLine = el('p', { class: 'error', role: 'alert', hidden: '' });
  // What the people in the call read when a session ends without them asking (describeEnding).
  const endingLine = el('p', { class: 'ending', role: 'status', hidden: '' });

  let lastViewError: RoomView['error'];
  function showError(error: unknown): void {
    errorLine.hidden = error === undefined;
    setText(errorLine, error === undefined ? '' : describeError(error));
  }
  async function run(command: () => Promise<void>): Promise<boolean> {
    try {
      await command();
      showError(undefined);
      return true;
    } catch (error) {
      showError(error);
      return false;
    }
  }

  const stage = createStage({ room, name, colour, simulated });
  const controls = createControls({
    room,
    run,
    enter: async () => room.enter(await options.enterConfig()),
    cameraView: stage.cameraView,
    screenView: stage.screenView,
  });
  const callLog = createCallLog(room);
  const inspectorSlot = el('div', { class: 'inspector-slot' });
  const header = el(
    'header',
    {},
    el('span', { class: 'avatar', style: `background: ${colour}` }, name.slice(0, 1).toUpperCase()),
    el('h2', {}, name),
    badge,
    kickReason,
    connection,
    button('×', options.onRemove, { class: 'remove', title: `Destroy ${name}'s controller and remove the card`, 'aria-label': `Remove ${name}` }),
  );
  const card = el('article', { class: 'card', style: `--card-colour: ${colour}` }, header, endingLine, controls.element, errorLine, stage.element, callLog.element);
  // Collapsed at first (the page stays short); its summary shows the state all the same.
  const inspectorState = el('span', { class: 'inspector-state' });
  const inspector = el('details', { class: 'inspector' }, el('summary', {}, `Inspector: ${name}'s statecharts and log — `, inspectorState), inspectorSlot);
  const element = el('div', { class: 'participant', 'data-participant': name }, card, inspector);
  const panel = mountInspector(room, inspectorSlot, { label: name });

  function render(): void {
    const view = room.view();
    setData(element, 'state', view.state);
    setData(element, 'kickReason', view.state === 'kicked' ? view.kickReason : undefined);
    setText(badge, view.state);
    setText(inspectorState, JSON.stringify(room.getSnapshot().value).replace(/[{}"]/g, '').replace(/:/g, '.'));
    setData(badge, 'state', view.state);
    kickReason.hidden = view.state !== 'kicked';
    setText(kickReason, view.state === 'kicked' ? `kicked: ${view.kickReason ?? '?'}` : '');
    connection.hidden = view.state !== 'inRoom' || view.connection !== 'reconnecting';
    const ending = describeEnding(view);
    endingLine.hidden = ending === null;
    setText(endingLine, ending?.message ?? '');
    setData(endingLine, 'key', ending?.key);
    // A session error that no command of this card returned, e.g. a lost connection.
    if (view.error !== lastViewError && view.error) showError(view.error);
    lastViewError = view.error;
    controls.render(view);
    stage.render(view, controls.camera);
  }

  let lastView: RoomView | undefined;
  const stops = [
    room.subscribe(() => {
      if (room.view() === lastView) return;
      lastView = room.view();
      render();
    }),
    room.on('entered', () => {
      room.enableAudioVolumeEvaluation(VOLUME_INTERVAL_MS).catch(showError);
    }),
  ];
  render();

  return {
    name,
    room,
    element,
    async dispose() {
      for (const stop of stops) stop();
      callLog.dispose();
      stage.dispose();
      await room.destroy();
      panel.unmount();
      element.remove();
    },
  };
}
