import { ApiError } from './lib/api.js';
import { showFormError, textOf, valuesOf, whileBusy } from './lib/forms.js';
import { enhanceCheckList } from './lib/check-list.js';
import { initLayout } from './lib/layout.js';
import { uploadWithProgress } from './lib/upload-form.js';

/** The publish page: metadata and file go up together, with a progress bar. */
export function init(): void {
  initLayout();
  const agencyList = document.querySelector<HTMLElement>('[data-agency-list]');
  if (agencyList) enhanceCheckList(agencyList, 'an agency');
  const form = document.querySelector<HTMLFormElement>('[data-publish-form]');
  if (!form) return;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFormError(form, undefined);
    const data = new FormData(form);
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) {
      showFormError(form, new ApiError(400, 'file-missing', 'Choose a file to publish.'));
      return;
    }
    const metadata = {
      title: textOf(data, 'title'),
      description: textOf(data, 'description'),
      category: textOf(data, 'category'),
      language: textOf(data, 'language'),
      tags: textOf(data, 'tags')
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
      audience: { roles: valuesOf(form, 'roles'), agencies: valuesOf(form, 'agencies') },
    };
    try {
      const item = await whileBusy(form, () => uploadWithProgress<{ id: string }>(form, '/api/library/items', metadata, file));
      window.location.assign(`/resources/items/${encodeURIComponent(item.id)}?published=1`);
    } catch (error) {
      showFormError(form, error);
    }
  });
}

init();
