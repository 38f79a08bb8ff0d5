--- dossier.cli: the `dossier` command (bin/dossier calls `main`).
--
--    dossier ingest DB FILE...        dossier extract DB [RULES.lua]
--    dossier run DB SCRIPT.lua [ARG...] dossier repl DB
--    dossier sql DB "SELECT ..." [PARAM...]   dossier search DB QUERY
--    dossier report DB --html OUT
--
-- Exit codes: 0 success, 1 failure (one line on stderr: "dossier: <message>"),
-- 2 usage error. `DOSSIER_DEBUG=1` adds the Lua traceback to failures.
-- The pieces the command is built from (`pretty`, `table_text`, `csv`) are
-- exported for scripts and the REPL.
--
-- @module dossier.cli
local M = {}

-- ---------------------------------------------------------------------------
-- output helpers (io.stdout/io.stderr are looked up at call time, so a caller
-- that swaps them sees the output)

local function out(...)
  io.stdout:write(...)
end

local function err(...)
  io.stderr:write(...)
end

-- A failure the user caused or can fix: shown as one line, exit 1 (or 2).
local Fail = {}
Fail.__index = Fail
Fail.__tostring = function(e) return e.message end

local function fail(msg, code)
  error(setmetatable({ message = msg, code = code or 1 }, Fail), 0)
end

-- A message without the position inside dossier's own modules it starts with (a script's
-- or rule file's own position is kept: it helps the user).
local function without_position(s)
  return (s:gsub("^[^:\n]*/dossier/[%w_]+%.lua:%d+: ", ""))
end

-- One line for a failure: the first line, without the position of our own
-- modules (a script's position is kept: it helps the user).
local function one_line(e)
  local s = tostring(e)
  s = s:match("^[^\n]*")
  s = without_position(s)
  s = s:gsub("^dossier%.[%w_]+: ", "") -- "dossier: " says it already
  return s
end

local function usage_error(msg)
  fail(msg, 2)
end

local function isatty(fd)
  local ok, sys = pcall(require, "dossier.sys")
  return ok and sys.isatty(fd) or false
end

-- ---------------------------------------------------------------------------
-- pretty printing of Lua values

local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local map = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r" }
    return map[c] or ("\\%d"):format(c:byte())
  end) .. '"'
end

local IDENT = "^[%a_][%w_]*$"
local KEYWORDS = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or repeat
  return then true until while]]):gmatch("%a+") do
  KEYWORDS[w] = true
end

local TYPE_ORDER = { number = 1, string = 2, boolean = 3 }

local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then
    return (TYPE_ORDER[ta] or 9) < (TYPE_ORDER[tb] or 9) or
      ((TYPE_ORDER[ta] or 9) == (TYPE_ORDER[tb] or 9) and ta < tb)
  end
  if ta == "number" or ta == "string" then
    return a < b
  end
  return tostring(a) < tostring(b)
end

-- A function that gives the name of a loaded module, or nil: a loaded module inside a value
-- shows as its name (the names are looked up again when a module was loaded meanwhile: the
-- facade loads its parts as they are listed).
local function module_namer()
  local modules, nloaded = {}, -1
  return function(x)
    local n = 0
    for _ in pairs(package.loaded) do n = n + 1 end
    if n ~= nloaded then
      nloaded, modules = n, {}
      for name, m in pairs(package.loaded) do
        if type(m) == "table" and m ~= _G then modules[m] = name end
      end
    end
    return modules[x]
  end
end

--- Render a Lua value as readable text: nested tables with sorted keys, the
-- array part without keys, cycles and repeated tables marked, a loaded module
-- inside the value as `<module name>`, limits on depth, items per table and
-- string length. Short tables stay on one line.
-- @param v any value
-- @tparam[opt] table opts `depth` (default 5), `items` (per table, default
-- 40), `string` (characters of a string, default 300), `width` (line width
-- for one-line tables, default 80), `indent` (default 2)
-- @treturn string
function M.pretty(v, opts)
  opts = opts or {}
  local max_depth, max_items = opts.depth or 5, opts.items or 40
  local max_str, width, step = opts.string or 300, opts.width or 80, opts.indent or 2
  local active = {}
  local module_name = module_namer()

  local function scalar(x)
    local t = type(x)
    if t == "string" then
      if #x > max_str then
        local cut = utf8.offset(x, max_str + 1) or (max_str + 1)
        if not utf8.len(x:sub(1, cut - 1)) then
          cut = max_str + 1
        end
        return quote(x:sub(1, cut - 1)) .. ("...(%d bytes)"):format(#x)
      end
      return quote(x)
    elseif t == "number" then
      if math.type(x) == "float" and x == math.floor(x) and math.abs(x) < 2 ^ 53 then
        return ("%.1f"):format(x)
      end
      return tostring(x)
    end
    return tostring(x)
  end

  local function render(x, depth, pad)
    if type(x) ~= "table" then
      return scalar(x)
    end
    if active[x] then
      return "<cycle: " .. tostring(x) .. ">"
    end
    local mod = depth > 0 and module_name(x)
    if mod then
      return "<module " .. mod .. ">"
    end
    local mt = getmetatable(x)
    if mt and mt.__tostring and not mt.__pairs then
      return tostring(x)
    end
    if depth >= max_depth then
      return next(x) == nil and "{}" or "{...}"
    end
    active[x] = true
    local n = #x
    local keys = {}
    for k in pairs(x) do
      if not (math.type(k) == "integer" and k >= 1 and k <= n) then
        keys[#keys + 1] = k
      end
    end
    table.sort(keys, key_less)
    local items, shown, total = {}, 0, n + #keys
    local inner = pad .. (" "):rep(step)
    for i = 1, n do
      if shown >= max_items then
        break
      end
      items[#items + 1] = render(x[i], depth + 1, inner)
      shown = shown + 1
    end
    for _, k in ipairs(keys) do
      if shown >= max_items then
        break
      end
      local ks
      if type(k) == "string" and k:find(IDENT) and not KEYWORDS[k] then
        ks = k
      else
        ks = "[" .. scalar(k) .. "]"
      end
      items[#items + 1] = ks .. " = " .. render(x[k], depth + 1, inner)
      shown = shown + 1
    end
    if total > shown then
      items[#items + 1] = ("...(%d more)"):format(total - shown)
    end
    active[x] = nil
    if #items == 0 then
      return "{}"
    end
    local one = "{ " .. table.concat(items, ", ") .. " }"
    if #one + #pad <= width and not one:find("\n", 1, true) then
      return one
    end
    return "{\n" .. inner .. table.concat(items, ",\n" .. inner) .. "\n" .. pad .. "}"
  end

  return render(v, 0, "")
end

-- ---------------------------------------------------------------------------
-- tables of rows

-- A value of an SQL result as a cell: integral REALs keep their ".0" (as sqlite3 shows them), a
-- BLOB or invalid UTF-8 is an SQL hex literal, control characters are spaces.
local function sql_cell(v)
  if v == nil then
    return ""
  end
  if math.type(v) == "float" and v == math.floor(v) and math.abs(v) < 2 ^ 53 then
    return ("%.1f"):format(v)
  elseif type(v) == "string" and (not utf8.len(v) or v:find("\0", 1, true)) then
    return "x'" .. v:sub(1, 64):gsub(".", function(c) return ("%02x"):format(c:byte()) end)
      .. (#v > 64 and "..." or "") .. "'"
  end
  return (tostring(v):gsub("%c", " "))
end

-- A value of an SQL result as a CSV field (before quoting): as `sql_cell`, but text as it is.
local function sql_field(v)
  if math.type(v) == "float" and v == math.floor(v) and math.abs(v) < 2 ^ 53 then
    return ("%.1f"):format(v)
  end
  return v == nil and "" or tostring(v)
end

-- `dossier.report` options for positional rows under `columns`, each cell made by `cellf`.
local function report_opts(columns, cellf)
  local cols, headers, format = {}, {}, {}
  for j, c in ipairs(columns) do
    cols[j], headers[j], format[j] = j, c, cellf
  end
  return { columns = cols, headers = headers, format = format }
end

--- Format rows as an aligned text table that fits `width` columns (`dossier.report.table`:
-- numbers right-aligned, the widest columns cut with "…" until the table fits).
-- @tparam table columns column names in order
-- @tparam table rows arrays of values (`n` = number of values, nil allowed)
-- @tparam[opt] integer width the terminal width (nil: no limit)
-- @treturn string lines ending in "\n"
function M.table_text(columns, rows, width)
  local opts = report_opts(columns, sql_cell)
  opts.width, opts.rule = width and math.max(width, 10) or math.huge, "-"
  return require("dossier.report").table(rows, opts)
end

--- Format rows as CSV (`dossier.report.csv`: RFC 4180 quoting, "\n" line ends).
-- @tparam table columns column names
-- @tparam table rows arrays of values
-- @treturn string
function M.csv(columns, rows)
  local opts = report_opts(columns, sql_field)
  opts.eol = "\n"
  local buf = {}
  require("dossier.report").csv(rows, { write = function(_, s) buf[#buf + 1] = s end }, opts)
  return table.concat(buf)
end

-- Terminal width for tables: $COLUMNS, else the terminal's, else none.
local function term_width()
  local ok, sys = pcall(require, "dossier.sys")
  return ok and sys.terminal_width() or nil
end

-- ---------------------------------------------------------------------------
-- argument parsing

-- Splits argv into positional arguments and options; `spec` maps option
-- names to "flag" or "value". "--" ends the options.
local function parse(cmd, argv, spec)
  local pos, o = {}, {}
  local i = 1
  while i <= #argv do
    local a = argv[i]
    if a == "--" then
      for j = i + 1, #argv do
        pos[#pos + 1] = argv[j]
      end
      break
    elseif a == "-h" or a == "--help" then
      o.help = true
    elseif a:find("^%-%-[%w][%w-]*$") or a:find("^%-%-[%w][%w-]*=") then -- not SQL starting with "--"
      local name, val = a:match("^%-%-([^=]+)=(.*)$")
      name = name or a:sub(3)
      local kind = spec[name]
      if not kind then
        usage_error(("%s: unknown option '--%s' (see dossier %s --help)"):format(cmd, name, cmd))
      end
      if kind == "flag" then
        if val then
          usage_error(("%s: option '--%s' takes no value"):format(cmd, name))
        end
        o[name] = true
      else
        if not val then
          i = i + 1
          val = argv[i]
          if val == nil then
            usage_error(("%s: option '--%s' needs a value"):format(cmd, name))
          end
        end
        if kind == "int" then
          local n = math.tointeger(tonumber(val))
          if not n or n < 1 then
            usage_error(("%s: option '--%s' needs a positive integer, got '%s'"):format(cmd, name, val))
          end
          val = n
        elseif kind == "size" then
          local digits, unit = val:match("^(%d+)([KkMmGg]?)$")
          local n = digits and math.tointeger(tonumber(digits))
          if not n or n < 1 then
            usage_error(("%s: option '--%s' needs a size in bytes (a positive integer, or with K, M "
              .. "or G: 64M), got '%s'"):format(cmd, name, val))
          end
          val = n * ({ [""] = 1, k = 1024, m = 1024 * 1024, g = 1024 * 1024 * 1024 })[unit:lower()]
        end
        o[name] = val
      end
    else
      pos[#pos + 1] = a
    end
    i = i + 1
  end
  return pos, o
end

local function file_exists(path)
  local f = io.open(path, "rb")
  if f then
    f:close()
    return true
  end
  return false
end

-- Opens the store. `existing`: refuse to create a new file.
local function open_db(path, existing, opts)
  if existing and path ~= ":memory:" and not require("dossier.store").is_postgresql(path)
    and not file_exists(path) then
    fail(("no such store '%s' (create one with: dossier ingest %s FILE...)"):format(path, path))
  end
  return require("dossier.store").open(path, opts)
end

-- A parameter from the command line: numbers written as SQLite writes them (`12`, `-3`, `1.5`,
-- `2e3`) as numbers, the rest as text, so `007`, `+5` and `1.50` keep their characters.
local function no_leading_zero(digits)
  return digits == "0" or digits:sub(1, 1) ~= "0"
end

local function param(s)
  local int = s:match("^%-?(%d+)$")
  if int then
    return no_leading_zero(int) and math.tointeger(tonumber(s)) or s -- beyond 64 bits: text
  end
  local whole, frac = s:match("^%-?(%d+)%.(%d+)$")
  if whole and no_leading_zero(whole) and frac:sub(-1) ~= "0" then
    return tonumber(s)
  end
  local mant = s:match("^%-?(%d+)%.?%d*[eE][+-]?%d+$")
  if mant and no_leading_zero(mant) then
    return tonumber(s)
  end
  return s
end

-- ---------------------------------------------------------------------------
-- subcommands

local HELP = {}
local COMMANDS = {}
local ORDER = { "ingest", "extract", "run", "repl", "sql", "search", "report", "eval" }

HELP.main = [[
usage: dossier COMMAND DB [ARGS...]

Commands:
  ingest DB FILE...          load JSONL/.txt files or directories into the store DB
  extract DB [RULES.lua]     code the documents into events with a rule set
  run DB SCRIPT.lua [ARG...] run a Lua script with `dossier`, `db` and `arg` set
  repl DB                    an interactive Lua prompt with `dossier` and `db`
  sql DB "SELECT ..." [P...] run SQL (parameters bound to ?), print a table
  search DB QUERY            full-text search (FTS5 syntax) over the documents
  report DB --html OUT       an HTML report: violations, claims, evidence
  eval GOLD.jsonl...         score the rules and claims on hand-coded real news

Options:
  -h, --help                 this help; `dossier COMMAND --help` for a command
  --version                  print the version

DB is an SQLite file (created by ingest), or a PostgreSQL database: postgresql://user@host/db
or a libpq "host=... dbname=..." string (doc/scale.md). Exit codes: 0 ok, 1 failure,
2 usage.
Set DOSSIER_DEBUG=1 to see Lua tracebacks of failures.
]]

HELP.ingest = [[
usage: dossier ingest DB FILE... [options]

Loads documents into the store DB (created if missing): JSONL files (one
article per line: text, title, date, lang, outlet/source, url, id), plain .txt
files (one document each) and directories of them (recursively). Documents
already in the store are counted as duplicates; bad lines are skipped and
reported.

Options:
  --source NAME   source for documents that name none
  --lang CODE     language of .txt files (en, sr, hr, ...)
  --script NAME   script of .txt files (Latn, Cyrl)
  --batch N       documents per transaction (default 1000)
  --errors N      show up to N rejected lines on stderr (default 5)
  --max-line SIZE the longest JSONL line or .txt file read, in bytes or
                  with K, M or G (default 16M)
  --quiet         no progress bar and no summary

A file named on the command line that ends in neither .jsonl/.ndjson nor .txt
is read as JSONL when it starts with '{' or '[', as text otherwise; a binary
file is one error. Exits 1 when lines were rejected and none was added (or
already stored).
]]

HELP.extract = [[
usage: dossier extract DB [RULES.lua] [options]

Codes every document of DB that this rule set has not coded yet into events.
RULES.lua is a Lua file that returns a rule set (dossier.rules); without it
the shipped sanctions rule set (dossier.rules.sanctions) is used. After a
rule change only the changed rules are re-run.

Options:
  --force         re-code every document
  --name NAME     rule set name (default: the rule set's own, else "rules")
  --batch N       documents per transaction (default 5000; with jobs, smaller)
  --jobs N        scan with N worker processes, this one writing (default 1:
                  no worker; two are slower than one on 2 cores; doc/scale.md)
  --quiet         no progress bar and no summary
]]

HELP.run = [[
usage: dossier run DB SCRIPT.lua [ARG...]

Runs a Lua script with the globals `dossier` (require "dossier"), `db` (the
open store DB, created if missing) and `arg` (arg[0] = SCRIPT.lua, then the
ARGs). The store is closed when the script ends.
]]

HELP.repl = [[
usage: dossier repl DB

An interactive Lua 5.4 prompt with `dossier` and `db` (the store DB, created
if missing) loaded. Expressions are printed (tables pretty-printed); `=expr`
and statements work; an incomplete chunk continues on the next line. Line
editing and history (~/.dossier_history, or $DOSSIER_HISTORY) when
lua-readline is installed. Ctrl-C cancels the line being typed, or stops the
chunk running. End with Ctrl-D or os.exit().
]]

HELP.sql = [[
usage: dossier sql DB "SQL" [PARAM...] [options]

Runs one SQL statement on DB with PARAMs bound to its ? placeholders
(numbers as numbers, the rest as text: 007 stays text) and prints the result as an aligned
table that fits the terminal width ($COLUMNS), or the number of rows changed.

Options:
  --csv           print CSV instead
  --json          print a JSON array of objects instead
]]

HELP.search = [[
usage: dossier search DB QUERY [options]

Full-text search over titles and texts (FTS5 syntax: words, "phrases",
prefix*, AND/OR/NOT, title: ...), best match first.

Options:
  --limit N       at most N documents (default 20)
  --literal       search for QUERY as one phrase
]]

HELP.report = [[
usage: dossier report DB --html OUT

Writes one self-contained HTML page to OUT: the sanctions violations and
their counts, a timeline, the claims compared across sources, and for every
number the sentences behind it. Run `dossier extract` first (and the claims
analysis, e.g. examples/claims.lua, for the comparison of sources).
]]

HELP.eval = [[
usage: dossier eval GOLD.jsonl... [options]

Codes every passage of the gold files (JSONL, the format of ANNOTATION.md) in a
fresh in-memory store with the shipped rule set (or --rules), finds claims,
and prints precision, recall and F1 of the events (overall, per type, per
language and script), modality and negation accuracy on the matched events,
and the claims' speaker+stance precision and recall. The repository's gold set
is eval/gold/dev.jsonl (tune on it) and eval/gold/test.jsonl (report only:
never read its errors while writing rules); `make eval` scores both.

Options:
  --rules FILE.lua   a rule file instead of dossier.rules.sanctions
  --half dev|test    only the records of that half (by the hash of their id)
  --json OUT         also write the figures as JSON to OUT
  --errors           list every miss and false positive with its sentence
]]

local function need(cmd, pos, n, what)
  if #pos < n then
    usage_error(("%s: missing %s (see dossier %s --help)"):format(cmd, what, cmd))
  end
end

local function too_many(cmd, pos, n)
  if #pos > n then
    usage_error(("%s: unexpected argument '%s' (see dossier %s --help)"):format(cmd, pos[n + 1], cmd))
  end
end

-- The progress option for store calls: false with --quiet, else the default
-- (a bar on stderr when it is a terminal).
local function quiet_progress(o)
  if o.quiet then
    return false
  end
  return nil
end

function COMMANDS.ingest(argv)
  local pos, o = parse("ingest", argv, { source = "value", lang = "value", script = "value", batch = "int",
    quiet = "flag", errors = "int", ["max-line"] = "size" })
  if o.help then return out(HELP.ingest) end
  need("ingest", pos, 1, "DB")
  need("ingest", pos, 2, "FILE")
  local show = o.errors or 5
  local db <close> = open_db(pos[1])
  local total = { added = 0, duplicates = 0, rejected = 0 }
  local shown = {}
  for i = 2, #pos do
    local r, e = db:ingest(pos[i], { source = o.source, lang = o.lang, script = o.script, batch = o.batch,
      progress = quiet_progress(o), max_errors = math.max(show, 1000), max_line = o["max-line"] })
    if not r then
      fail(e)
    end
    for k in pairs(total) do
      total[k] = total[k] + r[k]
    end
    for _, x in ipairs(r.errors) do
      if #shown < show then
        shown[#shown + 1] = x
      end
    end
    for _, x in ipairs(not o.quiet and r.skipped or {}) do
      err(("dossier: skipped %s: %s\n"):format(x.path, x.reason))
    end
  end
  if not o.quiet then
    out(("added %d, duplicates %d, rejected %d\n"):format(total.added, total.duplicates, total.rejected))
    for _, x in ipairs(shown) do
      local msg = x.message:gsub("^dossier%.store: ", "")
      if msg:find("max_line is %d+%)$") then
        msg = msg .. " (raise it with --max-line)"
      end
      err(("dossier: %s%s: %s\n"):format(x.file, x.line and (":" .. x.line) or "", msg))
    end
    if total.rejected > #shown then
      err(("dossier: ... and %d more rejected (see them all with --errors %d)\n"):format(
        total.rejected - #shown, total.rejected))
    end
  end
  if total.rejected > 0 and total.added + total.duplicates == 0 then
    fail(("ingest: no document added: all %d records were rejected"):format(total.rejected))
  end
end

-- A rule set from a rule file, or the shipped one.
local function load_rules(path)
  local has_rules, rules = pcall(require, "dossier.rules")
  if path then
    if not file_exists(path) then
      fail(("cannot open rule file '%s'"):format(path))
    end
    local rs, e
    if has_rules and rules.load then
      rs, e = rules.load(path)
    else
      local chunk, le = loadfile(path)
      if not chunk then
        fail(le)
      end
      rs = chunk()
    end
    if not rs then
      fail(e or ("rule file '%s' returned nothing"):format(path))
    end
    return rs
  end
  local ok, rs = pcall(require, "dossier.rules.sanctions")
  if not ok then
    if type(rs) == "string" and not rs:find("module 'dossier.rules.sanctions' not found", 1, true) then
      fail(rs)
    end
    usage_error("extract: the shipped rule set (dossier.rules.sanctions) is not available; "
      .. "give a rule file: dossier extract DB RULES.lua")
  end
  return rs
end

function COMMANDS.extract(argv)
  local pos, o = parse("extract", argv, { force = "flag", name = "value", batch = "int", quiet = "flag",
    jobs = "int" })
  if o.help then return out(HELP.extract) end
  need("extract", pos, 1, "DB")
  too_many("extract", pos, 2)
  local rs = load_rules(pos[2])
  local db <close> = open_db(pos[1], true)
  local extract = require "dossier.extract"
  local r = extract(db, rs, { force = o.force, name = o.name, batch = o.batch, jobs = o.jobs,
    progress = quiet_progress(o) })
  if not o.quiet then
    out(("coded %d documents, %d events (%d skipped, %d events deleted) in %.2f s, run %d\n")
      :format(r.docs, r.events, r.skipped, r.deleted, r.seconds, r.run))
  end
end

-- The environment of scripts and the REPL: our globals over the real ones.
local function sandbox(db, extra)
  local env = { dossier = require "dossier", db = db }
  for k, v in pairs(extra or {}) do
    env[k] = v
  end
  return setmetatable(env, { __index = _G })
end

function COMMANDS.run(argv)
  -- Options stop at the script: what follows belongs to it.
  local cut_at = #argv + 1
  local seen = 0
  for i, a in ipairs(argv) do
    if a:sub(1, 1) ~= "-" or a == "-" then
      seen = seen + 1
      if seen == 2 then
        cut_at = i + 1
        break
      end
    end
  end
  local head = table.move(argv, 1, cut_at - 1, 1, {})
  local pos, o = parse("run", head, {})
  if o.help then return out(HELP.run) end
  need("run", pos, 1, "DB")
  need("run", pos, 2, "SCRIPT.lua")
  local script = pos[2]
  local sarg = { [0] = script }
  for i = cut_at, #argv do
    sarg[#sarg + 1] = argv[i]
  end
  if not file_exists(script) then
    fail(("cannot open script '%s'"):format(script))
  end
  local db <close> = open_db(pos[1])
  local env = sandbox(db, { arg = sarg })
  local chunk, le = loadfile(script, "t", env)
  if not chunk then
    fail(le)
  end
  if os.getenv("DOSSIER_DEBUG") == "1" then
    return chunk(table.unpack(sarg)) -- main shows the error with its traceback
  end
  -- The script's message is the user's: shown whole (every line), a table as a table; only
  -- the position inside dossier's own modules is dropped.
  local ok, e = pcall(chunk, table.unpack(sarg))
  if not ok then
    if getmetatable(e) == Fail then error(e, 0) end
    if type(e) == "string" then
      fail(without_position(e))
    end
    fail("the script raised " .. M.pretty(e))
  end
end

-- The REPL's history file: $DOSSIER_HISTORY ("" for none), else ~/.dossier_history; it keeps
-- the last HISTORY_KEEP lines.
local HISTORY_KEEP = 1000

local function history_path()
  local p = os.getenv("DOSSIER_HISTORY")
  if p then
    return p ~= "" and p or nil
  end
  local home = os.getenv("HOME")
  return home and home .. "/.dossier_history"
end

local function trim_history(path)
  local f = io.open(path, "rb")
  if not f then
    return
  end
  local lines = {}
  for l in f:lines() do
    lines[#lines + 1] = l
  end
  f:close()
  if #lines > HISTORY_KEEP then
    local w = io.open(path, "wb")
    if w then
      w:write(table.concat(lines, "\n", #lines - HISTORY_KEEP + 1, #lines), "\n")
      w:close()
    end
  end
end

-- The names a value offers after "." (or ":", methods only): its string keys, and those of
-- its metatable's __index table (a store's methods, a string's functions).
local function fields_of(v, methods)
  local names, seen = {}, {}
  local function add(t)
    for k, x in pairs(t) do
      if type(k) == "string" and k:find(IDENT) and not seen[k] and (not methods or type(x) == "function") then
        seen[k] = true
        names[#names + 1] = k
      end
    end
  end
  if type(v) == "table" then
    add(v)
  end
  local mt = getmetatable(v)
  if type(mt) == "table" and type(rawget(mt, "__index")) == "table" then
    add(mt.__index)
  end
  return names
end

--- Tab completion of the REPL: the words that can end `word` in `env` (globals, keywords,
-- then fields: `dossier.re` → `dossier.regex`, `dossier.report`; `db:ro` → `db:rows`).
-- Nothing is called: only tables and their metatables' __index tables are read.
-- @tparam table env the REPL's environment
-- @tparam string word the word before the cursor
-- @treturn table the completions, sorted
function M.complete(env, word)
  local path, sep, partial = word:match("^([%a_][%w_%.]*)([.:])([%w_]*)$")
  local names, prefix
  if path then
    local v = env
    for name in path:gmatch("[^.]+") do
      if type(v) ~= "table" and not (getmetatable(v) and sep) then return {} end
      local ok, x = pcall(function() return v[name] end)
      if not ok then return {} end
      v = x
    end
    names, prefix = fields_of(v, sep == ":"), path .. sep
  else
    partial = word:match("^[%a_][%w_]*$") or (word == "" and "")
    if not partial then return {} end
    names, prefix = fields_of(env), ""
    for k in pairs(KEYWORDS) do names[#names + 1] = k end
  end
  local out_, seen = {}, {}
  for _, n in ipairs(names) do
    if n:sub(1, #partial) == partial and not seen[n] then
      seen[n] = true
      out_[#out_ + 1] = prefix .. n
    end
  end
  table.sort(out_)
  return out_
end

-- lua-readline through its callback interface: the wait for a key is dossier's, so Ctrl-C
-- (guard:wait says false) cancels the line. Each line goes to the history file as it is
-- entered, so a session that dies keeps its history.
local function readline_reader(RL, guard, env)
  local hist = history_path()
  if hist then
    trim_history(hist)
  end
  pcall(RL.set_options, { histfile = hist or "", auto_add = false, completion = true })
  if RL.set_complete_function then
    RL.set_complete_function(function(text, from, to)
      RL.set_completion_append_character("") -- "dossier.regex", ready for its "."
      local ok, words = pcall(M.complete, env, text:sub(from, to))
      return ok and words or {}
    end)
  end
  local last
  local function remember(line)
    if line:find("%S") and line ~= last then
      last = line
      RL.add_history(line)
      local f = hist and io.open(hist, "a")
      if f then
        f:write(line, "\n")
        f:close()
      end
    end
  end
  return function(prompt)
    local got, done = nil, false
    RL.handler_install(prompt, function(line)
      got, done = line, true
      RL.handler_remove() -- before readline draws the prompt again
    end)
    while not done do
      if not guard:wait(0) then
        -- The handler stays: the next prompt's handler_install starts a fresh line over it.
        -- (lua-readline's handler_remove closes its tty stream before readline restores the
        -- terminal through it: a use after free, harmless only once readline has finished
        -- a line, as in the callback above.)
        out("\n")
        return false
      end
      guard:hold(RL.read_char) -- readline must not see Ctrl-C itself
    end
    if got then
      remember(got)
    end
    return got
  end
end

-- One line from the user, nil at the end of the input, false when Ctrl-C cancelled it:
-- readline on a terminal when lua-readline is installed, else io.read (prompts shown only on
-- a terminal; stdin unbuffered, so that what guard:wait sees is what io.read gets).
local function line_reader(tty, guard, env)
  if tty and guard then
    local ok, RL = pcall(require, "readline")
    if ok and RL.handler_install then
      return readline_reader(RL, guard, env)
    end
  end
  if guard then
    io.stdin:setvbuf("no")
  end
  return function(prompt)
    if tty then
      out(prompt)
      io.stdout:flush()
    end
    if guard and not guard:wait(0) then
      if tty then
        out("\n")
      end
      return false
    end
    local line, _, code = io.read("l")
    if line == nil and code == 4 then -- EINTR: Ctrl-C inside the read
      return false
    end
    return line
  end
end

-- Ctrl-C at the prompt and during evaluation: a guard from dossier.core (nil when the core
-- cannot catch SIGINT here).
local function interrupt_guard()
  local ok, core = pcall(require, "dossier.core")
  if ok and core.interrupt then
    local ok2, guard = pcall(core.interrupt.catch)
    if ok2 then
      return guard
    end
  end
end

-- Reads one chunk: a line, and more lines while it is incomplete. Returns the chunk, or nil
-- and the compile error, or false when the input ended (or Ctrl-C cancelled it: "cancel").
local function read_chunk(readl, env)
  local line = readl("dossier> ")
  if not line then
    return false, line == false and "cancel" or nil
  end
  local src = line
  if src:sub(1, 1) == "=" then
    src = "return " .. src:sub(2)
  end
  while true do
    local chunk, cerr = load("return " .. src, "=stdin", "t", env)
    if not chunk then
      chunk, cerr = load(src, "=stdin", "t", env)
    end
    if chunk or not (cerr and cerr:find("<eof>$")) then
      return chunk, cerr
    end
    local more = readl(">> ")
    if more == nil then
      return nil, cerr
    elseif more == false then
      return false, "cancel"
    end
    src = src .. "\n" .. more
  end
end

local function debug_handler(e)
  if os.getenv("DOSSIER_DEBUG") == "1" then
    return debug.traceback(tostring(e), 2)
  end
  return e
end

-- Rows a REPL expression shows of a loop's iterator (db:rows, db:urows).
local REPL_ROWS = 20

local function is_cursor(v)
  local mt = type(v) == "userdata" and getmetatable(v)
  return type(mt) == "table" and mt.__name == "dossier.store.cursor"
end

-- An expression that is a store loop (`db:rows(sql)`: iterator, state, control, cursor) shows
-- its first REPL_ROWS rows, not the iterator, and closes the cursor.
local function show_loop(it, state, ctl, cursor)
  local shown = 0
  while shown < REPL_ROWS do
    local r = table.pack(it(state, ctl))
    if r[1] == nil then
      break
    end
    shown = shown + 1
    local parts = {}
    for i = 1, r.n do
      parts[i] = M.pretty(r[i])
    end
    out(table.concat(parts, "\t"), "\n")
  end
  local more = shown == REPL_ROWS and it(state, ctl) ~= nil
  getmetatable(cursor).__close(cursor)
  local note = more and ("; the first " .. REPL_ROWS .. " shown: `for r in db:rows(...) do ... end` for all")
  out(("(%d row%s%s)\n"):format(shown, shown == 1 and "" or "s", note or ""))
end

local function show(...)
  local n = select("#", ...)
  if n == 0 then
    return
  end
  if n == 4 and type((...)) == "function" and is_cursor(select(4, ...)) then
    return show_loop(...)
  end
  local parts = {}
  for i = 1, n do
    parts[i] = M.pretty((select(i, ...)))
  end
  out(table.concat(parts, "\t"), "\n")
end

--- Run the REPL on a store: read chunks, run them, print their results. Ctrl-C cancels the
-- line being typed, or interrupts the chunk running ("stdin:1: interrupted"), every time.
-- @param db an open store
-- @tparam[opt] table opts `input` (function(prompt) → line, nil at the end, or false for a
-- cancelled line; default readline or io.read)
function M.repl(db, opts)
  opts = opts or {}
  local tty = isatty(0)
  local guard <close> = interrupt_guard()
  local env = sandbox(db)
  local readl = opts.input or line_reader(tty, guard, env)
  if tty then
    out(("dossier %s (%s) - `db` is %s; Ctrl-C cancels, Ctrl-D quits\n"):format(
      require("dossier").version, _VERSION, db:filename()))
  end
  while true do
    local chunk, cerr = read_chunk(readl, env)
    if chunk == false and cerr ~= "cancel" then
      if tty then
        out("\n")
      end
      break
    elseif chunk == nil then
      err(cerr, "\n")
    elseif chunk then
      local res
      if guard then
        res = table.pack(guard:xpcall(debug_handler, chunk))
      else
        res = table.pack(xpcall(chunk, debug_handler))
      end
      if res[1] then
        show(table.unpack(res, 2, res.n))
      else
        local e = res[2]
        err(type(e) == "string" and e or M.pretty(e), "\n")
      end
    end
  end
end

function COMMANDS.repl(argv)
  local pos, o = parse("repl", argv, {})
  if o.help then return out(HELP.repl) end
  need("repl", pos, 1, "DB")
  too_many("repl", pos, 1)
  local db <close> = open_db(pos[1])
  M.repl(db)
end

function COMMANDS.sql(argv)
  local pos, o = parse("sql", argv, { csv = "flag", json = "flag" })
  if o.help then return out(HELP.sql) end
  need("sql", pos, 1, "DB")
  need("sql", pos, 2, "SQL")
  if o.csv and o.json then
    usage_error("sql: --csv and --json exclude each other")
  end
  local db <close> = open_db(pos[1], true)
  local params = {}
  for i = 3, #pos do
    params[#params + 1] = param(pos[i])
  end
  local stmt <close> = db:prepare(pos[2])
  local columns = stmt:columns()
  if #columns == 0 then
    stmt:exec(table.unpack(params))
    out(("%d rows changed\n"):format(db:changes()))
    return
  end
  local rows = {}
  local it, st = stmt:urows(table.unpack(params))
  while true do
    local r = table.pack(it(st))
    if r.n == 0 then
      break
    end
    rows[#rows + 1] = r
  end
  if o.csv then
    out(M.csv(columns, rows))
  elseif o.json then
    local json = require("cjson.safe").new()
    local function enc(v, i)
      local s, je = json.encode(v)
      if not s then
        fail("sql: cannot encode row " .. i .. " as JSON: " .. tostring(je))
      end
      return s
    end
    local names = {}
    for j, c in ipairs(columns) do
      names[j] = enc(c, 0) .. ":"
    end
    -- Objects written by hand so the keys keep the column order.
    local buf = {}
    for i, r in ipairs(rows) do
      local f = {}
      for j = 1, #columns do
        local v = r[j]
        f[j] = names[j] .. (v == nil and "null" or enc(v, i))
      end
      buf[#buf + 1] = "{" .. table.concat(f, ",") .. "}"
    end
    out("[", table.concat(buf, ",\n "), "]\n")
  else
    out(M.table_text(columns, rows, term_width()))
    out(("(%d row%s)\n"):format(#rows, #rows == 1 and "" or "s"))
  end
end

function COMMANDS.search(argv)
  local pos, o = parse("search", argv, { limit = "int", literal = "flag" })
  if o.help then return out(HELP.search) end
  need("search", pos, 1, "DB")
  need("search", pos, 2, "QUERY")
  too_many("search", pos, 2)
  if not pos[2]:find("%S") then
    usage_error("search: the QUERY is empty (see dossier search --help)")
  end
  local db <close> = open_db(pos[1], true)
  local rows = {}
  local ok, it, st, ctl, closer = pcall(db.search, db, pos[2], { limit = o.limit or 20, literal = o.literal })
  if not ok then
    local msg = one_line(it)
    if not o.literal then
      msg = ("%s, in the query '%s' (FTS5 syntax, see dossier search --help; --literal searches for "
        .. "the text as typed)"):format(msg, pos[2])
    end
    fail(msg)
  end
  for d in it, st, ctl, closer do
    rows[#rows + 1] = { d.id, (d.published or ""):sub(1, 10), d.source, d.lang,
      d.title or (d.text:sub(1, 200):gsub("%s+", " ")), n = 5 }
  end
  if #rows == 0 then
    out("no documents match\n")
    return
  end
  out(M.table_text({ "id", "date", "source", "lang", "title" }, rows, term_width()))
end

function COMMANDS.report(argv)
  local pos, o = parse("report", argv, { html = "value" })
  if o.help then return out(HELP.report) end
  need("report", pos, 1, "DB")
  too_many("report", pos, 1)
  if not o.html then
    usage_error("report: missing --html OUT (see dossier report --help)")
  end
  -- the report only reads: open the store read-only, so it cannot write
  local db <close> = open_db(pos[1], true, { readonly = true })
  local done, why = require("dossier.report").html(db, o.html)
  if not done then error(why, 0) end
  out(("wrote %s\n"):format(o.html))
end

function COMMANDS.eval(argv)
  local pos, o = parse("eval", argv, { rules = "value", json = "value", errors = "flag", half = "value" })
  if o.help then return out(HELP.eval) end
  need("eval", pos, 1, "GOLD.jsonl")
  if o.half and o.half ~= "dev" and o.half ~= "test" then
    usage_error(("eval: --half takes dev or test, got '%s'"):format(o.half))
  end
  local ev = require "dossier.eval"
  local r = ev.run(pos, { rules = o.rules and load_rules(o.rules) or nil, errors = o.errors,
    half = o.half })
  out(ev.format(r))
  if o.errors then out("\n", ev.format_errors(r)) end
  if o.json then
    local f, why = io.open(o.json, "wb")
    if not f then fail(("cannot write '%s': %s"):format(o.json, why)) end
    f:write(ev.json(r), "\n")
    f:close()
  end
end

-- ---------------------------------------------------------------------------
-- main

--- Run the command line `argv` (bin/dossier's `arg`).
-- @tparam table argv the arguments (argv[1] is the subcommand)
-- @treturn integer the exit code: 0 ok, 1 failure, 2 usage error
function M.main(argv)
  argv = argv or {}
  local cmd = argv[1]
  if cmd == nil then
    err(HELP.main)
    return 2
  end
  if cmd == "-h" or cmd == "--help" or cmd == "help" then
    local topic = argv[2]
    if topic and HELP[topic] and topic ~= "main" then
      out(HELP[topic])
    elseif topic then
      err(("dossier: unknown command '%s' (see dossier --help)\n"):format(topic))
      return 2
    else
      out(HELP.main)
    end
    return 0
  end
  if cmd == "--version" or cmd == "-v" then
    local d = require "dossier"
    local store = require "dossier.store"
    out(("dossier %s (%s, PCRE2 %s, SQLite %s)\n"):format(d.version, _VERSION,
      (require("dossier.regex").version():match("^%S+")), store.sqlite_version))
    return 0
  end
  local f = COMMANDS[cmd]
  if not f then
    err(("dossier: unknown command '%s' (see dossier --help)\n"):format(cmd))
    return 2
  end
  local rest = table.move(argv, 2, #argv, 1, {})
  local debug_on = os.getenv("DOSSIER_DEBUG") == "1"
  local ok, e = xpcall(f, function(x)
    if debug_on and getmetatable(x) ~= Fail then
      return debug.traceback(tostring(x), 2)
    end
    return x
  end, rest)
  io.stdout:flush()
  if ok then
    return 0
  end
  if getmetatable(e) == Fail then
    err(e.prefix or "dossier: ", e.message, "\n")
    return e.code
  end
  if debug_on then
    err("dossier: ", tostring(e), "\n")
  else
    err("dossier: ", one_line(e), "\n")
  end
  return 1
end

M.commands = ORDER

return M
