/** Drafting at the author's desk: plain metadata, the particulars and facts sealed for that desk, files bound to it. */
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { AppError } from '../../errors.js';
import { bindFiles, unbindFiles } from '../../sealed/files/files.service.js';
import { createItem, deleteItem } from '../../sealed/items/items.service.js';
import { checkFutureDeadline } from '../../workflow/deadlines.js';
import { groupOfDesk, originOf } from '../../workflow/desk-groups.js';
import { noticeLifecycle } from './notice.lifecycle.js';
import { Notice } from './notice.model.js';
import type { DraftInput } from './notice.schema.js';
import { bindingOf, findNotice, holderOf, originGroup, resourceOf, type NoticeDesk } from './notice-desk.js';

/** The digest of a sealed body's ciphertext, as the submitter's signed check names it. */
export const digestOf = (ciphertext: Uint8Array): string => `sha256:${createHash('sha256').update(ciphertext).digest('hex')}`;

/** The plain fields of a draft, as stored. */
function metadataOf(input: DraftInput): Record<string, unknown> {
  return { kind: input.kind, type: input.type, crimeArea: input.crimeArea, priority: input.priority, requestedDeadline: input.deadline, countries: input.countries };
}

/** Saves a new request as a draft at the author's desk. */
export async function draft(desk: NoticeDesk, context: AuthorizeContext, input: DraftInput): Promise<{ id: string }> {
  await authorize(context, 'notice:draft');
  checkFutureDeadline(input.deadline);
  const origin = originOf(context.actor);
  const id = new mongoose.Types.ObjectId();
  const group = groupOfDesk(origin.desk, origin);
  const attachments = await bindFiles(context.actor, input.attachments, group, bindingOf(String(id)), 'notice request');
  const body = await createItem(context, { group, ...input.body }, { boundTo: bindingOf(String(id)) });
  const place = { originDesk: origin.desk, agency: new mongoose.Types.ObjectId(origin.agency), ...(origin.unit ? { unit: new mongoose.Types.ObjectId(origin.unit) } : {}) };
  const at = now();
  const notice = {
    _id: id,
    status: 'draft' as const,
    author: context.actor.userId,
    ...place,
    holder: holderOf(place, 'draft'),
    reached: [],
    hops: [{ desk: origin.desk, since: at, ...(origin.desk !== 'cbi' ? { agency: place.agency } : {}), ...(place.unit ? { unit: place.unit } : {}) }],
    ...metadataOf(input),
    priority: input.priority,
    body: body.id,
    bodyDigest: digestOf(input.body.body),
    attachments,
    movedAt: at,
  };
  await desk.place(notice, () => Notice.create(notice));
  await desk.record(context, 'notice.drafted', String(id), { kind: input.kind, type: input.type });
  return { id: String(id) };
}

/** Replaces a draft's metadata, sealed content and attachments (its author, while it is with them). */
export function update(desk: NoticeDesk, context: AuthorizeContext, noticeId: string, input: DraftInput): Promise<{ id: string }> {
  return desk.locks.run(noticeId, async () => {
    const notice = await findNotice(noticeId);
    await authorize(context, 'notice:edit', resourceOf(notice));
    noticeLifecycle.next(notice.status, 'edit');
    checkFutureDeadline(input.deadline);
    const group = originGroup(notice);
    const kept = new Set(notice.attachments.map(String));
    await bindFiles(context.actor, input.attachments.filter((file) => !kept.has(file)), group, bindingOf(noticeId), 'notice request');
    await unbindFiles([...kept].filter((file) => !input.attachments.includes(file)));
    const body = await createItem(context, { group, ...input.body }, { boundTo: bindingOf(noticeId) });
    const updated = await Notice.updateOne(
      { _id: notice._id, revision: notice.revision },
      { $set: { ...metadataOf(input), body: body.id, bodyDigest: digestOf(input.body.body), attachments: input.attachments }, $inc: { revision: 1 } },
    );
    if (updated.modifiedCount === 0) {
      await deleteItem(body.id);
      throw new AppError(409, 'notice-changed', 'This request changed meanwhile: open it again.');
    }
    await deleteItem(String(notice.body));
    await desk.record(context, 'notice.edited', noticeId);
    return { id: noticeId };
  });
}
