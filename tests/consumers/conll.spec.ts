import { describe, expect, it } from 'vitest';
import { collect, fixtureSnapshot } from '../../src/lib/domain/formats/fixtures';
import type { TagScheme } from '../../src/lib/domain/formats/snapshot';
import { conllFormat } from '../../src/lib/domain/formats/writers/conll';
import {
	hfTextClassificationFormat,
	hfTokenClassificationFormat
} from '../../src/lib/domain/formats/writers/hfText';
import {
	nerRecords,
	nerTask,
	textClassTask
} from '../../src/lib/domain/formats/writers/textFixtures';
import { pythonHas, runPython, writeTree } from './python';

/**
 * CoNLL and Hugging Face token-classification exports read by an independent Python checker:
 * the document header spaCy's `conll-ner` converter looks for, four columns, well-formed tag
 * sequences per sentence (the checker has its own BIO/BILOU/IO rules), and HF `ner_tags` ids
 * that map through `label_map.json` (and the card's `class_label` names) to valid BIO.
 */

const CHECKER = String.raw`
import json, sys, glob, yaml

def valid(tags, scheme):
    prev = None  # label of the open entity
    for t in tags:
        if t == "O":
            if scheme == "BILOU" and prev is not None:
                return False
            prev = None
            continue
        p, _, label = t.partition("-")
        if not label or p not in {"BIO": "BI", "BILOU": "BILU", "IO": "I"}[scheme]:
            return False
        if scheme == "IO":
            continue
        if scheme == "BIO":
            if p == "I" and prev != label:
                return False
            prev = label
        elif p in "BU":
            if prev is not None:
                return False
            prev = label if p == "B" else None
        else:
            if prev != label:
                return False
            prev = None if p == "L" else prev
    return scheme != "BILOU" or prev is None

def check_conll(scheme):
    labels = open("labels.txt", encoding="utf-8").read().split()
    assert labels[0] == "O", labels
    docs = sentences = tokens = 0
    for path in sorted(glob.glob("*.conll")):
        lines = open(path, encoding="utf-8").read().split("\n")
        assert lines[0] == "-DOCSTART- -X- O O", lines[0]
        sentence = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if line == "-DOCSTART- -X- O O":
                assert not sentence
                assert lines[i + 1] == "", "DOCSTART must be followed by a blank line"
                docs += 1
                i += 2
                continue
            if line == "":
                if sentence:
                    assert valid(sentence, scheme), (path, sentence)
                    sentences += 1
                sentence = []
            else:
                cols = line.split()
                assert len(cols) == 4, line
                assert cols[1] == "-X-" and cols[2] == "_", line
                assert cols[3] in labels, cols[3]
                sentence.append(cols[3])
                tokens += 1
            i += 1
        assert not sentence, "file must end with a blank line"
    print(docs, sentences, tokens)

def check_hf():
    m = json.load(open("label_map.json", encoding="utf-8"))
    id2label = {int(k): v for k, v in m["id2label"].items()}
    assert all(m["label2id"][v] == k for k, v in id2label.items())
    front = open("README.md", encoding="utf-8").read().split("---")[1]
    card = yaml.safe_load(front)
    feats = {f["name"]: f for f in card["dataset_info"]["features"]}
    names = feats["ner_tags"]["sequence"]["class_label"]["names"]
    assert {int(k): v for k, v in names.items()} == id2label, names
    rows = 0
    for split in card["configs"][0]["data_files"]:
        for line in open(split["path"], encoding="utf-8"):
            row = json.loads(line)
            assert len(row["tokens"]) == len(row["ner_tags"])
            assert all(t and not any(c.isspace() for c in t) for t in row["tokens"]), row["tokens"]
            assert valid([id2label[i] for i in row["ner_tags"]], "BIO"), row
            rows += 1
    print(rows)

def check_hf_text():
    card = yaml.safe_load(open("README.md", encoding="utf-8").read().split("---")[1])
    feats = {f["name"]: f for f in card["dataset_info"]["features"]}
    names = feats["labels"]["sequence"]["class_label"]["names"]
    m = json.load(open("label_map.json", encoding="utf-8"))
    assert {str(k): v for k, v in names.items()} == m["id2label"], (names, m)
    n = 0
    for split in card["configs"][0]["data_files"]:
        for line in open(split["path"], encoding="utf-8"):
            row = json.loads(line)
            assert all(str(i) in m["id2label"] for i in row["labels"]), row
            n += 1
    print(n, "|".join(names[k] for k in sorted(names, key=int)))

if sys.argv[1] == "hf":
    check_hf()
elif sys.argv[1] == "hf-text":
    check_hf_text()
else:
    check_conll(sys.argv[1])
`;

describe.skipIf(!pythonHas(['yaml']))('CoNLL and HF token classification read by Python', () => {
	it.each(['BIO', 'BILOU', 'IO'] as TagScheme[])('CoNLL %s', async (tagScheme) => {
		const files = await collect(
			conllFormat.write(fixtureSnapshot(nerTask, nerRecords, { tagScheme }))
		);
		const out = runPython(CHECKER, writeTree(files), [tagScheme]).trim();
		// 5 documents; sentences: 1 + 2 (line break) + 1 + 1 + 1.
		expect(out.split(' ').slice(0, 2)).toEqual(['5', '6']);
	});

	it('HF token classification', async () => {
		const files = await collect(
			hfTokenClassificationFormat.write(
				fixtureSnapshot(nerTask, nerRecords, { includeMetadata: true })
			)
		);
		expect(runPython(CHECKER, writeTree(files), ['hf']).trim()).toBe('5');
	});

	it('HF text classification card and rows', async () => {
		const task = textClassTask(true);
		const records = [
			{
				name: 'a',
				text: 'one',
				value: { type: 'classes' as const, classIds: ['t-tech', 't-sport'] }
			},
			{ name: 'b', text: 'two', value: { type: 'classes' as const, classIds: [] } }
		];
		const files = await collect(hfTextClassificationFormat.write(fixtureSnapshot(task, records)));
		expect(runPython(CHECKER, writeTree(files), ['hf-text']).trim()).toBe(
			'2 sport|politics, world|tech "AI"'
		);
	});
});
