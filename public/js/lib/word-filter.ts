/** Whether `text` holds every word of what was typed in a filter box (any case, any order). */
export function holdsEveryWord(text: string, typed: string): boolean {
  const haystack = text.toLocaleLowerCase('en-IN');
  return typed
    .toLocaleLowerCase('en-IN')
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}
