#!/usr/bin/env bash
# Copies the README's first-day pictures from the browser tests' screenshots
# (test-results/screenshots, written by `npm run test:browser`) into docs/first-day/,
# cropped to the first screen and reduced to a few dozen kilobytes each with ImageMagick.
set -euo pipefail
cd "$(dirname "$0")/.."
src=test-results/screenshots
dst=docs/first-day

# ImageMagick's own convert (apt-get install imagemagick), not a stand-in earlier on the PATH.
convert=/usr/bin/convert
[ -x "$convert" ] || { echo "needs ImageMagick: apt-get install imagemagick" >&2; exit 1; }
mkdir -p "$dst"
# name in the README <- screenshot of the browser journey [from this many pixels down]
while read -r name shot top; do
  [ -f "$src/$shot.png" ] || { echo "missing $src/$shot.png: run npm run test:browser first" >&2; exit 1; }
  # Phone shots keep their width; desktop shots are halved. At most one screen and a half tall.
  "$convert" "$src/$shot.png" -crop "1366x1100+0+${top:-0}" +repage -resize '683x>' -colors 64 \
    -define png:compression-level=9 -strip "$dst/$name.png"
  printf '%-28s %6d bytes\n' "$name.png" "$(stat -c %s "$dst/$name.png")"
done <<'LIST'
asn-next-step         learner-03-next-step
asn-exam-start        learner-09-exam-start-phone
asn-credential        learner-12-credential
coordinator-import    coordinator-03-import-preview
coordinator-publish   coordinator-07-publish-refused
coordinator-grading   coordinator-09-grade-refused
admin-user            admin-02-user-edit
admin-heatmap         admin-08-heatmap 1700
admin-revoke          admin-11-revoke-refused
LIST
