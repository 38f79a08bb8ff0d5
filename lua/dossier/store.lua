--- dossier.store: the SQLite event store.
--
-- One SQLite file holds the documents (with an FTS5 index), the events and
-- claims coded from them, and the runs that produced them. The connection
-- and statements are C userdata (csrc/store.c); this module adds the schema,
-- documents, ingest, transactions and search on top.
--
--    local store = require "dossier.store"
--    local db <close> = store.open("news.db")
--    local r = db:ingest("corpus/")            -- {added=, duplicates=, rejected=, errors=}
--    for row in db:rows("SELECT type, count(*) AS n FROM events GROUP BY type") do ... end
--
-- @module dossier.store
local calendar = require "dossier.calendar"
local core = require "dossier.core"
local progress = require "dossier.progress"
local sys = require "dossier.sys"

local C = core.store

local cjson = require "cjson.safe"
-- A private instance, so our settings never change anyone else's cjson.
local json = cjson.new()
json.encode_sparse_array(true)
json.decode_max_depth(100)
local json_null = json.null

local M = {
  --- The schema version this module creates and migrates to (PRAGMA user_version).
  SCHEMA_VERSION = 3,
  --- The SQLite application_id of a dossier store (PRAGMA application_id): "doss" in ASCII.
  -- A store made before it had one gets it when first opened read-write.
  APPLICATION_ID = 0x646F7373,
  --- The page size of a new store's file, in bytes (an existing store keeps its own).
  -- 16 KiB rather than SQLite's 4: a document row then shares its page with a dozen others,
  -- so the file is smaller and reading every document, as extraction does, takes fewer reads
  -- (figures: doc/store.md).
  PAGE_SIZE = 16384,
  --- The SQLite library version in use.
  sqlite_version = C.sqlite_version,
  --- `doc_hash(source, text)` → 32 hex digits: the document identity hash.
  doc_hash = C.doc_hash,
  --- `normalize(text)` → the whitespace-normalised text that `doc_hash` hashes.
  normalize = C.normalize,
  --- `json_encode(value)` → the JSON text a table parameter is stored as (or nil, message).
  json_encode = json.encode,
}

--- The value of a JSON column (`attrs`, `via`) as a table: what it holds when that is a JSON
-- object or array, else `{}` (NULL, empty, not JSON, a scalar). The readers of the store's JSON
-- columns (sanctions, claims, eval) decode them here.
-- @tparam string|nil s the column's value
-- @treturn table
function M.decode_json(s)
  if type(s) ~= "string" or s == "" then return {} end
  local t = json.decode(s)
  return type(t) == "table" and t or {}
end

-- The connection's method table: the C methods (exec, rows, urows, first,
-- value, prepare, close, ...) are already in it; the Lua ones join them.
local Store = C.methods
M.Store = Store

-- Each entry moves the schema from version i - 1 to i, in one transaction.
local migrations = {
  [1] = [[
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT,
  parent INTEGER REFERENCES sources(id)
);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  source_id INTEGER REFERENCES sources(id),
  ext_id TEXT,
  url TEXT,
  title TEXT,
  lang TEXT,
  script TEXT,
  published TEXT,
  text TEXT NOT NULL,
  attrs TEXT,
  added TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX documents_source ON documents(source_id);
CREATE INDEX documents_published ON documents(published);
CREATE VIRTUAL TABLE documents_fts USING fts5(
  title, text, content = 'documents', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  ruleset TEXT NOT NULL,
  hash TEXT NOT NULL,
  started TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  finished TEXT,
  docs INTEGER NOT NULL DEFAULT 0,
  events INTEGER NOT NULL DEFAULT 0,
  claims INTEGER NOT NULL DEFAULT 0,
  attrs TEXT
);
CREATE INDEX runs_ruleset ON runs(ruleset, hash);
CREATE TABLE doc_runs (
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ruleset_hash TEXT NOT NULL,
  run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  PRIMARY KEY (doc_id, ruleset_hash)
) WITHOUT ROWID;
CREATE INDEX doc_runs_run ON doc_runs(run_id) WHERE run_id IS NOT NULL;
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  rule TEXT,
  type TEXT NOT NULL,
  actor1 TEXT,
  actor2 TEXT,
  item TEXT,
  qty NUMERIC,
  unit TEXT,
  date TEXT,
  modality TEXT,
  negated INTEGER NOT NULL DEFAULT 0,
  start INTEGER,
  stop INTEGER,
  sent_start INTEGER,
  sent_stop INTEGER,
  attrs TEXT
);
CREATE INDEX events_type ON events(type, date);
CREATE INDEX events_actor1 ON events(actor1, type);
CREATE INDEX events_actor2 ON events(actor2, type);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_doc ON events(doc_id);
CREATE INDEX events_run ON events(run_id) WHERE run_id IS NOT NULL;
CREATE TABLE claims (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  event_id INTEGER REFERENCES events(id) ON DELETE CASCADE,
  run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  speaker TEXT,
  source_id INTEGER REFERENCES sources(id),
  via TEXT,
  stance TEXT,
  cue TEXT,
  start INTEGER,
  stop INTEGER,
  attrs TEXT
);
CREATE INDEX claims_event ON claims(event_id);
CREATE INDEX claims_source ON claims(source_id);
CREATE INDEX claims_doc ON claims(doc_id);
CREATE INDEX claims_run ON claims(run_id) WHERE run_id IS NOT NULL;
]],
  -- Version 2: the rules of each rule set version, for incremental extraction
  -- (dossier.extract). A rule set version is keyed by `key`, a hash of its
  -- name and content hash; doc_runs.ruleset_hash holds that key, so a document
  -- remembers, per rule set name, the version (and through ruleset_rules, the
  -- hash of every rule) it was coded with.
  [2] = [[
CREATE TABLE rulesets (
  key TEXT PRIMARY KEY,
  ruleset TEXT NOT NULL,
  hash TEXT NOT NULL,
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX rulesets_name ON rulesets(ruleset);
CREATE TABLE ruleset_rules (
  key TEXT NOT NULL REFERENCES rulesets(key) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  rule_hash TEXT NOT NULL,
  PRIMARY KEY (key, rule)
) WITHOUT ROWID;
]],
  -- Version 3: incidents, the grouping of event mentions that
  -- dossier.sanctions.incidents stores (replaced as a whole on every run;
  -- attrs holds the rest of each incident as JSON).
  [3] = [[
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  type TEXT NOT NULL,
  actor1 TEXT,
  actor2 TEXT,
  date_from TEXT,
  date_to TEXT,
  qty_min NUMERIC,
  qty_max NUMERIC,
  modality TEXT,
  mentions INTEGER NOT NULL DEFAULT 0,
  origins INTEGER NOT NULL DEFAULT 0,
  attrs TEXT
);
CREATE INDEX incidents_type ON incidents(type, date_from);
CREATE TABLE incident_events (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  PRIMARY KEY (incident_id, event_id)
) WITHOUT ROWID;
CREATE INDEX incident_events_event ON incident_events(event_id);
]],
}
assert(#migrations == M.SCHEMA_VERSION)

--- The indexes of `events` that only queries use (not the foreign keys, nor dossier.extract's
-- own deletes), by name: the SQL that makes each. dossier.extract drops them for a large run
-- and builds them again at its end (sorting all rows once costs a fraction of keeping them up
-- to date row by row); `ensure_indexes` builds any that are missing, and opening a store
-- read-write calls it, so a run killed in between leaves nothing missing for long.
M.QUERY_INDEXES = {
  events_type = "CREATE INDEX IF NOT EXISTS events_type ON events(type, date)",
  events_actor1 = "CREATE INDEX IF NOT EXISTS events_actor1 ON events(actor1, type)",
  events_actor2 = "CREATE INDEX IF NOT EXISTS events_actor2 ON events(actor2, type)",
  events_date = "CREATE INDEX IF NOT EXISTS events_date ON events(date)",
}
local QUERY_INDEX_NAMES = {}
for name in pairs(M.QUERY_INDEXES) do
  QUERY_INDEX_NAMES[#QUERY_INDEX_NAMES + 1] = name
end
table.sort(QUERY_INDEX_NAMES)
local COUNT_QUERY_INDEXES = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ("
  .. ("?, "):rep(#QUERY_INDEX_NAMES - 1) .. "?)"

-- ---------------------------------------------------------------------------
-- errors

-- Errors from C carry the position of their caller, which for the Lua layer
-- is a line in this file; the public functions re-raise with the user's.
local function strip(e)
  if type(e) == "string" then
    return (e:gsub("^.-%.lua:%d+: ", "", 1))
  end
  return e
end

local function fail(msg)
  error(msg, 0)
end

local function is_busy(e)
  return type(e) == "string" and e:find("(SQLITE_BUSY", 1, true) ~= nil
end

-- ---------------------------------------------------------------------------
-- transactions

local function retry_busy(self, sql)
  for attempt = 1, 5 do
    local ok, err = pcall(self.exec, self, sql)
    if ok then
      return
    end
    if attempt == 5 or not is_busy(err) then
      fail(strip(err))
    end
  end
end

-- BEGIN IMMEDIATE takes the write lock up front, so the busy timeout applies
-- and a batch never fails half-way with SQLITE_BUSY on its first write. (A
-- PostgreSQL store's state says plain BEGIN: rows lock one by one there.)
local function begin(self, st)
  retry_busy(self, (st.readonly or st.plain_begin) and "BEGIN" or "BEGIN IMMEDIATE")
end

local function rollback(self, st)
  st.sources = {} -- ids created in the rolled-back transaction are gone
  if st.bulk_rows then
    st.bulk_rows = {} -- (documents a bulk store had not written yet)
  end
  if self:isopen() and not self:autocommit() then
    pcall(self.exec, self, "ROLLBACK")
  end
end

-- On PostgreSQL a failed statement aborts its whole transaction, where SQLite goes on: a
-- COMMIT there would roll back in silence, so it is an error that says so.
local function aborted(self)
  return self.failed ~= nil and self:failed()
end

local function commit(self, st)
  if aborted(self) then
    rollback(self, st)
    fail("dossier.store: a statement in the transaction failed, so PostgreSQL rolled it back "
      .. "(nothing of it was kept)")
  end
  local ok, err = pcall(retry_busy, self, "COMMIT")
  if not ok then
    rollback(self, st)
    fail(err)
  end
end

--- Run `fn(...)` in a transaction: commit when it returns, roll back and
-- re-raise its error (the original error value) when it fails. Nested calls
-- use SAVEPOINTs, so an inner failure caught by the caller undoes only the
-- inner part. The outermost level uses `BEGIN IMMEDIATE`.
-- @tparam function fn the work
-- @param ... arguments for `fn`
-- @return what `fn` returns
function Store:transaction(fn, ...)
  if type(fn) ~= "function" then
    error("dossier.store: transaction expects a function", 2)
  end
  local st = self:_state()
  local depth = st.depth or 0
  local sp
  if self:autocommit() then
    local ok, err = pcall(begin, self, st)
    if not ok then
      error(err, 2)
    end
  else
    sp = "dossier_sp" .. (depth + 1)
    self:exec("SAVEPOINT " .. sp)
  end
  st.depth = depth + 1
  local res = table.pack(pcall(fn, ...))
  st.depth = depth
  if res[1] then
    if sp then
      self:exec("RELEASE " .. sp)
    else
      local ok, err = pcall(commit, self, st)
      if not ok then
        error(err, 2)
      end
    end
    return table.unpack(res, 2, res.n)
  end
  if self:isopen() then
    if sp then
      st.sources = {}
      pcall(self.exec, self, "ROLLBACK TO " .. sp)
      pcall(self.exec, self, "RELEASE " .. sp)
    else
      rollback(self, st)
    end
  end
  error(res[2], 0)
end

-- ---------------------------------------------------------------------------
-- opening

--- Turn the connection's foreign key checks off for a bulk write that cannot break them
-- (extract's first run of a rule set: see doc/extract.md). Close the returned value (a
-- to-be-closed variable) to turn them back on. Returns nil, and changes nothing, when they are
-- off already or a transaction is open (where SQLite ignores the pragma).
-- @param db a store opened read-write
-- @return a to-be-closed value, or nil
function M.foreign_keys_off(db)
  M.require_sqlite(db, "dossier.store.foreign_keys_off")
  if not db:autocommit() or db:value("PRAGMA foreign_keys") ~= 1 then
    return nil
  end
  db:exec("PRAGMA foreign_keys = OFF")
  return setmetatable({}, { __close = function()
    pcall(db.exec, db, "PRAGMA foreign_keys = ON")
  end })
end

--- Build the query indexes of `events` that are missing (see `QUERY_INDEXES`).
-- @param db a store opened read-write
-- @treturn integer how many were missing
function M.ensure_indexes(db)
  M.require_sqlite(db, "dossier.store.ensure_indexes")
  local have = db:value(COUNT_QUERY_INDEXES, table.unpack(QUERY_INDEX_NAMES))
  if have == #QUERY_INDEX_NAMES then
    return 0
  end
  db:transaction(function()
    for _, name in ipairs(QUERY_INDEX_NAMES) do
      db:exec(M.QUERY_INDEXES[name])
    end
  end)
  return #QUERY_INDEX_NAMES - have
end

--- Drop the query indexes of `events` (see `QUERY_INDEXES`), for a bulk insert; the caller
-- builds them again with `ensure_indexes`.
-- @param db a store opened read-write
function M.drop_indexes(db)
  M.require_sqlite(db, "dossier.store.drop_indexes")
  for _, name in ipairs(QUERY_INDEX_NAMES) do
    db:exec("DROP INDEX IF EXISTS " .. name)
  end
end

--- The page cache of a connection opened read-write, in KiB (`PRAGMA cache_size`): SQLite's
-- default of 2 MiB holds 128 of a store's 16 KiB pages, so an insert into a large table with
-- indexes on keys that do not rise reads a page back from the file for nearly every row.
-- Memory is taken only as pages are read; a read-only connection keeps SQLite's default.
M.CACHE_KIB = 64 * 1024

--- Run `fn(...)` as a bulk load: the query indexes of `events` (`QUERY_INDEXES`) are dropped
-- first and built again once at the end, also when `fn` fails (sorting all rows once costs a
-- fraction of keeping them up to date row by row: doc/scale.md). `fn` writes as usual, in
-- transactions of its own size (`db:transaction`, `db:add_event`, `dossier.extract`); queries
-- that would use the indexes run slower meanwhile. A bulk inside a bulk is part of it.
-- @tparam function fn the load
-- @param ... arguments for `fn`
-- @return what `fn` returns
function Store:bulk(fn, ...)
  if type(fn) ~= "function" then
    error("dossier.store: bulk expects a function", 2)
  end
  local st = self:_state()
  if st.bulk then
    return fn(...)
  end
  if not self:autocommit() then
    error("dossier.store: bulk cannot start inside a transaction", 2)
  end
  self:transaction(M.drop_indexes, self)
  st.bulk = true
  local res = table.pack(pcall(fn, ...))
  st.bulk = nil
  local ok, err = pcall(M.ensure_indexes, self)
  if not res[1] then
    error(res[2], 0)
  elseif not ok then
    error(strip(err), 2)
  end
  return table.unpack(res, 2, res.n)
end

--- Whether a bulk load (`Store:bulk`) is running on this connection: the query indexes are
-- gone until it ends.
-- @treturn boolean
function Store:in_bulk()
  return self:_state().bulk == true
end

-- The SQLite file is a dossier store (its application_id, or an older store's schema without
-- one), or a new empty file; another application's database is refused before anything is
-- written to it. Returns whether the id must be set.
local function check_application(db, path)
  local app = db:value("PRAGMA application_id")
  if app == M.APPLICATION_ID then
    return false
  elseif app ~= 0 then
    fail(("dossier.store: '%s' belongs to another application (SQLite application_id %d, dossier's is %d): "
      .. "not opened as a dossier store"):format(path, app, M.APPLICATION_ID))
  end
  local tables = {}
  for name in db:urows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
    .. "ORDER BY name") do
    tables[#tables + 1] = name
  end
  if #tables == 0 then
    return true -- a new file
  end
  local version = db:value("PRAGMA user_version")
  local has = {}
  for _, t in ipairs(tables) do has[t] = true end
  if version >= 1 and has.documents and has.runs and has.events and has.claims then
    return true -- a dossier store made before the application_id
  end
  local shown = table.concat(tables, ", ", 1, math.min(#tables, 5)) .. (#tables > 5 and ", ..." or "")
  fail(("dossier.store: '%s' is an SQLite database but not a dossier store (tables: %s); dossier does not "
    .. "add its tables to another database: give a new file name"):format(path, shown))
end

local function set_up(db, path, opts)
  local needs_id = check_application(db, path) -- before anything is written
  if not opts.readonly then
    if db:value("PRAGMA page_count") == 0 then -- a new file: before its first page is written
      db:exec("PRAGMA page_size = " .. M.PAGE_SIZE)
    end
    db:exec("PRAGMA journal_mode = WAL")
    db:exec("PRAGMA synchronous = NORMAL") -- safe with WAL; a crash loses no committed batch
    db:exec(("PRAGMA cache_size = %d"):format(-M.CACHE_KIB))
  end
  db:exec("PRAGMA foreign_keys = ON")
  local st = db:_state()
  st.sources, st.depth, st.readonly = {}, 0, db:readonly()
  local version = db:value("PRAGMA user_version")
  if version > #migrations then
    fail(("dossier.store: %s has schema version %d, newer than this dossier's %d")
      :format(path, version, #migrations))
  end
  if version < #migrations and st.readonly then
    fail(("dossier.store: %s has schema version %d and needs %d; open it once read-write to migrate")
      :format(path, version, #migrations))
  end
  for v = version + 1, #migrations do
    begin(db, st)
    local ok, err = pcall(function()
      -- Another process may have migrated while we waited for the lock.
      if db:value("PRAGMA user_version") < v then
        db:exec(migrations[v])
        db:exec(("PRAGMA user_version = %d"):format(v))
      end
    end)
    if not ok then
      rollback(db, st)
      fail(strip(err))
    end
    commit(db, st)
  end
  if not st.readonly then
    if needs_id then
      db:exec(("PRAGMA application_id = %d"):format(M.APPLICATION_ID))
    end
    M.ensure_indexes(db) -- a large extract killed before it built them again
  end
end

-- SQLite cannot make the WAL index (the -shm file) beside an existing store, or write the
-- file: its directory (or the file) is read-only, as an archived store's is (CANTOPEN: a
-- -wal file is there and no -shm can be made for it).
local function cannot_write_here(e)
  return type(e) == "string" and (e:find("(SQLITE_READONLY_DIRECTORY", 1, true)
    or e:find("(SQLITE_READONLY_CANTINIT", 1, true) or e:find("(SQLITE_CANTOPEN,", 1, true)) ~= nil
end

local function file_size(path)
  local f = io.open(path, "rb")
  if not f then
    return nil
  end
  local n = f:seek("end")
  f:close()
  return n
end

-- One attempt: open with `mode` ("rw", "ro" or "immutable") and set up; db, or nil, error.
local function open_as(path, mode, busy)
  local ok, db = pcall(C.open, path, mode ~= "rw", busy, json.encode, mode == "immutable")
  if not ok then
    return nil, strip(db)
  end
  local ok2, err = pcall(set_up, db, path, { readonly = mode ~= "rw" })
  if not ok2 then
    db:close()
    return nil, strip(err)
  end
  return db
end

-- A store that SQLite could open but not read or write where it lies (a read-only directory,
-- or a read-only file there): read it as an immutable file, when no write-ahead log holds
-- changes that only the missing WAL index could read.
local function open_archived(path, busy, err)
  local wal = file_size(path .. "-wal")
  if wal and wal > 0 then
    return nil, ("dossier.store: cannot read '%s': its directory is read-only, and its "
      .. "write-ahead log '%s-wal' (%d bytes) may hold changes that SQLite can only read by "
      .. "creating '%s-shm' there; open it once where it can be written, or copy the store "
      .. "with its -wal file to a writable directory (%s)"):format(path, path, wal, path,
      (err:gsub("^dossier%.store: ", "")))
  end
  local db, err2 = open_as(path, "immutable", busy)
  if db then
    db:_state().archived = true
  end
  return db, err2
end

--- Whether `dossier.open` reads `s` as a PostgreSQL address rather than a file name: a
-- `postgresql://` or `postgres://` URI, or a libpq key=value string (`host=... dbname=...`).
-- @tparam string s what the user gave
-- @treturn boolean
function M.is_postgresql(s)
  return s:find("^postgres://") ~= nil or s:find("^postgresql://") ~= nil
    or s:find("^%s*[%a_]+%s*=%s*[^%s=]") ~= nil and s:find("dbname%s*=") ~= nil
      or s:find("^%s*host%s*=") ~= nil
end

--- Raise "<what>: not supported on the PostgreSQL store yet" when `db` is one: for the parts of
-- dossier that still speak SQLite only (see doc/scale.md), so they stop with a clear
-- error before they write anything.
-- @param db a store
-- @tparam string what the caller's name, e.g. "dossier.extract"
function M.require_sqlite(db, what)
  if db.backend ~= nil then
    error(("%s: not supported on the PostgreSQL store yet (%s); use an SQLite store for it, "
      .. "see doc/scale.md"):format(what, db:backend()), 3)
  end
end

--- Open (or create) a store and bring its schema up to date.
--
-- `path` may also name a PostgreSQL database (see `is_postgresql`): the store then lives there,
-- with the same methods, schema and migrations (`dossier.store_pg`).
--
-- A store that cannot be written where it lies (an archive: its file or its directory is
-- read-only) opens read-only: reads work, writes fail with SQLITE_READONLY, and
-- `db:readonly()` is true. When SQLite cannot even create its WAL index there, the file is
-- read as immutable (no locks: nothing may write it meanwhile).
-- @tparam string path a file name, or `":memory:"`
-- @tparam[opt] table opts `readonly` (open read-only: writes fail with
-- SQLITE_READONLY), `busy_timeout` (milliseconds to wait for another
-- writer, default 10000)
-- @return the store (a userdata; `close`, `__close` and `__gc` close it)
function M.open(path, opts)
  if type(path) ~= "string" then
    error("dossier.store: open expects a file name or ':memory:', got " .. type(path), 2)
  end
  if M.is_postgresql(path) then
    local ok, db = pcall(require("dossier.store_pg").open, path, opts)
    if not ok then
      error(strip(db), 2)
    end
    return db
  end
  opts = opts or {}
  local busy = opts.busy_timeout or 10000
  if math.type(busy) ~= "integer" or busy < 0 then
    error("dossier.store: busy_timeout must be a non-negative integer (milliseconds)", 2)
  end
  local db, err = open_as(path, opts.readonly and "ro" or "rw", busy)
  if not db and cannot_write_here(err) and file_size(path) then
    db, err = open_archived(path, busy, err)
  end
  if not db then
    error(err, 2)
  end
  return db
end

-- What dossier.store_pg builds its store from: one owner for the schema, the document checks
-- and the transaction rules.
M._shared = { migrations = migrations, begin = begin, commit = commit, rollback = rollback,
  strip = strip, json = json }

-- ---------------------------------------------------------------------------
-- documents

local function zone_ok(z)
  if z == "" or z == "Z" then
    return true
  end
  local h, m = z:match("^[+-](%d%d):?(%d%d)$")
  if not h then
    h = z:match("^[+-](%d%d)$")
    m = "00"
  end
  return h ~= nil and tonumber(h) <= 23 and tonumber(m) <= 59
end

local function time_ok(s)
  local hh, mm, rest = s:match("^[T ](%d%d):(%d%d)(.*)$")
  if not hh or tonumber(hh) > 23 or tonumber(mm) > 59 then
    return false
  end
  local ss, rest2 = rest:match("^:(%d%d)(.*)$")
  if ss then
    if tonumber(ss) > 60 then
      return false
    end
    rest = rest2:match("^[.,]%d+(.*)$") or rest2
  end
  return zone_ok(rest)
end

--- Check an ISO 8601 date: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, optionally with
-- `THH:MM[:SS[.fff]]` and a zone (`Z`, `+HH:MM`, `+HHMM`, `+HH`).
-- @tparam string s the date
-- @return `true`, or `false` when it is not such a date
function M.valid_date(s)
  if type(s) ~= "string" then
    return false
  end
  local y, rest = s:match("^(%d%d%d%d)(.*)$")
  if not y then
    return false
  end
  if rest == "" then
    return true
  end
  local m, rest2 = rest:match("^%-(%d%d)(.*)$")
  m = tonumber(m)
  if not m or m < 1 or m > 12 then
    return false
  end
  if rest2 == "" then
    return true
  end
  local d, rest3 = rest2:match("^%-(%d%d)(.*)$")
  d = tonumber(d)
  y = tonumber(y)
  if not d or d < 1 or d > calendar.days_in(y, m) then
    return false
  end
  return rest3 == "" or time_ok(rest3)
end
local valid_date = M.valid_date

local DOC_STRINGS = { "url", "title", "lang", "script", "ext_id" }
local DOC_FIELDS = { source = true, text = true, published = true, attrs = true }
for _, k in ipairs(DOC_STRINGS) do
  DOC_FIELDS[k] = true
end

local INSERT_DOC = [[
INSERT INTO documents (hash, source_id, ext_id, url, title, lang, script, published, text, attrs)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING]]
local DOC_BY_HASH = "SELECT id FROM documents WHERE hash = ?"

local function source_id(self, st, name)
  local id = st.sources[name]
  if id then
    return id
  end
  self:exec("INSERT INTO sources (name) VALUES (?) ON CONFLICT (name) DO NOTHING", name)
  id = self:value("SELECT id FROM sources WHERE name = ?", name)
  st.sources[name] = id
  return id
end

--- The id of the source called `name`, created on first use.
-- @tparam string name the source (outlet) name
-- @return the id
function Store:source(name)
  if type(name) ~= "string" then
    error("dossier.store: source expects a name", 2)
  end
  local ok, id = pcall(source_id, self, self:_state(), name)
  if not ok then
    error(strip(id), 2)
  end
  return id
end

-- A string field, or nil; raises (without position) when it is neither.
local function str_field(t, k)
  local v = t[k]
  if v == nil or v == json_null then
    return nil
  end
  if type(v) ~= "string" then
    fail(("dossier.store: field '%s' must be a string, got %s"):format(k, type(v)))
  end
  local ok, bad = utf8.len(v)
  if not ok then
    fail(("dossier.store: field '%s' is not valid UTF-8 (byte %d)"):format(k, bad))
  end
  return v
end

-- The checked values of a document table: its hash, source name, DOC_STRINGS values (url,
-- title, lang, script, ext_id), published date, text and attrs as JSON; raises (without
-- position) on a bad field.
local function doc_values(t)
  if type(t) ~= "table" then
    fail("dossier.store: add_document expects a table")
  end
  local text = t.text
  if text == nil or text == json_null then
    fail("dossier.store: the document has no text")
  end
  text = str_field(t, "text")
  if not text:find("%S") then
    fail("dossier.store: the document text is empty")
  end
  local source = str_field(t, "source")
  local v = {}
  for i, k in ipairs(DOC_STRINGS) do
    v[i] = str_field(t, k)
  end
  local published = t.published
  if published == json_null then
    published = nil
  end
  if published ~= nil and not valid_date(published) then
    fail(("dossier.store: published %s is not an ISO 8601 date "
      .. "(YYYY, YYYY-MM, YYYY-MM-DD[THH:MM[:SS]][zone])")
      :format(type(published) == "string" and ("'" .. published .. "'") or ("(a " .. type(published) .. ")")))
  end
  local attrs
  for k, x in pairs(t) do
    if not DOC_FIELDS[k] and x ~= json_null then
      attrs = attrs or {}
      attrs[k] = x
    end
  end
  if t.attrs ~= nil and t.attrs ~= json_null then
    if type(t.attrs) ~= "table" then
      fail("dossier.store: field 'attrs' must be a table, got " .. type(t.attrs))
    end
    attrs = attrs or {}
    for k, x in pairs(t.attrs) do
      attrs[k] = x
    end
  end
  if attrs then
    local err
    attrs, err = json.encode(attrs)
    if not attrs then
      fail("dossier.store: cannot encode the document's attrs as JSON: " .. tostring(err))
    end
  end
  return C.doc_hash(source or "", text), source, v, published, text, attrs
end

local function insert_doc(self, st, t)
  local hash, source, v, published, text, attrs = doc_values(t)
  for attempt = 1, 2 do
    local sid = source and source_id(self, st, source)
    local ok, changed = pcall(self.exec, self, INSERT_DOC, hash, sid, v[5], v[1], v[2], v[3], v[4],
      published, text, attrs)
    if ok then
      if changed == 1 then
        return self:last_id(), true
      end
      return self:value(DOC_BY_HASH, hash), false
    end
    -- A cached source id from a transaction someone rolled back behind our
    -- back: forget the cache and try once more.
    if attempt == 2 or aborted(self) or not (tostring(changed):find("SQLITE_CONSTRAINT_FOREIGNKEY", 1, true)
      or tostring(changed):find("(SQLSTATE 23503)", 1, true)) then
      fail(strip(changed))
    end
    st.sources = {}
  end
end

M._shared.doc_values, M._shared.source_id = doc_values, source_id

--- Add one document; the same text (after whitespace normalisation) from the
-- same source is stored once.
-- @tparam table doc `text` (required, UTF-8), `source` (name; created on
-- first use), `title`, `url`, `lang`, `script`, `ext_id`, `published` (ISO
-- 8601), `attrs` (table); any other field is kept in `attrs`
-- @return id, is_new
function Store:add_document(doc)
  local ok, id, new = pcall(insert_doc, self, self:_state(), doc)
  if not ok then
    error(strip(id), 2)
  end
  return id, new
end

-- ---------------------------------------------------------------------------
-- events and claims

--- Add an event: `add_event{doc_id=, type=, ...}` → id. Keys are the columns
-- of `events` (doc_id, run_id, rule, type, actor1, actor2, item, qty, unit,
-- date, modality, negated, start, stop, sent_start, sent_stop, attrs); any
-- other key is an error naming it; `attrs` may be a table (stored as JSON).
-- Runs in C: one call binds the table and inserts.
-- @function Store:add_event
Store.add_event = C.inserter([[
INSERT INTO events (id, doc_id, run_id, rule, type, actor1, actor2, item, qty, unit, date, modality,
  negated, start, stop, sent_start, sent_stop, attrs)
VALUES (:id, :doc_id, :run_id, :rule, :type, :actor1, :actor2, :item, :qty, :unit, :date, :modality,
  coalesce(:negated, 0), :start, :stop, :sent_start, :sent_stop, :attrs)]], "add_event")

--- Add a claim: `add_claim{doc_id=, ...}` → id. Keys are the columns of
-- `claims` (doc_id, event_id, run_id, speaker, source_id, via, stance, cue,
-- start, stop, attrs); any other key is an error naming it.
-- @function Store:add_claim
Store.add_claim = C.inserter([[
INSERT INTO claims (id, doc_id, event_id, run_id, speaker, source_id, via, stance, cue, start, stop,
  attrs)
VALUES (:id, :doc_id, :event_id, :run_id, :speaker, :source_id, :via, :stance, :cue, :start, :stop,
  :attrs)]], "add_claim")

local WRITER_METHOD = { events = "add_event", claims = "add_claim" }

--- A writer of many rows into `events` or `claims`, for a caller that does not need each new
-- id: `w:add(t)` (also under the store method's name, `w:add_event(t)` or `w:add_claim(t)`, so
-- code written against the store takes it in its place) and `w:close()`, which writes what is
-- left (a to-be-closed value: closed by an error, it drops what it holds). On SQLite each row is
-- added at once (the C inserter is the fast path there); on PostgreSQL the rows go in by COPY,
-- a thousand at a time.
-- @param db a store
-- @tparam string tbl "events" or "claims"
-- @return the writer
function M.writer(db, tbl)
  local method = WRITER_METHOD[tbl]
  if not method then
    error("dossier.store: writer: expects \"events\" or \"claims\", got " .. tostring(tbl), 2)
  end
  if db.backend ~= nil then
    return require("dossier.store_pg").writer(db, tbl, method)
  end
  local add = db[method]
  local w = setmetatable({}, { __close = function() end })
  w.add = function(_, t) return add(db, t) end
  w[method] = w.add
  w.close = function() end
  return w
end

-- ---------------------------------------------------------------------------
-- search

local SEARCH = [[
SELECT d.id, d.title, d.url, d.published, d.lang, d.script, d.ext_id, d.text, d.attrs, d.added,
  d.source_id, s.name AS source, documents_fts.rank AS rank
FROM documents_fts
JOIN documents AS d ON d.id = documents_fts.rowid
LEFT JOIN sources AS s ON s.id = d.source_id
WHERE documents_fts MATCH ?
ORDER BY documents_fts.rank
LIMIT ?]]

--- Full-text search over titles and texts, best match first.
-- @tparam string query an FTS5 query (`north korea`, `"rocket launch"`,
-- `sanction* NOT iran`); with `opts.literal` the whole string is one phrase
-- @tparam[opt] table opts `literal` (quote the query), `limit`
-- @return an iterator of document rows (id, title, url, published, lang,
-- script, ext_id, text, attrs, added, source_id, source, rank), for a
-- generic `for`; a malformed query raises a "dossier.store: search: ..." error
function Store:search(query, opts)
  if type(query) ~= "string" then
    error("dossier.store: search expects a query string", 2)
  end
  opts = opts or {}
  if opts.literal then
    query = '"' .. query:gsub('"', '""') .. '"'
  end
  local limit = opts.limit or -1
  local ok, it, state, _, closer = pcall(self.rows, self, SEARCH, query, limit)
  if not ok then
    error(strip(it), 2)
  end
  -- Step once now, so a syntax error surfaces here and not inside the loop.
  local ok2, first = pcall(it, state)
  if not ok2 then
    error("dossier.store: search: " .. strip(first):gsub("^dossier%.store: ", ""), 2)
  end
  local function next_row()
    if first then
      local r = first
      first = nil
      return r
    end
    return it(state)
  end
  return next_row, nil, nil, closer
end

-- ---------------------------------------------------------------------------
-- ingest

local function basename(p)
  return (p:gsub("/+$", ""):match("([^/]+)$")) or p
end

local function dirname(p)
  return p:match("^(.*)/[^/]*$") or "."
end

local function file_kind(name)
  local ext = name:match("%.([^./]+)$")
  ext = ext and ext:lower()
  if ext == "txt" then
    return "txt"
  elseif ext == "jsonl" or ext == "ndjson" then
    return "jsonl"
  end
end

-- Files under path (sys.walk: depth first in byte order of names, no
-- directory twice), .jsonl/.ndjson and .txt ones; hidden entries and other
-- extensions are skipped. A file named explicitly is read as plain text when
-- it ends in .txt, as JSONL in .jsonl/.ndjson, and is sniffed otherwise.
-- Returns the files and the skipped entries, or nil, message.
local function collect(path)
  local found, skipped = sys.walk(path, file_kind)
  if not found then
    return nil, skipped
  end
  local explicit = #found == 1 and found[1].path == path
  for _, f in ipairs(found) do
    f.kind = explicit and (file_kind(path) or "sniff") or file_kind(f.path)
  end
  return found, skipped
end

-- JSONL fields that map to document columns; the rest goes to attrs.
local JSON_MAPPED = { id = true, outlet = true, source = true, date = true, lang = true,
  script = true, title = true, text = true, url = true }

local function nn(v)
  if v == json_null then
    return nil
  end
  return v
end

-- A decoded JSONL object -> document table, or nil, message.
local function from_json(obj, default_source)
  local outlet, source = nn(obj.outlet), nn(obj.source)
  for _, k in ipairs({ "outlet", "source" }) do
    local x = nn(obj[k])
    if x ~= nil and type(x) ~= "string" then
      return nil, ("dossier.store: field '%s' must be a string, got %s"):format(k, type(x))
    end
  end
  local id = nn(obj.id)
  if math.type(id) == "integer" or (math.type(id) == "float" and id == math.floor(id)) then
    id = ("%d"):format(id)
  elseif id ~= nil and type(id) ~= "string" then
    return nil, "dossier.store: field 'id' must be a string or an integer, got " .. type(id)
  end
  local text = nn(obj.text)
  if text == nil then
    return nil, "dossier.store: the object has no 'text'"
  elseif type(text) ~= "string" then
    return nil, "dossier.store: field 'text' must be a string, got " .. type(text)
  end
  local date = nn(obj.date)
  if date ~= nil and not M.valid_date(date) then
    return nil, ("dossier.store: field 'date' %s is not an ISO 8601 date "
      .. "(YYYY, YYYY-MM, YYYY-MM-DD[THH:MM[:SS]][zone])")
      :format(type(date) == "string" and ("'" .. date .. "'") or ("(a " .. type(date) .. ")"))
  end
  local doc = {
    source = outlet or source or default_source,
    ext_id = id,
    published = date,
    lang = nn(obj.lang),
    script = nn(obj.script),
    title = nn(obj.title),
    text = text,
    url = nn(obj.url),
  }
  local attrs
  if outlet and source then
    attrs = { source = source } -- the outlet names the source; keep the provenance
  end
  for k, x in pairs(obj) do
    if not JSON_MAPPED[k] and x ~= json_null then
      attrs = attrs or {}
      attrs[k] = x
    end
  end
  doc.attrs = attrs
  return doc
end

-- The first non-blank line of a text, trimmed and cut to 200 characters.
local function first_line(text)
  for line in text:gmatch("[^\n]+") do
    local t = line:match("^%s*(.-)%s*$")
    if t ~= "" then
      if utf8.len(t) and utf8.len(t) > 200 then
        t = t:sub(1, utf8.offset(t, 201) - 1)
      end
      return t
    end
  end
end

-- A one-line progress bar: percent of the bytes, documents, MB/s, ETA.
local function progress_bar(out, total)
  local bar = progress.bar(out, total, sys.now, function(_, rate, docs)
    return ("%d docs  %.1f MB/s"):format(docs, rate / 1e6)
  end)
  return function(docs, bytes, done) bar(bytes, done, docs) end
end

-- One ingest run: the store, its options, the result so far and the open batch.
local Ingest = {}
Ingest.__index = Ingest

function Ingest:reject(file, line, msg)
  local res = self.res
  res.rejected = res.rejected + 1
  if #res.errors < self.max_errors then
    res.errors[#res.errors + 1] = { file = file, line = line, message = msg }
  else
    res.errors_truncated = true
  end
end

-- Commit the open batch (when we own the transaction).
-- A store that loads documents in bulk (the PostgreSQL store: its state's bulk_add buffers a
-- checked document, bulk_flush writes the buffer with COPY and says how many were new) writes
-- them here, once a batch.
function Ingest:write_bulk()
  local flush = self.st.bulk_flush
  if flush then
    local added, duplicates = flush(self.db, self.st)
    self.res.added, self.res.duplicates = self.res.added + added, self.res.duplicates + duplicates
  end
end

function Ingest:flush()
  self:write_bulk()
  if self.in_tx then
    self.in_tx = false
    commit(self.db, self.st)
    if self.opts.on_batch then
      self.opts.on_batch(self.res)
    end
  end
  self.pending = 0
end

function Ingest:add(doc, file, line)
  local db, res = self.db, self.res
  if self.own and not self.in_tx then
    begin(db, self.st)
    self.in_tx = true
  end
  local ok, id, new = pcall(self.st.bulk_add or insert_doc, db, self.st, doc)
  if ok then
    if not self.st.bulk_add then -- (a bulk store's are counted when written: write_bulk)
      if new then
        res.added = res.added + 1
      else
        res.duplicates = res.duplicates + 1
      end
    end
  elseif self.own and (db:autocommit() or aborted(db)) then
    -- SQLite rolled the batch back (disk full, I/O error), or PostgreSQL aborted it: stop
    if not db:autocommit() then
      rollback(db, self.st)
    end
    self.in_tx = false
    fail(id)
  else
    self:reject(file, line, strip(id))
  end
  self.pending = self.pending + 1
  if self.own and self.pending >= self.batch then
    self:flush()
  elseif self.pending >= self.batch then
    self:write_bulk() -- inside the caller's transaction: written, not committed
    self.pending = 0
  end
end

function Ingest:draw_progress(bytes, done)
  if self.draw then
    self.draw(self.res.added + self.res.duplicates, bytes, done)
  end
end

-- One JSONL line: a document, or a rejection.
function Ingest:jsonl_line(f, line, lineno, default_source)
  local obj, jerr = json.decode(line)
  if type(obj) ~= "table" then
    self:reject(f.path, lineno, "dossier.store: invalid JSON: " .. (jerr or ("a JSON " .. type(obj)
      .. ", not an object (one article per line: {\"text\": ...})")))
    return
  elseif line:find("^%s*%[") then
    self:reject(f.path, lineno, "dossier.store: the line is a JSON array, not an object "
      .. "(one article per line: {\"text\": ...})")
    return
  end
  local doc, why = from_json(obj, default_source)
  if doc then
    self:add(doc, f.path, lineno)
  else
    self:reject(f.path, lineno, why)
  end
end

function Ingest:jsonl(f)
  local max_line = self.max_line
  local r <close>, oerr = C.lines(f.path, max_line)
  if not r then
    self:reject(f.path, nil, "dossier.store: cannot open " .. oerr)
    return
  end
  local default_source = self.opts.source or basename(f.path):gsub("%.[^.]*$", "")
  local n = 0
  while true do
    local line, lineno, len = r:read()
    if line == nil then
      break
    end
    if line == false then
      self:reject(f.path, lineno, ("dossier.store: line too long (%d bytes, max_line is %d)")
        :format(len, max_line))
    elseif line:find("%S") then
      self:jsonl_line(f, line, lineno, default_source)
    end
    n = n + 1
    if self.draw and n % 64 == 0 then
      self:draw_progress(self.done_bytes + r:tell())
    end
  end
end

function Ingest:txt(f)
  local max_line, opts = self.max_line, self.opts
  if f.size > max_line then
    self:reject(f.path, nil, ("dossier.store: file too large for one document (%d bytes, max_line is %d)")
      :format(f.size, max_line))
    return
  end
  local fh <close>, oerr = io.open(f.path, "rb")
  if not fh then
    self:reject(f.path, nil, "dossier.store: cannot open " .. oerr)
    return
  end
  local text = fh:read(max_line + 1) or ""
  local doc = {
    source = opts.source or basename(dirname(f.path)),
    ext_id = f.path,
    title = utf8.len(text) and first_line(text) or nil,
    text = text,
    lang = opts.lang,
    script = opts.script,
  }
  self:add(doc, f.path, 1)
end

-- What a file named without a known extension holds, from its first 64 KiB: "jsonl" when its
-- first non-blank byte opens a JSON value, "txt" for other UTF-8 text, or nil and why not.
local function sniff(path)
  local fh <close>, oerr = io.open(path, "rb")
  if not fh then
    return nil, "dossier.store: cannot open " .. oerr
  end
  local head = fh:read(65536) or ""
  local nul = head:find("\0", 1, true)
  local valid, bad = utf8.len(head)
  if not valid and #head - bad < 3 and utf8.len(head:sub(1, bad - 1)) then
    valid = true -- a character cut by the 64 KiB window
  end
  if nul or not valid then
    return nil, ("dossier.store: not a JSONL or text file: binary data (%s at byte %d); "
      .. "ingest reads JSONL (.jsonl, .ndjson) and UTF-8 text (.txt)")
      :format(nul and "a NUL byte" or "invalid UTF-8", nul or bad)
  end
  local first = head:match("^%s*(.)")
  if first == "[" and path:lower():find("%.json$") then
    return nil, "dossier.store: a JSON array file, not JSONL (one object per line); "
      .. "convert it with: jq -c '.[]' FILE > FILE.jsonl"
  end
  return (first == "{" or first == "[") and "jsonl" or "txt"
end

function Ingest:files(files)
  for _, f in ipairs(files) do
    local kind, why = f.kind, nil
    if kind == "sniff" then
      kind, why = sniff(f.path)
    end
    if not kind then
      self:reject(f.path, nil, why) -- one error for the whole file
    elseif kind == "txt" then
      self:txt(f)
    else
      self:jsonl(f)
    end
    self.done_bytes = self.done_bytes + f.size
    self:draw_progress(self.done_bytes)
  end
  self:flush()
end

-- The checked options of `ingest`: batch, max_line, max_errors (errors point at its caller).
local function ingest_limits(opts)
  local batch = opts.batch or 1000
  local max_line = opts.max_line or 16 * 1024 * 1024
  local max_errors = opts.max_errors or 1000
  if math.type(batch) ~= "integer" or batch < 1 then
    error("dossier.store: batch must be a positive integer", 3)
  end
  if math.type(max_line) ~= "integer" or max_line < 1 then
    error("dossier.store: max_line must be a positive integer", 3)
  end
  return batch, max_line, max_errors
end

-- The progress bar of a run over `total` bytes: where opts.progress says, else on a terminal.
local function progress_of(opts, total)
  if type(opts.progress) == "userdata" or type(opts.progress) == "table" then
    return progress_bar(opts.progress, total) -- drawn where the caller says, terminal or not
  elseif opts.progress ~= false and sys.isatty(2) then
    return progress_bar(io.stderr, total)
  end
end

--- Load documents from a JSONL file, a plain-text file or a directory of
-- them (recursively, in sorted order, each directory once; `.jsonl`/`.ndjson`
-- and `.txt` files).
-- JSONL: one object per line with `text` and optionally `id`, `outlet` or
-- `source`, `date`, `lang`, `script`, `title`, `url`; other fields go to
-- attrs. A `.txt` file is one document: its title is its first non-blank
-- line. Reading streams line by line (memory bounded by `max_line`), and
-- commits every `batch` documents. A bad line is counted and reported, and
-- the rest goes on.
-- @tparam string path a file or directory
-- @tparam[opt] table opts `batch` (documents per transaction, default 1000),
-- `max_line` (bytes, default 16 MiB), `max_errors` (error entries kept,
-- default 1000), `source` (for documents that name none), `lang`, `script`
-- (for .txt files), `progress` (false: never draw the progress bar),
-- `on_batch` (function(result) called after each commit); the progress bar
-- (documents, percent, MB/s, ETA) goes to stderr when it is a terminal, or to
-- `opts.progress` when that is a file handle (anything with `:write`)
-- @return `{added=, duplicates=, rejected=, errors={{file=, line=, message=}, ...}, files=, bytes=,
-- skipped={{path=, reason=}, ...}}` (`skipped`: the links and directories not followed, as a
-- link back into the tree, see `dossier.sys.walk`), or nil, message when path cannot be read
function Store:ingest(path, opts)
  if type(path) ~= "string" then
    error("dossier.store: ingest expects a file or directory name", 2)
  end
  opts = opts or {}
  local batch, max_line, max_errors = ingest_limits(opts)
  local files, skipped = collect(path)
  if not files then
    return nil, "dossier.store: cannot read " .. skipped
  end
  local st = self:_state()
  if st.readonly then
    error(("dossier.store: ingest: the store is open read-only%s"):format(st.archived
      and " (its file or directory cannot be written)" or ""), 2)
  end
  local total = 0
  for _, f in ipairs(files) do
    total = total + f.size
  end
  local run = setmetatable({ db = self, st = st, opts = opts, batch = batch, max_line = max_line,
    max_errors = max_errors, own = self:autocommit(), -- else we are inside the caller's transaction
    res = { added = 0, duplicates = 0, rejected = 0, errors = {}, files = #files, bytes = 0,
      skipped = skipped },
    draw = progress_of(opts, total), in_tx = false, pending = 0, done_bytes = 0 }, Ingest)
  local ok, perr = pcall(run.files, run, files)
  if not ok then
    if st.bulk_rows then
      st.bulk_rows = {}
    end
    if run.own and run.in_tx then
      rollback(self, st)
    end
    run:draw_progress(run.done_bytes, true)
    error(strip(perr), 2)
  end
  run:draw_progress(total, true)
  run.res.bytes = total
  return run.res
end

return M
