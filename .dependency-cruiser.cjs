/**
 * The layer rule (README, "Development"): each layer imports only itself and the layers below it.
 *   core      src/core        the article model, errors, view data, text algorithms
 *   adapters  src/adapters    SQLite, feed fetching and parsing, source files, worker threads
 *   app       src/app         the use cases: library, feeds, delivery, discussions, view builders
 *   ui        src/ui, commands  the front ends: Discord, the CLI, the playground; the slash commands
 *   root      src/main.ts, src/roles/  the composition root, which alone may pick a front end
 * Paths are matched anywhere in the path ("(^|/)src/core/"), so the lint test can cruise a fixture
 * tree laid out the same way (test/fixtures/layers/).
 */
const at = (p) => `(^|/)${p}`;
const CORE = at('src/core/');
const ADAPTERS = at('src/adapters/');
const APP = at('src/app/');
const UI = at('src/ui/');
const COMMANDS = at('commands/');
const ROOT = at('src/(main\\.ts$|roles/)');
const CONFIG = at('src/config(-shards)?\\.ts$');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-points-up',
      comment: 'src/core is the bottom layer: it imports nothing of Paperboy outside itself.',
      severity: 'error',
      from: { path: CORE },
      to: { path: [ADAPTERS, APP, UI, COMMANDS, ROOT, CONFIG] },
    },
    {
      name: 'adapters-point-up',
      comment: 'Adapters (storage, feeds, sources, workers) serve the application; they never import it or a front end.',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: [APP, UI, COMMANDS, ROOT] },
    },
    {
      name: 'app-points-up',
      comment: 'The application layer knows no front end: Discord, the CLI and the playground call it, not the other way round.',
      severity: 'error',
      from: { path: APP },
      to: { path: [UI, COMMANDS, ROOT] },
    },
    {
      name: 'front-ends-apart',
      comment:
        'The Discord front end and the CLI do not import each other or the playground; the playground runs the Discord front end against the local Discord.',
      severity: 'error',
      from: { path: at('src/ui/(discord|cli)/') },
      to: { path: [at('src/ui/playground/'), ROOT] },
    },
    {
      name: 'cli-not-discord',
      comment: 'The CLI works without Discord.',
      severity: 'error',
      from: { path: at('src/ui/cli/') },
      to: { path: [at('src/ui/discord/'), COMMANDS] },
    },
    {
      name: 'discord-front-end-not-cli',
      severity: 'error',
      from: { path: [at('src/ui/discord/'), COMMANDS] },
      to: { path: at('src/ui/cli/') },
    },
    {
      name: 'limits-in-renderer-only',
      comment: "Discord's size limits belong to the Discord front end: views are built without them, and the renderer fits them (src/ui/discord/render.ts).",
      severity: 'error',
      from: { pathNot: at('src/ui/discord/') },
      to: { path: at('src/ui/discord/limits\\.ts$') },
    },
    {
      name: 'composition-root-only',
      comment: 'Only src/main.ts and the tests choose the slash command set: the Discord front end receives it.',
      severity: 'error',
      from: { path: [CORE, ADAPTERS, APP, UI] },
      to: { path: at('commands/index\\.ts$') },
    },
    {
      name: 'discord-js-in-front-ends',
      comment: 'Only the Discord front end and the slash commands load discord.js; the layers below stay testable without it.',
      severity: 'error',
      from: { path: [CORE, ADAPTERS, APP] },
      to: { path: '(^|/)node_modules/(discord\\.js|@discordjs/)' },
    },
    {
      name: 'local-discord-in-playground-only',
      comment: 'The local Discord is a test and playground tool: the product does not ship it to Discord.',
      severity: 'error',
      from: { path: [CORE, ADAPTERS, APP, at('src/ui/(discord|cli)/'), COMMANDS] },
      to: { path: ['(^|/)packages/fake-discord/', '(^|/)node_modules/@paperboy/fake-discord'] },
    },
    {
      name: 'no-circular',
      comment: 'Modules do not import each other in a circle.',
      severity: 'error',
      from: { path: ['(^|/)src/', COMMANDS] },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
