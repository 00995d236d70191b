import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { engine } from 'express-handlebars';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.js';
import type { Database } from './db/connection.js';
import type { Logger } from './logger.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { securityHeaders } from './middleware/security-headers.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { homeRoutes } from './modules/home/home.routes.js';
import { projectRoot } from './paths.js';

/** What the Express app needs from the process that hosts it. */
export interface AppDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  /** True once graceful shutdown has begun; readiness then answers 503. */
  readonly isShuttingDown: () => boolean;
}

const viewsDir = path.join(projectRoot, 'views');

/** Builds the portal's Express app (middleware, views, routes, error handling) without listening. */
export function createApp(deps: AppDependencies): Express {
  const { config, logger } = deps;
  const app = express();

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  app.engine(
    'hbs',
    // express-handlebars answers through Express's callback and also returns a promise Express ignores.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(viewsDir, 'layouts'),
      partialsDir: path.join(viewsDir, 'partials'),
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', viewsDir);
  if (config.env === 'production') app.enable('view cache');

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      // Paths only: query strings may carry one-time tokens, and headers carry cookies.
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
          ip: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(securityHeaders({ hsts: config.publicOrigin?.startsWith('https:') ?? false }));
  app.use(express.json({ limit: config.bodyLimit, strict: true }));
  app.use(express.urlencoded({ limit: config.bodyLimit, extended: false, parameterLimit: 100 }));
  app.use(
    express.static(path.join(projectRoot, 'public'), {
      index: false,
      dotfiles: 'ignore',
      maxAge: config.cacheStatic ? '1h' : 0,
    }),
  );

  app.use(healthRoutes(deps));
  app.use(homeRoutes());

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
