/**
 * The drawn statechart's styles: the panel's, and docs/statechart.svg's (which has no custom
 * properties set, hence the fallbacks).
 */
export const GRAPH_CSS = `
.trm-graph { font: 11px system-ui, sans-serif; }
.trm-graph .trm-box { fill: var(--trm-bg, #fff); stroke: var(--trm-line, #8c959f); stroke-width: 1; }
.trm-graph .trm-compound > .trm-box { fill: var(--trm-compound, #f6f8fa); }
.trm-graph .trm-inner { fill: none; stroke: var(--trm-line, #8c959f); }
.trm-graph .trm-name { font-size: 12px; font-weight: 600; fill: var(--trm-fg, #1f2328); }
.trm-graph .trm-badges { font-size: 11px; font-weight: 400; fill: var(--trm-active-line, #2563eb); }
.trm-graph .trm-line { fill: none; stroke: var(--trm-edge, #8c959f); stroke-width: 1; }
.trm-graph .trm-arrow { fill: var(--trm-edge, #8c959f); }
.trm-graph .trm-arrow-last { fill: var(--trm-last, #d97706); }
.trm-graph .trm-label { fill: var(--trm-muted, #57606a); }
.trm-graph .trm-label-bg { fill: var(--trm-bg, #fff); opacity: 0.85; }
.trm-graph .trm-initial circle { fill: var(--trm-fg, #1f2328); }
`;

/** What the panel adds to the drawing: the active states, the last transition taken. */
const GRAPH_LIVE_CSS = `
.trm-graph .trm-node.trm-active > .trm-box { fill: var(--trm-active, #dbeafe); stroke: var(--trm-active-line, #2563eb); stroke-width: 2; }
.trm-graph .trm-node.trm-active > .trm-name { fill: var(--trm-active-line, #2563eb); }
.trm-graph .trm-edge.trm-last .trm-line { stroke: var(--trm-last, #d97706); stroke-width: 2; }
.trm-graph .trm-edge.trm-last .trm-label { fill: var(--trm-fg, #1f2328); }
.trm-graph tspan.trm-taken { font-weight: 600; fill: var(--trm-last, #d97706); }
`;

/** The panel's styles, scoped under `.trm-inspector`; themable through the custom properties. */
export const INSPECTOR_CSS = `${GRAPH_CSS}${GRAPH_LIVE_CSS}
.trm-inspector {
  --trm-bg: #fff; --trm-fg: #1f2328; --trm-muted: #656d76; --trm-line: #d0d7de;
  --trm-active: #dbeafe; --trm-active-line: #2563eb; --trm-fired: #fde68a;
  --trm-ok: #15803d; --trm-bad: #b91c1c; --trm-wait: #a16207;
  font: 12px/1.4 system-ui, sans-serif; color: var(--trm-fg); background: var(--trm-bg);
  border: 1px solid var(--trm-line); border-radius: 8px; padding: 8px; display: grid; gap: 8px;
  min-width: 0;
}
.trm-inspector header { display: flex; align-items: center; gap: 8px; }
.trm-inspector header strong { font-size: 13px; }
.trm-inspector .trm-state { font-family: ui-monospace, monospace; padding: 1px 6px; border-radius: 10px;
  background: var(--trm-active); border: 1px solid var(--trm-active-line); }
.trm-inspector[data-room-state="kicked"] .trm-state { background: #ffedd5; border-color: #ea580c; }
.trm-inspector[data-room-state="destroyed"] .trm-state { background: #e5e7eb; border-color: #6b7280; }
.trm-inspector header button { margin-left: auto; font: inherit; }
.trm-charts { display: grid; gap: 8px; }
.trm-chart { margin: 0; border: 1px dashed var(--trm-line); border-radius: 6px; padding: 6px; }
.trm-caption { font-weight: 600; margin-bottom: 4px; }
.trm-graph-view { overflow: auto; max-height: 70vh; cursor: zoom-in; }
.trm-graph-view:not(.trm-zoomed) > svg { width: 100%; height: auto; }
.trm-graph-view.trm-zoomed { cursor: zoom-out; }
.trm-graph-view.trm-zoomed > svg { max-width: none !important; }
.trm-graph-view > svg { display: block; }
.trm-transitions { list-style: none; margin: 2px 0 0; padding: 0; color: var(--trm-muted); font-size: 10.5px;
  display: flex; flex-wrap: wrap; gap: 1px 8px; }
.trm-transition { border-radius: 3px; padding: 0 2px; overflow-wrap: anywhere; }
.trm-everywhere { margin-bottom: 4px; }
.trm-log { list-style: none; margin: 0; padding: 0; max-height: 260px; overflow: auto; font: 11px/1.5 ui-monospace, monospace;
  border-top: 1px solid var(--trm-line); contain: content; }
.trm-entry { display: grid; grid-template-columns: auto auto 1fr auto; gap: 6px; padding: 1px 2px; border-bottom: 1px solid #f0f2f4; }
.trm-entry time { color: var(--trm-muted); }
.trm-entry .trm-title { font-weight: 600; }
.trm-entry .trm-detail { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--trm-muted); }
.trm-entry .trm-count:not(:empty) { color: var(--trm-wait); }
.trm-entry[data-kind="state"] .trm-title { color: var(--trm-active-line); }
.trm-entry[data-kind="call"] .trm-title { color: #7c3aed; }
.trm-entry[data-status="resolved"] .trm-detail, .trm-entry[data-status="returned"] .trm-detail { color: var(--trm-ok); }
.trm-entry[data-status="rejected"] .trm-detail, .trm-entry[data-status="threw"] .trm-detail { color: var(--trm-bad); }
.trm-entry[data-status="pending"] .trm-detail { color: var(--trm-wait); }
`;

const STYLE_ID = 'trm-inspector-styles';

/** Adds the styles to the document once. */
export function ensureStyles(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = INSPECTOR_CSS;
  doc.head.append(style);
}
