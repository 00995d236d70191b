import { createEvent } from 'ics';
import mongoose from 'mongoose';
import { authorize, recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import { can, inAudience } from '../../access/policy.js';
import type { PublicationResource } from '../library/library.policy.js';
import type { Role } from '../../access/roles.js';
import { now } from '../../clock.js';
import { KeyedLock } from '../../shared/keyed-lock.js';
import { AppError, notFound } from '../../errors.js';
import type { AudienceNotifier } from '../../realtime/audience.js';
import { accountById } from '../accounts/account-lookups.js';
import { agencyById, unitById } from '../organisation/organisation.lookups.js';
import { renderCertificate } from './certificate.js';
import { audienceConditions, checkAgencies, findItem } from '../library/library.service.js';
import type { ScheduleInput } from './training.schema.js';
import { TrainingSession, type Enrolment, type TrainingSessionDocument } from './training.model.js';

/** How many times an enrolment change is retried when another one lands first. */
const MAX_ATTEMPTS = 8;

/** A session as the access policy sees it. */
export function sessionResource(session: Pick<TrainingSessionDocument, '_id' | 'audience' | 'owner' | 'status'>): PublicationResource {
  return {
    kind: 'publication',
    type: 'training-session',
    id: String(session._id),
    audience: session.audience,
    ownerId: String(session.owner),
    live: session.status === 'scheduled',
  };
}

/** Where an enrolment stands after a change. */
export interface EnrolmentOutcome {
  readonly status: 'enrolled' | 'waiting' | 'withdrawn';
  /** Place on the waiting list (1 = next), when waiting. */
  readonly position?: number;
  /** Who took the freed seat, when a withdrawal promoted someone. */
  readonly promoted?: string;
}

/** Whether an officer holds a valid certificate of a course (see TrainingService.certification). */
export type Certification =
  | { readonly valid: true; readonly sessionId: string; readonly validUntil: Date }
  | { readonly valid: false; readonly next?: { readonly id: string; readonly title: string; readonly startsAt: Date } };

/** Officers holding seats, in order of enrolment. */
export const seated = (session: Pick<TrainingSessionDocument, 'enrolments'>): Enrolment[] => session.enrolments.filter((entry) => entry.status === 'enrolled');
/** The waiting list, first come first served. */
export const waiting = (session: Pick<TrainingSessionDocument, 'enrolments'>): Enrolment[] =>
  session.enrolments.filter((entry) => entry.status === 'waiting').sort((a, b) => a.at.getTime() - b.at.getTime());

/** Training sessions: schedule, enrol (with a waiting list), attendance, certificates, calendar files. */
export class TrainingService {
  readonly #lock = new KeyedLock();

  constructor(private readonly notifier: AudienceNotifier) {}

  async schedule(context: AuthorizeContext, input: ScheduleInput): Promise<TrainingSessionDocument> {
    await authorize(context, 'training:schedule');
    await checkAgencies(input.audience.agencies);
    for (const material of input.materials) await findItem(material);
    if (input.startsAt <= now()) throw new AppError(400, 'session-in-past', 'A session must start in the future.', [{ field: 'startsAt', message: 'is in the past' }]);
    const created = await TrainingSession.create({ ...input, owner: context.actor.userId, ownerName: context.actor.displayName });
    const session = created.toObject() as TrainingSessionDocument;
    await recordSuccess(context, 'training.scheduled', { type: 'training-session', id: String(session._id), label: session.title }, { capacity: session.capacity, startsAt: session.startsAt.toISOString() });
    this.notifier.notify(session.audience, 'training:scheduled', {
      id: String(session._id),
      title: session.title,
      startsAt: session.startsAt.toISOString(),
      mode: session.mode,
    });
    return session;
  }

  /** Sessions the officer may see, soonest first: upcoming ones, or past ones when asked. */
  async list(context: AuthorizeContext, when: 'upcoming' | 'past'): Promise<TrainingSessionDocument[]> {
    const { actor } = context;
    const at = now();
    const conditions: Record<string, unknown>[] = [when === 'upcoming' ? { endsAt: { $gte: at } } : { endsAt: { $lt: at } }];
    if (!can(actor, 'training:schedule')) {
      conditions.push({ status: 'scheduled' }, ...audienceConditions(actor));
    }
    // Built here from validated values only, so the operators in it are the service's own; the
    // driver takes it as is (mongoose's casting does not follow `$size` into a nested audience).
    return (await TrainingSession.collection
      .find({ $and: conditions })
      .sort({ startsAt: when === 'upcoming' ? 1 : -1 })
      .limit(100)
      .toArray()) as unknown as TrainingSessionDocument[];
  }

  /** One session, for someone who may see it. */
  async describe(context: AuthorizeContext, sessionId: string): Promise<TrainingSessionDocument> {
    const session = await findSession(sessionId);
    await authorize(context, 'training:read', sessionResource(session));
    return session;
  }

  /**
   * Enrols an officer (the caller, or a unit officer of the caller's agency when the caller is its
   * ILO): a seat while there is one, otherwise a place on the waiting list.
   */
  async enrol(context: AuthorizeContext, sessionId: string, accountId = context.actor.userId): Promise<EnrolmentOutcome> {
    const target = await this.#target(context, accountId);
    const first = await findSession(sessionId);
    await authorize(context, 'training:read', sessionResource(first));
    if (!inAudience(target, first.audience)) {
      throw new AppError(409, 'not-in-audience', 'This session is not open to this officer.');
    }
    const outcome = await this.#change(sessionId, (session) => {
      if (session.status !== 'scheduled') throw new AppError(409, 'session-cancelled', 'This session was cancelled.');
      if (session.startsAt <= now()) throw new AppError(409, 'session-started', 'Enrolment closed when the session started.');
      if (session.enrolments.some((entry) => String(entry.account) === accountId)) {
        throw new AppError(409, 'already-enrolled', 'This officer is already enrolled or on the waiting list.');
      }
      const status = seated(session).length < session.capacity ? 'enrolled' : 'waiting';
      const entry: Enrolment = {
        account: new mongoose.Types.ObjectId(accountId),
        name: target.displayName,
        agency: target.agencyId,
        unit: target.unitId,
        status,
        by: new mongoose.Types.ObjectId(context.actor.userId),
        at: now(),
        attended: false,
      };
      const enrolments = [...session.enrolments, entry];
      const position = status === 'waiting' ? waiting({ enrolments }).length : undefined;
      return { enrolments, outcome: { status, ...(position ? { position } : {}) } };
    });
    await recordSuccess(context, outcome.status === 'enrolled' ? 'training.enrolled' : 'training.wait-listed', { type: 'training-session', id: sessionId, label: first.title }, { account: accountId });
    return outcome;
  }

  /** Withdraws an officer; a freed seat goes to the first on the waiting list. */
  async withdraw(context: AuthorizeContext, sessionId: string, accountId = context.actor.userId): Promise<EnrolmentOutcome> {
    const first = await findSession(sessionId);
    if (!can(context.actor, 'training:manage', sessionResource(first))) await this.#target(context, accountId);
    const outcome = await this.#change(sessionId, (session) => {
      const leaving = session.enrolments.find((entry) => String(entry.account) === accountId);
      if (!leaving) throw new AppError(409, 'not-enrolled', 'This officer is not enrolled in this session.');
      const enrolments = session.enrolments.filter((entry) => entry !== leaving);
      const next = leaving.status === 'enrolled' && session.startsAt > now() ? waiting({ enrolments })[0] : undefined;
      if (next) next.status = 'enrolled';
      return { enrolments, outcome: { status: 'withdrawn', ...(next ? { promoted: String(next.account) } : {}) } };
    });
    await recordSuccess(context, 'training.withdrawn', { type: 'training-session', id: sessionId, label: first.title }, { account: accountId, promoted: outcome.promoted ?? null });
    return outcome;
  }

  /** The trainer marks whether an enrolled officer attended (once the session has begun). */
  async markAttendance(context: AuthorizeContext, sessionId: string, accountId: string, attended: boolean): Promise<void> {
    const first = await findSession(sessionId);
    await authorize(context, 'training:manage', sessionResource(first));
    await this.#change(sessionId, (session) => {
      if (session.startsAt > now()) throw new AppError(409, 'session-not-started', 'Attendance is marked once the session has begun.');
      const entry = session.enrolments.find((candidate) => String(candidate.account) === accountId);
      if (entry?.status !== 'enrolled') throw new AppError(409, 'not-enrolled', 'Only officers holding a seat can be marked present.');
      entry.attended = attended;
      return { enrolments: session.enrolments, outcome: { status: 'enrolled' } };
    });
    await recordSuccess(context, 'training.attendance-marked', { type: 'training-session', id: sessionId, label: first.title }, { account: accountId, attended });
  }

  /** Cancels a session (kept, with its enrolments, for the record). */
  async cancel(context: AuthorizeContext, sessionId: string): Promise<void> {
    const session = await findSession(sessionId);
    await authorize(context, 'training:manage', sessionResource(session));
    await TrainingSession.updateOne({ _id: session._id }, { $set: { status: 'cancelled' }, $inc: { revision: 1 } });
    await recordSuccess(context, 'training.cancelled', { type: 'training-session', id: sessionId, label: session.title });
  }

  /**
   * Whether an officer holds a certificate of `course` still valid (a session of it attended, which
   * ended less than `validityMonths` ago), and until when; and, when not, the next session of it
   * they may enrol in.
   */
  async certification(context: AuthorizeContext, course: string, validityMonths: number): Promise<Certification> {
    const sessions = (await TrainingSession.find({ course, status: 'scheduled' }).sort({ endsAt: -1 }).limit(200).lean<TrainingSessionDocument[]>()) ?? [];
    const at = now();
    const attended = sessions.find(
      (session) => session.endsAt <= at && session.enrolments.some((entry) => String(entry.account) === context.actor.userId && entry.attended),
    );
    if (attended) {
      const validUntil = new Date(attended.endsAt);
      validUntil.setMonth(validUntil.getMonth() + validityMonths);
      if (validUntil > at) return { valid: true, sessionId: String(attended._id), validUntil };
    }
    const next = sessions
      .filter((session) => session.startsAt > at && can(context.actor, 'training:read', sessionResource(session)))
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];
    return { valid: false, ...(next ? { next: { id: String(next._id), title: next.title, startsAt: next.startsAt } } : {}) };
  }

  /** The certificate of completion of an officer who attended (their own, or any for the trainer). */
  async certificate(context: AuthorizeContext, sessionId: string, accountId = context.actor.userId): Promise<Uint8Array> {
    const session = await findSession(sessionId);
    const own = accountId === context.actor.userId;
    if (!own) await authorize(context, 'training:manage', sessionResource(session));
    const entry = session.enrolments.find((candidate) => String(candidate.account) === accountId);
    if (!entry?.attended) throw new AppError(403, 'not-attended', 'A certificate is issued only to officers marked present.');
    const [agency, unit] = await Promise.all([agencyById(entry.agency), entry.unit ? unitById(entry.unit) : undefined]);
    return renderCertificate({
      sessionId,
      accountId,
      officerName: entry.name,
      officerPlace: [unit?.name, agency?.name].filter(Boolean).join(', '),
      sessionTitle: session.title,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      where: session.mode === 'online' ? 'Online' : session.venue,
      trainerName: session.ownerName,
      issuedAt: now(),
    });
  }

  /** The session as an iCalendar file. */
  async calendar(context: AuthorizeContext, sessionId: string, origin: string): Promise<string> {
    const session = await this.describe(context, sessionId);
    const { error, value } = createEvent({
      uid: `${String(session._id)}@bharatpol-hub`,
      productId: 'bharatpol-hub/training',
      title: session.title,
      description: session.description,
      start: session.startsAt.getTime(),
      startInputType: 'utc',
      startOutputType: 'utc',
      end: session.endsAt.getTime(),
      endInputType: 'utc',
      endOutputType: 'utc',
      location: session.mode === 'online' ? 'Online' : session.venue,
      url: session.mode === 'online' && session.onlineUrl ? session.onlineUrl : `${origin}/training/sessions/${String(session._id)}`,
      status: session.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
      organizer: { name: session.ownerName },
    });
    if (error || !value) throw new AppError(500, 'calendar-failed', 'The calendar file could not be made.');
    return value;
  }

  /** The account an enrolment change is about, after checking the caller may act for it. */
  async #target(context: AuthorizeContext, accountId: string): Promise<{ role: Role; agencyId: string; unitId: string | undefined; displayName: string }> {
    const account = await accountById(accountId);
    if (account?.status !== 'active') throw notFound('account');
    const agency = await agencyById(account.agency);
    const target = { role: account.role, agencyId: account.agency, unitId: account.unit, displayName: account.displayName };
    await authorize(context, 'training:enrol', {
      kind: 'account',
      accountId,
      role: account.role,
      agencyId: target.agencyId,
      agencyType: agency?.type ?? 'state',
      unitId: target.unitId,
    });
    return target;
  }

  /**
   * Applies a change to a session's enrolments as compare-and-set on its revision, re-reading and
   * retrying when another change landed first (and one at a time per session in this process, see
   * {@link KeyedLock}): a seat is never given twice.
   */
  #change(sessionId: string, apply: (session: TrainingSessionDocument) => { enrolments: Enrolment[]; outcome: EnrolmentOutcome }): Promise<EnrolmentOutcome> {
    return this.#lock.run(sessionId, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const session = await findSession(sessionId);
        const { enrolments, outcome } = apply(session);
        const result = await TrainingSession.updateOne({ _id: session._id, revision: session.revision }, { $set: { enrolments }, $inc: { revision: 1 } });
        if (result.modifiedCount === 1) return outcome;
      }
      throw new AppError(503, 'busy', 'Many officers are enrolling at this moment. Try again.');
    });
  }
}

/** A session by id, or a 404. */
export async function findSession(sessionId: string): Promise<TrainingSessionDocument> {
  const session = mongoose.isValidObjectId(sessionId) ? await TrainingSession.findById(sessionId).lean<TrainingSessionDocument>() : null;
  if (!session) throw notFound('training-session');
  return session;
}
