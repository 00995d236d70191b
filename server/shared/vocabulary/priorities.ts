/** How fast a request must be handled, and what follows from it: its default deadline and reminders. */
export const PRIORITIES = ['routine', 'urgent', 'immediate'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<Priority, string> = { routine: 'Routine', urgent: 'Urgent', immediate: 'Immediate' };

/**
 * Default time to answer per priority, after EU Directive 2023/977's deadlines (8 hours for the
 * most urgent requests, 3 days for other urgent ones, 7 days otherwise).
 */
export const DEFAULT_DEADLINE_MS: Record<Priority, number> = {
  immediate: 8 * 3_600_000,
  urgent: 3 * 24 * 3_600_000,
  routine: 7 * 24 * 3_600_000,
};

/** How often whoever has not acknowledged an urgent or immediate request is reminded. */
export const REMINDER_INTERVAL_MS: Partial<Record<Priority, number>> = {
  immediate: 15 * 60_000,
  urgent: 60 * 60_000,
};
