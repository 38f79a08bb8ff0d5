--- dossier.recognisers.date: dates in folded English and Serbian/Croatian/Bosnian text.
--
-- Interface (used by `dossier.rules` for the `{date}` slot):
--
-- * `date.pattern` — PCRE2 source (no capturing groups, no named groups, no flags needed)
--   matching ONE date expression in folded text (`dossier.text.fold`: lower case, no
--   diacritics, Latin script), so it can be embedded as `(?<date>` .. date.pattern .. `)`.
--   It starts and ends on word boundaries (never inside a word or a longer number).
-- * `date.parse(s [, published])` → `iso, precision, relative`, or `nil, message`.
--   `iso` is `"2022-03-24"`, `"2022-03"` or `"2022"`; `precision` is `"day"`, `"week"`
--   (iso = that week's Monday), `"month"` or `"year"`; `relative` is true when the expression
--   needed `published` (an ISO date `"YYYY-MM-DD"`, a longer timestamp is cut to its date).
--   Relative expressions without `published`, invalid calendar dates (31 February) and
--   strings that are not a date expression give `nil, message`. `s` is folded first.
-- * `date.find(text [, init [, published]])` → `start, stop, iso, precision, relative`
--   for the first date at or after `init` (1-based byte offsets into `text`, which should be
--   folded). A match that does not resolve (relative without `published`, invalid date) is
--   still returned with `iso` nil, so callers see the span.
--
-- Recognised (folded text): ISO `2022-03-24`; `24.3.2022` / `24. 3. 2022.`; `24 march 2022`,
-- `24th of march`, `24. marta 2022`, `march 24, 2022`, `jan. 5`; `march 2022`, `marta 2022`;
-- a preposition + month (`in may`, `u maju`, `pocetkom septembra`, `by the end of june`);
-- a preposition + year (`in 2006`, `krajem 2022`, `2022. godine`); relative words
-- (`yesterday`, `juce`, `last week`, `prosle nedelje`, `prosli tjedan`, `this year`, ...);
-- weekdays (`wednesday`, `on wednesday`, `last friday`, `u sredu`, `proslog petka`).
-- A bare English month is never a date on its own ("may" is a verb); a bare Serbian weekday
-- needs a preposition ("petak" alone is not matched).
--
-- Resolution against `published` (P):
--
-- * a month without a year: the most recent such month not after P (P's own month counts);
-- * a day and month without a year: the most recent such day not after P (P counts);
-- * a weekday: plain/`on`/`u`: the most recent such day not after P (P itself counts);
--   `last`/`prosl*`/`protekl*`: strictly before P (1–7 days back); `next`/`sledec*`/`iduc*`:
--   strictly after P; `this`/`ove`/`ovog`: that day in P's ISO week (Monday first);
-- * `last week` / `prosle nedelje` → precision `week`, iso = Monday of the ISO week before P's;
--   `this week` → Monday of P's week; `next week` → the Monday after;
-- * `yesterday`/`juce`/`jucer` P − 1 day, `today`/`danas` P, `tomorrow`/`sutra` P + 1,
--   `prekjuce` P − 2; `last/this/next month|year` likewise at month/year precision.
--
-- Ijekavian `prosle nedjelje` means "last Sunday" in Croatian and "last week" in Bosnian and
-- Montenegrin; it is read as last week (whose ISO week contains that Sunday).
--
-- @module dossier.recognisers.date
local text = require "dossier.text"
local rex = require "dossier.regex"
local calendar = require "dossier.calendar"

local M = {}

local MOD = "dossier.recognisers.date: "

--- Month names by month number, in folded form: English names and abbreviations, Serbian
-- and Bosnian (ekavian/ijekavian) and Croatian names with their case forms.
M.months = {
  { "january", "jan", "januar", "januara", "januaru", "januarom", "januari", "sijecanj", "sijecnja",
    "sijecnju", "sijecnjem" },
  { "february", "feb", "februar", "februara", "februaru", "februarom", "februari", "veljaca", "veljace",
    "veljaci", "veljacu", "veljacom" },
  { "march", "mar", "mart", "marta", "martu", "martom", "ozujak", "ozujka", "ozujku", "ozujkom" },
  { "april", "apr", "aprila", "aprilu", "aprilom", "travanj", "travnja", "travnju", "travnjem" },
  { "may", "maj", "maja", "maju", "majem", "majom", "svibanj", "svibnja", "svibnju", "svibnjem" },
  { "june", "jun", "juna", "junu", "junom", "juni", "lipanj", "lipnja", "lipnju", "lipnjem" },
  { "july", "jul", "jula", "julu", "julom", "juli", "srpanj", "srpnja", "srpnju", "srpnjem" },
  { "august", "aug", "avg", "avgust", "avgusta", "avgustu", "avgustom", "augusta", "augustu", "augustom",
    "kolovoz", "kolovoza", "kolovozu", "kolovozom" },
  { "september", "sep", "sept", "septembar", "septembra", "septembru", "septembrom", "rujan", "rujna",
    "rujnu", "rujnom" },
  { "october", "oct", "okt", "oktobar", "oktobra", "oktobru", "oktobrom", "listopad", "listopada",
    "listopadu", "listopadom" },
  { "november", "nov", "novembar", "novembra", "novembru", "novembrom", "studeni", "studenoga",
    "studenog", "studenom", "studenome" },
  { "december", "dec", "decembar", "decembra", "decembru", "decembrom", "prosinac", "prosinca",
    "prosincu", "prosincem" },
}

--- English month names and abbreviations (the forms that may precede a day: "march 24").
M.months_en = {
  "january", "jan", "february", "feb", "march", "mar", "april", "apr", "may", "june", "jun", "july",
  "jul", "august", "aug", "september", "sep", "sept", "october", "oct", "november", "nov", "december",
  "dec",
}

--- Weekday names by ISO number (1 = Monday), folded; `en` alone may stand without a preposition.
M.weekdays = {
  en = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" },
  sx = {
    { "ponedeljak", "ponedeljka", "ponedeljku", "ponedjeljak", "ponedjeljka", "ponedjeljku" },
    { "utorak", "utorka", "utorku" },
    { "sreda", "sredu", "srede", "sredi", "srijeda", "srijedu", "srijede", "srijedi" },
    { "cetvrtak", "cetvrtka", "cetvrtku" },
    { "petak", "petka", "petku" },
    { "subota", "subotu", "subote", "suboti" },
    { "nedelja", "nedelju", "nedelje", "nedelji", "nedjelja", "nedjelju", "nedjelje", "nedjelji" },
  },
}

--- Words before a weekday and how they resolve: "recent" (not after P), "last" (before P),
-- "next" (after P), "this" (in P's week).
M.weekday_prefixes = {
  on = "recent", since = "recent", ["until"] = "recent", by = "recent", last = "last", next = "next",
  this = "this", u = "recent", od = "recent", ["do"] = "recent", prosle = "last", proslog = "last",
  proslu = "last", prosli = "last", protekle = "last", proteklog = "last", ove = "this", ovog = "this",
  ovu = "this", ovaj = "this", sledece = "next", sledeceg = "next", sljedece = "next", sljedeceg = "next",
  iduce = "next", iduceg = "next", sledecu = "next", sljedecu = "next", iducu = "next",
}

--- Relative expressions: phrase → { unit, offset } (unit "day", "week", "month", "year").
M.relative = {
  ["yesterday"] = { "day", -1 }, ["today"] = { "day", 0 }, ["tomorrow"] = { "day", 1 },
  ["the day before yesterday"] = { "day", -2 },
  ["juce"] = { "day", -1 }, ["jucer"] = { "day", -1 }, ["danas"] = { "day", 0 }, ["sutra"] = { "day", 1 },
  ["prekjuce"] = { "day", -2 }, ["prekjucer"] = { "day", -2 },
  ["last week"] = { "week", -1 }, ["this week"] = { "week", 0 }, ["next week"] = { "week", 1 },
  ["earlier this week"] = { "week", 0 }, ["later this week"] = { "week", 0 },
  ["last month"] = { "month", -1 }, ["this month"] = { "month", 0 }, ["next month"] = { "month", 1 },
  ["earlier this month"] = { "month", 0 }, ["later this month"] = { "month", 0 },
  ["last year"] = { "year", -1 }, ["this year"] = { "year", 0 }, ["next year"] = { "year", 1 },
  ["earlier this year"] = { "year", 0 }, ["later this year"] = { "year", 0 },
}
do
  local R = M.relative
  for _, w in ipairs { "prosle", "protekle" } do
    for _, n in ipairs { "nedelje", "nedjelje", "sedmice" } do R[w .. " " .. n] = { "week", -1 } end
    R[w .. " godine"] = { "year", -1 }
  end
  for _, w in ipairs { "proslog", "proteklog" } do
    R[w .. " tjedna"] = { "week", -1 }
    R[w .. " meseca"] = { "month", -1 }; R[w .. " mjeseca"] = { "month", -1 }
  end
  R["prosli tjedan"] = { "week", -1 }; R["prosli mesec"] = { "month", -1 }
  for _, w in ipairs { "sljedeci", "sledeci", "iduci" } do
    R[w .. " tjedan"] = { "week", 1 }; R[w .. " mjesec"] = { "month", 1 }; R[w .. " mesec"] = { "month", 1 }
  end
  R["prosli mjesec"] = { "month", -1 }
  for _, n in ipairs { "nedelje", "nedjelje", "sedmice" } do
    R["ove " .. n] = { "week", 0 }
    for _, w in ipairs { "sledece", "sljedece", "iduce" } do R[w .. " " .. n] = { "week", 1 } end
  end
  R["ovog tjedna"] = { "week", 0 }; R["ovaj tjedan"] = { "week", 0 }
  R["ovog meseca"] = { "month", 0 }; R["ovog mjeseca"] = { "month", 0 }
  R["ove godine"] = { "year", 0 }
  for _, w in ipairs { "sledeceg", "sljedeceg", "iduceg" } do
    R[w .. " tjedna"] = { "week", 1 }; R[w .. " meseca"] = { "month", 1 }
    R[w .. " mjeseca"] = { "month", 1 }
  end
  for _, w in ipairs { "sledece", "sljedece", "iduce" } do R[w .. " godine"] = { "year", 1 } end
end

--- Words that may introduce a month or a year without a day (folded; a trailing space or "-"
-- is part of the prefix).
M.prefixes = {
  "in ", "during ", "since ", "until ", "till ", "by ", "from ", "early ", "late ", "mid-", "mid ",
  "in early ", "in late ", "in mid-", "in mid ", "back in ", "at the end of ", "at the beginning of ",
  "at the start of ", "by the end of ", "the end of ", "end of ", "before the end of ",
  "u ", "tokom ", "tijekom ", "od ", "do ", "krajem ", "pocetkom ", "sredinom ", "polovinom ",
  "koncem ", "potkraj ",
}

-- Pattern construction --------------------------------------------------------------------

local function esc(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}|\\/]", "\\%0")) end

-- An alternation of literal strings, factored into a trie ("more than|most" →
-- "m(?:ore than|ost)"): PCRE2 tries alternatives one by one, so shared prefixes are compared
-- once. A longer string is preferred over its prefix (the optional tail is greedy), as with
-- a longest-first alternation.
local function alt(list)
  local root = { kids = {} }
  for _, s in ipairs(list) do
    local node = root
    for i = 1, #s do
      local c = s:sub(i, i)
      local kid = node.kids[c]
      if not kid then kid = { kids = {} }; node.kids[c] = kid end
      node = kid
    end
    node.term = true
  end
  local function emit(node)
    local cs = {}
    for c in pairs(node.kids) do cs[#cs + 1] = c end
    table.sort(cs)
    local parts = {}
    for i, c in ipairs(cs) do
      -- follow single-child chains without nesting groups
      local chunk, kid = esc(c), node.kids[c]
      while not kid.term and next(kid.kids) and not next(kid.kids, next(kid.kids)) do
        local c2 = next(kid.kids)
        chunk, kid = chunk .. esc(c2), kid.kids[c2]
      end
      parts[i] = chunk .. emit(kid)
    end
    if #parts == 0 then return "" end
    local body = #parts == 1 and parts[1] or "(?:" .. table.concat(parts, "|") .. ")"
    if node.term then return "(?:" .. body .. ")?" end
    return body
  end
  return "(?:" .. emit(root) .. ")"
end
M._alt = alt

local B0 = "(?<![\\w\\x80-\\xff])"      -- start of a word
local B1 = "(?![\\w\\x80-\\xff])"       -- end of a word

local month_forms, month_of = {}, {}
for n, forms in ipairs(M.months) do
  for _, f in ipairs(forms) do month_forms[#month_forms + 1] = f; month_of[f] = n end
end
local abbrev = { jan = 1, feb = 2, mar = 3, apr = 4, jun = 6, jul = 7, aug = 8, avg = 8, sep = 9,
  sept = 9, oct = 10, okt = 10, nov = 11, dec = 12 }
local weekday_of, weekday_sx = {}, {}
for n, w in ipairs(M.weekdays.en) do weekday_of[w] = n end
for n, forms in ipairs(M.weekdays.sx) do
  for _, f in ipairs(forms) do weekday_of[f] = n; weekday_sx[#weekday_sx + 1] = f end
end

-- Month names (abbreviations may carry a period), as one alternation ending on a word end.
local MONTH
do
  local ab = {}
  for a in pairs(abbrev) do ab[#ab + 1] = a end
  table.sort(ab)
  local dots = {}
  for i, a in ipairs(ab) do dots[i] = "(?<=" .. a .. ")" end
  MONTH = "(?:" .. alt(month_forms) .. B1 .. "(?:(?:" .. table.concat(dots, "|") .. ")\\.)?)"
end
local MONTH_EN = "(?:" .. alt(M.months_en) .. "\\.?)"
local DAY = "(?:3[01]|[12][0-9]|0?[1-9])"
local MON_NUM = "(?:1[0-2]|0?[1-9])"
local YEAR = "(?:1[6-9][0-9][0-9]|20[0-9][0-9])(?![0-9])"
local ORD = "(?:st|nd|rd|th)?"
local wk_prefix = {}
for w in pairs(M.weekday_prefixes) do wk_prefix[#wk_prefix + 1] = w end
local rel = {}
for p in pairs(M.relative) do rel[#rel + 1] = p end

local alternatives = {
  -- ISO 2022-03-24
  "(?:1[6-9]|20)[0-9][0-9]-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])(?![0-9])",
  -- 24.3.2022 and 24. 3. 2022
  DAY .. "\\. ?" .. MON_NUM .. "\\. ?" .. YEAR,
  -- 24 march 2022, 24. marta 2022, 24th of march
  DAY .. "(?:\\.|" .. ORD .. ")? (?:of )?" .. MONTH .. "(?:,? " .. YEAR .. ")?",
  -- march 24, 2022; jan. 5
  MONTH_EN .. " " .. DAY .. ORD .. "(?![0-9])(?:,? " .. YEAR .. ")?",
  -- relative words (before prefix + month, so "prosle nedelje" is a week)
  alt(rel),
  -- march 2022, marta 2022
  MONTH .. ",? " .. YEAR,
  -- in may (2022), u maju, pocetkom septembra
  alt(M.prefixes) .. MONTH .. "(?:,? " .. YEAR .. ")?",
  -- in 2006, krajem 2022
  alt(M.prefixes) .. YEAR .. "(?!\\.[0-9]|,[0-9])",
  -- 2022. godine
  YEAR .. "\\.? godin(?:e|i|u|a)",
  -- weekdays
  "(?:" .. alt(wk_prefix) .. " )?" .. alt(M.weekdays.en),
  alt(wk_prefix) .. " " .. alt(weekday_sx),
}

--- The PCRE2 source of one date expression (no captures; folded text; no flags).
M.pattern = B0 .. "(?<![0-9][.,:/-])(?:" .. table.concat(alternatives, "|") .. ")" .. B1

-- Calendar arithmetic (proleptic Gregorian, days since 1970-01-01) -------------------------

local valid = calendar.valid
local to_days, from_days = calendar.days, calendar.civil

local function iso_day(y, m, d) return string.format("%04d-%02d-%02d", y, m, d) end
local function iso_days(z) return iso_day(from_days(z)) end
local function weekday(z) return (z + 3) % 7 + 1 end -- ISO: 1 = Monday; 1970-01-01 was a Thursday

local function check_published(published)
  if published == nil then return nil end
  if type(published) ~= "string" then
    error(MOD .. "published must be an ISO date string or nil, got " .. type(published), 3)
  end
  local y, m, d = published:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if not y or not valid(y, m, d) then
    error(MOD .. "published must be an ISO date 'YYYY-MM-DD', got '" .. published .. "'", 3)
  end
  return { y = y, m = m, d = d, z = to_days(y, m, d) }
end

-- Parsing -----------------------------------------------------------------------------------

local full_re -- compiled on first use: ^(?:pattern)$

local function resolve(s, P)
  local r = M.relative[s]
  if r then
    if not P then return nil, "relative date needs a publication date" end
    local unit, off = r[1], r[2]
    if unit == "day" then return iso_days(P.z + off), "day", true end
    if unit == "week" then
      local monday = P.z - (weekday(P.z) - 1)
      return iso_days(monday + 7 * off), "week", true
    end
    if unit == "month" then
      local k = P.y * 12 + (P.m - 1) + off
      return string.format("%04d-%02d", k // 12, k % 12 + 1), "month", true
    end
    return string.format("%04d", P.y + off), "year", true
  end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then d, m, y = s:match("^(%d+)%. ?(%d+)%. ?(%d%d%d%d)$") end
  if y then
    y, m, d = tonumber(y), tonumber(m), tonumber(d)
    if not valid(y, m, d) then return nil, "invalid date" end
    return iso_day(y, m, d), "day", false
  end
  -- Token reading: the string matched the pattern, so its words are a day, a month, a year,
  -- a weekday, prefixes and fillers.
  local day, month, year, wday, mode
  for w in s:gmatch("[%w]+") do
    local num = w:match("^(%d+)$") or w:match("^(%d%d?)[snrt][tdh]$")
    if num then
      if #num == 4 then year = tonumber(num) else day = tonumber(num) end
    elseif weekday_of[w] and not month then
      wday = weekday_of[w]
    elseif M.weekday_prefixes[w] then
      mode = M.weekday_prefixes[w]
    elseif not month then
      month = month_of[w] or abbrev[w]
    end
  end
  if wday then
    if not P then return nil, "relative date needs a publication date" end
    local wp = weekday(P.z)
    local z
    if mode == "last" then
      z = P.z - ((wp - wday - 1) % 7 + 1)
    elseif mode == "next" then
      z = P.z + ((wday - wp - 1) % 7 + 1)
    elseif mode == "this" then
      z = P.z - (wp - 1) + (wday - 1)
    else
      z = P.z - (wp - wday) % 7
    end
    return iso_days(z), "day", true
  end
  if month then
    if year and day then
      if not valid(year, month, day) then return nil, "invalid date" end
      return iso_day(year, month, day), "day", false
    end
    if year then return string.format("%04d-%02d", year, month), "month", false end
    if not P then return nil, "relative date needs a publication date" end
    if day then
      -- the most recent such day not after P (29 February: the most recent leap year)
      for yy = P.y, P.y - 8, -1 do
        if valid(yy, month, day) and to_days(yy, month, day) <= P.z then
          return iso_day(yy, month, day), "day", true
        end
      end
      return nil, "invalid date"
    end
    local yy = month <= P.m and P.y or P.y - 1
    return string.format("%04d-%02d", yy, month), "month", true
  end
  if year then return string.format("%04d", year), "year", false end
  return nil, "not a date"
end

--- Resolve a date expression.
-- @tparam string s a date expression (as matched by `date.pattern`; folded here)
-- @tparam[opt] string published the publication date `"YYYY-MM-DD"` for relative expressions
-- @treturn string|nil iso date: `"YYYY-MM-DD"`, `"YYYY-MM"` or `"YYYY"` (nil, message on failure)
-- @treturn string precision: `"day"`, `"week"`, `"month"` or `"year"`
-- @treturn boolean relative: whether `published` was needed
function M.parse(s, published)
  if type(s) ~= "string" then error(MOD .. "expected a string, got " .. type(s), 2) end
  local P = check_published(published)
  local f = text.fold(s):match("^%s*(.-)%s*$")
  full_re = full_re or rex.new("^(?:" .. M.pattern .. ")$")
  if not full_re:find(f) then
    -- a sentence's or an ordinal year's period after the expression ("24.3.2022.")
    f = f:match("^(.-)%.$")
    if not f or not full_re:find(f) then return nil, "not a date" end
  end
  return resolve(f, P)
end

local find_re

--- Find the first date expression in folded text.
-- @tparam string text folded text
-- @tparam[opt] integer init where to start (1-based, negative from the end)
-- @tparam[opt] string published the publication date for relative expressions
-- @treturn integer|nil start of the match (nil when none)
-- @treturn integer stop (inclusive)
-- @treturn string|nil iso date (nil when the match does not resolve)
-- @treturn string precision
-- @treturn boolean relative
function M.find(s, init, published)
  if type(s) ~= "string" then error(MOD .. "expected a string, got " .. type(s), 2) end
  if init ~= nil and math.type(init) ~= "integer" then
    error(MOD .. "init must be an integer, got " .. type(init), 2)
  end
  local P = check_published(published)
  find_re = find_re or rex.new(M.pattern)
  local a, b = find_re:find(s, init)
  if not a then return nil end
  local m = s:sub(a, b):match("^%s*(.-)%s*$")
  local iso, prec, relative = resolve(m, P)
  if not iso then return a, b end
  return a, b, iso, prec, relative
end

-- The span of the first date expression at or after init, unresolved (for callers that
-- resolve only some of them: dossier.recognisers.cues).
function M._span(s, init)
  find_re = find_re or rex.new(M.pattern)
  return find_re:find(s, init)
end

M._to_days, M._from_days, M._valid = to_days, from_days, valid

return M
