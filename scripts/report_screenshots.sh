#!/usr/bin/env bash
# Runs the pipeline on corpus/ and on the shared news corpus, writes `docpipe report` for
# each, and takes full-page screenshots of the reports with headless Chromium into
# docs/report-corpus.png and docs/report-news.png (the README shows them).
#
# Needs: a release build (cargo build --release), Chromium (Debian: apt-get install -y
# chromium) and ../shared beside the repository for the news corpus (evaluation data: only the
# screenshot of its report is committed, never the data).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
docpipe=$(realpath "${DOCPIPE:-$root/target/release/docpipe}")
news=$(realpath "${NEWS:-$root/../shared/corpora/news_en_combined/news_en_combined.jsonl.gz}")
chromium=${CHROMIUM:-chromium}
# Wide enough for the two-column layout; each page's height is measured from the report.
width=1280
# A page taller than this is shot down to it: the news report's ten largest stories with their
# timelines run to about 11,000 pixels (a 2.6 MB image); the charts and the first stories show
# what the page is.
max_height=${MAX_HEIGHT:-6000}

[ -x "$docpipe" ] || { echo "no $docpipe: run cargo build --release first" >&2; exit 1; }
command -v "$chromium" >/dev/null || { echo "no $chromium: apt-get install -y chromium" >&2; exit 1; }
[ -f "$news" ] || { echo "no $news: ../shared is needed for the news report" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

shoot() {
    local html=$1 png=$2 height=$3
    # No network, no profile, no background services: the page must render from itself.
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$work/profile" \
        --screenshot="$png" --window-size="$width,$height" "file://$html" 2>/dev/null
}

# The page height as Chromium lays it out: printed by a headless --dump-dom of a copy of the
# page with a script that writes it into the document (the report itself has no script).
page_height() {
    local html=$1 probe="$work/probe.html"
    sed 's|</body>|<script>document.body.setAttribute("data-height", Math.ceil(document.documentElement.scrollHeight))</script></body>|' \
        "$html" > "$probe"
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile" --window-size="$width,1000" --dump-dom \
        "file://$probe" 2>/dev/null | grep -o 'data-height="[0-9]*"' | grep -o '[0-9]*'
}

report() {
    local input=$1 name=$2 png=$3
    shift 3
    # In the scratch folder, so the page names its files as a user's run would: NAME.jsonl...
    (cd "$work" && "$docpipe" run "$input" -o "$name.jsonl" -q "$@" && "$docpipe" report "$name.jsonl")
    local height
    height=$(page_height "$work/$name.report.html")
    if [ "$height" -gt "$max_height" ]; then
        echo "$png: the page is ${height} pixels tall; shot down to $max_height" >&2
        height=$max_height
    fi
    shoot "$work/$name.report.html" "$png" "$height"
    echo "$png: ${width}x$height"
}

mkdir -p "$root/docs"
report "$root/corpus" corpus "$root/docs/report-corpus.png"
report "$news" news "$root/docs/report-news.png" --drop-duplicates
