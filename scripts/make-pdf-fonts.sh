#!/bin/sh
# Regenerates resources/fonts/DejaVuSans-LGC*.ttf, the fonts embedded in invoice and receipt PDFs
# (src-main/pdf/fonts.ts, docs/invoices-pdf.md). Run by hand when the covered scripts change;
# the outputs are committed, so neither the build nor `npm test` needs fontTools.
#
# Needs DejaVu Sans (Debian: fonts-dejavu-core) and fontTools (Debian: python3-fonttools).
# Why cut the font down once: pdf-lib subsets the embedded font per document, and the cost of that
# grows with the font. The full DejaVu Sans (760 KB, ~6,000 glyphs) gave 27 invoices/s; cut to the
# scripts a customer's name is expected in it is ~100 KB and the same invoice is 2-3x faster.
#
# Kept: Latin (Basic, Latin-1, Extended-A and -B, Extended Additional: every European language
# with diacritics incl. Polish, Turkish, Czech, Romanian, Vietnamese), Greek, Cyrillic (with its
# supplement), punctuation, currency signs, the numero sign, and U+FFFD (printed for a character
# outside these). Dropped: hinting (a PDF is scaled, not rasterised at fixed sizes) and the GSUB/GPOS
# layout tables (no ligatures or kerning on an invoice; pdf-lib lays text out faster without them).
set -eu
cd "$(dirname "$0")/.."
SRC=${DEJAVU_DIR:-/usr/share/fonts/truetype/dejavu}
OUT=resources/fonts
UNICODES="U+0020-007E,U+00A0-024F,U+0250-02FF,U+0300-036F,U+0370-03FF,U+0400-04FF,U+0500-052F,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-2122,U+2190-2193,U+2212,U+25CF,U+FFFD"

# fontTools' pyftsubset; Debian's python3-fonttools installs the module without the command.
if command -v pyftsubset >/dev/null 2>&1; then
  SUBSET="pyftsubset"
elif /usr/bin/python3 -c 'import fontTools' 2>/dev/null; then
  SUBSET="/usr/bin/python3 -m fontTools.subset"
else
  SUBSET="python3 -m fontTools.subset"
fi

mkdir -p "$OUT"
for face in DejaVuSans DejaVuSans-Bold; do
  $SUBSET "$SRC/$face.ttf" \
    --unicodes="$UNICODES" \
    --layout-features='' --no-layout-closure --drop-tables+=GSUB,GPOS,GDEF,FFTM \
    --no-hinting --notdef-outline --name-IDs='*' --name-legacy --name-languages='*' \
    --output-file="$OUT/$(echo "$face" | sed 's/DejaVuSans/DejaVuSans-LGC/').ttf"
done
ls -l "$OUT"/*.ttf
