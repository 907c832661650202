import { ApiError, apiBase } from '../../lib/api';

// fetch() reports no upload progress; a registry file can be tens of megabytes on a weak
// connection, so the upload goes through XMLHttpRequest.
export function uploadImport(
  file: File,
  options: { dryRun: boolean; onProgress: (fraction: number) => void; signal?: AbortSignal },
): Promise<{ id: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${apiBase}/imports`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let payload: unknown = null;
      try {
        payload = JSON.parse(xhr.responseText);
      } catch {
        payload = null;
      }
      if (
        xhr.status >= 200 &&
        xhr.status < 300 &&
        payload &&
        typeof payload === 'object' &&
        'id' in payload
      ) {
        resolve(payload as { id: string });
        return;
      }
      const error = (payload as { error?: { code?: string; message?: string; details?: unknown } } | null)
        ?.error;
      reject(
        new ApiError(
          xhr.status,
          error?.code ?? (xhr.status >= 500 ? 'internal_error' : 'unknown_error'),
          error?.message ?? xhr.statusText,
          error?.details,
        ),
      );
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'upload failed'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('dryRun', options.dryRun ? 'true' : 'false');
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
