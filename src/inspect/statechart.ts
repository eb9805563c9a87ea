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
    return parts.join(' and ');
  }
  return 'guard';
}

/** `xstate.done.actor.enterRoom` → `done: enterRoom`, `xstate.after.exitTimeout.room.exiting` → `after exitTimeout`. */
function eventLabel(eventType: string): string {
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

function render(node: NodeLike, indent: string, lines: string[]): void {
  const children = Object.values(node.states);
  const initial = node.initial?.target[0];
  if (initial) lines.push(`${indent}[*] --> ${nameOf(initial.id)}`);
  for (const child of children) {
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${nameOf(child.id)} {`);
      render(child, `${indent}  `, lines);
      lines.push(`${indent}}`);
    }
    if (child.type === 'final') lines.push(`${indent}${nameOf(child.id)} --> [*]`);
  }
  // Transitions after the states, so Mermaid knows every name before it is used.
  for (const child of children) {
    const transitions = [...child.transitions.values()].flat().concat(child.always ?? []);
    for (const transition of transitions) {
      const target = transition.target?.[0];
      lines.push(`${indent}${nameOf(child.id)} --> ${nameOf(target ? target.id : child.id)} : ${label(transition)}`);
    }
  }
}

/**
 * The machine as a Mermaid `stateDiagram-v2`: every state (nested ones inside their parent), every
 * transition with its event and guard; a transition without a target is drawn as a loop.
 */
export function toMermaid(machine: AnyStateMachine): string {
  const root = machine.root as unknown as NodeLike;
  const lines = ['stateDiagram-v2'];
  render(root, '  ', lines);
  const everywhere = [...root.transitions.values()].flat().map(label);
  if (everywhere.length > 0) lines.push(`  note "In every state: ${everywhere.join(', ')}" as ${nameOf(root.id)}_events`);
  return `${lines.join('\n')}\n`;
}
