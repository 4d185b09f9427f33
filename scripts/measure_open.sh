#!/usr/bin/env bash
# Opens the release app on a project under Xvfb and prints the time to the first frame, the
# peak RSS, and the CPU it uses while idle for 10 s (it should be 0%: nothing repaints).
# Needs: xvfb (Debian package). usage: scripts/measure_open.sh PROJECT.sqlite [IDLE_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1; idle=${2:-10}
work=$(mktemp -d)
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
export XDG_RUNTIME_DIR="$work/run"; mkdir -m 0700 "$XDG_RUNTIME_DIR"
export DISPLAY=:98 LIBGL_ALWAYS_SOFTWARE=1
Xvfb :98 -screen 0 1400x900x24 >/dev/null 2>&1 & xvfb=$!
sleep 1
BIAOZHU_TIMING=1 target/release/biaozhu gui --db "$db" 2>"$work/app.log" & app=$!
for _ in $(seq 1 300); do grep -q "first frame" "$work/app.log" && break; sleep 0.1; done
cat "$work/app.log"
sleep 3
grep VmHWM /proc/$app/status
ticks() { awk '{print $14 + $15}' /proc/$app/stat; }
t0=$(ticks); sleep "$idle"; t1=$(ticks)
hz=$(getconf CLK_TCK)
awk -v t="$((t1 - t0))" -v hz="$hz" -v s="$idle" 'BEGIN { printf "idle CPU over %d s: %.1f%%\n", s, 100 * t / hz / s }'
