import type { Database } from './connection.js';

/**
 * Brings every model's indexes in line with its schema, creating what is missing and dropping
 * what is no longer declared. On FerretDB v1 (the embedded database) only the unique indexes are
 * kept: its SQLite backend runs every query but a lookup by `_id` as a scan (it pushes down no
 * other filter and no sort), so an index declared to speed up queries is never used there, and
 * makes every write parse the document once more per indexed field (measured: dropping the one
 * query index of Connect's messages cut the database's CPU per message by 18-21% at 2,000-4,000
 * messages/s). Unique indexes stay everywhere: they are constraints. On MongoDB every declared
 * index is kept. The schemas are changed in place: a process serves one database.
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
