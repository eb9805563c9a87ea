// Every SDK call a controller makes, as room.onSdkCall reports it; and, after a kick, the standing
// proof that no exitRoom followed it (the SDK has left the room by itself).
import type { KickReason, RoomController, SdkCall } from 'trtc-room-machine';
import { el, setData, setText } from './dom.js';

export interface CallLog {
  readonly element: HTMLElement;
  dispose(): void;
}

const MAX_ROWS = 150;

function duration(call: SdkCall): string {
  return call.endedAt === undefined ? '…' : `${call.endedAt - call.startedAt} ms`;
}

/** Calls the demo makes of its own accord, and why, so they do not puzzle a first-time visitor. */
const WHY: Partial<Record<string, string>> = {
  enableAudioVolumeEvaluation: 'for the volume meters',
};

export function createCallLog(room: RoomController): CallLog {
  const list = el('ol', { class: 'calls' });
  const proof = el('p', { class: 'kick-proof', hidden: '' });
  const element = el('section', { class: 'call-log' }, el('h3', {}, 'SDK calls'), proof, list);
  const rows = new Map<number, HTMLElement>();
  let kick: { reason: KickReason; exitRoomCalls: number } | undefined;

  function append(row: HTMLElement): void {
    const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    list.append(row);
    while (list.childElementCount > MAX_ROWS) list.firstElementChild?.remove();
    if (stick) list.scrollTop = list.scrollHeight;
  }

  function renderProof(): void {
    proof.hidden = kick === undefined;
    if (!kick) return;
    const kept = kick.exitRoomCalls === 0;
    setText(proof, kept ? `kicked (${kick.reason}) — no exitRoom called` : `kicked (${kick.reason}) — exitRoom called ${kick.exitRoomCalls}× after the kick`);
    setData(proof, 'exitRoomAfterKick', String(kick.exitRoomCalls));
    proof.classList.toggle('kick-proof--broken', !kept);
  }

  function onCall(call: SdkCall): void {
    let row = rows.get(call.id);
    if (!row) {
      const why = WHY[call.method];
      row = el(
        'li',
        { 'data-method': call.method },
        el('span', { class: 'method' }, `${call.method}()`, why ? el('small', { class: 'why' }, ` ${why}`) : undefined),
        el('span', { class: 'status' }),
        el('span', { class: 'duration' }),
      );
      rows.set(call.id, row);
      append(row);
      if (call.method === 'exitRoom' && kick) {
        kick.exitRoomCalls += 1;
        renderProof();
      }
    }
    setData(row, 'status', call.status);
    const [, status, took] = Array.from(row.children) as HTMLElement[];
    if (status) setText(status, call.error ? `${call.status} ${call.error.code ?? ''}`.trim() : call.status);
    if (took) setText(took, duration(call));
    if (call.status !== 'pending') rows.delete(call.id);
  }

  const stops = [
    room.onSdkCall(onCall),
    room.on('kicked', ({ reason }) => {
      kick = { reason, exitRoomCalls: 0 };
      append(el('li', { class: 'kick-marker' }, `kicked out (${reason}): the SDK has left the room`));
      renderProof();
    }),
    room.on('entered', () => {
      kick = undefined;
      renderProof();
    }),
    // Another controller of this browser enters as this user: warned before TRTC's kick comes.
    room.on('duplicateUser', ({ userId }) => {
      append(el('li', { class: 'duplicate-marker' }, `duplicateUser: ${userId} is entering from elsewhere in this browser — a kick (kick) follows`));
    }),
    // Exit after a kick: the promise resolves and nothing reaches the SDK.
    room.on('exit.settled', ({ error }) => {
      if (kick && !error && room.view().state === 'kicked') append(el('li', { class: 'exit-after-kick' }, 'exit() resolved — no SDK call'));
    }),
  ];

  return {
    element,
    dispose() {
      for (const stop of stops) stop();
    },
  };
}
