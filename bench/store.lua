-- bench/store.lua: dossier.store against its baselines, in one run.
--
--  1. ingest of the news JSONL (or $CORPUS): documents/s and MB/s, and peak
--     memory (VmHWM of a child process) for 1x and 4x the corpus;
--  2. inserting $EVENTS (default 1,000,000) events in batches of 1000 with
--     the public db:add_event inside db:transaction, against a plain C
--     program (bench/store_c.c: one prepared statement, the same SQL, schema
--     and pragmas: the physical ceiling) and against LuaSQL (lua-sql-sqlite3,
--     which has no prepared statements: SQL text with escaped values), both
--     on a file store and in memory (":memory:", where SQLite's page I/O is
--     gone and the binding's own cost shows); also the same inserts through
--     a statement from db:prepare with positional values;
--  3. the GROUP BY counts over each result, checked equal.
-- Rates are given per wall-clock second and per CPU second (user + system of
-- the process doing the work): on a shared machine the CPU figure is the
-- steadier one, and the ratios are printed both ways.
-- Run from the repository root: lua5.4 bench/store.lua
--   EVENTS=10000000 MEMORY=0 INGEST=0 LUASQL=0 lua5.4 bench/store.lua   only the file store at 10M,
--   against plain C (dossier's schema, and the events table without indexes)
package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath

local store = require "dossier.store"
local sys = require "dossier.sys"
local bench_corpus = require "corpus"

local EVENTS = tonumber(os.getenv("EVENTS")) or 1000000
-- In memory a quarter by default, to keep the whole run near two minutes.
local EVENTS_MEMORY = tonumber(os.getenv("EVENTS_MEMORY")) or EVENTS // 4
local BATCH = 1000

local function sh_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function rm_db(p)
  os.remove(p)
  os.remove(p .. "-wal")
  os.remove(p .. "-shm")
end

-- /proc/self/status's peak resident set, in MB (Linux).
local function vmhwm()
  local f = io.open("/proc/self/status")
  if not f then
    return nil
  end
  local s = f:read("a")
  f:close()
  local kb = s:match("VmHWM:%s*(%d+)")
  return kb and tonumber(kb) / 1024
end

-- ---------------------------------------------------------------------------
-- child mode: ingest a path into a fresh store, print the figures

if arg[1] == "--ingest-child" then
  local dbp, path = arg[2], arg[3]
  rm_db(dbp)
  local db = store.open(dbp)
  local t0 = sys.now()
  local r = assert(db:ingest(path, { progress = false }))
  local dt = sys.now() - t0
  db:close()
  io.write(("%d %d %d %d %.6f %.1f\n"):format(r.added, r.duplicates, r.rejected, r.bytes, dt, vmhwm() or -1))
  os.exit(0)
end

local function lua_exe()
  local i = -1
  while arg[i - 1] do
    i = i - 1
  end
  return arg[i] or "lua5.4"
end

local tmp = os.tmpname()
os.remove(tmp)
assert(os.execute("mkdir -p " .. sh_quote(tmp)))

local function ratio(a, b)
  return b > 0 and a / b or 0
end

-- ---------------------------------------------------------------------------
-- 1. ingest

local corpus = bench_corpus.PATH
local files = bench_corpus.files(corpus)
print(("dossier.store benchmark (SQLite %s)"):format(store.sqlite_version))
if os.getenv("INGEST") == "0" then
  print("ingest: skipped (INGEST=0)")
elseif not files or #files == 0 then
  print(("ingest: skipped, no JSONL corpus at %s (set CORPUS)"):format(corpus))
else
  -- 4x: every file four times, the outlet (or text) marked per copy so each
  -- copy is new documents, not duplicates.
  local dir4 = tmp .. "/x4"
  assert(os.execute("mkdir -p " .. sh_quote(dir4)))
  for k = 1, 4 do
    for _, f in ipairs(files) do
      local out = assert(io.open(("%s/%d-%s"):format(dir4, k, f:match("[^/]+$")), "wb"))
      for line in io.lines(f) do
        local l, n = line:gsub('"outlet": "', '"outlet": "copy' .. k .. " ", 1)
        if n == 0 then
          l = line:gsub('"text": "', '"text": "copy' .. k .. " ", 1)
        end
        out:write(l, "\n")
      end
      out:close()
    end
  end
  local one = corpus
  print(("\n== ingest of %s (%d JSONL files), batches of 1000, FTS5 index built as it goes")
    :format(corpus, #files))
  print(("%-5s %9s %6s %8s %8s %9s %8s %8s %10s"):format("size", "docs", "dups", "rejected", "MB", "seconds",
    "docs/s", "MB/s", "peak RSS"))
  for _, case in ipairs({ { "1x", one }, { "4x", dir4 } }) do
    local cmd = ("%s bench/store.lua --ingest-child %s %s"):format(lua_exe(), sh_quote(tmp .. "/ingest.db"),
      sh_quote(case[2]))
    local p = assert(io.popen(cmd))
    local out = p:read("a")
    p:close()
    local added, dups, rej, bytes, secs, hwm = out:match("(%d+) (%d+) (%d+) (%d+) ([%d.]+) ([%d.-]+)")
    if not added then
      print("ingest child failed: " .. out)
    else
      added, dups, rej, bytes, secs, hwm = tonumber(added), tonumber(dups), tonumber(rej), tonumber(bytes),
        tonumber(secs), tonumber(hwm)
      print(("%-5s %9d %6d %8d %8.1f %9.2f %8.0f %8.2f %7.1f MB"):format(case[1], added, dups, rej,
        bytes / 1e6,
        secs, (added + dups) / secs, bytes / 1e6 / secs, hwm))
    end
    rm_db(tmp .. "/ingest.db")
  end
  print("(peak RSS is the child's VmHWM: it should not grow with the corpus)")
  assert(os.execute("rm -rf " .. sh_quote(dir4)))
end

-- ---------------------------------------------------------------------------
-- 2. events

local cc = os.getenv("CC") or "cc"
local exe = "build/bench/store_c"
assert(os.execute("mkdir -p build/bench"))
local built = os.execute(("%s -O2 -o %s bench/store_c.c $(pkg-config --cflags --libs sqlite3)")
  :format(cc, exe))
if not built then
  print("could not compile bench/store_c.c: the C baseline is skipped")
end

local has_luasql, luasql = pcall(require, "luasql.sqlite3")
if not has_luasql then
  print("LuaSQL (lua-sql-sqlite3) is not installed: that baseline is skipped")
end

local TYPES = { "arms_transfer", "sanction", "meeting", "attack", "trade", "aid", "statement", "protest" }
local ACTORS = {}
for i = 1, 20 do
  ACTORS[i] = "A" .. i
end
local ITEMS = { "rockets", "shells", "oil", "coal", "workers" }
local DATES = {}
for d = 0, 364 do
  DATES[d + 1] = os.date("!%Y-%m-%d", 1546300800 + d * 86400)
end

-- The setup every contender runs first: 1000 documents for the events to
-- point at (foreign keys are on).
local DOCS_SQL = [[
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000)
INSERT INTO documents (hash, text) SELECT 'h' || x, 'document ' || x FROM n;]]

-- The schema's statements, for contenders that start from ":memory:" (the
-- FTS5 shadow tables are made by the virtual table itself).
local function schema_stmts()
  local db = store.open(":memory:")
  local parts = {}
  for sql in db:urows([[SELECT sql FROM sqlite_master WHERE sql IS NOT NULL
    AND NOT (type = 'table' AND name LIKE 'documents\_fts\_%' ESCAPE '\') ORDER BY rowid]]) do
    parts[#parts + 1] = sql
  end
  db:close()
  return parts
end
local SCHEMA = schema_stmts()

local COUNT_SQL = "SELECT type, count(*) FROM events GROUP BY type ORDER BY type"

-- Events in document order, as an extraction run writes them: doc_id and
-- date rise, type, actors and item cycle.
-- `prepared` uses a statement from db:prepare with positional values
-- instead of add_event's table of columns.
local bulk_load -- wall and CPU seconds of the last bulk run before its index build
-- `bulk` runs the inserts inside db:bulk (the query indexes dropped first and built again at
-- the end, which is timed).
local function run_dossier(path, _, n, prepared, bulk)
  rm_db(path)
  local db = store.open(path)
  db:exec(DOCS_SQL)
  local add = db.add_event
  local ins = prepared and db:prepare("INSERT INTO events (doc_id, rule, type, actor1, actor2, item, qty, "
    .. "unit, date, negated, start, stop) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
  local t0, c0 = sys.now(), os.clock()
  local load = function()
    for b = 0, n - 1, BATCH do
      db:transaction(function()
        for i = b, math.min(b + BATCH, n) - 1 do
          local s = (i % 1000) * 50 + 1
          if ins then
            ins:exec(1 + (i // 1000) % 1000, "bench", TYPES[i % 8 + 1], ACTORS[(i // 3) % 20 + 1],
              ACTORS[(i * 7 + 3) % 20 + 1], ITEMS[i % 5 + 1], i % 1000, "units", DATES[(i // 2740) % 365 + 1],
              i % 10 == 0, s, s + 20)
          else
            add(db, { doc_id = 1 + (i // 1000) % 1000, type = TYPES[i % 8 + 1],
              actor1 = ACTORS[(i // 3) % 20 + 1], actor2 = ACTORS[(i * 7 + 3) % 20 + 1],
              item = ITEMS[i % 5 + 1], qty = i % 1000, unit = "units", date = DATES[(i // 2740) % 365 + 1],
              rule = "bench", start = s, stop = s + 20, negated = i % 10 == 0 })
          end
        end
      end)
    end
  end
  if bulk then
    db:bulk(function()
      load()
      bulk_load = { sys.now() - t0, os.clock() - c0 } -- (the rest is the index build)
    end)
  else
    load()
  end
  local secs, cpu = sys.now() - t0, os.clock() - c0
  if ins then
    ins:close()
  end
  t0 = sys.now()
  local counts = {}
  for t, k in db:urows(COUNT_SQL) do
    counts[#counts + 1] = t .. " " .. k
  end
  local csecs = sys.now() - t0
  db:close()
  rm_db(path)
  return secs, cpu, counts, csecs
end

-- `bare`: the events table without any index (the floor of an insert).
local function run_c(path, setup, n, bare)
  if not built then
    return nil
  end
  local cmd
  if path == ":memory:" then
    if bare then return nil end
    cmd = ("%s :memory: %d %d %s"):format(exe, n, BATCH, sh_quote(setup))
  else
    rm_db(path)
    local db = store.open(path)
    db:exec(DOCS_SQL)
    if bare then
      local names = {}
      for name in db:urows("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' "
        .. "AND sql IS NOT NULL") do
        names[#names + 1] = name
      end
      for _, name in ipairs(names) do
        db:exec("DROP INDEX " .. name)
      end
    end
    db:close()
    cmd = ("%s %s %d %d"):format(exe, sh_quote(path), n, BATCH)
  end
  local p = assert(io.popen(cmd))
  local lines = {}
  for l in p:lines() do
    lines[#lines + 1] = l
  end
  p:close()
  rm_db(path)
  if #lines < 2 then
    return nil
  end
  local secs, cpu = table.remove(lines, 1):match("(%S+) (%S+)")
  local csecs = tonumber(table.remove(lines))
  return tonumber(secs), tonumber(cpu), lines, csecs
end

local function run_luasql(path, _, n)
  if not has_luasql then
    return nil
  end
  if path ~= ":memory:" then
    rm_db(path)
    local db = store.open(path)
    db:exec(DOCS_SQL)
    db:close()
  end
  local env = luasql.sqlite3()
  local conn = assert(env:connect(path))
  local function x(sql)
    local r = assert(conn:execute(sql))
    if type(r) == "userdata" then
      r:close()
    end
  end
  x("PRAGMA journal_mode = WAL")
  x("PRAGMA synchronous = NORMAL")
  x("PRAGMA foreign_keys = ON")
  if path == ":memory:" then
    for _, stmt in ipairs(SCHEMA) do -- LuaSQL runs one statement per call
      x(stmt)
    end
    x(DOCS_SQL)
  end
  local function esc(s)
    return conn:escape(s)
  end
  local INSERT = "INSERT INTO events (doc_id, rule, type, actor1, actor2, item, qty, unit, date, negated, "
    .. "start, "
    .. "stop) VALUES (%d, '%s', '%s', '%s', '%s', '%s', %d, '%s', '%s', %d, %d, %d)"
  local t0, c0 = sys.now(), os.clock()
  for b = 0, n - 1, BATCH do
    x("BEGIN IMMEDIATE")
    for i = b, math.min(b + BATCH, n) - 1 do
      local s = (i % 1000) * 50 + 1
      x(INSERT:format(1 + (i // 1000) % 1000, esc("bench"), esc(TYPES[i % 8 + 1]),
        esc(ACTORS[(i // 3) % 20 + 1]),
        esc(ACTORS[(i * 7 + 3) % 20 + 1]), esc(ITEMS[i % 5 + 1]), i % 1000, esc("units"),
        esc(DATES[(i // 2740) % 365 + 1]), i % 10 == 0 and 1 or 0, s, s + 20))
    end
    x("COMMIT")
  end
  local secs, cpu = sys.now() - t0, os.clock() - c0
  t0 = sys.now()
  local cur = assert(conn:execute(COUNT_SQL))
  local counts = {}
  local row = cur:fetch({}, "n")
  while row do
    counts[#counts + 1] = row[1] .. " " .. math.tointeger(tonumber(row[2]))
    row = cur:fetch(row, "n")
  end
  cur:close()
  local csecs = sys.now() - t0
  conn:close()
  env:close()
  rm_db(path)
  return secs, cpu, counts, csecs
end

local setup_path = tmp .. "/setup.sql"
do
  local f = assert(io.open(setup_path, "wb"))
  f:write(table.concat(SCHEMA, ";\n"), ";\n", DOCS_SQL, "\n")
  f:close()
end

local function expected_counts(n)
  local e = {}
  for k, t in ipairs(TYPES) do
    e[#e + 1] = { t, (n - k + 8) // 8 } -- events i with i % 8 == k - 1
  end
  table.sort(e, function(a, b) return a[1] < b[1] end)
  for i, x in ipairs(e) do
    e[i] = x[1] .. " " .. x[2]
  end
  return table.concat(e, ",")
end

local scenarios = { { "file", tmp .. "/events.db", EVENTS } }
if os.getenv("MEMORY") ~= "0" then
  scenarios[2] = { "memory", ":memory:", EVENTS_MEMORY }
end
for _, where in ipairs(scenarios) do
  local n = where[3]
  local expected = expected_counts(n)
  print(("\n== %d events, batches of %d, %s store (schema v%d: 6 indexes on events, foreign keys on)")
    :format(n, BATCH, where[1], store.SCHEMA_VERSION))
  print(("%-28s %8s %8s %11s %11s %10s %8s"):format("", "wall s", "CPU s", "events/s", "per CPU s",
    "GROUP BY s", "counts"))
  local res = {}
  for _, c in ipairs({
    { "dossier db:add_event", run_dossier },
    { "dossier add_event in db:bulk",
      function(p, setup, k) return run_dossier(p, setup, k, false, true) end },
    { "dossier db:prepare + exec", function(p, setup, k) return run_dossier(p, setup, k, true) end },
    { "plain C (bench/store_c.c)", run_c },
    { "plain C, no index on events", function(p, setup, k) return run_c(p, setup, k, true) end },
    { "LuaSQL", os.getenv("LUASQL") ~= "0" and run_luasql or function() end },
  }) do
    local secs, cpu, counts, csecs = c[2](where[2], setup_path, n)
    if secs then
      local ok = table.concat(counts, ",") == expected
      res[c[1]] = { n / secs, n / cpu }
      print(("%-28s %8.2f %8.2f %11.0f %11.0f %10.4f %8s"):format(c[1], secs, cpu, n / secs, n / cpu, csecs,
        ok and "match" or "DIFFER"))
    else
      print(("%-28s %9s"):format(c[1], "skipped"))
    end
  end
  local d, cc_, l = res["dossier db:add_event"], res["plain C (bench/store_c.c)"], res["LuaSQL"]
  local dp = res["dossier db:prepare + exec"]
  local function line(label, a, b, note)
    if a and b then
      print(("%-18s %5.2fx by CPU time, %5.2fx by wall time  %s"):format(label, ratio(a[2], b[2]),
        ratio(a[1], b[1]), note))
    end
  end
  local db_, bare = res["dossier add_event in db:bulk"], res["plain C, no index on events"]
  if db_ and bulk_load then
    print(("add_event in db:bulk: the inserts %.2f s wall, %.2f s CPU (%.0f events per CPU s); the index "
      .. "build the rest"):format(bulk_load[1], bulk_load[2], n / bulk_load[2]))
    if bare then
      print(("%-18s %5.2fx by CPU time  (the inserts of db:bulk without the index build)"):format(
        "inserts / C no index", ratio(n / bulk_load[2], bare[2])))
    end
  end
  line("dossier / plain C", d, cc_, "(target >= 0.7x)")
  line("bulk / plain C", db_, cc_, "(add_event in db:bulk; target >= 0.7x)")
  line("dossier / C no index", d, bare, "(target >= 0.5x)")
  line("bulk / C no index", db_, bare, "(add_event in db:bulk, the index build timed; target >= 0.5x)")
  line("dossier / LuaSQL", d, l, "(target >= 5x)")
  line("prepared / plain C", dp, cc_, "(db:prepare + stmt:exec)")
  line("plain C / LuaSQL", cc_, l, "(the most any binding could gain over LuaSQL here)")
end

os.execute("rm -rf " .. sh_quote(tmp))
