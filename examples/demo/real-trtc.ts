// The real SDK, loaded only when real mode asks for it: it is large and needs a browser.
import type { TrtcLike } from 'trtc-room-machine';
import type { TRTC as TrtcClass } from 'trtc-sdk-v5';

export async function loadTrtcFactory(): Promise<() => TrtcLike> {
  // Bundlers hand this CommonJS package's class over as `default`; TypeScript's NodeNext typing
  // of it nests the class one `default` deeper, hence the cast.
  const { default: TRTC } = (await import('trtc-sdk-v5')) as unknown as { default: typeof TrtcClass };
  return () => TRTC.create();
}
