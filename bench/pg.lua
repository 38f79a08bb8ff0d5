-- Benchmark: the same work on an SQLite store and on a PostgreSQL store, side by side.
--
-- The news corpus (bench/corpus.lua), and COPIES copies of it (each copy's documents under
-- other outlet names, so none is a duplicate), is ingested, coded with the shipped rule set
-- (dossier.rules.sanctions), its claims derived (dossier.claims.extract) and its violations
-- counted (dossier.sanctions.incidents and violations), on both backends; RUNS times, the
-- backends alternating (odd runs SQLite first, even runs PostgreSQL first), each run on a new
-- store. The median of each step and its range are printed, with PostgreSQL / SQLite.
--
-- PostgreSQL is a throwaway cluster on this machine (spec/helpers/pg.lua: a Unix socket,
-- fsync on, synchronous_commit off, which is the durability of SQLite's WAL with
-- synchronous=NORMAL: a crash loses the last commits, never the store), or the server at
-- $DOSSIER_PG (a libpq address; one new database per run is made there).
--
--   lua5.4 bench/pg.lua                 (RUNS=3 COPIES=1 CORPUS=dir or file to override)
--   COPIES=4 RUNS=3 lua5.4 bench/pg.lua   the 4x corpus
package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath

local dossier = require "dossier"
local stats = require "stats"
local corpus = require "corpus"
local now = require("dossier.sys").now
local cjson = require "cjson.safe"

local RUNS = tonumber(os.getenv("RUNS") or "3")
local COPIES = tonumber(os.getenv("COPIES") or "1")
local pg = dofile("spec/helpers/pg.lua")

if not corpus.exists(corpus.PATH) then
  print("bench/pg: corpus not found (" .. corpus.PATH .. "): skipped")
  return
end
local why = not os.getenv("DOSSIER_PG") and pg.unavailable()
if why then
  print("bench/pg: " .. why .. ": skipped")
  return
end

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- The corpus COPIES times in a temporary directory: copy k's outlets are "<outlet> #k".
local function make_corpus(dir)
  local files = assert(corpus.files(corpus.PATH), "no JSONL files in " .. corpus.PATH)
  local bytes = 0
  for k = 1, COPIES do
    for _, f in ipairs(files) do
      local path = type(f) == "table" and f.path or f
      local out = assert(io.open(("%s/%d_%s"):format(dir, k, path:match("[^/]+$")), "w"))
      for line in io.lines(path) do
        local obj = cjson.decode(line)
        if type(obj) == "table" then
          if k > 1 then
            obj.outlet = ("%s #%d"):format(obj.outlet or obj.source or "?", k)
          end
          local s = cjson.encode(obj)
          bytes = bytes + #s
          out:write(s, "\n")
        end
      end
      out:close()
    end
  end
  return bytes
end

local STEPS = { "ingest", "extract", "claims", "violations" }

local function one(db, dir)
  local t = {}
  local t0 = now()
  local r = assert(db:ingest(dir, { progress = false }))
  t.ingest = now() - t0
  t0 = now()
  local x = dossier.extract(db, require "dossier.rules.sanctions", { progress = false })
  t.extract = now() - t0
  t0 = now()
  local c = dossier.claims.extract(db)
  t.claims = now() - t0
  t0 = now()
  local v = dossier.sanctions.violations(db, { incidents = dossier.sanctions.incidents(db) })
  t.violations = now() - t0
  t.counts = ("%d docs, %d events, %d claims, %d violations"):format(r.added, x.events, c.claims, #v)
  return t
end

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. q(dir)))
local bytes = make_corpus(dir)
print(("bench/pg: %s x%d (%.2f MB), %d runs, backends alternating"):format(corpus.PATH, COPIES, bytes / 1e6,
  RUNS))
-- The rule set is compiled on its first use: once here, outside the timings.
do
  local warm <close> = dossier.open(":memory:")
  warm:add_document{ text = "North Korea sold missiles to Syria.", lang = "en" }
  dossier.extract(warm, require "dossier.rules.sanctions", { progress = false })
end
local times = { sqlite = {}, postgresql = {} }
local counts = {}
local db_n = 0
local function open(backend)
  if backend == "sqlite" then
    local path = os.tmpname()
    os.remove(path)
    return dossier.open(path), function()
      os.remove(path)
      os.remove(path .. "-wal")
      os.remove(path .. "-shm")
    end
  end
  local base = os.getenv("DOSSIER_PG") or pg.start({ bench = true })
  db_n = db_n + 1
  local name = ("dossier_bench_%d_%d"):format(os.time(), db_n)
  local admin <close> = require("dossier.core").pg.connect(base, function() end)
  admin:exec("CREATE DATABASE " .. name)
  local info = base:find("dbname=") and base:gsub("dbname=%S+", "dbname=" .. name)
    or (base .. " dbname=" .. name)
  return dossier.open(info), function()
    local a <close> = require("dossier.core").pg.connect(base, function() end)
    a:exec("DROP DATABASE " .. name)
  end
end
for run = 1, RUNS do
  local order = run % 2 == 1 and { "sqlite", "postgresql" } or { "postgresql", "sqlite" }
  for _, backend in ipairs(order) do
    local db, drop = open(backend)
    local t = one(db, dir)
    db:close()
    drop()
    times[backend][run] = t
    counts[backend] = t.counts
    io.write(("  run %d %-10s"):format(run, backend))
    for _, s in ipairs(STEPS) do io.write(("  %s %.2f s"):format(s, t[s])) end
    io.write("\n")
  end
end
print(("  sqlite:     %s\n  postgresql: %s"):format(counts.sqlite, counts.postgresql))
print(("%-12s %-26s %-26s %s"):format("step", "SQLite median (range) s", "PostgreSQL median (range) s",
  "PG/SQLite"))
for _, s in ipairs(STEPS) do
  local a, b = {}, {}
  for r = 1, RUNS do
    a[r], b[r] = times.sqlite[r][s], times.postgresql[r][s]
  end
  local la, ha = stats.range(a)
  local lb, hb = stats.range(b)
  print(("%-12s %6.2f (%6.2f-%6.2f)      %6.2f (%6.2f-%6.2f)      %.2fx"):format(s, stats.median(a), la, ha,
    stats.median(b), lb, hb, stats.median(b) / stats.median(a)))
end
pg.stop()
os.execute("rm -rf " .. q(dir))
