import { liveQuery, type Observable } from 'dexie';
import type { AutoLabelJob, ImportJob, Project } from '$lib/domain/schemas';
import { db } from '$lib/db/database';
import { listAutoLabelJobs, listJobs } from '$lib/db/jobs';
import { countProjectItems } from '$lib/db/projects';
import { projectSummaries, type ProjectSummary } from './projectService';
import { registryOverview, type ModelWithVersions } from '$lib/db/models';
import { productionChoices, type ProductionChoices } from './productionService';

/**
 * Observables that re-run when the tables they read change (in this tab, other tabs and
 * workers). They follow the Svelte store contract, so components read them as `$store`.
 */
export const watchProjects = (): Observable<ProjectSummary[]> => liveQuery(projectSummaries);

export const watchProject = (id: number): Observable<Project | undefined> =>
	liveQuery(() => db().projects.get(id));

export const watchItemCount = (projectId: number): Observable<number> =>
	liveQuery(() => countProjectItems(projectId));

export const watchJobs = (projectId: number): Observable<ImportJob[]> =>
	liveQuery(() => listJobs(projectId));

export const watchRegistry = (): Observable<ModelWithVersions[]> => liveQuery(registryOverview);

export const watchProductionChoices = (projectId: number): Observable<ProductionChoices> =>
	liveQuery(() => productionChoices(projectId));

/** A project's auto-label jobs, newest first; a job running in a worker updates it per batch. */
export const watchAutoLabelJobs = (projectId: number): Observable<AutoLabelJob[]> =>
	liveQuery(() => listAutoLabelJobs(projectId));
