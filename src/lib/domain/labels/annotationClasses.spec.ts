import { describe, expect, it } from 'vitest';
import { annotationClassIds, annotationUsesClass } from './annotationClasses';

describe('annotationClassIds', () => {
	it('reads classes, boxes, spans and relation types', () => {
		expect(annotationClassIds({ type: 'classes', classIds: ['a', 'b'] })).toEqual(['a', 'b']);
		expect(
			annotationClassIds({
				type: 'boxes',
				boxes: [{ classId: 'car', x: 0, y: 0, w: 1, h: 1, score: null }]
			})
		).toEqual(['car']);
		const spans = {
			type: 'spans' as const,
			spans: [{ id: 's1', classId: 'person', start: 0, end: 3 }],
			relations: [{ head: 's1', tail: 's1', classId: 'knows' }]
		};
		expect(annotationClassIds(spans)).toEqual(['person', 'knows']);
		expect(annotationUsesClass(spans, 'knows')).toBe(true);
		expect(annotationUsesClass(spans, 'place')).toBe(false);
	});
});
