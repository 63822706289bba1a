/**
 * Sets a field as an own property even for the key `__proto__` (a CSV header or a JSON key
 * can be anything), which a plain assignment would turn into a prototype change and drop.
 */
export function setField(record: Record<string, string>, key: string, value: string): void {
	if (key === '__proto__') {
		Object.defineProperty(record, key, {
			value,
			enumerable: true,
			writable: true,
			configurable: true
		});
	} else {
		record[key] = value;
	}
}
