#!/usr/bin/env python3
"""Converts `{"text", "entities": [[start, end, label]]}` JSON lines (end exclusive, code
points) into CLUENER2020's own form, `{"text", "label": {LABEL: {MENTION: [[start, end]]}}}`
with inclusive ends, to check that `biaozhu import` reads CLUENER files.

    python3 scripts/cluener_to_native.py IN.jsonl OUT.json

Prints the number of records and entities written. Labels are kept as they are.
"""

import json
import sys


def convert(line):
    record = json.loads(line)
    text = record["text"]
    labels = {}
    for start, end, label in record.get("entities", []):
        mention = text[start:end]
        labels.setdefault(label, {}).setdefault(mention, []).append([start, end - 1])
    return {"text": text, "label": labels}, len(record.get("entities", []))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n_records = n_entities = 0
    with open(sys.argv[1], encoding="utf-8") as source, open(sys.argv[2], "w", encoding="utf-8") as out:
        for line in source:
            if not line.strip():
                continue
            native, n = convert(line)
            out.write(json.dumps(native, ensure_ascii=False) + "\n")
            n_records += 1
            n_entities += n
    print(f"{n_records} records, {n_entities} entities written to {sys.argv[2]}")


if __name__ == "__main__":
    main()
