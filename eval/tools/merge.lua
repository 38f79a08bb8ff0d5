-- eval/tools/merge.lua: put hand-coded batches into the gold set's two halves, and count it.
--
--   lua5.4 eval/tools/merge.lua GOLD_DIR BATCH.jsonl...
--
-- Every record is checked by dossier.eval.read (a malformed one stops the merge, naming its file
-- and line), goes to GOLD_DIR/dev.jsonl or GOLD_DIR/test.jsonl by dossier.eval.half of its id,
-- and the halves are written sorted by id. Then prints the counts eval/README.md reports
-- (per half, language and script, event type; hard negatives; claims) as Markdown.
-- With no BATCH, only counts the gold set already in GOLD_DIR.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath
local eval = require "dossier.eval"
local kb = require "dossier.kb"

local function load(paths)
  local all = {}
  for _, p in ipairs(paths) do
    for _, r in ipairs(assert(eval.read(p))) do all[#all + 1] = r end
  end
  return all
end

local function write(dir, recs)
  local halves = { dev = {}, test = {} }
  local seen = {}
  for _, r in ipairs(recs) do
    assert(not seen[r.id], "id " .. r.id .. " appears twice")
    seen[r.id] = true
    table.insert(halves[eval.half(r.id)], r)
  end
  for half, list in pairs(halves) do
    table.sort(list, function(a, b) return a.id < b.id end)
    local f = assert(io.open(dir .. "/" .. half .. ".jsonl", "wb"))
    for _, r in ipairs(list) do f:write(eval.encode(r), "\n") end
    f:close()
  end
end

local function inc(t, k, n) t[k] = (t[k] or 0) + (n or 1) end

local function count(recs)
  local c = { passages = {}, lang = {}, types = {}, hard = {}, with_events = {}, claims = {},
    claim_passages = {}, sources = {} }
  for _, r in ipairs(recs) do
    local h = eval.half(r.id)
    inc(c.passages, h); inc(c.passages, "all")
    local ls = r.lang .. "/" .. (r.script or "?")
    c.lang[ls] = c.lang[ls] or {}
    inc(c.lang[ls], h); inc(c.lang[ls], "all")
    local src = r.id:match("^(.-)%-%d+$") or r.id
    inc(c.sources, src)
    if #r.events > 0 then inc(c.with_events, h); inc(c.with_events, "all") end
    if #r.events == 0 and tostring(r.selected or ""):find("^keyword") then
      inc(c.hard, h); inc(c.hard, "all")
    end
    for _, e in ipairs(r.events) do
      c.types[e.type] = c.types[e.type] or {}
      inc(c.types[e.type], h); inc(c.types[e.type], "all")
    end
    if #(r.claims or {}) > 0 then inc(c.claim_passages, "all") end
    inc(c.claims, h, #(r.claims or {})); inc(c.claims, "all", #(r.claims or {}))
  end
  return c
end

local function report(c)
  local function row(label, t)
    t = t or {}
    return ("| %s | %d | %d | %d |"):format(label, t.dev or 0, t.test or 0, t.all or 0)
  end
  local L = { "| | dev | test | all |", "|---|---:|---:|---:|", row("passages", c.passages) }
  local ls = {}
  for k in pairs(c.lang) do ls[#ls + 1] = k end
  table.sort(ls)
  for _, k in ipairs(ls) do L[#L + 1] = row("passages " .. k, c.lang[k]) end
  L[#L + 1] = row("passages with events", c.with_events)
  L[#L + 1] = row("hard negatives (keyword, no event)", c.hard)
  for _, t in ipairs(kb.EVENT_TYPES) do L[#L + 1] = row("events `" .. t .. "`", c.types[t]) end
  L[#L + 1] = row("claims", c.claims)
  L[#L + 1] = ""
  L[#L + 1] = ("passages with claims: %d"):format(c.claim_passages.all or 0)
  local srcs = {}
  for k, n in pairs(c.sources) do srcs[#srcs + 1] = k .. " " .. n end
  table.sort(srcs)
  L[#L + 1] = "by source: " .. table.concat(srcs, ", ")
  return table.concat(L, "\n")
end

local dir = assert(arg[1], "usage: merge.lua GOLD_DIR BATCH.jsonl...")
local batches = table.move(arg, 2, #arg, 1, {})
if #batches > 0 then
  write(dir, load(batches))
end
print(report(count(load { dir .. "/dev.jsonl", dir .. "/test.jsonl" })))
