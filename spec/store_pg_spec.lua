-- The PostgreSQL store (lua/dossier/store_pg.lua, csrc/pg.c) against a throwaway cluster
-- (spec/helpers/pg.lua). Pending, with the reason, where no server can run.
local pg = dofile("spec/helpers/pg.lua")
local tmp = dofile("spec/helpers/tmp.lua")

local WHY = pg.unavailable()

describe("dossier.store on PostgreSQL #pg", function()
  if WHY then
    it("runs against a throwaway PostgreSQL cluster", function() pending(WHY) end)
    return
  end
  local dossier = require "dossier"
  local store = require "dossier.store"
  local store_pg = require "dossier.store_pg"
  teardown(function()
    pg.stop()
    tmp.clean()
  end)

  local function fresh()
    return dossier.open((pg.database()))
  end

  it("reads postgresql:// and postgres:// URIs and libpq key=value strings as PostgreSQL", function()
    assert.is_true(store.is_postgresql("postgresql://u@h/db"))
    assert.is_true(store.is_postgresql("postgres://h/db"))
    assert.is_true(store.is_postgresql("host=/tmp port=5432 dbname=x"))
    assert.is_true(store.is_postgresql("dbname=x"))
    assert.is_false(store.is_postgresql("news.db"))
    assert.is_false(store.is_postgresql(":memory:"))
    assert.is_false(store.is_postgresql("a=b.db"))
  end)

  it("creates the schema once, and a second open finds it at the current version", function()
    local info = pg.database()
    local db <close> = dossier.open(info)
    assert.equal(store.SCHEMA_VERSION, db:value("SELECT max(version) FROM dossier_schema"))
    db:add_document{ text = "kept across opens" }
    db:close()
    local again <close> = dossier.open(info)
    assert.equal(1, again:value("SELECT count(*) FROM documents"))
    assert.equal("postgresql", again:backend())
  end)

  it("refuses a database that holds other tables, naming them", function()
    local info = pg.database()
    local conn <close> = require("dossier.core").pg.connect(info, function() end)
    conn:exec("CREATE TABLE payroll (x int)")
    local ok, err = pcall(dossier.open, info)
    assert.is_false(ok)
    assert.matches("not a dossier store %(tables: payroll%)", err)
  end)

  it("says why a connection fails", function()
    local ok, err = pcall(dossier.open, "host=" .. pg.host() .. " port=5432 user=nobody_here dbname=none")
    assert.is_false(ok)
    assert.matches("^dossier%.store: cannot connect to PostgreSQL: .*nobody_here", err)
  end)

  it("stores a document once per source and text, as SQLite does", function()
    local db <close> = fresh()
    local a, new_a = db:add_document{ source = "AP", title = "T", text = "One  text.",
      published = "2020-01-02", lang = "en", extra = "kept" }
    local b, new_b = db:add_document{ source = "AP", text = "One text." }
    local c, new_c = db:add_document{ source = "Reuters", text = "One text." }
    assert.same({ true, false, true }, { new_a, new_b, new_c })
    assert.equal(a, b)
    assert.not_equal(a, c)
    local row = db:first("SELECT d.title, d.published, d.attrs, s.name FROM documents d "
      .. "JOIN sources s ON s.id = d.source_id WHERE d.id = ?", a)
    assert.same({ title = "T", published = "2020-01-02", attrs = '{"extra":"kept"}', name = "AP" }, row)
    local ok, err = pcall(db.add_document, db, { text = "x", published = "2020-13-01" })
    assert.is_false(ok)
    assert.matches("published '2020%-13%-01' is not an ISO 8601 date", err)
  end)

  it("binds ?, ?N and :name parameters, outside strings, comments and :: casts", function()
    local db <close> = fresh()
    assert.equal(5, db:value("SELECT ?::bigint + ?", 2, 3))
    assert.equal("a?:b", db:value("SELECT 'a?:b' -- ? :c\n"))
    assert.equal(7, db:value("SELECT ?2 + ?1 /* ? */", 3, 4))
    assert.same({ x = 4, y = "it's" }, db:first("SELECT :n::int * 2 AS x, :s AS y", { n = 2, s = "it's" }))
    assert.equal(2.5, db:value("SELECT ?::float8", 2.5))
    assert.equal(3, db:value("SELECT 3::numeric"))
    assert.equal(1, db:value("SELECT true"))
    local ok, err = pcall(db.value, db, "SELECT ? + ?", 1)
    assert.is_false(ok)
    assert.matches("the statement has 2 parameters, got 1 value", err)
    ok, err = pcall(db.exec, db, "SELEC 1")
    assert.is_false(ok)
    assert.matches('syntax error at or near "SELEC" %(SQLSTATE 42601%)', err)
  end)

  it("runs a statement with parameters again with values of other types", function()
    local db <close> = fresh()
    local doc = db:add_document{ text = "d" }
    -- prepared once per parameter types: an integer, a float, then NULL for the same SQL
    for _, q in ipairs({ 3, 3.5, false, 4 }) do
      db:add_event{ doc_id = doc, type = "t", qty = q or nil }
    end
    assert.same({ 3, 3.5, 4 }, { db:value("SELECT qty FROM events WHERE qty = 3"),
      db:value("SELECT qty FROM events WHERE qty > 3 AND qty < 4"), db:value("SELECT max(qty) FROM events") })
    assert.equal(1, db:value("SELECT count(*) FROM events WHERE qty IS NULL"))
    for i = 1, 300 do -- more statements than the cache holds
      assert.equal(i, db:value("SELECT ?::bigint + " .. i - 1, 1))
    end
  end)

  it("adds events and claims by column, naming an unknown column", function()
    local db <close> = fresh()
    local doc = db:add_document{ text = "d" }
    local e = db:add_event{ doc_id = doc, type = "arms_transfer", actor1 = "RUS", qty = 12,
      attrs = { k = "v" } }
    local e2 = db:add_event{ id = 100, doc_id = doc, type = "meet" }
    local e3 = db:add_event{ doc_id = doc, type = "meet", negated = 1 }
    assert.equal(100, e2)
    assert.is_true(e3 > 100)
    db:add_claim{ doc_id = doc, event_id = e, speaker = "USA", stance = "assert" }
    assert.same({ qty = 12, negated = 0, attrs = '{"k":"v"}' },
      db:first("SELECT qty, negated, attrs FROM events WHERE id = ?", e))
    assert.equal(1, db:value("SELECT count(*) FROM claims WHERE event_id = ?", e))
    local ok, err = pcall(db.add_event, db, { doc_id = doc, type = "x", colour = "red" })
    assert.is_false(ok)
    assert.matches("add_event: unknown column 'colour'", err)
  end)

  it("writes many claims through store.writer as SQLite does row by row, in COPY batches", function()
    local db <close> = fresh()
    local lite <close> = store.open(":memory:")
    for _, s in ipairs({ lite, db }) do
      local doc = s:add_document{ text = "d" }
      local ev = s:add_event{ doc_id = doc, type = "t" }
      s:transaction(function()
        local w <close> = store.writer(s, "claims")
        for i = 1, 2500 do
          w:add_claim{ doc_id = doc, event_id = i % 2 == 0 and ev or nil, speaker = "S" .. i % 5,
            stance = "assert", start = i, attrs = { n = i } }
        end
      end)
      local ok, err = pcall(s.transaction, s, function()
        local w <close> = store.writer(s, "claims")
        w:add_claim{ doc_id = doc, speaker = "gone" }
        error("stop")
      end)
      assert.is_false(ok, err)
      ok, err = pcall(function()
        local w <close> = store.writer(s, "claims")
        w:add_claim{ doc_id = doc, colour = "red" }
      end)
      assert.is_false(ok)
      assert.matches("add_claim: unknown column 'colour'", err)
    end
    local sql = "SELECT event_id IS NULL AS no_event, speaker, stance, start, attrs FROM claims ORDER BY id"
    local function all(s)
      local out = {}
      for r in s:rows(sql) do out[#out + 1] = r end
      return out
    end
    local want = all(lite)
    assert.equal(2500, #want)
    assert.same(want, all(db))
  end)

  it("commits a transaction, rolls back a failed one and its savepoints", function()
    local db <close> = fresh()
    local doc = db:add_document{ text = "d" }
    local ok = pcall(db.transaction, db, function()
      db:add_event{ doc_id = doc, type = "gone" }
      error("boom")
    end)
    assert.is_false(ok)
    db:transaction(function()
      db:add_event{ doc_id = doc, type = "kept" }
      assert.is_false(pcall(db.transaction, db, function()
        db:add_event{ doc_id = doc, type = "inner" }
        db:exec("SELECT nope")
      end))
    end)
    assert.same({ "kept" }, { db:value("SELECT string_agg(type, ',') FROM events") })
    assert.is_true(db:autocommit())
  end)

  it("refuses to commit a transaction PostgreSQL aborted, rather than lose it in silence", function()
    local db <close> = fresh()
    local ok, err = pcall(db.transaction, db, function()
      db:add_document{ text = "lost with the transaction" }
      pcall(db.exec, db, "SELECT nope") -- caught here, but the transaction is aborted
    end)
    assert.is_false(ok)
    assert.matches("PostgreSQL rolled it back", err)
    assert.equal(0, db:value("SELECT count(*) FROM documents"))
    assert.is_true(db:autocommit())
  end)

  it("loads many rows with COPY, escaping tabs, newlines and backslashes", function()
    local db <close> = fresh()
    local doc = db:add_document{ text = "d" }
    local rows = {}
    for i = 1, 5000 do rows[i] = { doc, "t" .. i % 7, i % 3 == 0 and "a\tb\\c\nd" or nil } end
    assert.equal(5000, db:copy("events", { "doc_id", "type", "actor1" }, rows))
    assert.equal(5000, db:value("SELECT count(*) FROM events"))
    assert.equal(1666, db:value("SELECT count(*) FROM events WHERE actor1 = ?", "a\tb\\c\nd"))
    local ok, err = pcall(db.copy, db, "events", { "doc_id", "type" }, { { 999999, "x" } })
    assert.is_false(ok)
    assert.matches("foreign key", err)
    assert.equal(5000, db:value("SELECT count(*) FROM events"))
    ok, err = pcall(db.copy, db, "events", { "doc_id", "type" }, { { doc, "x" }, { doc, print } })
    assert.is_false(ok)
    assert.matches("copy into events: cannot bind a function %(parameter 2%)", err)
    assert.equal(5000, db:value("SELECT count(*) FROM events")) -- the COPY was ended: the store works
  end)

  it("ingests the demo corpus with the same counts and texts as SQLite", function()
    local db <close> = fresh()
    local lite <close> = store.open(":memory:")
    local r1 = db:ingest("examples/corpus/news", { progress = false })
    local r2 = lite:ingest("examples/corpus/news", { progress = false })
    assert.same(r2, r1)
    local function docs(s)
      local out = {}
      for hash, title, text in s:urows("SELECT hash, title, text FROM documents ORDER BY hash") do
        out[#out + 1] = { hash, title, text }
      end
      return out
    end
    assert.same(docs(lite), docs(db))
  end)

  it("says which SQLite-only functions it does not support yet", function()
    local db <close> = fresh()
    for _, f in ipairs({ "ensure_indexes", "drop_indexes", "foreign_keys_off" }) do
      local ok, err = pcall(store[f], db)
      assert.is_false(ok)
      assert.matches("dossier%.store%." .. f .. ": not supported on the PostgreSQL store yet", err)
    end
    local ok, err = pcall(require("dossier.extract").runs, db)
    assert.is_false(ok)
    assert.matches("dossier%.extract%.runs: not supported on the PostgreSQL store yet", err)
  end)

  it("ingests in COPY batches with SQLite's counts: duplicates, rejections, a caller's transaction",
    function()
    local dir = tmp.dir()
    local lines = {}
    for i = 1, 25 do
      lines[#lines + 1] = ('{"id": %d, "outlet": "O%d", "text": "text %d"}'):format(i, i % 3, i % 7)
    end
    lines[#lines + 1] = '{"text": 5}'
    lines[#lines + 1] = 'not json'
    lines[#lines + 1] = '{"id": "x", "outlet": "O1", "text": "text 1", "date": "2020-02-30"}'
    tmp.write(dir .. "/a.jsonl", table.concat(lines, "\n") .. "\n")
    local db <close> = fresh()
    local lite <close> = store.open(":memory:")
    local r1 = lite:ingest(dir, { batch = 4, progress = false })
    local r2 = db:ingest(dir, { batch = 4, progress = false })
    assert.same(r1, r2)
    assert.is_true(r2.duplicates > 0 and r2.rejected == 3)
    local sql = "SELECT d.ext_id, s.name, d.text FROM documents AS d JOIN sources AS s ON s.id = d.source_id "
      .. "ORDER BY d.id"
    local function all(s)
      local out = {}
      for a, b, c in s:urows(sql) do out[#out + 1] = table.concat({ a, b, c }, "|") end
      return out
    end
    assert.same(all(lite), all(db)) -- the same documents, in the same order of ids
    local other <close> = fresh()
    assert.is_false(pcall(other.transaction, other, function()
      other:ingest(dir, { batch = 4, progress = false })
      error("changed my mind")
    end))
    assert.equal(0, other:value("SELECT count(*) FROM documents"))
    other:ingest(dir, { progress = false })
    assert.equal(r1.added, other:value("SELECT count(*) FROM documents"))
  end)

  it("translates the FTS5 query subset to a tsquery", function()
    assert.equal("'north' & 'korea'", store_pg.tsquery("north korea"))
    assert.equal("('rocket' <-> 'launch')", store_pg.tsquery('"rocket launch"'))
    assert.equal("'sanction':* & ! 'iran'", store_pg.tsquery("sanction* NOT iran"))
    assert.equal("( 'a' | 'b' ) & 'c'", store_pg.tsquery("(a OR b) AND c"))
    for _, bad in ipairs({ "a OR", "(a", "NEAR(a b)", "title:a", "a ) b" }) do
      assert.is_false(pcall(store_pg.tsquery, bad), bad)
    end
  end)

  it("searches titles and texts with the same queries as SQLite", function()
    local db <close> = fresh()
    local lite <close> = store.open(":memory:")
    db:ingest("examples/corpus/news", { progress = false })
    lite:ingest("examples/corpus/news", { progress = false })
    local function hits(s, q, opts)
      local out = {}
      for r in s:search(q, opts) do out[#out + 1] = r.ext_id end
      table.sort(out)
      return out
    end
    for _, q in ipairs({ "sanctions", "north korea", "sanction* NOT iran", '"ballistic missile"',
      "missile OR rocket", "(missile OR rocket) AND launch" }) do
      local want = hits(lite, q)
      assert.is_true(#want > 0, q)
      assert.same(want, hits(db, q), q)
    end
    assert.same(hits(lite, "ballistic missile", { literal = true }),
      hits(db, "ballistic missile", { literal = true }))
    local ok, err = pcall(db.search, db, "a OR")
    assert.is_false(ok)
    assert.matches("^dossier%.store: search: ", err)
  end)
end)
