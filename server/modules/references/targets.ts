/** The keys of the desks a reference is opened for next, given to the browser that re-wraps it. */
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { AppError, badRequest } from '../../errors.js';
import { unitById } from '../organisation/organisation.lookups.js';
import { latestEpochs } from '../../sealed/groups/groups.service.js';
import { lowerGroups } from './abroad.js';
import { findReference, resourceOf } from './reference-desk.js';
import { DESK_GROUP, groupOfDesk } from '../../workflow/desk-groups.js';

/** What a browser asks keys for: the next desk up, the desks below a reply, a report's reader, chosen agencies, a unit. */
export const TARGET_STEPS = ['next', 'below', 'upward', 'agencies', 'unit'] as const;
export type TargetStep = (typeof TARGET_STEPS)[number];

/** A desk's group and its current public key (none while nobody there has signed in yet). */
export interface TargetKey {
  readonly group: string;
  readonly epoch?: number;
  readonly publicKey?: string;
}

/**
 * The groups the caller's next step opens a reference for, with their current keys: the next
 * desk up when handing a draft on or forwarding it (`next`), or every desk below the CBI when
 * recording a reply (`below`). Asked of the reference itself, so nobody learns keys beyond it.
 */
export async function targetsFor(context: AuthorizeContext, referenceId: string, step: TargetStep, ids: readonly string[] = []): Promise<TargetKey[]> {
  const reference = await findReference(referenceId);
  const resource = resourceOf(reference);
  const agency = String(reference.agency);
  let groups: string[];
  if (step === 'agencies') {
    await authorize(context, 'reference:handle-incoming', resource);
    groups = ids.map((id) => groupOfDesk('ilo', { agency: id }));
  } else if (step === 'unit') {
    await authorize(context, 'reference:assign', resource);
    const unit = await unitById(ids[0]);
    if (!unit || String(unit.agency) !== agency) throw badRequest('Choose a unit of your agency.', [{ field: 'ids', message: 'not of this agency' }]);
    groups = [groupOfDesk('unit', { agency, unit: String(unit._id) })];
  } else if (step === 'upward') {
    await authorize(context, 'reference:report', resource);
    groups = [context.actor.role === 'uo' ? groupOfDesk('ilo', { agency }) : DESK_GROUP];
  } else if (step === 'below') {
    await authorize(context, 'reference:reply', resource);
    groups = lowerGroups(reference);
  } else if (reference.status === 'draft') {
    await authorize(context, 'reference:edit', resource);
    groups = reference.originDesk === 'unit' ? [groupOfDesk('ilo', { agency: String(reference.agency) })] : reference.originDesk === 'ilo' ? [DESK_GROUP] : [];
  } else if (reference.status === 'at-ilo') {
    // Forwarding a reference up, or approving a unit's reports on an incoming one: both for the CBI.
    await authorize(context, 'reference:decide-ilo', resource);
    groups = [DESK_GROUP];
  } else {
    throw new AppError(409, 'wrong-state', 'Nothing is opened for another desk at this step.');
  }
  const epochs = await latestEpochs(groups);
  return groups.map((group) => {
    const epoch = epochs.get(group);
    return epoch ? { group, epoch: epoch.epoch, publicKey: epoch.publicKey } : { group };
  });
}
