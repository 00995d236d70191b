import { createHash } from 'node:crypto';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

/** What a certificate of completion states. */
export interface CertificateFacts {
  readonly sessionId: string;
  readonly accountId: string;
  readonly officerName: string;
  readonly officerPlace: string;
  readonly sessionTitle: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly where: string;
  readonly trainerName: string;
  readonly issuedAt: Date;
}

/**
 * The PDF standard fonts cover Windows-1252 only: other characters are shown as "?" rather than
 * failing the certificate. (Names in other scripts would need an embedded Unicode font.)
 */
function printable(text: string): string {
  return text.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');
}

const dateFormat = new Intl.DateTimeFormat('en-IN', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Kolkata' });

/** A stable number for a certificate, derived from the session and the officer. */
export function certificateNumber(sessionId: string, accountId: string): string {
  return `BPH-${createHash('sha256').update(`${sessionId}:${accountId}`).digest('hex').slice(0, 12).toUpperCase()}`;
}

/** A one-page A4 landscape certificate of completion. */
export async function renderCertificate(facts: CertificateFacts): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(printable(`Certificate of completion: ${facts.sessionTitle}`));
  pdf.setAuthor('Bharatpol Hub · CBI Academy');
  pdf.setCreationDate(facts.issuedAt);
  pdf.setModificationDate(facts.issuedAt);
  const page = pdf.addPage([842, 595]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const navy = rgb(0.07, 0.16, 0.33);
  const grey = rgb(0.35, 0.35, 0.4);

  page.drawRectangle({ x: 24, y: 24, width: 794, height: 547, borderColor: navy, borderWidth: 3 });
  page.drawRectangle({ x: 34, y: 34, width: 774, height: 527, borderColor: rgb(0.85, 0.6, 0.2), borderWidth: 1 });

  const centred = (text: string, y: number, size: number, font = regular, color = navy): void => {
    const line = printable(text);
    const width = font.widthOfTextAtSize(line, size);
    page.drawText(line, { x: (842 - Math.min(width, 760)) / 2, y, size, font, color, maxWidth: 760 });
  };
  const sameDay = dateFormat.format(facts.startsAt) === dateFormat.format(facts.endsAt);
  const when = sameDay ? dateFormat.format(facts.startsAt) : `${dateFormat.format(facts.startsAt)} to ${dateFormat.format(facts.endsAt)}`;

  centred('CENTRAL BUREAU OF INVESTIGATION · NATIONAL CENTRAL BUREAU FOR INTERPOL, NEW DELHI', 520, 11, bold, grey);
  centred('Certificate of Completion', 450, 34, bold);
  centred('This is to certify that', 400, 14, regular, grey);
  centred(facts.officerName, 360, 26, bold);
  centred(facts.officerPlace, 332, 13, regular, grey);
  centred('attended the capacity-building training', 290, 14, regular, grey);
  centred(facts.sessionTitle, 255, 20, bold);
  centred(`${when} · ${facts.where}`, 225, 13, regular, grey);
  centred(`Conducted by ${facts.trainerName}`, 170, 13);
  centred(`Certificate ${certificateNumber(facts.sessionId, facts.accountId)} · issued ${dateFormat.format(facts.issuedAt)} through Bharatpol Hub`, 70, 10, regular, grey);
  return pdf.save();
}
