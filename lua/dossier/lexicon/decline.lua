--- dossier.lexicon.decline: case forms of Serbo-Croatian state names and their adjectives.
--
-- A small, hand-written declension for the few noun classes that state names and their
-- adjectives use, so that the actor lexicon can list explicit case forms (Srbija, Srbije,
-- Srbiji, Srbiju, Srbijom) instead of loose stems (`Srb*` would also match "Srbin", a person).
-- The paradigms follow the standard grammars (the same classes as Apertium's hbs analyser,
-- which is not installed and not used here: this module is a few tables and rules and covers
-- names only, not the language). Input is in Latin script with diacritics (č ć đ š ž); the
-- lexicon folds both scripts, so Cyrillic text matches the same forms.
--
-- Cases produced, singular or plural as the name is: nominative, genitive, dative (= locative),
-- accusative, instrumental (the vocative is left out: states are not addressed).
--
-- Noun classes (decided by `noun_class`, or given):
--
--  * `"a"`  feminine in -a: Srbija → Srbije, Srbiji, Srbiju, Srbijom; Kina; Koreja; a stem in
--    -k/-g/-h softens in the dative (Amerika → Americi, Afrika → Africi);
--  * `"adjf"` a feminine adjective used as a name (Hrvatska, Nemačka, Grčka, Turska):
--    Hrvatske, Hrvatskoj, Hrvatsku, Hrvatskom;
--  * `"m"`  masculine, consonant-final: Iran → Irana, Iranu, Iranom (-em after a soft
--    consonant: Bangladeš → Bangladešem); a fleeting a is listed (Egipat → Egipta, Kipar → Kipra);
--  * `"o"`  neuter-like -o/-e names: Kosovo → Kosova, Kosovu, Kosovom; Čile → Čilea, Čileu,
--    Čileom (foreign -e keeps its vowel);
--  * `"i"`  foreign -i/-u names: Mali → Malija, Maliju, Malijem; Peru → Perua, Peruu, Peruom;
--  * `"pl"` plural names: Filipini → Filipina, Filipinima, Filipine; Države → Država,
--    Državama; Ostrva → Ostrva, Ostrvima; Otoci → Otoka, Otocima, Otoke;
--  * `"indecl"` left as is.
--
-- Multiword names: the words before the head noun are adjectives and agree with it in gender,
-- number and case (Severna Koreja → Severne Koreje, Severnoj Koreji, Severnu Koreju, Severnom
-- Korejom; Sjedinjene Američke Države → Sjedinjenih Američkih Država); words after the head
-- stay as they are (Republika Kongo → Republike Kongo), but a capitalised -a noun in apposition
-- (Savezna Republika Jugoslavija → Savezne Republike Jugoslavije); "i" joins two declined parts
-- (Bosna i Hercegovina → Bosne i Hercegovine).
--
-- Adjectives in -ski/-čki/-ški (and any adjective of the hard type): `adjective_forms("srpski")`
-- → srpski, srpskog, srpskoga, srpskom, srpskome, srpskomu, srpskoj, srpsku, srpska, srpske,
-- srpsko, srpskih, srpskim, srpskima. `adjective_candidates(name)` proposes the adjectives a
-- name may have (Srbija → srpski, srbijanski, …); which one the language uses is not decided
-- here: the generator keeps the candidates that real news text uses.
-- @module dossier.lexicon.decline
local M = {}

-- Masculine nouns with a fleeting a (nominative → stem of the other cases).
local FLEETING = { Egipat = "Egipt", Kipar = "Kipr", Cipar = "Cipr" }

-- Single-word plural names (masculine in -i): the rest of -i names are singular (Mali, Haiti).
local PLURAL = {
  Filipini = true, Maldivi = true, ["Sejšeli"] = true, Bahami = true, Emirati = true,
  Grenadini = true, Komori = true, Otoci = true,
}

-- Soft consonants take -em in the instrumental (and -eg, -em in adjectives).
local function soft(stem)
  return stem:find("[jcčćšžđ]$") ~= nil or stem:find("lj$") ~= nil or stem:find("nj$") ~= nil
    or stem:find("dž$") ~= nil
end

--- The noun class of a word (see the module header), or nil for a word that is not declined.
-- @tparam string word a name in Latin script, e.g. `"Srbija"`
-- @treturn ?string `"a"`, `"adjf"`, `"m"`, `"o"`, `"i"`, `"pl"` or nil
function M.noun_class(word)
  if PLURAL[word] or word:find("ostrva$") or word:find("Ostrva$") then return "pl" end
  if word:find("[Dd]ržave$") or word:find("[Dd]rzave$") or word:find("[Tt]eritorije$") then
    return "pl"
  end
  if word:find("[sčšc]ka$") then return "adjf" end
  if word:find("a$") then return "a" end
  if word:find("[oe]$") then return "o" end
  if word:find("[iu]$") then return "i" end
  if word:find("[%a\128-\255]$") then return "m" end
  return nil
end

-- Case forms of one noun: { nom, gen, dat, acc, ins }, each a list of variants; second value:
-- gender/number of the noun ("f", "m", "n", "fpl", "mpl", "npl") for agreeing adjectives.
local function noun_cases(word, class)
  class = class or M.noun_class(word)
  if class == nil or class == "indecl" then
    return { { word }, { word }, { word }, { word }, { word } }, "m"
  elseif class == "a" then
    local s = word:sub(1, -2)
    local dat = { s .. "i" }
    local soft_dat = s:gsub("k$", "c"):gsub("g$", "z"):gsub("h$", "s")
    if soft_dat ~= s then
      dat = s:find("k$") and { soft_dat .. "i" } or { soft_dat .. "i", s .. "i" }
    end
    return { { word }, { s .. "e" }, dat, { s .. "u" }, { s .. "om" } }, "f"
  elseif class == "adjf" then
    local s = word:sub(1, -2)
    return { { word }, { s .. "e" }, { s .. "oj" }, { s .. "u" }, { s .. "om" } }, "f"
  elseif class == "m" then
    local s = FLEETING[word] or word
    local ins = { s .. (soft(s) and "em" or "om") }
    -- Russian surnames in -ov/-ev also take the adjective's instrumental: sa Lavrovim, Medvedevim
    if word:find("[oe]v$") then ins[2] = s .. "im" end
    return { { word }, { s .. "a" }, { s .. "u" }, { word }, ins }, "m"
  elseif class == "o" then
    if word:find("e$") and soft(word:sub(1, -2)) then -- native neuter: vijeće, vijeća, vijećem
      local s = word:sub(1, -2)
      return { { word }, { s .. "a" }, { s .. "u" }, { word }, { s .. "em" } }, "n"
    end
    local s = word:find("o$") and word:sub(1, -2) or word
    return { { word }, { s .. "a" }, { s .. "u" }, { word }, { s .. "om" } }, "n"
  elseif class == "i" then
    local j = word:find("i$") and "j" or ""
    local ins = j == "j" and "em" or "om"
    return { { word }, { word .. j .. "a" }, { word .. j .. "u" }, { word }, { word .. j .. ins } }, "m"
  elseif class == "pl" then
    if word:find("e$") then -- feminine plural: Države, Teritorije
      local s = word:sub(1, -2)
      local gen = s:find("rž$") and s:sub(1, -3) .. "ža" or s .. "a"
      gen = s:find("rz$") and s:sub(1, -3) .. "za" or gen
      return { { word }, { gen }, { s .. "ama" }, { word }, { s .. "ama" } }, "fpl"
    elseif word:find("a$") then -- neuter plural: Ostrva
      local s = word:sub(1, -2)
      return { { word }, { word }, { s .. "ima" }, { word }, { s .. "ima" } }, "npl"
    else -- masculine plural: Filipini, Emirati, Otoci (gen Otoka)
      local s = word:sub(1, -2)
      local gen = s:gsub("c$", "k")
      return { { word }, { gen .. "a" }, { s .. "ima" }, { gen .. "e" }, { s .. "ima" } }, "mpl"
    end
  end
  error("dossier.lexicon.decline: unknown class " .. tostring(class), 3)
end

--- The case forms of one word as a noun: nominative, genitive, dative, accusative,
-- instrumental, each a list of variants (for surnames and other names declined word by word).
-- @tparam string word e.g. `"Putin"`
-- @tparam[opt] string class a noun class (default: `noun_class(word)`)
-- @treturn table five lists of forms
function M.cases(word, class)
  return (noun_cases(word, class))
end

-- Endings of a hard adjective agreeing with each gender/number, by case (first = main variant).
local AGREE = {
  f = { { "a" }, { "e" }, { "oj" }, { "u" }, { "om" } },
  m = { { "i" }, { "og" }, { "om" }, { "i" }, { "im" } },
  n = { { "o" }, { "og" }, { "om" }, { "o" }, { "im" } },
  fpl = { { "e" }, { "ih" }, { "im", "ima" }, { "e" }, { "im", "ima" } },
  mpl = { { "i" }, { "ih" }, { "im", "ima" }, { "e" }, { "im", "ima" } },
  npl = { { "a" }, { "ih" }, { "im", "ima" }, { "a" }, { "im", "ima" } },
}

-- Is this word (before the head noun) an adjective? Hard adjectives end in a vowel after a
-- consonant cluster typical of adjectives (-ska, -ni, -na, -ke, -va, -ta …).
local function is_adjective(word)
  if word:find("^Republik") or word:find("^Papu") or word:find("ina$") or word:find("[ie]ja$") then
    return false -- nouns: Republika, Papua, skupština, Koreja, Gruzija
  end
  return word:find("[sčšcnvtlkr][aieo]$") ~= nil or word:find("ć[aieo]$") ~= nil
    or word:find("nj[aieo]$") ~= nil
end

-- Case forms of an adjective agreeing with a noun of gender/number `g` (main variants only:
-- the long -ima of the plural is left to the noun, so a name has few forms).
local function adjective_cases(word, g)
  local stem = word:sub(1, -2)
  local out = {}
  for c = 1, 5 do out[c] = { stem .. AGREE[g][c][1] } end
  return out
end

-- Cases of one conjunct ("Severna Koreja", "Republika Kongo"): adjectives, head, rest.
local function conjunct_cases(words, class)
  local head = #words
  for i = 1, #words - 1 do
    if not is_adjective(words[i]) then head = i break end
  end
  local hc, g = noun_cases(words[head], #words == 1 and class or nil)
  local parts = {}
  for i = 1, head - 1 do parts[i] = adjective_cases(words[i], g) end
  parts[head] = hc
  for i = head + 1, #words do -- a capitalised -a noun after the head is in apposition and
    local w = words[i]            -- declines (Republika Srbija → Republike Srbije); the rest stays
    if w:find("^%u") and w:find("a$") and not is_adjective(w) then
      parts[i] = noun_cases(w, "a")
    else
      parts[i] = { { w }, { w }, { w }, { w }, { w } }
    end
  end
  return parts
end

-- All combinations of the word variants of one case (small: at most a few per word).
local function combine(parts, c, out, seen)
  local acc = { "" }
  for _, p in ipairs(parts) do
    local nxt = {}
    for _, prefix in ipairs(acc) do
      for _, v in ipairs(p[c]) do nxt[#nxt + 1] = prefix == "" and v or prefix .. " " .. v end
    end
    acc = nxt
  end
  for _, s in ipairs(acc) do
    if not seen[s] then seen[s] = true; out[#out + 1] = s end
  end
end

--- The case forms of a name, nominative first, without repeats.
-- @tparam string name a state name in Latin script (`"Severna Koreja"`, `"Sjedinjene Američke
-- Države"`, `"Bosna i Hercegovina"`)
-- @tparam[opt] string class a noun class for a one-word name (see the module header); `"indecl"`
-- keeps the name as is
-- @treturn {string,...} the forms
function M.forms(name, class)
  if type(name) ~= "string" or name == "" then
    error("dossier.lexicon.decline: forms expects a name (a non-empty string)", 2)
  end
  if class == "indecl" then return { name } end
  local parts, words = {}, {}
  local function flush()
    if #words > 0 then
      for _, p in ipairs(conjunct_cases(words, class)) do parts[#parts + 1] = p end
    end
    words = {}
  end
  for w in name:gmatch("%S+") do
    if w == "i" then
      flush()
      parts[#parts + 1] = { { "i" }, { "i" }, { "i" }, { "i" }, { "i" } }
    else
      words[#words + 1] = w
    end
  end
  flush()
  local out, seen = {}, {}
  for c = 1, 5 do combine(parts, c, out, seen) end
  return out
end

--- Every form of a hard adjective, from its masculine (or any) nominative singular.
-- @tparam string adj e.g. `"srpski"`, `"američki"`, `"severnokorejski"`
-- @treturn {string,...} 14 forms: -i, -og, -oga, -om, -ome, -omu, -oj, -u, -a, -e, -o, -ih,
-- -im, -ima
function M.adjective_forms(adj)
  if type(adj) ~= "string" or not adj:find("[aieo]$") then
    error("dossier.lexicon.decline: adjective_forms expects an adjective ending in a vowel", 2)
  end
  local stem = adj:sub(1, -2)
  local out = {}
  for _, e in ipairs { "i", "og", "oga", "om", "ome", "omu", "oj", "u", "a", "e", "o", "ih", "im", "ima" } do
    out[#out + 1] = stem .. e
  end
  return out
end

-- Head nouns that say what kind of territory a name is, not which.
local GENERIC = { Republika = true, Ostrva = true, Otoci = true, Teritorije = true, Obala = true,
  ["Države"] = true, Emirati = true, Unija = true }

-- Stem + -ski as spelt: b devoices (Srb|ski → srpski), k/c + ski → čki (Irak → irački),
-- s/z + ski → ski (Rus|ski → ruski, Francuz → francuski), č/š + ski → čki/ški.
local function join_ski(stem)
  stem = stem:gsub("b$", "p")
  if stem:find("[kc]$") then return stem:sub(1, -2) .. "čki" end
  if stem:find("č$") or stem:find("š$") then return stem .. "ki" end
  if stem:find("[sz]$") then return stem:sub(1, -2) .. "ski" end
  return stem .. "ski"
end

--- Candidate adjectives (masculine nominative, lower case) of a state name.
-- Derived by the usual patterns: -ska/-čka → -ski/-čki (Hrvatska → hrvatski), -ija → -ski,
-- -ijski, -ijanski (Srbija → srpski, Sirija → sirijski, Italija → italijanski), -a → -ski,
-- -anski (Kanada → kanadski, Kuba → kubanski), consonant → -ski/-čki (Iran → iranski, Irak →
-- irački), -o → -ski/-čki (Kosovo → kosovski, Meksiko → meksički); a two-word "adjective +
-- noun" name gives the compound (Severna Koreja → severnokorejski), then the noun's own. Most
-- candidates are not words: the caller keeps those that text uses. Other multiword names
-- ("Bosna i Hercegovina", "San Marino") get none.
-- @tparam string name a state name in Latin script
-- @treturn {string,...} candidates, without repeats
function M.adjective_candidates(name)
  local out, seen = {}, {}
  local function add(a)
    a = a:lower():gsub("Č", "č"):gsub("Ć", "ć"):gsub("Š", "š"):gsub("Ž", "ž"):gsub("Đ", "đ")
    if not seen[a] then seen[a] = true; out[#out + 1] = a end
  end
  local words = {}
  for w in name:gmatch("%S+") do words[#words + 1] = w end
  local last = words[#words]
  if #last < 3 or (GENERIC[last] and #words == 1) then return out end
  if #words > 1 then
    if #words == 2 and is_adjective(words[1]) then
      if GENERIC[last] then -- Dominikanska Republika → dominikanski, not "republički"
        add(words[1]:sub(1, -2) .. "i")
      else -- Severna Makedonija → severnomakedonski, and makedonski (after the compounds)
        local own = M.adjective_candidates(last)
        for _, a in ipairs(own) do add(words[1]:sub(1, -2) .. "o" .. a) end
        for _, a in ipairs(own) do add(a) end
      end
    end
    return out -- "X i Y", "San Marino": no adjective of one word names the state
  end
  local w = last
  if w:find("[sčšc]ka$") then
    add(w:sub(1, -2) .. "i")
  elseif w:find("ija$") then
    local s = w:sub(1, -4)
    add(s .. "ijski"); add(join_ski(s)); add(s .. "ijanski")
    if s:find("an$") then add(s .. "ski") end
  elseif w:find("ja$") then
    add(w:sub(1, -2) .. "ski")
  elseif w:find("a$") then
    local s = w:sub(1, -2)
    add(join_ski(s)); add(s .. "anski")
  elseif w:find("[oe]$") then
    add(join_ski(w:sub(1, -2))); add(w:sub(1, -2) .. "anski")
  elseif w:find("[iu]$") then
    add(w .. "jski"); add(w .. "anski")
  else
    add(join_ski(FLEETING[w] or w)); add(w .. "ski")
  end
  return out
end

return M
