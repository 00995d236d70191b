import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import type { BarRow } from '../../shared/charts.js';
import { listAgencies } from '../organisation/organisation.lookups.js';
import { downloadFigures } from '../library/library.figures.js';
import { TrainingSession, type TrainingSessionDocument } from './training.model.js';

/** One bar of a chart: a label and its values. */
export type ReportRow = BarRow;

/** The figures trainers and the CBI follow. */
export interface ResourcesReport {
  /** Downloads per item (most downloaded first): all downloads, and of the latest version. */
  readonly downloadsPerItem: readonly ReportRow[];
  /** Downloads per agency of the downloader. */
  readonly downloadsPerAgency: readonly ReportRow[];
  /** Per agency: seats held, waiting, attended. */
  readonly trainingPerAgency: readonly ReportRow[];
  readonly totals: { readonly items: number; readonly downloads: number; readonly sessions: number; readonly enrolled: number; readonly attended: number };
}

const TOP = 15;

/** Downloads per item and per agency, and enrolment and attendance per agency. */
export async function resourcesReport(context: AuthorizeContext): Promise<ResourcesReport> {
  await authorize(context, 'library:report');
  const agencies = new Map((await listAgencies()).map((agency) => [String(agency._id), agency.code ?? agency.name]));
  const nameOf = (id: string): string => agencies.get(id) ?? 'Unknown agency';

  const { items, perAgency, downloads } = await downloadFigures();

  const sessions = await TrainingSession.find({ status: 'scheduled' }, { enrolments: 1 }).lean<Pick<TrainingSessionDocument, 'enrolments'>[]>();
  const training = new Map<string, [number, number, number]>();
  let enrolled = 0;
  let attended = 0;
  for (const session of sessions) {
    for (const entry of session.enrolments) {
      const row = training.get(entry.agency) ?? [0, 0, 0];
      if (entry.status === 'enrolled') row[0] += 1;
      else row[1] += 1;
      if (entry.attended) row[2] += 1;
      training.set(entry.agency, row);
      if (entry.status === 'enrolled') enrolled += 1;
      if (entry.attended) attended += 1;
    }
  }

  const byFirstValue = (a: ReportRow, b: ReportRow): number => (b.values[0] ?? 0) - (a.values[0] ?? 0) || a.label.localeCompare(b.label);
  return {
    downloadsPerItem: items
      .filter((item) => item.downloads > 0)
      .map((item) => ({ label: item.title, values: [item.downloads, item.latestDownloads] }))
      .sort(byFirstValue)
      .slice(0, TOP),
    downloadsPerAgency: [...perAgency].map(([agency, count]) => ({ label: nameOf(agency), values: [count] })).sort(byFirstValue).slice(0, TOP),
    trainingPerAgency: [...training].map(([agency, values]) => ({ label: nameOf(agency), values })).sort(byFirstValue).slice(0, TOP),
    totals: { items: items.length, downloads, sessions: sessions.length, enrolled, attended },
  };
}

