import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startPortal } from './portal.js';

/**
 * Process entry point: reads the configuration (stopping with one clear line when it is wrong),
 * starts the portal, and stops it gracefully on SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  const portal = await startPortal(config, logger).catch((error: unknown) => {
    logger.fatal({ err: error }, 'could not start the portal');
    process.exit(1);
  });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    logger.info({ signal }, 'signal received');
    portal.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

void main();
