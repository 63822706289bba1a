import type { AnnotationValue } from '../schemas/annotation';

/** The class ids a label refers to, whatever its shape (classes, boxes, spans, relations). */
export function annotationClassIds(value: AnnotationValue): string[] {
	switch (value.type) {
		case 'classes':
			return value.classIds;
		case 'boxes':
			return value.boxes.map((b) => b.classId);
		case 'spans':
			return [...value.spans.map((s) => s.classId), ...value.relations.map((r) => r.classId)];
	}
}

export function annotationUsesClass(value: AnnotationValue, classId: string): boolean {
	return annotationClassIds(value).includes(classId);
}
