--- dossier.recognisers.qty: quantities in folded English and Serbian/Croatian/Bosnian text.
--
-- Interface (used by `dossier.rules` for the `{qty}` slot):
--
-- * `qty.pattern` — PCRE2 source (no capturing or named groups; no flags needed) matching ONE
--   quantity expression in folded text (`dossier.text.fold`), so it can be embedded as
--   `(?<qty>` .. qty.pattern .. `)`. It starts and ends on word boundaries and never starts
--   or ends inside a word or a longer number.
-- * `qty.parse(s [, lang])` → `value, qualifier, unit`, or `nil, message` when `s` is not a
--   quantity expression. `value` is a Lua number (an integer when integral); `qualifier` is
--   `"exact"`, `"at_least"`, `"at_most"`, `"about"` or `"order_of_magnitude"` (order of magnitude:
--   "millions of" → 1000000, "tens of thousands" → 10000, "dozens of" → 12; also "several
--   hundred", "nekoliko hiljada" → the scale's value, and the bare plurals of number words that
--   cannot mean "one": "hiljadama", "miliona raketa" → 1000, 1000000); `unit` is nil or
--   one of `"barrel"`, `"tonne"`, `"USD"`, `"EUR"`, `"GBP"`, `"RSD"`, `"HRK"`, `"km"`, `"kg"`,
--   `"percent"`. `s` is folded
--   first, so "Više od 30" and "више од 30" work too.
-- * `qty.find(text [, init [, lang]])` → `start, stop, value, qualifier, unit` for the first
--   quantity at or after `init` in folded `text` (1-based inclusive byte offsets).
--
-- What a match covers: an optional qualifier ("more than", "vise od", "oko", ...), an optional
-- currency sign (`$`, `us$`, `€`, `£`, `usd`, `eur`; then also "$30m", "£5k"), the number
-- (digits with separators, number words, or digits/words with a scale word: "1,5 miliona",
-- "two million", "30 hiljada"), an optional measurement unit or currency, and a trailing " of"
-- after a unit or an order word ("500 tonnes of", "millions of"), so that a template
-- `{qty} {arms}` reads naturally. Counted things ("workers", "shells", "granata") are not
-- units: rules name them with term sets.
--
-- Years: a bare four-digit number from 1600 to 2099 ("2022", "in 2022", "do 2022") is NOT a
-- quantity unless a scale word or a unit follows ("2022 barrels", "2000 tona"); written with a
-- separator ("2,022", "2.022") it is. Numbers that are part of dates ("24. marta", "march 24",
-- "24.3.2022", "2022-03-24"), times ("10:30"), ordinals ("5th") and codes ("covid-19",
-- "mig-29") are not matched, nor is a zero ("0", "0.0": every match has a positive value).
-- Bare "sto" (folded "što", a common conjunction) counts as 100 only
-- before another number word, a scale word or a unit ("sto dvadeset", "sto hiljada").
--
-- Separators (`lang`): a separator that is not followed by exactly three final digits is a
-- decimal point in every language ("1.5", "1,25"); two or more of the same kind group
-- thousands ("1.000.000", "1,000,000"); when both kinds occur the last one is the decimal
-- point ("1,234.5", "1.234,5"). Only a single separator before three digits ("1.500",
-- "1,500") depends on `lang`: "en" reads "," as thousands and "." as the decimal point; "sr",
-- "hr", "bs" (also "sh", "cnr", with subtags like "sr-Latn") the reverse; with `lang` nil it
-- groups thousands (1500 either way: three decimals are rare in news). Spaces between
-- groups of three digits ("1 000 000") always group thousands.
--
-- @module dossier.recognisers.qty
local text = require "dossier.text"
local rex = require "dossier.regex"
local date = require "dossier.recognisers.date"

local M = {}

local MOD = "dossier.recognisers.qty: "

--- Qualifier phrases (folded), by qualifier.
M.qualifiers = {
  at_least = { "more than", "over", "at least", "upwards of", "in excess of", "no fewer than",
    "no less than", "vise od", "vise nego", "preko", "najmanje", "barem", "bar", "nesto vise od" },
  at_most = { "up to", "less than", "fewer than", "under", "at most", "no more than", "as many as",
    "do", "manje od", "manje nego", "najvise", "ispod", "nesto manje od" },
  about = { "about", "around", "nearly", "almost", "some", "approximately", "roughly", "an estimated",
    "close to", "oko", "otprilike", "gotovo", "skoro", "priblizno", "blizu", "nekih", "cirka", "okvirno" },
}

--- Number words (folded) and their values.
M.numbers = {
  one = 1, two = 2, three = 3, four = 4, five = 5, six = 6, seven = 7, eight = 8, nine = 9, ten = 10,
  eleven = 11, twelve = 12, thirteen = 13, fourteen = 14, fifteen = 15, sixteen = 16, seventeen = 17,
  eighteen = 18, nineteen = 19, twenty = 20, thirty = 30, forty = 40, fifty = 50, sixty = 60,
  seventy = 70, eighty = 80, ninety = 90,
  jedan = 1, jedna = 1, jedno = 1, dva = 2, dve = 2, dvije = 2, tri = 3, cetiri = 4, pet = 5, sest = 6,
  sedam = 7, osam = 8, devet = 9, deset = 10, jedanaest = 11, dvanaest = 12, trinaest = 13,
  cetrnaest = 14, petnaest = 15, sesnaest = 16, sedamnaest = 17, osamnaest = 18, devetnaest = 19,
  dvadeset = 20, trideset = 30, cetrdeset = 40, pedeset = 50, sezdeset = 60, sedamdeset = 70,
  osamdeset = 80, devedeset = 90,
  stotinu = 100, dvesta = 200, dvjesta = 200, dvesto = 200, dvjesto = 200, trista = 300, tristo = 300,
  cetiristo = 400, petsto = 500, sesto = 600, sedamsto = 700, osamsto = 800, devetsto = 900,
}

--- Approximate number words (value; qualifier "about" unless another qualifier is given).
M.approx = {
  desetak = 10, petnaestak = 15, dvadesetak = 20, tridesetak = 30, cetrdesetak = 40, pedesetak = 50,
  sezdesetak = 60, sedamdesetak = 70, osamdesetak = 80, devedesetak = 90, stotinak = 100,
}

--- Scale words: multiply what precedes them (or stand for one unit of themselves).
-- `lead` ones may begin a number ("hiljadu", "a million"); the others only follow one.
M.scales = {
  lead = { hundred = 100, thousand = 1000, million = 1e6, billion = 1e9, trillion = 1e12, dozen = 12,
    hiljadu = 1000, hiljada = 1000, tisucu = 1000, tisuca = 1000, milion = 1e6, milijun = 1e6,
    milijarda = 1e9, milijardu = 1e9 },
  follow = { hiljade = 1000, tisuce = 1000, miliona = 1e6, milijuna = 1e6, milijarde = 1e9,
    milijardi = 1e9, stotina = 100, stotine = 100, bn = 1e9, bln = 1e9, mln = 1e6, mn = 1e6, mil = 1e6,
    mlrd = 1e9, mld = 1e9 },
}

--- Order-of-magnitude words ("millions of", "hiljade"): value of one of them.
M.orders = {
  tens = 10, dozens = 12, scores = 20, hundreds = 100, thousands = 1000, millions = 1e6, billions = 1e9,
  desetine = 10, stotine = 100, hiljade = 1000, tisuce = 1000, milioni = 1e6, milijuni = 1e6,
  milione = 1e6, milijune = 1e6, milijarde = 1e9, -- nominative and accusative plurals
  -- dative, instrumental and locative plurals ("sa hiljadama radnika")
  desetinama = 10, stotinama = 100, hiljadama = 1000, tisucama = 1000, milionima = 1e6, milijunima = 1e6,
  milijardama = 1e9,
  -- genitive plurals: second words ("tens of thousands", "desetine hiljada"), after a word of
  -- several ("nekoliko stotina"), and alone ("miliona raketa": never "one million")
  hiljada = 1000, tisuca = 1000, miliona = 1e6, milijuna = 1e6, milijardi = 1e9, desetina = 10,
  stotina = 100,
}

--- Words of "several" before a scale word: "several hundred", "a few thousand", "nekoliko
-- hiljada", "vise stotina", "par miliona" are orders of magnitude (the scale's value).
M.several = { several = true, few = true, couple = true, nekoliko = true, vise = true, par = true }

--- Measurement units (folded form → canonical unit). Currency signs are handled separately.
M.units = {
  barrels = "barrel", barrel = "barrel", bbl = "barrel", barela = "barrel", barel = "barrel",
  bareli = "barrel", barele = "barrel",
  tonnes = "tonne", tonne = "tonne", tons = "tonne", ton = "tonne", ["metric tons"] = "tonne",
  ["metric tonnes"] = "tonne", tona = "tonne", tone = "tonne", tonu = "tonne",
  dollars = "USD", dollar = "USD", usd = "USD", dolara = "USD", dolar = "USD", dolari = "USD",
  euros = "EUR", euro = "EUR", eur = "EUR", evra = "EUR", eura = "EUR", evro = "EUR", evri = "EUR",
  eure = "EUR", ["\u{20AC}"] = "EUR", gbp = "GBP", ["pounds sterling"] = "GBP",
  dinara = "RSD", dinar = "RSD", dinari = "RSD", rsd = "RSD", kuna = "HRK", kune = "HRK", hrk = "HRK",
  km = "km", kilometers = "km", kilometres = "km", kilometer = "km", kilometre = "km",
  kilometara = "km", kilometra = "km", kilometar = "km",
  kg = "kg", kilograms = "kg", kilogram = "kg", kilograma = "kg",
  ["%"] = "percent", percent = "percent", ["per cent"] = "percent", posto = "percent",
  odsto = "percent", procenata = "percent", procenta = "percent", postotaka = "percent",
}

local currency_prefix = { ["us$"] = "USD", ["$"] = "USD", ["\u{20AC}"] = "EUR", ["\u{A3}"] = "GBP",
  usd = "USD", eur = "EUR" }

-- Pattern construction --------------------------------------------------------------------

local function keys(...)
  local t = {}
  for _, tab in ipairs { ... } do for k in pairs(tab) do t[#t + 1] = k end end
  return t
end
local alt = date._alt -- a literal alternation factored into a trie

local B0 = "(?<![\\w\\x80-\\xff])"
local B1 = "(?![\\w\\x80-\\xff])"

local all_quals = {}
for _, list in pairs(M.qualifiers) do for _, q in ipairs(list) do all_quals[#all_quals + 1] = q end end

local UNIT_WORD = alt(keys(M.units)) -- "%" and "€" need no word end, words do: B1 after all is
local UNIT = "(?:" .. UNIT_WORD .. "(?<=[%\\x80-\\xff])|" .. UNIT_WORD .. B1 .. ")"
local SCALE = alt(keys(M.scales.lead, M.scales.follow)) .. B1
local SMALL = alt(keys(M.numbers, M.approx)) .. B1
local STO = "sto(?=[ -](?:" .. SMALL .. "|" .. SCALE .. "|" .. UNIT .. "))"
local WORD = "(?:" .. SMALL .. "|" .. SCALE .. "|" .. STO .. ")"
local LEAD = "(?:" .. SMALL .. "|(?:an? )?" .. alt(keys(M.scales.lead)) .. B1 .. "|" .. STO .. ")"
local WORDS = LEAD .. "(?:(?:[ -]|(?<=hundred) and )" .. WORD .. ")*"

-- Months around a day number make it a date, not a quantity.
local month_forms = {}
for _, forms in ipairs(date.months) do
  for _, f in ipairs(forms) do month_forms[#month_forms + 1] = f end
end
local behind = {}
for _, m in ipairs(date.months_en) do
  behind[#behind + 1] = "(?<!" .. m .. " )(?<!" .. m .. "\\. )"
end
local NOT_DATE = "(?!\\.? ?(?:of )?" .. alt(month_forms) .. B1 .. ")"

local YEARLIKE = "(?:1[6-9][0-9][0-9]|20[0-9][0-9])(?![0-9]|[.,][0-9])"
local NOT_ZERO = "(?!0+(?:[.,]0+)?(?![0-9]|[.,][0-9]))"
local NOT_YEAR = "(?!" .. YEARLIKE .. "(?! ?(?:" .. SCALE .. "|" .. UNIT .. ")))"
-- (the cheap digit test first: the other assertions then run at digits only)
local DIGITS = "(?=[0-9])" .. NOT_ZERO .. NOT_YEAR .. table.concat(behind) ..
  "(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?|[0-9]{1,3}(?:\\.[0-9]{3})+(?:,[0-9]+)?" ..
  "|[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?|[0-9]+(?:[.,][0-9]+)?)" ..
  "(?![0-9]|[.,:/-][0-9])" .. NOT_DATE
local CURRENCY = "(?:(?:us)?\\$ ?|\u{20AC} ?|\u{A3} ?|(?:usd|eur) )"
-- "$30m", "£5k": m and k are scales only right after a currency amount (else metres, ...)
local NUMBER = "(?:" .. CURRENCY .. DIGITS .. "[mk]" .. B1 .. "|" .. CURRENCY .. "?" .. DIGITS ..
  "(?: ?" .. SCALE .. ")?|" .. WORDS .. ")" ..
  "(?: ?" .. UNIT .. "(?: of" .. B1 .. ")?)?"
local BIG = alt { "thousand", "million", "billion" }
local ORDER_EN = "(?:" .. alt { "tens", "dozens", "scores", "hundreds", "thousands", "millions", "billions" }
  .. "(?: of " .. alt { "thousands", "millions", "billions" } .. ")*(?: of" .. B1 .. ")?"
  -- "several hundred", "a few thousand", "a couple of million", "several hundred thousand"
  .. "|(?:several|(?:a )?few|a couple(?: of)?) "
  .. alt { "dozen", "hundred", "thousand", "million", "billion" } .. B1 .. "(?: " .. BIG .. B1 .. ")?)"
local GEN_PL = alt { "hiljada", "tisuca", "miliona", "milijuna", "milijardi" }
local ORDER_SX = "(?:(?:na )?" .. alt { "desetine", "stotine", "hiljade", "tisuce", "milioni", "milijuni",
  "milione", "milijune", "milijarde", "desetinama", "stotinama", "hiljadama", "tisucama", "milionima",
  "milijunima", "milijardama" } .. B1 .. "(?: " .. GEN_PL .. B1 .. ")?" ..
  -- "nekoliko hiljada", "vise stotina", "par desetina hiljada"
  "|(?:nekoliko|vise|par) (?:" .. GEN_PL .. "|desetina|stotina)" .. B1 .. "(?: " .. GEN_PL .. B1 .. ")?" ..
  -- a bare genitive plural that cannot be "one": "miliona raketa" (not after a number)
  "|(?<![0-9] )" .. alt { "miliona", "milijuna", "milijardi" } .. B1 .. ")"
local ORDER = "(?:" .. ORDER_EN .. "|" .. ORDER_SX .. ")(?: " .. UNIT .. ")?"

--- The PCRE2 source of one quantity expression (no captures; folded text; no flags).
M.pattern = B0 .. "(?<![0-9][.,:/-])(?<![\\w\\x80-\\xff]-)(?:(?:" .. alt(all_quals) .. " )?" .. NUMBER ..
  "|" .. ORDER .. ")" .. "(?:(?<=[%\\x80-\\xff])|" .. B1 .. ")"

-- Parsing -----------------------------------------------------------------------------------

local check_lang = require("dossier.vocab").check_lang

-- Digits with separators → mantissa (integer) and number of decimals.
local function read_digits(s, lang)
  s = s:gsub(" ", "")
  local dec -- the decimal separator, if any
  local has_c, has_d = s:find(",", 1, true), s:find(".", 1, true)
  if has_c and has_d then
    dec = (s:match(".*()[.,]") == s:match(".*(),")) and "," or "."
  elseif has_c or has_d then
    local sep = has_c and "," or "."
    local _, n = s:gsub("[.,]", "")
    if n > 1 then dec = nil -- "1.000.000", "1,000,000": groups in any language
    elseif not s:match("[.,]%d%d%d$") then dec = sep -- "1.5", "1,25": only a decimal point
    elseif lang == "en" then dec = sep == "." and "." or nil
    elseif lang == "sx" then dec = sep == "," and "," or nil
    end
  end
  local int, frac = s, ""
  if dec then int, frac = s:match("^(.-)%" .. dec .. "(%d+)$") end
  if not int then return nil end
  int = int:gsub("[.,]", "")
  if not int:match("^%d+$") or not frac:match("^%d*$") then return nil end
  return int .. frac, #frac
end

local function as_number(digits, k, mult)
  -- exact integer arithmetic while it fits, else floats
  local m = math.tointeger(tonumber(digits))
  mult = math.tointeger(mult) or mult
  if m and math.type(mult) == "integer" and #digits <= 15 and mult <= 1e12 then
    local v, p = m * mult, 10 ^ k // 1
    p = math.tointeger(p)
    if v % p == 0 then return v // p end
    return v / p
  end
  local v = tonumber(digits) * mult / 10 ^ k
  return math.tointeger(v) or v
end

-- The qualifiers by first byte, each with its trailing space (strip_prefix looks only at
-- those that can match).
local quals_by_byte = {}
for _, q in ipairs(all_quals) do
  local b = q:byte(1)
  local l = quals_by_byte[b] or {}
  quals_by_byte[b] = l
  l[#l + 1] = q
  l[#l + 1] = q .. " "
end

-- The longest qualifier s starts with (followed by a space and more), stripped: rest, qualifier.
local function strip_prefix(s)
  local l = quals_by_byte[s:byte(1)]
  if not l then return s end
  local best
  for i = 1, #l, 2 do
    local p = l[i]
    if #s > #p and (not best or #p > #best) and s:find(l[i + 1], 1, true) == 1 then best = p end
  end
  if best then return s:sub(#best + 2), best end
  return s
end

local qual_of = {}
for q, list in pairs(M.qualifiers) do for _, p in ipairs(list) do qual_of[p] = q end end
local unit_list = keys(M.units)
table.sort(unit_list, function(a, b) return #a > #b end)
-- the units by last byte, longest first as in unit_list (a unit is a suffix of the text)
local units_by_byte = {}
for _, u in ipairs(unit_list) do
  local b = u:byte(-1)
  units_by_byte[b] = units_by_byte[b] or {}
  table.insert(units_by_byte[b], u)
end
local currency_first = {} -- first bytes of the currency prefixes
for cp in pairs(currency_prefix) do currency_first[cp:byte(1)] = true end
local lang_groups = {} -- lang → check_lang(lang)
local EMPTY = {}

local function words_value(tokens)
  local total, current, approx = 0, 0, false
  for _, w in ipairs(tokens) do
    local n = M.numbers[w] or M.approx[w]
    if M.approx[w] then approx = true end
    if w == "sto" then n = 100 end
    if n then
      current = current + n
    elseif w == "hundred" or w == "stotina" or w == "stotine" or w == "dozen" then
      current = (current == 0 and 1 or current) * (w == "dozen" and 12 or 100)
    else
      local sc = M.scales.lead[w] or M.scales.follow[w]
      if not sc then return nil end
      total = total + (current == 0 and 1 or current) * sc
      current = 0
    end
  end
  return total + current, approx
end

local full_re

--- The interval a stated quantity and its qualifier stand for (one owner: dossier.sanctions
-- and dossier.claims compare quantities with it): "at least q" is [q, inf), "at most q" [0, q],
-- "about q" [0.8 q, 1.25 q], an order of magnitude ("millions of") [q, 10 q], else [q, q].
-- @tparam number q the quantity
-- @tparam[opt] string qualifier as `parse` gives it
-- @treturn number low
-- @treturn number high
function M.interval(q, qualifier)
  if qualifier == "at_least" then return q, math.huge end
  if qualifier == "at_most" then return 0, q end
  if qualifier == "about" then return q * 0.8, q * 1.25 end
  if qualifier == "order_of_magnitude" then return q, q * 10 end
  return q, q
end

local QUAL_TEXT = { at_least = "at least ", at_most = "at most ", about = "about ",
  order_of_magnitude = "order of " }

--- A stated quantity and its qualifier as a reader sees them in a table: `"at least 30"`,
-- `"about 1.5"`, `"order of 1000000"`, `"30"` (one owner: dossier.sanctions and
-- dossier.claims show quantities with it).
-- @tparam number q the quantity
-- @tparam[opt] string qualifier as `parse` gives it
-- @treturn string
function M.text(q, qualifier)
  local n = q == math.floor(q) and string.format("%d", math.floor(q)) or tostring(q)
  return (QUAL_TEXT[qualifier or ""] or "") .. n
end

--- Parse a quantity expression.
-- @tparam string s a quantity expression (as matched by `qty.pattern`; folded here)
-- @tparam[opt] string lang "en", "sr", "hr", "bs" (or nil: see the module notes on separators)
-- @treturn number|nil the value (an integer when integral); nil, message if `s` is not a quantity
-- @treturn string qualifier: "exact", "at_least", "at_most", "about" or "order_of_magnitude"
-- @treturn string|nil unit: "barrel", "tonne", "USD", "EUR", "GBP", "RSD", "HRK", "km", "kg",
-- "percent" or nil
function M.parse(s, lang)
  if type(s) ~= "string" then error(MOD .. "expected a string, got " .. type(s), 2) end
  local g
  if lang ~= nil then
    g = lang_groups[lang]
    if not g then
      g = check_lang(lang, MOD, 2)
      lang_groups[lang] = g
    end
  end
  s = text.fold(s):match("^%s*(.-)%s*$")
  full_re = full_re or rex.new("^(?:" .. M.pattern .. ")$")
  if not full_re:find(s) then return nil, "not a quantity" end
  local qual, unit, p
  s, p = strip_prefix(s)
  qual = p and qual_of[p]
  if currency_first[s:byte(1)] then
    for cp, u in pairs(currency_prefix) do
      if s:sub(1, #cp) == cp and s:sub(#cp + 1):match("^ ?%d") then
        unit = u; s = s:sub(#cp + 1):gsub("^ ", ""); break
      end
    end
  end
  if s:find(" of", -3, true) then s = s:sub(1, -4) end
  for _, u in ipairs(units_by_byte[s:byte(-1)] or EMPTY) do
    if #s > #u and s:find(u, #s - #u + 1, true) and s:sub(-#u - 1, -#u - 1):match("[%d %a]") then
      local rest = s:sub(1, -#u - 1):gsub(" $", "")
      if rest:match("[%w]$") then unit = M.units[u]; s = rest; break end
    end
  end
  if s:sub(1, 3) == "na " then s = s:sub(4) end
  local tokens = {}
  for w in s:gmatch("[^ %-]+") do
    if w ~= "and" and w ~= "a" and w ~= "an" then tokens[#tokens + 1] = w end
  end
  if #tokens == 0 then return nil, "not a quantity" end
  local value, approx
  if M.several[tokens[1]] or M.orders[tokens[1]] and tokens[1] ~= "hiljada" and tokens[1] ~= "tisuca" then
    value = 1
    for _, w in ipairs(tokens) do
      if w ~= "of" and not M.several[w] then
        value = value * (M.orders[w] or M.scales.lead[w] or M.scales.follow[w])
      end
    end
    return math.tointeger(value) or value, "order_of_magnitude", unit
  end
  if tokens[1]:match("^%d") then
    local num = s:match("^[%d., ]*%d")
    local rest = s:sub(#num + 1)
    local digits, k = read_digits(num, g)
    if not digits then return nil, "not a quantity" end
    local mult = 1
    for w in rest:gmatch("%a+") do
      local sc = M.scales.lead[w] or M.scales.follow[w] or (unit and ({ m = 1e6, k = 1e3 })[w])
      mult = mult * (sc or 1)
    end
    value = as_number(digits, k, mult)
  else
    value, approx = words_value(tokens)
    if not value then return nil, "not a quantity" end
    value = math.tointeger(value) or value
  end
  return value, qual or (approx and "about") or "exact", unit
end

local find_re

--- Find the first quantity in folded text.
-- @tparam string s folded text
-- @tparam[opt] integer init where to start (1-based, negative from the end)
-- @tparam[opt] string lang separator convention (see `parse`)
-- @treturn integer|nil start (nil when there is none)
-- @treturn integer stop (inclusive)
-- @treturn number value
-- @treturn string qualifier
-- @treturn string|nil unit
function M.find(s, init, lang)
  if type(s) ~= "string" then error(MOD .. "expected a string, got " .. type(s), 2) end
  if init ~= nil and math.type(init) ~= "integer" then
    error(MOD .. "init must be an integer, got " .. type(init), 2)
  end
  check_lang(lang, MOD, 2)
  find_re = find_re or rex.new(M.pattern)
  local a, b = find_re:find(s, init)
  while a do
    local v, q, u = M.parse(s:sub(a, b), lang)
    if v then return a, b, v, q, u end
    a, b = find_re:find(s, b + 1)
  end
  return nil
end

return M
