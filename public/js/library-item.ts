import { api, ApiError } from './lib/api.js';
import { showFormError, textOf, whileBusy } from './lib/forms.js';
import { initLayout } from './lib/layout.js';
import { uploadWithProgress } from './lib/upload-form.js';

/** Pages of a PDF shown in the preview. */
const PREVIEW_PAGES = 2;

/**
 * Renders the first pages of a PDF into canvases with PDF.js (loaded only on pages that preview a
 * PDF; it fetches just the byte ranges it needs, and runs no code from the document).
 */
async function previewPdf(box: HTMLElement, url: string, status: HTMLElement): Promise<void> {
  const pdfjs = await import('pdfjs-dist');
  pdfjs.GlobalWorkerOptions.workerSrc = '/build/pdfjs/pdf.worker.min.mjs';
  const document_ = await pdfjs.getDocument({
    url,
    isEvalSupported: false,
    enableXfa: false,
    standardFontDataUrl: '/build/pdfjs/standard_fonts/',
    cMapUrl: '/build/pdfjs/cmaps/',
    wasmUrl: '/build/pdfjs/wasm/',
  }).promise;
  const pages = Math.min(PREVIEW_PAGES, document_.numPages);
  for (let number = 1; number <= pages; number += 1) {
    const page = await document_.getPage(number);
    const unscaled = page.getViewport({ scale: 1 });
    const scale = Math.min(2, (box.clientWidth || 600) / unscaled.width) * (window.devicePixelRatio || 1);
    const viewport = page.getViewport({ scale });
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.dataset['page'] = String(number);
    canvas.setAttribute('aria-label', `Page ${number}`);
    box.append(canvas);
    await page.render({ canvas, viewport }).promise;
  }
  status.textContent = `Page${pages > 1 ? 's' : ''} 1${pages > 1 ? `–${pages}` : ''} of ${document_.numPages}.`;
  box.dataset['rendered'] = String(pages);
}

function preview(box: HTMLElement): void {
  const url = box.dataset['src'] ?? '';
  const status = box.querySelector<HTMLElement>('[data-preview-status]')!;
  const failed = (): void => {
    status.textContent = 'The preview could not be shown: download the file to open it.';
  };
  switch (box.dataset['preview']) {
    case 'pdf':
      previewPdf(box, url, status).catch(failed);
      break;
    case 'image': {
      const image = document.createElement('img');
      image.alt = 'Preview';
      image.src = url;
      image.onload = () => status.remove();
      image.onerror = failed;
      box.append(image);
      break;
    }
    case 'video': {
      // Streamed with range requests: playback starts at once and seeking fetches only what it needs.
      const video = document.createElement('video');
      video.controls = true;
      video.preload = 'metadata';
      video.src = url;
      video.onloadedmetadata = () => status.remove();
      video.onerror = failed;
      box.append(video);
      break;
    }
  }
}

/** An item's page: preview, and for its publisher a new version and unpublish / publish again. */
export function init(): void {
  initLayout();
  const box = document.querySelector<HTMLElement>('[data-preview]');
  if (box) preview(box);

  const form = document.querySelector<HTMLFormElement>('[data-version-form]');
  form?.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFormError(form, undefined);
    const data = new FormData(form);
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) {
      showFormError(form, new ApiError(400, 'file-missing', 'Choose the file of the new version.'));
      return;
    }
    try {
      const path = `/api/library/items/${encodeURIComponent(form.dataset['item'] ?? '')}/versions`;
      await whileBusy(form, () => uploadWithProgress(form, path, { note: textOf(data, 'note') }, file));
      window.location.reload();
    } catch (error) {
      showFormError(form, error);
    }
  });

  const toggle = document.querySelector<HTMLButtonElement>('[data-set-published]');
  toggle?.addEventListener('click', async () => {
    const published = toggle.dataset['setPublished'] === 'true';
    if (!published && !window.confirm('Hide this item from its audience? It stays in the library and can be published again.')) return;
    toggle.disabled = true;
    try {
      await api('POST', `/api/library/items/${encodeURIComponent(toggle.dataset['item'] ?? '')}/status`, { published });
      window.location.reload();
    } catch (error) {
      toggle.disabled = false;
      window.alert(error instanceof Error ? error.message : 'Could not change the item.');
    }
  });
}

init();
