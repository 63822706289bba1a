import { describe, expect, it } from 'vitest';
import { solidPng } from './fixtures';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonHas, PYTHON } from '../../../../tests/consumers/python';

describe('solidPng', () => {
	it.skipIf(!pythonHas(['PIL']))(
		'makes a PNG that Pillow decodes to the right size and colour',
		() => {
			const dir = mkdtempSync(join(tmpdir(), 'png-'));
			writeFileSync(join(dir, 'x.png'), solidPng(300, 250, [10, 200, 30]));
			const out = execFileSync(
				PYTHON,
				[
					'-c',
					'from PIL import Image; im=Image.open("x.png"); im.load(); print(im.size, im.getpixel((299,249)))'
				],
				{ cwd: dir, encoding: 'utf8' }
			);
			expect(out.trim()).toBe('(300, 250) (10, 200, 30)');
		}
	);
});
