export { expectedView, KICK_REASONS, modelState, roomModel, roomModelEvents } from './room-model.js';
export type { ExpectedView, ModelCamera, RoomModel, RoomModelContext, RoomModelEvent, RoomModelEventType, RoomModelSnapshot } from './room-model.js';
export { ENTER_CONFIG, OTHER_USER_ID, ROOM_IDS, RoomDriver, SDK_APP_ID, statePaths, USER_ID, USER_SIG } from './driver.js';
export type { ModelStep, RoomDriverOptions, TrackedCommand } from './driver.js';
export { SdkRecorder } from './recorder.js';
export type { RecordedEntry } from './recorder.js';
export * from '../adapters/simulator/index.js';
