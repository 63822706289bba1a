import type { LabelTask, Project, TaskKind } from '$lib/domain/schemas';
import { annotationUsesClass } from '$lib/domain/labels/annotationClasses';
import { createTask } from '$lib/domain/labels/taskEditing';
import { db } from '$lib/db/database';
import {
	addProject,
	countProjectItems,
	deleteProject as deleteProjectCascade,
	getProject,
	listProjects,
	updateProject
} from '$lib/db/projects';

export type ProjectSummary = Project & { id: number; itemCount: number };

export async function projectSummaries(): Promise<ProjectSummary[]> {
	const projects = await listProjects();
	return Promise.all(
		projects.map(async (p) => ({
			...p,
			id: p.id as number,
			itemCount: await countProjectItems(p.id as number)
		}))
	);
}

export async function createProject(name: string): Promise<number> {
	return addProject(name);
}

export async function renameProject(id: number, name: string): Promise<void> {
	await updateProject(id, (p) => ({ ...p, name }));
}

export const deleteProject = deleteProjectCascade;
export { getProject };

export async function addTask(
	projectId: number,
	spec: { name: string; kind: TaskKind; multiLabel: boolean },
	classNames: string[] = []
): Promise<LabelTask> {
	const task = createTask(spec, classNames);
	await updateProject(projectId, (p) => ({ ...p, tasks: [...p.tasks, task] }));
	return task;
}

/** Applies a pure edit from domain/labels/taskEditing to one task of the project. */
export async function editTask(
	projectId: number,
	taskId: string,
	edit: (task: LabelTask) => LabelTask
): Promise<Project> {
	return updateProject(projectId, (p) => ({
		...p,
		tasks: p.tasks.map((t) => (t.id === taskId ? edit(t) : t))
	}));
}

/** Removes a task and every label given for it. */
export async function removeTask(projectId: number, taskId: string): Promise<void> {
	await db().transaction('rw', [db().projects, db().annotations, db().predictions], async () => {
		await db().annotations.where('[projectId+taskId]').equals([projectId, taskId]).delete();
		await db().predictions.where('[projectId+taskId]').equals([projectId, taskId]).delete();
		await updateProject(projectId, (p) => ({
			...p,
			tasks: p.tasks.filter((t) => t.id !== taskId)
		}));
	});
}

/** How many labels use a class; a class in use is not removed silently. */
export async function classUsage(
	projectId: number,
	taskId: string,
	classId: string
): Promise<number> {
	return db()
		.annotations.where('[projectId+taskId]')
		.equals([projectId, taskId])
		.filter((a) => annotationUsesClass(a.value, classId))
		.count();
}

/** How many labels a task holds (shown before the task is deleted). */
export async function taskLabelCount(projectId: number, taskId: string): Promise<number> {
	return db().annotations.where('[projectId+taskId]').equals([projectId, taskId]).count();
}
