import { z } from 'zod';
import { ModelRecord, ModelVersionRecord } from '../schemas';

/**
 * A model version exported as a zip: its files plus `modelship-model.json`, which records
 * the model, the version and every file's SHA-256. Importing checks each file against that
 * record, so a copy changed after export is refused and nothing is stored.
 */
export const PACKAGE_FILE = 'modelship-model.json';

export const VersionPackage = z.object({
	format: z.literal('modelship-model'),
	formatVersion: z.literal(1),
	model: ModelRecord,
	version: ModelVersionRecord
});
export type VersionPackage = z.infer<typeof VersionPackage>;

export function packageFor(model: ModelRecord, version: ModelVersionRecord): VersionPackage {
	return { format: 'modelship-model', formatVersion: 1, model, version };
}

export type ParsedPackage = { ok: true; value: VersionPackage } | { ok: false; message: string };

export function parsePackage(text: string): ParsedPackage {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { ok: false, message: `${PACKAGE_FILE} is not valid JSON` };
	}
	if (
		json &&
		typeof json === 'object' &&
		(json as { format?: unknown }).format !== 'modelship-model'
	) {
		return { ok: false, message: `${PACKAGE_FILE} is not a ModelShip model package` };
	}
	const parsed = VersionPackage.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return {
			ok: false,
			message: `${PACKAGE_FILE} is incompatible: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`
		};
	}
	return { ok: true, value: parsed.data };
}
