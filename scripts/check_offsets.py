#!/usr/bin/env python3
"""Interop check: loads biaozhu exports with Python's standard library only and checks
that every offset means what it says in Python, where text[start:end] counts code points.

usage: check_offsets.py doccano EXPORT.jsonl [TAGGED.jsonl]

With TAGGED (the output of `biaozhu tag` on the same texts), the entity texts of the
export must equal the entity texts that `tag` found: two independent paths, one answer.
"""
import json
import sys


def fail(message):
    print(f"check_offsets: {message}", file=sys.stderr)
    sys.exit(1)


def doccano(path):
    """Returns, per line, the text and the list of (entity text, label)."""
    documents = []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            row = json.loads(line)
            text = row["text"]
            ids = set()
            spans = []
            for e in row["entities"]:
                start, end = e["start_offset"], e["end_offset"]
                if not (0 <= start < end <= len(text)):
                    fail(f"{path}:{line_no}: entity {e['id']} [{start}, {end}) is outside the text ({len(text)} chars)")
                piece = text[start:end]
                if piece != piece.strip() or "\n" in piece:
                    fail(f"{path}:{line_no}: entity {e['id']} {piece!r} has white space at an edge or a line break")
                ids.add(e["id"])
                spans.append((piece, e["label"]))
            for r in row["relations"]:
                if r["from_id"] not in ids or r["to_id"] not in ids:
                    fail(f"{path}:{line_no}: relation {r['id']} points outside this line's entities")
            documents.append((text, spans))
    return documents


def tagged(path):
    documents = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            text = row["text"]
            documents.append((text, [(text[s:e], label) for s, e, label in row["entities"]]))
    return documents


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1] != "doccano":
        fail(__doc__.strip().splitlines()[2])
    exported = doccano(sys.argv[2])
    n_entities = sum(len(spans) for _, spans in exported)
    if len(sys.argv) == 4:
        reference = tagged(sys.argv[3])
        if [t for t, _ in reference] != [t for t, _ in exported]:
            fail("the tagged texts differ from the exported texts")
        for i, ((_, got), (_, want)) in enumerate(zip(exported, reference), 1):
            if got != want:
                fail(f"document {i}: export has {got[:5]}…, tag has {want[:5]}…")
    print(f"check_offsets: {len(exported)} documents, {n_entities} entities, every text[start:end] checked")


if __name__ == "__main__":
    main()
