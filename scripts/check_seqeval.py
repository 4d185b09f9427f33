#!/usr/bin/env python3
"""Runs seqeval on a biaozhu CoNLL export, tags against themselves: every entity must come back.

usage: check_seqeval.py DATASET.conll [ENTITIES]

seqeval's classification_report of the tags against themselves must have precision, recall and
F1 of 1 and a support that adds up to the number of entities in the file (or to ENTITIES, the
count `biaozhu export` reported). BIOES files (an S- or E- tag) are read with mode="strict" and
the IOBES scheme.
"""
import sys

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2, IOBES


def fail(message):
    print(f"check_seqeval: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) not in (2, 3):
        fail(__doc__.strip().splitlines()[2])
    sentences, sentence = [], []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0] == "-DOCSTART-":
                if sentence:
                    sentences.append(sentence)
                sentence = []
                continue
            sentence.append(fields[-1])
    if sentence:
        sentences.append(sentence)
    bioes = any(tag[:2] in ("S-", "E-") for s in sentences for tag in s)
    n_begins = sum(tag[:2] in ("B-", "S-") for s in sentences for tag in s)
    kwargs = {"mode": "strict", "scheme": IOBES if bioes else IOB2}
    report = classification_report(sentences, sentences, output_dict=True, zero_division=0, **kwargs)
    labels = {k: v for k, v in report.items() if not k.endswith(" avg")}
    support = sum(int(v["support"]) for v in labels.values())
    expected = int(sys.argv[2]) if len(sys.argv) == 3 else n_begins
    if support != expected:
        fail(f"seqeval counts {support} entities, expected {expected}")
    for name, scores in labels.items():
        if scores["f1-score"] != 1.0:
            fail(f"{name}: F1 {scores['f1-score']} of the tags against themselves")
    print(f"check_seqeval: {support} entities in {len(labels)} labels, {len(sentences)} sentences, F1 1.0 ({'IOBES' if bioes else 'IOB2'}, strict)")


if __name__ == "__main__":
    main()
