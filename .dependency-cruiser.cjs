/**
 * The portal's dependency rules, checked by `npm run lint` (`npm run lint:deps`).
 *
 * Layers, from the bottom: shared (pure helpers) -> db, crypto -> access, sessions, realtime ->
 * modules -> app, portal, services, main. A layer imports only from layers below it; a module
 * uses another only through its public face, never its models; nothing imports in a circle.
 *
 * Violations that existed when a rule was introduced are listed in
 * `.dependency-cruiser-known-violations.json` and shrink as the restructuring goes on; any other
 * violation fails lint. Regenerate the list only by removing entries, never by adding.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other, directly or through others, cannot be understood or changed one at a time.',
      from: { path: '^(server|public/js)/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      // Never in the known-violations list (it does not hold folder-scoped violations): none left.
      severity: 'error',
      comment: 'Modules (the folders under server/modules) depend on each other without a loop: each can be read knowing only those below it.',
      scope: 'folder',
      from: { path: '^server/modules/' },
      to: { path: '^server/modules/', circular: true },
    },
    {
      name: 'no-foreign-model',
      severity: 'error',
      comment: "A module reads and writes another module's data through that module's public face, not its model.",
      from: { path: '^server/modules/([^/]+)/' },
      to: { path: '^server/modules/([^/]+)/[^/]+\\.model\\.ts$', pathNot: '^server/modules/$1/' },
    },
    {
      name: 'shared-is-the-bottom',
      severity: 'error',
      comment: 'server/shared holds pure helpers that the server and the browser both use: it imports nothing of the portal above it.',
      from: { path: '^server/shared/' },
      to: { path: '^server/', pathNot: '^server/(shared/|clock\\.ts$|errors\\.ts$)' },
    },
    {
      name: 'machinery-below-modules',
      severity: 'error',
      comment: 'The database, crypto, access, sessions and realtime layers are below the modules: they never import one.',
      from: { path: '^server/(db|crypto|access|sessions|realtime)/' },
      to: { path: '^server/(modules|demo)/|^server/(app|portal|services|main)\\.ts$' },
    },
    {
      name: 'modules-below-the-app',
      severity: 'error',
      comment: 'Modules are assembled by the app; they do not import it.',
      from: { path: '^server/modules/' },
      to: { path: '^server/(app|portal|services|main)\\.ts$|^server/demo/' },
    },
    {
      name: 'browser-imports-only-isomorphic-code',
      severity: 'error',
      comment: 'Browser code may use the crypto client, the shared helpers and the event types, nothing else of the server.',
      from: { path: '^public/js/' },
      to: { path: '^server/', pathNot: '^server/(crypto|shared)/|^server/realtime/events\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
