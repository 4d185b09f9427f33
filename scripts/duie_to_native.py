#!/usr/bin/env python3
"""Converts DuIE JSON lines in biaozhu's `relations` form (`{"text", "relations":
[{"subject", "subject_type", "predicate", "object", "object_type", "object_extra"}]}`)
into DuIE 2.0's own `spo_list` form, to check that `biaozhu import` reads DuIE files.

    python3 scripts/duie_to_native.py IN.jsonl OUT.json

Extra object slots (`object_extra: {"inWork": "..."}`) become slots of `object`, typed as
DuIE 2.0's schema types them (`SLOT_TYPES`). Prints the counts.
"""

import json
import sys

# DuIE 2.0's schema: the type of each extra object slot, by predicate where it differs.
SLOT_TYPES = {"inWork": "影视作品", "onDate": "Date", "period": "Number", "inArea": "地点"}
PREDICATE_SLOT_TYPES = {("获奖", "inWork"): "作品"}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n_records = n_relations = n_slots = 0
    with open(sys.argv[1], encoding="utf-8") as source, open(sys.argv[2], "w", encoding="utf-8") as out:
        for line in source:
            if not line.strip():
                continue
            record = json.loads(line)
            spo_list = []
            for r in record["relations"]:
                obj = {"@value": r["object"]}
                obj_type = {"@value": r["object_type"]}
                for slot, value in (r.get("object_extra") or {}).items():
                    obj[slot] = value
                    obj_type[slot] = PREDICATE_SLOT_TYPES.get((r["predicate"], slot), SLOT_TYPES.get(slot, slot))
                    n_slots += 1
                spo_list.append({
                    "predicate": r["predicate"],
                    "subject": r["subject"],
                    "subject_type": r["subject_type"],
                    "object": obj,
                    "object_type": obj_type,
                })
            out.write(json.dumps({"text": record["text"], "spo_list": spo_list}, ensure_ascii=False) + "\n")
            n_records += 1
            n_relations += len(spo_list)
    print(f"{n_records} records, {n_relations} spo, {n_slots} extra slots written to {sys.argv[2]}")


if __name__ == "__main__":
    main()
