/** For action (an answer is expected by the deadline) or for information (an acknowledgement is). */
export const PURPOSES = ['action', 'information'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const PURPOSE_LABELS: Record<Purpose, string> = { action: 'For action', information: 'For information' };
