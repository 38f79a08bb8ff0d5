--- dossier.eval: score the rules and claims against a hand-coded gold set (eval/README.md).
--
-- A gold set is JSONL in the format of ANNOTATION.md: one passage of real news a line, with the
-- events and claims a careful reader codes in it. `run` codes every passage in a fresh in-memory
-- store with a rule set (the shipped one by default), finds claims with `dossier.claims.extract`
-- and scores what they found against the gold:
--
--    local ev = require "dossier.eval"
--    local r = ev.run { "eval/gold/dev.jsonl" }
--    print(ev.format(r))               -- the table `dossier eval` prints
--    print(r.events.overall.f1, r.claims.speaker_stance.recall)
--
-- Scoring (the rules an independent scorer follows, eval/README.md):
-- - A system event matches a gold event of the same passage when `type`, `actor1` and `actor2`
--   agree; a gold `""` agrees with any value. One-to-one, greedily: gold events in their order,
--   each takes the first unmatched system event (in text order) that agrees. Precision =
--   matched / system events, recall = matched / gold events, F1 their harmonic mean; the same
--   per event type (a pair counts for its gold type) and per language and script of the passage.
-- - Modality and negation accuracy: over the matched pairs, the share whose `modality`, and
--   whose `negated`, equal the gold's.
-- - Claims: the system's attributed claims (not the outlet's own report of an event, which the
--   gold does not code); a speaker naming several actors ("USA,JPN") is one claim per actor. A
--   system claim matches a gold claim when `speaker` (a gold `""` agrees with any) and `stance`
--   agree, one-to-one and greedily as for events; reported again requiring also the event type
--   (a claim about no event has type `""`), and as the recall on the gold claims whose speaker
--   is named (a gold `""` speaker agrees with anyone, so it is the easier half).
-- @module dossier.eval
local cjson = require("cjson").new()
local kb = require "dossier.kb"
local store = require "dossier.store"
local vocab = require "dossier.vocab"

local M = {}

--- FNV-1a (32 bits) of a string: the hash that fixes a gold record's half and orders the
-- selection of passages (eval/tools/select.lua). Stable across platforms and Lua builds.
-- @tparam string s the bytes
-- @treturn integer 0 .. 2^32 - 1
function M.hash(s)
  local h = 2166136261
  for i = 1, #s do
    h = ((h ~ s:byte(i)) * 16777619) & 0xffffffff
  end
  return h
end

--- The half a gold record belongs to, fixed by its id: `"dev"` or `"test"`.
-- @tparam string id the record's id
-- @treturn string
function M.half(id)
  return M.hash(id) % 2 == 0 and "dev" or "test"
end

-- The gold format (../shared/ANNOTATION.md). Keys are written in this order, so files diff
-- cleanly; keys not listed follow in sorted order.
local KEYS = {
  record = { "id", "doc_id", "outlet", "lang", "script", "published", "text", "events", "claims",
    "note", "source", "file", "span", "selected", "keywords" },
  events = { "type", "actor1", "actor2", "negated", "modality", "note" },
  claims = { "speaker", "stance", "type", "actor1", "actor2", "via", "note" },
}

local function json_string(s)
  return (cjson.encode(s):gsub("\\/", "/"))
end

local function encode(v, keys)
  if type(v) == "string" then return json_string(v) end
  if type(v) ~= "table" then return cjson.encode(v) end
  local parts = {}
  if #v > 0 or next(v) == nil then -- an array; an empty table is an empty array
    for i, x in ipairs(v) do parts[i] = encode(x, keys) end
    return "[" .. table.concat(parts, ", ") .. "]"
  end
  local seen, rest = {}, {}
  for _, k in ipairs(keys or {}) do
    if v[k] ~= nil then
      parts[#parts + 1] = json_string(k) .. ": " .. encode(v[k], KEYS[k]); seen[k] = true
    end
  end
  for k in pairs(v) do if not seen[k] then rest[#rest + 1] = k end end
  table.sort(rest)
  for _, k in ipairs(rest) do parts[#parts + 1] = json_string(k) .. ": " .. encode(v[k], KEYS[k]) end
  return "{" .. table.concat(parts, ", ") .. "}"
end

--- Encode one gold record as a JSON line (without the newline), keys in the documented order.
-- @tparam table rec the record
-- @treturn string
function M.encode(rec)
  return encode(rec, KEYS.record)
end

-- reading the gold --------------------------------------------------------------------------

local is_type = vocab.is_event_type
local MODALITIES = vocab.is_modality
local STANCES = { assert = true, deny = true, hedge = true, plan = true }

local function bad(where, msg)
  error(("dossier.eval: %s: %s"):format(where, msg), 0)
end

local function check_actor(where, v, what)
  if type(v) ~= "string" then bad(where, what .. " must be a string (\"\" when unnamed)") end
end

local function check_event(where, e)
  if type(e) ~= "table" then bad(where, "an event must be an object") end
  if not is_type[e.type] then bad(where, ("unknown event type '%s'"):format(tostring(e.type))) end
  check_actor(where, e.actor1, "actor1")
  check_actor(where, e.actor2, "actor2")
  if e.modality ~= nil and not MODALITIES[e.modality] then
    bad(where, ("unknown modality '%s'"):format(tostring(e.modality)))
  end
  if e.negated ~= nil and type(e.negated) ~= "boolean" then bad(where, "negated must be true or false") end
end

local function check_claim(where, c)
  if type(c) ~= "table" then bad(where, "a claim must be an object") end
  if type(c.speaker) ~= "string" then bad(where, "a claim's speaker must be a string") end
  if not STANCES[c.stance] then bad(where, ("unknown stance '%s'"):format(tostring(c.stance))) end
  local t = c.type or ""
  if t ~= "" and not is_type[t] then bad(where, ("unknown event type '%s' in a claim"):format(t)) end
end

local function check_record(where, r, seen)
  if type(r) ~= "table" then bad(where, "a record must be a JSON object") end
  if type(r.id) ~= "string" or r.id == "" then bad(where, "the record has no id") end
  if seen[r.id] then bad(where, ("id '%s' repeats line %d"):format(r.id, seen[r.id])) end
  if type(r.text) ~= "string" or not r.text:find("%S") then bad(where, "the record has no text") end
  if type(r.lang) ~= "string" then bad(where, "the record has no lang") end
  if type(r.events) ~= "table" then bad(where, "events must be an array ([] for none)") end
  if r.claims ~= nil and type(r.claims) ~= "table" then bad(where, "claims must be an array") end
  for _, e in ipairs(r.events) do check_event(where, e) end
  for _, c in ipairs(r.claims or {}) do check_claim(where, c) end
end

--- Read a gold file: an array of records, each checked against the format.
-- @tparam string path a JSONL file
-- @return the records, or nil and a message (the file cannot be opened)
-- @raise on a malformed line, naming the file, the line and what is wrong
function M.read(path)
  local f, why = io.open(path, "rb")
  if not f then return nil, "dossier.eval: cannot open gold file: " .. why end
  local recs, seen, n = {}, {}, 0
  for line in f:lines() do
    n = n + 1
    if line:find("%S") then
      local where = ("%s:%d"):format(path, n)
      local ok, r = pcall(cjson.decode, line)
      if not ok then f:close(); bad(where, "not valid JSON (" .. tostring(r) .. ")") end
      local ok2, e = pcall(check_record, where, r, seen)
      if not ok2 then f:close(); error(e, 0) end
      seen[r.id] = n
      recs[#recs + 1] = r
    end
  end
  f:close()
  return recs
end

-- scoring ------------------------------------------------------------------------------------

local function agrees(gold, sys)
  return gold == "" or gold == (sys or "")
end

-- One-to-one, greedy in gold order: pairs[i] is the index of the system item gold item i took.
local function match(gold, sys, same)
  local used, pairs_ = {}, {}
  for i, g in ipairs(gold) do
    for j, s in ipairs(sys) do
      if not used[j] and same(g, s) then
        used[j], pairs_[i] = true, j
        break
      end
    end
  end
  return pairs_, used
end

local function same_event(g, s)
  return g.type == s.type and agrees(g.actor1, s.actor1) and agrees(g.actor2, s.actor2)
end

local function same_claim(g, s)
  return g.stance == s.stance and agrees(g.speaker, s.speaker)
end

local function same_claim_typed(g, s)
  return same_claim(g, s) and (g.type or "") == (s.type or "")
end

local function tally()
  return { gold = 0, system = 0, matched = 0 }
end

local function add(t, key, field, n)
  local row = t[key]
  if not row then row = tally(); t[key] = row end
  row[field] = row[field] + (n or 1)
end

local function ratios(row)
  local p = row.system > 0 and row.matched / row.system or nil
  local r = row.gold > 0 and row.matched / row.gold or nil
  row.precision, row.recall = p, r
  row.f1 = (p and r and p + r > 0) and 2 * p * r / (p + r) or ((p and r) and 0 or nil)
  return row
end

-- One passage's events: counts into `ev` (overall, by type, by language/script), modality and
-- negation of the matched pairs, misses and false positives into `errors` when given.
local function score_events(g, out, ev, errors)
  local lang = g.lang .. "/" .. (g.script or "?")
  local pairs_, used = match(g.events, out.events, same_event)
  for i, e in ipairs(g.events) do
    add(ev, "overall", "gold"); add(ev.by_type, e.type, "gold"); add(ev.by_lang, lang, "gold")
    local s = pairs_[i] and out.events[pairs_[i]]
    if s then
      add(ev, "overall", "matched"); add(ev.by_type, e.type, "matched")
      add(ev.by_lang, lang, "matched")
      if e.modality ~= nil then
        ev.modality.total = ev.modality.total + 1
        if e.modality == s.modality then ev.modality.right = ev.modality.right + 1 end
      end
      ev.negation.total = ev.negation.total + 1
      if (e.negated or false) == (s.negated or false) then ev.negation.right = ev.negation.right + 1 end
      if errors and ((e.modality ~= nil and e.modality ~= s.modality)
          or (e.negated or false) ~= (s.negated or false)) then
        errors[#errors + 1] = { id = g.id, kind = "modality", what = "event", item = s, gold = e,
          text = s.sentence or g.text }
      end
    elseif errors then
      errors[#errors + 1] = { id = g.id, kind = "miss", what = "event", item = e, text = g.text }
    end
  end
  for j, s in ipairs(out.events) do
    add(ev, "overall", "system"); add(ev.by_type, s.type, "system"); add(ev.by_lang, lang, "system")
    if errors and not used[j] then
      errors[#errors + 1] = { id = g.id, kind = "false positive", what = "event", item = s,
        text = s.sentence or g.text }
    end
  end
end

-- One passage's claims: speaker+stance (with the named-speaker recall and the errors), then
-- again requiring the event type.
local function score_claims(g, out, cl, errors)
  local claims = g.claims or {}
  local cp, cused = match(claims, out.claims, same_claim)
  add(cl, "speaker_stance", "gold", #claims); add(cl, "speaker_stance", "system", #out.claims)
  for i, c in ipairs(claims) do
    if c.speaker ~= "" then
      cl.named.gold = cl.named.gold + 1
      if cp[i] then cl.named.matched = cl.named.matched + 1 end
    end
    if cp[i] then add(cl, "speaker_stance", "matched")
    elseif errors then
      errors[#errors + 1] = { id = g.id, kind = "miss", what = "claim", item = c, text = g.text }
    end
  end
  for j, s in ipairs(errors and out.claims or {}) do
    if not cused[j] then
      errors[#errors + 1] = { id = g.id, kind = "false positive", what = "claim", item = s,
        text = s.sentence or g.text }
    end
  end
  local tp = match(claims, out.claims, same_claim_typed)
  add(cl, "with_type", "gold", #claims); add(cl, "with_type", "system", #out.claims)
  for i in ipairs(claims) do
    if tp[i] then add(cl, "with_type", "matched") end
  end
end

--- Score system output against gold records. Pure: no store, no rules.
-- @tparam table gold records as `read` returns them
-- @tparam table system keyed by record id: `{events = {...}, claims = {...}}`, each event
--   `{type, actor1, actor2, modality, negated, sentence}`, each claim `{speaker, stance, type,
--   sentence}` (already one per speaker actor, outlet claims left out), events in text order
-- @tparam[opt] table opts `errors` (true: list every miss and false positive)
-- @return the figures (see `run`)
function M.score(gold, system, opts)
  opts = opts or {}
  local ev = { overall = tally(), by_type = {}, by_lang = {}, modality = { right = 0, total = 0 },
    negation = { right = 0, total = 0 } }
  local cl = { speaker_stance = tally(), with_type = tally(), named = { gold = 0, matched = 0 } }
  local errors = opts.errors and {} or nil
  for _, g in ipairs(gold) do
    local out = system[g.id] or { events = {}, claims = {} }
    score_events(g, out, ev, errors)
    score_claims(g, out, cl, errors)
  end
  ratios(ev.overall)
  for _, row in pairs(ev.by_type) do ratios(row) end
  for _, row in pairs(ev.by_lang) do ratios(row) end
  ratios(cl.speaker_stance); ratios(cl.with_type)
  local named, mod, neg = cl.named, ev.modality, ev.negation
  named.recall = named.gold > 0 and named.matched / named.gold or nil
  mod.accuracy = mod.total > 0 and mod.right / mod.total or nil
  neg.accuracy = neg.total > 0 and neg.right / neg.total or nil
  return { passages = #gold, events = ev, claims = cl, errors = errors }
end

-- coding the passages ---------------------------------------------------------------------------

local EVENTS = "SELECT type, actor1, actor2, modality, negated, sent_start, sent_stop FROM events "
  .. "WHERE doc_id = ? ORDER BY coalesce(start, sent_start), id"
local CLAIMS = "SELECT c.speaker, c.stance, c.attrs, e.type FROM claims c "
  .. "LEFT JOIN events e ON e.id = c.event_id WHERE c.doc_id = ? ORDER BY c.start, c.id"

-- "USA,JPN" is two speakers; a speaker as written ("minister, Mr X") is one.
local function speakers_of(s)
  s = s or ""
  if s:find(",", 1, true) then
    local parts = {}
    for code in s:gmatch("[^,]+") do
      if not code:find("^[A-Z][A-Z0-9]*$") then return { s } end
      parts[#parts + 1] = code
    end
    return parts
  end
  return { s }
end

local function system_output(db, doc, text)
  local out = { events = {}, claims = {} }
  for e in db:rows(EVENTS, doc) do
    out.events[#out.events + 1] = { type = e.type, actor1 = e.actor1 or "", actor2 = e.actor2 or "",
      modality = e.modality, negated = (e.negated or 0) ~= 0,
      sentence = e.sent_start and text:sub(e.sent_start, e.sent_stop) or nil }
  end
  for c in db:rows(CLAIMS, doc) do
    local attrs = store.decode_json(c.attrs)
    if attrs.kind ~= "outlet" then
      local sentence = attrs.sent_start and text:sub(attrs.sent_start, attrs.sent_stop) or nil
      for _, sp in ipairs(speakers_of(c.speaker)) do
        out.claims[#out.claims + 1] = { speaker = sp, stance = c.stance, type = c.type or "",
          sentence = sentence }
      end
    end
  end
  return out
end

local function code(gold, rs)
  local db <close> = store.open(":memory:")
  local doc_of = {}
  db:transaction(function()
    for _, r in ipairs(gold) do
      local published = type(r.published) == "string" and store.valid_date(r.published) and r.published
      doc_of[r.id] = db:add_document { text = r.text, source = r.outlet or "gold", lang = r.lang,
        script = r.script, published = published or nil, ext_id = r.id }
    end
  end)
  require("dossier.extract")(db, rs, { progress = false })
  require("dossier.claims").extract(db)
  local system = {}
  for _, r in ipairs(gold) do system[r.id] = system_output(db, doc_of[r.id], r.text) end
  return system
end

--- Code gold passages with a rule set and the claims extractor, and score them (eval/README.md).
-- @tparam table|string paths gold JSONL files (one path or an array)
-- @tparam[opt] table opts `rules` (a rule set; default `dossier.rules.sanctions`), `half`
--   (`"dev"` or `"test"`: only the records of that half), `errors` (list every miss and false
--   positive)
-- @return the figures: `passages`, `files`, `rules`, `events` (`overall`, `by_type[type]`,
--   `by_lang["lang/script"]`: each `{gold, system, matched, precision, recall, f1}`;
--   `modality` and `negation`: `{right, total, accuracy}`), `claims` (`speaker_stance`,
--   `with_type`: as `overall`; `named`: `{gold, matched, recall}` over the gold claims whose
--   speaker is not `""`), `errors` (with `opts.errors`: `{id, kind, what, item, text}`)
-- @raise when a file cannot be read or holds a malformed record (naming file and line)
function M.run(paths, opts)
  if type(paths) == "string" then paths = { paths } end
  if type(paths) ~= "table" or #paths == 0 then error("dossier.eval: run expects gold file paths", 2) end
  opts = opts or {}
  if type(opts) ~= "table" then error("dossier.eval: options must be a table", 2) end
  if opts.half ~= nil and opts.half ~= "dev" and opts.half ~= "test" then
    error(("dossier.eval: half must be \"dev\" or \"test\", got '%s'"):format(tostring(opts.half)), 2)
  end
  local gold = {}
  for _, p in ipairs(paths) do
    local recs, why = M.read(p)
    if not recs then error(why, 2) end
    for _, r in ipairs(recs) do
      if not opts.half or M.half(r.id) == opts.half then gold[#gold + 1] = r end
    end
  end
  local rs = opts.rules or require "dossier.rules.sanctions"
  local r = M.score(gold, code(gold, rs), opts)
  r.files, r.rules = paths, rs.name or "rules"
  return r
end

-- presenting --------------------------------------------------------------------------------------

local function pct(x)
  return x and ("%5.1f"):format(100 * x) or "    -"
end

local function row_line(label, row)
  return ("  %-22s %5d %6d %7d   %s  %s  %s"):format(label, row.gold, row.system, row.matched,
    pct(row.precision), pct(row.recall), pct(row.f1))
end

local function sorted_keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks)
  return ks
end

--- The figures of `run` as the table `dossier eval` prints.
-- @tparam table r what `run` returned
-- @treturn string
function M.format(r)
  local L = {}
  L[#L + 1] = ("%d passages (%s), rules: %s"):format(r.passages,
    table.concat(r.files or {}, ", "), tostring(r.rules))
  L[#L + 1] = ("  %-22s %5s %6s %7s   %5s  %5s  %5s"):format("events", "gold", "system", "matched",
    "P %", "R %", "F1 %")
  L[#L + 1] = row_line("overall", r.events.overall)
  L[#L + 1] = "  by type"
  local types = {}
  for _, t in ipairs(kb.EVENT_TYPES) do if r.events.by_type[t] then types[#types + 1] = t end end
  for _, t in ipairs(types) do L[#L + 1] = row_line("  " .. t, r.events.by_type[t]) end
  L[#L + 1] = "  by language/script"
  for _, k in ipairs(sorted_keys(r.events.by_lang)) do
    L[#L + 1] = row_line("  " .. k, r.events.by_lang[k])
  end
  local m, n = r.events.modality, r.events.negation
  L[#L + 1] = ("  on matched events: modality %s %% (%d/%d), negation %s %% (%d/%d)"):format(
    pct(m.accuracy), m.right, m.total, pct(n.accuracy), n.right, n.total)
  L[#L + 1] = ("  %-22s %5s %6s %7s   %5s  %5s  %5s"):format("claims", "gold", "system", "matched",
    "P %", "R %", "F1 %")
  L[#L + 1] = row_line("speaker+stance", r.claims.speaker_stance)
  L[#L + 1] = row_line("  + event type", r.claims.with_type)
  local nm = r.claims.named
  L[#L + 1] = ("  recall on gold claims with a named speaker (not \"\"): %s %% (%d/%d)"):format(
    pct(nm.recall), nm.matched, nm.gold)
  return table.concat(L, "\n") .. "\n"
end

local function describe(item)
  if item.type ~= nil and item.speaker == nil then
    return ("%s %s -> %s (%s%s)"):format(item.type, item.actor1 ~= "" and item.actor1 or "?",
      item.actor2 ~= "" and item.actor2 or "?", item.modality or "-", item.negated and ", negated" or "")
  end
  return ("%s %s%s"):format(item.speaker ~= "" and item.speaker or "?", item.stance,
    (item.type or "") ~= "" and (" about " .. item.type) or "")
end

--- Every miss and false positive of a run made with `errors`, and every matched event whose
-- modality or negation differs from the gold one, one per line:
-- `id  miss|false positive|modality  event|claim  what [(gold: modality)]  | sentence`.
-- @tparam table r what `run` returned (with `opts.errors`)
-- @treturn string
function M.format_errors(r)
  local L = {}
  for _, e in ipairs(r.errors or {}) do
    local gold = e.gold and (" (gold: " .. (e.gold.modality or "-") .. (e.gold.negated and ", negated" or "")
      .. ")") or ""
    L[#L + 1] = ("%-12s %-14s %-5s %s%s\n    | %s"):format(e.id, e.kind, e.what, describe(e.item), gold,
      (e.text:gsub("%s+", " ")))
  end
  return table.concat(L, "\n") .. (#L > 0 and "\n" or "")
end

--- The figures as JSON (without the error list's sentences when `errors` was not asked for).
-- @tparam table r what `run` returned
-- @treturn string
function M.json(r)
  return cjson.encode(r)
end

return M
