/**
 * Verifies the audit log's hash chain and names the first broken record (exit code 1), or
 * reports it intact (exit code 0). Uses the portal's configuration (.env / environment); with the
 * embedded database, run it while the portal is stopped, or point MONGODB_URI at the database.
 * Usage: npm run audit:verify
 */
import { ConfigError, loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/connection.js';
import { createLogger } from '../server/logger.js';
import { verifyAuditChain } from '../server/modules/audit/audit.service.js';

try {
  const config = loadConfig();
  const database = await openDatabase(config, createLogger('error'));
  try {
    const verdict = await verifyAuditChain();
    if (verdict.intact) {
      console.log(`audit chain intact: ${verdict.records} records verified`);
    } else {
      const { seq, id, reason } = verdict.firstBroken;
      console.log(`audit chain BROKEN at record ${seq} (id ${id}): ${reason}`);
      process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Configuration error: ${error.message}`);
  process.exitCode = 78;
}
