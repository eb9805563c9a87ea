// The simulator captures nothing, so the demo draws a camera picture itself: the participant's
// name on their colour, a moving dot to show it is live, and the settings the camera runs with.

export type CameraProfile = '480p' | '720p' | '1080p';
export type CameraRotation = 0 | 90 | 180 | 270;

export interface CameraSettings {
  profile: CameraProfile;
  rotation: CameraRotation;
}

export interface SimulatedCamera {
  readonly element: HTMLCanvasElement;
  show(settings: CameraSettings): void;
  hide(): void;
}

/** Drawn small: the tile is small, and the profile is a label, not a resolution to render. */
const SIZES: Record<CameraProfile, { width: number; height: number; label: string }> = {
  '480p': { width: 256, height: 192, label: '640×480' },
  '720p': { width: 320, height: 180, label: '1280×720' },
  '1080p': { width: 320, height: 180, label: '1920×1080' },
};

export function createSimulatedCamera(name: string, colour: string): SimulatedCamera {
  const canvas = document.createElement('canvas');
  canvas.className = 'simulated-camera';
  const context = canvas.getContext('2d');
  let settings: CameraSettings = { profile: '720p', rotation: 0 };
  let frame: number | undefined;

  function draw(at: number): void {
    frame = requestAnimationFrame(draw);
    if (!context) return;
    const size = SIZES[settings.profile];
    const sideways = settings.rotation === 90 || settings.rotation === 270;
    const [width, height] = sideways ? [size.height, size.width] : [size.width, size.height];
    if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });

    context.save();
    context.translate(width / 2, height / 2);
    context.rotate((settings.rotation * Math.PI) / 180);
    const w = size.width;
    const h = size.height;
    const gradient = context.createLinearGradient(-w / 2, -h / 2, w / 2, h / 2);
    gradient.addColorStop(0, colour);
    gradient.addColorStop(1, '#111827');
    context.fillStyle = gradient;
    context.fillRect(-w / 2, -h / 2, w, h);

    const t = at / 1000;
    context.fillStyle = 'rgba(255, 255, 255, 0.85)';
    context.beginPath();
    context.arc(Math.sin(t * 1.3) * (w / 2 - 24), Math.cos(t * 0.9) * (h / 2 - 24), 8, 0, Math.PI * 2);
    context.fill();

    context.fillStyle = '#fff';
    context.textAlign = 'center';
    context.font = '600 28px system-ui, sans-serif';
    context.fillText(name, 0, 8);
    // Along the top: the tile's caption covers the bottom edge.
    context.font = '11px ui-monospace, monospace';
    context.textAlign = 'left';
    context.fillText(`${settings.profile} · ${size.label} · ${settings.rotation}°`, -w / 2 + 8, -h / 2 + 16);
    context.textAlign = 'right';
    context.fillText('SIMULATED', w / 2 - 8, -h / 2 + 16);
    context.restore();
  }

  return {
    element: canvas,
    show(next) {
      settings = next;
      if (frame === undefined) frame = requestAnimationFrame(draw);
    },
    hide() {
      if (frame !== undefined) cancelAnimationFrame(frame);
      frame = undefined;
    },
  };
}
