-- Specs for the bulk paths of dossier.store: the page cache of a read-write connection, and
-- db:bulk, which drops the query indexes of events for a load and builds them again at its end.
local store = require "dossier.store"
local extract = require "dossier.extract"
local rules = require "dossier.rules"
local lexicon = require "dossier.lexicon"

local tmp = dofile("spec/helpers/tmp.lua")
teardown(tmp.clean)

local QUERY = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
  .. "('events_type', 'events_actor1', 'events_actor2', 'events_date')"

local function indexes(db)
  return db:value(QUERY)
end

-- The query plan of a lookup by type names the index (it is used, not only present).
local function uses_type_index(db)
  local plan = {}
  for row in db:rows("EXPLAIN QUERY PLAN SELECT * FROM events WHERE type = 'x' AND date > '2020'") do
    plan[#plan + 1] = row.detail
  end
  return table.concat(plan, "\n"):find("events_type", 1, true) ~= nil
end

describe("dossier.store bulk paths", function()
  it("gives a read-write connection a page cache for bulk work, a read-only one SQLite's", function()
    local db, path = tmp.store()
    assert.equal(-store.CACHE_KIB, db:value("PRAGMA cache_size"))
    db:close()
    local ro = store.open(path, { readonly = true })
    assert.is_true(ro:value("PRAGMA cache_size") > -store.CACHE_KIB)
    ro:close()
  end)

  it("drops the query indexes for a bulk load and has them again, used, at its end", function()
    local db = tmp.store()
    local doc = db:add_document { text = "a document" }
    assert.equal(4, indexes(db))
    local seen, a, b = db:bulk(function(x)
      assert.is_true(db:in_bulk())
      local n = indexes(db)
      for k = 1, 3 do -- transactions of its own size
        db:transaction(function()
          for i = 1, 100 do
            db:add_event { doc_id = doc, type = "t" .. (i % 3), start = i, stop = i + k, date = "2021-01-01" }
          end
        end)
      end
      return n, x, "b"
    end, "a")
    assert.equal(0, seen)
    assert.equal("a", a)
    assert.equal("b", b)
    assert.is_false(db:in_bulk())
    assert.equal(4, indexes(db))
    assert.is_true(uses_type_index(db))
    assert.equal(300, db:value("SELECT count(*) FROM events"))
    assert.equal("ok", db:value("PRAGMA integrity_check"))
    db:close()
  end)

  it("builds the indexes again when the load fails, and re-raises its error", function()
    local db = tmp.store()
    local ok, err = pcall(db.bulk, db, function()
      assert.equal(0, indexes(db))
      error({ code = 7 })
    end)
    assert.is_false(ok)
    assert.same({ code = 7 }, err)
    assert.equal(4, indexes(db))
    assert.is_false(db:in_bulk())
    db:close()
  end)

  it("runs a bulk inside a bulk as part of it, and refuses to start inside a transaction", function()
    local db = tmp.store()
    db:bulk(function()
      db:bulk(function() assert.equal(0, indexes(db)) end)
      assert.equal(0, indexes(db)) -- the inner one builds nothing
    end)
    assert.equal(4, indexes(db))
    assert.error_matches(function()
      db:transaction(function() db:bulk(function() end) end)
    end, "dossier.store: bulk cannot start inside a transaction", nil, true)
    assert.error_matches(function() db:bulk("x") end, "dossier.store: bulk expects a function", nil, true)
    assert.equal(4, indexes(db))
    db:close()
  end)

  it("lets extract in a bulk leave the indexes to the bulk's end", function()
    local db = tmp.store()
    for i = 1, 30 do
      db:add_document { source = "Gen", lang = "en",
        text = ("Report %d. Russia bought rockets from Iran."):format(i) }
    end
    local lex = lexicon.new()
    lex:add("Russia*", "RUS")
    lex:add("Iran*", "IRN")
    local rs = rules.new { lang = { "en" }, name = "bulk" }
    rs:lexicon("actor", lex)
    rs:terms("buy", { "bought" })
    rs:rule { name = "buy", type = "arms_transfer", pattern = "{actor:a} .. {buy} .. {actor:b}" }
    local during
    db:bulk(function()
      local r = extract(db, rs, { progress = false, bulk = true, jobs = 1 })
      during = indexes(db)
      assert.is_false(r.bulk)
      assert.equal(30, r.events)
    end)
    assert.equal(0, during)
    assert.equal(4, indexes(db))
    db:close()
  end)
end)
