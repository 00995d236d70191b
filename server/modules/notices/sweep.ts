/**
 * The per-minute clock of notice requests, as References have it: the desk holding an urgent or
 * immediate request is reminded at its priority's interval, a request past its deadline is marked
 * overdue (the desk is told), and one still at the same desk `graceMs` after its deadline is
 * escalated one level up. Each step is audited as the system's. It reads the desks' lists (one
 * document per desk), then each request that may be due by `_id`; an entry whose request is no
 * longer at that desk is dropped. Drafts, what is back with its author and what waits at the
 * General Secretariat are nobody's here to remind.
 */
import type { AuditSink } from '../../access/audit-event.js';
import { now } from '../../clock.js';
import { agencyIlosRoom, DESK_ROOMS, type AudienceNotifier } from '../../realtime/audience.js';
import { REMINDED_PRIORITIES, reminderDue } from '../../workflow/deadlines.js';
import type { DeskRegister } from '../../workflow/queues/desk-register.js';
import { deskKeyOf } from '../../workflow/queues/queue-keys.js';
import type { Priority } from '../../shared/vocabulary/priorities.js';
import { Notice, type NoticeDocument } from './notice.model.js';
import type { NoticeAlert } from './notice.events.js';
import { labelOf } from './notice-desk.js';

/** States in which a desk here is expected to act. */
const WAITING: readonly string[] = ['at-ilo', 'at-cbi'];
/** Where the NCB's head is told of what the CBI's own desk is late with. */
const NCB_HEAD_ROOMS = ['role:ncb-admin'];

export interface NoticeSweepResult {
  reminded: number;
  overdue: number;
  escalated: number;
}

/** The rooms of the desk holding a request (reviews happen at the ILO and the CBI). */
export function holderRooms(notice: Pick<NoticeDocument, 'holder'>): string[] {
  if (notice.holder.desk === 'ilo' && notice.holder.agency) return [agencyIlosRoom(String(notice.holder.agency))];
  if (notice.holder.desk === 'cbi') return DESK_ROOMS;
  return [];
}

const aboveRooms = (notice: Pick<NoticeDocument, 'holder'>): string[] => (notice.holder.desk === 'ilo' ? DESK_ROOMS : NCB_HEAD_ROOMS);

export async function sweepNotices(register: DeskRegister, notifier: AudienceNotifier, audit: AuditSink, graceMs: number): Promise<NoticeSweepResult> {
  const at = now();
  const result: NoticeSweepResult = { reminded: 0, overdue: 0, escalated: 0 };
  const tell = (rooms: string[], notice: NoticeDocument, kind: NoticeAlert['kind']): void =>
    notifier.notifyRooms(rooms, 'notice:alert', { id: String(notice._id), label: labelOf(notice), kind, desk: notice.holder.desk });
  const record = (action: string, notice: NoticeDocument, details: Record<string, string | number>): Promise<void> =>
    audit.record({ action: `notice.${action}`, outcome: 'success', actor: { username: 'system' }, target: { type: 'notice', id: String(notice._id) }, details });

  for (const { desk, requestId, entry } of await register.all()) {
    const reminded = REMINDED_PRIORITIES.includes(entry.priority as Priority);
    const late = Boolean(entry.deadline && entry.deadline < at && !entry.escalated);
    if (!WAITING.includes(entry.status) || (!reminded && !late)) continue;
    const notice = await Notice.findById(requestId).lean<NoticeDocument>();
    if (!notice || deskKeyOf(notice.holder) !== desk || !WAITING.includes(notice.status)) {
      if (!notice || deskKeyOf(notice.holder) !== desk) await register.drop(desk, requestId);
      continue;
    }
    const reached = notice.hops.at(-1)?.since ?? notice.movedAt;
    if (reminded) {
      const since = notice.remindedAt && notice.remindedAt > reached ? notice.remindedAt : reached;
      if (reminderDue(notice.priority, since, at)) {
        await Notice.updateOne({ _id: notice._id }, { $set: { remindedAt: at }, $inc: { reminders: 1 } });
        tell(holderRooms(notice), notice, 'reminder');
        await record('reminded', notice, { desk: notice.holder.desk, reminders: (notice.reminders ?? 0) + 1 });
        result.reminded += 1;
      }
    }
    if (!late || !notice.deadline) continue;
    if (!notice.overdueAt) {
      await Notice.updateOne({ _id: notice._id }, { $set: { overdueAt: at } });
      tell(holderRooms(notice), notice, 'overdue');
      await record('overdue', notice, { desk: notice.holder.desk });
      result.overdue += 1;
    }
    // Late at this desk for longer than the grace (from the deadline, or from when it reached a desk after it).
    const lateSince = Math.max(notice.deadline.getTime(), reached.getTime());
    if (at.getTime() - lateSince < graceMs) continue;
    if (!notice.escalatedAt) {
      await Notice.updateOne({ _id: notice._id }, { $set: { escalatedAt: at } });
      tell(aboveRooms(notice), notice, 'escalated');
      await record('escalated', notice, { desk: notice.holder.desk });
      result.escalated += 1;
    }
    await register.markEscalated(desk, requestId);
  }
  return result;
}
