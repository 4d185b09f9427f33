#!/usr/bin/env python3
"""Checks a biaozhu brat export with brat's own code: its config parser and annotation checker.

usage: BRAT_DIR=/path/to/brat check_brat.py FOLDER

BRAT_DIR is a checkout of brat (github.com/nlplab/brat; its server/src is Python 3). The script
parses FOLDER's annotation.conf and visual.conf with brat's ProjectConfiguration, fails on any
warning or error brat's Messager reports (such as a type name brat rewrites for storage), and runs
brat's verify_annotation on every .ann: 0 issues wanted. It also checks that visual.conf's first
line is biaozhu's name-map marker and that every type in the .ann files is in annotation.conf.
Without BRAT_DIR it prints "skipped: set BRAT_DIR" and exits 0.
"""
import os
import sys
import types

MARKER = "# biaozhu: brat type names mapped to the project's names"


def fail(message):
    print(f"check_brat: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        fail(__doc__.strip().splitlines()[2])
    brat_dir = os.environ.get("BRAT_DIR")
    if not brat_dir:
        print("check_brat: skipped: set BRAT_DIR")
        return
    folder = os.path.abspath(sys.argv[1])
    sys.path.insert(0, os.path.join(brat_dir, "server", "src"))
    # Shims, here and not in brat: brat's installer writes config.py, of which the parts used
    # here need DEBUG and BASE_DIR (the top of the search for annotation.conf); and brat opens
    # files in mode "rU", which Python 3.11 removed.
    stub = types.ModuleType("config")
    stub.DEBUG = False
    stub.BASE_DIR = folder
    sys.modules["config"] = stub
    import codecs

    import annotation

    def open_textfile(filename, mode="r"):
        return codecs.open(filename, mode.replace("U", ""), encoding="utf8", errors="strict")

    annotation.open_textfile = open_textfile
    import projectconfig

    projectconfig.open_textfile = open_textfile
    from message import Messager
    from projectconfig import ProjectConfiguration
    from verify_annotations import verify_annotation

    with open(os.path.join(folder, "visual.conf"), encoding="utf-8") as f:
        first = f.readline().rstrip("\n")
    if first != MARKER:
        fail(f"visual.conf starts {first!r}, not the name-map marker")
    projectconf = ProjectConfiguration(folder)
    entity_types = set(projectconf.get_entity_types())
    relation_types = set(projectconf.get_relation_types())
    projectconf.get_labels()
    projectconf.get_drawing_types()
    messages = Messager.output_json({}).get("messages", [])
    complaints = [m for m in messages if m[1] in ("warning", "error")]
    if complaints:
        fail(f"brat's config parser complains: {complaints[:3]}")
    n_files = n_issues = n_entities = n_relations = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ann"):
            continue
        with annotation.TextAnnotations(os.path.join(folder, name[:-4]), read_only=True) as document:
            issues = verify_annotation(document, projectconf)
            for issue in issues:
                print(f"{name}: {issue.human_readable_str()}", file=sys.stderr)
            n_issues += len(issues)
            for t in document.get_textbounds():
                n_entities += 1
                if t.type not in entity_types:
                    fail(f"{name}: {t.id} has type {t.type!r}, not in annotation.conf")
            for r in document.get_relations():
                n_relations += 1
                if r.type not in relation_types:
                    fail(f"{name}: {r.id} has type {r.type!r}, not in annotation.conf")
        n_files += 1
    messages = Messager.output_json({}).get("messages", [])
    complaints = [m for m in messages if m[1] in ("warning", "error")]
    if complaints:
        fail(f"brat complains: {complaints[:3]}")
    if n_issues:
        fail(f"{n_issues} issues in {n_files} .ann files")
    print(f"check_brat: {n_files} .ann files, {n_entities} entities, {n_relations} relations, 0 issues "
          f"({len(entity_types)} entity and {len(relation_types)} relation types in annotation.conf)")


if __name__ == "__main__":
    main()
