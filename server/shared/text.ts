/** Escapes text for use as a literal inside a regular expression (search boxes use it). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Unicode's direction controls (embeddings and overrides U+202A–202E, isolates U+2066–2069, the
 * marks U+200E, U+200F and U+061C). In a name they make text show in another order than it is
 * stored: `invoice<U+202E>gnp.exe` shows as `invoiceexe.png`. Names never need them.
 */
const DIRECTION_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** A name (of a file, an officer, a title) without direction controls, so it shows as it is. */
export function withoutDirectionControls(text: string): string {
  return text.replace(DIRECTION_CONTROLS, '');
}
