/**
 * The portal's dependency rules, checked by `npm run lint` (`npm run lint:deps`).
 *
 * Layers, from the bottom: shared (pure helpers, the police vocabulary) -> db, crypto -> access,
 * sessions, realtime -> sealed (keys, groups, items, files) -> workflow (a request moving between
 * desks) -> modules -> app, portal, services, main. A layer imports only from layers below it; a
 * module uses another only through its public face, never its models; nothing imports in a circle.
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
      severity: 'error',
      comment: 'Modules (the folders under server/modules, and those of the sealed layer) depend on each other without a loop: each can be read knowing only those below it.',
      scope: 'folder',
      from: { path: '^server/(modules|sealed)/' },
      to: { path: '^server/(modules|sealed)/', circular: true },
    },
    {
      name: 'no-foreign-model',
      severity: 'error',
      comment: "A module reads and writes another module's data through that module's public face, not its model.",
      from: { path: '^server/(modules|sealed)/([^/]+)/' },
      to: { path: '^server/(modules|sealed)/([^/]+)/[^/]+\\.model\\.ts$', pathNot: '^server/$1/$2/' },
    },
    {
      name: 'no-model-below-its-module',
      severity: 'error',
      comment: 'Shared machinery (the workflow, the app) reaches data only through module faces.',
      from: { path: '^server/(workflow|shared|access|sessions|realtime|db|crypto)/' },
      to: { path: '^server/(modules|sealed)/[^/]+/[^/]+\\.model\\.ts$' },
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
      comment: 'The database, crypto, access, sessions and realtime layers are below the sealed layer, the workflow and the modules: they never import one.',
      from: { path: '^server/(db|crypto|access|sessions|realtime)/' },
      to: { path: '^server/(sealed|workflow|modules|demo)/|^server/(app|portal|services|policies|main)\\.ts$' },
    },
    {
      name: 'sealed-below-modules',
      severity: 'error',
      comment: 'Sealed content (keys, groups, items, files) is a layer below the modules: modules register into it (group kinds) and the portal hands it the directory; it imports none of them.',
      from: { path: '^server/sealed/' },
      to: { path: '^server/(workflow|modules|demo)/|^server/(app|portal|services|policies|main)\\.ts$' },
    },
    {
      name: 'workflow-below-modules',
      severity: 'error',
      comment: 'The request workflow is machinery every request module (Broadcast, References, Notices) builds on: it imports none of them.',
      from: { path: '^server/workflow/' },
      to: { path: '^server/(modules|demo)/|^server/(app|portal|services|policies|main)\\.ts$' },
    },
    {
      name: 'modules-below-the-app',
      severity: 'error',
      comment: 'Modules are assembled by the app; they do not import it.',
      from: { path: '^server/modules/' },
      to: { path: '^server/(app|portal|services|policies|main)\\.ts$|^server/demo/' },
    },
    {
      name: 'browser-imports-only-isomorphic-code',
      severity: 'error',
      comment: "Browser code may use the crypto client, the shared helpers and vocabulary, and the event contract (the core and the modules' *.events.ts), nothing else of the server.",
      from: { path: '^public/js/' },
      to: { path: '^server/', pathNot: '^server/(crypto|shared)/|^server/realtime/events\\.ts$|^server/(modules/[^/]+|workflow)/[^/]+\\.events\\.ts$' },
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
