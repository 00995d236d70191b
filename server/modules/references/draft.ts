/** Drafting at the author's desk: plain metadata, the facts sealed for that desk, attachments bound to it. */
import mongoose from 'mongoose';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { AppError } from '../../errors.js';
import { termsOf } from '../../shared/search-terms.js';
import { bindFiles, unbindFiles } from '../../sealed/files/files.service.js';
import { createItem, deleteItem } from '../../sealed/items/items.service.js';
import { checkFutureDeadline } from '../../workflow/deadlines.js';
import { referenceLifecycle } from './reference.lifecycle.js';
import { Reference } from './reference.model.js';
import type { DraftInput } from './reference.schema.js';
import { bindingOf, findReference, holderOf, originGroup, resourceOf, type ReferenceDesk } from './reference-desk.js';
import { groupOfDesk, originOf } from '../../workflow/desk-groups.js';

/** Saves a new outgoing reference as a draft at the author's desk. */
export async function draft(desk: ReferenceDesk, context: AuthorizeContext, input: DraftInput): Promise<{ id: string }> {
  await authorize(context, 'reference:draft');
  checkFutureDeadline(input.deadline);
  const origin = originOf(context.actor);
  const id = new mongoose.Types.ObjectId();
  const group = groupOfDesk(origin.desk, origin);
  const attachments = await bindFiles(context.actor, input.attachments, group, bindingOf(String(id)), 'reference');
  const body = await createItem(context, { group, ...input.body }, { boundTo: bindingOf(String(id)) });
  const place = { originDesk: origin.desk, agency: new mongoose.Types.ObjectId(origin.agency), ...(origin.unit ? { unit: new mongoose.Types.ObjectId(origin.unit) } : {}) };
  const at = now();
  const reference = {
    _id: id,
    direction: 'outgoing' as const,
    status: 'draft' as const,
    author: context.actor.userId,
    ...place,
    holder: holderOf(place, 'draft'),
    hops: [{ desk: origin.desk, since: at, ...(origin.desk !== 'cbi' ? { agency: place.agency } : {}), ...(place.unit ? { unit: place.unit } : {}) }],
    reached: [],
    movedAt: at,
    ...metadataOf(input),
    priority: input.priority,
    body: body.id,
    attachments,
  };
  await desk.place([reference], () => Reference.create(reference));
  await desk.record(context, 'reference.drafted', String(id), { assistance: input.assistance, countries: input.countries.length });
  return { id: String(id) };
}

/** Replaces a draft's metadata, sealed facts and attachments (its author, while it is a draft). */
export function update(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: DraftInput): Promise<{ id: string }> {
  return desk.locks.run(referenceId, async () => {
    const reference = await findReference(referenceId);
    await authorize(context, 'reference:edit', resourceOf(reference));
    referenceLifecycle.next(reference.status, 'edit');
    checkFutureDeadline(input.deadline);
    const group = originGroup(reference);
    const kept = new Set(reference.attachments.map(String));
    await bindFiles(context.actor, input.attachments.filter((file) => !kept.has(file)), group, bindingOf(referenceId), 'reference');
    await unbindFiles([...kept].filter((file) => !input.attachments.includes(file)));
    const body = await createItem(context, { group, ...input.body }, { boundTo: bindingOf(referenceId) });
    const updated = await Reference.updateOne(
      { _id: reference._id, revision: reference.revision },
      { $set: { ...metadataOf(input), body: body.id, attachments: input.attachments }, $inc: { revision: 1 } },
    );
    if (updated.modifiedCount === 0) {
      await deleteItem(body.id);
      throw new AppError(409, 'reference-changed', 'This reference changed meanwhile: open it again.');
    }
    await deleteItem(String(reference.body));
    await desk.record(context, 'reference.edited', referenceId);
    return { id: referenceId };
  });
}

/** The plain fields of a draft, as stored. */
function metadataOf(input: DraftInput): Record<string, unknown> {
  return {
    countries: input.countries.map((entry) => ({ country: entry.country, ncb: entry.ncb })),
    assistance: input.assistance,
    case: input.case,
    crimeArea: input.crimeArea,
    priority: input.priority,
    requestedDeadline: input.deadline,
    handling: input.handling,
    grading: input.grading,
    terms: termsOf(input.case.fir, input.case.policeStation, ...input.countries.flatMap((entry) => [entry.country, entry.ncb])),
  };
}
