/** One bar of a chart: a label and its values (one per series). */
export interface BarRow {
  readonly label: string;
  readonly values: readonly number[];
}

/** Bars of a chart, each value with its width as a share of the largest (for SVG, under a strict CSP). */
export function barRows(rows: readonly BarRow[]): { label: string; values: { value: number; width: number }[] }[] {
  const max = Math.max(1, ...rows.flatMap((row) => row.values));
  return rows.map((row) => ({ label: row.label, values: row.values.map((value) => ({ value, width: Math.max(0.5, (value / max) * 100) })) }));
}
