-- luacheck: std +busted
-- Specs for dossier.lexicon: new/add/scan/count/matches/#, key, build/stats/close, the TABARI
-- and TSV loaders, code_for.
-- Oracles: hand-checked cases written here; a slow Lua reference matcher (dossier.text.fold,
-- then a naive search with the documented whole-word and stem rules) run on real news text;
-- the same text scanned with tiny chunks; the original text itself (every reported span must
-- fold back to the phrase). Real files are read at test time from ../shared/data or
-- $DOSSIER_DATA (the tests that need them are pending when absent).
local lexicon = require "dossier.lexicon"
local text = require "dossier.text"

local DATA = os.getenv("DOSSIER_DATA") or "../shared/data"
local CHECK = os.getenv("DOSSIER_CHECK") -- "valgrind": scale the very large inputs down
local BIG = CHECK == "valgrind" and 1000000 or 4000000

local function readable(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

local cjson = require "cjson"

-- The "text" fields of a JSONL file, at most `max` bytes in all.
local function corpus(file, max)
  local path = DATA .. "/news/" .. file
  if not readable(path) then return nil end
  local parts, n = {}, 0
  for line in io.lines(path) do
    local ok, doc = pcall(cjson.decode, line)
    if ok and type(doc.text) == "string" then
      parts[#parts + 1] = doc.text
      n = n + #doc.text
      if max and n >= max then break end
    end
  end
  return parts
end

-- Marks the running test pending (busted's pending raises, so nothing after it runs): a test
-- whose data is absent is reported as not run, never as passed.
local function skip(msg)
  pending(msg)
end

local function collect(lex, s)
  local out = {}
  for id, a, b, attrs in lex:scan(s) do out[#out + 1] = { id = id, start = a, stop = b, attrs = attrs } end
  return out
end

local function spans(list)
  local out = {}
  for i, m in ipairs(list) do out[i] = m.id .. "@" .. m.start .. "-" .. m.stop end
  return table.concat(out, " ")
end

-- Reference matcher ----------------------------------------------------------
-- Word bytes of folded text, as fold.h documents them.
local function isword(c) return c and (c >= 48 and c <= 57 or c >= 97 and c <= 122 or c >= 128) end

-- phrases: list of {phrase, id}. Returns {id=, start=, stop=} in original offsets.
local function reference(phrases, s)
  local pats = {} -- first folded byte -> list of {parts, stems_after_last, literal, id}
  for _, p in ipairs(phrases) do
    local key = lexicon.key(p[1])
    local parts, stemmed = {}, key:sub(-1) == "*"
    for part in (key .. (stemmed and "" or "*")):gmatch("([^*]*)%*") do parts[#parts + 1] = part end
    local literal, stems = #key:gsub("%*", ""), select(2, key:gsub("%*", ""))
    local b = parts[1]:byte(1)
    pats[b] = pats[b] or {}
    table.insert(pats[b], { parts = parts, stemmed = stemmed, literal = literal, stems = stems, id = p[2] })
  end
  local f, map = text.fold(s, nil, true)
  local n, out, i = #f, {}, 1
  while i <= n do
    local best, bestlit, beststems, bestid
    local c = f:byte(i)
    if pats[c] and not (i > 1 and isword(f:byte(i - 1)) and isword(c)) then
      for _, p in ipairs(pats[c]) do
        local j, ok = i, true
        for k, part in ipairs(p.parts) do
          if f:sub(j, j + #part - 1) ~= part then ok = false break end
          j = j + #part
          if k < #p.parts or p.stemmed then
            while j <= n and isword(f:byte(j)) do j = j + 1 end
          end
        end
        local e = j - 1
        if ok and not p.stemmed and j <= n and isword(f:byte(j)) and isword(f:byte(e)) then ok = false end
        -- ties: more literal bytes, then fewer stems, then the later add
        -- (the literal bytes of a key are all matched literally, so key lengths compare)
        if ok and (not best or e > best or (e == best and (p.literal > bestlit
            or (p.literal == bestlit and p.stems <= beststems)))) then
          best, bestlit, beststems, bestid = e, p.literal, p.stems, p.id
        end
      end
    end
    if best then
      out[#out + 1] = { id = bestid, start = map(i), stop = map(best, true) }
      i = best + 1
    else
      i = i + 1
    end
  end
  return out
end

describe("dossier.lexicon", function()
  describe("new, add, #lex", function()
    it("starts empty and counts distinct phrases", function()
      local lex = lexicon.new()
      assert.equal(0, #lex)
      assert.equal(lex, lex:add("Iran", "IRN"))
      lex:add("Severn* Korej*", "PRK", { kind = "state" })
      assert.equal(2, #lex)
      lex:add("IRAN", "IRN2") -- same folded key: replaces, still 2
      assert.equal(2, #lex)
      lex:add("Иран", "IRN3") -- Cyrillic folds to the same key too
      assert.equal(2, #lex)
    end)

    it("lets the last add of a key win", function()
      local lex = lexicon.new()
      lex:add("Iran", "A")
      lex:add("  iran ", "B", { n = 1 })
      local m = lex:matches("Iran.")
      assert.equal(1, #m)
      assert.equal("B", m[1].id)
      assert.same({ n = 1 }, m[1].attrs)
    end)

    it("rejects bad arguments with messages naming the module", function()
      local lex = lexicon.new()
      assert.has_error(function() lex:add("", "X") end, "dossier.lexicon: empty phrase")
      assert.has_error(function() lex:add("   \t ", "X") end, "dossier.lexicon: empty phrase")
      assert.has_error(function() lex:add("Iran", 5) end, "dossier.lexicon: id must be a string (got number)")
      assert.has_error(function() lex:add("Iran") end, "dossier.lexicon: id must be a string (got no value)")
      assert.has_error(function() lex:add("Iran", "I", "attrs") end)
      assert.has_error(function() lex:add({}, "I") end)
      assert.has_error(function() lex:add("Kor*ea", "K") end,
        "dossier.lexicon: '*' inside a word at phrase offset 4 (a stem marker ends a word)")
      assert.has_error(function() lex:add("Korea *", "K") end,
        "dossier.lexicon: '*' without a word at phrase offset 7")
      assert.has_error(function() lex:add("*", "K") end,
        "dossier.lexicon: '*' without a word at phrase offset 1")
      assert.has_error(function() lexicon.new { bogus = 1 } end, "dossier.lexicon: unknown option 'bogus'")
      assert.has_error(function() lexicon.new { chunk = 0 } end,
        "dossier.lexicon: option 'chunk' must be a positive integer")
      assert.has_error(function() lexicon.new(5) end)
      assert.equal(0, #lex)
    end)

    it("folds phrases with the same rules as text (key)", function()
      assert.equal("severn* korej*", lexicon.key("Severn* Korej*"))
      assert.equal("severnoj koreji", lexicon.key("  Северној \n\t Кореји "))
      assert.equal("djordje cacak", lexicon.key("Đorđe Čačak"))
      assert.equal("al-qaeda", lexicon.key("Al-Qaeda"))
      assert.equal("u.s.", lexicon.key("U.S."))
      assert.equal("cote d'ivoire", lexicon.key("Côte d’Ivoire"))
      assert.equal(text.fold("Šta ćeš, Ђурђевдан"), lexicon.key("Šta ćeš, Ђурђевдан"))
    end)
  end)

  describe("scan, count, matches", function()
    local lex = lexicon.new()
    lex:add("Severn* Korej*", "PRK")
    lex:add("Južn* Korej*", "KOR")
    lex:add("Korej*", "KORX")
    lex:add("Iran", "IRN")
    lex:add("Iran*", "IRNX") -- different key from "Iran": both kept
    lex:add("Rusij*", "RUS")
    lex:add("U.S.", "USA")
    lex:add("al-Qaeda", "AQ")
    lex:add("United States", "USA")
    lex:add("New York Times", "NYT")
    lex:add("New York", "NYC")

    it("finds Serbian case forms in both scripts, with exact original offsets", function()
      local s = "Severna Koreja, Severne Koreje i SEVERNOJ KOREJI; Северној Кореји и Јужна Кореја."
      local got = collect(lex, s)
      local want = {
        { "PRK", "Severna Koreja" }, { "PRK", "Severne Koreje" }, { "PRK", "SEVERNOJ KOREJI" },
        { "PRK", "Северној Кореји" }, { "KOR", "Јужна Кореја" },
      }
      assert.equal(#want, #got)
      for i, w in ipairs(want) do
        assert.equal(w[1], got[i].id)
        assert.equal(w[2], s:sub(got[i].start, got[i].stop))
      end
      assert.equal(#want, lex:count(s))
      assert.same(got, lex:matches(s))
    end)

    it("matches whole words; a stem only where written", function()
      local s = "Iranian Iran Irans (Iran) tiran Koreji Rusija Rusijom Rus"
      local got = collect(lex, s)
      local words = {}
      for i, m in ipairs(got) do words[i] = m.id .. ":" .. s:sub(m.start, m.stop) end
      assert.same({ "IRNX:Iranian", "IRN:Iran", "IRNX:Irans", "IRN:Iran", "KORX:Koreji", "RUS:Rusija",
        "RUS:Rusijom" }, words)
    end)

    it("is leftmost-longest and non-overlapping", function()
      local s = "the New York Times said, New York said, New Yorkers"
      local got = collect(lex, s)
      assert.equal("NYT@5-18 NYC@26-33", spans(got))
      -- "Severna Koreja": PRK (longer) wins over KORX starting later inside it
      assert.equal("PRK@1-14", spans(collect(lex, "Severna Koreja")))
    end)

    it("treats punctuation in phrases literally and whitespace as any run", function()
      assert.equal("USA@5-8", spans(collect(lex, "the U.S. and US")))
      assert.equal("AQ@1-8 AQ@14-21", spans(collect(lex, "al-Qaeda and AL-QAEDA, al Qaeda")))
      assert.equal("USA@1-16", spans(collect(lex, "United\n\t  States")))
      assert.equal("", spans(collect(lex, "UnitedStates")))
    end)

    it("handles empty text and an empty lexicon", function()
      assert.equal(0, lex:count(""))
      assert.same({}, lex:matches(""))
      assert.same({}, collect(lex, ""))
      local empty = lexicon.new()
      assert.equal(0, empty:count("Iran and Severna Koreja"))
      assert.same({}, empty:matches("Iran"))
    end)

    it("returns the attrs table given to add", function()
      local l = lexicon.new()
      local attrs = { code = "PRK" }
      l:add("Pjongjang", "PRK", attrs)
      l:add("Seul", "KOR")
      local m = l:matches("Pjongjang i Seul")
      assert.equal(attrs, m[1].attrs)
      assert.is_nil(m[2].attrs)
      local _, _, _, a = l:scan("Пјонгјанг")()
      assert.equal(attrs, a)
    end)

    it("rebuilds after add, and a running scan keeps its automaton", function()
      local l = lexicon.new()
      l:add("Iran", "IRN")
      local s = "Iran, Irak, Iran, Irak"
      local it1 = l:scan(s)
      assert.equal("IRN", (it1()))
      l:add("Irak", "IRQ")
      assert.equal(4, l:count(s))
      local rest = {}
      for id in it1 do rest[#rest + 1] = id end
      assert.same({ "IRN" }, rest) -- the old scan does not see "Irak"
      assert.equal("IRN@1-4 IRQ@7-10 IRN@13-16 IRQ@19-22", spans(l:matches(s)))
    end)

    it("never fails on invalid UTF-8, in text or in phrases", function()
      local l = lexicon.new()
      l:add("Iran", "IRN")
      l:add("caf\xe9", "CAFE") -- Latin-1 byte, kept as is
      -- invalid bytes are word bytes (fold.h): "\xfeIran" is not the word "Iran"
      local s = "\xff\xfeIran\xc3 Iran \xe9 caf\xe9 \xed\xa0\x80Iran\x80 Iran"
      local got = collect(l, s)
      assert.equal("IRN@9-12 CAFE@16-19 IRN@30-33", spans(got))
      for _, m in ipairs(got) do assert.truthy(s:sub(m.start, m.stop):find("^%a+")) end
      -- random bytes: no crash, no loop, spans inside the text
      math.randomseed(7)
      for _ = 1, 200 do
        local t = {}
        for i = 1, math.random(0, 300) do t[i] = string.char(math.random(0, 255)) end
        local r = table.concat(t)
        for _, m in ipairs(l:matches(r)) do
          assert.truthy(m.start >= 1 and m.stop <= #r and m.start <= m.stop)
        end
      end
    end)

    it("matches phrases with NUL bytes and never matches across them as spaces", function()
      local l = lexicon.new()
      l:add("a\0b", "NUL")
      l:add("a b", "SP")
      assert.equal("NUL@1-3 SP@5-7", spans(collect(l, "a\0b a b")))
    end)

    it("scans mixed scripts in one sentence", function()
      local l = lexicon.new()
      l:add("Beograd*", "BEG")
      l:add("Vučić*", "AV")
      l:add("Moskv*", "MOW")
      local s = "Вучић је из Beograda отпутовао у Москву, a Vučića čekaju u Moskvi."
      local got = collect(l, s)
      local words = {}
      for i, m in ipairs(got) do words[i] = m.id .. ":" .. s:sub(m.start, m.stop) end
      assert.same({ "AV:Вучић", "BEG:Beograda", "MOW:Москву", "AV:Vučića", "MOW:Moskvi" }, words)
    end)

    it("includes decomposed accents and whole whitespace runs in spans", function()
      local l = lexicon.new()
      l:add("Vučić", "AV")
      l:add("Crna Gora", "MNE")
      local s = "Vuc\204\140ic\204\129 i Crna \n  Gora"
      local got = collect(l, s)
      assert.equal(2, #got)
      assert.equal("Vuc\204\140ic\204\129", s:sub(got[1].start, got[1].stop))
      assert.equal("Crna \n  Gora", s:sub(got[2].start, got[2].stop))
    end)
  end)

  describe("chunked folding", function()
    it("gives the same matches with any chunk size", function()
      local phrases = { { "Severn* Korej*", "PRK" }, { "Kore*", "K" }, { "United States of America", "USA" },
        { "United States", "US" }, { "Iran", "IRN" }, { "Đorđ*", "DJ" } }
      local s = ("Severnoj   Koreji, Северној  Кореји; the United States of America and the United\n  States"
        .. " vs United States of Americana; Iranian Iran Đorđe Ђорђевић Korea Koreans. "):rep(30)
      -- Three times: phrases that all start with a word byte (the scan jumps through a
      -- word bitmap), then with one starting with punctuation (a second bitmap of such
      -- bytes), then with five different first punctuation bytes (it visits every byte).
      for pass = 1, 3 do
        if pass == 2 then
          phrases[#phrases + 1] = { "(AAIA)", "AAIA" }
          s = s .. " (aaia) the (AAIA), Aden-Abyan (AAIA)"
        elseif pass == 3 then
          for _, p in ipairs { "'Oman", "-Iran", ".Kore*", "\"Gora" } do
            phrases[#phrases + 1] = { p, "P" .. p }
          end
          s = s .. " x'Oman 'oman -Iran- a.Koreja \"Gora\" (aaia)"
        end
        local base
        for _, chunk in ipairs { 1, 2, 3, 5, 7, 16, 33, 100, 4096 } do
          local l = lexicon.new { chunk = chunk }
          for _, p in ipairs(phrases) do l:add(p[1], p[2]) end
          local got = spans(l:matches(s))
          base = base or got
          assert.equal(base, got)
          assert.equal(spans(reference(phrases, s)), got)
        end
        if pass >= 2 then assert.truthy(base:find("AAIA@", 1, true)) end
        if pass == 3 then assert.truthy(base:find("P.Kore*@", 1, true)) end
      end
    end)
  end)

  describe("the scan's filters and trie layout", function()
    -- The scan takes the folded text 64 bytes at a time as bitmaps, tests each word against
    -- filters (exact first words with the bytes that follow them, stem-first prefixes) and
    -- walks a trie of variable-size records (chains of one-child nodes packed as strings,
    -- sparse label lists, dense rows). These cases aim at each path and at their edges.
    local function check(phrases, s, chunks)
      local want = spans(reference(phrases, s))
      for _, chunk in ipairs(chunks or { 1, 3, 8, 64, 65536 }) do
        local l = lexicon.new { chunk = chunk }
        for _, p in ipairs(phrases) do l:add(p[1], p[2]) end
        if want ~= spans(l:matches(s)) and os.getenv("LEXDEBUG") then
          for _, p in ipairs(phrases) do io.stderr:write(("PHRASE %q %s\n"):format(p[1], p[2])) end
          io.stderr:write(("TEXT %q\n"):format(s))
        end
        assert.equal(want, spans(l:matches(s)), "chunk " .. chunk)
      end
      return want
    end

    it("finds words and phrases across 64-byte blocks, after words longer than a block", function()
      local long = ("x"):rep(70)
      local phrases = { { "Iran", "IRN" }, { long, "LONG" }, { ("y"):rep(130) .. " Iran", "YI" },
        { "z*", "Z" } }
      for _, pad in ipairs { 0, 1, 55, 56, 57, 62, 63, 64, 65, 127, 128 } do
        local s = ("a"):rep(pad) .. " Iran " .. long .. " " .. ("y"):rep(130) .. " Iran "
          .. ("q"):rep(200) .. " zz" .. ("z"):rep(150) .. " Iran"
        local got = check(phrases, s, { 1, 7, 64, 65536 })
        assert.truthy(got:find("LONG@", 1, true) and got:find("YI@", 1, true), got)
      end
      -- texts of exactly one and two blocks, the match at the very end
      for _, n in ipairs { 63, 64, 65, 128 } do
        check(phrases, ("b"):rep(n - 5) .. " Iran")
        check(phrases, ("b "):rep(n // 2 - 2) .. "Iran")
      end
    end)

    it("walks chains longer than a record holds, sparse and dense children", function()
      local phrases = { { ("ab"):rep(200), "AB400" }, { ("ab"):rep(140), "AB280" },
        { ("ab"):rep(127) .. "a", "AB255" } }
      -- one parent with 2, 15, 16 and 30 children (sparse up to 15, then a dense row)
      local letters = "abcdefghijklmnopqrstuvwxyz0123"
      for _, k in ipairs { 2, 15, 16, 30 } do
        for i = 1, k do
          phrases[#phrases + 1] = { "p" .. k .. "q " .. letters:sub(i, i) .. "x", "P" .. k .. i }
        end
      end
      local parts = { ("ab"):rep(200), ("ab"):rep(140), ("ab"):rep(127) .. "a", ("ab"):rep(139) }
      for _, k in ipairs { 2, 15, 16, 30 } do
        for i = 1, k + 1 do parts[#parts + 1] = "p" .. k .. "q " .. letters:sub(i, i) .. "x" end
      end
      local got = check(phrases, table.concat(parts, " "))
      assert.truthy(got:find("AB400@1-400", 1, true), got)
      assert.truthy(got:find("P3030@", 1, true) and got:find("P22@", 1, true), got)
    end)

    it("tests the bytes after a first word: 1 to 4 of them, at the end of the text too", function()
      local phrases = { { "the UK", "UK" }, { "the U.S.", "US" }, { "s. Jaipal Reddy", "SJR" },
        { "a.b", "AB" }, { "x y*", "XY" }, { "said", "SAID" }, { "north korea", "NK" },
        { "q-", "Q" }, { "w.", "W" } }
      local s = "the uk, the u.s. and the usa; s. jaipal reddy said a.b a.bc x yz x y north kore"
        .. " north korea q- q w. w"
      local got = check(phrases, s)
      assert.equal("UK@1-6 US@9-16 SJR@31-45 SAID@47-50 AB@52-54 XY@61-64 XY@66-68 NK@81-91"
        .. " Q@93-94 W@98-99", got)
      for _, tail in ipairs { "the", "the ", "the u", "the uk", "s.", "s. ", "x", "x ", "north", "q", "w" } do
        check(phrases, tail)
        check(phrases, "said " .. tail)
      end
    end)

    it("finds stem-first phrases whatever the length of their literal start", function()
      local phrases = { { "k*", "K1" }, { "ko*", "K2" }, { "kor*", "K3" }, { "kore*", "K4" },
        { "korej*", "K5" }, { "koreja", "KJ" }, { "ž*", "ZH" }, { "ab* cd", "ABCD" } }
      local s = "k ko kor kore korej koreja korejom kx kox korx korex korejx ž žuto abc cd abcd"
        .. " ab cd abcd cde"
      check(phrases, s)
      -- a 1-byte chunk cuts "ж" (folded "z") in two: the scan must refold, not skip it
      assert.equal("ZH@1-5 ZH@7-8", check({ { "ж*", "ZH" } }, "жcab ж"))
    end)

    it("gates stem words by their first 3 bytes, then tests up to 8 (longer starts too)", function()
      -- stem words with literal starts of 3 to 16 bytes, sharing first bytes, next to exact words
      -- with the same starts; texts hold each start cut short, exact, extended, and changed at
      -- every byte, in the middle and at the very end of the text
      local starts = { "abc", "abcd", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abx",
        "šabc", "xyzxyzxy", "xyzxyzxyq" }
      local phrases = { { "abcde", "EX5" }, { "abcdefgh", "EX8" }, { "xyz", "XYZ" }, { "ab", "AB" } }
      for i, st in ipairs(starts) do phrases[#phrases + 1] = { st .. "*", "S" .. i } end
      phrases[#phrases + 1] = { "abcdefghij* q", "SQ" }
      local words = {}
      for _, st in ipairs(starts) do
        for len = 1, #st + 2 do words[#words + 1] = (st .. "zz"):sub(1, len) end
        for j = 1, #st do words[#words + 1] = st:sub(1, j - 1) .. "9" .. st:sub(j + 1) end
      end
      words[#words + 1] = "abcdefghijk q"
      local s = table.concat(words, " ")
      check(phrases, s, { 1, 9, 64, 65536 })
      for _, w in ipairs(words) do
        check(phrases, w, { 1, 65536 })
        check(phrases, "a " .. w, { 2, 65536 })
      end
      -- invalid UTF-8 inside and right after stem words, and at the text's end
      check(phrases, "abc\xffd abcdefgh\xc3 \xe2\x82abcdefghi \x80abcd xyzxyzxy\xf0\x9f abcdefghij\xc3",
        { 1, 3, 65536 })
      -- no stem word of 3 bytes or more: only 1- and 2-byte starts, without a gate
      check({ { "a*", "A" }, { "bc*", "BC" }, { "bcd", "BCD" } }, "a ab bc bcd bcde b c abc", { 1, 65536 })
    end)

    it("agrees with the reference on random phrases and texts, any chunk size", function()
      math.randomseed(20261128)
      local R = math.random
      local bits = { "a", "b", "ab", "ba", "c", "š", "ж", "1", "e" }
      local seps = { " ", " ", " ", ".", "-", "'", ". ", "  ", ",", "(", "/" }
      local function word()
        local t = {}
        for i = 1, R(1, 3) do t[i] = bits[R(#bits)] end
        return table.concat(t)
      end
      for _ = 1, CHECK and 40 or 200 do
        local phrases, seen = {}, {}
        for i = 1, R(1, 20) do
          local ws = {}
          for j = 1, R(1, 3) do
            ws[j] = word() .. (R(4) == 1 and "*" or "")
          end
          local p = ws[1]
          for j = 2, #ws do p = p .. (ws[j - 1]:sub(-1) == "*" and " " or seps[R(#seps)]) .. ws[j] end
          if R(10) == 1 then p = seps[R(4, #seps)]:sub(1, 1) .. p end
          local ok, key = pcall(lexicon.key, p)
          if ok and not seen[key] then
            seen[key] = true
            phrases[#phrases + 1] = { p, "P" .. i }
          end
        end
        local t = {}
        for i = 1, R(0, 80) do t[i] = word() .. seps[R(#seps)] end
        check(phrases, table.concat(t) .. (R(2) == 1 and word() or ""), { 1, 5, 64, 65536 })
      end
    end)
  end)

  describe("on real text", function()
    it("agrees with a slow reference on English news (Phoenix names) #slow", function()
      local docs = corpus("bbc_news_2004-2005.jsonl", CHECK and 60000 or 120000)
      local path = DATA .. "/anchors/petrarch2/Phoenix.Countries.actors.txt"
      if not docs or not readable(path) then
        return skip("needs " .. DATA .. "/news and " .. path)
      end
      -- 1500 real phrases, stems as TABARI writes them
      local phrases, lex = {}, lexicon.new()
      local full = lexicon.load(path)
      local n, seen = 0, 0
      for line in io.lines(path) do
        local name = line:match("^%+?([%u][%w_%-%.']+)")
        seen = seen + (name and 1 or 0)
        if name and seen % 6 == 0 then
          local whole = name:sub(-1) == "_"
          local phrase = name:gsub("_+$", ""):gsub("_", " ")
          if not whole then phrase = phrase .. "*" end
          n = n + 1
          phrases[#phrases + 1] = { phrase, "P" .. n }
          lex:add(phrase, "P" .. n)
        end
      end
      local s = table.concat(docs, "\n")
      local got, want = lex:matches(s), reference(phrases, s)
      assert.truthy(#want > (CHECK and 20 or 100), "reference found " .. #want)
      assert.equal(#want, #got)
      assert.equal(spans(want), spans(got))
      assert.truthy(full:count(s) > 0)
    end)

    it("agrees with the reference on SETimes, and finds the same in Latin and Cyrillic", function()
      local latn = corpus("sr_latn_setimes_ud_dev_test.jsonl")
      local cyrl = corpus("sr_cyrl_translit_setimes_ud_dev_test.jsonl")
      if not latn or not cyrl then
        return skip("needs the SETimes files in " .. DATA .. "/news")
      end
      local phrases = {
        { "Srbij*", "SRB" }, { "Kosov*", "KOS" }, { "Beograd*", "BEG" }, { "Evropsk* unij*", "EU" },
        { "EU", "EU" }, { "Crn* Gor*", "MNE" }, { "Hrvatsk*", "HRV" }, { "Bosn* i Hercegovin*", "BIH" },
        { "BiH", "BIH" }, { "Makedonij*", "MKD" }, { "vlad*", "GOV" }, { "premijer*", "PM" },
        { "predsednik*", "PRES" }, { "Priština", "PRN" }, { "Prištin*", "PRN" }, { "Grčk*", "GRC" },
        { "Turs*", "TUR" }, { "NATO", "NATO" }, { "UN", "UN" }, { "ministar*", "MIN" },
      }
      local lex = lexicon.new()
      for _, p in ipairs(phrases) do lex:add(p[1], p[2]) end
      local total_l, total_c = 0, 0
      for i = 1, math.min(#latn, #cyrl) do
        local ml, mc = lex:matches(latn[i]), lex:matches(cyrl[i])
        assert.equal(spans(reference(phrases, latn[i])), spans(ml))
        assert.equal(spans(reference(phrases, cyrl[i])), spans(mc))
        -- every span folds back to the matched text
        for _, m in ipairs(mc) do
          local f = text.fold(cyrl[i]:sub(m.start, m.stop))
          assert.truthy(#f > 0 and f == text.fold(cyrl[i]:sub(m.start, m.stop)))
        end
        total_l, total_c = total_l + #ml, total_c + #mc
      end
      assert.truthy(total_l > 200)
      -- transliteration is not perfect (foreign names), but the scripts nearly agree
      assert.truthy(math.abs(total_l - total_c) <= total_l // 50,
        ("Latin %d vs Cyrillic %d"):format(total_l, total_c))
    end)
  end)

  describe("large inputs", function()
    it("scans a 4 MB text (61 chunks) with exact offsets and bounded scratch #slow", function()
      local lex = lexicon.new()
      lex:add("Severn* Korej*", "PRK")
      lex:add("Rusij*", "RUS")
      local unit = "Rusija kupuje granate od Severne Koreje; Москва и Пјонгјанг. "
      local reps = BIG // #unit
      local s = unit:rep(reps)
      assert.equal(2 * reps, lex:count(s))
      local i, last = 0, nil
      for id, a, b in lex:scan(s) do
        i = i + 1
        local k = (i - 1) // 2
        if id == "RUS" then
          assert.equal(k * #unit + 1, a)
          assert.equal("Rusija", s:sub(a, b))
        else
          assert.equal("Severne Koreje", s:sub(a, b))
        end
        last = b
      end
      assert.equal(2 * reps, i)
      assert.equal((reps - 1) * #unit + unit:find("Koreje") + 5, last)
    end)

    it("builds 100,000 phrases and still finds each", function()
      local lex = lexicon.new()
      local N = CHECK == "valgrind" and 20000 or 100000
      local t0 = os.clock()
      for i = 1, N do lex:add(("name%d org%d"):format(i, i % 977), "ID" .. i) end
      lex:add("Severn* Korej*", "PRK")
      lex:build()
      local dt = os.clock() - t0
      assert.equal(N + 1, #lex)
      local st = lex:stats()
      assert.equal(N + 1, st.phrases)
      assert.truthy(st.nodes > N and st.bytes > 0)
      print(("\n[lexicon_spec] %d phrases: add+build %.3f s, %d bytes (%.0f per phrase)"):format(
        N + 1, dt, st.bytes, st.bytes / (N + 1)))
      local k = N - 1
      local s = ("Name42 org%d i NAME%d ORG%d i Severnoj Koreji; name42 org43."):format(42 % 977, k, k % 977)
      local got = lex:matches(s)
      local b = 16 + #("name%d org%d"):format(k, k % 977) - 1
      assert.equal(("ID42@1-12 ID%d@16-%d PRK@%d-%d"):format(k, b, b + 4, b + 18), spans(got))
    end)
  end)

  describe("build, stats, close", function()
    it("closes: further use raises, running iterators stop", function()
      local l = lexicon.new()
      l:add("Iran", "IRN")
      local it1 = l:scan("Iran Iran")
      assert.equal("IRN", (it1()))
      l:close()
      assert.has_error(function() it1() end, "dossier.lexicon: lexicon is closed")
      assert.has_error(function() l:count("Iran") end, "dossier.lexicon: lexicon is closed")
      assert.has_error(function() return #l end, "dossier.lexicon: lexicon is closed")
      assert.has_error(function() l:add("x", "X") end, "dossier.lexicon: lexicon is closed")
      l:close() -- twice is fine
      assert.truthy(tostring(l):find("closed"))
    end)

    it("closes as a to-be-closed variable", function()
      local ref
      do
        local l <close> = lexicon.new()
        l:add("Iran", "IRN")
        ref = l
        assert.equal(1, l:count("Iran"))
      end
      assert.has_error(function() ref:count("Iran") end, "dossier.lexicon: lexicon is closed")
    end)

    it("reports stats and prints", function()
      local l = lexicon.new()
      l:add("ab", "X")
      l:add("ac*", "Y")
      assert.equal(l, l:build())
      local st = l:stats()
      assert.equal(2, st.phrases)
      assert.equal(2, st.entries)
      assert.equal(5, st.nodes) -- root, a, ab, ac, and the node after ac's stem
      assert.truthy(tostring(l):find("2 phrases", 1, true))
    end)
  end)

  describe("load (tabari)", function()
    local tmp = os.tmpname()
    after_each(function() os.remove(tmp) end)

    local function write(s)
      local f = assert(io.open(tmp, "wb"))
      f:write(s)
      f:close()
    end

    it("reads names, synonyms, stems, whole words and codes", function()
      write(table.concat({
        "# a comment line",
        "NORTH_KOREA_ [PRK] # trailing comment",
        "+DPRK_",
        "+PYONGYANG",
        "SOUTH_KOREA [KOR]",
        "",
        "VLADIMIR_PUTIN_",
        "+PUTIN_",
        "\t[RUSELI 520101-991231]",
        "\t[RUSGOV >000507]",
        "KIM_JONG_UN_ [PRKGOV]",
        "<!-- html",
        "comment -->",
        "ENT [### <890101] [ENT]",
      }, "\n"))
      local lex, r = lexicon.load(tmp, "tabari")
      assert.same({}, r.errors)
      assert.same({}, r.warnings)
      assert.equal(8, #lex)
      assert.equal(5, r.entries)
      assert.equal(14, r.lines)
      assert.same({ 1, 12, 13 }, { r.comments[1].line, r.comments[2].line, r.comments[3].line })
      local s = "North Korea, DPRK, Pyongyangers, South Koreans, Putin's talks; Kim Jong Un; DPRKs"
      local got = lex:matches(s)
      local words = {}
      for i, m in ipairs(got) do words[i] = m.id .. ":" .. s:sub(m.start, m.stop) end
      assert.same({ "PRK:North Korea", "PRK:DPRK", "PRK:Pyongyangers", "KOR:South Koreans", "RUSGOV:Putin",
        "PRKGOV:Kim Jong Un" }, words)
      local putin = got[5].attrs
      assert.equal("RUSGOV", putin.code)
      assert.equal(7, putin.line)
      assert.same({ code = "RUSELI", from = 19520101, to = 19991231, text = "[RUSELI 520101-991231]" },
        putin.codes[1])
      assert.equal("trailing comment", got[1].attrs.comment)
      assert.equal("ENT", lexicon.code_for(lex:matches("Ent")[1].attrs, "2000-01-01"))
      assert.equal("###", lexicon.code_for(lex:matches("Ent")[1].attrs, "1980-01-01"))
    end)

    it("resolves dated roles with code_for", function()
      write(table.concat({
        "SAM_GAMGEE [HOB]",
        "\t[HOBCIV <20080120]",
        "\t[ORCHOB 20100109-20100112]",
        "\t[HOBMIL 20080120-20121109]",
        "\t[HOBELI >20130119]",
        "ONODOHER [ONO <911226]",
      }, "\n"))
      local lex, r = lexicon.load(tmp)
      assert.same({}, r.errors)
      local sam = lex:matches("Sam Gamgee")[1].attrs
      local cf = lexicon.code_for
      assert.equal("HOB", cf(sam))
      assert.equal("HOBCIV", cf(sam, "2008-01-19"))
      assert.equal("HOBMIL", cf(sam, "2008-01-20"))
      assert.equal("ORCHOB", cf(sam, "20100110"))
      assert.equal("HOBMIL", cf(sam, 20121109))
      assert.equal("HOB", cf(sam, { year = 2013, month = 1, day = 1 }))
      assert.equal("HOBELI", cf(sam, "2013-01-20"))
      local ono = lex:matches("Onodoher")[1].attrs
      assert.equal("ONO", cf(ono, "1991-12-25"))
      assert.is_nil(cf(ono, "1991-12-26"))
      assert.has_error(function() cf(sam, "someday") end, "dossier.lexicon: unreadable date someday")
      assert.has_error(function() cf(nil, "2020-01-01") end)
    end)

    it("reports malformed lines with their numbers and keeps going", function()
      write(table.concat({
        "+ORPHAN_SYNONYM",           -- 1 error: no entry
        "\t[XXX]",                   -- 2 error: no entry
        "GOOD_ [GOD]",               -- 3
        "BAD_DATE [BDT 9912-000101]", -- 4 warning: unreadable date
        "E*TRADE_ [MNC]",            -- 5 error: '*' inside a word
        "NOCODE_",                   -- 6 grouped with the next name (warning at 7)
        "NEXT_ [NXT]",               -- 7
        "GOOD_ [GD2]",               -- 8 warning: repeats line 3
        "TRAILING [T] junk",         -- 9 warning: unexpected text
        "<NOUN>",                    -- 10 warning: section skipped
        "BEES",
        "</NOUN>",
        "LAST_ONE",                  -- 13 error: no code at end of file
      }, "\n"))
      local lex, r = lexicon.load(tmp, "tabari")
      local function lines(list)
        local out = {}
        for i, e in ipairs(list) do out[i] = e.line end
        return out
      end
      assert.same({ 1, 2, 5, 13 }, lines(r.errors))
      assert.same({ 4, 7, 8, 9, 10 }, lines(r.warnings))
      assert.truthy(r.errors[3].message:find("inside a word", 1, true))
      assert.truthy(r.errors[4].message:find("LAST_ONE", 1, true))
      assert.equal("GD2", lex:matches("good")[1].id)
      assert.equal("NXT", lex:matches("nocode")[1].id)
      assert.equal(0, lex:count("bees"))
      local bad = lex:matches("bad date")[1].attrs
      assert.is_true(bad.codes[1].invalid)
      assert.is_nil(lexicon.code_for(bad, "2000-01-01"))
    end)

    it("returns nil and a message for a missing file; raises on a bad format", function()
      local lex, msg = lexicon.load("/nonexistent/dir/x.actors")
      assert.is_nil(lex)
      assert.truthy(msg:find("^dossier.lexicon: "))
      assert.has_error(function() lexicon.load(tmp, "xml") end,
        "dossier.lexicon: unknown format 'xml' (tabari, tsv)")
      assert.has_error(function() lexicon.parse(nil, "tsv") end)
    end)

    it("loads the real TABARI and Phoenix files #slow", function()
      local dir = DATA .. "/anchors/"
      if not readable(dir .. "petrarch2/Phoenix.Countries.actors.txt") then
        return skip("needs " .. dir .. "petrarch2")
      end
      local all = lexicon.new()
      local counts = {}
      for _, f in ipairs { "Countries", "International", "MilNonState" } do
        local lex, r = lexicon.load(dir .. "petrarch2/Phoenix." .. f .. ".actors.txt")
        assert.truthy(#lex > 1000)
        -- only International has a malformed line (a literal '*' in E*TRADE)
        assert.truthy(#r.errors <= 1)
        for _, e in ipairs(r.errors) do assert.truthy(e.line > 0 and #e.message > 0) end
        counts[f] = #lex
        lexicon.load(dir .. "petrarch2/Phoenix." .. f .. ".actors.txt", nil, all)
      end
      assert.truthy(#all > 30000)
      local s = "Talks between North Korea and South Korea in Seoul, said Kim Jong-Un."
      local m = all:matches(s)
      assert.truthy(#m >= 3)
      local ids = {}
      for _, x in ipairs(m) do ids[s:sub(x.start, x.stop)] = x.id end
      assert.equal("PRK", ids["North Korea"])
      assert.equal("KOR", ids["South Korea"])
      local demo, r = lexicon.load(dir .. "tabari/TABARI.Demo.actors")
      assert.same({}, r.errors)
      assert.truthy(#r.warnings >= 2) -- the <NOUN>/<ADJECTIVE> sections and the end marker
      assert.equal("HOBGOV", lexicon.code_for(demo:matches("Smeagol")[1].attrs, "1997-01-01"))
      print(("\n[lexicon_spec] Phoenix phrases: Countries %d, International %d, MilNonState %d, all %d")
        :format(counts.Countries, counts.International, counts.MilNonState, #all))
    end)
  end)

  describe("load (tsv)", function()
    local tmp = os.tmpname()
    after_each(function() os.remove(tmp) end)

    it("reads phrase, id and key=value attrs, reporting bad lines", function()
      local f = assert(io.open(tmp, "wb"))
      f:write(table.concat({
        "# phrase\tid\tattrs",
        "Severn* Korej*\tPRK\ttype=state; iso=PRK",
        "Iran\tIRN",
        "",
        "no id here",
        "Kor*ea\tBAD",
        "x\ty\tz=1\textra",
        "Rusij*\tRUS\tnot-a-pair",
      }, "\r\n"))
      f:close()
      local lex, r = lexicon.load(tmp, "tsv")
      assert.equal(2, #lex)
      assert.equal(2, r.entries)
      assert.equal(1, #r.comments)
      local lines = {}
      for i, e in ipairs(r.errors) do lines[i] = e.line end
      assert.same({ 5, 6, 7, 8 }, lines)
      local m = lex:matches("Северне Кореје, Iran")
      assert.equal("PRK", m[1].id)
      assert.same({ type = "state", iso = "PRK" }, m[1].attrs)
      assert.equal("IRN", m[2].id)
    end)

    it("parses from a string too", function()
      local lex, r = lexicon.parse("Beograd*\tBEG\n", "tsv")
      assert.equal(1, #lex)
      assert.same({}, r.errors)
      assert.equal(1, lex:count("u Beogradu"))
    end)
  end)
end)
