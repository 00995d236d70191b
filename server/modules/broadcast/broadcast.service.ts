import mongoose, { type Types } from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { authorize, deny, recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import type { BroadcastResource } from '../../access/policy.js';
import { now, nowMs } from '../../clock.js';
import { readPublicKey, verifyStatement } from '../../crypto/client.js';
import { checkKeyPackets } from '../../crypto/packets.js';
import { AppError, badRequest, notFound } from '../../errors.js';
import type { AuditLog } from '../audit/audit.service.js';
import { agencyIlosRoom, DESK_ROOMS, unitRoom, type AudienceNotifier } from '../../realtime/audience.js';
import type { TrackingRow } from '../../realtime/events.js';
import { KeyedLock } from '../../shared/keyed-lock.js';
import { EncryptedFile } from '../files/file.model.js';
import { epochKeyIds, latestEpoch, latestEpochs } from '../groups/groups.service.js';
import type { GroupEpochDocument } from '../groups/group.model.js';
import { addOpenings } from '../groups/sealed-access.js';
import { EncryptedItem } from '../items/item.model.js';
import { createItem } from '../items/items.service.js';
import { currentKey } from '../keys/keys.service.js';
import { agencyById, unitById, unitsByIds, unitsOfAgency } from '../organisation/organisation.lookups.js';
import { termsOf } from '../../shared/search-terms.js';
import {
  agencyDeliveryId,
  Broadcast,
  BroadcastDelivery,
  unitDeliveryId,
  type BroadcastDeliveryDocument,
  type BroadcastDocument,
} from './broadcast.model.js';
import {
  allowsOnwardSharing,
  DEFAULT_DEADLINE_MS,
  DESK_STATES,
  RECIPIENT_STATES,
  REMINDER_INTERVAL_MS,
  type AnswerInput,
  type ComposeInput,
  type DisseminateInput,
  type ListQuery,
  type Opening,
  type Priority,
  type ReviewInput,
  type SendInput,
  type TransmissionInput,
} from './broadcast.schema.js';
import {
  copiedMetadata,
  deliveryCounts,
  deliveryStateFilter,
  metadataFilter,
  resolveAddressees,
  trusted,
  type RecipientState,
} from './broadcast.queries.js';
import { iso, isOverdue, metadataOf, noticeOf, presentBroadcast, stateOf, type BroadcastView, type InboxEntry, type OutboxEntry } from './broadcast.view.js';
import { acknowledgementStatement } from './statement.js';

export const PAGE_SIZE = 25;
/** How far the time in a signed acknowledgement may be from the server's clock. */
const SIGNED_AT_SLACK_MS = 10 * 60_000;
const DESK_GROUP = 'ncb-desk';
const ilosGroup = (agencyId: string): string => `agency-ilos:${agencyId}`;
const unitGroup = (unitId: string): string => `unit:${unitId}`;
const bindingOf = (broadcastId: string): string => `broadcast:${broadcastId}`;

/** An agency that would receive a broadcast, with the key its ILOs share (if they have one yet). */
export interface RecipientKey {
  readonly agencyId: string;
  readonly code: string;
  readonly name: string;
  readonly epoch?: number;
  readonly publicKey?: string;
}

/** A unit an ILO may pass a broadcast to, with its key (if its officers have one yet). */
export interface UnitKey {
  readonly unitId: string;
  readonly code: string;
  readonly name: string;
  readonly epoch?: number;
  readonly publicKey?: string;
  readonly disseminated: boolean;
}

/** The rooms of the officers a delivery is for. */
const recipientRooms = (delivery: Pick<BroadcastDeliveryDocument, 'level' | 'agency' | 'unit'>): string[] =>
  delivery.level === 'unit' && delivery.unit ? [unitRoom(String(delivery.unit))] : [agencyIlosRoom(String(delivery.agency))];

/** The rooms that follow a delivery's progress: the desk for agencies, the agency's ILOs for units. */
const trackerRooms = (delivery: Pick<BroadcastDeliveryDocument, 'level' | 'agency'>): string[] =>
  delivery.level === 'unit' ? [agencyIlosRoom(String(delivery.agency))] : DESK_ROOMS;

/**
 * Broadcasts: composed and reviewed at the CBI's desk, sent to agencies' ILOs by opening the
 * sealed body and attachments for their group keys, acknowledged with signatures, passed on to
 * units the same way (unless the handling code forbids it), answered up the chain, and tracked.
 */
export class BroadcastService {
  readonly #locks = new KeyedLock();
  readonly #names = new Map<string, Promise<{ code: string; name: string }>>();

  constructor(
    private readonly notifier: AudienceNotifier,
    private readonly audit: AuditLog,
    /** Priorities whose broadcasts a second desk officer must approve before they go out. */
    readonly reviewPriorities: ReadonlySet<Priority>,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Composing and sending

  /** Saves a new draft: metadata in clear, body sealed for the desk, attachments bound to it. */
  async compose(context: AuthorizeContext, input: ComposeInput): Promise<{ id: string; reviewRequired: boolean }> {
    await authorize(context, 'broadcast:compose');
    const id = new mongoose.Types.ObjectId();
    await this.#checkAddressees(input);
    const attachments = await this.#bindFiles(context, input.attachments, DESK_GROUP, String(id));
    const body = await createItem(context, { group: DESK_GROUP, ...input.body }, { boundTo: bindingOf(String(id)) });
    await Broadcast.create({ _id: id, author: context.actor.userId, ...this.#metadata(input), body: body.id, attachments });
    await this.#record(context, 'broadcast.drafted', String(id), { reference: input.reference, priority: input.priority });
    return { id: String(id), reviewRequired: this.reviewPriorities.has(input.priority) };
  }

  /** Replaces a draft's metadata, body and attachments (its author, before it is submitted). */
  async update(context: AuthorizeContext, broadcastId: string, input: ComposeInput): Promise<{ id: string; reviewRequired: boolean }> {
    return this.#locks.run(broadcastId, async () => {
      const broadcast = await findBroadcast(broadcastId);
      await authorize(context, 'broadcast:edit', await resourceOf(broadcast, context.actor));
      await this.#checkAddressees(input);
      const kept = new Set(broadcast.attachments.map(String));
      const added = input.attachments.filter((file) => !kept.has(file));
      await this.#bindFiles(context, added, DESK_GROUP, broadcastId);
      const dropped = [...kept].filter((file) => !input.attachments.includes(file));
      if (dropped.length > 0) await EncryptedFile.updateMany({ _id: trusted({ $in: dropped }) }, { $unset: { boundTo: 1 } }).exec();
      const body = await createItem(context, { group: DESK_GROUP, ...input.body }, { boundTo: bindingOf(broadcastId) });
      await Broadcast.updateOne({ _id: broadcast._id }, { $set: { ...this.#metadata(input), body: body.id, attachments: input.attachments } }).exec();
      await EncryptedItem.deleteOne({ _id: broadcast.body }).exec();
      await this.#record(context, 'broadcast.edited', broadcastId, { reference: input.reference });
      return { id: broadcastId, reviewRequired: this.reviewPriorities.has(input.priority) };
    });
  }

  /** Hands a draft to a second desk officer for review. */
  async submit(context: AuthorizeContext, broadcastId: string): Promise<{ status: string }> {
    return this.#locks.run(broadcastId, async () => {
      const broadcast = await findBroadcast(broadcastId);
      await authorize(context, 'broadcast:edit', await resourceOf(broadcast, context.actor));
      const review = { by: context.actor.userId, at: now(), decision: 'submitted', comment: '' };
      await Broadcast.updateOne({ _id: broadcast._id }, { $set: { status: 'in-review' }, $push: { reviews: review } }).exec();
      await this.#record(context, 'broadcast.submitted', broadcastId, { reference: broadcast.reference });
      return { status: 'in-review' };
    });
  }

  /** A second officer approves (and so sends) or returns a draft in review. */
  async review(context: AuthorizeContext, broadcastId: string, input: ReviewInput): Promise<{ status: string; recipients?: number; leftOut?: number }> {
    return this.#locks.run(broadcastId, async () => {
      const broadcast = await findBroadcast(broadcastId);
      await authorize(context, 'broadcast:review', await resourceOf(broadcast, context.actor));
      if (input.decision === 'return') {
        const review = { by: context.actor.userId, at: now(), decision: 'returned', comment: input.comment };
        await Broadcast.updateOne({ _id: broadcast._id }, { $set: { status: 'draft' }, $push: { reviews: review } }).exec();
        await this.#record(context, 'broadcast.returned', broadcastId, { reference: broadcast.reference });
        return { status: 'draft' };
      }
      const review = { by: context.actor.userId, at: now(), decision: 'approved', comment: '' };
      await Broadcast.updateOne({ _id: broadcast._id }, { $push: { reviews: review } }).exec();
      await this.#record(context, 'broadcast.approved', broadcastId, { reference: broadcast.reference });
      return this.#dispatch(context, broadcast, input);
    });
  }

  /** Sends a draft whose priority needs no review (its author). */
  async send(context: AuthorizeContext, broadcastId: string, input: SendInput): Promise<{ status: string; recipients?: number; leftOut?: number }> {
    return this.#locks.run(broadcastId, async () => {
      const broadcast = await findBroadcast(broadcastId);
      await authorize(context, 'broadcast:edit', await resourceOf(broadcast, context.actor));
      if (this.reviewPriorities.has(broadcast.priority)) {
        throw new AppError(409, 'review-required', `A ${broadcast.priority} broadcast is reviewed by a second officer before it goes out: submit it for review.`);
      }
      return this.#dispatch(context, broadcast, input);
    });
  }

  /** The agencies a draft would go to, with their ILOs' current group key, to open it for them. */
  async recipientKeys(context: AuthorizeContext, broadcastId: string): Promise<RecipientKey[]> {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:read', await resourceOf(broadcast, context.actor));
    const agencies = await resolveAddressees(broadcast.addressees.mode, broadcast.addressees.agencies.map(String));
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
   * Sends: checks that the body and every attachment are opened for the current key of every
   * addressed agency's ILOs (and no one else), adds those key packets, creates one delivery per
   * agency and tells the agencies' ILOs.
   */
  async #dispatch(context: AuthorizeContext, broadcast: BroadcastDocument, input: SendInput): Promise<{ status: string; recipients: number; leftOut: number }> {
    const { openings } = input;
    const addressed = await resolveAddressees(broadcast.addressees.mode, broadcast.addressees.agencies.map(String));
    const epochs = await latestEpochs(addressed.map((agency) => ilosGroup(String(agency._id))));
    // Agencies whose ILOs have no key yet may be left out, saying so; nobody else.
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
    const at = now();
    const attachments = broadcast.attachments.map(String);
    const forwards = await Promise.all(
      agencies.map((agency) => checkOpening(ilosGroup(String(agency._id)), openings[String(agency._id)]!, attachments, agency.code, epochs)),
    );
    await this.#addForwards(context, broadcast.body, attachments, forwards, at);
    const deadline = broadcast.requestedDeadline ?? new Date(at.getTime() + DEFAULT_DEADLINE_MS[broadcast.priority]);
    const recipients = agencies.map((agency) => agency._id);
    await Broadcast.updateOne(
      { _id: broadcast._id },
      { $set: { status: 'sent', sentAt: at, sentBy: context.actor.userId, deadline, recipients, leftOut: leftOut.map((agency) => agency._id) } },
    ).exec();
    const deliveries = agencies.map((agency) => ({
      _id: agencyDeliveryId(String(broadcast._id), String(agency._id)),
      broadcast: broadcast._id,
      level: 'agency' as const,
      agency: agency._id,
      ...copiedMetadata(broadcast, at, deadline),
    }));
    await BroadcastDelivery.insertMany(deliveries);
    for (const delivery of deliveries) {
      this.notifier.notifyRooms(recipientRooms(delivery), 'broadcast:new', noticeOf({ ...delivery, reminders: 0 } as BroadcastDeliveryDocument));
    }
    await this.#record(context, 'broadcast.sent', String(broadcast._id), { reference: broadcast.reference, agencies: agencies.length, leftOut: leftOut.length });
    return { status: 'sent', recipients: agencies.length, leftOut: leftOut.length };
  }

  // -------------------------------------------------------------------------------------------
  // Receiving

  /** Marks broadcasts as delivered to the caller's agency or unit (their page has them). */
  async markDelivered(context: AuthorizeContext, broadcastIds: string[]): Promise<{ delivered: number }> {
    const ids = broadcastIds.map((id) => this.#myDeliveryId(context.actor, id)).filter((id): id is string => id !== undefined);
    const pending = await BroadcastDelivery.find({ _id: trusted({ $in: ids }), deliveredAt: trusted({ $exists: false }) }).lean<BroadcastDeliveryDocument[]>();
    for (const delivery of pending) {
      await this.#update(delivery, { deliveredAt: now() });
      await this.#record(context, 'broadcast.delivered', String(delivery.broadcast), { level: delivery.level });
    }
    return { delivered: pending.length };
  }

  /**
   * A broadcast as its reader sees it: metadata, the sealed body and attachments to open, and what
   * the reader's place in the chain lets them see of its progress. Opening it marks it read.
   */
  async open(context: AuthorizeContext, broadcastId: string): Promise<BroadcastView> {
    const broadcast = await findBroadcast(broadcastId);
    const resource = await resourceOf(broadcast, context.actor);
    await authorize(context, 'broadcast:read', resource);
    const { actor } = context;
    let mine: BroadcastDeliveryDocument | null = null;
    const deliveryId = this.#myDeliveryId(actor, broadcastId);
    if (deliveryId) {
      mine = await BroadcastDelivery.findById(deliveryId).lean<BroadcastDeliveryDocument>();
      if (mine && !mine.readAt) {
        mine = await this.#update(mine, { readAt: now(), readBy: actor.userId, ...(mine.deliveredAt ? {} : { deliveredAt: now() }) });
        await this.#record(context, 'broadcast.read', broadcastId, { level: mine.level });
      }
    }
    const tracking = followsProgress(resource, actor) ? await this.#trackingRows(broadcast, actor) : [];
    return presentBroadcast(broadcast, mine ? { ...(await this.#row(mine)), instructions: mine.instructions ? String(mine.instructions) : undefined } : undefined, tracking, actor);
  }

  /** Inbox (ILOs, UOs: what reached their agency or unit) with filters and search, newest first. */
  async inbox(context: AuthorizeContext, query: ListQuery): Promise<{ items: InboxEntry[]; next?: string }> {
    const { actor } = context;
    const status = (RECIPIENT_STATES as readonly string[]).includes(query.status ?? '') ? (query.status as RecipientState) : undefined;
    const scope: Record<string, unknown> =
      actor.role === 'ilo' ? { level: 'agency', agency: actor.agencyId } : actor.role === 'uo' && actor.unitId ? { level: 'unit', unit: actor.unitId } : { _id: '-' };
    const filter: Record<string, unknown> = { ...scope, ...metadataFilter(query), ...deliveryStateFilter(status) };
    if (query.cursor) {
      const [time, id] = query.cursor.split('_') as [string, string];
      const at = new Date(Number(time));
      filter['$or'] = [{ sentAt: trusted({ $lt: at }) }, { sentAt: at, _id: trusted({ $lt: id }) }];
    }
    const rows = await BroadcastDelivery.find(filter).sort({ sentAt: -1, _id: -1 }).limit(PAGE_SIZE + 1).lean<BroadcastDeliveryDocument[]>();
    const page = rows.slice(0, PAGE_SIZE);
    const last = page.at(-1);
    return {
      items: page.map((delivery) => ({ ...noticeOf(delivery), state: stateOf(delivery), overdue: isOverdue(delivery), readAt: iso(delivery.readAt) })),
      ...(rows.length > PAGE_SIZE && last ? { next: `${last.sentAt.getTime()}_${last._id}` } : {}),
    };
  }

  /** The desk's list: every broadcast, drafts included, with filters, newest first. */
  async outbox(context: AuthorizeContext, query: ListQuery): Promise<{ items: OutboxEntry[]; next?: string }> {
    await authorize(context, 'broadcast:compose');
    const filter: Record<string, unknown> = metadataFilter(query, 'createdAt');
    if (query.status === 'overdue') Object.assign(filter, { status: 'sent', deadline: trusted({ $lt: now() }) });
    else if (query.status && (DESK_STATES as readonly string[]).includes(query.status)) filter['status'] = query.status;
    if (query.cursor && /^[a-f0-9]{24}$/.test(query.cursor.split('_')[1] ?? '')) filter['_id'] = trusted({ $lt: new mongoose.Types.ObjectId(query.cursor.split('_')[1]) });
    const rows = await Broadcast.find(filter).sort({ _id: -1 }).limit(PAGE_SIZE + 1).lean<BroadcastDocument[]>();
    const page = rows.slice(0, PAGE_SIZE);
    const counts = await deliveryCounts(page.filter((broadcast) => broadcast.sentAt).map((broadcast) => broadcast._id));
    const last = page.at(-1);
    return {
      items: page.map((broadcast) => ({
        id: String(broadcast._id),
        ...metadataOf(broadcast),
        status: broadcast.status,
        createdAt: broadcast.createdAt.toISOString(),
        sentAt: iso(broadcast.sentAt),
        deadline: iso(broadcast.deadline),
        authorId: String(broadcast.author),
        counts: counts.get(String(broadcast._id)) ?? { agencies: 0, acknowledged: 0, responded: 0, overdue: 0 },
      })),
      ...(rows.length > PAGE_SIZE && last ? { next: `0_${String(last._id)}` } : {}),
    };
  }

  /** Signs off receipt: the officer's detached signature over the statement the server rebuilds. */
  async acknowledge(context: AuthorizeContext, broadcastId: string, input: { signedAt: Date; signature: string }): Promise<TrackingRow> {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:acknowledge', await resourceOf(broadcast, context.actor));
    const { actor } = context;
    const deliveryId = this.#myDeliveryId(actor, broadcastId)!;
    return this.#locks.run(deliveryId, async () => {
      const delivery = await BroadcastDelivery.findById(deliveryId).lean<BroadcastDeliveryDocument>();
      if (!delivery) throw notFound('broadcast');
      if (delivery.acknowledgement) throw new AppError(409, 'already-acknowledged', 'This broadcast is already acknowledged for your office.');
      if (Math.abs(input.signedAt.getTime() - nowMs()) > SIGNED_AT_SLACK_MS) {
        throw badRequest('The time of signing is too far from the server’s clock: check this computer’s clock.', [{ field: 'signedAt', message: 'is not now' }]);
      }
      const key = await currentKey(actor.userId);
      if (!key) throw new AppError(409, 'key-missing', 'You need a key to sign an acknowledgement.');
      const statement = await this.#statement(broadcast, actor, input.signedAt);
      try {
        await verifyStatement({ statement, signature: input.signature, signerKeys: [await readPublicKey(key.publicKey)], date: input.signedAt });
      } catch {
        throw new AppError(400, 'bad-signature', 'The signature does not verify with your current key for this acknowledgement.');
      }
      const at = now();
      const updated = await this.#update(
        delivery,
        {
          acknowledgement: { by: actor.userId, fingerprint: key.fingerprint, signedAt: input.signedAt, statement, signature: input.signature },
          ...(delivery.readAt ? {} : { readAt: at, readBy: actor.userId }),
          ...(delivery.deliveredAt ? {} : { deliveredAt: at }),
        },
      );
      await this.#record(context, 'broadcast.acknowledged', broadcastId, { level: delivery.level, fingerprint: key.fingerprint });
      return this.#row(updated);
    });
  }

  /** The statement the caller is asked to sign to acknowledge a broadcast at `signedAt`. */
  async statementFor(context: AuthorizeContext, broadcastId: string, signedAt: Date): Promise<{ statement: string; signedAt: string }> {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:acknowledge', await resourceOf(broadcast, context.actor));
    return { statement: await this.#statement(broadcast, context.actor, signedAt), signedAt: signedAt.toISOString() };
  }

  /** The statement `actor` signs to acknowledge `broadcast`. */
  async #statement(broadcast: BroadcastDocument, actor: Actor, signedAt: Date): Promise<string> {
    const agency = await this.#nameOf('agency', actor.agencyId);
    const unit = actor.role === 'uo' && actor.unitId ? await this.#nameOf('unit', actor.unitId) : undefined;
    return acknowledgementStatement({
      broadcastId: String(broadcast._id),
      reference: broadcast.reference,
      handlingCode: broadcast.handling.code,
      restrictions: broadcast.handling.restrictions,
      username: actor.username,
      role: actor.role,
      agencyCode: agency.code,
      unitCode: unit?.code,
      signedAt,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Passing on and answering

  /** The units of the ILO's agency, with their keys, to pass a broadcast on to. */
  async unitKeys(context: AuthorizeContext, broadcastId: string): Promise<UnitKey[]> {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:disseminate', await resourceOf(broadcast, context.actor));
    const units = await unitsOfAgency(context.actor.agencyId);
    const done = new Set(
      (await BroadcastDelivery.find({ broadcast: broadcast._id, level: 'unit', agency: context.actor.agencyId }, { unit: 1 }).lean()).map((row) => String(row.unit)),
    );
    return Promise.all(
      units.map(async (unit) => {
        const epoch = await latestEpoch(unitGroup(String(unit._id)));
        return {
          unitId: String(unit._id),
          code: unit.code,
          name: unit.name,
          disseminated: done.has(String(unit._id)),
          ...(epoch ? { epoch: epoch.epoch, publicKey: epoch.publicKey } : {}),
        };
      }),
    );
  }

  /**
   * Passes a broadcast on to units of the ILO's agency, with instructions: the body, attachments
   * and instructions are opened for each unit's key (nothing is uploaded again). Refused when the
   * handling code forbids onward sharing.
   */
  async disseminate(context: AuthorizeContext, broadcastId: string, input: DisseminateInput): Promise<{ units: number }> {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:disseminate', await resourceOf(broadcast, context.actor));
    const agencyId = context.actor.agencyId;
    if (!allowsOnwardSharing(broadcast.handling.code)) {
      await deny(context, 'broadcast.disseminate', { type: 'broadcast', id: broadcastId }, {
        details: { handlingCode: broadcast.handling.code },
        error: new AppError(403, 'handling-forbids', `Handling code ${broadcast.handling.code} forbids passing this broadcast on without the provider’s permission.`),
      });
    }
    const deadline = input.deadline ?? broadcast.deadline!;
    if (deadline.getTime() > broadcast.deadline!.getTime()) {
      throw badRequest('Give units a deadline no later than the agency’s.', [{ field: 'deadline', message: 'is after the broadcast’s deadline' }]);
    }
    const agencyDelivery = agencyDeliveryId(broadcastId, agencyId);
    return this.#locks.run(agencyDelivery, async () => {
      const unitIds = Object.keys(input.units);
      const units = await unitsByIds(unitIds, agencyId);
      if (units.length !== unitIds.length) throw badRequest('Choose units of your own agency.', [{ field: 'units', message: 'includes a unit outside your agency' }]);
      const already = await BroadcastDelivery.countDocuments({ _id: trusted({ $in: unitIds.map((unit) => unitDeliveryId(broadcastId, agencyId, unit)) }) });
      if (already > 0) throw new AppError(409, 'already-disseminated', 'Some of these units already have this broadcast.');
      const attachments = broadcast.attachments.map(String);
      const epochs = await latestEpochs(units.map((unit) => unitGroup(String(unit._id))));
      const forwards = await Promise.all(
        units.map(async (unit) => {
          const opening = input.units[String(unit._id)]!;
          const checked = await checkOpening(unitGroup(String(unit._id)), opening, attachments, unit.name, epochs);
          await checkKeyPackets(opening.instructions, 'instructions', checked.keyIds);
          return { ...checked, instructions: Buffer.from(opening.instructions) };
        }),
      );
      // Stored only once every opening has passed its checks.
      const instructions = await createItem(context, { group: ilosGroup(agencyId), ...input.instructions }, { boundTo: bindingOf(broadcastId) });
      const at = now();
      const instructionsId = new mongoose.Types.ObjectId(instructions.id);
      await this.#addForwards(context, broadcast.body, attachments, forwards, at, (forward) => [
        { kind: 'item', record: instructionsId, group: forward.group, epoch: forward.epoch, keyPackets: forward.instructions },
      ]);
      const deliveries = units.map((unit) => ({
        _id: unitDeliveryId(broadcastId, agencyId, String(unit._id)),
        broadcast: broadcast._id,
        level: 'unit' as const,
        agency: agencyId,
        unit: unit._id,
        instructions: instructions.id,
        disseminatedBy: context.actor.userId,
        ...copiedMetadata(broadcast, at, deadline),
      }));
      await BroadcastDelivery.insertMany(deliveries);
      const parent = await BroadcastDelivery.findById(agencyDelivery).lean<BroadcastDeliveryDocument>();
      if (parent) await this.#update(parent, { unitCount: parent.unitCount + units.length, ...(parent.disseminatedAt ? {} : { disseminatedAt: at }) });
      for (const delivery of deliveries) {
        const stored = { ...delivery, reminders: 0, agency: new mongoose.Types.ObjectId(agencyId) } as unknown as BroadcastDeliveryDocument;
        this.notifier.notifyRooms(recipientRooms(stored), 'broadcast:new', noticeOf(stored));
        this.notifier.notifyRooms(trackerRooms(stored), 'broadcast:tracking', { broadcast: broadcastId, row: await this.#row(stored) });
      }
      await this.#record(context, 'broadcast.disseminated', broadcastId, { units: units.length });
      return { units: units.length };
    });
  }

  /** A unit's action-taken report to its ILOs. */
  async report(context: AuthorizeContext, broadcastId: string, input: AnswerInput): Promise<TrackingRow> {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:report', await resourceOf(broadcast, context.actor));
    return this.#answer(context, broadcast, input, unitGroup(context.actor.unitId!), ilosGroup(context.actor.agencyId), 'broadcast.reported');
  }

  /** An agency's consolidated response to the CBI. */
  async respond(context: AuthorizeContext, broadcastId: string, input: AnswerInput): Promise<TrackingRow> {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:respond', await resourceOf(broadcast, context.actor));
    return this.#answer(context, broadcast, input, ilosGroup(context.actor.agencyId), DESK_GROUP, 'broadcast.responded');
  }

  /** Stores an answer sealed for the writer's group and opened for the group above, once per addressee. */
  async #answer(context: AuthorizeContext, broadcast: BroadcastDocument, input: AnswerInput, own: string, upper: string, action: string): Promise<TrackingRow> {
    const broadcastId = String(broadcast._id);
    const deliveryId = this.#myDeliveryId(context.actor, broadcastId)!;
    return this.#locks.run(deliveryId, async () => {
      const delivery = await BroadcastDelivery.findById(deliveryId).lean<BroadcastDeliveryDocument>();
      if (!delivery) throw notFound('broadcast');
      if (!delivery.acknowledgement) throw new AppError(409, 'acknowledge-first', 'Acknowledge the broadcast before answering it.');
      if (delivery.respondedAt) throw new AppError(409, 'already-answered', 'Your office has already answered this broadcast.');
      const upward = await checkOpening(upper, input.upward, input.attachments, upper);
      const files = await this.#bindFiles(context, input.attachments, own, broadcastId);
      const item = await createItem(context, { group: own, ...input.body }, { boundTo: bindingOf(broadcastId) });
      const at = now();
      await this.#addForwards(context, new mongoose.Types.ObjectId(item.id), input.attachments, [upward], at);
      const updated = await this.#update(delivery, { respondedAt: at, respondedBy: context.actor.userId, response: item.id, responseAttachments: files });
      await this.#record(context, action, broadcastId, { level: delivery.level, attachments: files.length });
      return this.#row(updated);
    });
  }

  // -------------------------------------------------------------------------------------------
  // The desk's follow-up

  /** Marks a broadcast answered (to the foreign NCB) or closed (no more work on it). */
  async close(context: AuthorizeContext, broadcastId: string, status: 'answered' | 'closed'): Promise<{ status: string }> {
    return this.#locks.run(broadcastId, async () => {
      const broadcast = await findBroadcast(broadcastId);
      await authorize(context, 'broadcast:close', await resourceOf(broadcast, context.actor));
      const at = now();
      await Broadcast.updateOne({ _id: broadcast._id }, { $set: { status, ...(status === 'answered' ? { answeredAt: at } : { closedAt: at }) } }).exec();
      if (status === 'closed') await BroadcastDelivery.updateMany({ broadcast: broadcast._id }, { $set: { closed: true } }).exec();
      await this.#record(context, `broadcast.${status}`, broadcastId, { reference: broadcast.reference });
      return { status };
    });
  }

  /** Records the reply sent to the foreign NCB (the portal does not itself connect to I-24/7). */
  async transmit(context: AuthorizeContext, broadcastId: string, input: TransmissionInput): Promise<{ transmissions: number }> {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:close', await resourceOf(broadcast, context.actor));
    const transmission = { ...input, by: context.actor.userId, at: now() };
    await Broadcast.updateOne({ _id: broadcast._id }, { $push: { transmissions: transmission } }).exec();
    await this.#record(context, 'broadcast.transmitted', broadcastId, { reference: input.reference, medium: input.medium });
    return { transmissions: broadcast.transmissions.length + 1 };
  }

  /** The tracking matrix: every agency for the desk; the ILO's own agency and its units for an ILO. */
  async tracking(context: AuthorizeContext, broadcastId: string): Promise<TrackingRow[]> {
    const broadcast = await findBroadcast(broadcastId);
    await authorize(context, 'broadcast:track', await resourceOf(broadcast, context.actor));
    return this.#trackingRows(broadcast, context.actor);
  }

  async #trackingRows(broadcast: BroadcastDocument, actor: Actor): Promise<TrackingRow[]> {
    let deliveries: BroadcastDeliveryDocument[];
    if (actor.role === 'ilo') {
      // An agency that has not passed it on has one row: read it by id instead of searching.
      const own = await BroadcastDelivery.findById(agencyDeliveryId(String(broadcast._id), actor.agencyId)).lean<BroadcastDeliveryDocument>();
      deliveries = own && own.unitCount > 0 ? await BroadcastDelivery.find({ broadcast: broadcast._id, agency: actor.agencyId }).lean<BroadcastDeliveryDocument[]>() : own ? [own] : [];
    } else {
      deliveries = await BroadcastDelivery.find({ broadcast: broadcast._id }).lean<BroadcastDeliveryDocument[]>();
    }
    const rows = await Promise.all(deliveries.map((delivery) => this.#row(delivery)));
    return rows.sort((a, b) => (a.level === b.level ? (a.unitName ?? a.agencyName).localeCompare(b.unitName ?? b.agencyName) : a.level === 'agency' ? -1 : 1));
  }

  // -------------------------------------------------------------------------------------------
  // Reminders, deadlines, escalation

  /**
   * Runs every minute: reminds whoever has not acknowledged an urgent or immediate broadcast (at
   * the priority's interval), turns late addressees overdue, and escalates a late unit to its ILOs.
   */
  async sweep(): Promise<{ reminded: number; overdue: number; escalated: number }> {
    const at = now();
    const system = { username: 'system' };
    let reminded = 0;
    let overdue = 0;
    let escalated = 0;
    const unacknowledged = await BroadcastDelivery.find({
      closed: false,
      priority: trusted({ $in: Object.keys(REMINDER_INTERVAL_MS) }),
      acknowledgement: trusted({ $exists: false }),
    }).lean<BroadcastDeliveryDocument[]>();
    for (const delivery of unacknowledged) {
      const interval = REMINDER_INTERVAL_MS[delivery.priority as Priority]!;
      if (at.getTime() - (delivery.remindedAt ?? delivery.sentAt).getTime() < interval) continue;
      const updated = await this.#update(delivery, { reminders: delivery.reminders + 1, remindedAt: at }, false);
      this.notifier.notifyRooms(recipientRooms(updated), 'broadcast:reminder', noticeOf(updated));
      await this.audit.record({ action: 'broadcast.reminded', outcome: 'success', actor: system, target: { type: 'broadcast', id: String(delivery.broadcast), label: delivery._id }, details: { reminders: updated.reminders } });
      reminded += 1;
    }
    const late = await BroadcastDelivery.find({ closed: false, deadline: trusted({ $lt: at }), overdueAt: trusted({ $exists: false }) }).lean<BroadcastDeliveryDocument[]>();
    for (const delivery of late.filter((row) => isOverdue(row, at.getTime()))) {
      const updated = await this.#update(delivery, { overdueAt: at });
      await this.audit.record({ action: 'broadcast.overdue', outcome: 'success', actor: system, target: { type: 'broadcast', id: String(delivery.broadcast), label: delivery._id } });
      overdue += 1;
      if (delivery.level === 'unit' && !delivery.escalatedAt) {
        await this.#update(updated, { escalatedAt: at });
        const unit = await this.#nameOf('unit', String(delivery.unit));
        this.notifier.notifyRooms([agencyIlosRoom(String(delivery.agency))], 'broadcast:escalated', {
          broadcast: String(delivery.broadcast),
          reference: delivery.reference,
          unitName: unit.name,
          deadline: delivery.deadline.toISOString(),
        });
        await this.audit.record({ action: 'broadcast.escalated', outcome: 'success', actor: system, target: { type: 'broadcast', id: String(delivery.broadcast), label: delivery._id } });
        escalated += 1;
      }
    }
    return { reminded, overdue, escalated };
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  /** The caller's own delivery of a broadcast: their agency's (ILO) or their unit's (UO). */
  #myDeliveryId(actor: Actor, broadcastId: string): string | undefined {
    if (actor.role === 'ilo') return agencyDeliveryId(broadcastId, actor.agencyId);
    if (actor.role === 'uo' && actor.unitId) return unitDeliveryId(broadcastId, actor.agencyId, actor.unitId);
    return undefined;
  }

  /** Sets fields of a delivery, and tells whoever follows it (unless `quiet`). */
  async #update(delivery: BroadcastDeliveryDocument, set: Record<string, unknown>, announce = true): Promise<BroadcastDeliveryDocument> {
    await BroadcastDelivery.updateOne({ _id: delivery._id }, { $set: set }).exec();
    const updated = { ...delivery, ...set } as BroadcastDeliveryDocument;
    if (announce) this.notifier.notifyRooms(trackerRooms(updated), 'broadcast:tracking', { broadcast: String(delivery.broadcast), row: await this.#row(updated) });
    return updated;
  }

  async #row(delivery: BroadcastDeliveryDocument): Promise<TrackingRow> {
    const agency = await this.#nameOf('agency', String(delivery.agency));
    const unit = delivery.unit ? await this.#nameOf('unit', String(delivery.unit)) : undefined;
    const ack = delivery.acknowledgement;
    return {
      id: delivery._id,
      level: delivery.level,
      agencyId: String(delivery.agency),
      agencyCode: agency.code,
      agencyName: agency.name,
      ...(unit ? { unitId: String(delivery.unit), unitName: unit.name } : {}),
      deliveredAt: iso(delivery.deliveredAt),
      readAt: iso(delivery.readAt),
      acknowledgedAt: iso(ack?.signedAt),
      acknowledgedBy: ack ? String(ack.by) : undefined,
      ...(ack ? { acknowledgement: { statement: ack.statement, signature: ack.signature, fingerprint: ack.fingerprint } } : {}),
      disseminatedAt: iso(delivery.disseminatedAt),
      units: delivery.unitCount ?? 0,
      respondedAt: iso(delivery.respondedAt),
      response: delivery.response ? String(delivery.response) : undefined,
      responseAttachments: (delivery.responseAttachments ?? []).map(String),
      deadline: delivery.deadline.toISOString(),
      overdue: isOverdue(delivery),
      reminders: delivery.reminders ?? 0,
      escalatedAt: iso(delivery.escalatedAt),
      state: stateOf(delivery),
    };
  }

  /** An agency's or unit's code and name (they do not change often; kept for the process's life). */
  #nameOf(kind: 'agency' | 'unit', id: string): Promise<{ code: string; name: string }> {
    const key = `${kind}:${id}`;
    let found = this.#names.get(key);
    if (!found) {
      found = (kind === 'agency' ? agencyById(id) : unitById(id)).then((row) => ({ code: row?.code ?? '?', name: row?.name ?? 'Unknown' }));
      found.catch(() => this.#names.delete(key));
      this.#names.set(key, found);
    }
    return found;
  }

  #metadata(input: ComposeInput): Record<string, unknown> {
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

  async #checkAddressees(input: ComposeInput): Promise<void> {
    if (input.deadline && input.deadline.getTime() <= nowMs()) {
      throw badRequest('The deadline must be in the future.', [{ field: 'deadline', message: 'is in the past' }]);
    }
    const agencies = await resolveAddressees(input.addressees.mode, input.addressees.agencies);
    if (agencies.length === 0) throw badRequest('No agency matches these addressees.', [{ field: 'addressees', message: 'matches no agency' }]);
    if (input.addressees.mode === 'list' && agencies.length !== new Set(input.addressees.agencies).size) {
      throw badRequest('Some chosen agencies do not exist (or are the CBI itself).', [{ field: 'addressees.agencies', message: 'unknown agency' }]);
    }
  }

  /** Binds the caller's completed uploads in `group` to a broadcast, so only it can forward them. */
  async #bindFiles(context: AuthorizeContext, fileIds: string[], group: string, broadcastId: string): Promise<string[]> {
    if (fileIds.length === 0) return [];
    const files = await EncryptedFile.find({ _id: trusted({ $in: fileIds }) }).lean();
    const usable = files.filter(
      (file) => String(file.owner) === context.actor.userId && file.group === group && file.status === 'complete' && (!file.boundTo || file.boundTo === bindingOf(broadcastId)),
    );
    if (usable.length !== fileIds.length) {
      throw badRequest('Attach only files you finished uploading for this broadcast.', [{ field: 'attachments', message: 'includes a file that cannot be attached' }]);
    }
    await EncryptedFile.updateMany({ _id: trusted({ $in: fileIds }) }, { $set: { boundTo: bindingOf(broadcastId) } }).exec();
    return fileIds;
  }

  /** Opens a body and its attachments (and more, per group) for more groups, in one write. */
  async #addForwards<T extends CheckedOpening>(
    context: AuthorizeContext,
    body: Types.ObjectId,
    attachments: string[],
    forwards: T[],
    at: Date,
    more: (forward: T) => Parameters<typeof addOpenings>[0] = () => [],
  ): Promise<void> {
    const openings = forwards.flatMap((forward) => [
      { kind: 'item' as const, record: body, group: forward.group, epoch: forward.epoch, keyPackets: forward.body },
      ...attachments.map((fileId) => ({
        kind: 'file' as const,
        record: new mongoose.Types.ObjectId(fileId),
        group: forward.group,
        epoch: forward.epoch,
        keyPackets: forward.attachments.get(fileId)!,
      })),
      ...more(forward),
    ]);
    await addOpenings(openings, context.actor.userId, at);
  }

  #record(context: AuthorizeContext, action: string, broadcastId: string, details?: Record<string, string | number | boolean | null>): Promise<void> {
    return recordSuccess(context, action, { type: 'broadcast', id: broadcastId }, details);
  }
}

/** Key packets checked for a group's current key, ready to be added. */
interface CheckedOpening {
  readonly group: string;
  readonly epoch: number;
  readonly keyIds: Set<string>;
  readonly body: Buffer;
  readonly attachments: Map<string, Buffer>;
}

/** Checks that an opening is for the group's current epoch key and covers the body and every attachment. */
async function checkOpening(
  group: string,
  opening: Opening,
  attachments: string[],
  label: string,
  known?: ReadonlyMap<string, GroupEpochDocument>,
): Promise<CheckedOpening> {
  const epoch = known ? known.get(group) : await latestEpoch(group);
  if (!epoch) throw new AppError(409, 'group-key-missing', `${label} has no key yet: its officers must sign in once before anything can be sealed for them.`);
  if (epoch.epoch !== opening.epoch) throw new AppError(409, 'epoch-stale', `The key of ${label} changed: open it for epoch ${epoch.epoch}.`);
  const keyIds = await epochKeyIds(epoch);
  await checkKeyPackets(opening.body, 'body', keyIds);
  const files = new Map<string, Buffer>();
  for (const fileId of attachments) {
    const packets = opening.attachments[fileId];
    if (!packets) throw badRequest(`Open every attachment for ${label}.`, [{ field: 'attachments', message: `missing ${fileId}` }]);
    await checkKeyPackets(packets, 'attachments', keyIds);
    files.set(fileId, Buffer.from(packets));
  }
  if (Object.keys(opening.attachments).some((fileId) => !attachments.includes(fileId))) {
    throw badRequest('Key packets were sent for a file that is not attached.', [{ field: 'attachments', message: 'unknown file' }]);
  }
  return { group, epoch: epoch.epoch, keyIds, body: Buffer.from(opening.body), attachments: files };
}

async function findBroadcast(broadcastId: string): Promise<BroadcastDocument> {
  const broadcast = mongoose.isValidObjectId(broadcastId) ? await Broadcast.findById(broadcastId).lean<BroadcastDocument>() : null;
  if (!broadcast) throw notFound('broadcast');
  return broadcast;
}

/**
 * A broadcast as the policy sees it for `actor`. Of the units it was passed on to, only whether
 * the actor's own unit is one matters (looked up by id: there may be hundreds).
 */
async function resourceOf(broadcast: BroadcastDocument, actor: Actor): Promise<BroadcastResource> {
  const sent = broadcast.status !== 'draft' && broadcast.status !== 'in-review';
  const ownUnit = sent && actor.role === 'uo' && actor.unitId ? unitDeliveryId(String(broadcast._id), actor.agencyId, actor.unitId) : undefined;
  const units = ownUnit && (await BroadcastDelivery.exists({ _id: ownUnit })) ? [actor.unitId!] : [];
  return {
    kind: 'broadcast',
    id: String(broadcast._id),
    authorId: String(broadcast.author),
    status: broadcast.status,
    agencies: broadcast.recipients.map(String),
    units,
  };
}

/** Whether the reader also sees the tracking matrix (the desk, an ILO for its units). */
function followsProgress(resource: BroadcastResource, actor: Actor): boolean {
  if (resource.status === 'draft' || resource.status === 'in-review') return false;
  return actor.role === 'ncb-officer' || actor.role === 'ncb-admin' || actor.role === 'ilo';
}

