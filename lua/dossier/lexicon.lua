--- dossier.lexicon: a gazetteer of names and terms, matched on folded text.
--
-- The matcher is C (`dossier.core.lexicon`): phrases and text are folded the
-- same way (case, diacritics, Serbian Cyrillic/Latin), a trie walked from
-- each word start finds the leftmost-longest whole-word matches, and offsets
-- are reported in the original text. This module re-exports it and adds the
-- dictionary loaders (TABARI/PETRARCH `.actors` files, TSV) and the
-- resolution of dated roles.
--
--    local lexicon = require "dossier.lexicon"
--    local lex = lexicon.new()
--    lex:add("Severn* Korej*", "PRK")
--    for id, start, stop in lex:scan("Severnoj Koreji i Северној Кореји") do ... end
--
-- @module dossier.lexicon
local core = require "dossier.core"

local C = core.lexicon

local M = {}

--- Create an empty lexicon.
-- @tparam[opt] table opts `chunk` = source bytes folded at a time (default
-- 65536; a tuning and testing knob, results do not depend on it)
-- @return the lexicon: methods `add`, `scan`, `count`, `matches`, `build`,
-- `stats`, `close`; `#lex` is the number of distinct phrases
M.new = C.new

--- The folded key a phrase is stored and matched under (stems shown as `*`).
-- @tparam string phrase a surface form
-- @treturn string the key, e.g. `key("Северној  Кореји*") == "severnoj koreji*"`
M.key = C.key

-- Leading and trailing whitespace off. (The usual "^%s*(.-)%s*$" backtracks
-- at every character: it was most of the time of loading a large file.)
local WS = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }
local function trim(s)
  local i = s:find("%S")
  if not i then return "" end
  local j = #s
  while WS[s:byte(j)] do j = j - 1 end
  return s:sub(i, j)
end

-- Dates ---------------------------------------------------------------------

-- TABARI dates are YYMMDD (years 00-29 are 20xx, 30-99 are 19xx) or YYYYMMDD.
local function tabari_date(s)
  local y, m, d
  if #s == 6 then
    y, m, d = tonumber(s:sub(1, 2)), tonumber(s:sub(3, 4)), tonumber(s:sub(5, 6))
    y = y + (y < 30 and 2000 or 1900)
  elseif #s == 8 then
    y, m, d = tonumber(s:sub(1, 4)), tonumber(s:sub(5, 6)), tonumber(s:sub(7, 8))
  else
    return nil
  end
  if m < 1 or m > 12 or d < 1 or d > 31 then return nil end
  return y * 10000 + m * 100 + d
end

-- A date given by the caller, as an integer YYYYMMDD.
local function user_date(date)
  local t = type(date)
  if t == "number" and date == math.floor(date) and date >= 10000101 and date <= 99991231 then
    return math.floor(date)
  elseif t == "string" then
    local y, m, d = date:match("^(%d%d%d%d)%-?(%d%d)%-?(%d%d)")
    if y then return tonumber(y) * 10000 + tonumber(m) * 100 + tonumber(d) end
  elseif t == "table" and date.year and date.month and date.day then
    return date.year * 10000 + date.month * 100 + date.day
  end
  return nil
end

--- The code of an entry on a date, from the dated roles kept in its attrs.
-- Roles are tried in file order and the first whose period holds the date
-- wins (`<D` before D, `>D` after D, `D1-D2` both ends included); then the
-- first undated code; else nil. Roles with an unreadable date never apply.
-- Without a date, the entry's default code (`attrs.code`, also its id).
-- @tparam table attrs the attrs of a match (from a `"tabari"` load)
-- @param[opt] date `"2022-03-01"`, `"20220301"`, `20220301` or `{year=, month=, day=}`
-- @treturn ?string the code
function M.code_for(attrs, date)
  if type(attrs) ~= "table" then error("dossier.lexicon: code_for expects attrs (a table)", 2) end
  if date == nil then return attrs.code end
  local d = user_date(date)
  if not d then error("dossier.lexicon: unreadable date " .. tostring(date), 2) end
  local codes = attrs.codes or {}
  for _, r in ipairs(codes) do
    if not r.invalid then
      if (r.before and d < r.before) or (r.after and d > r.after)
        or (r.from and d >= r.from and d <= r.to) then
        return r.code
      end
    end
  end
  for _, r in ipairs(codes) do
    if not r.invalid and not (r.before or r.after or r.from) then return r.code end
  end
  return nil
end

-- TABARI / PETRARCH .actors -----------------------------------------------

-- Parse the inside of one [ ... ] group into a role; second value: a problem.
local function parse_role(inner)
  local code, rest = inner:match("^%s*([%w/#+%-]+)%s*(.-)%s*$")
  if not code or code:match("^%d+$") then return nil, "no code in [" .. inner .. "]" end
  local role = { code = code, text = "[" .. inner .. "]" }
  if rest == "" then return role end
  local op, d = rest:match("^([<>])%s*(%d+)$")
  if op then
    local v = tabari_date(d)
    if not v then
      role.invalid = true
      return role, "unreadable date '" .. d .. "' in [" .. inner .. "]: role never applies"
    end
    if op == "<" then role.before = v else role.after = v end
    return role
  end
  local d1, d2 = rest:match("^(%d+)%s*%-%s*(%d+)$")
  if d1 then
    local v1, v2 = tabari_date(d1), tabari_date(d2)
    if not (v1 and v2) then
      role.invalid = true
      return role, "unreadable date in [" .. inner .. "]: role never applies"
    end
    role.from, role.to = v1, v2
    return role
  end
  role.invalid = true
  return role, "unreadable restriction '" .. rest .. "' in [" .. inner .. "]: role never applies"
end

-- Split "codes # comment" into roles; problems go to `bad` (message list).
local function parse_codes(s, roles, bad)
  local rest = s:gsub("%[([^%]]*)%]", function(inner)
    local role, problem = parse_role(inner)
    if role then roles[#roles + 1] = role end
    if problem then bad[#bad + 1] = problem end
    return " "
  end)
  if rest:find("%S") then bad[#bad + 1] = "unexpected text '" .. trim(rest) .. "'" end
end

-- The default code: the first undated one, else the role whose period ends last.
local function default_code(roles)
  local best, bend
  for _, r in ipairs(roles) do
    if not r.invalid and not (r.before or r.after or r.from) then return r.code end
  end
  for _, r in ipairs(roles) do
    if not r.invalid then
      local e = r.after and math.huge or r.before or r.to
      if not bend or e > bend then best, bend = r.code, e end
    end
  end
  return best or (roles[1] and roles[1].code)
end

-- Offset of the first '#' or ';' outside [ ], or nil.
local function comment_start(s)
  local c, b = s:find("[#;]"), s:find("[", 1, true)
  if not c or not b or c < b then return c end
  local depth = 0
  for i = 1, #s do
    local ch = s:sub(i, i)
    if ch == "[" then
      depth = depth + 1
    elseif ch == "]" then
      depth = depth > 0 and depth - 1 or 0
    elseif depth == 0 and (ch == "#" or ch == ";") then
      return i
    end
  end
  return nil
end

-- "NORTH_KOREA" -> "NORTH KOREA*"; "IRAN_" -> "IRAN".
local function tabari_phrase(s)
  s = s:gsub("%s+", "_")
  local whole = s:sub(-1) == "_"
  s = trim((s:gsub("_+", " ")))
  if s == "" then return nil end
  return whole and s or s .. "*"
end

-- A TABARI actors file being read: the lexicon it fills, the report, the entry being read
-- (`block`: { line=, phrases = { {text, line} }, roles = {}, comment = }) and the state of
-- the line reader (inside an HTML comment, inside a skipped <section>).
local Tabari = {}
Tabari.__index = Tabari

-- One phrase of an entry into the lexicon, or an error or a warning about it.
function Tabari:add_phrase(p, code, attrs)
  local warn, err = self.report.warnings, self.report.errors
  local phrase = tabari_phrase(p[1])
  if not phrase then
    err[#err + 1] = { line = p[2], message = "empty phrase '" .. p[1] .. "'" }
    return
  end
  local ok, key = pcall(C.key, phrase)
  if not ok then
    err[#err + 1] = { line = p[2], message = (key:gsub("^.-dossier%.lexicon: ", "")) }
    return
  end
  if self.keys[key] then
    warn[#warn + 1] = { line = p[2], message = "phrase '" .. p[1] .. "' repeats line "
      .. self.keys[key] .. " (same folded key '" .. key .. "'): this one wins" }
  end
  self.keys[key] = p[2]
  if not utf8.len(p[1]) then
    warn[#warn + 1] = { line = p[2],
      message = "phrase '" .. p[1] .. "' is not valid UTF-8 (kept as bytes)" }
  end
  self.lex:add(phrase, code, attrs)
end

-- The entry read so far goes into the lexicon (or is reported when it has no code).
function Tabari:finish()
  local b = self.block
  if not b then return end
  self.block = nil
  if #b.roles == 0 then
    local err = self.report.errors
    err[#err + 1] = { line = b.line, message = "entry '" .. b.phrases[1][1] .. "' has no code: not added" }
    return
  end
  local code = default_code(b.roles)
  local attrs = { code = code, codes = b.roles, line = b.line, comment = b.comment }
  self.report.entries = self.report.entries + 1
  for _, p in ipairs(b.phrases) do
    self:add_phrase(p, code, attrs)
  end
end

-- The codes ("[USA] [USAGOV >2003]") of line nline into the entry's roles.
function Tabari:codes(codes, nline)
  if not codes then return end
  local bad = {}
  parse_codes(codes, self.block.roles, bad)
  local warn = self.report.warnings
  for _, m in ipairs(bad) do warn[#warn + 1] = { line = nline, message = m } end
end

-- A line of an entry (comment split off): codes, a synonym ('+'), a name grouped with a
-- code-less one before it, or a new entry.
function Tabari:entry_line(body, comment, nline)
  local warn, err, block = self.report.warnings, self.report.errors, self.block
  local first = body:sub(1, 1)
  if first == "[" then
    if not block then
      err[#err + 1] = { line = nline, message = "code line without an entry: " .. body }
    else
      self:codes(body, nline)
    end
  elseif first == "+" then
    local phrase, codes = body:sub(2):match("^%s*([^%[]-)%s*(%[.*)$")
    phrase = phrase or trim(body:sub(2))
    if not block then
      err[#err + 1] = { line = nline, message = "synonym without an entry: " .. body }
    elseif phrase == "" then
      err[#err + 1] = { line = nline, message = "empty synonym" }
    else
      block.phrases[#block.phrases + 1] = { phrase, nline }
      self:codes(codes, nline)
    end
  elseif block and #block.roles == 0 then
    -- A name line after a code-less one: the files use this for names
    -- that share the codes that follow (a '+' forgotten), so group them.
    local phrase, codes = body:match("^([^%[]-)%s*(%[.*)$")
    phrase = phrase or body
    warn[#warn + 1] = { line = nline, message = "'" .. phrase .. "' follows '" .. block.phrases[1][1]
      .. "' (line " .. block.line .. ") which has no code yet: grouped as a synonym" }
    block.phrases[#block.phrases + 1] = { phrase, nline }
    self:codes(codes, nline)
  else
    self:finish()
    local phrase, codes = body:match("^([^%[]-)%s*(%[.*)$")
    phrase = phrase or body
    self.block = { line = nline, phrases = { { phrase, nline } }, roles = {}, comment = comment }
    self:codes(codes, nline)
  end
end

-- One trimmed, non-blank line outside comments and sections; returns true at the end marker.
function Tabari:line(s, nline)
  local report, warn = self.report, self.report.warnings
  if s:sub(1, 2) == "<!" then
    if not s:find("-->", 1, true) then self.in_html = true end
    report.comments[#report.comments + 1] = { line = nline, text = s }
    return
  end
  local tag = s:match("^<(%a+)>$")
  if tag then
    self:finish()
    self.section = tag
    warn[#warn + 1] = { line = nline, message = "section <" .. tag .. "> is not actors: skipped to </"
      .. tag .. ">" }
    return
  end
  if s:sub(1, 2) == "~~" then
    self:finish()
    warn[#warn + 1] = { line = nline, message = "end marker '" .. s .. "': rest of file ignored" }
    return true
  end
  if s:sub(1, 1) == "#" or s:sub(1, 1) == ";" then
    report.comments[#report.comments + 1] = { line = nline, text = s }
    return
  end
  -- Split off a trailing comment ('#' or ';' outside brackets: "[###]" is a code).
  local body, comment = s, nil
  local c = comment_start(s)
  if c then body, comment = s:sub(1, c - 1), trim(s:sub(c + 1)) end
  body = trim(body)
  if body ~= "" then
    self:entry_line(body, comment, nline)
  end
end

local function parse_tabari(src, lex, report)
  local t = setmetatable({ lex = lex, report = report, keys = {}, -- folded key -> line
    in_html = false, section = nil }, Tabari)
  local nline = 0
  for raw in (src:sub(-1) == "\n" and src or src .. "\n"):gmatch("([^\n]*)\n") do
    nline = nline + 1
    local line = raw:gsub("\r$", "")
    if t.in_html then
      if line:find("-->", 1, true) then t.in_html = false end
      report.comments[#report.comments + 1] = { line = nline, text = line }
    elseif t.section then
      if line:match("^%s*</" .. t.section .. ">") then
        t.section = nil
      end
    else
      local s = trim(line)
      if s ~= "" and t:line(s, nline) then
        break
      end
    end
  end
  t:finish()
  local warn, err = report.warnings, report.errors
  if t.in_html then
    warn[#warn + 1] = { line = nline, message = "comment '<!--' not closed at end of file" }
  end
  if t.section then err[#err + 1] = { line = nline, message = "section <" .. t.section .. "> not closed" } end
  report.lines = nline
end

-- TSV ---------------------------------------------------------------------

local function parse_tsv(src, lex, report)
  local err, nline = report.errors, 0
  for raw in (src:sub(-1) == "\n" and src or src .. "\n"):gmatch("([^\n]*)\n") do
    nline = nline + 1
    local line = raw:gsub("\r$", "")
    if line:match("^%s*#") then
      report.comments[#report.comments + 1] = { line = nline, text = line }
    elseif line:find("%S") then
      local fields = {}
      for f in (line .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = f end
      local phrase, id, a = fields[1], fields[2], fields[3]
      if #fields > 3 then
        err[#err + 1] = { line = nline, message = "more than 3 tab-separated fields" }
      elseif not id or not id:find("%S") or not phrase:find("%S") then
        err[#err + 1] = { line = nline, message = "expected phrase<TAB>id[<TAB>key=value;...]" }
      else
        local attrs, bad
        if a and a:find("%S") then
          attrs = {}
          for item in a:gmatch("[^;]+") do
            local k, v = item:match("^%s*([^=]-)%s*=%s*(.-)%s*$")
            if not k or k == "" then bad = item break end
            attrs[k] = v
          end
        end
        if bad then
          err[#err + 1] = { line = nline, message = "attribute '" .. bad .. "' is not key=value" }
        else
          local ok, msg = pcall(lex.add, lex, phrase, trim(id), attrs)
          if ok then
            report.entries = report.entries + 1
          else
            err[#err + 1] = { line = nline, message = (msg:gsub("^.-dossier%.lexicon: ", "")) }
          end
        end
      end
    end
  end
  report.lines = nline
end

local parsers = { tabari = parse_tabari, tsv = parse_tsv }

local function bad_format(format)
  return "dossier.lexicon: unknown format '" .. tostring(format) .. "' (tabari, tsv)"
end

--- Build a lexicon from dictionary text.
-- @tparam string src the text of a dictionary
-- @tparam string format `"tabari"` or `"tsv"`
-- @param[opt] into options for `new`, or a lexicon to add to
-- @return the lexicon and a report `{format=, lines=, entries=, phrases=,
-- comments={{line=, text=}}, warnings={{line=, message=}}, errors={{line=, message=}}}`
function M.parse(src, format, into)
  if type(src) ~= "string" then error("dossier.lexicon: parse expects a string", 2) end
  local parser = parsers[format]
  if not parser then error(bad_format(format), 2) end
  local lex = type(into) == "userdata" and into or M.new(into)
  local report = { format = format, entries = 0, comments = {}, warnings = {}, errors = {} }
  parser(src, lex, report)
  report.phrases = #lex
  return lex, report
end

--- Load a dictionary file into a new lexicon.
-- Lines that cannot be used are not dropped silently: they are listed in
-- `report.errors` (entry not added) or `report.warnings` (added, with a
-- caveat), each with its line number; comment lines in `report.comments`.
-- @tparam string path the file
-- @tparam[opt] string format `"tabari"` or `"tsv"`; by default `"tsv"` for a
-- `.tsv` file, else `"tabari"`
-- @param[opt] into options for `new`, or a lexicon to add to (to merge files)
-- @return the lexicon and the report (see `parse`), or nil and a message if
-- the file cannot be read
function M.load(path, format, into)
  if type(path) ~= "string" then error("dossier.lexicon: load expects a path", 2) end
  format = format or (path:match("%.tsv$") and "tsv" or "tabari")
  if not parsers[format] then error(bad_format(format), 2) end
  local f, msg = io.open(path, "rb")
  if not f then return nil, "dossier.lexicon: " .. msg end
  local src = f:read("a")
  f:close()
  local lex, report = M.parse(src, format, into)
  report.path = path
  return lex, report
end

return M
