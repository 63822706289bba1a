// Scoring for `npm run eval`: COCO-style average precision and the comparison of detections
// with stored reference detections. Plain functions over plain objects, run in Node.

/** @typedef {[number, number, number, number]} Box corners x1, y1, x2, y2 in pixels */
/** @typedef {{ classIndex: number, score: number, box: Box }} Det */

/** @param {Box} a @param {Box} b */
export function iou(a, b) {
	const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
	const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
	if (w <= 0 || h <= 0) return 0;
	const inter = w * h;
	const area = (r) => Math.max(0, r[2] - r[0]) * Math.max(0, r[3] - r[1]);
	return inter / (area(a) + area(b) - inter);
}

/** YOLO label lines (`class cx cy w h`, normalised) → ground-truth boxes in pixels. */
export function parseYoloLabels(text, width, height) {
	return text
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
		.map((line) => {
			const [c, cx, cy, w, h] = line.split(/\s+/).map(Number);
			return {
				classIndex: c,
				box: [
					(cx - w / 2) * width,
					(cy - h / 2) * height,
					(cx + w / 2) * width,
					(cy + h / 2) * height
				]
			};
		});
}

/**
 * COCO-style AP at one IoU threshold for one class: detections in score order match the
 * unmatched ground truth of their image with the highest IoU ≥ threshold; precision is made
 * monotone and read at 101 recall points.
 */
function averagePrecision(dets, truthByImage, truthCount, threshold) {
	const sorted = [...dets].sort((a, b) => b.score - a.score);
	const used = new Map();
	const tp = [];
	for (const d of sorted) {
		const truths = truthByImage.get(d.image) ?? [];
		const taken = used.get(d.image) ?? new Set();
		used.set(d.image, taken);
		let best = -1;
		let bestIou = threshold;
		truths.forEach((t, i) => {
			if (taken.has(i)) return;
			const v = iou(d.box, t.box);
			if (v >= bestIou) {
				bestIou = v;
				best = i;
			}
		});
		if (best >= 0) taken.add(best);
		tp.push(best >= 0 ? 1 : 0);
	}
	const precision = [];
	const recall = [];
	let hits = 0;
	tp.forEach((v, i) => {
		hits += v;
		precision.push(hits / (i + 1));
		recall.push(hits / truthCount);
	});
	for (let i = precision.length - 2; i >= 0; i--) {
		precision[i] = Math.max(precision[i], precision[i + 1]);
	}
	let sum = 0;
	for (let r = 0; r <= 100; r++) {
		const at = recall.findIndex((v) => v >= r / 100 - 1e-12);
		sum += at >= 0 ? precision[at] : 0;
	}
	return sum / 101;
}

/**
 * Mean AP over the classes present in the ground truth, in percent.
 * @param {{ id: string, boxes: Det[] }[]} predictions
 * @param {Map<string, { classIndex: number, box: Box }[]>} truth image id → boxes
 * @param {number[]} thresholds IoU thresholds averaged over (0.5 alone for mAP@0.5)
 */
export function meanAP(predictions, truth, thresholds = [0.5]) {
	const classes = new Set([...truth.values()].flat().map((t) => t.classIndex));
	const aps = [];
	for (const c of classes) {
		const truthByImage = new Map();
		let count = 0;
		for (const [image, boxes] of truth) {
			const mine = boxes.filter((b) => b.classIndex === c);
			truthByImage.set(image, mine);
			count += mine.length;
		}
		const dets = predictions.flatMap((p) =>
			p.boxes.filter((b) => b.classIndex === c).map((b) => ({ ...b, image: p.id }))
		);
		const perThreshold = thresholds.map((t) => averagePrecision(dets, truthByImage, count, t));
		aps.push(perThreshold.reduce((a, b) => a + b, 0) / perThreshold.length);
	}
	return { map: (100 * aps.reduce((a, b) => a + b, 0)) / aps.length, classes: classes.size };
}

/**
 * How well detections reproduce stored reference detections (same class, IoU ≥ 0.5, greedy in
 * reference score order): the largest corner difference in pixels and score difference over
 * matched pairs, how many pairs agree within 1 px, the reference detections not found, and
 * detections ≥ `floor` not in the reference. Misses whose score sits within `margin` of the floor on one side count apart.
 */
export function compareWithReference(predictions, reference, floor, margin = 0.02) {
	let matched = 0;
	let total = 0;
	let maxBoxDiff = 0;
	let maxScoreDiff = 0;
	let worst = null;
	let within1 = 0;
	const missed = [];
	const extra = [];
	for (const p of predictions) {
		const refs = [...(reference[p.id] ?? [])].sort((a, b) => b.score - a.score);
		const taken = new Set();
		for (const r of refs) {
			total++;
			let best = -1;
			let bestIou = 0.5;
			p.boxes.forEach((d, i) => {
				if (taken.has(i) || d.classIndex !== r.class) return;
				const v = iou(d.box, r.box_xyxy);
				if (v >= bestIou) {
					bestIou = v;
					best = i;
				}
			});
			const d = p.boxes[best];
			if (!d || d.score < floor - margin) {
				missed.push({ id: p.id, ...r, nearFloor: r.score < floor + margin });
				continue;
			}
			taken.add(best);
			matched++;
			const diff = Math.max(...d.box.map((v, k) => Math.abs(v - r.box_xyxy[k])));
			if (diff <= 1) within1++;
			if (diff > maxBoxDiff) {
				maxBoxDiff = diff;
				worst = {
					id: p.id,
					class: r.class,
					ours: d.box.map((v) => +v.toFixed(2)),
					reference: r.box_xyxy
				};
			}
			maxScoreDiff = Math.max(maxScoreDiff, Math.abs(d.score - r.score));
		}
		p.boxes.forEach((d, i) => {
			if (!taken.has(i) && d.score >= floor) {
				extra.push({ id: p.id, ...d, nearFloor: d.score < floor + margin });
			}
		});
	}
	return { matched, total, within1, maxBoxDiff, maxScoreDiff, worst, missed, extra };
}
