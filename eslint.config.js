import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['src/channels/webchat/public/**/*.js', 'src/awareness/public/**/*.js'],
    languageOptions: {
      globals: {
        document: 'readonly', sessionStorage: 'readonly', localStorage: 'readonly', location: 'readonly',
        navigator: 'readonly', fetch: 'readonly', crypto: 'readonly', setTimeout: 'readonly', setInterval: 'readonly',
        encodeURIComponent: 'readonly',
      },
    },
  },
);
