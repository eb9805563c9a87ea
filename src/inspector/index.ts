export { mountInspector } from './inspector.js';
export type { InspectorPanel, InspectorPanelOptions } from './inspector.js';
export { InspectorLog, summarise } from './inspector.log.js';
export type { LogChanges, LogEntry, LogEntryKind } from './inspector.log.js';
export { INSPECTOR_CSS } from './inspector.styles.js';
