#!/usr/bin/env bash
# Opens an HTML report in headless Chromium, with every network request pointed at a proxy that does not
# exist, and keeps what it drew and what it parsed:
#   scripts/check_report.sh REPORT.html OUTDIR
#     OUTDIR/report.png       a 1280x4000 screenshot
#     OUTDIR/report.dom.html  the DOM after parsing (--dump-dom)
#     OUTDIR/chromium.log     Chromium's stderr
# Network guard, two layers: Chromium runs behind a proxy that does not exist (127.0.0.1:9, not bypassed even
# for loopback), so a request cannot leave the machine; and, the part that is checked, a report must be
# self-contained (report::Document inlines CSS and SVG), so the check fails when the parsed DOM has a src=,
# href=, xlink:href=, srcset=, action= or poster= attribute, or a CSS url(...), that is not "#…" or "data:…".
# The screenshot must be a PNG; its content is for people (and for tests that compare sizes).
# Exit status: 0 ok; 1 a check failed (the reason on stderr, starting "check_report: FAIL"); 2 bad usage;
# 77 Chromium is not installed (Debian package chromium; scripts/install-deps.sh installs it).
set -uo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: scripts/check_report.sh REPORT.html OUTDIR" >&2
  exit 2
fi
report=$1
outdir=$2
if [[ ! -f "$report" ]]; then
  echo "check_report: FAIL: no file $report" >&2
  exit 1
fi
chromium=""
for c in chromium chromium-browser; do
  if command -v "$c" >/dev/null 2>&1; then
    chromium=$(command -v "$c")
    break
  fi
done
if [[ -z "$chromium" ]]; then
  echo "check_report: SKIP: chromium not installed (apt-get install chromium; scripts/install-deps.sh)" >&2
  exit 77
fi
mkdir -p "$outdir" || exit 1
url="file://$(realpath "$report")"
png="$outdir/report.png"
dom="$outdir/report.dom.html"
log="$outdir/chromium.log"
rm -f "$png" "$dom" "$log"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# Root needs --no-sandbox. The proxy 127.0.0.1:9 (discard port, nothing listening) with no bypass, not even
# for loopback, makes any http(s) request fail instead of leaving the machine.
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars
  --no-first-run --no-default-browser-check --disable-extensions --disable-background-networking
  --disable-component-update --disable-sync --metrics-recording-only --mute-audio
  --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>'
  --user-data-dir="$profile")
run() { HOME="$profile" timeout 60 "$chromium" "${flags[@]}" "$@"; }

if ! run --window-size=1280,4000 --screenshot="$png" "$url" >/dev/null 2>>"$log"; then
  echo "check_report: FAIL: chromium --screenshot failed or timed out (see $log)" >&2
  exit 1
fi
if ! run --dump-dom "$url" >"$dom" 2>>"$log"; then
  echo "check_report: FAIL: chromium --dump-dom failed or timed out (see $log)" >&2
  exit 1
fi

fail=0
# The screenshot: a PNG, and not a blank page (a white 1280x4000 PNG compresses to a few kB).
if [[ ! -s "$png" ]] || [[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]]; then
  echo "check_report: FAIL: $png is not a PNG" >&2
  fail=1
fi
if [[ ! -s "$dom" ]] || ! grep -qi '<body' "$dom"; then
  echo "check_report: FAIL: the dumped DOM $dom has no <body>" >&2
  fail=1
fi
# Network guard: every reference in the DOM stays inside the page.
external=$(grep -oiE '(src|href|srcset|action|poster|xlink:href)[[:space:]]*=[[:space:]]*("[^"]*"|'"'"'[^'"'"']*'"'"')' "$dom" |
  grep -viE '=[[:space:]]*["'"'"'](#|data:)' || true)
css=$(grep -oiE 'url\([^)]*\)' "$dom" | grep -viE 'url\([[:space:]]*["'"'"']?(#|data:)' || true)
if [[ -n "$external" || -n "$css" ]]; then
  echo "check_report: FAIL: the report refers to something outside itself (it must be self-contained):" >&2
  printf '  %s\n' $external $css | head -20 >&2
  fail=1
fi
[[ $fail -ne 0 ]] && exit 1
echo "check_report: ok: $png ($(stat -c %s "$png") bytes), $dom ($(stat -c %s "$dom") bytes)"
