// The buttons of a card: lifecycle, devices and camera settings, enabled by what the state allows.
import type { DeviceStatus, RoomController, RoomView } from 'trtc-room-machine';
import { button, el, select, setData } from './dom.js';
import type { CameraProfile, CameraRotation, CameraSettings } from './simulated-camera.js';

export interface ControlsOptions {
  room: RoomController;
  /** Runs a command; a rejection shows on the card instead of escaping. */
  run(command: () => Promise<void>): Promise<boolean>;
  enter(): Promise<void>;
  cameraView: HTMLElement;
  screenView: HTMLElement;
}

export interface Controls {
  readonly element: HTMLElement;
  readonly camera: CameraSettings;
  render(view: RoomView): void;
}

const PROFILES: readonly CameraProfile[] = ['480p', '720p', '1080p'];
const ROTATIONS = ['0', '90', '180', '270'] as const;

/** Media commands are taken before entering (device preview) and in the room; not after a kick or destroy. */
const DEVICE_STATES: ReadonlySet<RoomView['state']> = new Set(['idle', 'entering', 'inRoom']);

export function createControls({ room, run, enter, cameraView, screenView }: ControlsOptions): Controls {
  const camera: CameraSettings = { profile: '720p', rotation: 0 };
  let view = room.view();

  const toggle = (status: DeviceStatus, start: () => Promise<void>, stop: () => Promise<void>) =>
    void run(status === 'on' ? stop : start);

  const lifecycle = {
    enter: button('Enter', () => void run(enter), { class: 'primary' }),
    exit: button('Exit', () => void run(() => room.exit()), { title: 'After a kick: resolves at once, with no exitRoom call (the SDK has left already)' }),
    destroy: button('Destroy', () => void run(() => room.destroy()), { class: 'danger' }),
  };
  const devices = {
    microphone: button('Mic', () => toggle(view.local.microphone, () => room.startLocalAudio(), () => room.stopLocalAudio()), { class: 'device' }),
    camera: button('Camera', () => toggle(view.local.camera, () => room.startLocalVideo({ view: cameraView, option: { ...camera } }), () => room.stopLocalVideo()), { class: 'device' }),
    screen: button('Screen', () => toggle(view.local.screen, () => room.startScreenShare({ view: screenView }), () => room.stopScreenShare()), { class: 'device' }),
  };

  /** Applied at once when the camera is on; kept for the next start otherwise. */
  async function changeCamera(change: Partial<CameraSettings>, input: HTMLSelectElement, previous: string): Promise<void> {
    if (view.local.camera !== 'on') {
      Object.assign(camera, change);
      return;
    }
    const applied = await run(() => room.updateLocalVideo({ option: change }));
    if (applied) Object.assign(camera, change);
    else input.value = previous;
  }
  const quality = select('Quality', PROFILES, camera.profile, (profile) => void changeCamera({ profile }, quality.input, camera.profile));
  const rotation = select('Rotation', ROTATIONS, '0', (value) => {
    const degrees = Number(value) as CameraRotation;
    void changeCamera({ rotation: degrees }, rotation.input, String(camera.rotation));
  });

  const element = el(
    'div',
    { class: 'controls' },
    el('div', { class: 'control-row' }, lifecycle.enter, lifecycle.exit, lifecycle.destroy),
    el('div', { class: 'control-row' }, devices.microphone, devices.camera, devices.screen, quality.element, rotation.element),
  );

  return {
    element,
    camera,
    render(next) {
      view = next;
      const { state } = next;
      lifecycle.enter.disabled = state !== 'idle' && state !== 'kicked';
      // Kicked too: pressing it shows that exit() then makes no SDK call.
      lifecycle.exit.disabled = state !== 'entering' && state !== 'inRoom' && state !== 'kicked';
      lifecycle.destroy.disabled = state === 'destroyed';
      for (const kind of ['microphone', 'camera', 'screen'] as const) {
        const status = next.local[kind];
        const control = devices[kind];
        control.disabled = !DEVICE_STATES.has(state) || status === 'starting' || status === 'stopping';
        control.setAttribute('aria-pressed', String(status === 'on'));
        setData(control, 'status', status);
      }
      quality.input.disabled = state === 'destroyed';
      rotation.input.disabled = state === 'destroyed';
    },
  };
}
