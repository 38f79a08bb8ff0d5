--- dossier.recognisers.cues: modality and negation of a match from cue words in its sentence.
--
-- Interface (used by `dossier.rules` for every match):
--
-- * `cues.lists` — the cue phrases, as data: `{ denied = {...}, planned = {...},
--   hedged = {...}, negation = {...}, historic = {...} }`. Each entry is a phrase in FOLDED
--   form (lower case, no diacritics, Latin script), matched as whole words; a word ending in
--   `*` is a stem (`negira*` matches "negirao", "negirala"). An entry ending in ` @en` applies
--   only when `lang` is English, one ending in ` @sx` only when it is Serbian, Croatian or
--   Bosnian (`sr`, `hr`, `bs`, `sh`, `cnr`); with `lang` nil every entry applies. Edit the
--   lists before the first call to `modality` (they are compiled then, one PCRE2 alternation
--   per category and language), or call `reload` after editing them.
-- * `cues.modality(folded_sentence, s, e [, lang [, published]])` →
--   `modality, negated, cue, cue_start, cue_stop` for the match at bytes `s..e` (1-based,
--   inclusive) of `folded_sentence`. `modality` is `"denied"`, `"planned"`, `"hedged"`,
--   `"historic"` or `"asserted"`; `negated` a boolean; `cue` the folded text of the cue that
--   decided the modality (or, for an asserted but negated match, the negation cue; nil when
--   neither), `cue_start`/`cue_stop` its offsets in `folded_sentence`.
--
-- Where cues count (words are runs of letters, digits and apostrophes):
--
-- * denied: anywhere in the sentence — a denial governs its clause ("Pyongyang denied
--   selling ...", "... sto je ministarstvo odbacilo");
-- * planned: in the span or within the 6 words before it ("plans to buy", "ce kupiti");
-- * hedged: in the span, the 8 words before it or the 4 words after it ("reportedly bought",
--   "bought ..., allegedly");
-- * historic: anywhere in the sentence ("previously", "years ago", "ranije", "devedesetih");
--   and, when `published` (an ISO date) is given, an absolute date in the sentence (found by
--   `dossier.recognisers.date`: "in 2006", "2006. godine", "24 march 2019") whose year is
--   before the publication year. Without `published` explicit years are not used;
-- * negation: in the span or within the 3 words before it ("did not buy", "nije kupila",
--   "never sold").
--
-- Precedence: denied > planned > hedged > historic > asserted. Negation is reported
-- separately (`negated`) and does not change the modality ("will not buy" is planned and
-- negated).
--
-- Cost: what depends only on the sentence (whether it holds any cue, where each category's
-- cues are, its words, an old date) is worked out once and kept for the next call with the
-- same sentence; `dossier.rules` asks for the matches of a sentence one after the other.
--
-- @module dossier.recognisers.cues
local rex = require "dossier.regex"
local date = require "dossier.recognisers.date"

local M = {}

local MOD = "dossier.recognisers.cues: "

--- The cue phrases by category (folded; `*` stems; ` @en` / ` @sx` language tags).
M.lists = {
  denied = {
    "denied", "deny", "denies", "denying", "denial*", "rejected as false", "rejected the claim*",
    "rejected the report*", "rejected reports", "rejected claims", "rejected the allegation*",
    "rejected allegations",
    "dismissed as", "dismissed the claim*", "dismissed the report*", "dismissed claims",
    "dismissed reports", "dismissed allegations", "refuted", "refute*",
    "baseless", "unfounded", "fabricated", "categorically rejected",
    -- verb forms of odbaciti/odbacivati only: "odbacivanje snaga" (rejecting forces) is no denial
    "negira*", "demant*", "odbacio", "odbacila", "odbacilo", "odbacili", "odbacile", "odbaciti",
    "odbacuje*", "odbacuju", "odbacivsi", "opovrg*", "neistin*", "izmisljotin*", "neosnovan*",
  },
  planned = {
    "plans to", "planned", "planning to", "plan to", "will @en", "won't", "intends to", "intend to",
    "intended to", "is to", "are to", "is expected to", "are expected to", "is set to", "are set to",
    "aims to", "seeks to", "wants to", "is due to", "are due to", "scheduled to", "going to",
    "is considering", "are considering", "proposed",
    "namerava*", "namjerava*", "planira*", "u procesu kupovine", "u procesu nabavke", "u planu",
    "trebalo bi da", "trebalo bi", "treba da", "ce @sx", "cemo @sx", "cete @sx", "nece", "necemo",
    "kani*", "zeli da", "zele da", "ocekuje se da", "razmatra*",
  },
  hedged = {
    "reportedly", "allegedly", "alleged", "suspected", "possibly", "may have", "might have",
    "could have", "is believed to", "are believed to", "believed to", "thought to", "said to",
    "unconfirmed", "rumour*", "rumor*", "apparently", "likely", "probably", "purportedly",
    "navodn*", "sumnj*", "moguce", "mozda", "verovatno", "vjerojatno", "vjerovatno",
    "prema nepotvrdjenim", "nepotvrdjen*", "spekul*", "tvrdi se", "kako se tvrdi", "kako se navodi",
    "pretpostavlja se",
  },
  negation = {
    "not", "did not", "does not", "do not", "has not", "have not", "had not", "was not", "were not",
    "is not", "are not", "will not", "never", "no @en", "didn't", "doesn't", "don't", "hasn't",
    "haven't", "hadn't", "wasn't", "weren't", "isn't", "aren't", "won't", "cannot", "can't",
    "couldn't", "wouldn't", "neither", "nor",
    "nije", "nisu", "nece", "necemo", "nismo", "niste", "nisam", "nikada", "nikad", "ne", "niti",
  },
  historic = {
    "previously", "formerly", "in the past", "years ago", "decades ago", "back in", "at the time",
    "in the 19*",
    "ranije", "nekada", "nekad", "svojevremeno", "u proslosti", "pre nekoliko godina",
    "prije nekoliko godina", "devedesetih", "osamdesetih", "sedamdesetih", "sezdesetih",
  },
}

local CATEGORIES = { "denied", "planned", "hedged", "historic", "negation" }
-- words before and after the span (planned and negation end at the span)
local WINDOW = { planned = { 6 }, hedged = { 8, 4 }, negation = { 3 } }

local LANGS = { en = "en", sr = "sx", hr = "sx", bs = "sx", sh = "sx", cnr = "sx" }
local function lang_group(lang)
  if lang == nil then return "all" end
  if type(lang) ~= "string" then error(MOD .. "lang must be a string or nil, got " .. type(lang), 3) end
  local g = LANGS[lang:lower():match("^(%a+)")]
  if not g then error(MOD .. "unsupported language '" .. lang .. "'", 3) end
  return g
end

local function esc(s) return (s:gsub("[%^%$%(%)%%%.%[%]%+%-%?%{%}|\\/]", "\\%0")) end

local B0, B1 = "(?<![\\w\\x80-\\xff])", "(?![\\w\\x80-\\xff])"

-- The pattern of a phrase without its word boundaries.
local function phrase_body(phrase, level)
  if type(phrase) ~= "string" or not phrase:match("%S") then
    error(MOD .. "a cue must be a non-empty string", level)
  end
  local words = {}
  for w in phrase:gmatch("%S+") do
    local stem = w:sub(-1) == "*"
    if stem then w = w:sub(1, -2) end
    if w == "" or w:find("*", 1, true) then
      error(MOD .. "'*' only at the end of a word: '" .. phrase .. "'", level)
    end
    words[#words + 1] = esc(w) .. (stem and "[\\w\\x80-\\xff']*" or "")
  end
  return table.concat(words, " ")
end

--- The PCRE2 source for one cue phrase (whole words on folded text; `*` stems).
-- @tparam string phrase a folded phrase, without a language tag
-- @treturn string the pattern
function M.phrase_pattern(phrase)
  return B0 .. phrase_body(phrase, 3) .. B1
end

local compiled = {} -- [group][category] = regex (a new table per compile: the sentence cache keys on it)

-- An alternation of phrases (normalised: words separated by one space) factored by first
-- character: "(?:a(?:...|...)|d(?:...))". Alternatives with different first characters never
-- match at the same position and the order within a group is kept, so the match found at
-- each position is the one of the flat alternation; PCRE2 then tries one group, not every
-- alternative, at each candidate position (2x faster on news text).
local function factored(phrases)
  local groups, order = {}, {}
  for _, p in ipairs(phrases) do
    local c = p:match("^[%z\1-\127\194-\244][\128-\191]*")
    if not groups[c] then
      groups[c] = {}
      order[#order + 1] = c
    end
    local rest = esc(p:sub(#c + 1)):gsub("%*", "[\\w\\x80-\\xff']*")
    table.insert(groups[c], rest)
  end
  local parts = {}
  for i, c in ipairs(order) do parts[i] = esc(c) .. "(?:" .. table.concat(groups[c], "|") .. ")" end
  return table.concat(parts, "|")
end

local function compile(group)
  local t, every = {}, {}
  for _, cat in ipairs(CATEGORIES) do
    local list = M.lists[cat]
    if type(list) ~= "table" then error(MOD .. "cues.lists." .. cat .. " must be a table", 3) end
    local pats = {}
    for _, entry in ipairs(list) do
      local phrase, tag = entry:match("^(.-)%s+@(%a+)$")
      if not phrase then phrase = entry end
      if tag and tag ~= "en" and tag ~= "sx" then
        error(MOD .. "unknown language tag in '" .. entry .. "'", 3)
      end
      if not tag or group == "all" or tag == group then pats[#pats + 1] = phrase end
    end
    -- longest phrases first, so "did not" is reported rather than "not" at one position
    table.sort(pats, function(a, b) if #a ~= #b then return #a > #b end return a < b end)
    for i, p in ipairs(pats) do
      phrase_body(p, 4) -- checks the phrase
      local words = {}
      for w in p:gmatch("%S+") do words[#words + 1] = w end
      pats[i] = table.concat(words, " ")
      every[#every + 1] = pats[i]
    end
    -- boundaries outside the alternation: PCRE2 then scans ~3x faster than with one
    -- lookbehind per alternative (same matches: a failed word end backtracks to the next one)
    t[cat] = #pats > 0 and rex.new(B0 .. "(?:" .. factored(pats) .. ")" .. B1) or false
  end
  -- every cue of every category: it matches at exactly the positions where one of the
  -- category patterns does, so one scan tells where (and whether) to look for each category
  t.any = #every > 0 and rex.new(B0 .. "(?:" .. factored(every) .. ")" .. B1) or false
  compiled[group] = t
  return t
end

--- Compile the lists again (after editing `cues.lists`).
function M.reload() compiled = {} end

-- Per-sentence facts, computed once for all the matches of a sentence (rules.lua asks for
-- the matches of one sentence one after the other), and only when needed: where the first
-- cue of any category is, for each category every position where its regex matches, the
-- words. `r:find(sent, p)` gives the leftmost cue starting at or after p, and the cue found
-- at a position does not depend on where the search began (the boundaries look at the bytes
-- around it), so "the first cue wholly inside [lo, hi]" can be read off the list of all cues:
-- the first one with a >= lo, stopping once a > hi. Most sentences hold no cue at all: one
-- scan with the combined pattern says so, and then no window is computed.
-- The state of the last sentence, reused from sentence to sentence (no garbage per sentence):
-- `n[cat]` the number of entries of `at[cat]` = { a1, b1, a2, b2, ... } (nil: not listed yet),
-- `nw` the number of words in `ws`/`we` (nil: not split yet), `old` the first old date
-- (nil: not looked for; false: none).
local S = { sent = false, n = {}, at = {}, ws = {}, we = {} }
for _, cat in ipairs(CATEGORIES) do S.at[cat] = {} end

local function sentence(sent, C, pub_year)
  if S.sent == sent and S.C == C and S.pub_year == pub_year then return S end
  S.sent, S.C, S.pub_year = sent, C, pub_year
  S.first = C.any and C.any:find(sent, 1) or false
  local n = S.n
  for _, cat in ipairs(CATEGORIES) do n[cat] = nil end
  S.nw, S.old, S.old_a, S.old_b = nil, nil, nil, nil
  return S
end

-- The cues of a category in the sentence: their number and the list { a1, b1, a2, b2, ... }
-- (starts ascending).
local function cues_of(cat)
  local t = S.at[cat]
  local n = S.n[cat]
  if n then return n, t end
  n = 0
  local r, sent = S.C[cat], S.sent
  if r and S.first then
    local a, b = r:find(sent, S.first)
    while a do
      t[n + 1], t[n + 2] = a, b
      n = n + 2
      a, b = r:find(sent, a + 1)
    end
  end
  S.n[cat] = n
  return n, t
end

-- The first cue of list t (n entries) lying wholly inside [lo, hi].
local function first_in(n, t, lo, hi)
  for i = 1, n, 2 do
    local a = t[i]
    if a > hi then return nil end
    if a >= lo and t[i + 1] <= hi then return a, t[i + 1] end
  end
  return nil
end

-- The words of the sentence: their number, starts and ends (inclusive), in order.
local function words()
  local ws, we, nw = S.ws, S.we, S.nw
  if nw then return nw, ws, we end
  nw = 0
  for p, q in S.sent:gmatch("()[%w\128-\255']+()") do
    nw = nw + 1
    ws[nw], we[nw] = p, q - 1
  end
  S.nw = nw
  return nw, ws, we
end

-- The number of words starting before s (binary search over the word starts). A word is a
-- run of word bytes; one that starts before s counts even if it runs past s.
local function words_before(s)
  local nw, ws = words()
  local lo, hi = 0, nw -- ws[1..lo] < s, ws[hi+1..nw] >= s
  while lo < hi do
    local mid = (lo + hi + 1) // 2
    if ws[mid] < s then lo = mid else hi = mid - 1 end
  end
  return lo
end

-- Start of the k-th word before s (wb = words_before(s)), the nearest first; 1 if there are
-- fewer.
local function before(wb, k)
  local i = wb - k + 1
  return i >= 1 and S.ws[i] or 1
end

-- Byte offset of the end of the k-th word after e (#sent if fewer words), k > 0. Words are
-- counted from e + 1: the tail of a word running across e counts as one.
local function words_after(e, k)
  local nw, _, we = words()
  local i = 1
  while i <= nw and we[i] <= e do i = i + 1 end
  i = i + k - 1
  return i <= nw and we[i] or #S.sent
end

-- Four digits in a row: every absolute date spells its year so (see old_date).
local DIGITS4 = rex.new("[0-9]{4}")

-- The first absolute date of the sentence before the publication year: a, b or nil. The
-- dates are those date.find gives from the start of the sentence, each search going on after
-- the previous date; only a date holding four digits in a row can resolve to an absolute
-- one (a relative or year-less expression never does), so only those are resolved.
local function old_date()
  local d = S.old
  if d == nil then
    d = false
    local sent = S.sent
    local init = DIGITS4:find(sent, 1) and 1 or #sent + 2
    while init <= #sent + 1 do
      local da, db = date._span(sent, init)
      if not da then break end
      local x = DIGITS4:find(sent, da)
      if not x then break end -- no date after this one can hold a year either
      if x + 3 <= db then
        local _, _, iso, _, relative = date.find(sent, da)
        if iso and not relative and tonumber(iso:sub(1, 4)) < S.pub_year then
          d = true
          S.old_a, S.old_b = da, db
          break
        end
      end
      init = db + 1
    end
    S.old = d
  end
  if d then return S.old_a, S.old_b end
  return nil
end

local groups = {} -- lang → group (memo of lang_group)
local last_pub, last_year -- the last `published` seen and its year

--- Modality and negation of the match at `s..e` in a folded sentence.
-- @tparam string sentence the folded sentence
-- @tparam integer s start of the match (1-based)
-- @tparam integer e end of the match (inclusive)
-- @tparam[opt] string lang "en", "sr", "hr", "bs" (selects tagged entries; nil: all)
-- @tparam[opt] string published publication date "YYYY-MM-DD" (enables the year rule)
-- @treturn string modality: "denied", "planned", "hedged", "historic" or "asserted"
-- @treturn boolean negated
-- @treturn string|nil cue the folded cue text
-- @treturn integer|nil cue_start
-- @treturn integer|nil cue_stop
function M.modality(sent, s, e, lang, published)
  if type(sent) ~= "string" then error(MOD .. "sentence must be a string, got " .. type(sent), 2) end
  if math.type(s) ~= "integer" or math.type(e) ~= "integer" then
    error(MOD .. "span must be two integers", 2)
  end
  if s < 1 or e < s - 1 or e > #sent then
    error(MOD .. "span " .. s .. ".." .. e .. " outside the sentence (length " .. #sent .. ")", 2)
  end
  local group = "all"
  if lang ~= nil then
    group = groups[lang]
    if not group then
      group = lang_group(lang)
      groups[lang] = group
    end
  end
  local pub_year
  if published ~= nil then
    if published == last_pub then
      pub_year = last_year
    else
      pub_year = type(published) == "string" and tonumber(published:match("^(%d%d%d%d)%-%d%d%-%d%d"))
      if not pub_year then error(MOD .. "published must be an ISO date 'YYYY-MM-DD'", 2) end
      last_pub, last_year = published, pub_year
    end
  end
  sentence(sent, compiled[group] or compile(group), pub_year)

  local na, nb, a, b, n, t
  if S.first then
    local wb -- words before s, counted at the first need
    n, t = cues_of("negation")
    if n > 0 then
      wb = words_before(s)
      na, nb = first_in(n, t, before(wb, WINDOW.negation[1]), e)
    end
    local negated = na ~= nil
    n, t = cues_of("denied")
    if n > 0 then return "denied", negated, sent:sub(t[1], t[2]), t[1], t[2] end
    n, t = cues_of("planned")
    if n > 0 then
      wb = wb or words_before(s)
      a, b = first_in(n, t, before(wb, WINDOW.planned[1]), e)
    end
    if a then return "planned", negated, sent:sub(a, b), a, b end
    n, t = cues_of("hedged")
    if n > 0 then
      wb = wb or words_before(s)
      a, b = first_in(n, t, before(wb, WINDOW.hedged[1]), words_after(e, WINDOW.hedged[2]))
    end
    if a then return "hedged", negated, sent:sub(a, b), a, b end
    n, t = cues_of("historic")
    if n > 0 then return "historic", negated, sent:sub(t[1], t[2]), t[1], t[2] end
  end
  local negated = na ~= nil
  if pub_year then
    a, b = old_date()
    if a then return "historic", negated, sent:sub(a, b), a, b end
  end
  if negated then return "asserted", true, sent:sub(na, nb), na, nb end
  return "asserted", false
end

return M
