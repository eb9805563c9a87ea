// The simulator side of the page: one SimulatedCloud, and a card per participant on it.
import { createRoomController } from 'trtc-room-machine';
import type { EnterConfig } from 'trtc-room-machine';
import { SimulatedCloud } from 'trtc-room-machine/simulator';
import type { SimulatedClient } from 'trtc-room-machine/simulator';
import { el } from './dom.js';
import { createParticipantCard } from './participant.js';
import type { ParticipantCard } from './participant.js';
import { colourOf, nextName } from './people.js';

/** Any non-zero number does for the simulator; the real service checks it. */
export const SIMULATED_SDK_APP_ID = 1400000000;
const SPEECH_TICK_MS = 200;

export interface Simulation {
  readonly cloud: SimulatedCloud;
  /** The participants, side by side. */
  readonly element: HTMLElement;
  /** The room every card enters; what the input holds, checked by the library on enter. */
  roomId: number;
  enterConfig(userId: string): EnterConfig;
  addParticipant(): ParticipantCard;
  names(): string[];
  onParticipantsChanged(listener: () => void): void;
}

export function createSimulation(): Simulation {
  const cloud = new SimulatedCloud({ latencyMs: 30 });
  const element = el('div', { class: 'participants' });
  const cards: ParticipantCard[] = [];
  const clients = new Map<string, SimulatedClient>();
  const listeners: Array<() => void> = [];
  const changed = () => listeners.forEach((listener) => listener());

  // Everyone "speaks" in a slow wave of their own; a client reports it while its microphone is published.
  setInterval(() => {
    const t = performance.now() / 1000;
    [...clients.values()].forEach((client, i) => client.setSpeakingLevel(Math.round(20 + 60 * Math.abs(Math.sin(t * (0.7 + i * 0.23) + i)))));
  }, SPEECH_TICK_MS);

  const simulation: Simulation = {
    cloud,
    element,
    roomId: 8888,
    enterConfig: (userId) => ({ sdkAppId: SIMULATED_SDK_APP_ID, userId, userSig: `simulated-userSig-${userId}`, roomId: simulation.roomId }),
    addParticipant() {
      const name = nextName(cards.map((card) => card.name));
      const room = createRoomController({
        // A fresh client whenever the controller needs one (a wedged instance is replaced).
        trtc: () => {
          const client = cloud.createClient({ label: name });
          clients.set(name, client);
          return client;
        },
      });
      const card = createParticipantCard({
        name,
        colour: colourOf(name),
        room,
        simulated: true,
        enterConfig: () => simulation.enterConfig(name),
        onRemove: () => {
          cards.splice(cards.indexOf(card), 1);
          clients.delete(name);
          void card.dispose();
          changed();
        },
      });
      cards.push(card);
      element.append(card.element);
      changed();
      return card;
    },
    names: () => cards.map((card) => card.name),
    onParticipantsChanged: (listener) => listeners.push(listener),
  };
  return simulation;
}
