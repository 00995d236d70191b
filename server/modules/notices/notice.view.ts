import { nowMs } from '../../clock.js';
import { NOTICE_KIND_LABELS } from '../../shared/notices/kinds.js';
import { timeAtDesks } from '../../workflow/desk-clock.js';
import type { NoticeDocument } from './notice.model.js';
import { SETTLED, STATUS_LABELS } from './notice.schema.js';
import { labelOf } from './notice-desk.js';

const iso = (date: Date | null | undefined): string | undefined => (date ? date.toISOString() : undefined);

/** Whether a request is past its deadline while a desk still holds it. */
export function isOverdue(notice: Pick<NoticeDocument, 'deadline' | 'status' | 'holder'>, at = nowMs()): boolean {
  return Boolean(notice.deadline && notice.deadline.getTime() < at && !SETTLED.includes(notice.status) && ['ilo', 'cbi'].includes(notice.holder.desk));
}

/** A line of a list: enough to find and triage a request without opening it. */
export function noticeRow(notice: NoticeDocument) {
  const current = notice.hops.at(-1);
  return {
    id: String(notice._id),
    kind: notice.kind,
    kindLabel: NOTICE_KIND_LABELS[notice.kind],
    type: notice.type,
    label: labelOf(notice),
    status: notice.status,
    statusLabel: STATUS_LABELS[notice.status],
    holderDesk: notice.holder.desk,
    since: iso(current && !current.until ? current.since : undefined),
    crimeArea: notice.crimeArea,
    priority: notice.priority,
    warnings: notice.check?.warnings.length ?? 0,
    deadline: iso(notice.deadline),
    overdue: isOverdue(notice),
    movedAt: notice.movedAt.toISOString(),
    createdAt: notice.createdAt.toISOString(),
  };
}
export type NoticeRow = ReturnType<typeof noticeRow>;

/**
 * A request as its readers see it: plain facts, where it is and has been (with the time at each
 * desk), the check's warnings, every signed step, and the ids of its sealed content and files,
 * which the reader's browser opens.
 */
export function presentNotice(notice: NoticeDocument) {
  return {
    ...noticeRow(notice),
    originDesk: notice.originDesk,
    agencyId: String(notice.agency),
    ...(notice.unit ? { unitId: String(notice.unit) } : {}),
    authorId: String(notice.author),
    countries: notice.countries,
    circulatedTo: notice.circulatedTo ?? [],
    body: String(notice.body),
    bodyDigest: notice.bodyDigest,
    attachments: notice.attachments.map(String),
    check: notice.check
      ? { warnings: notice.check.warnings.map((warning) => ({ code: warning.code, field: warning.field ?? '', message: warning.message })), termsRevision: notice.check.termsRevision, digest: notice.check.digest, at: notice.check.at.toISOString() }
      : undefined,
    gs: {
      reference: notice.gs?.reference ?? undefined,
      medium: notice.gs?.medium ?? undefined,
      sentAt: iso(notice.gs?.sentAt),
      noticeNumber: notice.gs?.noticeNumber ?? undefined,
      publishedAt: iso(notice.gs?.publishedAt),
      expiresOn: notice.gs?.expiresOn ?? undefined,
      question: notice.gs?.question ?? undefined,
    },
    steps: notice.steps.map((step) => ({
      decision: step.decision,
      by: String(step.by),
      role: step.role,
      at: step.at.toISOString(),
      comment: step.comment ?? '',
      acknowledgement: step.acknowledgement ?? '',
      signed: { fingerprint: step.signed.fingerprint, signedAt: step.signed.signedAt.toISOString(), statement: step.signed.statement, signature: step.signed.signature },
    })),
    hops: notice.hops.map((hop) => ({ desk: hop.desk, since: hop.since.toISOString(), until: iso(hop.until) })),
    clocks: timeAtDesks(notice.hops, new Date(nowMs())),
    submittedAt: iso(notice.submittedAt),
    closedAt: iso(notice.closedAt),
  };
}
export type NoticeView = ReturnType<typeof presentNotice>;
