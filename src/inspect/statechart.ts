import type { AnyStateMachine } from 'xstate';

/** The parts of XState's StateNode and TransitionDefinition the diagram reads. */
interface NodeLike {
  id: string;
  key: string;
  type: string;
  initial?: { target: ReadonlyArray<{ id: string }> };
  states: Record<string, NodeLike>;
  transitions: Map<string, TransitionLike[]>;
  always?: TransitionLike[];
}

interface TransitionLike {
  eventType: string;
  guard?: unknown;
  target?: ReadonlyArray<{ id: string }>;
}

const nameOf = (id: string) => id.replace(/\./g, '_');

function guardName(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String((guard as { type: unknown }).type);
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray((guard as { guards: unknown }).guards)) {
    const parts = (guard as { guards: unknown[] }).guards.map(guardName);
    // XState's and(), or() and not() are functions named after what they do.
    if (guard.name === 'not') return `not ${parts[0] ?? 'guard'}`;
    return parts.join(guard.name === 'or' ? ' or ' : ' and ');
  }
  return 'guard';
}

/** `xstate.done.actor.enterRoom` → `done: enterRoom`, `xstate.after.exitTimeout.room.exiting` → `after exitTimeout`. */
export function eventLabel(eventType: string): string {
  const done = /^xstate\.done\.actor\.(.+)$/.exec(eventType);
  if (done) return `done: ${done[1]}`;
  const error = /^xstate\.error\.actor\.(.+)$/.exec(eventType);
  if (error) return `error: ${error[1]}`;
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]}`;
  return eventType === '' ? 'always' : eventType;
}

function label(transition: TransitionLike): string {
  const guard = guardName(transition.guard);
  return guard ? `${eventLabel(transition.eventType)} [${guard}]` : eventLabel(transition.eventType);
}

/** One transition of a state: its label (event and guard) and where it goes (its own state when targetless). */
export interface ChartTransition {
  /** The event type as the machine knows it, e.g. `xstate.done.actor.enterRoom`. */
  eventType: string;
  /** `done: enterRoom [guard]`. */
  label: string;
  target: string;
}

/** A state of a machine as plain data: what the Mermaid diagram and the inspector panel draw. */
export interface ChartNode {
  /** The state node id, e.g. `room.inRoom.active`. */
  id: string;
  key: string;
  final: boolean;
  /** The id of the initial child, for compound states. */
  initial?: string;
  states: ChartNode[];
  transitions: ChartTransition[];
}

function chartNode(node: NodeLike): ChartNode {
  const transitions = [...node.transitions.values()].flat().concat(node.always ?? []);
  const initial = node.initial?.target[0]?.id;
  return {
    id: node.id,
    key: node.key,
    final: node.type === 'final',
    ...(initial ? { initial } : {}),
    states: Object.values(node.states).map(chartNode),
    transitions: transitions.map((transition) => ({
      eventType: transition.eventType,
      label: label(transition),
      target: transition.target?.[0]?.id ?? node.id,
    })),
  };
}

/** Walks a machine definition into plain data. */
export function chartOf(machine: AnyStateMachine): ChartNode {
  return chartNode(machine.root as unknown as NodeLike);
}

function render(node: ChartNode, indent: string, lines: string[]): void {
  if (node.initial) lines.push(`${indent}[*] --> ${nameOf(node.initial)}`);
  for (const child of node.states) {
    if (child.states.length > 0) {
      lines.push(`${indent}state ${nameOf(child.id)} {`);
      render(child, `${indent}  `, lines);
      lines.push(`${indent}}`);
    }
    if (child.final) lines.push(`${indent}${nameOf(child.id)} --> [*]`);
  }
  // Transitions after the states, so Mermaid knows every name before it is used.
  for (const child of node.states) {
    for (const transition of child.transitions) {
      lines.push(`${indent}${nameOf(child.id)} --> ${nameOf(transition.target)} : ${transition.label}`);
    }
  }
}

/**
 * The machine as a Mermaid `stateDiagram-v2`: every state (nested ones inside their parent), every
 * transition with its event and guard; a transition without a target is drawn as a loop.
 */
export function toMermaid(machine: AnyStateMachine): string {
  const root = chartOf(machine);
  const lines = ['stateDiagram-v2'];
  render(root, '  ', lines);
  const everywhere = root.transitions.map((transition) => transition.label);
  if (everywhere.length > 0) lines.push(`  note "In every state: ${everywhere.join(', ')}" as ${nameOf(root.id)}_events`);
  return `${lines.join('\n')}\n`;
}
