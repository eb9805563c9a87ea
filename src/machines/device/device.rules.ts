/** `mute: true`, or a camera's placeholder image URL (the SDK shows it instead), mutes; `false` unmutes. */
export function requestedMute(options: object | undefined): boolean | undefined {
  if (!options || !('mute' in options)) return undefined;
  const { mute } = options;
  if (typeof mute === 'boolean') return mute;
  return typeof mute === 'string' && mute !== '' ? true : undefined;
}

/** A mute request changes something only when it asks for the other state. */
export function changesMute(muted: boolean, requested: boolean | undefined): requested is boolean {
  return requested !== undefined && requested !== muted;
}
