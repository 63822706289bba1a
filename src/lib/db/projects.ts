import Dexie from 'dexie';
import { Project, type LabelTask } from '$lib/domain/schemas';
import { db } from './database';
import { deleteItemsByIds } from './items';

export async function listProjects(): Promise<Project[]> {
	return db().projects.orderBy('id').reverse().toArray();
}

export async function getProject(id: number): Promise<Project | undefined> {
	return db().projects.get(id);
}

export async function addProject(name: string, tasks: LabelTask[] = []): Promise<number> {
	const now = Date.now();
	const project = Project.parse({ name, tasks, createdAt: now, updatedAt: now });
	return db().projects.add(project);
}

/** Applies `change` to the stored project inside one transaction, so edits never interleave. */
export async function updateProject(
	id: number,
	change: (project: Project) => Project
): Promise<Project> {
	return db().transaction('rw', db().projects, async () => {
		const current = await db().projects.get(id);
		if (!current) throw new Error(`project ${id} no longer exists`);
		const next = Project.parse({ ...change(current), id, updatedAt: Date.now() });
		await db().projects.put(next);
		return next;
	});
}

export async function countProjectItems(projectId: number): Promise<number> {
	return db()
		.items.where('[projectId+id]')
		.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
		.count();
}

/** Deletes the project and everything that hangs off it: items, labels, jobs, unshared blobs. */
export async function deleteProject(projectId: number): Promise<void> {
	const ids = await db()
		.items.where('[projectId+id]')
		.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
		.primaryKeys();
	await deleteItemsByIds(ids);
	const tables = [
		db().projects,
		db().annotations,
		db().predictions,
		db().jobs,
		db().jobItems,
		db().reviewEvents
	];
	await db().transaction('rw', tables, async () => {
		await db()
			.reviewEvents.where('[projectId+seq]')
			.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
			.delete();
		const jobIds = await db().jobs.where('projectId').equals(projectId).primaryKeys();
		await db().jobItems.bulkDelete(jobIds);
		await db().annotations.where('projectId').equals(projectId).delete();
		await db()
			.predictions.where('[projectId+taskId]')
			.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
			.delete();
		await db().jobs.where('projectId').equals(projectId).delete();
		await db().projects.delete(projectId);
	});
}
