import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'bench/',
			'test-results/',
			'playwright-report/',
			'tests/.tmp/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: { allowDefaultProject: ['playwright.config.ts', 'models/*.spec.ts'] },
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			],
			// The app is always served from the site root (no `paths.base`), so resolve() would
			// only add ceremony around plain, query-string links.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// The generated tsconfig leaves the service worker out; lint it with its own project.
		files: ['src/service-worker.ts'],
		languageOptions: {
			parserOptions: { projectService: false, project: './tsconfig.sw.json' }
		}
	},
	{
		// Pure domain code runs unchanged in Node, workers and the page: no framework,
		// storage or messaging imports (CONVENTIONS.md #2).
		files: ['src/lib/domain/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['svelte', 'svelte/*'], message: 'domain/ is framework-free.' },
						{ group: ['dexie', 'dexie/*'], message: 'domain/ does not touch storage.' },
						{ group: ['comlink'], message: 'domain/ does not know about workers.' },
						{ group: ['$app/*'], message: 'domain/ does not depend on SvelteKit.' },
						{
							group: [
								'$lib/db/*',
								'$lib/services/*',
								'$lib/workers/*',
								'$lib/state/*',
								'$lib/components/*',
								'$lib/platform/*'
							],
							message: 'domain/ sits below every other layer.'
						}
					]
				}
			]
		}
	},
	{
		files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
		...ts.configs.disableTypeChecked
	}
);
