// Lays a machine out with ELK (layered, nested states inside their parents) at docs time: the panel
// and docs/statechart.svg draw the result, so no layout engine ships.
import { createRequire } from 'node:module';
import type { ELK, ELKConstructorArguments, ElkExtendedEdge, ElkNode, ElkPoint } from 'elkjs/lib/elk-api.js';
import type { AnyStateMachine } from 'xstate';
import { chartOf } from '../src/inspect/statechart.js';
import type { ChartNode } from '../src/inspect/statechart.js';
import { LAYOUT_TEXT } from '../src/inspector/layout.js';
import type { LayoutEdge, LayoutInitial, LayoutLabelLine, LayoutNode, MachineLayout } from '../src/inspector/layout.js';

/** Pixels per character of the 11 px sans-serif labels, on the generous side so text fits. */
const CHAR_WIDTH = 6.4;
const NAME_CHAR_WIDTH = 7.4;
const INITIAL = '#initial';

// elkjs is CommonJS whose typings declare an ES default export; required, it is the constructor.
const Elk = createRequire(import.meta.url)('elkjs/lib/elk.bundled.js') as new (options?: ELKConstructorArguments) => ELK;

const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.direction': 'DOWN',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '24',
  'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.edgeEdge': '8',
  'elk.layered.spacing.edgeNodeBetweenLayers': '12',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.randomSeed': '1',
};

const round = (value: number) => Math.round(value);
const parentOf = (id: string) => id.slice(0, Math.max(0, id.lastIndexOf('.')));
const isWithin = (id: string, ancestor: string) => id === ancestor || id.startsWith(`${ancestor}.`);

/** `room.exiting`'s name, the part drawn: `exiting`. */
const nameWidth = (key: string) => Math.max(72, Math.ceil(key.length * NAME_CHAR_WIDTH) + 24);

function labelSize(lines: LayoutLabelLine[]) {
  const longest = Math.max(...lines.map((line) => line.text.length));
  return { width: Math.ceil(longest * CHAR_WIDTH) + 6, height: lines.length * LAYOUT_TEXT.lineHeight + 2 };
}

/** The transitions of `node` and its descendants, one group per source and target, in document order. */
function edgeGroups(node: ChartNode, groups: Map<string, { source: string; target: string; lines: LayoutLabelLine[] }>) {
  for (const transition of node.transitions) {
    const key = `${node.id}>${transition.target}`;
    const group = groups.get(key) ?? { source: node.id, target: transition.target, lines: [] };
    if (!group.lines.some((line) => line.text === transition.label)) group.lines.push({ text: transition.label, eventType: transition.eventType });
    groups.set(key, group);
  }
  for (const child of node.states) edgeGroups(child, groups);
}

/** Where ELK wants an edge: in the lowest node containing both ends (a self-loop: in its state's parent). */
function containerOf(source: string, target: string, rootId: string): string {
  if (source === target) return parentOf(source);
  if (isWithin(target, source)) return source;
  if (isWithin(source, target)) return target;
  let container = parentOf(source);
  while (container !== rootId && !isWithin(target, container)) container = parentOf(container);
  return container;
}

function elkNode(node: ChartNode, edges: Map<string, ElkExtendedEdge[]>): ElkNode {
  if (node.states.length === 0) {
    return { id: node.id, width: nameWidth(node.key), height: 32 };
  }
  const children = node.states.map((child) => elkNode(child, edges));
  if (node.initial) children.unshift({ id: `${node.id}${INITIAL}`, width: LAYOUT_TEXT.initialSize, height: LAYOUT_TEXT.initialSize });
  return {
    id: node.id,
    children,
    edges: edges.get(node.id) ?? [],
    layoutOptions: {
      'elk.padding': `[top=${LAYOUT_TEXT.nameHeight + 6},left=12,bottom=12,right=12]`,
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${nameWidth(node.key)}, 40)`,
    },
  };
}

const flat = (points: ElkPoint[]) => points.flatMap((point) => [round(point.x), round(point.y)]);

function pointsOf(edge: ElkExtendedEdge): number[] {
  const section = edge.sections?.[0];
  if (!section) throw new Error(`ELK gave edge ${edge.id} no route`);
  return flat([section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
}

/** Lays out one machine. Deterministic: the same machine gives the same numbers. */
export async function layoutMachine(machine: AnyStateMachine, options: Record<string, string> = {}): Promise<MachineLayout> {
  const chart = chartOf(machine);
  const groups = new Map<string, { source: string; target: string; lines: LayoutLabelLine[] }>();
  for (const child of chart.states) edgeGroups(child, groups);

  const edges = new Map<string, ElkExtendedEdge[]>();
  const lines = new Map<string, LayoutLabelLine[]>();
  const add = (container: string, edge: ElkExtendedEdge) => edges.set(container, [...(edges.get(container) ?? []), edge]);
  [...groups.values()].forEach((group, i) => {
    const id = `edge${i}`;
    lines.set(id, group.lines);
    add(containerOf(group.source, group.target, chart.id), {
      id,
      sources: [group.source],
      targets: [group.target],
      labels: [{ id: `${id}.label`, text: group.lines.map((line) => line.text).join('\n'), ...labelSize(group.lines) }],
    });
  });
  const withInitial: ChartNode[] = [];
  const collect = (node: ChartNode) => {
    if (node.initial) withInitial.push(node);
    node.states.forEach(collect);
  };
  collect(chart);
  for (const node of withInitial) {
    add(node.id, { id: `${node.id}${INITIAL}.edge`, sources: [`${node.id}${INITIAL}`], targets: [node.initial ?? ''] });
  }

  const children = chart.states.map((child) => elkNode(child, edges));
  if (chart.initial) children.unshift({ id: `${chart.id}${INITIAL}`, width: LAYOUT_TEXT.initialSize, height: LAYOUT_TEXT.initialSize });
  const graph: ElkNode = { id: chart.id, layoutOptions: { ...OPTIONS, ...options }, children, edges: edges.get(chart.id) ?? [] };
  const laid = await new Elk().layout(graph);

  const nodes: LayoutNode[] = [];
  const initials: LayoutInitial[] = [];
  const laidEdges: ElkExtendedEdge[] = [];
  const chartNodes = new Map<string, ChartNode>();
  const index = (node: ChartNode) => {
    chartNodes.set(node.id, node);
    node.states.forEach(index);
  };
  index(chart);
  const visit = (node: ElkNode) => {
    laidEdges.push(...((node.edges ?? []) as ElkExtendedEdge[]));
    for (const child of node.children ?? []) {
      if (child.id.endsWith(INITIAL)) {
        initials.push({ parent: child.id.slice(0, -INITIAL.length), x: round(child.x ?? 0), y: round(child.y ?? 0), points: [] });
        continue;
      }
      const source = chartNodes.get(child.id);
      nodes.push({
        id: child.id,
        key: source?.key ?? child.id,
        x: round(child.x ?? 0),
        y: round(child.y ?? 0),
        width: round(child.width ?? 0),
        height: round(child.height ?? 0),
        ...(source?.final ? { final: true } : {}),
        ...(source && source.states.length > 0 ? { compound: true } : {}),
      });
      visit(child);
    }
  };
  visit(laid);

  const layoutEdges: LayoutEdge[] = [];
  for (const edge of laidEdges) {
    if (edge.id.endsWith(`${INITIAL}.edge`)) {
      const initial = initials.find((marker) => `${marker.parent}${INITIAL}.edge` === edge.id);
      if (initial) initial.points = pointsOf(edge);
      continue;
    }
    const label = edge.labels?.[0];
    layoutEdges.push({
      source: edge.sources[0] ?? '',
      target: edge.targets[0] ?? '',
      points: pointsOf(edge),
      ...(label
        ? { label: { x: round(label.x ?? 0), y: round(label.y ?? 0), width: round(label.width ?? 0), height: round(label.height ?? 0), lines: lines.get(edge.id) ?? [] } }
        : {}),
    });
  }
  // Document order, not ELK's: stable diffs when a transition is added.
  const order = [...lines.keys()];
  const edgeIndex = (edge: LayoutEdge) => order.findIndex((id) => lines.get(id) === edge.label?.lines);
  layoutEdges.sort((a, b) => edgeIndex(a) - edgeIndex(b));

  return {
    id: chart.id,
    width: round(laid.width ?? 0),
    height: round(laid.height ?? 0),
    everywhere: chart.transitions.map((transition) => ({
      text: `${transition.label} → ${transition.target === chart.id ? '↺' : transition.target.slice(chart.id.length + 1)}`,
      eventType: transition.eventType,
    })),
    nodes,
    edges: layoutEdges,
    initials,
  };
}
