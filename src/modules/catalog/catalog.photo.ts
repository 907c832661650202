import { PNG } from 'pngjs';

// The demo may not ship downloaded images, so product photos are drawn: a woven rattan
// surface (over-under strips) whose palette, strip width, weave and angle follow the seed.

type Rgb = readonly [number, number, number];

// Natural rattan tones: strip light/dark pairs and the shadow that shows between strips.
type NonEmpty<T> = readonly [T, ...T[]];

const palettes: NonEmpty<{ strips: NonEmpty<Rgb>; gap: Rgb }> = [
  {
    strips: [
      [222, 186, 130],
      [206, 166, 108],
      [232, 203, 152],
    ],
    gap: [58, 36, 20],
  },
  {
    strips: [
      [196, 154, 108],
      [176, 128, 80],
      [214, 178, 128],
    ],
    gap: [46, 28, 16],
  },
  {
    strips: [
      [228, 206, 160],
      [214, 188, 138],
      [240, 222, 182],
    ],
    gap: [70, 48, 28],
  },
  {
    strips: [
      [160, 110, 62],
      [139, 90, 43],
      [184, 134, 84],
    ],
    gap: [36, 22, 12],
  },
  {
    strips: [
      [214, 176, 120],
      [150, 100, 56],
      [226, 196, 146],
    ],
    gap: [52, 32, 18],
  },
];

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Cheap integer hash → [0, 1), for fibre streaks and per-strip tint.
function hash(n: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

// r in [0, 1) picks one element.
const pick = <T>(list: NonEmpty<T>, r: number): T => list[Math.floor(r * list.length)] ?? list[0];

const clamp = (v: number) => Math.min(255, Math.max(0, v));

export function weavePhoto(seed: number, width = 640, height = 480): Buffer {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    width * height > 4e6
  ) {
    throw new RangeError('weavePhoto: width and height must be positive integers (at most 4 megapixels)');
  }
  const random = mulberry32(Math.trunc(seed) ^ 0x5eed);
  const palette = pick(palettes, random());
  const strip = 22 + Math.floor(random() * 20);
  const gap = 2 + Math.floor(random() * 5);
  const pitch = strip + gap;
  // 1 = plain weave (over one, under one); 2 = twill (over two, under two).
  const span = random() < 0.6 ? 1 : 2;
  const diagonal = random() < 0.4;
  const offsetU = Math.floor(random() * 1000);
  const offsetV = Math.floor(random() * 1000);
  const salt = Math.floor(random() * 1e6);
  const [gr, gg, gb] = palette.gap;

  const png = new PNG({ width, height });
  const data = png.data;
  const cos = diagonal ? Math.SQRT1_2 : 1;
  const sin = diagonal ? Math.SQRT1_2 : 0;

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x * cos + y * sin + offsetU;
      const v = y * cos - x * sin + offsetV + 2000;
      const i = Math.floor(u / pitch);
      const j = Math.floor(v / pitch);
      const fu = u - i * pitch;
      const fv = v - j * pitch;
      const inWarp = fu < strip; // a strip running along v, indexed by i
      const inWeft = fv < strip; // a strip running along u, indexed by j
      let r: number;
      let g: number;
      let b: number;
      if (!inWarp && !inWeft) {
        const n = 0.8 + 0.4 * hash((i * 7919 + j * 104729) ^ salt);
        r = gr * n;
        g = gg * n;
        b = gb * n;
      } else {
        const warpOnTop = Math.floor((i + j) / span) % 2 === 0;
        const warp = inWarp && (!inWeft || warpOnTop);
        const index = warp ? i : j + 50_000;
        const across = (warp ? fu : fv) / strip;
        const along = warp ? v : u;
        const tint = pick(palette.strips, hash(index ^ salt));
        // Rounded cane: light in the middle of the strip, darker at its edges.
        let shade = 0.72 + 0.36 * Math.sin(Math.PI * across);
        if (inWarp && inWeft) {
          // On top at a crossing: darker where it bends down under the neighbouring strips.
          const s = (warp ? fv : fu) / strip - 0.5;
          shade *= 1 - 0.9 * s * s * Math.abs(s);
        } else {
          // Between crossings the strip dives under the next one and lies in shadow.
          shade *= 0.8;
        }
        // Fibres: lines running along the strip. Fibres and shading move in coarse steps, which
        // reads as cane at this size and keeps the PNG under ~250 KB (link previews want small images).
        const fibre = hash((index * 131 + Math.floor((across * strip) / 3)) ^ salt);
        const texture = 0.92 + 0.1 * fibre + 0.03 * Math.sin(along / 23 + index);
        const f = Math.round(shade * texture * 10) / 10;
        r = tint[0] * f;
        g = tint[1] * f;
        b = tint[2] * f;
      }
      const o = (y * width + x) << 2;
      data[o] = clamp(r) & 0xfc;
      data[o + 1] = clamp(g) & 0xfc;
      data[o + 2] = clamp(b) & 0xfc;
      data[o + 3] = 255;
    }
  }
  // RGB without alpha and the single 'sub' filter: about half the encoding time of pngjs'
  // adaptive filtering, for a file only a few per cent larger.
  return PNG.sync.write(png, { colorType: 2, filterType: 1 });
}
