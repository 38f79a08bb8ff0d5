--- Look at results: terminal tables, bar charts and timelines, CSV and JSON export, and an HTML
-- report whose every number links to the sentences behind it.
--
-- Everything here takes plain rows (arrays of flat tables, such as the rows of `db:rows`, or the
-- arrays returned by `dossier.sanctions` and `dossier.claims`) and returns strings or writes
-- files. Only `html` reads the store: the evidence sentences, and (unless it is given the rows)
-- the analyses, computed once each; nothing here writes to it.
--
--    local report = require "dossier.report"
--    io.write(report.table(rows, { columns = {"date", "resolution", "actors", "mentions"} }))
--    io.write(report.bars({ arms_transfer = 12, icbm_launch = 3 }))
--    io.write(report.timeline(rows, "date", { by = "month" }))
--    report.csv(rows, "violations.csv"); report.json(rows, "-", { pretty = true })
--    report.html(db, "report.html")
--
-- @module dossier.report
local calendar = require "dossier.calendar"
local util = require "dossier.report.util"
local M = {}

local concat, floor, huge = table.concat, math.floor, math.huge
local clean, num_str = util.clean, util.num_str

local function fail(msg, level)
  error("dossier.report: " .. msg, (level or 1) + 1)
end

-- ---------------------------------------------------------------------------------------------
-- Text widths. Terminals lay out code points: Latin, Cyrillic, Greek, box drawing and the block
-- elements take one column, combining marks none, East Asian wide characters and emoji two.
-- ---------------------------------------------------------------------------------------------

-- Ranges of width 0 and width 2 (sorted, inclusive); everything else is 1.
local ZERO = {
  { 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x0610, 0x061A },
  { 0x064B, 0x065F }, { 0x200B, 0x200F }, { 0x202A, 0x202E }, { 0x2060, 0x2064 },
  { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF },
}
local WIDE = {
  { 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF }, { 0x3400, 0x4DBF },
  { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
  { 0xFE30, 0xFE4F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F },
  { 0x1F900, 0x1F9FF }, { 0x20000, 0x3FFFD },
}

local function in_ranges(c, ranges)
  for i = 1, #ranges do
    local r = ranges[i]
    if c < r[1] then return false end
    if c <= r[2] then return true end
  end
  return false
end

local function cwidth(c)
  if c < 0x300 then return 1 end
  if in_ranges(c, ZERO) then return 0 end
  if c >= 0x1100 and in_ranges(c, WIDE) then return 2 end
  return 1
end

--- Display width of a string in terminal columns (code points; combining marks 0, East Asian
-- wide characters 2). Invalid UTF-8 bytes count one column each.
-- @tparam string s
-- @treturn integer
function M.width(s)
  s = tostring(s)
  if not s:find("[\128-\255]") then return #s end
  if not utf8.len(s) then s = clean(s) end
  local w = 0
  for _, c in utf8.codes(s) do w = w + cwidth(c) end
  return w
end
local width = M.width

--- Cut a string to at most `w` columns, ending it with "…" when something was cut.
-- @tparam string s a valid UTF-8 string
-- @tparam integer w the width in columns
-- @treturn string
function M.truncate(s, w)
  if width(s) <= w then return s end
  if w <= 0 then return "" end
  local used, stop = 0, 0
  for p, c in utf8.codes(s) do
    local cw = cwidth(c)
    if used + cw > w - 1 then break end
    used = used + cw
    stop = p + #utf8.char(c) - 1
  end
  return s:sub(1, stop) .. "…"
end
local truncate = M.truncate

local function pad(s, w, right)
  local gap = w - width(s)
  if gap <= 0 then return s end
  return right and (string.rep(" ", gap) .. s) or (s .. string.rep(" ", gap))
end

-- The width to lay out in: opts.width (math.huge: no limit, where `unlimited` allows it), else
-- the terminal's (`dossier.sys.terminal_width`: $COLUMNS, else the terminal), else 80 (what
-- `tput cols` answers without a terminal, as this module asked before).
local function screen_width(opts, unlimited)
  if opts and opts.width ~= nil then
    if unlimited and opts.width == huge then return huge end
    local w = math.tointeger(opts.width)
    if not w or w < 10 then fail("opts.width must be an integer of at least 10 (or math.huge)", 3) end
    return w
  end
  local w = require("dossier.sys").terminal_width()
  return w and w >= 10 and w or 80
end

-- ---------------------------------------------------------------------------------------------
-- Values to text
-- ---------------------------------------------------------------------------------------------

local cjson = require "cjson"
local null = cjson.null

local function is_array(t)
  local n = #t
  if n == 0 then return next(t) == nil end
  local count = 0
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return false end
    count = count + 1
  end
  return count == n
end

-- A cell: nil and JSON null empty, numbers formatted, tables summarised.
local function cell(v)
  local tv = type(v)
  if v == nil or v == null then return "" end
  if tv == "string" then return clean(v) end
  if tv == "number" then return num_str(v) or tostring(v) end
  if tv == "boolean" then return tostring(v) end
  if tv == "table" then
    if is_array(v) then return "[" .. #v .. "]" end
    return "{…}"
  end
  return "<" .. tv .. ">"
end

-- Columns: opts.columns, else the union of the rows' keys in first-seen order (within a row,
-- array positions first, then names sorted, so the order is the same on every run).
local function columns_of(rows, opts)
  if opts.columns then
    if type(opts.columns) ~= "table" or #opts.columns == 0 then
      fail("opts.columns must be a non-empty array of keys", 3)
    end
    return opts.columns
  end
  local cols, seen = {}, {}
  for _, row in ipairs(rows) do
    local ints, names = {}, {}
    for k in pairs(row) do
      if not seen[k] then
        if math.type(k) == "integer" then ints[#ints + 1] = k
        elseif type(k) == "string" then names[#names + 1] = k end
      end
    end
    table.sort(ints)
    table.sort(names)
    for _, k in ipairs(ints) do seen[k] = true; cols[#cols + 1] = k end
    for _, k in ipairs(names) do seen[k] = true; cols[#cols + 1] = k end
  end
  return cols
end

local function check_rows(rows, fname)
  if type(rows) ~= "table" then fail(fname .. ": rows must be an array of tables", 3) end
  for i, row in ipairs(rows) do
    if type(row) ~= "table" then
      fail(string.format("%s: row %d is a %s, not a table", fname, i, type(row)), 3)
    end
  end
end

-- ---------------------------------------------------------------------------------------------
-- table
-- ---------------------------------------------------------------------------------------------

local SEP = "  "

--- Format rows as a terminal table that fits the screen.
--
-- Columns are `opts.columns` or the union of the rows' keys in first-seen order. Numbers are
-- right-aligned, `nil` is empty, nested tables are summarised (`[3]` for an array of three,
-- `{…}` for a map). When the natural widths do not fit, the widest columns are narrowed first
-- and long cells end in "…"; columns that still do not fit are left out and named below.
-- @tparam {table,...} rows the rows
-- @tparam[opt] table opts `width` (default `$COLUMNS`, the terminal's, or 80; `math.huge`
--   for no limit), `columns` (array of
--   keys), `headers` (key → heading), `format` (key → function(value, row) → string), `rule`
--   (the character of the line under the headings, default "─"),
--   `limit` (show at most this many rows)
-- @treturn string the table, lines ending in "\n"
function M.table(rows, opts)
  opts = opts or {}
  check_rows(rows, "table")
  local maxw = screen_width(opts, true)
  local cols = columns_of(rows, opts)
  if #cols == 0 then return "(no rows)\n" end
  local headers, format = opts.headers or {}, opts.format or {}
  local limit = opts.limit and math.min(opts.limit, #rows) or #rows

  local head, cells, nat, numeric = {}, {}, {}, {}
  for j, k in ipairs(cols) do
    head[j] = clean(tostring(headers[k] or k))
    nat[j] = width(head[j])
    numeric[j] = nil
  end
  for i = 1, limit do
    local row, line = rows[i], {}
    for j, k in ipairs(cols) do
      local v = row[k]
      local s = format[k] and clean(tostring(format[k](v, row) or "")) or cell(v)
      line[j] = s
      if type(v) == "number" then
        if numeric[j] == nil then numeric[j] = true end
      elseif v ~= nil and v ~= null then
        numeric[j] = false
      end
      local w = width(s)
      if w > nat[j] then nat[j] = w end
    end
    cells[i] = line
  end

  -- Fit: find the largest cap c with sum(min(nat, c)) + separators <= width, then give what is
  -- left over to the capped columns one column at a time, left to right.
  local n = #cols
  local function total(k, cap)
    local t = (k - 1) * #SEP
    for j = 1, k do t = t + math.min(nat[j], cap) end
    return t
  end
  local MIN = 4
  while n > 1 and total(n, MIN) > maxw do n = n - 1 end
  local widths = {}
  local sum = total(n, huge)
  if sum <= maxw then
    for j = 1, n do widths[j] = nat[j] end
  else
    local cap = MIN
    while total(n, cap + 1) <= maxw do cap = cap + 1 end
    local spare = maxw - total(n, cap)
    for j = 1, n do
      widths[j] = math.min(nat[j], cap)
      if nat[j] > cap and spare > 0 then widths[j] = widths[j] + 1; spare = spare - 1 end
    end
    if n == 1 then widths[1] = math.min(nat[1], maxw) end
  end

  local out = {}
  local function emit(line)
    local parts = {}
    for j = 1, n do
      parts[j] = pad(truncate(line[j], widths[j]), widths[j], numeric[j])
    end
    out[#out + 1] = (concat(parts, SEP):gsub("%s+$", ""))
  end
  emit(head)
  local rule = {}
  for j = 1, n do rule[j] = string.rep(opts.rule or "─", widths[j]) end
  out[#out + 1] = concat(rule, SEP)
  for i = 1, limit do emit(cells[i]) end
  if limit < #rows then out[#out + 1] = string.format("… %d more rows", #rows - limit) end
  if n < #cols then
    local rest = {}
    for j = n + 1, #cols do rest[#rest + 1] = head[j] end
    out[#out + 1] = truncate(string.format("… %d more columns: %s", #rest, concat(rest, ", ")), maxw)
  end
  return concat(out, "\n") .. "\n"
end

-- ---------------------------------------------------------------------------------------------
-- bars
-- ---------------------------------------------------------------------------------------------

local EIGHTHS = { "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█" }

-- A bar of `v` eighths of a column (v >= 0).
local function bar(eighths)
  local full, part = eighths // 8, eighths % 8
  return string.rep("█", full) .. (part > 0 and EIGHTHS[part] or "")
end

local function field_of(spec, default)
  spec = spec or default
  if type(spec) == "function" then return spec end
  return function(t) return t[spec] end
end

--- Draw a horizontal bar chart with Unicode eighth blocks.
--
-- `counts` is a map `{label = n}`, an array of pairs `{ {label, n}, ... }`, or an array of rows
-- with `opts.label` and `opts.value` naming the fields (such as the rows of `dossier.sanctions.count`,
-- `{ label = "resolution", value = "count" }`). Bars are sorted by count, largest first (ties by
-- label), unless `opts.sort == false` keeps an array's order. The longest bar fills the width.
-- @tparam table counts the counts
-- @tparam[opt] table opts `width`, `sort`, `limit` (the top N), `label`, `value`, `title`
-- @treturn string the chart, lines ending in "\n"
function M.bars(counts, opts)
  opts = opts or {}
  if type(counts) ~= "table" then fail("bars: counts must be a table", 2) end
  local maxw = screen_width(opts)
  local items = {}
  if #counts > 0 or next(counts) == nil then
    local getl = field_of(opts.label, 1)
    local getv = field_of(opts.value, 2)
    for i, it in ipairs(counts) do
      if type(it) ~= "table" then fail(string.format("bars: item %d is not a table", i), 2) end
      items[#items + 1] = { label = getl(it), n = getv(it) }
    end
  else
    for k, v in pairs(counts) do items[#items + 1] = { label = k, n = v } end
  end
  for _, it in ipairs(items) do
    if type(it.n) ~= "number" or it.n ~= it.n then
      fail(string.format("bars: count for '%s' is not a number", cell(it.label)), 2)
    end
    if it.n < 0 then fail(string.format("bars: count for '%s' is negative", cell(it.label)), 2) end
    it.text = cell(it.label)
  end
  if opts.sort ~= false or #counts == 0 then
    table.sort(items, function(a, b)
      if a.n ~= b.n then return a.n > b.n end
      return a.text < b.text
    end)
  end
  if opts.limit and #items > opts.limit then
    for i = #items, opts.limit + 1, -1 do items[i] = nil end
  end
  local out = {}
  if opts.title then out[1] = truncate(clean(opts.title), maxw) end
  if #items == 0 then
    out[#out + 1] = "(no data)"
    return concat(out, "\n") .. "\n"
  end
  local lw, vw, top = 0, 0, 0
  for _, it in ipairs(items) do
    it.value = num_str(it.n)
    lw = math.max(lw, width(it.text))
    vw = math.max(vw, #it.value)
    top = math.max(top, it.n)
  end
  lw = math.min(lw, math.max(8, maxw // 3))
  local bw = math.max(1, maxw - lw - vw - 2)
  for _, it in ipairs(items) do
    local e = 0
    if top > 0 and it.n > 0 then e = math.max(1, floor(it.n / top * bw * 8 + 0.5)) end
    local b = bar(e)
    out[#out + 1] = pad(truncate(it.text, lw), lw) .. " " .. b .. string.rep(" ", bw - width(b))
      .. " " .. pad(it.value, vw, true)
  end
  return concat(out, "\n") .. "\n"
end

-- ---------------------------------------------------------------------------------------------
-- timeline
-- ---------------------------------------------------------------------------------------------

-- Days since 1970-01-01 of a civil date (proleptic Gregorian), without os.time and time zones.
local days_from_civil, civil_from_days = calendar.days, calendar.civil

-- Parse an ISO date prefix: returns y, m, d (m and d nil when absent), or nil.
local parse_date = calendar.parse

-- ISO week: the Thursday of the date's week decides the year.
local function iso_week(days)
  local wd = (days + 3) % 7 -- 0 = Monday (1970-01-01 was a Thursday)
  local thursday = days - wd + 3
  local ty = civil_from_days(thursday)
  local jan1 = days_from_civil(ty, 1, 1)
  return ty, (thursday - jan1) // 7 + 1, days - wd
end

-- Bucket keys are integers (so empty buckets in between can be enumerated) with labels.
local GRAN = {
  day = {
    need = 3,
    key = function(y, m, d) return days_from_civil(y, m, d) end,
    label = function(k)
      local y, m, d = civil_from_days(k)
      return string.format("%04d-%02d-%02d", y, m, d)
    end,
  },
  week = {
    need = 3,
    key = function(y, m, d)
      local _, _, monday = iso_week(days_from_civil(y, m, d))
      return monday -- the day number of the week's Monday
    end,
    step = 7,
    label = function(k)
      local wy, wn = iso_week(k)
      return string.format("%04d-W%02d", wy, wn)
    end,
  },
  month = {
    need = 2,
    key = function(y, m) return y * 12 + (m - 1) end,
    label = function(k) return string.format("%04d-%02d", k // 12, k % 12 + 1) end,
  },
  year = {
    need = 1,
    key = function(y) return y end,
    label = function(k) return string.format("%04d", k) end,
  },
}
local ORDER = { "day", "week", "month", "year" }

-- The dates of the rows as {y, m, d, precision} (precision 3 for a day, 2 a month, 1 a year),
-- and how many rows have none.
local function timeline_dates(rows, get)
  local dates, undated = {}, 0
  for _, row in ipairs(rows) do
    local y, m, d = parse_date(get(row))
    if y then
      local p = d and 3 or m and 2 or 1
      dates[#dates + 1] = { y, m, d, p }
    else
      undated = undated + 1
    end
  end
  return dates, undated
end

-- The first and last bucket of granularity g and the number of buckets from one to the other,
-- over the dates precise enough for it; nil when none is.
local function span(dates, g)
  local lo, hi = huge, -huge
  for _, dt in ipairs(dates) do
    if dt[4] >= g.need then
      local k = g.key(dt[1], dt[2], dt[3])
      if k < lo then lo = k end
      if k > hi then hi = k end
    end
  end
  if lo == huge then return nil end
  return lo, hi, (hi - lo) // (g.step or 1) + 1
end

-- The finest granularity every date supports whose buckets fit the width, else "year".
local function finest_fit(dates, maxw)
  local precision = 3
  for _, p in ipairs(dates) do if p[4] < precision then precision = p[4] end end
  for _, name in ipairs(ORDER) do
    local g = GRAN[name]
    if g.need <= precision then
      local _, _, nb = span(dates, g)
      if nb and nb <= maxw - 8 then return name end
    end
  end
  return "year"
end

-- Rows per bucket; how many dates are not precise enough; the largest count; the total counted.
local function bucket_counts(dates, g)
  local counts, imprecise, top, total = {}, 0, 0, 0
  for _, dt in ipairs(dates) do
    if dt[4] >= g.need then
      local k = g.key(dt[1], dt[2], dt[3])
      counts[k] = (counts[k] or 0) + 1
      total = total + 1
      if counts[k] > top then top = counts[k] end
    else
      imprecise = imprecise + 1
    end
  end
  return counts, imprecise, top, total
end

-- The columns that fit `avail` cells: the latest ones when not all do. Returns
-- {lo=, nb=, step=, colw=, barw=, avail=, hidden=}: first bucket, number of columns, the step
-- between buckets, cells per column and per bar, the room, and how many buckets were left out.
local function layout(opts, step, lo, nb, avail)
  local hidden = 0
  if lo and nb > avail then
    hidden = nb - avail
    lo = lo + hidden * step
    nb = avail
  end
  local colw = math.tointeger(opts.column_width or math.max(1, math.min(4, avail // nb)))
  if not colw or colw < 1 then fail("timeline: opts.column_width must be a positive integer", 3) end
  if colw * nb > avail then
    -- Columns wider than the room: show fewer, the latest ones.
    local fit = math.max(1, avail // colw)
    hidden = hidden + (nb - fit)
    lo = lo + (nb - fit) * step
    nb = fit
  end
  -- Columns of two or more cells keep one blank cell as a gap between bars.
  return { lo = lo, nb = nb, step = step, colw = colw, barw = colw >= 2 and colw - 1 or 1,
    avail = avail, hidden = hidden }
end

local BLOCKS = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" }

-- The bars, top row first, with the largest count on the y axis.
local function draw_columns(out, lay, counts, top, height, ylab)
  -- Each bucket's height in eighths of a cell.
  local levels = {}
  for i = 0, lay.nb - 1 do
    local c = counts[lay.lo + i * lay.step] or 0
    local e = 0
    if c > 0 then e = math.max(1, floor(c / top * height * 8 + 0.5)) end
    levels[i] = e
  end
  for r = height, 1, -1 do
    local line = { r == height and pad(ylab, #ylab, true) .. " ┤" or string.rep(" ", #ylab) .. " │" }
    local base = (r - 1) * 8
    for i = 0, lay.nb - 1 do
      local e = levels[i] - base
      local ch = e >= 8 and "█" or e > 0 and BLOCKS[e] or " "
      line[#line + 1] = string.rep(ch, lay.barw) .. string.rep(" ", lay.colw - lay.barw)
    end
    out[#out + 1] = (concat(line):gsub("%s+$", ""))
  end
end

-- The x axis: a tick under each labelled bucket; labels placed left to right where they fit.
local function draw_axis(out, lay, g, ylab)
  local axis, labels = {}, {}
  local written, ticks = 0, {}
  for i = 0, lay.nb - 1 do
    local lab = g.label(lay.lo + i * lay.step)
    local x = i * lay.colw
    if x >= (written > 0 and written + 2 or 0) and x + #lab <= lay.avail then
      ticks[i] = true
      labels[#labels + 1] = string.rep(" ", x - written) .. lab
      written = x + #lab
    end
  end
  for i = 0, lay.nb - 1 do
    axis[#axis + 1] = (ticks[i] and "┬" or "─") .. string.rep("─", lay.colw - 1)
  end
  out[#out + 1] = string.rep(" ", #ylab + 1) .. "└" .. concat(axis)
  out[#out + 1] = (string.rep(" ", #ylab + 2) .. concat(labels)):gsub("%s+$", "")
end

-- The chart when there is nothing to draw: the title, then why.
local function no_chart(opts, why)
  local out = {}
  if opts.title then out[1] = clean(opts.title) end
  out[#out + 1] = why
  return concat(out, "\n") .. "\n"
end

--- Count rows per day, week, month or year and draw the counts as a column chart of Unicode
-- blocks (▁▂▃▄▅▆▇█), with the largest count on the y axis and dates on the x axis.
--
-- Dates are ISO strings (`2022-03-24`, `2022-03`, `2022`; a time after the date is ignored).
-- Without `opts.by` the granularity is the finest one the dates support (a date given only as
-- a month cannot be placed in a day) that fits the width. Empty periods between the first and
-- last date are shown as gaps. Rows whose date is missing, malformed or not precise enough for
-- the granularity are counted in the caption, not drawn.
-- @tparam {table,...} rows the rows
-- @tparam string|function field the date field, or a function(row) returning the date
-- @tparam[opt] table opts `by` ("day", "week", "month", "year"), `width`, `height` (rows of the
--   chart, default 4; 1 gives a sparkline), `column_width` (cells per period, default as many as
--   fit, at most 4; from 2 on, one of them is a gap), `title`
-- @treturn string the chart, lines ending in "\n"
function M.timeline(rows, field, opts)
  opts = opts or {}
  check_rows(rows, "timeline")
  if type(field) ~= "string" and type(field) ~= "function" then
    fail("timeline: field must be a string or a function", 2)
  end
  if opts.by ~= nil and not GRAN[opts.by] then
    fail("timeline: opts.by must be one of day, week, month, year (got " .. tostring(opts.by) .. ")", 2)
  end
  local height = math.tointeger(opts.height or 4)
  if not height or height < 1 then fail("timeline: opts.height must be a positive integer", 2) end
  local maxw = screen_width(opts)
  local dates, undated = timeline_dates(rows, field_of(field))
  if #dates == 0 then
    return no_chart(opts, string.format("(no dated rows%s)",
      undated > 0 and (", " .. undated .. " without a date") or ""))
  end
  local gname = opts.by or finest_fit(dates, maxw)
  local g = GRAN[gname]
  local lo, hi, nb = span(dates, g)
  if not lo then
    return no_chart(opts, string.format("(no dates precise to the %s: %d rows%s)", gname, #dates,
      undated > 0 and (", and " .. undated .. " without a date") or ""))
  end
  local counts, imprecise, top, total = bucket_counts(dates, g)
  local ylab = tostring(top)
  local lay = layout(opts, g.step or 1, lo, nb, math.max(1, maxw - (#ylab + 2)))
  local caption = opts.title and clean(opts.title) or
    string.format("%d rows by %s", total, gname)
  caption = caption .. string.format(", %s … %s, max %d", g.label(lay.lo), g.label(hi), top)
  local notes = {}
  if undated > 0 then notes[#notes + 1] = undated .. " without a date" end
  if imprecise > 0 then notes[#notes + 1] = imprecise .. " not precise to the " .. gname end
  if lay.hidden > 0 then notes[#notes + 1] = lay.hidden .. " earlier " .. gname .. "s not shown" end
  local out = { truncate(caption, maxw) }
  draw_columns(out, lay, counts, top, height, ylab)
  draw_axis(out, lay, g, ylab)
  if #notes > 0 then out[#out + 1] = truncate("(" .. concat(notes, "; ") .. ")", maxw) end
  return concat(out, "\n") .. "\n"
end

-- ---------------------------------------------------------------------------------------------
-- JSON: lua-cjson escapes the strings; the structure is decided here, because lua-cjson 2.1.0
-- cannot tell an empty array from an empty object (we write [] for every empty table) and
-- refuses sparse arrays (we write those as objects with string keys).
-- ---------------------------------------------------------------------------------------------

local cj = cjson.new()
local function jstr(s) return cj.encode(s) end

local function json_encode(v, pretty, indent, seen, out)
  local tv = type(v)
  if v == nil or v == null then
    out[#out + 1] = "null"
  elseif tv == "boolean" then
    out[#out + 1] = tostring(v)
  elseif tv == "number" then
    out[#out + 1] = num_str(v) or "null"
  elseif tv == "string" then
    if not utf8.len(v) then v = clean(v) end
    out[#out + 1] = jstr(v)
  elseif tv == "table" then
    if seen[v] then fail("json: cannot encode a table that contains itself", 4) end
    seen[v] = true
    local nl = pretty and ("\n" .. string.rep("  ", indent + 1)) or ""
    local close = pretty and ("\n" .. string.rep("  ", indent)) or ""
    if is_array(v) then
      if #v == 0 then
        out[#out + 1] = "[]"
      else
        out[#out + 1] = "["
        for i = 1, #v do
          out[#out + 1] = (i > 1 and "," or "") .. nl
          json_encode(v[i], pretty, indent + 1, seen, out)
        end
        out[#out + 1] = close .. "]"
      end
    else
      local keys = {}
      for k in pairs(v) do
        local tk = type(k)
        if tk ~= "string" and tk ~= "number" then
          fail("json: cannot encode a table key of type " .. tk, 4)
        end
        keys[#keys + 1] = tk == "number" and (num_str(k) or tostring(k)) or k
      end
      local orig = {}
      for k in pairs(v) do orig[type(k) == "number" and (num_str(k) or tostring(k)) or k] = k end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        out[#out + 1] = (i > 1 and "," or "") .. nl .. jstr(clean(k) == k and k or clean(k))
          .. (pretty and ": " or ":")
        json_encode(v[orig[k]], pretty, indent + 1, seen, out)
      end
      out[#out + 1] = close .. "}"
    end
    seen[v] = nil
  else
    fail("json: cannot encode a " .. tv, 4)
  end
end

local function to_json(v, pretty)
  local out = {}
  json_encode(v, pretty, 0, {}, out)
  return concat(out)
end

--- Encode a value as JSON text. Arrays (keys 1..n) become JSON arrays, every empty table
-- becomes `[]`, other tables objects with sorted keys; NaN and infinities become `null`,
-- `cjson.null` is `null`. Raises on functions, userdata and cycles.
-- @param v the value
-- @tparam[opt] boolean pretty indent with two spaces
-- @treturn string
function M.encode_json(v, pretty)
  return to_json(v, pretty)
end

-- Open the output: "-" is stdout, a handle (anything with :write) is used as is.
local function open_out(path, fname)
  if path == "-" then return io.stdout, false end
  if type(path) == "string" then
    local f, err = io.open(path, "wb")
    if not f then return nil, "dossier.report: " .. fname .. ": cannot open " .. err end
    return f, true
  end
  if (type(path) == "userdata" or type(path) == "table") and path.write then return path, false end
  fail(fname .. ": path must be a file name, \"-\" or a file handle", 3)
end

--- Write rows as CSV (RFC 4180): a header row, then one line per row; fields holding the
-- separator, a quote, CR or LF are quoted with quotes doubled; lines end in CRLF. Nested tables
-- are written as JSON, `nil` as an empty field.
-- @tparam {table,...} rows the rows
-- @tparam string|file path a file name, `"-"` for stdout, or an open file handle
-- @tparam[opt] table opts `columns`, `headers` (key → heading), `format` (key →
--   function(value, row) → string, as in `table`), `sep` (default ","), `eol` (default "\r\n"),
--   `header` (false leaves the header row out)
-- @treturn integer the number of rows written, or nil and a message when the file cannot be opened
function M.csv(rows, path, opts)
  opts = opts or {}
  check_rows(rows, "csv")
  local sep, eol, format = opts.sep or ",", opts.eol or "\r\n", opts.format or {}
  if type(sep) ~= "string" or #sep ~= 1 or sep:find('["\r\n]') then
    fail('csv: opts.sep must be one character other than a quote, CR or LF', 2)
  end
  local cols = #rows == 0 and opts.columns == nil and {} or columns_of(rows, opts)
  local headers = opts.headers or {}
  local function field(v, row, k)
    local s
    if row and format[k] then s = tostring(format[k](v, row) or "")
    elseif v == nil or v == null then return ""
    elseif type(v) == "table" then s = to_json(v)
    elseif type(v) == "number" then s = num_str(v) or ""
    elseif type(v) == "string" then s = utf8.len(v) and v or clean(v)
    else s = tostring(v) end
    if s:find('[\r\n"]') or s:find(sep, 1, true) then
      s = '"' .. s:gsub('"', '""') .. '"'
    end
    return s
  end
  local f, err = open_out(path, "csv")
  if not f then return nil, err end
  local buf = {}
  local function flush(force)
    if #buf >= 256 or (force and #buf > 0) then
      f:write(concat(buf))
      buf = {}
    end
  end
  local ok, e = pcall(function()
    if opts.header ~= false and #cols > 0 then
      local h = {}
      for j, k in ipairs(cols) do h[j] = field(tostring(headers[k] or k)) end
      buf[#buf + 1] = concat(h, sep) .. eol
    end
    for _, row in ipairs(rows) do
      local line = {}
      for j, k in ipairs(cols) do line[j] = field(row[k], row, k) end
      buf[#buf + 1] = concat(line, sep) .. eol
      flush(false)
    end
    flush(true)
  end)
  if f ~= io.stdout and type(path) == "string" then f:close() end
  if not ok then error(e, 0) end
  return #rows
end

--- Write rows as JSON (an array of objects; see `encode_json` for how tables map).
-- @tparam table rows the rows (any JSON-encodable value is accepted; the count is `#rows`)
-- @tparam string|file path a file name, `"-"` for stdout, or an open file handle
-- @tparam[opt] table opts `pretty` (indent two spaces, one value per line)
-- @treturn integer the number of rows written, or nil and a message when the file cannot be opened
function M.json(rows, path, opts)
  opts = opts or {}
  if type(rows) ~= "table" then fail("json: rows must be a table", 2) end
  local text = to_json(rows, opts.pretty) .. "\n"
  local f, err = open_out(path, "json")
  if not f then return nil, err end
  local ok, e = pcall(f.write, f, text)
  if f ~= io.stdout and type(path) == "string" then f:close() end
  if not ok then error(e, 0) end
  return #rows
end

-- An analysis module when it is installed: a missing module is expected (its section is left
-- out); a module that fails to load is a bug to show.
local function optional_module(name)
  local ok, mod = pcall(require, name)
  if ok then return type(mod) == "table" and mod or nil end
  if tostring(mod):find("module '" .. name .. "' not found", 1, true) then return nil end
  error(mod, 0)
end

-- The analyses' rows for the HTML report, each computed once: the rows in opts first (false:
-- no such section), else incidents from dossier.sanctions (not stored), violations of those
-- incidents, and propositions from dossier.claims. Computing only reads the store.
local function analyses(db, opts)
  local incidents, violations, propositions = opts.incidents, opts.violations, opts.propositions
  if violations == nil or incidents == nil then
    local s = optional_module("dossier.sanctions")
    if s and incidents == nil and s.incidents then incidents = s.incidents(db, { store = false }) end
    if s and violations == nil and s.violations then
      violations = s.violations(db, { incidents = type(incidents) == "table" and incidents or nil })
    end
  end
  if propositions == nil then
    local c = optional_module("dossier.claims")
    if c and c.compare then propositions = c.compare(db) end
  end
  -- false (or nothing found) means "no such section"; given rows mean the section is shown.
  local data, given = { shown = {} }, { violations, incidents, propositions }
  for i, name in ipairs { "violations", "incidents", "propositions" } do
    local v = given[i]
    if v ~= nil and v ~= false and type(v) ~= "table" then
      fail("html: opts." .. name .. " must be an array of rows", 3)
    end
    data[name] = v or {}
    data.shown[name] = v and true or nil
  end
  return data
end

--- Write the HTML report: one self-contained page (inline CSS and SVG, no scripts, no external
-- resources) with the headline counts, a timeline, the violations, the claims comparison and
-- the evidence sentences every number links to. See `dossier.report.html` for the details.
-- The report only reads the store: it works on one opened read-only.
-- @param db an open `dossier.store`
-- @tparam string|file path a file name, `"-"` for stdout, or an open file handle
-- @tparam[opt] table opts `violations`, `incidents`, `propositions` (rows, `false` for none; by
--   default computed once here: `dossier.sanctions.incidents` without storing them, the
--   violations of those incidents, and `dossier.claims.compare`, when installed), `title`,
--   `generated`, `max_evidence`
-- @treturn table a summary `{violations=, incidents=, propositions=, evidence=, bytes=}`, or nil
--   and a message when the file cannot be opened
function M.html(db, path, opts)
  opts = opts or {}
  local okdb = (type(db) == "userdata" or type(db) == "table") and pcall(function() return db.first end)
  if not okdb or type(db.first) ~= "function" then fail("html: db must be an open dossier.store", 2) end
  local max_ev = math.tointeger(opts.max_evidence or 100)
  if not max_ev or max_ev < 1 then fail("html: opts.max_evidence must be a positive integer", 2) end
  local data = analyses(db, opts)
  local page, summary = require("dossier.report.html").render(db, data,
    { title = opts.title, generated = opts.generated, max_evidence = max_ev })
  local f, err = open_out(path, "html")
  if not f then return nil, err end
  local ok, e = pcall(f.write, f, page)
  if f ~= io.stdout and type(path) == "string" then f:close() end
  if not ok then error(e, 0) end
  summary.bytes = #page
  return summary
end

return M
