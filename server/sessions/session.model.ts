import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const sessionSchema = new Schema(
  {
    /** SHA-256 of the session id in the cookie: a copy of the database holds no usable session. */
    _id: { type: String, required: true },
    account: { type: Schema.Types.ObjectId, ref: 'Account', required: true, index: true },
    /** Token that state-changing requests must echo in the X-CSRF-Token header. */
    csrfToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true, index: true },
    /** Re-authentication is required after this, however active the officer is. */
    absoluteExpiresAt: { type: Date, required: true, index: true },
    ip: { type: String },
    userAgent: { type: String },
  },
  { strict: 'throw', versionKey: false },
);

/**
 * A signed-in browser. Expiry is enforced on every read and expired records are swept by the
 * portal (no TTL index: FerretDB has none, and the sweep works the same on MongoDB).
 */
export const Session = mongoose.model('Session', sessionSchema);
export type SessionDocument = InferSchemaType<typeof sessionSchema>;
