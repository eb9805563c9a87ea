import { inflateSync } from 'node:zlib';

/** A decoded 8-bit PNG: `pixels` is RGBA, row by row. */
export interface DecodedPng {
  width: number;
  height: number;
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The width and height from the IHDR chunk (which must come first). */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: IHDR is not the first chunk');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Decodes a non-interlaced 8-bit RGB or RGBA PNG (what Chromium screenshots are): IDATs, inflate, unfilter. */
export function decodePng(png: Buffer): DecodedPng {
  const { width, height } = pngSize(png);
  const [depth, colourType, , , interlace] = png.subarray(24, 29);
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  if (depth !== 8 || channels === 0 || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colourType}, interlace ${interlace}`);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  const data = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (data.length !== height * (stride + 1)) throw new Error(`PNG data is ${data.length} bytes, expected ${height * (stride + 1)}`);
  const raw = new Uint8Array(height * stride);
  for (let y = 0; y < height; y += 1) {
    const filter = data[y * (stride + 1)];
    const line = y * (stride + 1) + 1;
    for (let x = 0; x < stride; x += 1) {
      const value = data[line + x] ?? 0;
      const a = x >= channels ? (raw[y * stride + x - channels] ?? 0) : 0;
      const b = y > 0 ? (raw[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= channels && y > 0 ? (raw[(y - 1) * stride + x - channels] ?? 0) : 0;
      let predictor: number;
      if (filter === 0) predictor = 0;
      else if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`bad PNG filter type ${filter} on row ${y}`);
      raw[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  if (channels === 4) return { width, height, pixels: raw };
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i += 1) {
    pixels.set(raw.subarray(i * 3, i * 3 + 3), i * 4);
    pixels[i * 4 + 3] = 255;
  }
  return { width, height, pixels };
}

/** How often each colour (`#rrggbb`, alpha ignored) occurs in a rectangle of the image, most frequent first. */
export function colourCounts(image: DecodedPng, box: { x: number; y: number; width: number; height: number }): Array<[string, number]> {
  const counts = new Map<string, number>();
  const x0 = Math.max(0, Math.round(box.x));
  const y0 = Math.max(0, Math.round(box.y));
  const x1 = Math.min(image.width, Math.round(box.x + box.width));
  const y1 = Math.min(image.height, Math.round(box.y + box.height));
  for (let y = y0; y < y1; y += 1) {
    for (let x = x0; x < x1; x += 1) {
      const i = (y * image.width + x) * 4;
      const hex = `#${Array.from(image.pixels.subarray(i, i + 3), (v) => v.toString(16).padStart(2, '0')).join('')}`;
      counts.set(hex, (counts.get(hex) ?? 0) + 1);
    }
  }
  return [...counts].sort((p, q) => q[1] - p[1]);
}
