// @ts-check
// `npm run lint`: typescript-eslint's strict and stylistic type-checked rules, and the layers of
// the README as import restrictions (cycles and the other layer rules: .dependency-cruiser.cjs).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The database client: only services/ (and the CLI scripts, benchmarks, tests) open it. */
const DATABASE_CLIENT = {
  group: ['@prisma/client', '@prisma/client/*', '@prisma/adapter-pg', 'pg', '**/prisma/generated/**'],
  message: 'Only services/ talks to the database: call a service.',
};
/** The services' database module: its types may be named above services/, its values not. */
const DATABASE_MODULE = {
  group: ['**/services/db', '**/services/db/**'],
  allowTypeImports: true,
  message: 'Only services/ uses the database: call a service (types may be imported).',
};
const BOTBUILDER = { group: ['botbuilder', 'botbuilder-*', 'botframework-*'], message: 'services/ knows no channel: botbuilder stays in bot/ and dialogs/.' };
const INPUT_OUTPUT = {
  group: ['fs', 'fs/*', 'node:fs', 'node:fs/*', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'http2', 'node:http2'],
  message: 'cards/ turn data into JSON: no I/O.',
};
const restrict = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'prisma/generated/', 'web/static/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['prisma.config.ts'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // An empty string falls back on purpose (`typed || default`), as for null.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      // Noisy here: route handlers end early with `return send(res, …)`; the fix only adds braces.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Contradicts no-non-null-assertion (it asks for `x!` where we write `x as T`); we keep the other one.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      // botbuilder bundles several copies of its classes; TypeScript's structural check is the one that matters.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // Type aliases stay where values go to JSON columns (an interface has no implicit index signature).
      '@typescript-eslint/consistent-type-definitions': 'off',
      // Hooks and handlers implement Promise-returning interfaces (botbuilder, restify) without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-restricted-imports': restrict(DATABASE_CLIENT),
    },
  },
  {
    files: ['dialogs/**/*.ts', 'test/dialogs/**/*.ts'],
    // Waterfall steps are methods passed to BaseDialog.addSteps, which binds each to the dialog.
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  { files: ['dialogs/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': restrict(DATABASE_CLIENT, DATABASE_MODULE) } },
  { files: ['cards/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': restrict(DATABASE_CLIENT, DATABASE_MODULE, INPUT_OUTPUT) } },
  { files: ['services/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': restrict(BOTBUILDER) } },
  // Scripts that open the database themselves.
  { files: ['bot/cli/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'prisma.config.ts'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },
  {
    files: ['bot/**/*.ts', 'dialogs/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    // botbuilder's Activity types declare fields the wire may omit (text, conversation, recipient), and
    // test teardowns close what a failed beforeAll may not have opened: the defensive checks stay.
    rules: { '@typescript-eslint/no-unnecessary-condition': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests and benchmarks assert what they read; a wrong `!` fails them at once.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // vitest's asymmetric matchers (expect.stringContaining…) and storage items are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // Plain JavaScript: the browser scripts of the pages (served as is) and the Node scripts.
  { files: ['web/**/*.js'], extends: [js.configs.recommended], languageOptions: { sourceType: 'script', globals: globals.browser } },
  { files: ['scripts/**/*.mjs', 'eslint.config.js'], extends: [js.configs.recommended], languageOptions: { globals: globals.node } },
  { files: ['.dependency-cruiser.cjs'], extends: [js.configs.recommended], languageOptions: { sourceType: 'commonjs', globals: globals.node } },
);
