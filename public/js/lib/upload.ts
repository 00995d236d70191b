import { ApiError } from './api.js';

function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

/**
 * Sends a multipart form with XMLHttpRequest (fetch reports no upload progress), calling
 * `onProgress` with the bytes sent so far; resolves with the parsed JSON answer or rejects with
 * an {@link ApiError} carrying the server's message.
 */
export function sendForm<T>(method: 'POST' | 'PUT', path: string, form: FormData, onProgress: (loaded: number, total: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, path);
    request.setRequestHeader('x-csrf-token', csrfToken());
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => onProgress(event.loaded, event.total);
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = undefined;
      }
      if (request.status >= 200 && request.status < 300) return resolve(body as T);
      const error = (body as { error?: { code?: string; message?: string; details?: { field: string; message: string }[] } } | undefined)?.error;
      reject(new ApiError(request.status, error?.code ?? 'upload-failed', error?.message ?? `The upload failed (${request.status}).`, error?.details ?? []));
    };
    request.onerror = () => reject(new ApiError(0, 'network-error', 'The connection dropped during the upload. Nothing was kept; try again.'));
    request.send(form);
  });
}
