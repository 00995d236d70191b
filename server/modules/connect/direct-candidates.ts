import type { Actor } from '../../access/actor.js';
import { activeAccounts } from '../accounts/account-index.js';
import { accountsByIds } from '../accounts/account-lookups.js';
import { agenciesByIds } from '../organisation/organisation.lookups.js';
import { mayTalkDirectly } from './channel-members.js';
import type { DirectCandidate } from './connect.events.js';

/** Colleagues offered at once when starting a direct conversation. */
export const CANDIDATES_SHOWN = 20;


/**
 * The active colleagues the actor may open a direct conversation with (see mayTalkDirectly),
 * whose name, username or designation contains `text`, by name: the rule is worked out on the
 * account index in memory, then only those officers are read.
 */
export async function directCandidates(actor: Actor, text: string): Promise<{ candidates: DirectCandidate[]; total: number }> {
  const me = { role: actor.role, agency: actor.agencyId };
  const ids = (await activeAccounts()).filter((account) => account.id !== actor.userId && mayTalkDirectly(me, account)).map((account) => account.id);
  const wanted = text.trim().toLocaleLowerCase('en-IN');
  const matching = (await accountsByIds(ids))
    .filter((card) => !wanted || [card.displayName, card.username, card.designation].some((field) => field.toLocaleLowerCase('en-IN').includes(wanted)))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  const shown = matching.slice(0, CANDIDATES_SHOWN);
  const agencies = new Map((await agenciesByIds(shown.map((card) => card.agency))).map((agency) => [String(agency._id), agency.name]));
  return {
    candidates: shown.map((card) => ({
      id: card.id,
      displayName: card.displayName,
      designation: card.designation,
      role: card.role,
      agencyName: agencies.get(card.agency) ?? '',
    })),
    total: matching.length,
  };
}
