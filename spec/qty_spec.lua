-- luacheck: std +busted
-- Specs for dossier.recognisers.qty. Oracle: a hand-checked table of our own phrases in
-- English, Serbian (Latin and Cyrillic) and Croatian, each folded with dossier.text.fold
-- before matching; and sanity invariants over real news read at test time from
-- ../shared/data/news (skipped when absent).
local qty = require "dossier.recognisers.qty"
local text = require "dossier.text"
local rex = require "dossier.regex"

local DATA = os.getenv("DOSSIER_DATA") or "../shared/data"

-- JSONL documents: the "text" and "lang" fields (our own minimal string decoder).
local function decode(s)
  return (s:gsub("\\u(%x%x%x%x)", function(h)
    local cp = tonumber(h, 16)
    if cp >= 0xD800 and cp <= 0xDFFF then return "?" end
    return utf8.char(cp)
  end):gsub("\\(.)", { n = "\n", t = "\t", r = "\r", b = "", f = "", ['"'] = '"', ["\\"] = "\\",
    ["/"] = "/" }))
end
local function read_docs(file, n)
  local f = io.open(DATA .. "/news/" .. file)
  if not f then return nil end
  local docs = {}
  for line in f:lines() do
    local t = line:match('"text": "(.-[^\\])"') or line:match('"text": "(.-)"')
    if t then docs[#docs + 1] = { text = decode(t), lang = line:match('"lang": "(%a+)"') } end
    if #docs >= n then break end
  end
  f:close()
  return docs
end

-- { input (unfolded), expected matched text (folded) or false, value, qualifier, unit [, lang] }
local CASES = {
  -- English
  { "They sent more than 30 tanks.", "more than 30", 30, "at_least" },
  { "Over 1,000,000 rounds were shipped.", "over 1,000,000", 1000000, "at_least" },
  { "at least 12 launchers", "at least 12", 12, "at_least" },
  { "up to 40 drones", "up to 40", 40, "at_most" },
  { "less than 2.5 million", "less than 2.5 million", 2500000, "at_most" },
  { "about 300 advisers", "about 300", 300, "about" },
  { "nearly 5,000 workers", "nearly 5,000", 5000, "about" },
  { "some 70 vessels", "some 70", 70, "about" },
  { "millions of rounds", "millions of", 1000000, "order_of_magnitude" },
  { "thousands of soldiers", "thousands of", 1000, "order_of_magnitude" },
  { "hundreds of shells", "hundreds of", 100, "order_of_magnitude" },
  { "tens of thousands of rifles", "tens of thousands of", 10000, "order_of_magnitude" },
  { "dozens of trucks", "dozens of", 12, "order_of_magnitude" },
  { "500,000 barrels of crude", "500,000 barrels of", 500000, "exact", "barrel" },
  { "a cargo of 12,000 tonnes", "12,000 tonnes", 12000, "exact", "tonne" },
  { "a deal worth $1.5bn", "$1.5bn", 1500000000, "exact", "USD" },
  { "paid 30 million dollars", "30 million dollars", 30000000, "exact", "USD" },
  { "rose by 4.5%", "4.5%", 4.5, "exact", "percent" },
  { "two hundred and fifty thousand", "two hundred and fifty thousand", 250000, "exact" },
  { "twenty-five missiles", "twenty-five", 25, "exact" },
  { "a dozen engineers", "a dozen", 12, "exact" },
  { "three million people", "three million", 3000000, "exact" },
  { "1 000 000 litres", "1 000 000", 1000000, "exact" },
  { "1.500 units", "1.500", 1.5, "exact", nil, "en" },
  { "1,500 units", "1,500", 1500, "exact", nil, "en" },
  { "1,234.5 km of road", "1,234.5 km of", 1234.5, "exact", "km" },
  { "a range of 300km", "300km", 300, "exact", "km" },
  -- Serbian Latin and Cyrillic
  { "Više od 30 tenkova", "vise od 30", 30, "at_least" },
  { "више од 30 тенкова", "vise od 30", 30, "at_least" },
  { "hiljade granata", "hiljade", 1000, "order_of_magnitude" },
  { "kupila je milione granata", "milione", 1000000, "order_of_magnitude" },
  { "isporučila milijune metaka", "milijune", 1000000, "order_of_magnitude" },
  { "хиљаде граната", "hiljade", 1000, "order_of_magnitude" },
  { "1.000.000 metaka", "1.000.000", 1000000, "exact" },
  { "1,5 miliona evra", "1,5 miliona evra", 1500000, "exact", "EUR", "sr" },
  { "oko 1,5 miliona evra", "oko 1,5 miliona evra", 1500000, "about", "EUR" },
  { "1.500 vojnika", "1.500", 1500, "exact", nil, "sr" },
  { "preko 200 vozila", "preko 200", 200, "at_least" },
  { "najmanje 12 granata", "najmanje 12", 12, "at_least" },
  { "barem 3 aviona", "barem 3", 3, "at_least" },
  { "do 40 dronova", "do 40", 40, "at_most" },
  { "manje od 10 tenkova", "manje od 10", 10, "at_most" },
  { "najviše 5 brodova", "najvise 5", 5, "at_most" },
  { "otprilike 70 ljudi", "otprilike 70", 70, "about" },
  { "gotovo 100 kamiona", "gotovo 100", 100, "about" },
  { "skoro dve hiljade", "skoro dve hiljade", 2000, "about" },
  { "približno 15 tona", "priblizno 15 tona", 15, "about", "tonne" },
  { "milioni dolara", "milioni dolara", 1000000, "order_of_magnitude", "USD" },
  { "desetine hiljada ljudi", "desetine hiljada", 10000, "order_of_magnitude" },
  { "stotine vojnika", "stotine", 100, "order_of_magnitude" },
  { "na stotine vojnika", "na stotine", 100, "order_of_magnitude" },
  { "desetak oklopnih vozila", "desetak", 10, "about" },
  { "dvadeset pet aviona", "dvadeset pet", 25, "exact" },
  { "sto dvadeset tenkova", "sto dvadeset", 120, "exact" },
  { "dve hiljade pet stotina", "dve hiljade pet stotina", 2500, "exact" },
  { "tri miliona barela nafte", "tri miliona barela", 3000000, "exact", "barrel" },
  { "hiljadu dolara", "hiljadu dolara", 1000, "exact", "USD" },
  { "milijardu evra", "milijardu evra", 1000000000, "exact", "EUR" },
  { "30 posto", "30 posto", 30, "exact", "percent" },
  -- Croatian
  { "više od 20 tisuća", "vise od 20 tisuca", 20000, "at_least" },
  { "tisuće granata", "tisuce", 1000, "order_of_magnitude" },
  { "dvije tisuće vojnika", "dvije tisuce", 2000, "exact" },
  { "2,5 milijuna eura", "2,5 milijuna eura", 2500000, "exact", "EUR", "hr" },
  { "milijarda kuna", "milijarda kuna", 1000000000, "exact", "HRK" },
  { "200 miliona dinara", "200 miliona dinara", 200000000, "exact", "RSD" },
  { "it paid $1m to", "$1m", 1000000, "exact", "USD" },
  { "a £522,000 bonus", "\u{A3}522,000", 522000, "exact", "GBP" },
  { "£5k", "\u{A3}5k", 5000, "exact", "GBP" },
  { "a 30m wall", false }, -- a number glued to letters other than a unit is not matched
  { "četiri tenka", "cetiri", 4, "exact" },
  -- bare plurals of number words and "several" before a scale word (issue 14): orders of magnitude
  { "Rusija je kupila miliona raketa.", "miliona", 1000000, "order_of_magnitude" },
  { "kupila je nekoliko miliona granata", "nekoliko miliona", 1000000, "order_of_magnitude" },
  { "poslala je nekoliko hiljada radnika", "nekoliko hiljada", 1000, "order_of_magnitude" },
  { "više stotina dronova", "vise stotina", 100, "order_of_magnitude" },
  { "par stotina vojnika", "par stotina", 100, "order_of_magnitude" },
  { "nekoliko desetina hiljada ljudi", "nekoliko desetina hiljada", 10000, "order_of_magnitude" },
  { "sa hiljadama radnika", "hiljadama", 1000, "order_of_magnitude" },
  { "са хиљадама радника", "hiljadama", 1000, "order_of_magnitude" },
  { "stotinama dronova", "stotinama", 100, "order_of_magnitude" },
  { "desetinama hiljada izbeglica", "desetinama hiljada", 10000, "order_of_magnitude" },
  { "s tisućama vojnika", "tisucama", 1000, "order_of_magnitude" },
  { "milijardi dolara", "milijardi dolara", 1000000000, "order_of_magnitude", "USD" },
  { "several hundred shells", "several hundred", 100, "order_of_magnitude" },
  { "a few thousand workers", "a few thousand", 1000, "order_of_magnitude" },
  { "several hundred thousand rounds", "several hundred thousand", 100000, "order_of_magnitude" },
  { "scores of drones", "scores of", 20, "order_of_magnitude" },
  -- already read, kept: the genitive after a number is a scale; plural orders
  { "200 miliona raketa", "200 miliona", 200000000, "exact" },
  { "stotine dronova", "stotine", 100, "order_of_magnitude" },
  { "desetine tenkova", "desetine", 10, "order_of_magnitude" },
  { "hundreds of thousands of shells", "hundreds of thousands of", 100000, "order_of_magnitude" },
  -- not quantities
  { "nekoliko vojnika", false },
  { "several drones", false },
  { "par dana kasnije", false },
  { "in 2022 the army", false },
  { "do 2022. godine", false },
  { "24. marta 2022.", false },
  { "on March 24, 2022", false },
  { "24.3.2022.", false },
  { "2022-03-24", false },
  { "at 10:30", false },
  { "the 5th battalion", false },
  { "covid-19 cases", false },
  { "tensions rose", false },
  { "što je rekao", false },
  { "the 1990s", false },
  { "Mig29 jets", false },
}

describe("dossier.recognisers.qty", function()
  it("gives the interval a quantity and its qualifier stand for", function()
    assert.same({ 30, math.huge }, { qty.interval(30, "at_least") })
    assert.same({ 0, 30 }, { qty.interval(30, "at_most") })
    assert.same({ 24, 37.5 }, { qty.interval(30, "about") })
    assert.same({ 100, 1000 }, { qty.interval(100, "order_of_magnitude") })
    assert.same({ 30, 30 }, { qty.interval(30) })
    assert.same({ "at least 30", "about 1.5", "order of 1000000", "30", "at most 2" },
      { qty.text(30, "at_least"), qty.text(1.5, "about"), qty.text(1e6, "order_of_magnitude"),
        qty.text(30, "exact"), qty.text(2.0, "at_most") })
  end)

  it("exposes a pattern without capturing groups that embeds as a named group", function()
    local r = rex.new(qty.pattern)
    assert.equal(0, r:patterninfo().CAPTURECOUNT)
    local r2 = rex.new("x (?<qty>" .. qty.pattern .. ") y")
    local _, _, t = r2:tfind("x vise od 30 y")
    assert.equal("vise od 30", t.qty)
  end)

  for i, c in ipairs(CASES) do
    local input, want, value, qual, unit, lang = c[1], c[2], c[3], c[4], c[5], c[6]
    it(("case %d: %q"):format(i, input), function()
      local f = text.fold(input)
      local a, b, v, q, u = qty.find(f, 1, lang)
      if want == false then
        assert.is_nil(a, a and ("unexpected match " .. f:sub(a, b)))
      else
        assert.is_not_nil(a, "no match in " .. f)
        assert.equal(want, f:sub(a, b))
        assert.equal(value, v)
        assert.equal(math.type(value), math.type(v))
        assert.equal(qual, q)
        assert.equal(unit, u)
        -- parse agrees, on the folded and on the original span
        assert.same({ value, qual, unit }, { qty.parse(want, lang) })
      end
    end)
  end

  it("reads separators by language, and without one by the three-digit rule", function()
    assert.equal(1.5, (qty.parse("1.500", "en")))
    assert.equal(1500, (qty.parse("1.500", "sr")))
    assert.equal(1500, (qty.parse("1.500")))
    assert.equal(1.5, (qty.parse("1,500", "hr")))
    assert.equal(1500, (qty.parse("1,500", "en")))
    assert.equal(1500, (qty.parse("1,500")))
    assert.equal(1.25, (qty.parse("1,25")))
    assert.equal(1.25, (qty.parse("1.25")))
    assert.equal(1234.5, (qty.parse("1,234.5")))
    assert.equal(1234.5, (qty.parse("1.234,5")))
    assert.equal(1234567, (qty.parse("1.234.567", "en")))
    assert.equal(1500000, (qty.parse("1.5 million", "sr-Latn")))
  end)

  it("returns integers when integral and exact decimals otherwise", function()
    assert.equal("integer", math.type((qty.parse("1.1 million"))))
    assert.equal(1100000, (qty.parse("1.1 million")))
    assert.equal(0.25, (qty.parse("0.25")))
    assert.equal(1e12, (qty.parse("one trillion")))
  end)

  it("counts a year as a quantity only with a unit or a scale", function()
    assert.is_nil(qty.find("in 2022 they"))
    assert.equal(2022, select(3, qty.find("2022 barrels")))
    assert.equal(2000, select(3, qty.find("oko 2000 tona")))
    assert.equal(2022, select(3, qty.find("2,022 rounds")))
  end)

  it("never matches inside words or numbers", function()
    assert.is_nil(qty.find("abc30 x30y tenants oneself"))
    assert.is_nil(qty.find("12a"))
    assert.is_nil(qty.find("score 0, 0.0 and 000"))
    assert.equal(0.5, select(3, qty.find("0 or 0.5")))
    assert.equal(5, (qty.find("ab. 30 ljudi")))
  end)

  it("finds successive quantities with init", function()
    local s = "od 30 do 50 tenkova i 7 aviona"
    local a, b, v = qty.find(s)
    assert.same({ 4, 5, 30 }, { a, b, v }) -- "od" (from) is not a qualifier
    a, b, v = qty.find(s, b + 1)
    assert.same({ 7, 11, 50 }, { a, b, v })
    a, b, v = qty.find(s, b + 1)
    assert.same({ 23, 23, 7 }, { a, b, v })
    assert.is_nil(qty.find(s, 24))
  end)

  it("returns nil and a message for strings that are not quantities", function()
    assert.same({ nil, "not a quantity" }, { qty.parse("thirty-ish") })
    assert.same({ nil, "not a quantity" }, { qty.parse("") })
    assert.same({ nil, "not a quantity" }, { qty.parse("2022") })
  end)

  it("raises on bad arguments, naming the module", function()
    assert.has_error(function() qty.parse(30) end, "dossier.recognisers.qty: expected a string, got number")
    assert.has_error(function() qty.parse("30", "fr") end,
      "dossier.recognisers.qty: unsupported language 'fr'")
    assert.has_error(function() qty.parse("30", 1) end,
      "dossier.recognisers.qty: lang must be a string or nil, got number")
    assert.has_error(function() qty.find(nil) end, "dossier.recognisers.qty: expected a string, got nil")
    assert.has_error(function() qty.find("30", 1.5) end,
      "dossier.recognisers.qty: init must be an integer, got number")
  end)

  describe("on real news", function()
    local files = { "bbc_news_2004-2005.jsonl", "reuters21578.jsonl", "alo_articles_sr_latn.jsonl",
      "hr_setimes_ud_dev_test.jsonl", "sr_cyrl_translit_setimes_ud_dev_test.jsonl" }
    it("matches on word boundaries and parses every match to a finite positive number", function()
      local docs = read_docs(files[1], 1)
      if not docs then
        pending("skipped: " .. DATA .. "/news not found")
        return
      end
      local r = rex.new(qty.pattern)
      local n = 0
      for _, file in ipairs(files) do
        for _, d in ipairs(read_docs(file, 80) or {}) do
          local f = text.fold(d.text)
          for a, b in (function()
            local init = 1
            return function()
              local x, y = r:find(f, init)
              if x then init = y + 1 end
              return x, y
            end
          end)() do
            n = n + 1
            local before, after = f:sub(a - 1, a - 1), f:sub(b + 1, b + 1)
            assert.is_falsy(before:match("[%w\128-\255]"), "starts inside a word: " .. f:sub(a - 5, b))
            if not f:sub(b, b):match("[%%\128-\255]") then
              assert.is_falsy(after:match("[%w\128-\255]"), "ends inside a word: " .. f:sub(a, b + 5))
            end
            local v, q = qty.parse(f:sub(a, b), d.lang)
            assert.is_number(v, f:sub(a, b))
            assert.is_true(v > 0 and v < math.huge and v == v, f:sub(a, b))
            assert.is_string(q)
          end
        end
      end
      assert.is_true(n > 300, "only " .. n .. " quantities found")
    end)
  end)
end)
