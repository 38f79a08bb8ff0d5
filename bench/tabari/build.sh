#!/bin/sh
# bench/tabari/build.sh TABARI_SRC OUTDIR: builds TABARI 0.8.4 (philip-schrodt/TABARI-Code,
# a checkout given as TABARI_SRC) into OUTDIR/TABARI. Nothing of TABARI is kept in our tree.
#
# The code is C++98 (it does not build as C++17): g++ -std=gnu++98. -O2, where the
# repository's Makefile uses g++'s default -O0: the baseline runs in its best configuration
# (../shared/DESIGN.md section 4), and the Validate suite is checked on this very build.
# Warnings are silenced (-w): there are hundreds, none of them ours to fix. CXXFLAGS overrides.
set -eu
src=${1:?usage: build.sh TABARI_SRC OUTDIR}
out=${2:?usage: build.sh TABARI_SRC OUTDIR}
CXX=${CXX:-g++}
CXXFLAGS=${CXXFLAGS:--O2}
command -v "$CXX" >/dev/null 2>&1 || { echo "bench/tabari: $CXX not found (apt-get install g++)" >&2; exit 1; }
for f in TABARI.h TABARI.cp coder.cp codes.cp input.cp interface.cp memory.cp modify.cp output.cp \
         parser.cp process.cp utilities.cp xmlinput.cp; do
  [ -f "$src/$f" ] || { echo "bench/tabari: $src/$f not found: TABARI_SRC must be a checkout of philip-schrodt/TABARI-Code" >&2; exit 1; }
done
mkdir -p "$out/obj"
for f in "$src"/*.cp; do
  o="$out/obj/$(basename "$f" .cp).o"
  "$CXX" -std=gnu++98 $CXXFLAGS -w -x c++ -I"$src" -c "$f" -o "$o"
done
if ! "$CXX" -o "$out/TABARI" "$out"/obj/*.o -lncurses 2>"$out/link.log"; then
  cat "$out/link.log" >&2
  echo "bench/tabari: linking TABARI failed (it needs ncurses: apt-get install libncurses-dev)" >&2
  exit 1
fi
echo "bench/tabari: built $out/TABARI ($CXX -std=gnu++98 $CXXFLAGS)"
