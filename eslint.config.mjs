import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

/**
 * The layers run one way (ARCHITECTURE.md): app → lib/request → lib/read → lib/store; components
 * use lib/charts and lib/format; lib/engine uses lib/store and lib/config. Each zone lists what the
 * files under `target` may not import; a wrong import fails the lint, and with it `npm test`.
 */
const LIB_LAYERS = ['store', 'read', 'charts', 'auth', 'request', 'engine', 'exports', 'report'];
const others = (...allowed) => LIB_LAYERS.filter((layer) => !allowed.includes(layer)).map((layer) => `./lib/${layer}`);
const LAYER_ZONES = [
  { target: './lib', from: ['./app', './components', './bin'], message: 'lib never imports app, components or bin.' },
  {
    target: './lib/store',
    from: [...others('store'), './lib/format.ts'],
    message: 'lib/store is the store contract: it imports no other layer.',
  },
  {
    target: './lib/read',
    from: [...others('store', 'read'), './lib/config.ts', './lib/format.ts'],
    message: 'lib/read is SQL over lib/store: scope and arguments come from the request path.',
  },
  {
    target: './lib/charts',
    from: others('store', 'read', 'charts', 'exports'),
    message: 'lib/charts prepares read data (lib/read types) for components; it is pure.',
  },
  { target: './lib/exports', from: others('exports'), message: 'lib/exports formats rows; it imports no other layer.' },
  {
    target: './lib/auth',
    from: others('auth', 'store'),
    message: 'lib/auth decides who is asking; the request path applies it to reads.',
  },
  { target: './lib/request', from: ['./lib/engine'], message: 'the dashboard side never imports the writer (lib/engine).' },
  {
    target: './lib/engine',
    from: others('engine', 'store'),
    message: 'lib/engine (the writer) uses lib/store and lib/config only.',
  },
  {
    target: ['./app', './components', './lib/report', './lib/format.ts'],
    from: ['./lib/engine'],
    message: 'the dashboard side never imports the writer (lib/engine).',
  },
  {
    target: ['./app', './components'],
    from: [
      './lib/store/open-readonly.ts',
      './lib/store/open-writer.ts',
      './lib/store/sql',
      './lib/read/registry.ts',
      './lib/request/run-read.ts',
      './lib/request/read-pool.ts',
    ],
    message: 'pages and components read only through the request path (lib/request/dashboard-page.ts, dashboard-route.ts).',
  },
];

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    files: ['**/*.{js,jsx,mjs,ts,tsx,mts,cts}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
    },
  },
  {
    files: ['bin/hydramem.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    ignores: [
      'node_modules/',
      '.next/',
      'dist/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      'bench-results/',
      'next-env.d.ts',
    ],
  },
];

export default config;
