-- Specs for dossier.report: terminal tables, bars and timelines, CSV and JSON export, and the
-- HTML report, which is also loaded in headless Chromium where one is installed.
local report = require "dossier.report"
local store = require "dossier.store"
local cjson = require "cjson"

local CHECK = os.getenv("DOSSIER_CHECK")
-- Lua code that makes a child lua5.4 find our modules (run from the repository root).
local LUA_PATHS = 'package.path="lua/?.lua;"..package.path; package.cpath="build/?.so;"..package.cpath '

local tmp = dofile("spec/helpers/tmp.lua")
local tmpname, slurp = tmp.name, tmp.read
teardown(tmp.clean)

local function lines_of(s)
  local t = {}
  for l in s:gmatch("([^\n]*)\n") do t[#t + 1] = l end
  return t
end

-- Oracle for widths of Latin and Cyrillic text: one column per code point.
local function ulen(s) return assert(utf8.len(s)) end

-- ---------------------------------------------------------------------------------------------
describe("dossier.report.width and truncate", function()
  it("counts Latin and Cyrillic code points as one column each", function()
    for _, s in ipairs { "abc", "Ђорђе Балашевић", "Čačak, Šabac, Đakovica", "PRK→RUS", "" } do
      assert.equal(ulen(s), report.width(s))
    end
  end)

  it("gives combining marks no width and East Asian characters two", function()
    assert.equal(1, report.width("e\u{301}"))
    assert.equal(4, report.width("朝鮮"))
    assert.equal(5, report.width("a朝鮮"))
  end)

  it("counts an invalid byte as one column", function()
    assert.equal(3, report.width("a\255b"))
  end)

  it("cuts on character boundaries and ends with an ellipsis", function()
    local s = "Северна Кореја"
    for w = 1, 16 do
      local t = report.truncate(s, w)
      assert.truthy(utf8.len(t), "valid UTF-8 at width " .. w)
      assert.is_true(report.width(t) <= w)
      if w >= ulen(s) then
        assert.equal(s, t)
      else
        assert.equal("…", t:sub(-3))
        assert.equal(w, report.width(t))
        assert.equal(1, s:find(t:sub(1, -4), 1, true))
      end
    end
    -- a wide character that would overflow is left out, not split
    assert.equal("a…", report.truncate("a朝鮮", 3))
  end)
end)

-- ---------------------------------------------------------------------------------------------
describe("dossier.report.table", function()
  local rows = {
    { date = "2022-03-24", actors = "PRK", mentions = 12,
      note = "Северна Кореја је лансирала балистичку ракету" },
    { date = "2022-09-06", actors = "PRK→RUS", mentions = 3.5, sources = { "a", "b", "c" },
      extra = { k = 1 } },
    { date = "2022-10-21", actors = "IRN→RUS", mentions = 100, note = "short" },
  }

  it("puts the columns in first-seen order, names sorted within a row", function()
    local t = lines_of(report.table(rows, { width = 400 }))
    local head = {}
    for w in t[1]:gmatch("%S+") do head[#head + 1] = w end
    assert.same({ "actors", "date", "mentions", "note", "extra", "sources" }, head)
  end)

  it("fits every line into the width, at any width", function()
    for w = 10, 140, 7 do
      local out = report.table(rows, { width = w })
      for i, l in ipairs(lines_of(out)) do
        assert.is_true(report.width(l) <= w, ("line %d is %d columns at width %d: %s"):format(i,
          report.width(l), w, l))
      end
    end
  end)

  it("keeps cells whole when they fit, and truncates with … when not", function()
    local wide = report.table(rows, { width = 400, columns = { "date", "note" } })
    assert.truthy(wide:find(rows[1].note, 1, true))
    assert.falsy(wide:find("…", 1, true))
    local narrow = report.table(rows, { width = 40, columns = { "date", "note" } })
    assert.falsy(narrow:find(rows[1].note, 1, true))
    local cellv = lines_of(narrow)[3]:match("^%S+%s+(.*)$")
    assert.equal("…", cellv:sub(-3))
    assert.equal(1, rows[1].note:find(cellv:sub(1, -4), 1, true))
  end)

  it("right-aligns numbers, leaves nil empty and summarises nested tables", function()
    local t = lines_of(report.table(rows, { width = 400, columns = { "mentions", "sources", "extra",
      "note" } }))
    -- the numbers end in the same column as the header "mentions"
    local hend = #"mentions"
    assert.equal("      12", t[3]:sub(1, hend))
    assert.equal("     3.5", t[4]:sub(1, hend))
    assert.equal("     100", t[5]:sub(1, hend))
    assert.truthy(t[4]:find("[3]", 1, true))
    assert.truthy(t[4]:find("{…}", 1, true))
    -- row 2 has no note: the line ends after its last present cell
    assert.falsy(t[4]:find("short", 1, true))
    assert.equal(5, #t)
  end)

  it("measures Cyrillic cells by code points when aligning", function()
    local t = lines_of(report.table({ { a = "Ђорђе", b = 1 }, { a = "Djordje", b = 2 } }, { width = 40 }))
    -- both rows put the number in the same column
    local function col_of_digit(l)
      local pre = l:match("^(.-)%d")
      return ulen(pre)
    end
    assert.equal(col_of_digit(t[3]), col_of_digit(t[4]))
  end)

  it("fits random rows of mixed scripts into random widths, as valid UTF-8", function()
    local pieces = { "a", "Z", "7", " ", "ж", "Ђ", "č", "e\u{301}", "朝", "→", "…", "\t", "," }
    local seed = 20221027
    local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
    for _ = 1, 40 do
      local rrows = {}
      for i = 1, rnd(6) do
        local row = {}
        for k = 1, rnd(7) do
          local t = {}
          for j = 1, rnd(30) - 1 do t[j] = pieces[rnd(#pieces)] end
          row["c" .. k] = rnd(4) == 1 and rnd(100000) or table.concat(t)
        end
        rrows[i] = row
      end
      local w = 9 + rnd(120)
      local out = report.table(rrows, { width = w })
      assert.truthy(utf8.len(out))
      for _, l in ipairs(lines_of(out)) do
        assert.is_true(report.width(l) <= w, ("%d columns at width %d: %s"):format(report.width(l), w, l))
      end
    end
  end)

  it("leaves out columns that cannot fit and says which", function()
    local row = {}
    for i = 1, 30 do row["column" .. string.format("%02d", i)] = i end
    local out = report.table({ row }, { width = 40 })
    for _, l in ipairs(lines_of(out)) do assert.is_true(report.width(l) <= 40) end
    assert.truthy(out:find("more columns: ", 1, true))
  end)

  it("takes the width from $COLUMNS", function()
    local cmd = "COLUMNS=30 lua5.4 -e '" .. LUA_PATHS .. [[
      io.write(require("dossier.report").table({{a=string.rep("x",80)}}))']]
    local p = assert(io.popen(cmd))
    local out = p:read("a")
    p:close()
    assert.equal(30, report.width(lines_of(out)[3]))
  end)

  it("limits rows and handles no rows", function()
    local out = report.table(rows, { width = 80, limit = 1 })
    assert.truthy(out:find("… 2 more rows", 1, true))
    assert.equal("(no rows)\n", report.table({}))
  end)

  it("replaces newlines and invalid bytes inside cells", function()
    local out = report.table({ { a = "one\ntwo\255" } }, { width = 40 })
    assert.equal(3, #lines_of(out))
    assert.truthy(utf8.len(out))
  end)

  it("raises on bad arguments", function()
    assert.has_error(function() report.table("x") end,
      "dossier.report: table: rows must be an array of tables")
    assert.has_error(function() report.table({ 1 }) end,
      "dossier.report: table: row 1 is a number, not a table")
    assert.has_error(function() report.table({}, { width = 3 }) end,
      "dossier.report: opts.width must be an integer of at least 10 (or math.huge)")
  end)
end)

-- ---------------------------------------------------------------------------------------------
describe("dossier.report.bars", function()
  local BLOCK = { ["▏"] = 1, ["▎"] = 2, ["▍"] = 3, ["▌"] = 4, ["▋"] = 5, ["▊"] = 6, ["▉"] = 7, ["█"] = 8 }
  local function eighths(line)
    local n = 0
    for _, c in utf8.codes(line) do n = n + (BLOCK[utf8.char(c)] or 0) end
    return n
  end

  it("sorts a map by count, largest first, ties by label", function()
    local t = lines_of(report.bars({ b = 3, a = 3, c = 10, d = 1 }, { width = 40 }))
    local labels = {}
    for i, l in ipairs(t) do labels[i] = l:match("^(%S+)") end
    assert.same({ "c", "a", "b", "d" }, labels)
  end)

  it("scales bars to the width, in eighths of a column", function()
    local w = 50
    local counts = { { "one", 1 }, { "seven", 7 }, { "forty", 40 }, { "zero", 0 } }
    local t = lines_of(report.bars(counts, { width = w }))
    local lw, vw = #"forty", 2
    local bw = w - lw - vw - 2
    local got = {}
    for _, l in ipairs(t) do
      assert.is_true(report.width(l) <= w)
      got[l:match("^(%S+)")] = eighths(l)
      assert.equal(l:match("(%d+)$"), tostring(({ one = 1, seven = 7, forty = 40,
        zero = 0 })[l:match("^(%S+)")]))
    end
    assert.equal(bw * 8, got.forty)
    assert.equal(math.floor(7 / 40 * bw * 8 + 0.5), got.seven)
    assert.equal(math.floor(1 / 40 * bw * 8 + 0.5), got.one)
    assert.equal(0, got.zero)
  end)

  it("keeps an array's order with sort = false and shows the smallest count", function()
    local t = lines_of(report.bars({ { "x", 1 }, { "y", 100000 } }, { width = 30, sort = false }))
    assert.equal("x", t[1]:match("^(%S+)"))
    assert.equal(1, eighths(t[1]))
  end)

  it("reads rows with named fields and keeps the top N", function()
    local rows = { { resolution = "1718", count = 5 }, { resolution = "2231", count = 1 },
      { resolution = "2397", count = 2 } }
    local t = lines_of(report.bars(rows, { label = "resolution", value = "count", limit = 2, width = 40 }))
    assert.equal(2, #t)
    assert.equal("1718", t[1]:match("^(%S+)"))
    assert.equal("2397", t[2]:match("^(%S+)"))
  end)

  it("aligns Cyrillic labels by code points and truncates long ones", function()
    local t = lines_of(report.bars({ ["Русија"] = 2, ["Iran"] = 1, [string.rep("ж", 40)] = 1 },
      { width = 60 }))
    local starts = {}
    for i, l in ipairs(t) do
      -- the column of the first block character
      local col = 0
      for _, c in utf8.codes(l) do
        if BLOCK[utf8.char(c)] then break end
        col = col + 1
      end
      starts[i] = col
    end
    assert.equal(starts[1], starts[2])
    assert.equal(starts[1], starts[3])
    assert.truthy(table.concat(t):find("…", 1, true))
  end)

  it("says so when there is nothing, and rejects bad counts", function()
    assert.equal("(no data)\n", report.bars({}))
    assert.has_error(function() report.bars({ a = -1 }) end,
      "dossier.report: bars: count for 'a' is negative")
    assert.has_error(function() report.bars({ a = "x" }) end,
      "dossier.report: bars: count for 'a' is not a number")
  end)
end)

-- ---------------------------------------------------------------------------------------------
describe("dossier.report.timeline", function()
  local SPARK = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" }
  -- The expected sparkline from hand-made bucket counts: level = round(c / max * 8), at least 1.
  local function spark(counts)
    local top = 0
    for _, c in ipairs(counts) do top = math.max(top, c) end
    local t = {}
    for i, c in ipairs(counts) do
      t[i] = c == 0 and " " or SPARK[math.max(1, math.floor(c / top * 8 + 0.5))]
    end
    return (table.concat(t):gsub("%s+$", ""))
  end
  local function chart_line(out)
    local l = lines_of(out)[2]
    return l:match("┤(.*)$")
  end
  local function rows_of(dates)
    local r = {}
    for i, d in ipairs(dates) do r[i] = { date = d } end
    return r
  end

  it("counts per day, with empty days as gaps", function()
    local rows = rows_of { "2022-03-01", "2022-03-01", "2022-03-04", "2022-03-10T12:00:00Z", "2022-03-10" }
    local out = report.timeline(rows, "date", { by = "day", height = 1, width = 23, column_width = 1 })
    assert.equal(spark { 2, 0, 0, 1, 0, 0, 0, 0, 0, 2 }, chart_line(out))
    assert.truthy(out:find("2022-03-01", 1, true))
    assert.truthy(lines_of(out)[1]:find("5 rows by day", 1, true))
  end)

  it("counts per ISO week, checked against os.date's %G-W%V", function()
    local dates, expect, order = {}, {}, {}
    for d = 1, 60, 3 do
      local t = os.time { year = 2020, month = 12, day = 20 + d, hour = 12 }
      local iso = os.date("%Y-%m-%d", t)
      dates[#dates + 1] = iso
      local wk = os.date("%G-W%V", t)
      if not expect[wk] then expect[wk] = 0; order[#order + 1] = wk end
      expect[wk] = expect[wk] + 1
    end
    local counts = {}
    for i, wk in ipairs(order) do counts[i] = expect[wk] end -- every week has a date here
    local out = report.timeline(rows_of(dates), "date", { by = "week", height = 1, width = 40,
      column_width = 1 })
    assert.equal(spark(counts), chart_line(out))
    assert.truthy(out:find(order[1], 1, true), "first week label " .. order[1])
    assert.truthy(lines_of(out)[1]:find(order[1] .. " … " .. order[#order], 1, true))
  end)

  it("counts per month and per year", function()
    local rows = rows_of { "2021-11-30", "2022-01", "2022-01-15", "2022-03-01", "2023-02-02" }
    local m = report.timeline(rows, "date", { by = "month", height = 1, width = 24, column_width = 1 })
    -- 2021-11 .. 2023-02 is 16 months
    assert.equal(spark { 1, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, chart_line(m))
    local y = report.timeline(rows, "date", { by = "year", height = 1, width = 12, column_width = 1 })
    assert.equal(spark { 1, 3, 1 }, chart_line(y))
  end)

  it("chooses the finest granularity the dates allow and the width fits", function()
    local short = report.timeline(rows_of { "2022-03-01", "2022-03-09" }, "date", { width = 80 })
    assert.truthy(lines_of(short)[1]:find("by day", 1, true))
    local monthly = report.timeline(rows_of { "2022-03-01", "2022-05" }, "date", { width = 80 })
    assert.truthy(lines_of(monthly)[1]:find("by month", 1, true))
    local long = {}
    for y = 2000, 2022 do long[#long + 1] = y .. "-06-01" end
    local out = report.timeline(rows_of(long), "date", { width = 60 })
    assert.truthy(lines_of(out)[1]:find("by year", 1, true))
    for _, l in ipairs(lines_of(out)) do assert.is_true(report.width(l) <= 60) end
  end)

  it("draws several rows of blocks and notes what it could not place", function()
    local rows = rows_of { "2022-03-01", "2022-03-02", "2022-03-02", "2022-03-02", "2022-03", "nonsense" }
    rows[#rows + 1] = {}
    local out = report.timeline(rows, "date", { by = "day", height = 3, width = 60, column_width = 1 })
    local t = lines_of(out)
    assert.equal("(2 without a date; 1 not precise to the day)", t[#t])
    -- max 3 on 3 rows: day 2 is full height, day 1 one row (8 of 24 eighths)
    assert.equal("3 ┤ █", t[2])
    assert.equal("  │ █", t[3])
    assert.equal("  │██", t[4])
    assert.truthy(t[5]:find("└", 1, true))
  end)

  it("takes a function for the date and rejects bad options", function()
    local out = report.timeline({ { d = { "2022-01-01" } } }, function(r) return r.d[1] end, { width = 30 })
    assert.truthy(out:find("2022", 1, true))
    assert.equal("(no dated rows, 1 without a date)\n", report.timeline({ {} }, "date"))
    assert.equal("(no dates precise to the day: 2 rows, and 1 without a date)\n",
      report.timeline({ { date = "2022-03" }, { date = "2022" }, {} }, "date", { by = "day" }))
    assert.has_error(function() report.timeline({}, "date", { by = "hour" }) end,
      "dossier.report: timeline: opts.by must be one of day, week, month, year (got hour)")
    assert.has_error(function() report.timeline({}, 5) end,
      "dossier.report: timeline: field must be a string or a function")
  end)
end)

-- ---------------------------------------------------------------------------------------------
-- A small RFC 4180 reader, the oracle for the CSV writer.
local function parse_csv(s)
  local rows, row, field, i, n = {}, {}, {}, 1, #s
  local quoted = false
  while i <= n do
    local c = s:sub(i, i)
    if quoted then
      if c == '"' then
        if s:sub(i + 1, i + 1) == '"' then field[#field + 1] = '"'; i = i + 1 else quoted = false end
      else
        field[#field + 1] = c
      end
    elseif c == '"' then
      quoted = true
    elseif c == "," then
      row[#row + 1] = table.concat(field); field = {}
    elseif c == "\r" and s:sub(i + 1, i + 1) == "\n" then
      row[#row + 1] = table.concat(field); field = {}
      rows[#rows + 1] = row; row = {}
      i = i + 1
    else
      field[#field + 1] = c
    end
    i = i + 1
  end
  assert(not quoted, "unterminated quote")
  assert(#field == 0 and #row == 0, "last line does not end in CRLF")
  return rows
end

describe("dossier.report.csv", function()
  local rows = {
    { id = 1, text = 'He said "no", twice', note = "line one\nline two", qty = 1.5e6 },
    { id = 2, text = "Москва, Пјонгјанг", note = nil, qty = 0.1 },
    { id = 3, text = "", note = "crlf\r\ninside", qty = -7, tags = { "a", "b" }, attrs = { k = "v" } },
  }

  it("round-trips through an RFC 4180 reader", function()
    local p = tmpname()
    assert.equal(3, report.csv(rows, p))
    local back = parse_csv(slurp(p))
    assert.same({ "id", "note", "qty", "text", "attrs", "tags" }, back[1])
    assert.equal(4, #back)
    for i, r in ipairs(rows) do
      local got = back[i + 1]
      assert.equal(tostring(r.id), got[1])
      assert.equal(r.note or "", got[2])
      assert.equal(r.qty, tonumber(got[3]))
      assert.equal(r.text, got[4])
      assert.same(r.attrs, got[5] ~= "" and cjson.decode(got[5]) or nil)
      assert.same(r.tags, got[6] ~= "" and cjson.decode(got[6]) or nil)
    end
  end)

  it("quotes only the fields that need it", function()
    local p = tmpname()
    report.csv({ { a = "plain", b = "x,y" } }, p)
    assert.equal('a,b\r\nplain,"x,y"\r\n', slurp(p))
  end)

  it("writes the given columns with headings, another separator, to a handle", function()
    local p = tmpname()
    local f = assert(io.open(p, "wb"))
    assert.equal(1, report.csv({ { a = 1, b = "x;y", c = 3 } }, f, { columns = { "c", "b" }, sep = ";",
      headers = { c = "C" }, eol = "\n" }))
    f:close()
    assert.equal('C;b\n3;"x;y"\n', slurp(p))
  end)

  it("formats a column as the caller says, the same option as report.table's", function()
    local buf = {}
    report.csv({ { a = 2.0, b = "x" }, { b = "y" } }, { write = function(_, s) buf[#buf + 1] = s end },
      { columns = { "a", "b" }, eol = "\n",
        format = { a = function(v) return v and ("%.1f"):format(v) or "-" end,
          b = function(v, row) return v .. "," .. tostring(row.a) end } })
    assert.equal('a,b\n2.0,"x,2.0"\n-,"y,nil"\n', table.concat(buf))
    -- and a table may be as wide as its cells (math.huge: no limit)
    local wide = report.table({ { t = ("w"):rep(300) } }, { width = math.huge })
    assert.truthy(wide:find(("w"):rep(300), 1, true))
  end)

  it("writes to stdout for \"-\"", function()
    local cmd = "lua5.4 -e '" .. LUA_PATHS .. [[
      local n = require("dossier.report").csv({{a="x"}}, "-"); io.write("|", n)']]
    local p = assert(io.popen(cmd))
    local out = p:read("a")
    p:close()
    assert.equal("a\r\nx\r\n|1", out)
  end)

  it("returns nil and a message when the file cannot be opened", function()
    local n, err = report.csv(rows, "/nonexistent-dir/x.csv")
    assert.is_nil(n)
    assert.truthy(err:find("^dossier%.report: csv: cannot open /nonexistent%-dir/x%.csv"))
    assert.has_error(function() report.csv(rows, 5) end,
      'dossier.report: csv: path must be a file name, "-" or a file handle')
  end)
end)

-- ---------------------------------------------------------------------------------------------
describe("dossier.report.json", function()
  it("round-trips through lua-cjson", function()
    local rows = {
      { id = 1, text = "Северна Кореја \"</script>\" \\ \n", qty = 1e6, f = 0.1, ok = true, list = { 1, 2,
        3 } },
      { id = 2, nested = { a = { b = { "c" } } }, big = 2 ^ 53, neg = -1.25e-7 },
    }
    for _, pretty in ipairs { false, true } do
      local p = tmpname()
      assert.equal(2, report.json(rows, p, { pretty = pretty }))
      local text = slurp(p)
      assert.same(rows, cjson.decode(text))
      assert.equal(pretty, text:find("\n  ", 1, true) ~= nil)
    end
  end)

  it("writes empty tables as arrays, sparse arrays as objects, NaN as null", function()
    assert.equal('[[],{"a":[]}]', report.encode_json({ {}, { a = {} } }))
    assert.equal('{"1":"a","3":"c"}', report.encode_json({ [1] = "a", [3] = "c" }))
    assert.equal('[null,null,1]', report.encode_json({ 0 / 0, cjson.null, 1 }))
    assert.equal('{"x":true}', report.encode_json({ x = true }))
  end)

  it("raises on values JSON cannot hold", function()
    local t = {}
    t.self = t
    assert.has_error(function() report.encode_json(t) end,
      "dossier.report: json: cannot encode a table that contains itself")
    assert.has_error(function() report.encode_json({ print }) end,
      "dossier.report: json: cannot encode a function")
    local n, err = report.json({}, "/nonexistent-dir/x.json")
    assert.is_nil(n)
    assert.truthy(err:find("cannot open", 1, true))
  end)
end)

-- ---------------------------------------------------------------------------------------------
-- The HTML report over a store of our own.

local DOCS = {
  { source = "Balkan Wire", published = "2022-03-24", title = 'Launch "today" <b>',
    url = "https://example.org/a",
    text = "Pyongyang fired an ICBM on Thursday. Officials said <script>alert('x')</script> & "
      .. "\"quotes\" stay text." },
  { source = "Вечерње новине", published = "2022-03-25", title = "Лансирање", url = "javascript:alert(1)",
    text = "Северна Кореја је лансирала интерконтиненталну ракету. Јапан је протестовао." },
  { source = "Pacific Dispatch", published = "2022-09-06", title = "Shells",
    text = "Russia is buying millions of artillery shells from North Korea, officials said. More follows." },
  { source = "Balkan Wire", published = "2022-09-23", title = "Denial",
    text = "North Korea denied selling any shells to Russia. The ministry called it a lie." },
}

local function build_store(path)
  local db = store.open(path)
  local ids = {}
  for i, d in ipairs(DOCS) do ids[i] = db:add_document(d) end
  -- events: the span is the matched words, the sentence its bounds (found here, not by hand)
  local function ev(i, word, t)
    local text = DOCS[i].text
    local s, e = assert(text:find(word, 1, true))
    local ss = 1
    for p in text:gmatch("()%. ") do if p < s then ss = p + 2 end end
    local se = (text:find("%.", e) or #text)
    t.doc_id, t.start, t.stop, t.sent_start, t.sent_stop = ids[i], s, e, ss, se
    t.id = db:add_event(t)
    t.source, t.published = DOCS[i].source, DOCS[i].published
    return t
  end
  local e1 = ev(1, "ICBM", { type = "icbm_launch", actor1 = "PRK", date = "2022-03-24",
    modality = "asserted" })
  local e1b = ev(1, "<script>", { type = "icbm_launch", actor1 = "PRK", date = "2022-03-24",
    modality = "asserted" })
  local e2 = ev(2, "интерконтиненталну ракету", { type = "icbm_launch", actor1 = "PRK", date = "2022-03-24",
    modality = "asserted" })
  local e3 = ev(3, "millions of artillery shells", { type = "arms_transfer", actor1 = "PRK", actor2 = "RUS",
    date = "2022-09", modality = "asserted", qty = 1e6 })
  local e4 = ev(4, "denied selling any shells", { type = "arms_transfer", actor1 = "PRK", actor2 = "RUS",
    date = "2022-09", modality = "denied", negated = 1 })
  local claim = db:add_claim { doc_id = ids[3], event_id = e3.id, speaker = "officials", stance = "assert",
    cue = "said", start = DOCS[3].text:find("officials said", 1, true), stop = DOCS[3].text:find(" said", 1,
      true) + 4 }
  local function erow(e)
    return { event_id = e.id, doc_id = e.doc_id, source = e.source, published = e.published,
      modality = e.modality,
      negated = e.negated, date = e.date, start = e.start, stop = e.stop, sent_start = e.sent_start,
      sent_stop = e.sent_stop, rule = "spec" }
  end
  local incidents = {
    { id = 1, type = "icbm_launch", actor1 = "PRK", date_from = "2022-03-24", date_to = "2022-03-24",
      modality = "asserted", mentions = 3, origins = 2, sources = { "Balkan Wire", "Вечерње новине" },
      events = { erow(e1), erow(e1b), erow(e2) }, denials = {} },
    { id = 2, type = "arms_transfer", actor1 = "PRK", actor2 = "RUS", date_from = "2022-09",
      date_to = "2022-09",
      modality = "asserted", mentions = 1, origins = 1, sources = { "Pacific Dispatch" },
      events = { erow(e3) }, denials = { erow(e4) } },
  }
  local violations = {
    { incident = 1, event = e1.id, regime = "DPRK", body = "UN Security Council", resolution = "1718",
      paragraph = "OP8(b)", paragraph_status = "verified", measure = "m1", activity = "ballistic",
        type = "icbm_launch",
      actors = "PRK", actor1 = "PRK", date = "2022-03-24", modality = "asserted", contested = false,
        mentions = 3,
      origins = 2, documents = { ids[1], ids[2] }, sources = incidents[1].sources,
        evidence = incidents[1].events },
    { incident = 2, event = e3.id, regime = "DPRK", body = "UN Security Council", resolution = "2270",
      paragraph = nil, paragraph_status = "unverified", measure = "m2", activity = "arms",
        type = "arms_transfer",
      actors = "PRK→RUS", actor1 = "PRK", actor2 = "RUS", date = "2022-09", modality = "asserted",
        contested = true,
      mentions = 1, origins = 1, documents = { ids[3] }, sources = { "Pacific Dispatch" },
      evidence = incidents[2].events },
  }
  local sa = { source = "Pacific Dispatch", stance = "assert", speaker = "officials", doc_id = ids[3],
    claim_id = claim,
    event_id = e3.id, published = DOCS[3].published, sent_start = e3.sent_start, sent_stop = e3.sent_stop,
    origin = "Pacific Dispatch" }
  local sd = { source = "Balkan Wire", stance = "deny", speaker = "North Korea", via = "KCNA",
    doc_id = ids[4],
    event_id = e4.id, published = DOCS[4].published, sent_start = e4.sent_start, sent_stop = e4.sent_stop }
  local propositions = {
    { key = "arms_transfer PRK→RUS", type = "arms_transfer", actor1 = "PRK", actor2 = "RUS", qty = 1e6,
      sources = { sa, sd }, origins = 2, origin_names = { "Pacific Dispatch", "KCNA" }, asserting = 1,
        denying = 1,
      hedging = 0, planning = 0, conflicts = { { kind = "stance", a = sa, b = sd } } },
  }
  return db, { incidents = incidents, violations = violations, propositions = propositions,
    events = { e1, e1b, e2, e3, e4 }, ids = ids }
end

local function esc(s)
  return (s:gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;",
    ["'"] = "&#39;" }))
end

-- The ids and the fragment links of a page (our own output: attributes in double quotes).
local function anchors(page)
  local ids, hrefs = {}, {}
  for id in page:gmatch('%sid="([^"]*)"') do
    assert.is_nil(ids[id], "duplicate id " .. id)
    ids[id] = true
  end
  for h in page:gmatch('href="#([^"]*)"') do hrefs[#hrefs + 1] = h end
  return ids, hrefs
end

-- The body of the evidence section with the given id.
local function section(page, id)
  local s = page:find('<section class="ev" id="' .. id .. '"', 1, true)
  assert.truthy(s, "no evidence section " .. id)
  local e = page:find("</section>", s, true)
  return page:sub(s, e)
end

describe("dossier.report.html", function()
  local db, data, page, summary
  setup(function()
    db, data = build_store(":memory:")
    local p = tmpname()
    summary = assert(report.html(db, p, { violations = data.violations, incidents = data.incidents,
      propositions = data.propositions, title = "Spec <report>", generated = "2026-01-01" }))
    page = slurp(p)
  end)
  teardown(function() db:close() end)

  it("is one valid UTF-8 page without scripts or external resources", function()
    assert.truthy(utf8.len(page))
    assert.truthy(page:find('<meta charset="utf-8">', 1, true))
    assert.falsy(page:lower():find("<script", 1, true))
    assert.falsy(page:find('src="', 1, true))
    assert.falsy(page:find("url(", 1, true))
    assert.falsy(page:find("@import", 1, true))
    assert.truthy(page:find("Content-Security-Policy", 1, true))
    assert.equal(#page, summary.bytes)
    assert.equal(2, summary.violations)
  end)

  it("escapes document text, titles and options", function()
    -- "<script>" is also an event's matched words, so it sits in a <mark> of its own
    assert.truthy(page:find("<mark>&lt;script&gt;</mark>alert(&#39;x&#39;)&lt;/script&gt;", 1, true))
    assert.truthy(page:find("&amp; &quot;quotes&quot;", 1, true))
    assert.truthy(page:find("Launch &quot;today&quot; &lt;b&gt;", 1, true))
    assert.truthy(page:find("<title>Spec &lt;report&gt;</title>", 1, true))
    assert.falsy(page:find("<b>&lt;", 1, true) and page:find("<b>\n", 1, true))
    -- only http(s) links become links
    assert.truthy(page:find('href="https://example.org/a"', 1, true))
    assert.falsy(page:find("javascript:", 1, true))
  end)

  it("renders Cyrillic as is", function()
    assert.truthy(page:find("Северна Кореја је лансирала", 1, true))
    assert.truthy(page:find("Вечерње новине", 1, true))
  end)

  it("links every number to an element that exists", function()
    local ids, hrefs = anchors(page)
    assert.is_true(#hrefs > 20)
    for _, h in ipairs(hrefs) do assert.truthy(ids[h], "no element with id " .. h) end
    -- and every count shown as a linked number has its evidence
    local n = 0
    for gid in page:gmatch('<a class="n" href="#([^"]*)">') do
      assert.truthy(ids[gid])
      n = n + 1
    end
    assert.is_true(n >= 15)
  end)

  it("highlights the matched words in each evidence sentence, with outlet and date", function()
    for _, e in ipairs(data.events) do
      local text = DOCS[({ [data.ids[1]] = 1, [data.ids[2]] = 2, [data.ids[3]] = 3,
        [data.ids[4]] = 4 })[e.doc_id]].text
      local sentence = text:sub(e.sent_start, e.sent_stop)
      local marked = esc(text:sub(e.sent_start, e.start - 1)) .. "<mark>" .. esc(text:sub(e.start, e.stop))
        .. "</mark>" .. esc(text:sub(e.stop + 1, e.sent_stop))
      assert.truthy(page:find(marked, 1, true), "no highlighted sentence for: " .. sentence)
    end
    -- the mentions of violation 1 open a section holding its three sentences, outlets and dates
    local gid = page:match('<tr id="violation%-row%-1"[^\n]-<td class="num">'
      .. '<a class="n" href="#([^"]*)">3</a>')
    assert.truthy(gid)
    local sec = section(page, gid)
    local _, marks = sec:gsub("<mark>", "")
    assert.equal(3, marks)
    assert.truthy(sec:find("<b>Balkan Wire</b> · 2022-03-24", 1, true))
    assert.truthy(sec:find("<b>Вечерње новине</b> · 2022-03-25", 1, true))
  end)

  it("shows a violation's denials beside it and marks it contested", function()
    assert.truthy(page:find('<tr id="violation-row-2" class="contested">', 1, true))
    local gid = page:match('<tr id="violation%-row%-2"[^\n]-<a class="n" href="#([^"]*)">1</a>')
    local sec = section(page, gid)
    assert.truthy(sec:find("denied selling any shells", 1, true))
    assert.truthy(sec:find('class="tag denial"', 1, true))
    -- a paragraph not marked verified is not cited as verified
    assert.truthy(page:find("UNSCR 2270 <span class=\"muted small\">paragraph unconfirmed</span>", 1, true))
    assert.truthy(page:find("UNSCR 1718 OP8(b)", 1, true))
  end)

  it("compares claims: stance per source, relay, conflicts highlighted, claim cue marked", function()
    assert.truthy(page:find('<tr id="claim-row-1" class="conflict">', 1, true))
    assert.truthy(page:find("Pacific Dispatch · assert", 1, true))
    assert.truthy(page:find("Balkan Wire · deny", 1, true))
    assert.truthy(page:find("via KCNA", 1, true))
    -- the claim's cue ("officials said") is marked as well as the event's words
    assert.truthy(page:find("<mark>officials said</mark>", 1, true))
    -- origins 2, assert 1, deny 1 (each linked to its stance's sentences), hedge 0 and plan 0 (no link)
    local row = page:match('<tr id="claim%-row%-1".-</tr>')
    local nums = {}
    for cellv in row:gmatch('<td class="num">(.-)</td>') do nums[#nums + 1] = cellv end
    assert.equal(5, #nums)
    assert.truthy(nums[1]:find(">2</a>$"))
    assert.truthy(nums[2]:find('^<a class="n" href="#ev%-claim%-1%-assert">1</a>$'))
    assert.truthy(nums[3]:find('^<a class="n" href="#ev%-claim%-1%-deny">1</a>$'))
    assert.equal('<span class="zero">0</span>', nums[4])
    assert.equal('<span class="zero">0</span>', nums[5])
    assert.truthy(section(page, "ev-claim-1-deny"):find("denied selling any shells", 1, true))
  end)

  it("draws the timeline as inline SVG with linked bars", function()
    local svg = page:match("<svg.-</svg>")
    assert.truthy(svg)
    local _, bars = svg:gsub("<rect ", "")
    -- incidents: March and September; mentions: March (3) and September (1)
    assert.equal(4, bars)
    assert.truthy(svg:find(">3</text></a>", 1, true))
    assert.truthy(svg:find("2022-09", 1, true))
  end)

  it("renders the store summary with no analyses at all", function()
    local p = tmpname()
    local s = assert(report.html(db, p, { violations = false, incidents = false, propositions = false }))
    local pg = slurp(p)
    assert.equal(0, s.violations)
    assert.falsy(pg:find('id="violations"', 1, true))
    assert.falsy(pg:find('id="claims"', 1, true))
    assert.truthy(pg:find("coded events", 1, true))
    assert.truthy(pg:find("icbm_launch", 1, true))
    local ids, hrefs = anchors(pg)
    for _, h in ipairs(hrefs) do assert.truthy(ids[h], "no element with id " .. h) end
  end)

  it("renders a store with documents only", function()
    local db2 <close> = store.open(":memory:")
    db2:add_document { source = "Zeta", published = "2021-01-05", text = "Nothing to code <here>." }
    local p = tmpname()
    assert(report.html(db2, p, { violations = false, incidents = false, propositions = false }))
    local pg = slurp(p)
    assert.truthy(pg:find("documents", 1, true))
    assert.truthy(pg:find("<svg", 1, true))
    assert.truthy(pg:find("2021-01", 1, true))
  end)

  it("caps the sentences per number and keeps every link whole", function()
    local p = tmpname()
    local s = assert(report.html(db, p, { violations = data.violations, incidents = data.incidents,
      propositions = data.propositions, max_evidence = 1 }))
    local pg = slurp(p)
    assert.equal(s.groups, select(2, pg:gsub('<section class="ev" ', "")))
    for sec in pg:gmatch('<section class="ev".-</section>') do
      assert.equal(1, select(2, sec:gsub("<li id=", "")), sec)
    end
    assert.equal(s.groups, s.evidence)
    assert.truthy(pg:find("… and 2 more (opts.max_evidence = 1)", 1, true))
    local ids, hrefs = anchors(pg)
    for _, h in ipairs(hrefs) do assert.truthy(ids[h], "no element with id " .. h) end
  end)

  it("counts per year when the months span more than five years", function()
    local db2 <close> = store.open(":memory:")
    db2:add_document { source = "Zeta", published = "2010-01-05", text = "An old text." }
    db2:add_document { source = "Zeta", published = "2020-06-01", text = "A new text." }
    db2:add_document { source = "Zeta", published = "2020-07-01", text = "A newer text." }
    local p = tmpname()
    assert(report.html(db2, p, { violations = false, incidents = false, propositions = false }))
    local svg = slurp(p):match("<svg.-</svg>")
    assert.truthy(svg:find("documents per year</title>", 1, true))
    local _, bars = svg:gsub("<rect ", "")
    assert.equal(2, bars)
    assert.truthy(svg:find("<title>2020: 2 documents</title>", 1, true))
  end)

  it("never splits a character, even when offsets do", function()
    local db2 <close> = store.open(":memory:")
    local text = "Ђорђе је рекао да."
    local id = db2:add_document { source = "X", text = text }
    local bad = { event_id = nil, doc_id = id, start = 2, stop = 4, sent_start = 2, sent_stop = #text - 1,
      source = "X" }
    local p = tmpname()
    assert(report.html(db2, p, { violations = false, propositions = false,
      incidents = { { id = 1, type = "meeting", date_from = "2022", events = { bad } } } }))
    local pg = slurp(p)
    assert.truthy(utf8.len(pg))
    assert.truthy(pg:find("<mark>Ђо</mark>", 1, true))
  end)

  it("raises on a bad store or rows, returns nil and a message on a bad path", function()
    assert.has_error(function() report.html({}, "x.html") end,
      "dossier.report: html: db must be an open dossier.store")
    assert.has_error(function() report.html(db, tmpname(), { max_evidence = 0 }) end,
      "dossier.report: html: opts.max_evidence must be a positive integer")
    assert.has_error(function() report.html(db, tmpname(), { violations = 5 }) end,
      "dossier.report: html: opts.violations must be an array of rows")
    local n, err = report.html(db, "/nonexistent-dir/r.html", { violations = false, incidents = false,
      propositions = false })
    assert.is_nil(n)
    assert.truthy(err:find("cannot open", 1, true))
  end)
end)

-- ---------------------------------------------------------------------------------------------
-- ---------------------------------------------------------------------------------------------
-- Analyses compute, the report presents, and neither writes. Oracles for "wrote nothing": SQLite's
-- total_changes() of the connection that ran them (rows inserted, updated or deleted) and
-- PRAGMA data_version seen from a second connection (it moves when another connection commits);
-- both are shown to move when something does write.
describe("the analyses and the HTML report on the example corpus", function()
  local sanctions = require "dossier.sanctions"
  local claims = require "dossier.claims"
  local path

  setup(function()
    path = tmpname()
    os.remove(path)
    local db <close> = store.open(path)
    db:ingest("examples/corpus/news", { progress = false })
    require "dossier.extract"(db, require "dossier.rules.sanctions", { progress = false })
    claims.extract(db)
    sanctions.incidents(db) -- a stored grouping, which a rewrite would replace
    assert.truthy(db:value("SELECT count(*) FROM incidents") > 0)
  end)
  teardown(function()
    os.remove(path .. "-wal")
    os.remove(path .. "-shm")
  end)

  -- Everything a report needs, computed on db; returns the results and the page.
  local function run_all(db)
    local out = tmpname()
    local r = {
      violations = sanctions.violations(db),
      count = sanctions.count(db, { by = { "resolution" } }),
      propositions = claims.compare(db),
      summary = assert(report.html(db, out, { generated = "fixed" })),
    }
    return r, slurp(out)
  end

  it("write nothing to a store opened read-write", function()
    local db <close> = store.open(path)
    local watcher <close> = store.open(path, { readonly = true })
    local changes = db:value("SELECT total_changes()")
    local version = watcher:value("PRAGMA data_version")
    local r = run_all(db)
    assert.truthy(#r.violations > 0 and #r.propositions > 0 and r.summary.violations > 0)
    assert.equal(changes, db:value("SELECT total_changes()"))
    assert.equal(version, watcher:value("PRAGMA data_version"))
    -- the oracles see a write: incidents stores its grouping when asked to
    sanctions.incidents(db)
    assert.truthy(db:value("SELECT total_changes()") > changes)
    assert.are_not.equal(version, watcher:value("PRAGMA data_version"))
  end)

  it("work on a store opened read-only and give what they give on a writable one", function()
    local rw <close> = store.open(path)
    local want, want_page = run_all(rw)
    local db <close> = store.open(path, { readonly = true })
    assert.is_true(db:readonly())
    local got, page = run_all(db)
    assert.same(want, got)
    assert.equal(want_page, page)
    assert.has_error(function() db:exec("DELETE FROM incidents") end)
  end)

  it("computes the incidents once for the report", function()
    local db <close> = store.open(path, { readonly = true })
    local calls, incidents = 0, sanctions.incidents
    sanctions.incidents = function(...)
      calls = calls + 1
      return incidents(...)
    end
    local ok, err = pcall(report.html, db, tmpname(), { generated = "fixed" })
    sanctions.incidents = incidents
    assert(ok, err)
    assert.equal(1, calls)
  end)
end)

describe("dossier.report.html in headless Chromium", function()
  local chromium = dofile("spec/helpers/chromium.lua")
  local bin = chromium.find()
  if CHECK == "valgrind" then
    pending("skipped under valgrind (Chromium is a separate process; the page checks above still run)")
    return
  end
  if not bin then
    pending("Chromium is not installed (Debian: apt-get install chromium; or set DOSSIER_CHROMIUM)")
    return
  end

  it("catches console errors: a control page with a failing script is reported #slow", function()
    local p = tmp.dir() .. "/page.html"
    local f = assert(io.open(p, "wb"))
    f:write('<!DOCTYPE html><meta charset="utf-8"><p id="here">x</p>',
      "<script>console.error('control-error'); no_such_function();</script>")
    f:close()
    local r = chromium.run(bin, p)
    assert.truthy(r.dom:find('id="here"', 1, true), "no DOM from Chromium; stderr:\n" .. r.stderr)
    local all = table.concat(r.console, "\n")
    assert.truthy(all:find("control-error", 1, true), all)
    assert.truthy(all:find("Uncaught ReferenceError", 1, true), all)
  end)

  it("loads the report without console errors and with every element in place #slow", function()
    local db, data = build_store(":memory:")
    local p = tmp.dir() .. "/page.html"
    assert(report.html(db, p, { violations = data.violations, incidents = data.incidents,
      propositions = data.propositions }))
    local page = slurp(p)
    db:close()
    local r = chromium.run(bin, p)
    assert.is_true(r.ok, r.stderr)
    assert.same({}, r.console)
    local dom = r.dom
    assert.truthy(dom:find("</html>", 1, true), "no DOM from Chromium")
    -- the sections and the chart exist in the rendered DOM
    for _, id in ipairs { "top", "counts", "timeline", "violations", "claims", "corpus", "evidence" } do
      assert.truthy(dom:find('id="' .. id .. '"', 1, true), "missing #" .. id)
    end
    assert.truthy(dom:find("<svg", 1, true))
    -- no script element came out of the document text: it stayed text
    assert.falsy(dom:lower():find("<script", 1, true))
    assert.truthy(dom:find("&lt;script&gt;", 1, true))
    -- every link target exists in the browser's DOM, and the DOM has as many marks as our page
    local ids = {}
    for id in dom:gmatch('%sid="([^"]*)"') do ids[id] = true end
    for h in dom:gmatch('href="#([^"]*)"') do assert.truthy(ids[h], "no element with id " .. h) end
    local _, m1 = page:gsub("<mark>", "")
    local _, m2 = dom:gsub("<mark>", "")
    assert.equal(m1, m2)
    local _, r1 = page:gsub("<tr", "")
    local _, r2 = dom:gsub("<tr", "")
    assert.equal(r1, r2)
    assert.truthy(dom:find("Северна Кореја", 1, true))
  end)
end)
