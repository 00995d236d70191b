import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

export const CHANNEL_KINDS = ['cbi-agency', 'agency-units', 'direct', 'discussion'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const channelSchema = new Schema(
  {
    /**
     * `cbi-agency:<agency>`, `agency-units:<agency>`, `direct:<account>:<account>` (sorted), or a
     * discussion's key from the module it belongs to (`reference:<id>`).
     */
    key: { type: String, required: true, unique: true, maxlength: 120 },
    kind: { type: String, required: true, enum: CHANNEL_KINDS },
    agency: { type: Schema.Types.ObjectId, ref: 'Agency' },
    /** The two officers of a direct conversation. */
    members: { type: [Schema.Types.ObjectId], default: undefined },
    /** A discussion's members: the officers of these desks (`ncb-desk`, `agency-ilos:<id>`, `unit:<id>`), which may grow. */
    groups: { type: [String], default: undefined },
    /** A discussion's name, and the page of what it discusses. */
    title: { type: String, maxlength: 200 },
    link: { type: String, maxlength: 200 },
  },
  { timestamps: true, strict: 'throw' },
);

/**
 * A Connect channel. Channels are provisioned from the hierarchy: every agency has one with the
 * CBI and one with its units; direct conversations join an ILO and one of its unit officers, or
 * an NCB officer and an ILO; a discussion joins the desks that hold or held something another
 * module follows (a reference). Membership is derived, never stored, except for direct ones.
 */
export const Channel = mongoose.model('Channel', channelSchema);
export type ChannelDocument = InferSchemaType<typeof channelSchema> & { _id: Types.ObjectId };

const seqCounterSchema = new Schema(
  {
    _id: { type: String, required: true },
    /**
     * By channel id: a number at or above every sequence number handed out (saved before they
     * are handed out, a block ahead), or exactly the last one after a clean stop.
     */
    values: { type: Map, of: Number, default: {} },
  },
  { strict: 'throw', versionKey: false },
);

/**
 * Where each channel's sequence numbers may have got to, in one document (`connect`) read and
 * written by _id, so that saving them is one indexed write however many channels are busy.
 */
export const SeqCounter = mongoose.model('SeqCounter', seqCounterSchema);

/** An earlier version of an edited message, as sealed then (ciphertext; the server cannot read it). */
const revisionSchema = new Schema(
  {
    epoch: { type: Number, required: true },
    senderFingerprint: { type: String, required: true },
    body: { type: Buffer, required: true },
    keyPackets: { type: Buffer, required: true },
    /** When this version was written (sent, or an earlier edit). */
    writtenAt: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

const messageSchema = new Schema(
  {
    /**
     * {@link messageId}: made from the client id, the sender and the channel, so that a retried
     * send is recognised by an `_id` lookup (the one lookup the embedded database indexes).
     * Messages stored before this had ObjectIds.
     */
    _id: { type: Schema.Types.Mixed, required: true },
    channel: { type: Schema.Types.ObjectId, ref: 'Channel', required: true },
    /** Per-channel sequence number, assigned by the server, increasing. */
    seq: { type: Number, required: true },
    /** Id the sender's client chose, so that a retried send is stored once. */
    clientId: { type: String, required: true },
    sender: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    senderFingerprint: { type: String, required: true },
    epoch: { type: Number, required: true },
    body: { type: Buffer, required: true },
    keyPackets: { type: Buffer, required: true },
    /** Sequence number of the message this one replies to in a thread. */
    threadRoot: { type: Number },
    attachments: { type: [Schema.Types.ObjectId], default: undefined },
    /**
     * Members the sender mentioned (chosen in the browser, where the text is): the one fact about
     * the content the server is told, so that it can alert them.
     */
    mentions: { type: [Schema.Types.ObjectId], default: undefined },
    createdAt: { type: Date, required: true },
    /** When the sender last replaced the text (within the change window). */
    editedAt: { type: Date },
    /** The earlier versions, oldest first, still sealed as they were sent. */
    revisions: { type: [revisionSchema], default: undefined },
    /** When the sender deleted it: body, key packets and revisions are emptied then. */
    deletedAt: { type: Date },
  },
  { strict: 'throw', versionKey: false },
);
messageSchema.index({ channel: 1, seq: 1 }, { unique: true });
messageSchema.index({ channel: 1, threadRoot: 1, seq: 1 });

/**
 * A message's `_id`: a client id is one message per sender and channel, so the three make it
 * (unique, and a retry collides with it). Client id first: ids are made in time order
 * (server/shared/client-id.ts), so the `_id` index grows at its end.
 */
export function messageId(channel: string, sender: string, clientId: string): string {
  return `${clientId}.${sender}.${channel}`;
}

/** A message: ciphertext signed and encrypted in the browser for the channel's group key. */
export const Message = mongoose.model('Message', messageSchema);
export type MessageDocument = Omit<InferSchemaType<typeof messageSchema>, '_id'> & { _id: Types.ObjectId | string };

const channelStateSchema = new Schema(
  {
    channel: { type: Schema.Types.ObjectId, ref: 'Channel', required: true },
    account: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    /** Highest sequence number delivered to (received by) this member's client. */
    deliveredSeq: { type: Number, default: 0 },
    /** Highest sequence number this member has read in the main conversation. */
    readSeq: { type: Number, default: 0 },
  },
  { strict: 'throw', versionKey: false },
);
channelStateSchema.index({ channel: 1, account: 1 }, { unique: true });

/** Where a member is in a channel: delivery and read receipts, and so the unread count. */
export const ChannelState = mongoose.model('ChannelState', channelStateSchema);
export type ChannelStateDocument = InferSchemaType<typeof channelStateSchema> & { _id: Types.ObjectId };

const threadStateSchema = new Schema(
  {
    channel: { type: Schema.Types.ObjectId, ref: 'Channel', required: true },
    root: { type: Number, required: true },
    account: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    readSeq: { type: Number, default: 0 },
  },
  { strict: 'throw', versionKey: false },
);
threadStateSchema.index({ channel: 1, root: 1, account: 1 }, { unique: true });

/** Where a member is in one thread: threads have their own unread state. */
export const ThreadState = mongoose.model('ThreadState', threadStateSchema);
export type ThreadStateDocument = InferSchemaType<typeof threadStateSchema> & { _id: Types.ObjectId };
