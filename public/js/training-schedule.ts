import { api } from './lib/api.js';
import { showFormError, textOf, valuesOf, whileBusy } from './lib/forms.js';
import { enhanceCheckList } from './lib/check-list.js';
import { initLayout } from './lib/layout.js';

/** A `datetime-local` value (the officer's own time) as an ISO instant. */
function instant(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** The scheduling page: sends the session as JSON and opens it. */
export function init(): void {
  initLayout();
  const agencyList = document.querySelector<HTMLElement>('[data-agency-list]');
  if (agencyList) enhanceCheckList(agencyList, 'an agency');
  const materialList = document.querySelector<HTMLElement>('[data-material-list]');
  if (materialList) enhanceCheckList(materialList, 'a document');
  const form = document.querySelector<HTMLFormElement>('[data-schedule-form]');
  form?.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFormError(form, undefined);
    const data = new FormData(form);
    const body = {
      title: textOf(data, 'title'),
      description: textOf(data, 'description'),
      course: textOf(data, 'course'),
      mode: textOf(data, 'mode'),
      venue: textOf(data, 'venue'),
      onlineUrl: textOf(data, 'onlineUrl'),
      startsAt: instant(textOf(data, 'startsAt')),
      endsAt: instant(textOf(data, 'endsAt')),
      capacity: Number(data.get('capacity')),
      audience: { roles: valuesOf(form, 'roles'), agencies: valuesOf(form, 'agencies') },
      materials: valuesOf(form, 'materials'),
    };
    try {
      const session = await whileBusy(form, () => api<{ id: string }>('POST', '/api/training/sessions', body));
      window.location.assign(`/training/sessions/${encodeURIComponent(session.id)}`);
    } catch (error) {
      showFormError(form, error);
    }
  });
}

init();
