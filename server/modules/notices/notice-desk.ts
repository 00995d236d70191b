/** What every notice action works with: reading a request, the policy's view of it, and writing a move. */
import mongoose, { type Types } from 'mongoose';
import { recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { KeyedLock } from '../../shared/keyed-lock.js';
import { requestLabel } from '../../shared/notices/kinds.js';
import { hopsAfterMove } from '../../workflow/desk-clock.js';
import { DESK_GROUP, groupOfDesk } from '../../workflow/desk-groups.js';
import { DeskRegister } from '../../workflow/queues/desk-register.js';
import { queueKeysOf } from '../../workflow/queues/queue-keys.js';
import type { QueueLog } from '../../workflow/queues/queue-log.js';
import type { SignedStatement } from '../../workflow/signed-statement.js';
import { Notice, type NoticeDocument } from './notice.model.js';
import type { NoticeResource } from './notice.policy.js';
import type { Desk, NoticeStatus } from './notice.schema.js';

/** What a request's sealed parts are bound to, so only it can open them for more groups. */
export const bindingOf = (noticeId: string): string => `notice:${noticeId}`;

export interface Holder {
  readonly desk: Desk | 'none';
  readonly agency?: Types.ObjectId;
  readonly unit?: Types.ObjectId;
}

type Placed = Pick<NoticeDocument, 'originDesk' | 'agency' | 'unit'>;

/** Who holds a request in a state: its author's desk while written (or asked about), the ILO, the CBI, the General Secretariat, or nobody. */
export function holderOf(notice: Placed, status: NoticeStatus): Holder {
  switch (status) {
    case 'draft':
    case 'information-requested':
      return {
        desk: notice.originDesk,
        ...(notice.originDesk !== 'cbi' ? { agency: notice.agency } : {}),
        ...(notice.originDesk === 'unit' && notice.unit ? { unit: notice.unit } : {}),
      };
    case 'at-ilo':
      return { desk: 'ilo', agency: notice.agency };
    case 'at-cbi':
      return { desk: 'cbi' };
    case 'at-gs':
      return { desk: 'gs' };
    default:
      return { desk: 'none' };
  }
}

/** A step as stored in a request's history. */
export interface Step {
  readonly decision: string;
  readonly comment?: string;
  readonly acknowledgement?: string;
  readonly signed: SignedStatement;
}

/** A request about to be written for the first time, as the queues and desks see it. */
type NewNotice = Pick<NoticeDocument, '_id' | 'status' | 'priority' | 'holder' | 'originDesk' | 'agency' | 'unit' | 'reached'> & { movedAt: Date; deadline?: Date | null };

/**
 * What every notice action works with: one lock per request in this process, the audit record of
 * each action, {@link place} and {@link move}, the ways a request is written, and what they keep
 * up to date besides it: the desks' lists (counts and the sweep) and, where the queues are read by
 * `_id` (the embedded database), the queue log (see server/workflow/queues).
 */
export class NoticeDesk {
  readonly locks = new KeyedLock();
  readonly register = new DeskRegister('notice');

  constructor(readonly log?: QueueLog) {}

  /** Writes a new request (`write`), entering it in its queues and at its desk. */
  async place(notice: NewNotice, write: () => Promise<unknown>): Promise<void> {
    await this.log?.append([{ keys: queueKeysOf(notice), request: notice._id, at: notice.movedAt }]);
    await write();
    await this.register.record(notice);
  }

  record(context: AuthorizeContext, action: string, noticeId: string, details?: Record<string, string | number | boolean | null>): Promise<void> {
    return recordSuccess(context, action, { type: 'notice', id: noticeId }, details);
  }

  /**
   * Writes a move (a new status, a step, more fields) if the request has not changed since it was
   * read; the desk holding it, its hops (the per-desk clocks) and `reached` follow the status.
   */
  async move(context: AuthorizeContext, notice: NoticeDocument, status: NoticeStatus, step: Step, set: Record<string, unknown> = {}): Promise<NoticeDocument> {
    const at = now();
    const holder = holderOf(notice, status);
    const { hops, moved } = hopsAfterMove(notice.hops, holder, at);
    const reached = new Set(notice.reached);
    if (status === 'at-ilo') reached.add('ilo');
    if (status === 'at-cbi') reached.add('cbi');
    // Its place at the head of the queues it will be in, before the move (see QueueLog).
    await this.log?.append([{ keys: queueKeysOf({ ...notice, holder, reached: [...reached] }), request: notice._id, at }]);
    const updated = await Notice.findOneAndUpdate(
      { _id: notice._id, revision: notice.revision },
      {
        $set: { status, holder, hops, reached: [...reached], movedAt: at, ...set },
        $push: { steps: { ...step, by: context.actor.userId, role: context.actor.role, at } },
        $inc: { revision: 1 },
        // A new desk has its own reminders, deadline alert and grace before escalation.
        ...(moved ? { $unset: { escalatedAt: 1, overdueAt: 1, remindedAt: 1 } } : {}),
      },
      { returnDocument: 'after' },
    ).lean<NoticeDocument>();
    if (!updated) throw new AppError(409, 'notice-changed', 'This request changed meanwhile: open it again.');
    await this.register.record(updated, notice);
    return updated;
  }
}

export async function findNotice(noticeId: string): Promise<NoticeDocument> {
  const notice = mongoose.isValidObjectId(noticeId) ? await Notice.findById(noticeId).lean<NoticeDocument>() : null;
  if (!notice) throw notFound('notice request');
  return notice;
}

/** A request as the policy sees it. */
export function resourceOf(notice: NoticeDocument): NoticeResource {
  return {
    kind: 'notice',
    id: String(notice._id),
    status: notice.status,
    authorId: String(notice.author),
    originDesk: notice.originDesk,
    agency: String(notice.agency),
    unit: notice.unit ? String(notice.unit) : undefined,
    reached: notice.reached,
  };
}

/** How officers name a request: "Red notice", "Yellow diffusion", with its number once published. */
export function labelOf(notice: Pick<NoticeDocument, 'kind' | 'type' | 'gs'>): string {
  const label = requestLabel(notice.kind, notice.type);
  return notice.gs?.noticeNumber ? `${label} ${notice.gs.noticeNumber}` : label;
}

/** The group a request was first sealed for. */
export function originGroup(notice: Placed): string {
  return groupOfDesk(notice.originDesk, { agency: String(notice.agency), unit: notice.unit ? String(notice.unit) : undefined });
}

/** The group of the desk a request is handed to next from its author's desk: the ILOs for a unit's, else the CBI's (none for the CBI's own). */
export function nextGroup(notice: Pick<NoticeDocument, 'originDesk' | 'agency' | 'status'>): string | undefined {
  if (notice.status === 'at-ilo') return DESK_GROUP;
  if (notice.originDesk === 'unit') return groupOfDesk('ilo', { agency: String(notice.agency) });
  return notice.originDesk === 'ilo' ? DESK_GROUP : undefined;
}
