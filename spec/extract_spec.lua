-- Specs for dossier.extract: coding the documents of a store with a rule set,
-- provenance offsets against the original text, incremental re-runs, and a
-- failing event function rolling back its batch.
local store = require "dossier.store"
local text = require "dossier.text"
local lexicon = require "dossier.lexicon"
local extract = require "dossier.extract"
local rules = require "dossier.rules"

-- ---------------------------------------------------------------------------
-- our own small documents: English, Serbian Latin, Serbian Cyrillic

local DOCS = {
  { source = "Wire", lang = "en", published = "2023-03-10",
    text = "North Korea launched a ballistic missile on Tuesday, officials in Seoul said.\n\n"
      .. "Separately, Russia bought thousands of rockets from North Korea last year." },
  { source = "Dnevnik", lang = "sr", published = "2023-04-02T08:30:00+02:00",
    text = "Rusija je kupila rakete od Severne Koreje. Severna Koreja je u petak lansirala raketu." },
  { source = "Политика", lang = "sr", published = "2023-05-20",
    text = "Министарство је саопштило да је Русија купила гранате од Северне Кореје." },
}

local function actors()
  local lex = lexicon.new()
  lex:add("North Korea*", "PRK")
  lex:add("Severn* Korej*", "PRK")
  lex:add("Russia*", "RUS")
  lex:add("Rusij*", "RUS")
  return lex
end

-- The rule set of the specs; `variant` changes one rule or drops one.
local function ruleset(variant, name)
  local rs = rules.new { lang = { "en", "sr" }, name = name or "spec" }
  rs:lexicon("actor", actors())
  rs:terms("buy", { "buy*", "bought", "purchas*", "kupi*", "kupovin*" })
  rs:terms("launch", { "launch*", "lansira*", "ispali*" })
  rs:terms("fire", { "fired", "ispalil*" })
  rs:rule { name = "arms_purchase", type = "arms_transfer",
    pattern = "{actor:buyer} .. {buy} .. {actor:seller}",
    event = function(m)
      return { actor1 = m.seller, actor2 = m.buyer, item = m.buy }
    end }
  if variant == "boom" then
    -- only the Cyrillic document speaks of grenades
    rs:terms("shells", { "granat*", "grenade*" })
    rs:rule { name = "grenade", type = "arms_transfer", pattern = "{actor:buyer} .. {buy} {shells}",
      event = function() error("boom") end }
  end
  if variant ~= "no_launch" then
    rs:rule { name = "launch", type = "ballistic_launch",
      pattern = variant == "launch2" and "{actor:actor1} ..4 {launch}" or "{actor:actor1} .. {launch}" }
  end
  return rs
end

local tmp = dofile("spec/helpers/tmp.lua")
local rm_db = tmp.remove_store
teardown(tmp.clean)

local function new_store()
  local db, path = tmp.store()
  local ids = {}
  for i, d in ipairs(DOCS) do
    ids[i] = db:add_document(d)
  end
  return db, path, ids
end

local function events(db, where, ...)
  local t = {}
  for row in db:rows("SELECT * FROM events " .. (where or "") .. " ORDER BY id", ...) do
    t[#t + 1] = row
  end
  return t
end

local function by_id(list)
  local t = {}
  for _, e in ipairs(list) do
    t[e.id] = e
  end
  return t
end

local function count(db, sql, ...)
  return db:value(sql, ...)
end

-- ---------------------------------------------------------------------------

describe("dossier.extract", function()
  local db, path, ids
  before_each(function()
    db, path, ids = new_store()
  end)
  after_each(function()
    db:close()
    rm_db(path)
  end)

  it("is callable and codes every document, in three scripts, with provenance", function()
    local r = extract(db, ruleset(), { progress = false })
    assert.equal(3, r.docs)
    assert.equal(0, r.skipped)
    assert.equal(0, r.deleted)
    assert.is_true(r.seconds >= 0)
    assert.equal("number", math.type(r.run) and "number")
    local evs = events(db)
    assert.equal(r.events, #evs)
    -- arms purchases in all three documents, launches in the two Latin ones
    local per = {}
    for _, e in ipairs(evs) do
      per[e.rule] = (per[e.rule] or 0) + 1
    end
    assert.same({ arms_purchase = 3, launch = 2 }, per)
    for _, e in ipairs(evs) do
      assert.equal(r.run, e.run_id)
      local doc = db:first("SELECT text, lang FROM documents WHERE id = ?", e.doc_id)
      local s = doc.text
      -- spans inside the text, the match inside its sentence, and the
      -- sentence one of dossier.text's sentences of the original text
      assert.is_true(1 <= e.sent_start and e.sent_start <= e.start and e.start <= e.stop
        and e.stop <= e.sent_stop and e.sent_stop <= #s)
      local found = false
      for a, b in text.sentences(s, doc.lang) do
        if a == e.sent_start and b == e.sent_stop then
          found = true
        end
      end
      assert.is_true(found, "sentence span is a sentence of the text")
      local span = text.fold(s:sub(e.start, e.stop))
      if e.rule == "arms_purchase" then
        assert.equal("arms_transfer", e.type)
        assert.equal("PRK", e.actor1)
        assert.equal("RUS", e.actor2)
        -- the match starts on the buyer and ends on the seller, in the original bytes
        assert.truthy(span:find("^rus"), span)
        assert.truthy(span:find("kore[a-z]*$"), span)
      else
        assert.equal("ballistic_launch", e.type)
        assert.equal("PRK", e.actor1)
        assert.truthy(span:find("^[ns][oe][rv]"), span)
        assert.truthy(span:find("la[nu][a-z]*$"), span)
      end
      assert.equal(0, e.negated)
      assert.is_string(e.modality)
    end
    -- the run is recorded
    local run = db:first("SELECT * FROM runs WHERE id = ?", r.run)
    assert.equal("spec", run.ruleset)
    assert.equal(ruleset():hash(), run.hash)
    assert.equal(3, run.docs)
    assert.equal(#evs, run.events)
    assert.is_string(run.finished)
    assert.equal(3, count(db, "SELECT count(*) FROM doc_runs WHERE run_id = ?", r.run))
  end)

  it("takes require's second result as no options, and refuses other strings", function()
    -- dossier.extract(db, require "x") passes the module's file name as a third argument
    local r = extract(db, ruleset(), "/usr/share/lua/5.4/dossier/rules/sanctions.lua")
    assert.equal(3, r.docs)
    assert.error_matches(function() extract(db, ruleset(), "fast") end, "options must be a table")
  end)

  it("passes each document's language and publication day to the scan", function()
    local rs = ruleset()
    -- a document with only a year, and one in a language the rules do not know
    local de = "Nordkorea hat eine Rakete gestartet. North Korea launched a missile."
    local extra = db:add_document { source = "Wire", lang = "de", published = "2023", text = de }
    local seen = {}
    local function record(s, ctx)
      seen[#seen + 1] = { lang = ctx.lang, published = ctx.published, doc_id = ctx.doc_id, len = #s }
    end
    -- through scan (any rule set) and through run (dossier.rules, with sentence counts)
    local via_scan = { name = "scan", hash = function() return rs:hash() end,
      rule_hashes = function() return rs:rule_hashes() end,
      scan = function(_, s, ctx) record(s, ctx) return rs:scan(s, ctx) end }
    local via_run = setmetatable({ name = "run", run_many = false,
      run = function(_, s, ctx) record(s, ctx) return rs:run(s, ctx) end }, { __index = rs })
    -- and through run_many (dossier.rules: a batch of documents in one call)
    local via_many = setmetatable({ name = "many",
      run_many = function(_, texts, ctxs, lean)
        for k = 1, #texts do record(texts[k], ctxs[k]) end
        return rs:run_many(texts, ctxs, lean)
      end }, { __index = rs })
    local expect = {
      { lang = "en", published = "2023-03-10", doc_id = ids[1], len = #DOCS[1].text },
      { lang = "sr", published = "2023-04-02", doc_id = ids[2], len = #DOCS[2].text },
      { lang = "sr", published = "2023-05-20", doc_id = ids[3], len = #DOCS[3].text },
      { doc_id = extra, len = #de }, -- unknown language: every language's rules
    }
    local a = extract(db, via_scan, { progress = false })
    assert.same(expect, seen)
    assert.equal(0, a.sentences)
    seen = {}
    local b = extract(db, via_run, { progress = false })
    assert.same(expect, seen)
    assert.equal(a.events, b.events)
    seen = {}
    local c = extract(db, via_many, { progress = false })
    assert.same(expect, seen)
    assert.equal(a.events, c.events)
    assert.equal(b.sentences, c.sentences)
    -- a run whose matches do not name their document: extract knows it
    local anon = setmetatable({ name = "anon", run_many = false,
      run = function(_, s, ctx)
        local ms, nsent = rs:run(s, ctx)
        for _, m in ipairs(ms) do m.doc_id = nil end
        return ms, nsent
      end }, { __index = rs })
    local e = extract(db, anon, { progress = false })
    assert.equal(a.events, e.events)
    assert.equal(0, count(db, "SELECT count(*) FROM events e JOIN runs r ON r.id = e.run_id "
      .. "WHERE r.ruleset = 'anon' AND e.doc_id NOT IN (SELECT id FROM documents)"))
    assert.equal(6, a.events) -- and the launch in the German document's English sentence
    local n = 0
    for _, d in ipairs(DOCS) do
      for _ in text.sentences(d.text, d.lang) do
        n = n + 1
      end
    end
    assert.equal(n + 2, b.sentences)
  end)

  it("re-codes nothing when nothing changed", function()
    local r1 = extract(db, ruleset(), { progress = false })
    local before = events(db)
    local r2 = extract(db, ruleset(), { progress = false })
    assert.equal(0, r2.docs)
    assert.equal(0, r2.events)
    assert.equal(0, r2.deleted)
    assert.equal(3, r2.skipped)
    assert.same(before, events(db))
    assert.is_true(r2.run > r1.run)
  end)

  it("re-codes only the rule that changed", function()
    extract(db, ruleset(), { progress = false })
    local arms = events(db, "WHERE rule = 'arms_purchase'")
    local launches = events(db, "WHERE rule = 'launch'")
    local rs2 = ruleset("launch2")
    assert.equal(ruleset():rule_hashes().arms_purchase, rs2:rule_hashes().arms_purchase)
    assert.are_not.equal(ruleset():rule_hashes().launch, rs2:rule_hashes().launch)
    local r = extract(db, rs2, { progress = false })
    assert.equal(#launches, r.deleted)
    assert.equal(#launches, r.events)
    -- arms events untouched (same ids, same run), launches new rows
    assert.same(arms, events(db, "WHERE rule = 'arms_purchase'"))
    local new = events(db, "WHERE rule = 'launch'")
    assert.equal(#launches, #new)
    for _, e in ipairs(new) do
      assert.equal(r.run, e.run_id)
      assert.is_nil(by_id(launches)[e.id])
    end
    -- and running the new version again does nothing
    local again = extract(db, rs2, { progress = false })
    assert.equal(0, again.docs)
    assert.equal(0, again.events)
  end)

  it("deletes the events of a removed rule and keeps the others", function()
    extract(db, ruleset(), { progress = false })
    local arms = events(db, "WHERE rule = 'arms_purchase'")
    local r = extract(db, ruleset("no_launch"), { progress = false })
    assert.equal(2, r.deleted)
    assert.equal(0, r.events)
    assert.same(arms, events(db))
    -- going back re-codes the launches only
    local back = extract(db, ruleset(), { progress = false })
    assert.equal(0, back.deleted)
    assert.equal(2, back.events)
    assert.same(arms, events(db, "WHERE rule = 'arms_purchase'"))
  end)

  it("scans, in one batch, the documents that need it and leaves the others out", function()
    -- the second document is coded first; then a rule goes: the first document (never
    -- coded) is scanned with every rule, the second only loses the removed rule's events,
    -- the third (never coded) is scanned too; all three in one batch
    extract(db, ruleset(), { progress = false, where = "d.id = " .. ids[2] })
    local before = events(db, "WHERE doc_id = ? AND rule = 'arms_purchase'", ids[2])
    assert.equal(1, #before)
    local r = extract(db, ruleset("no_launch"), { progress = false })
    assert.equal(3, r.docs)
    assert.equal(1, r.deleted) -- the second document's launch
    assert.same(before, events(db, "WHERE doc_id = ?", ids[2]))
    local fresh = ruleset("no_launch")
    local want = 0
    for _, k in ipairs { 1, 3 } do
      local ms = fresh:run(DOCS[k].text, { lang = DOCS[k].lang })
      want = want + #ms
      assert.equal(#ms, count(db, "SELECT count(*) FROM events WHERE doc_id = ?", ids[k]))
    end
    assert.equal(want, r.events)
    assert.is_true(want >= 2)
    -- the bytes scanned are those of the first and third documents
    assert.equal(#DOCS[1].text + #DOCS[3].text, r.bytes)
  end)

  it("drops the query indexes of events for a large run and builds them again", function()
    local function query_indexes()
      return count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
        .. "('events_type', 'events_actor1', 'events_actor2', 'events_date')")
    end
    local function rows(run)
      local t = {}
      for row in db:rows("SELECT doc_id, rule, type, actor1, actor2, item, date, modality, negated, "
        .. "start, stop FROM events WHERE run_id = ? ORDER BY doc_id, start, rule", run) do
        t[#t + 1] = row
      end
      return t
    end
    -- by default: a run expected to add enough events (BULK_MIN, and as many as the store
    -- holds) drops them after its first batch; a small one keeps them up to date
    local min = extract.BULK_MIN
    extract.BULK_MIN = 1
    local ok, d = pcall(extract, db, ruleset(nil, "d"), { progress = false, batch = 1 })
    extract.BULK_MIN = min
    assert(ok, d)
    assert.is_true(d.bulk)
    assert.equal(4, query_indexes())
    local c = extract(db, ruleset(nil, "c"), { progress = false })
    assert.is_false(c.bulk)
    -- the same events either way
    local a = extract(db, ruleset(nil, "a"), { progress = false, bulk = false })
    assert.is_false(a.bulk)
    local b = extract(db, ruleset(nil, "b"), { progress = false, bulk = true })
    assert.is_true(b.bulk)
    assert.equal(4, query_indexes())
    assert.is_true(#rows(a.run) >= 3)
    assert.same(rows(a.run), rows(b.run))
    assert.same(rows(a.run), rows(c.run))
    assert.same(rows(a.run), rows(d.run))
    -- a run that fails half way builds them again too
    assert.has_error(function()
      extract(db, ruleset("boom", "e"), { progress = false, bulk = true, batch = 1 })
    end)
    assert.equal(4, query_indexes())
  end)

  it("stores many events of a batch as one at a time would, in order", function()
    -- 40 documents, one or two events each: more than one multi-row insert (32 rows) and a
    -- rest, with empty (NULL) columns among the values
    for i = 1, 40 do
      db:add_document { source = "Gen", lang = "en", text = ("Report %d. Russia bought %d rockets from "
        .. "North Korea.%s"):format(i, i, i % 3 == 0 and " North Korea launched a missile." or "") }
    end
    local function rows(run)
      local t = {}
      for row in db:rows("SELECT doc_id, rule, type, actor1, actor2, item, qty, unit, date, modality, "
        .. "negated, start, stop, sent_start, sent_stop, attrs FROM events WHERE run_id = ? ORDER BY id",
        run) do
        t[#t + 1] = row
      end
      return t
    end
    local many = extract(db, ruleset(nil, "many"), { progress = false })
    local one = extract(db, ruleset(nil, "one"), { progress = false, batch = 1 })
    assert.equal(43, many.docs)
    assert.is_true(many.events > 50, many.events)
    assert.equal(many.events, one.events)
    assert.equal(many.events, count(db, "SELECT count(*) FROM events WHERE run_id = ?", many.run))
    assert.same(rows(one.run), rows(many.run))
  end)

  it("checks no foreign keys while a first run only adds rows, and turns them back on", function()
    local seen = {}
    local function probing(name, variant)
      local rs = ruleset(variant, name)
      rs:rule { name = "probe", type = "probe", pattern = "{actor:actor1} .. {launch}",
        event = function(m)
          seen[#seen + 1] = db:value("PRAGMA foreign_keys")
          return { actor1 = m.actor1 }
        end }
      return rs
    end
    local r = extract(db, probing("fk"), { progress = false })
    assert.is_true(r.events >= 3)
    assert.same({ 0, 0 }, seen) -- the two launches
    assert.equal(1, db:value("PRAGMA foreign_keys"))
    assert.is_nil(db:first("PRAGMA foreign_key_check")) -- every reference holds
    -- a re-run deletes events (claims cascade from them): the checks stay
    seen = {}
    extract(db, probing("fk"), { progress = false, force = true })
    assert.same({ 1, 1 }, seen)
    -- so they do inside a caller's transaction (SQLite ignores the pragma there)
    seen = {}
    db:transaction(function()
      extract(db, probing("fk2"), { progress = false })
    end)
    assert.same({ 1, 1 }, seen)
    -- a first run that fails turns them back on too
    assert.has_error(function()
      extract(db, probing("fk3", "boom"), { progress = false })
    end)
    assert.equal(1, db:value("PRAGMA foreign_keys"))
    -- and a connection that had them off keeps them off
    db:exec("PRAGMA foreign_keys = OFF")
    extract(db, probing("fk4"), { progress = false })
    assert.equal(0, db:value("PRAGMA foreign_keys"))
  end)

  it("checks the references an event function wrote itself while the checks were off", function()
    local rs = ruleset(nil, "writer")
    rs:rule { name = "dangling", type = "probe", pattern = "{actor:actor1} .. {launch}",
      event = function(m)
        -- a row referring to a document that does not exist, through extract's own connection
        db:exec("INSERT OR IGNORE INTO doc_runs (doc_id, ruleset_hash, run_id) VALUES (999999, 'x', NULL)")
        return { actor1 = m.actor1 }
      end }
    -- before: stored with the checks off, the dangling row stayed
    assert.error_matches(function() extract(db, rs, { progress = false }) end,
      "a rule's event function wrote a row that breaks a foreign key %(table doc_runs")
    assert.is_nil(db:first("PRAGMA foreign_key_check"))
    assert.equal(0, count(db, "SELECT count(*) FROM doc_runs WHERE doc_id = 999999"))
    assert.equal(1, db:value("PRAGMA foreign_keys"))
  end)

  it("takes where as one condition: no way out of its parentheses", function()
    for _, w in ipairs({ "1) OR (1", "d.id = 1; DELETE FROM events", "d.id = 1 -- x", "d.id = 1 /* x */",
      "(d.id = 1", "d.title = 'it''s", "d.title = \"x" }) do
      assert.error_matches(function() extract(db, ruleset(), { progress = false, where = w }) end,
        "where must be one SQL condition", nil, w)
    end
    assert.equal(0, count(db, "SELECT count(*) FROM runs")) -- nothing was written
    -- literals and quoted names may hold any of these characters
    local r = extract(db, ruleset(), { progress = false,
      where = "d.lang IN ('en', ')--;(', 'x''y') AND \"d\".\"id\" > 0 AND [d].[text] <> '/*'" })
    assert.equal(1, r.docs)
  end)

  it("marks a run whose process was killed as interrupted, on the next run", function()
    local child = os.tmpname()
    local f = assert(io.open(child, "w"))
    f:write(([[
      package.path, package.cpath = %q, %q
      local db = require("dossier.store").open(%q)
      require("dossier.extract")(db, { name = "killed", hash = function() return "h" end,
        rule_hashes = function() return { r = "1" } end,
        scan = function() os.exit(9, false) end }, { progress = false })
    ]]):format(package.path, package.cpath, path))
    f:close()
    local _, _, code = os.execute("lua5.4 " .. child)
    os.remove(child)
    assert.equal(9, code)
    local runs = extract.runs(db, "killed")
    assert.equal(1, #runs)
    assert.is_nil(runs[1].finished)
    assert.is_true(runs[1].interrupted) -- said without writing
    assert.is_nil(db:first("SELECT 1 FROM runs WHERE finished IS NOT NULL AND ruleset = 'killed'"))
    extract(db, ruleset(), { progress = false })
    local after = extract.runs(db, "killed")[1]
    assert.is_string(after.finished)
    assert.is_nil(after.interrupted)
    assert.matches('"error":"interrupted: its process ended before the run finished"', after.attrs, 1, true)
    -- a run still going (this process) is left alone
    db:exec("INSERT INTO runs (ruleset, hash, attrs) VALUES ('live', 'h', json_object('pid', ?, 'host', ?))",
      require("dossier.sys").pid(), require("dossier.sys").host())
    assert.same({}, extract.mark_stale(db))
    assert.is_nil(extract.runs(db, "live")[1].interrupted)
  end)

  it("stops when another connection deletes its run", function()
    local other = store.open(path)
    local sink = { write = function()
      other:exec("DELETE FROM runs WHERE ruleset = 'spec'")
    end }
    local ok, err = pcall(extract, db, ruleset(), { batch = 1, progress = sink })
    other:close()
    assert.is_false(ok)
    assert.truthy(err:find("dossier.extract: run %d+ was deleted by another connection"), err)
    -- what the first batch wrote went with the run (its doc_runs rows stay, run_id NULL)
    assert.equal(0, count(db, "SELECT count(*) FROM events"))
    assert.equal(0, count(db, "SELECT count(*) FROM runs"))
  end)

  it("codes only new documents with every rule", function()
    extract(db, ruleset(), { progress = false })
    local n = count(db, "SELECT count(*) FROM events")
    local id = db:add_document { source = "Wire", lang = "en", text = "Russia will buy drones from Iran "
      .. "and missiles from North Korea, a report said." }
    local r = extract(db, ruleset(), { progress = false })
    assert.equal(1, r.docs)
    assert.equal(3, r.skipped)
    assert.equal(0, r.deleted)
    assert.is_true(r.events >= 1)
    assert.equal(n + r.events, count(db, "SELECT count(*) FROM events"))
    assert.equal(r.events, count(db, "SELECT count(*) FROM events WHERE doc_id = ?", id))
  end)

  it("codes each document once when some after it were coded before, batch by batch", function()
    -- what one run over the three documents stores, per document
    local want = {}
    do
      local db2, path2, ids2 = new_store()
      extract(db2, ruleset(), { progress = false })
      for i, id in ipairs(ids2) do
        want[i] = count(db2, "SELECT count(*) FROM events WHERE doc_id = ?", id)
      end
      db2:close()
      rm_db(path2)
    end
    assert.is_true(want[3] > 0)
    -- the last document first, then all, one document per batch: the third is skipped,
    -- not coded again, though no document before it had been coded
    local r1 = extract(db, ruleset(), { progress = false, where = "d.id = " .. ids[3] })
    assert.equal(1, r1.docs)
    local r2 = extract(db, ruleset(), { progress = false, batch = 1 })
    assert.equal(2, r2.docs)
    assert.equal(1, r2.skipped)
    for i, id in ipairs(ids) do
      assert.equal(want[i], count(db, "SELECT count(*) FROM events WHERE doc_id = ?", id))
      assert.equal(1, count(db, "SELECT count(*) FROM doc_runs WHERE doc_id = ?", id))
    end
    -- documents added later: the first batch skips the coded ones, the next finds none after
    local added = {}
    for k = 1, 3 do
      added[k] = db:add_document { source = "Gen", lang = "en",
        text = ("Dispatch %d. Russia bought rockets from North Korea."):format(k) }
    end
    local r3 = extract(db, ruleset(), { progress = false, batch = 1 })
    assert.equal(3, r3.docs)
    assert.equal(3, r3.skipped)
    for _, id in ipairs(added) do
      assert.equal(1, count(db, "SELECT count(*) FROM events WHERE doc_id = ? AND run_id = ?", id, r3.run))
      assert.equal(1, count(db, "SELECT count(*) FROM doc_runs WHERE doc_id = ?", id))
    end
    assert.equal(0, count(db, "SELECT count(*) FROM events WHERE doc_id <= ? AND run_id = ?", ids[3],
      r3.run))
    assert.equal(0, extract(db, ruleset(), { progress = false }).docs)
  end)

  it("leaves one version per document and rule set, should the store hold two", function()
    extract(db, ruleset(), { progress = false })
    local key = db:value("SELECT key FROM rulesets WHERE ruleset = 'spec'")
    -- a second version of the name, written by hand, for the first document
    local stray = ("0"):rep(32)
    db:exec("INSERT INTO rulesets (key, ruleset, hash) VALUES (?, 'spec', 'stray')", stray)
    db:exec("INSERT INTO doc_runs (doc_id, ruleset_hash) VALUES (?, ?)", ids[1], stray)
    local r = extract(db, ruleset(), { progress = false, force = true })
    assert.equal(3, r.docs)
    for _, id in ipairs(ids) do
      assert.equal(1, count(db, "SELECT count(*) FROM doc_runs WHERE doc_id = ?", id))
      assert.equal(key, db:value("SELECT ruleset_hash FROM doc_runs WHERE doc_id = ?", id))
    end
    -- and when the other version is the current one's predecessor
    db:exec("INSERT INTO doc_runs (doc_id, ruleset_hash) VALUES (?, ?)", ids[2], stray)
    local r2 = extract(db, ruleset("launch2"), { progress = false })
    assert.equal(3, r2.docs)
    local key2 = db:value("SELECT key FROM rulesets WHERE ruleset = 'spec' AND key NOT IN (?, ?)", key, stray)
    for _, id in ipairs(ids) do
      assert.equal(key2, db:value("SELECT group_concat(ruleset_hash) FROM doc_runs WHERE doc_id = ?", id))
    end
  end)

  it("re-codes everything with force", function()
    local r1 = extract(db, ruleset(), { progress = false })
    local r = extract(db, ruleset(), { progress = false, force = true })
    assert.equal(3, r.docs)
    assert.equal(0, r.skipped)
    assert.equal(r1.events, r.deleted)
    assert.equal(r1.events, r.events)
    assert.equal(r1.events, count(db, "SELECT count(*) FROM events WHERE run_id = ?", r.run))
    assert.equal(r1.events, count(db, "SELECT count(*) FROM events"))
  end)

  it("keeps rule sets of different names apart", function()
    local a = extract(db, ruleset(nil, "one"), { progress = false })
    local b = extract(db, ruleset(nil, "two"), { progress = false })
    assert.equal(3, b.docs)
    assert.equal(0, b.deleted)
    assert.equal(a.events + b.events, count(db, "SELECT count(*) FROM events"))
    local c = extract(db, ruleset("no_launch", "two"), { progress = false })
    assert.equal(2, c.deleted)
    assert.equal(a.events, count(db, "SELECT count(*) FROM events WHERE run_id = ?", a.run))
  end)

  it("works in several batches and draws progress to a handle", function()
    for i = 1, 7 do
      db:add_document { source = "Gen", lang = "en",
        text = ("Report %d. Russia bought %d rockets from North Korea."):format(i, i * 10) }
    end
    local out = {}
    local sink = { write = function(_, ...)
      for _, s in ipairs({ ... }) do
        out[#out + 1] = s
      end
    end }
    local r = extract(db, ruleset(), { batch = 2, progress = sink })
    assert.equal(10, r.docs)
    assert.equal(10, count(db, "SELECT count(*) FROM doc_runs"))
    local bar = table.concat(out)
    assert.truthy(bar:find("10/10 docs", 1, true), bar)
    assert.truthy(bar:find("\n$"), "the bar ends its line")
  end)

  it("honours limit and where", function()
    local r = extract(db, ruleset(), { progress = false, limit = 1 })
    assert.equal(1, r.docs)
    assert.equal(0, r.skipped) -- the two left over were not coded before
    local r2 = extract(db, ruleset(), { progress = false, where = "d.lang = 'sr'" })
    assert.equal(2, r2.docs)
    assert.equal(0, r2.skipped) -- only documents that match where count
    assert.equal(1, count(db, "SELECT count(*) FROM doc_runs WHERE doc_id = ?", ids[1]))
    local r3 = extract(db, ruleset(), { progress = false })
    assert.equal(0, r3.docs)
    assert.equal(3, r3.skipped)
  end)

  it("refuses junk in an event's columns, naming the rule and the column, and stores none of it", function()
    for col, v in pairs { start = "x", date = 12, modality = "bogus", negated = "yes", qty = "many",
      actor1 = {}, sent_stop = -1 } do
      local rs = rules.new { lang = { "en", "sr" }, name = "junk" }
      rs:lexicon("actor", actors())
      rs:terms("buy", { "buy*", "bought", "kupi*" })
      rs:rule { name = "bad_" .. col, type = "arms_transfer", pattern = "{actor:buyer} .. {buy}",
        event = function() return { [col] = v } end }
      local ok, err = pcall(extract, db, rs, { progress = false })
      assert.is_false(ok, col)
      assert.truthy(err:find("rule 'bad_" .. col .. "'", 1, true), err)
      assert.truthy(err:find("column '" .. col .. "'", 1, true), err)
      assert.equal(0, count(db, "SELECT count(*) FROM events"))
    end
  end)

  it("rolls back the batch when an event function fails, naming rule and document", function()
    local ok, err = pcall(extract, db, ruleset("boom"), { progress = false, batch = 1 })
    assert.is_false(ok)
    assert.truthy(err:find("document " .. ids[3], 1, true), err)
    assert.truthy(err:find("boom", 1, true), err)
    assert.truthy(err:find("grenade", 1, true), err)
    -- the first two documents' batches are committed, the third left nothing
    assert.equal(0, count(db, "SELECT count(*) FROM events WHERE doc_id = ?", ids[3]))
    assert.equal(0, count(db, "SELECT count(*) FROM doc_runs WHERE doc_id = ?", ids[3]))
    assert.equal(2, count(db, "SELECT count(*) FROM doc_runs"))
    local run = db:first("SELECT * FROM runs ORDER BY id DESC LIMIT 1")
    assert.equal(2, run.docs)
    assert.is_string(run.finished)
    assert.truthy(run.attrs:find("boom", 1, true))
    assert.is_true(db:autocommit())
    -- the store is usable and the next run codes what is missing
    local r = extract(db, ruleset(), { progress = false })
    assert.equal(3, r.docs) -- another version: the two coded ones are re-checked too
    assert.equal(1, count(db, "SELECT count(*) FROM events WHERE doc_id = ?", ids[3]))
  end)

  it("names the failing document of a batch coded in one call, and rolls the batch back", function()
    -- the three documents are one batch: run_many codes them together, then one by one to
    -- find the document that fails
    local ok, err = pcall(extract, db, ruleset("boom"), { progress = false })
    assert.is_false(ok)
    assert.truthy(err:find("document " .. ids[3], 1, true), err)
    assert.truthy(err:find("boom", 1, true), err)
    assert.equal(0, count(db, "SELECT count(*) FROM events"))
    assert.equal(0, count(db, "SELECT count(*) FROM doc_runs"))
    assert.is_true(db:autocommit())
    local r = extract(db, ruleset(), { progress = false })
    assert.equal(3, r.docs)
  end)

  it("migrates a version 1 store and codes it", function()
    extract(db, ruleset(), { progress = false })
    -- back to what a version 1 store looks like: its tables only (later
    -- versions' tables dropped), no coding state
    local V1 = { sources = true, documents = true, runs = true, doc_runs = true, events = true,
      claims = true }
    local drop = {}
    for name in db:urows("SELECT name FROM sqlite_master WHERE type = 'table' "
      .. "AND name NOT LIKE 'documents_fts%'") do
      if not V1[name] then
        drop[#drop + 1] = name
      end
    end
    assert.truthy(#drop >= 2)
    db:exec("PRAGMA foreign_keys = OFF")
    for _, name in ipairs(drop) do
      db:exec("DROP TABLE " .. name)
    end
    db:exec("DELETE FROM doc_runs; DELETE FROM events; DELETE FROM runs; PRAGMA user_version = 1")
    db:close()
    db = store.open(path)
    assert.equal(store.SCHEMA_VERSION, db:value("PRAGMA user_version"))
    assert.equal(0, count(db, "SELECT count(*) FROM rulesets"))
    local r = extract(db, ruleset(), { progress = false })
    assert.equal(3, r.docs)
    assert.equal(5, r.events)
    assert.equal(2, count(db, "SELECT count(*) FROM ruleset_rules"))
  end)

  it("ends a batch on bytes too", function()
    -- one byte per batch: each document is a batch of its own, so the two
    -- before the failing one are committed
    local ok = pcall(extract, db, ruleset("boom"), { progress = false, batch_bytes = 1 })
    assert.is_false(ok)
    assert.equal(2, count(db, "SELECT count(*) FROM doc_runs"))
    -- with the default, all three are one batch and nothing is left
    db:exec("DELETE FROM doc_runs; DELETE FROM events")
    assert.is_false((pcall(extract, db, ruleset("boom"), { progress = false })))
    assert.equal(0, count(db, "SELECT count(*) FROM doc_runs"))
    assert.equal(0, count(db, "SELECT count(*) FROM events"))
  end)

  it("rejects wrong arguments", function()
    assert.has_error(function() extract(nil, ruleset()) end,
      "dossier.extract: expects a store (from dossier.open) as first argument")
    assert.error_matches(function() extract(db, {}) end, "the rule set has no 'scan' method")
    assert.error_matches(function() extract(db, 42) end, "expects a rule set")
    assert.error_matches(function() extract(db, ruleset(), { batch = 0 }) end, "batch must be")
    assert.error_matches(function() extract(db, ruleset(), { where = 3 }) end, "where must be")
    assert.error_matches(function() extract(db, ruleset(), { batch_bytes = 0 }) end, "batch_bytes must be")
    assert.error_matches(function() extract(db, ruleset(), { limit = -1 }) end, "limit must be")
    assert.error_matches(function() extract(db, ruleset(), { bulk = "yes" }) end, "bulk must be a boolean")
    assert.has_error(function() extract(db, ruleset(), { where = "d.nope = 1" }) end,
      "dossier.store: no such column: d.nope (SQLITE_ERROR, 1)")
    assert.equal(0, count(db, "SELECT count(*) FROM runs")) -- nothing was written
  end)

  it("refuses a read-only store", function()
    local ro = store.open(path, { readonly = true })
    assert.error_matches(function() extract(ro, ruleset()) end, "read%-only")
    ro:close()
  end)
end)
