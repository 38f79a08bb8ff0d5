-- Specs for dossier.core.batch: many texts in one buffer (csrc/batch.c), as db:fetch fills
-- it and the rules engine scans it.
local core = require "dossier.core"
local rules = require "dossier.rules"
local lexicon = require "dossier.lexicon"

local batch = core.batch

describe("dossier.core.batch", function()
  it("holds texts as given, bytes and all", function()
    local texts = { "North Korea", "", "Severna Koreja\0x", "\255\254 bad UTF-8" }
    local b = batch.new(texts)
    assert.equal(4, #b)
    assert.equal("North Korea", b:text(1))
    assert.equal("", b:text(2))
    assert.equal("Severna Koreja\0x", b:text(3))
    assert.equal("\255\254 bad UTF-8", b:text(4))
    assert.equal(#table.concat(texts), b:size())
    assert.equal(16, b:size(3))
    assert.equal("dossier.batch (4 texts, " .. #table.concat(texts) .. " bytes)", tostring(b))
    assert.equal(5, b:add("more"))
    local c = batch.new()
    assert.equal(0, #c)
    assert.equal(1, c:add(b, 3)) -- a text of another batch, copied
    assert.equal("Severna Koreja\0x", c:text(1))
    -- clearing keeps nothing; the batch fills again
    b:clear()
    assert.equal(0, #b)
    assert.equal(0, b:size())
    assert.equal(1, b:add("again"))
    assert.equal("again", b:text(1))
    -- closing frees the memory; a closed batch is empty and may be filled again
    b:close()
    assert.equal(0, #b)
    assert.equal(1, b:add("x"))
    do
      local d <close> = batch.new { "scoped" }
      assert.equal("scoped", d:text(1))
    end
  end)

  it("gives pieces of a text as string.sub does", function()
    local s = "Pyongyang fired a missile"
    local b = batch.new { "zero", s }
    for _, ij in ipairs { { 1, 9 }, { 11, -1 }, { -7, -1 }, { 0, 3 }, { 5, 4 }, { 20, 100 }, { -100, 2 },
      { 3, -100 }, { #s, #s }, { #s + 1, #s + 5 }, { math.mininteger, math.maxinteger } } do
      assert.equal(s:sub(ij[1], ij[2]), b:sub(2, ij[1], ij[2]))
    end
    assert.equal(s:sub(11), b:sub(2, 11))
  end)

  it("grows to many and large texts", function()
    local b = batch.new()
    local big = ("Serbia and Croatia. "):rep(50000) -- 1 MB
    for i = 1, 3000 do
      b:add(i % 1000 == 0 and big or ("text " .. i))
    end
    assert.equal(3000, #b)
    assert.equal("text 2999", b:text(2999))
    assert.equal(big, b:text(2000))
    assert.equal(3 * #big, b:size() - (function()
      local n = 0
      for i = 1, 3000 do
        if i % 1000 ~= 0 then n = n + #("text " .. i) end
      end
      return n
    end)())
  end)

  it("raises for bad arguments", function()
    local b = batch.new { "a", "b" }
    assert.error_matches(function() b:text(3) end, "dossier.batch: no text 3 %(the batch has 2%)")
    assert.error_matches(function() b:text(0) end, "no text 0")
    assert.error_matches(function() b:sub(5, 1, 1) end, "no text 5")
    assert.error_matches(function() b:size(-1) end, "no text %-1")
    assert.error_matches(function() b:add(b, 1) end, "cannot add a batch's text to itself")
    assert.error_matches(function() b:add(batch.new { "x" }, 2) end, "no text 2")
    assert.error_matches(function() b:add({}) end, "string expected")
    assert.error_matches(function() batch.new { "a", 2, "c" } end, "text 2 is not a string")
    assert.error_matches(function() batch.new("a") end, "table expected")
    assert.error_matches(function() b.text({}, 1) end, "dossier.batch expected")
  end)

  it("is scanned in place by the rules engine, and is free again after a failed scan", function()
    local lex = lexicon.new()
    lex:add("north korea", "PRK")
    lex:add("severna koreja", "PRK")
    local rs = rules.new { lang = { "en", "sr" } }
    rs:lexicon("actor", lex)
    rs:terms("launch", { "launch*", "lansira*" })
    rs:terms("thing", { "missile*", "raket*" })
    rs:rule { name = "launch", pattern = "{actor:actor1} ..4 {launch} ..4 {thing:item}" }
    local texts = {}
    for i = 1, 200 do
      texts[i] = i % 2 == 0 and ("North Korea launched missiles, report " .. i .. ". Russia too.")
        or ("Severna Koreja je lansirala rakete " .. i .. ". Nista drugo.")
    end
    local b = batch.new(texts)
    local function key(ms)
      local t = {}
      for i, m in ipairs(ms) do
        t[i] = table.concat({ m.doc_id or "", m.start, m.stop, m.actor1, m.item }, "|")
      end
      return t
    end
    local ctxs = {}
    for i = 1, #texts do ctxs[i] = { doc_id = i } end
    local want = key(rs:run_many(texts, ctxs))
    assert.equal(200, #want)
    assert.same(want, key(rs:run_many(b, ctxs)))
    assert.same(want, key(rs:run_many(b, ctxs, true)))
    -- a scan that fails half way (a catastrophic raw pattern hits PCRE2's match limit)
    -- leaves the batch free: the guard that keeps it unchanged during a scan is closed
    local bad = rules.new {}
    bad:rule { name = "bad", pattern = "/(?:a|aa)+(?:a|aa)+(?:a|aa)+(?:a|aa)+(?:a|aa)+$/" }
    b:add(("a"):rep(40) .. "c")
    assert.error_matches(function() bad:run_many(b) end, "match limit exceeded")
    b:clear()
    assert.equal(1, b:add("North Korea launched a missile."))
    assert.equal(1, #rs:run_many(b))
    -- n beyond the batch
    local E = rs:_build()
    assert.error_matches(function() E.engine:run_many(b, nil, #b + 1) end, "the batch has 1 texts, not 2")
    assert.error_matches(function() rs:emit_many(b, {}, {}, {}, #b + 1, print) end, "but the batch has")
  end)
end)
