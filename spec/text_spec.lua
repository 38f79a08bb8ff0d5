-- luacheck: std +busted
-- Specs for dossier.text: fold (and its map), translit, sentences, words, utf8_valid, sanitize.
-- Oracles: hand-checked tables of our own text, Lua's strict utf8 library, string.lower on ASCII,
-- slow Lua reference implementations of words and sentences, and the SETimes documents that exist
-- in both Serbian scripts (read at test time from ../shared/data, skipped when absent).
local text = require "dossier.text"

local DATA = os.getenv("DOSSIER_DATA") or "../shared/data"
local CHECK = os.getenv("DOSSIER_CHECK") -- "valgrind": scale the very large inputs down
local BIG = CHECK == "valgrind" and 1000000 or 10000000

local U = utf8.char

-- JSONL "text" fields, without a JSON library: enough for the corpus files (\uXXXX escapes
-- include surrogate pairs).
local function json_string(line, field)
  local i = line:find('"' .. field .. '": "', 1, true)
  if not i then return nil end
  i = i + #field + 5
  local out, j = {}, i
  while true do
    local c = line:sub(j, j)
    if c == '"' then break end
    if c == "\\" then
      local e = line:sub(j + 1, j + 1)
      if e == "u" then
        local cp = tonumber(line:sub(j + 2, j + 5), 16)
        j = j + 6
        if cp >= 0xD800 and cp <= 0xDBFF and line:sub(j, j + 1) == "\\u" then
          local lo = tonumber(line:sub(j + 2, j + 5), 16)
          cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00)
          j = j + 6
        end
        out[#out + 1] = utf8.char(cp)
      else
        local map = { n = "\n", t = "\t", r = "\r", b = "\b", f = "\f" }
        out[#out + 1] = map[e] or e
        j = j + 2
      end
    else
      local k = line:find('[\\"]', j)
      out[#out + 1] = line:sub(j, k - 1)
      j = k
    end
  end
  return table.concat(out)
end

local function read_docs(name, limit)
  local f = io.open(DATA .. "/news/" .. name, "r")
  if not f then return nil end
  local docs = {}
  for line in f:lines() do
    docs[#docs + 1] = { id = json_string(line, "id"), text = json_string(line, "text") }
    if limit and #docs >= limit then break end
  end
  f:close()
  return docs
end

local function skip_without_data(docs, what)
  if not docs then
    pending("needs " .. DATA .. "/news/" .. what .. " (absent: skipped)")
    return true
  end
end

local function collect(iter)
  local out = {}
  for a, b, w in iter do out[#out + 1] = { a, b, w } end
  return out
end

-- Check the fold map of `s` unit by unit: units tile the source, and each unit's source slice,
-- folded on its own, gives exactly that unit's folded bytes. Returns the folded string.
local function check_map(s, sample)
  local f, map = text.fold(s, nil, true)
  assert(#map == #f, "map length")
  assert(map(#f + 1) == #s + 1, "map(#f+1) must be #s+1")
  local prev_stop
  local i = 1
  local step = sample or 1
  while i <= #f do
    local a, b = map(i), map(i, true)
    local j = i
    while j < #f and map(j + 1) == a do j = j + 1 end
    local first = i
    while first > 1 and map(first - 1) == a do first = first - 1 end
    local got = text.fold(s:sub(a, b))
    if got ~= f:sub(first, j) then
      error(("unit at folded %d (source %d..%d) folds to %q, map says %q"):format(
        i, a, b, got, f:sub(first, j)))
    end
    for k = first, j do
      if map(k, true) ~= b then error("unit end differs inside unit at " .. k) end
    end
    local r1, r2 = map:range(first, j)
    assert(r1 == a and r2 == b, "range")
    if not sample then
      if prev_stop then
        if a ~= prev_stop + 1 then error(("gap before unit at %d: %d ~= %d + 1"):format(i, a, prev_stop)) end
      elseif text.fold(s:sub(1, a - 1)) ~= "" then
        error("text before the first unit folds to something")
      end
      prev_stop = b
    end
    i = j + step
  end
  if not sample and prev_stop then assert(prev_stop == #s, "last unit must end at #s") end
  return f
end

describe("dossier.text", function()
  describe("fold", function()
    it("folds a hand-checked table of Latin, Cyrillic, Greek and punctuation", function()
      local cases = {
        { "Čačak i Ćuprija", "cacak i cuprija" },
        { "ĐORĐE đak Ðura", "djordje djak djura" },
        { "Šabac Žabalj", "sabac zabalj" },
        { "Ђорђе Љиљана Његош Џон", "djordje ljiljana njegos dzon" },
        { "ЋУРКА ћурка ЧАЧАК ШУМА ЖАБА ЈА", "curka curka cacak suma zaba ja" },
        { "Straße Ærø Œuvre Łódź Ñandú İstanbul", "strasse aero oeuvre lodz nandu istanbul" },
        { "Élysée Über façade naïve Åland", "elysee uber facade naive aland" },
        { "Щука Юрий Явлинский Ёлка Эхо Мышь объект", "scuka jurij javlinskij elka eho mys obekt" },
        { "Київ Єдність ґанок Ѓорѓи Ќор Ѕвезда", "kijiv jednist ganok gjorgji kjor dzvezda" },
        { "ΑΘΉΝΑ Ἀ ς", "αθηνα Ἀ σ" },
        { "«Iran» — “Koreja” ‘x’ „Srbija“ … a–b", "\"iran\" - \"koreja\" 'x' \"srbija\" ... a-b" },
        { "ǅamija ǈubav Ǌegoš", "dzamija ljubav njegos" },
        { "a \t\r\n\v\f b" .. U(0xA0) .. U(0x2003) .. U(0x3000) .. "c", "a b c" },
        { "  lead and trail  ", " lead and trail " },
        { "c" .. U(0x301) .. "a" .. U(0x30C) .. "k", "cak" },
        { "и" .. U(0x306) .. "и", "ji" },
        { "soft" .. U(0xAD) .. "hyphen zero" .. U(0x200B) .. "width", "softhyphen zerowidth" },
        { "x " .. U(0x200B) .. " y", "x y" },
        { "× ÷ € ° 5", "× ÷ € ° 5" },
        { "MIXED Srpski И Српски", "mixed srpski i srpski" },
        { "", "" },
      }
      for _, c in ipairs(cases) do
        assert.are.equal(c[2], text.fold(c[1]), "fold of " .. c[1])
        check_map(c[1])
      end
    end)

    it("folds decomposed and precomposed letters alike", function()
      local pre = "Ćao, Čedo! Šta Žika? ćevapi"
      local dec = "C" .. U(0x301) .. "ao, C" .. U(0x30C) .. "edo! S" .. U(0x30C) .. "ta Z" .. U(0x30C)
        .. "ika? c" .. U(0x301) .. "evapi"
      assert.are.equal(text.fold(pre), text.fold(dec))
      check_map(dec)
    end)

    it("folds every Serbian Cyrillic letter like its Latin transliteration", function()
      local n = 0
      for cp = 0x400, 0x45F do
        local c = U(cp)
        local lat = text.translit(c, "Cyrl", "Latn")
        if lat ~= c then
          n = n + 1
          assert.are.equal(text.fold(lat), text.fold(c), ("U+%04X"):format(cp))
        end
      end
      assert.are.equal(60, n) -- 30 letters, two cases
    end)

    it("folds Latin-1 and Latin Extended-A letters to lower-case ASCII", function()
      for cp = 0xC0, 0x17F do
        if cp ~= 0xD7 and cp ~= 0xF7 then
          local f = text.fold(U(cp))
          assert.truthy(f:match("^[a-z]+$"), ("U+%04X folds to %q"):format(cp, f))
          assert.truthy(#f <= 2)
        end
      end
    end)

    it("is string.lower plus whitespace collapsing on ASCII text", function()
      local rng = 12345
      local function rand(n) rng = (rng * 1103515245 + 12345) % 2147483648; return rng % n end
      local alphabet = "aZ \t\n\r\f\vQq09.,!-'\"Mm  xyzXYZ\0\1\127"
      for _ = 1, 2000 do
        local t = {}
        for k = 1, rand(60) do
          local p = rand(#alphabet) + 1
          t[k] = alphabet:sub(p, p)
        end
        local s = table.concat(t)
        local want = s:lower():gsub("[ \t\n\v\f\r]+", " ")
        assert.are.equal(want, text.fold(s))
      end
      local docs = read_docs("bbc_news_2004-2005.jsonl", 300)
      if docs then
        local n = 0
        for _, d in ipairs(docs) do
          if not d.text:find("[\128-\255]") then
            n = n + 1
            assert.are.equal((d.text:lower():gsub("[ \t\n\v\f\r]+", " ")), text.fold(d.text))
          end
        end
        assert.truthy(n > 50)
      end
    end)

    it("copies invalid UTF-8 bytes through, one unit each, and never fails", function()
      assert.are.equal("a\255\195b \226\130", text.fold("A\255\195B \226\130"))
      assert.are.equal("\237\160\128x", text.fold("\237\160\128X")) -- a surrogate stays as 3 bytes
      assert.are.equal("\192\175", text.fold("\192\175"))
      check_map("A\255\195B \226\130" .. U(0x301) .. "\172 end")
      local rng = 7
      local function rand(n) rng = (rng * 1103515245 + 12345) % 2147483648; return rng % n end
      local pieces = { "a", "Z", " ", "\t", "\n", "č", "Đ", U(0x301), U(0xA0), U(0x200B), "љ", "ь",
        "и" .. U(0x306), "\255", "\226\130", "\195", "…", "«", "ß", "Ω", "€", "ABCDEFGH",
        "ab cd ef gh ij", "  ", "\128", "\240\159\152\128", "ÐĐđ" }
      for _ = 1, 1500 do
        local t = {}
        for k = 1, rand(40) do t[k] = pieces[rand(#pieces) + 1] end
        check_map(table.concat(t))
      end
    end)

    it("keeps the map exact across long runs, expansions and pieces without cut points", function()
      for _, n in ipairs({ 1, 253, 254, 255, 256, 1000, 70000 }) do
        check_map(("a" .. (" "):rep(n) .. "đ"):rep(3))
        check_map("x" .. U(0x301):rep(n) .. "y" .. (" " .. U(0x200B)):rep(n) .. "z")
      end
      check_map((" "):rep(50000))
      check_map("ab" .. ("\128"):rep(40000) .. " cd " .. ("Ђ"):rep(20000))
      check_map(("đĐ ǉ … ß "):rep(5000))
    end)

    it("returns an exact map for every byte of folded real Serbian text", function()
      local lat = read_docs("sr_latn_setimes_ud_dev_test.jsonl")
      if skip_without_data(lat, "sr_latn_setimes_ud_dev_test.jsonl") then return end
      local cyr = read_docs("sr_cyrl_translit_setimes_ud_dev_test.jsonl")
      for _, d in ipairs(lat) do check_map(d.text) end
      for _, d in ipairs(cyr) do check_map(d.text) end
    end)

    it("folds the Latin and Cyrillic SETimes documents to the same key", function()
      local lat = read_docs("sr_latn_setimes_ud_dev_test.jsonl")
      if skip_without_data(lat, "sr_latn_setimes_ud_dev_test.jsonl") then return end
      local cyr = {}
      for _, d in ipairs(read_docs("sr_cyrl_translit_setimes_ud_dev_test.jsonl")) do
        cyr[d.id:match(":(.*)$")] = d.text
      end
      local pairs_, agree, first_diff = 0, 0, nil
      for _, d in ipairs(lat) do
        local c = cyr[d.id:match(":(.*)$")]
        if c then
          pairs_ = pairs_ + 1
          local fl, fc = text.fold(d.text), text.fold(c)
          if fl == fc then
            agree = agree + 1
          elseif not first_diff then
            local k = 1
            while fl:byte(k) == fc:byte(k) do k = k + 1 end
            first_diff = ("%s at folded byte %d: %q vs %q"):format(d.id, k, fl:sub(k, k + 30),
              fc:sub(k, k + 30))
          end
        end
      end
      print(("\n  fold(latin) == fold(cyrillic) for %d of %d SETimes pairs"):format(agree, pairs_))
      assert.are.equal(44, pairs_)
      assert.are.equal(pairs_, agree, first_diff)
    end)

    it("accepts a language tag and rejects other argument types", function()
      assert.are.equal("cacak", text.fold("Čačak", "sr"))
      assert.has_error(function() text.fold("x", 5) end)
      assert.has_error(function() text.fold(nil) end)
      assert.has_error(function() text.fold({}) end)
    end)

    it("maps folded offsets back, with range, length and bounds errors", function()
      local s = "Severnoj  Кореји"
      local f, map = text.fold(s, nil, true)
      assert.are.equal("severnoj koreji", f)
      local a, b = f:find("koreji", 1, true)
      local sa, sb = map:range(a, b)
      assert.are.equal("Кореји", s:sub(sa, sb))
      assert.are.equal(9, map(9))
      assert.are.equal(10, map(9, true)) -- the space covers both source spaces
      assert.are.equal(#f, #map)
      assert.truthy(tostring(map):find("dossier.text.map", 1, true))
      assert.has_error(function() map(0) end, "dossier.text: folded offset 0 out of range 1..16")
      assert.has_error(function() map(#f + 1, true) end)
      assert.has_error(function() map(#f + 2) end)
      assert.has_error(function() map:range(3, 2) end)
      local df, dmap = text.fold("đak", nil, true) -- "dj" both map to đ
      assert.are.equal("djak", df)
      assert.are.same({ 1, 2, 1, 2 }, { dmap(1), dmap(1, true), dmap(2), dmap(2, true) })
      local ef, emap = text.fold("", nil, true)
      assert.are.equal("", ef)
      assert.are.equal(0, #emap)
      assert.are.equal(1, emap(1))
    end)
  end)

  describe("translit", function()
    it("converts a hand-checked table both ways, keeping case", function()
      local cases = {
        { "Љубав ЉУБАВ љубав", "Ljubav LJUBAV ljubav" },
        { "Њива ЊИВА Џеп ЏЕП", "Njiva NJIVA Džep DŽEP" },
        { "ПАЊ", "PANJ" },
        { "Ђорђе Ћирић Чачак Шабац Жабаљ Јагодина", "Đorđe Ćirić Čačak Šabac Žabalj Jagodina" },
        { "абвгдђежзијклљмнњопрстћуфхцчџш", "abvgdđežzijklljmnnjoprstćufhcčdžš" },
        { "Србија, 2019. године!", "Srbija, 2019. godine!" },
        { "", "" },
      }
      for _, c in ipairs(cases) do
        assert.are.equal(c[2], text.translit(c[1], "Cyrl", "Latn"))
        assert.are.equal(c[1], text.translit(c[2], "Latn", "Cyrl"))
      end
    end)

    it("handles single capitals of digraph letters by context", function()
      assert.are.equal("Lj", text.translit("Љ", "Cyrl", "Latn"))
      assert.are.equal("Nj.", text.translit("Њ.", "Cyrl", "Latn"))
      assert.are.equal("Љ Њ Џ", text.translit("LJ Nj DŽ", "Latn", "Cyrl"))
    end)

    it("reads decomposed carons and acutes and the digraph ligatures", function()
      local dec = "c" .. U(0x30C) .. "as Z" .. U(0x30C) .. "ika c" .. U(0x301) .. "up d" .. U(0x7A)
        .. U(0x30C) .. "ep"
      assert.are.equal("час Жика ћуп џеп", text.translit(dec, "Latn", "Cyrl"))
      assert.are.equal("Џамија Љубав њива", text.translit("ǅamija ǈubav ǌiva", "Latn", "Cyrl"))
    end)

    it("keeps foreign words, Roman numerals and other scripts as they are", function()
      assert.are.equal("New York и XVI век, II део",
        text.translit("New York i XVI vek, II deo", "Latn", "Cyrl"))
      assert.are.equal("Ωмега abc", text.translit("Ωмега abc", "Cyrl", "Latn"):gsub("mega", "мега"))
      assert.are.equal("Москва ы", text.translit("Moskva ы", "Latn", "Cyrl"))
      assert.are.equal("Щ ы", text.translit("Щ ы", "Cyrl", "Latn")) -- not Serbian letters
    end)

    it("does not split the known digraph exceptions (documented), but honours U+200C", function()
      -- "nadživeti" is nad-živeti: real text writes it like the digraph dž; a ZWNJ marks the split.
      assert.are.equal("наџивети", text.translit("nadživeti", "Latn", "Cyrl"))
      assert.are.equal("над" .. U(0x200C) .. "живети",
        text.translit("nad" .. U(0x200C) .. "živeti", "Latn", "Cyrl"))
    end)

    it("copies invalid bytes unchanged", function()
      assert.are.equal("а\255б\226\130", text.translit("a\255b\226\130", "Latn", "Cyrl"))
      assert.are.equal("a\255b\208", text.translit("а\255б\208", "Cyrl", "Latn"))
    end)

    it("raises on bad script names and returns the input when scripts are equal", function()
      assert.has_error(function() text.translit("x", "Cyr", "Latn") end,
        "dossier.text: unknown script 'Cyr' (expected 'Cyrl' or 'Latn')")
      assert.has_error(function() text.translit("x", "Latn", "latn") end)
      assert.has_error(function() text.translit("x", "Latn") end)
      assert.are.equal("Čačak", text.translit("Čačak", "Latn", "Latn"))
    end)

    it("round-trips the SETimes documents and matches the reference Cyrillic", function()
      local lat = read_docs("sr_latn_setimes_ud_dev_test.jsonl")
      if skip_without_data(lat, "sr_latn_setimes_ud_dev_test.jsonl") then return end
      local cyr = {}
      for _, d in ipairs(read_docs("sr_cyrl_translit_setimes_ud_dev_test.jsonl")) do
        cyr[d.id:match(":(.*)$")] = d.text
      end
      local n, round, to_lat, to_cyr = 0, 0, 0, 0
      for _, d in ipairs(lat) do
        local c = cyr[d.id:match(":(.*)$")]
        n = n + 1
        local lc = text.translit(d.text, "Latn", "Cyrl")
        if text.translit(lc, "Cyrl", "Latn") == d.text then round = round + 1 end
        -- The reference marks non-digraphs such as "nad|jačati" with U+200C: drop it.
        local cl = text.translit(c, "Cyrl", "Latn"):gsub(U(0x200C), "")
        if cl == d.text then to_lat = to_lat + 1 end
        if lc == c then
          to_cyr = to_cyr + 1
        else
          -- Where we differ, the reference kept a word in Latin (names, acronyms, units) or used
          -- U+200C: check that every differing word of the reference has no Cyrillic in it.
          local ours, ref = collect(text.words(lc)), collect(text.words(c))
          assert.are.equal(#ref, #ours)
          for k = 1, #ref do
            if ours[k][3] ~= ref[k][3] then
              local w = ref[k][3]
              assert.truthy(not w:find("[\208\209]") or w:find(U(0x200C), 1, true),
                d.id .. ": " .. ours[k][3] .. " vs " .. w)
            end
          end
        end
      end
      print(("\n  translit on %d SETimes docs: Latn->Cyrl->Latn identical %d, Cyrl->Latn equals the Latin"
        .. " %d, Latn->Cyrl equals the reference Cyrillic %d"):format(n, round, to_lat, to_cyr))
      assert.are.equal(n, round)
      assert.are.equal(n, to_lat)
      assert.truthy(to_cyr >= 30)
    end)
  end)

  -- Slow, obvious reference implementations over code point arrays (utf8.codes), for text that
  -- is valid UTF-8. They restate the documented rules without sharing any code with the C side.
  local function in_ranges(r, cp)
    for i = 1, #r, 2 do if cp >= r[i] and cp <= r[i + 1] then return true end end
    return false
  end
  local LETTER = { 65, 90, 97, 122, 0xAA, 0xAA, 0xB5, 0xB5, 0xBA, 0xBA, 0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0x2BB,
    0x2BD, 0x2C1, 0x370, 0x374, 0x376, 0x37D, 0x37F, 0x383, 0x386, 0x386, 0x388, 0x3F5, 0x3F7, 0x3FF,
    0x400, 0x481, 0x48A, 0x52F, 0x531, 0x556, 0x561, 0x587, 0x5D0, 0x5EA, 0x620, 0x64A, 0x66E, 0x6D3,
    0x900, 0x963, 0x10A0, 0x10FF, 0x1E00, 0x1FBC, 0x3041, 0x30FF, 0x3400, 0x4DBF, 0x4E00, 0x9FFF,
    0xAC00, 0xD7A3, 0xFF21, 0xFF3A, 0xFF41, 0xFF5A }
  local DIGIT = { 48, 57, 0x660, 0x669, 0x6F0, 0x6F9, 0x966, 0x96F, 0xFF10, 0xFF19 }
  local MARK = { 0x300, 0x36F, 0x483, 0x489, 0x591, 0x5BD, 0x610, 0x61A, 0x64B, 0x65F, 0x1AB0, 0x1AFF,
    0x1DC0, 0x1DFF, 0x20D0, 0x20FF, 0xFE20, 0xFE2F, 0xAD, 0xAD, 0x200C, 0x200D }
  local function alnum(cp) return cp and (in_ranges(LETTER, cp) or in_ranges(DIGIT, cp)) end
  local function digit(cp) return cp and in_ranges(DIGIT, cp) end
  local JOINER = { [39] = true, [0x2019] = true, [0x2BC] = true, [45] = true, [0x2010] = true,
    [0x2011] = true }

  local function codepoints(s)
    local pos, cps = {}, {}
    for p, c in utf8.codes(s) do pos[#pos + 1] = p; cps[#cps + 1] = c end
    pos[#pos + 1] = #s + 1
    return pos, cps
  end

  local function ref_words(s)
    local pos, cp = codepoints(s)
    local out, i, n = {}, 1, #cp
    while i <= n do
      if alnum(cp[i]) then
        local j, last_alnum = i, nil
        while j <= n do
          local c = cp[j]
          if alnum(c) then
            last_alnum = c; j = j + 1
          elseif in_ranges(MARK, c) then
            j = j + 1
          elseif JOINER[c] and alnum(cp[j + 1]) then
            j = j + 1
          elseif (c == 46 or c == 44) and digit(last_alnum) and digit(cp[j + 1]) then
            j = j + 1
          else
            break
          end
        end
        out[#out + 1] = { pos[i], pos[j] - 1, s:sub(pos[i], pos[j] - 1) }
        i = j
      else
        i = i + 1
      end
    end
    return out
  end

  local SPACE = { 9, 13, 32, 32, 0x85, 0x85, 0xA0, 0xA0, 0x1680, 0x1680, 0x2000, 0x200B, 0x2028, 0x2029,
    0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0xFEFF, 0xFEFF }
  local TERM = { 46, 46, 33, 33, 63, 63, 0x2026, 0x2026, 0x37E, 0x37E, 0x203C, 0x203C, 0x2047, 0x2049,
    0x3002, 0x3002 }
  local CLOSER = { 34, 34, 39, 39, 41, 41, 93, 93, 125, 125, 0xAB, 0xAB, 0xBB, 0xBB, 0x2018, 0x2019,
    0x201C, 0x201D, 0x2039, 0x203A }
  local OPENER = { 34, 34, 39, 40, 91, 91, 123, 123, 45, 45, 0xAB, 0xAB, 0xBB, 0xBB, 0xA1, 0xA1, 0xBF, 0xBF,
    0x2013, 0x2014, 0x2018, 0x201E, 0x2039, 0x203A }
  -- Lower case among the letters the test texts use; upper case likewise.
  local LOWER = { 97, 122, 0xDF, 0xF6, 0xF8, 0xFF, 0x3AC, 0x3CE, 0x430, 0x45F }
  local UPPER = { 65, 90, 0xC0, 0xD6, 0xD8, 0xDE, 0x391, 0x3AB, 0x400, 0x42F }
  local function lower(c)
    if c and c >= 0x100 and c < 0x180 then return text.fold(U(c)) ~= "" and utf8.char(c) ~= nil
      and ((c >= 0x139 and c <= 0x148) or c >= 0x179) == (c % 2 == 0) end
    return c and in_ranges(LOWER, c)
  end
  local function upper(c)
    if c and c >= 0x100 and c < 0x180 then return not lower(c) end
    return c and in_ranges(UPPER, c)
  end
  local ABBR = {
    en = { mr = "T", dr = "T", prof = "T", gen = "T", mrs = "T", ms = "T", messrs = "T", sen = "T",
      rep = "T", gov = "T", pres = "T", lt = "T", col = "T", maj = "T", capt = "T", sgt = "T", adm = "T",
      rev = "T", hon = "T", st = "T", jr = "T", sr = "T", mt = "T", ft = "T", vs = "T", cf = "T",
      approx = "T", jan = "T", feb = "T", mar = "T", apr = "T", jun = "T", jul = "T", aug = "T",
      sep = "T", sept = "T", oct = "T", nov = "T", dec = "T", no = "N", nos = "N", p = "N", pp = "N",
      vol = "N", fig = "N", art = "N", etc = "E", inc = "E", ltd = "E", co = "E", corp = "E",
      bros = "E", al = "E" },
    sr = { mr = "T", dr = "T", prof = "T", gen = "T", st = "T", npr = "T", tzv = "T", tj = "T", g = "T",
      gdja = "T", gdjica = "T", gosp = "T", ing = "T", dipl = "T", doc = "T", akad = "T", sv = "T",
      ul = "T", up = "T", odn = "T", br = "N", str = "N", cl = "N", itd = "E", itsl = "E", sl = "E",
      god = "E", min = "E", mil = "E", mlrd = "E" },
  }

  local function ref_sentences(s, lang)
    local pos, cp = codepoints(s)
    local n = #cp
    local function is(set, c) return c and in_ranges(set, c) end
    local function token_kind(ts, t)
      local tok = s:sub(pos[ts], pos[t] - 1)
      if tok:match("^%d+$") then return "D" end
      local letters = {}
      for _, c in utf8.codes(tok) do if in_ranges(LETTER, c) then letters[#letters + 1] = c end end
      if #letters == 1 and utf8.len(tok) == 1 then return upper(letters[1]) and "I" or nil end
      local plain = tok:gsub("[\204\205][\128-\191]", "") -- combining marks
      if #letters > 1 and utf8.len(plain) == 2 * #letters - 1 and plain:gsub("[^.]", ""):len() == #letters - 1
        and not plain:find("%.%.") and not plain:find("^%.") and not plain:find("%.$") then return "T" end
      local key = text.fold(tok)
      local kind
      if lang ~= "sr" then kind = ABBR.en[key] end
      if not kind and lang ~= "en" then kind = ABBR.sr[key] end
      return kind
    end
    local out, i = {}, 1
    while true do
      while i <= n and is(SPACE, cp[i]) do i = i + 1 end
      if i > n then break end
      local start, last, j = i, nil, i
      while true do
        if j > n then out[#out + 1] = { pos[start], pos[last + 1] - 1 }; i = j; break end
        local c = cp[j]
        if is(TERM, c) then
          local e, nterm, period = j, 0, true
          while e <= n and (is(TERM, cp[e]) or is(CLOSER, cp[e])) do
            if is(TERM, cp[e]) then nterm = nterm + 1; period = period and cp[e] == 46 end
            e = e + 1
          end
          if e > n then out[#out + 1] = { pos[start], #s }; i = e; break end
          local boundary = false
          if is(SPACE, cp[e]) then
            local k = e
            while k <= n and is(SPACE, cp[k]) do k = k + 1 end
            while k <= n and is(OPENER, cp[k]) do k = k + 1 end
            local first = cp[k]
            if k > n then boundary = true
            elseif lower(first) then boundary = false
            elseif not (period and nterm == 1) then boundary = true
            else
              local ts = j
              while ts > start and (alnum(cp[ts - 1]) or in_ranges(MARK, cp[ts - 1]) or cp[ts - 1] == 46) do
                ts = ts - 1
              end
              while ts < j and cp[ts] == 46 do ts = ts + 1 end
              if ts == j then boundary = true
              else
                local kind = token_kind(ts, j)
                if kind == "D" or kind == "N" then boundary = not digit(first)
                elseif kind == "I" or kind == "T" then boundary = false
                elseif kind == "E" then boundary = upper(first)
                else boundary = true end
              end
            end
          end
          if boundary then out[#out + 1] = { pos[start], pos[e] - 1 }; i = e; break end
          last = e - 1; j = e
        else
          if c == 10 then
            local k = j + 1
            while k <= n and (cp[k] == 32 or cp[k] == 9 or cp[k] == 13) do k = k + 1 end
            if cp[k] == 10 then out[#out + 1] = { pos[start], pos[last + 1] - 1 }; i = k; break end
          end
          if not is(SPACE, c) then last = j end
          j = j + 1
        end
      end
    end
    return out
  end

  local function texts_of(s, list)
    local out = {}
    for k, r in ipairs(list) do out[k] = s:sub(r[1], r[2]) end
    return out
  end

  describe("sentences", function()
    local function split(s, lang) return texts_of(s, collect(text.sentences(s, lang))) end

    it("splits a hand-checked table of English sentences", function()
      local cases = {
        { "Mr. Smith went to Washington. He arrived on Jan. 5 and met Dr. Brown.",
          { "Mr. Smith went to Washington.", "He arrived on Jan. 5 and met Dr. Brown." } },
        { "Officials in the U.S. State Department and the U.N. Council declined. Nobody spoke.",
          { "Officials in the U.S. State Department and the U.N. Council declined.", "Nobody spoke." } },
        { "J. R. Smith spoke first. Then A. B. Jones replied.",
          { "J. R. Smith spoke first.", "Then A. B. Jones replied." } },
        { "Prices rose 1.5 percent in May. Analysts expected 2.0.",
          { "Prices rose 1.5 percent in May.", "Analysts expected 2.0." } },
        { "Wait... What happened?! Nobody knows.", { "Wait...", "What happened?!", "Nobody knows." } },
        { 'He said "Stop." Then he left (quietly.) The end.',
          { 'He said "Stop."', "Then he left (quietly.)", "The end." } },
        { "It is item No. 5 on the list. No. That is wrong.",
          { "It is item No. 5 on the list.", "No.", "That is wrong." } },
        { "Apples, pears, etc. were sold. They bought pens, etc. Then they left.",
          { "Apples, pears, etc. were sold.", "They bought pens, etc.", "Then they left." } },
        { "See e.g. Smith and i.e. Jones. Done.", { "See e.g. Smith and i.e. Jones.", "Done." } },
        { "The meeting ended at 5 p.m. on Monday.", { "The meeting ended at 5 p.m. on Monday." } },
        { "He was born in 1990. Then he moved.", { "He was born in 1990.", "Then he moved." } },
        { "No terminal punctuation here", { "No terminal punctuation here" } },
        { "Headline without a period\n\nBody starts here. Second one.",
          { "Headline without a period", "Body starts here.", "Second one." } },
        { "He wrote to example.com today. Fine.", { "He wrote to example.com today.", "Fine." } },
        { "“Is it over?” she asked. ‘Yes.’ Good.", { "“Is it over?” she asked.", "‘Yes.’", "Good." } },
      }
      for _, c in ipairs(cases) do
        assert.are.same(c[2], split(c[1], "en"), c[1])
        assert.are.same(c[2], split(c[1]), c[1])
      end
    end)

    it("splits a hand-checked table of Serbian sentences in both scripts", function()
      local cases = {
        { "Dr. Petrović je stigao u Beograd. Sastanak je počeo u podne.",
          { "Dr. Petrović je stigao u Beograd.", "Sastanak je počeo u podne." } },
        { "Sednica je održana 30. septembra. Sledeća je zakazana za 2. oktobar.",
          { "Sednica je održana 30. septembra.", "Sledeća je zakazana za 2. oktobar." } },
        { "Do 2019. godine nije bilo promena. Onda je sve krenulo.",
          { "Do 2019. godine nije bilo promena.", "Onda je sve krenulo." } },
        { "Uvezeno je voće, povrće itd. Izvoz je pao.", { "Uvezeno je voće, povrće itd.", "Izvoz je pao." } },
        { "Ministar npr. Dačić nije došao. Prof. Marković jeste.",
          { "Ministar npr. Dačić nije došao.", "Prof. Marković jeste." } },
        { "Tzv. Islamska država preuzela je odgovornost.",
          { "Tzv. Islamska država preuzela je odgovornost." } },
        { "Rođen je 5. 3. 1970. u Nišu. Umro je mlad.", { "Rođen je 5. 3. 1970. u Nišu.", "Umro je mlad." } },
        { "Da li je to istina?! Jeste… Verovatno.", { "Da li je to istina?!", "Jeste…", "Verovatno." } },
        { "On je rekao: „Ne dolazim.“ Zatim je otišao.",
          { "On je rekao: „Ne dolazim.“", "Zatim je otišao." } },
        { "Vest je objavio M. Jovanović. Ostali ćute.", { "Vest je objavio M. Jovanović.", "Ostali ćute." } },
        { "Kupljeno je 1.500 tona i 2,5 miliona litara. Cene su stabilne.",
          { "Kupljeno je 1.500 tona i 2,5 miliona litara.", "Cene su stabilne." } },
        { "Др. Петровић је стигао у Београд. Састанак је почео у подне.",
          { "Др. Петровић је стигао у Београд.", "Састанак је почео у подне." } },
        { "Седница је одржана 30. септембра. Следећа је заказана.",
          { "Седница је одржана 30. септембра.", "Следећа је заказана." } },
        { "Увезено је воће итд. Извоз је пао.", { "Увезено је воће итд.", "Извоз је пао." } },
        { "До 2019. године није било промена. Онда је све кренуло.",
          { "До 2019. године није било промена.", "Онда је све кренуло." } },
        { "Samit EU u Briselu. Путин није дошао. Ko je kriv?",
          { "Samit EU u Briselu.", "Путин није дошао.", "Ko je kriv?" } },
      }
      for _, c in ipairs(cases) do
        assert.are.same(c[2], split(c[1], "sr"), c[1])
        assert.are.same(c[2], split(c[1]), c[1])
      end
    end)

    it("uses the abbreviations of the language it is given", function()
      local s = "Pogledaj str. 5 u knjizi."
      assert.are.same({ s }, split(s, "sr"))
      assert.are.same({ s }, split(s, "hr"))
      assert.are.same({ s }, split(s, "sr-Latn"))
      assert.are.same({ "Pogledaj str.", "5 u knjizi." }, split(s, "en"))
      local e = "Acme Inc. Shares fell."
      assert.are.same({ "Acme Inc.", "Shares fell." }, split(e, "en"))
      assert.are.same({ "Acme Inc.", "Shares fell." }, split(e, "sr"))
      assert.are.same({ "Ask Mrs. Brown." }, split("Ask Mrs. Brown.", "en"))
      assert.are.same({ "Ask Mrs.", "Brown." }, split("Ask Mrs. Brown.", "sr"))
    end)

    it("excludes surrounding whitespace and yields nothing for empty text", function()
      local s = "  Leading and trailing.   Next one.  "
      local r = collect(text.sentences(s))
      assert.are.same({ { 3, 23 }, { 27, 35 } }, r)
      assert.are.same({}, collect(text.sentences("")))
      assert.are.same({}, collect(text.sentences(" \n\t" .. U(0xA0))))
      assert.has_error(function() text.sentences("x", "fr") end,
        "dossier.text: unsupported language 'fr' (expected en, sr, hr, bs, sh, cnr or nil)")
      assert.has_error(function() text.sentences(nil) end)
    end)

    it("handles a period after a token of combining marks only", function()
      local s = "A " .. U(0x301) .. U(0x301) .. ". B."
      assert.are.same({ "A " .. U(0x301) .. U(0x301) .. ".", "B." }, split(s))
    end)

    it("treats invalid UTF-8 as ordinary text and always terminates", function()
      local s = "Bad \255 byte. Next \226\130. Last"
      assert.are.same({ "Bad \255 byte.", "Next \226\130.", "Last" }, split(s))
      local rng = 99
      local function rand(n) rng = (rng * 1103515245 + 12345) % 2147483648; return rng % n end
      local pieces = { "A", "b", ".", " ", "?", "\n\n", "\255", "\226\128", "”", "Mr", "5", "č", "Ђ",
        "…", "“" }
      for _ = 1, 1000 do
        local t = {}
        for k = 1, rand(50) do t[k] = pieces[rand(#pieces) + 1] end
        local str = table.concat(t)
        local prev = 0
        for a, b in text.sentences(str) do
          assert.truthy(a > prev and b >= a and b <= #str)
          prev = b
        end
      end
    end)

    it("agrees with a slow Lua reference on real English and Serbian text", function()
      local sets = {
        { "sr_latn_setimes_ud_dev_test.jsonl", "sr" },
        { "sr_cyrl_translit_setimes_ud_dev_test.jsonl", "sr" },
        { "bbc_news_2004-2005.jsonl", "en", 200 },
      }
      for _, set in ipairs(sets) do
        local docs = read_docs(set[1], set[3])
        if skip_without_data(docs, set[1]) then return end
        local count = 0
        for _, d in ipairs(docs) do
          for _, l in ipairs({ set[2], "default" }) do
            local lang = l ~= "default" and l or nil
            local got, want = collect(text.sentences(d.text, lang)), ref_sentences(d.text, lang)
            for k = 1, math.max(#got, #want) do
              local g, w = got[k], want[k]
              if not g or not w or g[1] ~= w[1] or g[2] ~= w[2] then
                error(("%s sentence %d: C %s, reference %s"):format(d.id, k,
                  g and ("%q"):format(d.text:sub(g[1], g[2])) or "none",
                  w and ("%q"):format(d.text:sub(w[1], w[2])) or "none"))
              end
            end
            if lang then count = count + #got end
          end
        end
        print(("\n  %s: %d sentences, same as the Lua reference"):format(set[1], count))
      end
    end)

    -- The splitter skips bytes that cannot start a terminator, a line break or whitespace in
    -- blocks of 16 and decodes only at the others (C2, CD, E1, E2, E3, EF leads): these cases sit on
    -- both sides of that line, at block edges and at the end of the text.
    it("splits at every offset of a sixteen-byte block and at the very end", function()
      for k = 0, 40 do
        for _, w in ipairs({ "a", "ж", "č", " " }) do
          local pad = ("x" .. w):rep(k):sub(1, k)
          local s = pad .. "Xy. Next one!" .. ("  "):rep(k % 3)
          local want = { { 1, #pad + 3 }, { #pad + 5, #pad + 13 } }
          if pad:match("^%s") then want[1][1] = 1 + #pad:match("^%s*") end
          assert.are.same(want, collect(text.sentences(s)), s)
          assert.are.same({ { 1, #pad + 3 } }, collect(text.sentences(pad:gsub("^%s+", "") .. "Xy.")))
        end
      end
      assert.are.same({ "Done." }, split("Done."))
      assert.are.same({ "Done.”" }, split("Done.”"))
      assert.are.same({ "Why?!" }, split("Why?!   \n"))
      assert.are.same({ "Kraj…" }, split("Kraj…"))
      assert.are.same({ "Конец。" }, split("Конец。"))
      assert.are.same({ "Late" .. U(0x37E) }, split("Late" .. U(0x37E) .. " "))
    end)

    it("treats whitespace outside ASCII as whitespace inside and between sentences", function()
      for _, sp in ipairs({ U(0xA0), U(0x85), U(0x1680), U(0x2000), U(0x200B), U(0x2028), U(0x202F),
        U(0x205F), U(0x3000), U(0xFEFF) }) do
        local s = sp .. "Prva rečenica." .. sp .. "Druga" .. sp .. "rečenica" .. sp
        assert.are.same({ "Prva rečenica.", "Druga" .. sp .. "rečenica" }, split(s), s)
      end
      -- Other code points with those lead bytes are ordinary text.
      local s = "Cena © 5 € ᾽ 、「x」 ！ � ͵ a" .. U(0x345) .. " ° « » end. Next"
      assert.are.same({ "Cena © 5 € ᾽ 、「x」 ！ � ͵ a" .. U(0x345) .. " ° « » end.", "Next" }, split(s))
      assert.are.same({ "Naslov", "Tekst." }, split("Naslov  " .. U(0xA0) .. "\n \t\r\nTekst."))
      assert.are.same({ "Наслов", "Текст." }, split("Наслов\n\nТекст."))
    end)

    it("keeps invalid and truncated UTF-8 as text next to terminators", function()
      assert.are.same({ "Kraj \226\128" }, split("Kraj \226\128"))
      assert.are.same({ "Kraj.\226" }, split("Kraj.\226"))
      assert.are.same({ "End.\128 Next." }, split("End.\128 Next."))
      assert.are.same({ "End.", "\194 Next." }, split("End. \194 Next."))
      assert.are.same({ "A\226\128.", "B", "\227\128 C." }, split("A\226\128. B\n\n\227\128 C."))
      assert.are.same({ "Bad\239\187.", "Ok." }, split("Bad\239\187. Ok."))
      assert.are.same({ "\205.", "X" }, split("\205. X"))
      assert.are.same({ "Z\192\193\245\255 z." }, split("Z\192\193\245\255 z."))
    end)

    it("keeps quotes and brackets that close a sentence inside it", function()
      assert.are.same({ 'He said: "Go."', "Then he left." }, split('He said: "Go." Then he left.'))
      assert.are.same({ "«Да.»", "Затим је отишао." }, split("«Да.» Затим је отишао."))
      assert.are.same({ "(Da.)", "Onda." }, split("(Da.) Onda."))
      assert.are.same({ "Rekao je „Ne!“", "I otišao." }, split("Rekao je „Ne!“ I otišao."))
      assert.are.same({ "‹Oui?›", "Non." }, split("‹Oui?› Non."))
      assert.are.same({ "Kaže: „Da.“ i ode." }, split("Kaže: „Da.“ i ode."))
    end)

    it("knows Cyrillic abbreviations and dates as well as Latin ones", function()
      local cases = {
        { "Др. Петровић је стигао. Ул. Кнеза Милоша је затворена.",
          { "Др. Петровић је стигао.", "Ул. Кнеза Милоша је затворена." } },
        { "Видети бр. 5 и стр. 7. Крај.", { "Видети бр. 5 и стр. 7.", "Крај." } },
        { "Воће, поврће итд. Нови ред.", { "Воће, поврће итд.", "Нови ред." } },
        { "Г. Јовановић и гђа. Јовановић. Проф. Марковић.",
          { "Г. Јовановић и гђа. Јовановић.", "Проф. Марковић." } },
        { "Рођен је 24. марта 1990. Сутра.", { "Рођен је 24. марта 1990.", "Сутра." } },
        { "Rođen je 24. marta 1990. Sutra.", { "Rođen je 24. marta 1990.", "Sutra." } },
        { "Do 24. 3. 2020. Posle.", { "Do 24. 3. 2020.", "Posle." } },
        { "Има 2,5 млрд. Људи.", { "Има 2,5 млрд.", "Људи." } },
        { "Тзв. Исламска држава.", { "Тзв. Исламска држава." } },
      }
      for _, c in ipairs(cases) do
        assert.are.same(c[2], split(c[1], "sr"), c[1])
        assert.are.same(c[2], split(c[1]), c[1])
      end
      assert.are.same({ "Ул.", "Кнеза." }, split("Ул. Кнеза.", "en"))
    end)

    it("knows every abbreviation of its list, in each language", function()
      for _, lang in ipairs({ "en", "sr" }) do
        local list = {}
        -- One letter ("p", "g") is an initial or nothing before the list is asked: not here.
        for a, k in pairs(ABBR[lang]) do if #a > 1 then list[#list + 1] = { a, k } end end
        table.sort(list, function(x, y) return x[1] < y[1] end)
        for _, e in ipairs(list) do
          local a, kind = e[1], e[2]
          local cap = a:sub(1, 1):upper() .. a:sub(2)
          -- Sentences when an upper-case word, a number or a symbol follows: a title (T) never
          -- ends one, a number word (N) ends one unless a number follows, the others (E) end one
          -- before an upper-case word only.
          local got = {}
          for k, after in ipairs({ "Novak.", "5 dana.", "€ 5." }) do
            got[k] = #split("Vidi " .. cap .. ". " .. after, lang)
          end
          local want = ({ T = { 1, 1, 1 }, N = { 2, 1, 2 }, E = { 2, 1, 1 } })[kind]
          assert.are.same(want, got, a)
        end
      end
      -- Not abbreviations: words next to them in the sorted list, or sharing a prefix.
      for _, w in ipairs({ "Mrx", "Messrsx", "Gdjic", "Approxi", "Zzz", "Aa", "Abc", "Ad", "Vt", "Aal" }) do
        assert.are.same({ 2, 2, 2 }, { #split("Vidi " .. w .. ". Novak."), #split("Vidi " .. w .. ". 5 d."),
          #split("Vidi " .. w .. ". € 5.") }, w)
      end
    end)

    it("agrees with the slow reference on generated text around the fast path", function()
      local rng = 4242
      local function rand(n) rng = (rng * 1103515245 + 12345) % 2147483648; return rng % n end
      local pieces = { ".", ".", "!", "?", "…", U(0x37E), "。", "‼", " ", " ", "  ", "\n", "\n\n", "\n \n",
        "\t", U(0xA0), U(0x85), U(0x2028), U(0x3000), U(0xFEFF), '"', "”", "“", "„", "’", "»", "«", ")",
        "(", "-", "—", "©", "€", "᾽", "、", "！", "͵", U(0x345), U(0x301), "Mr", "Dr", "br", "itd", "Inc", "No",
        "U.S", "e.g", "str", "god", "г", "Др", "бр", "итд", "24", "1990", "5", "Ž", "ž", "č", "Ć", "đ", "É",
        "é", "Ω", "ω", "The", "the", "Beograd", "Београд", "марта", "Марта", "x", "X", "ab", "Ab" }
      for _ = 1, 3000 do
        local t = {}
        for k = 1, rand(40) do
          t[k] = rand(4) == 0 and (rand(2) == 0 and "a" or "ш"):rep(rand(24) + 1) or pieces[rand(#pieces) + 1]
        end
        local s = table.concat(t)
        for _, lang in ipairs({ "en", "sr", false }) do
          local got, want = collect(text.sentences(s, lang or nil)), ref_sentences(s, lang or nil)
          for k = 1, math.max(#got, #want) do
            local g, w = got[k] or {}, want[k] or {}
            if g[1] ~= w[1] or g[2] ~= w[2] then
              error(("%q (%s) sentence %d: C %s-%s, reference %s-%s"):format(s, lang, k,
                tostring(g[1]), tostring(g[2]), tostring(w[1]), tostring(w[2])))
            end
          end
        end
      end
    end)
  end)

  describe("words", function()
    it("finds words in a hand-checked table", function()
      local function words(s) local t = {} for _, _, w in text.words(s) do t[#t + 1] = w end return t end
      assert.are.same({ "O'Brien's", "Al-Qaida", "1,5", "i", "2.000", "Ђорђе", "x", "quoted", "COVID-19",
        "rock’n’roll" }, words("O'Brien's Al-Qaida -- 1,5 i 2.000 „Ђорђе“ x- 'quoted' COVID-19 rock’n’roll"))
      assert.are.same({ "c" .. U(0x301) .. "ao", "abc" },
        words("c" .. U(0x301) .. "ao " .. U(0x301) .. "abc"))
      assert.are.same({ "U", "S", "end" }, words("U.S. end."))
      assert.are.same({ "ab", "cd" }, words("ab\255cd"))
      assert.are.same({ "Αθήνα", "Москва", "東京" }, words("Αθήνα, Москва; 東京!"))
      assert.are.same({ "e-mail", "3.14" }, words("e-mail 3.14."))
      assert.are.same({}, words(""))
      assert.are.same({}, words(" -- ' . \255"))
      assert.are.same({ { 2, 5, "Šta" } }, collect(text.words(" Šta")))
      assert.has_error(function() text.words(nil) end)
    end)

    it("agrees with a slow Lua reference on real English and Serbian text", function()
      local sets = { "sr_latn_setimes_ud_dev_test.jsonl", "sr_cyrl_translit_setimes_ud_dev_test.jsonl",
        "hr_setimes_ud_dev_test.jsonl", "bbc_news_2004-2005.jsonl" }
      for _, name in ipairs(sets) do
        local docs = read_docs(name, 200)
        if skip_without_data(docs, name) then return end
        local count = 0
        for _, d in ipairs(docs) do
          local got, want = collect(text.words(d.text)), ref_words(d.text)
          assert.are.equal(#want, #got, d.id)
          for k = 1, #want do
            if got[k][1] ~= want[k][1] or got[k][2] ~= want[k][2] or got[k][3] ~= want[k][3] then
              error(("%s word %d: %q vs reference %q"):format(d.id, k, got[k][3], want[k][3]))
            end
          end
          count = count + #got
        end
        print(("\n  %s: %d words, same as the Lua reference"):format(name, count))
      end
    end)

    it("keeps Latin and Cyrillic words and sentences aligned on the SETimes pairs", function()
      local lat = read_docs("sr_latn_setimes_ud_dev_test.jsonl")
      if skip_without_data(lat, "sr_latn_setimes_ud_dev_test.jsonl") then return end
      local cyr = read_docs("sr_cyrl_translit_setimes_ud_dev_test.jsonl")
      local wl, wc = 0, 0
      for k = 1, #lat do
        assert.are.equal(lat[k].id:match(":(.*)$"), cyr[k].id:match(":(.*)$"))
        wl = wl + #collect(text.words(lat[k].text))
        wc = wc + #collect(text.words(cyr[k].text))
        -- Sentence boundaries fall at the same words in both scripts.
        local sl, sc = collect(text.sentences(lat[k].text, "sr")), collect(text.sentences(cyr[k].text, "sr"))
        assert.are.equal(#sl, #sc, lat[k].id)
        for j = 1, #sl do
          assert.are.equal(text.fold(lat[k].text:sub(sl[j][1], sl[j][2])),
            text.fold(cyr[k].text:sub(sc[j][1], sc[j][2])))
        end
      end
      assert.are.equal(wl, wc)
    end)
  end)

  describe("utf8_valid and sanitize", function()
    local cases = {
      { "", true },
      { "plain ASCII", true },
      { "čćđšž Ђ € 😀", true },
      { "ab\192\128", false, 3 },          -- overlong 2-byte
      { "\193\191", false, 1 },            -- overlong
      { "x\224\128\128", false, 2 },       -- overlong 3-byte
      { "\240\128\128\128", false, 1 },    -- overlong 4-byte
      { "ok\237\160\128", false, 3 },      -- surrogate U+D800
      { "\237\191\191", false, 1 },        -- surrogate U+DFFF
      { "\244\144\128\128", false, 1 },    -- U+110000
      { "\245\128\128\128", false, 1 },
      { "abc\226\130", false, 4 },         -- truncated
      { "abcdefghijklmnop\128", false, 17 }, -- stray continuation after the 8-byte fast path
      { "\255", false, 1 },
      { "\237\159\191\244\143\191\191", true }, -- U+D7FF, U+10FFFF
    }

    it("validates a hand-checked table, agreeing with Lua's strict utf8.len", function()
      for _, c in ipairs(cases) do
        local ok, off = text.utf8_valid(c[1])
        assert.are.equal(c[2], ok, c[1])
        assert.are.equal(c[3], off)
        local n, lpos = utf8.len(c[1])
        assert.are.equal(n ~= nil, ok)
        assert.are.equal(lpos, off)
      end
    end)

    it("agrees with utf8.len on random bytes", function()
      local rng = 2024
      local function rand(n) rng = (rng * 1103515245 + 12345) % 2147483648; return rng % n end
      local pieces = { "a", "č", "€", "😀", "\128", "\191", "\192", "\194", "\224", "\237", "\240",
        "\244", "\245", "\255", "\160", "\144", "\143", "abcdefgh" }
      for _ = 1, 5000 do
        local t = {}
        for k = 1, rand(12) do t[k] = pieces[rand(#pieces) + 1] end
        local s = table.concat(t)
        local ok, off = text.utf8_valid(s)
        local n, lpos = utf8.len(s)
        assert.are.equal(n ~= nil, ok, ("%q"):format(s))
        assert.are.equal(lpos, off, ("%q"):format(s))
        local clean, count = text.sanitize(s)
        assert.truthy(text.utf8_valid(clean))
        assert.are.equal(ok, count == 0)
        if ok then assert.are.equal(s, clean) end
      end
    end)

    it("replaces each maximal subpart with one U+FFFD (Unicode table 3-8)", function()
      local R = U(0xFFFD)
      local s, n = text.sanitize("a\241\128\128\225\128\194b\128c\128\191d")
      assert.are.equal("a" .. R .. R .. R .. "b" .. R .. "c" .. R .. R .. "d", s)
      assert.are.equal(6, n)
      assert.are.equal(R .. R, (text.sanitize("\192\175")))
      assert.are.equal(R .. R .. R, (text.sanitize("\237\160\128"))) -- surrogate: ED then 2 strays
      assert.are.equal("x" .. R, (text.sanitize("x\240\159\152")))   -- truncated 4-byte
      assert.are.equal(R .. R .. "A", (text.sanitize("\244\144A"))) -- F4 takes 80..8F only
      local same, zero = text.sanitize("Čačak")
      assert.are.equal("Čačak", same)
      assert.are.equal(0, zero)
      assert.are.same({ "", 0 }, { text.sanitize("") })
      assert.has_error(function() text.utf8_valid(nil) end)
      assert.has_error(function() text.sanitize({}) end)
    end)
  end)

  describe("any bytes", function()
    it("never fail or loop in any function on random byte strings", function()
      local rng = 31337
      local function rand(n) rng = (rng * 1103515245 + 12345) % 2147483648; return rng % n end
      local pieces = { "a", "Z", " ", "\n", ".", "!", "'", "-", "lj", "Nj", "dž", "č", "Ђ", "Љ", "Џ", "и",
        U(0x306), U(0x301), U(0x30C), "\128", "\191", "\192", "\208", "\209", "\226\128", "\237\160",
        "\240\159", "\244\144", "\255", "„", "”", "…", "1", ",", U(0xA0), U(0x200C) }
      for _ = 1, 3000 do
        local t = {}
        for k = 1, rand(30) do t[k] = pieces[rand(#pieces) + 1] end
        local str = table.concat(t)
        local n = 0
        for a, b, w in text.words(str) do
          n = n + 1
          assert.are.equal(str:sub(a, b), w)
        end
        assert.truthy(n <= #str)
        local lc = text.translit(str, "Latn", "Cyrl")
        local cl = text.translit(str, "Cyrl", "Latn")
        assert.truthy(#lc >= 0 and #cl >= 0)
        -- Valid input stays valid through both directions.
        if text.utf8_valid(str) then
          assert.is_true(text.utf8_valid(lc))
          assert.is_true(text.utf8_valid(cl))
          assert.is_true(text.utf8_valid(text.fold(str)))
        end
        assert.truthy(#text.fold(str) <= #str)
      end
    end)
  end)

  describe("large input", function()
    it("handles a " .. BIG .. " byte text in every function #slow", function()
      local docs = read_docs("sr_latn_setimes_ud_dev_test.jsonl")
      if skip_without_data(docs, "sr_latn_setimes_ud_dev_test.jsonl") then return end
      for _, d in ipairs(read_docs("sr_cyrl_translit_setimes_ud_dev_test.jsonl")) do docs[#docs + 1] = d end
      for _, d in ipairs(read_docs("bbc_news_2004-2005.jsonl", 100) or {}) do docs[#docs + 1] = d end
      local pieces, folded, nsent, nwords, size = {}, {}, 0, 0, 0
      local k = 0
      while size < BIG do
        k = k % #docs + 1
        local t = docs[k].text:match("^%s*(.-)%s*$")
        if t ~= "" then
          pieces[#pieces + 1] = t
          size = size + #t + 2
          if #pieces <= #docs then
            folded[#pieces] = text.fold(t)
            nsent = nsent + #collect(text.sentences(t))
            nwords = nwords + #collect(text.words(t))
          end
        end
      end
      local big = table.concat(pieces, "\n\n")
      -- Each piece is folded, split and counted on its own once; the big text repeats them.
      local want_f, want_s, want_w = {}, 0, 0
      for i = 1, #pieces do
        local j = (i - 1) % #docs + 1
        want_f[i] = folded[j] or text.fold(pieces[i])
      end
      local reps = {}
      for i = 1, #pieces do
        local j = (i - 1) % #docs + 1
        reps[j] = (reps[j] or 0) + 1
      end
      for j = 1, math.min(#docs, #pieces) do
        want_s = want_s + reps[j] * #collect(text.sentences(pieces[j]))
        want_w = want_w + reps[j] * #collect(text.words(pieces[j]))
      end
      assert.truthy(nsent > 0 and nwords > 0)
      local f, map = text.fold(big, nil, true)
      assert.are.equal(table.concat(want_f, " "), f)
      assert.are.equal(#big + 1, map(#f + 1))
      check_map(big, 997) -- every 997th unit checked in full
      local prev = 0
      for i = 1, #f, 7 do
        local a = map(i)
        assert(a >= prev and a <= #big, "map not monotonic")
        prev = a
      end
      local s = 0
      for _ in text.sentences(big) do s = s + 1 end
      assert.are.equal(want_s, s)
      local w = 0
      for _ in text.words(big) do w = w + 1 end
      assert.are.equal(want_w, w)
      assert.is_true(text.utf8_valid(big))
      assert.are.same({ false, #big + 1 }, { text.utf8_valid(big .. "\255") })
      assert.are.equal(big, (text.sanitize(big)))
      local cyr = text.translit(big, "Latn", "Cyrl")
      assert.truthy(#cyr > #big)
      assert.are.equal(text.fold(cyr), text.fold(text.translit(cyr, "Cyrl", "Latn")))
    end)
  end)
end)
