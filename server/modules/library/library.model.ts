import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { CATEGORIES, LANGUAGES } from './library.schema.js';
import { audienceModelSchema } from './publication-audience.js';

const versionModelSchema = new Schema(
  {
    number: { type: Number, required: true, min: 1 },
    /** The stored bytes ({@link LibraryBlob}). */
    blob: { type: String, required: true },
    /** Display name, cleaned of paths and control characters, with an extension that matches the bytes. */
    fileName: { type: String, required: true, maxlength: 200 },
    /** Type found in the file's bytes (never taken from its name or the browser). */
    mediaType: { type: String, required: true },
    size: { type: Number, required: true, min: 1 },
    sha256: { type: String, required: true },
    note: { type: String, default: '', maxlength: 500 },
    uploadedBy: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    uploadedByName: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

const libraryItemSchema = new Schema(
  {
    title: { type: String, required: true, maxlength: 160 },
    description: { type: String, default: '', maxlength: 4000 },
    category: { type: String, enum: CATEGORIES, required: true },
    tags: { type: [String], default: [] },
    language: { type: String, enum: Object.keys(LANGUAGES), required: true },
    audience: { type: audienceModelSchema, required: true },
    status: { type: String, enum: ['published', 'unpublished'], default: 'published' },
    owner: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    ownerName: { type: String, required: true },
    /** Every version ever published, oldest first; none is ever removed. */
    versions: { type: [versionModelSchema], default: [] },
    /** When the latest version was published: the library's order and "new since your last visit". */
    latestAt: { type: Date, required: true },
    /** Search terms (words and their prefixes) of title, description and tags; see search-terms.ts. */
    terms: { type: [String], default: [] },
    downloads: { type: Number, default: 0 },
  },
  { timestamps: true, strict: 'throw' },
);
libraryItemSchema.index({ status: 1, latestAt: -1, _id: -1 });
libraryItemSchema.index({ terms: 1 });
libraryItemSchema.index({ tags: 1 });

/** A document or training material in the library, with all its versions. */
export const LibraryItem = mongoose.model('LibraryItem', libraryItemSchema);
export type LibraryVersion = InferSchemaType<typeof versionModelSchema>;
export type LibraryItemDocument = Omit<InferSchemaType<typeof libraryItemSchema>, 'versions'> & {
  _id: Types.ObjectId;
  versions: LibraryVersion[];
  createdAt: Date;
  updatedAt: Date;
};

const libraryDownloadSchema = new Schema(
  {
    item: { type: Schema.Types.ObjectId, ref: 'LibraryItem', required: true },
    version: { type: Number, required: true },
    account: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    agency: { type: String, required: true },
    /** A download (attachment) or an inline view (preview, video playback). */
    kind: { type: String, enum: ['download', 'view'], required: true },
    at: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false },
);
libraryDownloadSchema.index({ item: 1, at: -1 });

/** Who fetched which version of which item, and when. */
export const LibraryDownload = mongoose.model('LibraryDownload', libraryDownloadSchema);
export type LibraryDownloadDocument = InferSchemaType<typeof libraryDownloadSchema> & { _id: Types.ObjectId };

const libraryVisitSchema = new Schema(
  {
    /** The account's id. */
    _id: { type: String, required: true },
    /** Start of the visit before the current one: items published after it are "new". */
    previous: { type: Date, required: true },
    /** Start of the current visit (a visit ends after {@link VISIT_GAP_MS} without coming back). */
    current: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false },
);

/** An officer's visits to the library, addressed by account id. */
export const LibraryVisit = mongoose.model('LibraryVisit', libraryVisitSchema);
export type LibraryVisitDocument = InferSchemaType<typeof libraryVisitSchema>;
