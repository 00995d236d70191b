import mongoose, { Schema } from 'mongoose';

const recoveryCodeSchema = new Schema(
  {
    account: { type: Schema.Types.ObjectId, ref: 'Account', required: true, index: true },
    /** Keyed hash of the code; the code itself is shown once and never stored. */
    hash: { type: String, required: true, unique: true },
    usedAt: { type: Date },
  },
  { timestamps: true, strict: 'throw' },
);

/**
 * A single-use MFA recovery code. Kept apart from the account so that using one is a single
 * conditional update (no positional array update, which FerretDB lacks).
 */
export const RecoveryCode = mongoose.model('RecoveryCode', recoveryCodeSchema);
