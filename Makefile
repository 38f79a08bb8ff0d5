# dossier — build, test and install.
#
#   make demo    build, then run the demonstration
#   make test    the busted suite under Lua 5.4
#   make test-pg the PostgreSQL store's specs, against a throwaway cluster
#   make check   the suite under ASan+UBSan, then under valgrind
#   make lint    luacheck, C warnings as errors, clang-format, rockspec listing
#   make bench   benchmarks against baselines (CORPUS=path to override the text)
#   make bench-tabari TABARI_SRC=dir TABARI_DICT=dir   TABARI beside dossier (bench/tabari/README.md)
#   make fuzz    libFuzzer targets under ASan+UBSan, FUZZ_SECONDS each (default 10)
#   make eval    accuracy on the real-news gold set (eval/gold), both halves
#   make doc     the API reference (ldoc over the doc comments) in build/doc/api
#   make install PREFIX=/usr/local (or LuaRocks' LUADIR/LIBDIR/BINDIR)
#
# Every target first runs `deps`, which checks the Debian packages the project
# needs and installs them when run as root.

LUA      ?= lua5.4
BUSTED   ?= $(LUA) /usr/bin/busted
LUACHECK ?= luacheck
PKGS     := lua5.4 libpcre2-8 sqlite3 libpq

# lua-filesystem walks the directories ingest reads; lua-rex-pcre2 is the
# oracle the regex spec compares against; lua-readline gives `dossier repl`
# line editing and history; libpq is the PostgreSQL client a store at a
# postgresql:// address goes through (csrc/pg.c).
DEB_PKGS   := lua5.4 liblua5.4-dev libpcre2-dev libsqlite3-dev libpq-dev lua-busted \
              luarocks lua-check lua-cjson lua-filesystem pkg-config gcc \
              lua-rex-pcre2 lua-readline
# The PostgreSQL specs (#pg) start a throwaway cluster of the server's own (make test-pg).
PG_PKGS    := postgresql
CHECK_PKGS := valgrind $(PG_PKGS)
# `make dist` packs a release: git archive, zip for the source rock.
DIST_PKGS  := git zip
BENCH_PKGS := lua-lpeg lua-sql-sqlite3 libvectorscan-dev time
# bench-tabari builds TABARI (C++, ncurses) and runs it under script(1) (bsdutils).
TABARI_PKGS := g++ libncurses-dev bsdutils unzip time
DOC_PKGS   := lua-ldoc
# libFuzzer comes with clang (its runtime is in libclang-rt-dev).
FUZZ_PKGS  := clang libclang-rt-dev

CC       ?= cc
WARN     := -Wall -Wextra -Wpedantic -Werror
CFLAGS   ?= -O2 -g
DS_CFLAGS = -std=c11 -fPIC $(WARN) -D_POSIX_C_SOURCE=200809L \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# A Lua C module does not link liblua: the interpreter provides its symbols.
DS_LIBS   = $(shell pkg-config --libs libpcre2-8 sqlite3 libpq 2>/dev/null)
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRCS     := $(wildcard csrc/*.c)
HDRS     := $(wildcard csrc/*.h)
OBJS     := $(SRCS:csrc/%.c=build/obj/%.o)
SAN_OBJS := $(SRCS:csrc/%.c=build-asan/obj/%.o)
CORE     := build/dossier/core.so
SAN_CORE := build-asan/dossier/core.so

# The version is csrc/dossier.h's (what `dossier --version` prints); a release is the git tag
# v$(VERSION), its rock rockspec/dossier-$(VERSION)-1.rockspec.
VERSION := $(shell sed -n 's/^\#define DS_VERSION "\(.*\)"/\1/p' csrc/dossier.h)
TAG     ?= v$(VERSION)
RELEASE_ROCKSPEC := rockspec/dossier-$(VERSION)-1.rockspec

PREFIX  ?= /usr/local
LUADIR  ?= $(PREFIX)/share/lua/5.4
LIBDIR  ?= $(PREFIX)/lib/lua/5.4
BINDIR  ?= $(PREFIX)/bin

.PHONY: all deps check-deps pg-deps bench-deps bench-tabari-deps dist-deps doc-deps fuzz-deps test test-slow check \
        check-asan check-valgrind test-pg lint format bench bench-tabari fuzz eval install uninstall demo rock \
        dist doc clean
.DEFAULT_GOAL := all

all: deps $(CORE)

# --- dependencies -----------------------------------------------------------
# deps_install LIST: install the Debian packages of LIST that are missing.
define deps_install
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "dossier: missing packages:$$missing (install their equivalents for your system)"; exit 1; \
	  elif [ "$$(id -u)" = 0 ]; then \
	    echo "dossier: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "dossier: missing Debian packages. Run:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call deps_install,$(DEB_PKGS))

# One apt-get run for everything a target needs.
check-deps:
	$(call deps_install,$(DEB_PKGS) $(CHECK_PKGS))

pg-deps:
	$(call deps_install,$(DEB_PKGS) $(PG_PKGS))

bench-deps:
	$(call deps_install,$(DEB_PKGS) $(BENCH_PKGS))

bench-tabari-deps:
	$(call deps_install,$(DEB_PKGS) $(TABARI_PKGS))

dist-deps:
	$(call deps_install,$(DEB_PKGS) $(DIST_PKGS))

doc-deps:
	$(call deps_install,$(DEB_PKGS) $(DOC_PKGS))

fuzz-deps:
	$(call deps_install,$(DEB_PKGS) $(FUZZ_PKGS))

# --- build ------------------------------------------------------------------
$(CORE): $(OBJS)
	@mkdir -p $(@D)
	$(CC) -shared -o $@ $(OBJS) $(DS_LIBS) $(LDFLAGS)

build/obj/%.o: csrc/%.c $(HDRS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DS_CFLAGS) -c -o $@ $<

$(SAN_CORE): $(SAN_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared $(SAN) -o $@ $(SAN_OBJS) $(DS_LIBS)

build-asan/obj/%.o: csrc/%.c $(HDRS) | deps
	@mkdir -p $(@D)
	$(CC) -O1 -g $(SAN) $(DS_CFLAGS) -c -o $@ $<

# --- tests ------------------------------------------------------------------
# `make test` leaves out the specs tagged #slow (whole-corpus comparisons with slow references,
# inputs of many megabytes, a headless browser, a killed process); `make test-slow` runs them,
# and `.ci/run` and `make check` run both.
test: all
	$(BUSTED) --exclude-tags=slow,pg

test-slow: all
	$(BUSTED) --tags=slow --exclude-tags=pg

# The specs tagged #pg run against a throwaway PostgreSQL cluster (spec/helpers/pg.lua: initdb and
# pg_ctl in a temporary directory, as the postgres user when run as root); without the server
# they are pending, with the reason.
test-pg: pg-deps all
	$(BUSTED) --tags=pg

# The interpreter is not instrumented, so the sanitizer runtime is preloaded.
# Leak checking is valgrind's job below (LSan would also report the
# interpreter's and busted's own libraries).
ASAN_LIB = $(shell $(CC) -print-file-name=libasan.so)
check: check-asan check-valgrind

check-asan: check-deps $(SAN_CORE)
	LD_PRELOAD=$(ASAN_LIB) ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 DOSSIER_CHECK=asan \
	$(BUSTED) --cpath=build-asan/?.so

check-valgrind: check-deps all
	DOSSIER_CHECK=valgrind valgrind -q --leak-check=full --error-exitcode=1 \
	  --suppressions=.ci/valgrind.supp $(BUSTED)

# --- lint -------------------------------------------------------------------
lint: deps
	$(LUACHECK) lua spec bench examples eval tools fuzz $(wildcard bin/*)   # std = lua54 and busted for spec/ come from .luacheckrc
	$(MAKE) --no-print-directory -B CFLAGS="-O2 -g" all
	@if command -v clang-format >/dev/null 2>&1; then \
	  clang-format --dry-run --Werror $(SRCS) $(HDRS) && echo "clang-format: ok"; \
	else echo "clang-format not installed: skipped"; fi
	$(LUA) .ci/rockspec_check.lua rockspec/dossier-scm-1.rockspec
	@$(LUA) tools/release_rockspec.lua $(VERSION) | cmp -s - $(RELEASE_ROCKSPEC) && \
	  echo "rockspec: $(RELEASE_ROCKSPEC) is the release of dossier-scm-1 for $(VERSION)" || \
	  { echo "dossier: $(RELEASE_ROCKSPEC) is missing or differs from what tools/release_rockspec.lua $(VERSION) writes"; exit 1; }

format:
	clang-format -i $(SRCS) $(HDRS)

# --- benchmarks -------------------------------------------------------------
bench: bench-deps all
	@for b in $(filter-out bench/tabari.lua,$(wildcard bench/*.lua)); do \
	  echo "== $$b"; $(LUA) $$b || exit 1; echo; done

# TABARI 0.8.4 and dossier on the same 20,000 news sentences (bench/tabari/README.md). Needs
# checkouts of github.com/philip-schrodt/TABARI-Code and TABARI-Dictionaries; not in `bench`.
bench-tabari: bench-tabari-deps all
	@if [ -z "$(TABARI_SRC)" ] || [ -z "$(TABARI_DICT)" ]; then \
	  echo "usage: make bench-tabari TABARI_SRC=<TABARI-Code checkout> TABARI_DICT=<TABARI-Dictionaries checkout> [RUNS=5]"; \
	  exit 2; fi
	$(LUA) bench/tabari.lua --tabari-src "$(TABARI_SRC)" --dicts "$(TABARI_DICT)" --runs $(or $(RUNS),5)

# --- fuzzing ----------------------------------------------------------------
# One libFuzzer binary per target (fuzz/harness.c; the targets are fuzz/*.lua,
# and utf8 in the harness itself), the core compiled with clang under
# -fsanitize=fuzzer,address,undefined. Each runs FUZZ_SECONDS from its seeds in
# fuzz/corpus/<target> (read only); what it finds goes to build-fuzz/corpus/,
# a crash to build-fuzz/crash-<target>-*. Leaks are valgrind's job (make
# check): the Lua state keeps memory between inputs, which would make
# libFuzzer run LeakSanitizer after nearly every input, 10x slower.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 10
FUZZ_TARGETS := utf8 text regex lexicon ingest rules
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_OBJS    := $(SRCS:csrc/%.c=build-fuzz/obj/%.o)
FUZZ_BINS    := $(FUZZ_TARGETS:%=build-fuzz/fuzz-%)
.SECONDARY: $(FUZZ_OBJS)

build-fuzz/obj/%.o: csrc/%.c $(HDRS) | fuzz-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) -O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN) $(DS_CFLAGS) -c -o $@ $<

build-fuzz/fuzz-%: fuzz/harness.c $(FUZZ_OBJS)
	$(FUZZ_CC) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) $(DS_CFLAGS) -DDS_FUZZ_TARGET='"$*"' -o $@ \
	  fuzz/harness.c $(FUZZ_OBJS) $(shell pkg-config --libs lua5.4) $(DS_LIBS) -lm

fuzz: fuzz-deps $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; mkdir -p build-fuzz/corpus/$$t; \
	  ASAN_OPTIONS=abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  build-fuzz/fuzz-$$t build-fuzz/corpus/$$t fuzz/corpus/$$t -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=20 -rss_limit_mb=2048 -max_len=4096 -detect_leaks=0 \
	    -artifact_prefix=build-fuzz/crash-$$t- \
	    -print_final_stats=1 2>build-fuzz/$$t.log || { tail -60 build-fuzz/$$t.log; exit 1; }; \
	  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|cov:" build-fuzz/$$t.log | tail -3; \
	done

# --- evaluation -------------------------------------------------------------
# Events and claims scored on hand-coded real news (eval/README.md): the dev and
# the test half, printed and written to eval/results.json.
eval: all
	$(LUA) eval/run.lua

# --- API reference ----------------------------------------------------------
# ldoc (config.ld) over the modules' doc comments; the guides are doc/*.md.
# ldoc's warnings (a doc comment that no longer fits its function) are shown.
doc: doc-deps
	@rm -rf build/doc/api
	@ldoc . 2>&1 | grep -v 'contains no items\|^format: \|^reading configuration\|^output written' || true
	@test -f build/doc/api/index.html && echo "API reference: build/doc/api/index.html"

# --- install ----------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(LUADIR)/dossier $(DESTDIR)$(LIBDIR)/dossier $(DESTDIR)$(BINDIR)
	cd lua && find dossier -name '*.lua' -exec install -D -m 644 {} $(DESTDIR)$(LUADIR)/{} \;
	install -m 755 $(CORE) $(DESTDIR)$(LIBDIR)/dossier/core.so
	@if [ -f bin/dossier ]; then install -m 755 bin/dossier $(DESTDIR)$(BINDIR)/dossier; fi

uninstall:
	rm -rf $(DESTDIR)$(LUADIR)/dossier $(DESTDIR)$(LIBDIR)/dossier $(DESTDIR)$(BINDIR)/dossier

# Install the rock into ./.rocks from the working tree, offline, and load it.
# The rockspec's Lua dependencies come from Debian here (DEB_PKGS), which
# LuaRocks does not see: a LuaRocks config names them as provided by the
# system (`rocks_provided`, with the Debian packages' upstream versions), so
# LuaRocks checks them and fetches nothing.
ROCKS_PROVIDED := luafilesystem=lua-filesystem lua-cjson=lua-cjson
# A LuaRocks config naming the Debian packages that provide the rock's dependencies (offline).
define rocks_provided
	@mkdir -p $(dir $(1)) && { echo 'rocks_provided = {'; \
	  for m in $(ROCKS_PROVIDED); do \
	    v=$$(dpkg-query -W -f='$${Version}' $${m#*=} | sed 's/^[0-9]*://; s/[-+~].*//'); \
	    echo "  [\"$${m%%=*}\"] = \"$$v-1\","; \
	  done; echo '}'; } > $(1)
endef

# Debian puts libpq-fe.h in /usr/include/postgresql, where LuaRocks does not look.
PQ_VARS = PQ_INCDIR=$(shell pkg-config --variable=includedir libpq)

rock: deps
	$(call rocks_provided,.rocks/debian-provided.lua)
	LUAROCKS_CONFIG=.rocks/debian-provided.lua \
	  luarocks make --lua-version=5.4 --tree=.rocks rockspec/dossier-scm-1.rockspec $(PQ_VARS)
	eval "$$(luarocks --lua-version=5.4 --tree=.rocks path)" && \
	  $(LUA) -e 'local r = require "dossier.regex"; assert(r.find("Koreja", "[Kk]orej") == 1); print("rock: ok, " .. r.version())'
	cd / && $(CURDIR)/.rocks/bin/dossier --version

# A release in dist/: the tag's sources (git archive), its rockspec and the source rock that
# carries both; then the rock installed from that file alone, offline, and its `dossier
# --version` checked against VERSION. TAG=HEAD tries it before tagging.
dist: dist-deps
	@git rev-parse -q --verify "$(TAG)^{commit}" >/dev/null || \
	  { echo "dossier: no git tag $(TAG) (tag the release, or try it with: make dist TAG=HEAD)"; exit 1; }
	@v="$$(git show $(TAG):csrc/dossier.h | sed -n 's/^\#define DS_VERSION "\(.*\)"/\1/p')"; \
	  [ "$$v" = "$(VERSION)" ] || { echo "dossier: $(TAG) is version $$v, not $(VERSION)"; exit 1; }
	rm -rf dist && mkdir -p dist
	git archive --prefix=dossier-$(VERSION)/ -o dist/dossier-$(VERSION).tar.gz $(TAG)
	git show $(TAG):$(RELEASE_ROCKSPEC) > dist/dossier-$(VERSION)-1.rockspec
	cd dist && zip -qj dossier-$(VERSION)-1.src.rock dossier-$(VERSION)-1.rockspec dossier-$(VERSION).tar.gz
	$(call rocks_provided,$(CURDIR)/dist/debian-provided.lua)
	cd / && LUAROCKS_CONFIG=$(CURDIR)/dist/debian-provided.lua luarocks install --lua-version=5.4 \
	  --tree=$(CURDIR)/dist/tree $(CURDIR)/dist/dossier-$(VERSION)-1.src.rock $(PQ_VARS) >/dev/null
	@v="$$(cd / && $(CURDIR)/dist/tree/bin/dossier --version)"; echo "dist: $$v"; \
	  case "$$v" in "dossier $(VERSION) "*) ;; *) echo "dossier: the rock says '$$v'"; exit 1;; esac
	@echo "dist: dist/dossier-$(VERSION)-1.src.rock (luarocks install it; upload it with its rockspec)"

# --- demo -------------------------------------------------------------------
# The whole analysis on the example corpus, through the `dossier` command.
DEMO_DB := examples/demo.db
DOSSIER := $(LUA) bin/dossier

demo: all
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(DOSSIER) ingest $(DEMO_DB) examples/corpus/news
	$(DOSSIER) extract $(DEMO_DB)
	$(DOSSIER) run $(DEMO_DB) examples/claims.lua
	$(DOSSIER) run $(DEMO_DB) examples/sanctions.lua
	$(DOSSIER) report $(DEMO_DB) --html examples/report.html
	@echo
	@echo "Next:"
	@echo "  open examples/report.html            every number links to its sentences"
	@echo "  bin/dossier repl $(DEMO_DB)       explore: db:rows(\"SELECT type, actor1, actor2, date FROM events\")"
	@echo "  bin/dossier sql $(DEMO_DB) \"SELECT type, count(*) FROM events GROUP BY type\""

clean:
	rm -rf build build-asan build-fuzz .rocks dist
