-- Renders the tables of ANSWERS.md from answers.lua, so the page cannot drift from the key.
-- Run from the repository root to rewrite everything below the marker line of ANSWERS.md:
--   lua5.4 examples/corpus/answers_md.lua
-- spec/kb_spec.lua checks that ANSWERS.md is up to date.
local M = {}

M.MARKER = "<!-- generated from answers.lua by answers_md.lua: do not edit below -->"

--- Render the generated part of ANSWERS.md.
-- @param A the answer key (answers.lua)
-- @param kb dossier.kb
-- @param docs map article id -> article (id, outlet, date, lang, script, title, text)
-- @return markdown text
function M.render(A, kb, docs)
  local out = {}
  local function w(...)
    out[#out + 1] = table.concat { ... }
  end
  local function actors(e)
    return e.actor1 .. (e.actor2 and ("→" .. e.actor2) or "")
  end
  local QUAL = { exact = "", at_least = ">", about = "~", order_of_magnitude = "order " }
  local function qty(e)
    local q = e.qty >= 1e6 and (string.format("%g", e.qty / 1e6) .. "M") or tostring(math.floor(e.qty))
    return QUAL[e.qty_qualifier] .. q
  end
  local function list(t)
    if type(t) == "table" then
      return table.concat(t, ", ")
    end
    return t or ""
  end
  local function flag(x)
    return x.hard and " ⚠" or ""
  end

  local n = { events = 0, hard_events = 0, claims = 0, hard_claims = 0, traps = 0, sentences = 0 }
  for _, a in ipairs(A.articles) do
    n.sentences = n.sentences + a.sentences
    n.traps = n.traps + #a.traps
    for _, e in ipairs(a.events) do
      n.events = n.events + 1
      n.hard_events = n.hard_events + (e.hard and 1 or 0)
    end
    for _, c in ipairs(a.claims) do
      n.claims = n.claims + 1
      n.hard_claims = n.hard_claims + (c.hard and 1 or 0)
    end
  end
  w("## Size of the key", "\n")
  w("- ", #A.articles, " articles, ", n.sentences, " sentences; ", n.events, " event mentions (",
    n.hard_events, " ⚠ hard), ", n.claims, " claims (", n.hard_claims, " ⚠ hard), ", n.traps,
    " traps; ", #A.incidents, " incidents, ", #A.violations, " with UN measures.")
  w("")

  w("## Articles and their coding", "\n")
  w("Events: `type actors date modality [negated] [qty] → incident`. ",
    "Claims: `speaker (cue) stance, via chain → origin`. ",
    "⚠ marks items a rule-based coder cannot reasonably get right (the reason is in `answers.lua`).", "\n")
  for _, a in ipairs(A.articles) do
    local d = docs[a.id]
    w("### ", a.id, " — ", d.outlet, ", ", d.date, " (", d.lang, "-", d.script, ")")
    w("*", d.title, "*", a.keywords_only and " — **keywords only, no event**" or "", "\n")
    for i, e in ipairs(a.events) do
      w("- E", i, ": `", e.type, " ", actors(e), " ", e.date, " ", e.modality,
        e.negated and " negated" or "", e.qty and (" qty " .. qty(e)) or "", "` → ",
        e.incident or "no incident", flag(e), " — “", e.quote, "”")
    end
    for i, c in ipairs(a.claims) do
      local ev = c.events and ("E" .. table.concat(c.events, ",E")) or "no event"
      local via = #c.via > 0 and (" via " .. table.concat(c.via, " → ")) or ""
      w("- C", i, " (", ev, "): ", c.speaker or "(unattributed)", " [", list(c.speaker_actor), "] (",
        c.cue, ") **", c.stance, "**", via, " → origin ", c.origin,
        c.item and (", item " .. c.item) or "", flag(c))
    end
    for _, t in ipairs(a.traps) do
      w("- trap: “", t.quote, "” — ", t.why, t.optional and " (optional)" or "")
    end
    w("")
  end

  w("## Incidents", "\n")
  w("| id | type | actors | date | mentions | articles |")
  w("|---|---|---|---|---|---|")
  local inc_by = {}
  for _, inc in ipairs(A.incidents) do
    inc_by[inc.id] = inc
    w("| ", inc.id, " | ", inc.type, " | ", actors(inc), " | ", inc.date, " | ", #inc.mentions, " | ",
      table.concat(inc.mentions, ", "), " |")
  end
  w("")
  for _, inc in ipairs(A.incidents) do
    w("- ", inc.id, ": ", inc.label)
  end
  w("")

  w("## Propositions: stances and independent origins", "\n")
  w("| incident | assert | hedge | plan | deny | independent origins |")
  w("|---|---|---|---|---|---|")
  for _, inc in ipairs(A.incidents) do
    local o = A.propositions[inc.id].origins
    w("| ", inc.id, " ", inc.type, " ", actors(inc), " | ", list(o.assert), " | ", list(o.hedge), " | ",
      list(o.plan), " | ", list(o.deny), " | ", A.propositions[inc.id].independent, " |")
  end
  w("")
  for _, inc in ipairs(A.incidents) do
    local p = A.propositions[inc.id]
    if p.speakers then
      w("- ", inc.id, ": supporting speakers ", list(p.speakers.support),
        p.speakers.deny and ("; denying speakers " .. list(p.speakers.deny)) or "",
        p.note and (". " .. p.note) or "")
    end
  end
  w("")

  w("## Conflicts", "\n")
  for _, c in ipairs(A.conflicts) do
    if c.kind == "stance" then
      w("- **", c.incident, " stance**: assert ", list(c.assert), " vs deny ", list(c.deny), ". ", c.note)
    else
      local vals = {}
      for _, v in ipairs(c.values) do
        vals[#vals + 1] = (v.qty and qty(v) or v.item) .. " (" .. table.concat(v.articles, ", ") .. ")"
      end
      w("- **", c.incident, " ", c.kind, "**", c.optional and " (optional)" or "", ": ",
        table.concat(vals, " vs "), ". ", c.note)
    end
  end
  w("")

  w("## Violations (UN measures in force on the incident's date)", "\n")
  w("| incident | date | standing | measures (citation, status) | counted obligations (primary) |")
  w("|---|---|---|---|---|")
  for _, v in ipairs(A.violations) do
    local ms, obs = {}, {}
    for _, id in ipairs(v.measures) do
      local m = kb.get(id)
      ms[#ms + 1] = "`" .. id .. "` " .. kb.cite(m) .. " (" .. m.paragraph_status .. ")"
    end
    for ob, id in pairs(v.obligations) do
      obs[#obs + 1] = ob .. ": " .. kb.cite(kb.get(id))
    end
    table.sort(obs)
    w("| ", v.incident, " | ", inc_by[v.incident].date, " | ", v.standing, " | ", table.concat(ms, "; "),
      " | ", table.concat(obs, "; "), " |")
  end
  w("")
  for _, v in ipairs(A.violations) do
    if v.note then
      w("- ", v.incident, ": ", v.note)
    end
  end
  w("")
  local c = A.counts
  w("Totals: ", c.incidents_with_un_measures, " incidents with UN measures; ", c.violation_rows,
    " incident × measure rows (", c.violation_rows_excluding_planned, " without the planned I08); ",
    c.obligations, " incident × obligation counts (", c.obligations_excluding_planned, " without I08).")
  return table.concat(out, "\n") .. "\n"
end

-- as a script: rewrite ANSWERS.md in place
if arg and arg[0] and arg[0]:match "answers_md%.lua$" then
  package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
  local kb = require "dossier.kb"
  local cjson = require "cjson"
  local A = dofile "examples/corpus/answers.lua"
  local docs = {}
  local p = io.popen "ls examples/corpus/news/*.jsonl"
  for path in p:lines() do
    for line in io.lines(path) do
      local d = cjson.decode(line)
      docs[d.id] = d
    end
  end
  p:close()
  local f = assert(io.open("examples/corpus/ANSWERS.md", "rb"))
  local page = f:read "a"
  f:close()
  local head = page:match("^(.-)" .. M.MARKER:gsub("%p", "%%%0")) or page
  f = assert(io.open("examples/corpus/ANSWERS.md", "wb"))
  f:write(head, M.MARKER, "\n\n", M.render(A, kb, docs))
  f:close()
end

return M
