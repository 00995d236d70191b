import type { TrackingRow } from '../../workflow/tracking.events.js';
import { CRIME_AREA_LABELS, type CrimeArea } from '../../shared/vocabulary/crime-areas.js';
import { PRIORITY_LABELS, type Priority } from '../../shared/vocabulary/priorities.js';
import { PURPOSE_LABELS, type Purpose } from '../../shared/vocabulary/purposes.js';
import { KIND_LABELS, type BroadcastKind } from './broadcast.schema.js';

const COLUMNS: [string, (row: TrackingRow) => string | number | undefined][] = [
  ['Level', (row) => row.level],
  ['Agency code', (row) => row.agencyCode],
  ['Agency', (row) => row.agencyName],
  ['Unit', (row) => row.unitName],
  ['Delivered', (row) => row.deliveredAt],
  ['Read', (row) => row.readAt],
  ['Acknowledged', (row) => row.acknowledgedAt],
  ['Signing key', (row) => row.acknowledgement?.fingerprint],
  ['Disseminated', (row) => row.disseminatedAt],
  ['Units', (row) => (row.level === 'agency' ? row.units : undefined)],
  ['Responded', (row) => row.respondedAt],
  ['Deadline', (row) => row.deadline],
  ['Overdue', (row) => (row.overdue ? 'yes' : 'no')],
  ['Reminders', (row) => row.reminders],
  ['Escalated', (row) => row.escalatedAt],
];

/**
 * One CSV cell (RFC 4180): quoted when needed; text a spreadsheet would run as a formula gets a
 * leading apostrophe, so an exported agency or unit name cannot carry one.
 */
function cell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The tracking matrix as CSV: metadata and dates only, never content. */
export function trackingCsv(rows: readonly TrackingRow[]): string {
  const lines = [COLUMNS.map(([header]) => header), ...rows.map((row) => COLUMNS.map(([, value]) => cell(value(row))))];
  return `${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}


/** Labels for a broadcast's plain metadata, as the pages show it. */
export function labelled<T extends { kind: string; purpose: string; crimeArea: string; priority: string }>(entry: T) {
  return {
    ...entry,
    kindLabel: KIND_LABELS[entry.kind as BroadcastKind] ?? entry.kind,
    purposeLabel: PURPOSE_LABELS[entry.purpose as Purpose] ?? entry.purpose,
    crimeAreaLabel: CRIME_AREA_LABELS[entry.crimeArea as CrimeArea] ?? entry.crimeArea,
    priorityLabel: PRIORITY_LABELS[entry.priority as Priority] ?? entry.priority,
    urgent: entry.priority !== 'routine',
  };
}
