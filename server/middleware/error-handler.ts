import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, notFound, toErrorBody } from '../errors.js';
import type { Logger } from '../logger.js';
import multer from 'multer';
import { databaseOutage } from '../db/availability.js';

/** Errors raised by Express's body parsers, mapped to the portal's codes. */
function fromBodyParser(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  switch (error.type) {
    case 'entity.too.large':
      return new AppError(413, 'payload-too-large', 'The request body is too large.');
    case 'entity.parse.failed':
      return new AppError(400, 'malformed-body', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported-encoding', 'The request body encoding is not supported.');
    default:
      return undefined;
  }
}

/** Multer's upload errors, in the portal's words. */
function fromUploadError(error: unknown): AppError | undefined {
  if (!(error instanceof multer.MulterError)) return undefined;
  if (error.code === 'LIMIT_FILE_SIZE') return new AppError(413, 'upload-too-large', 'The uploaded part is larger than allowed.');
  return new AppError(400, 'bad-upload', `The upload was refused: ${error.message}.`);
}

function wantsJson(req: Request): boolean {
  return req.originalUrl.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';
}

/** Answers any request no route matched with a 404 in the portal's error shape. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(notFound('page'));
};

/**
 * The one Express error handler, registered last: known errors go out with their status and code,
 * anything else is logged with its stack and answered with a masked 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = error instanceof AppError ? error : (fromBodyParser(error) ?? fromUploadError(error) ?? databaseOutage(error));
    const { status, body } = toErrorBody(known ?? error);
    if (status === 503) {
      (req.log ?? logger).warn({ err: error }, 'request met an unavailable dependency');
    } else if (status >= 500) {
      (req.log ?? logger).error({ err: error }, 'request failed');
    }
    res.status(status);
    if (wantsJson(req)) {
      res.json(body);
      return;
    }
    res.render('errors/error', { title: `Error ${status}`, status, ...body.error });
  };
}
