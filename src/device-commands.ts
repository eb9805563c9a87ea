import type { LocalAudioOptions, LocalVideoOptions, ScreenShareOptions } from './adapters/trtc.types.js';
import { RoomError, roomErrors } from './errors.js';
import { changesMute, requestedMute } from './machines/device/device.rules.js';
import type { DeviceKind } from './machines/device/device.types.js';
import { parseMediaOptions } from './machines/room/room.media-config.js';
import { mayPublish } from './machines/room/room.rules.js';
import type { RoomEvent } from './machines/room/room.types.js';
import type { CommandHost } from './controller.types.js';

type MediaOptions = LocalAudioOptions | LocalVideoOptions | ScreenShareOptions;

const DEVICE_NAMES: Record<DeviceKind, string> = { microphone: 'microphone', camera: 'camera', screen: 'screen share' };

const audienceMayNotPublish = (command: string) =>
  new RoomError('INVALID_STATE', `${command}(): an audience cannot publish in the live scene; switchRole('anchor') first, or pass publish: false to preview`);

/**
 * The local media commands: each is sent to the room machine, which forwards it to the device's
 * machine, and ends when the device comes to rest (`media.settled`). The commands of one device run
 * one after the other, as the SDK's own per-track queue does; each one's options are handed over
 * when it runs, and whatever it did not use is dropped after it.
 */
export function createDeviceCommands(host: CommandHost) {
  const { actor, session } = host;
  const deviceOf = (kind: DeviceKind) => actor.getSnapshot().context.local[kind];
  const queues: Record<DeviceKind, Promise<unknown>> = {
    microphone: Promise.resolve(),
    camera: Promise.resolve(),
    screen: Promise.resolve(),
  };

  function queued(kind: DeviceKind, run: () => Promise<void>): Promise<void> {
    const next = queues[kind].then(run, run).finally(() => session.takeMediaOptions(kind));
    queues[kind] = next.catch(() => undefined);
    return next;
  }

  /** Sends the command and resolves once the device is at rest again, with its call's failure if any. */
  function settled(kind: DeviceKind, command: string, event: RoomEvent, options?: MediaOptions): Promise<void> {
    const context = actor.getSnapshot().context;
    if (!actor.getSnapshot().can(event)) {
      host.ensureAlive(command);
      if (event.type === 'media.start' && !mayPublish(context, event.publish)) throw audienceMayNotPublish(command);
      host.refuse(command);
    }
    host.instanceFor(command);
    // Handed over only now that the command is taken, so no refused command leaves options behind.
    session.giveMediaOptions(kind, options as never);
    return new Promise<void>((resolve, reject) => {
      const subscriptions = [
        actor.on('media.settled', ({ device, error }) => {
          if (device !== kind) return;
          done();
          if (error) reject(error);
          else resolve();
        }),
        actor.on('destroyed', () => {
          done();
          reject(roomErrors.destroyed(command));
        }),
      ];
      const done = () => subscriptions.forEach((subscription) => subscription.unsubscribe());
      actor.send(event);
    });
  }

  async function start(kind: DeviceKind, command: string, options: MediaOptions | undefined): Promise<void> {
    host.ensureAlive(command);
    // Started already: what it asks for (a view, a profile, a mute) is applied as an update would
    // apply it, never dropped; with nothing asked there is nothing to do (the SDK would reject 5998).
    if (deviceOf(kind).status === 'on') {
      if (options !== undefined && Object.keys(options).length > 0) await update(kind, command, options);
      return;
    }
    const event = { type: 'media.start', device: kind, publish: options?.publish !== false, muted: requestedMute(options) === true } as const;
    await settled(kind, command, event, options);
    if (deviceOf(kind).status !== 'on') {
      throw new RoomError('CANCELLED', `${command}(): the ${DEVICE_NAMES[kind]} was stopped before it started`);
    }
  }

  async function stop(kind: DeviceKind, command: string): Promise<void> {
    host.ensureAlive(command);
    if (deviceOf(kind).status === 'off') return;
    await settled(kind, command, { type: 'media.stop', device: kind });
  }

  async function update(kind: DeviceKind, command: string, options: MediaOptions): Promise<void> {
    host.ensureAlive(command);
    const device = deviceOf(kind);
    if (device.status !== 'on') throw new RoomError('INVALID_STATE', `${command}(): the ${DEVICE_NAMES[kind]} is not on`);
    // Publishing a preview is publishing: the same rule as a start.
    if (options.publish === true && !mayPublish(actor.getSnapshot().context, true)) throw audienceMayNotPublish(command);
    const requested = requestedMute(options);
    const onlyMute = typeof (options as { mute?: unknown }).mute === 'boolean' && Object.keys(options).every((key) => key === 'mute');
    // Muting what is muted changes nothing; any other option still goes to the SDK.
    if (onlyMute && !changesMute(device.muted, requested)) return;
    const event: RoomEvent = changesMute(device.muted, requested)
      ? { type: 'media.mute', device: kind, muted: requested }
      : { type: 'media.update', device: kind };
    await settled(kind, command, event, options);
    // The room stopped the device meanwhile (a kick, an exit): the update did not take effect.
    if (deviceOf(kind).status !== 'on') {
      throw new RoomError('CANCELLED', `${command}(): the ${DEVICE_NAMES[kind]} was stopped before the change took effect`);
    }
  }

  /** Options read once and checked before the command is queued: a bad one never waits behind others. */
  function checked(kind: DeviceKind, command: string, options: unknown, required: boolean): MediaOptions | undefined {
    host.ensureAlive(command);
    return parseMediaOptions<MediaOptions>(command, options, required, kind);
  }

  return {
    start: (kind: DeviceKind, command: string, options?: MediaOptions) => {
      try {
        const given = checked(kind, command, options, false);
        return queued(kind, () => start(kind, command, given));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    stop: (kind: DeviceKind, command: string) => queued(kind, () => stop(kind, command)),
    update: (kind: DeviceKind, command: string, options: MediaOptions) => {
      try {
        const given = checked(kind, command, options, true) as MediaOptions;
        return queued(kind, () => update(kind, command, given));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    /** Resolves once every command queued so far has settled (after destroy, each rejects at once). */
    drained: () => Promise.all(Object.values(queues)).then(() => undefined),
  };
}
