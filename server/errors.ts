/**
 * The portal's one error family. Each error a user can cause carries an HTTP status and a stable
 * kebab-case code that clients (pages, sockets, scripts) can rely on; the message is for people.
 */
export class AppError extends Error {
  constructor(
    /** HTTP status the error maps to. */
    readonly status: number,
    /** Stable machine-readable code, such as `notice-not-found`. */
    readonly code: string,
    message: string,
    /** Optional field-level details, such as which input was invalid. */
    readonly details?: readonly FieldProblem[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** One problem with one input field, as reported to the client. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** The request was malformed or failed validation. */
export const badRequest = (message: string, details?: readonly FieldProblem[]): AppError =>
  new AppError(400, 'bad-request', message, details);

/** The caller is not signed in. */
export const unauthenticated = (message = 'Sign in to continue.'): AppError =>
  new AppError(401, 'unauthenticated', message);

/** The caller is signed in but may not do this. */
export const forbidden = (message = 'You are not allowed to do this.'): AppError =>
  new AppError(403, 'forbidden', message);

/** The thing asked for does not exist (or the caller may not know it exists). */
export const notFound = (what: string): AppError =>
  new AppError(404, `${what}-not-found`, `No such ${what.replace(/-/g, ' ')}.`);

/** A dependency the request needs (such as the database) is not available right now. */
export const unavailable = (code: string, message: string): AppError => new AppError(503, code, message);

/** The body of an error response, the same shape for HTTP and sockets. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: readonly FieldProblem[] };
}

/** Turns any thrown value into what may be shown to a client: known errors as they are, others masked. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
    };
  }
  return { status: 500, body: { error: { code: 'internal-error', message: 'Something went wrong on our side.' } } };
}
