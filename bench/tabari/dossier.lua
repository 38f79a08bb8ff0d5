-- bench/tabari/dossier.lua: one dossier run of bench/tabari.lua, in its own process (so that
-- /usr/bin/time sees its peak memory and wall clock alone, as it sees TABARI's).
--
--   lua5.4 bench/tabari/dossier.lua shipped SENTENCES.tsv OUT
--   lua5.4 bench/tabari/dossier.lua tabari  SENTENCES.tsv OUT VERBS ACTORS[,ACTORS...] AGENTS
--
-- shipped: dossier.rules.sanctions, the shipped rule set (its own actor lexicon and terms).
-- tabari:  TABARI's actor dictionaries (lexicon.load, "tabari" format) as the `actor` lexicon,
--          its agents file as an `agent` lexicon (scanned with the actors, as TABARI reads
--          agents, but no rule uses it), and the rules generated from TABARI's verb
--          dictionary by bench/tabari/verbs.lua, with dedupe.
--
-- The sentences (bench/tabari/corpus.lua: date, id, sentence a line) are coded like TABARI
-- codes its text file: read, coded (rs:emit_many, the path dossier.extract takes, 1,000
-- sentences a call, each sentence its own text with lang "en" and its article's date) and
-- every event written as a line to OUT. Printed at the end, for the driver:
--   RESULT load_s=... load_cpu=... code_s=... code_cpu=... events=... sentences=... rules=... phrases=...
-- load: requiring the modules, reading the dictionaries, adding the rules, building the
-- engine (one warm-up sentence); code: from opening SENTENCES to closing OUT.
local dir = arg[0]:match("^(.*)/bench/tabari/[^/]*$") or "."
package.path = dir .. "/lua/?.lua;" .. dir .. "/lua/?/init.lua;" .. dir .. "/bench/?.lua;" .. package.path
package.cpath = dir .. "/build/?.so;" .. package.cpath

local mode, input, output = arg[1], arg[2], arg[3]
if not (mode and input and output) or (mode ~= "shipped" and mode ~= "tabari") then
  io.stderr:write("usage: bench/tabari/dossier.lua shipped|tabari SENTENCES.tsv OUT [VERBS ACTORS AGENTS]\n")
  os.exit(2)
end

local now = require("dossier.core").store.now
local w0, c0 = now(), os.clock()
local rules = require "dossier.rules"
local rs, nrules, phrases
if mode == "shipped" then
  rs = require "dossier.rules.sanctions"
  nrules = #rs:rules()
  local ok, world = pcall(require, "dossier.lexicon.world")
  phrases = #(ok and type(world) == "table" and world or require "dossier.lexicon.actors")
else
  local lexicon = require "dossier.lexicon"
  local verbs = require "tabari.verbs"
  local vpath, apaths, gpath = arg[4], arg[5], arg[6]
  local actors = lexicon.new()
  for p in apaths:gmatch("[^,]+") do assert(lexicon.load(p, "tabari", actors)) end
  local agents = assert(lexicon.load(gpath, "tabari"))
  rs = rules.new { lang = "en", name = "tabari-size", dedupe = true }
  rs:lexicon("actor", actors)
  rs:lexicon("agent", agents)
  local list = assert(verbs.generate(vpath))
  local keep = verbs.choose(list, verbs.budget())
  for _, r in ipairs(list) do
    rs:rule { name = r.name, type = r.type, pattern = verbs.render(r, keep) }
  end
  nrules = #list
  phrases = #actors + #agents
end
rs:run("The United States accused Iran of sending weapons to Russia on Monday.",
  { lang = "en", published = "2020-01-01" })
local load_s, load_cpu = now() - w0, os.clock() - c0

local BATCH = 1000
local w1, c1 = now(), os.clock()
local f = assert(io.open(input, "rb"))
local out = assert(io.open(output, "wb"))
local events, nsent, records = 0, 0, 0
local texts, langs, days, ids, names = {}, {}, {}, {}, {}
local function emit(id, rule, typ, a1, a2)
  events = events + 1
  out:write(days[id], "\t", names[id], "\t", tostring(a1), "\t", tostring(a2), "\t", typ, "\t", rule, "\n")
end
local function flush(n)
  if n > 0 then nsent = nsent + rs:emit_many(texts, langs, days, ids, n, emit) end
end
local n = 0
for line in f:lines() do
  local day, id, text = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
  if day then
    n = n + 1
    records = records + 1
    texts[n], langs[n], days[n], ids[n], names[n] = text, "en", day, n, id
    if n == BATCH then
      flush(n)
      n = 0
    end
  end
end
flush(n)
f:close()
assert(out:close())
local code_s, code_cpu = now() - w1, os.clock() - c1
print(("RESULT load_s=%.4f load_cpu=%.4f code_s=%.4f code_cpu=%.4f events=%d sentences=%d records=%d"
  .. " rules=%d phrases=%d"):format(load_s, load_cpu, code_s, code_cpu, events, nsent, records, nrules,
  phrases))
