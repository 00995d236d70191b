import type { RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../errors.js';

/**
 * Wraps a multer parser so that malformed multipart (busboy's plain errors) is answered as a 400,
 * not a 500; multer's own errors (limits) and the portal's go on to the error handler as they are.
 */
export function guardMultipart(parse: RequestHandler): RequestHandler {
  return (req, res, next) => {
    void parse(req, res, (error?: unknown) => {
      if (error === undefined || error instanceof multer.MulterError || error instanceof AppError) return next(error);
      next(new AppError(400, 'bad-upload', 'The upload is not a well-formed multipart request.'));
    });
  };
}
