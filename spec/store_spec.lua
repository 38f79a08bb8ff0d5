-- Specs for dossier.store: the SQLite binding, the schema, documents,
-- events and claims, transactions, search and ingest, including a process
-- killed mid-ingest and two processes writing at once.
local store = require "dossier.store"
local cjson = require "cjson.safe"

local CHECK = os.getenv("DOSSIER_CHECK")
local DATA = (os.getenv("DOSSIER_DATA") or "../shared/data") .. "/news"

-- ---------------------------------------------------------------------------
-- helpers

local tmp = dofile("spec/helpers/tmp.lua")
local tmpname, rm_db, tmpdir, write = tmp.name, tmp.remove_store, tmp.dir, tmp.write

-- Text of generated document i: unique, deterministic, about 700 bytes.
local FILLER = ("The committee met again on Tuesday to discuss the shipment of goods, "
  .. "the inspection reports and the new customs rules. "):rep(5)
local function gen_text(i)
  return ("Report number %d from the wire.\n"):format(i) .. FILLER .. ("Closing note %d."):format(i)
end

-- A JSONL corpus of documents first..last; returns its path.
local function gen_corpus(dir, name, first, last)
  local path = dir .. "/" .. name
  local f = assert(io.open(path, "wb"))
  for i = first, last do
    f:write(cjson.encode({ id = "gen:" .. i, outlet = "Wire", date = "2020-01-02", lang = "en",
      title = "Report " .. i, text = gen_text(i) }), "\n")
  end
  f:close()
  return path
end

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- Starts the ingest child; returns the popen handle and the child's pid.
local function spawn(db, corpus, batch, stderr)
  -- popen runs this under sh: $$ is that shell, which exec turns into the child.
  local cmd = ("echo $$; exec lua5.4 spec/helpers/ingest_child.lua %s %s %s %s %d 2>%s"):format(
    shell_quote(package.path), shell_quote(package.cpath), shell_quote(db), shell_quote(corpus), batch,
    shell_quote(stderr or "/dev/null"))
  local p = assert(io.popen(cmd, "r"))
  local pid = assert(tonumber(p:read("l")), "child pid")
  return p, pid
end

-- A slow, obvious Lua version of the document hash, as an oracle for C.
local function ref_normalize(s)
  s = s:gsub("\194\160", " ")
  s = s:gsub("[ \t\n\v\f\r]+", " ")
  return (s:gsub("^ ", ""):gsub(" $", ""))
end

local function rotl(x, r)
  return (x << r) | (x >> (64 - r))
end

local function fmix(k)
  k = k ~ (k >> 33)
  k = k * -49064778989728563 -- 0xff51afd7ed558ccd
  k = k ~ (k >> 33)
  k = k * -4265267296055464877 -- 0xc4ceb9fe1a85ec53
  return k ~ (k >> 33)
end

-- dossier's one content hash (csrc/hash.c) of the bytes of s
local function ref_raw(s)
  local h1, h2 = 0x9e3779b97f4a7c15, 0x6a09e667f3bcc909
  local nfull = #s // 8
  for i = 0, nfull - 1 do
    local w = string.unpack("<i8", s, i * 8 + 1)
    h1 = rotl(h1 ~ (w * 0x87c37b91114253d5), 31) * 0x4cf5ad432745937f + 0x52dce729
    h2 = rotl(h2 ~ (w * 0xa0761d6478bd642f), 29) * 0xe7037ed1a0b428db + 0x38495ab5
  end
  local tail = 0
  for i = nfull * 8 + 1, #s do
    tail = tail | (s:byte(i) << (8 * (i - nfull * 8 - 1)))
  end
  local total = #s
  local a = h1 ~ fmix(tail ~ 0x2545f4914f6cdd1d) ~ total
  local b = h2 ~ fmix(tail + 0x9fb21c651e98df25) ~ (total * 0x9e3779b97f4a7c15)
  a = fmix(a + b)
  b = fmix(b ~ a)
  return ("%016x%016x"):format(a, b)
end

local function ref_hash(source, text)
  return ref_raw(source .. "\0" .. ref_normalize(text))
end

local function count(db, sql, ...)
  return db:value(sql or "SELECT count(*) FROM documents", ...)
end

teardown(tmp.clean)

-- ---------------------------------------------------------------------------

describe("dossier.store", function()
  describe("open", function()
    it("creates the schema at the current version with WAL and foreign keys on", function()
      local p = tmpname()
      rm_db(p)
      local db <close> = store.open(p)
      assert.equal(store.SCHEMA_VERSION, db:value("PRAGMA user_version"))
      assert.equal("wal", db:value("PRAGMA journal_mode"))
      assert.equal(1, db:value("PRAGMA foreign_keys"))
      assert.equal(10000, db:value("PRAGMA busy_timeout"))
      assert.equal(store.PAGE_SIZE, db:value("PRAGMA page_size"))
      local names = {}
      for name in db:urows("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')") do
        names[name] = true
      end
      for _, t in ipairs({ "sources", "documents", "documents_fts", "events", "claims", "runs", "doc_runs",
        "events_type", "events_actor1", "events_actor2", "events_date", "events_doc", "claims_event",
        "claims_source" }) do
        assert.is_true(names[t], t)
      end
    end)

    it("builds the query indexes of events again when a bulk run left them dropped", function()
      local p = tmpname()
      rm_db(p)
      local function indexes(db)
        local t = {}
        for name, sql in db:urows("SELECT name, sql FROM sqlite_master "
          .. "WHERE type = 'index' AND tbl_name = 'events'") do
          t[name] = sql
        end
        return t
      end
      local db = store.open(p)
      local full = indexes(db)
      local n = 0
      for name, sql in pairs(store.QUERY_INDEXES) do
        n = n + 1
        assert.is_truthy(full[name], name)
        -- the same index as the schema's
        assert.equal(full[name], (sql:gsub(" IF NOT EXISTS", "")))
      end
      assert.equal(4, n)
      assert.equal(0, store.ensure_indexes(db))
      store.drop_indexes(db)
      local left = indexes(db)
      for name in pairs(store.QUERY_INDEXES) do assert.is_nil(left[name]) end
      assert.is_truthy(left.events_doc) -- the foreign keys' and extract's indexes stay
      assert.is_truthy(left.events_run)
      db:close()
      -- read-only: opens as it is
      local ro = store.open(p, { readonly = true })
      assert.is_nil(indexes(ro).events_type)
      ro:close()
      -- read-write: builds them
      local db2 <close> = store.open(p)
      assert.same(full, indexes(db2))
      db2:exec("DROP INDEX events_date")
      assert.equal(1, store.ensure_indexes(db2))
      assert.same(full, indexes(db2))
    end)

    it("reopens an existing store without migrating it again, and keeps its data", function()
      local p = tmpname()
      rm_db(p)
      local db = store.open(p, { busy_timeout = 2500 })
      assert.equal(2500, db:value("PRAGMA busy_timeout"))
      db:add_document { source = "S", text = "kept across opens" }
      db:close()
      local db2 <close> = store.open(p)
      assert.equal(1, count(db2))
      assert.equal(store.SCHEMA_VERSION, db2:value("PRAGMA user_version"))
    end)

    it("keeps the page size of a store made with another", function()
      local p = tmpname()
      rm_db(p)
      local size = store.PAGE_SIZE
      store.PAGE_SIZE = 4096 -- as stores made before 16 KiB pages were
      local ok, db = pcall(store.open, p)
      store.PAGE_SIZE = size
      assert(ok, db)
      assert.equal(4096, db:value("PRAGMA page_size"))
      db:add_document { source = "S", text = "on a 4 KiB page" }
      db:close()
      local db2 <close> = store.open(p)
      assert.equal(4096, db2:value("PRAGMA page_size"))
      db2:add_document { source = "S", text = "still on 4 KiB pages" }
      assert.equal(2, count(db2))
    end)

    it("opens read-only: reads work, writes fail with SQLite's read-only error", function()
      local p = tmpname()
      rm_db(p)
      store.open(p):close()
      local db <close> = store.open(p, { readonly = true })
      assert.is_true(db:readonly())
      assert.equal(0, count(db))
      local ok, err = pcall(db.add_document, db, { text = "no" })
      assert.is_false(ok)
      assert.matches("attempt to write a readonly database %(SQLITE_READONLY, 8%)", err)
      assert.has_error(function() db:exec("DELETE FROM documents") end)
    end)

    it("reads a store as an immutable file whatever characters its path holds", function()
      -- the fallback for a store in a read-only directory (spec/cli_spec.lua runs that case)
      local dir = tmpname()
      os.remove(dir)
      assert(os.execute("mkdir -p " .. shell_quote(dir .. "/a b?c#d%25e")))
      local p = dir .. "/a b?c#d%25e/n?x#y%z.db"
      local db <close> = store.open(p)
      db:add_document { source = "Wire", text = "Kept." }
      db:close()
      local core = require "dossier.core"
      local ro <close> = core.store.open("/" .. p, true, 100, function() end, true)
      assert.is_true(ro:readonly())
      assert.equal("Kept.", ro:value("SELECT text FROM documents"))
      assert.is_nil(io.open(p .. "-shm")) -- no WAL index: nothing written beside it
    end)

    it("marks a store with its application_id and refuses another application's database", function()
      local core = require "dossier.core"
      local function raw(path) return core.store.open(path, false, 100, function() end) end
      local p = tmpname()
      rm_db(p)
      local db = store.open(p)
      assert.equal(store.APPLICATION_ID, db:value("PRAGMA application_id"))
      db:close()
      -- an unrelated database: refused, and left as it was (no table, no WAL)
      local other = tmpname()
      rm_db(other)
      local r = raw(other)
      r:exec("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT); "
        .. "INSERT INTO accounts VALUES (1, 'x')")
      r:close()
      for _, ro in ipairs({ false, true }) do
        local ok, err = pcall(store.open, other, { readonly = ro })
        assert.is_false(ok)
        assert.equal("dossier.store: '" .. other .. "' is an SQLite database but not a dossier store "
          .. "(tables: accounts); dossier does not add its tables to another database: give a new file name",
          err)
      end
      r = raw(other)
      assert.equal("accounts", r:value("SELECT group_concat(name) FROM sqlite_master"))
      assert.equal("delete", r:value("PRAGMA journal_mode"))
      r:close()
      -- another application's id, even on an empty file
      local app = tmpname()
      rm_db(app)
      r = raw(app)
      r:exec("PRAGMA application_id = 42")
      r:close()
      local ok, err = pcall(store.open, app)
      assert.is_false(ok)
      assert.matches("belongs to another application %(SQLite application_id 42", err)
      -- a dossier store made before the id: still opens, and gets the id when opened read-write
      r = raw(p)
      r:exec("PRAGMA application_id = 0")
      r:close()
      local ro <close> = store.open(p, { readonly = true })
      assert.equal(0, ro:value("PRAGMA application_id"))
      ro:close()
      db = store.open(p)
      assert.equal(store.APPLICATION_ID, db:value("PRAGMA application_id"))
      db:close()
    end)

    it("waits busy_timeout for another writer, then reports SQLITE_BUSY", function()
      local p = tmpname()
      rm_db(p)
      local a <close> = store.open(p)
      local b <close> = store.open(p, { busy_timeout = 50 })
      a:exec("BEGIN IMMEDIATE")
      local t0 = require("dossier.sys").now()
      local ok, err = pcall(b.exec, b, "INSERT INTO sources (name) VALUES (?)", "x")
      local waited = require("dossier.sys").now() - t0
      assert.is_false(ok)
      assert.matches("database is locked %(SQLITE_BUSY, 5%)", err)
      assert.is_true(waited >= 0.04, "waited " .. waited)
      assert.equal(0, b:value("SELECT count(*) FROM sources")) -- readers are not blocked (WAL)
      a:exec("COMMIT")
      assert.equal(1, b:exec("INSERT INTO sources (name) VALUES (?)", "x"))
    end)

    it("refuses a newer schema and bad arguments", function()
      local p = tmpname()
      rm_db(p)
      local db = store.open(p)
      db:exec("PRAGMA user_version = 99")
      db:close()
      assert.has_error(function() store.open(p) end,
        "dossier.store: " .. p .. " has schema version 99, newer than this dossier's "
        .. store.SCHEMA_VERSION)
      assert.has_error(function() store.open(42) end,
        "dossier.store: open expects a file name or ':memory:', got number")
      assert.has_error(function() store.open(":memory:", { busy_timeout = -1 }) end)
      local ok, err = pcall(store.open, "/nonexistent/dir/x.db")
      assert.is_false(ok)
      assert.matches("cannot open '/nonexistent/dir/x.db'.*SQLITE_CANTOPEN", err)
    end)

    it("closes idempotently, by <close> and by the garbage collector", function()
      local db = store.open(":memory:")
      db:close()
      db:close()
      assert.is_false(db:isopen())
      assert.has_error(function() db:exec("SELECT 1") end, "dossier.store: the store is closed")
      local outer
      do
        local d <close> = store.open(":memory:")
        outer = d
      end
      assert.is_false(outer:isopen())
      for _ = 1, 20 do store.open(":memory:"):exec("SELECT 1") end
      collectgarbage()
      collectgarbage()
    end)
  end)

  describe("binding and results", function()
    local db
    before_each(function() db = store.open(":memory:") end)
    after_each(function() db:close() end)

    it("keeps integers, floats, booleans, nil and binary strings", function()
      local r = db:first("SELECT ? AS i, ? AS f, ? AS t, ? AS n, ? AS s, typeof(?) AS ti, typeof(?) AS tf",
        42, 2.5, true, nil, "a\0b\255", 7, 7.0)
      assert.equal(42, r.i)
      assert.equal("integer", math.type(r.i))
      assert.equal(2.5, r.f)
      assert.equal("float", math.type(r.f))
      assert.equal(1, r.t)
      assert.is_nil(r.n)
      assert.equal("a\0b\255", r.s)
      assert.equal("integer", r.ti)
      assert.equal("real", r.tf)
      assert.equal(0, db:value("SELECT ?", false))
      assert.equal(math.maxinteger, db:value("SELECT ?", math.maxinteger))
      assert.equal(math.mininteger, db:value("SELECT ?", math.mininteger))
    end)

    it("binds :name, @name and $name from a table, tables as JSON otherwise", function()
      local a, b, c = db:value("SELECT :a, @b, $c", { a = 1, b = "two", c = 3.5 })
      assert.same({ 1, "two", 3.5 }, { a, b, c })
      assert.is_nil(db:value("SELECT :missing", { other = 1 }))
      assert.equal('{"k":[1,2]}', db:value("SELECT ?", { k = { 1, 2 } }))
      assert.equal("text", db:value("SELECT typeof(?)", "x"))
      assert.is_nil(db:value("SELECT ?", cjson.null))
    end)

    it("raises for a wrong number of values or a value it cannot bind", function()
      assert.has_error(function() db:value("SELECT ?, ?", 1) end,
        "dossier.store: the statement has 2 parameters, got 1 value")
      assert.has_error(function() db:value("SELECT 1", 1) end,
        "dossier.store: the statement has 0 parameters, got 1 value")
      assert.has_error(function() db:value("SELECT ?", print) end,
        "dossier.store: cannot bind a function (parameter 1)")
      assert.has_error(function() db:value("SELECT ?", { f = print }) end)
    end)

    it("reports SQLite's message and extended code, at the caller's line", function()
      db:exec("CREATE TABLE t (x UNIQUE)")
      db:exec("INSERT INTO t VALUES (1)")
      local ok, err = pcall(function() db:exec("INSERT INTO t VALUES (?)", 1) end)
      assert.is_false(ok)
      assert.matches("^[^:]*store_spec%.lua:%d+: dossier%.store: UNIQUE constraint failed: t%.x "
        .. "%(SQLITE_CONSTRAINT_UNIQUE, 2067%)$", err)
      local ok2, err2 = pcall(function() db:exec("SELEC 1") end)
      assert.is_false(ok2)
      assert.matches('store_spec%.lua:%d+: dossier%.store: near "SELEC": syntax error '
        .. '%(SQLITE_ERROR, 1%)', err2)
    end)

    it("runs scripts of several statements without parameters, and counts changes", function()
      assert.equal(0, db:exec("CREATE TABLE a (x); CREATE TABLE b (y); -- done"))
      assert.equal(3, db:exec("INSERT INTO a VALUES (1), (2), (3)"))
      assert.equal(2, db:exec("DELETE FROM a WHERE x > ?", 1))
      assert.equal(2, db:exec("INSERT INTO b VALUES (1); INSERT INTO b VALUES (2);"))
      assert.has_error(function() db:exec("SELECT ?; SELECT 2", 1) end,
        "dossier.store: parameters need a single SQL statement")
      assert.has_error(function() db:rows("SELECT 1; SELECT 2") end,
        "dossier.store: rows takes exactly one SQL statement")
      assert.equal(0, db:exec("  -- nothing\n"))
    end)

    it("iterates rows as tables and urows as values, and first gives one row or nil", function()
      db:exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, v REAL)")
      for i = 1, 5 do db:exec("INSERT INTO t (name, v) VALUES (?, ?)", "n" .. i, i / 2) end
      local seen = {}
      for r in db:rows("SELECT * FROM t WHERE id > ? ORDER BY id", 2) do
        seen[#seen + 1] = r.name .. "=" .. r.v
      end
      assert.same({ "n3=1.5", "n4=2.0", "n5=2.5" }, seen)
      local ids = {}
      for id, name in db:urows("SELECT id, name FROM t ORDER BY id DESC") do ids[#ids + 1] = id .. name end
      assert.same({ "5n5", "4n4", "3n3", "2n2", "1n1" }, ids)
      assert.same({ id = 2, name = "n2", v = 1.0 }, db:first("SELECT * FROM t WHERE id = ?", 2))
      assert.is_nil(db:first("SELECT * FROM t WHERE id = ?", 99))
      assert.is_nil(db:value("SELECT id FROM t WHERE id = ?", 99))
    end)

    it("resets the statement when a loop breaks or fails (and not without a closing value)", function()
      db:exec("CREATE TABLE t (x)")
      db:exec("INSERT INTO t VALUES (1), (2), (3)")
      local stepped = 0
      for _ in db:rows("SELECT x FROM t") do
        stepped = stepped + 1
        if stepped == 2 then break end
      end
      assert.equal(2, stepped)
      assert.equal(0, db:exec("CREATE TABLE u (y); DROP TABLE u"))
      local ok = pcall(function()
        for _ in db:urows("SELECT x FROM t") do error("boom") end
      end)
      assert.is_false(ok)
      -- DROP TABLE fails while a statement on the table is still stepping.
      db:exec("DROP TABLE t")
      db:exec("CREATE TABLE t (x)")
      db:exec("INSERT INTO t VALUES (1), (2)")
      local it, state = db:rows("SELECT x FROM t") -- closing value dropped
      assert.equal(1, it(state).x)
      local ok2, err = pcall(db.exec, db, "DROP TABLE t")
      assert.is_false(ok2)
      assert.matches("SQLITE_LOCKED", err)
      assert.equal(2, it(state).x)
      assert.is_nil(it(state))
      db:exec("DROP TABLE t")
    end)

    it("runs the same SQL nested inside its own loop", function()
      db:exec("CREATE TABLE t (x)")
      db:exec("INSERT INTO t VALUES (1), (2), (3)")
      local pairs_seen = 0
      for a in db:urows("SELECT x FROM t") do
        for b in db:urows("SELECT x FROM t") do pairs_seen = pairs_seen + a * b end
      end
      assert.equal(36, pairs_seen)
    end)

    it("prepares statements the user owns, and finalizes them when the store closes", function()
      db:exec("CREATE TABLE t (x)")
      local ins = db:prepare("INSERT INTO t VALUES (?)")
      for i = 1, 4 do assert.equal(1, ins:exec(i)) end
      local sel = db:prepare("SELECT x FROM t WHERE x >= :min ORDER BY x")
      assert.same({ "x" }, sel:columns())
      local got = {}
      for x in sel:urows({ min = 3 }) do got[#got + 1] = x end
      assert.same({ 3, 4 }, got)
      assert.equal(3, sel:value({ min = 2 }) and sel:first({ min = 3 }).x)
      local it, state = sel:rows({ min = 1 })
      it(state)
      assert.has_error(function() sel:exec({ min = 1 }) end,
        "dossier.store: the statement is in use by an open loop")
      db:close()
      assert.has_error(function() ins:exec(5) end, "dossier.store: the statement is closed")
      assert.has_error(function() it(state) end, "dossier.store: the store was closed during the loop")
      ins:close()
      ins = nil -- luacheck: ignore
      sel = nil -- luacheck: ignore
      collectgarbage()
      collectgarbage()
      assert.has_error(function() db:prepare("SELECT 1; SELECT 2") end)
    end)

    it("survives many distinct statements (bounded cache) and the collector in any order", function()
      for i = 1, 300 do assert.equal(i, db:value("SELECT " .. i)) end
      local s = db:prepare("SELECT 1")
      local d2 = store.open(":memory:")
      local held = { d2:prepare("SELECT 2"), (select(2, d2:rows("SELECT 3"))) }
      assert.equal(2, #held)
      d2, held = nil, nil -- luacheck: ignore
      collectgarbage()
      collectgarbage()
      assert.equal(1, s:value())
    end)
  end)

  describe("fetch", function()
    local core = require "dossier.core"
    local db
    before_each(function()
      db = store.open(":memory:")
      db:exec("CREATE TABLE t (id INTEGER PRIMARY KEY, lang TEXT, body TEXT, n REAL)")
      for i = 1, 10 do
        db:exec("INSERT INTO t (lang, body, n) VALUES (?, ?, ?)", i % 3 == 0 and "sr" or nil,
          ("x"):rep(i) .. "\0" .. i, i / 2)
      end
    end)
    after_each(function() db:close() end)

    it("reads one column into a batch and the others into column arrays", function()
      local b <close> = core.batch.new()
      local cols, n = db:fetch("SELECT id, lang, body, n FROM t ORDER BY id", nil, b, 3)
      assert.equal(10, n)
      assert.equal(10, #b)
      assert.is_nil(cols[3])
      for i = 1, 10 do
        assert.equal(i, cols[1][i])
        assert.equal(i % 3 == 0 and "sr" or nil, cols[2][i]) -- NULL leaves a hole
        assert.equal(i / 2, cols[4][i])
        assert.equal(("x"):rep(i) .. "\0" .. i, b:text(i)) -- bytes as stored, NUL included
      end
      -- the batch is cleared for the next read; named and positional parameters
      cols, n = db:fetch("SELECT body, id FROM t WHERE id > :after ORDER BY id", { after = 8 }, b, 1)
      assert.equal(2, n)
      assert.same({ 9, 10 }, cols[2])
      assert.equal(2, #b)
      assert.equal(("x"):rep(9) .. "\0" .. 9, b:text(1))
      cols, n = db:fetch("SELECT id, body FROM t WHERE id = ?", { 4 }, b, 2)
      assert.equal(1, n)
      assert.same({ 4 }, cols[1])
      -- no rows
      cols, n = db:fetch("SELECT id, body FROM t WHERE id > 100", nil, b, 2)
      assert.equal(0, n)
      assert.equal(0, #b)
      assert.same({}, cols[1])
    end)

    it("stops at the row limit, or at the row whose text reaches the byte limit", function()
      local b <close> = core.batch.new()
      local cols, n = db:fetch("SELECT id, body FROM t ORDER BY id", nil, b, 2, 4)
      assert.equal(4, n)
      assert.same({ 1, 2, 3, 4 }, cols[1])
      -- texts of 3, 4, 5, 6 ... bytes: 3 + 4 + 5 = 12 reaches 10 at the third row
      cols, n = db:fetch("SELECT id, body FROM t ORDER BY id", nil, b, 2, 100, 10)
      assert.equal(3, n)
      assert.same({ 1, 2, 3 }, cols[1])
      assert.equal(12, b:size())
      cols, n = db:fetch("SELECT id, body FROM t ORDER BY id", nil, b, 2, 0)
      assert.equal(0, n)
      assert.same({}, cols[1])
      -- the statement was reset: the same query again reads from the start
      cols = db:fetch("SELECT id, body FROM t ORDER BY id", nil, b, 2, 1)
      assert.same({ 1 }, cols[1])
    end)

    it("raises for a wrong column, a NULL text, a bad batch or SQL, a closed store", function()
      local b <close> = core.batch.new()
      assert.has_error(function() db:fetch("SELECT id FROM t", nil, b, 2) end,
        "dossier.store: fetch: the query has no column 2")
      assert.has_error(function() db:fetch("SELECT id, lang FROM t ORDER BY id", nil, b, 2) end,
        "dossier.store: fetch: row 1 has no text in column 2")
      assert.error_matches(function() db:fetch("SELECT id FROM t", nil, {}, 1) end, "dossier.batch expected")
      assert.error_matches(function() db:fetch("SELECT id FROM t", 5, b, 1) end, "table expected")
      assert.error_matches(function() db:fetch("SELECT missing FROM t", nil, b, 1) end, "no such column")
      assert.error_matches(function() db:fetch("SELECT 1; SELECT 2", nil, b, 1) end,
        "fetch takes exactly one SQL statement")
      -- after the errors the store still works, and a fetch reads again
      local _, n = db:fetch("SELECT body FROM t", nil, b, 1)
      assert.equal(10, n)
      local d2 = store.open(":memory:")
      d2:close()
      assert.has_error(function() d2:fetch("SELECT 1", nil, b, 1) end, "dossier.store: the store is closed")
    end)
  end)

  describe("documents", function()
    local db
    before_each(function() db = store.open(":memory:") end)
    after_each(function() db:close() end)

    it("stores the same text from the same source once, whitespace aside", function()
      local id1, new1 = db:add_document { source = "AP", title = "A", text = "Rockets  were\tsold.\n" }
      local id2, new2 = db:add_document { source = "AP", title = "B", text = " Rockets were sold. " }
      local id3, new3 = db:add_document { source = "Reuters", text = "Rockets were sold." }
      local id4, new4 = db:add_document { source = "AP", text = "Rockets were bought." }
      assert.same({ 1, true, 1, false, 2, true, 3, true }, { id1, new1, id2, new2, id3, new3, id4, new4 })
      assert.equal(2, count(db, "SELECT count(*) FROM sources"))
      assert.equal("A", db:value("SELECT title FROM documents WHERE id = 1"))
      assert.equal(ref_hash("AP", "Rockets were sold."), db:value("SELECT hash FROM documents WHERE id = 1"))
    end)

    it("hashes as the Lua reference does (normalisation and both lanes)", function()
      local cases = { "", " ", "a", "abcdefg", "abcdefgh", "abcdefghi", ("x"):rep(255), ("y"):rep(256),
        ("z"):rep(257), "  lead and trail\n\n", "tabs\t\tand\194\160nbsp", "Ćirilica: Северна Кореја",
        ("word "):rep(300), "\0\1\2" }
      for _, t in ipairs(cases) do
        assert.equal(ref_normalize(t), store.normalize(t))
        assert.equal(ref_hash("src", t), store.doc_hash("src", t))
        assert.equal(ref_hash("", t), store.doc_hash(nil, t))
      end
      assert.not_equal(store.doc_hash("a", "bc"), store.doc_hash("ab", "c"))
    end)

    it("is the one content hash: rule sets hash with the same function", function()
      local scan = require("dossier.core").scan
      for _, t in ipairs { "", "a", ("x"):rep(255), ("y"):rep(256), ("z"):rep(513), "Северна Кореја\0" } do
        assert.equal(ref_raw(t), scan.hash(t))
      end
    end)

    it("keeps unknown fields in attrs as JSON and validates the fields it knows", function()
      local id = db:add_document { source = "S", text = "t1", published = "2019-02-28T13:05:00+01:00",
        author = "X", tags = { "a", "b" }, attrs = { k = 1 } }
      local r = db:first("SELECT * FROM documents WHERE id = ?", id)
      assert.same({ author = "X", tags = { "a", "b" }, k = 1 }, cjson.decode(r.attrs))
      assert.equal("2019-02-28T13:05:00+01:00", r.published)
      assert.has_error(function() db:add_document { text = 5 } end,
        "dossier.store: field 'text' must be a string, got number")
      assert.has_error(function() db:add_document { title = "x" } end,
        "dossier.store: the document has no text")
      assert.has_error(function() db:add_document { text = "  \n " } end,
        "dossier.store: the document text is empty")
      assert.has_error(function() db:add_document { text = "bad \255 byte" } end,
        "dossier.store: field 'text' is not valid UTF-8 (byte 5)")
      assert.has_error(function() db:add_document { text = "x", title = {} } end,
        "dossier.store: field 'title' must be a string, got table")
      local ok, err = pcall(function() db:add_document { text = "x", published = "2019-02-30" } end)
      assert.is_false(ok)
      assert.matches("store_spec%.lua:%d+: dossier%.store: published '2019%-02%-30' is not an ISO 8601 date",
        err)
      assert.equal(1, count(db))
    end)

    it("accepts exactly the ISO 8601 dates it documents", function()
      local good = { "2019", "2019-02", "2019-02-28", "2020-02-29", "2000-02-29", "2019-12-31T23:59",
        "2019-12-31T23:59:60", "2019-12-31 08:00:00", "2019-12-31T08:00:00.123Z", "2019-12-31T08:00+05:30",
        "2019-12-31T08:00:00-0800", "2019-12-31T08:00:00+01" }
      local bad = { "", "19", "2019-1", "2019-13", "2019-00", "2019-02-29", "1900-02-29", "2019-04-31",
        "2019-12-31T24:00", "2019-12-31T23:60", "2019-12-31T10", "2019/12/31", "2019-12-31Z",
        "2019-12-31T08:00:00+25:00", "31.12.2019.", "2019-12-31T08:00:00 ", 2019 }
      for _, d in ipairs(good) do assert.is_true(store.valid_date(d), d) end
      for _, d in ipairs(bad) do assert.is_false(store.valid_date(d), tostring(d)) end
    end)

    it("stores SQL given as data literally, and searches for it literally when asked", function()
      local evil = "'); DROP TABLE documents; --"
      local id = db:add_document { source = evil, title = evil, text = "Body with " .. evil }
      assert.equal(evil, db:value("SELECT title FROM documents WHERE id = ?", id))
      assert.equal(evil, db:value("SELECT name FROM sources"))
      local ok, err = pcall(function()
        local it = db:search(evil)
        return it
      end)
      assert.is_false(ok)
      assert.matches("store_spec%.lua:%d+: dossier%.store: search: fts5: syntax error", err)
      local hits = {}
      for r in db:search(evil, { literal = true }) do hits[#hits + 1] = r.id end
      assert.same({ id }, hits)
      assert.equal(1, count(db))
    end)

    it("searches titles and text, best match first, with the source name", function()
      db:add_document { source = "A", title = "Weather", text = "Rain today. Sanctions were mentioned once." }
      db:add_document { source = "B", title = "Sanctions on sanctions",
        text = "Sanctions, sanctions, sanctions." }
      db:add_document { source = "A", title = "Sport", text = "Nothing relevant here." }
      local got = {}
      for r in db:search("sanctions") do got[#got + 1] = r.source .. ":" .. r.title end
      assert.same({ "B:Sanctions on sanctions", "A:Weather" }, got)
      local n = 0
      for _ in db:search("sanctions", { limit = 1 }) do n = n + 1 end
      assert.equal(1, n)
      for _ in db:search("nomatchword") do error("no rows expected") end
      -- the index follows updates and deletes
      db:exec("UPDATE documents SET text = 'calm' WHERE title = 'Weather'")
      db:exec("DELETE FROM documents WHERE title = 'Sport'")
      got = {}
      for r in db:search("sanctions OR relevant") do got[#got + 1] = r.title end
      assert.same({ "Sanctions on sanctions" }, got)
      db:exec("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
    end)
  end)

  describe("events, claims and transactions", function()
    local db, doc
    before_each(function()
      db = store.open(":memory:")
      doc = db:add_document { source = "S", text = "A document." }
    end)
    after_each(function() db:close() end)

    it("adds events and claims by column name", function()
      local e = db:add_event { doc_id = doc, type = "arms_transfer", actor1 = "PRK", actor2 = "RUS",
        qty = 1e6, negated = true, start = 3, stop = 9, attrs = { cue = "buys" } }
      local r = db:first("SELECT * FROM events WHERE id = ?", e)
      assert.same({ id = e, doc_id = doc, type = "arms_transfer", actor1 = "PRK", actor2 = "RUS",
        qty = 1000000,
        negated = 1, start = 3, stop = 9, attrs = '{"cue":"buys"}' }, r)
      assert.equal(0, db:first("SELECT negated FROM events WHERE id = ?",
        db:add_event { doc_id = doc, type = "t" }).negated)
      local c = db:add_claim { doc_id = doc, event_id = e, speaker = "Minister", source_id = db:source("AP"),
        stance = "assert" }
      assert.equal("Minister", db:value("SELECT speaker FROM claims WHERE id = ?", c))
    end)

    it("names an unknown column and reports constraint failures", function()
      assert.has_error(function() db:add_event { doc_id = doc, type = "t", colour = "red" } end,
        "dossier.store: add_event: unknown column 'colour'")
      assert.has_error(function() db:add_claim { doc_id = doc, [1] = "x" } end,
        "dossier.store: add_claim: column names are strings, got a number")
      local ok, err = pcall(function() db:add_event { doc_id = 999, type = "t" } end)
      assert.is_false(ok)
      assert.matches("store_spec%.lua:%d+: dossier%.store: add_event: FOREIGN KEY constraint failed "
        .. "%(SQLITE_CONSTRAINT_FOREIGNKEY, 787%)", err)
      assert.has_error(function() db:add_event { doc_id = doc } end,
        "dossier.store: add_event: NOT NULL constraint failed: events.type (SQLITE_CONSTRAINT_NOTNULL, 1299)")
      assert.equal(0, count(db, "SELECT count(*) FROM events"))
    end)

    it("commits a transaction and returns what the function returns", function()
      local a, b = db:transaction(function(x)
        db:add_event { doc_id = doc, type = "t" }
        return x, "done"
      end, 7)
      assert.same({ 7, "done" }, { a, b })
      assert.equal(1, count(db, "SELECT count(*) FROM events"))
      assert.is_true(db:autocommit())
    end)

    it("rolls back and re-raises the original error", function()
      local e = { reason = "stop" }
      local ok, err = pcall(db.transaction, db, function()
        db:add_event { doc_id = doc, type = "t" }
        db:add_document { source = "New source", text = "rolled back" }
        error(e)
      end)
      assert.is_false(ok)
      assert.equal(e, err)
      assert.equal(0, count(db, "SELECT count(*) FROM events"))
      assert.equal(1, count(db))
      assert.is_true(db:autocommit())
      -- the source created inside is gone, and re-created on next use
      local id = db:add_document { source = "New source", text = "now kept" }
      assert.equal("New source", db:value("SELECT s.name FROM documents d "
        .. "JOIN sources s ON s.id = d.source_id "
        .. "WHERE d.id = ?", id))
    end)

    it("nests with savepoints: an inner failure undoes only the inner part", function()
      db:transaction(function()
        db:add_event { doc_id = doc, type = "outer" }
        local ok = pcall(db.transaction, db, function()
          db:add_event { doc_id = doc, type = "inner" }
          error("inner fails")
        end)
        assert.is_false(ok)
        db:transaction(function() db:add_event { doc_id = doc, type = "inner2" } end)
      end)
      local types = {}
      for t in db:urows("SELECT type FROM events ORDER BY id") do types[#types + 1] = t end
      assert.same({ "outer", "inner2" }, types)
    end)
  end)

  describe("ingest", function()
    it("reads lines across buffer boundaries as a plain split does, skipping the over-long ones", function()
      local C = require("dossier.core").store
      local dir = tmpdir()
      local path = dir .. "/lines.txt"
      local max = 70000
      local lens = { 0, 1, 65535, 65536, 65537, 69999, 70000, 70001, 131072, 5, 0, 200000, 3 }
      local parts = {}
      for i, n in ipairs(lens) do
        local body = string.char(97 + i % 26):rep(n)
        parts[#parts + 1] = (i % 3 == 0 and n > 0) and (body:sub(1, -2) .. "\r") or body
      end
      local content = table.concat(parts, "\n") -- no newline after the last line
      write(path, content)
      -- the oracle: split on "\n", drop one trailing "\r"
      local expect, lineno = {}, 0
      for line in (content .. "\n"):gmatch("(.-)\n") do
        lineno = lineno + 1
        if #line > max then
          expect[#expect + 1] = { false, lineno, #line }
        else
          expect[#expect + 1] = { (line:gsub("\r$", "")), lineno }
        end
      end
      local r <close> = assert(C.lines(path, max))
      local got = {}
      while true do
        local a, b, c = r:read()
        if a == nil then break end
        got[#got + 1] = { a, b, c }
      end
      assert.equal(#expect, #got)
      for i = 1, #expect do
        assert.same(expect[i], got[i], "line " .. i)
      end
      assert.equal(#content, r:tell())
      assert.equal(#content, r:size())
      local none, err = C.lines(dir .. "/absent")
      assert.is_nil(none)
      assert.matches("absent: No such file", err)
    end)

    it("maps the JSONL fields, keeps the rest in attrs, and counts duplicates", function()
      local dir = tmpdir()
      write(dir .. "/a.jsonl", table.concat({
        cjson.encode({ id = "x:1", source = "dataset", outlet = "Outlet A", date = "2019-01-24", lang = "sr",
          script = "Latn", title = "Naslov", text = "Tekst prvi.", url = "http://a/1", author = "N. N.",
          category = cjson.null }),
        "",
        cjson.encode({ id = 2, source = "Only Source", date = cjson.null, text = "Second text." }),
        cjson.encode({ id = "x:3", outlet = "Outlet A", text = "  Tekst   prvi. " }),
      }, "\r\n"))
      local db <close> = store.open(":memory:")
      local r = db:ingest(dir .. "/a.jsonl", { progress = false })
      assert.same({ added = 2, duplicates = 1, rejected = 0, errors = {}, files = 1, bytes = r.bytes,
        skipped = {} }, r)
      local d = db:first("SELECT d.*, s.name AS source FROM documents d JOIN sources s ON s.id = d.source_id "
        .. "WHERE ext_id = 'x:1'")
      assert.same({ "Outlet A", "2019-01-24", "sr", "Latn", "Naslov", "Tekst prvi.", "http://a/1" },
        { d.source, d.published, d.lang, d.script, d.title, d.text, d.url })
      assert.same({ source = "dataset", author = "N. N." }, cjson.decode(d.attrs))
      local d2 = db:first("SELECT d.*, s.name AS source FROM documents d "
        .. "JOIN sources s ON s.id = d.source_id "
        .. "WHERE ext_id = '2'")
      assert.equal("Only Source", d2.source)
      assert.is_nil(d2.attrs)
      assert.is_nil(d2.published)
      -- everything again: all duplicates
      local r2 = db:ingest(dir, { progress = false })
      assert.same({ 0, 3, 0 }, { r2.added, r2.duplicates, r2.rejected })
    end)

    it("reads .txt files and directories recursively in sorted order", function()
      local dir = tmpdir()
      assert(os.execute("mkdir -p '" .. dir .. "/b/inner' '" .. dir .. "/a' '" .. dir .. "/.hidden'"))
      write(dir .. "/b/inner/2.txt", "\n  Second title  \nBody two.\n")
      write(dir .. "/b/1.txt", "First title\nBody one.")
      write(dir .. "/a/z.jsonl", cjson.encode({ text = "From JSONL." }) .. "\n")
      write(dir .. "/a/notes.md", "ignored")
      write(dir .. "/.hidden/h.txt", "ignored")
      write(dir .. "/c.txt", "Top level\nthird")
      local db <close> = store.open(":memory:")
      local r = db:ingest(dir, { progress = false, lang = "en" })
      assert.same({ 4, 0, 0, 4 }, { r.added, r.duplicates, r.rejected, r.files })
      local got = {}
      for src, title, lang in db:urows("SELECT s.name, title, lang FROM documents d "
        .. "JOIN sources s ON s.id = d.source_id ORDER BY d.id") do
        got[#got + 1] = tostring(title) .. "|" .. src .. "|" .. tostring(lang)
      end
      assert.same({ "nil|z|nil", "First title|b|en", "Second title|inner|en",
        "Top level|" .. dir:match("[^/]+$")
        .. "|en" }, got)
      assert.equal("\n  Second title  \nBody two.\n",
        db:value("SELECT text FROM documents WHERE ext_id LIKE '%2.txt'"))
      local none, err = db:ingest(dir .. "/missing")
      assert.is_nil(none)
      assert.matches("cannot read .*missing: No such file or directory", err)
    end)

    it("reads each directory once under symbolic-link loops, and lists the links skipped", function()
      local dir = tmpdir()
      assert(os.execute("mkdir -p '" .. dir .. "/sub'"))
      write(dir .. "/a.jsonl", cjson.encode({ text = "The only document." }) .. "\n")
      write(dir .. "/sub/b.txt", "Second\ndocument.")
      assert(os.execute("cd '" .. dir .. "' && ln -s . loop"))
      local db <close> = store.open(":memory:")
      local r = assert(db:ingest(dir, { progress = false }))
      -- before: the loop was followed 64 levels deep, every file read 65 times
      assert.same({ 2, 0, 0, 2 }, { r.added, r.duplicates, r.rejected, r.files })
      assert.same({ { path = dir .. "/loop", reason = "link to " .. dir .. ", already read" } }, r.skipped)
      -- more links back (two made 2^64 paths before: ingest never ended) and a second way into sub
      assert(os.execute("cd '" .. dir .. "' && ln -s . loop2 && ln -s sub tosub && ln -s .. sub/up"))
      local r2 = assert(db:ingest(dir, { progress = false }))
      assert.same({ 0, 2, 0, 2 }, { r2.added, r2.duplicates, r2.rejected, r2.files })
      assert.same({
        { path = dir .. "/loop", reason = "link to " .. dir .. ", already read" },
        { path = dir .. "/loop2", reason = "link to " .. dir .. ", already read" },
        { path = dir .. "/sub/up", reason = "link to " .. dir .. ", already read" },
        { path = dir .. "/tosub", reason = "link to " .. dir .. "/sub, already read" },
      }, r2.skipped)
    end)

    it("rejects malformed lines with their line numbers and changes nothing else", function()
      local dir = tmpdir()
      local big = (CHECK == "valgrind") and 20 or 50
      local path = dir .. "/bad.jsonl"
      local f = assert(io.open(path, "wb"))
      local function line(s) f:write(s, "\n") end
      line(cjson.encode({ outlet = "Good", text = "good one" }))           -- 1
      line('{"outlet": "Good", "text": "truncated li')                      -- 2
      line(cjson.encode({ outlet = "Good", title = 5, text = "wrong type" })) -- 3
      line('{"outlet": "Good", "text": "bad \255\254 utf8"}')              -- 4
      -- 5: a line of `big` MB, written in pieces
      f:write('{"outlet": "Good", "text": "')
      local mb = ("x"):rep(1024 * 1024)
      for _ = 1, big do f:write(mb) end
      f:write('"}\n')
      line("\0\1\2\255garbage\0\0")                                         -- 6
      line(cjson.encode({ outlet = "Good", title = "no text" }))           -- 7
      line("")                                                               -- 8 (blank: skipped)
      line(cjson.encode({ outlet = { "x" }, text = "bad outlet" }))        -- 9
      line('[1, 2, 3]')                                                      -- 10
      line(cjson.encode({ outlet = "Good", text = "bad date", date = "2019-02-30" })) -- 11
      line('"just a string"')                                                -- 12
      f:write(cjson.encode({ outlet = "Good", text = "good two, no final newline" }))  -- 13
      f:close()
      local db <close> = store.open(":memory:")
      local r = db:ingest(path, { progress = false })
      assert.equal(2, r.added)
      assert.equal(0, r.duplicates)
      assert.equal(10, r.rejected)
      local lines = {}
      for _, e in ipairs(r.errors) do
        assert.equal(path, e.file)
        lines[#lines + 1] = e.line
      end
      assert.same({ 2, 3, 4, 5, 6, 7, 9, 10, 11, 12 }, lines)
      assert.matches("invalid JSON", r.errors[1].message)
      assert.matches("field 'title' must be a string, got number", r.errors[2].message)
      assert.matches("not valid UTF%-8", r.errors[3].message)
      assert.matches("line too long %(" .. (big * 1024 * 1024 + 30) .. " bytes", r.errors[4].message)
      assert.matches("invalid JSON", r.errors[5].message)
      -- errors name the JSONL keys the line has, not the store's columns
      assert.equal("dossier.store: the object has no 'text'", r.errors[6].message)
      assert.matches("field 'outlet' must be a string", r.errors[7].message)
      assert.equal("dossier.store: the line is a JSON array, not an object (one article per line: "
        .. '{"text": ...})', r.errors[8].message)
      assert.matches("^dossier%.store: field 'date' '2019%-02%-30' is not an ISO 8601 date",
        r.errors[9].message)
      assert.equal('dossier.store: invalid JSON: a JSON string, not an object (one article per line: '
        .. '{"text": ...})', r.errors[10].message)
      local texts = {}
      for t in db:urows("SELECT text FROM documents ORDER BY id") do texts[#texts + 1] = t end
      assert.same({ "good one", "good two, no final newline" }, texts)
      assert.equal(1, count(db, "SELECT count(*) FROM sources"))
      -- a smaller max_line rejects a line that the default accepts, and the next line is read whole
      local p2 = dir .. "/long.jsonl"
      write(p2, cjson.encode({ text = ("y"):rep(5000) }) .. "\n" .. cjson.encode({ text = "after" }) .. "\n")
      local r2 = db:ingest(p2, { progress = false, max_line = 1000, max_errors = 0 })
      assert.same({ 1, 1, 0 }, { r2.added, r2.rejected, #r2.errors })
      assert.is_true(r2.errors_truncated)
      assert.equal(1, count(db, "SELECT count(*) FROM documents WHERE text = 'after'"))
    end)

    it("commits in batches and rolls back the open batch when a callback fails", function()
      local dir = tmpdir()
      local path = gen_corpus(dir, "c.jsonl", 1, 250)
      local db <close> = store.open(":memory:")
      local seen = {}
      local r = db:ingest(path, { progress = false, batch = 100, on_batch = function(res)
        seen[#seen + 1] = res.added
        assert.is_true(db:autocommit())
      end })
      assert.same({ 100, 200, 250 }, seen)
      assert.equal(250, r.added)
      local db2 <close> = store.open(":memory:")
      local ok, err = pcall(db2.ingest, db2, path, { progress = false, batch = 100, on_batch = function(res)
        if res.added == 200 then error("stop here") end
      end })
      assert.is_false(ok)
      assert.matches("stop here", err)
      assert.equal(200, count(db2))
      assert.is_true(db2:autocommit())
      -- inside the caller's transaction, ingest does not commit on its own
      local db3 <close> = store.open(":memory:")
      pcall(db3.transaction, db3, function()
        db3:ingest(path, { progress = false, batch = 10 })
        error("undo")
      end)
      assert.equal(0, count(db3))
    end)

    it("draws a progress bar where it is told to, and refuses a read-only store", function()
      local dir = tmpdir()
      local path = gen_corpus(dir, "p.jsonl", 1, 50)
      local out = {}
      local sink = { write = function(_, ...) for _, s in ipairs({ ... }) do out[#out + 1] = s end end }
      local db <close> = store.open(dir .. "/p.db")
      local r = db:ingest(path, { progress = sink })
      assert.equal(50, r.added)
      local text = table.concat(out)
      assert.matches("%[#+%]%s+100%%%s+50 docs%s+[%d.]+ MB/s%s+ETA 0:00 \n$", text)
      db:close()
      local ro <close> = store.open(dir .. "/p.db", { readonly = true })
      assert.has_error(function() ro:ingest(path) end, "dossier.store: ingest: the store is open read-only")
      assert.matches("^dossier%.store %(.*p%.db%)$", tostring(ro))
      assert.equal("dossier.store (:memory:)", tostring(store.open(":memory:")))
    end)

    it("ingests real news files when they are there", function()
      local path = DATA .. "/sr_latn_setimes_ud_dev_test.jsonl"
      local f = io.open(path, "rb")
      if not f then
        pending("needs " .. path)
      end
      local n = 0
      for l in f:lines() do if l:find("%S") then n = n + 1 end end
      f:close()
      local db <close> = store.open(":memory:")
      local r = db:ingest(path, { progress = false })
      assert.equal(n, r.added + r.duplicates + r.rejected)
      assert.equal(0, r.rejected)
      assert.equal(r.added, count(db))
      for text, hash, src in db:urows("SELECT text, hash, s.name FROM documents d JOIN sources s "
        .. "ON s.id = d.source_id") do
        assert.equal(ref_hash(src, text), hash)
      end
    end)
  end)

  describe("across processes", function()
    it("survives SIGKILL mid-ingest: intact, every committed document complete, a re-run completes it #slow",
      function()
        local dir = tmpdir()
        local total, batch = 20000, 500
        local corpus = gen_corpus(dir, "big.jsonl", 1, total)
        local dbp, errf, db, committed
        -- The kill must land mid-ingest; on a loaded machine the watcher may be descheduled
        -- until the child is done, so that is tried again (in a fresh file) a few times.
        for attempt = 1, 4 do
          dbp, errf = ("%s/kill%d.db"):format(dir, attempt), ("%s/stderr%d.txt"):format(dir, attempt)
          local proc, pid = spawn(dbp, corpus, batch, errf)
          local watch
          local deadline = os.time() + 60
          local n = 0
          while os.time() < deadline do
            if not watch then
              local ok, d = pcall(store.open, dbp)
              if ok then watch = d end
            end
            if watch then
              n = watch:value("SELECT count(*) FROM documents")
              if n >= 4 * batch then break end
            end
            require("dossier.sys").sleep(0.01)
          end
          assert(os.execute("kill -9 " .. pid))
          proc:close()
          if watch then watch:close() end
          assert.is_true(n >= 4 * batch, "the child committed nothing in time")
          db = store.open(dbp)
          committed = count(db)
          if committed < total or attempt == 4 then break end
          db:close()
        end
        local _ <close> = db
        assert.equal("ok", db:value("PRAGMA integrity_check"))
        db:exec("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        assert.is_true(committed < total, "the kill landed after the ingest finished, four times")
        assert.equal(0, committed % batch) -- batches are atomic
        for ext, text, hash, src in db:urows("SELECT ext_id, text, hash, s.name FROM documents d "
          .. "JOIN sources s ON s.id = d.source_id") do
          local i = tonumber(ext:match("^gen:(%d+)$"))
          assert.equal(gen_text(i), text)
          assert.equal(store.doc_hash(src, text), hash)
        end
        local r = db:ingest(corpus, { progress = false })
        assert.same({ total - committed, committed, 0 }, { r.added, r.duplicates, r.rejected })
        assert.equal(total, count(db))
        assert.equal(total, count(db, "SELECT count(DISTINCT ext_id) FROM documents"))
        local fe = io.open(errf, "rb")
        assert.equal("", fe and fe:read("a") or "") -- stderr not a terminal: no progress bar
        if fe then fe:close() end
      end)

    it("lets two processes ingest into one file at once, with no lock errors", function()
      local dir = tmpdir()
      local a = gen_corpus(dir, "a.jsonl", 1, 3000)
      local b = gen_corpus(dir, "b.jsonl", 2001, 5000)
      local dbp = dir .. "/two.db"
      local pa = spawn(dbp, a, 100, dir .. "/a.err")
      local pb = spawn(dbp, b, 100, dir .. "/b.err")
      local outa, outb = pa:read("a"), pb:read("a")
      local oka, okb = pa:close(), pb:close()
      local function errs(p)
        local f = io.open(p, "rb")
        local s = f and f:read("a") or ""
        if f then f:close() end
        return s
      end
      assert.equal("", errs(dir .. "/a.err"))
      assert.equal("", errs(dir .. "/b.err"))
      assert.is_true(oka)
      assert.is_true(okb)
      local aa, ad = outa:match("added=(%d+) duplicates=(%d+) rejected=0")
      local ba, bd = outb:match("added=(%d+) duplicates=(%d+) rejected=0")
      assert.is_truthy(aa, outa)
      assert.is_truthy(ba, outb)
      assert.equal(5000, tonumber(aa) + tonumber(ba))
      assert.equal(1000, tonumber(ad) + tonumber(bd))
      local db <close> = store.open(dbp)
      assert.equal(5000, count(db))
      assert.equal("ok", db:value("PRAGMA integrity_check"))
    end)
  end)
end)
