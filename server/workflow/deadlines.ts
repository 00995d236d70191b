import { DEFAULT_DEADLINE_MS, REMINDER_INTERVAL_MS, type Priority } from '../shared/vocabulary/priorities.js';
import { badRequest } from '../errors.js';
import { nowMs } from '../clock.js';

/** The deadline a request gets when it goes out: the one asked for, or its priority's default. */
export function deadlineFor(priority: Priority, sentAt: Date, requested?: Date | null): Date {
  return requested ?? new Date(sentAt.getTime() + DEFAULT_DEADLINE_MS[priority]);
}

/** Refuses a requested deadline that has already passed. */
export function checkFutureDeadline(deadline: Date | undefined, field = 'deadline'): void {
  if (deadline && deadline.getTime() <= nowMs()) throw badRequest('The deadline must be in the future.', [{ field, message: 'is in the past' }]);
}

/** The priorities whose unacknowledged requests are reminded. */
export const REMINDED_PRIORITIES = Object.keys(REMINDER_INTERVAL_MS) as Priority[];

/** Whether an addressee last reminded (or sent to) at `since` is due another reminder at `at`. */
export function reminderDue(priority: string, since: Date, at: Date): boolean {
  const interval = REMINDER_INTERVAL_MS[priority as Priority];
  return interval !== undefined && at.getTime() - since.getTime() >= interval;
}
