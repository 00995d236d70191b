import type { RequestHandler } from 'express';
import { can } from '../access/policy.js';
import { ROLE_LABELS } from '../access/roles.js';

/**
 * What every page's layout needs: the signed-in officer, the CSRF token for the page's script,
 * and the navigation the officer's role may use.
 */
export const pageLocals: RequestHandler = (req, res, next) => {
  const session = req.portalSession;
  const actor = session?.actor;
  res.locals['csrfToken'] = session?.csrfToken;
  res.locals['signedIn'] = Boolean(actor);
  if (actor) {
    res.locals['actor'] = { id: actor.userId, displayName: actor.displayName, username: actor.username, roleLabel: ROLE_LABELS[actor.role] };
    const nav = [
      { href: '/', label: 'Home' },
      ...(actor.role !== 'auditor' && actor.role !== 'trainer'
        ? [
            { href: '/connect', label: 'Connect' },
            { href: '/broadcasts', label: 'Broadcast' },
            { href: '/references', label: 'References' },
            { href: '/notices', label: 'Notices' },
          ]
        : []),
      { href: '/resources', label: 'Resources' },
      { href: '/training', label: 'Training' },
      ...(can(actor, 'directory:search') ? [{ href: '/directory', label: 'Directory' }] : []),
      ...(actor.role === 'ncb-admin' || actor.role === 'ilo' ? [{ href: '/admin/agencies', label: 'Administration' }] : []),
      ...(can(actor, 'audit:read') ? [{ href: '/audit', label: 'Audit log' }] : []),
      { href: '/profile', label: 'Profile' },
    ];
    const path = req.path;
    res.locals['nav'] = nav.map((item) => ({
      ...item,
      current: item.href === '/' ? path === '/' : path === item.href || path.startsWith(`${item.href}/`),
    }));
  }
  next();
};
