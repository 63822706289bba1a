import { createContext } from 'svelte';
import type { LabelTask } from '$lib/domain/schemas';
import type { ProductionChoices } from '$lib/services/productionService';

/** A destructive step the page asks the user to confirm in its one shared dialog. */
export interface ConfirmRequest {
	title: string;
	confirmLabel: string;
	message: string;
	run: () => Promise<void>;
	/** Runs once the dialog has closed (and handed focus back), e.g. to move focus on. */
	done?: () => void;
}

/** What every part of the Label tasks page shares, set once by the page. */
export interface TaskPage {
	readonly projectId: number;
	/** The registry and each task's roll back target; undefined while loading. */
	readonly production: ProductionChoices | undefined;
	confirm(request: ConfirmRequest): void;
	/** Says something to screen readers through the page's status region. */
	announce(message: string): void;
}

export const [getTaskPage, setTaskPage] = createContext<TaskPage>();

/** Applies one pure task edit; resolves to an error message, or null when it was saved. */
export type ApplyEdit = (edit: (task: LabelTask) => LabelTask) => Promise<string | null>;
