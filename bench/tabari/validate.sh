#!/bin/sh
# bench/tabari/validate.sh TABARI SUITE WORKDIR: runs TABARI's own Validate suite (Validate.project,
# .options, .agents, .text, TABARI.Demo.actors and .verbs, from SUITE: the TABARI-Code checkout
# or ../shared/data/anchors/tabari) with the binary TABARI, in WORKDIR, and checks it.
#
# TABARI is interactive (ncurses): it needs a terminal, so it runs under `script` with
# TERM=xterm (keys typed ahead from a file). The project is named on the command line (TABARI's
# own `-c` shortcut for it builds the event file's name from an uninitialised buffer, a name
# that is sometimes unwritable), and our copy of Validate.project names the events file with
# <outputfile> rather than <eventfile> (which has the same bug). The keys O (O)ther menu)
# and V (the hidden V)alidate option) start the suite, which codes every record and compares its events with the
# { SOURCE / TARGET / CODE } records in its comments. Record FINAL-01 closes the standard
# suite ("If you reached this record without the program stopping to report an error, it is
# working correctly"); the records after it need other options or crash the program, so the
# Q typed after it ends the run there. Prints "validate: N records, M mismatches" and exits
# 0 only when FINAL-01 was reached with no mismatch.
set -eu
bin=${1:?usage: validate.sh TABARI SUITE WORKDIR}
suite=${2:?usage: validate.sh TABARI SUITE WORKDIR}
work=${3:?usage: validate.sh TABARI SUITE WORKDIR}
mkdir -p "$work"
for f in Validate.project Validate.options Validate.agents Validate.text TABARI.Demo.actors TABARI.Demo.verbs; do
  [ -f "$suite/$f" ] || { echo "bench/tabari: $suite/$f not found (the Validate suite)" >&2; exit 1; }
  cp "$suite/$f" "$work/$f"
done
sed 's/^<eventfile>/<outputfile>/' "$suite/Validate.project" > "$work/Validate.project"
cp "$bin" "$work/TABARI"
cd "$work"
rm -f Validate.prob* Validate.error TBRI.Val screen.txt
printf 'OVQ' > keys
TERM=xterm LINES=50 COLUMNS=200 timeout 300 script -q -e -c "./TABARI Validate.project" /dev/null < keys > screen.raw 2>&1 || true
# the screen without its escape sequences, one piece a line
LC_ALL=C sed 's/\x1b\[[0-9;?]*[a-zA-Z@]/\n/g; s/\x1b[()][A-Z0-9]//g; s/\x1b[=>]//g' screen.raw | tr '\r' '\n' > screen.txt
awk '
  /Record : FINAL-01/ { final = 1; exit }
  /Record : /         { n++ }
  /Verification record|record shows|does not contain a date/ { bad++ }
  END {
    printf "validate: %d records, %d mismatches%s\n", n, bad, final ? "" : " (record FINAL-01 not reached)"
    exit (final && bad == 0 && n > 0) ? 0 : 1
  }' screen.txt
