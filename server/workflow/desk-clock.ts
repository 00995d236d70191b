/** A stretch of time a request spent at one desk. */
export interface Hop {
  readonly desk: string;
  readonly since: Date;
  readonly until?: Date | null | undefined;
}

/**
 * How long a request has spent at each desk, in milliseconds, up to `at` (a stretch still open
 * counts until then): the per-desk clocks shown beside a request and summed in statistics.
 */
export function timeAtDesks(hops: readonly Hop[], at: Date): Record<string, number> {
  const spent: Record<string, number> = {};
  for (const hop of hops) {
    const end = (hop.until ?? at).getTime();
    spent[hop.desk] = (spent[hop.desk] ?? 0) + Math.max(0, end - hop.since.getTime());
  }
  return spent;
}
