import type { Types } from 'mongoose';

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

/** A stretch at one desk as a request stores it: which agency's or unit's desk it was. */
export interface StoredHop {
  desk: string;
  since: Date;
  until?: Date | null;
  agency?: Types.ObjectId | null;
  unit?: Types.ObjectId | null;
}

/**
 * A request's stretches after a move to `holder` at `at`: when the desk changes (another desk, or
 * another agency's or unit's), the open stretch is closed and one is opened at the new desk (none
 * once nobody holds it, `desk: 'none'`); `moved` says whether it changed.
 */
export function hopsAfterMove(
  hops: readonly StoredHop[],
  holder: { readonly desk: string; readonly agency?: Types.ObjectId | null; readonly unit?: Types.ObjectId | null },
  at: Date,
): { hops: StoredHop[]; moved: boolean } {
  const next = hops.map((hop) => ({ desk: hop.desk, since: hop.since, until: hop.until ?? null, agency: hop.agency ?? null, unit: hop.unit ?? null }));
  const last = next.at(-1);
  const moved = !last || last.desk !== holder.desk || String(last.agency ?? '') !== String(holder.agency ?? '') || String(last.unit ?? '') !== String(holder.unit ?? '');
  if (moved) {
    if (last && !last.until) last.until = at;
    if (holder.desk !== 'none') next.push({ desk: holder.desk, since: at, agency: holder.agency ?? null, unit: holder.unit ?? null, until: null });
  }
  return { hops: next, moved };
}
