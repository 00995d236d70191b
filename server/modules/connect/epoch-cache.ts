/** The epoch keys channels write to, cached per group for the senders of one process. */
import { epochKeyIds, latestEpochs, writableEpoch, type GroupEpochDocument } from '../../sealed/groups/groups.service.js';

/** The epoch key a channel writes to, as last read. */
export interface CachedEpoch {
  readonly epoch: GroupEpochDocument;
  readonly keyIds: Set<string>;
  /** When it was last found to be the group's latest. */
  at: number;
  /** The member list the epoch's members were last found in (lists are reused while unchanged). */
  checkedAgainst?: readonly string[];
}

/**
 * Epochs cached per group: sends are frequent, epochs change rarely. Past the TTL the cached
 * epoch is still used while it is checked in the background (another process may have started a
 * newer one), together with every other cached epoch due soon, in one read; a newer epoch number
 * from a client, or a departed member, reloads it before answering.
 */
const epochCache = new Map<string, CachedEpoch>();
const EPOCH_TTL_MS = 30_000;

/**
 * The epoch key a channel's message must be sealed for, checked against its members: from the
 * cache while it is fresh and its members are unchanged, else read (a newer epoch number from a
 * client, or a departed member, reloads it before answering).
 */
export function channelEpoch(group: string, epoch: number, members: readonly string[]): Promise<CachedEpoch> {
  const cached = epochCache.get(group);
  if (!cached || cached.epoch.epoch !== epoch || !stillMembers(cached, members)) return loadEpoch(group, epoch, members);
  if (Date.now() - cached.at >= EPOCH_TTL_MS) recheckEpochs();
  return Promise.resolve(cached);
}

let recheckingEpochs = false;

/** Checks the cached epochs due within half a TTL against the database: kept if still the latest, else dropped. */
function recheckEpochs(): void {
  if (recheckingEpochs) return;
  recheckingEpochs = true;
  const due = [...epochCache].filter(([, cached]) => Date.now() - cached.at >= EPOCH_TTL_MS / 2);
  const checkedAt = Date.now();
  latestEpochs(due.map(([group]) => group))
    .then(
      (latest) => {
        for (const [group, cached] of due) {
          if (latest.get(group)?.epoch === cached.epoch.epoch) cached.at = checkedAt;
          else epochCache.delete(group);
        }
      },
      () => {
        for (const [group] of due) epochCache.delete(group);
      },
    )
    .finally(() => {
      recheckingEpochs = false;
    });
}

/** Whether every member the epoch was sealed for is still a member of the channel. */
function stillMembers(cached: CachedEpoch, members: readonly string[]): boolean {
  if (cached.checkedAgainst === members) return true;
  const current = new Set(members);
  if (!cached.epoch.members.every((member) => current.has(String(member)))) return false;
  cached.checkedAgainst = members;
  return true;
}

async function loadEpoch(group: string, epoch: number, members: readonly string[]): Promise<CachedEpoch> {
  const current = await writableEpoch(group, epoch, [...members]);
  const entry: CachedEpoch = { epoch: current, keyIds: await epochKeyIds(current), at: Date.now(), checkedAgainst: members };
  epochCache.set(group, entry);
  return entry;
}
