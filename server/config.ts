import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths.js';

/** Raised when the environment does not describe a configuration the portal can run with. */
export class ConfigError extends Error {
  constructor(
    /** Name of the environment variable at fault. */
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const port = z.coerce
  .number({ error: 'must be a number from 0 to 65535' })
  .int('must be a whole number from 0 to 65535')
  .min(0, 'must be from 0 to 65535')
  .max(65535, 'must be from 0 to 65535');

/** mongodb:// or mongodb+srv:// followed by at least one host; WHATWG URL cannot parse multi-host seeds. */
const mongoUri = z
  .string()
  .trim()
  .regex(
    /^mongodb(\+srv)?:\/\/[^\s/]+(\/[^\s]*)?$/,
    'must be a MongoDB connection string such as mongodb://host:27017/bharatpol',
  );

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const emptyAsUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

/** The environment variables the portal reads, with their defaults. `.env.example` documents each. */
const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().trim().min(1, 'must name an interface, such as 127.0.0.1').default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_ORIGIN: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) origin such as https://portal.example.gov.in' })
      .transform((value) => new URL(value).origin)
      .optional(),
  ),
  TRUST_PROXY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(10).default(0)),
  MONGODB_URI: z.preprocess(emptyAsUndefined, mongoUri.optional()),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 letters, digits, "_" or "-"')
    .default('bharatpol'),
  DATA_DIR: z.string().trim().min(1, 'must be a directory path').default('data'),
  FERRETDB_BIN: z.preprocess(emptyAsUndefined, z.string().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 100kb or 1mb')
    .default('100kb'),
  SERVE_STATIC_CACHE: z.preprocess(emptyAsUndefined, booleanFlag.optional()),
  APP_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters of random text (e.g. openssl rand -base64 48)').optional(),
  ),
  DEMO_DATA: z.preprocess(emptyAsUndefined, booleanFlag.optional()),
  SIGN_IN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  MAX_FILE_MB: z.coerce.number().int().min(1).max(2048).default(100),
  LIBRARY_MAX_FILE_MB: z.coerce.number().int().min(1).max(4096).default(1024),
  BROADCAST_REVIEW_PRIORITIES: z
    .string()
    .trim()
    .default('routine,urgent')
    .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['routine', 'urgent', 'immediate'], { error: 'must list routine, urgent or immediate' }))),
  REFERENCE_ESCALATION_GRACE_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z.string().regex(/^rediss?:\/\/\S+$/, 'must be a Redis URL such as redis://127.0.0.1:6379').optional(),
  ),
});

/** The validated, frozen configuration of one process. */
export interface Config {
  readonly env: 'development' | 'test' | 'production';
  readonly host: string;
  readonly port: number;
  /**
   * Origin officers' browsers use to reach the portal; sockets and CSRF checks compare against it.
   * Unset only outside production, where any loopback origin on the bound port is accepted.
   */
  readonly publicOrigin: string | undefined;
  readonly trustProxy: number;
  readonly database: {
    /** Set when an external MongoDB is used; otherwise the embedded FerretDB is started. */
    readonly uri: string | undefined;
    readonly name: string;
  };
  readonly embedded: {
    readonly dataDir: string;
    readonly binary: string | undefined;
  };
  readonly logLevel: string;
  readonly shutdownTimeoutMs: number;
  readonly bodyLimit: string;
  readonly cacheStatic: boolean;
  /**
   * Server-side secret for sealing TOTP secrets at rest and for indistinguishable answers about
   * unknown accounts. Unset only outside production with the embedded database, where one is
   * generated and kept in the data folder.
   */
  readonly appSecret: string | undefined;
  /** Load the demo organisation and accounts into an empty database at boot. */
  readonly demoData: boolean;
  readonly signInRateLimitPerMinute: number;
  readonly session: { readonly idleMinutes: number; readonly maxHours: number };
  /** Largest encrypted attachment, in bytes of plaintext. */
  readonly maxFileBytes: number;
  /** Largest document or video a trainer may publish to the library, in bytes. */
  readonly libraryMaxFileBytes: number;
  /** Priorities of broadcasts that a second NCB officer reviews before they are sent (four eyes). */
  readonly broadcastReviewPriorities: ReadonlySet<'routine' | 'urgent' | 'immediate'>;
  /** How long a reference may stay overdue at one desk before it is escalated one level up. */
  readonly referenceEscalationGraceMs: number;
  /** Set to run several server processes that share rooms and sequence numbers through Redis. */
  readonly redisUrl: string | undefined;
}

/**
 * Parses an environment into the portal's configuration.
 * Throws a {@link ConfigError} naming the first bad variable, so boot can stop with one clear line.
 */
export function parseConfig(environment: NodeJS.ProcessEnv): Config {
  const result = environmentSchema.safeParse(environment);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, issue?.message ?? 'is invalid');
  }
  const values = result.data;
  if (values.NODE_ENV === 'production' && !values.PUBLIC_ORIGIN) {
    throw new ConfigError('PUBLIC_ORIGIN', 'is required in production (the https origin officers use)');
  }
  if (values.NODE_ENV === 'production' && !values.APP_SECRET) {
    throw new ConfigError('APP_SECRET', 'is required in production');
  }
  if (values.MONGODB_URI && !values.APP_SECRET) {
    throw new ConfigError('APP_SECRET', 'is required with MONGODB_URI (only the embedded database keeps a generated one)');
  }
  if (values.NODE_ENV === 'production' && values.DEMO_DATA) {
    throw new ConfigError('DEMO_DATA', 'must not be enabled in production');
  }
  return Object.freeze({
    env: values.NODE_ENV,
    host: values.HOST,
    port: values.PORT,
    publicOrigin: values.PUBLIC_ORIGIN,
    trustProxy: values.TRUST_PROXY,
    database: Object.freeze({ uri: values.MONGODB_URI, name: values.MONGODB_DB }),
    embedded: Object.freeze({
      dataDir: path.resolve(projectRoot, values.DATA_DIR),
      binary: values.FERRETDB_BIN ? path.resolve(projectRoot, values.FERRETDB_BIN) : undefined,
    }),
    logLevel: values.LOG_LEVEL,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    bodyLimit: values.BODY_LIMIT,
    cacheStatic: values.SERVE_STATIC_CACHE ?? values.NODE_ENV === 'production',
    appSecret: values.APP_SECRET,
    demoData: values.DEMO_DATA ?? values.NODE_ENV === 'development',
    signInRateLimitPerMinute: values.SIGN_IN_RATE_LIMIT,
    session: Object.freeze({ idleMinutes: values.SESSION_IDLE_MINUTES, maxHours: values.SESSION_MAX_HOURS }),
    maxFileBytes: values.MAX_FILE_MB * 1024 * 1024,
    libraryMaxFileBytes: values.LIBRARY_MAX_FILE_MB * 1024 * 1024,
    broadcastReviewPriorities: new Set(values.BROADCAST_REVIEW_PRIORITIES),
    referenceEscalationGraceMs: values.REFERENCE_ESCALATION_GRACE_HOURS * 3_600_000,
    redisUrl: values.REDIS_URL,
  });
}

/**
 * Reads `.env` from the project root when present (variables already set win), then parses
 * `process.env`. This is the only place the portal reads the process environment.
 */
export function loadConfig(): Config {
  const envFile = path.join(projectRoot, '.env');
  if (existsSync(envFile)) {
    const preset = { ...process.env };
    process.loadEnvFile(envFile);
    Object.assign(process.env, preset);
  }
  return parseConfig(process.env);
}
