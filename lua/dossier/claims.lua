--- dossier.claims: who claims what, through whom, and where sources disagree.
--
-- `extract(db)` finds attributions in every document (English and Serbian/Croatian/Bosnian,
-- Latin and Cyrillic): the speaker and cue verb ("said", "negirao je"), the relay chain
-- ("AP reports, citing The New York Times", "prenosi agencija Rojters, pozivajući se na"),
-- the stance (assert, deny, hedge, plan), and the events each attribution is about; it stores
-- them in the `claims` table. `compare(db)` groups event mentions into propositions and lists,
-- per proposition, the sources with their stance, the independent origins and the conflicts.
--
-- Everything is rules over folded text (`dossier.text.fold`), one sentence at a time; the cue
-- lists and the default speaker lexicon are data (`dossier.claims.cues`,
-- `dossier.claims.speakers`). Offsets stored are 1-based inclusive byte offsets into the
-- original document text.
-- @module dossier.claims
local text = require "dossier.text"
local lexicon = require "dossier.lexicon"
local store = require "dossier.store"
local CUES = require "dossier.claims.cues"
local MODALITY = require "dossier.recognisers.cues"
local SPEAKERS = require "dossier.claims.speakers"
local vocab = require "dossier.vocab"

local M = {}

local MOD = "dossier.claims: "

--- The name runs of this extractor carry in `runs.ruleset`; re-running replaces their claims.
M.EXTRACTOR = "dossier.claims"
--- Version of the rules, stored in `runs.hash`.
M.VERSION = "2"
--- The cue data (`dossier.claims.cues`).
M.cues = CUES

--- Event types whose quantity counts events ("more than 30 missiles" is 30 launches): a
-- mention with such a quantity is a proposition of its own (a yearly count is not one launch).
-- (`dossier.vocab.COUNTED_TYPES`, as a set).
M.COUNT_TYPES = vocab.is_counted_type

local STANCE_OF_MODALITY = { denied = "deny", hedged = "hedge", planned = "plan" }

-- Letter case in Latin (with Latin-1 and Latin Extended-A) and Cyrillic ---------------------

-- 1 for an upper-case letter, -1 for a lower-case one, 0 otherwise (code point cp)
local function case_of(cp)
  if cp < 128 then
    if cp >= 65 and cp <= 90 then return 1 end
    if cp >= 97 and cp <= 122 then return -1 end
    return 0
  end
  if cp >= 0xC0 and cp <= 0xDE and cp ~= 0xD7 then return 1 end
  if cp >= 0xDF and cp <= 0xFF and cp ~= 0xF7 then return -1 end
  if cp >= 0x100 and cp <= 0x17F then
    -- pairs: upper even from U+0100 to U+0137 and from U+014A to U+0177, odd in between and after
    local odd_upper = (cp >= 0x139 and cp <= 0x148) or cp >= 0x179
    if cp == 0x138 or cp == 0x149 then return -1 end
    if cp == 0x178 then return 1 end
    return ((cp % 2 == 1) == odd_upper) and 1 or -1
  end
  if cp >= 0x400 and cp <= 0x42F then return 1 end
  if cp >= 0x430 and cp <= 0x45F then return -1 end
  return 0
end

-- does s start with a capital letter?
local function capitalised(s)
  local ok, cp = pcall(utf8.codepoint, s, 1)
  return ok and cp ~= nil and case_of(cp) == 1
end

-- does s hold a lower-case letter?
local function has_lower(s)
  if s:find("%l") then return true end
  if not s:find("[\128-\255]") then return false end
  for _, cp in utf8.codes(s, true) do
    if case_of(cp) == -1 then return true end
  end
  return false
end
M._capitalised, M._has_lower = capitalised, has_lower

-- Word sets with `*` stems -------------------------------------------------------------------

local function wordset(list)
  local s = { exact = {}, stems = {} }
  for _, w in ipairs(list) do
    if w:sub(-1) == "*" then s.stems[#s.stems + 1] = w:sub(1, -2) else s.exact[w] = true end
  end
  return s
end

local function inset(s, w)
  if s.exact[w] then return true end
  for _, p in ipairs(s.stems) do
    if w:sub(1, #p) == p then return true end
  end
  return false
end

local BOUNDARY = wordset(CUES.boundaries)
local INDEPENDENT = wordset(CUES.independent)
local SKIP = wordset(CUES.skip)
local BREAKS = wordset(CUES.clause_breaks)
local COORD = wordset(CUES.coordinators)
local PRONOUN = wordset(CUES.pronouns)
local SUBJECT = { en = wordset(CUES.subject_pronouns.en), sx = wordset(CUES.subject_pronouns.sx) }
local function subject(S, w)
  return w and SUBJECT[vocab.lang_group(S.lang) == "en" and "en" or "sx"].exact[w] or false
end
local NEGATION = wordset(CUES.negations)
local RELATIVE = wordset(CUES.relatives)
local OUTLET_NOUN = wordset(CUES.outlet_nouns)
local NESTING = wordset(CUES.nesting)
local NOT_SAYING = wordset(CUES.not_saying)
local JOIN_THAT = wordset(CUES.join_needs_that)
local HEADLINE_SPEC = { kind = "say", dir = "before" }     -- the colon of "Speaker: statement"
local PREP = wordset(CUES.after_speaker)
local OFFICE = wordset(SPEAKERS.offices)
local REFERS_BACK = wordset(SPEAKERS.refers_back)
local OFFICE_MOD = wordset(CUES.office_modifiers)
local THAT = wordset { "that", "da", "kako" }

-- Lexicons built once: cue verbs, and stance/anaphora words. A phrase tagged ` @en` or ` @sx`
-- applies to that language only.
local cue_lex, word_lex

--- Where the stance words of a claim's clause come from: categories of the rule set's
-- modality cues (`dossier.recognisers.cues.lists`) and the stance each gives, `{category,
-- stance}`. A `neutral` phrase ("did not say", "in may") is matched as a word of its own, so
-- that the shorter cue inside it is not. What only claims need is in `dossier.claims.cues`
-- (`hedge`, `plan`, `deny`).
M.STANCE_SOURCES = { { "neutral", "neutral" }, { "denied", "deny" }, { "hedged", "hedge" },
  { "modal", "hedge" } }

local function lang_tag(phrase)
  local p, tag = phrase:match("^(.-)%s+@(%a+)$")
  if p then return p, tag end
  return phrase, nil
end

local function has_cue_verb(phrase)
  for w in phrase:gmatch("%S+") do
    local spec = CUES.verbs[w]
    if spec and (spec.kind == "say" or spec.kind == "join") then return true end
  end
  return false
end

local function lexicons()
  if cue_lex then return cue_lex, word_lex end
  cue_lex = lexicon.new()
  local phrases = {}
  for phrase in pairs(CUES.verbs) do phrases[#phrases + 1] = phrase end
  table.sort(phrases)
  for _, phrase in ipairs(phrases) do cue_lex:add(phrase, phrase, CUES.verbs[phrase]) end
  word_lex = lexicon.new()
  local function add_words(list, kind, shared)
    for _, entry in ipairs(list or {}) do
      local p, tag = lang_tag(entry)
      if not (shared and has_cue_verb(p)) then word_lex:add(p, kind, { tag = tag }) end
    end
  end
  -- the modality cues of the rule set first (one vocabulary), then what only claims add; a
  -- shared phrase holding a speech verb ("claims that", "said to") is the claim's own cue,
  -- not a stance word
  local lists = MODALITY.lists
  for _, k in ipairs(M.STANCE_SOURCES) do add_words(lists[k[1]], k[2], true) end
  add_words(CUES.plan_own, "plan")
  for _, kind in ipairs { "hedge", "plan", "deny", "anaphora" } do add_words(CUES[kind], kind) end
  return cue_lex, word_lex
end

-- (a language dossier does not read is taken as South Slavic, as the cue lists are)
local function lang_ok(tag, lang)
  if not tag or not lang then return true end
  return tag == (vocab.lang_group(lang) == "en" and "en" or "sx")
end

--- Actor lexicons speakers are taken from, as module names, most general first: an entry of a
-- later module replaces one of an earlier module with the same phrase. Modules that are not
-- installed are skipped (`dossier.lexicon.world`, the large actor lexicon, may be absent).
-- Each returns an array of `{phrase, code [, attrs]}` as `dossier.lexicon.actors` does;
-- `attrs.upper` / `attrs.cap` (an abbreviation or name that is also a common word) keep only a
-- match written in upper case / capitalised, `attrs.roles = {{code, from, to}, ...}` gives a
-- person's state by the document's date.
-- (The list is `dossier.vocab`'s, the one the rule set reads too.)
M.ACTOR_LEXICONS = vocab.ACTOR_LEXICONS
local load_actor_lists = vocab.actor_lists

local function add_actor(lex, e)
  local a = type(e[3]) == "table" and e[3] or {}
  lex:add(e[1], e[2], { kind = "actor", actor = e[2], upper = a.upper, cap = a.cap, roles = a.roles })
end

--- A new `dossier.lexicon` of speakers: the actor lexicons (`ACTOR_LEXICONS`, or `actors` if
-- given), then the outlets, institutions and offices of `dossier.claims.speakers`, then `extra`
-- entries `{phrase, id, kind [, actor]}` if given. Entry attrs are
-- `{kind = "outlet"|"actor"|"body", actor = code, upper =, cap =, roles =}`.
-- @param extra optional array of entries
-- @param actors optional array of actor entry lists (`{phrase, code [, attrs]}`) replacing
--   the installed actor lexicons
-- @return a `dossier.lexicon`
function M.speakers(extra, actors)
  local lex = lexicon.new()
  for _, list in ipairs(actors or load_actor_lists()) do
    for _, e in ipairs(list) do add_actor(lex, e) end
  end
  for _, list in ipairs { SPEAKERS, extra or {} } do
    for _, e in ipairs(list) do
      local kind = e[3] or "actor"
      lex:add(e[1], e[2], { kind = kind, actor = e[4] or (kind == "actor" and e[2] or nil), cap = e.cap,
        office = kind == "actor" or nil })
    end
  end
  return lex
end

-- pad an ISO date or year so that string comparison orders it ("2017" as from: 2017-00-00)
local function pad(d, fill)
  d = tostring(d)
  return #d >= 10 and d:sub(1, 10) or d .. fill:sub(#d + 1)
end

--- The code a speaker entry stands for on a date: a person's role that covers `date` (ISO),
-- else nil (out of office then: the speaker stays as written); without a date, the one state
-- all their roles share, else the entry's own code.
-- @param attrs the entry's attrs (with `roles = {{code, from, to}, ...}`)
-- @param code the entry's code
-- @param date optional ISO date of the document
-- @return code
function M.role_code(attrs, code, date)
  local roles = attrs and attrs.roles
  if type(roles) ~= "table" or #roles == 0 then return code end
  if date then
    for _, r in ipairs(roles) do
      local c, from, to = r[1] or r.code, r[2] or r.from, r[3] or r.to
      if (not from or pad(from, "0000-00-00") <= date) and (not to or date <= pad(to, "9999-99-99")) then
        return c
      end
    end
  end
  if date then return nil end                      -- out of office on that date: as written
  local one = roles[1][1] or roles[1].code
  for _, r in ipairs(roles) do
    if (r[1] or r.code) ~= one then return code end
  end
  return one
end

-- Tokens of a folded sentence --------------------------------------------------------------

local PUNCT = { [","] = true, [";"] = true, [":"] = true, ["("] = true, [")"] = true, ['"'] = true,
  ["."] = true, ["!"] = true, ["?"] = true }

local function tokenize(f)
  local toks = {}
  local i, n = 1, #f
  while i <= n do
    local c = f:sub(i, i)
    if c:find("[%w\128-\255]") then
      -- an abbreviation of single letters ("u.s.", "u.n.", "e.f.") is one word
      local s, e
      if f:byte(i + 1) == 46 then
        s, e = f:find("^%a%.%a%.[%a%.]*", i)
        if s and f:find("^[%w\128-\255]", e + 1) then s = nil end
      end
      if not s then
        s, e = f:find("^[%w\128-\255]+", i)
        -- a dot inside a word is no full stop: "index.hr", "b92.net", "2.000"
        while f:byte(e + 1) == 46 and f:find("^[%w\128-\255]", e + 2) do
          local _, e2 = f:find("^[%w\128-\255]+", e + 2)
          e = e2
        end
      end
      toks[#toks + 1] = { s = s, e = e, w = f:sub(s, e) }
      i = e + 1
    else
      if PUNCT[c] or (c == "-" and f:sub(i - 1, i - 1) == " " and f:sub(i + 1, i + 1) == " ") then
        toks[#toks + 1] = { s = i, e = i, p = c == "-" and ";" or c }
      end
      i = i + 1
    end
  end
  local at_s, at_e = {}, {}
  for k, t in ipairs(toks) do at_s[t.s] = k; at_e[t.e] = k end
  return toks, at_s, at_e
end

-- token index covering folded byte offset `pos` (first token starting at or after it)
local function tok_at(toks, at, pos, forward)
  if at[pos] then return at[pos] end
  if forward then
    for k, t in ipairs(toks) do if t.s >= pos then return k end end
    return #toks
  end
  for k = #toks, 1, -1 do if toks[k].e <= pos then return k end end
  return 1
end

-- A sentence being analysed ----------------------------------------------------------------

local function scan_spans(lex, f, toks, at_s, at_e, accept)
  local out = {}
  for id, a, b, attrs in lex:scan(f) do
    if not accept or accept(id, attrs, a, b) then
      local t1, t2 = tok_at(toks, at_s, a, true), tok_at(toks, at_e, b, false)
      -- a match inside one of our words ("hr" of "index.hr") covers no token: dropped
      if t1 <= t2 then out[#out + 1] = { id = id, a = a, b = b, attrs = attrs, t1 = t1, t2 = t2 } end
    end
  end
  return out
end

local function clauses_of(toks)
  local cl, start = {}, 1
  for k, t in ipairs(toks) do
    local nxt = toks[k + 1]
    if t.p == ";" or (t.p == "," and nxt and nxt.w and BREAKS.exact[nxt.w]) then
      if k > start then cl[#cl + 1] = { t1 = start, t2 = k - 1 } end
      start = t.p == "," and k + 2 or k + 1     -- the conjunction belongs to no argument
    end
  end
  if start <= #toks then cl[#cl + 1] = { t1 = start, t2 = #toks } end
  return cl
end

local function entity_words_only(S, j1, j2)
  -- are tokens j1..j2 all covered by entities or coordinators?
  for j = j1, j2 do
    local t = S.toks[j]
    if t.p then
      if t.p ~= "," then return false end
    elseif not S.ent_tok[j] and not COORD.exact[t.w] then
      return false
    end
  end
  return true
end

-- the chunk before token j (exclusive), back to punctuation, a boundary, a cue or lo
local function chunk_before(S, j, lo)
  local k = j - 1
  while k >= lo do
    local t = S.toks[k]
    if t.p or BOUNDARY.exact[t.w] or S.cue_tok[k] then break end
    k = k - 1
  end
  return k + 1, j - 1
end

local function trim(S, t1, t2)
  while t1 and t1 <= t2 and (S.toks[t1].p or (SKIP.exact[S.toks[t1].w] and not S.ent_tok[t1]
      and not subject(S, S.toks[t1].w))) do
    t1 = t1 + 1
  end
  while t1 and t2 >= t1 and (S.toks[t2].p or (SKIP.exact[S.toks[t2].w] and not S.ent_tok[t2]
      and not subject(S, S.toks[t2].w))) do
    t2 = t2 - 1
  end
  if not t1 or t1 > t2 then return nil end
  return { t1 = t1, t2 = t2 }
end

-- the argument before a cue starting at token ti ("South Korea's military said")
local function np_before(S, ti, lo)
  local j, t1, t2, words = ti - 1, nil, nil, 0
  local crossed, appos, stop = false, false, nil
  while j >= lo do
    local t = S.toks[j]
    if t.p == ")" then
      -- "the Energy Information Administration (EIA) said": an aside in brackets is skipped
      local m = j - 1
      while m >= lo and m >= j - 6 and S.toks[m].p ~= "(" and not (S.toks[m].p and S.toks[m].p ~= ",") do
        m = m - 1
      end
      if m < lo or S.toks[m].p ~= "(" then break end
      j = m
    elseif t.p then
      if t.p ~= "," then break end
      if not t2 then
        if crossed then break end
        crossed = true                       -- "Denis Pushilin, said"
        for m = j - 1, lo + 1, -1 do          -- "The official, who spoke ..., said"
          local tm = S.toks[m]
          if tm.p and tm.p ~= "," then break end
          if tm.w and RELATIVE.exact[tm.w] and S.toks[m - 1] then
            -- with a comma before it or not ("Humanitarni radnik koji nije želeo da bude
            -- imenovan, rekao je"): the subject is what stands before the relative
            crossed, j = "relative", S.toks[m - 1].p == "," and m - 1 or m
            break
          end
        end
      elseif crossed == true and not appos then
        appos = true                         -- "The leader of Donetsk, Denis Pushilin, said"
      else
        local c1, c2 = chunk_before(S, j, lo)
        if c2 >= c1 and c2 - c1 < 5 and entity_words_only(S, c1, c2) and S.ent_tok[t1] then
          t1 = c1                            -- "Britain, France and Germany"
          j = c1
        else
          break
        end
      end
    elseif crossed == true and RELATIVE.exact[t.w] and S.toks[j - 1] and S.toks[j - 1].p == "," then
      t1, t2, words, crossed = nil, nil, 0, "relative"  -- "The official, who spoke ..., said"
      j = j - 1
    elseif BOUNDARY.exact[t.w] or S.cue_tok[j] then
      stop = t.w
      break
    else
      t1, t2 = j, t2 or j
      words = words + 1
      if words >= 12 then break end
    end
    j = j - 1
  end
  if not t2 then return nil, stop end
  -- across the comma before the verb, words that a subordinate clause began ("Na pitanje da li
  -- bi seo ... i razgovarao, kaže"): they are no subject
  if crossed == true and not appos and stop and BOUNDARY.exact[stop] then return nil, stop end
  for m = t2, t1 + 1, -1 do                 -- "five banks it had accused": the subject is "it"
    local w = S.toks[m].w
    if subject(S, w) then t1 = m break end
  end
  local r = trim(S, t1, t2)
  if r then r.stop, r.relative = stop, crossed == "relative" or appos end
  return r, stop
end

-- the argument after a cue ending at token te ("according to the state news agency KCNA")
local function np_after(S, te, hi)
  local j, t1, t2, words = te + 1, nil, nil, 0
  local final = false
  while true do
    if j > hi then final = true break end
    local t = S.toks[j]
    local lead = not t2 or SKIP.exact[S.toks[t2].w]      -- nothing but auxiliaries yet
    if t.p == "(" and lead then
      -- "izvestila je u sredu (3. jun) agencija Anadolu": an aside in brackets is skipped
      local k = j + 1
      while k <= hi and k <= j + 8 and S.toks[k].p ~= ")" do k = k + 1 end
      if k > hi or S.toks[k].p ~= ")" then break end
      j = k + 1
      goto continue
    elseif lead and t.w and PREP.exact[t.w] and S.toks[j + 1] and S.toks[j + 1].w
        and not S.ent_tok[j + 1] and j + 1 < hi then
      -- "izjavio je u sredu premijer": a time or place adjunct before the speaker is skipped
      t1, t2 = nil, nil
      j = j + 2
      goto continue
    elseif t.p then
      if t.p == "," and t2 and S.ent_tok[t2] then
        local k = j + 1
        while k <= hi and not S.toks[k].p and not BOUNDARY.exact[S.toks[k].w] and not S.cue_tok[k] do
          k = k + 1
        end
        if k - 1 >= j + 1 and entity_words_only(S, j + 1, k - 1) then
          t2 = k - 1
          j = k
          goto continue
        end
      end
      final = t.p == "." or t.p == "!" or t.p == "?" or t.p == '"'
      break
    elseif BOUNDARY.exact[t.w] or S.cue_tok[j] then
      break
    elseif t2 and not SKIP.exact[S.toks[t2].w] and PREP.exact[t.w] and not S.ent_tok[j] then
      -- "rekao je Vučić na ruskom", "said X in Tokyo": an adjunct ends the speaker; when the
      -- sentence ends a few words later, the speaker ends it ("..., rekao je X u ponedeljak.")
      for k = j + 1, math.min(hi + 1, j + 4) do
        local tk = S.toks[k]
        if not tk or tk.p then
          final = not tk or tk.p == "." or tk.p == "!" or tk.p == "?" or tk.p == '"' or tk.p == ","
          break
        end
      end
      break
    else
      t1, t2 = t1 or j, j
      words = words + 1
      if words >= 10 then break end
    end
    j = j + 1
    ::continue::
  end
  if not t2 then return nil end
  local r = trim(S, t1, t2)
  if r then r.final = final end
  return r
end

-- words of a kind (hedge, plan, deny, anaphora) inside tokens t1..t2
local function word_in(S, kind, t1, t2)
  for _, w in ipairs(S.words) do
    if w.id == kind and w.t1 >= t1 and w.t2 <= t2 and lang_ok(w.attrs and w.attrs.tag, S.lang) then
      return w
    end
  end
  return nil
end

local function orig_range(S, t1, t2)
  local a, b = S.map:range(S.toks[t1].s, S.toks[t2].e)
  return S.base + a - 1, S.base + b - 1
end

-- an argument's speaker: outlet, actors (coordinated), or the words as written
local function resolve(S, r, heads)
  if not r then return nil end
  local arg = { t1 = r.t1, t2 = r.t2, final = r.final, stop = r.stop }
  local a, b = orig_range(S, r.t1, r.t2)
  arg.text = S.doc:sub(a, b)
  local only_pron, any_pron = true, false
  for j = r.t1, r.t2 do
    local t = S.toks[j]
    if t.w then
      if inset(PRONOUN, t.w) then any_pron = true
      elseif not SKIP.exact[t.w] and not (heads and inset(heads, t.w)) then only_pron = false end
    end
  end
  arg.pronoun = (only_pron and any_pron) or subject(S, S.toks[r.t1].w)
  arg.ref = word_in(S, "anaphora", r.t1, r.t2) ~= nil
  local nouns_only, any_noun = true, false   -- "the newspaper", "list", not "on"
  for j = r.t1, r.t2 do
    local t = S.toks[j]
    if t.w and OUTLET_NOUN.exact[t.w] then any_noun = true
    elseif t.w and not SKIP.exact[t.w] then nouns_only = false end
  end
  arg.outlet_ref = nouns_only and any_noun
  local ents = {}
  for _, e in ipairs(S.ents) do
    if e.t1 >= r.t1 and e.t2 <= r.t2 then ents[#ents + 1] = e end
  end
  for _, e in ipairs(ents) do
    if e.attrs and e.attrs.kind == "outlet" then
      arg.outlet, arg.id = e.id, e.id
      arg.actors = { e.attrs.actor }
      return arg
    end
  end
  -- bodies without a code ("the defence ministry") name the speaker only when no actor does
  local actors, body = {}, nil
  for _, e in ipairs(ents) do
    if e.attrs and e.attrs.kind == "body" then body = body or e else actors[#actors + 1] = e end
  end
  ents = actors
  if #ents == 0 and body then arg.id, arg.body = body.id, true end
  if #ents > 0 then
    local ids, seen = { ents[1].id }, { [ents[1].id] = true }
    for k = 2, #ents do
      local prev, e = ents[k - 1], ents[k]
      local ok = true
      for j = prev.t2 + 1, e.t1 - 1 do
        local t = S.toks[j]
        if not (t.p == "," or (t.w and COORD.exact[t.w])) then ok = false break end
      end
      if not ok then break end
      if not seen[e.id] then ids[#ids + 1], seen[e.id] = e.id, true end
    end
    arg.actors = ids
    arg.id = table.concat(ids, ",")
  end
  return arg
end

local function has_head(S, arg, heads)
  for j = arg.t1, arg.t2 do
    local w = S.toks[j].w
    if w then
      for _, h in ipairs(heads) do if w:sub(1, #h) == h then return true end end
    end
  end
  return false
end

local head_sets = setmetatable({}, { __mode = "k" })
local function head_set(list)
  local hs = head_sets[list]
  if not hs then
    local stems = {}
    for i, h in ipairs(list) do stems[i] = h .. "*" end
    hs = wordset(stems)
    head_sets[list] = hs
  end
  return hs
end

-- the argument of one cue, by its direction
local function argument(S, c, cl, cur)
  local spec = c.spec
  if spec.dir == "none" then return nil end
  local prev = S.toks[c.t1 - 1]
  local after_comma = c.t1 == cl.t1 or (prev and prev.p == ",")
  if spec.dir == "after" then
    local a = resolve(S, np_after(S, c.t2, cl.t2), spec.head and head_set(spec.head))
    if spec.head and not (a and has_head(S, a, spec.head)) then return nil, "skip" end
    if (not a or not a.id) and spec.kind == "relay" then
      local b = resolve(S, (np_before(S, c.t1, cl.t1)))
      if b and b.id then a = b end
    end
    return a
  end
  local a
  -- "The newspaper, quoting officials, said X ...": a claim already has its speaker, so what
  -- follows the verb is what was said
  -- "An official who declined to be named, said ...", "The leader of Donetsk, Denis
  -- Pushilin, said ...": a subject set off by a relative clause or an apposition is the speaker
  local rb, sb = np_before(S, c.t1, cl.t1)
  if rb and rb.relative then
    local b = resolve(S, rb)
    b.stop = sb
    return b
  end
  if after_comma and not (cur and (cur.speaker or #cur.chain > 0)) then
    a = resolve(S, np_after(S, c.t2, cl.t2))
    local words = a and a.t2 - a.t1 + 1 or 0
    local short = words <= 4 or (S.lang ~= "en" and words <= 6)
    -- after a quote or a dash the speaker follows the verb whatever comes after it:
    -- '"...", rekao je Vučić, koji je dodao', '- izjavio je Erdogan u utorak, javlja ...'
    local quoted = prev and (prev.p == ";" or (prev.p == "," and S.toks[c.t1 - 2]
      and S.toks[c.t1 - 2].p == '"'))
    if a and short and (a.final or quoted) then
      return a                                            -- "..., said the minister."
    end
  end
  local r, stop = rb, sb
  local b = resolve(S, r)
  if spec == HEADLINE_SPEC then return b end       -- "Speaker: statement": what the colon follows
  if b then b.stop = stop end
  if (not b or not b.id) and S.lang ~= "en" then
    a = a or resolve(S, np_after(S, c.t2, cl.t2))
    if a and a.id and a.final then return a end        -- "Лансирање су осудиле САД, Јапан и ..."
  end
  if not b and stop then return { stop = stop, empty = true } end
  return b
end

-- Claims of one sentence -------------------------------------------------------------------

local function new_claim(S, cl)
  return { chain = {}, stance = {}, clause = cl, t1 = math.huge, t2 = 0, S = S }
end

local function cover(claim, t1, t2)
  if t1 and t1 < claim.t1 then claim.t1 = t1 end
  if t2 and t2 > claim.t2 then claim.t2 = t2 end
end

local function push_chain(S, claim, outlet)
  if outlet == S.outlet then return end            -- the article's own outlet is no relay
  for _, o in ipairs(claim.chain) do if o == outlet then return end end
  claim.chain[#claim.chain + 1] = outlet
end

local FIRST_PERSON = wordset(CUES.first_person)

-- Is the speaker a first person ("we", "mi", "smo") and nothing else?
local function first_person(S, sp)
  if not sp.t1 then return false end
  local any = false
  for j = sp.t1, sp.t2 do
    local t = S.toks[j]
    if t.w and FIRST_PERSON.exact[t.w] then any = true
    elseif t.w and not SKIP.exact[t.w] then return false end
  end
  return any
end

-- A South Slavic speech verb with no subject at the start of its clause ("Tvrdi da",
-- "Dodao je da", "Ocenila je da"): the subject is dropped, as the language allows.
-- In English, a verb right after the conjunction of a new clause shares the subject of the
-- one before ("The bank said ..., but warned a campaign could harm the economy").
local function dropped_subject(S, c, cl)
  for j = cl.t1, c.t1 - 1 do
    local t = S.toks[j]
    if t.p or not SKIP.exact[t.w] then return false end
  end
  if S.lang == "en" then
    local conj = S.toks[cl.t1 - 1]
    return cl.t1 > 1 and conj ~= nil and conj.w ~= nil and BREAKS.exact[conj.w] == true
  end
  local nxt = S.toks[c.t2 + 1]
  if nxt and nxt.w and SKIP.exact[nxt.w] then nxt = S.toks[c.t2 + 2] end   -- "Dodao je da"
  return nxt ~= nil and nxt.w ~= nil and BOUNDARY.exact[nxt.w] == true
end

-- The subject of a clause whose participle says something ("Washington imposed the sanctions,
-- saying", "Predsednik Makedonije Đorđe Ivanov stavio je veto ..., ističući"): an actor or
-- outlet among its first words, else the capitalised name it starts with ("Dr Williams has
-- since criticised ..., saying"); nil if neither.
local function clause_subject(S, cl, before)
  local limit = math.min(before - 1, cl.t1 + 5)
  for _, e in ipairs(S.ents) do
    if e.t1 >= cl.t1 and e.t2 <= limit then
      return resolve(S, { t1 = e.t1, t2 = e.t2 })
    end
  end
  local t1 = cl.t1
  while t1 <= limit and S.toks[t1].w and SKIP.exact[S.toks[t1].w] do t1 = t1 + 1 end
  local t2 = t1 - 1
  while t2 + 1 <= limit and S.toks[t2 + 1].w do
    local a = orig_range(S, t2 + 1, t2 + 1)
    if not capitalised(S.doc:sub(a, a + 3)) then break end
    t2 = t2 + 1
  end
  if t2 < t1 or t2 - t1 > 2 then return nil end
  return resolve(S, { t1 = t1, t2 = t2 })
end

-- What each kind of cue does to the clause's current claim `cur` (nil: none yet), given its
-- argument; each returns the current claim after it. `out` collects the finished claims.
local ON = {}

function ON.join(S, cl, c, _, cur)
  local nxt = S.toks[c.t2 + 1]
  if not cur and (not JOIN_THAT.exact[c.id] or (nxt and nxt.w and NESTING.exact[nxt.w])) then
    -- "Washington imposed the sanctions, saying ...": the clause's subject speaks
    local subj = clause_subject(S, cl, c.t1)
    if subj then
      cur = new_claim(S, cl)
      cur.speaker = subj
      cur.cue = c
      cover(cur, subj.t1, subj.t2)
    end
  end
  if cur and c.spec.stance then cur.stance[c.spec.stance] = true end
  return cur
end

-- a speech verb's subject joins the current claim, replaces its speaker or starts a new claim
local function say_subject(S, cl, arg, cur, out)
  if cur and cur.speaker and not arg.pronoun and (first_person(S, cur.speaker)
      or (cur.cue and cur.cue.spec == HEADLINE_SPEC)) then
    -- "We will respond, the minister said", "Diplomatija: Papandreu kaže": the later subject
    cur.speaker = nil
  end
  if cur and cur.speaker and arg.id and not arg.pronoun and cur.speaker.text ~= arg.text then
    if arg.stop and NESTING.exact[arg.stop] then
      -- "the ministry said that Kim told ...": Kim speaks, the ministry relays
      if cur.speaker.id then push_chain(S, cur, cur.speaker.id) end
      cur.speaker = nil
    else
      out[#out + 1] = cur
      cur = new_claim(S, cl)
    end
  end
  cur = cur or new_claim(S, cl)
  cur.speaker = cur.speaker or arg
  return cur
end

function ON.say(S, cl, c, arg, cur, out)
  if arg and arg.outlet then
    cur = cur or new_claim(S, cl)
    push_chain(S, cur, arg.outlet)
    if not cur.reporter then cur.reporter = arg end
  elseif arg and not arg.empty and not arg.id and arg.outlet_ref then
    cur = cur or new_claim(S, cl)      -- "the newspaper said": the outlet named before
    cur.ref, cur.outlet_ref = true, true
  elseif arg and not arg.empty then
    cur = say_subject(S, cl, arg, cur, out)
  elseif not arg and not cur and dropped_subject(S, c, cl) then
    -- "Tvrdi da ...", "Ocenio je da ...": the subject is the previous speaker
    cur = new_claim(S, cl)
    cur.speaker = { pronoun = true, text = "", t1 = c.t1, t2 = c.t2 }
  end
  if cur then
    if c.spec.stance then cur.stance[c.spec.stance] = true end
    if c.spec.announce then
      -- a that-clause within the next three words ("announced on Tuesday that", "najavio je da")
      local clause = false
      for j = c.t2 + 1, math.min(c.t2 + 3, #S.toks) do
        local t = S.toks[j]
        if t.w and THAT.exact[t.w] then clause = true end
      end
      if not clause then cur.stance.plan = true end
    end
    cur.cue = cur.cue or c
    if c.spec.to then
      local o = resolve(S, np_after(S, c.t2, cl.t2))
      if o and o.outlet then push_chain(S, cur, o.outlet); cover(cur, o.t1, o.t2) end
    end
  end
  return cur
end

function ON.quoted(S, cl, c, arg, cur)
  -- "U.S. officials were quoted by the New York Times as saying"
  if arg and not arg.empty and not arg.outlet then
    cur = cur or new_claim(S, cl)
    cur.speaker = cur.speaker or arg
    cur.cue = cur.cue or c
    local o = resolve(S, np_after(S, c.t2, cl.t2))
    if o and o.outlet then push_chain(S, cur, o.outlet); cover(cur, o.t1, o.t2) end
  end
  return cur
end

function ON.relay(S, cl, c, arg, cur)
  if arg and not arg.empty then
    if not cur then
      cur = new_claim(S, cl)
      local subj = resolve(S, (np_before(S, c.t1, cl.t1)))
      if subj and not subj.id and subj.outlet_ref then
        cur.ref, cur.outlet_ref = true, true   -- "List se poziva na ..."
      end
    end
    if arg.outlet then
      push_chain(S, cur, arg.outlet)
    elseif arg.ref and not arg.id then
      cur.ref = true                   -- "pozivajući se na isti izveštaj", "prema tim podacima"
    elseif arg.outlet_ref and not arg.id then
      cur.ref, cur.outlet_ref = true, true
    elseif arg.id or c.spec.kind == "source" then
      cur.speaker = cur.speaker or arg
    end
    cur.cue = cur.cue or c
  end
  return cur
end
ON.source = ON.relay

function ON.first(S, cl, c, arg, cur, out)
  if arg and arg.outlet then
    if cur and arg.stop and INDEPENDENT.exact[arg.stop] then
      out[#out + 1] = cur
      cur = nil
    end
    cur = cur or new_claim(S, cl)
    push_chain(S, cur, arg.outlet)
    cur.first = true
    cur.cue = cur.cue or c
  end
  return cur
end

-- the argument of cue c, or "skip" when the cue says nothing here
local function cue_argument(S, c, cl, cur)
  local before = S.toks[c.t1 - 1]
  if c.spec.kind == "say" and before and before.w and (NEGATION.exact[before.w]
      or (S.lang == "en" and NOT_SAYING.exact[before.w])) then
    return nil, "skip"       -- "did not say", "nije rekao", "must be disclosed", "for alleged"
  end
  local arg, why = argument(S, c, cl, cur)
  -- "Diplomatija: ...": a headline's label that names an outlet or section is no speaker
  if c.spec == HEADLINE_SPEC and arg and arg.outlet then why = "skip" end
  return arg, why
end

local function sentence_claims(S)
  local out = {}
  for _, cl in ipairs(S.clauses) do
    local cur
    for _, c in ipairs(S.cues) do
      if c.t1 >= cl.t1 and c.t1 <= cl.t2 then
        local arg, why = cue_argument(S, c, cl, cur)
        local on = ON[c.spec.kind]
        if why ~= "skip" and on then
          cur = on(S, cl, c, arg, cur, out)
          if cur then
            cover(cur, c.t1, c.t2)
            if arg and arg.t1 then cover(cur, arg.t1, arg.t2) end
          end
        end
      end
    end
    if cur then out[#out + 1] = cur end
  end
  local kept = {}
  for _, cl in ipairs(out) do
    if cl.speaker or #cl.chain > 0 or cl.ref then kept[#kept + 1] = cl end
  end
  return kept
end

-- Documents --------------------------------------------------------------------------------

local HEADLINE_LABEL = wordset(CUES.headline_labels)

-- "Speaker: statement" at the start of a sentence (headlines, leads): the colon is the cue
local function headline_cue(S)
  local toks = S.toks
  local first = toks[1]
  if not first or not first.w or HEADLINE_LABEL.exact[first.w] then return nil end
  for k = 2, math.min(#toks - 1, CUES.headline_words + 1) do
    local t = toks[k]
    if t.p then
      if t.p ~= ":" then return nil end
      local o = S.map:range(first.s, first.e)
      if not capitalised(S.doc:sub(S.base + o - 1, S.base + o + 2)) then return nil end
      -- "VUČIĆ NASTAVLJA POSETU AZERBEJDŽANU:" is a kicker, "ĐURIĆ:" a speaker
      local _, e = orig_range(S, 1, k - 1)
      if k - 1 >= 3 and not has_lower(S.doc:sub(S.base + o - 1, e)) then return nil end
      return { id = ":", a = t.s, b = t.e, t1 = k, t2 = k, spec = HEADLINE_SPEC, attrs = HEADLINE_SPEC }
    end
  end
  return nil
end

-- an acceptor for scan_spans: a match of an entry marked `upper` (an abbreviation that is
-- also a common word: "US" / "us") must be written without lower-case letters, one marked
-- `cap` ("Beta", a name that is also a word) must start with a capital
local function written_ok(S)
  return function(_, attrs, a, b)
    if not attrs or not (attrs.upper or attrs.cap) then return true end
    local oa, ob = S.map:range(a, b)
    local w = S.doc:sub(S.base + oa - 1, S.base + ob - 1)
    if attrs.upper then return not has_lower(w) end
    return capitalised(w)
  end
end

-- does folded sentence f hold a cue verb (or a colon, for a headline)?
local function has_cue(clex, f)
  if f:find(":", 1, true) then return true end
  for _, _, _, attrs in clex:scan(f) do
    if attrs ~= nil then return true end
  end
  return false
end

-- `events`: whether an event mention lies in the sentence. A sentence with neither a cue nor
-- an event is not analysed further: it can only be looked at for where its events are.
-- The speakers and actors a sentence names (`S.ents`, `S.ent_tok`).
local function entities(S, ctx, at_s, at_e)
  S.ents = {}
  for _, lex in ipairs(ctx.speaker_lexicons) do
    for _, e in ipairs(scan_spans(lex, S.f, S.toks, at_s, at_e, written_ok(S))) do
      if e.attrs and e.attrs.roles then
        e.id = M.role_code(e.attrs, e.id, S.published)
        e.attrs = { kind = "actor", actor = e.id, person = true }
      end
      local clash = not e.id
      for _, o in ipairs(S.ents) do
        if e.t1 <= o.t2 and o.t1 <= e.t2 then clash = true break end
      end
      if not clash then S.ents[#S.ents + 1] = e end
    end
  end
  table.sort(S.ents, function(x, y) return x.t1 < y.t1 end)
  S.ent_tok = {}
  for _, e in ipairs(S.ents) do for j = e.t1, e.t2 do S.ent_tok[j] = true end end
end

-- A sentence with no claim cue: only its names, read when a later speaker needs them
-- (`office_holders`).
local function names_only(S, ctx)
  if S.ents then return S end
  local toks, at_s, at_e = tokenize(S.f)
  S.toks = toks
  entities(S, ctx, at_s, at_e)
  return S
end

local function analyse_sentence(doc, ss, se, ctx, events)
  local sub = doc.text:sub(ss, se)
  local f, map = text.fold(sub, nil, true)
  local clex, wlex = lexicons()
  local S = { doc = doc.text, base = ss, stop = se, f = f, map = map, lang = doc.lang,
    outlet = doc.source, published = doc.published, claims = {}, clauses = {} }
  if not events and not has_cue(clex, f) then
    S.lazy = ctx
    return S
  end
  local toks, at_s, at_e = tokenize(f)
  S.toks = toks
  if #toks == 0 then return S end
  S.cues = {}
  for _, c in ipairs(scan_spans(clex, f, toks, at_s, at_e, function(_, attrs) return attrs ~= nil end)) do
    -- "so-called", "well-said": a cue inside a hyphenated compound is no cue
    if f:sub(c.a - 1, c.a - 1) ~= "-" and f:sub(c.b + 1, c.b + 1) ~= "-" then S.cues[#S.cues + 1] = c end
  end
  for _, c in ipairs(S.cues) do c.spec = c.attrs end
  local h = headline_cue(S)
  if h then table.insert(S.cues, 1, h) end
  S.cue_tok = {}
  for _, c in ipairs(S.cues) do for j = c.t1, c.t2 do S.cue_tok[j] = true end end
  entities(S, ctx, at_s, at_e)
  S.words = scan_spans(wlex, f, toks, at_s, at_e)
  S.clauses = clauses_of(toks)
  for _, cl in ipairs(S.clauses) do cl.a, cl.b = orig_range(S, cl.t1, cl.t2) end
  S.claims = sentence_claims(S)
  return S
end

-- Is the claim's cue inside quotation marks (an odd number of them before it)?
local function quoted(S, claim)
  local c = claim.cue
  if not c then return false end
  local n = 0
  for j = 1, c.t1 - 1 do if S.toks[j].p == '"' then n = n + 1 end end
  return n % 2 == 1
end

-- the speaker of another claim of the sentence, outside the quote ('"...", rekao je Vučić')
local function quote_speaker(S, claim)
  for _, o in ipairs(S.claims) do
    if o ~= claim and o.speaker and o.speaker.id and not first_person(S, o.speaker) then
      return o.speaker
    end
  end
  return nil
end

-- Is the speaker named only by offices ("the official", "a senior official", "predsednik")?
-- The second result is true when it is named only by words that refer back ("the source"):
-- those take the state that spoke last, never the outlet's country.
local function office_only(S, sp)
  local any, back = false, true
  for j = sp.t1, sp.t2 do
    local t = S.toks[j]
    if t.w and REFERS_BACK.exact[t.w] then any = true
    elseif t.w and inset(OFFICE, t.w) then any, back = true, false
    elseif t.w and not SKIP.exact[t.w] and not OFFICE_MOD.exact[t.w] then return false end
  end
  return any, any and back
end

local TITLE = wordset(CUES.titles)

-- the country an outlet writes for (speakers.outlet_countries), by its source name
local function home_country(ctx, source)
  if not source then return nil end
  local memo = ctx.home
  if memo[source] == nil then
    local f = text.fold(source)
    memo[source] = false
    for _, e in ipairs(SPEAKERS.outlet_countries) do
      local n = text.fold(e[1])
      if f:sub(1, #n) == n and not f:sub(#n + 1, #n + 1):find("[%w\128-\255]") then
        memo[source] = e[2]
        break
      end
    end
  end
  return memo[source] or nil
end

-- the folded surname ending a speaker resolved to a state ("... Rusije Igor Konašenkov"): its
-- last word, capitalised and no actor itself (nil if there is none)
local function surname(S, sp)
  if not sp.t2 or not S.toks or not S.toks[sp.t2] then return nil end
  local t = S.toks[sp.t2]
  if not t.w or S.ent_tok[sp.t2] or OFFICE.exact[t.w] then return nil end
  local a = orig_range(S, sp.t2, sp.t2)
  if not capitalised(S.doc:sub(a, a + 3)) then return nil end
  return t.w
end

-- the folded name of a speaker that is one name alone, titles aside ("Konašenkov", "Mr Straw")
local function bare_name(S, sp)
  if not sp.t1 or not S.toks then return nil end
  local name
  for j = sp.t1, sp.t2 do
    local t = S.toks[j]
    if t and t.w and not TITLE.exact[t.w] and not SKIP.exact[t.w] then
      if name then return nil end
      name = t.w
    end
  end
  return name
end

local function events_in(evs, a, b)
  local out = {}
  for _, e in ipairs(evs) do
    local p = e.start or e.sent_start
    if p and p >= a and p <= b then out[#out + 1] = e end
  end
  return out
end

-- Is the clause nothing but the attribution ("Reuters reported.", "Tako javlja AP.")?
local function attribution_only(S, claim)
  local cl = claim.clause
  for j = cl.t1, cl.t2 do
    local t = S.toks[j]
    if t.w and not SKIP.exact[t.w] and (j < claim.t1 or j > claim.t2) then return false end
  end
  return true
end

local function link_events(sents, k, claim, evs)
  local S = sents[k]
  local cl = claim.clause
  local mine = events_in(evs, cl.a, cl.b)
  if #mine > 0 then return mine, "clause" end
  if claim.ref or #events_in(evs, S.base, S.stop) > 0 then return {}, nil end
  if word_in(S, "anaphora", cl.t1, cl.t2) then
    for j = k - 1, 1, -1 do
      local prev = events_in(evs, sents[j].base, sents[j].stop)
      if #prev > 0 then return prev, "anaphora" end
    end
    return {}, nil
  end
  if attribution_only(S, claim) then
    if k > 1 then
      local prev = events_in(evs, sents[k - 1].base, sents[k - 1].stop)
      if #prev > 0 then return prev, "previous" end
    end
    if sents[k + 1] then
      local nxt = events_in(evs, sents[k + 1].base, sents[k + 1].stop)
      if #nxt > 0 then return nxt, "next" end
    end
  end
  return {}, nil
end

local function stance_of(S, claim_stance, t1, t2, ev, own_hedge)
  if claim_stance and claim_stance.deny then return "deny", nil end
  local w
  if claim_stance then
    -- a speaker calling a claim baseless denies it, even when it quotes it as alleged
    w = word_in(S, "deny", t1, t2)
    if w then return "deny", w end
  end
  w = word_in(S, "hedge", t1, t2)
  if (claim_stance and claim_stance.hedge) or w then return "hedge", w end
  if claim_stance and claim_stance.plan then return "plan", nil end
  -- an event the speaker's own verb hedges for the outlet ("North Korea claimed it had
  -- tested") is what the speaker asserts
  if ev and STANCE_OF_MODALITY[ev.modality or ""] and not own_hedge then
    return STANCE_OF_MODALITY[ev.modality], nil
  end
  w = word_in(S, "plan", t1, t2)
  if w then return "plan", w end
  return "assert", nil
end

-- tokens of clause cl within `WINDOW` words of an event mention (the whole clause when the
-- mention has no span)
local WINDOW_BEFORE, WINDOW_AFTER = 6, 4
-- the first and last tokens of t1..t2 an event mention covers (nil if none)
local function mention_tokens(S, ev, t1, t2)
  if not ev.start or not ev.stop then return nil end
  local first, last
  for j = t1, t2 do
    local a, b = orig_range(S, j, j)
    if b >= ev.start and a <= ev.stop then
      first = first or j
      last = j
    end
  end
  return first, last
end

-- Is a hedged event hedged by the claim's own speech verb ("North Korea claimed it had
-- tested")? Asked of the rule set's modality cues (`dossier.recognisers.cues.modality`).
local function hedged_by_cue(S, ev, cue)
  if ev.modality ~= "hedged" or not cue or #S.toks == 0 then return false end
  local first, last = mention_tokens(S, ev, 1, #S.toks)
  if not first then return false end
  local ok, modality, _, _, cs, ce = pcall(MODALITY.modality, S.f, S.toks[first].s, S.toks[last].e,
    S.lang, nil)
  if not ok or modality ~= "hedged" or not cs then return false end
  return cs <= S.toks[cue.t2].e and ce >= S.toks[cue.t1].s
end

local function mention_window(S, ev, cl)
  local first, last = mention_tokens(S, ev, cl.t1, cl.t2)
  if not first then return cl.t1, cl.t2 end
  local words, t1 = 0, first
  while t1 > cl.t1 and words < WINDOW_BEFORE do
    t1 = t1 - 1
    if S.toks[t1].w then words = words + 1 end
  end
  words = 0
  local t2 = last
  while t2 < cl.t2 and words < WINDOW_AFTER do
    t2 = t2 + 1
    if S.toks[t2].w then words = words + 1 end
  end
  return t1, t2
end

-- The speaker a claim stands for, given what the document said before (`st`: last_speaker,
-- last_state, named = {surname → speaker}, home = the outlet's country): pronouns, dropped
-- subjects, the first person, offices and names alone. Marks the claim `unnamed` when no one
-- can be named.
local function resolve_speaker(S, claim, st)
  local sp = claim.speaker
  if sp and first_person(S, sp) then
    -- "We said", "Mi smo rekli": in a quote, whoever the quote is given to (or the previous
    -- speaker); in the outlet's own text ("kako smo već naveli"), no claim
    local by = quoted(S, claim) and (quote_speaker(S, claim) or st.last_speaker)
    if by then
      sp = setmetatable({ first_person_of = sp.text }, { __index = by })
    else
      claim.unnamed = true
    end
  elseif sp and sp.pronoun then
    -- "Prema njegovim rečima": the previous speaker (the pronoun is kept in attrs)
    if st.last_speaker then sp = setmetatable({ pronoun_of = sp.text }, { __index = st.last_speaker }) end
    if sp.text == "" then claim.unnamed = true end   -- a dropped subject and no one before
  elseif sp and (not sp.id or sp.body) and (st.last_state or st.home) and office_only(S, sp) then
    -- "the official", "a spokesman", "predsednik", "the source": the state that spoke last,
    -- else (not for "the source") the country the outlet writes for
    local _, back = office_only(S, sp)
    local by = st.last_state or (not back and { id = st.home, actors = { st.home } })
    if by then
      sp = setmetatable({ id = by.id, actors = by.actors, office_of = sp.text }, { __index = sp })
    end
  elseif sp and not sp.id and st.named[bare_name(S, sp) or false] then
    -- "Konašenkov", after "predstavnik Ministarstva odbrane Rusije Igor Konašenkov"
    local was = st.named[bare_name(S, sp)]
    sp = setmetatable({ id = was.id, actors = was.actors, name_of = sp.text }, { __index = sp })
  end
  return sp
end

-- The names a sentence gives a state's office-holders: "Brazilian President Jose Sarney",
-- "Polish trade official Jan Kaczura", "predstavnik Ministarstva odbrane Rusije Igor Konašenkov"
-- (an office word within four words of the state, then one to three capitalised words): their
-- surnames go into `named`, so that "Sarney said" later in the document is Brazil speaking.
local NOT_OF = wordset { "u", "in", "at", "na", "iz", "from", "to", "za", "sa", "s", "with", "and", "i", "by",
  "for", "od", "kod", "on", "o" }
-- an office word: "minister", "predsednik" (a stem only when written in lower case: "vlad*" is
-- "vlada", not "Vladimir")
local function office_word(S, j)
  local w = S.toks[j].w
  if not w or S.ent_tok[j] then return false end
  if OFFICE.exact[w] then return true end
  local a = orig_range(S, j, j)
  return inset(OFFICE, w) and not capitalised(S.doc:sub(a, a + 3))
end
local function office_holders(S, named)
  for _, e in ipairs(S.ents or {}) do
    local code = e.id and e.attrs and e.attrs.kind == "actor" and e.attrs.actor or e.id
    if code and e.attrs and e.attrs.person and e.t2 > e.t1 and S.toks[e.t2].w then
      -- a leader named in full ("Jose Sarney"): "Sarney" alone later
      named[S.toks[e.t2].w] = named[S.toks[e.t2].w] or { id = code, actors = { code } }
    elseif code and code:match("^%u%u%u$") then
      -- an institution or office of the speakers' list ("Trade Representative") is an office;
      -- so is an office word right before the state ("predstavnik Ministarstva odbrane Rusije")
      local office = e.attrs ~= nil and e.attrs.office == true
      for j = e.t1 - 1, math.max(1, e.t1 - 4), -1 do
        local t = S.toks[j]
        if S.ent_tok[j] then
          -- "Ministarstva odbrane Rusije": an office of the speakers' list, then the state
          for _, o in ipairs(S.ents) do
            if o.t2 == j and o.attrs and (o.attrs.office or o.attrs.kind == "body") then office = true end
          end
          break
        end
        if t.p or NOT_OF.exact[t.w] then break end
        if office_word(S, j) then office = true break end
      end
      -- then titles (offices, their modifiers, capitalised words before the office: "Corporate
      -- Affairs Minister"), then the name; "the Russian government put Yukos's ..." names no one
      local j, last = e.t2 + 1, nil
      while j <= #S.toks and j <= e.t2 + 8 do
        local t = S.toks[j]
        if t.p or S.ent_tok[j] or NOT_OF.exact[t.w] then break end
        local a = orig_range(S, j, j)
        local cap = capitalised(S.doc:sub(a, a + 3))
        if office_word(S, j) or OFFICE_MOD.exact[t.w] or t.w == "s" then
          if last then break end
          office = office or office_word(S, j)
        elseif cap and office and not TITLE.exact[t.w] then
          last = t.w
        elseif last or not cap then
          break
        end
        j = j + 1
      end
      if last and not named[last] then named[last] = { id = code, actors = { code } } end
    end
  end
end

-- Pass 1 over a document's claims: speakers resolved, events linked, back references
-- ("the newspaper", "prema tim podacima") merged into the report they refer to. Returns the
-- claims to store: `{claim=, S=, sp=, chain=, linked=, how=}`.
local function collect_claims(sents, evs, home)
  local items = {}
  local st = { named = {}, home = home }
  local read = 0 -- sentences before this one whose names are in st.named
  for k, S in ipairs(sents) do
    for _, claim in ipairs(S.claims) do
      local alone = claim.speaker and not claim.speaker.id and bare_name(S, claim.speaker)
      if alone and not st.named[alone] then
        -- "Sarney said": the names the document gave office-holders so far
        for i = read + 1, k do
          local Si = sents[i]
          office_holders(Si.lazy and names_only(Si, Si.lazy) or Si, st.named)
        end
        read = k
      end
      local sp = resolve_speaker(S, claim, st)
      local linked, how = link_events(sents, k, claim, evs)
      local prev = items[#items]
      local keep = true
      if claim.ref and prev then
        if claim.outlet_ref and #linked == 0 and not sp then
          -- "List se poziva na pisanje Njujork tajmsa": the previous chain goes on
          for _, o in ipairs(claim.chain) do push_chain(S, prev, o) end
          keep = false
        else
          local own = #claim.chain
          for _, o in ipairs(prev.chain) do push_chain(S, claim, o) end
          if #linked == 0 then
            if own > 0 then
              linked, how = prev.linked, "same report"   -- a new relay of the same report
            elseif not sp then
              keep = false                               -- nothing new: "prema tim podacima"
            end
          end
          sp = sp or prev.sp
        end
      elseif claim.ref and #linked == 0 then
        keep = false
      end
      if claim.unnamed then keep = false end
      if keep then
        items[#items + 1] = { claim = claim, S = S, sp = sp, chain = claim.chain, linked = linked,
          how = how }
        if sp then st.last_speaker = sp end
        if sp and sp.actors and sp.id and not sp.outlet then
          st.last_state = sp
          local name = sp == claim.speaker and surname(S, sp)
          if name then st.named[name] = sp end
        end
      end
    end
  end
  return items
end

-- Pass 2: one row per attribution and event it is about. Returns the rows stored and the set
-- of events covered.
local function store_attributed(db, doc, ctx, run_id, items)
  local n, covered = 0, {}
  for _, it in ipairs(items) do
    local claim, S, sp = it.claim, it.S, it.sp
    local speaker, actors, speaker_text
    if sp then
      speaker, actors, speaker_text = sp.id or sp.text, sp.actors, sp.text
    else
      speaker = it.chain[#it.chain]
      speaker_text = claim.reporter and claim.reporter.text or speaker
      actors = ctx.outlet_actor[speaker] and { ctx.outlet_actor[speaker] } or nil
    end
    local a, b = orig_range(S, claim.t1, claim.t2)
    local cue = claim.cue and S.doc:sub(orig_range(S, claim.cue.t1, claim.cue.t2)) or nil
    local origin = it.chain[#it.chain] or doc.source
    local attrs = { kind = "attributed", speaker_text = speaker_text, actors = actors,
      chain = it.chain, origin = origin, first = claim.first or nil, link = it.how,
      sent_start = S.base, sent_stop = S.stop, pronoun_of = sp and sp.pronoun_of or nil }
    local targets = #it.linked > 0 and it.linked or { false }
    for _, ev in ipairs(targets) do
      local stance = stance_of(S, claim.stance, claim.clause.t1, claim.clause.t2, ev or nil,
        ev and hedged_by_cue(S, ev, claim.cue))
      db:add_claim { doc_id = doc.id, event_id = ev and ev.id or nil, run_id = run_id,
        speaker = speaker, source_id = doc.source_id,
        via = #it.chain > 0 and table.concat(it.chain, " > ") or nil,
        stance = stance, cue = cue, start = a, stop = b, attrs = attrs }
      if ev then covered[ev.id] = true end
      n = n + 1
    end
  end
  return n, covered
end

-- The outlet's own claims: every event mention no attribution covers. Returns the rows stored.
local function store_outlet(db, doc, run_id, sents, evs, covered)
  local n = 0
  for _, ev in ipairs(evs) do
    if not covered[ev.id] then
      local p = ev.start or ev.sent_start
      local S, cl
      for _, s in ipairs(sents) do
        if p and p >= s.base and p <= s.stop then
          S = s
          for _, c in ipairs(s.clauses) do if p >= c.a and p <= c.b then cl = c end end
        end
      end
      local stance, w = "assert", nil
      if S and cl then
        -- the outlet's own stance words are those near the mention (6 words before it, 4
        -- after); further off, the event's modality (the rule set's cues) decides
        local t1, t2 = mention_window(S, ev, cl)
        stance, w = stance_of(S, nil, t1, t2, ev)
      elseif STANCE_OF_MODALITY[ev.modality or ""] then
        stance = STANCE_OF_MODALITY[ev.modality]
      end
      local a, b = ev.start, ev.stop
      local cue
      if w then
        a, b = orig_range(S, w.t1, w.t2)
        cue = S.doc:sub(a, b)
      end
      db:add_claim { doc_id = doc.id, event_id = ev.id, run_id = run_id, speaker = doc.source,
        source_id = doc.source_id, stance = stance, cue = cue, start = a, stop = b,
        attrs = { kind = "outlet", origin = doc.source, chain = {},
          sent_start = S and S.base or ev.sent_start, sent_stop = S and S.stop or ev.sent_stop } }
      n = n + 1
    end
  end
  return n
end

local function extract_doc(db, doc, ctx, run_id, evs)
  if not doc.lang or doc.lang == "" then
    -- no language given: South Slavic letters or Cyrillic mean sr, anything else en
    doc.lang = doc.text:find("[\196\197][\141\135\161\190\145\140\134\160\189\144]")
      and "sr" or doc.text:find("[\208\209]") and "sr" or "en"
  end
  local sents = {}
  for ss, se in text.sentences(doc.text, doc.lang) do
    sents[#sents + 1] = analyse_sentence(doc, ss, se, ctx, #events_in(evs, ss, se) > 0)
  end
  local items = collect_claims(sents, evs, home_country(ctx, doc.source))
  local n, covered = store_attributed(db, doc, ctx, run_id, items)
  return n + store_outlet(db, doc, run_id, sents, evs, covered)
end

local default_speakers                 -- M.speakers(), built on the first extract

local function check_db(db, fname)
  if type(db) ~= "table" and type(db) ~= "userdata" then
    error(MOD .. fname .. ": expected a store, got " .. type(db), 3)
  end
end

-- The documents one run works on, in a temporary table: those asked for, or every document
-- whose claims are missing or older than its events (`STALE`).
local TODO = "dossier_claims_todo"

-- A document is up to date when this configuration of the extractor (`key`) derived its
-- claims after every run that coded it (doc_runs of rule sets) and every event it holds.
local STALE = [[
INSERT INTO dossier_claims_todo (id)
SELECT d.id FROM documents AS d WHERE NOT EXISTS (
  SELECT 1 FROM doc_runs AS c WHERE c.doc_id = d.id AND c.ruleset_hash = ?1 AND c.run_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM doc_runs AS x WHERE x.doc_id = d.id AND x.ruleset_hash NOT LIKE ?2
      AND (x.run_id IS NULL OR x.run_id > c.run_id))
    AND NOT EXISTS (SELECT 1 FROM events AS e WHERE e.doc_id = d.id AND e.run_id > c.run_id))]]

local TODO_DOCS = "SELECT d.id, d.text, d.lang, d.published, d.source_id, s.name AS source "
  .. "FROM dossier_claims_todo AS t JOIN documents AS d ON d.id = t.id "
  .. "LEFT JOIN sources AS s ON s.id = d.source_id ORDER BY d.id"
local TODO_EVENTS = "SELECT e.doc_id, e.id, e.start, e.stop, e.sent_start, e.sent_stop, e.modality "
  .. "FROM dossier_claims_todo AS t JOIN events AS e ON e.doc_id = t.id "
  .. "ORDER BY e.doc_id, coalesce(e.start, e.sent_start), e.id"

local function check_opts(opts)
  if type(opts) ~= "table" then error(MOD .. "extract: opts must be a table", 3) end
  if opts.docs ~= nil and type(opts.docs) ~= "table" then
    error(MOD .. "extract: opts.docs must be an array of document ids", 3)
  end
  if opts.speakers ~= nil and (type(opts.speakers) ~= "userdata" and type(opts.speakers) ~= "table") then
    error(MOD .. "extract: opts.speakers must be a dossier.lexicon", 3)
  end
end

-- the speaker lexicons of a run: the store's outlets first, then the speakers
local function context(db, opts)
  default_speakers = default_speakers or M.speakers()
  local ctx = { speaker_lexicons = { opts.speakers or default_speakers }, outlet_actor = {}, home = {} }
  for _, e in ipairs(SPEAKERS) do
    if e[3] == "outlet" and e[4] then ctx.outlet_actor[e[2]] = e[4] end
  end
  if opts.outlets ~= false then
    local src = lexicon.new()
    local any = false
    for row in db:rows("SELECT name FROM sources WHERE name IS NOT NULL") do
      if row.name:find("%S") then
        src:add((row.name:gsub("%*", "")), row.name, { kind = "outlet" })
        any = true
      end
    end
    if any then table.insert(ctx.speaker_lexicons, 1, src) end
  end
  return ctx
end

-- fill the temporary table of documents to work on; the number of documents up to date
local function select_docs(db, opts, key)
  db:exec("CREATE TEMP TABLE IF NOT EXISTS " .. TODO .. " (id INTEGER PRIMARY KEY)")
  db:exec("DELETE FROM " .. TODO)
  if opts.docs then
    for _, id in ipairs(opts.docs) do
      db:exec("INSERT INTO " .. TODO .. " (id) VALUES (?) ON CONFLICT DO NOTHING", id)
    end
    return 0
  elseif opts.force or not key then
    db:exec("INSERT INTO " .. TODO .. " (id) SELECT id FROM documents")
    return 0
  end
  db:exec(STALE, key, M.EXTRACTOR .. " %")
  return db:value("SELECT count(*) FROM documents") - db:value("SELECT count(*) FROM " .. TODO)
end

--- Find attributions in documents and store them as claims.
-- Each attribution becomes one row per event it is about (or one row with no event):
-- `speaker` (normalised id: actor codes joined by "," or an outlet name; else the words as
-- written), `via` (the relay chain, nearest first, joined by " > "), `stance`, `cue`,
-- `start`/`stop` (the attribution's span), `source_id` (the publishing outlet) and `attrs`
-- (`kind = "attributed"|"outlet"`, `speaker_text`, `actors`, `chain`, `origin`, `link`,
-- `sent_start`, `sent_stop`). Every event mention no attribution covers gets an `outlet`
-- claim: the outlet's own report. Runs inside one transaction, in one pass over the
-- documents; claims of earlier runs of this extractor on the same documents are replaced.
--
-- Incremental: without `docs`, only documents whose claims are stale are worked on — never
-- derived, derived by another version of the extractor or speaker lexicon, or derived before
-- the document's events were coded again (`dossier.extract` deletes a re-coded document's
-- events, and with them, through `ON DELETE CASCADE`, the claims about them). Each document
-- worked on is recorded in `doc_runs` under `"dossier.claims <version> <lexicon size>"`.
-- @param db a `dossier.store`
-- @param opts optional: `docs` (array of document ids: work on these, stale or not),
--   `force` (true: every document), `speakers` (a `dossier.lexicon` replacing the default
--   speaker list; every document is then worked on and none recorded as up to date),
--   `outlets` (false: do not treat the store's source names as outlets; as `speakers`)
-- @return `{claims = n, documents = n, up_to_date = n}`: the claims stored and the documents
--   worked on in this run, the documents left as they were
function M.extract(db, opts)
  check_db(db, "extract")
  opts = opts or {}
  check_opts(opts)
  local ctx = context(db, opts)
  local key = not opts.speakers and opts.outlets ~= false
    and table.concat({ M.EXTRACTOR, M.VERSION, #default_speakers }, " ") or nil
  local total, ndocs, fresh = 0, 0, 0
  db:transaction(function()
    db:exec("INSERT INTO runs(ruleset, hash) VALUES (?, ?)", M.EXTRACTOR, M.VERSION)
    local run_id = db:last_id()
    fresh = select_docs(db, opts, key)
    db:exec("DELETE FROM claims WHERE doc_id IN (SELECT id FROM " .. TODO .. ") AND run_id IN "
      .. "(SELECT id FROM runs WHERE ruleset = ? AND id <> ?)", M.EXTRACTOR, run_id)
    local evs_of = {}
    for e in db:rows(TODO_EVENTS) do
      local l = evs_of[e.doc_id]
      if not l then l = {}; evs_of[e.doc_id] = l end
      l[#l + 1] = e
    end
    -- the claims go through the store's writer (in bulk where the store has a bulk path)
    local writer <close> = store.writer(db, "claims")
    for doc in db:rows(TODO_DOCS) do
      total = total + extract_doc(writer, doc, ctx, run_id, evs_of[doc.id] or {})
      ndocs = ndocs + 1
    end
    writer:close()
    db:exec("DELETE FROM doc_runs WHERE ruleset_hash LIKE ? AND doc_id IN (SELECT id FROM " .. TODO .. ")",
      M.EXTRACTOR .. " %")
    if key then
      db:exec("INSERT INTO doc_runs (doc_id, ruleset_hash, run_id) SELECT t.id, ?, ? FROM " .. TODO
        .. " AS t JOIN documents AS d ON d.id = t.id", key, run_id)
    end
    db:exec("DELETE FROM runs WHERE ruleset = ? AND id <> ? AND NOT EXISTS "
      .. "(SELECT 1 FROM claims WHERE claims.run_id = runs.id) AND NOT EXISTS "
      .. "(SELECT 1 FROM doc_runs WHERE doc_runs.run_id = runs.id)", M.EXTRACTOR, run_id)
    -- (the time as a value, not SQLite's strftime: the same SQL runs on PostgreSQL)
    db:exec("UPDATE runs SET finished = ?, docs = ?, claims = ? WHERE id = ?", os.date("!%Y-%m-%dT%H:%M:%SZ"),
      ndocs, total, run_id)
    db:exec("DELETE FROM " .. TODO)
  end)
  return { claims = total, documents = ndocs, up_to_date = fresh }
end

-- compare ----------------------------------------------------------------------------------

local decode = require("dossier.store").decode_json

--- The values a stated quantity allows, by its qualifier (`dossier.recognisers.qty`):
-- "at least 30" is [30, ∞), "at most 30" [0, 30], "about 30" [24, 37.5], "hundreds" (order of
-- magnitude 100) [100, 1000], a bare 30 is [30, 30]: `dossier.recognisers.qty.interval`, which
-- `dossier.sanctions` uses too, so that a claim comparison and an incident agree on which
-- quantities conflict.
-- @param q the number
-- @param qual optional qualifier: "at_least", "at_most", "about", "order_of_magnitude"
-- @return low, high
M.interval = require("dossier.recognisers.qty").interval
local interval = M.interval

local qty_text = require("dossier.recognisers.qty").text

local function default_group(ev)
  local key = ev.type .. " " .. (ev.actor1 or "?") .. (ev.actor2 and ("→" .. ev.actor2) or "")
  if M.COUNT_TYPES[ev.type] and ev.qty and tonumber(ev.qty) and tonumber(ev.qty) > 1 then
    return key .. " (count)", true
  end
  return key, false
end

local function sorted_keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return out
end

-- A proposition's stances by origin, its independent origins and its conflicts (stance; one
-- per pair of disjoint quantities), from its sources and quantities.
local function finish_proposition(p)
  local by = { assert = {}, deny = {}, hedge = {}, plan = {} }
  local support = {}
  for _, e in ipairs(p.sources) do
    if by[e.stance] then by[e.stance][e.origin] = by[e.stance][e.origin] or e end
    if e.stance ~= "deny" then support[e.origin] = true end
  end
  p.origin_names = sorted_keys(support)
  p.origins = #p.origin_names
  p.asserting, p.denying = #sorted_keys(by.assert), #sorted_keys(by.deny)
  p.hedging, p.planning = #sorted_keys(by.hedge), #sorted_keys(by.plan)
  p.stances = {}
  for st, t in pairs(by) do p.stances[st] = sorted_keys(t) end
  if p.denying > 0 and (p.asserting > 0 or p.hedging > 0) then
    local a, b
    for _, e in ipairs(p.sources) do
      if not a and (e.stance == "assert" or (e.stance == "hedge" and p.asserting == 0)) then a = e end
      if not b and e.stance == "deny" then b = e end
    end
    local sup = {}
    for _, st in ipairs { "assert", "hedge", "plan" } do
      for _, o in ipairs(p.stances[st]) do sup[o] = true end
    end
    p.conflicts[#p.conflicts + 1] = { kind = "stance", a = a, b = b, support = sorted_keys(sup),
      deny = p.stances.deny,
      note = table.concat(sorted_keys(sup), ", ") .. " vs denied by "
        .. table.concat(p.stances.deny, ", ") }
  end
  -- quantities: one conflict per pair of disjoint values
  local vals, seen = {}, {}
  for _, q in ipairs(p.qtys) do
    local k = q.qty .. "|" .. tostring(q.qual)
    if not seen[k] then seen[k] = true; vals[#vals + 1] = q end
  end
  for i = 1, #vals do
    for j = i + 1, #vals do
      local a1, b1 = interval(vals[i].qty, vals[i].qual)
      local a2, b2 = interval(vals[j].qty, vals[j].qual)
      if b1 < a2 or b2 < a1 then
        p.conflicts[#p.conflicts + 1] = { kind = "quantity", a = vals[i].entry, b = vals[j].entry,
          note = qty_text(vals[i].qty, vals[i].qual) .. " vs " .. qty_text(vals[j].qty, vals[j].qual) }
      end
    end
  end
  p.qtys = nil
end

--- Compare claims across sources, per proposition.
-- A proposition is an event type with its actors ("arms_transfer PRK→RUS"); for types whose
-- quantity counts events (`COUNT_TYPES`: launches, tests), mentions with a quantity above one
-- form a proposition of their own ("ballistic_launch PRK (count)"). Negated plain assertions
-- ("has not carried out a test") belong to no proposition. Every claim linked to a mention
-- is a source entry; a mention with no claim at all counts as its outlet's own report.
-- @param db a `dossier.store` (after `extract`)
-- @param opts optional: `group` (function(event_row) → key: your own grouping, e.g. by
--   incident), `types` (set of event types to keep)
-- @return array of propositions sorted by key: `{key=, type=, actor1=, actor2=, qty=,
--   qty_qualifier=, count=, mentions=, sources={...}, origins=, origin_names={...},
--   asserting=, denying=, hedging=, planning=, conflicts={...}}`; the stance counts are
--   numbers of distinct origins; `origins` counts distinct origins of asserting, hedging and
--   planning sources (a relay counts once, with its origin)
function M.compare(db, opts)
  check_db(db, "compare")
  opts = opts or {}
  if type(opts) ~= "table" then error(MOD .. "compare: opts must be a table", 2) end
  if opts.group ~= nil and type(opts.group) ~= "function" then
    error(MOD .. "compare: opts.group must be a function", 2)
  end
  local claims_of = {}
  for c in db:rows("SELECT id, doc_id, event_id, speaker, via, stance, cue, start, stop, attrs "
      .. "FROM claims WHERE event_id IS NOT NULL ORDER BY id") do
    local l = claims_of[c.event_id]
    if not l then l = {}; claims_of[c.event_id] = l end
    l[#l + 1] = c
  end
  local texts = {}
  local function doc_text(id)
    local t = texts[id]
    if not t then
      local r = db:first("SELECT text FROM documents WHERE id = ?", id)
      t = r and r.text or ""
      texts[id] = t
    end
    return t
  end
  local props, order = {}, {}
  for ev in db:rows("SELECT e.id, e.doc_id, e.type, e.actor1, e.actor2, e.qty, e.attrs, e.modality, "
      .. "e.negated, e.start, e.stop, e.sent_start, e.sent_stop, d.published, s.name AS source "
      .. "FROM events e JOIN documents d ON d.id = e.doc_id LEFT JOIN sources s ON s.id = d.source_id "
      .. "ORDER BY d.published, e.doc_id, e.start, e.id") do
    local keep = not (ev.negated == 1 and ev.modality ~= "denied")
    if opts.types and not opts.types[ev.type] then keep = false end
    if keep then
      local key, count
      if opts.group then key = opts.group(ev) else key, count = default_group(ev) end
      if key ~= nil then
        local p = props[key]
        if not p then
          p = { key = key, type = ev.type, actor1 = ev.actor1, actor2 = ev.actor2, count = count or nil,
            mentions = 0, sources = {}, conflicts = {}, qtys = {} }
          props[key] = p
          order[#order + 1] = key
        end
        p.mentions = p.mentions + 1
        local eattrs = decode(ev.attrs)
        local qual = eattrs.qty_qualifier or eattrs.qualifier
        local list = claims_of[ev.id] or { false }
        local first_entry
        for _, c in ipairs(list) do
          local entry
          if c then
            local ca = decode(c.attrs)
            local chain = type(ca.chain) == "table" and ca.chain or {}
            entry = { source = ev.source, stance = c.stance, speaker = c.speaker, via = c.via,
              chain = chain, origin = ca.origin or chain[#chain] or ev.source, doc_id = ev.doc_id,
              claim_id = c.id, event_id = ev.id, published = ev.published,
              sent_start = ev.sent_start or ca.sent_start, sent_stop = ev.sent_stop or ca.sent_stop,
              start = c.start, stop = c.stop, kind = ca.kind,
              quote = c.start and c.stop and doc_text(ev.doc_id):sub(c.start, c.stop) or nil }
          else
            entry = { source = ev.source, stance = STANCE_OF_MODALITY[ev.modality or ""] or "assert",
              speaker = ev.source, chain = {}, origin = ev.source, doc_id = ev.doc_id,
              event_id = ev.id, published = ev.published, sent_start = ev.sent_start,
              sent_stop = ev.sent_stop, start = ev.start, stop = ev.stop, kind = "outlet",
              quote = ev.start and ev.stop and doc_text(ev.doc_id):sub(ev.start, ev.stop) or nil }
          end
          p.sources[#p.sources + 1] = entry
          first_entry = first_entry or entry
        end
        local q = tonumber(ev.qty)
        if q then
          p.qtys[#p.qtys + 1] = { qty = q, qual = qual, entry = first_entry }
          if p.qty == nil then p.qty, p.qty_qualifier = q, qual end
        end
      end
    end
  end
  local out = {}
  for _, key in ipairs(order) do
    local p = props[key]
    finish_proposition(p)
    out[#out + 1] = p
  end
  table.sort(out, function(x, y) return x.key < y.key end)
  return out
end

return M
