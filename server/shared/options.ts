/** One choice of a select list or a radio list, as the page templates take it. */
export interface Option {
  readonly value: string;
  readonly label: string;
  readonly selected: boolean;
}

/** The choices of a label table, with `selected` marking the current value. */
export function optionsOf(labels: Record<string, string>, selected?: string): Option[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label, selected: value === selected }));
}
