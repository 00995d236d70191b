/** Composing at the desk: a draft's metadata in clear, its body sealed for the desk, attachments bound to it. */
import mongoose from 'mongoose';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { badRequest } from '../../errors.js';
import { termsOf } from '../../shared/search-terms.js';
import { checkFutureDeadline } from '../../workflow/deadlines.js';
import { needsReview } from '../../workflow/review.js';
import { bindFiles, unbindFiles } from '../../sealed/files/files.service.js';
import { createItem, deleteItem } from '../../sealed/items/items.service.js';
import { broadcastLifecycle } from './broadcast.lifecycle.js';
import { Broadcast } from './broadcast.model.js';
import { resolveAddressees } from './broadcast.queries.js';
import type { ComposeInput } from './broadcast.schema.js';
import { bindingOf, DESK_GROUP, findBroadcast, resourceOf, type BroadcastDesk } from './desk.js';

export interface Drafted {
  id: string;
  reviewRequired: boolean;
}

/** Saves a new draft. */
export async function compose(desk: BroadcastDesk, context: AuthorizeContext, input: ComposeInput): Promise<Drafted> {
  await authorize(context, 'broadcast:compose');
  const id = new mongoose.Types.ObjectId();
  await checkAddressees(input);
  const attachments = await bindFiles(context.actor, input.attachments, DESK_GROUP, bindingOf(String(id)), 'broadcast');
  const body = await createItem(context, { group: DESK_GROUP, ...input.body }, { boundTo: bindingOf(String(id)) });
  await Broadcast.create({ _id: id, author: context.actor.userId, ...metadataOf(input), body: body.id, attachments });
  await desk.record(context, 'broadcast.drafted', String(id), { reference: input.reference, priority: input.priority });
  return { id: String(id), reviewRequired: needsReview(desk.reviewPriorities, input.priority) };
}

/** Replaces a draft's metadata, body and attachments (its author, before it is submitted). */
export function update(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, input: ComposeInput): Promise<Drafted> {
  return desk.locks.run(broadcastId, async () => {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:edit', await resourceOf(broadcast, context.actor));
    broadcastLifecycle.next(broadcast.status, 'edit');
    await checkAddressees(input);
    const kept = new Set(broadcast.attachments.map(String));
    const added = input.attachments.filter((file) => !kept.has(file));
    await bindFiles(context.actor, added, DESK_GROUP, bindingOf(broadcastId), 'broadcast');
    await unbindFiles([...kept].filter((file) => !input.attachments.includes(file)));
    const body = await createItem(context, { group: DESK_GROUP, ...input.body }, { boundTo: bindingOf(broadcastId) });
    await Broadcast.updateOne({ _id: broadcast._id }, { $set: { ...metadataOf(input), body: body.id, attachments: input.attachments } }).exec();
    await deleteItem(String(broadcast.body));
    await desk.record(context, 'broadcast.edited', broadcastId, { reference: input.reference });
    return { id: broadcastId, reviewRequired: needsReview(desk.reviewPriorities, input.priority) };
  });
}

/** The plain fields of a draft, as stored. */
function metadataOf(input: ComposeInput): Record<string, unknown> {
  return {
    country: input.country,
    foreignNcb: input.foreignNcb,
    reference: input.reference,
    kind: input.kind,
    purpose: input.purpose,
    crimeArea: input.crimeArea,
    priority: input.priority,
    requestedDeadline: input.deadline,
    handling: input.handling,
    grading: input.grading,
    addressees: { mode: input.addressees.mode, agencies: input.addressees.mode === 'list' ? [...new Set(input.addressees.agencies)] : [] },
    terms: termsOf(input.reference, input.country, input.foreignNcb),
  };
}

async function checkAddressees(input: ComposeInput): Promise<void> {
  checkFutureDeadline(input.deadline);
  const agencies = await resolveAddressees(input.addressees.mode, input.addressees.agencies);
  if (agencies.length === 0) throw badRequest('No agency matches these addressees.', [{ field: 'addressees', message: 'matches no agency' }]);
  if (input.addressees.mode === 'list' && agencies.length !== new Set(input.addressees.agencies).size) {
    throw badRequest('Some chosen agencies do not exist (or are the CBI itself).', [{ field: 'addressees.agencies', message: 'unknown agency' }]);
  }
}
