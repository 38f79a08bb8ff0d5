-- bench/rules.lua: the rule engine alone (dossier.rules, csrc/scan.c), no store: the ~28,000
-- Phoenix actor phrases (Countries, International, MilNonState) as one lexicon plus 50 rules in
-- English and Serbian/Croatian over the news corpus (../shared/data/news/*.jsonl "text" fields,
-- or the file/dir in CORPUS), document by document, as dossier.extract feeds it.
--
-- Reported: MB/s and sentences/s through rs:run (fold, combined lexicon scan, sentences,
-- prefilter, JIT rules, match tables, qty/date parsing, cues and event functions) with the
-- share of the cue recogniser, the C pass alone (rs:run without building matches in Lua), the
-- same with the prefilter off, and the floor of the same pass without rules (dossier.text fold
-- + sentences + a lexicon scan, three separate passes). TABARI, the C++ pattern coder, is run
-- beside dossier on the same sentences by bench/tabari.lua (make bench-tabari), not here.
-- Never asserts a time.
package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = (os.getenv("DOSSIER_CPATH") or "build/?.so;") .. package.cpath

local rules = require "dossier.rules"
local lexicon = require "dossier.lexicon"
local text = require "dossier.text"
local corpus = require "corpus"

local DATA = corpus.DATA
local MAX = tonumber(os.getenv("BENCH_MB") or "40") * 1e6

local function clock() return os.clock() end

local function load_corpus()
  local docs, n = corpus.docs { max = MAX }
  if not docs then return nil end
  for _, d in ipairs(docs) do
    d.lang = (d.lang == "en" or d.lang == "sr" or d.lang == "hr") and d.lang or nil
  end
  return docs, n
end

local function load_actors()
  local lex = lexicon.new()
  for _, f in ipairs { "Countries", "International", "MilNonState" } do
    local path = DATA .. "/anchors/petrarch2/Phoenix." .. f .. ".actors.txt"
    local _, err = lexicon.load(path, "tabari", lex)
    if err and not _ then return nil, err end
  end
  return lex
end

-- 50 rules of the kinds an analyst writes: actor-verb-actor, actor-verb, verb-quantity-item.
local function rule_set(lex, prefilter)
  local rs = rules.new { lang = { "en", "sr" }, name = "bench", prefilter = prefilter }
  rs:lexicon("actor", lex)
  local verbs = {
    meet = { "met", "meet*", "talks with", "sastao", "sastala", "sastanak", "sastanku", "razgovara*" },
    visit = { "visit*", "posetio", "posetila", "posjet*", "poset*" },
    say = { "said", "says", "told", "rekao", "rekla", "izjavio", "izjavila", "kaze", "navodi" },
    accuse = { "accus*", "blame*", "optuz*", "okrivi*" },
    threaten = { "threat*", "pret*", "upozori*", "warn*" },
    attack = { "attack*", "bomb*", "shell*", "napad*", "napao", "granatira*" },
    sanction = { "sanction*", "embargo*", "sankcij*" },
    buy = { "buy*", "bought", "purchas*", "kupi*", "kupovin*", "nabav*" },
    sell = { "sell*", "sold", "export*", "prodaj*", "proda*", "izvoz*" },
    sign = { "sign*", "potpisa*", "agreement", "sporazum*", "deal" },
    support = { "support*", "back*", "podrz*", "podrsk*" },
    reject = { "reject*", "refus*", "odbi*", "odbac*" },
    aid = { "aid", "assistance", "pomoc", "donat*", "grant*" },
    arrest = { "arrest*", "detain*", "uhapsi*", "pritvor*" },
    launch = { "launch*", "fired", "test-fired", "lansira*", "ispali*" },
  }
  local items = {
    arms = { "weapon*", "arms", "munition*", "shell*", "rocket*", "missile*", "drone*", "oruzj*", "granat*",
      "raket*", "dron*" },
    money = { "dollar*", "euro*", "dinar*", "evra", "dolara", "million", "miliona", "billion", "milijardi" },
    oil = { "oil", "crude", "gas", "coal", "nafte", "nafta", "gasa", "uglja" },
    workers = { "worker*", "labourer*", "laborer*", "radnik*", "radnic*" },
    troops = { "troops", "soldiers", "vojnik*", "vojsk*", "trupe" },
  }
  for name, list in pairs(verbs) do rs:terms(name, list) end
  for name, list in pairs(items) do rs:terms(name, list) end
  local names = {}
  for name in pairs(verbs) do names[#names + 1] = name end
  table.sort(names)
  local n = 0
  local function add(r)
    n = n + 1
    r.name = r.name .. "_" .. n
    rs:rule(r)
  end
  for _, v in ipairs(names) do -- 15 × 2 = 30
    add { name = v .. "_dyad", type = v, pattern = "{actor:actor1} .. {" .. v .. "} .. {actor:actor2}" }
    add { name = v .. "_mono", type = v, pattern = "{actor:actor1} ..3 {" .. v .. "}" }
  end
  local inames = {}
  for name in pairs(items) do inames[#inames + 1] = name end
  table.sort(inames)
  for _, it in ipairs(inames) do -- 5 × 3 = 15
    add { name = it .. "_buy", type = "transfer",
      pattern = "{actor:actor2} .. {buy} .. {qty?} {" .. it .. "} .. (from|iz|od) {actor:actor1}",
      event = function(m) return { actor1 = m.actor1, actor2 = m.actor2, item = m[it], qty = m.qty } end }
    add { name = it .. "_sell", type = "transfer",
      pattern = "{actor:actor1} .. {sell} .. {qty?} {" .. it .. "} .. (to|u|za) {actor:actor2}" }
    add { name = it .. "_qty", type = "quantity", pattern = "{qty} {" .. it .. "}" }
  end
  add { name = "sanction_date", type = "sanctions_imposed", pattern = "{sanction} .. {date}" } -- 46
  add { name = "year", type = "year", pattern = "(in|u|since|od) /(?:19|20)\\d\\d/" }
  add { name = "minister", type = "meeting", pattern = "minist* .. {actor} ..3 {meet}" }
  add { name = "president", type = "say", pattern = "(president|predsednik|predsjednik) {actor?} ..2 {say}" }
  add { name = "un", type = "sanctions",
    pattern = "(security council|savet bezbednosti|vijece sigurnosti) .. {sanction}" }
  assert(#rs:rules() == 50)
  return rs
end

local docs, bytes = load_corpus()
if not docs then
  print("bench/rules: no corpus (../shared/data/news or CORPUS): skipped")
  return
end
local lex, err = load_actors()
if not lex then
  print("bench/rules: cannot load the Phoenix actor files: " .. tostring(err))
  return
end
local t0 = clock()
local rs = rule_set(lex, true)
rs:run("warm up") -- builds the combined automaton and compiles the rules
local build = clock() - t0
print(string.format("corpus: %d documents, %.1f MB; lexicon: %d phrases; %d rules; build %.2f s",
  #docs, bytes / 1e6, #lex, #rs:rules(), build))

local function pass(set)
  local t = clock()
  local sents, matches = 0, 0
  for _, d in ipairs(docs) do
    local ms, n = set:run(d.text, { lang = d.lang, published = "2010-01-01" })
    sents = sents + n
    matches = matches + #ms
  end
  return clock() - t, sents, matches
end

local function report(label, secs, sents, matches)
  print(string.format("%-34s %8.1f MB/s %10.0f sentences/s  %7d matches",
    label, bytes / 1e6 / secs, sents / secs, matches))
end

-- Time spent in the cue recogniser (modality of each match), measured by wrapping it.
local cues = require "dossier.recognisers.cues"
local modality, cue_secs = cues.modality, 0
cues.modality = function(...)
  local t = clock()
  local a, b, c, d, e = modality(...)
  cue_secs = cue_secs + clock() - t
  return a, b, c, d, e
end
local secs, sents, matches = pass(rs)
cues.modality = modality
report("dossier.rules (prefilter on)", secs, sents, matches)
print(string.format("  of which cues.modality: %.2f s (%.0f%%, %.1f us per match)", cue_secs,
  100 * cue_secs / secs, 1e6 * cue_secs / math.max(matches, 1)))

-- The C pass alone: the same matches found, without building match tables in Lua.
do
  local engine = rs:_build().engine
  local t = clock()
  local n = 0
  for _, d in ipairs(docs) do
    local _, _, k = engine:run(d.text, d.lang == "en" and 1 or d.lang and 2 or 3)
    n = n + k
  end
  report("engine pass (C only, no Lua matches)", clock() - t, n, matches)
end
local secs2, sents2, matches2 = pass(rule_set(lex, false))
report("dossier.rules (prefilter off)", secs2, sents2, matches2)
if matches2 ~= matches then print("WARNING: the prefilter changed the number of matches") end

-- The floor: the same text through fold, sentences and a lexicon scan, no rules.
local t = clock()
local fs = 0
for _, d in ipairs(docs) do
  text.fold(d.text)
  for _ in text.sentences(d.text) do fs = fs + 1 end
  lex:count(d.text)
end
local floor = clock() - t
report("floor: fold + sentences + lexicon", floor, fs, 0)
print(string.format("sentences: %d; rules cost %.0f%% over the floor", sents, 100 * (secs - floor) / floor))
