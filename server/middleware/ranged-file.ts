import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { create as contentDisposition } from 'content-disposition';
import type { Request, Response } from 'express';

/** A stored file as an HTTP answer needs it. */
export interface RangedFile {
  readonly size: number;
  /** Hex SHA-256 of the bytes: the entity tag. */
  readonly sha256: string;
  readonly mediaType: string;
  readonly fileName: string;
  /** Shown in the browser rather than saved. */
  readonly inline: boolean;
  /** The bytes from `start` to `end`, both included. */
  read(start: number, end: number): AsyncIterable<Uint8Array>;
}

/** Whether a request asks for the start of a file (not a resumed download or a seek). */
export function asksForStart(req: Request): boolean {
  const range = req.headers.range;
  return range === undefined || /^bytes=0-/.test(range);
}

/**
 * Answers with a file, whole or the one byte range asked for (206, or 416 when it cannot be
 * served; an `If-Range` that no longer matches gets the whole file), with headers that keep a
 * file opened on its own from running or reaching anything. A reader who stops is not an error.
 */
export async function sendRangedFile(req: Request, res: Response, file: RangedFile): Promise<void> {
  const etag = `"${file.sha256}"`;
  let start = 0;
  let end = file.size - 1;
  if (req.headers.range && (req.headers['if-range'] === undefined || req.headers['if-range'] === etag)) {
    const ranges = req.range(file.size, { combine: true });
    if (ranges === -1) {
      res.status(416).set('Content-Range', `bytes */${file.size}`).end();
      return;
    }
    if (ranges !== -2 && ranges !== undefined && ranges.type === 'bytes' && ranges.length === 1) {
      start = ranges[0]!.start;
      end = ranges[0]!.end;
      res.status(206).set('Content-Range', `bytes ${start}-${end}/${file.size}`);
    }
  }
  res.set({
    'Content-Type': file.mediaType,
    'Content-Length': String(end - start + 1),
    'Content-Disposition': contentDisposition(file.fileName, { type: file.inline ? 'inline' : 'attachment' }),
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
    // Opened on its own, a file runs nothing and reaches nothing.
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(Readable.from(file.read(start, end)), res);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}
