import { nowMs } from '../../clock.js';
import { timeAtDesks } from '../../workflow/desk-clock.js';
import type { ReferenceDocument } from './reference.model.js';
import { labelOf } from './reference-desk.js';
import { movedAtOf } from '../../workflow/queues/queue-keys.js';
import { ASSISTANCE_LABELS, STATUS_LABELS } from './reference.schema.js';

const iso = (date: Date | null | undefined): string | undefined => (date ? date.toISOString() : undefined);

/** States in which a reference no longer waits for anyone abroad or at a desk to act. */
export const SETTLED: readonly string[] = ['answered', 'closed', 'rejected', 'replied'];

/** Whether a reference is past its deadline while still waiting. */
export function isOverdue(reference: Pick<ReferenceDocument, 'deadline' | 'status'>, at = nowMs()): boolean {
  return Boolean(reference.deadline && reference.deadline.getTime() < at && !SETTLED.includes(reference.status));
}

/** A line of a queue: enough to find and triage a reference without opening it (an incoming part names its agency). */
export function referenceRow(reference: ReferenceDocument, agencyName?: string) {
  const current = reference.hops.at(-1);
  return {
    id: String(reference._id),
    ...(reference.parent && agencyName ? { partOf: agencyName } : {}),
    direction: reference.direction,
    status: reference.status,
    statusLabel: STATUS_LABELS[reference.status],
    holderDesk: reference.holder.desk,
    since: iso(current && !current.until ? current.since : undefined),
    countries: reference.countries.map((entry) => ({ country: entry.country, answered: Boolean(entry.answeredAt) })),
    assistance: reference.assistance,
    assistanceLabel: ASSISTANCE_LABELS[reference.assistance],
    label: labelOf(reference),
    crimeArea: reference.crimeArea,
    priority: reference.priority,
    deadline: iso(reference.deadline),
    overdue: isOverdue(reference),
    movedAt: movedAtOf(reference).toISOString(),
    updatedAt: reference.updatedAt.toISOString(),
  };
}
export type ReferenceRow = ReturnType<typeof referenceRow>;

/**
 * A reference as its readers see it: plain facts, where it is and has been (with the time spent
 * at each desk), every signed step, and the ids of its sealed body, files and replies, which the
 * reader's browser opens.
 */
export function presentReference(reference: ReferenceDocument) {
  return {
    ...referenceRow(reference),
    originDesk: reference.originDesk,
    agencyId: String(reference.agency),
    ...(reference.unit ? { unitId: String(reference.unit) } : {}),
    authorId: String(reference.author),
    ...(reference.direction === 'outgoing' && reference.case
      ? { case: { fir: reference.case.fir ?? '', policeStation: reference.case.policeStation ?? '', sections: reference.case.sections ?? '', registeredOn: iso(reference.case.registeredOn) } }
      : {}),
    ...(reference.direction === 'incoming' && reference.foreign
      ? { foreign: { country: reference.foreign.country ?? '', ncb: reference.foreign.ncb ?? '', reference: reference.foreign.reference ?? '', receivedOn: iso(reference.foreign.receivedOn) } }
      : {}),
    ...(reference.parent ? { parent: String(reference.parent) } : {}),
    ...(reference.broadcast ? { broadcast: String(reference.broadcast) } : {}),
    parts: (reference.parts ?? []).map(String),
    reports: (reference.reports ?? []).map((report) => ({ body: String(report.body), attachments: report.attachments.map(String), desk: report.desk, by: String(report.by), at: report.at.toISOString() })),
    repliesAbroad: (reference.repliesAbroad ?? []).map((sent) => ({ reference: sent.reference, medium: sent.medium, final: sent.final, at: sent.at.toISOString() })),
    handling: reference.handling,
    grading: reference.grading,
    body: String(reference.body),
    attachments: reference.attachments.map(String),
    countries: reference.countries.map((entry) => ({
      country: entry.country,
      ncb: entry.ncb,
      answeredAt: iso(entry.answeredAt),
      transmissions: entry.transmissions.map((sent) => ({ reference: sent.reference, medium: sent.medium, followUp: Boolean(sent.followUp), at: sent.at.toISOString() })),
      replies: entry.replies.map((reply) => ({ body: String(reply.body), attachments: reply.attachments.map(String), final: reply.final, at: reply.at.toISOString() })),
    })),
    steps: reference.steps.map((step) => ({
      decision: step.decision,
      by: String(step.by),
      role: step.role,
      at: step.at.toISOString(),
      comment: step.comment ?? '',
      ...(step.country ? { country: step.country } : {}),
      signed: { fingerprint: step.signed.fingerprint, signedAt: step.signed.signedAt.toISOString(), statement: step.signed.statement, signature: step.signed.signature },
    })),
    hops: reference.hops.map((hop) => ({ desk: hop.desk, since: hop.since.toISOString(), until: iso(hop.until) })),
    clocks: timeAtDesks(reference.hops, new Date(nowMs())),
    submittedAt: iso(reference.submittedAt),
    closedAt: iso(reference.closedAt),
    createdAt: reference.createdAt.toISOString(),
  };
}
export type ReferenceView = ReturnType<typeof presentReference>;
