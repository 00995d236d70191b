import { pino, type Logger } from 'pino';

/** Field paths whose values must never reach a log line. */
const redactedPaths = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'passphrase',
  '*.passphrase',
  'privateKey',
  '*.privateKey',
  'totp',
  '*.totp',
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/** Creates the process logger: one JSON line per event on stdout, secrets redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'bharatpol-hub' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };
