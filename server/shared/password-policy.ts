import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

/**
 * The portal's password rules, after NIST SP 800-63B: 12 to 128 characters, any characters, no
 * composition rules, and refused when it is common, breached or easily guessed. "Common or
 * breached" is judged by zxcvbn's dictionaries (leaked-password lists, names, words, keyboard
 * patterns) plus the officer's own details and the portal's names.
 *
 * The raw password never leaves the browser (only secrets derived from it do, see
 * server/crypto/kdf.ts), so this check runs where the password is typed: the enrolment page and
 * the demo-data seed both call it.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn score (0-4) below which a password is refused as guessable. */
const MIN_SCORE = 3;

const portalWords = ['bharatpol', 'interpol', 'cbi', 'ncb', 'police', 'india', 'password'];

let estimator: ZxcvbnFactory | undefined;

/** The verdict on a candidate password: acceptable, or why not, in words for the officer. */
export type PasswordVerdict = { ok: true; score: number } | { ok: false; score: number; reason: string };

/** Judges `password` against the rules; `context` holds the officer's username, name and the like. */
export function checkPassword(password: string, context: readonly string[] = []): PasswordVerdict {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return { ok: false, score: 0, reason: `Use at least ${PASSWORD_MIN_LENGTH} characters; a short sentence is easy to remember.` };
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return { ok: false, score: 0, reason: `Use at most ${PASSWORD_MAX_LENGTH} characters.` };
  }
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  const result = estimator.check(password, [...portalWords, ...context.filter(Boolean)]);
  if (result.score >= MIN_SCORE) return { ok: true, score: result.score };
  const hint = result.feedback.warning ?? result.feedback.suggestions[0];
  return {
    ok: false,
    score: result.score,
    reason: `This password is too easy to guess${hint ? `: ${hint}` : '.'} Try a longer phrase of unrelated words.`,
  };
}
