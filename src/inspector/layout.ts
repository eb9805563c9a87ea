/**
 * A statechart laid out ahead of time (by `npm run docs`), as plain data: what the panel and
 * docs/statechart.svg draw. Coordinates are absolute, in pixels, from the chart's top left.
 */
export interface LayoutNode {
  /** The state node id, e.g. `room.inRoom.active`. */
  id: string;
  key: string;
  x: number;
  y: number;
  width: number;
  height: number;
  final?: boolean;
  /** Has child states: its name sits at the top, its children below. */
  compound?: boolean;
}

/** One line of an edge's label: a transition, and the event that takes it. */
export interface LayoutLabelLine {
  text: string;
  eventType: string;
}

/** Every transition from one state to another (or to itself), drawn as one arrow. */
export interface LayoutEdge {
  source: string;
  target: string;
  /** The polyline, `[x0, y0, x1, y1, …]`, ending at the target. */
  points: number[];
  label?: { x: number; y: number; width: number; height: number; lines: LayoutLabelLine[] };
}

/** The initial marker of a compound state (or of the machine): a dot and an arrow into its initial child. */
export interface LayoutInitial {
  parent: string;
  x: number;
  y: number;
  points: number[];
}

export interface MachineLayout {
  id: string;
  width: number;
  height: number;
  /** The machine's own transitions, taken in every state: `room.destroy → destroyed`. */
  everywhere: LayoutLabelLine[];
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  initials: LayoutInitial[];
}

/** Text metrics the layout was sized with, and the drawing uses. */
export const LAYOUT_TEXT = {
  fontSize: 11,
  lineHeight: 14,
  nameHeight: 24,
  initialSize: 10,
} as const;
