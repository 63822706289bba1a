import { ZodError } from 'zod';
import { TaskEditError } from '$lib/domain/labels/taskEditing';

/**
 * A readable sentence for a failed edit: the domain's TaskEditError and zod issues carry
 * human messages already; anything else falls back to its own message.
 *
 * Example: `errorMessage(new TaskEditError('key-conflict', 'key "2" already picks "dog"'))`
 * → `'Key "2" already picks "dog"'`
 */
export function errorMessage(error: unknown): string {
	let message: string;
	if (error instanceof TaskEditError) message = error.message;
	else if (error instanceof ZodError)
		message = error.issues[0]?.message ?? 'That value is not valid';
	else if (error instanceof Error) message = error.message;
	else message = String(error);
	return message.charAt(0).toUpperCase() + message.slice(1);
}
