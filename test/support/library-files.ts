import { randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Answer, PortalClient } from './client.js';

/** A real PDF of `pages` pages, each saying its number. */
export async function samplePdf(pages = 2, title = 'Sample'): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= pages; page += 1) pdf.addPage([595, 842]).drawText(`${title}: page ${page}`, { x: 60, y: 760, size: 24, font });
  return Buffer.from(await pdf.save());
}

/** An MP4 as far as its bytes say (an `ftyp` box), padded with `size` bytes of media data. */
export function sampleMp4(size: number): Buffer {
  const ftyp = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
  const mdatHeader = Buffer.alloc(8);
  mdatHeader.writeUInt32BE(size + 8);
  mdatHeader.write('mdat', 4, 'latin1');
  return Buffer.concat([ftyp, mdatHeader, randomBytes(size)]);
}

/** A 1x1 PNG. */
export const samplePng = (): Buffer =>
  Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f0e0e30000000049454e44ae426082', 'hex');

/** One part of a multipart body; a `fileName` makes it a file part. */
export interface Part {
  readonly name: string;
  readonly value: string | Buffer;
  readonly fileName?: string;
  /** Sent as RFC 5987 `filename*` (percent-encoded UTF-8), which can carry any character. */
  readonly encodedFileName?: string;
  readonly contentType?: string;
}

/**
 * A multipart/form-data body built byte by byte, so that tests control exactly what a hostile
 * client sends (file names with NUL, quotes or path separators, parts out of order).
 */
export function multipart(parts: readonly Part[]): { body: Buffer; contentType: string } {
  const boundary = `----bharatpol${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let header = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.fileName !== undefined) header += `; filename="${part.fileName}"`;
    if (part.encodedFileName !== undefined) header += `; filename*=UTF-8''${encodeURIComponent(part.encodedFileName)}`;
    header += '\r\n';
    if (part.fileName !== undefined || part.encodedFileName !== undefined) header += `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n`;
    chunks.push(Buffer.from(`${header}\r\n`, 'utf8'), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value, 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** What a trainer fills in when publishing. */
export interface PublishMetadata {
  title: string;
  description?: string;
  category: string;
  tags?: string[];
  language?: string;
  audience?: { roles?: string[]; agencies?: string[] };
}

/** Publishes `file` as a new library item. */
export function publish(client: PortalClient, metadata: PublishMetadata, file: Buffer, fileName: string, contentType = 'application/pdf'): Promise<Answer<Record<string, unknown>>> {
  const { body, contentType: type } = multipart([
    { name: 'metadata', value: JSON.stringify(metadata) },
    { name: 'file', value: file, fileName, contentType },
  ]);
  return client.request('POST', '/api/library/items', { raw: body, contentType: type });
}

/** Publishes a new version of an item. */
export function publishVersion(client: PortalClient, itemId: string, file: Buffer, fileName: string, note = ''): Promise<Answer<Record<string, unknown>>> {
  const { body, contentType } = multipart([
    { name: 'metadata', value: JSON.stringify({ note }) },
    { name: 'file', value: file, fileName, contentType: 'application/pdf' },
  ]);
  return client.request('POST', `/api/library/items/${itemId}/versions`, { raw: body, contentType });
}
