import type { Database } from './connection.js';

/**
 * Brings every model's indexes in line with its schema, creating what is missing and dropping
 * what is no longer declared. On FerretDB v1 (the embedded database) only the unique indexes are
 * kept: its SQLite backend runs every query but a lookup by `_id` as a scan (it pushes down no
 * other filter and no sort), so an index declared to speed up queries is never used there, and
 * each costs every write a JSON parse of the document per indexed field (measured on Connect's
 * messages, ~1.3 KiB each: three indexes beyond the `_id` ones cost ~40% more database CPU per
 * message than the two unique ones alone). Unique indexes stay everywhere: they are constraints.
 * On MongoDB every declared index is kept.
 */
export async function syncIndexes(database: Database): Promise<void> {
  if (database.capabilities.kind === 'ferretdb') {
    for (const model of Object.values(database.connection.models)) {
      for (const [fields, options] of model.schema.indexes()) {
        if (!options['unique']) model.schema.removeIndex(fields);
      }
    }
  }
  await database.connection.syncIndexes();
}
