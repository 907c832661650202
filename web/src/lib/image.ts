import { readFileAsBase64 } from './api';

export type PhotoUpload = { contentType: 'image/jpeg' | 'image/png' | 'image/webp'; dataBase64: string };

const accepted = new Set<string>(['image/jpeg', 'image/png', 'image/webp']);

// Phone cameras take 4–12 MB pictures; on a weak signal that upload would fail, and the
// server caps bodies at 2 MB. Scale down to a size that still shows the goods clearly.
export async function preparePhoto(file: File, maxSide = 1600): Promise<PhotoUpload> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas');
    context.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.82));
    if (!blob) throw new Error('no blob');
    return { contentType: 'image/jpeg', dataBase64: await readFileAsBase64(blob) };
  } catch {
    // The browser cannot re-encode it: send it as it is if the server takes that type.
    if (!accepted.has(file.type)) throw new UnsupportedPhoto(file.type);
    return { contentType: file.type as PhotoUpload['contentType'], dataBase64: await readFileAsBase64(file) };
  }
}

export class UnsupportedPhoto extends Error {}
