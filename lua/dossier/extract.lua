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
local vocab = require "dossier.vocab"
local workers = core.workers

local M = {}

--- Events a run must be expected to add before it drops and rebuilds the query indexes of
-- `events` (see `extract`'s `opts.bulk`).
M.BULK_MIN = 5000

--- The most worker processes a run starts (`opts.jobs`).
M.MAX_JOBS = 256

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
-- (doc/extract.md#performance). 32 x 17 values stay under SQLite's oldest
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
-- one, and the two lookups in doc_runs per document are left out (doc/extract.md#performance).
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
local MODALITIES = vocab.is_modality
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
      .. type(rs), 4)
  end
  local function method(m)
    local ok, f = pcall(function() return rs[m] end)
    return ok and type(f) == "function"
  end
  for _, m in ipairs({ "scan", "hash", "rule_hashes" }) do
    if not method(m) and not (m == "scan" and method("run")) then
      fail("dossier.extract: the rule set has no '" .. m .. "' method", 4)
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

-- The language code of a document the rules engine reads; a document in another language
-- (or with none) is scanned with the rules of every language (lang = nil).
local doc_lang = vocab.lang_code

-- The publication date as scan's context wants it: the ISO day, or nil when
-- the document has none or only a year or month.
local function pub_date(p)
  if type(p) ~= "string" then
    return nil
  end
  return p:match("^(%d%d%d%d%-%d%d%-%d%d)")
end

-- ---------------------------------------------------------------------------
-- options

-- opts.where is SQL: it is spliced into the queries (the one piece of caller text that is),
-- so it must stay one condition inside its parentheses: balanced parentheses outside string
-- literals, no ';' and no comment. Returns nil or why not.
local function where_problem(w)
  local depth, i, n = 0, 1, #w
  while i <= n do
    local c = w:sub(i, i)
    local close = (c == "'" or c == '"' or c == "`") and c or c == "[" and "]"
    if close then -- a literal or a quoted name: to its closing quote (a doubled one is inside)
      local j = i
      repeat
        j = w:find(close, j + 1, true)
        if not j then return "an unterminated quote" end
        local doubled = close ~= "]" and w:sub(j + 1, j + 1) == close
        if doubled then j = j + 1 end
      until not doubled
      i = j
    elseif c == "(" then
      depth = depth + 1
    elseif c == ")" then
      depth = depth - 1
      if depth < 0 then return "a ')' without its '('" end
    elseif c == ";" then
      return "a ';'"
    elseif w:sub(i, i + 1) == "--" or w:sub(i, i + 1) == "/*" then
      return "a comment"
    end
    i = i + 1
  end
  return depth ~= 0 and "a '(' without its ')'" or nil
end

local function positive_int(opts, k, default)
  local v = opts[k] or default
  if math.type(v) ~= "integer" or v < 1 then
    fail(("dossier.extract: %s must be a positive integer, got %s"):format(k,
      type(v) == "string" and ("'" .. v .. "'") or tostring(v)), 4)
  end
  return v
end

-- The checked options and the rule set's version (errors point at extract's caller):
-- {batch=, batch_bytes=, limit=, bulk=, name=, hash=, rules=, key=, force= (0/1), where=}.
local function check_options(db, rs, opts)
  if type(db) ~= "userdata" or type(db.transaction) ~= "function" then
    fail("dossier.extract: expects a store (from dossier.open) as first argument", 3)
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
    fail("dossier.extract: options must be a table", 3)
  end
  -- Each commit appends every page it changed to the WAL, and every batch changes the
  -- same few (the last leaves and the interior pages of events, doc_runs and their indexes,
  -- the run's row): 5000 documents a batch rather than 500 write about a quarter of the WAL
  -- (doc/extract.md#performance). batch_bytes bounds a batch's memory whatever the
  -- documents' size.
  local o = { opts = opts, batch = positive_int(opts, "batch", 5000),
    batch_bytes = positive_int(opts, "batch_bytes", 16 * 1024 * 1024), limit = opts.limit or math.maxinteger,
    -- (one job by default: on 2 cores two jobs measure 0.54x of one, the writer being the
    -- bottleneck; doc/scale.md)
    jobs = positive_int(opts, "jobs", 1) }
  if o.jobs > M.MAX_JOBS then
    fail(("dossier.extract: jobs must be at most %d, got %d"):format(M.MAX_JOBS, o.jobs), 3)
  end
  if math.type(o.limit) ~= "integer" or o.limit < 0 then
    fail("dossier.extract: limit must be a non-negative integer", 3)
  end
  if db:readonly() then
    fail("dossier.extract: the store is open read-only", 3)
  end
  if opts.bulk ~= nil and type(opts.bulk) ~= "boolean" then
    fail("dossier.extract: bulk must be a boolean", 3)
  end
  o.name = opts.name or rs.name or "rules"
  if type(o.name) ~= "string" or o.name == "" then
    fail("dossier.extract: the rule set name must be a non-empty string", 3)
  end
  o.hash, o.rules = rs:hash(), rs:rule_hashes()
  if type(o.hash) ~= "string" or type(o.rules) ~= "table" then
    fail("dossier.extract: rs:hash() must return a string and rs:rule_hashes() a table", 3)
  end
  o.key, o.force = M.key(o.name, o.hash), opts.force and 1 or 0
  if opts.where ~= nil and type(opts.where) ~= "string" then
    fail("dossier.extract: where must be an SQL condition (a string)", 3)
  end
  local why = opts.where and where_problem(opts.where)
  if why then
    fail("dossier.extract: where must be one SQL condition; it has " .. why, 3)
  end
  o.where = opts.where and ("\n  AND (" .. opts.where .. ")") or ""
  return o
end

-- How many documents match opts.where, and how many of them are still to code (this also
-- checks the where condition before anything is written).
local function count_work(db, o)
  local ok, total, pending = pcall(function()
    local all = db:value("SELECT count(*) FROM documents AS d WHERE 1" .. o.where)
    if db:value(NONE_CODED_AFTER, math.mininteger) == 1 then
      return all, all
    end
    return all, db:value(COUNT_PENDING:format(o.where), { force = o.force, key = o.key })
  end)
  if not ok then
    fail((message(total):gsub("^[^\n]-%.lua:%d+: ", "")), 3)
  end
  return total, pending
end

-- The run and the version are recorded first, in a transaction of their own; returns the
-- run id. Runs of this store still marked as running whose process is gone are marked so.
local function start_run(db, o)
  local ok, err = pcall(db.transaction, db, function()
    M.mark_stale(db)
    register(db, o.key, o.name, o.hash, o.rules)
    db:exec("INSERT INTO runs (ruleset, hash, attrs) VALUES (?, ?, ?)", o.name, o.hash,
      { key = o.key, force = o.opts.force and true or nil, pid = sys.pid(), host = sys.host() })
    return db:last_id()
  end)
  if not ok then
    fail(message(err), 3)
  end
  return err
end

-- The progress bar of a run over `pending` documents: where opts.progress says, else on a
-- terminal.
local function progress_of(opts, pending)
  local p = opts.progress
  if type(p) == "userdata" or type(p) == "table" then
    return progress_bar(p, pending)
  elseif p ~= false and sys.isatty(2) then
    return progress_bar(io.stderr, pending)
  end
end

-- ---------------------------------------------------------------------------
-- storing events

-- The statements that store events, ROWS at a time: put(17 values) and flush() (the rest),
-- counting into res.events. Closed with the run.
local function new_writer(db, res)
  local insert = db:prepare(INSERT_EVENT)
  local insert_rows = db:prepare(INSERT_ROWS)
  -- events waiting for a full insert_rows: nbuf rows of NCOL values in buf
  local buf, nbuf = {}, 0
  local unpack = table.unpack
  local w = {}
  function w.put(id, run_id, rule, typ, a1, a2, item, q, unit, date, modality, negated, s, e, ss, se, attrs)
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
  function w.flush()
    for r = 0, nbuf - 1 do
      insert:exec(unpack(buf, r * NCOL + 1, r * NCOL + NCOL))
    end
    nbuf = 0
  end
  -- nrows rows of NCOL values packed by a worker process (Run:serve), from v[from] on:
  -- already checked there
  function w.put_packed(v, from, nrows)
    local r = 0
    while nrows - r >= ROWS do
      insert_rows:exec(unpack(v, from + r * NCOL, from + (r + ROWS) * NCOL - 1))
      r = r + ROWS
    end
    for q = r, nrows - 1 do
      insert:exec(unpack(v, from + q * NCOL, from + q * NCOL + NCOL - 1))
    end
    res.events = res.events + nrows
  end
  function w.reset() -- (what a failed batch left is rolled back with it)
    nbuf = 0
  end
  function w.close()
    insert:close()
    insert_rows:close()
  end
  return w
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

-- ---------------------------------------------------------------------------
-- one run

-- A run of extract: the store, the checked options, the result so far, the event writer.
local Run = {}
Run.__index = Run
Run.__close = function(self)
  self.writer.close()
end

local function new_run(db, rs, o, res, pending)
  local run = res.run
  local self = setmetatable({ db = db, rs = rs, o = o, res = res, run = run, pending = pending,
    diffs = {}, -- prev key -> diff against the current rules
    writer = new_writer(db, res), lang_of = memo(doc_lang), day_of = memo(pub_date),
    has_run = type(rs.run) == "function", has_many = type(rs.run_many) == "function",
    -- a dossier.rules set: its events hold only columns of `events`, and emit_many hands
    -- them over without match tables
    is_rules = rules_mod.is_ruleset(rs), dropped = false,
    -- A rule set coded for the first time has nothing to clear for new documents.
    history = db:value("SELECT count(*) FROM runs WHERE ruleset = ? AND id <> ?", o.name, run) > 0 },
    Run)
  -- dossier.rules sets: each event goes straight into `events` (self.needs: the batch's rule
  -- filters by document, see scan_batch).
  -- (self.writer.put is looked up per event: a worker process swaps the writer for one that
  -- packs the rows, see Run:serve)
  function self.emit(id, rule, typ, a1, a2, item, q, unit, date, modality, negated, s, e, ss, se, attrs)
    local need = self.needs[id]
    if need == nil or need[rule] then
      if negated == nil then
        negated = false
      end
      self.writer.put(id, run, rule, typ, a1, a2, item, q, unit, date, modality, negated, s, e, ss, se, attrs)
    end
  end
  return self
end

function Run:diff_for(prev)
  local d = self.diffs[prev]
  if not d then
    d = diff(version_rules(self.db, prev), self.o.rules)
    self.diffs[prev] = d
  end
  return d
end

-- One row per event of the matches of document `doc` (nil: each match names its
-- document in m.doc_id, as run_many's matches do); needs[doc]: the rules to keep for it
-- (nil: every rule).
function Run:insert_events(ms, needs, doc)
  local put, run = self.writer.put, self.run
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

-- A batch in one call: a dossier.rules set codes it with emit_many (reading the batch in
-- place), another rule set with run_many (the texts as strings). When that fails, the texts
-- are coded one by one so that the error names its document.
function Run:scan_many(ids, tb, texts, ctx, needs, n)
  local rs = self.rs
  local okm, ms, nsent
  if self.is_rules then
    self.needs = needs
    okm, nsent = pcall(rs.emit_many, rs, tb, ctx.langs, ctx.days, ids, n, self.emit)
    ms = nsent
  else
    local ctxs = {}
    for k = 1, n do
      ctxs[k] = ctx(k)
    end
    okm, ms, nsent = pcall(rs.run_many, rs, texts, ctxs, true)
  end
  if okm then
    if not self.is_rules then
      self:insert_events(ms, needs)
    end
    self.res.sentences = self.res.sentences + (nsent or 0)
    return
  end
  for k = 1, self.has_run and n or 0 do
    local okd, errd = pcall(rs.run, rs, tb:text(k), ctx(k), true)
    if not okd then
      error(("dossier.extract: document %d: %s"):format(ids[k], message(errd)), 0)
    end
  end
  error("dossier.extract: " .. message(ms), 0)
end

-- A batch document by document, with rs:run or rs:scan.
function Run:scan_each(ids, texts, ctx, needs, n)
  local rs, res = self.rs, self.res
  for k = 1, n do
    local okd, errd = pcall(function()
      if self.has_run then
        -- lean: only m.event is read here, so rules without an event function skip
        -- building what only the match table would show
        local ms, nsent = rs:run(texts[k], ctx(k), true)
        self:insert_events(ms, needs, ids[k])
        res.sentences = res.sentences + (nsent or 0)
      else
        local ms = {}
        for m in rs:scan(texts[k], ctx(k)) do
          ms[#ms + 1] = m
        end
        self:insert_events(ms, needs, ids[k])
      end
    end)
    if not okd then
      error(("dossier.extract: document %d: %s"):format(ids[k], message(errd)), 0)
    end
  end
end

-- Scans the texts (a batch; columns: ids, languages, publication days; rule filters by
-- document in needs) and stores the events.
function Run:scan_batch(ids, tb, langs, days, needs, n)
  local ctx = setmetatable({ langs = langs, days = days }, { __call = function(_, k)
    return { lang = langs[k], published = days[k], doc_id = ids[k] }
  end })
  local texts = tb
  if not self.is_rules then
    texts = {}
    for k = 1, n do
      texts[k] = tb:text(k)
    end
  end
  if self.is_rules or self.has_many then
    return self:scan_many(ids, tb, texts, ctx, needs, n)
  end
  self:scan_each(ids, texts, ctx, needs, n)
end

-- Clears what a document's re-coding replaces; returns the rules to scan it for (nil: every
-- rule; false: none).
function Run:clear_doc(id, prev)
  local db, o, res = self.db, self.o, self.res
  local need -- nil: every rule
  if o.force == 1 or not prev then
    if self.history then
      local n = db:exec(DELETE_DOC_EVENTS, id, o.name)
      res.deleted, self.wrote = res.deleted + n, self.wrote + n
    end
  else
    local d = self:diff_for(prev)
    for _, rule in ipairs(d.stale) do
      local n = db:exec(DELETE_RULE_EVENTS, id, rule, o.name)
      res.deleted, self.wrote = res.deleted + n, self.wrote + n
    end
    need = d.need or false
  end
  if prev or self.history then -- (every version of this name, should the store hold more than one)
    self.wrote = self.wrote + db:exec(DELETE_DOC_STATE, id, o.name)
  end
  return need
end

-- One batch: clear what must go, scan, insert, remember the version. The texts are in
-- the batch tb; a document whose changed rules need no scan is left out of it.
function Run:code_batch(ids, langs, pubs, tb, prevs, nb)
  local res = self.res
  local sids, slangs, sdays, needs, ns = {}, {}, {}, {}, 0
  local sel -- the texts to scan, when not all of tb
  self.writer.reset()
  for k = 1, nb do
    local id = ids[k]
    local need = self:clear_doc(id, prevs[k])
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
      slangs[ns], sdays[ns] = self.lang_of(langs[k]), self.day_of(pubs[k])
      res.bytes = res.bytes + tb:size(k)
      if sel then
        sel:add(tb, k)
      end
    end
  end
  if ns > 0 then
    self:scan_batch(sids, sel or tb, slangs, sdays, needs, ns)
    self.writer.flush()
  end
  if sel then
    sel:close()
  end
  self:mark_batch(ids, nb)
end

-- The batch's documents now carry this version; the run's row counts them.
function Run:mark_batch(ids, nb)
  local db, res = self.db, self.res
  -- the batch's documents now carry this version (one statement per batch). None has a
  -- row for it by now: pending documents had none, and those coded with it (force) or
  -- another version of this name lost theirs above. OR FAIL, as for the events: no
  -- statement journal, which SQLite writes to a temporary file for a statement this large.
  self.wrote = self.wrote + db:exec("INSERT OR FAIL INTO doc_runs (doc_id, ruleset_hash, run_id) "
    .. "SELECT value, ?, ? FROM json_each(?)", self.o.key, self.run, "[" .. table.concat(ids, ",", 1, nb)
    .. "]")
  res.docs = res.docs + nb
  self.wrote = self.wrote + db:exec("UPDATE runs SET docs = ?, events = ? WHERE id = ?", res.docs, res.events,
    self.run)
end

-- A large run drops the query indexes of `events` and builds them again at its end
-- (store.QUERY_INDEXES): sorting all rows once costs less than keeping the indexes up to
-- date per inserted row (doc/extract.md), so it pays once the run adds as many events as
-- the store holds. opts.bulk true decides it up front, false never; by default it is
-- decided after each batch from the events per document so far.
function Run:want_bulk()
  local res, bulk = self.res, self.o.opts.bulk
  if self.db:in_bulk() then -- (the caller's db:bulk builds them at its end)
    return false
  end
  if bulk ~= nil then
    return bulk
  end
  if res.docs == 0 then
    return false
  end
  local est = res.events / res.docs * (self.pending - res.docs)
  if est < M.BULK_MIN then
    return false
  end
  self.stored = self.stored or self.db:value("SELECT count(*) FROM events")
  return est >= self.stored
end

-- Reads and codes the next batch after document `after` (at most `want` documents) in one
-- transaction, under the write lock, so two processes coding the same store never code a
-- document twice. A batch ends at `batch` documents or `batch_bytes` of text, whichever
-- comes first, so memory stays bounded even for very long documents. Returns the ids and
-- their number.
function Run:next_batch(tb, after, want)
  local db, o = self.db, self.o
  local ids, nb = {}, 0
  db:transaction(function()
    if db:value("SELECT count(*) FROM runs WHERE id = ?", self.run) == 0 then
      error(("dossier.extract: run %d was deleted by another connection"):format(self.run), 0)
    end
    local before = db:total_changes()
    self.wrote = 0 -- rows extract itself writes in this batch, besides the events
    -- the texts go into tb (no Lua string per document): d.text is column 4
    local sql = db:value(NONE_CODED_AFTER, after) == 1 and FRESH:format(o.where) or PENDING:format(o.where)
    local cols
    cols, nb = db:fetch(sql, { name = o.name, after = after, force = o.force, key = o.key, limit = want },
      tb, 4, want, o.batch_bytes)
    ids = cols[1]
    if nb > 0 then
      if not self.dropped and self:want_bulk() then
        store.drop_indexes(db)
        self.dropped = true
      end
      local events = self.res.events
      self:code_batch(ids, cols[2], cols[3], tb, cols[5], nb)
      self:check_foreign_keys(db:total_changes() - before - (self.res.events - events) - self.wrote)
    end
  end)
  return ids, nb
end

-- With the checks off (store.foreign_keys_off), an event function that wrote to the store
-- through this connection could leave a dangling reference: when the batch changed rows that
-- extract did not write itself (`others`), the references are checked before it commits.
function Run:check_foreign_keys(others)
  if not self.fk_off or others == 0 then
    return
  end
  local bad = self.db:first("PRAGMA foreign_key_check")
  if bad then
    error(("dossier.extract: a rule's event function wrote a row that breaks a foreign key "
      .. "(table %s, row %s, referring to %s)"):format(bad.table, tostring(bad.rowid), bad.parent), 0)
  end
end

-- Codes batch after batch; returns the error that ended the run, if one did.
function Run:code_all()
  local res, o = self.res, self.o
  local after, done = 0, 0
  local tb <close> = core.batch.new() -- the texts of the batch being coded
  while done < o.limit do
    local before = { docs = res.docs, events = res.events, deleted = res.deleted, bytes = res.bytes,
      sentences = res.sentences }
    local okb, ids, nb = pcall(self.next_batch, self, tb, after, math.min(o.batch, o.limit - done))
    if not okb then
      for k, v in pairs(before) do
        res[k] = v
      end
      return message(ids)
    end
    if nb == 0 then
      break
    end
    if self.draw then
      self.draw(res.docs, res.events)
    end
    after = ids[nb]
    done = done + nb
  end
end

-- Ends the run: indexes rebuilt (bulk mode), the run's row finished with its figures.
function Run:finish(failure, t0)
  local db, res = self.db, self.res
  if self.dropped then
    local oki, erri = pcall(store.ensure_indexes, db)
    if not oki then
      failure = failure or message(erri)
    end
  end
  res.bulk = self.dropped
  if self.draw then
    self.draw(res.docs, res.events, true)
  end
  res.seconds = sys.now() - t0
  local attrs = { key = self.o.key, force = self.o.opts.force and true or nil, error = failure,
    bytes = res.bytes, deleted = res.deleted, seconds = res.seconds }
  pcall(db.exec, db, [[UPDATE runs SET finished = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), docs = ?,
    events = ?, attrs = ? WHERE id = ?]], res.docs, res.events, attrs, self.run)
  return failure
end

-- ---------------------------------------------------------------------------
-- many jobs: worker processes scan, this process reads and writes

-- With opts.jobs > 1, the run forks that many worker processes (dossier.core.workers) once
-- the rule set is built. This process reads a batch (no write lock: a plain read), sends
-- its texts to an idle worker, reads the next batch for the next worker, and so on; the
-- workers scan and send back the event rows, packed; this process writes each batch in its
-- own short transaction, in document order, so the store gets the same rows, in the same
-- order, as a one-job run. A worker never touches the store (an SQLite connection must not
-- cross a fork): a rule set's own code runs there and must not either.

-- A writer for a worker process: the rows of a batch go into buf (w.n rows), checked as the
-- store's writer checks them.
local function new_packer(res)
  local buf = {}
  local w = { buf = buf, n = 0 }
  function w.put(id, run_id, rule, typ, a1, a2, item, q, unit, date, modality, negated, s, e, ss, se, attrs)
    check_event(rule, typ, a1, a2, item, q, unit, date, modality, negated, s, e, ss, se, attrs)
    if type(attrs) == "table" then
      attrs = assert(store.json_encode(attrs))
    end
    local b = w.n * NCOL
    buf[b + 1], buf[b + 2], buf[b + 3], buf[b + 4], buf[b + 5], buf[b + 6] = id, run_id, rule, typ, a1, a2
    buf[b + 7], buf[b + 8], buf[b + 9], buf[b + 10], buf[b + 11] = item, q, unit, date, modality
    buf[b + 12], buf[b + 13], buf[b + 14], buf[b + 15], buf[b + 16], buf[b + 17] = negated, s, e, ss, se,
      attrs
    w.n = w.n + 1
    res.events = res.events + 1
  end
  function w.flush() end
  function w.reset() w.n = 0 end
  function w.close() end
  return w
end

-- A rule filter (nil: every rule; a set of rule names) as one value to pack, and back.
local function pack_need(need)
  if need == nil then return nil end
  local t = {}
  for rule in pairs(need) do
    t[#t + 1] = rule
  end
  return table.concat(t, "\0")
end
local function unpack_need(s)
  if s == nil then return nil end
  local need = {}
  for rule in (s .. "\0"):gmatch("(.-)%z") do
    need[rule] = true
  end
  return need
end

-- In a worker process: answer each batch the writer sends (its documents' ids, languages,
-- days, rule filters, and the texts in tb) with the error, the counts and the event rows.
function Run:serve(chan)
  local tb <close> = core.batch.new()
  local w = new_packer(self.res)
  self.writer = w
  while true do
    local msg = chan:recv(tb)
    if not msg then
      return
    end
    local v = workers.unpack(msg)
    local n = v[1]
    local ids, langs, days, needs = {}, {}, {}, {}
    for k = 1, n do
      ids[k], langs[k], days[k] = v[1 + k], v[1 + n + k], v[1 + 2 * n + k]
      needs[ids[k]] = unpack_need(v[1 + 3 * n + k])
    end
    w.reset()
    self.res.events, self.res.sentences = 0, 0
    local ok, err
    if #tb == n then
      self.res.bytes = tb:size()
      ok, err = pcall(self.scan_batch, self, ids, tb, langs, days, needs, n)
    else -- the texts are read here
      ok, err = pcall(self.read_and_scan, self, tb, ids, langs, days, needs, n)
    end
    local res = self.res
    chan:send(workers.pack({ not ok and message(err), res.events, res.sentences, res.bytes }, 4)
      .. workers.pack(w.buf, w.n * NCOL))
  end
end

local TEXTS_OF = [[
SELECT d.id, d.text FROM documents AS d WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.id
LIMIT ?]]

-- In a worker process: reads the texts of documents ids[1..n] from the store through a
-- connection of its own (opened here, after the fork: a connection must not cross one), at
-- most batch_bytes of them at a time, and scans them.
function Run:read_and_scan(tb, ids, langs, days, needs, n)
  if not self.own_db then
    self.own_db = store.open(self.path, { readonly = true })
  end
  self.res.bytes = 0
  local p = 1
  while p <= n do
    local list = "[" .. table.concat(ids, ",", p, n) .. "]"
    local cols, m = self.own_db:fetch(TEXTS_OF, { list, n - p + 1 }, tb, 2, n - p + 1, self.o.batch_bytes)
    for k = 1, m do
      if cols[1][k] ~= ids[p + k - 1] then m = 0 end
    end
    if m == 0 then
      error(("dossier.extract: document %d is no longer in the store"):format(ids[p]), 0)
    end
    self.res.bytes = self.res.bytes + tb:size()
    self:scan_batch(table.move(ids, p, p + m - 1, 1, {}), tb, table.move(langs, p, p + m - 1, 1, {}),
      table.move(days, p, p + m - 1, 1, {}), needs, m)
    p = p + m
  end
end

-- The rules a document is scanned for, as clear_doc will decide when its batch is written
-- (nil: every rule; false: none; else a set), without writing.
function Run:need_of(prev)
  if self.o.force == 1 or not prev then
    return nil
  end
  return self:diff_for(prev).need or false
end

-- Reads the next batch after document `after` (a plain read, no write lock) into tb, and the
-- texts to scan into sel when they are not all of tb. Returns the job ({ids=, prevs=, nb=,
-- ns=, bytes=, texts= tb or sel}) and the request for a worker.
function Run:read_batch(tb, sel, after, want)
  local db, o = self.db, self.o
  local sql = db:value(NONE_CODED_AFTER, after) == 1 and FRESH or PENDING
  if self.path then -- the workers read the texts themselves
    sql = sql:gsub("d%.text", "''")
  end
  sql = sql:format(o.where)
  local cols, nb = db:fetch(sql, { name = o.name, after = after, force = o.force, key = o.key, limit = want },
    tb, 4, want, o.batch_bytes)
  local job = { ids = cols[1], prevs = cols[5], nb = nb, ns = 0, bytes = 0, texts = tb }
  local langs, pubs, head = cols[2], cols[3], {}
  local sids, slangs, sdays, sneeds = {}, {}, {}, {}
  sel:clear()
  local needs_at = {}
  for k = 1, nb do
    local need = self:need_of(job.prevs[k])
    needs_at[k] = need
    if need ~= false then
      local ns = job.ns + 1
      job.ns = ns
      sids[ns], slangs[ns], sdays[ns] = job.ids[k], self.lang_of(langs[k]), self.day_of(pubs[k])
      sneeds[ns] = pack_need(need)
      job.bytes = job.bytes + tb:size(k)
    end
  end
  if self.path then
    sel:clear()
    job.texts = sel -- empty: the workers read the texts
  elseif job.ns < nb then -- (a copy only when some document needs no scan)
    job.texts = sel
    for k = 1, nb do
      if needs_at[k] ~= false then
        sel:add(tb, k)
      end
    end
  end
  local ns = job.ns
  head[1] = ns
  for k = 1, ns do
    head[1 + k], head[1 + ns + k], head[1 + 2 * ns + k], head[1 + 3 * ns + k] = sids[k], slangs[k], sdays[k],
      sneeds[k]
  end
  return job, workers.pack(head, 1 + 4 * ns)
end

-- The version of this rule set (by name) each of the batch's documents carries now.
local CURRENT = [[
SELECT dr.doc_id, dr.ruleset_hash FROM doc_runs AS dr JOIN rulesets AS r ON r.key = dr.ruleset_hash
WHERE r.ruleset = ? AND dr.doc_id IN (SELECT value FROM json_each(?))]]

-- The documents of the batch that another process coded after this one read them (a set, or
-- nil when none was): that process stored their events, so this one leaves them alone.
function Run:coded_meanwhile(job)
  local was, changed = {}, nil
  for k = 1, job.nb do
    was[job.ids[k]] = job.prevs[k] or false
  end
  local seen = {}
  for id, h in self.db:urows(CURRENT, self.o.name, "[" .. table.concat(job.ids, ",", 1, job.nb) .. "]") do
    seen[id] = true
    if was[id] ~= h then
      changed = changed or {}
      changed[id] = true
    end
  end
  for id, prev in pairs(was) do
    if prev and not seen[id] then -- (its version replaced and not yet stored again)
      changed = changed or {}
      changed[id] = true
    end
  end
  return changed
end

-- The job and the packed rows v (from v[5], NCOL each) without the documents in `drop`.
local function without(job, v, n, drop)
  local j = { ids = {}, prevs = {}, nb = 0, bytes = job.bytes }
  for k = 1, job.nb do
    if not drop[job.ids[k]] then
      j.nb = j.nb + 1
      j.ids[j.nb], j.prevs[j.nb] = job.ids[k], job.prevs[k]
    end
  end
  local w, m = { v[1], v[2], v[3], v[4] }, 4
  for r = 5, n, NCOL do
    if not drop[v[r]] then
      table.move(v, r, r + NCOL - 1, m + 1, w)
      m = m + NCOL
    end
  end
  return j, w, m
end

-- Writes a batch a worker has coded (its packed reply) in one transaction: what the
-- re-coding replaces goes, the events go in, the documents carry this version.
function Run:write_batch(job, reply)
  local v, n = workers.unpack(reply)
  if v[1] then
    error(v[1], 0)
  end
  local db, res = self.db, self.res
  db:transaction(function()
    if db:value("SELECT count(*) FROM runs WHERE id = ?", self.run) == 0 then
      error(("dossier.extract: run %d was deleted by another connection"):format(self.run), 0)
    end
    local drop = self:coded_meanwhile(job)
    if drop then
      job, v, n = without(job, v, n, drop)
    end
    local before, events = db:total_changes(), res.events
    self.wrote = 0
    if not self.dropped and self:want_bulk() then
      store.drop_indexes(db)
      self.dropped = true
    end
    for k = 1, job.nb do
      self:clear_doc(job.ids[k], job.prevs[k])
    end
    self.writer.put_packed(v, 5, (n - 4) // NCOL)
    res.sentences, res.bytes = res.sentences + v[3], res.bytes + v[4]
    if job.nb > 0 then
      self:mark_batch(job.ids, job.nb)
    end
    self:check_foreign_keys(db:total_changes() - before - (res.events - events) - self.wrote)
  end)
end

local NO_EVENTS = workers.pack({ false, 0, 0, 0 }, 4)

-- The batch at the head of the queue: its worker's answer, written. A worker that died
-- fails the run naming the batch's documents.
function Run:write_next(pool, job)
  local reply = NO_EVENTS
  if job.worker then
    local ok, r = pcall(pool.recv, pool, job.worker)
    if not ok then
      local why = message(r):gsub("^[^\n]-%.lua:%d+: ", "")
      error(("dossier.extract: a worker process ended while coding documents %d to %d (%s); nothing of "
        .. "that batch was stored"):format(job.ids[1], job.ids[job.nb], why), 0)
    end
    reply = r
  end
  self:write_batch(job, reply)
end

-- Codes batch after batch with o.jobs worker processes; returns the error that ended the
-- run, if one did.
function Run:code_parallel()
  local res, o = self.res, self.o
  if self.is_rules then -- built once here, not once per worker (an empty text builds it)
    self.rs:emit_many({ "" }, {}, {}, { 0 }, 1, function() end)
  end
  -- The workers read the texts from the store file themselves, through connections opened
  -- after the fork, when this connection holds no lock at the fork (no transaction of the
  -- caller's around the run); otherwise (and in memory) the texts are sent to them.
  local file = self.db:filename()
  self.path = file ~= "" and self.db:autocommit() and file or nil
  local okp, pool = pcall(workers.spawn, o.jobs, function(_, chan) self:serve(chan) end)
  if not okp then
    return "dossier.extract: cannot start the worker processes: " .. message(pool)
  end
  local _ <close> = pool
  local tb <close> = core.batch.new()
  local sel <close> = core.batch.new()
  local queue, head, tail, idle = {}, 1, 0, {}
  for i = o.jobs, 1, -1 do
    idle[#idle + 1] = i
  end
  local after, done, more = 0, 0, true
  while true do
    while more and #idle > 0 and done < o.limit do
      local okr, job, req = pcall(self.read_batch, self, tb, sel, after, math.min(o.batch, o.limit - done))
      if not okr then return message(job) end
      if job.nb == 0 then more = false break end
      after, done = job.ids[job.nb], done + job.nb
      if job.ns > 0 then
        job.worker = table.remove(idle)
        local oks, errs = pcall(pool.send, pool, job.worker, req, job.texts)
        if not oks then
          return ("dossier.extract: a worker process ended before it got documents %d to %d (%s)")
            :format(job.ids[1], job.ids[job.nb], (message(errs):gsub("^[^\n]-%.lua:%d+: ", "")))
        end
      end
      tail = tail + 1
      queue[tail] = job
    end
    if head > tail then return nil end
    local job = queue[head]
    queue[head], head = nil, head + 1
    local before = { docs = res.docs, events = res.events, deleted = res.deleted, bytes = res.bytes,
      sentences = res.sentences }
    local okw, err = pcall(self.write_next, self, pool, job)
    if not okw then
      for k, v in pairs(before) do res[k] = v end
      return message(err)
    end
    idle[#idle + 1] = job.worker
    if self.draw then self.draw(res.docs, res.events) end
  end
end

-- How many jobs a run of `pending` documents uses, and the batch size then: one batch (or
-- one job) is coded here; with more, a batch is an eighth of each job's share (at least 100
-- documents, at most opts.batch or 2000), so that the workers finish close together.
local function plan_jobs(o, pending)
  if o.jobs == 1 then return 1 end
  local batch = o.opts.batch or math.max(100, math.min(2000, -(-pending // (o.jobs * 8))))
  if pending <= batch then return 1 end
  o.batch = batch
  return math.min(o.jobs, -(-pending // batch))
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
-- On a PostgreSQL store the call is one of any number of workers that claim batches
-- (`dossier.extract_pg`, doc/scale.md).
-- @param db a store (`dossier.open`)
-- @param rs a rule set (`dossier.rules.new`, `dossier.rules.load`): `scan`,
-- `hash`, `rule_hashes` are used
-- @tparam[opt] table opts (a file name, as `require` returns it second, counts as none, so
-- `dossier.extract(db, require "dossier.rules.sanctions")` works) `force` (re-code
-- everything), `batch` (documents per transaction, default 5000), `batch_bytes` (a batch also ends once its
-- texts reach this many bytes, default 16 MiB), `name` (rule set name; default `rs.name`,
-- else "rules"), `progress` (false: no progress bar; a file handle: draw
-- it there; default: on stderr when it is a terminal), `where` (an SQL
-- condition on `d`, the documents table, e.g. `"d.lang = 'sr'"`: SQL put into the queries as
-- written, so only a trusted one; it must be one condition, see doc/extract.md), `limit`
-- (at most this many documents), `bulk` (true: drop the query indexes of `events`
-- for the run and build them again at its end; false: keep them up to date row by
-- row; default: drop them once the run is expected to add at least `BULK_MIN`
-- events and as many as the store holds), `jobs` (worker processes that scan, this process
-- reading and writing; default 1, none: two jobs are slower than one on 2 cores, doc/scale.md;
-- `dossier.sys.cores()` for all; a run of one batch uses none;
-- the rule set's code then runs in the workers and must not write to the store; doc/scale.md)
-- @return `{run=, docs=, events=, skipped=, deleted=, bytes=, sentences=, seconds=, bulk=, jobs=}`:
-- the run id, documents coded (fully or for changed rules), events stored,
-- documents left alone (already coded by this version), events deleted,
-- bytes of text scanned, sentences scanned (when the rule set reports them,
-- as dossier.rules' `run` does), wall time, whether the indexes were rebuilt, the jobs used
function M.extract(db, rs, opts)
  if type(db) == "userdata" and db.backend ~= nil then -- a PostgreSQL store: workers that claim batches
    return require("dossier.extract_pg").extract(db, rs, opts)
  end
  local t0 = sys.now()
  local o = check_options(db, rs, opts)
  local res = { docs = 0, events = 0, skipped = 0, deleted = 0, bytes = 0, sentences = 0, seconds = 0 }
  local total, pending = count_work(db, o)
  res.skipped = math.max(total - pending, 0)
  pending = math.min(pending, o.limit)
  res.run = start_run(db, o)
  local run <close> = new_run(db, rs, o, res, pending)
  run.draw = progress_of(o.opts, pending)
  -- A run that only adds rows codes with the foreign key checks off (store.foreign_keys_off:
  -- nothing of its own to cascade, every row it writes refers to a document read in the same
  -- transaction and to its own run, checked at each batch); should an event function write
  -- to the store meanwhile, its batch's references are checked (Run:check_foreign_keys).
  local fk <close> = not run.history and store.foreign_keys_off(db) or nil
  run.fk_off = fk ~= nil
  o.jobs = plan_jobs(o, pending)
  res.jobs = o.jobs
  local failure
  if o.jobs > 1 then
    failure = run:code_parallel()
  else
    failure = run:code_all()
  end
  failure = run:finish(failure, t0)
  if failure then
    fail(failure)
  end
  return res
end

-- Whether an unfinished run's process is known to be gone: it recorded its pid and host,
-- the host is this one, and no process has that pid.
local function gone(pid, host)
  return math.type(pid) == "integer" and pid > 0 and pid <= 0x7fffffff and host == sys.host()
    and not sys.alive(pid)
end

local UNFINISHED = [[SELECT id, json_extract(attrs, '$.pid'), json_extract(attrs, '$.host') FROM runs
WHERE finished IS NULL AND json_valid(attrs)]]

--- Mark the runs whose process ended before they finished (killed, crashed): they get a
-- `finished` time and `attrs.error = "interrupted: ..."`. Only runs started on this machine
-- can be told apart from running ones (by their process id); the next `extract` calls this.
-- @param db a store opened read-write
-- @treturn table the ids of the runs marked
function M.mark_stale(db)
  store.require_sqlite(db, "dossier.extract.mark_stale")
  local ids = {}
  for id, pid, host in db:urows(UNFINISHED) do
    if gone(pid, host) then
      ids[#ids + 1] = id
    end
  end
  for _, id in ipairs(ids) do
    db:exec([[UPDATE runs SET finished = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
      attrs = json_set(attrs, '$.error', 'interrupted: its process ended before the run finished')
      WHERE id = ?]], id)
  end
  return ids
end

--- The runs recorded in a store, newest first. Reads only: a run whose process ended before
-- it finished (and not yet marked by `mark_stale`) has `interrupted = true`.
-- @param db a store
-- @tparam[opt] string name only the runs of this rule set
-- @treturn table array of `{id=, ruleset=, hash=, started=, finished=, docs=, events=, attrs=,
-- interrupted=}`
function M.runs(db, name)
  store.require_sqlite(db, "dossier.extract.runs")
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
  local stale = {}
  for id, pid, host in db:urows(UNFINISHED) do
    stale[id] = gone(pid, host)
  end
  for _, row in ipairs(out) do
    row.interrupted = stale[row.id] or nil
  end
  return out
end

-- What dossier.extract_pg (workers on a PostgreSQL store) shares with this module: one owner
-- for the options, the event columns and their checks.
M._shared = { check_options = check_options, event_values = event_values, check_event = check_event,
  message = message }

return setmetatable(M, {
  __call = function(_, ...)
    return M.extract(...)
  end,
})
