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
xdotool windowactivate --sync "$win" 2>/dev/null || true
xdotool windowsize "$win" 1400 900 2>/dev/null || true
sleep 1
import -window root "$out/workspace-start.png"
# Tab to the first suggestions, accept two, select the next, show the shortcut sheet.
for key in Tab Return Return Tab; do xdotool key --window "$win" "$key"; sleep 0.4; done
sleep 1
import -window root "$out/workspace.png"
xdotool key --window "$win" question; sleep 1
import -window root "$out/shortcuts.png"
cat "$work/app.log" >&2
