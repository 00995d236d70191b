import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { engine } from 'express-handlebars';
import { pinoHttp } from 'pino-http';
import type { Database } from './db/connection.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { rejectHostileKeys } from './middleware/input-guard.js';
import type { OriginPolicy } from './middleware/origin.js';
import { pageLocals } from './middleware/page-locals.js';
import { securityHeaders } from './middleware/security-headers.js';
import { accountsRoutes } from './modules/accounts/accounts.routes.js';
import { agencyPageRoutes } from './modules/accounts/agency-page.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { broadcastApiRoutes, broadcastPageRoutes, LARGE_BODY_PATHS } from './modules/broadcast/broadcast.routes.js';
import { noticePageRoutes } from './modules/notices/notice.pages.js';
import { noticeApiRoutes } from './modules/notices/notice.routes.js';
import { referencePageRoutes } from './modules/references/reference.pages.js';
import { referenceApiRoutes } from './modules/references/reference.routes.js';
import { directoryRoutes } from './modules/directory/directory.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { connectRoutes } from './modules/connect/connect.routes.js';
import { filesRoutes } from './sealed/files/files.routes.js';
import { groupsRoutes } from './sealed/groups/groups.routes.js';
import { homeRoutes } from './modules/home/home.routes.js';
import { itemsRoutes } from './sealed/items/items.routes.js';
import { keysRoutes } from './sealed/keys/keys.routes.js';
import { organisationRoutes } from './modules/organisation/organisation.routes.js';
import { profileRoutes } from './modules/profile/profile.routes.js';
import { libraryRoutes } from './modules/library/library.routes.js';
import { resourcesReportRoutes } from './modules/training/reports.routes.js';
import { trainingRoutes } from './modules/training/training.routes.js';
import { projectRoot } from './paths.js';
import type { Services } from './services.js';
import { csrfProtection, type loadSession } from './sessions/session.middleware.js';

/** What the Express app needs from the process that hosts it. */
export interface AppDependencies {
  readonly services: Services;
  readonly database: Database;
  readonly isAllowedOrigin: OriginPolicy;
  /** The session middleware, shared with the Socket.IO handshake. */
  readonly sessionMiddleware: ReturnType<typeof loadSession>;
  /** True once graceful shutdown has begun; readiness then answers 503. */
  readonly isShuttingDown: () => boolean;
}

const viewsDir = path.join(projectRoot, 'views');

/** Builds the portal's Express app (middleware, views, routes, error handling) without listening. */
export function createApp(deps: AppDependencies): Express {
  const { services } = deps;
  const { config, logger } = services;
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
  // JSON only: no form-encoded parser, so a cross-site HTML form cannot produce a body the API accepts.
  // Requests that open a broadcast for hundreds of groups at once are parsed, with a larger
  // limit, only once the officer is known (see broadcast.routes.ts).
  const json = express.json({ limit: config.bodyLimit, strict: true });
  app.use((req, res, next) => (LARGE_BODY_PATHS.test(req.path) ? next() : json(req, res, next)));
  app.use(rejectHostileKeys);
  app.use(
    express.static(path.join(projectRoot, 'public'), {
      index: false,
      dotfiles: 'ignore',
      maxAge: config.cacheStatic ? '1h' : 0,
    }),
  );

  app.use(healthRoutes(deps));
  app.use((req, res, next) => {
    void deps.sessionMiddleware(req, res, next);
  });
  app.use(csrfProtection(deps.isAllowedOrigin));
  app.use(pageLocals);
  app.use((_req, res, next) => {
    // Pages and answers about officers are personal: never cached by browsers or proxies.
    res.set('Cache-Control', 'no-store');
    next();
  });

  app.use(homeRoutes(services));
  app.use(authRoutes(services));
  app.use(profileRoutes(services));
  app.use(directoryRoutes(services));
  app.use(organisationRoutes(services));
  app.use(agencyPageRoutes(services));
  app.use(accountsRoutes(services));
  app.use(auditRoutes(services));
  app.use(keysRoutes(services));
  app.use(groupsRoutes(services));
  app.use(itemsRoutes(services));
  app.use(filesRoutes(services));
  app.use(connectRoutes(services));
  app.use(resourcesReportRoutes(services));
  app.use(libraryRoutes(services));
  app.use(trainingRoutes(services));
  app.use(broadcastApiRoutes(services));
  app.use(referenceApiRoutes(services));
  app.use(noticeApiRoutes(services));
  app.use(broadcastPageRoutes(services));
  app.use(referencePageRoutes(services));
  app.use(noticePageRoutes(services));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
