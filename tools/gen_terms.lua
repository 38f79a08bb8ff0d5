#!/usr/bin/env lua5.4
-- gen_terms.lua: lists, per term set of the shipped sanctions rule set, the English verb forms
-- and nouns that the CAMEO verb dictionaries give for the CAMEO codes of that set (issue 14,
-- item 2). It prints candidates as a Lua table; lua/dossier/lexicon/terms.lua takes the ones
-- worth having by hand (whole word forms and safe stems, checked on eval/gold/dev.jsonl), so
-- the output is evidence for a choice, not a file that is shipped.
--
--   lua5.4 tools/gen_terms.lua [ANCHORS_DIR] > /tmp/cameo_terms.lua     (from the repo root)
--   lua5.4 tools/gen_terms.lua [ANCHORS_DIR] --codes                   (per-code summary)
--
-- ANCHORS_DIR defaults to ../shared/data/anchors. Counts go to stderr.
--
-- Sources and licences:
--  * petrarch2/CAMEO.verbpatterns.150430.txt (PETRARCH-1 verb dictionary) and
--    petrarch2/CAMEO.2.0.txt (PETRARCH-2), Open Event Data Alliance, MIT licence: blocks
--    `--- NAME [code] ---`, verb lines `VERB {FORMS}` / `+MULTI_WORD {+FORMS}` with an optional
--    `[code]` of their own, patterns `- words [code] # VERB <coder>`, synsets `&NAME` / `+WORD`.
--  * petrarch2/PETR.Validate.verbs.txt, MIT, same format; its codes are WEIS, not CAMEO (its
--    header says so): only WEIS 031 meet, 032 visit, 033 receive a visit are read from it.
--  * tabari/CAMEO.091003.master.verbs (TABARI), GPL-3.0: verb entries `VERB [code]` (a stem
--    unless it ends in `_`; `_` joins words) with patterns `- words [code] ;coder`. GPL data is
--    not copied into shipped files: a candidate found only in TABARI is marked `gpl` and was not
--    taken into terms.lua (words are taken from the MIT PETRARCH files; TABARI only confirms).
--  * gdelt/CAMEO.eventcodes.txt: the code descriptions quoted below.
--
-- Codes read, and why (a paired code `[043:042]` is source->target : target->source; the first
-- is the one counted):
--   036  Express intent to meet or negotiate     -> meet (verbs), meetn (nouns: talks, summit)
--   040  Consult, not specified below            -> meetv, meetn
--   041  Discuss by telephone                    -> meetv (reported apart: a call is no meeting
--                                                   for the answer key)
--   042  Make a visit                            -> meetv (the subject visits the object)
--   043  Host a visit                            -> meeth (the subject hosts; object = visitor)
--   044  Meet at a "third" location              -> meetv, meetn
--   045  Mediate                                 -> reported, not mapped (a mediator meets both)
--   046  Engage in negotiation                   -> meetv, meetn
--   163  Impose embargo, boycott, or sanctions   -> impose (verbs), sanctionv (verbs that are
--                                                   the sanction: embargo, boycott, blacklist),
--                                                   sanctions (nouns)
--   172  Impose administrative sanctions         -> reported apart: domestic bans, curfews,
--                                                   fines (PROHIBIT, FINE, SENTENCE blocks),
--                                                   not sanctions on a state
--   062  Cooperate militarily                    -> supply / buy (CAMEO codes arms sales here:
--                                                   SELL * &WEAPON [062:062])
--   072  Provide military aid                    -> supply, delivery
--   0332 Express intent to provide military aid  -> supply
--   129  Veto                                    -> veto
-- Not sanctions, listed under `not_sanctions` so they are not taken by mistake: 085 / 0354 /
-- 1244 (ease / intend to ease / refuse to ease sanctions: "lift", "maintain"), 162 / 1621 /
-- 1622 (reduce or stop aid: a halt of aid is not a sanction in CAMEO, nor in the answer key).
--
-- Taken into terms.lua (marked "from CAMEO ... via tools/gen_terms.lua" there), with the
-- Serbian/Croatian equivalents: consulted/negotiated with, arrived in, paid a visit to,
-- doputovao/otputovao (meetv); played host to, ugosti (meeth); consultations, negotiation,
-- sastanci, susreti, konsultacije (meetn); reconvene (meet); reimpose, levied (impose); banned,
-- embargoed, zabranio (sanctionv); import/export ban (sanctions); equip, arming, donate,
-- naoružava, donira (supply). Tried and left out, each for false positives on news text:
-- dialogue / dijalog (a process, "dijalog Beograda i Prištine", not a meeting), discussions
-- ("discussions with a Canadian firm"), trip (a ship's or a team's trip), toured (sports
-- tours), boravio (free word order reverses the sides), welcomes / welcoming (CAMEO also codes
-- "welcome" 051, praise: "the EU welcomes Serbia's progress"), boycott(ed) (a boycotted
-- meeting, a consumers' boycott), enforce (compliance with sanctions, not imposing them), gave,
-- receives / receiving ("receiving drones from"), the stem pregovara* (pregovarački, pregovarači).
local ANCH = "../shared/data/anchors"
local want_codes = false
for _, a in ipairs(arg) do
  if a == "--codes" then want_codes = true else ANCH = a end
end

-- code -> target sets (verbs, nouns)
local MAP = {
  ["036"] = { verbs = { "meet" }, nouns = { "meetn" } },
  ["040"] = { verbs = { "meetv" }, nouns = { "meetn" } },
  ["041"] = { verbs = { "meetv_phone" }, nouns = {} },
  ["042"] = { verbs = { "meetv" }, nouns = { "meetn" } },
  ["043"] = { verbs = { "meeth" }, nouns = { "meetn" } },
  ["044"] = { verbs = { "meetv" }, nouns = { "meetn" } },
  ["045"] = { verbs = { "mediate" }, nouns = {} },
  ["046"] = { verbs = { "meetv" }, nouns = { "meetn" } },
  ["163"] = { verbs = { "impose" }, nouns = { "sanctions" } },
  ["172"] = { verbs = { "admin_sanctions" }, nouns = { "admin_sanctions_n" } },
  ["062"] = { verbs = { "supply" }, nouns = { "delivery" } },
  ["072"] = { verbs = { "supply" }, nouns = { "delivery" } },
  ["0332"] = { verbs = { "supply" }, nouns = { "delivery" } },
  ["129"] = { verbs = { "veto" }, nouns = {} },
  ["085"] = { verbs = { "not_sanctions" }, nouns = {} },
  ["0354"] = { verbs = { "not_sanctions" }, nouns = {} },
  ["1244"] = { verbs = { "not_sanctions" }, nouns = {} },
  ["162"] = { verbs = { "not_sanctions" }, nouns = {} },
  ["1621"] = { verbs = { "not_sanctions" }, nouns = {} },
  ["1622"] = { verbs = { "not_sanctions" }, nouns = {} },
}
-- WEIS codes of PETR.Validate.verbs.txt, read as the CAMEO code they correspond to
local WEIS = { ["031"] = "044", ["032"] = "042", ["033"] = "043" }
-- verbs of acquiring go to `buy`; verbs that are themselves the sanction go to `sanctionv`
local BUY = { buy = true, bought = true, purchas = true, purchase = true, acquire = true,
  acquir = true, import = true, obtain = true, procure = true, procur = true }
local SANCTIONV = { sanction = true, embargo = true, boycott = true, blacklist = true,
  blockade = true }

-- words of a pattern that are not the event's noun
local STOP = {}
for w in ([[a an the of to in on at by for from with and or not no is are was were be been
  being has have had will would could should may might must can cannot did does do said say
  says that this these those it its their his her he she they we who which as into over
  after before about between against than then so if also only new other any all more most
  some such very would_not will_not is_to are_to was_to were_to wants want plan plans planned
  decided decide agreed agree expected due scheduled prepared ready unable likely unlikely
  first last next time times week month year day today yesterday one two three]]):gmatch("%S+") do
  STOP[w] = true
end

local function read_lines(path)
  local f = assert(io.open(path, "r"))
  local t = {}
  for l in f:lines() do t[#t + 1] = (l:gsub("\r$", "")) end
  f:close()
  return t
end

local function primary(code)
  -- "[043:042]" -> "043"; "[100!]" -> "100"; "[---]" -> nil
  local c = code:match("^%s*(%d+)")
  return c
end

-- regular forms of an English verb (PETRARCH-1 generates these when no `{}` list is given)
local function regular(v)
  local s, ed, ing
  if v:match("ee$") then s, ed, ing = v .. "s", v .. "d", v .. "ing"
  elseif v:match("e$") then s, ed, ing = v .. "s", v .. "d", v:sub(1, -2) .. "ing"
  elseif v:match("[^aeiou]y$") then s, ed, ing = v:sub(1, -2) .. "ies", v:sub(1, -2) .. "ied", v .. "ing"
  elseif v:match("[sxz]$") or v:match("[cs]h$") then s, ed, ing = v .. "es", v .. "ed", v .. "ing"
  else s, ed, ing = v .. "s", v .. "ed", v .. "ing" end
  return { v, s, ed, ing }
end

local function phrase(w)
  return (w:gsub("^%+", ""):gsub("_+$", ""):gsub("_", " "):lower())
end

-- candidates[set][phrase] = { src = {source = n}, codes = {code = n} }
local cand = {}
local counts = {}
local function note(set, ph, src, code)
  if ph == "" or ph:match("[^%a %-']") then return end
  cand[set] = cand[set] or {}
  local e = cand[set][ph]
  if not e then e = { src = {}, codes = {} }; cand[set][ph] = e end
  e.src[src] = (e.src[src] or 0) + 1
  e.codes[code] = (e.codes[code] or 0) + 1
end

local function verb_set(set, word)
  local w = word:lower():gsub("[%*_]", "")
  if set == "supply" and BUY[w] then return "buy" end
  if set == "impose" and SANCTIONV[w] then return "sanctionv" end
  return set
end

-- words of a pattern body (no code, no comment) that may be the event's noun
local function pattern_nouns(body, synsets)
  local out = {}
  body = body:gsub("[{}()|]", " ")
  for tok in body:gmatch("%S+") do
    if tok:match("^&") then
      local name = tok:gsub("_$", "")
      for _, m in ipairs(synsets[name] or {}) do out[#out + 1] = m end
    elseif not tok:match("[%*%$%+%%%^]") then
      for w in tok:gmatch("[^_]+") do
        local lw = w:lower()
        if #lw >= 3 and lw:match("^[%a%-]+$") and not STOP[lw] then out[#out + 1] = lw end
      end
    end
  end
  return out
end

local function add_verb_forms(set, forms, src, code)
  for _, f in ipairs(forms) do note(set, f, src, code) end
end

-- PETRARCH (1, 2 and the validation file): blocks, verb lines, patterns, synsets
local function read_petrarch(path, src, weis)
  local lines = read_lines(path)
  local synsets, cur_syn = {}, nil
  local block_code, block_verbs = nil, {}
  local n_verbs, n_pats = 0, 0
  for _, l in ipairs(lines) do
    l = l:gsub("<!%-%-.-%-%->", "")
    local body = l:gsub("%s#.*$", ""):gsub("^#.*$", "")
    local bname, bcode = body:match("^%-%-%-%s*([%w_]+)%s*%[([^%]]*)%]")
    if bname then
      cur_syn = nil
      block_code = primary(bcode)
      if weis then block_code = block_code and WEIS[block_code] end
      block_verbs = {}
    elseif body:match("^%-%-%-") then
      cur_syn, block_code, block_verbs = nil, nil, {}
    elseif body:match("^&") then
      cur_syn = body:match("^(&[%w_]+)"):gsub("_$", "")
      synsets[cur_syn] = {}
    elseif cur_syn and body:match("^%+") then
      local w = phrase(body:match("^(%+%S+)"))
      table.insert(synsets[cur_syn], w)
    elseif body:match("^%-%s") then
      -- pattern: "- words [code] # VERB <coder>"
      cur_syn = nil
      local words, code = body:match("^%-%s+(.-)%s*%[([^%]]*)%]")
      local pc = code and primary(code)
      if weis and pc then pc = WEIS[pc] end
      if pc and MAP[pc] then
        n_pats = n_pats + 1
        local who = l:match("#%s*([%u_]+)") -- the verb the pattern was found with
        for _, set in ipairs(MAP[pc].nouns) do
          for _, w in ipairs(pattern_nouns(words, synsets)) do note(set, w, src, pc) end
        end
        for _, set in ipairs(MAP[pc].verbs) do
          local v = who and block_verbs[who]
          if v then
            add_verb_forms(verb_set(set, who), v, src, pc)
          elseif who then
            note(verb_set(set, who), phrase(who), src, pc)
          end
        end
      end
    elseif block_code ~= nil or (body:match("^%+?%u") and not cur_syn) then
      local verb, rest = body:match("^(%+?[%u][%u%d_'%-]*)%s*(.*)$")
      if verb and not cur_syn then
        local forms = {}
        local list = rest:match("^(%b{})")
        if list then
          forms[1] = phrase(verb)
          for f in list:gmatch("[^%s{}]+") do forms[#forms + 1] = phrase(f) end
        elseif verb:match("%+") or verb:match("_") then
          forms[1] = phrase(verb)
        else
          forms = regular(phrase(verb))
        end
        block_verbs[verb:gsub("^%+", "")] = forms
        for _, f in ipairs(forms) do
          block_verbs[f:upper():gsub(" ", "_")] = forms
        end
        local own = rest:match("%[([^%]]*)%]")
        local vc = own and primary(own) or block_code
        if weis and own then vc = primary(own) and WEIS[primary(own)] end
        if vc and MAP[vc] then
          n_verbs = n_verbs + 1
          for _, set in ipairs(MAP[vc].verbs) do add_verb_forms(verb_set(set, verb), forms, src, vc) end
        end
      end
    end
  end
  counts[#counts + 1] = string.format("%s: %d verb lines, %d patterns under the codes read", src,
    n_verbs, n_pats)
end

-- TABARI: "VERB [code] ;coder" entries, "- words [code] ;coder" patterns
local function read_tabari(path, src)
  local lines = read_lines(path)
  local verb, stem = nil, nil
  local n_verbs, n_pats = 0, 0
  for _, l in ipairs(lines) do
    local body = l:gsub(";.*$", "")
    local v, code = body:match("^([%u][%u%d_'%-]*)%s*%[([^%]]*)%]")
    if v then
      verb = v
      local vcode = primary(code)
      -- a TABARI word is a stem unless it ends in "_"
      stem = v:match("_$") and phrase(v) or phrase(v) .. "*"
      if vcode and MAP[vcode] then
        n_verbs = n_verbs + 1
        for _, set in ipairs(MAP[vcode].verbs) do note(verb_set(set, verb), stem, src, vcode) end
      end
    elseif verb and body:match("^%-%s") then
      local words, pcode = body:match("^%-%s+(.-)%s*%[([^%]]*)%]")
      local pc = pcode and primary(pcode)
      if pc and MAP[pc] then
        n_pats = n_pats + 1
        for _, set in ipairs(MAP[pc].verbs) do note(verb_set(set, verb), stem, src, pc) end
        for _, set in ipairs(MAP[pc].nouns) do
          for _, w in ipairs(pattern_nouns(words, {})) do note(set, w, src, pc) end
        end
      end
    end
  end
  counts[#counts + 1] = string.format("%s: %d verb entries, %d patterns under the codes read", src,
    n_verbs, n_pats)
end

read_petrarch(ANCH .. "/petrarch2/CAMEO.verbpatterns.150430.txt", "petrarch1")
read_petrarch(ANCH .. "/petrarch2/CAMEO.2.0.txt", "petrarch2")
read_petrarch(ANCH .. "/petrarch2/PETR.Validate.verbs.txt", "validate", true)
read_tabari(ANCH .. "/tabari/CAMEO.091003.master.verbs", "tabari")

local desc = {}
for _, l in ipairs(read_lines(ANCH .. "/gdelt/CAMEO.eventcodes.txt")) do
  local c, d = l:match("^(%d+)\t(.*)$")
  if c then desc[c] = (d:gsub("\195\146hird\195\147", '"third" '):gsub("[\128-\255]+", "'")) end
end

for _, c in ipairs(counts) do io.stderr:write(c, "\n") end

local function support(e)
  local n = 0
  for _, k in pairs(e.src) do n = n + k end
  return n
end
local function summary(e)
  local s = {}
  for src, k in pairs(e.src) do s[#s + 1] = src .. " " .. k end
  table.sort(s)
  local c = {}
  for code, k in pairs(e.codes) do c[#c + 1] = code .. "x" .. k end
  table.sort(c)
  local mit = e.src.petrarch1 or e.src.petrarch2 or e.src.validate
  return table.concat(s, ", ") .. "; " .. table.concat(c, " ") .. (mit and "" or "; gpl")
end

local sets = {}
for set in pairs(cand) do sets[#sets + 1] = set end
table.sort(sets)

if want_codes then
  local codes = {}
  for c in pairs(MAP) do codes[#codes + 1] = c end
  table.sort(codes)
  for _, c in ipairs(codes) do
    local n = 0
    for _, set in ipairs(sets) do
      for _, e in pairs(cand[set]) do if e.codes[c] then n = n + 1 end end
    end
    print(string.format("%-5s %-45s %5d candidate phrases", c, desc[c] or "?", n))
  end
  return
end

print("-- generated by tools/gen_terms.lua from the CAMEO verb dictionaries in " .. ANCH)
print("-- phrase -- sources with counts; CAMEO codes with counts; `gpl` = only in TABARI")
print("return {")
for _, set in ipairs(sets) do
  local list = {}
  for ph, e in pairs(cand[set]) do list[#list + 1] = { ph = ph, n = support(e), e = e } end
  table.sort(list, function(a, b) if a.n ~= b.n then return a.n > b.n end return a.ph < b.ph end)
  io.stderr:write(string.format("%-20s %4d candidates\n", set, #list))
  print(string.format("  %s = {", set))
  for _, x in ipairs(list) do
    print(string.format("    %-32s -- %s", string.format("%q,", x.ph), summary(x.e)))
  end
  print("  },")
end
print("}")
