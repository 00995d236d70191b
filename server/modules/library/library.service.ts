import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { authorize, recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import { can } from '../../access/policy.js';
import { now } from '../../clock.js';
import { KeyedLock } from '../../shared/keyed-lock.js';
import { AppError, badRequest, notFound } from '../../errors.js';
import type { AudienceNotifier } from '../../realtime/audience.js';
import { agenciesByIds } from '../organisation/organisation.lookups.js';
import { attachBlob, cleanFileName, deleteBlob, type StoredBlob } from './blob-store.js';
import { itemResource } from './library.policy.js';
import { LibraryDownload, LibraryItem, LibraryVisit, type LibraryItemDocument, type LibraryVersion } from './library.model.js';
import { presentItem, type ItemView } from './library.presenter.js';
import type { LibraryQuery, PublishInput, VersionInput } from './library.schema.js';
import { queryTerms, termsOf } from '../../shared/search-terms.js';

/** Items per page of the library. */
export const LIBRARY_PAGE_SIZE = 20;

/** A visit to the library ends after this long away; the next one starts a new "since your last visit". */
export const VISIT_GAP_MS = 30 * 60_000;

/** A page of the library. */
export interface LibraryPage {
  readonly items: ItemView[];
  /** Cursor of the next page, when there is one. */
  readonly next: string | undefined;
  /** Start of the officer's previous visit: items published since are marked new. */
  readonly newSince: string | undefined;
}

/** The library: publish, version, unpublish, find, open. */
export class LibraryService {
  readonly #lock = new KeyedLock();

  constructor(private readonly notifier: AudienceNotifier) {}

  /** Publishes a new item with its first version; the audience hears of it at once. */
  async publish(context: AuthorizeContext, input: PublishInput, blob: StoredBlob, originalName: string): Promise<ItemView> {
    try {
      await authorize(context, 'library:publish');
      await checkAgencies(input.audience.agencies);
      const at = now();
      const item = await LibraryItem.create({
        title: input.title,
        description: input.description,
        category: input.category,
        tags: input.tags,
        language: input.language,
        audience: input.audience,
        owner: context.actor.userId,
        ownerName: context.actor.displayName,
        versions: [versionOf(context.actor, 1, blob, originalName, '', at)],
        latestAt: at,
        terms: termsOf(input.title, input.description, input.tags.join(' ')),
      });
      await attachBlob(blob.id);
      await recordSuccess(context, 'library.published', { type: 'library-item', id: String(item._id), label: input.title }, { version: 1, mediaType: blob.mediaType, bytes: blob.size });
      const stored = item.toObject() as LibraryItemDocument;
      this.#announce(stored);
      return presentItem(stored, context.actor);
    } catch (error) {
      await deleteBlob(blob.id);
      throw error;
    }
  }

  /** Adds a version; earlier ones stay listed and downloadable. */
  async addVersion(context: AuthorizeContext, itemId: string, input: VersionInput, blob: StoredBlob, originalName: string): Promise<ItemView> {
    try {
      return await this.#lock.run(itemId, () => this.#addVersion(context, itemId, input, blob, originalName));
    } catch (error) {
      await deleteBlob(blob.id);
      throw error;
    }
  }

  async #addVersion(context: AuthorizeContext, itemId: string, input: VersionInput, blob: StoredBlob, originalName: string): Promise<ItemView> {
    const item = await findItem(itemId);
    await authorize(context, 'library:manage', itemResource(item));
    const at = now();
    const number = item.versions.length + 1;
    // Conditional on the version count read: two trainers adding versions at once cannot both be "v2".
    const updated = await LibraryItem.findOneAndUpdate(
      { _id: item._id, latestAt: item.latestAt },
      { $push: { versions: versionOf(context.actor, number, blob, originalName, input.note, at) }, $set: { latestAt: at } },
      { returnDocument: 'after' },
    ).lean<LibraryItemDocument>();
    if (!updated) throw new AppError(409, 'version-conflict', 'Someone published a version of this item at the same moment. Reload and try again.');
    await attachBlob(blob.id);
    await recordSuccess(context, 'library.version-added', { type: 'library-item', id: itemId, label: item.title }, { version: number, mediaType: blob.mediaType, bytes: blob.size });
    if (updated.status === 'published') this.#announce(updated);
    return presentItem(updated, context.actor);
  }

  /** Unpublishes (hides from the audience, keeping everything) or publishes again. */
  async setPublished(context: AuthorizeContext, itemId: string, published: boolean): Promise<ItemView> {
    const item = await findItem(itemId);
    await authorize(context, 'library:manage', itemResource(item));
    const status = published ? 'published' : 'unpublished';
    const updated = await LibraryItem.findOneAndUpdate({ _id: item._id }, { $set: { status } }, { returnDocument: 'after' }).lean<LibraryItemDocument>();
    if (!updated) throw notFound('library-item');
    if (item.status !== status) {
      await recordSuccess(context, published ? 'library.republished' : 'library.unpublished', { type: 'library-item', id: itemId, label: item.title });
    }
    return presentItem(updated, context.actor);
  }

  /** One item, for someone who may read it. */
  async describe(context: AuthorizeContext, itemId: string): Promise<ItemView> {
    const item = await findItem(itemId);
    await authorize(context, 'library:read', itemResource(item));
    return presentItem(item, context.actor, await this.#newSince(context.actor.userId));
  }

  /**
   * A page of what the officer may read, newest first, filtered and searched. Trainers and
   * administrators also see unpublished items (marked as such).
   */
  async find(context: AuthorizeContext, query: LibraryQuery): Promise<LibraryPage> {
    const { actor } = context;
    const conditions: Record<string, unknown>[] = [];
    if (!can(actor, 'library:publish')) {
      conditions.push({ status: 'published' }, ...audienceConditions(actor));
    }
    const terms = query.q ? queryTerms(query.q) : [];
    if (terms.length > 0) conditions.push({ terms: { $all: terms } });
    if (query.category) conditions.push({ category: query.category });
    if (query.tag) conditions.push({ tags: query.tag });
    if (query.language) conditions.push({ language: query.language });
    if (query.from) conditions.push({ latestAt: { $gte: new Date(`${query.from}T00:00:00Z`) } });
    if (query.to) conditions.push({ latestAt: { $lt: new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000) } });
    if (query.after) {
      const [at, id] = query.after.split('_') as [string, string];
      const latestAt = new Date(Number(at));
      conditions.push({ $or: [{ latestAt: { $lt: latestAt } }, { latestAt, _id: { $lt: new mongoose.Types.ObjectId(id) } }] });
    }
    const filter = conditions.length > 0 ? { $and: conditions } : {};
    // Built here from validated values only, so the operators in it are the service's own; the
    // driver takes it as is (mongoose's casting does not follow `$size` into a nested audience).
    const found = (await LibraryItem.collection
      .find(filter, { projection: { terms: 0 } })
      .sort({ latestAt: -1, _id: -1 })
      .limit(LIBRARY_PAGE_SIZE + 1)
      .toArray()) as unknown as LibraryItemDocument[];
    const page = found.slice(0, LIBRARY_PAGE_SIZE);
    const last = page.at(-1);
    const newSince = await this.#newSince(actor.userId);
    return {
      items: page.map((item) => presentItem(item, actor, newSince)),
      next: found.length > LIBRARY_PAGE_SIZE && last ? `${last.latestAt.getTime()}_${String(last._id)}` : undefined,
      newSince: newSince?.toISOString(),
    };
  }

  /**
   * Records a visit to the library: a visit that starts after {@link VISIT_GAP_MS} away moves
   * "your last visit" forward. Returns the start of the previous visit.
   */
  async recordVisit(accountId: string): Promise<Date | undefined> {
    const at = now();
    const visit = await LibraryVisit.findById(accountId).lean();
    if (!visit) {
      await LibraryVisit.updateOne({ _id: accountId }, { $set: { previous: at, current: at } }, { upsert: true });
      return undefined;
    }
    if (at.getTime() - visit.current.getTime() > VISIT_GAP_MS) {
      await LibraryVisit.updateOne({ _id: accountId }, { $set: { previous: visit.current, current: at } });
      return visit.current;
    }
    await LibraryVisit.updateOne({ _id: accountId }, { $set: { current: at } });
    return visit.previous;
  }

  /**
   * The version an officer asks for, after checking they may read the item; records the download
   * (or the start of an inline view) with who, when and which version.
   */
  async open(context: AuthorizeContext, itemId: string, versionNumber: number, record: 'download' | 'view' | false): Promise<{ item: LibraryItemDocument; version: LibraryVersion }> {
    const item = await findItem(itemId);
    await authorize(context, 'library:read', itemResource(item));
    const version = item.versions.find((candidate) => candidate.number === versionNumber);
    if (!version) throw notFound('version');
    if (record) {
      await LibraryDownload.create({ item: item._id, version: versionNumber, account: context.actor.userId, agency: context.actor.agencyId, kind: record, at: now() });
      if (record === 'download') await LibraryItem.updateOne({ _id: item._id }, { $inc: { downloads: 1 } });
    }
    return { item, version };
  }

  async #newSince(accountId: string): Promise<Date | undefined> {
    return (await LibraryVisit.findById(accountId).lean())?.previous;
  }

  #announce(item: LibraryItemDocument): void {
    const latest = item.versions.at(-1)!;
    this.notifier.notify(item.audience, 'library:published', {
      id: String(item._id),
      title: item.title,
      category: item.category,
      version: latest.number,
      publishedBy: latest.uploadedByName,
      at: latest.uploadedAt.toISOString(),
    });
  }
}

/**
 * The database condition matching publications whose audience includes `actor`: the query twin
 * of the policy's `inAudience` (an empty list means no restriction).
 */
export function audienceConditions(actor: Pick<Actor, 'role' | 'agencyId'>): Record<string, unknown>[] {
  return [
    { $or: [{ 'audience.roles': { $size: 0 } }, { 'audience.roles': actor.role }] },
    { $or: [{ 'audience.agencies': { $size: 0 } }, { 'audience.agencies': actor.agencyId }] },
  ];
}

/** An item by id, or a 404 for anything else (including ids that are not ids). */
export async function findItem(itemId: string): Promise<LibraryItemDocument> {
  const item = mongoose.isValidObjectId(itemId) ? await LibraryItem.findById(itemId, { terms: 0 }).lean<LibraryItemDocument>() : null;
  if (!item) throw notFound('library-item');
  return item;
}

/** Refuses an audience naming agencies that do not exist. */
export async function checkAgencies(agencyIds: readonly string[]): Promise<void> {
  if (agencyIds.length === 0) return;
  const found = (await agenciesByIds(agencyIds)).length;
  if (found !== agencyIds.length) throw badRequest('Some of the chosen agencies do not exist.', [{ field: 'audience.agencies', message: 'unknown agency' }]);
}

function versionOf(actor: Actor, number: number, blob: StoredBlob, originalName: string, note: string, at: Date): LibraryVersion {
  return {
    number,
    blob: blob.id,
    fileName: cleanFileName(originalName, blob.extension),
    mediaType: blob.mediaType,
    size: blob.size,
    sha256: blob.sha256,
    note,
    uploadedBy: new mongoose.Types.ObjectId(actor.userId),
    uploadedByName: actor.displayName,
    uploadedAt: at,
  };
}

/** The latest published items (id and title), for a session's choice of materials. */
export async function publishedTitles(limit: number): Promise<{ id: string; title: string }[]> {
  const items = await LibraryItem.find({ status: 'published' }, { title: 1 }).sort({ latestAt: -1 }).limit(limit).lean();
  return items.map((item) => ({ id: String(item._id), title: item.title }));
}

/** Items by id, as much of them as the access policy and a title need. */
export async function itemsByIds(ids: readonly unknown[]): Promise<Pick<LibraryItemDocument, '_id' | 'title' | 'audience' | 'owner' | 'status'>[]> {
  const valid = [...new Set(ids.map(String))].filter((id) => mongoose.isValidObjectId(id));
  if (valid.length === 0) return [];
  return LibraryItem.find({ _id: mongoose.trusted({ $in: valid }) }, { title: 1, audience: 1, owner: 1, status: 1 }).lean();
}
