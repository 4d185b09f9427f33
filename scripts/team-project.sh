#!/usr/bin/env bash
# Builds a two-annotator project from the sample corpus for demos and screenshots:
# alice accepts every suggestion; bob accepts most, relabels some and adds none.
# usage: scripts/team-project.sh OUT_DIR   (writes OUT_DIR/team.sqlite)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: team-project.sh OUT_DIR}
mkdir -p "$out"
bin=target/release/biaozhu
for who in alice bob; do
  rm -f "$out/$who.sqlite"*
  "$bin" import --db "$out/$who.sqlite" corpus >/dev/null
  "$bin" pretag --db "$out/$who.sqlite" >/dev/null
  python3 - "$out/$who.sqlite" "$who" <<'PY'
import random, sqlite3, sys
path, who = sys.argv[1], sys.argv[2]
random.seed(7 if who == "alice" else 11)
db = sqlite3.connect(path)
start = 1_774_000_000_000
rows = db.execute("SELECT id, label FROM entities WHERE status = 'suggested' ORDER BY id").fetchall()
for n, (entity, label) in enumerate(rows):
    status, new_label = "accepted", label
    if who == "bob":
        roll = random.random()
        if roll < 0.08:
            status = "rejected"
        elif roll < 0.16:
            new_label = {"ORG": "LOC", "LOC": "ORG", "PER": "TITLE", "TITLE": "PER"}.get(label, label)
    when = start + n * 60_000 + random.randint(0, 30_000)
    db.execute("UPDATE entities SET status = ?, label = ?, annotator = ?, updated_at_ms = ? WHERE id = ?",
               (status, new_label, who, when, entity))
db.execute("UPDATE relations SET status = 'accepted', annotator = ? WHERE status = 'suggested'", (who,))
db.execute("DELETE FROM relations WHERE head_id IN (SELECT id FROM entities WHERE status = 'rejected') OR tail_id IN (SELECT id FROM entities WHERE status = 'rejected')")
db.commit()
PY
done
rm -f "$out/team.sqlite"*
"$bin" merge --db "$out/team.sqlite" "$out/alice.sqlite" "$out/bob.sqlite"
python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute(\"INSERT OR REPLACE INTO meta(key, value) VALUES ('annotator', 'lead')\"); db.commit()" "$out/team.sqlite"
