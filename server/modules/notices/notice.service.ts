import type { Actor } from '../../access/actor.js';
import type { AuditSink } from '../../access/audit-event.js';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { can } from '../../access/policy.js';
import { AppError } from '../../errors.js';
import { agencyIlosRoom, DESK_ROOMS, unitRoom, type AudienceNotifier } from '../../realtime/audience.js';
import { latestEpochs } from '../../sealed/groups/groups.service.js';
import type { DeskCounts } from '../../workflow/queues/desk-register.js';
import { deskKeyFor } from '../../workflow/queues/queue-keys.js';
import { QueueLog } from '../../workflow/queues/queue-log.js';
import type { Certification, TrainingService } from '../training/training.service.js';
import { decide, statementFor, type DecisionDeps } from './decide.js';
import { draft, update } from './draft.js';
import { Notice, type NoticeDocument } from './notice.model.js';
import { listNotices, type ListQuery, type NoticePage } from './notice.queries.js';
import type { DecisionInput, DraftInput, SettingsInput, StatementInput } from './notice.schema.js';
import { NoticeSettingsStore, type Settings } from './notice-settings.js';
import { findNotice, nextGroup, NoticeDesk, resourceOf } from './notice-desk.js';
import { presentNotice, type NoticeView } from './notice.view.js';
import { sweepNotices, type NoticeSweepResult } from './sweep.js';
import './notice.events.js';

/** What the reader of a request's page may do with it now. */
export type PageActions = Record<'edit' | 'decideIlo' | 'decideCbi' | 'recordOutcome', boolean>;

/** A desk's group and its current public key (none while nobody there has signed in yet). */
export interface TargetKey {
  readonly group: string;
  readonly epoch?: number;
  readonly publicKey?: string;
}

/** The rooms of the officers who follow a request: its own desk's, and those of the desks it reached. */
function roomsOf(notice: NoticeDocument): string[] {
  const rooms = notice.originDesk === 'unit' && notice.unit ? [unitRoom(String(notice.unit))] : [];
  if (notice.originDesk === 'ilo' || notice.reached.includes('ilo')) rooms.push(agencyIlosRoom(String(notice.agency)));
  if (notice.originDesk === 'cbi' || notice.reached.includes('cbi')) rooms.push(...DESK_ROOMS);
  return rooms;
}

/**
 * INTERPOL Notices, as the rest of the portal uses them: every action checks the caller's place
 * against the request, records it in the audit log, and tells the desks that follow it.
 */
export class NoticeService {
  readonly settings = new NoticeSettingsStore();
  readonly #desk: NoticeDesk;
  readonly #deps: DecisionDeps;

  constructor(
    private readonly notifier: AudienceNotifier,
    private readonly audit: AuditSink,
    /** Training's face: whether an officer holds the certificate the CBI requires to submit. */
    training: Pick<TrainingService, 'certification'>,
    /** How long a request may stay overdue at one desk before it is escalated one level up. */
    private readonly escalationGraceMs: number,
    /** Read the queues by `_id` from a log of moves (the embedded database, where a query scans). */
    readsById = false,
  ) {
    this.#desk = new NoticeDesk(readsById ? new QueueLog('notice') : undefined);
    this.#deps = { desk: this.#desk, settings: this.settings, certification: (context, course, months) => training.certification(context, course, months) };
  }

  /**
   * Builds the desks' lists and the queue log from the requests when the database has requests
   * but not them (written straight to the database, say): one pass over the collection, at start.
   */
  async prepare(): Promise<void> {
    if (!(await Notice.exists({}))) return;
    const { log, register } = this.#desk;
    const all = () => Notice.find({}).sort({ movedAt: 1 }).lean<NoticeDocument[]>().cursor();
    if (await register.isEmpty()) await register.rebuild(all());
    if (log && (await log.isEmpty())) await log.rebuild(all());
  }

  draft(context: AuthorizeContext, input: DraftInput): Promise<{ id: string }> {
    return draft(this.#desk, context, input);
  }

  update(context: AuthorizeContext, noticeId: string, input: DraftInput): Promise<{ id: string }> {
    return update(this.#desk, context, noticeId, input);
  }

  async open(context: AuthorizeContext, noticeId: string): Promise<NoticeView> {
    const notice = await findNotice(noticeId);
    await authorize(context, 'notice:read', resourceOf(notice));
    return presentNotice(notice);
  }

  /** A request for its page: the view and what the reader may do with it now. */
  async openPage(context: AuthorizeContext, noticeId: string): Promise<{ view: NoticeView; may: PageActions }> {
    const notice = await findNotice(noticeId);
    const resource = resourceOf(notice);
    await authorize(context, 'notice:read', resource);
    const { actor } = context;
    return {
      view: presentNotice(notice),
      may: {
        edit: can(actor, 'notice:edit', resource),
        decideIlo: can(actor, 'notice:decide-ilo', resource),
        decideCbi: can(actor, 'notice:decide-cbi', resource),
        recordOutcome: can(actor, 'notice:record-outcome', resource),
      },
    };
  }

  list(context: AuthorizeContext, query: ListQuery): Promise<NoticePage> {
    return listNotices(context.actor, query, this.#desk.log);
  }

  /** What waits at the officer's desk, for the navigation and the home page: one lookup by `_id`. */
  waiting(actor: Actor): Promise<DeskCounts> {
    return this.#desk.register.counts(deskKeyFor(actor));
  }

  /** The group the caller's next step opens the request for (the next desk up), with its key. */
  async targets(context: AuthorizeContext, noticeId: string): Promise<TargetKey[]> {
    const notice = await findNotice(noticeId);
    const resource = resourceOf(notice);
    if (notice.status === 'at-ilo') await authorize(context, 'notice:decide-ilo', resource);
    else if (notice.status === 'draft' || notice.status === 'information-requested') await authorize(context, 'notice:edit', resource);
    else throw new AppError(409, 'wrong-state', 'Nothing is opened for another desk at this step.');
    const group = nextGroup(notice);
    if (!group) return [];
    const epoch = (await latestEpochs([group])).get(group);
    return [epoch ? { group, epoch: epoch.epoch, publicKey: epoch.publicKey } : { group }];
  }

  statement(context: AuthorizeContext, noticeId: string, input: StatementInput): Promise<{ statement: string; signedAt: string }> {
    return statementFor(context, noticeId, input);
  }

  async decide(context: AuthorizeContext, noticeId: string, input: DecisionInput): Promise<NoticeView> {
    const notice = await decide(context, this.#deps, noticeId, input);
    this.notifier.notifyRooms(roomsOf(notice), 'notice:changed', { id: String(notice._id), status: notice.status, holderDesk: notice.holder.desk });
    return presentNotice(notice);
  }

  /** The check's settings as every officer's browser needs them (the term list and its revision), and the training rule. */
  async checkSettings(context: AuthorizeContext): Promise<Settings & { training: Certification | null }> {
    const settings = await this.settings.get();
    const training = settings.requiredCourse ? await this.#deps.certification(context, settings.requiredCourse, settings.validityMonths) : null;
    return { ...settings, training };
  }

  updateSettings(context: AuthorizeContext, input: SettingsInput): Promise<Settings> {
    return this.settings.update(context, input);
  }

  /** Runs every minute: reminders to the desk holding a request, deadlines, escalation one level up. */
  sweep(): Promise<NoticeSweepResult> {
    return sweepNotices(this.#desk.register, this.notifier, this.audit, this.escalationGraceMs);
  }
}
