rockspec_format = "3.0"
package = "dossier"
version = "0.1.0-1"
source = {
  -- the release tarball, `git archive` of the tag v0.1.0 (`make dist`); the source rock
  -- dossier-0.1.0-1.src.rock carries it
  url = "dossier-0.1.0.tar.gz",
  dir = "dossier-0.1.0",
}
description = {
  summary = "Fast text matching, an event store and analyses for news and OSINT work",
  detailed = [[
dossier gives Lua 5.4 a C core for news analysis: an lrexlib-compatible PCRE2
binding with JIT, Unicode folding and Serbian Cyrillic/Latin transliteration,
a gazetteer for thousands of names, and an SQLite store of documents, events
and attributed claims.]],
  license = "MIT",
}
-- On Debian the Lua libraries come as packages (lua-filesystem, lua-cjson), which
-- LuaRocks does not see: `make rock` names them in `rocks_provided` and installs offline.
dependencies = {
  "lua >= 5.4",
  "luafilesystem >= 1.8.0",
  "lua-cjson >= 2.1.0",
}
external_dependencies = {
  PCRE2 = { header = "pcre2.h", library = "pcre2-8" },
  SQLITE3 = { header = "sqlite3.h", library = "sqlite3" },
  -- libpq (Debian libpq-dev): its header is in /usr/include/postgresql there, so give
  -- PQ_INCDIR=$(pkg-config --variable=includedir libpq) to luarocks (make rock does).
  PQ = { header = "libpq-fe.h", library = "pq" },
}
build = {
  type = "builtin",
  modules = {
    ["dossier.core"] = {
      sources = {
        "csrc/dossier.c",
        "csrc/regex.c",
        "csrc/fold.c",
        "csrc/text.c",
        "csrc/lexicon.c",
        "csrc/store.c",
        "csrc/store_ingest.c",
        "csrc/hash.c",
        "csrc/sys.c",
        "csrc/workers.c",
        "csrc/scan.c",
        "csrc/batch.c",
        "csrc/interrupt.c",
        "csrc/pg.c",
      },
      defines = { "_POSIX_C_SOURCE=200809L" },
      libraries = { "pcre2-8", "sqlite3", "pq" },
      incdirs = { "csrc", "$(PCRE2_INCDIR)", "$(SQLITE3_INCDIR)", "$(PQ_INCDIR)" },
      libdirs = { "$(PCRE2_LIBDIR)", "$(SQLITE3_LIBDIR)", "$(PQ_LIBDIR)" },
    },
    ["dossier"] = "lua/dossier/init.lua",
    ["dossier.regex"] = "lua/dossier/regex.lua",
    ["dossier.text"] = "lua/dossier/text.lua",
    ["dossier.lexicon"] = "lua/dossier/lexicon.lua",
    ["dossier.store"] = "lua/dossier/store.lua",
    ["dossier.store_pg"] = "lua/dossier/store_pg.lua",
    ["dossier.calendar"] = "lua/dossier/calendar.lua",
    ["dossier.progress"] = "lua/dossier/progress.lua",
    ["dossier.sys"] = "lua/dossier/sys.lua",
    ["dossier.vocab"] = "lua/dossier/vocab.lua",
    ["dossier.rules"] = "lua/dossier/rules.lua",
    ["dossier.rules.sanctions"] = "lua/dossier/rules/sanctions.lua",
    ["dossier.lexicon.actors"] = "lua/dossier/lexicon/actors.lua",
    ["dossier.lexicon.world"] = "lua/dossier/lexicon/world.lua",
    ["dossier.lexicon.decline"] = "lua/dossier/lexicon/decline.lua",
    ["dossier.lexicon.terms"] = "lua/dossier/lexicon/terms.lua",
    ["dossier.extract"] = "lua/dossier/extract.lua",
    ["dossier.extract_pg"] = "lua/dossier/extract_pg.lua",
    ["dossier.cli"] = "lua/dossier/cli.lua",
    ["dossier.sanctions"] = "lua/dossier/sanctions.lua",
    ["dossier.claims"] = "lua/dossier/claims.lua",
    ["dossier.eval"] = "lua/dossier/eval.lua",
    ["dossier.claims.cues"] = "lua/dossier/claims/cues.lua",
    ["dossier.claims.speakers"] = "lua/dossier/claims/speakers.lua",
    ["dossier.report"] = "lua/dossier/report.lua",
    ["dossier.report.html"] = "lua/dossier/report/html.lua",
    ["dossier.report.util"] = "lua/dossier/report/util.lua",
    ["dossier.recognisers.qty"] = "lua/dossier/recognisers/qty.lua",
    ["dossier.recognisers.date"] = "lua/dossier/recognisers/date.lua",
    ["dossier.recognisers.cues"] = "lua/dossier/recognisers/cues.lua",
    ["dossier.kb"] = "lua/dossier/kb/init.lua",
    ["dossier.kb.activities"] = "lua/dossier/kb/activities.lua",
    ["dossier.kb.context"] = "lua/dossier/kb/context.lua",
    ["dossier.kb.un_dprk"] = "lua/dossier/kb/un_dprk.lua",
    ["dossier.kb.un_iran"] = "lua/dossier/kb/un_iran.lua",
    ["dossier.kb.non_un"] = "lua/dossier/kb/non_un.lua",
  },
  install = {
    bin = { dossier = "bin/dossier" },
  },
}
