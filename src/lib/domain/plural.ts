/**
 * `1 span`, `3 spans`: counts inside exported files and their warnings, with the digits as
 * they are, so the same export gives the same bytes in every locale.
 */
export const plural = (n: number, one: string, many = `${one}s`): string =>
	`${n} ${n === 1 ? one : many}`;

/** For people on the page: `1,234 items`, digits grouped. */
export const pluralGrouped = (n: number, one: string, many = `${one}s`): string =>
	`${n.toLocaleString('en')} ${n === 1 ? one : many}`;
