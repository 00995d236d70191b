/**
 * Decisions on a notice request, each signed over the statement the server rebuilds: the
 * author's submission (with its pre-submission check), the ILO's and the CBI's reviews, what the
 * CBI did with it (to the General Secretariat, or circulated as a diffusion) and what came of it.
 */
import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { AppError, badRequest } from '../../errors.js';
import { PHOTO_KINDS } from '../../shared/notices/kinds.js';
import { deadlineFor } from '../../workflow/deadlines.js';
import { DESK_GROUP } from '../../workflow/desk-groups.js';
import { checkOpening, openForGroups, type Opening } from '../../workflow/openings.js';
import { verifySigned, type SignedStatement } from '../../workflow/signed-statement.js';
import { agencyById, unitById } from '../organisation/organisation.lookups.js';
import type { Certification } from '../training/training.service.js';
import { noticeLifecycle } from './notice.lifecycle.js';
import type { NoticeDocument } from './notice.model.js';
import type { DecisionInput, NoticeStatus, StatementInput } from './notice.schema.js';
import { decisionStatement } from './notice.statement.js';
import { findNotice, labelOf, nextGroup, resourceOf, type NoticeDesk } from './notice-desk.js';
import type { NoticeSettingsStore } from './notice-settings.js';

/** What a decision needs besides the request: the settings, and whether the officer holds the required training. */
export interface DecisionDeps {
  readonly desk: NoticeDesk;
  readonly settings: NoticeSettingsStore;
  readonly certification: (context: AuthorizeContext, course: string, validityMonths: number) => Promise<Certification>;
}

/** The statement `actor` signs for a decision on `notice`. */
export async function statementOf(notice: NoticeDocument, actor: Actor, decision: StatementInput): Promise<string> {
  const [agency, unit] = await Promise.all([agencyById(actor.agencyId), actor.role === 'uo' && actor.unitId ? unitById(actor.unitId) : undefined]);
  return decisionStatement({
    noticeId: String(notice._id),
    label: labelOf(notice),
    decision,
    digest: notice.bodyDigest,
    attachments: notice.attachments.length,
    username: actor.username,
    role: actor.role,
    agencyCode: agency?.code ?? '?',
    unitCode: unit?.code,
  });
}

/** The statement to sign for a decision, for someone who may read the request. */
export async function statementFor(context: AuthorizeContext, noticeId: string, input: StatementInput): Promise<{ statement: string; signedAt: string }> {
  const notice = await findNotice(noticeId);
  await authorize(context, 'notice:read', resourceOf(notice));
  return { statement: await statementOf(notice, context.actor, input), signedAt: input.signedAt.toISOString() };
}

async function signed(notice: NoticeDocument, actor: Actor, input: DecisionInput): Promise<SignedStatement> {
  const { signature, ...decision } = input;
  return verifySigned(actor, { statement: await statementOf(notice, actor, decision), signature, signedAt: input.signedAt }, 'a decision');
}

/** Opens the request's body and files for the next desk's group, checked first. */
async function openFor(context: AuthorizeContext, notice: NoticeDocument, group: string, opening: Opening | undefined, at: Date): Promise<void> {
  if (!opening) throw badRequest('Open the request for the next desk.', [{ field: 'opening', message: 'is required' }]);
  const checked = await checkOpening(group, opening, notice.attachments.map(String), group === DESK_GROUP ? 'The CBI desk' : 'The agency’s ILOs');
  await openForGroups(context, new mongoose.Types.ObjectId(String(notice.body)), notice.attachments.map(String), [checked], at);
}

/** A reviewer passing on a request whose check raised warnings must say, in writing, that they weighed them. */
function requireAcknowledgement(notice: NoticeDocument, acknowledgement: string): void {
  if ((notice.check?.warnings.length ?? 0) > 0 && acknowledgement.length < 10) {
    throw badRequest('The check raised warnings: acknowledge them in writing (at least a sentence).', [{ field: 'acknowledgement', message: 'is required' }]);
  }
}

/** Only officers certified in the course the CBI requires may submit (when it requires one). */
async function requireTraining(context: AuthorizeContext, deps: DecisionDeps): Promise<void> {
  const { requiredCourse, validityMonths } = await deps.settings.get();
  if (!requiredCourse) return;
  const held = await deps.certification(context, requiredCourse, validityMonths);
  if (held.valid) return;
  const next = held.next ? ` The next session is “${held.next.title}” on ${held.next.startsAt.toISOString().slice(0, 10)}: enrol at /training/sessions/${held.next.id}.` : '';
  throw new AppError(403, 'training-required', `Only officers holding a valid certificate of course ${requiredCourse} may submit notice requests.${next}`);
}

/** The author hands the request on: checked (signed, on the content stored), opened for the next desk. */
async function submit(context: AuthorizeContext, deps: DecisionDeps, notice: NoticeDocument, input: Extract<DecisionInput, { decision: 'submit' }>): Promise<NoticeDocument> {
  await authorize(context, 'notice:edit', resourceOf(notice));
  const toIlo = notice.originDesk === 'unit';
  const status = noticeLifecycle.next(notice.status, toIlo ? 'submit-to-ilo' : 'submit-to-cbi');
  await requireTraining(context, deps);
  if (!input.check) throw new AppError(400, 'check-missing', 'Run the pre-submission check and sign its result before submitting.');
  const { revision } = await deps.settings.get();
  if (input.check.termsRevision !== revision) throw new AppError(409, 'terms-changed', 'The CBI changed the list of terms the check looks for: run the check again.');
  if (PHOTO_KINDS.has(notice.kind) && notice.attachments.length === 0) {
    throw badRequest('Attach a photograph: this kind cannot go without one.', [{ field: 'attachments', message: 'is required' }]);
  }
  const statement = await signed(notice, context.actor, input);
  const at = now();
  const group = nextGroup(notice);
  if (group) await openFor(context, notice, group, input.opening, at);
  const moved = await deps.desk.move(context, notice, status, { decision: 'submitted', comment: input.comment, signed: statement }, {
    check: { warnings: input.check.warnings, termsRevision: input.check.termsRevision, digest: notice.bodyDigest, at },
    ...(notice.submittedAt ? {} : { submittedAt: at, deadline: deadlineFor(notice.priority, at, notice.requestedDeadline) }),
  });
  await deps.desk.record(context, 'notice.submitted', String(notice._id), { to: toIlo ? 'ilo' : 'cbi', warnings: input.check.warnings.length });
  return moved;
}

/** What a decision by the CBI or the General Secretariat's answer sets besides the move. */
function outcomeOf(notice: NoticeDocument, input: DecisionInput, at: Date): Record<string, unknown> {
  switch (input.decision) {
    case 'send-to-gs':
      return { 'gs.reference': input.reference, 'gs.medium': input.medium, 'gs.sentAt': at };
    case 'circulate':
      return { circulatedTo: input.countries };
    case 'publish': {
      const expires = new Date(at);
      expires.setFullYear(expires.getFullYear() + 5);
      return { 'gs.noticeNumber': input.noticeNumber, 'gs.publishedAt': at, 'gs.expiresOn': expires.toISOString().slice(0, 10) };
    }
    case 'ask':
      return { 'gs.question': input.comment };
    case 'extend':
      if (!notice.gs?.expiresOn || input.until <= notice.gs.expiresOn) throw badRequest('Extend it beyond its current expiry.', [{ field: 'until', message: 'is not later' }]);
      return { 'gs.expiresOn': input.until };
    case 'refuse':
    case 'reject':
    case 'withdraw':
    case 'cancel':
      return { closedAt: at };
    default:
      return {};
  }
}

const PAST_TENSE: Record<DecisionInput['decision'], string> = {
  submit: 'submitted',
  forward: 'forwarded',
  return: 'returned',
  reject: 'rejected',
  'send-to-gs': 'sent-to-gs',
  circulate: 'circulated',
  publish: 'published',
  refuse: 'refused',
  ask: 'information-requested',
  extend: 'extended',
  suspend: 'suspended',
  withdraw: 'withdrawn',
  cancel: 'cancelled',
};

/** Takes a decision on a request, at the desk holding it (or, after the General Secretariat, at the CBI). */
export function decide(context: AuthorizeContext, deps: DecisionDeps, noticeId: string, input: DecisionInput): Promise<NoticeDocument> {
  return deps.desk.locks.run(noticeId, async () => {
    const notice = await findNotice(noticeId);
    if (input.decision === 'submit') return submit(context, deps, notice, input);
    const resource = resourceOf(notice);
    const at = now();
    let status: NoticeStatus;
    if (input.decision === 'forward' || input.decision === 'return' || input.decision === 'reject') {
      await authorize(context, notice.status === 'at-ilo' ? 'notice:decide-ilo' : 'notice:decide-cbi', resource);
      status = noticeLifecycle.next(notice.status, input.decision);
    } else if (input.decision === 'send-to-gs' || input.decision === 'circulate') {
      await authorize(context, 'notice:decide-cbi', resource);
      status = noticeLifecycle.next(notice.status, input.decision);
      if ((input.decision === 'circulate') !== (notice.type === 'diffusion')) {
        throw new AppError(409, 'wrong-type', notice.type === 'diffusion' ? 'A diffusion is circulated by the CBI, not sent to the General Secretariat.' : 'A notice goes to the General Secretariat.');
      }
    } else {
      await authorize(context, 'notice:record-outcome', resource);
      status = noticeLifecycle.next(notice.status, input.decision);
    }
    if (input.decision === 'forward' || input.decision === 'send-to-gs' || input.decision === 'circulate') requireAcknowledgement(notice, input.acknowledgement);
    const set = outcomeOf(notice, input, at);
    const statement = await signed(notice, context.actor, input);
    if (input.decision === 'forward') await openFor(context, notice, DESK_GROUP, input.opening, at);
    const acknowledgement = 'acknowledgement' in input && input.acknowledgement ? { acknowledgement: input.acknowledgement } : {};
    const moved = await deps.desk.move(context, notice, status, { decision: PAST_TENSE[input.decision], comment: input.comment, signed: statement, ...acknowledgement }, set);
    await deps.desk.record(context, `notice.${PAST_TENSE[input.decision]}`, noticeId, { from: notice.status });
    return moved;
  });
}
