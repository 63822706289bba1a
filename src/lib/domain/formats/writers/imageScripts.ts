/**
 * The Python files shipped inside image exports. They read their dataset's JSON at run time,
 * so no class name is ever pasted into Python source, and they run as-is: the consumer
 * tests execute them with Debian's torch and torchvision.
 */

/** `load_dataset.py` of the ImageFolder export (reads `dataset_info.json`). */
export const IMAGEFOLDER_LOADER = `"""Load this ImageFolder export with TensorFlow/Keras or torchvision, class indices intact.

Exported by ModelShip. Class index i is dataset_info.json's classes[i] in every split, even in
a split where some class has no image (a loader left to infer the classes from the folders
present would renumber them there).

    python3 load_dataset.py      # prints each split's size (needs TensorFlow or torchvision)

    from load_dataset import keras_dataset, torchvision_dataset
    train = keras_dataset("train", image_size=(224, 224))  # tf.data.Dataset of (images, labels)
    val = torchvision_dataset("validation")                # torchvision ImageFolder
"""
import json
import os

ROOT = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(ROOT, "dataset_info.json"), encoding="utf-8") as f:
    INFO = json.load(f)

CLASS_NAMES = [c["name"] for c in INFO["classes"]]
FOLDERS = [c["folder"] for c in INFO["classes"]]
SPLITS = list(INFO["splits"])


def _present(split):
    return [f for f in FOLDERS if os.path.isdir(os.path.join(ROOT, split, f))]


def keras_dataset(split, image_size=(256, 256), batch_size=32, label_mode="int", shuffle=None, seed=None):
    """A batched tf.data.Dataset of (images, labels); label_mode "int" or "categorical"."""
    import tensorflow as tf

    directory = os.path.join(ROOT, split)
    if shuffle is None:
        shuffle = split == "train"
    if _present(split) == FOLDERS:
        return tf.keras.utils.image_dataset_from_directory(
            directory,
            labels="inferred",
            label_mode=label_mode,
            class_names=FOLDERS,
            image_size=image_size,
            batch_size=batch_size,
            shuffle=shuffle,
            seed=seed,
        )
    # Keras wants a folder for every name in class_names, and this split lacks some classes:
    # list the files here instead, so that each keeps its class index.
    paths, labels = [], []
    for index, folder in enumerate(FOLDERS):
        folder_path = os.path.join(directory, folder)
        if os.path.isdir(folder_path):
            for name in sorted(os.listdir(folder_path)):
                paths.append(os.path.join(folder_path, name))
                labels.append(index)

    def load(path, label):
        image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
        image = tf.image.resize(image, image_size)
        if label_mode == "categorical":
            label = tf.one_hot(label, len(FOLDERS))
        return image, label

    dataset = tf.data.Dataset.from_tensor_slices((paths, labels))
    if shuffle:
        dataset = dataset.shuffle(len(paths), seed=seed)
    dataset = dataset.map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(batch_size)
    dataset.class_names = FOLDERS
    return dataset


def torchvision_dataset(split, transform=None, target_transform=None):
    """A torchvision ImageFolder whose classes are every class of the export, in order."""
    from torchvision import datasets

    class ExportImageFolder(datasets.ImageFolder):
        def find_classes(self, directory):
            return list(FOLDERS), {folder: i for i, folder in enumerate(FOLDERS)}

        @staticmethod
        def make_dataset(directory, class_to_idx, *args, **kwargs):
            # Only the folders this split has: torchvision refuses a class with no file.
            present = {f: i for f, i in class_to_idx.items() if os.path.isdir(os.path.join(directory, f))}
            return datasets.folder.make_dataset(directory, present, *args, **kwargs)

    return ExportImageFolder(os.path.join(ROOT, split), transform=transform, target_transform=target_transform)


if __name__ == "__main__":
    print(f"{len(CLASS_NAMES)} classes: {', '.join(CLASS_NAMES)}")
    try:
        import torchvision  # noqa: F401

        for split in SPLITS:
            count = len(torchvision_dataset(split))
            print(f"{split}: {count} image{'' if count == 1 else 's'} (torchvision)")
    except ImportError:
        for split in SPLITS:
            print(f"{split}: {keras_dataset(split).cardinality()} batches (Keras)")
`;

/** `dataset.py` of the PyTorch export (reads `annotations.json`). */
export const PYTORCH_DATASET = `"""A torch.utils.data.Dataset for this export. Exported by ModelShip.

    python3 dataset.py           # prints each split's size and its first sample

    from dataset import ExportDataset, collate
    train = ExportDataset("train")                # every split: ExportDataset()
    image, target = train[0]

image: a float tensor C x H x W in [0, 1] (or, with transform=..., whatever it returns from
the PIL image), EXIF orientation applied, so boxes line up.
target:
    single-label classification: the class index (int64 tensor)
    multi-label classification:  a multi-hot float tensor of len(classes)
    object detection: {"boxes": float tensor N x 4 (x1, y1, x2, y2 pixels),
                       "labels": int64 tensor N, "image_id": int}
Class index i is annotations.json's classes[i]. torchvision detection models keep label 0
for the background: pass label_offset=1 (and num_classes=len(classes) + 1) for them.
Batch detection samples with DataLoader(..., collate_fn=collate).
"""
import json
import os

import torch
from PIL import Image, ImageOps
from torch.utils.data import Dataset

ROOT = os.path.dirname(os.path.abspath(__file__))


def collate(batch):
    """Keeps images and targets as tuples (detection images differ in size)."""
    return tuple(zip(*batch))


class ExportDataset(Dataset):
    def __init__(self, split=None, root=ROOT, transform=None, label_offset=0):
        with open(os.path.join(root, "annotations.json"), encoding="utf-8") as f:
            info = json.load(f)
        self.root = root
        self.kind = info["kind"]
        self.multi_label = info["multi_label"]
        self.classes = info["classes"]
        self.splits = info["splits"]
        self.items = [item for item in info["items"] if split is None or item["split"] == split]
        self.transform = transform
        self.label_offset = label_offset

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        item = self.items[index]
        with Image.open(os.path.join(self.root, item["file"])) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
        if self.transform is not None:
            image = self.transform(image)
        else:
            import torchvision.transforms.functional as F

            image = F.to_tensor(image)
        return image, self.target(item)

    def target(self, item):
        if self.kind == "object-detection":
            boxes = [[b["x"], b["y"], b["x"] + b["w"], b["y"] + b["h"]] for b in item["boxes"]]
            return {
                "boxes": torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4),
                "labels": torch.tensor([b["class"] + self.label_offset for b in item["boxes"]], dtype=torch.int64),
                "image_id": item["id"],
            }
        if self.multi_label:
            hot = torch.zeros(len(self.classes), dtype=torch.float32)
            for i in item["labels"]:
                hot[i] = 1.0
            return hot
        return torch.tensor(item["label"] + self.label_offset, dtype=torch.int64)


def _describe(value):
    if isinstance(value, torch.Tensor):
        return f"{value.dtype} {tuple(value.shape)}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_describe(v)}" for k, v in value.items()) + "}"
    return repr(value)


if __name__ == "__main__":
    everything = ExportDataset()
    print(f"{everything.kind}, {len(everything.classes)} classes: {', '.join(everything.classes)}")
    for split in everything.splits:
        dataset = ExportDataset(split)
        image, target = dataset[0]
        count = f"{len(dataset)} image{'' if len(dataset) == 1 else 's'}"
        print(f"{split}: {count}; first: image {_describe(image)}, target {_describe(target)}")
`;
