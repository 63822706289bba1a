import lid176Url from 'fasttext.wasm.js/dist/models/language-identification/assets/lid.176.ftz?url';
import nsfwModelJsonUrl from '$embedded-models/nsfw-mobilenet-v2/model.json?url';
import nsfwShardUrl from '$embedded-models/nsfw-mobilenet-v2/group1-shard1of1.bin?url';
import type { ModelRecord, ModelVersionRecord } from '$lib/domain/schemas';

/**
 * The models that ship with the app, so it labels offline on first run with no download.
 * All come from the project's own npm dependencies; their files are app assets (Vite `?url`),
 * fetched and checked against the SHA-256 below like any other version's files, and warmed
 * into the service worker's cache after the first visit.
 *
 * | id | task | runtime | from |
 * |---|---|---|---|
 * | embedded:langid-fasttext | language of a text, 176 labels | fastText wasm | fasttext.wasm.js 1.0.0 (lid.176.ftz) |
 * | embedded:sentiment-wink | English sentiment, negative/positive | wink-nlp (JS) | wink-eng-lite-web-model 1.8.1 |
 * | embedded:nsfw-mobilenet-v2 | NSFW image classes | TF.js wasm | nsfwjs 4.4.0 (MobileNetV2) |
 *
 * The hashes are constants on purpose: embeddedModels.spec.ts recomputes them from
 * node_modules, so an upgrade that changes a model's bytes fails loudly instead of
 * silently relabelling with a different model under the same version string.
 * Only URL strings live here (no runtime code), so importing this module costs nothing.
 */

/** 2026-11-29, when these defaults were added: a fixed stamp so records are reproducible. */
const ADDED_AT = Date.UTC(2026, 10, 29);

/** lid.176's labels in the model's own order (`getLabels()`): mostly ISO 639-1 codes. */
const LID176_LABELS = (
	'en ru de fr it ja es ceb tr pt uk eo pl sv nl he zh hu ar ca fi cs fa sr el vi bg ko no mk ' +
	'ro id th hy da ta hi hr sh be ka te kk war lt gl sk bn eu sl kn ml mr et az ms sq la bs nn ' +
	'ur lv my tt af oc nds ky ast tl is ia si gu km br ba uz bo pa vo als ne cy jbo fy mn lb ce ' +
	'ug tg sco sa cv jv min io or as new ga mg an ckb sw bar lmo yi arz mhr azb sah pnb su bpy ' +
	'pms ilo wuu ku ps ie xmf yue gom li mwl kw sd hsb scn gd pam bh mai vec mt dv wa mzn am qu ' +
	'eml cbk tk rm os vls yo lo lez so myv diq mrj dsb frr ht gn bxr kv sc nah krc bcl nap gv ' +
	'av rue xal pfl dty hif co lrc vep tyv'
).split(' ');

export const EMBEDDED_IDS = {
	langid: 'embedded:langid-fasttext',
	sentiment: 'embedded:sentiment-wink',
	nsfw: 'embedded:nsfw-mobilenet-v2'
} as const;

const tags = ['embedded', 'offline'];

export const EMBEDDED_MODELS: readonly { model: ModelRecord; version: ModelVersionRecord }[] = [
	{
		model: {
			id: EMBEDDED_IDS.langid,
			name: 'Language identification (fastText lid.176)',
			task: 'text-classification',
			runtime: 'fasttext',
			source: 'embedded',
			hubId: null,
			licence: 'CC-BY-SA-3.0 (model), MIT (fasttext.wasm.js)',
			createdAt: ADDED_AT
		},
		version: {
			id: `${EMBEDDED_IDS.langid}@1.0.0`,
			modelId: EMBEDDED_IDS.langid,
			version: '1.0.0',
			files: [
				{
					path: 'lid.176.ftz',
					sha256: '8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83',
					size: 938013,
					url: lid176Url
				}
			],
			sha256: 'e11314c69dc8fde399df2c1ab6fc44813124f2ad2c3f0125f3f3fe4d92088221',
			size: 938013,
			manifest: null,
			config: { topK: 10, package: 'fasttext.wasm.js@1.0.0' },
			labels: LID176_LABELS,
			// UDHR articles 1–3 (../shared/eval/udhr-langid): 44 widely used languages / all 124.
			metrics: { udhr_major_acc: 0.9242, udhr_all_acc: 0.7581 },
			tags,
			description:
				"Facebook's fastText language identifier (lid.176.ftz, 176 languages) run by fasttext.wasm.js. " +
				'Labels are ISO 639-1 codes where one exists, else ISO 639-3 or Wikipedia codes (als = Alemannic). ' +
				'Each prediction keeps the 10 most likely languages. Scores of 0.8 and up were right 95 % of the time on UDHR texts.',
			createdAt: ADDED_AT,
			stage: 'none'
		}
	},
	{
		model: {
			id: EMBEDDED_IDS.sentiment,
			name: 'English sentiment (wink lexicon)',
			task: 'text-classification',
			runtime: 'wink',
			source: 'embedded',
			hubId: null,
			licence: 'MIT',
			createdAt: ADDED_AT
		},
		version: {
			id: `${EMBEDDED_IDS.sentiment}@1.8.1`,
			modelId: EMBEDDED_IDS.sentiment,
			// The lexicon's package; wink-nlp (2.4.0) is the code that applies it.
			version: '1.8.1',
			// No weights file: the lexicon is compiled into wink-eng-lite-web-model's JavaScript,
			// which is part of the app's worker chunk and versioned with it. The digest below is
			// `versionDigest([])`, the same for every file-less version.
			files: [],
			sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
			size: 0,
			manifest: null,
			config: { package: 'wink-eng-lite-web-model@1.8.1', runtime: 'wink-nlp@2.4.0' },
			labels: ['negative', 'positive'],
			// UCI sentiment labelled sentences (../shared/eval/uci-sentiment-sentences).
			metrics: { uci_amazon_acc: 0.872, uci_imdb_acc: 0.816 },
			tags,
			description:
				"wink-nlp's English sentiment lexicon with negation handling. Texts with no sentiment words " +
				'score 0.5 for both labels and go to review; the score reaches 0.95 when the lexicon evidence is strong.',
			createdAt: ADDED_AT,
			stage: 'none'
		}
	},
	{
		model: {
			id: EMBEDDED_IDS.nsfw,
			name: 'NSFW image classes (nsfwjs MobileNetV2)',
			task: 'image-classification',
			runtime: 'tfjs',
			source: 'embedded',
			hubId: null,
			licence: 'MIT',
			createdAt: ADDED_AT
		},
		version: {
			id: `${EMBEDDED_IDS.nsfw}@4.4.0`,
			modelId: EMBEDDED_IDS.nsfw,
			version: '4.4.0',
			// A TF.js layers-model folder decoded at build time from the package's base64 bundles.
			files: [
				{
					path: 'model.json',
					sha256: 'f12c449cf6ba0b4cd48d648468b8d955379ed13d6acb46b77de0aae30172ac09',
					size: 117932,
					url: nsfwModelJsonUrl
				},
				{
					path: 'group1-shard1of1.bin',
					sha256: '8e7dddbb16acacc1bf1601b1b8a761e730ff934b7f2d7771312b2f000e5f5f13',
					size: 2619461,
					url: nsfwShardUrl
				}
			],
			sha256: '3c11048bb98d1b3b0caa7ced79e5df38a9af67eccdbba4dae7947b38f96d2923',
			size: 2737393,
			manifest: null,
			config: { package: 'nsfwjs@4.4.0', inputSize: 224 },
			labels: ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'],
			metrics: {},
			tags,
			description:
				"nsfwjs's MobileNetV2 (224×224, uint8-quantized weights) on TF.js's wasm backend: " +
				'Drawing, Hentai, Neutral, Porn, Sexy. Ordinary photos come out Neutral or Drawing.',
			createdAt: ADDED_AT,
			stage: 'none'
		}
	}
];
