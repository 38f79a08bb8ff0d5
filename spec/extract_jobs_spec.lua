-- Specs for dossier.extract with many jobs (opts.jobs, `dossier extract --jobs`): worker
-- processes scan, this process writes, and the store ends up with the rows a one-job run
-- gives, row for row (ids included); a worker that dies fails the run and leaves no half
-- batch; re-runs still skip what is coded.
local store = require "dossier.store"
local lexicon = require "dossier.lexicon"
local extract = require "dossier.extract"
local rules = require "dossier.rules"
local sys = require "dossier.sys"

local tmp = dofile("spec/helpers/tmp.lua")
teardown(tmp.clean)

local function actors()
  local lex = lexicon.new()
  lex:add("North Korea*", "PRK")
  lex:add("Severn* Korej*", "PRK")
  lex:add("Russia*", "RUS")
  lex:add("Rusij*", "RUS")
  lex:add("Iran*", "IRN")
  return lex
end

-- A small rule set in two languages; "launch2" changes one rule (a re-run re-codes it).
local function ruleset(variant, name)
  local rs = rules.new { lang = { "en", "sr" }, name = name or "jobs" }
  rs:lexicon("actor", actors())
  rs:terms("buy", { "buy*", "bought", "purchas*", "kupi*", "kupovin*" })
  rs:terms("launch", { "launch*", "lansira*", "ispali*" })
  rs:rule { name = "arms_purchase", type = "arms_transfer",
    pattern = "{actor:buyer} .. {buy} .. {actor:seller}",
    event = function(m)
      return { actor1 = m.seller, actor2 = m.buyer, item = m.buy, attrs = { via = "spec", n = #m.buy } }
    end }
  rs:rule { name = "launch", type = "ballistic_launch",
    pattern = variant == "launch2" and "{actor:actor1} ..4 {launch}" or "{actor:actor1} .. {launch}" }
  return rs
end

-- A synthetic corpus: n documents in English and Serbian, some with events, some without,
-- of varied length.
local SENTENCES = {
  "North Korea launched a ballistic missile on Tuesday, officials in Seoul said.",
  "Russia bought thousands of rockets from North Korea last year.",
  "Rusija je kupila rakete od Severne Koreje.",
  "Severna Koreja je u petak lansirala raketu.",
  "The weather was mild and the markets were calm.",
  "Iran purchased drones from Russia, the report said.",
  "Nothing happened in the capital.",
}
local function fill(db, n, from)
  local ids = {}
  for i = from or 1, (from or 1) + n - 1 do
    local parts = {}
    for k = 1, 1 + i % 5 do
      parts[k] = SENTENCES[(i * 3 + k * 5) % #SENTENCES + 1]
    end
    ids[#ids + 1] = db:add_document { source = "Gen", lang = i % 2 == 0 and "sr" or "en",
      published = ("2023-%02d-%02d"):format(1 + i % 12, 1 + i % 28),
      text = ("Report %d. %s"):format(i, table.concat(parts, " ")) }
  end
  return ids
end

local function all_rows(db, sql)
  local t = {}
  for row in db:rows(sql) do
    t[#t + 1] = row
  end
  return t
end

-- Everything a run writes: the events (every column, ids included), the documents' versions
-- and the run's figures.
local function written(db)
  return {
    events = all_rows(db, "SELECT * FROM events ORDER BY id"),
    doc_runs = all_rows(db, "SELECT * FROM doc_runs ORDER BY doc_id, ruleset_hash"),
    runs = all_rows(db, "SELECT id, ruleset, hash, docs, events FROM runs ORDER BY id"),
  }
end

-- Two stores with the same documents.
local function twins(n)
  local a, b = tmp.store(), tmp.store()
  fill(a, n)
  fill(b, n)
  return a, b
end

describe("dossier.extract with many jobs", function()
  it("stores the rows a one-job run stores, row by row, on a synthetic corpus", function()
    local a, b = twins(150)
    local one = extract(a, ruleset(), { progress = false, jobs = 1 })
    local many = extract(b, ruleset(), { progress = false, jobs = 3, batch = 7 })
    assert.equal(1, one.jobs)
    assert.equal(3, many.jobs)
    assert.equal(150, many.docs)
    assert.is_true(one.events > 150, one.events)
    assert.equal(one.events, many.events)
    assert.equal(one.sentences, many.sentences)
    assert.equal(one.bytes, many.bytes)
    assert.same(written(a), written(b))
    -- attrs given as a table arrive as the same JSON text
    local attrs = b:value("SELECT attrs FROM events WHERE rule = 'arms_purchase' LIMIT 1")
    assert.truthy(attrs:find('"via":"spec"', 1, true), attrs)
    a:close()
    b:close()
  end)

  it("sends the texts to the workers when they cannot read them (in memory, in a transaction)", function()
    local a, b = store.open(":memory:"), store.open(":memory:")
    fill(a, 60)
    fill(b, 60)
    local one = extract(a, ruleset(), { progress = false, jobs = 1 })
    local many = extract(b, ruleset(), { progress = false, jobs = 2, batch = 7 })
    assert.equal(2, many.jobs)
    assert.equal(one.bytes, many.bytes)
    assert.same(written(a), written(b))
    -- a file store, the run inside the caller's transaction
    local c, d = twins(60)
    extract(c, ruleset(), { progress = false, jobs = 1 })
    d:transaction(function() extract(d, ruleset(), { progress = false, jobs = 2, batch = 7 }) end)
    assert.same(written(c), written(d))
    for _, db in ipairs({ a, b, c, d }) do db:close() end
  end)

  it("stores the rows a one-job run stores on the demo corpus with the shipped rules #slow", function()
    local sanctions = require "dossier.rules.sanctions"
    local a, b = tmp.store(), tmp.store()
    assert(a:ingest("examples/corpus/news", { progress = false }))
    assert(b:ingest("examples/corpus/news", { progress = false }))
    local one = extract(a, sanctions, { progress = false, jobs = 1 })
    local many = extract(b, sanctions, { progress = false, jobs = 2, batch = 3 })
    assert.equal(2, many.jobs)
    assert.is_true(one.events > 20, one.events)
    assert.same(written(a), written(b))
    a:close()
    b:close()
  end)

  it("re-runs skip the documents already coded, and re-code a changed rule as one job does", function()
    local a, b = twins(60)
    extract(a, ruleset(), { progress = false, jobs = 1 })
    local first = extract(b, ruleset(), { progress = false, jobs = 2, batch = 5 })
    assert.equal(60, first.docs)
    extract(a, ruleset(), { progress = false, jobs = 1 })
    local again = extract(b, ruleset(), { progress = false, jobs = 2, batch = 5 })
    assert.equal(0, again.docs)
    assert.equal(60, again.skipped)
    -- new documents: only they are coded
    fill(a, 25, 1000)
    fill(b, 25, 1000)
    extract(a, ruleset(), { progress = false, jobs = 1 })
    local more = extract(b, ruleset(), { progress = false, jobs = 2, batch = 5 })
    assert.equal(25, more.docs)
    assert.equal(60, more.skipped)
    -- a changed rule: its events are replaced, the others stay, as with one job. (Event ids
    -- are the next after the largest: with deletes among the inserts they follow the batch
    -- boundaries, whatever the jobs, so both runs use the same batches.)
    local r1 = extract(a, ruleset("launch2"), { progress = false, jobs = 1, batch = 5 })
    local r2 = extract(b, ruleset("launch2"), { progress = false, jobs = 2, batch = 5 })
    assert.equal(r1.docs, r2.docs)
    assert.equal(r1.deleted, r2.deleted)
    assert.is_true(r2.deleted > 0, r2.deleted)
    assert.same(written(a), written(b))
    a:close()
    b:close()
  end)

  it("keeps to where and limit as one job does", function()
    local a, b = twins(60)
    local o = { progress = false, where = "d.lang = 'sr'", limit = 23 }
    o.jobs = 1
    local r1 = extract(a, ruleset(), o)
    o.jobs, o.batch = 2, 4
    local r2 = extract(b, ruleset(), o)
    assert.equal(23, r2.docs)
    assert.equal(2, r2.jobs)
    assert.equal(r1.events, r2.events)
    assert.equal(0, b:value("SELECT count(*) FROM doc_runs JOIN documents ON id = doc_id WHERE lang <> 'sr'"))
    assert.same(written(a), written(b))
    a:close()
    b:close()
  end)

  it("fails the run when a worker dies, storing nothing of its batch", function()
    local parent = sys.pid()
    -- a rule set whose worker kills itself (SIGKILL) on the document that says KILL
    local rs = { name = "killer" }
    function rs.hash() return "killer-1" end
    function rs.rule_hashes() return { r = "1" } end
    function rs.run(_, text)
      if text:find("KILL", 1, true) and sys.pid() ~= parent then
        os.execute("kill -9 " .. sys.pid())
        sys.sleep(10)
      end
      return { { event = { rule = "r", type = "t", start = 0, stop = 1, sent_start = 0, sent_stop = 1 } } }, 1
    end
    local db = tmp.store()
    local ids = fill(db, 20)
    db:exec("UPDATE documents SET text = text || ' KILL' WHERE id = ?", ids[13])
    local ok, err = pcall(extract, db, rs, { progress = false, jobs = 2, batch = 4 })
    assert.is_false(ok)
    assert.truthy(err:find("a worker process ended while coding documents " .. ids[13] .. " to " .. ids[16],
      1, true), err)
    assert.truthy(err:find("killed by signal 9", 1, true), err)
    assert.truthy(err:find("nothing of that batch was stored", 1, true), err)
    -- the batches before it are stored, nothing of its own nor after it
    assert.equal(12, db:value("SELECT count(*) FROM doc_runs"))
    assert.equal(12, db:value("SELECT count(*) FROM events"))
    assert.equal(0, db:value("SELECT count(*) FROM events WHERE doc_id >= ?", ids[13]))
    local run = db:first("SELECT * FROM runs ORDER BY id DESC LIMIT 1")
    assert.equal(12, run.docs)
    assert.is_string(run.finished)
    assert.truthy(run.attrs:find("killed by signal 9", 1, true), run.attrs)
    -- the workers are reaped
    local pid = tonumber(err:match("pid (%d+)"))
    assert.is_false(sys.alive(pid))
    assert.is_true(db:autocommit())
    -- the same documents with one job: all coded
    local r = extract(db, rs, { progress = false, jobs = 1 })
    assert.equal(20 - 12, r.docs)
    db:close()
  end)

  it("names the document whose event function fails, as one job does", function()
    local function boom()
      local rs = ruleset(nil, "boom")
      rs:terms("shells", { "grenade*" })
      rs:rule { name = "grenade", type = "arms_transfer", pattern = "{actor:buyer} .. {buy} {shells}",
        event = function() error("boom") end }
      return rs
    end
    local a, b = twins(30)
    for _, db in ipairs({ a, b }) do -- only document 17 speaks of grenades
      db:exec("UPDATE documents SET text = text || ' Russia bought grenades.' WHERE id = 17")
    end
    local ok1, e1 = pcall(extract, a, boom(), { progress = false, jobs = 1, batch = 4 })
    local ok2, e2 = pcall(extract, b, boom(), { progress = false, jobs = 2, batch = 4 })
    assert.is_false(ok1)
    assert.is_false(ok2)
    assert.equal(e1, e2)
    assert.truthy(e2:find("boom", 1, true), e2)
    assert.truthy(e2:find("document 17", 1, true), e2)
    assert.same(written(a), written(b))
    a:close()
    b:close()
  end)

  it("checks jobs", function()
    local db = tmp.store()
    fill(db, 3)
    assert.error_matches(function() extract(db, ruleset(), { jobs = 0 }) end,
      "dossier.extract: jobs must be a positive integer, got 0", nil, true)
    assert.error_matches(function() extract(db, ruleset(), { jobs = "x" }) end,
      "dossier.extract: jobs must be a positive integer, got 'x'", nil, true)
    assert.error_matches(function() extract(db, ruleset(), { jobs = 1000 }) end,
      "dossier.extract: jobs must be at most 256, got 1000", nil, true)
    assert.equal(0, db:value("SELECT count(*) FROM runs"))
    db:close()
  end)

  it("dossier extract --jobs: runs with N jobs, and names a bad value", function()
    local path = tmp.name()
    tmp.remove_store(path)
    local db = store.open(path)
    fill(db, 40)
    db:close()
    local q = tmp.quote
    local out = tmp.name()
    local function run(args)
      local cmd = ("lua5.4 bin/dossier extract %s %s >%s 2>&1"):format(q(path), args, q(out))
      local _, _, code = os.execute(cmd)
      return code, tmp.read(out)
    end
    for _, bad in ipairs({ "0", "x" }) do
      local code, msg = run("--jobs " .. bad)
      assert.equal(2, code)
      local want = "extract: option '--jobs' needs a positive integer, got '" .. bad .. "'"
      assert.truthy(msg:find(want, 1, true), msg)
    end
    local code, msg = run("--jobs 2 --batch 5")
    assert.equal(0, code, msg)
    assert.truthy(msg:find("coded 40 documents", 1, true), msg)
  end)
end)
