--- dossier.extract: code the documents of a store into events with a rule set.
--
-- `extract(db, rs [, opts])` streams the documents a rule set has not coded
-- yet through `rs:scan` and stores one `events` row per match, with its rule,
-- byte spans, modality, negation and the run that produced it. Each document
-- remembers the rule set version it was coded with (`doc_runs`, keyed by the
-- rule set's name and content hash, and `ruleset_rules`, the hash of each of
-- its rules), so a re-run after a rule change re-codes only the rules whose
-- hash changed:
--
--    local extract = require "dossier.extract"
--    local r = extract(db, rs)        -- {docs=, events=, skipped=, deleted=, seconds=, run=}
--    extract(db, rs, { force = true }) -- everything again
--
-- @module dossier.extract
local core = require "dossier.core"
local store = require "dossier.store"
local progress = require "dossier.progress"
local rules_mod = require "dossier.rules"
local sys = require "dossier.sys"

local M = {}

--- Events a run must be expected to add before it drops and rebuilds the query indexes of
-- `events` (see `extract`'s `opts.bulk`).
M.BULK_MIN = 5000

-- Columns of `events` that an event table may fill (doc_id and run_id are ours).
local COLUMNS = { "rule", "type", "actor1", "actor2", "item", "qty", "unit", "date", "modality",
  "negated", "start", "stop", "sent_start", "sent_stop", "attrs" }
local IS_COLUMN = {}
for _, c in ipairs(COLUMNS) do
  IS_COLUMN[c] = true
end
IS_COLUMN.doc_id, IS_COLUMN.run_id, IS_COLUMN.id = true, true, true

-- Events are stored ROWS to a statement: SQLite opens its cursors, looks up the
-- foreign keys' tables and finishes a statement once per ROWS events, not per event
-- (measured: a third less time per event). 32 x 17 values stay under SQLite's oldest
-- default limit of 999 parameters. OR FAIL: a row that breaks a constraint ends the
-- statement without undoing the rows before it (the batch's transaction is rolled back
-- then anyway), so SQLite keeps no statement journal for it.
local NCOL, ROWS = 17, 32
local INSERT_INTO = [[
INSERT OR FAIL INTO events (doc_id, run_id, rule, type, actor1, actor2, item, qty, unit, date,
  modality, negated, start, stop, sent_start, sent_stop, attrs)
VALUES ]]
local ROW = "(" .. ("?, "):rep(NCOL - 1) .. "?)"
local INSERT_EVENT = INSERT_INTO .. ROW
local INSERT_ROWS = INSERT_INTO .. (ROW .. ", "):rep(ROWS - 1) .. ROW

-- Documents still to code after id `after`, with the version of this rule set
-- (by name) each one was coded with, if any.
local PENDING = [[
SELECT d.id, d.lang, d.published, d.text,
  (SELECT dr.ruleset_hash FROM doc_runs AS dr JOIN rulesets AS r ON r.key = dr.ruleset_hash
   WHERE dr.doc_id = d.id AND r.ruleset = :name LIMIT 1) AS prev
FROM documents AS d
WHERE d.id > :after AND (:force OR NOT EXISTS
  (SELECT 1 FROM doc_runs AS x WHERE x.doc_id = d.id AND x.ruleset_hash = :key))%s
ORDER BY d.id
LIMIT :limit]]

-- The same rows when no document after `after` has been coded by any rule set (a first
-- run, or documents added since the last run): then none has a version or is coded by this
-- one, and the two lookups in doc_runs per document (3-4 % of a first run) are left out.
local FRESH = [[
SELECT d.id, d.lang, d.published, d.text, NULL AS prev
FROM documents AS d
WHERE d.id > :after%s
ORDER BY d.id
LIMIT :limit]]
local NONE_CODED_AFTER = "SELECT NOT EXISTS (SELECT 1 FROM doc_runs WHERE doc_id > ?)"

local COUNT_PENDING = [[
SELECT count(*) FROM documents AS d
WHERE (:force OR NOT EXISTS
  (SELECT 1 FROM doc_runs AS x WHERE x.doc_id = d.id AND x.ruleset_hash = :key))%s]]

-- Events of one document produced by any run of a rule set (by name).
local DELETE_DOC_EVENTS = [[
DELETE FROM events WHERE doc_id = ? AND run_id IN (SELECT id FROM runs WHERE ruleset = ?)]]
local DELETE_RULE_EVENTS = [[
DELETE FROM events WHERE doc_id = ? AND rule = ? AND run_id IN (SELECT id FROM runs WHERE ruleset = ?)]]
local DELETE_DOC_STATE = [[
DELETE FROM doc_runs WHERE doc_id = ? AND ruleset_hash IN (SELECT key FROM rulesets WHERE ruleset = ?)]]

-- The values an event's columns may hold: what a rule's event function returns is checked
-- before it is stored, so that junk ("start = 'x'", "modality = 'bogus'") fails here, naming
-- the rule and the column, and not later in a report.
local MODALITIES = { asserted = true, planned = true, hedged = true, denied = true, historic = true }
local function int(v) return math.type(v) == "integer" and v >= 0 end
local function str(v) return v == nil or type(v) == "string" end
local function bad_column(typ, a1, a2, item, q, unit, date, modality, negated, s, e, ss, se, attrs)
  if type(typ) ~= "string" or typ == "" then return "type", typ end
  if not str(a1) then return "actor1", a1 end
  if not str(a2) then return "actor2", a2 end
  if not str(item) then return "item", item end
  if q ~= nil and (type(q) ~= "number" or q ~= q) then return "qty", q end
  if not str(unit) then return "unit", unit end
  if date ~= nil and (type(date) ~= "string" or not date:match("^%d%d%d%d[%d%-W]*$")) then
    return "date", date
  end
  if modality ~= nil and not MODALITIES[modality] then return "modality", modality end
  if type(negated) ~= "boolean" then return "negated", negated end
  if not int(s) then return "start", s end
  if not int(e) then return "stop", e end
  if not int(ss) then return "sent_start", ss end
  if not int(se) then return "sent_stop", se end
  if attrs ~= nil and type(attrs) ~= "table" and type(attrs) ~= "string" then return "attrs", attrs end
  return nil
end

local function check_event(rule, ...)
  local col, v = bad_column(...)
  if col then
    error(("dossier.extract: rule '%s': event column '%s' cannot be %s %s"):format(tostring(rule), col,
      type(v), type(v) == "string" and ("'" .. v .. "'") or tostring(v)), 0)
  end
end

-- Raises at the caller of the function that calls fail (level 2 = that function's caller).
local function fail(msg, level)
  error(msg, (level or 2) + 1)
end

-- Error values from rule code, as one line.
local function message(e)
  if type(e) == "table" and e.message then
    e = e.message
  end
  return tostring(e)
end

-- The rule set's interface, checked once so a wrong object fails up front.
local function check_ruleset(rs)
  if type(rs) ~= "table" and type(rs) ~= "userdata" then
    fail("dossier.extract: expects a rule set (from dossier.rules.new or dossier.rules.load), got "
      .. type(rs), 3)
  end
  local function method(m)
    local ok, f = pcall(function() return rs[m] end)
    return ok and type(f) == "function"
  end
  for _, m in ipairs({ "scan", "hash", "rule_hashes" }) do
    if not method(m) and not (m == "scan" and method("run")) then
      fail("dossier.extract: the rule set has no '" .. m .. "' method", 3)
    end
  end
end

--- The identity of a rule set version in the store: a hash of its name and
-- content hash (what `doc_runs.ruleset_hash` and `rulesets.key` hold).
-- @tparam string name the rule set's name
-- @tparam string hash its content hash (`rs:hash()`)
-- @treturn string 32 hex digits
function M.key(name, hash)
  return store.doc_hash("ruleset:" .. name, hash)
end

-- Records the version (name, hash, rule hashes) once; returns the rule map.
local function register(db, key, name, hash, rules)
  db:exec("INSERT OR IGNORE INTO rulesets (key, ruleset, hash) VALUES (?, ?, ?)", key, name, hash)
  for rule, h in pairs(rules) do
    db:exec("INSERT OR IGNORE INTO ruleset_rules (key, rule, rule_hash) VALUES (?, ?, ?)", key, rule, h)
  end
end

-- The rule hashes of a version already in the store.
local function version_rules(db, key)
  local t = {}
  for rule, h in db:urows("SELECT rule, rule_hash FROM ruleset_rules WHERE key = ?", key) do
    t[rule] = h
  end
  return t
end

-- What changes between a stored version and the current rules:
-- `stale` rules whose events go (changed or removed), `need` rules to scan
-- (changed or new; nil when nothing needs scanning).
local function diff(old, new)
  local stale, need, any = {}, {}, false
  for rule, h in pairs(old) do
    if new[rule] ~= h then
      stale[#stale + 1] = rule
    end
  end
  for rule, h in pairs(new) do
    if old[rule] ~= h then
      need[rule] = true
      any = true
    end
  end
  table.sort(stale)
  return { stale = stale, need = any and need or nil }
end

-- A one-line progress bar: documents, percent, docs/s, events, ETA.
local function progress_bar(out, total)
  local bar = progress.bar(out, total, sys.now, function(docs, rate, events)
    return ("%d/%d docs  %d events  %.0f docs/s"):format(docs, total, events, rate)
  end)
  return function(docs, events, done) bar(docs, done, events) end
end

-- Binds an event table (from the rule set) as positional INSERT values.
-- Keys that are not columns of `events` are kept in attrs.
local function event_values(ev, doc_id, run_id)
  local attrs = ev.attrs
  for k, v in pairs(ev) do
    if not IS_COLUMN[k] then
      if type(attrs) ~= "table" then
        attrs = attrs == nil and {} or { attrs = attrs }
      elseif attrs == ev.attrs then
        local copy = {}
        for ak, av in pairs(attrs) do
          copy[ak] = av
        end
        attrs = copy
      end
      attrs[k] = v
    end
  end
  local negated = ev.negated
  if negated == nil then
    negated = false
  end
  return doc_id, run_id, ev.rule, ev.type, ev.actor1, ev.actor2, ev.item, ev.qty, ev.unit, ev.date,
    ev.modality, negated, ev.start, ev.stop, ev.sent_start, ev.sent_stop, attrs
end

-- Languages the rules engine knows; a document in another one (or with none)
-- is scanned with the rules of every language (lang = nil).
local LANGS = { en = "en", sr = "sr", hr = "hr", bs = "bs", sh = "sh", cnr = "cnr" }

local function doc_lang(l)
  if type(l) ~= "string" then
    return nil
  end
  return LANGS[(l:match("^(%a+)") or ""):lower()]
end

-- The publication date as scan's context wants it: the ISO day, or nil when
-- the document has none or only a year or month.
local function pub_date(p)
  if type(p) ~= "string" then
    return nil
  end
  return p:match("^(%d%d%d%d%-%d%d%-%d%d)")
end

--- Code every document not yet coded by this rule set (or everything, with
-- `opts.force`) and store the events.
--
-- A document coded by an earlier version of the same rule set (same name) is
-- re-coded only for the rules whose hash changed: their old events are
-- deleted and the document is scanned again for them; events of unchanged
-- rules stay; events of rules that no longer exist are deleted. Documents
-- are read in batches of `opts.batch` and each batch is one transaction: an
-- error (a rule's event function failing, the disk filling up) rolls the
-- batch back, marks the run as failed and is raised naming the document.
-- @param db a store (`dossier.open`)
-- @param rs a rule set (`dossier.rules.new`, `dossier.rules.load`): `scan`,
-- `hash`, `rule_hashes` are used
-- @tparam[opt] table opts (a file name, as `require` returns it second, counts as none, so
-- `dossier.extract(db, require "dossier.rules.sanctions")` works) `force` (re-code
-- everything), `batch` (documents per transaction, default 5000), `batch_bytes` (a batch also ends once its
-- texts reach this many bytes, default 16 MiB), `name` (rule set name; default `rs.name`,
-- else "rules"), `progress` (false: no progress bar; a file handle: draw
-- it there; default: on stderr when it is a terminal), `where` (an SQL
-- condition on `d`, the documents table, e.g. `"d.lang = 'sr'"`), `limit`
-- (at most this many documents), `bulk` (true: drop the query indexes of `events`
-- for the run and build them again at its end; false: keep them up to date row by
-- row; default: drop them once the run is expected to add at least `BULK_MIN`
-- events and as many as the store holds)
-- @return `{run=, docs=, events=, skipped=, deleted=, bytes=, sentences=, seconds=, bulk=}`:
-- the run id, documents coded (fully or for changed rules), events stored,
-- documents left alone (already coded by this version), events deleted,
-- bytes of text scanned, sentences scanned (when the rule set reports them,
-- as dossier.rules' `run` does), wall time, whether the indexes were rebuilt
function M.extract(db, rs, opts)
  local t0 = sys.now()
  if type(db) ~= "userdata" or type(db.transaction) ~= "function" then
    fail("dossier.extract: expects a store (from dossier.open) as first argument")
  end
  check_ruleset(rs)
  -- `dossier.extract(db, require "dossier.rules.sanctions")`: require's second result (the
  -- loader data: the module's file name, or ":preload:") arrives here; it is no option
  if type(opts) == "string"
    and (opts:find("%.lua$") or opts:find("%.so$") or opts == ":preload:") then
    opts = nil
  end
  opts = opts or {}
  if type(opts) ~= "table" then
    fail("dossier.extract: options must be a table")
  end
  -- Each commit appends every page it changed to the WAL, and every batch changes the
  -- same few (the last leaves and the interior pages of events, doc_runs and their indexes,
  -- the run's row): 5000 documents a batch rather than 500 write 7.6 MB of WAL for the
  -- benchmark's run rather than 28.7 MB, and no checkpoint (with its two fsyncs) falls
  -- within it. batch_bytes bounds a batch's memory whatever the documents' size.
  local batch = opts.batch or 5000
  if math.type(batch) ~= "integer" or batch < 1 then
    fail("dossier.extract: batch must be a positive integer")
  end
  local batch_bytes = opts.batch_bytes or 16 * 1024 * 1024
  if math.type(batch_bytes) ~= "integer" or batch_bytes < 1 then
    fail("dossier.extract: batch_bytes must be a positive integer")
  end
  local limit = opts.limit or math.maxinteger
  if math.type(limit) ~= "integer" or limit < 0 then
    fail("dossier.extract: limit must be a non-negative integer")
  end
  if db:readonly() then
    fail("dossier.extract: the store is open read-only")
  end
  if opts.bulk ~= nil and type(opts.bulk) ~= "boolean" then
    fail("dossier.extract: bulk must be a boolean")
  end
  local name = opts.name or rs.name or "rules"
  if type(name) ~= "string" or name == "" then
    fail("dossier.extract: the rule set name must be a non-empty string")
  end
  local hash, rules = rs:hash(), rs:rule_hashes()
  if type(hash) ~= "string" or type(rules) ~= "table" then
    fail("dossier.extract: rs:hash() must return a string and rs:rule_hashes() a table")
  end
  local key = M.key(name, hash)
  local force = opts.force and 1 or 0
  if opts.where ~= nil and type(opts.where) ~= "string" then
    fail("dossier.extract: where must be an SQL condition (a string)")
  end
  local where = opts.where and ("\n  AND (" .. opts.where .. ")") or ""
  local pending_sql, count_sql = PENDING:format(where), COUNT_PENDING:format(where)
  local fresh_sql = FRESH:format(where)

  local res = { docs = 0, events = 0, skipped = 0, deleted = 0, bytes = 0, sentences = 0, seconds = 0 }

  -- What there is to do (this also checks opts.where before anything is written).
  local okc, total, pending = pcall(function()
    local all = db:value("SELECT count(*) FROM documents AS d WHERE 1" .. where)
    if db:value(NONE_CODED_AFTER, math.mininteger) == 1 then
      return all, all
    end
    return all, db:value(count_sql, { force = force, key = key })
  end)
  if not okc then
    fail((message(total):gsub("^[^\n]-%.lua:%d+: ", "")))
  end
  res.skipped = math.max(total - pending, 0)
  pending = math.min(pending, limit)

  -- The run and the version are recorded first, in a transaction of their own.
  local ok, err = pcall(db.transaction, db, function()
    register(db, key, name, hash, rules)
    db:exec("INSERT INTO runs (ruleset, hash, attrs) VALUES (?, ?, ?)", name, hash,
      { key = key, force = opts.force and true or nil })
    res.run = db:last_id()
  end)
  if not ok then
    fail(message(err))
  end
  local run = res.run


  local draw
  local p = opts.progress
  if type(p) == "userdata" or type(p) == "table" then
    draw = progress_bar(p, pending)
  elseif p ~= false and sys.isatty(2) then
    draw = progress_bar(io.stderr, pending)
  end

  local diffs = {} -- prev key -> diff against the current rules
  local function diff_for(prev)
    local d = diffs[prev]
    if not d then
      d = diff(version_rules(db, prev), rules)
      diffs[prev] = d
    end
    return d
  end

  -- A rule set coded for the first time has nothing to clear for new documents.
  local history = db:value("SELECT count(*) FROM runs WHERE ruleset = ? AND id <> ?", name, run) > 0
  local insert <close> = db:prepare(INSERT_EVENT)
  local insert_rows <close> = db:prepare(INSERT_ROWS)
  -- events waiting for a full insert_rows: nbuf rows of NCOL values in buf
  local buf, nbuf = {}, 0
  local unpack = table.unpack

  -- Stores one event (the values of an `events` row), ROWS at a time.
  local function put(id, run_id, rule, typ, a1, a2, item, q, unit, date, modality, negated, s, e, ss,
                     se, attrs)
    check_event(rule, typ, a1, a2, item, q, unit, date, modality, negated, s, e, ss, se, attrs)
    local b = nbuf * NCOL
    buf[b + 1], buf[b + 2], buf[b + 3], buf[b + 4], buf[b + 5], buf[b + 6] = id, run_id, rule, typ, a1, a2
    buf[b + 7], buf[b + 8], buf[b + 9], buf[b + 10], buf[b + 11] = item, q, unit, date, modality
    buf[b + 12], buf[b + 13], buf[b + 14], buf[b + 15], buf[b + 16], buf[b + 17] = negated, s, e, ss, se,
      attrs
    nbuf = nbuf + 1
    res.events = res.events + 1
    if nbuf == ROWS then
      insert_rows:exec(unpack(buf, 1, ROWS * NCOL))
      nbuf = 0
    end
  end

  -- Stores the events put since the last full insert_rows.
  local function flush()
    for r = 0, nbuf - 1 do
      insert:exec(unpack(buf, r * NCOL + 1, r * NCOL + NCOL))
    end
    nbuf = 0
  end
  local has_run = type(rs.run) == "function"
  local has_many = type(rs.run_many) == "function"
  -- a dossier.rules set: its events hold only columns of `events`, and emit_many hands
  -- them over without match tables
  local is_rules = rules_mod.is_ruleset(rs)
  local insert_events -- below

  -- dossier.rules sets: each event goes straight into `events` (needs: the batch's rule
  -- filters by document, see scan_batch).
  local needs_of
  local function emit(id, rule, typ, a1, a2, item, q, unit, date, modality, negated, s, e, ss, se, attrs)
    local need = needs_of[id]
    if need == nil or need[rule] then
      if negated == nil then
        negated = false
      end
      put(id, run, rule, typ, a1, a2, item, q, unit, date, modality, negated, s, e, ss, se, attrs)
    end
  end

  -- Scans the texts (a batch; columns: ids, languages, publication days; rule filters by
  -- document in needs) and stores the events. A dossier.rules set codes them all in one
  -- call (emit_many, reading the batch in place), another rule set with run_many likewise
  -- (with the texts as strings); when that fails, the texts are coded one by one so the
  -- error names its document.
  local function scan_batch(ids, tb, langs, days, needs, n)
    local function ctx(k)
      return { lang = langs[k], published = days[k], doc_id = ids[k] }
    end
    local texts = tb
    if not is_rules then
      texts = {}
      for k = 1, n do
        texts[k] = tb:text(k)
      end
    end
    if is_rules or has_many then
      local okm, ms, nsent
      if is_rules then
        needs_of = needs
        okm, nsent = pcall(rs.emit_many, rs, tb, langs, days, ids, n, emit)
        ms = nsent
      else
        local ctxs = {}
        for k = 1, n do
          ctxs[k] = ctx(k)
        end
        okm, ms, nsent = pcall(rs.run_many, rs, texts, ctxs, true)
      end
      if okm then
        if not is_rules then
          insert_events(ms, needs)
        end
        res.sentences = res.sentences + (nsent or 0)
        return
      end
      for k = 1, has_run and n or 0 do
        local okd, errd = pcall(rs.run, rs, tb:text(k), ctx(k), true)
        if not okd then
          error(("dossier.extract: document %d: %s"):format(ids[k], message(errd)), 0)
        end
      end
      error("dossier.extract: " .. message(ms), 0)
    end
    for k = 1, n do
      local okd, errd = pcall(function()
        if has_run then
          -- lean: only m.event is read here, so rules without an event function skip
          -- building what only the match table would show
          local ms, nsent = rs:run(texts[k], ctx(k), true)
          insert_events(ms, needs, ids[k])
          res.sentences = res.sentences + (nsent or 0)
        else
          local ms = {}
          for m in rs:scan(texts[k], ctx(k)) do
            ms[#ms + 1] = m
          end
          insert_events(ms, needs, ids[k])
        end
      end)
      if not okd then
        error(("dossier.extract: document %d: %s"):format(ids[k], message(errd)), 0)
      end
    end
  end

  -- One row per event of the matches of document `doc` (nil: each match names its
  -- document in m.doc_id, as run_many's matches do); needs[doc]: the rules to keep for it
  -- (nil: every rule).
  insert_events = function(ms, needs, doc)
    for i = 1, #ms do
      local m = ms[i]
      local evs = m.events or { m.event }
      for k = 1, #evs do
        local ev = evs[k]
        local id = doc or m.doc_id
        local need = needs[id]
        if need == nil or need[ev.rule] then
          put(event_values(ev, id, run))
        end
      end
    end
  end

  -- Languages and publication days repeat across a corpus: each string is read once.
  local function memo(f)
    local seen = {}
    return function(x)
      if x == nil then return nil end
      local v = seen[x]
      if v == nil then
        v = f(x) or false
        seen[x] = v
      end
      return v or nil
    end
  end
  local lang_of, day_of = memo(doc_lang), memo(pub_date)

  -- One batch: clear what must go, scan, insert, remember the version. The texts are in
  -- the batch tb; a document whose changed rules need no scan is left out of it.
  local function code_batch(ids, langs, pubs, tb, prevs, nb)
    local sids, slangs, sdays, needs, ns = {}, {}, {}, {}, 0
    local sel -- the texts to scan, when not all of tb
    nbuf = 0 -- (what a failed batch left is rolled back with it)
    for k = 1, nb do
      local id, prev = ids[k], prevs[k]
      local need -- nil: every rule
      if force == 1 or not prev then
        if history then
          res.deleted = res.deleted + db:exec(DELETE_DOC_EVENTS, id, name)
        end
      else
        local d = diff_for(prev)
        for _, rule in ipairs(d.stale) do
          res.deleted = res.deleted + db:exec(DELETE_RULE_EVENTS, id, rule, name)
        end
        need = d.need or false
      end
      if need == false then
        if not sel then
          sel = core.batch.new()
          for j = 1, k - 1 do
            sel:add(tb, j)
          end
        end
      else
        ns = ns + 1
        sids[ns], needs[id] = id, need
        slangs[ns], sdays[ns] = lang_of(langs[k]), day_of(pubs[k])
        res.bytes = res.bytes + tb:size(k)
        if sel then
          sel:add(tb, k)
        end
      end
      if prev or history then -- (every version of this name, should the store hold more than one)
        db:exec(DELETE_DOC_STATE, id, name)
      end
    end
    if ns > 0 then
      scan_batch(sids, sel or tb, slangs, sdays, needs, ns)
      flush()
    end
    if sel then
      sel:close()
    end
    -- the batch's documents now carry this version (one statement per batch). None has a
    -- row for it by now: pending documents had none, and those coded with it (force) or
    -- another version of this name lost theirs above. OR FAIL, as for the events: no
    -- statement journal, which SQLite writes to a temporary file for a statement this large
    -- (4 % of a first run: 68 temporary files fewer for the benchmark).
    db:exec("INSERT OR FAIL INTO doc_runs (doc_id, ruleset_hash, run_id) "
      .. "SELECT value, ?, ? FROM json_each(?)", key, run, "[" .. table.concat(ids, ",", 1, nb) .. "]")
    res.docs = res.docs + nb
    db:exec("UPDATE runs SET docs = ?, events = ? WHERE id = ?", res.docs, res.events, run)
  end

  -- A large run drops the query indexes of `events` and builds them again at its end
  -- (store.QUERY_INDEXES): sorting all rows once costs a half to a third of keeping the
  -- indexes up to date per inserted row, so it pays once the run adds as many events as
  -- the store holds. opts.bulk true decides it up front, false never; by default it is
  -- decided after each batch from the events per document so far.
  local dropped, stored = false, nil
  local function want_bulk()
    if opts.bulk ~= nil then
      return opts.bulk
    end
    if res.docs == 0 then
      return false
    end
    local est = res.events / res.docs * (pending - res.docs)
    if est < M.BULK_MIN then
      return false
    end
    stored = stored or db:value("SELECT count(*) FROM events")
    return est >= stored
  end

  -- A run that only adds rows turns SQLite's foreign key checks off while it codes. With no
  -- earlier run of this rule set it deletes no event (nothing of its own to cascade), and
  -- every row it writes refers to a document read in the same transaction and to its own
  -- run, checked at each batch: the checks could not fail, and they cost 6-8 % of the run
  -- (two parent lookups per event and per document). The connection's setting is restored
  -- however the run ends; inside a caller's transaction SQLite ignores the pragma (and the
  -- checks stay). Event functions run meanwhile see the checks off.
  local fk_off = not history and db:autocommit() and db:value("PRAGMA foreign_keys") == 1
  -- luacheck: push ignore 211 (only closed)
  local restore_fk <close> = fk_off and setmetatable({}, { __close = function()
    pcall(db.exec, db, "PRAGMA foreign_keys = ON")
  end }) or nil
  -- luacheck: pop
  if fk_off then
    db:exec("PRAGMA foreign_keys = OFF")
  end

  local after, done = 0, 0
  local failure
  local tb <close> = core.batch.new() -- the texts of the batch being coded
  while done < limit do
    -- Each batch is read and written in one transaction, under the write lock,
    -- so two processes coding the same store never code a document twice.
    -- A batch ends at `batch` documents or `batch_bytes` of text, whichever
    -- comes first, so memory stays bounded even for very long documents.
    local before = { docs = res.docs, events = res.events, deleted = res.deleted, bytes = res.bytes,
      sentences = res.sentences }
    local ids, nb = {}, 0
    local okb, errb = pcall(db.transaction, db, function()
      local cols
      if db:value("SELECT count(*) FROM runs WHERE id = ?", run) == 0 then
        error(("dossier.extract: run %d was deleted by another connection"):format(run), 0)
      end
      -- the texts go into tb (no Lua string per document): d.text is column 4
      local sql = db:value(NONE_CODED_AFTER, after) == 1 and fresh_sql or pending_sql
      cols, nb = db:fetch(sql, { name = name, after = after, force = force, key = key,
        limit = math.min(batch, limit - done) }, tb, 4, math.min(batch, limit - done), batch_bytes)
      ids = cols[1]
      if nb > 0 then
        if not dropped and want_bulk() then
          store.drop_indexes(db)
          dropped = true
        end
        code_batch(ids, cols[2], cols[3], tb, cols[5], nb)
      end
    end)
    if not okb then
      for k, v in pairs(before) do
        res[k] = v
      end
      failure = message(errb)
      break
    end
    if nb == 0 then
      break
    end
    if draw then
      draw(res.docs, res.events)
    end
    after = ids[nb]
    done = done + nb
  end
  if dropped then
    local oki, erri = pcall(store.ensure_indexes, db)
    if not oki then
      failure = failure or message(erri)
    end
  end
  res.bulk = dropped
  if draw then
    draw(res.docs, res.events, true)
  end
  res.seconds = sys.now() - t0
  local attrs = { key = key, force = opts.force and true or nil, error = failure, bytes = res.bytes,
    deleted = res.deleted, seconds = res.seconds }
  pcall(db.exec, db, [[UPDATE runs SET finished = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), docs = ?,
    events = ?, attrs = ? WHERE id = ?]], res.docs, res.events, attrs, run)
  if failure then
    fail(failure)
  end
  return res
end

--- The runs recorded in a store, newest first.
-- @param db a store
-- @tparam[opt] string name only the runs of this rule set
-- @treturn table array of `{id=, ruleset=, hash=, started=, finished=, docs=, events=, attrs=}`
function M.runs(db, name)
  local out = {}
  local sql = "SELECT id, ruleset, hash, started, finished, docs, events, attrs FROM runs"
  local it
  if name then
    it = { db:rows(sql .. " WHERE ruleset = ? ORDER BY id DESC", name) }
  else
    it = { db:rows(sql .. " ORDER BY id DESC") }
  end
  for row in table.unpack(it, 1, 4) do
    out[#out + 1] = row
  end
  return out
end

return setmetatable(M, {
  __call = function(_, ...)
    return M.extract(...)
  end,
})
