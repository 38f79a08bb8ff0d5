-- bench/tabari/verbs.lua: a dossier rule set generated from TABARI's CAMEO verb dictionary,
-- the rule side of bench/tabari.lua's contender (c) ("work of TABARI's size").
--
-- TABARI's verbs file (CAMEO.091003.master.verbs: 1,216 verbs, 15,581 patterns) is read and
-- every pattern whose CAMEO code maps to one of dossier's event types (MAP below) becomes a
-- dossier rule; so does a verb's own code (the line `LAMBASTE [111]`), as a verb-only pattern.
-- Nothing of TABARI's is copied into our tree: the file is read at run time.
--
-- Translation of a TABARI pattern such as `- + HOSTAGE * IN_ $ FREED  [0841]`:
--   *            the verb (its root, `ABUS` -> `abus*`; `KICKED_OUT` -> `kicked out*`)
--   $ / +        {actor:actor1} (source) / {actor:actor2} (target)
--   WORD / WORD_ a stem (`hostage*`) / a whole word (`in`), as in TABARI
--   A_B          adjacent words (`_` joins them in TABARI)
--   { A | B C }  an alternation `(a*|b* c*)`
--   tokens apart a gap of at most 6 words (TABARI lets words in between)
-- A pattern without `$` gets `{actor:actor1} ..6` in front (TABARI's source is the actor
-- before the verb), one without `+` gets `..6 {actor:actor2}` after (the actor after it); TABARI
-- codes an event only with both. Patterns with compound actors (%), skips (^), synsets (&),
-- or words that are not plain letters and digits are left out and counted. Identical
-- templates of one type are one rule. Codes are the pattern's first (`042:043` -> 042).
--
-- The rules run with dedupe (one event per sentence, type and actor pair), as TABARI codes one
-- event per verb.
local M = {}

-- CAMEO code prefix -> dossier event type (longest prefix wins).
M.MAP = {
  ["01"] = "statement", ["016"] = "denial",
  ["040"] = "meeting", ["041"] = "meeting", ["044"] = "meeting", ["045"] = "meeting", ["046"] = "meeting",
  ["042"] = "visit", ["043"] = "visit",
  ["051"] = "support", ["052"] = "support", ["053"] = "support", ["054"] = "support",
  ["057"] = "agreement",
  ["061"] = "trade",
  ["07"] = "aid",
  ["085"] = "sanctions_lifted",
  ["111"] = "accusation", ["112"] = "accusation",
  ["129"] = "sanctions_veto",
  ["13"] = "threat",
  ["14"] = "protest",
  ["154"] = "deployment",
  ["163"] = "sanctions_imposed",
  ["166"] = "withdrawal", ["0874"] = "withdrawal",
  ["171"] = "seizure",
  ["173"] = "arrest",
  ["18"] = "attack", ["19"] = "attack",
  ["2042"] = "nuclear_test",
}

function M.type_of(code)
  code = code and code:match("^(%d+)")
  if not code then return nil end
  for n = #code, 2, -1 do
    local t = M.MAP[code:sub(1, n)]
    if t then return t, code end
  end
  return nil
end

-- `A_B_` -> {"a", "b"}, `A_B` -> {"a", "b*"}; nil if a part is not letters and digits.
local function words(token)
  local out = {}
  local trailing = token:sub(-1) == "_"
  local parts = {}
  for p in token:gmatch("[^_]+") do parts[#parts + 1] = p end
  for i, p in ipairs(parts) do
    if not p:find("^[%w]+$") then return nil end
    local w = p:lower()
    if i == #parts and not trailing then w = w .. "*" end
    out[#out + 1] = w
  end
  if #out == 0 then return nil end
  return out
end

local function append(dst, src)
  for _, x in ipairs(src) do dst[#dst + 1] = x end
  return dst
end

-- A template is a list of items: { "a" } / { "b*" } (words), "$" / "+" (actors), a table
-- { alt = { {"a*"}, {"b*", "c*"} } }, and the connectors " " (adjacent) and ".." (gap).
-- One token of a pattern (may join the verb: `WAS_*`, `*_AND_KILLED`) -> items.
local function element(token, verb)
  if token == "$" or token == "+" then return { token } end
  if token == "*" then return append({}, verb) end
  if token:find("*", 1, true) then -- the verb joined to words
    local pre, post = token:match("^(.-)%*(.*)$")
    local t = {}
    if pre ~= "" then
      local w = words(pre:gsub("_$", "") .. "_")
      if not w then return nil end
      append(t, w)
    end
    append(t, verb)
    if post ~= "" then
      local w = words((post:gsub("^_", "")))
      if not w then return nil end
      append(t, w)
    end
    return t
  end
  return words(token)
end

-- Items of one pattern (the text between `-` and `[`), or nil and why.
function M.template(pat, verb)
  local alts = {}
  local bad = false
  pat = pat:gsub("{([^}]*)}", function(body) -- alternations { A | B C } become one token
    local opts = {}
    for alt in body:gmatch("[^|]+") do
      local ws = {}
      for tok in alt:gmatch("%S+") do
        local w = words(tok)
        if not w then bad = true; return "" end
        append(ws, w)
      end
      if #ws == 0 then bad = true; return "" end
      opts[#opts + 1] = ws
    end
    alts[#alts + 1] = { alt = opts }
    return " \2" .. #alts .. " "
  end)
  if bad then return nil, "alternation" end
  if pat:find("[%%^&]") then return nil, "compound, skip or synset" end
  local items, src, tgt, has_verb = {}, 0, 0, false
  for tok in pat:gmatch("%S+") do
    if #items > 0 then items[#items + 1] = ".." end
    local k = tok:match("^\2(%d+)$")
    if k then
      items[#items + 1] = alts[tonumber(k)]
    else
      local e = element(tok, verb)
      if not e then return nil, "word" end
      if tok:find("*", 1, true) then has_verb = true end
      if tok == "$" then src = src + 1 elseif tok == "+" then tgt = tgt + 1 end
      for i, x in ipairs(e) do
        if i > 1 then items[#items + 1] = " " end
        items[#items + 1] = x
      end
    end
  end
  if not has_verb then return nil, "no verb" end
  if src > 1 then return nil, "two sources" end
  if tgt > 1 then return nil, "two targets" end
  if src == 0 then table.insert(items, 1, "$"); table.insert(items, 2, "..") end
  if tgt == 0 then items[#items + 1] = ".."; items[#items + 1] = "+" end
  return items
end

local function key(items)
  local t = {}
  for _, x in ipairs(items) do
    if type(x) == "table" then
      local a = {}
      for i, o in ipairs(x.alt) do a[i] = table.concat(o, " ") end
      t[#t + 1] = "(" .. table.concat(a, "|") .. ")"
    else
      t[#t + 1] = x
    end
  end
  return table.concat(t, "\1")
end

-- generate(path) -> list of { name=, type=, items=, code= }, stats
function M.generate(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local rules, seen = {}, {}
  local st = { verbs = 0, patterns = 0, mapped = 0, rules = 0, skipped = {}, duplicates = 0 }
  local verb
  local n = 0
  local function add(items, typ, code)
    local k = typ .. "\0" .. key(items)
    if seen[k] then
      st.duplicates = st.duplicates + 1
      return
    end
    seen[k] = true
    rules[#rules + 1] = { name = "t" .. n, type = typ, items = items, code = code }
  end
  for line in f:lines() do
    n = n + 1
    line = line:gsub("\r$", "")
    local body, code = line:match("^%-%s+(.-)%s*%[([^%]]*)%]")
    if body then
      st.patterns = st.patterns + 1
      local typ, c = M.type_of(code)
      if verb and typ then
        st.mapped = st.mapped + 1
        local items, why = M.template(body, verb)
        if items then add(items, typ, c) else st.skipped[why] = (st.skipped[why] or 0) + 1 end
      end
    else
      local root, c = line:match("^([%w_']+)%s*%[([^%]]*)%]")
      if root then
        st.verbs = st.verbs + 1
        verb = words(root)
        local typ, cc = M.type_of(c)
        if verb and typ then
          st.mapped = st.mapped + 1
          add(append({ "$", ".." }, verb), typ, cc)
          local items = rules[#rules].items
          items[#items + 1] = ".."
          items[#items + 1] = "+"
        end
      end
    end
  end
  f:close()
  st.rules = #rules
  return rules, st
end

-- Template words: the engine has room for `budget` distinct ones (each takes a set slot,
-- doc/rules.md). Chosen so that every rule has at least one (greedy cover: the word in the
-- most rules still without one), then by the number of rules using them; the prefilter
-- runs a rule only where all its template words occur. The other words are written as raw
-- PCRE2 (the same match: a stem or a whole word of the folded text), which the prefilter
-- cannot use.
local function words_of(r)
  local ws = {}
  for _, x in ipairs(r.items) do
    if type(x) == "table" then
      for _, o in ipairs(x.alt) do for _, w in ipairs(o) do ws[w] = true end end
    elseif x ~= "$" and x ~= "+" and x ~= " " and x ~= ".." then
      ws[x] = true
    end
  end
  return ws
end

function M.choose(rules, budget)
  local keep, n = {}, 0
  local per = {}
  local cnt = {}
  for i, r in ipairs(rules) do
    per[i] = {}
    for w in pairs(words_of(r)) do
      per[i][#per[i] + 1] = w
      cnt[w] = (cnt[w] or 0) + 1
    end
  end
  local open = {}
  for i = 1, #rules do open[i] = true end
  while n < budget do
    local best, bn = nil, 0
    local c = {}
    for i in pairs(open) do
      for _, w in ipairs(per[i]) do c[w] = (c[w] or 0) + 1 end
    end
    for w, k in pairs(c) do
      if k > bn or (k == bn and best and w < best) then best, bn = w, k end
    end
    if not best then break end
    keep[best] = true
    n = n + 1
    for i in pairs(open) do
      for _, w in ipairs(per[i]) do
        if w == best then open[i] = nil; break end
      end
    end
  end
  local all = {}
  for w in pairs(cnt) do all[#all + 1] = w end
  table.sort(all, function(a, b) return cnt[a] > cnt[b] or (cnt[a] == cnt[b] and a < b) end)
  for _, w in ipairs(all) do
    if n >= budget then break end
    if not keep[w] then keep[w] = true; n = n + 1 end
  end
  local uncovered = 0
  for _ in pairs(open) do uncovered = uncovered + 1 end
  return keep, { words = #all, template_words = n, rules_without = uncovered }
end

-- The template words a rule set can still take: the engine's set slots less a margin for
-- its lexicons (actor, agent) and the term sets a caller might add.
function M.budget()
  return require("dossier.core").scan.max_sets - 11
end

local WORD = "[a-z0-9\\x80-\\xff]"
local function raw_word(w)
  local stem = w:sub(-1) == "*"
  local base = stem and w:sub(1, -2) or w
  return "(?<!" .. WORD .. ")" .. base .. (stem and WORD .. "*+" or "(?!" .. WORD .. ")")
end

-- The dossier template of a rule, given the template words to keep.
function M.render(r, keep)
  local t = {}
  for _, x in ipairs(r.items) do
    if x == "$" then
      t[#t + 1] = "{actor:actor1}"
    elseif x == "+" then
      t[#t + 1] = "{actor:actor2}"
    elseif x == ".." then
      t[#t + 1] = " ..6 "
    elseif x == " " then
      t[#t + 1] = " "
    elseif type(x) == "table" then
      local ok = true
      for _, o in ipairs(x.alt) do for _, w in ipairs(o) do ok = ok and keep[w] end end
      local a = {}
      for i, o in ipairs(x.alt) do
        if ok then
          a[i] = table.concat(o, " ")
        else
          local rw = {}
          for j, w in ipairs(o) do rw[j] = raw_word(w) end
          a[i] = table.concat(rw, "[^a-z0-9\\x80-\\xff\\x01]++")
        end
      end
      t[#t + 1] = ok and "(" .. table.concat(a, "|") .. ")" or "/(?:" .. table.concat(a, "|") .. ")/"
    else
      t[#t + 1] = keep[x] and x or "/" .. raw_word(x) .. "/"
    end
  end
  return table.concat(t)
end

return M
