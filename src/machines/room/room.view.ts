import { DEVICE_KINDS } from '../device/device.types.js';
import type { DeviceKind, DeviceStatus } from '../device/device.types.js';
import type { RoomErrorData } from '../../errors.js';
import type { ConnectionStatus, KickReason, NetworkQuality, RoomContext, RoomStateName, RoomWarning, UserRole } from './room.types.js';
import type { RemoteUserView } from './roster.js';

/** Everything a UI renders, as one plain serialisable object (see docs/view.md). */
export interface RoomView {
  state: RoomStateName;
  kickReason?: KickReason;
  error?: RoomErrorData;
  warning?: RoomWarning;
  connection: ConnectionStatus;
  /** The role held in the room; absent outside it. */
  role?: UserRole;
  local: Record<DeviceKind, DeviceStatus>;
  localErrors: Partial<Record<DeviceKind, RoomErrorData>>;
  muted: { microphone: boolean; camera: boolean };
  remoteUsers: readonly RemoteUserView[];
  network: NetworkQuality;
  /** The browser blocked playback: call `resumeAutoplay()` from a click. */
  autoplayBlocked: boolean;
}

export interface ViewSource {
  state: RoomStateName;
  context: RoomContext;
  remoteUsers: readonly RemoteUserView[];
}

const sameDevices = (a: RoomContext['local'], b: RoomContext['local']) =>
  a === b ||
  DEVICE_KINDS.every((kind) => a[kind].status === b[kind].status && a[kind].muted === b[kind].muted && a[kind].error === b[kind].error);

function unchanged(previous: ViewSource, next: ViewSource): boolean {
  const [a, b] = [previous.context, next.context];
  return (
    previous.state === next.state &&
    previous.remoteUsers === next.remoteUsers &&
    a.kickReason === b.kickReason &&
    a.error === b.error &&
    a.warning === b.warning &&
    a.connection === b.connection &&
    a.role === b.role &&
    a.network === b.network &&
    a.autoplayBlocked === b.autoplayBlocked &&
    sameDevices(a.local, b.local)
  );
}

// The SDK's destroy() stops every local track (docs/sdk-facts.md): once destroyed, nothing is on.
const ALL_OFF: RoomContext['local'] = {
  microphone: { status: 'off', muted: false, error: null },
  camera: { status: 'off', muted: false, error: null },
  screen: { status: 'off', muted: false, error: null },
};

type DeviceParts = Pick<RoomView, 'local' | 'localErrors' | 'muted'>;

function deviceParts(local: RoomContext['local']): DeviceParts {
  const localErrors: RoomView['localErrors'] = {};
  for (const kind of DEVICE_KINDS) {
    const error = local[kind].error;
    if (error) localErrors[kind] = error;
  }
  return {
    local: { microphone: local.microphone.status, camera: local.camera.status, screen: local.screen.status },
    localErrors,
    muted: { microphone: local.microphone.muted, camera: local.camera.muted },
  };
}

function build({ state, context, remoteUsers }: ViewSource, devices: DeviceParts): RoomView {
  return {
    state,
    ...(context.kickReason ? { kickReason: context.kickReason } : {}),
    ...(context.error ? { error: context.error } : {}),
    ...(context.warning ? { warning: context.warning } : {}),
    connection: context.connection,
    ...(context.role ? { role: context.role } : {}),
    ...devices,
    remoteUsers,
    network: context.network,
    autoplayBlocked: context.autoplayBlocked,
  };
}

/**
 * Returns a view function that gives the same object until something in it changes. The device
 * parts are kept while the devices do not change: a roster change rebuilds only the top level.
 */
export function createViewMemo(): (source: ViewSource) => RoomView {
  let last: { source: ViewSource; view: RoomView } | undefined;
  let devices: { local: RoomContext['local']; parts: DeviceParts } | undefined;
  return (source) => {
    if (last && unchanged(last.source, source)) return last.view;
    const local = source.state === 'destroyed' ? ALL_OFF : source.context.local;
    if (!devices || !sameDevices(devices.local, local)) devices = { local, parts: deviceParts(local) };
    last = { source, view: build(source, devices.parts) };
    return last.view;
  };
}
