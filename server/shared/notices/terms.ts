/**
 * The words the pre-submission check looks for. Article 3 of INTERPOL's Constitution forbids any
 * intervention in matters of a political, military, religious or racial character; Article 2
 * binds it to the Universal Declaration of Human Rights. A match is a warning a reviewer must
 * acknowledge in writing, not a refusal: the CBI keeps the list (this is the first one).
 */
export const TERM_ARTICLES = ['3', '2'] as const;
export type TermArticle = (typeof TERM_ARTICLES)[number];

export interface CheckTerm {
  readonly term: string;
  readonly article: TermArticle;
  /** Why it matters, shown with the warning. */
  readonly note: string;
}

export const DEFAULT_TERMS: readonly CheckTerm[] = [
  { term: 'sedition', article: '3', note: 'an offence of a political character' },
  { term: 'treason', article: '3', note: 'an offence of a political character' },
  { term: 'waging war against the government', article: '3', note: 'an offence of a political character' },
  { term: 'unlawful assembly', article: '3', note: 'may concern political expression' },
  { term: 'political party', article: '3', note: 'political wording' },
  { term: 'protest', article: '3', note: 'may concern political expression' },
  { term: 'opposition leader', article: '3', note: 'political wording' },
  { term: 'desertion', article: '3', note: 'an offence of a military character' },
  { term: 'insubordination', article: '3', note: 'an offence of a military character' },
  { term: 'blasphemy', article: '3', note: 'an offence of a religious character' },
  { term: 'apostasy', article: '3', note: 'an offence of a religious character' },
  { term: 'conversion', article: '3', note: 'may concern religious practice' },
  { term: 'hurting religious sentiments', article: '3', note: 'an offence of a religious character' },
  { term: 'caste', article: '3', note: 'may concern racial or communal character' },
  { term: 'ethnic', article: '3', note: 'may concern racial character' },
  { term: 'death penalty', article: '2', note: 'human rights: the penalty' },
  { term: 'torture', article: '2', note: 'human rights: treatment of the person' },
  { term: 'juvenile', article: '2', note: 'human rights: a minor' },
  { term: 'sexual orientation', article: '2', note: 'human rights: conduct not an offence everywhere' },
];

/** Where `term` appears in `text`, as a whole word or phrase, ignoring case. */
export function mentions(text: string, term: string): boolean {
  const escaped = term.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return escaped.length > 0 && new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}
