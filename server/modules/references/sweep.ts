/** The per-minute clock of references: reminders to the desk holding one, deadlines, escalation one level up. */
import type { AuditSink } from '../../access/audit-event.js';
import { now } from '../../clock.js';
import { agencyIlosRoom, DESK_ROOMS, unitRoom, type AudienceNotifier } from '../../realtime/audience.js';
import { REMINDED_PRIORITIES, reminderDue } from '../../workflow/deadlines.js';
import type { Priority } from '../../shared/vocabulary/priorities.js';
import type { DeskRegister } from '../../workflow/queues/desk-register.js';
import { deskKeyOf } from '../../workflow/queues/queue-keys.js';
import { Reference, type ReferenceDocument } from './reference.model.js';
import type { ReferenceStatus } from './reference.schema.js';
import { labelOf } from './reference-desk.js';
import type { ReferenceAlert } from './reference.events.js';

/** States in which a desk or a foreign NCB is expected to act on a reference (drafts and answers are with their author). */
const WAITING: ReferenceStatus[] = ['at-ilo', 'at-cbi', 'abroad', 'registered', 'at-unit'];
/** Where the NCB's head is told of what the CBI's own desk (or a foreign NCB) is late with. */
const NCB_HEAD_ROOMS = ['role:ncb-admin'];

export interface ReferenceSweepResult {
  reminded: number;
  overdue: number;
  escalated: number;
}

/** The rooms of the desk holding a reference. */
export function holderRooms(reference: ReferenceDocument): string[] {
  const { holder } = reference;
  if (holder.desk === 'unit' && holder.unit) return [unitRoom(String(holder.unit))];
  if (holder.desk === 'ilo' && holder.agency) return [agencyIlosRoom(String(holder.agency))];
  if (holder.desk === 'cbi' || holder.desk === 'abroad') return DESK_ROOMS;
  return [];
}

/** The rooms one level above the desk holding it: a unit's ILOs, the CBI above an ILO, the NCB's head above the CBI and abroad. */
function aboveRooms(reference: ReferenceDocument): string[] {
  const { holder } = reference;
  if (holder.desk === 'unit') return [agencyIlosRoom(String(reference.agency))];
  if (holder.desk === 'ilo') return DESK_ROOMS;
  return NCB_HEAD_ROOMS;
}

/**
 * Reminds the desk holding an urgent or immediate reference at its priority's interval (counted
 * from when it reached the desk, or the last reminder), marks those past their deadline overdue
 * (telling the desk), and escalates one level up those still at the same desk `graceMs` after
 * their deadline. Each step is audited as the system's. It reads the desks' lists (a lookup of
 * each reference that may be due), not the references: an entry whose reference is no longer at
 * that desk is dropped.
 */
export async function sweepReferences(register: DeskRegister, notifier: AudienceNotifier, audit: AuditSink, graceMs: number): Promise<ReferenceSweepResult> {
  const at = now();
  const result: ReferenceSweepResult = { reminded: 0, overdue: 0, escalated: 0 };
  const tell = (rooms: string[], reference: ReferenceDocument, kind: ReferenceAlert['kind']): void =>
    notifier.notifyRooms(rooms, 'reference:alert', { id: String(reference._id), label: labelOf(reference), kind, desk: reference.holder.desk });
  const record = (action: string, reference: ReferenceDocument, details: Record<string, string | number>): Promise<void> =>
    audit.record({ action: `reference.${action}`, outcome: 'success', actor: { username: 'system' }, target: { type: 'reference', id: String(reference._id) }, details });

  for (const { desk, requestId: referenceId, entry } of await register.all()) {
    const reminded = REMINDED_PRIORITIES.includes(entry.priority as Priority);
    const late = Boolean(entry.deadline && entry.deadline < at && !entry.escalated);
    if (!WAITING.includes(entry.status as ReferenceStatus) || (!reminded && !late)) continue;
    const reference = await Reference.findById(referenceId).lean<ReferenceDocument>();
    if (!reference || deskKeyOf(reference.holder) !== desk || reference.status === 'draft') {
      await register.drop(desk, referenceId);
      continue;
    }
    const reached = reference.hops.at(-1)?.since ?? reference.updatedAt;
    if (reminded) {
      const since = reference.remindedAt && reference.remindedAt > reached ? reference.remindedAt : reached;
      if (reminderDue(reference.priority, since, at)) {
        await Reference.updateOne({ _id: reference._id }, { $set: { remindedAt: at }, $inc: { reminders: 1 } });
        tell(holderRooms(reference), reference, 'reminder');
        await record('reminded', reference, { desk: reference.holder.desk, reminders: (reference.reminders ?? 0) + 1 });
        result.reminded += 1;
      }
    }
    if (!late || !reference.deadline) continue;
    if (!reference.overdueAt) {
      await Reference.updateOne({ _id: reference._id }, { $set: { overdueAt: at } });
      tell(holderRooms(reference), reference, 'overdue');
      await record('overdue', reference, { desk: reference.holder.desk });
      result.overdue += 1;
    }
    // Late at this desk for longer than the grace (counted from the deadline, or from when it reached a desk after it).
    const lateSince = Math.max(reference.deadline.getTime(), reached.getTime());
    if (at.getTime() - lateSince < graceMs) continue;
    if (!reference.escalatedAt) {
      await Reference.updateOne({ _id: reference._id }, { $set: { escalatedAt: at } });
      tell(aboveRooms(reference), reference, 'escalated');
      await record('escalated', reference, { desk: reference.holder.desk });
      result.escalated += 1;
    }
    await register.markEscalated(desk, referenceId);
  }
  return result;
}
