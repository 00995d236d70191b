/**
 * The CBI's settings of the Notices module, one document read by `_id` and kept for a few seconds:
 * the list of terms the pre-submission check flags (Article 3 and Article 2), with a revision the
 * signed check names, and the training a submitter must hold (none until the CBI requires it).
 */
import { authorize, recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import { isDuplicateKey } from '../../db/errors.js';
import { AppError } from '../../errors.js';
import { RefreshingValue } from '../../shared/refreshing-value.js';
import { DEFAULT_TERMS, type CheckTerm, type TermArticle } from '../../shared/notices/terms.js';
import { NoticeSettings } from './notice.model.js';
import type { SettingsInput } from './notice.schema.js';

const SETTINGS_ID = 'notices';

export interface Settings {
  readonly terms: readonly CheckTerm[];
  /** Moves on with every change of the list: a check run on an older list is run again. */
  readonly revision: number;
  readonly requiredCourse: string;
  readonly validityMonths: number;
}

interface StoredSettings {
  terms: { term: string; article: string; note?: string }[];
  requiredCourse?: string;
  validityMonths?: number;
  revision?: number;
}

async function load(): Promise<Settings> {
  const stored = await NoticeSettings.findById(SETTINGS_ID).lean<StoredSettings>();
  if (!stored) return { terms: DEFAULT_TERMS, revision: 0, requiredCourse: '', validityMonths: 24 };
  return {
    terms: stored.terms.map((entry) => ({ term: entry.term, article: entry.article as TermArticle, note: entry.note ?? '' })),
    revision: stored.revision ?? 0,
    requiredCourse: stored.requiredCourse ?? '',
    validityMonths: stored.validityMonths ?? 24,
  };
}

export class NoticeSettingsStore {
  readonly #value = new RefreshingValue(load, 5_000);

  get(): Promise<Settings> {
    return this.#value.get();
  }

  /** Replaces the settings (the CBI's head); the term list's revision moves on when the list changed. */
  async update(context: AuthorizeContext, input: SettingsInput): Promise<Settings> {
    await authorize(context, 'notice:configure');
    const current = await load();
    const listChanged = JSON.stringify(current.terms) !== JSON.stringify(input.terms);
    const updated = await NoticeSettings.findOneAndUpdate(
      { _id: SETTINGS_ID, revision: current.revision },
      {
        $set: { terms: input.terms, requiredCourse: input.requiredCourse, validityMonths: input.validityMonths, updatedBy: context.actor.userId },
        $inc: { revision: listChanged ? 1 : 0 },
      },
      { upsert: current.revision === 0, returnDocument: 'after' },
    ).catch((error: unknown) => {
      // Two first saves at once: the second finds the document the first made.
      if (isDuplicateKey(error)) return null;
      throw error;
    });
    if (!updated) throw new AppError(409, 'settings-changed', 'The settings changed meanwhile: open them again.');
    this.#value.forget();
    await recordSuccess(context, 'notice.settings-changed', { type: 'notice-settings', id: SETTINGS_ID }, { terms: input.terms.length, requiredCourse: input.requiredCourse || '(none)' });
    return this.get();
  }
}
