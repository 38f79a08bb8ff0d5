-- Specs for the `dossier` command: every subcommand end to end on a temp
-- store, run as a child process (`lua5.4 bin/dossier ...`), checking stdout,
-- stderr and the exit code; the REPL driven through a pipe.
local cli = require "dossier.cli"
local store = require "dossier.store"

local tmp = dofile("spec/helpers/tmp.lua")
local tmpname, write, slurp = tmp.name, tmp.write, tmp.read

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- Runs bin/dossier with args (and stdin text); returns code, stdout, stderr.
local function dossier(args, stdin, env)
  local o, e = tmpname(), tmpname()
  local parts = {}
  for i, a in ipairs(args) do
    parts[i] = q(a)
  end
  local cmd = ("%s lua5.4 bin/dossier %s >%s 2>%s"):format(env or "", table.concat(parts, " "), o, e)
  if stdin then
    local i = tmpname()
    write(i, stdin)
    cmd = cmd .. " <" .. i
  else
    cmd = cmd .. " </dev/null"
  end
  local _, _, code = os.execute(cmd)
  return code, slurp(o), slurp(e)
end

local CORPUS = table.concat({
  '{"id": 1, "outlet": "Wire", "date": "2023-03-10", "lang": "en", "title": "Launch",'
    .. ' "text": "North Korea launched a ballistic missile on Tuesday."}',
  '{"id": 2, "outlet": "Dnevnik", "date": "2023-04-02", "lang": "sr", "title": "Kupovina",'
    .. ' "text": "Rusija je kupila rakete od Severne Koreje."}',
  '{"id": 3, "outlet": "Politika", "date": "2023-05-20", "lang": "sr", "title": "Гранате",'
    .. ' "text": "Русија је купила гранате од Северне Кореје."}',
  '{"id": 4, "outlet": "Wire", "text": ""}',
}, "\n") .. "\n"

local RULES = [[
local rules = require "dossier.rules"
local lexicon = require "dossier.lexicon"
local lex = lexicon.new()
lex:add("North Korea*", "PRK") lex:add("Severn* Korej*", "PRK") lex:add("Rusij*", "RUS")
local rs = rules.new { lang = { "en", "sr" }, name = "cli" }
rs:lexicon("actor", lex)
rs:terms("buy", { "kupi*", "bought" })
rs:terms("launch", { "launch*", "lansira*" })
rs:rule { name = "buy", type = "arms_transfer", pattern = "{actor:actor2} .. {buy} .. {actor:actor1}" }
rs:rule { name = "launch", type = "ballistic_launch", pattern = "{actor:actor1} .. {launch}" }
return rs
]]

describe("dossier command", function()
  local dir, db, corpus, rules_file
  setup(function()
    dir = tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. q(dir)))
    db = dir .. "/news.db"
    corpus = dir .. "/corpus.jsonl"
    rules_file = dir .. "/rules.lua"
    write(corpus, CORPUS)
    write(rules_file, RULES)
  end)
  teardown(function()
    os.execute("rm -rf " .. q(dir))
    tmp.clean()
  end)

  it("prints help and version, and rejects usage errors with code 2", function()
    local code, o, e = dossier({ "--help" })
    assert.equal(0, code)
    assert.truthy(o:find("usage: dossier COMMAND", 1, true))
    for _, c in ipairs(cli.commands) do
      assert.truthy(o:find("\n  " .. c .. " ", 1, true), c)
      local c2, o2 = dossier({ c, "--help" })
      assert.equal(0, c2)
      assert.truthy(o2:find("usage: dossier " .. c, 1, true), c)
    end
    assert.equal("", e)
    code, o = dossier({ "--version" })
    assert.equal(0, code)
    assert.truthy(o:find("^dossier %d+%.%d+"))
    code, o, e = dossier({})
    assert.equal(2, code)
    assert.equal("", o)
    assert.truthy(e:find("usage:", 1, true))
    code, o, e = dossier({ "frobnicate", db })
    assert.equal(2, code)
    assert.equal("", o)
    assert.equal("dossier: unknown command 'frobnicate' (see dossier --help)\n", e)
    code, o, e = dossier({ "ingest", db })
    assert.equal("", o)
    assert.equal(2, code)
    assert.equal("dossier: ingest: missing FILE (see dossier ingest --help)\n", e)
    code, o, e = dossier({ "sql", db, "SELECT 1", "--nope" })
    assert.equal("", o)
    assert.equal(2, code)
    assert.equal("dossier: sql: unknown option '--nope' (see dossier sql --help)\n", e)
    code, o, e = dossier({ "search", db })
    assert.equal("", o)
    assert.equal(2, code)
    assert.truthy(e:find("missing QUERY", 1, true))
  end)

  it("ingests, then reports failures on one line with code 1", function()
    local code, o, e = dossier({ "ingest", db, corpus })
    assert.equal(0, code)
    assert.equal("added 3, duplicates 0, rejected 1\n", o)
    assert.truthy(e:find("corpus.jsonl:4:", 1, true), e)
    code, o = dossier({ "ingest", db, corpus })
    assert.equal(0, code)
    assert.equal("added 0, duplicates 3, rejected 1\n", o)
    code, o, e = dossier({ "ingest", db, dir .. "/missing.jsonl" })
    assert.equal(1, code)
    assert.equal("", o)
    assert.truthy(e:find("^dossier: [^\n]*missing%.jsonl[^\n]*\n$"), e)
    code, o, e = dossier({ "sql", dir .. "/nope.db", "SELECT 1" })
    assert.equal("", o)
    assert.equal(1, code)
    assert.truthy(e:find("^dossier: no such store '[^\n]*nope%.db'"), e)
  end)

  it("shows as many rejected lines as asked, and fails when every line was rejected", function()
    local bad = dir .. "/bad.jsonl"
    local lines = {}
    for i = 1, 7 do lines[i] = '{"id": ' .. i .. ', "title": "no text"}' end
    write(bad, table.concat(lines, "\n") .. "\n")
    local bad_db = dir .. "/bad.db"
    local code, o, e = dossier({ "ingest", bad_db, bad })
    assert.equal(1, code)
    assert.equal("added 0, duplicates 0, rejected 7\n", o)
    local shown = select(2, e:gsub("bad%.jsonl:%d+:", ""))
    assert.equal(5, shown)
    assert.truthy(e:find("... and 2 more rejected (see them all with --errors 7)", 1, true), e)
    assert.truthy(e:find("dossier: ingest: no document added: all 7 records were rejected\n", 1, true), e)
    code, o, e = dossier({ "ingest", bad_db, bad, "--errors", "10" })
    assert.equal(1, code)
    assert.equal("added 0, duplicates 0, rejected 7\n", o)
    assert.equal(7, select(2, e:gsub("bad%.jsonl:%d+:", "")))
    assert.falsy(e:find("more rejected", 1, true))
    -- one good line among them: a partial success exits 0
    write(bad, table.concat(lines, "\n") .. '\n{"id": 8, "text": "A real line."}\n')
    code, o = dossier({ "ingest", bad_db, bad, "--quiet" })
    assert.equal(0, code)
    assert.equal("", o)
  end)

  it("sniffs a file named without a known extension: binary data is one error, text a document", function()
    local blob, note, arr = dir .. "/blob", dir .. "/note.md", dir .. "/articles.json"
    local bytes = {}
    for i = 0, 3999 do bytes[#bytes + 1] = string.char(i % 256) end
    write(blob, table.concat(bytes))
    write(note, "A note\nwith two lines.\n")
    write(arr, '[\n  {"text": "one"},\n  {"text": "two"}\n]\n')
    local sdb = dir .. "/sniff.db"
    local code, o, e = dossier({ "ingest", sdb, blob })
    assert.equal(1, code)
    assert.equal("added 0, duplicates 0, rejected 1\n", o)
    assert.equal("dossier: " .. blob .. ": not a JSONL or text file: binary data (a NUL byte at byte 1); "
      .. "ingest reads JSONL (.jsonl, .ndjson) and UTF-8 text (.txt)\n"
      .. "dossier: ingest: no document added: all 1 records were rejected\n", e)
    code, o, e = dossier({ "ingest", sdb, arr })
    assert.equal(1, code)
    assert.equal("added 0, duplicates 0, rejected 1\n", o)
    assert.truthy(e:find("articles.json: a JSON array file, not JSONL (one object per line); "
      .. "convert it with: jq -c '.[]' FILE > FILE.jsonl\n", 1, true), e)
    code, o, e = dossier({ "ingest", sdb, note })
    assert.equal(0, code, e)
    assert.equal("added 1, duplicates 0, rejected 0\n", o)
    code, o = dossier({ "sql", sdb, "SELECT title FROM documents" })
    assert.equal(0, code)
    assert.equal("title\n------\nA note\n(1 row)\n", o)
  end)

  it("names the JSONL keys the user wrote, and says when a line is a JSON array", function()
    local bad = dir .. "/keys.jsonl"
    write(bad, table.concat({
      '{"outlet": "Wire", "date": "2023-02-30", "text": "Bad date."}',
      '{"outlet": "Wire", "title": "no text"}',
      '[{"text": "in an array"}]',
      '{"outlet": 7, "text": "Bad outlet."}',
    }, "\n") .. "\n")
    local code, o, e = dossier({ "ingest", dir .. "/keys.db", bad })
    assert.equal(1, code)
    assert.equal("added 0, duplicates 0, rejected 4\n", o)
    assert.truthy(e:find("keys.jsonl:1: field 'date' '2023-02-30' is not an ISO 8601 date", 1, true), e)
    assert.truthy(e:find("keys.jsonl:2: the object has no 'text'\n", 1, true), e)
    assert.truthy(e:find("keys.jsonl:3: the line is a JSON array, not an object", 1, true), e)
    assert.truthy(e:find("keys.jsonl:4: field 'outlet' must be a string, got number\n", 1, true), e)
    assert.is_nil(e:find("published", 1, true))
  end)

  it("names the file of a .txt too large for one document, and takes --max-line", function()
    local big = dir .. "/big.txt"
    write(big, ("word "):rep(300000)) -- 1.5 MB
    local tdb = dir .. "/txt.db"
    local code, o, e = dossier({ "ingest", tdb, big, "--max-line", "1M" })
    assert.equal(1, code)
    assert.equal("added 0, duplicates 0, rejected 1\n", o)
    assert.truthy(e:find("^dossier: " .. big:gsub("%p", "%%%0") .. ": file too large for one document "
      .. "%(1500000 bytes, max_line is 1048576%) %(raise it with %-%-max%-line%)\n"), e)
    code, o, e = dossier({ "ingest", tdb, big, "--max-line", "2M" })
    assert.equal(0, code, e)
    assert.equal("added 1, duplicates 0, rejected 0\n", o)
    code, o, e = dossier({ "ingest", tdb, big, "--max-line", "lots" })
    assert.equal(2, code)
    assert.equal("", o)
    assert.truthy(e:find("option '--max-line' needs a size in bytes", 1, true), e)
  end)

  it("ingests a folder with a symbolic-link loop once, naming the link it skipped", function()
    -- one loop (two made ingest run forever before; spec/store_spec.lua has them)
    local loops = dir .. "/loops"
    assert(os.execute("mkdir -p " .. q(loops) .. " && cd " .. q(loops) .. " && ln -s . a && ln -s c.jsonl b"))
    write(loops .. "/c.jsonl", CORPUS)
    local code, o, e = dossier({ "ingest", dir .. "/loops.db", loops })
    assert.equal(0, code, e)
    assert.equal("added 3, duplicates 0, rejected 1\n", o)
    local said = "dossier: skipped " .. loops .. "/a: link to " .. loops .. ", already read\n"
    assert.truthy(e:find(said, 1, true), e)
    assert.falsy(e:find("/b", 1, true), e) -- a link to a file without a known extension: not ours to read
    code, o, e = dossier({ "ingest", dir .. "/loops.db", loops, "--quiet" })
    assert.same({ 0, "", "" }, { code, o, e })
  end)

  it("runs SQL with parameters, as a table, CSV or JSON", function()
    local code, o, e = dossier({ "sql", db,
      "SELECT id, lang, title FROM documents WHERE id <= ? ORDER BY id", "2" })
    assert.equal(0, code, e)
    assert.equal(table.concat({
      "id  lang  title",
      "--  ----  --------",
      " 1  en    Launch",
      " 2  sr    Kupovina",
      "(2 rows)", "" }, "\n"), o)
    code, o = dossier({ "sql", db, "SELECT id, title, NULL AS n FROM documents WHERE lang = ? ORDER BY id",
      "sr", "--csv" })
    assert.equal(0, code)
    assert.equal("id,title,n\n2,Kupovina,\n3,Гранате,\n", o)
    code, o = dossier({ "sql", db, "SELECT id, title, NULL AS n FROM documents WHERE id = 3", "--json" })
    assert.equal(0, code)
    assert.equal('[{"id":3,"title":"Гранате","n":null}]\n', o) -- keys in column order
    local rows = require("cjson").decode(o)
    assert.equal("Гранате", rows[1].title)
    -- binary values show as hex literals in tables
    code, o = dossier({ "sql", db, "SELECT x'00ff41' AS b, 2.0 AS f" })
    assert.equal(0, code)
    assert.equal("b            f\n---------  ---\nx'00ff41'  2.0\n(1 row)\n", o)
    -- a long column is cut to the width, in whole characters
    code, o = dossier({ "sql", db, "SELECT id, text FROM documents WHERE id = 3" }, nil, "COLUMNS=24")
    assert.equal(0, code)
    for line in o:gmatch("[^\n]+") do
      assert.is_true(utf8.len(line) <= 24, line)
    end
    assert.truthy(o:find(" 3  Русија је купила гр…", 1, true), o)
    code, o = dossier({ "sql", db, "UPDATE documents SET title = ? WHERE id = ?", "Lansiranje", "1" })
    assert.equal(0, code)
    assert.equal("1 rows changed\n", o)
    code, o, e = dossier({ "sql", db, "SELECT nope FROM documents" })
    assert.equal(1, code)
    assert.equal("", o)
    assert.equal("dossier: no such column: nope (SQLITE_ERROR, 1)\n", e)
  end)

  it("shows blobs holding NUL, takes SQL that starts with a comment, and keeps 007 as text", function()
    local code, o, e = dossier({ "sql", db, "SELECT x'610062' AS b, 'a' || char(0) || 'b' AS t" })
    assert.equal(0, code, e)
    assert.equal("b          t\n---------  ---------\nx'610062'  x'610062'\n(1 row)\n", o)
    code, o, e = dossier({ "sql", db, "-- how many\nSELECT count(*) AS n FROM documents" })
    assert.equal(0, code, e)
    assert.equal("n\n-\n3\n(1 row)\n", o)
    code, o, e = dossier({ "sql", db, "SELECT ? AS a, typeof(?) AS ta, ? AS b, typeof(?) AS tb, ? AS c, "
      .. "typeof(?) AS tc, ? AS d, typeof(?) AS td, ? AS e, typeof(?) AS te",
      "007", "007", "+5", "+5", "1.50", "1.50", "-12", "-12", "0.25", "0.25", "--csv" })
    assert.equal(0, code, e)
    assert.equal("a,ta,b,tb,c,tc,d,td,e,te\n007,text,+5,text,1.50,text,-12,integer,0.25,real\n", o)
    code, o, e = dossier({ "sql", db, "SELECT ? AS big", "123456789012345678901234567890", "--csv" })
    assert.equal(0, code, e)
    assert.equal("big\n123456789012345678901234567890\n", o)
  end)

  it("searches the documents", function()
    local code, o = dossier({ "search", db, "rakete" })
    assert.equal(0, code)
    assert.truthy(o:find("\n 2  2023%-04%-02  Dnevnik  sr    Kupovina\n"), o)
    code, o = dossier({ "search", db, "zzzz" })
    assert.equal(0, code)
    assert.equal("no documents match\n", o)
    local _, _, e = dossier({ "search", db, '"unbalanced' })
    assert.truthy(e:find("^dossier: search: [^\n]+%(SQLITE_ERROR, 1%)[^\n]*\n$"), e)
  end)

  it("explains an FTS5 syntax error with a hint of --literal, and refuses an empty query", function()
    for _, query in ipairs({ '"unbalanced', "rakete AND", "nope:rakete" }) do
      local code, o, e = dossier({ "search", db, query })
      assert.equal(1, code)
      assert.equal("", o)
      assert.truthy(e:find("in the query '" .. query .. "' (FTS5 syntax, see dossier search --help; "
        .. "--literal searches for the text as typed)\n", 1, true), e)
    end
    local code, o = dossier({ "search", db, "rakete AND", "--literal" })
    assert.equal(0, code)
    assert.equal("no documents match\n", o)
    for _, query in ipairs({ "", "  " }) do
      local e
      code, o, e = dossier({ "search", db, query })
      assert.equal(2, code)
      assert.equal("", o)
      assert.equal("dossier: search: the QUERY is empty (see dossier search --help)\n", e)
    end
  end)

  it("extracts with a rule file, incrementally", function()
    local code, o, e = dossier({ "extract", db, rules_file })
    assert.equal(0, code, e)
    local summary = "^coded 3 documents, 3 events %(0 skipped, 0 events deleted%) in [%d.]+ s, run 1\n$"
    assert.truthy(o:find(summary), o)
    code, o = dossier({ "extract", db, rules_file })
    assert.equal(0, code)
    assert.truthy(o:find("^coded 0 documents, 0 events %(3 skipped"), o)
    code, o = dossier({ "extract", db, rules_file, "--force", "--quiet" })
    assert.equal(0, code)
    assert.equal("", o)
    local s = store.open(db, { readonly = true })
    assert.equal(3, s:value("SELECT count(*) FROM events"))
    assert.equal(3, s:value("SELECT count(*) FROM runs"))
    s:close()
    code, o, e = dossier({ "extract", db, dir .. "/none.lua" })
    assert.equal("", o)
    assert.equal(1, code)
    assert.truthy(e:find("^dossier: cannot open rule file"), e)
    local bad = dir .. "/bad.lua"
    write(bad, "return {")
    code, o, e = dossier({ "extract", db, bad })
    assert.equal("", o)
    assert.equal(1, code)
    assert.truthy(e:find("^dossier: [^\n]*bad%.lua[^\n]*\n$"), e)
  end)

  it("lets two processes extract into one store without coding a document twice", function()
    local big = dir .. "/big.db"
    local lines = {}
    for i = 1, 400 do
      lines[i] = ('{"id": %d, "outlet": "Gen", "lang": "sr", "text": "Vest %d. Rusija je kupila %d raketa '
        .. 'od Severne Koreje. Severna Koreja je lansirala raketu."}'):format(i, i, i)
    end
    write(dir .. "/big.jsonl", table.concat(lines, "\n") .. "\n")
    assert.equal(0, (dossier({ "ingest", big, dir .. "/big.jsonl", "--quiet" })))
    local cmd = "lua5.4 bin/dossier extract %s %s --batch 7 --jobs 2 --quiet 2>>%s"
    local e = tmpname()
    local one = cmd:format(q(big), q(rules_file), q(e))
    local ok = os.execute(one .. " & " .. one .. " & wait")
    assert.is_true(ok)
    assert.equal("", slurp(e))
    local s = store.open(big, { readonly = true })
    assert.equal(400, s:value("SELECT count(*) FROM doc_runs"))
    assert.equal(800, s:value("SELECT count(*) FROM events"))
    assert.equal(800, s:value("SELECT count(*) FROM (SELECT DISTINCT doc_id, rule, start FROM events)"))
    assert.equal(2, s:value("SELECT count(*) FROM runs"))
    assert.equal(400, s:value("SELECT sum(docs) FROM runs"))
    s:close()
  end)

  it("uses the shipped rule set without RULES.lua, or asks for one", function()
    local code, o, e = dossier({ "extract", db, "--quiet" })
    if package.searchpath("dossier.rules.sanctions", package.path) then
      assert.equal(0, code, e)
    else
      assert.equal(2, code)
      assert.equal("", o)
      assert.equal("dossier: extract: the shipped rule set (dossier.rules.sanctions) is not available; "
        .. "give a rule file: dossier extract DB RULES.lua\n", e)
    end
  end)

  it("finds its modules when started by absolute path from another directory", function()
    local root = io.popen("pwd"):read("l")
    local o = tmpname()
    local cmd = "cd / && lua5.4 %s/bin/dossier sql %s 'SELECT count(*) AS n FROM documents' >%s 2>&1"
    local _, _, code = os.execute(cmd:format(q(root), q(db), o))
    assert.equal(0, code, slurp(o))
    assert.equal("n\n-\n3\n(1 row)\n", slurp(o))
  end)

  it("runs a script with dossier, db and arg", function()
    local script = dir .. "/count.lua"
    write(script, [[
local n = db:value("SELECT count(*) FROM documents WHERE lang = ?", arg[1])
print(arg[0]:match("[^/]+$"), #arg, n, type(dossier.open))
]])
    local code, o = dossier({ "run", db, script, "sr", "--extra" })
    assert.equal(0, code)
    assert.equal("count.lua\t2\t2\tfunction\n", o)
    write(script, "local x = nil\nreturn x.field\n")
    local e
    code, o, e = dossier({ "run", db, script })
    assert.equal("", o)
    assert.equal(1, code)
    assert.truthy(e:find("^dossier: [^\n]*count%.lua:2: attempt to index a nil value"), e)
    assert.is_nil(e:find("traceback", 1, true))
    code, o, e = dossier({ "run", db, script }, nil, "DOSSIER_DEBUG=1")
    assert.equal("", o)
    assert.equal(1, code)
    assert.truthy(e:find("stack traceback", 1, true), e)
  end)

  it("shows a script's whole error message, and a table error as a table", function()
    local script = dir .. "/fails.lua"
    write(script, 'error("first line\\nsecond line", 0)\n')
    local code, o, e = dossier({ "run", db, script })
    assert.equal(1, code)
    assert.equal("", o)
    assert.equal("dossier: first line\nsecond line\n", e)
    write(script, 'error({ code = 7, why = "no data" })\n')
    code, o, e = dossier({ "run", db, script })
    assert.equal(1, code)
    assert.equal("", o)
    assert.equal('dossier: the script raised { code = 7, why = "no data" }\n', e)
  end)

  it("writes the HTML report, and says what is missing", function()
    local out = dir .. "/r.html"
    -- the report opens the store read-only: no other connection sees a commit (data_version)
    local watcher <close> = store.open(db, { readonly = true })
    local version = watcher:value("PRAGMA data_version")
    local code, o, e = dossier({ "report", db, "--html", out })
    assert.equal(0, code, e)
    assert.equal(version, watcher:value("PRAGMA data_version"))
    assert.equal("wrote " .. out .. "\n", o)
    local f = assert(io.open(out))
    local html = f:read("a")
    f:close()
    assert.truthy(html:find("^<!DOCTYPE html>"), html:sub(1, 80))
    assert.truthy(html:find("</html>%s*$"))
    code, o, e = dossier({ "report", db })
    assert.equal(2, code)
    assert.equal("", o)
    assert.truthy(e:find("missing --html OUT", 1, true), e)
    code, o, e = dossier({ "report", dir .. "/absent.db", "--html", out })
    assert.equal(1, code)
    assert.equal("", o)
    assert.truthy(e:find("^dossier: "), e)
  end)

  -- Permission bits do not stop root: as root the commands run as nobody (setpriv).
  local function unprivileged()
    local p = io.popen("id -u")
    local uid = p:read("l")
    p:close()
    if uid ~= "0" then
      return ""
    end
    local prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups"
    if os.execute(prefix .. " test -r bin/dossier -a -r build/dossier/core.so 2>/dev/null") then
      return prefix
    end
  end

  it("reads a store in a read-only directory: sql, search, run and report work, writes fail clearly",
    function()
    local as = unprivileged()
    if not as then
      return pending("running as root without setpriv, or nobody cannot read the worktree: "
        .. "permission bits cannot be tested")
    end
    local archive, outdir = tmpname(), tmpname()
    os.remove(archive)
    os.remove(outdir)
    assert(os.execute(("mkdir -p %s %s && chmod 1777 %s"):format(q(archive), q(outdir), q(outdir))))
    local adb = archive .. "/news.db"
    assert.equal(0, (dossier({ "ingest", adb, corpus, "--quiet" })))
    local script = outdir .. "/count.lua"
    write(script, 'print(db:value("SELECT count(*) FROM documents"), db:readonly())\n')
    assert(os.execute(("chmod 444 %s && chmod 555 %s"):format(q(adb), q(archive))))
    finally(function()
      os.execute(("chmod -R u+w %s; rm -rf %s %s"):format(q(archive), q(archive), q(outdir)))
    end)
    local code, o, e = dossier({ "sql", adb, "SELECT count(*) AS n FROM documents" }, nil, as)
    assert.equal(0, code, e)
    assert.equal("n\n-\n3\n(1 row)\n", o)
    code, o, e = dossier({ "search", adb, "rakete" }, nil, as)
    assert.equal(0, code, e)
    assert.truthy(o:find("Kupovina", 1, true), o)
    code, o, e = dossier({ "run", adb, script }, nil, as)
    assert.equal(0, code, e)
    assert.equal("3\ttrue\n", o)
    code, o, e = dossier({ "report", adb, "--html", outdir .. "/r.html" }, nil, as)
    assert.equal(0, code, e)
    assert.equal("wrote " .. outdir .. "/r.html\n", o)
    code, o, e = dossier({ "sql", adb, "DELETE FROM documents" }, nil, as)
    assert.equal(1, code)
    assert.equal("", o)
    assert.truthy(e:find("(SQLITE_READONLY, 8)", 1, true), e)
    code, o, e = dossier({ "ingest", adb, corpus }, nil, as)
    assert.equal(1, code)
    assert.equal("", o)
    assert.truthy(e:find("read-only (its file or directory cannot be written)", 1, true), e)
    -- nothing was left beside the store
    local ls = io.popen("ls -A " .. q(archive))
    assert.equal("news.db\n", ls:read("a"))
    ls:close()
  end)

  it("says why a store in a read-only directory with a write-ahead log cannot be read", function()
    local as = unprivileged()
    if not as then
      return pending("running as root without setpriv, or nobody cannot read the worktree: "
        .. "permission bits cannot be tested")
    end
    local live, archive = tmpname(), tmpname()
    os.remove(live)
    os.remove(archive)
    assert(os.execute(("mkdir -p %s %s"):format(q(live), q(archive))))
    finally(function()
      os.execute(("chmod -R u+w %s; rm -rf %s %s"):format(q(archive), q(archive), q(live)))
    end)
    local s <close> = store.open(live .. "/news.db")
    s:add_document { source = "Wire", text = "Only in the write-ahead log." }
    -- copied while open: the document is in news.db-wal, not yet in news.db
    assert(os.execute(("cp %s/news.db %s/news.db-wal %s/ && chmod 555 %s"):format(q(live), q(live),
      q(archive), q(archive))))
    local code, o, e = dossier({ "sql", archive .. "/news.db", "SELECT count(*) FROM documents" }, nil, as)
    assert.equal(1, code)
    assert.equal("", o)
    assert.truthy(e:find("its directory is read%-only, and its write%-ahead log "
      .. "'[^']*news%.db%-wal' %(%d+ bytes%)"), e)
  end)

  it("shows the rows of a db:rows loop at the REPL, as the make demo hint does", function()
    local mk = slurp("Makefile")
    local hint = mk:match("explore: (db:rows%(.-%))\"\n")
    assert.truthy(hint, "the make demo hint")
    hint = hint:gsub('\\"', '"')
    local code, o, e = dossier({ "repl", db }, hint .. "\ndb:urows('SELECT id FROM documents ORDER BY id')\n")
    assert.equal(0, code, e)
    assert.equal("", e)
    local n = 0
    for line in o:gmatch("[^\n]+") do
      if line:find("^{ .*type = \"") then n = n + 1 end
    end
    local s <close> = store.open(db, { readonly = true })
    local events = s:value("SELECT count(*) FROM events")
    assert.is_true(events > 0)
    assert.equal(math.min(events, 20), n, o) -- at most 20 shown
    assert.truthy(o:find("\n1\n2\n3\n%(3 rows%)\n$"), o)
    assert.is_nil(o:find("function: 0x", 1, true), o)
  end)

  it("runs a REPL on piped input", function()
    local input = table.concat({
      "1 + 1",
      "=db:value('SELECT count(*) FROM documents')",
      "function twice(x)",
      "  return 2 * x",
      "end",
      "twice(21)",
      "error('bad thing')",
      "x = { b = { 1, 2, { deep = true } }, a = 'q\"uote', [10] = false }",
      "x",
      "x.self = x; return x.self.b",
      "local t = {} t.t = t return t",
      "for i = 1,",
      "  2 do io.write(i, ' ') end print()",
      "nil, 3",
      "",
    }, "\n")
    local code, o, e = dossier({ "repl", db }, input)
    assert.equal(0, code)
    local lines = {}
    for l in o:gmatch("[^\n]*\n") do
      lines[#lines + 1] = l:sub(1, -2)
    end
    assert.equal("2", lines[1])
    assert.equal("3", lines[2])
    assert.equal("42", lines[3])
    assert.equal('{ [10] = false, a = "q\\"uote", b = { 1, 2, { deep = true } } }', lines[4])
    assert.equal("{ 1, 2, { deep = true } }", lines[5])
    assert.truthy(lines[6]:find("^{ t = <cycle: table: 0x%x+> }$"), lines[6])
    assert.equal("1 2 ", lines[7])
    assert.equal("nil\t3", lines[8])
    assert.equal(8, #lines)
    assert.equal("stdin:1: bad thing\n", e)
  end)
end)

-- The REPL under Ctrl-C: started in the background on a FIFO, driven line by line.
describe("dossier repl and Ctrl-C", function()
  local dir
  setup(function()
    dir = tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. q(dir) .. " && mkfifo " .. q(dir .. "/in")))
  end)
  teardown(function()
    os.execute("rm -rf " .. q(dir))
  end)

  local function wait_for(path, pattern, count)
    for _ = 1, 200 do
      local f = io.open(path, "rb")
      local s = f and f:read("a") or ""
      if f then f:close() end
      if select(2, s:gsub(pattern, "")) >= (count or 1) then
        return s
      end
      os.execute("sleep 0.05")
    end
    error(("timed out waiting for %q in %s: %q"):format(pattern, path, slurp(path)))
  end

  -- Starts `cmd` (which must exec the REPL) reading the FIFO; returns send(s) and the pid.
  local function start(cmd)
    for _, f in ipairs({ "pid", "out", "err", "rc" }) do
      os.remove(dir .. "/" .. f)
    end
    local d = q(dir)
    local inner = ("echo $$ >%s/pid; exec %s"):format(d, cmd)
    os.execute(("( sh -c %s <%s/in >%s/out 2>%s/err; echo $? >%s/rc ) >/dev/null 2>&1 &")
      :format(q(inner), d, d, d, d))
    local w = assert(io.open(dir .. "/in", "wb"))
    local pid = wait_for(dir .. "/pid", "%d+\n"):match("%d+")
    finally(function()
      if io.type(w) == "file" then w:close() end
      os.execute("kill " .. pid .. " 2>/dev/null")
    end)
    return function(s)
      if s then
        w:write(s)
        w:flush()
      else
        w:close()
      end
    end, pid
  end

  it("interrupts an evaluation every time, and goes on after Ctrl-C at the prompt", function()
    local db = dir .. "/r.db"
    local send, pid = start("lua5.4 bin/dossier repl " .. q(db))
    local function ctrl_c() assert(os.execute("kill -INT " .. pid)) end
    send("x = 41\nlocal _ = io.stderr:write('idle\\n')\n")
    wait_for(dir .. "/err", "idle\n")
    ctrl_c() -- at the prompt
    for i = 1, 2 do
      send("local _ = io.stderr:write('loop\\n') while true do end\n")
      wait_for(dir .. "/err", "loop\n", i)
      ctrl_c()
      wait_for(dir .. "/err", "interrupted\n", i)
    end
    send("x + 1\n")
    send()
    wait_for(dir .. "/rc", "%d")
    assert.equal("0\n", slurp(dir .. "/rc"))
    assert.equal("42\n", slurp(dir .. "/out"))
    assert.equal("idle\nloop\ninterrupted\nloop\ninterrupted\n", slurp(dir .. "/err"))
  end)

  it("on a terminal, cancels the line being typed and saves the history as it goes", function()
    local has_rl = pcall(require, "readline")
    if not has_rl or not os.execute("command -v script >/dev/null 2>&1") then
      return pending("needs lua-readline and script(1) (Debian bsdutils) for a terminal")
    end
    local hist = dir .. "/history"
    local send = start(("env DOSSIER_HISTORY=%s script -qfec %s /dev/null"):format(q(hist),
      q("lua5.4 bin/dossier repl " .. q(dir .. "/t.db"))))
    local out = dir .. "/out"
    wait_for(out, "dossier> ")
    send("x = 41\r")
    wait_for(out, "dossier> ", 2)
    send("y = 1 +")
    wait_for(out, "y = 1 %+")
    send("\3") -- Ctrl-C: the line is dropped
    wait_for(out, "dossier> ", 3)
    send("while true do end\r")
    wait_for(out, "while true do end")
    send("\3")
    wait_for(out, "interrupted")
    send("x + 1\r")
    wait_for(out, "42")
    send("db:valu\t('SELECT 6 * 9')\r") -- Tab completes db:value
    wait_for(out, "54")
    -- the history holds what was entered, before the session ends
    assert.equal("x = 41\nwhile true do end\nx + 1\ndb:value('SELECT 6 * 9')\n", slurp(hist))
    send("\4")
    send()
    wait_for(dir .. "/rc", "%d")
    local o = slurp(out)
    assert.is_nil(o:find("attempt to", 1, true), o)
    assert.is_nil(o:find("y = 1 %+%s*\r?\n>>"), o) -- no continuation of the dropped line
  end)
end)

describe("dossier.cli.complete", function()
  it("completes globals, keywords, fields and methods without calling anything", function()
    local db <close> = store.open(":memory:")
    local env = setmetatable({ dossier = require "dossier", db = db, mine = { alpha = 1, beta = 2 } },
      { __index = _G })
    local c = cli.complete
    assert.same({ "dossier.regex", "dossier.report" }, c(env, "dossier.re"))
    assert.same({ "db:rows" }, c(env, "db:ro"))
    assert.same({ "print" }, c(env, "pri"))
    assert.same({ "while" }, c(env, "whi"))
    assert.same({ "mine.alpha", "mine.beta" }, c(env, "mine."))
    assert.same({ "dossier.regex.find", "dossier.regex.flags" }, c(env, "dossier.regex.f"))
    assert.same({}, c(env, "nothing.here"))
    assert.same({}, c(env, "mine:")) -- no functions in it
  end)

  it("lists every part of the facade, so `dossier` at the REPL shows them all", function()
    local code, o = dossier({ "repl", ":memory:" }, "dossier\n")
    assert.equal(0, code)
    for _, part in ipairs({ "regex", "text", "lexicon", "store", "rules", "extract", "kb", "sanctions",
      "claims", "report" }) do
      assert.truthy(o:find("\n  " .. part .. " = <module dossier%." .. part .. ">,?\n"), part .. "\n" .. o)
    end
  end)
end)

describe("dossier.cli.pretty", function()
  it("sorts keys, nests, and limits depth, items and string length", function()
    local p = cli.pretty
    assert.equal('{ 1, 2, x = "y", [true] = 1 }', p({ 1, 2, x = "y", [true] = 1 }))
    assert.equal("{ { {...} } }", p({ { { { 1 } } } }, { depth = 2 }))
    assert.equal("{ 1, 2, ...(3 more) }", p({ 1, 2, 3, 4, 5 }, { items = 2 }))
    assert.equal('"abc"...(6 bytes)', p("abcdef", { string = 3 }))
    assert.equal('"\\n\\t\\0"', p("\n\t\0"))
    assert.equal("1.0", p(1.0))
    local long = {}
    for i = 1, 30 do
      long["key" .. i] = i
    end
    local s = p(long)
    assert.truthy(s:find("^{\n  key1 = 1,\n  key10 = 10,\n"), s)
    local shared = { 1 }
    assert.equal("{ { 1 }, { 1 } }", p({ shared, shared })) -- repeated, not a cycle
  end)

  it("formats aligned tables that fit a width", function()
    local t = cli.table_text({ "n", "name" }, { { 1, "Beograd", n = 2 }, { 22, nil, n = 2 } })
    assert.equal(" n  name\n--  -------\n 1  Beograd\n22\n", t) -- dossier.report.table's layout
    local narrow = cli.table_text({ "a", "b" }, { { ("x"):rep(30), ("y"):rep(30), n = 2 } }, 20)
    for line in narrow:gmatch("[^\n]+") do
      assert.is_true(utf8.len(line) <= 20, line)
    end
    assert.equal('a,b\n"x,1","q""t"\n,2\n',
      cli.csv({ "a", "b" }, { { "x,1", 'q"t', n = 2 }, { nil, 2, n = 2 } }))
  end)
end)
