#!/usr/bin/env python3
"""Interop check: reads biaozhu's exports with Python's standard library only and checks that
every offset means what it says in Python, where text[start:end] counts code points.

usage: check_exports.py DIR [TAGGED.jsonl]

With TAGGED (the output of `biaozhu tag` on the same texts), the doccano entity texts must equal
the entity texts that `tag` found: two independent paths, one answer.

DIR holds any of: doccano.jsonl, label-studio.json, brat/, dataset.conll, spacy.jsonl, hf/
(the names biaozhu's tests and CI use). doccano.jsonl is required: every other format must give
the same texts and the same (entity text, label) lists, in order.
"""
import json
import os
import sys


def fail(message):
    print(f"check_exports: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def spans_from_tags(tags):
    spans, start, label = [], None, None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, name = tag.partition("-")
        continues = prefix in ("I", "E") and start is not None and name == label
        if not continues and start is not None:
            spans.append((start, i, label))
            start = label = None
        if not continues and prefix in ("B", "I", "E", "S"):
            start, label = i, name
        if prefix in ("E", "S") and start is not None:
            spans.append((start, i + 1, label))
            start = label = None
    return spans


def doccano(path):
    documents = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            row = json.loads(line)
            text = row["text"]
            ids = {}
            for e in row["entities"]:
                s, t = e["start_offset"], e["end_offset"]
                check(0 <= s < t <= len(text), f"{path}:{n}: entity {e} outside the text")
                ids[e["id"]] = (text[s:t], e["label"])
            for r in row["relations"]:
                check(r["from_id"] in ids and r["to_id"] in ids, f"{path}:{n}: relation {r} points outside the line")
            documents.append((text, [ids[e["id"]] for e in row["entities"]]))
    return documents


def label_studio(path):
    documents = []
    with open(path, encoding="utf-8") as f:
        tasks = json.load(f)
    for task in tasks:
        text = task["data"]["text"]
        # Accepted entities are the annotation, suggestions the prediction (which repeats the
        # accepted ends of its relations): together, once each, in text order.
        results = {}
        for layer in task.get("annotations", [])[:1] + task.get("predictions", [])[:1]:
            for result in layer["result"]:
                if result["type"] == "labels":
                    results.setdefault(result["id"], result)
        spans = []
        for result in sorted(results.values(), key=lambda r: (r["value"]["start"], r["value"]["end"])):
            v = result["value"]
            check(text[v["start"]:v["end"]] == v["text"], f"{path}: task {task['id']}: value.text {v['text']!r} is not text[start:end]")
            spans.append((v["text"], v["labels"][0]))
        documents.append((text, spans))
    return documents


def brat_names(folder):
    """visual.conf's `ASCII | 原名` lines: the brat type names biaozhu wrote for the project's names."""
    names, in_labels = {}, False
    with open(os.path.join(folder, "visual.conf"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("["):
                in_labels = line == "[labels]"
            elif in_labels and " | " in line:
                ascii_name, name = line.split(" | ", 1)
                names[ascii_name] = name
    return names


def brat(folder):
    documents = []
    names = brat_names(folder)
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ann"):
            continue
        with open(os.path.join(folder, name[:-4] + ".txt"), encoding="utf-8") as f:
            text = f.read()
        spans = []
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.startswith("T"):
                    continue
                _, middle, quoted = line.rstrip("\n").split("\t")
                label, s, t = middle.split(" ")
                piece = text[int(s):int(t)]
                check(piece.replace("\n", " ") == quoted, f"{name}:{n}: T-line quotes {quoted!r}, text has {piece!r}")
                spans.append((piece, names.get(label, label)))
        documents.append((text, spans))
    return documents


def unescape(token):
    return chr(int(token[2:], 16)) if token.startswith("\\u") else token


def conll(path):
    documents, chars, tags = [], [], []

    def finish():
        if chars:
            text = "".join(chars)
            documents.append((text, [(text[s:t], label) for s, t, label in spans_from_tags(tags)]))
        chars.clear()
        tags.clear()

    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                finish()
            elif line:
                token, tag = line.split(" ")
                check(len(unescape(token)) == 1, f"{path}:{n}: {token!r} is not one character")
                chars.append(unescape(token))
                tags.append(tag)
    finish()
    return documents


def spacy(path):
    documents = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            row = json.loads(line)
            text, tokens = row["text"], row["tokens"]
            check("".join(t["text"] for t in tokens) == text, f"{path}:{n}: tokens do not tile the text")
            for t in tokens:
                check(text[t["start"]:t["end"]] == t["text"], f"{path}:{n}: token {t} is not text[start:end]")
            spans = []
            for s in row["spans"]:
                joined = "".join(t["text"] for t in tokens[s["token_start"]:s["token_end"] + 1])
                check(joined == text[s["start"]:s["end"]], f"{path}:{n}: span {s} does not match its tokens")
                spans.append((text[s["start"]:s["end"]], s["label"]))
            documents.append((text, spans))
    return documents


def hf(folder):
    """An HF dataset folder: the rows of every split's JSONL, joined back by document_id."""
    labels_path = os.path.join(folder, "label_list.json")
    with open(labels_path, encoding="utf-8") as f:
        label_list = json.load(f)
    pieces = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".jsonl"):
            continue
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                row = json.loads(line)
                check(len(row["tokens"]) == len(row["ner_tags"]), f"{path}:{n}: tokens and ner_tags differ in length")
                check(set(row["ner_tags"]) <= set(label_list), f"{labels_path} lacks tags {sorted(set(row['ner_tags']) - set(label_list))}")
                tokens, tags = pieces.setdefault(row["document_id"], ([], []))
                check(row["char_offset"] == len(tokens), f"{path}:{n}: char_offset {row['char_offset']}, the rows before end at {len(tokens)}")
                tokens.extend(row["tokens"])
                tags.extend(row["ner_tags"])
    documents = []
    for document_id in sorted(pieces):
        tokens, tags = pieces[document_id]
        text = "".join(tokens)
        documents.append((text, [(text[s:t], label) for s, t, label in spans_from_tags(tags)]))
    return documents


def main():
    if len(sys.argv) not in (2, 3):
        fail(__doc__.strip().splitlines()[3])
    folder = sys.argv[1]
    reference = doccano(os.path.join(folder, "doccano.jsonl"))
    if len(sys.argv) == 3:
        with open(sys.argv[2], encoding="utf-8") as f:
            tagged = [json.loads(line) for line in f]
        check([row["text"] for row in tagged] == [text for text, _ in reference], "the tagged texts differ from the export")
        for i, (row, (_, spans)) in enumerate(zip(tagged, reference), 1):
            found = [(row["text"][s:t], label) for s, t, label in row["entities"]]
            check(found == spans, f"document {i}: export has {spans[:4]}…, tag has {found[:4]}…")
    readers = [("label-studio.json", label_studio), ("brat", brat), ("dataset.conll", conll), ("spacy.jsonl", spacy), ("hf", hf)]
    checked = ["doccano"]
    for name, reader in readers:
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            continue
        documents = reader(path)
        check(len(documents) == len(reference), f"{name}: {len(documents)} documents, doccano has {len(reference)}")
        for i, ((text, spans), (want_text, want_spans)) in enumerate(zip(documents, reference), 1):
            check(text == want_text, f"{name}: document {i} text differs from doccano's")
            check(spans == want_spans, f"{name}: document {i} entities differ: {spans[:4]} vs {want_spans[:4]}")
        checked.append(name)
    n = sum(len(spans) for _, spans in reference)
    print(f"check_exports: {len(reference)} documents, {n} entities agree in {', '.join(checked)}")


if __name__ == "__main__":
    main()
