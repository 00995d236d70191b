import { randomBytes } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * The server-side secret: APP_SECRET when configured; otherwise (embedded database, outside
 * production) one generated on first start and kept beside the data it protects, so that sealed
 * TOTP secrets stay readable across restarts of a development portal.
 */
export async function resolveAppSecret(config: Config): Promise<string> {
  if (config.appSecret) return config.appSecret;
  const file = path.join(config.embedded.dataDir, 'app-secret');
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= 32) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const generated = randomBytes(48).toString('base64url');
  await mkdir(config.embedded.dataDir, { recursive: true, mode: 0o700 });
  // 'wx' fails if another process created it first; then both use the one on disk.
  await writeFile(file, generated + '\n', { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}
