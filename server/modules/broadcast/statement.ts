/**
 * The text an officer signs to acknowledge a broadcast. Built the same way by the browser (which
 * signs it), the server (which rebuilds it from its own records and checks the signature before
 * storing it) and the CBI's desk (which checks it again): nothing in it comes from the signer
 * alone except the time of signing, which the server bounds.
 */
export interface AcknowledgementFacts {
  readonly broadcastId: string;
  readonly reference: string;
  readonly handlingCode: string;
  readonly restrictions: string;
  readonly username: string;
  readonly role: string;
  readonly agencyCode: string;
  readonly unitCode?: string | undefined;
  readonly signedAt: Date;
}

/** The acknowledgement statement: one fact per line, in a fixed order. */
export function acknowledgementStatement(facts: AcknowledgementFacts): string {
  const lines = [
    'Bharatpol broadcast acknowledgement',
    `Broadcast: ${facts.broadcastId}`,
    `INTERPOL reference: ${facts.reference}`,
    `Handling code: ${facts.handlingCode}${facts.restrictions ? ` (${facts.restrictions.replace(/\s+/g, ' ')})` : ''}`,
    `Acknowledged by: ${facts.username} (${facts.role})`,
    `Agency: ${facts.agencyCode}`,
    ...(facts.unitCode ? [`Unit: ${facts.unitCode}`] : []),
    `Signed at: ${facts.signedAt.toISOString()}`,
    'I have received this broadcast and will handle it under its handling code.',
  ];
  return `${lines.join('\n')}\n`;
}
