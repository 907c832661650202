import sharp from 'sharp';
import type { ProductPhoto } from '../../db/schema.ts';
import { contentHash, type MediaStore } from '../../lib/media-store.ts';

// A product photo becomes four files, made once at upload with sharp (libvips: fast, small
// memory, kept up to date): a thumbnail for lists, a card for the catalogue grid (and its
// double for sharp screens), a large view for the product page, and a 1200×630 JPEG for link
// previews (WhatsApp, Facebook), which some clients do not read as WebP.
export const photoVariants = {
  thumb: { width: 160, height: 120, fit: 'cover', ext: 'webp' },
  card: { width: 320, height: 240, fit: 'cover', ext: 'webp' },
  card2x: { width: 640, height: 480, fit: 'cover', ext: 'webp' },
  large: { width: 1200, height: 900, fit: 'inside', ext: 'webp' },
  og: { width: 1200, height: 630, fit: 'cover', ext: 'jpg' },
} as const;

export type PhotoVariant = keyof typeof photoVariants;

export const variantName = (key: string, variant: PhotoVariant) =>
  `${key}-${variant}.${photoVariants[variant].ext}`;

export type PreparedPhoto = { photo: ProductPhoto; files: Array<[name: string, bytes: Buffer]> };

// Every file name a photo has in the media store.
export const photoFileNames = (key: string) =>
  (Object.keys(photoVariants) as PhotoVariant[]).map((variant) => variantName(key, variant));

// The variants, made in memory: the caller writes them where its locks allow (catalog.service).
export async function prepareProductPhoto(bytes: Buffer): Promise<PreparedPhoto> {
  const key = contentHash(bytes);
  // EXIF orientation applied, metadata (GPS of the owner's house) dropped.
  const source = sharp(bytes, { limitInputPixels: 40e6 }).rotate();
  const meta = await source.metadata();
  const upright = (meta.orientation ?? 1) >= 5;
  const width = (upright ? meta.height : meta.width) ?? 0;
  const height = (upright ? meta.width : meta.height) ?? 0;
  const files: PreparedPhoto['files'] = [];
  for (const [variant, v] of Object.entries(photoVariants) as [
    PhotoVariant,
    (typeof photoVariants)[PhotoVariant],
  ][]) {
    const resized = source
      .clone()
      .resize({ width: v.width, height: v.height, fit: v.fit, withoutEnlargement: v.fit === 'inside' });
    const out =
      v.ext === 'jpg' ? resized.jpeg({ quality: 80, mozjpeg: true }) : resized.webp({ quality: 78 });
    files.push([variantName(key, variant), await out.toBuffer()]);
  }
  return { photo: { key, width, height }, files };
}

export async function putPhotoFiles(media: MediaStore, prepared: PreparedPhoto) {
  for (const [name, bytes] of prepared.files) await media.put(name, bytes);
}

export async function storeProductPhoto(media: MediaStore, bytes: Buffer): Promise<ProductPhoto> {
  const prepared = await prepareProductPhoto(bytes);
  await putPhotoFiles(media, prepared);
  return prepared.photo;
}
