import { api } from './lib/api.js';
import { formValues, showFormError, whileBusy } from './lib/forms.js';
import { initLayout } from './lib/layout.js';

interface CreatedWithLink {
  account?: { displayName: string };
  enrolmentLink?: string;
}

/** Shows a new enrolment link to the administrator, ready to copy. */
function showLink(result: CreatedWithLink): void {
  const box = document.querySelector<HTMLElement>('[data-link-result]');
  const value = box?.querySelector<HTMLInputElement>('[data-link-value]');
  const who = box?.querySelector<HTMLElement>('[data-link-who]');
  if (!box || !value || !result.enrolmentLink) return;
  value.value = result.enrolmentLink;
  if (who) who.textContent = result.account?.displayName ?? 'The officer';
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
}

/** Keeps the unit picker (a searchable list of this agency's units) in step with what is typed. */
function wireUnitPicker(form: HTMLFormElement): void {
  const search = form.querySelector<HTMLInputElement>('[data-unit-search]');
  const hidden = form.querySelector<HTMLInputElement>('[data-unit-id]');
  const options = form.querySelector<HTMLDataListElement>('datalist');
  const role = form.querySelector<HTMLSelectElement>('[data-role-select]');
  const field = form.querySelector<HTMLElement>('[data-unit-field]');
  const agencyId = form.querySelector<HTMLInputElement>('input[name="agencyId"]')?.value;
  if (!search || !hidden || !options || !agencyId) return;
  const known = new Map<string, string>();
  const syncRole = (): void => {
    if (field) field.hidden = role?.value !== 'uo';
  };
  role?.addEventListener('change', syncRole);
  syncRole();
  let timer: number | undefined;
  search.addEventListener('input', () => {
    hidden.value = known.get(search.value) ?? '';
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const answer = await api<{ units: { id: string; name: string; code: string }[] }>(
        'GET',
        // A chosen option reads "Name (CODE)": search by the name part.
        `/api/agencies/${encodeURIComponent(agencyId)}/units?q=${encodeURIComponent(search.value.replace(/\s*\([^)]*\)\s*$/, ''))}`,
      );
      options.replaceChildren(
        ...answer.units.map((unit) => {
          const label = `${unit.name} (${unit.code})`;
          known.set(label, unit.id);
          const option = document.createElement('option');
          option.value = label;
          return option;
        }),
      );
      hidden.value = known.get(search.value) ?? '';
    }, 200);
  });
}

/** Administration pages: JSON forms (agencies, units, accounts) and account actions. */
export function init(): void {
  initLayout();
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-api-form]')) {
    wireUnitPicker(form);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      showFormError(form, undefined);
      const values = formValues(form);
      delete values['unitSearch'];
      if (values['role'] !== 'uo') delete values['unitId'];
      try {
        const result = await whileBusy(form, () => api<CreatedWithLink>('POST', form.dataset['action'] ?? '', values));
        if ('showLink' in form.dataset) {
          showLink(result);
          form.reset();
        }
        if ('reload' in form.dataset) window.location.reload();
      } catch (error) {
        showFormError(form, error);
      }
    });
  }

  const actionError = document.querySelector<HTMLElement>('[data-action-error]');
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-account-action]')) {
    button.addEventListener('click', async () => {
      const action = button.dataset['accountAction'] ?? '';
      const name = button.closest('tr')?.querySelector('strong')?.textContent ?? 'this officer';
      if ((action === 'disable' || action === 're-enrol') && !window.confirm(`${action === 'disable' ? 'Disable' : 'Re-enrol'} ${name}? Their sessions end at once.`)) {
        return;
      }
      button.disabled = true;
      try {
        const result = await api<CreatedWithLink>('POST', `/api/accounts/${encodeURIComponent(button.dataset['accountId'] ?? '')}/actions`, { action });
        if (result.enrolmentLink) showLink(result);
        else window.location.reload();
      } catch (error) {
        if (actionError) {
          actionError.textContent = error instanceof Error ? error.message : String(error);
          actionError.hidden = false;
        }
      } finally {
        button.disabled = false;
      }
    });
  }
  document.querySelector<HTMLButtonElement>('[data-copy-link]')?.addEventListener('click', async () => {
    const value = document.querySelector<HTMLInputElement>('[data-link-value]')?.value ?? '';
    await navigator.clipboard.writeText(value).catch(() => undefined);
  });
}

init();
