// The tests use the recorder app developers get from `trtc-room-machine/testing`.
export { SdkRecorder } from '../../src/testing/recorder.js';
export type { RecordedEntry } from '../../src/testing/recorder.js';
