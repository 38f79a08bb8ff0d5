--- dossier.rules: event-coding rules that read like TABARI patterns.
--
--    local rules = require "dossier.rules"
--    local rs = rules.new { lang = { "en", "sr" }, name = "sanctions" }
--    rs:lexicon("actor", actors)
--    rs:terms("buy", { "buy*", "bought", "purchas*", "kupi*", "kupovin*", "nabav*" })
--    rs:terms("arms", { "weapon*", "shell*", "granat*", "raket*" })
--    rs:rule { name = "arms_purchase", type = "arms_transfer",
--      pattern = "{actor:buyer} .. {buy} .. {qty?} {arms} .. (from|iz|od) {actor:seller}",
--      event = function(m) return { actor1 = m.seller, actor2 = m.buyer, item = m.arms, qty = m.qty } end }
--    for m in rs:scan(text, { published = "2022-09-06", lang = "sr" }) do ... end
--
-- Templates are parsed here and compiled to one PCRE2 pattern each over a "token text" (the
-- folded sentence with every lexicon/term hit replaced by a marker); the per-document work is
-- done in C by `dossier.core.scan` (csrc/scan.c). See doc/rules.md.
--
-- @module dossier.rules
local core = require "dossier.core"
local text = require "dossier.text"
local lexicon = require "dossier.lexicon"
local qty = require "dossier.recognisers.qty"
local date = require "dossier.recognisers.date"
local cues = require "dossier.recognisers.cues"

local C = core.scan
local BATCH = getmetatable(core.batch.new()) -- texts may come as a batch (core.batch, db:fetch)

local M = {}

--- Version of the rule engine; part of every hash.
M.ENGINE = "dossier.rules/2"

local MOD = "dossier.rules: "

--- The default gap of `..` in words.
M.DEFAULT_GAP = 8
--- The largest gap `..N` accepts.
M.MAX_GAP = 64

--- The event columns an event function may fill.
M.columns = {
  type = true, actor1 = true, actor2 = true, item = true, qty = true, unit = true, date = true,
  modality = true, negated = true, start = true, stop = true, sent_start = true, sent_stop = true,
  rule = true, attrs = true,
}

-- Names a slot may not take (they are fields of the match table).
local RESERVED = {
  rule = true, type = true, start = true, stop = true, sent_start = true, sent_stop = true,
  roles = true, spans = true, terms = true, attrs = true, text = true, modality = true,
  negated = true, cue = true, event = true, sentence = true, doc_id = true, published = true,
  lang = true, lists = true, events = true,
}

-- A language's bit in a rule's language mask: 1 English, 2 South Slavic (dossier.vocab's groups).
local vocab = require "dossier.vocab"
local LANG_BITS = {}
for code, group in pairs(vocab.LANG_GROUPS) do
  LANG_BITS[code] = group == "en" and 1 or 2
end

local function lang_bits(lang)
  if lang == nil then return nil end
  local b = LANG_BITS[lang] -- the common case: "en", "sr", ...
  if b then return b end
  b = vocab.check_lang(lang, MOD, 2) == "en" and 1 or 2
  if type(lang) == "string" then LANG_BITS[lang] = b end
  return b
end

-- PCRE2 building blocks over token text (folded text with hit markers).
local WB = "[a-z0-9\\x80-\\xff]"
local SEP = "[^a-z0-9\\x80-\\xff\\x01]"
local WORD = "(?:\\x01[^\\x02]*+\\x02|" .. WB .. "++)"
local ADJ = SEP .. "*"

local CODE_LO, CODE_N = 3, 29
local function code_bytes(k) -- k is 0-based
  return string.char(CODE_LO + k // CODE_N, CODE_LO + k % CODE_N)
end

-- A byte string as a PCRE2 literal.
local function esc(s)
  return (s:gsub("[^%w]", function(c) return string.format("\\x%02x", c:byte()) end))
end

-- A hit of a set: its marker holds the set's code pair (two code bytes per set, in order).
local function hit(set)
  return "\\x01(?:[\\x03-\\x1f]{2})*?" .. esc(code_bytes(set.index)) .. "[\\x03-\\x1f]*+\\x02"
end

-- A gap of at most n words; with `except`, none of them a hit of that set.
local function gap(n, except)
  local w = WORD
  if except then w = "(?!" .. hit(except) .. ")" .. WORD end
  return "(?:" .. SEP .. "*+" .. w .. "){0," .. n .. "}?" .. SEP .. "*"
end

-- Between the members of a list slot: punctuation, and at most one conjunction.
-- (not a colon, a semicolon or a bracket: "PENDAROVSKI: Makron rekao ..." is a speaker and a
-- sentence, not a list)
local LIST_PUNCT = "[^a-z0-9\\x80-\\xff\\x01:;()\\[\\]]"
local LIST_SEP = LIST_PUNCT .. "*+(?:(?:as well as|kao i|and|or|ili|i|te)(?!" .. WB .. ")"
  .. LIST_PUNCT .. "*+)?"
--- The most members a list slot (`{set:role+}`) takes.
M.MAX_LIST = 6

local function isword(c) return c:match("^[a-z0-9\128-\255]$") ~= nil end

-- Deterministic serialisation for hashing: core.scan.ser (csrc/scan.c) writes data; a
-- function, which only Lua can dump, is written here as the hash of its stripped dump ("cfn"
-- for a C function), userdata and threads as their type name.
local function write_other(v)
  if type(v) == "function" then
    local ok, d = pcall(string.dump, v, true)
    return ok and ("fn:" .. C.hash(d)) or "cfn"
  end
  return type(v)
end

local function ser(v)
  return C.ser(v, write_other)
end
M._ser = ser -- for the specs

-- Hash of the source files of the recognisers (their "version").
local recogniser_hash = {}
local function module_hash(name)
  if recogniser_hash[name] then return recogniser_hash[name] end
  local path = package.searchpath(name, package.path)
  local h = name
  if path then
    local f = io.open(path, "rb")
    if f then
      h = C.hash(f:read("a"))
      f:close()
    end
  end
  recogniser_hash[name] = h
  return h
end

-- Lexicon content hashes, cached by lexicon and its add count.
local lex_cache = setmetatable({}, { __mode = "k" })
local function lexicon_hash(lex)
  local stamp = C.stamp(lex)
  local c = lex_cache[lex]
  if c and c.stamp == stamp then return c.hash end
  local phrases, ids, attrs = C.entries(lex)
  local order = {}
  for i = 1, #phrases do order[i] = i end
  table.sort(order, function(a, b) return phrases[a] < phrases[b] end)
  local content = C.ser_lines(phrases, ids, attrs, order)
  if not content then -- some attrs hold functions: ser, with its writer, writes those
    local parts = {}
    for n, i in ipairs(order) do
      parts[n] = phrases[i] .. "\0" .. ids[i] .. "\0" .. (attrs[i] ~= nil and ser(attrs[i]) or "")
    end
    content = table.concat(parts, "\n")
  end
  local h = C.hash(content)
  lex_cache[lex] = { stamp = stamp, hash = h }
  return h
end

-- The hash of a rule's event function. With an explicit `version` (the rule author's word
-- for what the function does), that version. Otherwise the function's stripped bytecode
-- (`string.dump(fn, true)`), hashed as it is, and the values of its plain upvalues: any edit
-- of the function re-codes the rule, and so does moving it to other lines (Lua keeps a
-- function's first and last line in its bytecode), which re-codes more than it must but never
-- less. No reading of Lua's private bytecode format.
local function function_hash(fn, version)
  if version ~= nil then return "version:" .. tostring(version) end
  if fn == nil then return "none" end
  local parts = { C.hash(string.dump(fn, true)) }
  local i = 1
  while true do
    local name, v = debug.getupvalue(fn, i)
    if not name then break end
    local t = type(v)
    if t == "string" or t == "number" or t == "boolean" then parts[#parts + 1] = name .. "=" .. ser(v) end
    i = i + 1
  end
  return table.concat(parts, ",")
end

-- Template parsing -------------------------------------------------------------------------

local RuleSet = {}
RuleSet.__index = RuleSet

-- The template parser: one reader per construct, each taking the template state `P` (the rule
-- set, rule name, template, its length) and the offset of the construct, giving the item and
-- the offset after it. Errors name the rule and the template offset.
local function pfail(P, msg, at)
  error(MOD .. "rule '" .. P.rname .. "': " .. msg .. " at template offset " .. at, 0)
end

local function word_item(P, w, at)
  local stem = w:sub(-1) == "*"
  if stem then w = w:sub(1, -2) end
  if w:find("*", 1, true) or w == "" then pfail(P, "'*' only at the end of a word", at) end
  if w:find("?", 1, true) then pfail(P, "misplaced '?'", at + w:find("?", 1, true) - 1) end
  local f = text.fold(w)
  if not f:find("%S") then pfail(P, "empty word", at) end
  return { kind = stem and "stem" or "word", word = f, at = at }
end

-- `{set}`, `{set:role}`, `{set?}`, `{set:role+}`, `{qty}`, `{date:when?}`
local function read_slot(P, pos)
  local tpl = P.tpl
  local close = tpl:find("}", pos, true)
  if not close then pfail(P, "unclosed '{'", pos) end
  local body = tpl:sub(pos + 1, close - 1)
  local optional, list = false, false
  if body:sub(-1) == "?" then
    optional = true
    body = body:sub(1, -2)
  end
  if body:sub(-1) == "+" then -- `{set:role+}`: a list of hits ("A, B and C")
    list = true
    body = body:sub(1, -2)
  end
  local name, role = body:match("^%s*([%a_][%w_]*)%s*:%s*([%a_][%w_]*)%s*$")
  if not name then name = body:match("^%s*([%a_][%w_]*)%s*$") end
  if not name then
    if body:find("?", 1, true) then pfail(P, "misplaced '?'", pos + body:find("?", 1, true)) end
    pfail(P, "bad slot '{" .. tpl:sub(pos + 1, close - 1) .. "}'", pos)
  end
  local item = { optional = optional, list = list, role = role, at = pos + 1, name = name }
  if name == "qty" or name == "date" then
    if list then pfail(P, "only a set slot can be a list", pos + 1) end
    item.kind = name
  else
    local set = P.self._sets[name]
    if not set then pfail(P, "unknown set '" .. name .. "'", pos + 1) end
    item.kind = "set"
    item.set = set
  end
  return item, close + 1
end

-- `(a|b c|d*)`, `(a|b)?`
local function read_alt(P, pos)
  local tpl = P.tpl
  local close = tpl:find(")", pos + 1, true)
  local nested = tpl:find("(", pos + 1, true)
  if not close then pfail(P, "unbalanced '('", pos) end
  if nested and nested < close then pfail(P, "nested parentheses", nested) end
  local alts, a = {}, pos + 1
  local body = tpl:sub(pos + 1, close - 1)
  for alt, e in (body .. "|"):gmatch("([^|]*)()|") do
    local words = {}
    local at = a
    for ws, w in alt:gmatch("()(%S+)") do
      if w:find("[{}/]") then pfail(P, "only words and stems inside alternatives", at + ws - 1) end
      words[#words + 1] = word_item(P, w, at + ws - 1)
    end
    if #words == 0 then pfail(P, "empty alternative", at) end
    alts[#alts + 1] = words
    a = pos + e + 1
  end
  local item = { kind = "alt", alts = alts, at = pos }
  pos = close + 1
  if tpl:sub(pos, pos) == "?" then -- `(a|b)?`: optional words
    item.optional = true
    pos = pos + 1
  end
  return item, pos
end

-- `/regex/` (`\/` for a slash)
local function read_raw(P, pos)
  local tpl, n = P.tpl, P.n
  local i, buf = pos + 1, {}
  while i <= n and tpl:sub(i, i) ~= "/" do
    if tpl:sub(i, i) == "\\" and tpl:sub(i + 1, i + 1) == "/" then
      buf[#buf + 1] = "/"
      i = i + 2
    else
      buf[#buf + 1] = tpl:sub(i, i)
      i = i + 1
    end
  end
  if i > n then pfail(P, "unclosed '/'", pos) end
  local src = table.concat(buf)
  if src == "" then pfail(P, "empty regex", pos) end
  local caps, msg, off = C.check(src)
  if not caps then pfail(P, "bad regex: " .. msg .. " (regex offset " .. off .. ")", pos) end
  if caps > 0 then pfail(P, "capturing group in a regex (use (?:...))", pos) end
  return { kind = "raw", src = src, at = pos }, i + 1
end

-- `..`, `..N`, `..N!set`, `..!set`
local function read_gap(P, pos)
  local tpl = P.tpl
  local digits = tpl:match("^%d+", pos + 2)
  local after = pos + 2 + (digits and #digits or 0)
  local except -- `..N!set`: no hit of that set in the gap
  local ex = tpl:match("^!([%a_][%w_]*)", after)
  if ex then
    except = P.self._sets[ex]
    if not except then pfail(P, "unknown set '" .. ex .. "'", after + 1) end
    after = after + 1 + #ex
  end
  local nxt = tpl:sub(after, after)
  if nxt ~= "" and not nxt:match("%s") then pfail(P, "bad gap '" .. tpl:match("^%S+", pos) .. "'", pos) end
  local g = digits and tonumber(digits) or M.DEFAULT_GAP
  if g < 1 or g > M.MAX_GAP then
    pfail(P, "bad gap number " .. digits .. " (1.." .. M.MAX_GAP .. ")", pos)
  end
  return { kind = "gap", n = g, except = except, at = pos }, after
end

-- The characters that cannot start an item, with what is wrong.
local STRAY = { ["}"] = "'}' without '{'", [")"] = "unbalanced ')'", ["|"] = "'|' outside parentheses",
  ["?"] = "misplaced '?' (only {slot?} is optional)" }

-- Parse a template into items.
local function parse(self, rname, tpl)
  local P = { self = self, rname = rname, tpl = tpl, n = #tpl }
  local items, pos = {}, 1
  local negate -- the offset of a pending '!': the next item is "not followed by"
  while pos <= P.n do
    local c = tpl:sub(pos, pos)
    local item
    if c:match("%s") then
      if negate then pfail(P, "'!' must stand right before '(' or '{'", negate) end
      pos = pos + 1
    elseif c == "!" then
      if negate or not tpl:sub(pos + 1, pos + 1):match("[({]") then
        pfail(P, "'!' must stand right before '(' or '{'", pos)
      end
      negate = pos
      pos = pos + 1
    elseif STRAY[c] then
      pfail(P, STRAY[c], pos)
    elseif c == "{" then
      item, pos = read_slot(P, pos)
    elseif c == "(" then
      item, pos = read_alt(P, pos)
    elseif c == "/" then
      item, pos = read_raw(P, pos)
    elseif tpl:sub(pos, pos + 1) == ".." then
      item, pos = read_gap(P, pos)
    else
      local w = tpl:match("^[^%s{}()|/]+", pos)
      item, pos = word_item(P, w, pos), pos + #w
    end
    if item and negate then
      if item.optional or item.role or item.list or item.kind == "qty" or item.kind == "date" then
        pfail(P, "'!' takes a plain set or word group, not a role, list, quantity or optional item", negate)
      end
      item, negate = { kind = "not", inner = item, at = negate }, nil
    end
    items[#items + 1] = item
  end
  return items
end

local literal_set -- below

-- The compiler's state for one rule (`S`): its name, the `literal` callback (see literal_set),
-- the capture groups and their names, the sets and words the prefilter requires, the
-- alternations it wants one word of.
local function cfail(S, msg, at)
  error(MOD .. "rule '" .. S.rname .. "': " .. msg .. " at template offset " .. at, 0)
end

-- The items between the gaps, and the connectors between them (pattern, width, excepted set).
local function connect(S, items)
  local elems, conns, widths, excepts = {}, {}, {}, {}
  local pending_gap
  for _, it in ipairs(items) do
    if it.kind == "gap" then
      if #elems == 0 then cfail(S, "gap at the start of the template", it.at) end
      if pending_gap then cfail(S, "two gaps in a row", it.at) end
      pending_gap = it
    else
      if #elems > 0 then
        conns[#elems] = pending_gap and gap(pending_gap.n, pending_gap.except) or ADJ
        widths[#elems] = pending_gap and pending_gap.n or 0
        excepts[#elems] = pending_gap and pending_gap.except
      end
      pending_gap = nil
      elems[#elems + 1] = it
    end
  end
  if pending_gap then cfail(S, "gap at the end of the template", pending_gap.at) end
  if #elems == 0 then cfail(S, "empty template", 1) end
  local required = 0
  for _, it in ipairs(elems) do
    if not it.optional and it.kind ~= "not" then required = required + 1 end
  end
  if required == 0 then cfail(S, "no required item (every slot is optional)", 1) end
  return elems, conns, widths, excepts
end

local function word_pat(S, w)
  local f = w.word
  local p = esc(f)
  if isword(f:sub(1, 1)) then p = "(?<!" .. WB .. ")" .. p end
  if w.kind == "stem" then
    p = p .. WB .. "*+"
  elseif isword(f:sub(-1)) then
    p = p .. "(?!" .. WB .. ")"
  end
  -- the word as text, or a hit of a one-word phrase that stands for it (see literal_set)
  if S.literal and not f:find("%s") then p = "(?:" .. p .. "|" .. hit(S.literal(w)) .. ")" end
  return p
end

-- A slot: a capturing group (a list: the first member is the slot, the others fill groups of
-- their own).
local function slot_pat(S, it)
  local name = it.role or it.name
  if RESERVED[name] or (it.kind == "set" and (name == "qty" or name == "date")) then
    cfail(S, "reserved slot name '" .. name .. "'", it.at)
  end
  if S.names[name] and not it.role then
    local k = 2
    while S.names[name .. k] do k = k + 1 end
    name = name .. k
  elseif S.names[name] then
    cfail(S, "role '" .. name .. "' bound twice", it.at)
  end
  S.names[name] = true
  local g = { name = name, kind = it.kind, optional = it.optional }
  S.groups[#S.groups + 1] = g
  if it.kind == "qty" then
    return "(" .. qty.pattern .. ")"
  elseif it.kind == "date" then
    return "(" .. date.pattern .. ")"
  end
  g.set = it.set
  if not it.optional then S.sets[#S.sets + 1] = it.set.index end
  if not it.list then return "(" .. hit(it.set) .. ")" end
  g.list = name
  local ps = { "(" .. hit(it.set) .. ")" }
  for k = 2, M.MAX_LIST do
    S.groups[#S.groups + 1] = { name = name .. "+" .. k, kind = "set", set = it.set, list = name,
      extra = true }
    ps[k] = "(?:" .. LIST_SEP .. "(" .. hit(it.set) .. ")"
  end
  return table.concat(ps) .. string.rep(")?", M.MAX_LIST - 1)
end

local function item_pat(S, it)
  if it.kind == "word" or it.kind == "stem" then
    if not it.optional then S.words[#S.words + 1] = it.word end
    return word_pat(S, it)
  elseif it.kind == "alt" then
    local alts, lits = {}, {}
    for i, ws in ipairs(it.alts) do
      local ps, longest = {}, ""
      for j, w in ipairs(ws) do
        ps[j] = word_pat(S, w)
        if #w.word > #longest then longest = w.word end
      end
      alts[i] = table.concat(ps, ADJ)
      lits[i] = longest
    end
    if not it.optional then S.anyof[#S.anyof + 1] = lits end
    return "(?:" .. table.concat(alts, "|") .. ")"
  elseif it.kind == "raw" then
    return "(?:" .. it.src .. ")"
  elseif it.kind == "not" then -- not followed by: no group, no prefilter requirement
    local inner = it.inner
    if inner.kind == "set" then return "(?!" .. ADJ .. hit(inner.set) .. ")" end
    inner.optional = true
    return "(?!" .. ADJ .. item_pat(S, inner) .. ")"
  end
  return slot_pat(S, it)
end

-- The rule's pattern: the items' patterns joined by their connectors. An optional item between
-- two required ones owns both its connectors: when it is absent they become one, as wide as
-- the wider ("{a} {x?} .. {b}" still allows the gap between a and b). A run of optional items
-- between two required ones does the same: each item takes, before it, the widest connector
-- from the run's start to it, and the run ends with the widest of all its connectors, so that
-- "{v} (je|se)? {date?} ..4 (sa|s)" still allows four words when the clitic and the date are
-- both absent (exact when the run's connectors widen towards its end, as they do in practice).
local function widest(conns, widths, excepts, from, to)
  local best = from
  for k = from + 1, to do
    if widths[k] > widths[best] then best = k end
  end
  for k = from, to do
    if widths[k] == widths[best] and excepts[k] and not excepts[best] then best = k end
  end
  return conns[best]
end

-- Optional runs: run_of[i] = { first, last } for each optional item i that is in a run of two or
-- more optional items with a required item on each side.
local function optional_runs(elems)
  local run_of, i = {}, 2
  while i < #elems do
    if elems[i].optional and not elems[i - 1].optional then
      local j = i
      while j < #elems and elems[j + 1].optional do j = j + 1 end
      if j > i and j < #elems then
        for k = i, j do run_of[k] = { i, j } end
      end
      i = j + 1
    else
      i = i + 1
    end
  end
  return run_of
end

local function assemble(S, elems, conns, widths, excepts)
  local run_of = optional_runs(elems)
  local function between(i)
    return elems[i].optional and i > 1 and i < #elems and not elems[i - 1].optional
      and not elems[i + 1].optional
  end
  local parts = {}
  for i, it in ipairs(elems) do
    local p = item_pat(S, it)
    local last = i == #elems
    local run = run_of[i]
    if run then
      parts[#parts + 1] = "(?:" .. widest(conns, widths, excepts, run[1] - 1, i - 1) .. p .. ")?"
      if i == run[2] then parts[#parts + 1] = widest(conns, widths, excepts, run[1] - 1, i) end
    elseif between(i) then
      local w = math.max(widths[i - 1], widths[i])
      local ex = excepts[i - 1] or excepts[i]
      local absent = w > 0 and gap(w, ex) or ADJ
      parts[#parts + 1] = "(?:" .. conns[i - 1] .. p .. conns[i] .. "|" .. absent .. ")"
    elseif it.optional and not last then
      parts[#parts + 1] = "(?:" .. p .. conns[i] .. ")?" -- takes the connector after it
    elseif it.optional then
      parts[#parts + 1] = "(?:" .. conns[i - 1] .. p .. ")?" -- takes the connector before it
    else
      parts[#parts + 1] = p
    end
    -- the connector after a required item, unless the optional item after it takes it
    if not last and not it.optional and not (i + 1 == #elems and elems[i + 1].optional)
      and not between(i + 1) and not run_of[i + 1] then
      parts[#parts + 1] = conns[i]
    end
  end
  return table.concat(parts)
end

-- An alternation needs one of its alternatives, and each alternative a word (its longest):
-- the prefilter wants one of those words in the sentence. A word holding another of the
-- same list adds nothing ("attacks" holds "attack").
local function prefilter_needs(anyof)
  local needs = {}
  for _, lits in ipairs(anyof) do
    local keep = {}
    for i, a in ipairs(lits) do
      local needed = true
      for j, b in ipairs(lits) do
        if j ~= i and a:find(b, 1, true) and (#b < #a or j < i) then needed = false break end
      end
      if needed then keep[#keep + 1] = a end
    end
    needs[#needs + 1] = keep
  end
  return needs
end

-- Compile parsed items: pattern, groups, prefilter requirements.
local function compile_rule(rname, items, literal)
  local S = { rname = rname, literal = literal, groups = {}, names = {}, sets = {}, words = {}, anyof = {} }
  local pattern = assemble(S, connect(S, items))
  return { name = rname, pattern = pattern, groups = S.groups, sets = S.sets, words = S.words,
    anyof = prefilter_needs(S.anyof) }
end

--- A new, empty rule set.
-- @tparam[opt] table opts `lang` (a language or list of languages of the documents: "en",
-- "sr", "hr", "bs"; used for sentence splitting when a scan gives no `ctx.lang`), `name`,
-- `prefilter` (default true; false runs every rule on every sentence: a testing knob),
-- `dedupe` (default false; true: one event per sentence, event type and actor pair — a later
-- match coding an event of the sentence again, or with a party left open that an earlier
-- event named, gives no event)
-- @return the rule set
function M.new(opts)
  opts = opts or {}
  if type(opts) ~= "table" then error(MOD .. "options must be a table", 2) end
  for k in pairs(opts) do
    if k ~= "lang" and k ~= "name" and k ~= "prefilter" and k ~= "dedupe" then
      error(MOD .. "unknown option '" .. tostring(k) .. "'", 2)
    end
  end
  local langs = opts.lang
  if type(langs) == "string" then langs = { langs } end
  if langs ~= nil and type(langs) ~= "table" then error(MOD .. "lang must be a string or a list", 2) end
  local bits = 0
  for _, l in ipairs(langs or {}) do bits = bits | lang_bits(l) end
  if opts.name ~= nil and type(opts.name) ~= "string" then error(MOD .. "name must be a string", 2) end
  return setmetatable({
    name = opts.name,
    lang = langs and { table.unpack(langs) } or {},
    _langbits = bits ~= 0 and bits or 3,
    _prefilter = opts.prefilter ~= false,
    _dedupe = opts.dedupe == true,
    _sets = {}, _setlist = {}, _rules = {}, _byname = {}, _literals = {},
  }, RuleSet)
end

local function add_set(self, name, set, level)
  if type(name) ~= "string" or not name:match("^[%a_][%w_]*$") then
    error(MOD .. "set name must be an identifier, got " .. tostring(name), level)
  end
  if name == "qty" or name == "date" then error(MOD .. "'" .. name .. "' is a built-in slot", level) end
  if RESERVED[name] then error(MOD .. "reserved name '" .. name .. "'", level) end
  local old = self._sets[name]
  if old then
    set.index = old.index
    self._setlist[old.index + 1] = set
  else
    set.index = #self._setlist
    if set.index >= C.max_sets then error(MOD .. "too many term sets and lexicons", level) end
    self._setlist[#self._setlist + 1] = set
  end
  set.name = name
  self._sets[name] = set
  self._engine, self._version = nil, (self._version or 0) + 1
  return self
end

-- The hidden set of a template word: the one-word phrases of every set that stand for it (an
-- exact phrase equal to the word; for a stem `w*`, any phrase whose words all start with w),
-- filled in by _build. A template word matches its text or a hit of this set, so `raket*`
-- in a template matches "raketa" also where "raket*" is a term of some set.
literal_set = function(self, w)
  local key = w.kind .. ":" .. w.word
  local set = self._literals[key]
  if set then return set end
  set = { kind = "literal", name = "(word " .. w.word .. (w.kind == "stem" and "*" or "") .. ")",
    word = w.word, stem = w.kind == "stem", index = #self._setlist }
  if set.index >= C.max_sets then error(MOD .. "too many term sets, lexicons and template words", 0) end
  self._setlist[#self._setlist + 1] = set
  self._literals[key] = set
  return set
end

-- The hidden sets (see literal_set) a folded phrase key stands for: `by_word` maps "word"
-- and "stem:w" to a set. Only one-word phrases stand for a template word.
-- (`by_word.lens` lists the lengths of the template stems, so that only prefixes of those
-- lengths are looked up.)
local function covered(key, by_word, out)
  if key:find(" ", 1, true) then return out end
  local stem = key:sub(-1) == "*"
  local base = stem and key:sub(1, -2) or key
  if not stem and by_word[base] then out[#out + 1] = by_word[base] end
  local lens = by_word.lens
  for i = 1, #lens do
    local n = lens[i]
    if n > #base then break end
    local lit = by_word["stem:" .. base:sub(1, n)]
    if lit then out[#out + 1] = lit end
  end
  return out
end

-- The lookup table of `covered`: template words and stems ("stem:w") to `value(...)`.
local function word_index(words, value)
  local by_word, seen, lens = {}, {}, {}
  for _, w in ipairs(words) do
    by_word[(w.stem and "stem:" or "") .. w.word] = value(w)
    if w.stem and not seen[#w.word] then
      seen[#w.word] = true
      lens[#lens + 1] = #w.word
    end
  end
  table.sort(lens)
  by_word.lens = lens
  return by_word
end

--- Register a lexicon as a slot set: `{name}` or `{name:role}` gives the entry's id.
-- @tparam string name the set name used in templates
-- @param lex a `dossier.lexicon`
-- @return the rule set
function RuleSet:lexicon(name, lex)
  local ok = pcall(C.stamp, lex)
  if not ok then error(MOD .. "lexicon '" .. tostring(name) .. "' must be an open dossier.lexicon", 2) end
  return add_set(self, name, { kind = "lexicon", lex = lex }, 3)
end

--- Register a term set: a list of words or phrases (`*` stems), matched like lexicon phrases.
-- In a match, `m.<name>` is the original text matched and `m.terms.<name>` the list entry.
-- @tparam string name the set name used in templates
-- @tparam table list the terms
-- @return the rule set
function RuleSet:terms(name, list)
  if type(list) ~= "table" or #list == 0 then
    error(MOD .. "terms '" .. tostring(name) .. "' must be a non-empty list of strings", 2)
  end
  local keys, copy = {}, {}
  for i, t in ipairs(list) do
    if type(t) ~= "string" then
      error(MOD .. "terms '" .. tostring(name) .. "': entry " .. i .. " is not a string", 2)
    end
    local ok, k = pcall(lexicon.key, t)
    if not ok then
      local why = tostring(k):gsub("^.-dossier%.lexicon: ", "")
      error(MOD .. "terms '" .. tostring(name) .. "': entry " .. i .. ": " .. why, 2)
    end
    keys[i], copy[i] = k, t
  end
  return add_set(self, name, { kind = "terms", list = copy, keys = keys }, 3)
end

--- Add a rule.
-- @tparam table r `name` (unique), `pattern` (the template), `type` (event type; default the
-- name), `event` (optional function(m) returning the event's columns, or nil to drop the match),
-- `version` (optional integer or string: stands for the event function in the rule's hash, so
-- editing or moving the function re-codes nothing until the version changes; without it the
-- function's bytecode is hashed, see `rule_hashes`)
-- @return the rule set
function RuleSet:rule(r)
  if type(r) ~= "table" then error(MOD .. "rule must be a table", 2) end
  for k in pairs(r) do
    if k ~= "name" and k ~= "type" and k ~= "pattern" and k ~= "event" and k ~= "version" then
      error(MOD .. "rule '" .. tostring(r.name) .. "': unknown field '" .. tostring(k) .. "'", 2)
    end
  end
  if type(r.name) ~= "string" or r.name == "" then error(MOD .. "rule needs a name (a string)", 2) end
  if self._byname[r.name] then error(MOD .. "rule '" .. r.name .. "' defined twice", 2) end
  if type(r.pattern) ~= "string" then error(MOD .. "rule '" .. r.name .. "': pattern must be a string", 2) end
  if r.type ~= nil and type(r.type) ~= "string" then
    error(MOD .. "rule '" .. r.name .. "': type must be a string", 2)
  end
  if r.event ~= nil and type(r.event) ~= "function" then
    error(MOD .. "rule '" .. r.name .. "': event must be a function", 2)
  end
  if r.version ~= nil and math.type(r.version) ~= "integer" and type(r.version) ~= "string" then
    error(MOD .. "rule '" .. r.name .. "': version must be an integer or a string", 2)
  end
  if r.event and r.version == nil and not pcall(string.dump, r.event) then
    error(MOD .. "rule '" .. r.name .. "': event must be a Lua function (it is hashed), or the rule needs a "
      .. "version", 2)
  end
  local ok, c = pcall(function()
    return compile_rule(r.name, parse(self, r.name, r.pattern), function(w) return literal_set(self, w) end)
  end)
  if not ok then error(c, 2) end
  local rule = { name = r.name, type = r.type or r.name, pattern = r.pattern, event = r.event,
    version = r.version, compiled = c, index = #self._rules + 1 }
  self._rules[#self._rules + 1] = rule
  self._byname[r.name] = rule
  self._engine, self._version = nil, (self._version or 0) + 1
  return self
end

--- Names of the rules in order.
-- @treturn table array of names
function RuleSet:rules()
  local t = {}
  for i, r in ipairs(self._rules) do t[i] = r.name end
  return t
end

--- The PCRE2 pattern a rule compiled to (for debugging templates).
-- @tparam string name the rule
-- @treturn string pattern over token text
function RuleSet:pattern(name)
  local r = self._byname[name]
  if not r then error(MOD .. "no rule '" .. tostring(name) .. "'", 2) end
  return r.compiled.pattern
end

-- The event columns a match field feeds when its rule has no event function (the event
-- is then actor1, actor2, item, qty, qty_unit as unit, date of the match): the field's index
-- in emit_event's scratch array.
local EV_FIELD = { actor1 = 1, actor2 = 2, item = 3, qty = 4, qty_unit = 5, date = 6 }

-- The fields of a match record from C, as csrc/scan.c (ds_push_match) names them: the rule at
-- recs[i], then recs[i + START] ... recs[i + TEXT], then per capture group recs[base + G_START],
-- recs[base + G_STOP], recs[base + G_VALUE] (base = i - 1 + FIELDS + GROUP * (k - 1)).
local START, STOP, SENT_START, SENT_STOP, SENTENCE_NO, FSTART, FSTOP, TEXT = 1, 2, 3, 4, 5, 6, 7, 8
local FIELDS, GROUP = 9, 3
local G_START, G_STOP, G_VALUE = 1, 2, 3

-- Build (or reuse) the combined automaton and the engine.
function RuleSet:_build()
  local E = self._engine
  if E then
    local fresh = true
    for _, set in ipairs(E.lexsets) do -- a lexicon may have grown since
      if C.stamp(set.lex) ~= set.stamp then fresh = false break end
    end
    if fresh then return E end
  end
  local comb = lexicon.new()
  local entry_of, markers, codes = {}, {}, {}
  local ne = 0
  local data = {} -- [set index + 1] = { ids = {[entry]=}, attrs = {[entry]=}, terms = {[entry]=} }
  local function add(key, k, id, attrs, term)
    local e = entry_of[key]
    if not e then
      ne = ne + 1
      e = ne
      entry_of[key] = e
      comb:add(key, "")
      codes[e] = {}
    end
    local d = data[k + 1]
    if d.ids[e] == nil then codes[e][#codes[e] + 1] = k end
    d.ids[e] = id
    d.attrs[e] = attrs
    d.terms[e] = d.terms[e] or term
  end
  local literals = {}
  for _, set in ipairs(self._setlist) do
    local k = set.index
    data[k + 1] = { ids = {}, attrs = {}, terms = {} }
    if set.kind == "lexicon" then
      local phrases, ids, attrs, stamp = C.entries(set.lex)
      set.stamp = stamp
      for i = 1, #phrases do add(phrases[i], k, ids[i], attrs[i], nil) end
    elseif set.kind == "terms" then
      for i, key in ipairs(set.keys) do add(key, k, set.list[i], nil, set.list[i]) end
    else
      literals[#literals + 1] = set
    end
  end
  if #literals > 0 then -- the phrases that stand for a template word join its hidden set
    local by_word = word_index(literals, function(lit) return lit end)
    local keys = {}
    for key in pairs(entry_of) do keys[#keys + 1] = key end
    for _, key in ipairs(keys) do
      for _, lit in ipairs(covered(key, by_word, {})) do add(key, lit.index, true, nil, nil) end
    end
  end
  for e = 1, ne do
    table.sort(codes[e])
    local b = {}
    for i, k in ipairs(codes[e]) do b[i] = code_bytes(k) end
    markers[e] = table.concat(b)
  end
  local spec = { lexicon = ne > 0 and comb or nil, markers = markers, nsets = #self._setlist,
    prefilter = self._prefilter, rules = {} }
  for i, r in ipairs(self._rules) do spec.rules[i] = r.compiled end
  local ok, eng = pcall(C.engine, spec)
  if not ok then error(eng, 3) end
  local lexsets = {}
  for _, set in ipairs(self._setlist) do
    if set.kind == "lexicon" then lexsets[#lexsets + 1] = set end
  end
  -- what make_match does with each capture group of each rule, worked out once
  local plans = {}
  for i, r in ipairs(self._rules) do
    local plan = {}
    for gi, g in ipairs(r.compiled.groups) do
      local p = { name = g.name, base = FIELDS + GROUP * (gi - 1), kind = g.kind, f = EV_FIELD[g.name],
        list = g.list, extra = g.extra }
      if g.extra then p.f = nil end
      if g.kind == "set" then
        p.d = data[g.set.index + 1]
        p.lexicon = g.set.kind == "lexicon"
      elseif g.kind == "qty" then
        p.qual, p.unit = g.name .. "_qualifier", g.name .. "_unit"
        p.fu = EV_FIELD[p.unit]
      else
        p.prec = g.name .. "_precision"
      end
      plan[gi] = p
    end
    plans[i] = plan
  end
  E = { engine = eng, data = data, lexsets = lexsets, plans = plans, qty = {}, nqty = 0 }
  self._engine = E
  return E
end

local EMPTY = {}
local nearby_date -- below

-- Are there at most NEAR words in s[a..b] (folded text)? A word is a run of [%w\x80-\xff]
-- cut at a and b; the count stops at the first word past NEAR (the gap to a date at the
-- other end of a sentence can be long).
local NEAR = 3
local function near(s, a, b)
  local n, p = 0, a
  while p <= b do
    local x, y = s:find("[%w\x80-\xff]+", p)
    if not x or x > b then break end
    n = n + 1
    if n > NEAR then return false end
    p = y + 1
  end
  return true
end

-- The date of a match whose template has no date slot, or whose slot did not
-- match: one written right after it (at most 3 words on: "fired a missile on
-- Sunday", "projektil u ožujku"), else inside it ("Pyongyang this year fired"),
-- else right before it (at most 3 words back). `sent` is the folded sentence
-- and [s, e] the match in it. Returns iso, precision, or nil.
-- `found` caches date.find's results in this sentence (it is pure), filled as far as a
-- match has needed: several matches in one sentence scan it once.
nearby_date = function(sent, s, e, published, found)
  local before_iso, before_prec, inside_iso, inside_prec
  local k = 0
  while true do
    k = k + 1
    local f = found[k]
    if f == nil then
      local init = k == 1 and 1 or found[k - 1][2] + 1
      local fa, fb, fiso, fprec = date.find(sent, init, published)
      f = fa and { fa, fb, fiso, fprec } or false
      found[k] = f
    end
    if not f then break end
    local a, b, iso, prec = f[1], f[2], f[3], f[4]
    if iso then
      if a > e then
        if near(sent, e + 1, a - 1) then return iso, prec end
        break
      elseif a >= s then
        if not inside_iso then inside_iso, inside_prec = iso, prec end
      elseif b < s and near(sent, b + 1, s - 1) then
        before_iso, before_prec = iso, prec
      end
    end
  end
  if inside_iso then return inside_iso, inside_prec end
  return before_iso, before_prec
end

-- The parsed quantity {value, qualifier, unit} of a qty slot's text, or false. The same few
-- quantities recur ("two", "1.5 million"): each is parsed once per engine.
local function qty_of(E, v, lang)
  local key = lang and (v .. "\0" .. lang) or v
  local q = E.qty[key]
  if q == nil then
    local value, qual, unit = qty.parse(v, lang)
    q = value ~= nil and { value, qual, unit } or false
    if E.nqty >= 4096 then E.qty, E.nqty = {}, 0 end
    E.qty[key], E.nqty = q, E.nqty + 1
  end
  return q
end

-- nearby_date for the match at [s, e] of sentence si of the document of ctx (which keeps
-- date.find's results per sentence in ctx.found).
local function date_near(ctx, sents, si, s, e)
  local found = ctx.found[si]
  if not found then
    found = {}
    ctx.found[si] = found
  end
  return nearby_date(sents[si], s, e, ctx.published, found)
end

-- Bytes s..e of the document of ctx: its text, or text ctx.k of the batch ctx.batch.
local function piece(ctx, s, e)
  local t = ctx.text
  if t then return t:sub(s, e) end
  return ctx.batch:sub(ctx.k, s, e)
end

-- A document's context for make_match (one per document with matches): its text (text k
-- of `texts`, an array or a batch), language and publication day.
local function doc_ctx(texts, k, lang, published)
  if getmetatable(texts) == BATCH then
    return { batch = texts, k = k, lang = lang, published = published, found = {} }
  end
  return { text = texts[k], lang = lang, published = published, found = {} }
end

-- A member of a list slot, in m.lists[role] in text order: { id=, text=, span=, attrs= }
-- (id: the lexicon entry's id, or for a term set the text).
local function list_member(m, p, v, txt, s, e)
  local lists = m.lists
  if not lists then
    lists = {}
    m.lists = lists
  end
  local l = lists[p.list]
  if not l then
    l = {}
    lists[p.list] = l
  end
  local d = p.d
  l[#l + 1] = { id = p.lexicon and d.ids[v] or txt, text = txt, span = { s, e },
    attrs = p.lexicon and d.attrs[v] or nil }
end

-- One event per sentence, type and actor pair (ANNOTATION's rule): a later match that codes
-- the same event again is dropped, and so is one that leaves open a party an earlier event
-- of the sentence named (rules run in order within a sentence: put the fuller rules first).
local function fresh(ctx, sent_start, type, a1, a2)
  local seen = ctx.seen
  if not seen then
    seen = {}
    ctx.seen = seen
  end
  a1, a2 = a1 or "", a2 or ""
  local base = sent_start .. "\0" .. type .. "\0"
  local k = base .. a1 .. "\0" .. a2
  if seen[k] then return false end
  seen[k] = true
  seen[base .. a1 .. "\0"], seen[base .. "\0" .. a2], seen[base .. "\0"] = true, true, true
  return true
end

-- The events of a match that are not already coded in its sentence (see fresh).
local function fresh_events(ctx, evs)
  local out = {}
  for k = 1, #evs do
    local ev = evs[k]
    if fresh(ctx, ev.sent_start, ev.type, ev.actor1, ev.actor2) then out[#out + 1] = ev end
  end
  return out
end

-- Check an event function's result r for match m and fill its automatic columns.
local function fill_event(rule, m, r)
  if type(r) ~= "table" then
    error(MOD .. "rule '" .. rule.name .. "': event function must return a table or nil", 0)
  end
  for k in pairs(r) do
    if not M.columns[k] then
      error(MOD .. "rule '" .. rule.name .. "': '" .. tostring(k) .. "' is not an event column", 0)
    end
  end
  if r.date == nil then r.date = m.date end
  if r.qty ~= nil and r.unit == nil and r.qty == m.qty then r.unit = m.qty_unit end
  r.type = r.type or m.type
  r.rule = r.rule or m.rule
  if r.modality == nil then r.modality = m.modality end
  if r.negated == nil then r.negated = m.negated end
  r.start = r.start or m.start
  r.stop = r.stop or m.stop
  r.sent_start = r.sent_start or m.sent_start
  r.sent_stop = r.sent_stop or m.sent_stop
  return r
end

-- Turn one flat record from C into the analyst's match table; nil when the event drops it.
-- (Called once per match: tables are built by constructors, per-group work is planned in
-- _build.)
-- The record starts at recs[i] (see csrc/scan.c: 9 fields, then 3 per capture group).
-- `lean`: the caller reads only `m.event` (dossier.extract), so a rule without an event
-- function skips the tables only its match would show (roles, spans, terms, attrs, text).
local function make_match(self, E, recs, i, sents, ctx, sent_lang, lean)
  local ri = recs[i]
  local rule = self._rules[ri]
  local si = recs[i + SENTENCE_NO]
  local modality, negated, cue = cues.modality(sents[si], recs[i + FSTART], recs[i + FSTOP], sent_lang,
    ctx.published)
  local m
  local roles, spans, terms, attrs, texts
  if lean and not rule.event then
    m = { rule = rule.name, type = rule.type, start = recs[i + START], stop = recs[i + STOP],
      sent_start = recs[i + SENT_START], sent_stop = recs[i + SENT_STOP] }
  else
    lean = false
    roles, spans, terms, attrs, texts = {}, {}, {}, {}, {}
    m = { rule = rule.name, type = rule.type, start = recs[i + START], stop = recs[i + STOP],
      sent_start = recs[i + SENT_START], sent_stop = recs[i + SENT_STOP], roles = roles, spans = spans,
      terms = terms,
      attrs = attrs, text = texts, modality = modality, negated = negated, cue = cue,
      published = ctx.published, lang = ctx.lang,
      sentence = piece(ctx, recs[i + SENT_START], recs[i + SENT_STOP]) }
  end
  local plan = E.plans[ri]
  local dated = false
  for gi = 1, #plan do
    local p = plan[gi]
    local base = i - 1 + p.base
    local s = recs[base + G_START]
    if s then
      local e, v = recs[base + G_STOP], recs[base + G_VALUE]
      local name = p.name
      local kind = p.kind
      if p.list and not lean then list_member(m, p, recs[base + G_VALUE], piece(ctx, s, e), s, e) end
      if p.extra then -- a further member of a list: only in m.lists
        kind = "extra"
      elseif lean then
        if kind == "set" then
          if p.lexicon then
            m[name] = p.d.ids[v]
          else
            m[name] = piece(ctx, s, e)
          end
        end
      else
        spans[name] = { s, e }
        local txt = piece(ctx, s, e)
        texts[name] = txt
        if kind == "set" then
          local d = p.d
          if p.lexicon then
            local id = d.ids[v]
            m[name] = id
            roles[name] = id
            attrs[name] = d.attrs[v]
          else
            m[name] = txt
            terms[name] = d.terms[v]
          end
        end
      end
      if kind == "qty" then
        local q = qty_of(E, v, ctx.lang)
        if q then m[name], m[p.qual], m[p.unit] = q[1], q[2], q[3] end
      elseif kind == "date" then
        local iso, prec = date.parse(v, ctx.published)
        if iso then m[name], m[p.prec], dated = iso, prec, true end
      end
    end
  end
  if not dated then
    m.date, m.date_precision = date_near(ctx, sents, si, recs[i + FSTART], recs[i + FSTOP])
  end
  local ev
  if rule.event then
    local ok, r = pcall(rule.event, m)
    if not ok then error(MOD .. "rule '" .. rule.name .. "': event function failed: " .. tostring(r), 0) end
    if not r then return nil end
    if type(r) == "table" and r[1] ~= nil then -- several events (one per member of a list)
      for k = 1, #r do fill_event(rule, m, r[k]) end
      m.events = r
      ev = r[1]
    else
      ev = fill_event(rule, m, r)
    end
    if self._dedupe then
      local evs = fresh_events(ctx, m.events or { ev })
      if #evs == 0 then return nil end
      ev, m.events = evs[1], #evs > 1 and evs or nil
    end
  else
    if self._dedupe and not fresh(ctx, m.sent_start, m.type, m.actor1, m.actor2) then return nil end
    ev = { actor1 = m.actor1, actor2 = m.actor2, item = m.item, qty = m.qty, unit = m.qty_unit,
      date = m.date, type = m.type, rule = m.rule, modality = modality, negated = negated,
      start = m.start, stop = m.stop, sent_start = m.sent_start, sent_stop = m.sent_stop }
  end
  m.event = ev
  return m
end

-- The event of one record, passed straight to emit(doc_id, rule, type, actor1, actor2, item,
-- qty, unit, date, modality, negated, start, stop, sent_start, sent_stop, attrs): the same
-- values as make_match's m.event, without the match table when the rule has no event
-- function (only the fields the event takes are worked out, in a scratch array F).
local F = {}

local function emit_event(self, E, recs, i, sents, ctx, sent_lang, emit, doc_id)
  local ri = recs[i]
  local rule = self._rules[ri]
  if rule.event then
    local m = make_match(self, E, recs, i, sents, ctx, sent_lang, false)
    if m then
      local evs = m.events or { m.event }
      for k = 1, #evs do
        local ev = evs[k]
        emit(doc_id, ev.rule, ev.type, ev.actor1, ev.actor2, ev.item, ev.qty, ev.unit, ev.date,
          ev.modality, ev.negated, ev.start, ev.stop, ev.sent_start, ev.sent_stop, ev.attrs)
      end
    end
    return
  end
  local si = recs[i + SENTENCE_NO]
  local modality, negated = cues.modality(sents[si], recs[i + FSTART], recs[i + FSTOP], sent_lang,
    ctx.published)
  F[1], F[2], F[3], F[4], F[5], F[6] = nil, nil, nil, nil, nil, nil
  local plan = E.plans[ri]
  local dated = false
  for gi = 1, #plan do
    local p = plan[gi]
    local base = i - 1 + p.base
    local s = recs[base + G_START]
    if s then
      local kind, f = p.kind, p.f
      if kind == "set" then
        if f then
          if p.lexicon then
            F[f] = p.d.ids[recs[base + G_VALUE]]
          else
            F[f] = piece(ctx, s, recs[base + G_STOP])
          end
        end
      elseif kind == "qty" then
        local q = qty_of(E, recs[base + G_VALUE], ctx.lang)
        if q then
          if f then F[f] = q[1] end
          if p.fu then F[p.fu] = q[3] end
        end
      else
        local iso = date.parse(recs[base + G_VALUE], ctx.published)
        if iso then
          if f then F[f] = iso end
          dated = true
        end
      end
    end
  end
  if not dated then F[6] = date_near(ctx, sents, si, recs[i + FSTART], recs[i + FSTOP]) end
  if self._dedupe and not fresh(ctx, recs[i + SENT_START], rule.type, F[1], F[2]) then return end
  emit(doc_id, rule.name, rule.type, F[1], F[2], F[3], F[4], F[5], F[6], modality, negated,
    recs[i + START], recs[i + STOP], recs[i + SENT_START], recs[i + SENT_STOP], nil)
end

-- Publication dates already checked (documents of a corpus share few of them).
local checked_pub, npub = {}, 0

-- `what` names the value in the error: a string, or k for days[k].
local function check_pub(p, what, level)
  if p ~= nil and not checked_pub[p] then
    if type(p) ~= "string" or not p:match("^%d%d%d%d%-%d%d%-%d%d") then
      if math.type(what) == "integer" then what = "days[" .. what .. "]" end
      error(MOD .. what .. " must be an ISO date 'YYYY-MM-DD'", level + 1)
    end
    if npub >= 4096 then checked_pub, npub = {}, 0 end
    checked_pub[p], npub = true, npub + 1
  end
end

local function check_ctx(ctx, level)
  if ctx == nil then return EMPTY end
  if type(ctx) ~= "table" then error(MOD .. "ctx must be a table", level or 3) end
  check_pub(ctx.published, "ctx.published", (level or 3) + 1)
  return ctx
end

-- Appends to `out` the matches of one engine call: its records `recs` and folded
-- sentences `sents` over texts[1..] with contexts ctxs[1..] (records name their text).
local function collect(self, E, recs, sents, texts, ctxs, lean, out)
  local plans, i, n, nout = E.plans, 1, #recs, #out
  local cur, c, sent_lang, doc_id = nil, nil, nil, nil
  while i <= n do
    local d = recs[i + TEXT]
    if d ~= cur then
      cur = d
      local ctx = ctxs[d] or EMPTY
      c = doc_ctx(texts, d, ctx.lang, ctx.published)
      sent_lang, doc_id = ctx.lang, ctx.doc_id
      if sent_lang == nil and #self.lang == 1 then sent_lang = self.lang[1] end
    end
    local m = make_match(self, E, recs, i, sents, c, sent_lang, lean)
    if m then
      m.doc_id = doc_id
      nout = nout + 1
      out[nout] = m
    end
    i = i + FIELDS + GROUP * #plans[recs[i]]
  end
  return out
end

--- Match every rule against a text, returning all matches at once.
-- @tparam string s the document text
-- @tparam[opt] table ctx `published` ("YYYY-MM-DD", resolves relative dates and enables the
-- historic-year cue), `lang` (the document's language), `doc_id` (copied to the matches)
-- @tparam[opt] boolean lean true when the caller reads only `m.event` (as dossier.extract
-- does): the matches of rules without an event function then carry only the scalar fields
-- and `event`, not roles, spans, terms, attrs, text (events are the same either way)
-- @treturn table array of matches (see `scan`)
-- @treturn integer the number of sentences in the text
function RuleSet:run(s, ctx, lean)
  if type(s) ~= "string" then error(MOD .. "text must be a string, got " .. type(s), 2) end
  ctx = check_ctx(ctx)
  local E = self:_build()
  local recs, sents, nsent = E.engine:run(s, lang_bits(ctx.lang) or self._langbits)
  if not recs then return {}, nsent end
  return collect(self, E, recs, sents, { s }, { ctx }, lean, {}), nsent
end

--- Match every rule against many texts in one call: what `run` does for each, with one
-- pass into C for all of them (dossier.extract codes a batch of documents this way).
-- @param texts array of document texts, or a batch of them (`dossier.core.batch`, as
-- `db:fetch` fills: the texts are then not made into Lua strings)
-- @tparam[opt] table ctxs array of contexts, `ctxs[i]` for `texts[i]` (as for `run`; nil
-- entries: none)
-- @tparam[opt] boolean lean as for `run`
-- @treturn table array of matches of all texts, text by text (`m.doc_id` from the context)
-- @treturn integer the number of sentences in all texts
function RuleSet:run_many(texts, ctxs, lean)
  local batch = getmetatable(texts) == BATCH
  if type(texts) ~= "table" and not batch then
    error(MOD .. "texts must be a table or a batch, got " .. type(texts), 2)
  end
  if ctxs ~= nil and type(ctxs) ~= "table" then
    error(MOD .. "ctxs must be a table, got " .. type(ctxs), 2)
  end
  ctxs = ctxs or EMPTY
  local n = #texts
  local bits = {}
  for i = 1, n do
    if not batch and type(texts[i]) ~= "string" then
      error(MOD .. "text " .. i .. " must be a string, got " .. type(texts[i]), 2)
    end
    local ctx = check_ctx(ctxs[i])
    bits[i] = lang_bits(ctx.lang) or self._langbits
  end
  local E = self:_build()
  local recs, sents, nsent = E.engine:run_many(texts, bits, n)
  if not recs then return {}, nsent end
  return collect(self, E, recs, sents, texts, ctxs, lean, {}), nsent
end

--- Code many texts straight to events, for a caller that stores them (dossier.extract does):
-- what `run_many` gives as each match's `event`, passed to `emit` without building match
-- tables for the rules that have no event function. Documents come as columns, not context
-- tables.
-- @param texts document texts, `texts[1..n]`: an array or a batch (as for `run_many`)
-- @tparam table langs their languages (`langs[i]` for `texts[i]`; nil entries: every
-- language of the set)
-- @tparam table days their publication days ("YYYY-MM-DD"; nil entries: none)
-- @tparam table ids what each event names as its document (`ids[i]` for `texts[i]`)
-- @tparam integer n how many texts
-- @tparam function emit called once per event, in the order `run_many` gives the matches:
-- `emit(id, rule, type, actor1, actor2, item, qty, unit, date, modality, negated, start, stop,
-- sent_start, sent_stop, attrs)` (errors it raises propagate)
-- @treturn integer the number of sentences in all texts
function RuleSet:emit_many(texts, langs, days, ids, n, emit)
  local batch = getmetatable(texts) == BATCH
  if type(texts) ~= "table" and not batch then
    error(MOD .. "texts must be a table or a batch, got " .. type(texts), 2)
  end
  for name, v in pairs({ langs = langs, days = days, ids = ids }) do
    if type(v) ~= "table" then error(MOD .. name .. " must be a table, got " .. type(v), 2) end
  end
  if math.type(n) ~= "integer" or n < 0 then error(MOD .. "n must be a non-negative integer", 2) end
  if batch and n > #texts then
    error(MOD .. "n is " .. n .. " but the batch has " .. #texts .. " texts", 2)
  end
  if type(emit) ~= "function" then error(MOD .. "emit must be a function", 2) end
  local bits = {}
  for k = 1, n do
    if not batch and type(texts[k]) ~= "string" then
      error(MOD .. "text " .. k .. " must be a string, got " .. type(texts[k]), 2)
    end
    check_pub(days[k], k, 2)
    bits[k] = lang_bits(langs[k]) or self._langbits
  end
  local E = self:_build()
  local recs, sents, nsent = E.engine:run_many(texts, bits, n)
  if not recs then return nsent end
  local plans, i, nr = E.plans, 1, #recs
  local cur, c, sent_lang, id = nil, nil, nil, nil
  while i <= nr do
    local d = recs[i + TEXT]
    if d ~= cur then
      cur = d
      c = doc_ctx(texts, d, langs[d], days[d])
      sent_lang, id = c.lang, ids[d]
      if sent_lang == nil and #self.lang == 1 then sent_lang = self.lang[1] end
    end
    emit_event(self, E, recs, i, sents, c, sent_lang, emit, id)
    i = i + FIELDS + GROUP * #plans[recs[i]]
  end
  return nsent
end

--- Iterate over the matches of every rule in a text (sentence order; within a sentence, rule
-- order then position).
-- @tparam string s the document text
-- @tparam[opt] table ctx as for `run`
-- @return iterator of match tables `{rule=, type=, start=, stop=, sent_start=, sent_stop=,
-- roles=, spans=, terms=, attrs=, text=, modality=, negated=, cue=, event=, <slot>= ...}`
function RuleSet:scan(s, ctx)
  if type(s) ~= "string" then error(MOD .. "text must be a string, got " .. type(s), 2) end
  local out = self:run(s, check_ctx(ctx))
  local i = 0
  return function()
    i = i + 1
    return out[i]
  end
end

-- What a rule depends on, as a string.
-- What every rule depends on (the cue lists and the recognisers' source),
-- written once per hash computation.
local function recognisers_dep()
  return "cues=" .. module_hash("dossier.recognisers.cues") .. ser(cues.lists) .. "\n"
    .. "date=" .. module_hash("dossier.recognisers.date")
end

-- Which template words each set has a one-word phrase standing for (see literal_set), worked
-- out once per hashing: { { name = set name, words = { ["stem:raket"] = true, ... } } ... }.
-- Kept by the rule set until a set, a rule or a lexicon's contents change.
local function cover_index(self)
  local stamp = { self._version or 0 }
  for _, set in ipairs(self._setlist) do
    if set.kind == "lexicon" then stamp[#stamp + 1] = C.stamp(set.lex) end
  end
  stamp = table.concat(stamp, ",")
  if self._cover and self._cover.stamp == stamp then return self._cover.idx end
  local lits = {}
  for key, set in pairs(self._literals) do
    lits[#lits + 1] = { stem = set.stem, word = set.word, key = key }
  end
  local by_word = word_index(lits, function(w) return w.key end)
  local idx = {}
  for _, set in ipairs(self._setlist) do
    local keys = set.kind == "lexicon" and (C.entries(set.lex)) or set.keys
    if keys then
      local words = {}
      for _, k in ipairs(keys) do
        for _, lit in ipairs(covered(k, by_word, {})) do words[lit] = true end
      end
      idx[#idx + 1] = { name = set.name, words = words }
    end
  end
  self._cover = { stamp = stamp, idx = idx }
  return idx
end

-- Every word of a template item (words, alternatives, the inner item of a "not").
local function item_words(it, out)
  if it.kind == "word" or it.kind == "stem" then
    out[#out + 1] = it
  elseif it.kind == "alt" then
    for _, ws in ipairs(it.alts) do for _, w in ipairs(ws) do out[#out + 1] = w end end
  elseif it.kind == "not" then
    item_words(it.inner, out)
  end
  return out
end

-- What a rule's matches depend on, as one string: `cover` is cover_index(self).
local function rule_deps(self, r, recognisers, cover)
  local parts = { M.ENGINE, "name=" .. r.name, "type=" .. r.type, "pattern=" .. r.pattern,
    "event=" .. function_hash(r.event, r.version), recognisers }
  local used, names = {}, {}
  local function use(name)
    if not used[name] then
      used[name] = true
      names[#names + 1] = name
    end
  end
  local mine = {} -- the rule's template words, as literal keys ("stem:raket")
  for _, it in ipairs(parse(self, r.name, r.pattern)) do
    if it.kind == "set" then
      use(it.name)
    elseif it.kind == "qty" then
      used.qty = true
    elseif it.kind == "gap" and it.except then
      use(it.except.name)
    elseif it.kind == "not" and it.inner.kind == "set" then
      use(it.inner.name)
    end
    for _, w in ipairs(item_words(it, {})) do mine[#mine + 1] = w.kind .. ":" .. w.word end
  end
  for _, c in ipairs(cover) do
    for _, key in ipairs(mine) do
      if c.words[key] then
        use(c.name)
        break
      end
    end
  end
  if used.qty then parts[#parts + 1] = "qty=" .. module_hash("dossier.recognisers.qty") end
  table.sort(names)
  for _, n in ipairs(names) do
    local set = self._sets[n]
    if set.kind == "lexicon" then
      parts[#parts + 1] = "lexicon:" .. n .. "=" .. lexicon_hash(set.lex)
    else
      parts[#parts + 1] = "terms:" .. n .. "=" .. ser(set.list)
    end
  end
  return table.concat(parts, "\n")
end

--- Content hash of each rule, including everything it depends on (its template and type, its
-- event function's stripped bytecode as it is (which holds its line numbers) and plain upvalues,
-- or the rule's `version` when it has one, the term sets and lexicon contents it
-- uses, the recognisers' source and cue lists, the engine version). In a `dedupe` set a
-- rule's events also depend on the rules before it, so each hash covers the whole set.
-- @treturn table `{ [rule name] = hex }`
function RuleSet:rule_hashes()
  local t = {}
  local rec = recognisers_dep()
  local whole = self._dedupe and self:hash() or ""
  local cover = cover_index(self)
  for _, r in ipairs(self._rules) do t[r.name] = C.hash(rule_deps(self, r, rec, cover) .. whole) end
  return t
end

--- Content hash of the whole set: its rules (in order), all its sets and the engine version.
-- @treturn string 32 hex digits
function RuleSet:hash()
  local parts = { M.ENGINE, "lang=" .. table.concat(self.lang, ","), self._dedupe and "dedupe" or nil }
  local rec = recognisers_dep()
  local cover = cover_index(self)
  for _, r in ipairs(self._rules) do
    parts[#parts + 1] = r.name .. "=" .. C.hash(rule_deps(self, r, rec, cover))
  end
  for _, set in ipairs(self._setlist) do
    parts[#parts + 1] = set.name .. "=" ..
      (set.kind == "lexicon" and lexicon_hash(set.lex) or ser(set.list))
  end
  return C.hash(table.concat(parts, "\n"))
end

RuleSet.__tostring = function(self)
  local name = self.name and (" '" .. self.name .. "'") or ""
  return "dossier.rules" .. name .. " (" .. #self._rules .. " rules)"
end

--- Is `x` a rule set?
function M.is_ruleset(x) return getmetatable(x) == RuleSet end

--- Load a rule file: a Lua file that returns a rule set.
-- @tparam string path the file
-- @return the rule set, or nil and a message when the file cannot be read
-- @raise when the file has a syntax or runtime error, a template error, or returns no rule set
function M.load(path)
  if type(path) ~= "string" then error(MOD .. "path must be a string", 2) end
  local f = io.open(path, "rb")
  if not f then return nil, MOD .. "cannot open rule file '" .. path .. "'" end
  f:close()
  local chunk, err = loadfile(path, "t")
  if not chunk then error(MOD .. "rule file '" .. path .. "': " .. err, 2) end
  local ok, rs = pcall(chunk)
  if not ok then
    error(MOD .. "rule file '" .. path .. "': " .. tostring(rs):gsub("^dossier%.rules: ", ""), 2)
  end
  if not M.is_ruleset(rs) then
    error(MOD .. "rule file '" .. path .. "' must return a rule set (got " .. type(rs) .. ")", 2)
  end
  return rs
end

return M
