--- dossier.extract_pg: `dossier.extract` on a PostgreSQL store, by any number of workers.
--
-- `dossier.extract(db, rs, opts)` comes here when `db` is a PostgreSQL store. Each call is a
-- worker; any number of them, on any number of machines, may code the same store at once.
-- A worker claims a batch of documents in a transaction of its own:
--
-- 1. `SELECT ... FOR UPDATE OF d SKIP LOCKED` picks up to `batch` documents not yet coded by this
--    rule set version and not locked by another worker;
-- 2. `INSERT INTO doc_runs ... ON CONFLICT DO NOTHING RETURNING doc_id` marks them coded: a
--    document another worker coded and committed meanwhile conflicts and is dropped from the
--    batch, so none is ever coded twice;
-- 3. the texts are scanned and the events loaded with COPY, and the transaction commits.
--
-- A worker killed half-way (SIGKILL, a lost machine) loses its connection, so PostgreSQL rolls
-- its transaction back: its claims, its locks and its events go together, and the batch is
-- picked up by the next worker that passes (each worker, having reached the end, sweeps once
-- more from the start). Nothing is lost, nothing is doubled.
-- @module dossier.extract_pg
local core = require "dossier.core"
local extract = require "dossier.extract"
local sys = require "dossier.sys"
local vocab = require "dossier.vocab"

local shared = extract._shared

local M = {}

local EVENT_COLUMNS = require("dossier.store_pg").WRITER_COLUMNS.events

-- Documents not yet coded by this version, after `after`, that no other worker holds.
local CLAIMABLE = [[
SELECT d.id FROM documents AS d
WHERE d.id > :after AND NOT EXISTS
  (SELECT 1 FROM doc_runs AS x WHERE x.doc_id = d.id AND x.ruleset_hash = :key)%s
ORDER BY d.id
LIMIT :limit
FOR UPDATE OF d SKIP LOCKED]]

local CLAIM = [[
INSERT INTO doc_runs (doc_id, ruleset_hash, run_id)
SELECT unnest(CAST(? AS bigint[])), ?, ?
ON CONFLICT DO NOTHING
RETURNING doc_id]]

-- The claimed documents, with the earlier version of this rule set that coded each, if any.
local TEXTS = [[
SELECT d.id, d.lang, d.published, d.text,
  (SELECT dr.ruleset_hash FROM doc_runs AS dr JOIN rulesets AS r ON r.key = dr.ruleset_hash
   WHERE dr.doc_id = d.id AND r.ruleset = :name AND dr.ruleset_hash <> :key LIMIT 1) AS prev
FROM documents AS d
WHERE d.id = ANY (CAST(:ids AS bigint[]))
ORDER BY d.id]]

-- A document coded by an earlier version is coded again whole: its events from this rule set
-- (by name) and its earlier version's mark go first.
local CLEAR_EVENTS = [[
DELETE FROM events WHERE doc_id = ANY (CAST(? AS bigint[]))
  AND run_id IN (SELECT id FROM runs WHERE ruleset = ?)]]
local CLEAR_STATE = [[
DELETE FROM doc_runs WHERE doc_id = ANY (CAST(? AS bigint[])) AND ruleset_hash <> ?
  AND ruleset_hash IN (SELECT key FROM rulesets WHERE ruleset = ?)]]

local function array(ids)
  return "{" .. table.concat(ids, ",") .. "}"
end

local function now()
  return os.date("!%Y-%m-%dT%H:%M:%SZ")
end

local function pub_date(p)
  return type(p) == "string" and p:match("^(%d%d%d%d%-%d%d%-%d%d)") or nil
end

-- The version and the run are recorded first, in a transaction of their own.
local function start_run(db, o)
  return db:transaction(function()
    db:exec("INSERT INTO rulesets (key, ruleset, hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      o.key, o.name, o.hash)
    for rule, h in pairs(o.rules) do
      db:exec("INSERT INTO ruleset_rules (key, rule, rule_hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        o.key, rule, h)
    end
    return db:value("INSERT INTO runs (ruleset, hash, attrs) VALUES (?, ?, ?) RETURNING id", o.name, o.hash,
      { key = o.key, pid = sys.pid(), host = sys.host(), workers = true })
  end)
end

-- The events of a batch's texts as COPY rows. A dossier.rules set emits them column by column;
-- another rule set's matches go through extract's own conversion.
local function scan(rs, tb, ids, langs, days, n, run)
  local rows = {}
  local function put(...)
    shared.check_event(select(3, ...))
    rows[#rows + 1] = table.pack(...)
  end
  local nsent = 0
  if require("dossier.rules").is_ruleset(rs) then
    nsent = rs:emit_many(tb, langs, days, ids, n, function(id, rule, ...)
      local v = table.pack(id, run, rule, ...)
      if v[12] == nil then v[12] = false end -- negated
      put(table.unpack(v, 1, 17))
    end)
  else
    for k = 1, n do
      local ctx = { lang = langs[k], published = days[k], doc_id = ids[k] }
      local ms = {}
      if type(rs.run) == "function" then
        ms = rs:run(tb:text(k), ctx, true)
      else
        for m in rs:scan(tb:text(k), ctx) do ms[#ms + 1] = m end
      end
      for _, m in ipairs(ms) do
        for _, ev in ipairs(m.events or { m.event }) do
          put(shared.event_values(ev, ids[k], run))
        end
      end
    end
  end
  return rows, nsent or 0
end

-- Claims, codes and commits one batch; returns the ids the SELECT saw (claimed or not) and how
-- many were claimed.
local function code_batch(db, rs, o, res, tb, after, run)
  local seen, claimed = {}, {}
  db:transaction(function()
    for id in db:urows(CLAIMABLE:format(o.where), { after = after, key = o.key, limit = o.batch }) do
      seen[#seen + 1] = id
    end
    if #seen == 0 then return end
    for id in db:urows(CLAIM, array(seen), o.key, run) do claimed[#claimed + 1] = id end
    if #claimed == 0 then return end
    table.sort(claimed)
    local cols, n = db:fetch(TEXTS, { name = o.name, key = o.key, ids = array(claimed) }, tb, 4)
    local ids, langs, days, again = cols[1], {}, {}, {}
    for k = 1, n do
      langs[k], days[k] = vocab.lang_code(cols[2][k]), pub_date(cols[3][k])
      if cols[5][k] then again[#again + 1] = ids[k] end
      res.bytes = res.bytes + tb:size(k)
    end
    if #again > 0 then
      res.deleted = res.deleted + db:exec(CLEAR_EVENTS, array(again), o.name)
      db:exec(CLEAR_STATE, array(again), o.key, o.name)
    end
    local rows, nsent = scan(rs, tb, ids, langs, days, n, run)
    if #rows > 0 then db:copy("events", EVENT_COLUMNS, rows) end
    res.docs, res.events, res.sentences = res.docs + n, res.events + #rows, res.sentences + nsent
    db:exec("UPDATE runs SET docs = ?, events = ? WHERE id = ?", res.docs, res.events, run)
  end)
  return seen, #claimed
end

-- Batches until the store has nothing left to claim: forward by id, then once more from the
-- start for the batches of workers that died (or whose documents were locked when we passed).
local function code_all(db, rs, o, res, run)
  local tb <close> = core.batch.new()
  local after, swept = 0, false
  while res.docs < o.limit do
    o.batch = math.min(o.batch, o.limit - res.docs)
    local seen, n = code_batch(db, rs, o, res, tb, after, run)
    if #seen == 0 then
      if swept or after == 0 then return end
      after, swept = 0, true
    else
      after = seen[#seen]
      if n > 0 then swept = false end
    end
    if o.on_batch then o.on_batch(res) end
  end
end

--- Code every document of a PostgreSQL store not yet coded by this rule set version, as one of
-- any number of workers (see the module's description). Options and result as
-- `dossier.extract`'s; `force`, `bulk` and `jobs` are not supported here yet (an error says so), and the
-- progress bar is not drawn. `opts.on_batch(res)` is called after each committed batch.
-- @param db a PostgreSQL store
-- @param rs a rule set
-- @tparam[opt] table opts as for `dossier.extract`
-- @return `{run=, docs=, events=, skipped=, deleted=, bytes=, sentences=, seconds=, bulk=false}`
function M.extract(db, rs, opts)
  local t0 = sys.now()
  local o = shared.check_options(db, rs, opts)
  local unsupported = o.force == 1 and "force" or o.opts.bulk and "bulk"
    or o.opts.jobs ~= nil and o.opts.jobs ~= 1 and "jobs (run several workers instead)"
  if unsupported then
    error(("dossier.extract: %s is not supported on the PostgreSQL store yet"):format(unsupported), 3)
  end
  o.on_batch = o.opts.on_batch
  local res = { docs = 0, events = 0, skipped = 0, deleted = 0, bytes = 0, sentences = 0, seconds = 0,
    bulk = false }
  local ok, err = pcall(function()
    res.skipped = db:value("SELECT count(*) FROM documents AS d WHERE EXISTS (SELECT 1 FROM doc_runs AS x "
      .. "WHERE x.doc_id = d.id AND x.ruleset_hash = ?)" .. o.where, o.key)
    res.run = start_run(db, o)
  end)
  if not ok then
    error(shared.message(err):gsub("^[^\n]-%.lua:%d+: ", ""), 3)
  end
  local okr, failure = pcall(code_all, db, rs, o, res, res.run)
  failure = not okr and shared.message(failure) or nil
  res.seconds = sys.now() - t0
  pcall(db.exec, db, "UPDATE runs SET finished = ?, docs = ?, events = ?, attrs = ? WHERE id = ?", now(),
    res.docs, res.events, { key = o.key, error = failure, bytes = res.bytes, deleted = res.deleted,
      seconds = res.seconds, pid = sys.pid(), host = sys.host(), workers = true }, res.run)
  if failure then
    error(failure, 0)
  end
  return res
end

return M
