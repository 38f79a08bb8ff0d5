-- luacheck: std +busted
-- Specs for dossier.recognisers.date. Oracles: a hand-checked table of our own phrases in
-- English, Serbian (Latin and Cyrillic) and Croatian, folded with dossier.text.fold before
-- matching, resolved against a hand-checked calendar (2022-03-30 is a Wednesday); the C
-- library's calendar (os.time/os.date) for the day arithmetic and for the validity of every
-- date found in real news read at test time from ../shared/data/news (skipped when absent).
local date = require "dossier.recognisers.date"
local text = require "dossier.text"
local rex = require "dossier.regex"

local DATA = os.getenv("DOSSIER_DATA") or "../shared/data"
local news = dofile("spec/helpers/news.lua")
local P = "2022-03-30" -- a Wednesday; its ISO week starts on Monday 2022-03-28

-- { input (unfolded), expected match (folded) or false, iso, precision, relative }
local CASES = {
  -- absolute
  { "on 2022-03-24 the", "2022-03-24", "2022-03-24", "day", false },
  { "On 24 March 2022 they", "24 march 2022", "2022-03-24", "day", false },
  { "on March 24, 2022,", "march 24, 2022", "2022-03-24", "day", false },
  { "Jan. 5, 2021", "jan. 5, 2021", "2021-01-05", "day", false },
  { "Sept. 9 2019", "sept. 9 2019", "2019-09-09", "day", false },
  { "the 3rd of January 2020", "3rd of january 2020", "2020-01-03", "day", false },
  { "24. marta 2022. godine", "24. marta 2022", "2022-03-24", "day", false },
  { "24. mart 2022", "24. mart 2022", "2022-03-24", "day", false },
  { "24. марта 2022.", "24. marta 2022", "2022-03-24", "day", false },
  { "dana 24.3.2022. u", "24.3.2022", "2022-03-24", "day", false },
  { "24. 3. 2022.", "24. 3. 2022", "2022-03-24", "day", false },
  { "24. ožujka 2022.", "24. ozujka 2022", "2022-03-24", "day", false },
  { "5. rujna 2021.", "5. rujna 2021", "2021-09-05", "day", false },
  { "1. avgusta 2019", "1. avgusta 2019", "2019-08-01", "day", false },
  { "7. listopada 2020.", "7. listopada 2020", "2020-10-07", "day", false },
  { "in May 2022", "in may 2022", "2022-05", "month", false },
  { "marta 2022", "marta 2022", "2022-03", "month", false },
  { "u svibnju 2021.", "u svibnju 2021", "2021-05", "month", false },
  { "in 2006", "in 2006", "2006", "year", false },
  { "back in 2006", "back in 2006", "2006", "year", false },
  { "krajem 2022", "krajem 2022", "2022", "year", false },
  { "2006. godine", "2006. godine", "2006", "year", false },
  { "tokom 2019.", "tokom 2019", "2019", "year", false },
  -- month or day without a year: the most recent not after P
  { "in May", "in may", "2021-05", "month", true },
  { "u maju", "u maju", "2021-05", "month", true },
  { "у мају", "u maju", "2021-05", "month", true },
  { "in March", "in march", "2022-03", "month", true },
  { "početkom septembra", "pocetkom septembra", "2021-09", "month", true },
  { "sredinom februara", "sredinom februara", "2022-02", "month", true },
  { "by the end of June", "by the end of june", "2021-06", "month", true },
  { "on 24 March", "24 march", "2022-03-24", "day", true },
  { "31. marta", "31. marta", "2021-03-31", "day", true },
  { "30. marta", "30. marta", "2022-03-30", "day", true },
  { "29 February", "29 february", "2020-02-29", "day", true },
  -- relative words
  { "yesterday", "yesterday", "2022-03-29", "day", true },
  { "juče", "juce", "2022-03-29", "day", true },
  { "jučer", "jucer", "2022-03-29", "day", true },
  { "јуче", "juce", "2022-03-29", "day", true },
  { "prekjuče", "prekjuce", "2022-03-28", "day", true },
  { "danas", "danas", "2022-03-30", "day", true },
  { "tomorrow", "tomorrow", "2022-03-31", "day", true },
  { "last week", "last week", "2022-03-21", "week", true },
  { "this week", "this week", "2022-03-28", "week", true },
  { "next week", "next week", "2022-04-04", "week", true },
  { "prošle nedelje", "prosle nedelje", "2022-03-21", "week", true },
  { "прошле недеље", "prosle nedelje", "2022-03-21", "week", true },
  { "prošle sedmice", "prosle sedmice", "2022-03-21", "week", true },
  { "prošli tjedan", "prosli tjedan", "2022-03-21", "week", true },
  { "prošlog tjedna", "proslog tjedna", "2022-03-21", "week", true },
  { "sljedeći tjedan", "sljedeci tjedan", "2022-04-04", "week", true },
  { "last month", "last month", "2022-02", "month", true },
  { "prošlog meseca", "proslog meseca", "2022-02", "month", true },
  { "this year", "this year", "2022", "year", true },
  { "prošle godine", "prosle godine", "2021", "year", true },
  { "next year", "next year", "2023", "year", true },
  -- weekdays (P is a Wednesday)
  { "on Wednesday", "on wednesday", "2022-03-30", "day", true },
  { "Wednesday", "wednesday", "2022-03-30", "day", true },
  { "last Wednesday", "last wednesday", "2022-03-23", "day", true },
  { "next Wednesday", "next wednesday", "2022-04-06", "day", true },
  { "on Friday", "on friday", "2022-03-25", "day", true },
  { "this Friday", "this friday", "2022-04-01", "day", true },
  { "u sredu", "u sredu", "2022-03-30", "day", true },
  { "у среду", "u sredu", "2022-03-30", "day", true },
  { "u petak", "u petak", "2022-03-25", "day", true },
  { "u ponedeljak", "u ponedeljak", "2022-03-28", "day", true },
  { "u nedelju", "u nedelju", "2022-03-27", "day", true },
  { "prošlog petka", "proslog petka", "2022-03-25", "day", true },
  { "prošle srede", "prosle srede", "2022-03-23", "day", true },
  { "u srijedu", "u srijedu", "2022-03-30", "day", true },
  { "sljedećeg utorka", "sljedeceg utorka", "2022-04-05", "day", true },
  -- not dates
  { "they may go", false },
  { "May I ask", false },
  { "petak je dan", false },
  { "in 20 years", false },
  { "the year 2022", false },
  { "24 marines", false },
  { "the 1990s", false },
  { "mayday", false },
  { "12024-03-24", false },
}

local function valid_by_os(y, m, d)
  local t = os.date("*t", os.time { year = y, month = m, day = d, hour = 12 })
  return t.year == y and t.month == m and t.day == d
end

describe("dossier.recognisers.date", function()
  it("exposes a pattern without capturing groups that embeds as a named group", function()
    assert.equal(0, rex.new(date.pattern):patterninfo().CAPTURECOUNT)
    local _, _, t = rex.new("on (?<date>" .. date.pattern .. ")!"):tfind("on 24. marta 2022!")
    assert.equal("24. marta 2022", t.date)
  end)

  for i, c in ipairs(CASES) do
    local input, want, iso, prec, relative = c[1], c[2], c[3], c[4], c[5]
    it(("case %d: %q"):format(i, input), function()
      local f = text.fold(input)
      local a, b, giso, gprec, grel = date.find(f, 1, P)
      if want == false then
        assert.is_nil(a, a and ("unexpected match " .. f:sub(a, b)))
        return
      end
      assert.is_not_nil(a, "no match in " .. f)
      assert.equal(want, f:sub(a, b))
      assert.same({ iso, prec, relative }, { giso, gprec, grel })
      assert.same({ iso, prec, relative }, { date.parse(want, P) })
      if relative then
        assert.same({ nil, "relative date needs a publication date" }, { date.parse(want) })
      else
        assert.same({ iso, prec, relative }, { date.parse(want) })
      end
    end)
  end

  it("resolves every weekday word against every day of a week", function()
    -- oracle: step back one day at a time with os.time until the weekday matches
    local names = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
    for d = 28, 34 do -- 2022-03-28 (Monday) .. 2022-04-03 (Sunday)
      local t0 = os.time { year = 2022, month = 3, day = d, hour = 12 }
      local pub = os.date("%Y-%m-%d", t0)
      for wd, name in ipairs(names) do
        local back = 0
        while ((tonumber(os.date("%w", t0 - back * 86400)) + 6) % 7) + 1 ~= wd do back = back + 1 end
        assert.equal(os.date("%Y-%m-%d", t0 - back * 86400), (date.parse("on " .. name, pub)))
        local last = back == 0 and 7 or back
        assert.equal(os.date("%Y-%m-%d", t0 - last * 86400), (date.parse("last " .. name, pub)))
      end
    end
  end)

  it("agrees with the C library's calendar for day arithmetic", function()
    for z = -800, 25000, 37 do -- 1967 .. 2038
      local y, m, d = date._from_days(z)
      local t = os.date("!*t", z * 86400)
      assert.same({ t.year, t.month, t.day }, { y, m, d })
      assert.equal(z, date._to_days(y, m, d))
    end
  end)

  it("rejects impossible calendar dates", function()
    assert.same({ nil, "invalid date" }, { date.parse("31 February 2022") })
    assert.same({ nil, "invalid date" }, { date.parse("29 February 2021") })
    assert.same({ "2024-02-29", "day", false }, { date.parse("29 February 2024") })
    assert.same({ nil, "invalid date" }, { date.parse("30.2.2022.") })
    assert.same({ nil, "invalid date" }, { date.parse("2022-02-30") })
    assert.same({ nil, "invalid date" }, { date.parse("31. aprila 2020") })
    -- find still reports the span
    local a, b, iso = date.find("on 31 february 2022 they")
    assert.same({ 4, 19 }, { a, b })
    assert.is_nil(iso)
  end)

  it("returns nil and a message for strings that are not dates", function()
    assert.same({ nil, "not a date" }, { date.parse("petak") })
    assert.same({ nil, "not a date" }, { date.parse("") })
    assert.same({ nil, "not a date" }, { date.parse("2022") })
  end)

  it("finds successive dates with init", function()
    local s = "od 20. januara do 26. februara 2016, a juce"
    local a, b, iso = date.find(s, 1, P)
    assert.same({ 4, 14, "2022-01-20" }, { a, b, iso }) -- "od" (from) belongs to months and years only
    a, b, iso = date.find(s, b + 1, P)
    assert.same({ 19, 35, "2016-02-26" }, { a, b, iso })
    a, b, iso = date.find(s, b + 1, P)
    assert.same({ #s - 3, #s, "2022-03-29" }, { a, b, iso })
  end)

  it("accepts a timestamp as the publication date", function()
    assert.equal("2022-03-29", (date.parse("yesterday", "2022-03-30T08:15:00Z")))
  end)

  it("raises on bad arguments, naming the module", function()
    assert.has_error(function() date.parse(5) end, "dossier.recognisers.date: expected a string, got number")
    assert.has_error(function() date.parse("juce", "2022-13-01") end,
      "dossier.recognisers.date: published must be an ISO date 'YYYY-MM-DD', got '2022-13-01'")
    assert.has_error(function() date.parse("juce", "yesterday") end,
      "dossier.recognisers.date: published must be an ISO date 'YYYY-MM-DD', got 'yesterday'")
    assert.has_error(function() date.parse("juce", 20220330) end,
      "dossier.recognisers.date: published must be an ISO date string or nil, got number")
    assert.has_error(function() date.find("juce", 1.5) end,
      "dossier.recognisers.date: init must be an integer, got number")
    assert.has_error(function() date.find({}) end, "dossier.recognisers.date: expected a string, got table")
  end)

  it("resolves the same text again the same way, whatever the publication date in between", function()
    -- find keeps what it resolved, by text: absolute dates once, relative ones per publication date
    local s = "today, in 2006 and on 24 march"
    for _ = 1, 2 do
      for _, pub in ipairs { "2022-03-30", "2021-01-05", "2022-03-30T10:00:00Z" } do
        local a, b, iso, prec, rel = date.find(s, 1, pub)
        assert.same({ 1, 5, pub:sub(1, 10), "day", true }, { a, b, iso, prec, rel })
        assert.same({ 8, 14, "2006", "year", false }, { date.find(s, b + 1, pub) })
        assert.same({ date.parse("24 march", pub) }, { select(3, date.find(s, 16, pub)) })
      end
      assert.same({ 1, 5 }, { date.find(s) })
      assert.same({ 8, 14, "2006", "year", false }, { date.find(s, 6) })
      assert.same({ 23, 30 }, { date.find(s, 15) })
    end
    assert.same({ 4, 19 }, { date.find("on 31 february 2022 they") })
    assert.same({ 4, 19 }, { date.find("on 31 february 2022 they", nil, "2022-03-30") })
  end)

  -- Every offset where each regex matches, in s (the regex finds the same match at an offset
  -- whatever offset its search started from).
  local function spans(r, s)
    local t, init = {}, 1
    while true do
      local a, b = r:find(s, init)
      if not a then return t end
      t[a], init = b, a + 1
    end
  end

  -- The anchors of s (see date._hint): where four digits start, and every whole word of
  -- date._keywords (a word: not preceded or followed by [A-Za-z0-9_] or a byte >= 0x80).
  local function anchors(s)
    local at = {}
    for i = 1, #s do
      if s:find("^[0-9][0-9][0-9][0-9]", i) then at[i] = true end
    end
    local function word(c) return c ~= "" and (c:match("[%w_]") or c:byte() >= 128) end
    for _, w in ipairs(date._keywords) do
      local i = 1
      while true do
        local a, b = s:find(w, i, true)
        if not a then break end
        if not word(s:sub(a - 1, a - 1)) and not word(s:sub(b + 1, b + 1)) then at[a] = true end
        i = a + 1
      end
    end
    local t = {}
    for i in pairs(at) do t[#t + 1] = i end
    table.sort(t)
    return t
  end

  -- Texts for comparing date.find with date.pattern: edge cases, then news (when present).
  local function texts()
    local t = { "", "2006", "in 2006", "x2006 20061 1999-12-31", "on 31 february 2022 they",
      "the day before yesterday", "at the beginning of march and at the start of 2020", "mid-march 2020",
      "jan. 5 and sept. 9, 2019", "24.3.2022. i 24. 3. 2022", "2022-03-24", "31st of march", "31. 12. 2022.",
      "proteklog petka i prosle nedelje", "u sredu, a sledeceg cetvrtka", "last friday and next monday",
      "this year and next year", "\xff2006\xff in 2006\xc3\xa9", "_may 2020 may_2020",
      "march" .. (" x"):rep(30) .. " 2020", "krajem 2022. godine", "do 2022. i od 1.1.2023." }
    return news.sentences(DATA, { "bbc_news_2004-2005.jsonl", "alo_articles_sr_latn.jsonl",
      "reuters21578.jsonl" }, 12, t)
  end

  it("finds from every offset what date.pattern finds, with and without the anchors of the text #slow",
    function()
    local r = rex.new(date.pattern)
    local n = 0
    for _, s in ipairs(texts()) do
      local want = spans(r, s)
      local t = anchors(s)
      -- each date starts at most date._lookback bytes before an anchor
      for a, b in pairs(want) do
        local ok = false
        for _, q in ipairs(t) do ok = ok or (q >= a and q <= a + date._lookback and q <= b) end
        assert.is_true(ok, "no anchor in " .. s:sub(a, b))
      end
      for _, hint in ipairs { false, true } do
        if hint then date._hint(s, t, #t) else date._hint(nil) end
        for init = 1, #s + 2 do
          local a = init
          while a <= #s and not want[a] do a = a + 1 end
          local fa, fb = date.find(s, init)
          if want[a] then
            assert.same({ a, want[a] }, { fa, fb }, s .. " from " .. init)
          else
            assert.is_nil(fa, s .. " from " .. init)
          end
          local sa, sb = date._span(s, init)
          assert.same({ fa, fb }, { sa, sb })
          n = n + 1
        end
        -- init counted from the end, or absent
        assert.same({ date.find(s, 1) }, { date.find(s) })
        assert.same({ date.find(s, math.max(1, #s - 4)) }, { date.find(s, -5) })
      end
    end
    date._hint(nil)
    assert.is_true(n > 1000)
  end)

  it("finds dates at both ends of a huge text, with and without its anchors", function()
    local s = "on 24 march 2022, " .. ("no date here at all, just words; "):rep(6000)
      .. "in may 2021 and today"
    local r = rex.new(date.pattern)
    local t = anchors(s)
    for _, hint in ipairs { false, true } do
      if hint then date._hint(s, t, #t) else date._hint(nil) end
      for _, init in ipairs { 1, 4, 5, 100, #s // 2, #s - 25, #s - 20, #s - 4, #s, #s + 1 } do
        local a, b = r:find(s, init)
        assert.same({ a, b }, { date._span(s, init) })
        local want = a and { a, b, date.parse(s:sub(a, b), "2022-06-01") } or {}
        assert.same(want, { date.find(s, init, "2022-06-01") })
      end
      assert.same({ #s - 4, #s, "2022-06-01", "day", true }, { date.find(s, #s - 8, "2022-06-01") })
    end
    date._hint(nil)
  end)

  describe("on real news", function()
    it("matches on word boundaries and resolves only to valid calendar dates", function()
      local f = io.open(DATA .. "/news/alo_articles_sr_latn.jsonl")
      if not f then
        pending("skipped: " .. DATA .. "/news not found")
        return
      end
      f:close()
      local r = rex.new(date.pattern)
      local n, resolved = 0, 0
      for _, file in ipairs { "alo_articles_sr_latn.jsonl", "reuters21578.jsonl", "bbc_news_2004-2005.jsonl",
        "hr_setimes_ud_dev_test.jsonl", "sr_cyrl_translit_setimes_ud_dev_test.jsonl" } do
        local fh = io.open(DATA .. "/news/" .. file)
        local docs = 0
        for line in fh:lines() do
          docs = docs + 1
          if docs > 100 then break end
          local body = (line:match('"text": "(.-[^\\])"') or ""):gsub("\\n", " ")
          local pub = line:match('"date": "(%d%d%d%d%-%d%d%-%d%d)') or "2005-06-15"
          local s = text.fold(body)
          local init = 1
          while true do
            local a, b = r:find(s, init)
            if not a then break end
            n = n + 1
            init = b + 1
            assert.is_falsy(s:sub(a - 1, a - 1):match("[%w\128-\255]"),
              "starts inside a word: " .. s:sub(a - 5, b))
            if not s:sub(b, b):match("%.") then
              assert.is_falsy(s:sub(b + 1, b + 1):match("[%w\128-\255]"),
                "ends inside a word: " .. s:sub(a, b + 5))
            end
            local iso, prec = date.parse(s:sub(a, b), pub)
            if iso then
              resolved = resolved + 1
              local y, m, d = iso:match("^(%d%d%d%d)%-?(%d*)%-?(%d*)$")
              assert.is_not_nil(y, iso)
              if prec == "day" or prec == "week" then
                assert.is_true(valid_by_os(tonumber(y), tonumber(m), tonumber(d)), iso)
              elseif prec == "month" then
                assert.is_true(tonumber(m) >= 1 and tonumber(m) <= 12 and d == "", iso)
              else
                assert.equal("year", prec)
              end
            end
          end
        end
        fh:close()
      end
      assert.is_true(n > 200, "only " .. n .. " dates found")
      assert.is_true(resolved > 0.9 * n, resolved .. " of " .. n .. " resolved")
    end)
  end)
end)
