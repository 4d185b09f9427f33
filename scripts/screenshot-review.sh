#!/usr/bin/env bash
# Screenshots of the statistics and review views on a two-annotator project, under Xvfb.
# usage: scripts/screenshot-review.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs}
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
export XDG_RUNTIME_DIR="$work/run"; mkdir -m 0700 "$XDG_RUNTIME_DIR"
export DISPLAY=:98 LIBGL_ALWAYS_SOFTWARE=1
Xvfb :98 -screen 0 1400x900x24 >/dev/null 2>&1 & xvfb=$!
sleep 1
bash scripts/team-project.sh "$work" >/dev/null 2>&1
shoot() {
  target/release/biaozhu gui --db "$work/team.sqlite" --view "$1" 2>/dev/null & local app=$!
  for _ in $(seq 1 40); do xdotool search --name biaozhu >/dev/null 2>&1 && break; sleep 0.5; done
  sleep 2
  local win; win=$(xdotool search --name biaozhu | head -1)
  xdotool windowsize "$win" 1400 900 2>/dev/null || true
  xdotool windowfocus --sync "$win" 2>/dev/null || true
  sleep 1
  if [ "$1" = review ]; then
    # Walk to the first place where alice and bob disagree on the label.
    for _ in $(seq 1 12); do xdotool key Down; sleep 0.1; done
  fi
  sleep 1
  import -window root "$out/$2"
  kill "$app"
  wait "$app" 2>/dev/null || true
}
shoot stats statistics.png
shoot review review.png
