import type { Project } from '$lib/domain/schemas';
import { watchProject } from '$lib/services/live';

export type ProjectStatus = 'loading' | 'ready' | 'missing' | 'failed';

/**
 * A project page's project, kept live. Subscribed by hand rather than read as `$store`, so
 * "still loading" and "no such project" (both `undefined` to a store) can be told apart.
 * Create it while a component initialises; `id` is read reactively (the URL may change).
 *
 * Example: `const watched = new WatchedProject(() => projectId); watched.status === 'ready'`.
 */
export class WatchedProject {
	project = $state.raw<Project | undefined>();
	status = $state<ProjectStatus>('loading');
	error = $state('');

	constructor(id: () => number) {
		$effect(() => {
			const projectId = id();
			this.status = 'loading';
			if (!Number.isInteger(projectId) || projectId <= 0) {
				this.status = 'missing';
				return;
			}
			const subscription = watchProject(projectId).subscribe({
				next: (p) => {
					this.project = p;
					this.status = p ? 'ready' : 'missing';
				},
				error: (e: unknown) => {
					const message = e instanceof Error ? e.message : String(e);
					this.error = message.charAt(0).toUpperCase() + message.slice(1);
					this.status = 'failed';
				}
			});
			return () => subscription.unsubscribe();
		});
	}
}
