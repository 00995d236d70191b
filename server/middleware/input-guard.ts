import type { RequestHandler } from 'express';
import { badRequest } from '../errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 20;

/** The first key, at any depth, that could smuggle a query operator or reach an object's prototype. */
function hostileKey(value: unknown, depth = 0): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH) return '(nesting too deep)';
  for (const key of Object.keys(value)) {
    if (key.startsWith('$') || key.includes('[') || FORBIDDEN_KEYS.has(key)) return key;
    const found = hostileKey((value as Record<string, unknown>)[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses query strings and JSON bodies that carry `$`-prefixed keys (`{"$ne": null}`), bracket
 * keys (`password[$ne]=`) or prototype keys (`__proto__`), with a 400 before any route sees them.
 * The zod schemas would strip them anyway; refusing says plainly that the request was hostile.
 */
export const rejectHostileKeys: RequestHandler = (req, _res, next) => {
  const key = hostileKey(req.query) ?? hostileKey(req.body);
  if (key === undefined) return next();
  next(badRequest('The request contains a field name that is not allowed.', [{ field: key.slice(0, 40), message: 'is not allowed' }]));
};
