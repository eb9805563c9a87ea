// The video area of a card: this participant's camera and screen, and a tile per remote user.
import type { RemoteUserView, RoomController, RoomView, StreamType } from 'trtc-room-machine';
import { el, setData, setText } from './dom.js';
import { colourOf } from './people.js';
import { createRemotePlayback } from './remote-playback.js';
import { createSimulatedCamera } from './simulated-camera.js';
import type { CameraSettings } from './simulated-camera.js';

export interface StageOptions {
  room: RoomController;
  name: string;
  colour: string;
  /** Simulator: the demo draws the pictures. Real TRTC: the SDK plays video into the slots. */
  simulated: boolean;
}

export interface Stage {
  readonly element: HTMLElement;
  /** Where the SDK renders the local camera and screen (`view` of startLocalVideo / startScreenShare). */
  readonly cameraView: HTMLElement;
  readonly screenView: HTMLElement;
  render(view: RoomView, camera: CameraSettings): void;
  dispose(): void;
}

interface RemoteTile {
  element: HTMLElement;
  slot: HTMLElement;
  streams: HTMLElement;
  volume: HTMLElement;
}

function tile(kind: string, label: string, colour: string): { element: HTMLElement; slot: HTMLElement } {
  const slot = el('div', { class: 'tile-slot' });
  const element = el(
    'figure',
    { class: `tile tile--${kind}`, style: `--tile-colour: ${colour}` },
    slot,
    el('div', { class: 'tile-face' }, el('span', {}, label)),
    el('div', { class: 'tile-off' }, kind === 'screen' ? 'no screen' : 'camera off'),
  );
  return { element, slot };
}

function streamsText(user: RemoteUserView): string {
  const on = [user.audio && 'mic', user.video && 'cam', user.screen && 'screen'].filter(Boolean);
  return on.length > 0 ? on.join(' · ') : 'nothing published';
}

function presenceText(view: RoomView, roomId: string): string {
  if (view.state !== 'inRoom') return 'not in a room';
  const others = view.remoteUsers.map((user) => user.userId);
  if (others.length === 0) return `in room ${roomId}, alone`;
  return `in room ${roomId} with ${others.join(', ')}`;
}

export function createStage({ room, name, colour, simulated }: StageOptions): Stage {
  const own = tile('camera', name, colour);
  const ownScreen = tile('screen', `${name}'s screen`, colour);
  own.element.append(el('figcaption', {}, `${name} (you)`));
  ownScreen.element.append(el('figcaption', {}, `${name}'s screen (you)`));
  const camera = simulated ? createSimulatedCamera(name, colour) : undefined;
  if (camera) own.slot.append(camera.element);

  const tiles = el('div', { class: 'tiles' }, own.element, ownScreen.element);
  const presence = el('p', { class: 'presence' });
  const resume = el('button', { type: 'button', class: 'resume', hidden: '' }, 'The browser blocked playback: click to play');
  resume.addEventListener('click', () => void room.resumeAutoplay().catch(() => undefined));
  const element = el('section', { class: 'stage', 'data-simulated': String(simulated) }, tiles, presence, resume);

  const remote = new Map<string, RemoteTile>();
  const remoteScreens = new Map<string, RemoteTile>();
  const slotFor = (userId: string, streamType: StreamType) => (streamType === 'main' ? remote : remoteScreens).get(userId)?.slot;
  const playback = createRemotePlayback(room, slotFor);

  function remoteTile(tilesOf: Map<string, RemoteTile>, user: RemoteUserView, kind: 'remote' | 'screen'): RemoteTile {
    const existing = tilesOf.get(user.userId);
    if (existing) return existing;
    const label = kind === 'screen' ? `${user.userId}'s screen` : user.userId;
    const made = tile(kind, label, colourOf(user.userId));
    const streams = el('span', { class: 'streams' });
    const volume = el('span', { class: 'volume' }, el('span', {}));
    made.element.append(el('figcaption', {}, label, ' ', streams, volume));
    made.element.dataset.user = user.userId;
    const created = { ...made, streams, volume };
    tilesOf.set(user.userId, created);
    tiles.append(made.element);
    return created;
  }

  function renderRemote(view: RoomView): void {
    const users = view.state === 'inRoom' ? view.remoteUsers : [];
    const withScreen = new Set(users.filter((user) => user.screen).map((user) => user.userId));
    for (const user of users) {
      const cameraTile = remoteTile(remote, user, 'remote');
      setData(cameraTile.element, 'video', user.video ? 'on' : 'off');
      setText(cameraTile.streams, streamsText(user));
      const level = user.audio ? (user.volume ?? 0) : 0;
      (cameraTile.volume.firstElementChild as HTMLElement).style.width = `${level}%`;
      if (user.screen) setData(remoteTile(remoteScreens, user, 'screen').element, 'video', 'on');
    }
    const present = new Set(users.map((user) => user.userId));
    for (const [tilesOf, keep] of [[remote, present], [remoteScreens, withScreen]] as const) {
      for (const [userId, gone] of tilesOf) {
        if (keep.has(userId)) continue;
        gone.element.remove();
        tilesOf.delete(userId);
      }
    }
  }

  return {
    element,
    cameraView: own.slot,
    screenView: ownScreen.slot,
    render(view, settings) {
      const cameraOn = view.local.camera === 'on' && !view.muted.camera;
      setData(own.element, 'video', cameraOn ? 'on' : 'off');
      setData(ownScreen.element, 'video', view.local.screen === 'on' ? 'on' : 'off');
      if (camera && cameraOn) camera.show(settings);
      else camera?.hide();
      renderRemote(view);
      const target = room.getSnapshot().context.target;
      setText(presence, presenceText(view, String(target?.roomId ?? target?.strRoomId ?? '')));
      setData(presence, 'remoteCount', String(view.state === 'inRoom' ? view.remoteUsers.length : 0));
      resume.hidden = !view.autoplayBlocked;
      playback.sync(view);
    },
    dispose() {
      camera?.hide();
    },
  };
}
