import { detectFormat, type ReaderId } from '$lib/domain/formats/readers/dataset';
import type { ImportOptions, LabelTask } from '$lib/domain/schemas';
import type { PickedFile } from '$lib/platform/fileSources';
import { previewDataset, type DatasetPreview } from '$lib/services/importService';
import { addTask } from '$lib/services/projectService';
import { defaultTaskName, matchingTasks, TABLE_FORMATS } from '$lib/domain/import/datasetText';

export const NEW_TASK = '__new__';

const isZip = (f: PickedFile) => /\.zip$/i.test(f.path) || f.file.type === 'application/zip';

/**
 * What the import page knows about the staged files as a labelled dataset of another tool:
 * the detected (or chosen) format, the worker's preview, and which tasks take the labels.
 *
 * Example (in a component): `$effect(() => staging.watch(staged, staging.chosen, () => tasks))`
 */
export class DatasetStaging {
	/** The format the user picked; null: detected. */
	chosen = $state<ReaderId | null>(null);
	/** What the file layout alone suggests (no file opened). */
	detected = $state<ReaderId | null>(null);
	preview = $state.raw<DatasetPreview | null>(null);
	loading = $state(false);
	/** Loose CSV/JSONL files: tables first, labelled dataset only if asked. */
	tableLike = $state(false);
	withLabels = $state(true);
	taskChoice = $state(NEW_TASK);
	newTaskName = $state('');
	entityChoice = $state(NEW_TASK);
	newEntityName = $state(defaultTaskName('named-entities'));

	/** The panel shows: reading, a dataset, or a failure the user should know about. */
	get visible(): boolean {
		const p = this.preview;
		if (this.loading) return this.chosen !== null || (this.detected !== null && !this.tableLike);
		if (!p) return false;
		if (p.ok) return true;
		return this.chosen !== null || (p.format !== null && !this.tableLike);
	}

	/** The import will read the files as a dataset. */
	get active(): boolean {
		return this.withLabels && this.preview?.ok === true;
	}

	/** The format the select shows. */
	get format(): ReaderId | null {
		const p = this.preview;
		return this.chosen ?? (p?.ok ? p.format : (p?.format ?? this.detected));
	}

	/** Forgets a choice of format made for other files. */
	reset(): void {
		this.chosen = null;
	}

	/**
	 * Previews `files` as a dataset (in the import worker) when their layout looks like one
	 * or they are a single zip; returns the cleanup that drops an answer for stale files.
	 */
	watch(
		files: readonly PickedFile[],
		chosen: ReaderId | null,
		tasks: () => readonly LabelTask[]
	): () => void {
		const only = files.length === 1 ? files[0] : undefined;
		const singleZip = only !== undefined && isZip(only);
		const detected = files.length > 0 ? detectFormat(files.map((f) => f.path)) : null;
		this.detected = detected;
		this.preview = null;
		this.tableLike =
			chosen === null && !singleZip && detected !== null && TABLE_FORMATS.has(detected);
		if (files.length === 0 || (chosen === null && detected === null && !singleZip)) {
			this.loading = false;
			return () => undefined;
		}
		this.loading = true;
		let current = true;
		void previewDataset(
			files.map((f) => ({ file: f.file, path: f.path })),
			chosen
		)
			.catch((e: unknown): DatasetPreview => ({
				ok: false,
				format: chosen ?? detected,
				message: `Could not read the files as a dataset: ${e instanceof Error ? e.message : String(e)}`
			}))
			.then((p) => {
				// An answer about files the user has since replaced must not win.
				if (!current) return;
				this.loading = false;
				this.preview = p;
				const format = p.format;
				this.tableLike =
					chosen === null && !singleZip && format !== null && TABLE_FORMATS.has(format);
				this.withLabels = p.ok && !this.tableLike;
				if (p.ok) this.pickTasks(p.taskKind, p.multiLabel, tasks());
			});
		return () => {
			current = false;
		};
	}

	/** Preselects the first task that fits, else a new one with a name for its kind. */
	private pickTasks(kind: LabelTask['kind'], multiLabel: boolean, tasks: readonly LabelTask[]) {
		this.taskChoice = matchingTasks(tasks, kind, multiLabel)[0]?.id ?? NEW_TASK;
		this.newTaskName = defaultTaskName(kind);
		this.entityChoice = matchingTasks(tasks, 'named-entities', false)[0]?.id ?? NEW_TASK;
		this.newEntityName = defaultTaskName('named-entities');
	}

	/**
	 * The `dataset` import option, creating the chosen new task(s) first; null when the files
	 * come in plainly.
	 */
	async resolve(projectId: number): Promise<ImportOptions['dataset']> {
		const p = this.preview;
		if (!this.withLabels || !p?.ok) return null;
		const create = async (choice: string, name: string, kind: LabelTask['kind'], multi: boolean) =>
			choice !== NEW_TASK
				? choice
				: (
						await addTask(projectId, {
							name: name.trim() || defaultTaskName(kind),
							kind,
							multiLabel: multi
						})
					).id;
		const taskId = await create(this.taskChoice, this.newTaskName, p.taskKind, p.multiLabel);
		const entityTaskId =
			p.taskKind === 'relations'
				? await create(this.entityChoice, this.newEntityName, 'named-entities', false)
				: null;
		return { format: p.format, taskId, entityTaskId };
	}
}
