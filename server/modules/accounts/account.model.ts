import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { ROLES } from '../../access/roles.js';

/** Lifecycle of an account: invited (enrolment pending), active, locked (by failures or an admin), disabled. */
export const ACCOUNT_STATUSES = ['invited', 'active', 'locked', 'disabled'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

const accountSchema = new Schema(
  {
    /** Sign-in name: lower case letters, digits, dot, dash, underscore. */
    username: { type: String, required: true, unique: true, match: /^[a-z0-9][a-z0-9._-]{2,39}$/ },
    displayName: { type: String, required: true, maxlength: 100 },
    /** Rank or post, such as "Superintendent of Police". */
    designation: { type: String, maxlength: 100, default: '' },
    email: { type: String, maxlength: 200, default: '' },
    phone: { type: String, maxlength: 30, default: '' },
    role: { type: String, required: true, enum: ROLES },
    agency: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    unit: { type: Schema.Types.ObjectId, ref: 'Unit' },
    status: { type: String, required: true, enum: ['invited', 'active', 'locked', 'disabled'], default: 'invited' },

    /** Salt of the browser-side password derivation (base64url). */
    kdfSalt: { type: String, required: true },
    kdfIterations: { type: Number, required: true },
    /** argon2id hash of the sign-in secret derived in the browser; unset until enrolment. */
    signInHash: { type: String },
    /** TOTP seed, sealed with the app secret. */
    totpSealed: { type: String },
    /** Last TOTP time step accepted: a code of this step or earlier is refused (no replay). */
    totpLastStep: { type: Number, default: -1 },

    /** Pending enrolment: keyed hash of the one-time link token, its expiry, and the TOTP seed offered. */
    enrolmentTokenHash: { type: String, index: { unique: true, sparse: true } },
    enrolmentExpiresAt: { type: Date },
    enrolmentTotpSealed: { type: String },

    /** Failed sign-ins in the current 15-minute window. */
    failedSignIns: { type: Number, default: 0 },
    failureWindowStartedAt: { type: Date },
    lockedAt: { type: Date },
    lockReason: { type: String, enum: ['failed-sign-ins', 'administrator'] },
    disabledAt: { type: Date },
    lastSignInAt: { type: Date },
    createdBy: { type: Schema.Types.ObjectId, ref: 'Account' },
  },
  { timestamps: true, strict: 'throw' },
);
accountSchema.index({ agency: 1, role: 1 });
accountSchema.index({ unit: 1 });
accountSchema.index({ displayName: 1 });

/** An officer's (or trainer's, or auditor's) account. */
export const Account = mongoose.model('Account', accountSchema);
export type AccountDocument = InferSchemaType<typeof accountSchema> & { _id: Types.ObjectId };
