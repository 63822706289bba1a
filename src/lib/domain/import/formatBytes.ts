const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * A byte count in binary units (1 KiB = 1024 B): one decimal below 10, whole numbers above.
 *
 * Example: `formatBytes(1536)` → `'1.5 KiB'`; `formatBytes(4 * 1024 ** 3)` → `'4 GiB'`
 */
export function formatBytes(n: number): string {
	if (!Number.isFinite(n)) return `${n} B`;
	const sign = n < 0 ? '-' : '';
	let value = Math.abs(n);
	let unit = 0;
	if (value < 1024) return `${sign}${Math.round(value)} B`;
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	let rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
	// 1023.7 KiB would otherwise print as "1024 KiB".
	if (rounded >= 1024 && unit < UNITS.length - 1) {
		rounded = 1;
		unit++;
	}
	return `${sign}${rounded} ${UNITS[unit]}`;
}
