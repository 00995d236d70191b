import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

const officerKeySchema = new Schema(
  {
    account: { type: Schema.Types.ObjectId, ref: 'Account', required: true, index: true },
    /** Lower-case hex fingerprint of the primary key. */
    fingerprint: { type: String, required: true, unique: true, match: /^[0-9a-f]{40,64}$/ },
    publicKey: { type: String, required: true, maxlength: 20_000 },
    /** The private key, protected by the passphrase derived from the officer's password: opaque here. */
    encryptedPrivateKey: { type: String, required: true, maxlength: 20_000 },
    /** Set when the officer re-enrolled with a new key; old keys stay to verify old signatures. */
    retiredAt: { type: Date },
  },
  { timestamps: true, strict: 'throw' },
);

/** An officer's OpenPGP key; the current one is the one not retired. */
export const OfficerKey = mongoose.model('OfficerKey', officerKeySchema);
export type OfficerKeyDocument = InferSchemaType<typeof officerKeySchema> & { _id: Types.ObjectId; createdAt: Date };

const keyVerificationSchema = new Schema(
  {
    verifier: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    subject: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    /** The fingerprint the verifier compared with the colleague (in person or by phone). */
    fingerprint: { type: String, required: true },
  },
  { timestamps: true, strict: 'throw' },
);
keyVerificationSchema.index({ verifier: 1, subject: 1 }, { unique: true });

/** One officer's record that a colleague's key fingerprint was checked. */
export const KeyVerification = mongoose.model('KeyVerification', keyVerificationSchema);
export type KeyVerificationDocument = InferSchemaType<typeof keyVerificationSchema> & { _id: Types.ObjectId };
