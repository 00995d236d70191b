import { sendForm } from './upload.js';

/**
 * Uploads a form's file with its metadata (as the JSON `metadata` part, sent first so the server
 * checks it before storing a byte), showing progress in the form's `[data-upload-progress]`.
 */
export async function uploadWithProgress<T>(form: HTMLFormElement, path: string, metadata: unknown, file: File): Promise<T> {
  const box = form.querySelector<HTMLElement>('[data-upload-progress]');
  const bar = form.querySelector<HTMLProgressElement>('[data-upload-bar]');
  const label = form.querySelector<HTMLElement>('[data-upload-label]');
  const body = new FormData();
  body.append('metadata', JSON.stringify(metadata));
  body.append('file', file, file.name);
  if (box) box.hidden = false;
  const show = (loaded: number, total: number): void => {
    const fraction = total > 0 ? loaded / total : 0;
    if (bar) bar.value = fraction;
    if (label) label.textContent = fraction < 1 ? `${Math.floor(fraction * 100)}% of ${(total / 1024 / 1024).toFixed(1)} MB` : 'Stored, finishing…';
  };
  show(0, file.size);
  try {
    return await sendForm<T>('POST', path, body, show);
  } catch (error) {
    if (box) box.hidden = true;
    throw error;
  }
}
