/**
 * The text an officer signs for each decision on a notice request, built by the server from its
 * own records and what the decision carries, so the browser signs what the server checks and the
 * next desk can verify. A submission's statement carries the pre-submission check: the digest of
 * the sealed content it was run on, the term list it used and the warnings it raised, so the
 * check's result is bound to exactly that content.
 */
import type { StatementInput } from './notice.schema.js';

export interface DecisionFacts {
  readonly noticeId: string;
  readonly label: string;
  readonly decision: StatementInput;
  /** The digest of the sealed content, and how many files go with it. */
  readonly digest: string;
  readonly attachments: number;
  readonly username: string;
  readonly role: string;
  readonly agencyCode: string;
  readonly unitCode?: string | undefined;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The lines that say what the decision did beyond its name. */
function detailsOf(decision: StatementInput): string[] {
  switch (decision.decision) {
    case 'submit':
      return decision.check
        ? [
            `Check: no errors, term list revision ${decision.check.termsRevision}, ${decision.check.warnings.length} warning(s)`,
            ...decision.check.warnings.map((warning) => `Warning: ${warning.code} ${warning.field || '-'} ${oneLine(warning.message)}`),
          ]
        : ['Check: (none)'];
    case 'forward':
    case 'send-to-gs':
    case 'circulate': {
      const lines = decision.acknowledgement ? [`Warnings acknowledged: ${oneLine(decision.acknowledgement)}`] : [];
      if (decision.decision === 'send-to-gs') lines.push(`Sent to the General Secretariat: ${decision.reference} (${decision.medium})`);
      if (decision.decision === 'circulate') lines.push(`Circulated to: ${decision.countries.map(oneLine).join(', ')}`);
      return lines;
    }
    case 'publish':
      return [`Notice number: ${decision.noticeNumber}`];
    case 'extend':
      return [`Extended until: ${decision.until}`];
    default:
      return [];
  }
}

/** The decision statement: one fact per line, in a fixed order. */
export function decisionStatement(facts: DecisionFacts): string {
  const { decision } = facts;
  const lines = [
    'Bharatpol INTERPOL notice request decision',
    `Request: ${facts.noticeId}`,
    `Kind: ${facts.label}`,
    `Decision: ${decision.decision}`,
    `Sealed content: ${facts.digest}`,
    `Attachments: ${facts.attachments}`,
    ...detailsOf(decision),
    `Comment: ${oneLine(decision.comment) || '(none)'}`,
    `Decided by: ${facts.username} (${facts.role})`,
    `Agency: ${facts.agencyCode}`,
    ...(facts.unitCode ? [`Unit: ${facts.unitCode}`] : []),
    `Signed at: ${decision.signedAt.toISOString()}`,
  ];
  return `${lines.join('\n')}\n`;
}
