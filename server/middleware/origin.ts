/** Answers whether a browser Origin header names the portal itself. */
export type OriginPolicy = (origin: string) => boolean;

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The portal's own origin: exactly `publicOrigin` when configured (always in production);
 * otherwise, for development and tests, any http loopback origin on the port actually bound.
 */
export function originPolicy(publicOrigin: string | undefined, port: () => number): OriginPolicy {
  if (publicOrigin) return (origin) => origin === publicOrigin;
  return (origin) => {
    try {
      const url = new URL(origin);
      return url.protocol === 'http:' && loopbackHosts.has(url.hostname) && Number(url.port) === port();
    } catch {
      return false;
    }
  };
}
