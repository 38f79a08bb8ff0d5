-- dossier.extract and the analyses on a PostgreSQL store, against the same run on SQLite; and
-- workers in separate processes that claim batches (FOR UPDATE SKIP LOCKED), one of them killed.
-- A throwaway cluster (spec/helpers/pg.lua); pending, with the reason, where none can run.
local pg = dofile("spec/helpers/pg.lua")
local tmp = dofile("spec/helpers/tmp.lua")

local WHY = pg.unavailable()
local CORPUS = "examples/corpus/news"

-- Rows of a query as sorted strings: ids differ between the backends, the content must not.
local function rows_of(db, sql, cols)
  local out = {}
  for r in db:rows(sql) do
    local t = {}
    for i, k in ipairs(cols) do t[i] = tostring(r[k]) end
    out[#out + 1] = table.concat(t, "|")
  end
  table.sort(out)
  return out
end

local EVENTS = [[SELECT d.hash, e.rule, e.type, e.actor1, e.actor2, e.item, e.qty, e.unit, e.date,
  e.modality, e.negated, e.start, e.stop, e.sent_start, e.sent_stop, e.attrs
FROM events AS e JOIN documents AS d ON d.id = e.doc_id]]
local EVENT_COLS = { "hash", "rule", "type", "actor1", "actor2", "item", "qty", "unit", "date", "modality",
  "negated", "start", "stop", "sent_start", "sent_stop", "attrs" }
local CLAIMS = [[SELECT d.hash, c.speaker, c.via, c.stance, c.cue, c.start, c.stop, c.attrs,
  s.name AS source, e.rule, e.start AS e_start
FROM claims AS c JOIN documents AS d ON d.id = c.doc_id LEFT JOIN sources AS s ON s.id = c.source_id
LEFT JOIN events AS e ON e.id = c.event_id]]
local CLAIM_COLS = { "hash", "speaker", "via", "stance", "cue", "start", "stop", "attrs", "source", "rule",
  "e_start" }

-- An analysis result without the store's own ids (event and incident ids differ by backend).
local function strip_ids(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do
    if k ~= "id" and k ~= "event_id" and k ~= "incident_id" and k ~= "events" and k ~= "event_ids"
      and k ~= "doc_id" and k ~= "docs" then
      out[k] = strip_ids(x)
    end
  end
  return out
end

describe("dossier.extract and the analyses on PostgreSQL #pg", function()
  if WHY then
    it("runs against a throwaway PostgreSQL cluster", function() pending(WHY) end)
    return
  end
  local dossier = require "dossier"
  teardown(function()
    pg.stop()
    tmp.clean()
  end)

  local pgdb, lite
  setup(function()
    pgdb = dossier.open((pg.database()))
    lite = dossier.open(":memory:")
    for _, db in ipairs({ pgdb, lite }) do
      db:ingest(CORPUS, { progress = false })
    end
  end)

  it("codes the demo corpus into the same events as SQLite, row by row", function()
    local rs = require "dossier.rules.sanctions"
    local r1 = dossier.extract(lite, rs, { progress = false })
    local r2 = dossier.extract(pgdb, rs, { progress = false, batch = 7 })
    for _, k in ipairs({ "docs", "events", "skipped", "deleted", "bytes", "sentences" }) do
      assert.equal(r1[k], r2[k], k)
    end
    assert.is_true(r2.events > 20)
    assert.same(rows_of(lite, EVENTS, EVENT_COLS), rows_of(pgdb, EVENTS, EVENT_COLS))
    local again = dossier.extract(pgdb, rs, { progress = false })
    assert.same({ 0, 0, r1.docs }, { again.docs, again.events, again.skipped })
  end)

  it("derives the same claims and the same sanctions violations and counts", function()
    local c1 = dossier.claims.extract(lite)
    local c2 = dossier.claims.extract(pgdb)
    assert.same(c1, c2)
    assert.is_true(c2.claims > 20)
    assert.same(rows_of(lite, CLAIMS, CLAIM_COLS), rows_of(pgdb, CLAIMS, CLAIM_COLS))
    assert.same(strip_ids(dossier.claims.compare(lite)), strip_ids(dossier.claims.compare(pgdb)))
    local s = dossier.sanctions
    local i1, i2 = s.incidents(lite), s.incidents(pgdb)
    assert.equal(#i1, #i2)
    assert.same(strip_ids(s.violations(lite, { incidents = i1 })),
      strip_ids(s.violations(pgdb, { incidents = i2 })))
    assert.same(strip_ids(s.count(lite, { by = { "resolution" }, incidents = i1 })),
      strip_ids(s.count(pgdb, { by = { "resolution" }, incidents = i2 })))
    assert.is_true(#s.violations(pgdb, { incidents = i2 }) > 0)
    local h1, h2 = tmp.name(), tmp.name()
    dossier.report.html(lite, h1)
    dossier.report.html(pgdb, h2)
    local a, b = io.open(h1):read("a"), io.open(h2):read("a")
    assert.is_true(#a > 1000)
    assert.equal(a, b) -- the HTML report, byte for byte
  end)

  it("re-codes the documents of a changed rule set, deleting its old events", function()
    local rs = dofile("spec/helpers/pg_rules.lua")
    local changed = dofile("spec/helpers/pg_rules.lua")
    changed.hash = function() return "v2" end
    changed.rule_hashes = function() return { missile = "v2", sanction = "v1" } end
    for _, db in ipairs({ lite, pgdb }) do
      dossier.extract(db, rs, { progress = false })
    end
    local r1 = dossier.extract(lite, changed, { progress = false })
    local r2 = dossier.extract(pgdb, changed, { progress = false })
    assert.equal(r1.docs, r2.docs)
    assert.is_true(r2.deleted > 0)
    assert.same(rows_of(lite, EVENTS, EVENT_COLS), rows_of(pgdb, EVENTS, EVENT_COLS))
  end)

  it("says what it does not support there yet", function()
    local ok, err = pcall(dossier.extract, pgdb, require "dossier.rules.sanctions", { force = true })
    assert.is_false(ok)
    assert.matches("force is not supported on the PostgreSQL store yet", err)
    ok, err = pcall(dossier.extract, pgdb, require "dossier.rules.sanctions", { jobs = 2 })
    assert.is_false(ok)
    assert.matches("jobs %(run several workers instead%) is not supported on the PostgreSQL store yet", err)
  end)

  it("runs the CLI commands on a PostgreSQL address", function()
    local info = pg.database()
    local out = tmp.name()
    local function cli(args)
      local p = io.popen("lua5.4 bin/dossier " .. args .. " 2>&1")
      local text = p:read("a")
      local ok = p:close()
      return ok, text
    end
    local q = tmp.quote
    assert.same({ true, "added 34, duplicates 0, rejected 0\n" },
      { cli("ingest " .. q(info) .. " " .. CORPUS) })
    local ok, text = cli("extract " .. q(info))
    assert.is_true(ok, text)
    assert.matches("coded 34 documents", text)
    for _, script in ipairs({ "examples/claims.lua", "examples/sanctions.lua" }) do
      ok, text = cli("run " .. q(info) .. " " .. script)
      assert.is_true(ok, text)
    end
    assert.matches("event mentions grouped into %d+ incidents", text)
    ok, text = cli("report " .. q(info) .. " --html " .. q(out))
    assert.is_true(ok, text)
    ok, text = cli("sql " .. q(info) .. " " .. q("SELECT count(*) AS n FROM events WHERE type = ?")
      .. " meeting")
    assert.is_true(ok, text)
    assert.matches("n\n%-+\n%s*%d+", text)
    ok, text = cli("search " .. q(info) .. " missile")
    assert.is_true(ok, text)
    assert.matches("North Korea", text)
  end)
end)

describe("dossier.extract workers on PostgreSQL #pg", function()
  if WHY then
    it("runs against a throwaway PostgreSQL cluster", function() pending(WHY) end)
    return
  end
  local dossier = require "dossier"
  local sys = require "dossier.sys"
  local q = tmp.quote
  teardown(function()
    pg.stop()
    tmp.clean()
  end)

  local function worker(info, block_doc, marker)
    local cmd = ("lua5.4 spec/helpers/pg_worker.lua %s %s %s %s"):format(q(package.path), q(package.cpath),
      q(info), block_doc and (block_doc .. " " .. q(marker)) or "")
    return cmd
  end

  local function wait_for(pred, what)
    local t0 = sys.now()
    while not pred() do
      assert(sys.now() - t0 < 60, "waited 60 s for " .. what)
      sys.sleep(0.02)
    end
  end

  it("share the documents, and a worker killed mid-batch leaves its batch to another: "
    .. "no duplicate, no lost event", function()
    local info = pg.database()
    local db <close> = dossier.open(info)
    db:ingest(CORPUS, { progress = false })
    local ids = {}
    for id in db:urows("SELECT id FROM documents ORDER BY id") do ids[#ids + 1] = id end
    -- The expected events: the same rule set on SQLite, in this process.
    local lite <close> = dossier.open(":memory:")
    lite:ingest(CORPUS, { progress = false })
    dossier.extract(lite, dofile("spec/helpers/pg_rules.lua"), { progress = false })
    -- Worker A codes its first batch (ids 1-5), then stops inside its second (from ids[6])
    -- with that batch claimed and not committed; B runs meanwhile and skips A's batch.
    local marker = tmp.name()
    os.remove(marker)
    local pidfile = tmp.name()
    assert(os.execute(worker(info, ids[6], marker) .. " >/dev/null 2>&1 & echo $! > " .. q(pidfile)))
    local pid = tonumber(io.open(pidfile):read("a"))
    wait_for(function() return io.open(marker) ~= nil end, "worker A to reach its second batch")
    local p = io.popen(worker(info) .. " 2>&1")
    local b_out = p:read("a")
    assert.is_true(p:close(), b_out)
    assert.equal(("docs=%d"):format(#ids - 10), b_out:match("docs=%d+"), b_out)
    -- A's second batch is still held: not coded by B
    assert.equal(#ids - 5, db:value("SELECT count(*) FROM doc_runs"))
    assert(os.execute("kill -9 " .. pid))
    wait_for(function() return not sys.alive(pid) end, "worker A to die")
    local held = "{" .. table.concat(ids, ",", 6, 10) .. "}"
    wait_for(function()
      return db:value("SELECT count(*) FROM (SELECT id FROM documents WHERE id = ANY (CAST(? AS bigint[])) "
        .. "FOR UPDATE SKIP LOCKED) AS t", held) == 5
    end, "the server to end worker A's transaction")
    -- C picks up A's batch, once the server has noticed A's connection is gone
    p = io.popen(worker(info) .. " 2>&1")
    local c_out = p:read("a")
    assert.is_true(p:close(), c_out)
    assert.equal("docs=5", c_out:match("docs=%d+"), c_out)
    assert.equal(#ids, db:value("SELECT count(DISTINCT doc_id) FROM doc_runs"))
    assert.equal(#ids, db:value("SELECT count(*) FROM doc_runs"))
    assert.same(rows_of(lite, EVENTS, EVENT_COLS), rows_of(db, EVENTS, EVENT_COLS))
  end)
end)
