import type { Actor } from '../access/actor.js';
import { now } from '../clock.js';

/** The steps of a four-eyes review: handed in by the author, approved or returned by another officer. */
export const REVIEW_DECISIONS = ['submitted', 'approved', 'returned'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** One line of a request's review history. */
export interface ReviewEntry {
  readonly by: string;
  readonly at: Date;
  readonly decision: ReviewDecision;
  readonly comment: string;
}

/** A review step taken now by `actor` (a return always says why). */
export function reviewEntry(actor: Pick<Actor, 'userId'>, decision: ReviewDecision, comment = ''): ReviewEntry {
  return { by: actor.userId, at: now(), decision, comment };
}

/** Whether a request of this priority needs a second officer's approval before it goes out. */
export function needsReview<P extends string>(reviewPriorities: ReadonlySet<P>, priority: P): boolean {
  return reviewPriorities.has(priority);
}
