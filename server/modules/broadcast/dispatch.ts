/** Sending: the body and attachments opened for every addressed agency's ILOs, one delivery per agency. */
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { AppError, badRequest } from '../../errors.js';
import { deadlineFor } from '../../workflow/deadlines.js';
import { checkOpening, openForGroups } from '../../workflow/openings.js';
import { recipientRooms } from '../../workflow/tracker.js';
import { latestEpoch, latestEpochs } from '../../sealed/groups/groups.service.js';
import type { AgencyDocument } from '../organisation/organisation.lookups.js';
import { agencyDeliveryId, Broadcast, BroadcastDelivery, type BroadcastDeliveryDocument, type BroadcastDocument } from './broadcast.model.js';
import { copiedMetadata, resolveAddressees } from './broadcast.queries.js';
import type { SendInput } from './broadcast.schema.js';
import { noticeOf } from './broadcast.view.js';
import { findBroadcast, ilosGroup, resourceOf, type BroadcastDesk } from './desk.js';

export interface Dispatched {
  status: string;
  recipients: number;
  leftOut: number;
}

/** An agency that would receive a broadcast, with the key its ILOs share (if they have one yet). */
export interface RecipientKey {
  readonly agencyId: string;
  readonly code: string;
  readonly name: string;
  readonly epoch?: number;
  readonly publicKey?: string;
}

/**
 * The agencies a draft would go to (or, `leftOut`, those a sent one was not sent to for lack of a
 * key), with their ILOs' current group key, to open it for them.
 */
export async function recipientKeys(context: AuthorizeContext, broadcastId: string, options: { leftOut?: boolean } = {}): Promise<RecipientKey[]> {
  const broadcast = await findBroadcast(broadcastId);
  await authorize(context, 'broadcast:read', await resourceOf(broadcast, context.actor));
  const agencies = options.leftOut
    ? await leftOutOf(broadcast)
    : await resolveAddressees(broadcast.addressees.mode, broadcast.addressees.agencies.map(String));
  return Promise.all(
    agencies.map(async (agency) => {
      const epoch = await latestEpoch(ilosGroup(String(agency._id)));
      return {
        agencyId: String(agency._id),
        code: agency.code,
        name: agency.name,
        ...(epoch ? { epoch: epoch.epoch, publicKey: epoch.publicKey } : {}),
      };
    }),
  );
}

/**
 * Sends (under the broadcast's lock, once allowed): checks that the body and every attachment
 * are opened for the current key of every addressed agency's ILOs (and no one else), adds those
 * key packets, creates one delivery per agency and tells the agencies' ILOs.
 */
export async function dispatch(desk: BroadcastDesk, context: AuthorizeContext, broadcast: BroadcastDocument, input: SendInput): Promise<Dispatched> {
  const addressed = await resolveAddressees(broadcast.addressees.mode, broadcast.addressees.agencies.map(String));
  const at = now();
  const deadline = deadlineFor(broadcast.priority, at, broadcast.requestedDeadline);
  const { agencies, leftOut } = await deliver(desk, context, broadcast, addressed, input, at, deadline, (to, without) =>
    Broadcast.updateOne(
      { _id: broadcast._id },
      { $set: { status: 'sent', sentAt: at, sentBy: context.actor.userId, deadline, recipients: to.map((agency) => agency._id), leftOut: without.map((agency) => agency._id) } },
    ).exec(),
  );
  await desk.record(context, 'broadcast.sent', String(broadcast._id), { reference: broadcast.reference, agencies: agencies.length, leftOut: leftOut.length });
  return { status: 'sent', recipients: agencies.length, leftOut: leftOut.length };
}

/**
 * Sends a broadcast already out to the addressed agencies it left out for lack of a key, now
 * that their ILOs have one (those still without stay left out, said so), with the same deadline.
 */
export function sendToLeftOut(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, input: SendInput): Promise<Dispatched> {
  return desk.locks.run(broadcastId, async () => {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:send-more', await resourceOf(broadcast, context.actor));
    if ((broadcast.leftOut ?? []).length === 0) throw new AppError(409, 'none-left-out', 'This broadcast reached every addressed agency.');
    const candidates = await leftOutOf(broadcast);
    const { agencies, leftOut } = await deliver(desk, context, broadcast, candidates, input, now(), broadcast.deadline!, (to, without) =>
      Broadcast.updateOne(
        { _id: broadcast._id },
        { $push: { recipients: { $each: to.map((agency) => agency._id) } }, $set: { leftOut: without.map((agency) => agency._id) } },
      ).exec(),
    );
    await desk.record(context, 'broadcast.sent-to-left-out', broadcastId, { reference: broadcast.reference, agencies: agencies.length, leftOut: leftOut.length });
    return { status: broadcast.status, recipients: agencies.length, leftOut: leftOut.length };
  });
}

/** The addressed agencies a sent broadcast left out for lack of a key (still partner agencies). */
async function leftOutOf(broadcast: BroadcastDocument): Promise<AgencyDocument[]> {
  const waiting = (broadcast.leftOut ?? []).map(String);
  return (await resolveAddressees('list', waiting)).filter((agency) => waiting.includes(String(agency._id)));
}

/**
 * Opens a broadcast for `addressed` agencies' ILOs and delivers it to them: those whose ILOs have
 * no key yet may be left out (`input.leaveOut`, said, not silent), nobody else; every other one
 * must be opened for exactly its current key. `record` stores on the broadcast who it went to,
 * once the openings are in and before the deliveries appear in anyone's inbox.
 */
async function deliver(
  desk: BroadcastDesk,
  context: AuthorizeContext,
  broadcast: BroadcastDocument,
  addressed: AgencyDocument[],
  input: SendInput,
  at: Date,
  deadline: Date,
  record: (agencies: AgencyDocument[], leftOut: AgencyDocument[]) => Promise<unknown>,
): Promise<{ agencies: AgencyDocument[]; leftOut: AgencyDocument[] }> {
  const { openings } = input;
  const epochs = await latestEpochs(addressed.map((agency) => ilosGroup(String(agency._id))));
  const leaveOut = new Set(input.leaveOut);
  const leftOut = addressed.filter((agency) => leaveOut.has(String(agency._id)));
  if (leftOut.length !== leaveOut.size || leftOut.some((agency) => epochs.has(ilosGroup(String(agency._id))))) {
    throw badRequest('Only addressed agencies whose ILOs have no key yet can be left out.', [{ field: 'leaveOut', message: 'includes an agency that can be sealed for' }]);
  }
  const agencies = addressed.filter((agency) => !leaveOut.has(String(agency._id)));
  const expected = new Set(agencies.map((agency) => String(agency._id)));
  const missing = agencies.filter((agency) => !openings[String(agency._id)]);
  const extra = Object.keys(openings).filter((agencyId) => !expected.has(agencyId));
  if (missing.length > 0 || extra.length > 0) {
    throw new AppError(409, 'recipients-changed', `Open the broadcast for exactly its addressees${missing.length ? `; missing: ${missing.map((agency) => agency.code).join(', ')}` : ''}.`);
  }
  if (agencies.length === 0) throw new AppError(409, 'no-recipients', 'None of the addressed agencies can receive it yet: their ILOs have no key.');
  const attachments = broadcast.attachments.map(String);
  const forwards = await Promise.all(
    agencies.map((agency) => checkOpening(ilosGroup(String(agency._id)), openings[String(agency._id)]!, attachments, agency.code, epochs)),
  );
  await openForGroups(context, broadcast.body, attachments, forwards, at);
  await record(agencies, leftOut);
  const deliveries = agencies.map((agency) => ({
    _id: agencyDeliveryId(String(broadcast._id), String(agency._id)),
    broadcast: broadcast._id,
    level: 'agency' as const,
    agency: agency._id,
    ...copiedMetadata(broadcast, at, deadline),
  }));
  await BroadcastDelivery.insertMany(deliveries);
  for (const delivery of deliveries) {
    desk.notifier.notifyRooms(recipientRooms(delivery), 'broadcast:new', noticeOf({ ...delivery, reminders: 0 } as BroadcastDeliveryDocument));
  }
  return { agencies, leftOut };
}
