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
-- Cost: `date.find` searches with a regex that matches exactly what `date.pattern` does but
-- is arranged for searching (below), keeps what it resolved (by matched text), and skips the
-- parts of a text where `dossier.recognisers.cues` saw no date anchor (see `_hint`).
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
local MONTH, DOTS
do
  local ab = {}
  for a in pairs(abbrev) do ab[#ab + 1] = a end
  table.sort(ab)
  local dots = {}
  for i, a in ipairs(ab) do dots[i] = "(?<=" .. a .. ")" end
  DOTS = "(?:(?:" .. table.concat(dots, "|") .. ")\\.)?"
  MONTH = "(?:" .. alt(month_forms) .. B1 .. DOTS .. ")"
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

-- The same expression arranged for searching (date.find): PCRE2 tries the alternatives of an
-- alternation one by one, and `alternatives` has eleven, most starting with a trie of words,
-- so each of them was tried at every word start of the text. Here the alternatives are
-- grouped by the byte they can start with: one group for "1"/"2", one for the other digits,
-- one per letter "c" holding, in the order of `alternatives`, each alternative that can start
-- with "c", its word trie cut down to the words starting with "c". At any position only the
-- alternatives of its byte's group can match, in the same order as in `alternatives`, so the
-- first match is the same (the spec compares the two on news text from every offset). The
-- month and the year, used in many groups, are subroutines of a DEFINE group (not atomic in
-- PCRE2 >= 10.30, so they backtrack as if written out) placed last: a DEFINE group in front
-- keeps PCRE2 from working out which bytes a match can start with, and the search then
-- tries every offset (several times slower on text of spaces). This regex is never embedded,
-- so its named groups do no harm. It is faster than date.pattern (doc/recognisers.md#performance).
local SCAN_SOURCE
do
  local Y, MO = "(?&y)", "(?&m)"
  -- the trie of the words of `list` that start with byte c, without that byte (nil: none)
  local function tail(list, c)
    local t = {}
    for _, w in ipairs(list) do
      if w:sub(1, 1) == c then t[#t + 1] = w:sub(2) end
    end
    return #t > 0 and alt(t) or nil
  end
  local groups = {
    "(?=[12])(?:" .. table.concat({
      alternatives[1],
      DAY .. "\\. ?" .. MON_NUM .. "\\. ?" .. Y,
      DAY .. "(?:\\.|" .. ORD .. ")? (?:of )?" .. MO .. "(?:,? " .. Y .. ")?",
      Y .. "\\.? godin(?:e|i|u|a)",
    }, "|") .. ")",
    "(?=[03-9])(?:" .. DAY .. "\\. ?" .. MON_NUM .. "\\. ?" .. Y .. "|"
      .. DAY .. "(?:\\.|" .. ORD .. ")? (?:of )?" .. MO .. "(?:,? " .. Y .. ")?)",
  }
  -- the bytes a word alternative can start with (the lists are folded text: letters; a word
  -- starting with a digit would need its alternatives merged into the digit groups above)
  local firsts, seen = {}, {}
  for _, list in ipairs { M.months_en, rel, month_forms, M.prefixes, wk_prefix, M.weekdays.en } do
    for _, w in ipairs(list) do
      local c = w:sub(1, 1)
      if c:match("%d") then error(MOD .. "a date word starts with a digit: '" .. w .. "'") end
      if not seen[c] then
        seen[c] = true
        firsts[#firsts + 1] = c
      end
    end
  end
  table.sort(firsts)
  for _, c in ipairs(firsts) do
    local en, rl, mo, pre = tail(M.months_en, c), tail(rel, c), tail(month_forms, c), tail(M.prefixes, c)
    local wp, wen = tail(wk_prefix, c), tail(M.weekdays.en, c)
    local o = {}
    if en then o[#o + 1] = "(?:" .. en .. "\\.?) " .. DAY .. ORD .. "(?![0-9])(?:,? " .. Y .. ")?" end
    if rl then o[#o + 1] = rl end
    if mo then o[#o + 1] = "(?:" .. mo .. B1 .. DOTS .. "),? " .. Y end
    if pre then
      o[#o + 1] = pre .. MO .. "(?:,? " .. Y .. ")?"
      o[#o + 1] = pre .. Y .. "(?!\\.[0-9]|,[0-9])"
    end
    -- "(?:prefix )?weekday": the prefix and a weekday, else the weekday alone
    if wp then o[#o + 1] = wp .. " " .. alt(M.weekdays.en) end
    if wen then o[#o + 1] = wen end
    if wp then o[#o + 1] = wp .. " " .. alt(weekday_sx) end
    assert(#o > 0)
    groups[#groups + 1] = esc(c) .. "(?:" .. table.concat(o, "|") .. ")"
  end
  SCAN_SOURCE = B0 .. "(?<![0-9][.,:/-])(?:" .. table.concat(groups, "|") .. ")" .. B1
    .. "(?(DEFINE)(?<m>" .. MONTH .. ")(?<y>" .. YEAR .. "))"
end

-- Anchors. Every date expression holds four digits in a row (a year) or a whole word from
-- KEYWORDS (a month, a weekday, the last word of a relative expression), starting at most
-- LOOKBACK bytes after the expression's own start: "31st of " or "31. 12. " before a month
-- or year, a prefix ("at the beginning of "), a weekday's prefix and its space, the first
-- words of a relative expression ("the day before "). So where a scan of the text has listed
-- its anchors, the first date at or after init starts at or after (first anchor >= init) -
-- LOOKBACK, and there is none if no anchor lies at or after init.
local KEYWORDS, LOOKBACK = {}, 8
do
  local seen = {}
  local function add(w)
    if not seen[w] then
      seen[w] = true
      KEYWORDS[#KEYWORDS + 1] = w
    end
  end
  for _, w in ipairs(month_forms) do add(w) end
  for _, w in ipairs(M.months_en) do add(w) end
  for _, w in ipairs(M.weekdays.en) do add(w) end
  for _, w in ipairs(weekday_sx) do add(w) end
  for _, p in ipairs(rel) do
    local last = p:match("%S+$")
    add(last)
    LOOKBACK = math.max(LOOKBACK, #p - #last)
  end
  for _, p in ipairs(M.prefixes) do LOOKBACK = math.max(LOOKBACK, #p) end
  for _, w in ipairs(wk_prefix) do LOOKBACK = math.max(LOOKBACK, #w + 1) end
  table.sort(KEYWORDS)
end
M._keywords, M._lookback = KEYWORDS, LOOKBACK

-- Calendar arithmetic (proleptic Gregorian, days since 1970-01-01) -------------------------

local valid = calendar.valid
local to_days, from_days = calendar.days, calendar.civil

local function iso_day(y, m, d) return string.format("%04d-%02d-%02d", y, m, d) end
local function iso_days(z) return iso_day(from_days(z)) end
local function weekday(z) return (z + 3) % 7 + 1 end -- ISO: 1 = Monday; 1970-01-01 was a Thursday

local last_pub, last_P -- the last publication date read, and what it was read as

local function check_published(published)
  if published == nil then return nil end
  if published == last_pub then return last_P end
  if type(published) ~= "string" then
    error(MOD .. "published must be an ISO date string or nil, got " .. type(published), 3)
  end
  local y, m, d = published:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if not y or not valid(y, m, d) then
    error(MOD .. "published must be an ISO date 'YYYY-MM-DD', got '" .. published .. "'", 3)
  end
  last_pub, last_P = published, { y = y, m = m, d = d, z = to_days(y, m, d) }
  return last_P
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

local find_re -- compiled on first use: SCAN_SOURCE

-- The anchors of one text, given by dossier.recognisers.cues, which scans every sentence it
-- is asked about anyway (dossier.rules asks it first, then for the sentence's dates): the
-- start of every run of four digits (each offset where [0-9]{4} matches) and of every whole
-- word of KEYWORDS in `hint_s`, ascending, `hint_n` of them in `hint_t`.
local hint_s, hint_t, hint_n = nil, nil, 0

--- Anchors of a text (internal: for dossier.recognisers.cues).
-- @tparam string|nil s the text (nil: forget)
-- @tparam table t the anchors, ascending (kept, not copied: change it only with another call)
-- @tparam integer n how many
function M._hint(s, t, n) hint_s, hint_t, hint_n = s, t, n end

-- Where to search s from for the first date at or after init (nil: 1): init itself, a later
-- offset if the anchors of s are known, or false if they show there is none.
local function search_from(s, init)
  local i = init or 1
  if s ~= hint_s or i < 1 or i > #s + 1 then return i end
  local t = hint_t
  for k = 1, hint_n do
    local q = t[k]
    if q >= i then
      q = q - LOOKBACK
      return q > i and q or i
    end
  end
  return false
end

-- Resolutions already made, by matched text (the same expressions recur: "today", "last
-- week", "in 2006"): `fixed` those that do not depend on the publication date (absolute),
-- `seen` the others, for publication date `seen_pub` (emptied when it changes). Each holds
-- { iso, precision, relative } or false (no resolution), and is emptied at MEMO entries.
local MEMO = 4096
local fixed, nfixed = {}, 0
local seen, seen_pub, nseen = {}, nil, 0

--- Find the first date expression in folded text.
-- @tparam string s folded text
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
  find_re = find_re or rex.new(SCAN_SOURCE)
  init = search_from(s, init)
  if not init then return nil end
  local a, b = find_re:find(s, init)
  if not a then return nil end
  local m = s:sub(a, b)
  local r = fixed[m]
  if not r then
    if published ~= seen_pub then seen, seen_pub, nseen = {}, published, 0 end
    r = seen[m]
    if r == nil then
      local iso, prec, relative = resolve(m:match("^%s*(.-)%s*$"), P)
      r = iso and { iso, prec, relative } or false
      if iso and not relative then
        if nfixed >= MEMO then fixed, nfixed = {}, 0 end
        fixed[m], nfixed = r, nfixed + 1
      else
        if nseen >= MEMO then seen, nseen = {}, 0 end
        seen[m], nseen = r, nseen + 1
      end
    end
  end
  if not r then return a, b end
  return a, b, r[1], r[2], r[3]
end

-- The span of the first date expression at or after init, unresolved (for callers that
-- resolve only some of them: dossier.recognisers.cues).
function M._span(s, init)
  find_re = find_re or rex.new(SCAN_SOURCE)
  init = search_from(s, init)
  if not init then return nil end
  local a, b = find_re:find(s, init) -- (and the DEFINE groups, unset)
  return a, b
end

M._to_days, M._from_days, M._valid = to_days, from_days, valid

return M
