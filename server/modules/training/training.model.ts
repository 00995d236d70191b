import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { audienceModelSchema } from '../library/publication-audience.js';

const enrolmentSchema = new Schema(
  {
    account: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    name: { type: String, required: true },
    agency: { type: String, required: true },
    unit: { type: String },
    /** Holding a seat, or waiting for one (in order of `at`). */
    status: { type: String, enum: ['enrolled', 'waiting'], required: true },
    /** Who enrolled them: themselves, or their ILO. */
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    at: { type: Date, required: true },
    attended: { type: Boolean, default: false },
  },
  { _id: false, strict: 'throw' },
);

const trainingSessionSchema = new Schema(
  {
    title: { type: String, required: true, maxlength: 160 },
    description: { type: String, default: '', maxlength: 4000 },
    /** The course it is a session of (a code such as NOTICES-101), or '' for a one-off. */
    course: { type: String, default: '', maxlength: 40 },
    mode: { type: String, enum: ['in-person', 'online'], required: true },
    venue: { type: String, default: '', maxlength: 200 },
    onlineUrl: { type: String, maxlength: 500 },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    capacity: { type: Number, required: true, min: 1, max: 1000 },
    audience: { type: audienceModelSchema, required: true },
    /** Library items used in the session. */
    materials: { type: [{ type: Schema.Types.ObjectId, ref: 'LibraryItem' }], default: [] },
    owner: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    ownerName: { type: String, required: true },
    status: { type: String, enum: ['scheduled', 'cancelled'], default: 'scheduled' },
    enrolments: { type: [enrolmentSchema], default: [] },
    /** Bumped by every change to enrolments: changes are compare-and-set on it, so seats are never oversold. */
    revision: { type: Number, default: 0 },
  },
  { timestamps: true, strict: 'throw' },
);
trainingSessionSchema.index({ status: 1, startsAt: 1 });
trainingSessionSchema.index({ course: 1, endsAt: -1 });

/** A scheduled training session with its enrolments and waiting list. */
export const TrainingSession = mongoose.model('TrainingSession', trainingSessionSchema);
export type Enrolment = InferSchemaType<typeof enrolmentSchema>;
export type TrainingSessionDocument = Omit<InferSchemaType<typeof trainingSessionSchema>, 'enrolments'> & {
  _id: Types.ObjectId;
  enrolments: Enrolment[];
  createdAt: Date;
};
