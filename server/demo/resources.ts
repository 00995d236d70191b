import mongoose from 'mongoose';
import { Readable } from 'node:stream';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { now } from '../clock.js';
import { Account } from '../modules/accounts/account.model.js';
import { attachBlob, cleanFileName, storeStream } from '../modules/library/blob-store.js';
import { LibraryItem } from '../modules/library/library.model.js';
import type { Category } from '../modules/library/library.schema.js';
import { termsOf } from '../shared/search-terms.js';
import { TrainingSession } from '../modules/training/training.model.js';

interface DemoDocument {
  readonly title: string;
  readonly description: string;
  readonly category: Category;
  readonly tags: readonly string[];
  readonly fileName: string;
  readonly pages: readonly string[];
  /** Role-restricted audience; everyone when absent. */
  readonly roles?: readonly ('ilo' | 'ncb-officer' | 'uo')[];
}

const DOCUMENTS: readonly DemoDocument[] = [
  {
    title: 'INTERPOL notices: a field guide for unit officers',
    description: 'What each colour of notice asks for, what a diffusion is, and what to do when a subject of a notice is found in your district.',
    category: 'manuals-sops',
    tags: ['notices', 'red notice', 'diffusion'],
    fileName: 'interpol-notices-field-guide.pdf',
    pages: ['Red, Yellow, Blue, Black, Green, Orange, Purple and Silver notices', 'Diffusions and how they differ from notices', 'When a subject is located: inform your ILO at once'],
  },
  {
    title: 'Letters rogatory and mutual legal assistance: SOP',
    description: 'Drafting a request for assistance to a foreign court under Section 105K CrPC / BNSS and the MLAT in force, routed through the NCB.',
    category: 'legal-frameworks',
    tags: ['mlat', 'letters rogatory', 'extradition'],
    fileName: 'mla-sop.pdf',
    pages: ['Scope: when a letter rogatory is needed', 'Drafting checklist', 'Routing: UO to ILO to CBI to foreign NCB'],
    roles: ['ilo', 'ncb-officer'],
  },
  {
    title: 'Cryptocurrency tracing for investigators',
    description: 'Capacity-building deck: blockchain analysis, exchanges’ law-enforcement portals and preserving wallet evidence.',
    category: 'training-decks',
    tags: ['cyber', 'cryptocurrency', 'financial crime'],
    fileName: 'crypto-tracing-deck.pdf',
    pages: ['Why follow the money on-chain', 'Exchanges and preservation requests', 'Case study: a ransomware payout'],
  },
];

async function pdfOf(title: string, pages: readonly string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  for (const [index, text] of pages.entries()) {
    const page = pdf.addPage([595, 842]);
    page.drawText(title, { x: 50, y: 780, size: 16, font: bold, color: rgb(0.07, 0.16, 0.33), maxWidth: 495 });
    page.drawText(text, { x: 50, y: 720, size: 13, font: regular, maxWidth: 495 });
    page.drawText(`Demo material · page ${index + 1} of ${pages.length}`, { x: 50, y: 50, size: 9, font: regular });
  }
  return Buffer.from(await pdf.save());
}

/** The course the demo's CBI requires of officers who submit notice requests. */
export const DEMO_NOTICE_COURSE = 'NOTICES-101';
/** The demo officers who attended its last session (the others see why they cannot submit). */
const CERTIFIED = ['cbi.officer', 'cbi.admin', 'ilo.mh', 'ilo.dl', 'ilo.nia', 'uo.mh.pune', 'uo.dl.crime', 'uo.nia.mumbai'];

/** A few library items, two upcoming training sessions and a past one with its attendance, published by the demo trainer. */
export async function seedDemoResources(trainerUsername: string): Promise<void> {
  const trainer = await Account.findOne({ username: trainerUsername }, { displayName: 1 }).lean();
  if (!trainer) return;
  const at = now();
  const itemIds: string[] = [];
  for (const document of DOCUMENTS) {
    const bytes = await pdfOf(document.title, document.pages);
    const blob = await storeStream(Readable.from([bytes]), () => false);
    const item = await LibraryItem.create({
      title: document.title,
      description: document.description,
      category: document.category,
      tags: [...document.tags],
      language: 'en',
      audience: { roles: [...(document.roles ?? [])], agencies: [] },
      owner: trainer._id,
      ownerName: trainer.displayName,
      versions: [
        {
          number: 1,
          blob: blob.id,
          fileName: cleanFileName(document.fileName, blob.extension),
          mediaType: blob.mediaType,
          size: blob.size,
          sha256: blob.sha256,
          uploadedBy: trainer._id,
          uploadedByName: trainer.displayName,
          uploadedAt: at,
        },
      ],
      latestAt: at,
      terms: termsOf(document.title, document.description, document.tags.join(' ')),
    });
    await attachBlob(blob.id);
    itemIds.push(String(item._id));
  }
  const day = 86_400_000;
  const startOf = (days: number, hourUtc: number): Date => new Date(Math.floor(at.getTime() / day) * day + days * day + hourUtc * 3_600_000);
  await TrainingSession.create([
    {
      title: 'Handling INTERPOL notices and diffusions',
      description: 'One-day course for ILOs and unit officers: requesting, reading and acting on notices.',
      course: DEMO_NOTICE_COURSE,
      mode: 'in-person' as const,
      venue: 'CBI Academy, Ghaziabad',
      startsAt: startOf(7, 4),
      endsAt: startOf(7, 11),
      capacity: 30,
      audience: { roles: [], agencies: [] },
      materials: itemIds.slice(0, 1),
      owner: trainer._id,
      ownerName: trainer.displayName,
    },
    {
      title: 'Cryptocurrency tracing (online)',
      description: 'Two-hour live session with exercises.',
      mode: 'online' as const,
      onlineUrl: 'https://meet.cbi.gov.in/academy/crypto-tracing',
      startsAt: startOf(10, 9),
      endsAt: startOf(10, 11),
      capacity: 5,
      audience: { roles: [], agencies: [] },
      materials: itemIds.slice(2, 3),
      owner: trainer._id,
      ownerName: trainer.displayName,
    },
    {
      title: 'Handling INTERPOL notices and diffusions',
      description: 'One-day course for ILOs and unit officers: requesting, reading and acting on notices.',
      course: DEMO_NOTICE_COURSE,
      mode: 'in-person' as const,
      venue: 'CBI Headquarters, New Delhi',
      startsAt: startOf(-200, 4),
      endsAt: startOf(-200, 11),
      capacity: 40,
      audience: { roles: [], agencies: [] },
      materials: itemIds.slice(0, 1),
      owner: trainer._id,
      ownerName: trainer.displayName,
      enrolments: (await Account.find({ username: mongoose.trusted({ $in: CERTIFIED }) }).lean()).map((account) => ({
        account: account._id,
        name: account.displayName,
        agency: String(account.agency),
        ...(account.unit ? { unit: String(account.unit) } : {}),
        status: 'enrolled' as const,
        by: account._id,
        at: startOf(-210, 6),
        attended: true,
      })),
    },
  ]);
}
