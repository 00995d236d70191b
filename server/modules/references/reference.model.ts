import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { handlingFields, type HandlingRecord } from '../../workflow/request-fields.js';
import { CRIME_AREAS } from '../../shared/vocabulary/crime-areas.js';
import { PRIORITIES } from '../../shared/vocabulary/priorities.js';
import { TRANSMISSION_MEDIA } from '../../workflow/request-inputs.js';
import { ASSISTANCE_TYPES, DESKS, DIRECTIONS, STATUSES } from './reference.schema.js';

/** A signed statement, as stored beside the step it records (see workflow/signed-statement.ts). */
const signedSchema = new Schema(
  {
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    fingerprint: { type: String, required: true },
    signedAt: { type: Date, required: true },
    statement: { type: String, required: true, maxlength: 8_000 },
    signature: { type: String, required: true, maxlength: 4_000 },
  },
  { _id: false },
);

/** One step of a reference's history: who decided what, when, and their signature over it. */
const stepSchema = new Schema(
  {
    decision: { type: String, required: true, maxlength: 20 },
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    role: { type: String, required: true, maxlength: 20 },
    at: { type: Date, required: true },
    comment: { type: String, maxlength: 1000, default: '' },
    country: { type: String, maxlength: 60 },
    signed: { type: signedSchema, required: true },
  },
  { _id: false },
);

/** A stretch of time the reference spent at one desk: the per-desk clocks are summed from these. */
const hopSchema = new Schema(
  {
    desk: { type: String, enum: DESKS, required: true },
    agency: { type: Schema.Types.ObjectId, ref: 'Agency' },
    unit: { type: Schema.Types.ObjectId, ref: 'Unit' },
    since: { type: Date, required: true },
    until: { type: Date },
  },
  { _id: false },
);

const replySchema = new Schema(
  {
    /** Sealed for the CBI desk and opened for the desks below: an item and its files. */
    body: { type: Schema.Types.ObjectId, ref: 'EncryptedItem', required: true },
    attachments: { type: [Schema.Types.ObjectId], default: [] },
    final: { type: Boolean, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/** One requested country: when it was sent there (and how), and what came back. */
const countrySchema = new Schema(
  {
    country: { type: String, required: true, maxlength: 60 },
    ncb: { type: String, required: true, maxlength: 80 },
    transmissions: {
      type: [
        new Schema(
          {
            reference: { type: String, required: true, maxlength: 60 },
            medium: { type: String, enum: TRANSMISSION_MEDIA, required: true },
            followUp: { type: Boolean, default: false },
            by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
            at: { type: Date, required: true },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    replies: { type: [replySchema], default: [] },
    /** Set by a final reply: this country has answered. */
    answeredAt: { type: Date },
  },
  { _id: false },
);

const referenceSchema = new Schema(
  {
    direction: { type: String, enum: DIRECTIONS, required: true },
    status: { type: String, enum: STATUSES, required: true, default: 'draft' },
    /** The officer who drafted it, and the desk it belongs to (what it is sealed for first). */
    author: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    originDesk: { type: String, enum: ['unit', 'ilo', 'cbi'], required: true },
    agency: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    unit: { type: Schema.Types.ObjectId, ref: 'Unit' },
    /** The desk that holds it now (none once closed or rejected): what the queues select on. */
    holder: {
      desk: { type: String, enum: [...DESKS, 'none'], required: true },
      agency: { type: Schema.Types.ObjectId, ref: 'Agency' },
      unit: { type: Schema.Types.ObjectId, ref: 'Unit' },
    },
    /** Whether it has been with the ILO, with the CBI: who may read it follows from these. */
    reached: { type: [String], default: [] },
    countries: { type: [countrySchema], required: true },
    assistance: { type: String, enum: ASSISTANCE_TYPES, required: true },
    /** Outgoing: the Indian case it serves. */
    case: {
      fir: { type: String, maxlength: 60 },
      policeStation: { type: String, maxlength: 100 },
      sections: { type: String, maxlength: 200 },
      registeredOn: { type: Date },
    },
    /** Incoming: the foreign NCB's request as received. */
    foreign: {
      country: { type: String, maxlength: 60 },
      ncb: { type: String, maxlength: 80 },
      reference: { type: String, maxlength: 60 },
      receivedOn: { type: Date },
    },
    /** Incoming: the broadcast it was opened from. */
    broadcast: { type: Schema.Types.ObjectId, ref: 'Broadcast' },
    /** Incoming: an agency's part points to the reference registered at the CBI, which lists its parts. */
    parent: { type: Schema.Types.ObjectId, ref: 'Reference' },
    parts: { type: [Schema.Types.ObjectId], default: undefined },
    /** Incoming: execution reports, each sealed for the desk that wrote it and opened for those above. */
    reports: {
      type: [
        new Schema(
          {
            body: { type: Schema.Types.ObjectId, ref: 'EncryptedItem', required: true },
            attachments: { type: [Schema.Types.ObjectId], default: [] },
            desk: { type: String, enum: ['unit', 'ilo'], required: true },
            by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
            at: { type: Date, required: true },
          },
          { _id: false },
        ),
      ],
      default: undefined,
    },
    /** Incoming: what the CBI sent back abroad, and the reminders the foreign NCB sent. */
    repliesAbroad: {
      type: [
        new Schema(
          {
            reference: { type: String, required: true, maxlength: 60 },
            medium: { type: String, enum: TRANSMISSION_MEDIA, required: true },
            final: { type: Boolean, required: true },
            by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
            at: { type: Date, required: true },
          },
          { _id: false },
        ),
      ],
      default: undefined,
    },
    crimeArea: { type: String, enum: CRIME_AREAS, required: true },
    priority: { type: String, enum: PRIORITIES, required: true },
    requestedDeadline: { type: Date },
    /** Fixed when it is first handed on. */
    deadline: { type: Date },
    ...handlingFields,
    body: { type: Schema.Types.ObjectId, ref: 'EncryptedItem', required: true },
    attachments: { type: [Schema.Types.ObjectId], default: [] },
    steps: { type: [stepSchema], default: [] },
    hops: { type: [hopSchema], default: [] },
    submittedAt: { type: Date },
    closedAt: { type: Date },
    terms: { type: [String], default: [] },
    /** Reminders of the desk holding it (urgent and immediate ones), and when it was last reminded. */
    reminders: { type: Number, default: 0 },
    remindedAt: { type: Date },
    /** When it was found past its deadline, and when escalated above the desk holding it (reset when it moves). */
    overdueAt: { type: Date },
    escalatedAt: { type: Date },
    /** Its discussion between the desks that hold or held it (a Connect channel), once opened. */
    discussion: { type: Schema.Types.ObjectId, ref: 'Channel' },
    /** When it last moved (was created or changed state): the queues are ordered by it. */
    movedAt: { type: Date },
    /** Moved on by every change: a change is written only if nothing changed since it was read. */
    revision: { type: Number, required: true, default: 0 },
  },
  { timestamps: true, strict: 'throw' },
);
// MongoDB's queue reads (the embedded database reads the queue log instead).
referenceSchema.index({ 'holder.desk': 1, 'holder.agency': 1, movedAt: -1 });
referenceSchema.index({ 'holder.unit': 1, movedAt: -1 });
referenceSchema.index({ unit: 1, movedAt: -1 });
referenceSchema.index({ agency: 1, movedAt: -1 });
referenceSchema.index({ movedAt: -1 });

/**
 * An INTERPOL reference: plain metadata (which the server routes, counts and filters on), where
 * it is and has been, and references to its sealed body, attachments and replies, which the
 * server cannot open.
 */
export const Reference = mongoose.model('Reference', referenceSchema);
export type ReferenceDocument = InferSchemaType<typeof referenceSchema> &
  HandlingRecord & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
  holder: { desk: string; agency?: Types.ObjectId | null; unit?: Types.ObjectId | null };
  case?: { fir?: string | null; policeStation?: string | null; sections?: string | null; registeredOn?: Date | null } | null;
  foreign?: { country?: string | null; ncb?: string | null; reference?: string | null; receivedOn?: Date | null } | null;
};

/**
 * The incoming references opened from a broadcast, by the broadcast's id: what its page lists,
 * read by `_id` (a query on the references' `broadcast` would scan them on the embedded database).
 */
const broadcastLinkSchema = new Schema(
  { _id: { type: String, required: true }, references: { type: [Schema.Types.ObjectId], default: [] } },
  { versionKey: false, collection: 'reference_broadcast_links' },
);
export const BroadcastLink = mongoose.model('ReferenceBroadcastLink', broadcastLinkSchema);
