#!/usr/bin/env bash
# Runs the release app under Xvfb on a copy of the sample project and saves screenshots.
# Needs: xvfb imagemagick xdotool libgl1-mesa-dri libegl-mesa0 (Debian packages).
# usage: scripts/screenshot.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs}
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
export XDG_RUNTIME_DIR="$work/run"; mkdir -m 0700 "$XDG_RUNTIME_DIR"
export DISPLAY=:99 LIBGL_ALWAYS_SOFTWARE=1
Xvfb :99 -screen 0 1400x900x24 >/dev/null 2>&1 & xvfb=$!
sleep 1
mkdir -p "$work/project"
cp -r corpus "$work/project/"
( cd "$work/project" && BIAOZHU_TIMING=1 "$OLDPWD/target/release/biaozhu" 2>"$work/app.log" ) & app=$!
for _ in $(seq 1 40); do
  xdotool search --name "biaozhu" >/dev/null 2>&1 && break
  sleep 0.5
done
sleep 2
win=$(xdotool search --name "biaozhu" | head -1)
xdotool windowsize "$win" 1400 900 2>/dev/null || true
xdotool windowfocus --sync "$win" 2>/dev/null || true
sleep 1
import -window root "$out/workspace-start.png"
# The annotator name field sits at the bottom left: type a name, then annotate.
xdotool mousemove 170 888 click 1; sleep 0.3
xdotool type --delay 50 "reviewer"; xdotool key Return; sleep 0.5
xdotool mousemove 700 500; sleep 0.2
# Tab to the first suggestion, accept five (Enter moves on), show word boundaries via the next Tab.
for key in Tab Return Return Return Return Return; do xdotool key "$key"; sleep 0.3; done
sleep 1
import -window root "$out/workspace.png"
# Go to 刘韵洁 (char 590) with Ctrl+G: the person is selected, its arcs drawn and the side list shows its
# relations; ↓ selects the first of them.
xdotool key Escape; sleep 0.3
xdotool key ctrl+g; sleep 0.4
xdotool type --delay 50 "590"; xdotool key Return; sleep 0.6
xdotool key Down; sleep 0.5
xdotool mousemove 700 880; sleep 0.5
import -window root "$out/relation-review.png"
# Ctrl+End: the end of the document.
xdotool key ctrl+End; sleep 0.8
import -window root "$out/document-end.png"
xdotool key question; sleep 1
import -window root "$out/shortcuts.png"
cat "$work/app.log" >&2
