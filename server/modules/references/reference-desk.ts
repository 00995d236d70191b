import mongoose, { type Types } from 'mongoose';
import { recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { KeyedLock } from '../../shared/keyed-lock.js';
import type { SignedStatement } from '../../workflow/signed-statement.js';
import { hopsAfterMove } from '../../workflow/desk-clock.js';
import { DESK_GROUP, groupOfDesk } from '../../workflow/desk-groups.js';
import { DeskRegister } from '../../workflow/queues/desk-register.js';
import { queueKeysOf, type Placed } from '../../workflow/queues/queue-keys.js';
import type { QueueLog } from '../../workflow/queues/queue-log.js';
import { Reference, type ReferenceDocument } from './reference.model.js';
import type { ReferenceResource } from './reference.policy.js';
import type { Desk, ReferenceStatus } from './reference.schema.js';

/** What a reference's sealed parts are bound to, so only it can open them for more groups. */
export const bindingOf = (referenceId: string): string => `reference:${referenceId}`;

/** The desk holding a reference, and which agency's or unit's desk it is. */
export interface Holder {
  readonly desk: Desk | 'none';
  readonly agency?: Types.ObjectId;
  readonly unit?: Types.ObjectId;
}

/** Who holds a reference in a state: its origin desk while drafted or answered, the ILO, the CBI, abroad, or nobody. */
export function holderOf(
  reference: { originDesk: 'unit' | 'ilo' | 'cbi'; agency: Types.ObjectId; unit?: Types.ObjectId | null },
  status: ReferenceStatus,
): Holder {
  switch (status) {
    case 'draft':
    case 'answered':
      return {
        desk: reference.originDesk,
        ...(reference.originDesk !== 'cbi' ? { agency: reference.agency } : {}),
        ...(reference.originDesk === 'unit' && reference.unit ? { unit: reference.unit } : {}),
      };
    case 'at-ilo':
      return { desk: 'ilo', agency: reference.agency };
    case 'at-cbi':
    case 'registered':
      return { desk: 'cbi' };
    case 'at-unit':
      return { desk: 'unit', agency: reference.agency, ...(reference.unit ? { unit: reference.unit } : {}) };
    case 'abroad':
      return { desk: 'abroad' };
    default:
      return { desk: 'none' };
  }
}

/** A step as stored in a reference's history. */
export interface Step {
  readonly decision: string;
  readonly comment?: string;
  readonly country?: string;
  readonly signed: SignedStatement;
}

/** A reference about to be written for the first time, as the queues and desks see it. */
type NewReference = Placed & Pick<ReferenceDocument, '_id' | 'status' | 'priority' | 'deadline'> & { movedAt: Date };

/**
 * What every reference action works with: one lock per reference in this process, the audit
 * record of each action, {@link place} and {@link move}, the ways a reference is written, and
 * what they keep up to date besides it: the desks' lists (counts and the sweep) and, where the
 * queues are read by `_id` (the embedded database), the queue log.
 */
export class ReferenceDesk {
  readonly locks = new KeyedLock();
  readonly register = new DeskRegister('reference');

  constructor(readonly log?: QueueLog) {}

  /** Writes new references (`write`), entering them in their queues and at their desks. */
  async place(references: readonly NewReference[], write: () => Promise<unknown>): Promise<void> {
    await this.log?.append(references.map((reference) => ({ keys: queueKeysOf(reference), request: reference._id, at: reference.movedAt })));
    await write();
    await Promise.all(references.map((reference) => this.register.record(reference)));
  }

  record(context: AuthorizeContext, action: string, referenceId: string, details?: Record<string, string | number | boolean | null>): Promise<void> {
    return recordSuccess(context, action, { type: 'reference', id: referenceId }, details);
  }

  /**
   * Writes a change (a new status, a step, more fields) if the reference has not changed since it
   * was read; the desk holding it, its hops (the per-desk clocks) and `reached` follow the status.
   */
  async move(
    context: AuthorizeContext,
    reference: ReferenceDocument,
    status: ReferenceStatus,
    step: Step,
    more: { set?: Record<string, unknown>; push?: Record<string, unknown> } = {},
  ): Promise<ReferenceDocument> {
    const at = now();
    const holder = holderOf(reference, status);
    const { hops, moved } = hopsAfterMove(reference.hops, holder, at);
    const reached = new Set(reference.reached);
    if (status === 'at-ilo') reached.add('ilo');
    if (status === 'at-cbi') reached.add('cbi');
    if (status === 'at-unit') reached.add('unit');
    // Its place at the head of the queues it will be in, before the move (see QueueLog).
    await this.log?.append([{ keys: queueKeysOf({ ...reference, ...(more.set ?? {}), holder, reached: [...reached] }), request: reference._id, at }]);
    const updated = await Reference.findOneAndUpdate(
      { _id: reference._id, revision: reference.revision },
      {
        $set: { status, holder, hops, reached: [...reached], movedAt: at, ...(more.set ?? {}) },
        $push: { steps: { ...step, by: context.actor.userId, role: context.actor.role, at }, ...(more.push ?? {}) },
        $inc: { revision: 1 },
        // A new desk has its own grace before escalation.
        ...(moved ? { $unset: { escalatedAt: 1 } } : {}),
      },
      { returnDocument: 'after' },
    ).lean<ReferenceDocument>();
    if (!updated) throw new AppError(409, 'reference-changed', 'This reference changed meanwhile: open it again.');
    await this.register.record(updated, reference);
    return updated;
  }
}

export async function findReference(referenceId: string): Promise<ReferenceDocument> {
  const reference = mongoose.isValidObjectId(referenceId) ? await Reference.findById(referenceId).lean<ReferenceDocument>() : null;
  if (!reference) throw notFound('reference');
  return reference;
}

/**
 * References by id, in that order, those that exist: each read by `_id` (in parallel), as the
 * embedded database answers `_id: {$in}` with a scan of the collection.
 */
export async function referencesByIds(ids: readonly (string | Types.ObjectId)[]): Promise<ReferenceDocument[]> {
  const found = await Promise.all(ids.filter((id) => mongoose.isValidObjectId(id)).map((id) => Reference.findById(id).lean<ReferenceDocument>()));
  return found.filter((reference): reference is ReferenceDocument => reference !== null);
}

/** A reference as the policy sees it. */
export function resourceOf(reference: ReferenceDocument): ReferenceResource {
  return {
    kind: 'reference',
    id: String(reference._id),
    status: reference.status,
    direction: reference.direction,
    part: Boolean(reference.parent),
    authorId: String(reference.author),
    originDesk: reference.originDesk,
    agency: String(reference.agency),
    unit: reference.unit ? String(reference.unit) : undefined,
    reached: reference.reached,
  };
}


/** How officers name a reference: its FIR (outgoing), or the foreign NCB's country and reference (incoming). */
export function labelOf(reference: Pick<ReferenceDocument, 'direction' | 'case' | 'foreign'>): string {
  return reference.direction === 'incoming' ? `${reference.foreign?.country ?? ''} ${reference.foreign?.reference ?? ''}`.trim() : `FIR ${reference.case?.fir ?? ''}`;
}

/** The desks' groups whose officers may read a reference: its own, and those of the desks it reached (see the read rule in reference.policy.ts). */
export function readerGroups(reference: Pick<ReferenceDocument, 'originDesk' | 'agency' | 'unit' | 'reached'>): string[] {
  const place = { agency: String(reference.agency), unit: reference.unit ? String(reference.unit) : undefined };
  const groups = new Set([originGroup(reference)]);
  if (reference.reached.includes('ilo')) groups.add(groupOfDesk('ilo', place));
  if (reference.reached.includes('unit') && place.unit) groups.add(groupOfDesk('unit', place));
  if (reference.reached.includes('cbi')) groups.add(DESK_GROUP);
  return [...groups];
}

/** The group a reference was first sealed for. */
export function originGroup(reference: Pick<ReferenceDocument, 'originDesk' | 'agency' | 'unit'>): string {
  return groupOfDesk(reference.originDesk, { agency: String(reference.agency), unit: reference.unit ? String(reference.unit) : undefined });
}
