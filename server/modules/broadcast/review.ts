/** Four eyes at the desk: a draft handed in for review, approved (so sent) or returned; or sent straight away when its priority needs no review. */
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { AppError } from '../../errors.js';
import { needsReview, reviewEntry } from '../../workflow/review.js';
import { broadcastLifecycle } from './broadcast.lifecycle.js';
import { Broadcast } from './broadcast.model.js';
import type { ReviewInput, SendInput } from './broadcast.schema.js';
import { findBroadcast, resourceOf, type BroadcastDesk } from './desk.js';
import { dispatch, type Dispatched } from './dispatch.js';

/** Hands a draft to a second desk officer for review. */
export function submit(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string): Promise<{ status: string }> {
  return desk.locks.run(broadcastId, async () => {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:edit', await resourceOf(broadcast, context.actor));
    const status = broadcastLifecycle.next(broadcast.status, 'submit');
    await Broadcast.updateOne({ _id: broadcast._id }, { $set: { status }, $push: { reviews: reviewEntry(context.actor, 'submitted') } }).exec();
    await desk.record(context, 'broadcast.submitted', broadcastId, { reference: broadcast.reference });
    return { status };
  });
}

/** A second officer approves (and so sends) or returns a draft in review. */
export function review(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, input: ReviewInput): Promise<{ status: string } | Dispatched> {
  return desk.locks.run(broadcastId, async () => {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:review', await resourceOf(broadcast, context.actor));
    if (input.decision === 'return') {
      const status = broadcastLifecycle.next(broadcast.status, 'return');
      await Broadcast.updateOne({ _id: broadcast._id }, { $set: { status }, $push: { reviews: reviewEntry(context.actor, 'returned', input.comment) } }).exec();
      await desk.record(context, 'broadcast.returned', broadcastId, { reference: broadcast.reference });
      return { status };
    }
    broadcastLifecycle.next(broadcast.status, 'approve');
    await Broadcast.updateOne({ _id: broadcast._id }, { $push: { reviews: reviewEntry(context.actor, 'approved') } }).exec();
    await desk.record(context, 'broadcast.approved', broadcastId, { reference: broadcast.reference });
    return dispatch(desk, context, broadcast, input);
  });
}

/** Sends a draft whose priority needs no review (its author). */
export function send(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, input: SendInput): Promise<Dispatched> {
  return desk.locks.run(broadcastId, async () => {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:edit', await resourceOf(broadcast, context.actor));
    if (needsReview(desk.reviewPriorities, broadcast.priority)) {
      throw new AppError(409, 'review-required', `A ${broadcast.priority} broadcast is reviewed by a second officer before it goes out: submit it for review.`);
    }
    broadcastLifecycle.next(broadcast.status, 'send');
    return dispatch(desk, context, broadcast, input);
  });
}
