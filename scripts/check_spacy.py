#!/usr/bin/env python3
"""Checks biaozhu's CoNLL and spaCy exports with spaCy itself.

usage: check_spacy.py DATASET.conll SPACY.jsonl

1. `python -m spacy convert -c ner DATASET.conll OUT/` must succeed, and the DocBin it writes
   must hold the same entities (text and label) as the CoNLL file's tags.
2. Every line of SPACY.jsonl becomes a Doc of its own tokens (the words and spaces given), and
   every span must be `doc.char_span(start, end, label, alignment_mode="strict")`, never None;
   the Docs go into a DocBin that must read back the same entities.
"""
import json
import os
import subprocess
import sys
import tempfile

import spacy
from spacy.tokens import Doc, DocBin


def fail(message):
    print(f"check_spacy: {message}", file=sys.stderr)
    sys.exit(1)


def conll_entities(path):
    """(entity text, label) of every entity in the CoNLL file, read from its BIO/BIOES tags."""
    entities, chars, start, label = [], [], None, None

    def close(end):
        nonlocal start, label
        if start is not None:
            entities.append(("".join(chars[start:end]), label))
        start = label = None

    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0] == "-DOCSTART-":
                close(len(chars))
                chars.clear()
                continue
            token, tag = fields[0], fields[-1]
            chars.append(chr(int(token[2:], 16)) if token.startswith("\\u") else token)
            prefix, _, name = tag.partition("-")
            i = len(chars) - 1
            if not (prefix in ("I", "E") and start is not None and name == label):
                close(i)
                if prefix in ("B", "I", "E", "S"):
                    start, label = i, name
            if prefix in ("E", "S"):
                close(i + 1)
    close(len(chars))
    return entities


def check_convert(conll_path, vocab):
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, "-m", "spacy", "convert", "-c", "ner", conll_path, out],
            capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"spacy convert -c ner {conll_path} failed:\n{done.stdout}\n{done.stderr}")
        written = [name for name in os.listdir(out) if name.endswith(".spacy")]
        if len(written) != 1:
            fail(f"spacy convert wrote {written}")
        docs = list(DocBin().from_disk(os.path.join(out, written[0])).get_docs(vocab))
    # spaCy joins a document's characters with spaces; an entity's text is its tokens joined.
    found = [("".join(t.text for t in ent), ent.label_) for doc in docs for ent in doc.ents]
    want = conll_entities(conll_path)
    if found != want:
        diff = next(((i, a, b) for i, (a, b) in enumerate(zip(found, want)) if a != b), None)
        fail(f"spacy convert: {len(found)} entities, the CoNLL tags have {len(want)}; first difference {diff}")
    return len(docs), len(found)


def check_jsonl(path, vocab):
    docbin = DocBin(store_user_data=False)
    want = []
    n_docs = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            row = json.loads(line)
            tokens = row["tokens"]
            words = [t["text"] for t in tokens]
            spaces = [bool(t.get("ws")) for t in tokens]
            doc = Doc(vocab, words=words, spaces=spaces)
            if doc.text != row["text"]:
                fail(f"{path}:{n}: the tokens do not make the text")
            spans = []
            for s in row.get("spans", []):
                span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
                if span is None:
                    fail(f"{path}:{n}: span {s} is not on token boundaries (char_span strict gives None)")
                spans.append(span)
                want.append((span.text, s["label"]))
            doc.ents = spans
            docbin.add(doc)
            n_docs += 1
    back = list(DocBin().from_bytes(docbin.to_bytes()).get_docs(vocab))
    found = [(ent.text, ent.label_) for doc in back for ent in doc.ents]
    if found != want:
        fail(f"{path}: the DocBin reads back {len(found)} entities, not {len(want)}")
    return n_docs, len(found)


def main():
    if len(sys.argv) != 3:
        fail(__doc__.strip().splitlines()[2])
    vocab = spacy.blank("xx").vocab
    docs, ents = check_convert(sys.argv[1], vocab)
    print(f"check_spacy: spacy convert -c ner: {docs} documents, {ents} entities agree with the CoNLL tags")
    docs, ents = check_jsonl(sys.argv[2], vocab)
    print(f"check_spacy: {docs} spaCy JSONL lines into a DocBin, {ents} spans char_span-strict")


if __name__ == "__main__":
    main()
