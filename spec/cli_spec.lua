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
    assert.equal("b          f\n---------  ---\nx'00ff41'  2.0\n(1 row)\n", o)
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

  it("searches the documents", function()
    local code, o = dossier({ "search", db, "rakete" })
    assert.equal(0, code)
    assert.truthy(o:find("\n 2  2023%-04%-02  Dnevnik  sr    Kupovina\n"), o)
    code, o = dossier({ "search", db, "zzzz" })
    assert.equal(0, code)
    assert.equal("no documents match\n", o)
    local _, _, e = dossier({ "search", db, '"unbalanced' })
    assert.truthy(e:find("^dossier: search: [^\n]+%(SQLITE_ERROR, 1%)\n$"), e)
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
    local cmd = "lua5.4 bin/dossier extract %s %s --batch 7 --quiet 2>>%s"
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
    assert.equal("n   name\n--  -------\n 1  Beograd\n22\n", t)
    local narrow = cli.table_text({ "a", "b" }, { { ("x"):rep(30), ("y"):rep(30), n = 2 } }, 20)
    for line in narrow:gmatch("[^\n]+") do
      assert.is_true(utf8.len(line) <= 20, line)
    end
    assert.equal('a,b\n"x,1","q""t"\n,2\n',
      cli.csv({ "a", "b" }, { { "x,1", 'q"t', n = 2 }, { nil, 2, n = 2 } }))
  end)
end)
