import type { DirectCandidate } from '../../../server/modules/connect/connect.events.js';
import { api } from '../lib/api.js';

const ROLE_NAMES: Record<string, string> = { ilo: 'ILO', uo: 'Unit officer', 'ncb-officer': 'NCB officer', 'ncb-admin': 'NCB administrator' };

/**
 * "New conversation": a dialog that finds the colleagues the officer may write to directly (an
 * ILO's unit officers and the NCB desk; a unit officer's ILOs; the desk's ILOs), by name, and
 * opens the conversation with the one chosen (`opened` is told its channel id).
 */
export function bindDirectDialog(button: HTMLButtonElement, dialog: HTMLDialogElement, opened: (channelId: string) => Promise<void>): void {
  const input = dialog.querySelector<HTMLInputElement>('[data-direct-search]');
  const results = dialog.querySelector<HTMLUListElement>('[data-direct-results]');
  const status = dialog.querySelector<HTMLElement>('[data-direct-status]');
  if (!input || !results || !status) return;
  let asked = 0;
  const search = async (): Promise<void> => {
    const ask = (asked += 1);
    status.textContent = 'Searching…';
    try {
      const { candidates, total } = await api<{ candidates: DirectCandidate[]; total: number }>(
        'GET',
        `/api/channels/direct/candidates?q=${encodeURIComponent(input.value)}`,
      );
      if (ask !== asked) return; // a later search answers
      results.replaceChildren(...candidates.map((candidate) => resultItem(candidate)));
      status.textContent =
        total === 0 ? 'Nobody you can write to directly matches.' : total > candidates.length ? `${candidates.length} of ${total} shown: type more of a name.` : `${total} found.`;
    } catch (error) {
      status.textContent = error instanceof Error ? error.message : 'Search failed.';
    }
  };
  const resultItem = (candidate: DirectCandidate): HTMLLIElement => {
    const item = document.createElement('li');
    const pick = document.createElement('button');
    pick.type = 'button';
    pick.className = 'direct-result';
    pick.dataset['directCandidate'] = candidate.id;
    const name = document.createElement('strong');
    name.textContent = candidate.displayName;
    const place = document.createElement('span');
    place.className = 'muted small';
    place.textContent = [ROLE_NAMES[candidate.role] ?? candidate.role, candidate.designation, candidate.agencyName].filter(Boolean).join(' · ');
    pick.append(name, place);
    pick.addEventListener('click', async () => {
      pick.disabled = true;
      try {
        const { id } = await api<{ id: string }>('POST', '/api/channels/direct', { accountId: candidate.id });
        dialog.close();
        await opened(id);
      } catch (error) {
        status.textContent = error instanceof Error ? error.message : 'The conversation could not be opened.';
        pick.disabled = false;
      }
    });
    item.append(pick);
    return item;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(), 250);
  });
  button.addEventListener('click', () => {
    input.value = '';
    dialog.showModal();
    void search();
  });
  dialog.querySelector('[data-direct-close]')?.addEventListener('click', () => dialog.close());
}
