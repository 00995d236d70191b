import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { NOTICE_KINDS, REQUEST_TYPES } from '../../shared/notices/kinds.js';
import { CRIME_AREAS } from '../../shared/vocabulary/crime-areas.js';
import { PRIORITIES } from '../../shared/vocabulary/priorities.js';
import { signedStatementSchema } from '../../workflow/delivery-fields.js';
import { TRANSMISSION_MEDIA } from '../../workflow/request-inputs.js';
import { DESKS, STATUSES } from './notice.schema.js';

/** One step of a request's history: who decided what, when, and their signature over it. */
const stepSchema = new Schema(
  {
    decision: { type: String, required: true, maxlength: 20 },
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    role: { type: String, required: true, maxlength: 20 },
    at: { type: Date, required: true },
    comment: { type: String, maxlength: 1000, default: '' },
    /** A reviewer's acknowledgement of the check's warnings. */
    acknowledgement: { type: String, maxlength: 1000 },
    signed: { type: signedStatementSchema, required: true },
  },
  { _id: false },
);

/** A stretch of time at one desk: the per-desk clocks are summed from these. */
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

const findingSchema = new Schema({ code: { type: String, required: true }, field: { type: String, default: '' }, message: { type: String, required: true } }, { _id: false });

const noticeSchema = new Schema(
  {
    kind: { type: String, enum: NOTICE_KINDS, required: true },
    type: { type: String, enum: REQUEST_TYPES, required: true },
    status: { type: String, enum: STATUSES, required: true, default: 'draft' },
    author: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    originDesk: { type: String, enum: ['unit', 'ilo', 'cbi'], required: true },
    agency: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    unit: { type: Schema.Types.ObjectId, ref: 'Unit' },
    /** The desk that holds it now ('none' once nobody is expected to act). */
    holder: {
      desk: { type: String, enum: [...DESKS, 'none'], required: true },
      agency: { type: Schema.Types.ObjectId, ref: 'Agency' },
      unit: { type: Schema.Types.ObjectId, ref: 'Unit' },
    },
    /** The desks beyond its origin it has been handed to ('ilo', 'cbi'): who may read it follows. */
    reached: { type: [String], default: [] },
    crimeArea: { type: String, enum: CRIME_AREAS, required: true },
    priority: { type: String, enum: PRIORITIES, required: true },
    requestedDeadline: { type: Date },
    deadline: { type: Date },
    /** A diffusion's countries: asked for by the author, then those the CBI sent it to. */
    countries: { type: [String], default: [] },
    circulatedTo: { type: [String], default: undefined },
    /** Sealed for the author's desk and opened for each desk it reaches; the digest of its ciphertext. */
    body: { type: Schema.Types.ObjectId, ref: 'EncryptedItem', required: true },
    bodyDigest: { type: String, required: true },
    attachments: { type: [Schema.Types.ObjectId], default: [] },
    /** The pre-submission check as last signed by the submitter: its warnings and the term list it used. */
    check: {
      type: new Schema(
        {
          warnings: { type: [findingSchema], default: [] },
          termsRevision: { type: Number, required: true },
          digest: { type: String, required: true },
          at: { type: Date, required: true },
        },
        { _id: false },
      ),
    },
    /** At the General Secretariat: what it was sent under, and what came back. */
    gs: {
      reference: { type: String, maxlength: 60 },
      medium: { type: String, enum: TRANSMISSION_MEDIA },
      sentAt: { type: Date },
      noticeNumber: { type: String, maxlength: 40 },
      publishedAt: { type: Date },
      expiresOn: { type: String, maxlength: 10 },
      question: { type: String, maxlength: 1000 },
    },
    steps: { type: [stepSchema], default: [] },
    hops: { type: [hopSchema], default: [] },
    submittedAt: { type: Date },
    closedAt: { type: Date },
    reminders: { type: Number, default: 0 },
    remindedAt: { type: Date },
    overdueAt: { type: Date },
    escalatedAt: { type: Date },
    movedAt: { type: Date, required: true },
    revision: { type: Number, required: true, default: 0 },
  },
  { timestamps: true, strict: 'throw' },
);
noticeSchema.index({ 'holder.desk': 1, 'holder.agency': 1, movedAt: -1 });
noticeSchema.index({ agency: 1, movedAt: -1 });
noticeSchema.index({ unit: 1, movedAt: -1 });
noticeSchema.index({ movedAt: -1 });

/**
 * A request for an INTERPOL notice or a diffusion: plain metadata (kind, desks, dates, state) the
 * server routes and counts on, and references to the sealed particulars and files it cannot open.
 */
export const Notice = mongoose.model('Notice', noticeSchema);
export type NoticeDocument = InferSchemaType<typeof noticeSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
  holder: { desk: string; agency?: Types.ObjectId | null; unit?: Types.ObjectId | null };
  gs?: { reference?: string | null; medium?: string | null; sentAt?: Date | null; noticeNumber?: string | null; publishedAt?: Date | null; expiresOn?: string | null; question?: string | null } | null;
};

/** The CBI's settings of the module: one document. */
const settingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    terms: { type: [new Schema({ term: String, article: String, note: String }, { _id: false })], default: [] },
    requiredCourse: { type: String, default: '' },
    validityMonths: { type: Number, default: 24 },
    revision: { type: Number, default: 0 },
    updatedBy: { type: Schema.Types.ObjectId, ref: 'Account' },
  },
  { versionKey: false, timestamps: true, collection: 'notice_settings' },
);
export const NoticeSettings = mongoose.model('NoticeSettings', settingsSchema);
