import { describe, expect, it } from 'vitest';
import { cocoFormat } from '../../src/lib/domain/formats/writers/coco';
import { hfImageFolderFormat } from '../../src/lib/domain/formats/writers/hfImageFolder';
import { imageFolderFormat } from '../../src/lib/domain/formats/writers/imageFolder';
import { fixtureSnapshot } from '../../src/lib/domain/formats/fixtures';
import {
	detectionSnapshot,
	imageTask,
	multiLabelSnapshot,
	singleLabelSnapshot,
	writeAll
} from '../../src/lib/domain/formats/writers/imageFixtures';
import { pytorchFormat } from '../../src/lib/domain/formats/writers/pytorch';
import { vocFormat } from '../../src/lib/domain/formats/writers/voc';
import { yoloFormat } from '../../src/lib/domain/formats/writers/yolo';
import type { DatasetSnapshot, ExportFormat } from '../../src/lib/domain/formats/snapshot';
import { pythonHas, runPython, writeTree } from './python';

/** Importing torch takes seconds on a busy machine. */
const SLOW = { timeout: 120_000 };

/**
 * The image exports, opened by the programs people load them with (torchvision, PyYAML,
 * Pillow) or by Python that checks what those programs check (Ultralytics' label checks,
 * pycocotools' index, VOC XML, the Hugging Face dataset card).
 */

const exported = async (format: ExportFormat, snapshot: DatasetSnapshot) =>
	writeTree(await writeAll(format, snapshot));

const json = (out: string) => JSON.parse(out.trim().split('\n').pop() as string);

describe.skipIf(!pythonHas(['torch', 'torchvision', 'PIL']))(
	'torchvision ImageFolder',
	SLOW,
	() => {
		it('loads a split with every class: classes, indices, targets, pixels', async () => {
			const root = await exported(imageFolderFormat, singleLabelSnapshot());
			const out = runPython(
				`
import json
from torchvision import datasets
ds = datasets.ImageFolder("train")
image, target = ds[1]
print(json.dumps({"classes": ds.classes, "class_to_idx": ds.class_to_idx, "targets": ds.targets,
  "files": [p.split("/")[-1] for p, _ in ds.samples], "size": image.size,
  "pixel": image.getpixel((0, 0)), "target": target}))
`,
				root
			);
			expect(json(out)).toEqual({
				classes: ['00_zebra', '01_ant', '02_a_b_c_'],
				class_to_idx: { '00_zebra': 0, '01_ant': 1, '02_a_b_c_': 2 },
				targets: [0, 1, 2],
				files: ['000001_Zebra_1.png', '000002_ant.png', '000003_odd.png'],
				size: [40, 30],
				pixel: [0, 90, 0],
				target: 1
			});
		});

		it('load_dataset.py keeps class indices in a split that lacks a class, and runs', async () => {
			const root = await exported(imageFolderFormat, singleLabelSnapshot());
			const out = runPython(
				`
import json
from torchvision import datasets
from load_dataset import torchvision_dataset
plain = datasets.ImageFolder("validation")
kept = torchvision_dataset("validation")
test = torchvision_dataset("test")
print(json.dumps({"plain": [plain.classes, plain.targets], "kept": [kept.classes, kept.targets],
  "test": [test.targets, test[0][1], test[0][0].size]}))
`,
				root
			);
			expect(json(out)).toEqual({
				// Left to itself torchvision renumbers: the escaped class becomes 1 here.
				plain: [
					['00_zebra', '02_a_b_c_'],
					[0, 1]
				],
				kept: [
					['00_zebra', '01_ant', '02_a_b_c_'],
					[0, 2]
				],
				test: [[1], 1, [16, 16]]
			});
			const main = runPython(
				`import runpy; runpy.run_path("load_dataset.py", run_name="__main__")`,
				root
			);
			expect(main).toContain('train: 3 images (torchvision)');
			expect(main).toContain('validation: 2 images (torchvision)');
		});

		it("load_dataset.py calls Keras with every class name, or lists a gappy split's files itself", async () => {
			const root = await exported(imageFolderFormat, singleLabelSnapshot());
			const out = runPython(
				`
import json, sys
from unittest import mock
tf = mock.MagicMock()
sys.modules["tensorflow"] = tf
from load_dataset import keras_dataset
keras_dataset("train", image_size=(64, 64))
call = tf.keras.utils.image_dataset_from_directory.call_args
keras_dataset("validation")
paths, labels = tf.data.Dataset.from_tensor_slices.call_args.args[0]
print(json.dumps({"dir": call.args[0].split("/")[-1], "class_names": call.kwargs["class_names"],
  "image_size": list(call.kwargs["image_size"]), "labels": labels, "paths": [p.split("/")[-1] for p in paths]}))
`,
				root
			);
			expect(json(out)).toEqual({
				dir: 'train',
				class_names: ['00_zebra', '01_ant', '02_a_b_c_'],
				image_size: [64, 64],
				labels: [0, 2],
				paths: ['000005_zebra2.png', '000006_odd2.png']
			});
		});
	}
);

describe.skipIf(!pythonHas(['torch', 'torchvision', 'PIL']))('PyTorch dataset.py', SLOW, () => {
	it('runs as a script for single-label, multi-label and detection exports', async () => {
		for (const snapshot of [singleLabelSnapshot(), multiLabelSnapshot(), detectionSnapshot()]) {
			const root = await exported(pytorchFormat, snapshot);
			const out = runPython(
				`import runpy; runpy.run_path("dataset.py", run_name="__main__")`,
				root
			);
			expect(out).toMatch(/^train: \d+ images; first: image torch.float32 \(3, \d+, \d+\)/m);
			expect(out).toContain('test: ');
		}
	});

	it('indexes samples: class index, multi-hot, xyxy boxes; batches detection', async () => {
		const single = await exported(pytorchFormat, singleLabelSnapshot());
		expect(
			json(
				runPython(
					`
import json, sys
sys.path.insert(0, ".")
from dataset import ExportDataset
ds = ExportDataset("validation")
image, target = ds[1]
print(json.dumps({"len": len(ds), "shape": list(image.shape), "target": target.item(),
  "dtype": str(target.dtype), "all": len(ExportDataset())}))
`,
					single
				)
			)
		).toEqual({ len: 2, shape: [3, 30, 30], target: 2, dtype: 'torch.int64', all: 6 });

		const multi = await exported(pytorchFormat, multiLabelSnapshot());
		expect(
			json(
				runPython(
					`
import json, sys
sys.path.insert(0, ".")
from dataset import ExportDataset
ds = ExportDataset("train")
print(json.dumps([ds[i][1].tolist() for i in range(len(ds))]))
`,
					multi
				)
			)
		).toEqual([
			[1, 0, 1],
			[0, 1, 0],
			[0, 0, 0]
		]);

		const boxes = await exported(pytorchFormat, detectionSnapshot());
		expect(
			json(
				runPython(
					`
import json, sys
sys.path.insert(0, ".")
from torch.utils.data import DataLoader
from dataset import ExportDataset, collate
ds = ExportDataset("train", label_offset=1)
images, targets = next(iter(DataLoader(ds, batch_size=3, collate_fn=collate)))
print(json.dumps({"shapes": [list(i.shape) for i in images],
  "boxes": [t["boxes"].tolist() for t in targets], "labels": [t["labels"].tolist() for t in targets],
  "empty": list(targets[2]["boxes"].shape)}))
`,
					boxes
				)
			)
		).toEqual({
			shapes: [
				[3, 24, 32],
				[3, 30, 40],
				[3, 50, 20]
			],
			boxes: [
				[
					[2, 3, 12, 11],
					[0, 0, 32, 24]
				],
				[[expect.closeTo(25.4, 4), expect.closeTo(10.6, 4), 40, 30]],
				[]
			],
			labels: [[1, 3], [2], []],
			empty: [0, 4]
		});
	});
});

describe.skipIf(!pythonHas(['yaml', 'PIL', 'numpy']))('Ultralytics YOLO layout', SLOW, () => {
	/** What Ultralytics' check_det_dataset and verify_image_label check, in Python. */
	const CHECK = `
import json, os
import numpy as np
import yaml
from PIL import Image
with open("data.yaml", encoding="utf-8") as f:
    data = yaml.safe_load(f)
# No path key: Ultralytics takes the folder holding data.yaml as the root.
root = os.path.abspath(data.get("path") or ".")
nc = data["nc"]
names = data["names"]
assert isinstance(names, dict) and sorted(names) == list(range(nc)), names
images = {}
for key in ("train", "val", "test"):
    if key not in data:
        continue
    folder = os.path.join(root, data[key])
    assert os.path.isdir(folder), folder
    files = sorted(os.listdir(folder))
    assert files, folder
    for name in files:
        path = os.path.join(folder, name)
        with Image.open(path) as im:
            im.verify()
        sa, sb = os.sep + "images" + os.sep, os.sep + "labels" + os.sep
        label = sb.join(path.rsplit(sa, 1)).rsplit(".", 1)[0] + ".txt"
        assert os.path.isfile(label), label
        with open(label) as f:
            rows = [x.split() for x in f.read().strip().splitlines() if len(x)]
        lb = np.array(rows, dtype=np.float32)
        if len(lb):
            assert lb.shape[1] == 5, f"labels require 5 columns, {lb.shape[1]} columns detected"
            assert (lb >= 0).all() and (lb[:, 1:] <= 1).all(), lb
            assert lb[:, 0].max() < nc and (lb[:, 0] == lb[:, 0].round()).all()
        images.setdefault(key, []).append([name, lb.tolist()])
print(json.dumps({"keys": sorted(data), "names": [names[i] for i in range(nc)], "images": images}))
`;

	it('data.yaml resolves to image folders whose every image has a valid label file', async () => {
		const root = await exported(yoloFormat, detectionSnapshot());
		const out = json(runPython(CHECK, root));
		expect(out.keys).toEqual(['names', 'nc', 'test', 'train', 'val']);
		expect(out.names).toEqual(['zebra', 'ant', 'a<b&"c"']);
		expect(out.images.train.map((i: [string]) => i[0])).toEqual([
			'000001_one.png',
			'000002_two.png',
			'000003_empty.png'
		]);
		expect(out.images.train[0][1][0]).toEqual([
			0,
			expect.closeTo(0.21875, 5),
			expect.closeTo(0.291667, 5),
			expect.closeTo(0.3125, 5),
			expect.closeTo(0.333333, 5)
		]);
		expect(out.images.train[2][1]).toEqual([]);
		expect(out.images.val).toHaveLength(1);
	});

	it('without a validation split, val points at the training images', async () => {
		const snapshot = detectionSnapshot();
		const trainOnly = { ...snapshot, records: snapshot.records.filter((r) => r.split === 'train') };
		const out = json(runPython(CHECK, await exported(yoloFormat, trainOnly)));
		expect(out.keys).toEqual(['names', 'nc', 'train', 'val']);
		expect(out.images.val).toEqual(out.images.train);
	});
});

describe.skipIf(!pythonHas(['PIL']))('COCO instances files', () => {
	it('pass the checks pycocotools and COCO loaders rely on', async () => {
		const root = await exported(
			cocoFormat,
			detectionSnapshot({ includeScores: true, includeMetadata: true })
		);
		const out = runPython(
			`
import json, os
from collections import defaultdict
from PIL import Image
summary = {}
for split in ("train", "validation", "test"):
    with open(f"annotations/instances_{split}.json", encoding="utf-8") as f:
        d = json.load(f)
    assert {"info", "licenses", "images", "annotations", "categories"} <= d.keys()
    assert d["licenses"] and all({"id", "name"} <= l.keys() for l in d["licenses"])
    licenses = {l["id"] for l in d["licenses"]}
    # COCO.createIndex
    imgs = {img["id"]: img for img in d["images"]}
    cats = {cat["id"]: cat for cat in d["categories"]}
    anns = {ann["id"]: ann for ann in d["annotations"]}
    img_to_anns, cat_to_imgs = defaultdict(list), defaultdict(list)
    for ann in d["annotations"]:
        img_to_anns[ann["image_id"]].append(ann)
        cat_to_imgs[ann["category_id"]].append(ann["image_id"])
    for table, rows in ((imgs, d["images"]), (cats, d["categories"]), (anns, d["annotations"])):
        assert len(table) == len(rows), "ids must be unique"
        assert sorted(table) == list(range(1, len(rows) + 1)), "ids count from 1"
    for cat in d["categories"]:
        assert isinstance(cat["name"], str) and "supercategory" in cat
    for img in d["images"]:
        assert img["license"] in licenses
        with Image.open(os.path.join("images", split, img["file_name"])) as im:
            assert im.size == (img["width"], img["height"]), (im.size, img)
    for ann in d["annotations"]:
        assert ann["image_id"] in imgs and ann["category_id"] in cats
        assert ann["iscrowd"] == 0
        x, y, w, h = ann["bbox"]
        img = imgs[ann["image_id"]]
        assert 0 <= x and 0 <= y and w > 0 and h > 0
        assert x + w <= img["width"] + 1e-6 and y + h <= img["height"] + 1e-6
        assert abs(ann["area"] - w * h) < 1e-2
        poly = ann["segmentation"]
        assert isinstance(poly, list) and len(poly) == 1 and len(poly[0]) == 8
    summary[split] = {"images": len(imgs), "annotations": len(anns),
        "cats": [cats[i]["name"] for i in sorted(cats)],
        "per_image": {imgs[i]["file_name"]: [a["category_id"] for a in img_to_anns[i]] for i in imgs}}
print(json.dumps(summary))
`,
			root
		);
		const summary = json(out);
		expect(summary.train).toEqual({
			images: 3,
			annotations: 3,
			cats: ['zebra', 'ant', 'a<b&"c"'],
			per_image: { '000001_one.png': [1, 3], '000002_two.png': [2], '000003_empty.png': [] }
		});
		expect(summary.validation.annotations).toBe(1);
		expect(summary.test.per_image).toEqual({ '000005_test.png': [3, 1] });
	});
});

describe.skipIf(!pythonHas(['PIL']))('Pascal VOC', () => {
	it('parses with xml.etree: escaped names, 1-based corners inside the image', async () => {
		const root = await exported(vocFormat, detectionSnapshot());
		const out = runPython(
			`
import json, os
import xml.etree.ElementTree as ET
from PIL import Image
with open("labels.txt", encoding="utf-8") as f:
    labels = f.read().splitlines()
sets = {}
for name in ("train", "val", "test", "trainval"):
    with open(f"ImageSets/Main/{name}.txt") as f:
        sets[name] = f.read().split()
objects = {}
for stem in sets["train"] + sets["val"] + sets["test"]:
    root = ET.parse(f"Annotations/{stem}.xml").getroot()
    filename = root.findtext("filename")
    assert filename.rsplit(".", 1)[0] == stem
    width, height = int(root.findtext("size/width")), int(root.findtext("size/height"))
    with Image.open(os.path.join("JPEGImages", filename)) as im:
        assert im.size == (width, height)
    assert root.findtext("size/depth") == "3" and root.findtext("segmented") == "0"
    objects[stem] = []
    for obj in root.iter("object"):
        name = obj.findtext("name")
        assert name in labels, name
        box = [int(obj.findtext(f"bndbox/{k}")) for k in ("xmin", "ymin", "xmax", "ymax")]
        assert 1 <= box[0] <= box[2] <= width and 1 <= box[1] <= box[3] <= height, box
        assert obj.findtext("difficult") == "0" and obj.findtext("truncated") == "0"
        objects[stem].append([name, box])
print(json.dumps({"labels": labels, "sets": sets, "objects": objects}))
`,
			root
		);
		const voc = json(out);
		expect(voc.labels).toEqual(['zebra', 'ant', 'a<b&"c"']);
		expect(voc.sets.trainval).toEqual([...voc.sets.train, ...voc.sets.val]);
		expect(voc.objects['000001_one']).toEqual([
			['zebra', [3, 4, 12, 11]],
			['a<b&"c"', [1, 1, 32, 24]]
		]);
		expect(voc.objects['000003_empty']).toEqual([]);
	});
});

describe.skipIf(!pythonHas(['yaml']))('Hugging Face imagefolder', () => {
	/** The dataset card's YAML and every split's files, as the `datasets` loader resolves them. */
	const CHECK = `
import glob, json, os
import yaml
with open("README.md", encoding="utf-8") as f:
    card = f.read()
assert card.startswith("---\\n")
meta = yaml.safe_load(card[4:card.index("\\n---\\n", 4)])
config = meta["configs"][0]
assert config["config_name"] == "default"
features = {f["name"]: f for f in meta["dataset_info"]["features"]}
assert features["image"]["dtype"] == "image"
def class_names(feature):
    names = feature["class_label"]["names"]
    assert sorted(names, key=int) == [str(i) for i in range(len(names))]
    return [names[str(i)] for i in range(len(names))]
splits = {}
for entry in config["data_files"]:
    matched = sorted(glob.glob(entry["path"], recursive=True))
    files = [m for m in matched if os.path.isfile(m)]
    metadata = [m for m in files if os.path.basename(m) == "metadata.jsonl"]
    assert len(metadata) == 1, metadata
    images = sorted(os.path.basename(m) for m in files if m not in metadata)
    with open(metadata[0], encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    assert sorted(r["file_name"] for r in rows) == images
    columns = {k for r in rows for k in r} - {"file_name"}
    assert columns <= set(features), (columns, list(features))
    assert all(set(r) == set(rows[0]) for r in rows)
    splits[entry["split"]] = rows
out = {"splits": splits, "features": list(features)}
if "label" in features:
    out["names"] = class_names(features["label"]["dtype"])
if "labels" in features:
    out["names"] = class_names(features["labels"]["sequence"])
if "objects" in features:
    sub = {f["name"]: f for f in features["objects"]["sequence"]}
    assert sub["bbox"]["sequence"] == "float32" and sub["bbox"]["length"] == 4
    out["names"] = class_names(sub["categories"]["dtype"])
print(json.dumps(out))
`;

	it('single-label: the card names the splits, the ClassLabel and every metadata column', async () => {
		const root = await exported(
			hfImageFolderFormat,
			singleLabelSnapshot({ includeMetadata: true, includeScores: true })
		);
		const out = json(runPython(CHECK, root));
		expect(out.names).toEqual(['zebra', 'ant', 'a<b&"c"']);
		expect(Object.keys(out.splits)).toEqual(['train', 'validation', 'test']);
		for (const rows of Object.values(out.splits) as { label: string }[][])
			for (const row of rows) expect(out.names).toContain(row.label);
		expect(out.features).toContain('reviewer');
	});

	it('multi-label and detection columns match their features', async () => {
		const multi = json(runPython(CHECK, await exported(hfImageFolderFormat, multiLabelSnapshot())));
		expect(multi.splits.train.map((r: { labels: string[] }) => r.labels)).toEqual([
			['zebra', 'a<b&"c"'],
			['ant'],
			[]
		]);
		const boxes = json(runPython(CHECK, await exported(hfImageFolderFormat, detectionSnapshot())));
		expect(boxes.names).toEqual(['zebra', 'ant', 'a<b&"c"']);
		for (const rows of Object.values(boxes.splits) as {
			objects: { bbox: number[][]; categories: number[] };
		}[][])
			for (const { objects } of rows) {
				expect(objects.bbox.length).toBe(objects.categories.length);
				for (const b of objects.bbox) expect(b).toHaveLength(4);
				for (const c of objects.categories) expect(c).toBeLessThan(3);
			}
	});
});

describe.skipIf(!pythonHas(['yaml']))('awkward class names', () => {
	const NAMES = [
		'a: b # c',
		`'single' "double"`,
		'- dash',
		'null',
		'0',
		'猫 ✓',
		'x\u2028y\u0085z',
		'back\\slash',
		'{flow}: [x]',
		'tab\there',
		'a<b&"c"'
	];
	const task = {
		...imageTask('object-detection'),
		classes: NAMES.map((name, i) => ({ id: `c${i}`, name, color: '#000000', key: null }))
	};
	const snapshot = fixtureSnapshot(task, [
		{
			name: 'one.png',
			width: 30,
			height: 20,
			value: {
				type: 'boxes',
				boxes: NAMES.map((_, i) => ({ classId: `c${i}`, x: i, y: 1, w: 2, h: 3, score: null }))
			}
		}
	]);

	it('read back exactly from data.yaml and the dataset card, and on one line from VOC', async () => {
		const yolo = runPython(
			`import json, yaml; print(json.dumps(yaml.safe_load(open("data.yaml", encoding="utf-8"))["names"]))`,
			await exported(yoloFormat, snapshot)
		);
		expect(Object.values(json(yolo))).toEqual(NAMES);

		const card = runPython(
			`
import json, yaml
card = open("README.md", encoding="utf-8").read()
meta = yaml.safe_load(card[4:card.index("\\n---\\n", 4)])
objects = [f for f in meta["dataset_info"]["features"] if f["name"] == "objects"][0]
names = objects["sequence"][1]["dtype"]["class_label"]["names"]
print(json.dumps([names[str(i)] for i in range(len(names))]))
`,
			await exported(hfImageFolderFormat, snapshot)
		);
		expect(json(card)).toEqual(NAMES);

		const voc = runPython(
			`
import json
import xml.etree.ElementTree as ET
labels = open("labels.txt", encoding="utf-8").read().splitlines()
names = [o.findtext("name") for o in ET.parse("Annotations/000001_one.xml").getroot().iter("object")]
print(json.dumps({"labels": labels, "names": names}))
`,
			await exported(vocFormat, snapshot)
		);
		const oneLine = NAMES.map((n) =>
			n.replace('\t', ' ').replace('\u2028', ' ').replace('\u0085', ' ')
		);
		expect(json(voc)).toEqual({ labels: oneLine, names: oneLine });
	});
});
