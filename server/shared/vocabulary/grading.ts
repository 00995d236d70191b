/** Source reliability and information assessment (the 4x4 evaluation). */
export const SOURCE_GRADES = ['A', 'B', 'C', 'X'] as const;
export const INFORMATION_GRADES = ['1', '2', '3', '4'] as const;
export const SOURCE_LABELS: Record<(typeof SOURCE_GRADES)[number], string> = {
  A: 'A — no doubt about the source',
  B: 'B — source mostly reliable',
  C: 'C — source mostly not reliable',
  X: 'X — reliability cannot be assessed',
};
export const INFORMATION_LABELS: Record<(typeof INFORMATION_GRADES)[number], string> = {
  '1': '1 — known to be true without reservation',
  '2': '2 — known personally to the source',
  '3': '3 — not known personally, corroborated',
  '4': '4 — cannot be assessed',
};
