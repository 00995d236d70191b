/** The keys of the desks a reference is opened for next, given to the browser that re-wraps it. */
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { AppError } from '../../errors.js';
import { latestEpochs } from '../../sealed/groups/groups.service.js';
import { lowerGroups } from './abroad.js';
import { DESK_GROUP, findReference, groupOfDesk, resourceOf } from './reference-desk.js';

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
export async function targetsFor(context: AuthorizeContext, referenceId: string, step: 'next' | 'below'): Promise<TargetKey[]> {
  const reference = await findReference(referenceId);
  const resource = resourceOf(reference);
  let groups: string[];
  if (step === 'below') {
    await authorize(context, 'reference:reply', resource);
    groups = lowerGroups(reference);
  } else if (reference.status === 'draft') {
    await authorize(context, 'reference:edit', resource);
    groups = reference.originDesk === 'unit' ? [groupOfDesk('ilo', { agency: String(reference.agency) })] : reference.originDesk === 'ilo' ? [DESK_GROUP] : [];
  } else if (reference.status === 'at-ilo') {
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
