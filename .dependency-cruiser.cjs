// Import rules checked by `npm run depcruise` (dependency-cruiser): no cycle anywhere, and the
// layers of the README (channel -> bot -> dialogs -> services -> database; cards are pure data).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles hide initialisation-order bugs and tangle the layers: break them.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'services-below-channels',
      severity: 'error',
      comment: 'services/ is called by the channels and dialogs, never the other way round.',
      from: { path: '^services/' },
      to: { path: '^(bot|dialogs|web|teams)/' },
    },
    {
      name: 'dialogs-below-channels',
      severity: 'error',
      comment: 'dialogs/ are driven by the bot; they do not reach into the channels.',
      from: { path: '^dialogs/' },
      to: { path: '^(bot|web|teams)/' },
    },
    {
      name: 'cards-are-pure',
      severity: 'error',
      comment: 'cards/ turn data into JSON: no channel, dialog, nor database code.',
      from: { path: '^cards/' },
      to: { path: '^(bot|dialogs|web|teams)/|^services/db/|^prisma/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-orphans-in-source',
      severity: 'error',
      comment: 'A source file nothing imports is dead code (entry points and scripts excepted).',
      from: { orphan: true, path: '^(services|dialogs|cards)/' },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|prisma/generated)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
