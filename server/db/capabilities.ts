import type { Connection } from 'mongoose';

/**
 * What the database server behind the connection is. The portal runs on FerretDB v1 (embedded)
 * and on MongoDB and uses only features both have (expired records are swept on both, rather
 * than by TTL indexes); this is the one place that tells them apart, for readiness and logs.
 */
export interface DatabaseCapabilities {
  readonly kind: 'ferretdb' | 'mongodb';
  readonly version: string;
}

/** Asks the server for `buildInfo`; FerretDB answers with a `ferretdbVersion` field. */
export async function detectCapabilities(connection: Connection): Promise<DatabaseCapabilities> {
  const db = connection.db;
  if (!db) throw new Error('detectCapabilities needs an open connection');
  const info = await db.admin().command({ buildInfo: 1 });
  const isFerret = 'ferretdbVersion' in info;
  return Object.freeze({
    kind: isFerret ? 'ferretdb' : 'mongodb',
    version: String(isFerret ? info['ferretdbVersion'] : info['version']),
  });
}
