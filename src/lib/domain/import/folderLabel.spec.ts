import { describe, it, expect } from 'vitest';
import { classFromPath, isJunkPath } from './folderLabel';

describe('classFromPath', () => {
	it.each([
		['cats/a.png', 'cats'],
		['dataset/train/dogs/b.jpg', 'dogs'],
		['  golden retriever /c.png', 'golden retriever'],
		['cats\\windows.png', 'cats'],
		['photos.zip/birds/d.webp', 'birds']
	])('%s → %s', (path, label) => {
		expect(classFromPath(path)).toBe(label);
	});

	it.each(['a.png', '/a.png', '', '__MACOSX/cats/._a.png', 'x/__MACOSX/cats/a.png', '  /a.png'])(
		'%s → null',
		(path) => {
			expect(classFromPath(path)).toBeNull();
		}
	);
});

describe('isJunkPath', () => {
	it.each([
		'__MACOSX/cats/._a.png',
		'archive/__MACOSX/a.png',
		'.DS_Store',
		'cats/.DS_Store',
		'cats/Thumbs.db',
		'cats/thumbs.db',
		'cats/desktop.ini',
		'cats/Desktop.ini',
		'cats/._a.png',
		'._cats/a.png'
	])('%s is junk', (path) => {
		expect(isJunkPath(path)).toBe(true);
	});

	it.each(['cats/a.png', 'cats/.hidden.png', 'MACOSX/a.png', 'cats/_a.png', 'Thumbs.db.png'])(
		'%s is not junk',
		(path) => {
			expect(isJunkPath(path)).toBe(false);
		}
	);
});
