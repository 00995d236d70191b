import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { AppError, toErrorBody } from '../errors.js';

/**
 * Per-address limit on the unauthenticated endpoints (sign-in, its parameters, enrolment), on top
 * of the per-account lockout: it slows password spraying across many accounts from one place.
 */
export function signInRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      const { status, body } = toErrorBody(
        new AppError(429, 'too-many-requests', 'Too many attempts from this address. Wait a minute and try again.'),
      );
      res.status(status).json(body);
    },
  });
}
