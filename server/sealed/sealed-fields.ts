import { Schema } from 'mongoose';

/** Key packets that open a sealed thing for another group (forwarding), without a copy of its body. */
export const forwardSchema = new Schema(
  {
    group: { type: String, required: true, maxlength: 80 },
    epoch: { type: Number, required: true },
    keyPackets: { type: Buffer, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * The fields every sealed record has (items, files), for their schemas to spread: the group and
 * key epoch it is sealed for, the writer's key, the session key wrapped for the epoch key, the
 * groups it was opened for since, and what owns it when a module does.
 */
export const sealedFields = {
  group: { type: String, required: true, maxlength: 80 },
  epoch: { type: Number, required: true },
  /** The writer's key at the time of writing, to verify the signature inside. */
  authorFingerprint: { type: String, required: true },
  /** Session key wrapped for the group's epoch key. */
  keyPackets: { type: Buffer, required: true },
  forwards: { type: [forwardSchema], default: [] },
  /** Set when a module owns it (a broadcast's body or attachment): it is then forwarded only through that module. */
  boundTo: { type: String, maxlength: 80 },
} as const;
