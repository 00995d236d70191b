import mongoose from 'mongoose';
import type { AuditSink } from '../access/audit-event.js';
import { now } from '../clock.js';
import { agencyIlosRoom } from '../realtime/audience.js';
import { REMINDED_PRIORITIES, reminderDue } from './deadlines.js';
import { isOverdue, type DeliveryRecord } from './delivery-fields.js';
import { recipientRooms, type DeliveryTracker } from './tracker.js';

/** What a sweep tells officers, in the words of the module whose requests it sweeps. */
export interface SweepSignals<D extends DeliveryRecord> {
  /** The request's type in the audit log ("broadcast") and the field of a delivery that names it. */
  readonly noun: string;
  requestOf(delivery: D): string;
  /** Reminds the addressee's officers. */
  remind(rooms: string[], delivery: D): void;
  /** Tells an agency's ILOs that one of their units is late. */
  escalate(rooms: string[], delivery: D, unitName: string): void;
}

export interface SweepResult {
  reminded: number;
  overdue: number;
  escalated: number;
}

const trusted = <T>(operator: T): T => mongoose.trusted<T>(operator);

/**
 * The per-minute clock of a kind of request: reminds whoever has not acknowledged an urgent or
 * immediate one (at its priority's interval), turns late addressees overdue, and escalates a late
 * unit to its agency's ILOs. Each step is audited as the system's.
 */
export async function sweepDeliveries<D extends DeliveryRecord>(tracker: DeliveryTracker<D>, audit: AuditSink, signals: SweepSignals<D>): Promise<SweepResult> {
  const at = now();
  const result: SweepResult = { reminded: 0, overdue: 0, escalated: 0 };
  const record = (action: string, delivery: D, details?: Record<string, number>): Promise<void> =>
    audit.record({
      action: `${signals.noun}.${action}`,
      outcome: 'success',
      actor: { username: 'system' },
      target: { type: signals.noun, id: signals.requestOf(delivery), label: delivery._id },
      ...(details ? { details } : {}),
    });
  const unacknowledged = await tracker.store
    .find({ closed: false, priority: trusted({ $in: REMINDED_PRIORITIES }), acknowledgement: trusted({ $exists: false }) })
    .lean<D[]>();
  for (const delivery of unacknowledged) {
    if (!reminderDue(delivery.priority, delivery.remindedAt ?? delivery.sentAt, at)) continue;
    const updated = await tracker.update(delivery, { reminders: delivery.reminders + 1, remindedAt: at }, false);
    signals.remind(recipientRooms(updated), updated);
    await record('reminded', delivery, { reminders: updated.reminders });
    result.reminded += 1;
  }
  const late = await tracker.store.find({ closed: false, deadline: trusted({ $lt: at }), overdueAt: trusted({ $exists: false }) }).lean<D[]>();
  for (const delivery of late.filter((row) => isOverdue(row, at.getTime()))) {
    const updated = await tracker.update(delivery, { overdueAt: at });
    await record('overdue', delivery);
    result.overdue += 1;
    if (delivery.level === 'unit' && !delivery.escalatedAt) {
      await tracker.update(updated, { escalatedAt: at });
      const unit = await tracker.nameOf('unit', String(delivery.unit));
      signals.escalate([agencyIlosRoom(String(delivery.agency))], delivery, unit.name);
      await record('escalated', delivery);
      result.escalated += 1;
    }
  }
  return result;
}
