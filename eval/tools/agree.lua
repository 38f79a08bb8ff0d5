-- eval/tools/agree.lua: agreement between two annotations of the same passages.
--
--   lua5.4 eval/tools/agree.lua FIRST.jsonl SECOND.jsonl
--
-- Scores the second annotation against the first with dossier.eval.score (the scorer of
-- `dossier eval`), once with the scorer's rule that "" agrees with anything and once with exact
-- actors and speakers, and counts the passages both coded as with or without events.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath
local eval = require "dossier.eval"

local first = assert(eval.read(assert(arg[1], "usage: agree.lua FIRST.jsonl SECOND.jsonl")))
local second = {}
for _, r in ipairs(assert(eval.read(assert(arg[2])))) do second[r.id] = r end

local gold, exact_gold, sys = {}, {}, {}
local both, neither, only1, only2 = 0, 0, 0, 0
-- exact: "" is a value like any other (a gold "" becomes "-", which only "-" agrees with)
local function strict(list, keys)
  local out = {}
  for i, x in ipairs(list) do
    local y = {}
    for k, v in pairs(x) do y[k] = v end
    for _, k in ipairs(keys) do if y[k] == "" or y[k] == nil then y[k] = "-" end end
    out[i] = y
  end
  return out
end
for _, r in ipairs(first) do
  local s = assert(second[r.id], "the second file lacks " .. r.id)
  gold[#gold + 1] = r
  local e = {}
  for k, v in pairs(r) do e[k] = v end
  e.events = strict(r.events, { "actor1", "actor2" })
  e.claims = strict(r.claims or {}, { "speaker" })
  exact_gold[#exact_gold + 1] = e
  sys[r.id] = { events = s.events, claims = s.claims or {} }
  local a, b = #r.events > 0, #s.events > 0
  if a and b then both = both + 1 elseif a then only1 = only1 + 1 elseif b then only2 = only2 + 1
  else neither = neither + 1 end
end
local exact_sys = {}
for id, o in pairs(sys) do
  exact_sys[id] = { events = strict(o.events, { "actor1", "actor2" }),
    claims = strict(o.claims, { "speaker" }) }
end

local function line(label, row)
  return ("%-34s first %3d  second %3d  agreed %3d  F1 %5.1f %%"):format(label, row.gold, row.system,
    row.matched, 100 * (row.f1 or 0))
end
local loose, exact = eval.score(gold, sys), eval.score(exact_gold, exact_sys)
print(("%d passages: events in both %d, in neither %d, only the first %d, only the second %d"):format(
  #first, both, neither, only1, only2))
print(("passage-level agreement on 'has an event': %.1f %%"):format(100 * (both + neither) / #first))
print(line("events (\"\" agrees with any)", loose.events.overall))
print(line("events (exact actors)", exact.events.overall))
print(("modality on agreed events: %d/%d, negation %d/%d"):format(loose.events.modality.right,
  loose.events.modality.total, loose.events.negation.right, loose.events.negation.total))
print(line("claims speaker+stance", loose.claims.speaker_stance))
print(line("claims speaker+stance (exact)", exact.claims.speaker_stance))
print(line("claims + event type", loose.claims.with_type))
