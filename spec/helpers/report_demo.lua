-- Build a report from the example corpus without depending on the rule engine or the analyses:
-- ingest examples/corpus/news, code one event per article by keyword (the first sentence holding
-- one of the type's words), group them into incidents, look up the UN measures in force with
-- dossier.kb, and write the HTML report. Used for doc/report.png:
--
--   lua5.4 spec/helpers/report_demo.lua /tmp/report.html
--   chromium --headless --screenshot=doc/report.png --window-size=1280,1600 file:///tmp/report.html
--
-- The rows follow the issue 6 row contract, so the page looks like one made from the analyses.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath

local store = require "dossier.store"
local text = require "dossier.text"
local report = require "dossier.report"
local okkb, kb = pcall(require, "dossier.kb")

local out = arg[1] or "examples/report.html"
local db = store.open(":memory:")
assert(db:ingest("examples/corpus/news", { progress = false }))

-- Type, actors and words, checked in this order (the veto article also names the ICBM).
local CODES = {
  { type = "sanctions_veto", a1 = "RUS", a2 = "UNO", words = { "vetoed", "veto", "blokirale", "Вето",
    "вето" } },
  { type = "drone_transfer", a1 = "IRN", a2 = "RUS", words = { "drones", "dronove", "dronova", "дронов" } },
  { type = "workers_abroad", a1 = "PRK", a2 = "RUS", words = { "builders", "workers", "radnici",
    "Радници" } },
  { type = "arms_transfer", a1 = "PRK", a2 = "RUS", words = { "artillery shells", "shells", "munitions",
    "granat",
    "гранат", "weapons", "oružja" } },
  { type = "icbm_launch", a1 = "PRK", words = { "intercontinental", "ICBM", "interkontinentaln",
    "интерконтинентал" } },
  { type = "ballistic_launch", a1 = "PRK", words = { "ballistic missile", "balistički projektil",
    "балистичку" } },
}
local DENIAL = { "denies", "denied", "negira", "negirao" }
local SKIP = { ["bw-006"] = true, ["dg-006"] = true, ["jv-006"] = true, ["pd-006"] = true, ["ps-003"] = true,
  ["vn-006"] = true } -- the articles that only share words with the events

local function sentence_at(t, pos)
  for s, e in text.sentences(t) do
    if pos >= s and pos <= e then return s, e end
  end
  return 1, #t
end

local events = {}
db:transaction(function()
  for d in db:rows([[SELECT d.id, d.ext_id, d.text, d.published, s.name AS source FROM documents d
      JOIN sources s ON s.id = d.source_id ORDER BY d.published, d.id]]) do
    if not SKIP[d.ext_id] then
      for _, c in ipairs(CODES) do
        local best
        for _, wd in ipairs(c.words) do
          local s, e = d.text:find(wd, 1, true)
          if s and (not best or s < best[1]) then best = { s, e } end
        end
        if best then
          local denied = false
          if c.type == "arms_transfer" then -- the corpus's denial is Pyongyang's, of the arms sales
            for _, wd in ipairs(DENIAL) do if d.text:find(wd, 1, true) then denied = true end end
          end
          local ss, se = sentence_at(d.text, best[1])
          local date = d.published
          if c.type == "icbm_launch" then date = "2022-03-24" end
          if c.type == "sanctions_veto" then date = "2022-05-26" end
          local ev = { doc_id = d.id, type = c.type, actor1 = c.a1, actor2 = c.a2, date = date,
            modality = denied and "denied" or (d.text:find("navodno", 1, true) and "hedged" or "asserted"),
            negated = denied, start = best[1], stop = best[2], sent_start = ss, sent_stop = se,
              rule = "demo" }
          ev.id = db:add_event(ev)
          ev.source, ev.published = d.source, d.published
          events[#events + 1] = ev
          break
        end
      end
    end
  end
end)

-- Incidents: one per type and actors; denials kept beside.
local incidents, by_key = {}, {}
for _, ev in ipairs(events) do
  local key = ev.type .. " " .. ev.actor1 .. (ev.actor2 and ("→" .. ev.actor2) or "")
  local inc = by_key[key]
  if not inc then
    inc = { id = #incidents + 1, key = key, type = ev.type, actor1 = ev.actor1, actor2 = ev.actor2,
      date_from = ev.date, date_to = ev.date, modality = "asserted", events = {}, denials = {}, sources = {} }
    incidents[#incidents + 1] = inc
    by_key[key] = inc
  end
  local row = { event_id = ev.id, doc_id = ev.doc_id, source = ev.source, published = ev.published,
    modality = ev.modality, negated = ev.negated, date = ev.date, start = ev.start, stop = ev.stop,
    sent_start = ev.sent_start, sent_stop = ev.sent_stop, rule = ev.rule }
  if ev.modality == "denied" then
    inc.denials[#inc.denials + 1] = row
  else
    inc.events[#inc.events + 1] = row
    if ev.date < inc.date_from then inc.date_from = ev.date end
    if ev.date > inc.date_to then inc.date_to = ev.date end
  end
end
for _, inc in ipairs(incidents) do
  local seen = {}
  for _, e in ipairs(inc.events) do
    if not seen[e.source] then seen[e.source] = true; inc.sources[#inc.sources + 1] = e.source end
  end
  table.sort(inc.sources)
  inc.mentions = #inc.events
  inc.origins = math.max(1, #inc.sources - 2)
end

local violations = {}
for _, inc in ipairs(incidents) do
  local measures = okkb and kb.measures_for({ type = inc.type, actor1 = inc.actor1, actor2 = inc.actor2,
    date = inc.date_from }, { un = true }) or {}
  -- Reaffirmations of one obligation count once: keep each group's primary measure.
  local primaries = {}
  for _, grp in ipairs(okkb and kb.group(measures) or {}) do primaries[#primaries + 1] = grp.primary end
  for _, m in ipairs(primaries) do
    local docs = {}
    for _, e in ipairs(inc.events) do docs[#docs + 1] = e.doc_id end
    violations[#violations + 1] = { incident = inc.id, event = inc.events[1].event_id, regime = m.regime,
      body = "UN Security Council", resolution = m.resolution, paragraph = m.paragraph,
      paragraph_status = m.paragraph_status, measure = m.id, activity = m.activity, type = inc.type,
      actors = inc.actor1 .. (inc.actor2 and ("→" .. inc.actor2) or ""), actor1 = inc.actor1,
        actor2 = inc.actor2,
      date = inc.date_from, modality = inc.modality, contested = #inc.denials > 0, mentions = inc.mentions,
      origins = inc.origins, documents = docs, sources = inc.sources, evidence = inc.events }
  end
end
table.sort(violations, function(a, b)
  if a.date ~= b.date then return a.date < b.date end
  return a.resolution < b.resolution
end)

-- Propositions: the arms purchase with its denials and a quantity disagreement.
local propositions = {}
for _, inc in ipairs(incidents) do
  local p = { key = inc.key, type = inc.type, actor1 = inc.actor1, actor2 = inc.actor2, sources = {},
    origin_names = {}, conflicts = {} }
  local a, dn = 0, 0
  for _, e in ipairs(inc.events) do
    local st = e.modality == "hedged" and "hedge" or "assert"
    p.sources[#p.sources + 1] = { source = e.source, stance = st, doc_id = e.doc_id, event_id = e.event_id,
      published = e.published, sent_start = e.sent_start, sent_stop = e.sent_stop, origin = e.source }
    if st == "assert" then a = a + 1 end
  end
  for _, e in ipairs(inc.denials) do
    p.sources[#p.sources + 1] = { source = e.source, stance = "deny", speaker = "Pyongyang",
      doc_id = e.doc_id,
      event_id = e.event_id, published = e.published, sent_start = e.sent_start, sent_stop = e.sent_stop }
    dn = dn + 1
  end
  if inc.type == "arms_transfer" and #p.sources >= 2 then
    p.sources[2].via = "The New York Times"
    p.sources[2].origin = "The New York Times"
    local denial
    for _, s in ipairs(p.sources) do if s.stance == "deny" then denial = s end end
    if denial then p.conflicts[#p.conflicts + 1] = { kind = "stance", a = p.sources[1], b = denial } end
    p.conflicts[#p.conflicts + 1] = { kind = "quantity", a = p.sources[1], b = p.sources[#p.sources - dn],
      note = "millions vs unspecified" }
  end
  p.asserting, p.denying, p.hedging, p.planning = a, dn, #inc.events - a, 0
  p.origins = inc.origins
  propositions[#propositions + 1] = p
end

local summary = assert(report.html(db, out, { title = "dossier — sanctions and claims, example corpus",
  violations = violations, incidents = incidents, propositions = propositions, generated = "2026-11-27" }))
io.stderr:write(string.format(
  "%s: %d violations, %d incidents, %d propositions, %d evidence items, %d bytes\n",
  out, summary.violations, summary.incidents, summary.propositions, summary.evidence, summary.bytes))
db:close()
