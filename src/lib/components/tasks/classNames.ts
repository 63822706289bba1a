/** Class names typed as a list: split on commas and new lines, blanks dropped. */
export function splitClassNames(text: string): string[] {
	return text
		.split(/[,\n]/)
		.map((name) => name.trim())
		.filter((name) => name !== '');
}
