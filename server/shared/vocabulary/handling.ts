/** Handling codes (as Europol's SIENA): what the receiver may do with the information. */
export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];
export const HANDLING_LABELS: Record<HandlingCode, string> = {
  H0: 'H0 — for preventing and combating crime only',
  H1: 'H1 — not for use in court without the provider’s permission',
  H2: 'H2 — no dissemination without the provider’s permission',
  H3: 'H3 — other restrictions stated below',
};

/** Whether a handling code lets an agency pass the information on to its units (or anyone else). */
export function allowsOnwardSharing(code: HandlingCode): boolean {
  return code !== 'H2';
}
