--- dossier.recognisers.cues: modality and negation of a match from cue words in its sentence.
--
-- Interface (used by `dossier.rules` for every match):
--
-- * `cues.lists` — the cue phrases, as data: `{ denied = {...}, planned = {...},
--   hedged = {...}, negation = {...}, historic = {...}, conditional = {...}, refusal = {...},
--   modal = {...}, neutral = {...} }`. Each entry is a phrase in FOLDED
--   form (lower case, no diacritics, Latin script), matched as whole words; a word ending in
--   `*` is a stem (`negira*` matches "negirao", "negirala"). An entry ending in ` @en` applies
--   only when `lang` is English, one ending in ` @sx` only when it is Serbian, Croatian or
--   Bosnian (`sr`, `hr`, `bs`, `sh`, `cnr`); with `lang` nil every entry applies. Edit the
--   lists before the first call to `modality` (they are compiled then, one PCRE2 regex per
--   language group), or call `reload` after editing them.
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
-- * modal (hedged): in the span or the 8 words before it ("could lead to", "may test",
--   "mogao bi");
-- * conditional (hedged): in the span, the 8 words before it or the 3 words after it ("if
--   talks fail, ... will impose", "ako Srbija uvede", "threatened Ankara with sanctions",
--   "is considering");
-- * refusal (planned and negated): in the span or within the 8 words before it ("refused to
--   extend", "odbila da produzi", "ne mozemo sebi dozvoliti ... da uvedemo");
-- * planned: in the span or within the 6 words before it ("plans to buy", "ce kupiti"), also
--   demands, appeals and proposals, whose object has not happened ("urged Japan to impose",
--   "pozvao je Srbiju da uvede", "predlog da");
-- * hedged: in the span, the 8 words before it or the 4 words after it ("reportedly bought",
--   "bought ..., allegedly", "claimed it had tested");
-- * historic: anywhere in the sentence ("previously", "years ago", "ranije", "devedesetih");
--   and, when `published` (an ISO date) is given, an absolute date (found by
--   `dossier.recognisers.date`: "in 2006", "2006. godine", "24 march 2019") whose year is
--   before the publication year, when it is the date of the sentence nearest to the span
--   (overlapping it: distance 0; a tie goes to the earlier date), so that "bought drones this
--   year, as it did in 2019" is not historic. A date after "since", or after "od" when a word
--   of "first" ("prvi", "prva" ...) comes shortly before it or "jos"/"vec" right before it
--   ("the first test since 2017", "prva poseta od 2001. godine", "jos od 2014."), is a starting
--   point, not the time of the event, and is left out ("naredba od 2014." is a date). Without
--   `published` explicit years are not used;
-- * negation: in the span or within the 3 words before it ("did not buy", "nije kupila",
--   "never sold");
-- * neutral: a cue of any category lying wholly inside a neutral phrase is no cue: a negated
--   saying ("did not say how many jets it plans to buy", "nije precizirao"), "not only",
--   "earlier this year" ("ranije ove godine"), the month May ("in may", "may 5").
--
-- Precedence: denied > conditional > refusal > planned > hedged > modal > historic > asserted.
-- Negation is reported separately (`negated`) and does not change the modality ("will not
-- buy" is planned and negated); a refusal is always negated.
--
-- Cost: what depends only on the sentence (where each category's cues are, an old date) is
-- worked out once, by one regex scan, and kept for the next call with the same sentence;
-- `dossier.rules` asks for the matches of a sentence one after the other. The same scan
-- lists the sentence's date anchors for `dossier.recognisers.date` (`date._hint`), so that
-- `date.find` on that sentence, which `dossier.rules` calls next, skips what holds no date.
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
    "plans to", "planned", "planning to", "plan to", "will @en", "shall @en", "won't",
    -- "would" after a pronoun: the future of reported speech ("said it would impose"), not
    -- any conditional ("the action would help negotiations")
    "it would", "they would", "he would", "she would", "we would", "i would",
    "intends to", "intend to", "intended to", "is to", "are to", "is expected to", "are expected to",
    "is set to", "are set to", "aims to", "aim to", "seeks to", "seek to", "seeking to", "wants to",
    "want to", "wanted to", "hopes to", "hope to", "hoping to", "would like to", "is due to",
    "are due to", "scheduled to", "going to", "prepared to", "preparing to", "prepares to",
    "offered to", "offers to", "offering to", "agreed to", "agrees to", "pledged to", "promised to",
    "vowed to", "authorized to", "authorised to", "invited",
    -- what is yet to come: a measure to be warded off, a meeting ahead
    "ward off", "forestall", "head off", "avert", "ahead of", "in the run-up to", "uoci",
    "namerava*", "namjerava*", "planira*", "u procesu kupovine", "u procesu nabavke", "u planu",
    "trebalo bi da", "trebalo bi", "treba da", "ce @sx", "cemo @sx", "cete @sx", "ces @sx", "cu @sx",
    "bice @sx", "nece", "necemo", "kani*", "zeli da", "zele da", "zeli", "zele", "zelimo", "zelio",
    "zeleo", "zelela", "zeljela", "zeleli", "zeljeli", "ocekuje se da", "ponudio da", "ponudila da",
    "ponudili da", "ponudio je da", "ponudila je da", "ponudili su da", "obecao",
    "obecala", "obecali", "obecava*", "spreman da", "spremna da", "spremni da", "spremno da",
  },
  -- demands, appeals and proposals: what they ask for has not happened ("urged Japan to
  -- impose", "pozvao je Srbiju da uvede sankcije"); reported as `planned`, and `is_demand`
  -- tells them apart (ANNOTATION codes no event for them)
  demand = {
    "urged", "urges", "urging", "called on", "calls on", "calling on", "called for", "calls for",
    "calling for", "appealed to", "appeals to", "appealing to", "demanded", "demands that",
    "demanding", "pressed", "pressing for", "pushed for", "pushing for",
    "proposed", "proposes", "propose", "proposing", "proposal to", "proposals to", "proposal for",
    "proposals for", "proposal that",
    "pozvao", "pozvala", "pozvalo", "pozvali", "pozvale", "pozvati", "pozvavsi", "poziva da",
    "pozivaju da", "poziva na", "pozivaju na", "zatrazi*", "trazi da",
    "traze da", "trazio da", "trazila da", "trazili da", "trazi od", "traze od", "zahtev*",
    "zahtjev*", "zahtijev*", "apelova*", "apelira*", "predlozi*", "predlag*",
    "predlaz*", "predlog da", "predlog za", "predlog o", "predloga da", "predlogu da", "prijedlozi*",
    "prijedlog da", "prijedlog za", "prijedlog o", "prijedloga da", "prijedlogu da",
  },
  hedged = {
    "reportedly", "allegedly", "alleged", "suspected", "possibly", "may have", "might have",
    "could have", "is believed to", "are believed to", "believed to", "thought to", "said to",
    "unconfirmed", "rumour*", "rumor*", "apparently", "likely", "probably", "purportedly",
    "claimed to have", "claims to have", "claiming to have",
    "claimed it had", "claimed it has", "claimed that", "claims that",
    "navodn*", "sumnj*", "moguce", "mozda", "verovatno", "vjerojatno", "vjerovatno",
    "prema nepotvrdjenim", "nepotvrdjen*", "spekul*", "tvrdi se", "kako se tvrdi", "kako se navodi",
    "pretpostavlja se", "eventualn*",
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
  -- hedged, and before planned: a condition or a threat governs a future too ("if talks fail,
  -- he will seek further talks"; "threatened to impose sanctions"; "under consideration")
  conditional = {
    "if @en", "unless @en", "threatened", "threatens", "threatening", "is considering",
    "are considering", "was considering", "were considering", "under consideration",
    "ako", "ukoliko", "u slucaju da", "pod uslovom da", "pod uvjetom da", "razmatra*", "preti",
    "prete", "pretio", "pretila", "pretili", "zapreti*", "prijeti", "prijete", "prijetio",
    "zaprijeti*",
  },
  -- hedged, before the span only: a modal belongs to the verb after it ("could lead to a
  -- buying spree"), not to the clause before it ("attended the meeting, said it could ...")
  modal = {
    "could @en", "might @en", "may @en", "mogao bi", "mogla bi", "moglo bi", "mogli bi", "mogle bi",
    "bi mogao", "bi mogla", "bi moglo", "bi mogli", "bi mogle",
  },
  -- planned and negated: a refusal or a stated inability is a negated intention ("refused to
  -- extend the embargo", "ne mozemo sebi dozvoliti ... da uvedemo sankcije")
  refusal = {
    "refused to", "refuses to", "refusing to", "declined to", "declines to", "unwilling to",
    "cannot afford to", "can't afford to", "could not afford to", "no intention of",
    "no intention to", "no plans to", "no plan to",
    "odbio da", "odbila da", "odbilo da", "odbili da", "odbile da", "odbio je da", "odbila je da",
    "odbili su da", "odbile su da", "odbija da", "odbijaju da", "odbijamo da", "nema nameru",
    "nemaju nameru", "nemamo nameru", "nema namjeru", "nemaju namjeru", "nemamo namjeru",
    "nema planova", "ne mozemo sebi dozvoliti", "ne moze sebi dozvoliti", "ne mogu sebi dozvoliti",
    "ne mozemo dozvoliti", "ne moze dozvoliti",
  },
  -- no cue at all, though they hold one: a cue of any category lying wholly inside one of these
  -- is ignored ("did not say how many jets it plans to buy" is not negated; "ranije ove godine",
  -- "earlier this year" are no history; "in may" is no "may")
  neutral = {
    "not only", "did not say", "didn't say", "does not say", "would not say", "will not say",
    "not say", "refused to say", "declined to say", "did not specify", "didn't specify",
    "did not disclose", "didn't disclose", "would not disclose", "declined to disclose",
    "refused to disclose", "did not reveal", "would not reveal", "declined to reveal",
    "refused to reveal", "declined to comment", "refused to comment", "would not comment",
    "did not comment", "did not elaborate", "declined to elaborate", "did not give details",
    "declined to confirm", "refused to confirm", "would not confirm", "did not confirm",
    -- not denying is no denial ("did not deny that it sold drones")
    "did not deny", "didn't deny", "would not deny", "has not denied", "have not denied",
    "never denied", "nije demant*", "nisu demant*", "nije negira*", "nisu negira*", "ne negira*",
    "ne demant*",
    -- "had no choice but to impose": the measure is taken, not negated
    "no choice but", "no option but", "no alternative but", "nije imao izbora", "nije imala izbora",
    "nisu imali izbora", "nema izbora", "nemamo izbora",
    "in may", "of may", "since may", "last may", "next may", "this may", "by may", "until may",
    "early may", "late may", "mid-may", "from may", "through may", "theresa may", "mrs may",
    "may 1*", "may 2*", "may 3*", "may 4*", "may 5*", "may 6*", "may 7*", "may 8*", "may 9*",
    "nije rek*", "nisu rek*", "nije precizira*", "nisu precizira*", "nije nave*", "nisu nave*",
    "nije otkri*", "nisu otkri*", "nije zel* da kaze", "nije ht* da kaze", "nije ht* reci",
    "ne navodi se", "nije navedeno", "nije precizirano", "nije saopsten*", "nije objavljen*",
    "ranije ove godine", "ranije ovog meseca", "ranije ovog mjeseca", "ranije ove nedelje",
    "ranije ove sedmice", "ranije ovog tjedna", "ranije danas", "ranije tokom dana",
    "ranije u toku dana", "ranije jutros",
    -- a hedge on what a thing is, not on whether the event happened ("a failed missile launch,
    -- of what was believed to be a Musudan missile"; "The missile is believed to be a variant
    -- of the KN-11")
    "believed to be a", "believed to be an", "believed to be the", "thought to be a",
    "thought to be an", "what appeared to be", "what appears to be", "what is believed",
    "what was believed", "suspected to be a", "suspected to be an",
  },
}

local CATEGORIES = { "denied", "planned", "hedged", "historic", "negation", "conditional", "refusal",
  "modal", "neutral" }
-- words before and after the span (planned, negation and refusal end at the span)
local WINDOW = { planned = { 6 }, hedged = { 8, 4 }, negation = { 3 }, conditional = { 8, 3 },
  refusal = { 8 }, modal = { 8 } }

local vocab_check_lang = require("dossier.vocab").check_lang
local function lang_group(lang) return vocab_check_lang(lang, MOD, 3) or "all" end

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

-- [group] = { scan = regex or false } (a new table per compile: the sentence cache keys on it)
local compiled = {}

-- An alternation of phrases (normalised: words separated by one space), in the given order,
-- as a trie: "(?:did not|do not|not)" becomes "(?:d(?:id not|o not)|not)". PCRE2 tries the
-- branches of an alternation one by one, so this compares a word's first letters once
-- instead of once per phrase. Equivalent to the flat alternation: branches are regrouped only
-- where they cannot match at the same position (different literal bytes after a common
-- prefix), keeping their order otherwise; a branch that ends or reaches a stem (`*`) at that
-- point could match wherever the others do, so it stays where it is and the grouping
-- happens separately before and after it.
local STEM = "[\\w\\x80-\\xff']*"

local function trie(phrases)
  local items = {}
  for i, p in ipairs(phrases) do
    local t = {}
    for c in p:gmatch(".") do t[#t + 1] = c end
    items[i] = t
  end
  local function rest(t, k)
    local o = {}
    for j = k, #t do o[#o + 1] = t[j] == "*" and STEM or esc(t[j]) end
    return table.concat(o)
  end
  local function emit(list, k)
    local out, i = {}, 1
    while i <= #list do
      local c = list[i][k]
      if c == nil or c == "*" then
        out[#out + 1] = rest(list[i], k)
        i = i + 1
      else
        local groups, order = {}, {}
        while i <= #list and list[i][k] ~= nil and list[i][k] ~= "*" do
          c = list[i][k]
          if not groups[c] then
            groups[c] = {}
            order[#order + 1] = c
          end
          table.insert(groups[c], list[i])
          i = i + 1
        end
        for _, ch in ipairs(order) do
          local g = groups[ch]
          out[#out + 1] = #g == 1 and rest(g[1], k) or esc(ch) .. emit(g, k + 1)
        end
      end
    end
    return #out == 1 and out[1] or "(?:" .. table.concat(out, "|") .. ")"
  end
  return emit(items, 1)
end
M._trie = trie

-- One regex finds, in one pass over a sentence, every cue of every category and the date
-- anchors (see dossier.recognisers.date: runs of four digits, month and weekday names...).
-- It matches (empty) at each word start where a cue or a date keyword begins, and at each
-- offset where four digits start, and captures there: 1.-9. for each category in CATEGORIES
-- order, the cue of that category; 10. "" if a date keyword is there; 11. "" if four digits
-- start there (false for what is not there). Each category is a lookahead holding the
-- category's own alternation, `B0(?:alternation)B1` evaluated at that position, so the cue
-- captured is the one that category's pattern alone would match there (longest phrases
-- first, so "did not" rather than "not"). The gate over every phrase and keyword matches at
-- exactly the word starts where one of them does; at all other word starts the scan fails
-- after one walk of a trie, so a sentence without a cue or a date costs one pass.
-- A word start is found as SEP: the byte before it, a non-word byte, is matched and dropped
-- (\K) rather than looked at (B0). The two agree where the scan looks (the scanned text gets
-- one space in front, for offset 1, and each search goes on from after the offset of the
-- last match, a word's first byte or a digit, neither of which can come before a word start),
-- and PCRE2 then starts a match attempt at spaces, punctuation and digits, not at every
-- letter (about 20% faster).
local SEP = "[^\\w\\x80-\\xff]\\K"

local function compile(group)
  local t, every, cats = {}, {}, {}
  for i, cat in ipairs(CATEGORIES) do
    local list = M.lists[cat]
    if type(list) ~= "table" then error(MOD .. "cues.lists." .. cat .. " must be a table", 3) end
    if cat == "planned" then -- demands count as planned (is_demand tells them apart)
      if type(M.lists.demand) ~= "table" then error(MOD .. "cues.lists.demand must be a table", 3) end
      list = table.move(M.lists.demand, 1, #M.lists.demand, #list + 1, table.move(list, 1, #list, 1, {}))
    end
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
    for j, p in ipairs(pats) do
      phrase_body(p, 4) -- checks the phrase
      local words = {}
      for w in p:gmatch("%S+") do words[#words + 1] = w end
      pats[j] = table.concat(words, " ")
      every[#every + 1] = pats[j]
    end
    -- an empty category captures nothing: (?!) never matches
    cats[i] = "(?:(?=(" .. (#pats > 0 and trie(pats) or "(?!)") .. ")" .. B1 .. "))?"
  end
  -- the gate only asks whether some phrase or keyword matches: any order will do, and
  -- sorted and without repeats its trie is smallest
  for _, w in ipairs(date._keywords) do every[#every + 1] = w end
  table.sort(every)
  local gate = {}
  for _, p in ipairs(every) do
    if p ~= gate[#gate] then gate[#gate + 1] = p end
  end
  -- boundaries outside the alternations: PCRE2 then scans ~3x faster than with one
  -- lookbehind per alternative (same matches: a failed word end backtracks to the next one)
  t.scan = rex.new("(?:" .. SEP .. "(?=(?:" .. trie(gate) .. ")" .. B1 .. ")" .. table.concat(cats)
    .. "(?:(?=(?:" .. trie(date._keywords) .. ")" .. B1 .. ")())?|(?=[0-9]{4})())")
  compiled[group] = t
  return t
end

local demands -- is_demand's phrases: { exact = {[phrase]=true}, stems = {prefix...} }

--- Compile the lists again (after editing `cues.lists`).
function M.reload() compiled, demands = {}, nil end

--- Whether a cue that `modality` reported is a demand, appeal or proposal (`lists.demand`:
-- "urged", "called on", "pozvao", "zatražio"): what it asks for has not happened, and
-- ANNOTATION codes no event for it. Its modality is `planned`.
-- @tparam string cue the cue as `modality` gives it (folded text)
-- @treturn boolean
function M.is_demand(cue)
  if type(cue) ~= "string" then return false end
  if not demands then
    demands = { exact = {}, stems = {} }
    for _, entry in ipairs(M.lists.demand) do
      local phrase = entry:match("^(.-)%s+@%a+$") or entry
      if phrase:sub(-1) == "*" then
        demands.stems[#demands.stems + 1] = phrase:sub(1, -2)
      else
        demands.exact[phrase] = true
      end
    end
  end
  cue = cue:gsub("%s+", " ")
  if demands.exact[cue] then return true end
  for _, p in ipairs(demands.stems) do
    if cue:sub(1, #p) == p then return true end
  end
  return false
end

-- Per-sentence facts, computed once for all the matches of a sentence (rules.lua asks for
-- the matches of one sentence one after the other): every cue of every category and the
-- date anchors, found by one scan (see compile); the sentence reversed and the first old
-- date, when first needed. The state of the last sentence is reused from sentence to
-- sentence (no tables per sentence): `L[k]` = { a1, b1, cue1, a2, b2, cue2, ... } the cues
-- of category k (starts ascending; `n[k]` entries used), `any` whether the sentence holds a
-- cue at all, `anchors` the date anchors (`nanchors` of them, given to date._hint), `digits`
-- the starts of four digits in a row (`ndigits`), `rev` the reversed sentence (nil: not made
-- yet), `old` whether the sentence holds an old date (nil: not looked for) and `dates` its
-- dates (see old_dates).
local DEN, PLA, HED, HIS, NEG, CON, REF, MDL, NEU = 1, 2, 3, 4, 5, 6, 7, 8, 9 -- indices into CATEGORIES
local NCAT = #CATEGORIES
local S = { sent = false, C = false, any = false, n = {}, L = {}, anchors = {}, nanchors = 0, digits = {},
  ndigits = 0, dates = {}, ndates = 0 }
for k = 1, NCAT do S.n[k], S.L[k] = 0, {} end

local function add(k, a, cue)
  local n, t = S.n[k], S.L[k]
  t[n + 1], t[n + 2], t[n + 3] = a, a + #cue - 1, cue
  S.n[k] = n + 3
end

-- Drop the cues of every other category that lie wholly inside a neutral cue ("did not
-- say", "earlier this year"), keeping the order of the rest.
local function neutralise()
  local nl, nn = S.L[NEU], S.n[NEU]
  for k = 1, NCAT do
    if k ~= NEU and S.n[k] > 0 then
      local t, m = S.L[k], 0
      for i = 1, S.n[k], 3 do
        local a, b, covered = t[i], t[i + 1], false
        for j = 1, nn, 3 do
          if nl[j] <= a and b <= nl[j + 1] then
            covered = true
            break
          end
        end
        if not covered then
          t[m + 1], t[m + 2], t[m + 3] = a, b, t[i + 2]
          m = m + 3
        end
      end
      S.n[k] = m
    end
  end
  S.n[NEU] = 0
end

local function sentence(sent, C, pub_year)
  if S.sent == sent and S.C == C then
    if S.pub_year ~= pub_year then S.pub_year, S.old = pub_year, nil end
    return
  end
  date._hint(nil)
  S.sent, S.C, S.pub_year, S.rev, S.old, S.any = sent, C, pub_year, nil, nil, false
  local n = S.n
  for k = 1, NCAT do n[k] = 0 end
  local r, anchors, digits = C.scan, S.anchors, S.digits
  local na, nd = 0, 0
  local padded = " " .. sent -- offsets one more than in sent
  local p = 1
  while true do
    local a, _, den, pla, hed, his, neg, con, ref, mod, neu, kw, d4 = r:find(padded, p)
    if not a then break end
    p = a + 1
    a = a - 1
    -- a cue beginning with a digit hides the digits branch
    if not d4 and (den or pla or hed or his or neg or con or ref or mod or neu)
      and sent:find("^[0-9][0-9][0-9][0-9]", a) then
      d4 = ""
    end
    if d4 then
      nd = nd + 1
      digits[nd] = a
    end
    if d4 or kw then
      na = na + 1
      anchors[na] = a
    end
    if den then add(DEN, a, den) end
    if pla then add(PLA, a, pla) end
    if hed then add(HED, a, hed) end
    if his then add(HIS, a, his) end
    if neg then add(NEG, a, neg) end
    if con then add(CON, a, con) end
    if ref then add(REF, a, ref) end
    if mod then add(MDL, a, mod) end
    if neu then add(NEU, a, neu) end
  end
  if n[NEU] > 0 then neutralise() end
  local any = false
  for k = 1, NCAT do any = any or n[k] > 0 end
  S.any = any
  S.nanchors, S.ndigits = na, nd
  date._hint(sent, anchors, na)
end

-- Windows are counted in words: runs of letters, digits, apostrophes and bytes >= 0x80 (Lua's
-- "[%w\128-\255']"). AFTER[k] reads k words from where its search starts (the first may be
-- the tail of a word); each word is taken whole (possessive), so it fails if there are fewer.
local AFTER = {}
for _, w in pairs(WINDOW) do
  for _, k in ipairs(w) do
    AFTER[k] = AFTER[k] or rex.new("\\G(?:[^A-Za-z0-9\\x80-\\xff']*+[A-Za-z0-9\\x80-\\xff']++){" .. k .. "}")
  end
end

-- Start of the k-th word before s, the nearest first (a word starting before s counts even
-- if it runs past s); 1 if there are fewer. Read backwards: k words of the reversed sentence
-- from the byte before s.
local function before(s, k)
  local rev = S.rev
  if not rev then
    rev = S.sent:reverse()
    S.rev = rev
  end
  local n = #rev
  local _, b = AFTER[k]:find(rev, n - s + 2)
  return b and n - b + 1 or 1
end

-- Byte offset of the end of the k-th word after e (#sent if fewer words), k > 0. Words are
-- counted from e + 1: the tail of a word running across e counts as one.
local function words_after(e, k)
  local _, b = AFTER[k]:find(S.sent, e + 1)
  return b or #S.sent
end

-- The first cue of category k lying wholly inside the window of the span s..e: from the
-- k-th word before s (nb words) to e, or with na words after e, to the end of the na-th.
-- The window's ends are only worked out for a cue that starts before s or ends after e.
-- Returns the index of the cue in S.L[k], or nil.
local function first_in(k, s, e, nb, na)
  local t = S.L[k]
  local lo, hi
  for i = 1, S.n[k], 3 do
    local a, b = t[i], t[i + 1]
    if b > e then
      if not na then
        if a > e then return nil end
        goto next
      end
      hi = hi or words_after(e, na)
      if a > hi then return nil end
      if b > hi then goto next end
    end
    if a >= s then return i end
    lo = lo or before(s, nb)
    if a >= lo then return i end
    ::next::
  end
  return nil
end

-- The first start of four digits in a row at or after i (nil: none).
local function digits_from(i)
  local t = S.digits
  for k = 1, S.ndigits do
    if t[k] >= i then return t[k] end
  end
  return nil
end

-- The dates of the sentence when one of them is old, for the year rule: `S.old` is false
-- when none is (or not yet looked for: nil), else true with `S.dates` = { a1, b1, old1, ... }
-- (`S.ndates` entries used): every date date.find gives from the start of the sentence, each
-- search going on after the previous date, except a starting point (see `since`: a year the
-- reported events run from, "the first test since 2017"), `old` true for an absolute date
-- before the publication year. Only a date holding four digits in a row can resolve to an
-- absolute one (a relative or year-less expression never does), so only those are resolved,
-- and the other dates are listed only in a sentence that holds an old one.
-- Whether the date at `a` is a starting point: "since ...", or "od ..." after a word of "first"
-- starting in the 48 bytes before it ("prva poseta francuskog predsednika od 2001.") or right
-- after "jos" or "vec" ("jos od 2014."); a bare "od" also dates ("naredba od 2014. godine").
local NW = "[^%w\128-\255]" -- a byte that is no part of a word
local function since(sent, a)
  if sent:find("^since ", a) then return true end
  if not sent:find("^od ", a) then return false end
  local w = " " .. sent:sub(math.max(1, a - 48), a - 1)
  return (w:find(NW .. "prv") or w:find(NW .. "jos $") or w:find(NW .. "vec $")) ~= nil
end

local function old_dates()
  local d = S.old
  if d ~= nil then return d end
  d = false
  local sent, t, n = S.sent, S.dates, 0
  local init = S.ndigits > 0 and 1 or #sent + 2
  while init <= #sent + 1 do
    local da, db = date._span(sent, init)
    if not da then break end
    if not since(sent, da) then
      local x = digits_from(da)
      local old = false
      if x and x + 3 <= db then
        local _, _, iso, _, relative = date.find(sent, da)
        old = iso and not relative and tonumber(iso:sub(1, 4)) < S.pub_year or false
      elseif not x and not d then
        break -- no date after this one can hold a year either
      end
      d = d or old
      t[n + 1], t[n + 2], t[n + 3] = da, db, old
      n = n + 3
    end
    init = db + 1
  end
  S.old, S.ndates = d, n
  return d
end

-- The date nearest to the span s..e (one overlapping it is at distance 0; on a tie the
-- earlier), when it is old: a, b; else nil. A current date nearer to the match than the old
-- one ("bought drones this year, as it did in 2019") dates the match.
local function old_date(s, e)
  if not old_dates() then return nil end
  local t, best, bi = S.dates, math.huge, nil
  for i = 1, S.ndates, 3 do
    local a, b = t[i], t[i + 1]
    local dist = b < s and s - b or a > e and a - e or 0
    if dist < best then best, bi = dist, i end
  end
  if t[bi + 2] then return t[bi], t[bi + 1] end
  return nil
end

local groups = {} -- lang → group (memo of lang_group)
local last_pub, last_year -- the last `published` seen and its year

--- Modality and negation of the match at `s..e` in a folded sentence.
-- @tparam string sent the folded sentence
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

  local ni
  if S.any then
    local n, L = S.n, S.L
    ni = n[NEG] > 0 and first_in(NEG, s, e, WINDOW.negation[1]) or nil
    local ri = n[REF] > 0 and first_in(REF, s, e, WINDOW.refusal[1]) or nil
    local negated = ni ~= nil or ri ~= nil
    local t = L[DEN]
    if n[DEN] > 0 then return "denied", negated, t[3], t[1], t[2] end
    local i = n[CON] > 0 and first_in(CON, s, e, WINDOW.conditional[1], WINDOW.conditional[2])
    t = L[CON]
    if i then return "hedged", negated, t[i + 2], t[i], t[i + 1] end
    t = L[REF]
    if ri then return "planned", true, t[ri + 2], t[ri], t[ri + 1] end
    i = n[PLA] > 0 and first_in(PLA, s, e, WINDOW.planned[1])
    t = L[PLA]
    if i then return "planned", negated, t[i + 2], t[i], t[i + 1] end
    i = n[HED] > 0 and first_in(HED, s, e, WINDOW.hedged[1], WINDOW.hedged[2])
    t = L[HED]
    if i then return "hedged", negated, t[i + 2], t[i], t[i + 1] end
    i = n[MDL] > 0 and first_in(MDL, s, e, WINDOW.modal[1])
    t = L[MDL]
    if i then return "hedged", negated, t[i + 2], t[i], t[i + 1] end
    t = L[HIS]
    if n[HIS] > 0 then return "historic", negated, t[3], t[1], t[2] end
  end
  local negated = ni ~= nil
  if pub_year then
    local a, b = old_date(s, e)
    if a then return "historic", negated, sent:sub(a, b), a, b end
  end
  if negated then
    local t = S.L[NEG]
    return "asserted", true, t[ni + 2], t[ni], t[ni + 1]
  end
  return "asserted", false
end

return M
