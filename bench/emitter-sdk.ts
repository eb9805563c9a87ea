import type { SdkEventHandler, TrtcLike } from 'trtc-room-machine';

type Listener = (payload: unknown) => void;

/**
 * The smallest TRTC-shaped object: calls resolve at once, events are emitted by the bench. It
 * keeps the simulator's bookkeeping out of the figures, so they measure the controller alone.
 */
export class EmitterSdk implements TrtcLike {
  private readonly listeners = new Map<string, Set<Listener>>();

  emit(event: string, payload: unknown): void {
    const set = this.listeners.get(event);
    if (set) for (const listener of set) listener(payload);
  }

  on(event: string, handler: SdkEventHandler): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(handler as Listener);
  }

  off(event: string, handler: SdkEventHandler): void {
    this.listeners.get(event)?.delete(handler as Listener);
  }

  enterRoom = async (): Promise<void> => undefined;
  exitRoom = async (): Promise<void> => undefined;
  destroy(): void {
    this.listeners.clear();
  }
  switchRole = async (): Promise<void> => undefined;
  switchRoom = async (): Promise<void> => undefined;
  startLocalAudio = async (): Promise<void> => undefined;
  updateLocalAudio = async (): Promise<void> => undefined;
  stopLocalAudio = async (): Promise<void> => undefined;
  startLocalVideo = async (): Promise<void> => undefined;
  updateLocalVideo = async (): Promise<void> => undefined;
  stopLocalVideo = async (): Promise<void> => undefined;
  startScreenShare = async (): Promise<void> => undefined;
  updateScreenShare = async (): Promise<void> => undefined;
  stopScreenShare = async (): Promise<void> => undefined;
  startRemoteVideo = async (): Promise<void> => undefined;
  updateRemoteVideo = async (): Promise<void> => undefined;
  stopRemoteVideo = async (): Promise<void> => undefined;
  muteRemoteAudio = async (): Promise<void> => undefined;
  setRemoteAudioVolume(): void {}
  enableAudioVolumeEvaluation(): void {}
}
