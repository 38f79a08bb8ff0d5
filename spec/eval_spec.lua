-- Specs for dossier.eval: the scorer against figures worked out by hand, reading gold files
-- (and refusing malformed ones), the halves, a run through the store, the command, and the
-- repository's gold set (its format, its halves and the counts the evaluation issue asks for).
local eval = require "dossier.eval"
local rules = require "dossier.rules"
local lexicon = require "dossier.lexicon"

local function ev(type_, a1, a2, modality, negated)
  return { type = type_, actor1 = a1, actor2 = a2, modality = modality, negated = negated or false }
end

local function cl(speaker, stance, type_)
  return { speaker = speaker, stance = stance, type = type_ or "" }
end

-- A small gold/system pair. The figures below were worked out by hand (eval/README.md):
-- p1: g1 takes s2 (the first arms_transfer PRK->RUS; s1 is a meeting), g2 ("" -> RUS) takes
--     s1, g3 finds nothing, s3 is left over. p2: greedily in gold order h1 (SRB -> "") takes t1,
--     so h2 (SRB -> RUS) finds no partner although a one-to-one optimum would give it t1.
--     p3: a false positive only.
local GOLD = {
  { id = "p1", lang = "en", script = "Latn", text = "p1",
    events = { ev("arms_transfer", "PRK", "RUS", "asserted"), ev("meeting", "", "RUS", "asserted"),
      ev("sanctions_imposed", "USA", "PRK", "planned") },
    claims = { cl("USA", "assert", "arms_transfer"), cl("", "deny") } },
  { id = "p2", lang = "sr", script = "Cyrl", text = "p2",
    events = { ev("meeting", "SRB", "", "asserted"), ev("meeting", "SRB", "RUS", "asserted") },
    claims = { cl("AFP", "assert", "meeting") } },
  { id = "p3", lang = "en", script = "Latn", text = "p3", events = {}, claims = {} },
}
local SYSTEM = {
  p1 = { events = { ev("meeting", "USA", "RUS", "asserted"), ev("arms_transfer", "PRK", "RUS", "planned"),
    ev("arms_transfer", "PRK", "RUS", "asserted") },
    claims = { cl("USA", "assert"), cl("PRK", "deny", "arms_transfer") } },
  p2 = { events = { ev("meeting", "SRB", "RUS", "asserted", true), ev("meeting", "SRB", "CHN", "asserted") },
    claims = { cl("AFP", "hedge", "meeting") } },
  p3 = { events = { ev("ballistic_launch", "PRK", "") }, claims = { cl("Reuters", "assert") } },
}

local function close(a, b)
  return a ~= nil and b ~= nil and math.abs(a - b) < 1e-12
end

local function tmpfile(lines)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(table.concat(lines, "\n"), "\n")
  f:close()
  return path
end

describe("dossier.eval.score", function()
  local r = eval.score(GOLD, SYSTEM, { errors = true })

  it("counts events overall as worked out by hand", function()
    local o = r.events.overall
    assert.same({ 5, 6, 3 }, { o.gold, o.system, o.matched })
    assert.is_true(close(o.precision, 0.5))
    assert.is_true(close(o.recall, 0.6))
    assert.is_true(close(o.f1, 6 / 11))
    assert.equal(3, r.passages)
  end)

  it("counts per event type, a pair under its gold type", function()
    local t = r.events.by_type
    assert.same({ 1, 2, 1 }, { t.arms_transfer.gold, t.arms_transfer.system, t.arms_transfer.matched })
    assert.same({ 3, 3, 2 }, { t.meeting.gold, t.meeting.system, t.meeting.matched })
    assert.is_true(close(t.meeting.precision, 2 / 3))
    assert.same({ 1, 0, 0 }, { t.sanctions_imposed.gold, t.sanctions_imposed.system,
      t.sanctions_imposed.matched })
    assert.is_nil(t.sanctions_imposed.precision)
    assert.equal(0, t.sanctions_imposed.recall)
    assert.equal(0, t.ballistic_launch.precision)
    assert.is_nil(t.ballistic_launch.recall)
  end)

  it("counts per language and script", function()
    local en, sr = r.events.by_lang["en/Latn"], r.events.by_lang["sr/Cyrl"]
    assert.same({ 3, 4, 2 }, { en.gold, en.system, en.matched })
    assert.same({ 2, 2, 1 }, { sr.gold, sr.system, sr.matched })
  end)

  it("matches greedily in gold order, not optimally", function()
    local missed = {}
    for _, e in ipairs(r.errors) do
      if e.kind == "miss" and e.what == "event" then missed[#missed + 1] = e.id .. ":" .. e.item.actor2 end
    end
    assert.same({ "p1:PRK", "p2:RUS" }, missed)
  end)

  it("measures modality and negation on the matched pairs only", function()
    assert.same({ 2, 3 }, { r.events.modality.right, r.events.modality.total })
    assert.same({ 2, 3 }, { r.events.negation.right, r.events.negation.total })
  end)

  it("scores claims on speaker and stance, then also on the event type", function()
    local s, t = r.claims.speaker_stance, r.claims.with_type
    assert.same({ 3, 4, 2 }, { s.gold, s.system, s.matched })
    assert.is_true(close(s.precision, 0.5))
    assert.is_true(close(s.recall, 2 / 3))
    assert.same({ 3, 4, 0 }, { t.gold, t.system, t.matched })
    assert.equal(0, t.f1)
    -- named speakers: USA (matched) and AFP (stance differs); the "" speaker is left out
    assert.same({ 2, 1 }, { r.claims.named.gold, r.claims.named.matched })
  end)

  it("lists every miss and false positive once, with the passage id", function()
    local n = { miss = 0, ["false positive"] = 0, modality = 0 }
    for _, e in ipairs(r.errors) do n[e.kind] = n[e.kind] + 1 end
    -- events: 2 misses, 3 false positives; claims (speaker+stance): 1 miss, 2 false positives;
    -- matched events whose modality or negation differs: p1's arms transfer (planned for
    -- asserted), p2's meeting (negated)
    assert.same({ miss = 3, ["false positive"] = 5, modality = 2 }, n)
    local lines = {}
    for line in eval.format_errors(r):gmatch("[^\n]+") do
      if line:find(" modality ", 1, true) then lines[#lines + 1] = line:gsub("%s+", " ") end
    end
    assert.same({ "p1 modality event arms_transfer PRK -> RUS (planned) (gold: asserted)",
      "p2 modality event meeting SRB -> RUS (asserted, negated) (gold: asserted)" }, lines)
  end)

  it("gives no error list unless asked", function()
    assert.is_nil(eval.score(GOLD, SYSTEM).errors)
  end)
end)

describe("dossier.eval.read", function()
  it("reads records and refuses a malformed line, naming file, line and cause", function()
    local good = '{"id":"a","text":"x","lang":"en","events":[],"claims":[]}'
    local path = tmpfile { good, "", '{"id":"b","text":"y","lang":"en","events":[{"type":"meet",'
      .. '"actor1":"","actor2":""}]}' }
    local ok, e = pcall(eval.read, path)
    assert.is_false(ok)
    assert.matches(path .. ":3: unknown event type 'meet'", e, 1, true)
    local p2 = tmpfile { good, good }
    ok, e = pcall(eval.read, p2)
    assert.is_false(ok)
    assert.matches("id 'a' repeats line 1", e, 1, true)
    local p3 = tmpfile { good, "{not json" }
    ok, e = pcall(eval.read, p3)
    assert.is_false(ok)
    assert.matches(":2: not valid JSON", e, 1, true)
    local recs = eval.read(tmpfile { good })
    assert.equal(1, #recs)
    os.remove(path); os.remove(p2); os.remove(p3)
  end)

  it("returns nil and a message for a missing file", function()
    local recs, why = eval.read("/nonexistent/gold.jsonl")
    assert.is_nil(recs)
    assert.matches("cannot open gold file", why, 1, true)
  end)
end)

describe("dossier.eval halves", function()
  it("hashes with FNV-1a 32 (known values)", function()
    assert.equal(0x811c9dc5, eval.hash(""))
    assert.equal(0xe40c292c, eval.hash("a"))
    assert.equal(0xbf9cf968, eval.hash("foobar"))
  end)

  it("fixes a record's half by its id alone", function()
    assert.equal(eval.hash("x") % 2 == 0 and "dev" or "test", eval.half("x"))
    local n = { dev = 0, test = 0 }
    for i = 1, 1000 do n[eval.half("id-" .. i)] = n[eval.half("id-" .. i)] + 1 end
    assert.is_true(n.dev > 400 and n.test > 400)
  end)
end)

describe("dossier.eval.run", function()
  local function ruleset()
    local rs = rules.new { lang = { "en", "sr" }, name = "evalspec" }
    local lex = lexicon.new()
    lex:add("North Korea*", "PRK")
    lex:add("Russia*", "RUS")
    lex:add("Rusij*", "RUS")
    lex:add("Severn* Korej*", "PRK")
    rs:lexicon("actor", lex)
    rs:terms("buy", { "buy*", "bought", "kupi*" })
    rs:rule { name = "buy", type = "arms_transfer", pattern = "{actor:buyer} .. {buy} .. {actor:seller}",
      event = function(m) return { actor1 = m.seller, actor2 = m.buyer } end }
    return rs
  end
  local lines = {
    '{"id":"r1","outlet":"Wire","lang":"en","script":"Latn","text":"Russia bought shells from '
      .. 'North Korea.","events":[{"type":"arms_transfer","actor1":"PRK","actor2":"RUS",'
      .. '"negated":false,"modality":"asserted"}],"claims":[]}',
    '{"id":"r2","outlet":"Дневник","lang":"sr","script":"Cyrl","text":"Русија је купила гранате од '
      .. 'Северне Кореје.","events":[{"type":"arms_transfer","actor1":"PRK","actor2":"RUS",'
      .. '"negated":false,"modality":"asserted"}],"claims":[]}',
    '{"id":"r3","outlet":"Wire","lang":"en","script":"Latn","text":"Russia said it would meet the '
      .. 'demands of North Korea.","events":[],"claims":[]}',
  }

  it("codes each passage with the given rule set and scores it", function()
    local path = tmpfile(lines)
    local r = eval.run(path, { rules = ruleset(), errors = true })
    os.remove(path)
    assert.equal(3, r.passages)
    assert.same({ 2, 2, 2 }, { r.events.overall.gold, r.events.overall.system, r.events.overall.matched })
    assert.equal(1, r.events.by_lang["sr/Cyrl"].matched)
    assert.equal("evalspec", r.rules)
    for _, e in ipairs(r.errors) do assert.equal("claim", e.what) end -- "Russia said": no gold claim
  end)

  it("keeps only one half when asked", function()
    local path = tmpfile(lines)
    local want = 0
    for _, id in ipairs { "r1", "r2", "r3" } do if eval.half(id) == "test" then want = want + 1 end end
    local r = eval.run({ path }, { rules = ruleset(), half = "test" })
    os.remove(path)
    assert.equal(want, r.passages)
  end)

  it("refuses bad arguments", function()
    assert.error_matches(function() eval.run({}) end, "expects gold file paths")
    assert.error_matches(function() eval.run({ "x" }, { half = "train" }) end, "half must be")
    assert.error_matches(function() eval.run({ "/nonexistent.jsonl" }) end, "cannot open gold file")
  end)
end)

describe("dossier eval (the command)", function()
  local function slurp(path)
    local f = assert(io.open(path, "rb"))
    local t = f:read("a")
    f:close()
    os.remove(path)
    return t
  end
  -- bin/dossier as a child process; returns its exit code, stdout and stderr
  local function run(argv)
    local o, e = os.tmpname(), os.tmpname()
    local parts = {}
    for i, a in ipairs(argv) do parts[i] = "'" .. a:gsub("'", "'\\''") .. "'" end
    local _, _, code = os.execute(("lua5.4 bin/dossier %s >%s 2>%s </dev/null"):format(
      table.concat(parts, " "), o, e))
    return code, slurp(o), slurp(e)
  end

  it("prints the table, writes JSON and lists errors", function()
    local path = tmpfile { '{"id":"c1","outlet":"Wire","lang":"en","script":"Latn","text":"Russia '
      .. 'bought rockets from North Korea.","events":[{"type":"meeting","actor1":"RUS","actor2":"PRK",'
      .. '"negated":false,"modality":"asserted"}],"claims":[]}' }
    local json = os.tmpname()
    local code, out = run { "eval", path, "--json", json, "--errors" }
    assert.equal(0, code)
    assert.matches("1 passages", out, 1, true)
    assert.matches("c1%s+miss%s+event%s+meeting RUS %-> PRK", out)
    local f = assert(io.open(json, "rb"))
    local r = require("cjson").decode(f:read("a"))
    f:close()
    assert.equal(1, r.events.overall.gold)
    os.remove(path); os.remove(json)
  end)

  it("is a usage error without a gold file or with a bad half", function()
    assert.equal(2, (run { "eval" }))
    assert.equal(2, (run { "eval", "x.jsonl", "--half", "train" }))
  end)

  it("fails with one line naming a malformed gold file", function()
    local path = tmpfile { '{"id":"x","text":"t","lang":"en","events":"none"}' }
    local code, _, err = run { "eval", path }
    os.remove(path)
    assert.equal(1, code)
    assert.matches(":1: events must be an array", err, 1, true)
  end)
end)

-- The repository's gold set (eval/gold): its format, halves and size, and that its passages are
-- byte-exact cuts of the articles in ../shared/data (when that is here).
describe("the gold set (eval/gold)", function()
  local DATA = os.getenv("DOSSIER_DATA") or "../shared/data"
  local halves = {}
  for _, h in ipairs { "dev", "test" } do halves[h] = assert(eval.read("eval/gold/" .. h .. ".jsonl")) end

  it("keeps every record in the half its id hashes to, each id once", function()
    local seen = {}
    for h, recs in pairs(halves) do
      for _, r in ipairs(recs) do
        assert.equal(h, eval.half(r.id), r.id)
        assert.is_nil(seen[r.id], r.id)
        seen[r.id] = true
      end
    end
  end)

  it("has the size the evaluation issue asks for", function()
    local n, en, ss, cyrl, hard, with_ev = 0, 0, 0, 0, 0, 0
    local types = {}
    for _, recs in pairs(halves) do
      for _, r in ipairs(recs) do
        n = n + 1
        if r.lang == "en" then en = en + 1 end
        if r.lang == "sr" or r.lang == "hr" or r.lang == "bs" then ss = ss + 1 end
        if r.script == "Cyrl" then cyrl = cyrl + 1 end
        if #r.events == 0 and tostring(r.selected):find("^keyword") then hard = hard + 1 end
        if #r.events > 0 then with_ev = with_ev + 1 end
        for _, e in ipairs(r.events) do types[e.type] = true end
        assert.is_true(#r.text <= 2000, r.id)
      end
    end
    assert.is_true(n >= 600, "passages: " .. n)
    assert.is_true(en >= 250, "English: " .. en)
    assert.is_true(ss >= 250, "South Slavic: " .. ss)
    assert.is_true(cyrl >= 80, "Cyrillic: " .. cyrl)
    assert.is_true(hard >= 0.2 * n, "hard negatives: " .. hard)
    assert.is_true(with_ev >= 100, "passages with events: " .. with_ev)
    for _, t in ipairs { "arms_transfer", "ballistic_launch", "icbm_launch", "nuclear_test", "meeting",
      "sanctions_imposed", "other_export", "oil_transfer", "coal_export", "workers_abroad" } do
      assert.is_true(types[t], "no event of type " .. t)
    end
  end)

  it("cuts every passage byte-exactly from its article in ../shared/data", function()
    local cjson = require "cjson"
    local files = {}
    for _, recs in pairs(halves) do
      for _, r in ipairs(recs) do
        local f = r.file and r.file:match("^shared/data/(.+)$")
        if f then
          files[f] = files[f] or {}
          table.insert(files[f], r)
        end
      end
    end
    local probe = io.open(DATA .. "/news/README.md", "rb")
    if not probe then return pending(DATA .. "/news not found: byte-exact check not run") end
    probe:close()
    local checked = 0
    for f, recs in pairs(files) do
      local want = {}
      for _, r in ipairs(recs) do want[r.doc_id] = want[r.doc_id] or {}; table.insert(want[r.doc_id], r) end
      for line in io.lines(DATA .. "/" .. f) do
        local id = line:match('^{"id": "([^"]+)"')
        if id and want[id] then
          local doc = cjson.decode(line)
          for _, r in ipairs(want[id]) do
            assert.equal(r.text, doc.text:sub(r.span[1], r.span[2]), r.id)
            checked = checked + 1
          end
          want[id] = nil
        end
      end
      assert.is_nil(next(want), "documents not found in " .. f)
    end
    assert.is_true(checked >= 500, "checked " .. checked)
  end)

  -- A floor, not a pin: an improvement never fails it; coding nothing does. The whole gold set is
  -- too slow for the valgrind pass (make check), which leaves it pending.
  it("codes the dev half above a floor with the shipped rules", function()
    if os.getenv("DOSSIER_CHECK") == "valgrind" then
      return pending("whole-gold evaluation is left out of the valgrind pass")
    end
    local r = eval.run({ "eval/gold/dev.jsonl" })
    assert.is_true(r.events.overall.matched >= 5, "matched events: " .. r.events.overall.matched)
    assert.is_true(r.events.overall.precision >= 0.3)
    assert.is_true(r.claims.speaker_stance.matched >= 20)
  end)
end)
