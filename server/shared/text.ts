/** Escapes text for use as a literal inside a regular expression (search boxes use it). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
