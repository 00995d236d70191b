/**
 * The text an officer signs for each decision on a reference. Built by the server from its own
 * records and what the decision carries (its comment, the country and references abroad), so
 * the browser signs what the server will check and the next desk can verify: nothing in it comes
 * from the signer alone except the time of signing, which the server bounds.
 */
export interface DecisionFacts {
  readonly referenceId: string;
  readonly direction: string;
  readonly decision: string;
  /** How officers name it: FIR (outgoing) or the foreign reference (incoming). */
  readonly label: string;
  readonly countries: readonly string[];
  readonly handlingCode: string;
  readonly username: string;
  readonly role: string;
  readonly agencyCode: string;
  readonly unitCode?: string | undefined;
  readonly comment: string;
  /** Lines that say what was done abroad: transmissions, or the reply recorded. */
  readonly details: readonly string[];
  readonly signedAt: Date;
}

/** One line: no line breaks from a comment can make a line of their own. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The decision statement: one fact per line, in a fixed order. */
export function decisionStatement(facts: DecisionFacts): string {
  const lines = [
    'Bharatpol INTERPOL reference decision',
    `Reference: ${facts.referenceId}`,
    `Direction: ${facts.direction}`,
    `Decision: ${facts.decision}`,
    `Case: ${oneLine(facts.label)}`,
    `Countries: ${facts.countries.map(oneLine).join(', ')}`,
    `Handling code: ${facts.handlingCode}`,
    ...facts.details.map(oneLine),
    `Comment: ${oneLine(facts.comment) || '(none)'}`,
    `Decided by: ${facts.username} (${facts.role})`,
    `Agency: ${facts.agencyCode}`,
    ...(facts.unitCode ? [`Unit: ${facts.unitCode}`] : []),
    `Signed at: ${facts.signedAt.toISOString()}`,
  ];
  return `${lines.join('\n')}\n`;
}
