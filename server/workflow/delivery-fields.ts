import { Schema, type Types } from 'mongoose';
import { nowMs } from '../clock.js';
import { type DELIVERY_STATES } from '../shared/vocabulary/delivery-states.js';
import type { SignedStatement } from './signed-statement.js';

/** A signed step (acknowledgement, decision) stored beside the delivery it records. */
export const signedStatementSchema = new Schema(
  {
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    fingerprint: { type: String, required: true },
    signedAt: { type: Date, required: true },
    /** The statement signed, as the server rebuilt it, and the officer's detached signature. */
    statement: { type: String, required: true, maxlength: 2_000 },
    signature: { type: String, required: true, maxlength: 4_000 },
  },
  { _id: false },
);

/**
 * The fields of one addressee of a request (an agency's ILOs, or a unit) and how far it has got
 * with it, for a module's delivery model to spread into its schema: the sweep, the tracking
 * matrix and the inbox filters read them by these names.
 */
export const deliveryFields = {
  level: { type: String, enum: ['agency', 'unit'], required: true },
  agency: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
  unit: { type: Schema.Types.ObjectId, ref: 'Unit' },
  purpose: { type: String, required: true },
  priority: { type: String, required: true },
  sentAt: { type: Date, required: true },
  deadline: { type: Date, required: true },
  deliveredAt: { type: Date },
  readAt: { type: Date },
  readBy: { type: Schema.Types.ObjectId, ref: 'Account' },
  acknowledgement: { type: signedStatementSchema },
  /** Agency level: when it was first passed to units, and to how many. */
  disseminatedAt: { type: Date },
  unitCount: { type: Number, default: 0 },
  /** The answer: a unit's report, or an agency's response (a sealed item). */
  respondedAt: { type: Date },
  respondedBy: { type: Schema.Types.ObjectId, ref: 'Account' },
  response: { type: Schema.Types.ObjectId, ref: 'EncryptedItem' },
  responseAttachments: { type: [Schema.Types.ObjectId], default: [] },
  reminders: { type: Number, default: 0 },
  remindedAt: { type: Date },
  overdueAt: { type: Date },
  escalatedAt: { type: Date },
  closed: { type: Boolean, default: false },
} as const;

type Maybe<T> = T | null | undefined;

/** A delivery as the shared machinery reads it (each module's delivery document has these and more). */
export interface DeliveryRecord {
  _id: string;
  level: string;
  agency: Types.ObjectId;
  unit?: Maybe<Types.ObjectId>;
  purpose: string;
  priority: string;
  sentAt: Date;
  deadline: Date;
  deliveredAt?: Maybe<Date>;
  readAt?: Maybe<Date>;
  acknowledgement?: Maybe<SignedStatement | { by: Types.ObjectId; fingerprint: string; signedAt: Date; statement: string; signature: string }>;
  disseminatedAt?: Maybe<Date>;
  unitCount?: Maybe<number>;
  respondedAt?: Maybe<Date>;
  response?: Maybe<Types.ObjectId>;
  responseAttachments?: Maybe<Types.ObjectId[]>;
  reminders: number;
  remindedAt?: Maybe<Date>;
  overdueAt?: Maybe<Date>;
  escalatedAt?: Maybe<Date>;
  closed: boolean;
}

/** The state a delivery shows: its furthest step. */
export function deliveryStateOf(delivery: DeliveryRecord): (typeof DELIVERY_STATES)[number] {
  if (delivery.respondedAt) return 'responded';
  if (delivery.disseminatedAt) return 'disseminated';
  if (delivery.acknowledgement) return 'acknowledged';
  if (delivery.readAt) return 'read';
  if (delivery.deliveredAt) return 'delivered';
  return 'sent';
}

/** Whether an addressee is late: no answer (for action) or no acknowledgement (for information) by the deadline. */
export function isOverdue(delivery: Pick<DeliveryRecord, 'purpose' | 'deadline' | 'respondedAt' | 'acknowledgement' | 'closed'>, at = nowMs()): boolean {
  if (delivery.closed) return false;
  const done = delivery.purpose === 'information' ? Boolean(delivery.acknowledgement) : Boolean(delivery.respondedAt);
  return !done && delivery.deadline.getTime() < at;
}
