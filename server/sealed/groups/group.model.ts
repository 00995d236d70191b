import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

const groupEpochSchema = new Schema(
  {
    /** Group id, such as `unit:<id>`, `agency-ilos:<id>`, `ncb-desk` or `channel:<id>`. */
    group: { type: String, required: true, maxlength: 80 },
    epoch: { type: Number, required: true, min: 1 },
    publicKey: { type: String, required: true, maxlength: 20_000 },
    fingerprint: { type: String, required: true },
    /** Members when the epoch began: when one of them leaves, the group needs a new epoch. */
    members: { type: [Schema.Types.ObjectId], default: [] },
    createdBy: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
  },
  { timestamps: true, strict: 'throw' },
);
groupEpochSchema.index({ group: 1, epoch: 1 }, { unique: true });

/**
 * One epoch of a group's key. Only the public key is here; the private key exists only inside
 * envelopes, each encrypted to one member's key.
 */
export const GroupEpoch = mongoose.model('GroupEpoch', groupEpochSchema);
export type GroupEpochDocument = InferSchemaType<typeof groupEpochSchema> & { _id: Types.ObjectId; createdAt: Date };

const envelopeSchema = new Schema(
  {
    group: { type: String, required: true, maxlength: 80 },
    epoch: { type: Number, required: true },
    recipient: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    /** The recipient key it is encrypted to: after a re-enrolment, colleagues share again to the new key. */
    recipientFingerprint: { type: String, required: true },
    /** OpenPGP message: the epoch's private key, encrypted to the recipient and signed by the sharer. */
    data: { type: Buffer, required: true },
    sharedBy: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    sharerFingerprint: { type: String, required: true },
  },
  { timestamps: true, strict: 'throw' },
);
envelopeSchema.index({ group: 1, epoch: 1, recipient: 1, recipientFingerprint: 1 }, { unique: true });
envelopeSchema.index({ recipient: 1, group: 1 });

/** A group key of one epoch, sealed to one member. */
export const Envelope = mongoose.model('Envelope', envelopeSchema);
export type EnvelopeDocument = InferSchemaType<typeof envelopeSchema> & { _id: Types.ObjectId };
