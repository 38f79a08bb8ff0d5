-- Benchmark: dossier.extract end to end, from the store to stored events.
--
-- The ~28,000 Phoenix actor phrases (PETRARCH's Countries, International and
-- MilNonState dictionaries) and 50 rules in English and Serbian/Croatian
-- (arms transfers, launches, tests, meetings, visits, sanctions, statements
-- ...) over the news corpus. The corpus is ingested into a temporary store
-- first (not timed); then dossier.extract is timed, five times on fresh copies
-- of that store (the median run is reported, the fastest and slowest beside it):
-- MB/s, sentences/s, events/s and peak memory. (TABARI, the C++ pattern coder, is
-- run beside dossier on the same sentences by bench/tabari.lua: make bench-tabari.)
--
--   lua5.4 bench/extract.lua          (CORPUS=dir or file, REPEAT=n to override)
--   RULES=shipped lua5.4 bench/extract.lua   the shipped rule set (dossier.rules.sanctions,
--                                            with its generated world lexicon) instead
--   JOBS=n lua5.4 bench/extract.lua   one job against n (default: the cores), alternating
package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath

local dossier = require "dossier"
local lexicon = require "dossier.lexicon"
local rules = require "dossier.rules"
local extract = require "dossier.extract"
local now = require("dossier.sys").now
local corpus = require "corpus"

local CORPUS = corpus.PATH
local ANCHORS = corpus.ANCHORS

local exists = corpus.exists

if not exists(CORPUS) or not exists(ANCHORS .. "Phoenix.Countries.actors.txt") then
  print("bench/extract: corpus or PETRARCH dictionaries not found (" .. CORPUS .. ", " .. ANCHORS
    .. "): skipped")
  return
end

-- Peak resident memory so far (VmHWM), and a reset of it where Linux allows.
local function vm(field)
  local f = io.open("/proc/self/status")
  if not f then
    return nil
  end
  local s = f:read("a")
  f:close()
  local kb = s:match(field .. ":%s*(%d+)")
  return kb and tonumber(kb) / 1024
end

local function reset_peak()
  local f = io.open("/proc/self/clear_refs", "w")
  if f then
    local ok = f:write("5")
    f:close()
    return ok ~= nil
  end
  return false
end

-- ---------------------------------------------------------------------------
-- the rule set

local t_load = now()
local actors = lexicon.new()
for _, name in ipairs({ "Countries", "International", "MilNonState" }) do
  assert(lexicon.load(ANCHORS .. "Phoenix." .. name .. ".actors.txt", "tabari", actors))
end
local phrases = #actors

local rs = rules.new { lang = { "en", "sr" }, name = "bench" }
rs:lexicon("actor", actors)

-- Term tables: English and Serbian/Croatian (Latin; Cyrillic folds to it).
local TERMS = {
  buy = { "buy*", "bought", "purchas*", "acquir*", "kupi*", "kupovin*", "nabav*", "nabavlj*" },
  sell = { "sell*", "sold", "export*", "supplied", "suppl*", "deliver*", "prodaj*", "proda*", "isporuc*",
    "izvoz*", "izvez*" },
  arms = { "weapon*", "arms", "munition*", "shell*", "rocket*", "missile*", "artillery", "ammunition",
    "drone*", "tank*", "oruzj*", "municij*", "granat*", "raket*", "projektil*", "dron*", "tenk*" },
  launch = { "launch*", "fired", "fires", "test-fired", "lansira*", "ispali*", "lansiran*" },
  missile = { "missile*", "rocket*", "icbm*", "projectile*", "raket*", "projektil*" },
  nuclear = { "nuclear test*", "atomic test*", "nuclear device", "nuklearn* prob*", "nuklearn* test*",
    "atomsk* prob*" },
  meet = { "met", "meet*", "talks with", "held talks", "sastao", "sastala", "sastali", "sastan*",
    "razgovara*" },
  visit = { "visit*", "arrived in", "travel* to", "posetio", "posetila", "poset*", "posjet*", "doputova*" },
  sanction = { "sanction*", "embargo*", "blacklist*", "sankcij*", "embarg*" },
  impose = { "impos*", "slap*", "announc*", "extend*", "uve*", "uvo*", "produzi*", "proglas*" },
  lift = { "lift*", "eas*", "remov*", "ukin*", "ublaz*", "povuc*" },
  veto = { "veto*", "vetoed", "blocked", "blokira*", "stavi* veto" },
  say = { "said", "says", "stated", "announced", "told", "rekao", "rekla", "izjavio", "izjavila",
    "saopsti*", "naveo", "navela", "kaze" },
  accuse = { "accus*", "blam*", "condemn*", "criticiz*", "optuz*", "osud*", "kritikova*" },
  deny = { "denied", "deny", "denies", "rejected", "negira*", "demant*", "odbaci*" },
  threaten = { "threat*", "warn*", "prijet*", "pret*", "upozor*" },
  attack = { "attack*", "struck", "strike*", "bomb*", "shell*", "napa*", "bombardova*", "granatira*" },
  agree = { "agreement", "signed", "deal", "accord", "sporazum*", "potpisa*", "dogovor*" },
  aid = { "aid", "assistance", "loan*", "grant*", "pomoc*", "kredit*", "donacij*" },
  oil = { "oil", "petroleum", "crude", "fuel", "naft*", "gorivo", "goriva" },
  coal = { "coal", "ugalj", "uglja" },
  workers = { "workers", "laborers", "labourers", "radnik*", "radnic*" },
  ship = { "ship*", "tanker*", "vessel*", "brod*", "tanker*" },
  arrest = { "arrest*", "detain*", "uhap*", "priv*" },
  protest = { "protest*", "demonstrat*", "rally", "rallies", "protestova*", "demonstrac*" },
  support = { "support*", "back*", "endors*", "podrz*", "podrsk*" },
  invest = { "invest*", "investicij*", "ulaganj*", "ulozi*" },
  trade = { "trade", "trading", "imports", "import*", "trgovin*", "uvoz*" },
  elect = { "elected", "won the election", "izabran*", "pobedi*", "pobijedi*" },
  troops = { "troops", "soldiers", "forces", "vojnic*", "trupe", "snage" },
}
for name, list in pairs(TERMS) do
  rs:terms(name, list)
end

-- 50 rules: (name, type, template, event roles). Templates say who did what
-- to whom; the actor slots bind the roles.
-- luacheck: push ignore 631 (a rule per line reads best)
local RULES = {
  { "arms_purchase", "arms_transfer", "{actor:buyer} .. {buy} .. {arms} .. (from|od|iz) {actor:seller}" },
  { "arms_purchase_short", "arms_transfer", "{actor:buyer} ..4 {buy} ..4 {arms}" },
  { "arms_sale", "arms_transfer", "{actor:seller} .. {sell} .. {arms} .. (to|u|za) {actor:buyer}" },
  { "arms_sale_short", "arms_transfer", "{actor:seller} ..4 {sell} ..4 {arms}" },
  { "arms_from", "arms_transfer", "{arms} (from|od|iz) {actor:seller} ..6 (to|u|za) {actor:buyer}" },
  { "drone_transfer", "drone_transfer", "{actor:seller} .. {sell} .. (drone*|dron*|bespilotn*) .. {actor:buyer}" },
  { "drone_purchase", "drone_transfer", "{actor:buyer} .. {buy} .. (drone*|dron*|bespilotn*)" },
  { "missile_launch", "ballistic_launch", "{actor:actor1} ..6 {launch} ..6 {missile}" },
  { "missile_launch_passive", "ballistic_launch", "{missile} ..4 (launched|fired|lansiran*|ispaljen*) ..6 {actor:actor1}" },
  { "icbm_launch", "icbm_launch", "{actor:actor1} ..6 {launch} ..6 (icbm*|intercontinental|interkontinentaln*)" },
  { "nuclear_test", "nuclear_test", "{actor:actor1} ..8 (conduct*|carried out|izve*|sprove*) ..6 {nuclear}" },
  { "nuclear_test_short", "nuclear_test", "{actor:actor1} ..4 {nuclear}" },
  { "meeting", "meeting", "{actor:actor1} ..6 {meet} ..6 {actor:actor2}" },
  { "meeting_between", "meeting", "(talks|meeting|summit|sastanak|samit|razgovor*) (between|izmedju) {actor:actor1} (and|i) {actor:actor2}" },
  { "visit", "visit", "{actor:actor1} ..6 {visit} ..4 {actor:actor2}" },
  { "visit_to", "visit", "{visit} (to|u) {actor:actor2} ..8 {actor:actor1}" },
  { "sanctions_imposed", "sanctions_imposed", "{actor:actor1} ..6 {impose} ..6 {sanction} ..8 {actor:actor2}" },
  { "sanctions_on", "sanctions_imposed", "{sanction} (on|against|protiv|prema) {actor:actor2}" },
  { "sanctions_by", "sanctions_imposed", "{actor:actor1} {sanction} (on|against|protiv) {actor:actor2}" },
  { "sanctions_lifted", "sanctions_lifted", "{actor:actor1} ..6 {lift} ..6 {sanction} ..8 {actor:actor2}" },
  { "sanctions_veto", "sanctions_veto", "{actor:actor1} ..6 {veto} ..8 {sanction}" },
  { "veto_resolution", "sanctions_veto", "{actor:actor1} ..4 {veto} ..8 (resolution|rezolucij*)" },
  { "evasion", "sanctions_evasion", "{actor:actor1} ..8 (evad*|circumvent*|violat*|izbega*|zaobi*|krs*) ..6 {sanction}" },
  { "statement", "statement", "{actor:actor1} ..3 {say}" },
  { "statement_on", "statement", "{actor:actor1} ..3 {say} ..10 {actor:actor2}" },
  { "accusation", "accusation", "{actor:actor1} ..6 {accuse} ..4 {actor:actor2}" },
  { "denial", "denial", "{actor:actor1} ..4 {deny}" },
  { "threat", "threat", "{actor:actor1} ..6 {threaten} ..6 {actor:actor2}" },
  { "attack", "attack", "{actor:actor1} ..6 {attack} ..6 {actor:actor2}" },
  { "attack_on", "attack", "(attack|attacks|napad|napadi) (on|against|na) {actor:actor2}" },
  { "agreement", "agreement", "{actor:actor1} ..8 {agree} ..8 {actor:actor2}" },
  { "agreement_between", "agreement", "{agree} (between|izmedju) {actor:actor1} (and|i) {actor:actor2}" },
  { "aid", "aid", "{actor:actor1} ..8 (give*|provid*|pledg*|offer*|da*|pruzi*|obezbedi*) ..6 {aid} ..6 {actor:actor2}" },
  { "aid_to", "aid", "{aid} (to|za) {actor:actor2}" },
  { "oil_transfer", "oil_transfer", "{actor:actor1} ..6 {sell} ..6 {oil} ..8 {actor:actor2}" },
  { "oil_import", "oil_transfer", "{actor:actor2} ..6 {buy} ..6 {oil} ..6 (from|od|iz) {actor:actor1}" },
  { "coal_export", "coal_export", "{actor:actor1} ..6 {sell} ..6 {coal}" },
  { "workers_abroad", "workers_abroad", "{actor:actor1} {workers} ..8 (in|u) {actor:actor2}" },
  { "workers_sent", "workers_abroad", "{actor:actor1} ..6 (sent|send*|posla*|salj*) ..6 {workers} ..6 {actor:actor2}" },
  { "ship_to_ship", "ship_to_ship", "(ship-to-ship|ship to ship|sa broda na brod|pretovar*) ..10 {ship}" },
  { "ship_seized", "seizure", "{actor:actor1} ..6 (seiz*|captur*|zaplen*|zaplijen*|zadrz*) ..6 {ship}" },
  { "arrest", "arrest", "{actor:actor1} ..6 {arrest}" },
  { "protest", "protest", "{protest} (in|u) {actor:actor1}" },
  { "support", "support", "{actor:actor1} ..6 {support} ..6 {actor:actor2}" },
  { "investment", "investment", "{actor:actor1} ..6 {invest} ..6 (in|u) {actor:actor2}" },
  { "trade", "trade", "{trade} (between|izmedju) {actor:actor1} (and|i) {actor:actor2}" },
  { "election", "election", "{actor:actor1} ..4 {elect}" },
  { "troops_deployed", "deployment", "{actor:actor1} ..6 (deploy*|sent|send*|rasporedi*|posla*) ..4 {troops} ..6 {actor:actor2}" },
  { "troops_withdrawn", "withdrawal", "{actor:actor1} ..6 (withdr*|pull* out|povuk*|povlac*) ..4 {troops}" },
  { "arms_qty", "arms_transfer", "{actor:actor1} ..6 {sell} ..4 {qty} {arms}" },
}
-- luacheck: pop
assert(#RULES == 50, "50 rules")
for _, r in ipairs(RULES) do
  rs:rule { name = r[1], type = r[2], pattern = r[3] }
end
local nterms, nrules, what = 0, #RULES, "Phoenix"
for _ in pairs(TERMS) do nterms = nterms + 1 end
if os.getenv("RULES") == "shipped" then
  rs = require "dossier.rules.sanctions"
  nrules, nterms, what = #rs:rules(), 0, "shipped"
  local ok, world = pcall(require, "dossier.lexicon.world")
  phrases = #(ok and type(world) == "table" and world or require "dossier.lexicon.actors")
  for _ in pairs(require "dossier.lexicon.terms") do nterms = nterms + 1 end
end
-- The engine, and the cue recognisers of each language, compile on first use; do it now
-- (one match per language) so the timing below is coding.
for _, warm in ipairs { { "North Korea launched a missile.", "en" },
  { "North Korea je lansirala raketu.", "sr" },
  { "North Korea launched a missile. North Korea je lansirala raketu." } } do
  local n = #rs:run(warm[1], { lang = warm[2], published = "2020-01-01" })
  assert(n > 0 or what == "shipped", "warm-up: no match")
end
local load_s = now() - t_load

-- ---------------------------------------------------------------------------
-- ingest (not timed as extraction)

local path = os.tmpname()
os.remove(path)
local db = dossier.open(path)
local t_ing = now()
local ing = assert(db:ingest(CORPUS, { progress = false }))
local ing_s = now() - t_ing
local docs, mb = db:value("SELECT count(*), sum(length(CAST(text AS BLOB))) / 1e6 FROM documents")

print(("corpus: %s, %d documents, %.1f MB (ingested in %.1f s, %d rejected)"):format(CORPUS, docs, mb, ing_s,
  ing.rejected))
print(("rules: %d actor phrases (%s), %d term sets, %d rules, loaded and compiled in %.2f s")
  :format(phrases, what, nterms, nrules, load_s))

-- ---------------------------------------------------------------------------
-- extraction (timed)

-- The rule set's content hash (part of every extract call) is computed once
-- per rule set and cached by it; hashing 34,000 actor phrases is most of it.
local t_hash, c_hash = now(), os.clock()
rs:hash()
local hash_s, hash_cpu = now() - t_hash, os.clock() - c_hash

-- The extraction is timed REPEAT times (REPEAT=n, default 5), each on its own copy of the
-- ingested store opened afresh, as `dossier extract` finds it: the speed of this kind of
-- machine swings by a third within minutes, so one run says little. The figures below are
-- the median run's (by CPU time), with the fastest and slowest beside them.
local REPEAT = math.max(1, math.tointeger(tonumber(os.getenv("REPEAT") or 5)) or 5)
db:close() -- (checkpoints the WAL: the store is one file)
local function copy(from, to)
  local i = assert(io.open(from, "rb"))
  local o = assert(io.open(to, "wb"))
  while true do
    local block = i:read(1 << 20)
    if not block then break end
    assert(o:write(block))
  end
  i:close()
  assert(o:close())
end
local work = path .. ".run"
local function remove_store(p)
  os.remove(p)
  os.remove(p .. "-wal")
  os.remove(p .. "-shm")
end

-- Each round codes a fresh copy with one job and with JOBS jobs (default: the cores),
-- alternating which goes first, so a swing of the machine's speed hits both alike. One job is
-- timed by CPU (this process does all the work); many jobs by wall clock (the workers' CPU is
-- not this process's).
local JOBS = math.tointeger(tonumber(os.getenv("JOBS") or "")) or require("dossier.sys").cores()
local function one_run(jobs)
  if db:isopen() then db:close() end
  remove_store(work)
  copy(path, work)
  os.execute("sync") -- (the copy's pages written back now, not while extract writes its own)
  db = dossier.open(work)
  collectgarbage()
  local c0 = os.clock()
  local w0 = now()
  local res = extract(db, rs, { progress = false, jobs = jobs })
  return { r = res, cpu = os.clock() - c0, wall = now() - w0 }
end

local runs, par, before_peak, peak, reset = {}, {}, nil, nil, nil
for k = 1, REPEAT do
  local first_par = k % 2 == 0
  if first_par and JOBS > 1 then par[#par + 1] = one_run(JOBS) end
  before_peak = before_peak or vm("VmHWM")
  reset = reset_peak()
  runs[k] = one_run(1)
  local hwm = vm("VmHWM")
  peak = hwm and math.max(peak or 0, hwm)
  if not first_par and JOBS > 1 then par[#par + 1] = one_run(JOBS) end
end
local function by_wall(a, b) return a.wall < b.wall end
local one_wall = {}
for k, x in ipairs(runs) do one_wall[k] = x end
table.sort(one_wall, by_wall)
table.sort(par, by_wall)
table.sort(runs, function(a, b) return a.cpu < b.cpu end)
local median = runs[(REPEAT + 1) // 2]
local r, cpu, wall = median.r, median.cpu, median.wall

-- DUMP=file: write every stored event, one line each, to compare runs byte for byte.
local dump = os.getenv("DUMP")
if dump then
  local f = assert(io.open(dump, "wb"))
  local cols = { "id", "doc_id", "run_id", "rule", "type", "actor1", "actor2", "item", "qty", "unit", "date",
    "modality", "negated", "start", "stop", "sent_start", "sent_stop", "attrs" }
  for i, c in ipairs(cols) do
    cols[i] = "quote(" .. c .. ")"
  end
  for line in db:urows("SELECT " .. table.concat(cols, " || '|' || ")
    .. " FROM events ORDER BY doc_id, start, rule, id") do
    f:write(line, "\n")
  end
  f:close()
end

local mbs = r.bytes / 1e6 / wall
local sps = r.sentences / wall
print()
print(("%-28s %10s %10s %10s %12s %12s %10s"):format("", "MB/s", "sent/s", "events/s", "events",
  "sentences", "peak MB"))
print(("%-28s %10.1f %10.0f %10.0f %12d %12d %10.1f"):format("dossier.extract (wall)", mbs, sps,
  r.events / wall, r.events, r.sentences, peak or 0))
print(("%-28s %10.1f %10.0f %10.0f"):format("dossier.extract (CPU)", r.bytes / 1e6 / cpu, r.sentences / cpu,
  r.events / cpu))
local total = r.bytes / 1e6
print(("%-28s %10.1f %10.0f %10.0f"):format("+ first rs:hash() (wall)", total / (wall + hash_s),
  r.sentences / (wall + hash_s), r.events / (wall + hash_s)))
print(("%-28s %10.1f %10.0f %10.0f"):format("+ first rs:hash() (CPU)", total / (cpu + hash_cpu),
  r.sentences / (cpu + hash_cpu), r.events / (cpu + hash_cpu)))
print(("%d runs, MB/s by CPU time: fastest %.1f, median %.1f, slowest %.1f "
  .. "(their wall clock: %.1f, %.1f, %.1f)")
  :format(REPEAT, r.bytes / 1e6 / runs[1].cpu, r.bytes / 1e6 / cpu, r.bytes / 1e6 / runs[REPEAT].cpu,
    r.bytes / 1e6 / runs[1].wall, mbs, r.bytes / 1e6 / runs[REPEAT].wall))
print(("target >= 50 MB/s end to end (median): %s"):format(mbs >= 50 and "met" or "not met"))
print(("rule set hash, first call: %.2f s wall, %.2f s CPU (cached by the rule set afterwards)")
  :format(hash_s, hash_cpu))
print(("events' query indexes: %s"):format(r.bulk and "dropped for the run and built again at its end (bulk)"
  or "kept up to date row by row"))
print(("peak RSS %s: %.1f MB (before extraction: %.1f MB)"):format(
  reset and "during extraction" or "of the process", peak or 0, before_peak or 0))

if JOBS > 1 then
  local m1, mn = one_wall[(REPEAT + 1) // 2].wall, par[(#par + 1) // 2].wall
  print(("\n%-28s %10s %10s %10s %10s"):format("jobs (wall clock)", "median s", "fastest", "slowest", "MB/s"))
  for _, c in ipairs({ { "1 job", one_wall }, { JOBS .. " jobs (" .. par[1].r.jobs .. " used)", par } }) do
    local t = c[2]
    local mid = t[(#t + 1) // 2].wall
    print(("%-28s %10.2f %10.2f %10.2f %10.1f"):format(c[1], mid, t[1].wall, t[#t].wall, r.bytes / 1e6 / mid))
  end
  print(("speed-up with %d jobs: %.2fx by the medians (range %.2f-%.2fx), target >= 1.7x with 2 jobs on 2 "
    .. "cores"):format(JOBS, m1 / mn, one_wall[1].wall / par[#par].wall, one_wall[REPEAT].wall / par[1].wall))
end

-- Re-running with nothing changed, and after one rule changes.
local again = extract(db, rs, { progress = false })
print(("re-run, nothing changed: %d documents re-coded in %.2f s"):format(again.docs, again.seconds))
local types = {}
for t, n in db:urows("SELECT type, count(*) FROM events GROUP BY type ORDER BY 2 DESC LIMIT 8") do
  types[#types + 1] = t .. " " .. n
end
print("top event types: " .. table.concat(types, ", "))

db:close()
remove_store(work)
remove_store(path)
