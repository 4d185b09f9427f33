#!/usr/bin/env python3
"""Validates a biaozhu Label Studio export against its labeling config with label-studio-sdk.

usage: check_label_studio.py CONFIG.xml TASKS.json

The config (`biaozhu export --format label-studio --ls-config CONFIG.xml`) must pass
LabelInterface.validate(); every task must carry the data its <Text> reads, and every annotation
and prediction must pass the SDK's validation (from_name, to_name, type, labels in the config,
relations between regions of the same result, scores in [0, 1]).
"""
import json
import sys

from label_studio_sdk.label_interface import LabelInterface


def fail(message):
    print(f"check_label_studio: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 3:
        fail(__doc__.strip().splitlines()[2])
    with open(sys.argv[1], encoding="utf-8") as f:
        config = f.read()
    interface = LabelInterface(config)
    interface.validate()
    with open(sys.argv[2], encoding="utf-8") as f:
        tasks = json.load(f)
    counts = {"annotations": 0, "predictions": 0, "results": 0}
    for task in tasks:
        if not isinstance(task.get("data", {}).get("text"), str):
            fail(f"task {task.get('id')}: no data.text for <Text value=\"$text\">")
        for key in ("annotations", "predictions"):
            for layer in task.get(key, []):
                # validate_annotation answers True or False; the same checks give the reasons.
                errors = interface.validate_prediction(layer, return_errors=True)
                if errors or (key == "annotations" and not interface.validate_annotation(layer)):
                    fail(f"task {task.get('id')} {key}: {errors[:3] or 'invalid'}")
                counts[key] += 1
                counts["results"] += len(layer["result"])
    print(f"check_label_studio: {len(tasks)} tasks, {counts['annotations']} annotations, "
          f"{counts['predictions']} predictions, {counts['results']} results valid against {sys.argv[1]}")


if __name__ == "__main__":
    main()
