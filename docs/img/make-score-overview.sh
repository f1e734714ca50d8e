#!/usr/bin/env bash
# Renders the first sheet (Overview) of score's results workbook for the README, as LibreOffice
# prints it: score the returned example files, convert the workbook to PDF with LibreOffice, and
# crop the top of page 1 to a PNG with pdftoppm (apt-get install libreoffice-calc poppler-utils).
#   bash docs/img/make-score-overview.sh      (from the root of the repository)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
impactkit score "$root"/examples/returned/aanbestedingen.xlsx "$root"/examples/returned/bouw-noord.xlsx \
    "$root"/examples/returned/groen-en-co.csv -o results.xlsx > /dev/null 2>&1
soffice --headless --norestore --convert-to pdf --outdir . results.xlsx > /dev/null 2>&1
pdftoppm -png -r 240 -f 1 -l 1 -x 170 -y 220 -W 1500 -H 360 -singlefile results.pdf overview
cp overview.png "$root/docs/img/score-overview.png"
echo "written: docs/img/score-overview.png"
