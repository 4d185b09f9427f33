#!/usr/bin/env python3
"""Loads a biaozhu HF export folder with Hugging Face `datasets` and checks it.

usage: check_hf_dataset.py FOLDER

Checks that `datasets.load_dataset(FOLDER)` reads every split of the dataset card, that
`ner_tags` is a sequence of ClassLabel whose names are label_list.json, that every row's tags
decode to the strings in the JSONL file, and that the rows of each document are contiguous
(char_offset of a row = char_offset + length of the one before).
"""
import json
import os
import sys
import tempfile

import datasets


def fail(message):
    print(f"check_hf_dataset: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        fail(__doc__.strip().splitlines()[2])
    folder = sys.argv[1]
    with open(os.path.join(folder, "label_list.json"), encoding="utf-8") as f:
        label_list = json.load(f)
    # A cache of its own: datasets would otherwise reuse what it cached for another folder of the same name.
    with tempfile.TemporaryDirectory() as cache:
        check_folder(folder, label_list, datasets.load_dataset(folder, cache_dir=cache))


def check_folder(folder, label_list, loaded):
    rows = 0
    for split, dataset in loaded.items():
        feature = dataset.features["ner_tags"]
        inner = getattr(feature, "feature", None)
        if inner is None and isinstance(feature, list):
            inner = feature[0]
        if not isinstance(inner, datasets.ClassLabel):
            fail(f"{split}: ner_tags is {feature}, not a sequence of ClassLabel")
        if inner.names != label_list:
            fail(f"{split}: ClassLabel names {inner.names} differ from label_list.json {label_list}")
        with open(os.path.join(folder, f"{split}.jsonl"), encoding="utf-8") as f:
            exported = [json.loads(line) for line in f]
        if len(exported) != len(dataset):
            fail(f"{split}: datasets has {len(dataset)} rows, the file {len(exported)}")
        next_offset = {}
        for i, (row, want) in enumerate(zip(dataset, exported), 1):
            tags = [inner.int2str(t) for t in row["ner_tags"]]
            if tags != want["ner_tags"] or row["tokens"] != want["tokens"]:
                fail(f"{split} row {i}: decoded tags differ from the exported strings")
            document = row["document_id"]
            if next_offset.get(document, 0) != row["char_offset"]:
                fail(f"{split} row {i}: starts at {row['char_offset']}, the document's rows so far end at {next_offset.get(document, 0)}")
            next_offset[document] = row["char_offset"] + len(row["tokens"])
        rows += len(dataset)
    print(f"check_hf_dataset: {rows} rows in {', '.join(loaded)} load with ClassLabel ner_tags ({len(label_list)} names)")


if __name__ == "__main__":
    main()
