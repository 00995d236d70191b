import type { Actor } from '../../access/actor.js';
import { AppError } from '../../errors.js';
import type { BroadcastService } from '../broadcast/broadcast.service.js';
import type { AuditSink } from '../../access/audit-event.js';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { agencyIlosRoom, channelRoom, DESK_ROOMS, unitRoom, type AudienceNotifier } from '../../realtime/audience.js';
import type { ConnectService } from '../connect/connect.service.js';
import { can } from '../../access/policy.js';
import { close, lowerGroups, reply, transmit } from './abroad.js';
import { decide, statementFor } from './decide.js';
import { draft, update } from './draft.js';
import mongoose from 'mongoose';
import { agenciesByIds } from '../organisation/organisation.lookups.js';
import { BroadcastLink, Reference, type ReferenceDocument } from './reference.model.js';
import { listQueue, type ListQuery, type QueuePage } from './reference.queries.js';
import {
  ASSISTANCE_LABELS,
  type ApproveInput,
  type AssignInput,
  type CloseInput,
  type DecisionInput,
  type DraftInput,
  type ForeignReminderInput,
  type ForwardAgenciesInput,
  type RegisterInput,
  type ReplyAbroadInput,
  type ReplyInput,
  type ReportInput,
  type StatementInput,
  type TransmitInput,
} from './reference.schema.js';
import { presentReference, type ReferenceView } from './reference.view.js';
import { findReference, labelOf, readerGroups, ReferenceDesk, referencesByIds, resourceOf } from './reference-desk.js';
import { approve, assign, foreignReminder, forwardToAgencies, register, replyAbroad, report } from './incoming.js';
import { holderRooms, sweepReferences, type ReferenceSweepResult } from './sweep.js';
import { targetsFor, type TargetKey, type TargetStep } from './targets.js';
import type { DeskCounts } from '../../workflow/queues/desk-register.js';
import { deskKeyFor } from '../../workflow/queues/queue-keys.js';
import { QueueLog } from '../../workflow/queues/queue-log.js';
import './reference.events.js';

/** What the reader of a reference's page may do with it now. */
export type PageActions = Record<'submit' | 'decideIlo' | 'decideCbi' | 'reply' | 'close' | 'handleIncoming' | 'assign' | 'report' | 'approve', boolean>;

/** The rooms of the officers who follow a reference: its own desk's, and those of the desks it reached. */
function roomsOf(reference: ReferenceDocument): string[] {
  const agency = String(reference.agency);
  // A unit's own reference, or an incoming part once assigned to a unit.
  const rooms = (reference.originDesk === 'unit' || reference.reached.includes('unit')) && reference.unit ? [unitRoom(String(reference.unit))] : [];
  if (reference.originDesk === 'ilo' || reference.reached.includes('ilo')) rooms.push(agencyIlosRoom(agency));
  if (reference.originDesk === 'cbi' || reference.reached.includes('cbi')) rooms.push(...DESK_ROOMS);
  return rooms;
}

/**
 * INTERPOL References, as the rest of the portal uses them: every action checks the caller's
 * place against the reference, records it in the audit log, and tells the desks that follow it.
 */
export class ReferenceService {
  readonly #desk: ReferenceDesk;
  readonly #discussions: Pick<ConnectService, 'discussion'> | undefined;

  constructor(
    private readonly notifier: AudienceNotifier,
    private readonly audit: AuditSink,
    /** How long a reference may stay overdue at one desk before it is escalated one level up. */
    private readonly escalationGraceMs: number,
    /** Broadcast's face: an incoming reference may be opened from a broadcast (which then links to it). */
    private readonly broadcasts?: Pick<BroadcastService, 'open' | 'registerLinks'>,
    options: {
      /** Read the queues by `_id` from a log of moves (the embedded database, where a query scans). */
      readsById?: boolean;
      /** Connect's face: each reference's discussion between its desks is a Connect channel. */
      discussions?: Pick<ConnectService, 'discussion'>;
    } = {},
  ) {
    broadcasts?.registerLinks((broadcastId) => this.linkedTo(broadcastId));
    this.#desk = new ReferenceDesk(options.readsById ? new QueueLog('reference') : undefined);
    this.#discussions = options.discussions;
  }

  /**
   * Opens the reference's discussion (a Connect channel of the desks that may read it), or finds
   * it; the desks' open pages are told to follow it.
   */
  async discussion(context: AuthorizeContext, referenceId: string): Promise<{ id: string }> {
    const reference = await findReference(referenceId);
    await authorize(context, 'reference:read', resourceOf(reference));
    if (!this.#discussions) throw new AppError(400, 'bad-request', 'Discussions are not available here.');
    const id = await this.#discuss(reference);
    if (!reference.discussion) await Reference.updateOne({ _id: reference._id }, { $set: { discussion: new mongoose.Types.ObjectId(id) } });
    return { id };
  }

  /** Brings the discussion's desks in line with who may read the reference now, telling those who just joined. */
  async #discuss(reference: ReferenceDocument): Promise<string> {
    const { id, changed } = await this.#discussions!.discussion({
      key: `reference:${String(reference._id)}`,
      title: `${labelOf(reference)} · ${ASSISTANCE_LABELS[reference.assistance]}`,
      link: `/references/${String(reference._id)}`,
      groups: readerGroups(reference),
      agency: reference.originDesk === 'cbi' && !reference.parent ? undefined : String(reference.agency),
    });
    if (changed) {
      const rooms = roomsOf(reference);
      this.notifier.joinRoom(rooms, channelRoom(id));
      this.notifier.notifyRooms(rooms, 'channel:added', { channel: id });
    }
    return id;
  }

  /**
   * Builds the desks' lists and the queue log from the references when the database has
   * references but not them (written by an earlier version, or straight to the database): one
   * pass over the collection, at start.
   */
  async prepare(): Promise<void> {
    if (!(await Reference.exists({}))) return;
    const { log, register } = this.#desk;
    const all = () => Reference.find({}).sort({ movedAt: 1, updatedAt: 1 }).lean<ReferenceDocument[]>().cursor();
    if (await register.isEmpty()) await register.rebuild(all());
    if (log && (await log.isEmpty())) await log.rebuild(all());
  }

  /** Runs every minute: reminders to the desk holding a reference, deadlines, escalation one level up. */
  sweep(): Promise<ReferenceSweepResult> {
    return sweepReferences(this.#desk.register, this.notifier, this.audit, this.escalationGraceMs);
  }

  draft(context: AuthorizeContext, input: DraftInput): Promise<{ id: string }> {
    return draft(this.#desk, context, input);
  }

  update(context: AuthorizeContext, referenceId: string, input: DraftInput): Promise<{ id: string }> {
    return update(this.#desk, context, referenceId, input);
  }

  async open(context: AuthorizeContext, referenceId: string): Promise<ReferenceView> {
    const reference = await findReference(referenceId);
    await authorize(context, 'reference:read', resourceOf(reference));
    return presentReference(reference);
  }

  /** A reference for its page: the view, what the reader may do with it now, and the desks a reply is opened for. */
  async openPage(context: AuthorizeContext, referenceId: string): Promise<{ view: ReferenceView; may: PageActions; below: string[] }> {
    const reference = await findReference(referenceId);
    const resource = resourceOf(reference);
    await authorize(context, 'reference:read', resource);
    const { actor } = context;
    const decideIlo = can(actor, 'reference:decide-ilo', resource);
    const part = Boolean(reference.parent);
    return {
      view: presentReference(reference),
      may: {
        submit: can(actor, 'reference:edit', resource) && reference.direction === 'outgoing',
        decideIlo: decideIlo && !part,
        decideCbi: can(actor, 'reference:decide-cbi', resource) && reference.direction === 'outgoing',
        reply: can(actor, 'reference:reply', resource),
        close: can(actor, 'reference:close', resource),
        handleIncoming: can(actor, 'reference:handle-incoming', resource) && ['registered', 'forwarded'].includes(reference.status),
        assign: can(actor, 'reference:assign', resource),
        report: can(actor, 'reference:report', resource),
        approve: decideIlo && part && (reference.reports ?? []).some((entry) => entry.desk === 'unit'),
      },
      below: lowerGroups(reference),
    };
  }

  /** The agencies' parts of an incoming reference, for its page (the desk follows them all). */
  async partsOf(context: AuthorizeContext, ids: readonly string[]): Promise<{ id: string; agencyId: string; agencyName: string; status: string }[]> {
    const parts = await referencesByIds(ids);
    const readable = parts.filter((part) => can(context.actor, 'reference:read', resourceOf(part)));
    const names = new Map((await agenciesByIds(readable.map((part) => part.agency))).map((agency) => [String(agency._id), agency.name]));
    return readable.map((part) => ({ id: String(part._id), agencyId: String(part.agency), agencyName: names.get(String(part.agency)) ?? '', status: part.status }));
  }

  /** What waits at the officer's desk, for the navigation and the home page. */
  waiting(actor: Actor): Promise<DeskCounts> {
    return this.#desk.register.counts(deskKeyFor(actor));
  }

  list(context: AuthorizeContext, query: ListQuery): Promise<QueuePage> {
    return listQueue(context.actor, query, this.#desk.log);
  }

  targets(context: AuthorizeContext, referenceId: string, step: TargetStep, ids: readonly string[] = []): Promise<TargetKey[]> {
    return targetsFor(context, referenceId, step, ids);
  }

  // Incoming references

  /** Registers a foreign reference; one opened from a broadcast must be a broadcast the officer may read. */
  register(context: AuthorizeContext, input: RegisterInput): Promise<{ id: string }> {
    return register(this.#desk, context, input, async (broadcastId) => {
      if (!this.broadcasts) throw new AppError(400, 'bad-request', 'Broadcasts are not available here.');
      await this.broadcasts.open(context, broadcastId);
    });
  }

  /** The references opened from a broadcast, for its page. */
  async linkedTo(broadcastId: string): Promise<{ href: string; label: string }[]> {
    if (!mongoose.isValidObjectId(broadcastId)) return [];
    const link = await BroadcastLink.findById(broadcastId).lean<{ references: string[] }>();
    const linked = await referencesByIds(link?.references ?? []);
    return linked.map((reference) => ({ href: `/references/${String(reference._id)}`, label: labelOf(reference) }));
  }

  /** Forwards to agencies: each one's ILOs get a part (and are told). */
  async forwardToAgencies(context: AuthorizeContext, referenceId: string, input: ForwardAgenciesInput): Promise<ReferenceView> {
    const view = await this.#told(forwardToAgencies(this.#desk, context, referenceId, input));
    const rooms = Object.keys(input.openings).map(agencyIlosRoom);
    this.notifier.notifyRooms(rooms, 'reference:changed', { id: referenceId, status: 'at-ilo', holderDesk: 'ilo' });
    return view;
  }

  assign(context: AuthorizeContext, referenceId: string, input: AssignInput): Promise<ReferenceView> {
    return this.#told(assign(this.#desk, context, referenceId, input));
  }

  report(context: AuthorizeContext, referenceId: string, input: ReportInput): Promise<ReferenceView> {
    return this.#told(report(this.#desk, context, referenceId, input));
  }

  approve(context: AuthorizeContext, referenceId: string, input: ApproveInput): Promise<ReferenceView> {
    return this.#told(approve(this.#desk, context, referenceId, input));
  }

  replyAbroad(context: AuthorizeContext, referenceId: string, input: ReplyAbroadInput): Promise<ReferenceView> {
    return this.#told(replyAbroad(this.#desk, context, referenceId, input));
  }

  /** Records a foreign NCB's reminder and tells the desks holding its parts again. */
  async foreignReminder(context: AuthorizeContext, referenceId: string, input: ForeignReminderInput): Promise<ReferenceView> {
    const { reference, open } = await foreignReminder(this.#desk, context, referenceId, input);
    for (const part of open) {
      this.notifier.notifyRooms(holderRooms(part), 'reference:alert', { id: String(part._id), label: labelOf(part), kind: 'reminder', desk: part.holder.desk });
    }
    return this.#told(Promise.resolve(reference));
  }

  statement(context: AuthorizeContext, referenceId: string, input: StatementInput): Promise<{ statement: string; signedAt: string }> {
    return statementFor(context, referenceId, input);
  }

  decide(context: AuthorizeContext, referenceId: string, input: DecisionInput): Promise<ReferenceView> {
    return this.#told(decide(this.#desk, context, referenceId, input));
  }

  transmit(context: AuthorizeContext, referenceId: string, input: TransmitInput): Promise<ReferenceView> {
    return this.#told(transmit(this.#desk, context, referenceId, input));
  }

  reply(context: AuthorizeContext, referenceId: string, input: ReplyInput): Promise<ReferenceView> {
    return this.#told(reply(this.#desk, context, referenceId, input));
  }

  close(context: AuthorizeContext, referenceId: string, input: CloseInput): Promise<ReferenceView> {
    return this.#told(close(this.#desk, context, referenceId, input));
  }

  /** Tells the desks following a reference that it moved (a desk it reached joins its discussion), and presents it. */
  async #told(moving: Promise<ReferenceDocument>): Promise<ReferenceView> {
    const reference = await moving;
    if (reference.discussion && this.#discussions) await this.#discuss(reference);
    this.notifier.notifyRooms(roomsOf(reference), 'reference:changed', { id: String(reference._id), status: reference.status, holderDesk: reference.holder.desk });
    return presentReference(reference);
  }
}
