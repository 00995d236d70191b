/**
 * A new id for a message, made by the client that sends it (a retry sends the same id again):
 * the time in milliseconds in base 36 (9 digits) then 96 random bits in base64url, 25 characters.
 *
 * Ids made later sort after earlier ones, as text, so the unique index that recognises retries
 * (client id first) grows at its end, like an index on a counter: the messages of one batch land
 * in the same page of it, where random ids (or the channel first) put each in a page of its own,
 * and every page a commit changes is written whole to the embedded database's write-ahead log.
 * The random part keeps two ids of the same millisecond apart. Runs in the browser and in Node.
 */
export function newClientId(now: number = Date.now()): string {
  const random = crypto.getRandomValues(new Uint8Array(12));
  const base64url = btoa(String.fromCharCode(...random)).replace(/\+/g, '-').replace(/\//g, '_');
  return now.toString(36).padStart(9, '0') + base64url;
}
