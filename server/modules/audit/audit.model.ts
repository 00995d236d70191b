import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

import { AUDIT_OUTCOMES } from '../../access/audit-event.js';

const auditRecordSchema = new Schema(
  {
    /** Position in the chain, from 1; unique, so two writers can never both append the same link. */
    seq: { type: Number, required: true, unique: true },
    at: { type: Date, required: true },
    /** What happened, such as `auth.sign-in` or `access.denied`. */
    action: { type: String, required: true, maxlength: 80 },
    outcome: { type: String, required: true, enum: AUDIT_OUTCOMES },
    actor: {
      userId: { type: String },
      username: { type: String },
      role: { type: String },
      agencyId: { type: String },
    },
    target: {
      type: { type: String },
      id: { type: String },
      label: { type: String },
    },
    ip: { type: String },
    userAgent: { type: String },
    /** Small, non-secret facts about the event (never content, never secrets). */
    details: { type: Schema.Types.Mixed },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { strict: 'throw', versionKey: false },
);
auditRecordSchema.index({ action: 1, seq: -1 });
auditRecordSchema.index({ 'actor.username': 1, seq: -1 });
auditRecordSchema.index({ at: -1 });

/**
 * An append-only audit record. Records are only ever inserted; each holds the hash of the one
 * before it, so an edit or a deletion anywhere breaks the chain from there on.
 */
export const AuditRecord = mongoose.model('AuditRecord', auditRecordSchema);
export type AuditRecordDocument = InferSchemaType<typeof auditRecordSchema> & { _id: Types.ObjectId };
