import { describe, expect, it } from 'vitest';
import type { LabelTask } from '../schemas/project';
import {
	addClass,
	CLASS_PALETTE,
	createTask,
	describeTask,
	ensureClass,
	moveClass,
	nextFreeKey,
	recolorClass,
	removeClass,
	renameClass,
	renameTask,
	setClassKey,
	setClassThreshold,
	setThreshold,
	TASK_CHOICES,
	TaskEditError,
	type NewId
} from './taskEditing';

/** Deterministic ids: id1, id2, … */
function counter(prefix = 'id'): NewId {
	let n = 0;
	return () => `${prefix}${++n}`;
}

function animals(classNames: string[] = ['cat', 'dog']): LabelTask {
	return createTask(
		{ name: 'Animals', kind: 'image-classification', multiLabel: false },
		classNames,
		counter()
	);
}

function editError(fn: () => unknown): TaskEditError {
	try {
		fn();
	} catch (e) {
		if (e instanceof TaskEditError) return e;
		throw e;
	}
	throw new Error('expected a TaskEditError');
}

const ids = (task: LabelTask) => task.classes.map((c) => c.id);
const names = (task: LabelTask) => task.classes.map((c) => c.name);

describe('createTask', () => {
	it('creates each of the seven visible choices', () => {
		const newId = counter('t');
		for (const choice of TASK_CHOICES) {
			const task = createTask(
				{ name: choice.label, kind: choice.kind, multiLabel: choice.multiLabel },
				[],
				newId
			);
			expect(task.kind).toBe(choice.kind);
			expect(task.multiLabel).toBe(choice.multiLabel);
			expect(describeTask(task)).toBe(choice.label);
		}
	});

	it('forces multiLabel off for kinds that are not classification', () => {
		for (const kind of ['object-detection', 'named-entities', 'relations'] as const) {
			const task = createTask({ name: 'T', kind, multiLabel: true }, [], counter());
			expect(task.multiLabel).toBe(false);
		}
		const text = createTask(
			{ name: 'T', kind: 'text-classification', multiLabel: true },
			[],
			counter()
		);
		expect(text.multiLabel).toBe(true);
	});

	it('starts with the default threshold and no production model', () => {
		const task = animals([]);
		expect(task).toEqual({
			id: 'id1',
			name: 'Animals',
			kind: 'image-classification',
			multiLabel: false,
			classes: [],
			threshold: 0.8,
			productionModelVersionId: null
		});
	});

	it('rejects an empty name', () => {
		expect(
			editError(() =>
				createTask({ name: '  ', kind: 'relations', multiLabel: false }, [], counter())
			).code
		).toBe('invalid');
	});

	it('rejects duplicate class names in the initial list', () => {
		const error = editError(() => animals(['cat', 'Cat ']));
		expect(error.code).toBe('duplicate-class');
	});
});

describe('addClass', () => {
	it('gives distinct ids and palette colours in order', () => {
		const task = animals(['cat', 'dog', 'bird']);
		expect(ids(task)).toEqual(['id2', 'id3', 'id4']);
		expect(task.classes.map((c) => c.color)).toEqual(CLASS_PALETTE.slice(0, 3));
	});

	it('wraps around the palette', () => {
		const many = Array.from({ length: CLASS_PALETTE.length + 1 }, (_, i) => `c${i}`);
		const task = animals(many);
		expect(task.classes.at(-1)?.color).toBe(CLASS_PALETTE[0]);
	});

	it('binds the next free key: 1..9, then 0, then a..z, then none', () => {
		const many = Array.from({ length: 37 }, (_, i) => `c${i}`);
		const task = animals(many);
		const keys = task.classes.map((c) => c.key);
		expect(keys.slice(0, 12)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'a', 'b']);
		expect(keys[35]).toBe('z');
		expect(keys[36]).toBeNull();
	});

	it('reuses a key freed by another class', () => {
		let task = animals(['cat', 'dog', 'bird']);
		task = setClassKey(task, 'id3', null);
		expect(nextFreeKey(task)).toBe('2');
		task = addClass(task, 'fish', () => 'fish');
		expect(task.classes.at(-1)?.key).toBe('2');
	});

	it('trims the name and rejects duplicates case-insensitively', () => {
		const task = animals();
		expect(names(addClass(task, '  bird ', () => 'x'))).toEqual(['cat', 'dog', 'bird']);
		const error = editError(() => addClass(task, ' DOG', () => 'x'));
		expect(error.code).toBe('duplicate-class');
		expect(error.message).toBe('"DOG" is already a class of Animals');
	});

	it('rejects an empty name', () => {
		expect(editError(() => addClass(animals(), '   ', () => 'x')).code).toBe('invalid');
	});

	it('does not mutate its input', () => {
		const task = animals();
		const before = structuredClone(task);
		addClass(task, 'bird', () => 'x');
		expect(task).toEqual(before);
	});
});

describe('renameClass', () => {
	it('keeps the id, colour and key', () => {
		const task = animals();
		const renamed = renameClass(task, 'id2', ' kitten ');
		expect(renamed.classes[0]).toEqual({ ...task.classes[0], name: 'kitten' });
		expect(ids(renamed)).toEqual(ids(task));
	});

	it('allows changing only the case of its own name', () => {
		expect(names(renameClass(animals(), 'id2', 'Cat'))).toEqual(['Cat', 'dog']);
	});

	it("rejects another class's name", () => {
		expect(editError(() => renameClass(animals(), 'id2', 'Dog')).code).toBe('duplicate-class');
	});

	it('rejects an unknown class', () => {
		expect(editError(() => renameClass(animals(), 'nope', 'x')).code).toBe('unknown-class');
	});
});

describe('recolorClass', () => {
	it('stores lower-case hex and rejects anything else', () => {
		expect(recolorClass(animals(), 'id2', '#AABBCC').classes[0]?.color).toBe('#aabbcc');
		expect(editError(() => recolorClass(animals(), 'id2', 'red')).code).toBe('invalid');
	});
});

describe('setClassKey', () => {
	it('binds a lower-cased key', () => {
		expect(setClassKey(animals(), 'id2', 'C').classes[0]?.key).toBe('c');
	});

	it('refuses a key held by another class, naming that class', () => {
		const error = editError(() => setClassKey(animals(), 'id2', '2'));
		expect(error.code).toBe('key-conflict');
		expect(error.message).toBe('key "2" already picks "dog"; choose another key');
	});

	it('accepts re-binding its own key and unbinding with null or empty', () => {
		const task = animals();
		expect(setClassKey(task, 'id2', '1').classes[0]?.key).toBe('1');
		expect(setClassKey(task, 'id2', null).classes[0]?.key).toBeNull();
		expect(setClassKey(task, 'id2', '').classes[0]?.key).toBeNull();
	});

	it('rejects keys that are not one letter or digit', () => {
		expect(editError(() => setClassKey(animals(), 'id2', '!')).code).toBe('invalid');
		expect(editError(() => setClassKey(animals(), 'id2', 'ab')).code).toBe('invalid');
	});
});

describe('moveClass', () => {
	const abc = () => animals(['a', 'b', 'c']);

	it('moves up and down by one', () => {
		expect(names(moveClass(abc(), 'id3', -1))).toEqual(['b', 'a', 'c']);
		expect(names(moveClass(abc(), 'id3', 1))).toEqual(['a', 'c', 'b']);
	});

	it('clamps at both ends', () => {
		expect(names(moveClass(abc(), 'id2', -1))).toEqual(['a', 'b', 'c']);
		expect(names(moveClass(abc(), 'id4', 1))).toEqual(['a', 'b', 'c']);
		expect(names(moveClass(abc(), 'id2', 10))).toEqual(['b', 'c', 'a']);
	});

	it('keeps ids with their classes', () => {
		const moved = moveClass(abc(), 'id4', -2);
		expect(moved.classes.map((c) => [c.id, c.name])).toEqual([
			['id4', 'c'],
			['id2', 'a'],
			['id3', 'b']
		]);
	});

	it('rejects an unknown class', () => {
		expect(editError(() => moveClass(abc(), 'nope', 1)).code).toBe('unknown-class');
	});
});

describe('removeClass', () => {
	it('removes only that class', () => {
		expect(names(removeClass(animals(), 'id2'))).toEqual(['dog']);
	});
});

describe('ensureClass', () => {
	it('reuses an existing class, matching case-insensitively', () => {
		const task = animals();
		const result = ensureClass(task, ' CAT', () => 'new');
		expect(result.classId).toBe('id2');
		expect(result.task).toBe(task);
	});

	it('adds a class that is new', () => {
		const result = ensureClass(animals(), 'bird', () => 'new');
		expect(result.classId).toBe('new');
		expect(names(result.task)).toEqual(['cat', 'dog', 'bird']);
	});
});

describe('setThreshold', () => {
	it('accepts 0 to 1', () => {
		expect(setThreshold(animals(), 0.7).threshold).toBe(0.7);
		expect(setThreshold(animals(), 0).threshold).toBe(0);
		expect(setThreshold(animals(), 1).threshold).toBe(1);
	});

	it('rejects values outside 0 to 1', () => {
		expect(editError(() => setThreshold(animals(), 1.01)).code).toBe('invalid');
		expect(editError(() => setThreshold(animals(), -0.1)).code).toBe('invalid');
	});
});

describe('renameTask', () => {
	it('renames and keeps the id; rejects an empty name', () => {
		const task = animals();
		expect(renameTask(task, 'Pets')).toEqual({ ...task, name: 'Pets' });
		expect(editError(() => renameTask(task, ' ')).code).toBe('invalid');
	});
});

describe('setClassThreshold', () => {
	const tags = () =>
		createTask(
			{ name: 'Tags', kind: 'text-classification', multiLabel: true },
			['cat', 'dog'],
			counter()
		);

	it('sets one class threshold, keeping everything else', () => {
		const task = tags();
		const next = setClassThreshold(task, 'id2', 0.9);
		expect(next.classes[0]).toEqual({ ...task.classes[0], threshold: 0.9 });
		expect(next.classes[1]).toEqual(task.classes[1]);
		expect(next.threshold).toBe(task.threshold);
	});

	it('clears it with null, back to the task threshold', () => {
		const set = setClassThreshold(tags(), 'id2', 0.9);
		expect(setClassThreshold(set, 'id2', null).classes[0]?.threshold).toBeNull();
	});

	it('accepts 0 and 1 and refuses anything outside or not a number', () => {
		expect(setClassThreshold(tags(), 'id2', 0).classes[0]?.threshold).toBe(0);
		expect(setClassThreshold(tags(), 'id2', 1).classes[0]?.threshold).toBe(1);
		for (const bad of [-0.1, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) {
			const error = editError(() => setClassThreshold(tags(), 'id2', bad));
			expect(error.code).toBe('invalid');
			expect(error.message).toBe('a class threshold is a number from 0 to 1');
		}
	});

	it('refuses a single-label task and an unknown class', () => {
		expect(editError(() => setClassThreshold(animals(), 'id2', 0.9)).message).toBe(
			'Animals is single-label: it has no class thresholds'
		);
		expect(editError(() => setClassThreshold(tags(), 'nope', 0.9)).code).toBe('unknown-class');
	});

	it('does not mutate its input', () => {
		const task = tags();
		const before = structuredClone(task);
		setClassThreshold(task, 'id2', 0.5);
		expect(task).toEqual(before);
	});
});
