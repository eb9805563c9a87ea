import type { AnyActorRef, InspectionEvent, StateValue } from 'xstate';
import type { RoomController } from '../controller.js';
import { peekEvent } from '../inspect/inspection.js';
import { activeStateIds, drawChart } from './inspector.chart.js';
import type { DrawnChart } from './inspector.chart.js';
import { InspectorLog } from './inspector.log.js';
import type { LogEntry } from './inspector.log.js';
import { ensureStyles } from './inspector.styles.js';
import { DEVICE_LAYOUT, ROOM_LAYOUT } from './statechart.layout.js';

export interface InspectorPanelOptions {
  /** Shown in the panel's header, e.g. the participant's name. */
  label?: string;
  /** Log rows kept (older ones drop off). Default 200. */
  maxEntries?: number;
}

export interface InspectorPanel {
  readonly element: HTMLElement;
  /** Renders what is queued now instead of at the next animation frame. */
  flush(): void;
  /** Stops listening and removes the panel; idempotent. */
  unmount(): void;
}

const DEVICES = ['microphone', 'camera', 'screen'] as const;
const DEVICE_BADGES: Record<(typeof DEVICES)[number], string> = { microphone: 'mic', camera: 'cam', screen: 'screen' };

const valueText = (value: StateValue): string =>
  typeof value === 'string'
    ? value
    : Object.entries(value)
        .map(([key, child]) => (child === undefined ? key : `${key}.${valueText(child)}`))
        .join(', ');

const clock = (at: number) => {
  const time = new Date(at);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
};

/** Leaf states only: where a device badge goes. */
const leaves = (ids: string[]) => ids.filter((id) => !ids.some((other) => other.startsWith(`${id}.`)));

/**
 * Mounts the offline inspector for a live controller into `container`: the room and device
 * statecharts with the active states marked, and a log of machine events, state changes and SDK
 * calls with their outcomes. Work is batched to one render per animation frame; audio-volume and
 * network-quality events collapse into one counted row. Everything shown comes redacted.
 */
export function mountInspector(room: RoomController, container: HTMLElement, options: InspectorPanelOptions = {}): InspectorPanel {
  const doc = container.ownerDocument;
  const view = doc.defaultView;
  ensureStyles(doc);
  const log = new InspectorLog(options.maxEntries ?? 200);
  const rootId = room.actor.sessionId;

  const panel = doc.createElement('section');
  panel.className = 'trm-inspector';
  const header = doc.createElement('header');
  const title = doc.createElement('strong');
  title.textContent = options.label ?? 'room';
  const state = doc.createElement('span');
  state.className = 'trm-state';
  const clear = doc.createElement('button');
  clear.type = 'button';
  clear.textContent = 'Clear log';
  header.append(title, state, clear);

  // The library's own machines, laid out by `npm run docs` (no layout engine ships).
  const hasDevices = room.getSnapshot().children.microphone !== undefined;
  const roomChart = drawChart(doc, ROOM_LAYOUT, 'room');
  const deviceChart: DrawnChart | undefined = hasDevices ? drawChart(doc, DEVICE_LAYOUT, 'devices') : undefined;
  const charts = doc.createElement('div');
  charts.className = 'trm-charts';
  charts.append(roomChart.element, ...(deviceChart ? [deviceChart.element] : []));

  const list = doc.createElement('ol');
  list.className = 'trm-log';
  panel.append(header, charts, list);
  container.append(panel);

  // ---- what the listeners queue; render() applies it once per frame ----
  const rows = new Map<LogEntry, HTMLElement>();
  /** Transitions taken since the last frame, `source|event`: each flashes once per frame. */
  const fired = new Set<string>();
  const lastValues = new Map<string, string>();
  let chartDirty = true;
  let frame: number | undefined;

  const schedule = () => {
    if (frame !== undefined) return;
    frame = view?.requestAnimationFrame ? view.requestAnimationFrame(render) : (setTimeout(render, 16) as unknown as number);
  };

  /** Writes only what changed: a collapsed row is refilled every frame under a burst. */
  const set = (cell: HTMLElement | undefined, text: string) => {
    if (cell && cell.textContent !== text) cell.textContent = text;
  };
  const fillRow = (row: HTMLElement, entry: LogEntry) => {
    const [time, name, detail, count] = Array.from(row.children) as HTMLElement[];
    set(time, clock(entry.at));
    set(name, entry.title);
    const text = entry.detail;
    set(detail, text);
    if (detail && detail.title !== text) detail.title = text;
    set(count, entry.count > 1 ? `×${entry.count}` : '');
    if (entry.status && row.dataset.status !== entry.status) row.dataset.status = entry.status;
  };

  const newRow = (entry: LogEntry) => {
    const row = doc.createElement('li');
    row.className = 'trm-entry';
    row.dataset.kind = entry.kind;
    row.append(doc.createElement('time'), ...['trm-title', 'trm-detail', 'trm-count'].map((name) => {
      const cell = doc.createElement('span');
      cell.className = name;
      return cell;
    }));
    fillRow(row, entry);
    return row;
  };

  function renderChart() {
    const snapshot = room.getSnapshot();
    panel.dataset.roomState = typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0] ?? '';
    state.textContent = valueText(snapshot.value);
    roomChart.setActive(new Set(activeStateIds('room', snapshot.value)));
    if (!deviceChart) return;
    const active = new Set<string>();
    const badges = new Map<string, string[]>();
    for (const kind of DEVICES) {
      const child = snapshot.children[kind] as AnyActorRef | undefined;
      const value = child?.getSnapshot().value as StateValue | undefined;
      if (value === undefined) continue;
      const ids = activeStateIds('device', value);
      for (const id of ids) active.add(id);
      for (const id of leaves(ids)) badges.set(id, [...(badges.get(id) ?? []), DEVICE_BADGES[kind]]);
    }
    deviceChart.setActive(active, badges);
  }

  function render() {
    frame = undefined;
    if (chartDirty) renderChart();
    chartDirty = false;
    for (const key of fired) {
      const [source = '', eventType = ''] = key.split('|');
      (source.startsWith('device') ? deviceChart : roomChart)?.fired(source, eventType);
    }
    fired.clear();

    const { added, updated, removed } = log.drain();
    for (const entry of removed) {
      rows.get(entry)?.remove();
      rows.delete(entry);
    }
    for (const entry of updated) {
      const row = rows.get(entry);
      if (row) fillRow(row, entry);
    }
    if (added.length > 0) {
      const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
      const fragment = doc.createDocumentFragment();
      for (const entry of added) {
        const row = newRow(entry);
        rows.set(entry, row);
        fragment.append(row);
      }
      list.append(fragment);
      if (stick) list.scrollTop = list.scrollHeight;
    }
  }

  // ---- listeners: cheap, they only queue ----
  const isRoot = (ref: unknown) => (ref as { sessionId?: string } | undefined)?.sessionId === rootId;
  const deviceOf = (ref: unknown) => {
    const actor = ref as { id?: string; _parent?: { sessionId?: string } } | undefined;
    return actor?._parent?.sessionId === rootId && DEVICES.includes(actor.id as never) ? (actor.id as string) : undefined;
  };

  function onInspection(event: InspectionEvent) {
    // Audio-volume and network-quality events change no state: log them (collapsed), nothing else.
    // Checked first, so their snapshots and microsteps are never copied.
    if (event.type !== '@xstate.event' && event.type !== '@xstate.snapshot' && event.type !== '@xstate.microstep') return;
    const peeked = peekEvent(event);
    if (peeked.noisy) {
      if (event.type !== '@xstate.event' || !isRoot(event.actorRef)) return;
      // A roster notice stands for `count` SDK events. The (redacted) payload is read only if drawn.
      log.event(peeked.type, () => event.event, Date.now(), peeked.type, peeked.count ?? 1);
    } else if (event.type === '@xstate.event') {
      if (!isRoot(event.actorRef) || event.event.type === 'xstate.init') return;
      log.event(event.event.type, event.event, Date.now());
      chartDirty = true;
    } else if (event.type === '@xstate.snapshot') {
      const device = deviceOf(event.actorRef);
      if (!isRoot(event.actorRef) && !device) return;
      chartDirty = true;
      const value = (event.snapshot as { value?: StateValue }).value;
      if (value === undefined) return;
      const text = valueText(value);
      const key = device ?? 'room';
      if (lastValues.get(key) === text) return;
      lastValues.set(key, text);
      log.state(device ? `${device} →` : '→', text, Date.now());
    } else {
      for (const transition of event._transitions) fired.add(`${transition.source.id}|${transition.eventType}`);
    }
    schedule();
  }

  const initial = room.getSnapshot();
  lastValues.set('room', valueText(initial.value));
  for (const kind of DEVICES) {
    const value = (initial.children[kind] as AnyActorRef | undefined)?.getSnapshot().value as StateValue | undefined;
    if (value !== undefined) lastValues.set(kind, valueText(value));
  }
  log.state('mounted in', lastValues.get('room') ?? '', Date.now());
  const stops = [room.inspect(onInspection), room.onSdkCall((call) => (log.call(call), schedule()))];
  const onClear = () => {
    log.clear();
    schedule();
  };
  clear.addEventListener('click', onClear);
  render();

  let mounted = true;
  return {
    element: panel,
    flush: render,
    unmount() {
      if (!mounted) return;
      mounted = false;
      for (const stop of stops) stop();
      clear.removeEventListener('click', onClear);
      if (frame !== undefined && view?.cancelAnimationFrame) view.cancelAnimationFrame(frame);
      else if (frame !== undefined) clearTimeout(frame);
      panel.remove();
    },
  };
}
