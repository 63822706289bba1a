import {
	IMAGE_TASKS,
	ModelManifest,
	formatPath,
	type BoxesScoresDetection,
	type Dim,
	type ModelTaskKind,
	type OutputSpec,
	type Preprocessing,
	type ResizeSpec,
	type TensorDType,
	type TensorLayout
} from '$lib/domain/models/manifest';

/**
 * The "fill in a manifest" form: flat, string-valued fields (what inputs hold) turned into a
 * manifest object, checked by the same zod schema a manifest file goes through, with every
 * error routed back to the field it belongs to. Pure, so it is unit-tested in Node.
 */

export interface ManifestFormState {
	name: string;
	version: string;
	task: ModelTaskKind;
	description: string;
	/** One label per line, in output order. */
	labels: string;
	inputName: string;
	/** Comma-separated dimensions; `batch` or -1 for a dynamic one. */
	inputShape: string;
	inputDtype: TensorDType;
	layout: TensorLayout;
	resizeMode: ResizeSpec['mode'];
	resizeWidth: string;
	resizeHeight: string;
	padValue: string;
	/** A number or a fraction such as `1/255`. */
	scale: string;
	/** Comma-separated, one per channel; blank for none. */
	mean: string;
	std: string;
	channelOrder: Preprocessing['channelOrder'];
	grayscale: boolean;
	outputName: string;
	outputShape: string;
	activation: OutputSpec['activation'];
	boxesOutput: string;
	boxesShape: string;
	scoresOutput: string;
	scoresShape: string;
	boxFormat: BoxesScoresDetection['boxFormat'];
	coordinates: BoxesScoresDetection['coordinates'];
	scoreThreshold: string;
	iouThreshold: string;
}

export type FieldKey = keyof ManifestFormState;

export function defaultManifestForm(): ManifestFormState {
	return {
		name: '',
		version: '1.0.0',
		task: 'image-classification',
		description: '',
		labels: '',
		inputName: 'pixel_values',
		inputShape: '1, 3, 224, 224',
		inputDtype: 'float32',
		layout: 'NCHW',
		resizeMode: 'stretch',
		resizeWidth: '224',
		resizeHeight: '224',
		padValue: '0',
		scale: '1/255',
		mean: '0.485, 0.456, 0.406',
		std: '0.229, 0.224, 0.225',
		channelOrder: 'RGB',
		grayscale: false,
		outputName: 'logits',
		outputShape: '',
		activation: 'softmax',
		boxesOutput: 'boxes',
		boxesShape: '',
		scoresOutput: 'scores',
		scoresShape: '',
		boxFormat: 'xyxy',
		coordinates: 'pixels',
		scoreThreshold: '0.25',
		iouThreshold: '0.45'
	};
}

export const isImageTask = (task: ModelTaskKind): boolean => IMAGE_TASKS.includes(task);
export const isDetectionTask = (task: ModelTaskKind): boolean => task === 'object-detection';

export interface BuiltManifest {
	/** What the form would save as the manifest file (also shown as a preview). */
	json: Record<string, unknown>;
	manifest: ModelManifest | null;
	/** Errors per field, each prefixed with the JSON path it concerns. */
	fieldErrors: Partial<Record<FieldKey, string[]>>;
	/** Errors no single field owns. */
	otherErrors: string[];
}

type Local = { errors: Partial<Record<FieldKey, string[]>> };

function addError(errors: Partial<Record<FieldKey, string[]>>, field: FieldKey, message: string) {
	(errors[field] ??= []).push(message);
}

/** `0.5`, `-1`, `1e-3` or a fraction such as `1/255`. */
export function parseNumber(text: string): number | null {
	const t = text.trim();
	if (t === '') return null;
	const fraction = /^(-?[\d.]+(?:e-?\d+)?)\s*\/\s*([\d.]+(?:e-?\d+)?)$/i.exec(t);
	if (fraction) {
		const value = Number(fraction[1]) / Number(fraction[2]);
		return Number.isFinite(value) ? value : null;
	}
	const value = Number(t);
	return Number.isFinite(value) ? value : null;
}

function numberField(
	local: Local,
	field: FieldKey,
	path: string,
	text: string,
	required = true
): number | undefined {
	if (text.trim() === '') {
		if (required) addError(local.errors, field, `${path}: required`);
		return undefined;
	}
	const value = parseNumber(text);
	if (value === null) {
		addError(local.errors, field, `${path}: “${text.trim()}” is not a number`);
		return undefined;
	}
	return value;
}

function listField(
	local: Local,
	field: FieldKey,
	path: string,
	text: string
): number[] | undefined {
	if (text.trim() === '') return undefined;
	const parts = text.split(',').map((p) => p.trim());
	const values: number[] = [];
	for (const [i, part] of parts.entries()) {
		const value = parseNumber(part);
		if (value === null) {
			addError(local.errors, field, `${path}[${i}]: “${part}” is not a number`);
			return undefined;
		}
		values.push(value);
	}
	return values;
}

function shapeField(local: Local, field: FieldKey, path: string, text: string): Dim[] | undefined {
	if (text.trim() === '') return undefined;
	const dims: Dim[] = [];
	for (const [i, part] of text.split(',').entries()) {
		const t = part.trim();
		if (t === 'batch' || t === '?' || t === 'N') dims.push('batch');
		else if (/^-?\d+$/.test(t)) dims.push(Number(t));
		else {
			addError(
				local.errors,
				field,
				`${path}[${i}]: “${t}” is not a size (use a number, -1 or batch)`
			);
			return undefined;
		}
	}
	return dims;
}

export function splitLabels(text: string): string[] {
	return text
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l !== '');
}

const compact = <T extends Record<string, unknown>>(o: T): T =>
	Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The manifest object the form describes, plus the form's own parse errors. */
function toJson(form: ManifestFormState, local: Local): Record<string, unknown> {
	const image = isImageTask(form.task);
	const detection = isDetectionTask(form.task);
	const input = compact({
		name: form.inputName.trim(),
		shape: shapeField(local, 'inputShape', 'inputs[0].shape', form.inputShape) ?? [],
		dtype: form.inputDtype,
		layout: image ? form.layout : undefined
	});
	const outputs = detection
		? [
				compact({
					name: form.boxesOutput.trim(),
					shape: shapeField(local, 'boxesShape', 'outputs[0].shape', form.boxesShape),
					activation: 'none'
				}),
				compact({
					name: form.scoresOutput.trim(),
					shape: shapeField(local, 'scoresShape', 'outputs[1].shape', form.scoresShape),
					activation: 'none'
				})
			]
		: [
				compact({
					name: form.outputName.trim(),
					shape: shapeField(local, 'outputShape', 'outputs[0].shape', form.outputShape),
					activation: form.activation
				})
			];
	const prep = image
		? {
				resize: compact({
					mode: form.resizeMode,
					width: numberField(local, 'resizeWidth', 'preprocessing.resize.width', form.resizeWidth),
					height: numberField(
						local,
						'resizeHeight',
						'preprocessing.resize.height',
						form.resizeHeight
					),
					padValue:
						form.resizeMode === 'letterbox'
							? numberField(
									local,
									'padValue',
									'preprocessing.resize.padValue',
									form.padValue,
									false
								)
							: undefined
				}),
				...compact({
					scale: numberField(local, 'scale', 'preprocessing.scale', form.scale, false),
					mean: listField(local, 'mean', 'preprocessing.mean', form.mean),
					std: listField(local, 'std', 'preprocessing.std', form.std)
				}),
				channelOrder: form.channelOrder,
				grayscale: form.grayscale
			}
		: undefined;
	const det = detection
		? compact({
				boxesOutput: form.boxesOutput.trim(),
				scoresOutput: form.scoresOutput.trim(),
				boxFormat: form.boxFormat,
				coordinates: form.coordinates,
				scoreThreshold: numberField(
					local,
					'scoreThreshold',
					'detection.scoreThreshold',
					form.scoreThreshold,
					false
				),
				iouThreshold: numberField(
					local,
					'iouThreshold',
					'detection.iouThreshold',
					form.iouThreshold,
					false
				)
			})
		: undefined;
	return compact({
		name: form.name.trim(),
		version: form.version.trim(),
		task: form.task,
		description: form.description.trim() || undefined,
		labels: splitLabels(form.labels),
		inputs: [input],
		preprocessing: prep,
		outputs,
		detection: det
	});
}

const DETECTION_FIELDS: Record<string, FieldKey> = {
	boxesOutput: 'boxesOutput',
	scoresOutput: 'scoresOutput',
	boxFormat: 'boxFormat',
	coordinates: 'coordinates',
	scoreThreshold: 'scoreThreshold',
	iouThreshold: 'iouThreshold'
};

const RESIZE_FIELDS: Record<string, FieldKey> = {
	mode: 'resizeMode',
	width: 'resizeWidth',
	height: 'resizeHeight',
	padValue: 'padValue',
	shortestEdge: 'resizeMode'
};

const PREP_FIELDS: Record<string, FieldKey> = {
	scale: 'scale',
	mean: 'mean',
	std: 'std',
	channelOrder: 'channelOrder',
	grayscale: 'grayscale'
};

const INPUT_FIELDS: Record<string, FieldKey> = {
	name: 'inputName',
	shape: 'inputShape',
	dtype: 'inputDtype',
	layout: 'layout'
};

/** Which form field a manifest path belongs to; null when none does. */
export function fieldForPath(path: readonly PropertyKey[], task: ModelTaskKind): FieldKey | null {
	const [head, second, third] = path;
	switch (head) {
		case 'name':
		case 'version':
		case 'task':
		case 'description':
		case 'labels':
			return head;
		case 'inputs':
			return second === undefined ? 'inputName' : (INPUT_FIELDS[String(third)] ?? 'inputName');
		case 'preprocessing':
			if (second === 'resize') return RESIZE_FIELDS[String(third)] ?? 'resizeMode';
			return PREP_FIELDS[String(second)] ?? 'resizeMode';
		case 'outputs': {
			if (isDetectionTask(task)) {
				const prefix = second === 1 ? 'scores' : 'boxes';
				return third === 'shape' ? `${prefix}Shape` : `${prefix}Output`;
			}
			if (third === 'shape') return 'outputShape';
			if (third === 'activation') return 'activation';
			return 'outputName';
		}
		case 'detection':
			return DETECTION_FIELDS[String(second)] ?? 'boxesOutput';
		default:
			return null;
	}
}

/** Builds and validates the manifest the form describes. */
export function buildManifest(form: ManifestFormState): BuiltManifest {
	const local: Local = { errors: {} };
	const json = toJson(form, local);
	const fieldErrors: Partial<Record<FieldKey, string[]>> = { ...local.errors };
	const otherErrors: string[] = [];
	const parsed = ModelManifest.safeParse(json);
	if (parsed.success && Object.keys(local.errors).length === 0) {
		return { json, manifest: parsed.data, fieldErrors, otherErrors };
	}
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const message = `${formatPath(issue.path)}: ${issue.message}`;
			const field = fieldForPath(issue.path, form.task);
			// A value the form could not read was left out; the schema's "required" adds nothing.
			if (field && local.errors[field]) continue;
			if (field) addError(fieldErrors, field, message);
			else otherErrors.push(message);
		}
	}
	return { json, manifest: null, fieldErrors, otherErrors };
}

const dims = (shape: readonly Dim[] | undefined): string => (shape ?? []).join(', ');

/**
 * The form showing an existing manifest (a picked file, to adjust by hand); null when the
 * manifest uses something the form has no field for (another decoder, several inputs).
 */
export function formFromManifest(m: ModelManifest): ManifestFormState | null {
	const input = m.inputs[0];
	if (!input || m.inputs.length > 1) return null;
	const det = m.detection;
	if (det && det.decoder === 'nanodet-plus') return null;
	if (!det && m.outputs.length > 1) return null;
	const base = defaultManifestForm();
	const prep = m.preprocessing;
	const boxes = det ? m.outputs.find((o) => o.name === det.boxesOutput) : undefined;
	const scores = det ? m.outputs.find((o) => o.name === det.scoresOutput) : undefined;
	const output = m.outputs[0];
	return {
		...base,
		name: m.name,
		version: m.version,
		task: m.task,
		description: m.description ?? '',
		labels: m.labels.join('\n'),
		inputName: input.name,
		inputShape: dims(input.shape),
		inputDtype: input.dtype,
		layout: input.layout ?? base.layout,
		resizeMode: prep?.resize.mode ?? base.resizeMode,
		resizeWidth: String(prep?.resize.width ?? base.resizeWidth),
		resizeHeight: String(prep?.resize.height ?? base.resizeHeight),
		padValue: String(prep?.resize.padValue ?? 0),
		scale: prep ? String(prep.scale) : base.scale,
		mean: prep ? (prep.mean ?? []).join(', ') : base.mean,
		std: prep ? (prep.std ?? []).join(', ') : base.std,
		channelOrder: prep?.channelOrder ?? 'RGB',
		grayscale: prep?.grayscale ?? false,
		outputName: output?.name ?? base.outputName,
		outputShape: dims(output?.shape),
		activation: output?.activation ?? 'none',
		boxesOutput: det?.boxesOutput ?? base.boxesOutput,
		boxesShape: dims(boxes?.shape),
		scoresOutput: det?.scoresOutput ?? base.scoresOutput,
		scoresShape: dims(scores?.shape),
		boxFormat: det?.boxFormat ?? base.boxFormat,
		coordinates: det?.coordinates ?? base.coordinates,
		scoreThreshold: String(det?.scoreThreshold ?? base.scoreThreshold),
		iouThreshold: String(det?.iouThreshold ?? base.iouThreshold)
	};
}
