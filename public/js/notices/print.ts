/**
 * The printable request: a PDF built in this browser from the decrypted request (the server never
 * sees it), for the case file and for signatures. Loaded only when asked for (pdf-lib is large).
 * The PDF standard fonts cover Windows-1252 only, so text in other scripts is printed as "?" and
 * said to be on screen; the Latin-script names INTERPOL publishes print in full.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { shownValue, valueAt, type FormGroup } from '../../../server/shared/notices/form-fields.js';

export interface PrintableRequest {
  readonly id: string;
  readonly label: string;
  readonly statusLabel: string;
  readonly groups: readonly FormGroup[];
  readonly content: unknown;
  readonly warnings: readonly { code: string; field: string; message: string }[];
  readonly steps: readonly { label: string; by: string; at: string; comment: string }[];
  /** Photographs, as decrypted here (JPEG or PNG are printed). */
  readonly photographs: readonly { type: string; bytes: Uint8Array }[];
  readonly printedAt: Date;
}

const printable = (text: string): string => text.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');
const WIDTH = 595;
const HEIGHT = 842;
const MARGIN = 50;
const navy = rgb(0.07, 0.16, 0.33);
const grey = rgb(0.35, 0.35, 0.4);

/** Writes lines top to bottom, wrapping words and starting new pages as needed. */
class Writer {
  #page: PDFPage;
  #y = HEIGHT - MARGIN;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly footer: string,
  ) {
    this.#page = this.#newPage();
  }

  #newPage(): PDFPage {
    const page = this.pdf.addPage([WIDTH, HEIGHT]);
    page.drawText(printable(this.footer), { x: MARGIN, y: 24, size: 8, font: this.regular, color: grey });
    this.#y = HEIGHT - MARGIN;
    return page;
  }

  #room(height: number): void {
    if (this.#y - height < MARGIN) this.#page = this.#newPage();
  }

  text(text: string, options: { size?: number; bold?: boolean; indent?: number; color?: ReturnType<typeof rgb> } = {}): void {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.regular;
    const indent = options.indent ?? 0;
    const width = WIDTH - 2 * MARGIN - indent;
    for (const paragraph of printable(text).split('\n')) {
      let line = '';
      for (const word of paragraph.split(' ')) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) > width && line) {
          this.#line(line, size, font, indent, options.color);
          line = word;
        } else line = candidate;
      }
      this.#line(line, size, font, indent, options.color);
    }
  }

  #line(line: string, size: number, font: PDFFont, indent: number, color = navy): void {
    this.#room(size + 4);
    this.#y -= size + 4;
    this.#page.drawText(line, { x: MARGIN + indent, y: this.#y, size, font, color });
  }

  gap(height = 8): void {
    this.#y -= height;
  }

  image(image: PDFImage): void {
    const scale = Math.min(160 / image.width, 200 / image.height, 1);
    const height = image.height * scale;
    this.#room(height + 8);
    this.#y -= height + 8;
    this.#page.drawImage(image, { x: MARGIN, y: this.#y, width: image.width * scale, height });
  }

  signatureLine(role: string): void {
    this.#room(44);
    this.#y -= 36;
    this.#page.drawLine({ start: { x: MARGIN, y: this.#y }, end: { x: MARGIN + 220, y: this.#y }, thickness: 0.5, color: grey });
    this.#page.drawText(printable(role), { x: MARGIN, y: this.#y - 11, size: 9, font: this.regular, color: grey });
  }
}

export async function buildRequestPdf(request: PrintableRequest): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(printable(`${request.label} request`));
  pdf.setAuthor('Bharatpol Hub');
  pdf.setCreationDate(request.printedAt);
  const [regular, bold] = await Promise.all([pdf.embedFont(StandardFonts.Helvetica), pdf.embedFont(StandardFonts.HelveticaBold)]);
  const writer = new Writer(pdf, regular, bold, `Bharatpol Hub · request ${request.id} · printed ${request.printedAt.toISOString()} · RESTRICTED: police use only`);

  writer.text('CENTRAL BUREAU OF INVESTIGATION · NATIONAL CENTRAL BUREAU FOR INTERPOL, NEW DELHI', { size: 8, bold: true, color: grey });
  writer.gap();
  writer.text(`Request for ${request.label}`, { size: 18, bold: true });
  writer.text(`Status: ${request.statusLabel}`, { color: grey });
  writer.gap();
  for (const photograph of request.photographs) {
    const image = photograph.type === 'image/png' ? await pdf.embedPng(photograph.bytes).catch(() => undefined) : await pdf.embedJpg(photograph.bytes).catch(() => undefined);
    if (image) writer.image(image);
  }
  const group = (entry: FormGroup, depth: number): void => {
    writer.gap(6);
    writer.text(entry.label, { size: depth === 0 ? 12 : 10.5, bold: true, indent: depth * 10 });
    for (const child of entry.children) {
      if (child.type === 'group') group(child, depth + 1);
      else writer.text(`${child.label}: ${shownValue(valueAt(request.content, child.path))}`, { indent: depth * 10 + 10 });
    }
  };
  for (const entry of request.groups) group(entry, 0);
  writer.gap();
  writer.text('Pre-submission check', { size: 12, bold: true });
  writer.text(request.warnings.length === 0 ? 'No errors, no warnings.' : `No errors; ${request.warnings.length} warning(s):`, { indent: 10 });
  for (const warning of request.warnings) writer.text(`${warning.code} · ${warning.field || 'request'}: ${warning.message}`, { indent: 20 });
  writer.gap();
  writer.text('Decisions (each signed with the officer’s key in the portal)', { size: 12, bold: true });
  for (const step of request.steps) writer.text(`${step.at} · ${step.label} by ${step.by}${step.comment ? ` — “${step.comment}”` : ''}`, { indent: 10 });
  writer.gap(12);
  for (const role of ['Drafting officer', 'INTERPOL Liaison Officer', 'CBI (NCB New Delhi) reviewer']) writer.signatureLine(role);
  return pdf.save();
}
