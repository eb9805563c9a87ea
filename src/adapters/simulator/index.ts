export { SimulatedCloud } from './cloud.js';
export type { SimulatedCloudOptions } from './cloud.js';
export { SimulatedClient } from './client.js';
export type { ClientState, SimulatedCall, SimulatedFault, SimulatedMethod } from './client.js';
export { ERROR_CODE, SimulatedRtcError } from './rtc-error.js';
export type { SimulatedRoomRef } from './sdk-checks.js';
