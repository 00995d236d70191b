/**
 * Search that works the same on MongoDB and on FerretDB (which has no text index), for library
 * items and broadcasts: each stores the words of its searchable text and every prefix of three
 * letters or more of each word; a query matches those holding all its words (or prefixes of
 * them). On MongoDB a multikey index answers it; on FerretDB it is a scan of small documents.
 */

/** Longest prefix stored for a word: longer query words are cut to it, so they still match. */
const MAX_TERM_LENGTH = 24;
const MIN_PREFIX_LENGTH = 3;

/**
 * Lowercased words of a text, accents removed from Latin letters (so "Résumé" finds "resume")
 * while Devanagari and other scripts keep their vowel signs.
 */
export function wordsOf(text: string): string[] {
  const folded = text
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    .toLowerCase();
  return (folded.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).filter((word) => word.length >= 2).map((word) => word.slice(0, MAX_TERM_LENGTH));
}

/** The terms stored for an item: its words and their prefixes, without duplicates. */
export function termsOf(...texts: string[]): string[] {
  const terms = new Set<string>();
  for (const word of wordsOf(texts.join(' '))) {
    terms.add(word);
    for (let length = MIN_PREFIX_LENGTH; length < word.length; length += 1) terms.add(word.slice(0, length));
  }
  return [...terms];
}

/** The terms a query must all match (at most 8 words; shorter words than a prefix must be whole words). */
export function queryTerms(query: string): string[] {
  return [...new Set(wordsOf(query))].slice(0, 8);
}
