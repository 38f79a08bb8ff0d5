-- Benchmark: dossier.regex against lrexlib's rex_pcre2 (Debian lua-rex-pcre2),
-- measured in the same run on the same news text.
--
--   lua5.4 bench/regex.lua            (from the repo root; `make bench`)
--   CORPUS=path lua5.4 bench/regex.lua  (a .jsonl file with "text" fields, or plain text)
--
-- Four operations (find, gmatch, gsub, count) over ~20 news-style patterns,
-- each called once per document, in two ways:
--   (a) string patterns: the module functions get the pattern string on every
--       call, as a script does in a loop over documents;
--   (b) precompiled: the pattern is compiled once with new() and the regex
--       object is passed instead.
-- Then (c): whole-corpus subjects in UTF mode, where lrexlib re-checks the
-- UTF-8 validity of the rest of the subject at every match.
-- Figures are MB/s of subject text (CPU time); nothing is asserted.

package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath

local rex = require "dossier.regex"
local ok_l, lrex = pcall(require, "rex_pcre2")
if not ok_l then lrex = nil end

local F = rex.flags()
local U = F.UTF | F.UCP
local I = F.CASELESS

-- Corpus ---------------------------------------------------------------------

local PER_FILE = tonumber(os.getenv("REGEX_BENCH_KB") or "350") * 1024

local function read_jsonl(path, docs, budget)
  local f = io.open(path, "rb")
  if not f then return 0 end
  local ok, cjson = pcall(require, "cjson")
  local got = 0
  for line in f:lines() do
    local text
    if ok then
      local okd, obj = pcall(cjson.decode, line)
      text = okd and type(obj) == "table" and obj.text or nil
    else
      text = line:match('"text"%s*:%s*"(.-[^\\])"')
    end
    if type(text) == "string" and #text > 0 and utf8.len(text) then
      docs[#docs + 1] = text
      got = got + #text
      if got >= budget then break end
    end
  end
  f:close()
  return got
end

local function load_corpus()
  local docs, sources = {}, {}
  local path = os.getenv("CORPUS")
  if path then
    if path:match("%.jsonl$") then
      read_jsonl(path, docs, math.huge)
    else
      local f = assert(io.open(path, "rb"))
      for line in f:lines() do
        if #line > 0 and utf8.len(line) then docs[#docs + 1] = line end
      end
      f:close()
    end
    sources[1] = path
  else
    local dir = "../shared/data/news/"
    for _, name in ipairs {
      "bbc_news_2004-2005", "reuters21578", "alo_articles_sr_latn", "kurir_headlines_sr_latn",
      "politika_headlines_sr_cyrl", "sr_latn_setimes_ud_dev_test",
      "sr_cyrl_translit_setimes_ud_dev_test",
    } do
      local n = read_jsonl(dir .. name .. ".jsonl", docs, PER_FILE)
      if n > 0 then sources[#sources + 1] = ("%s (%d KB)"):format(name, n // 1024) end
    end
  end
  return docs, sources
end

local docs, sources = load_corpus()
if #docs == 0 then
  print("regex bench: no corpus (../shared/data/news/ absent and CORPUS not set): skipped")
  return
end
local total = 0
for _, d in ipairs(docs) do total = total + #d end

-- Patterns -------------------------------------------------------------------

local months_sr = "(?:januar|februar|mart|april|maj|jun|jul|avgust|septemb|oktob|novemb|decemb"
  .. "|јануар|фебруар|март|април|мај|јун|јул|август|септемб|октоб|новемб|децемб)\\w*"
local months_en = "(?:January|February|March|April|May|June|July|August|September|October"
  .. "|November|December)"

local patterns = {
  { "ascii words", "[A-Za-z]+", 0 },
  { "words (UCP)", "\\w+", U },
  { "names, diacritics", "\\p{Lu}\\p{Ll}+(?:\\s+\\p{Lu}\\p{Ll}+)+", U },
  { "numbers with separators", "\\d{1,3}(?:[.,]\\d{3})+(?:[.,]\\d+)?", 0 },
  { "Serbian dates", "\\d{1,2}\\.\\s*" .. months_sr .. "(?:\\s+\\d{4})?", U | I },
  { "English dates", months_en .. "\\s+\\d{1,2},?\\s+\\d{4}", 0 },
  { "ISO dates", "\\b\\d{4}-\\d\\d-\\d\\d\\b", 0 },
  { "Korea, both scripts", "(?:sever|north|север)\\w*\\s+(?:korej|korea|кореј)\\w*", U | I },
  { "Cyrillic stem", "Кореј\\w*|Србиј\\w*|Русиј\\w*", U },
  { "Latin stems", "\\b(?:Srbij|Rusij|Kin|Amerik)\\w*", U },
  { "percentages", "\\d+(?:[.,]\\d+)?\\s?(?:%|percent|odsto|процен\\w*)", U | I },
  { "money", "(?:\\$|€|£)\\s?\\d+(?:[.,]\\d+)*(?:\\s?(?:million|billion|mln|bn))?", U | I },
  { "amounts in dinars/euros", "\\d+(?:\\.\\d{3})*\\s*(?:evra|dinara|евра|динара)", U | I },
  { "quotations", "[\"“„«][^\"”“»]{10,300}[\"”“»]", U },
  { "speech verbs", "\\b(?:said|says|told|kaže|rekao|izjavio|saopštio|каже|рекао|изјавио)\\b", U | I },
  { "acronyms", "\\b[A-Z]{2,6}\\b", 0 },
  { "repeated word", "\\b(\\w+)\\s+\\1\\b", I },
  { "case-insensitive word", "government|vlad[aeiu]", I },
  { "name literal, both scripts", "Vučić|Вучић|Putin|Путин", U },
  { "sentence boundaries", "[.!?][\"”»]?\\s+(?=\\p{Lu})", U },
  { "URLs", "https?://[^\\s\"<>]+", 0 },
}

-- Timing -----------------------------------------------------------------------

local clock = os.clock

-- Run fn over the documents until at least `min` seconds have passed;
-- returns MB/s and the result of the last pass (for a correctness check).
local function measure(fn, bytes, min)
  min = min or 0.04
  local t0 = clock()
  local res, reps = fn(), 1
  while clock() - t0 < min do
    res = fn()
    reps = reps + 1
  end
  local dt = clock() - t0
  return bytes * reps / dt / 1e6, res
end

local ops = { "find", "gmatch", "gsub", "count" }

-- The four operations, written once against any rex-like module `m`; `p` is
-- a pattern string (with flags cf) or a compiled regex.
local function make_op(m, op, p, cf)
  if op == "find" then
    return function()
      local n = 0
      for i = 1, #docs do
        if m.find(docs[i], p, 1, cf) then n = n + 1 end
      end
      return n
    end
  elseif op == "gmatch" then
    return function()
      local n = 0
      for i = 1, #docs do
        for _ in m.gmatch(docs[i], p, cf) do n = n + 1 end
      end
      return n
    end
  elseif op == "gsub" then
    return function()
      local n = 0
      for i = 1, #docs do
        local _, k = m.gsub(docs[i], p, "<%0>", nil, cf)
        n = n + k
      end
      return n
    end
  else
    return function()
      local n = 0
      for i = 1, #docs do n = n + m.count(docs[i], p, cf) end
      return n
    end
  end
end

local function fmt(x) return x and ("%8.1f"):format(x) or "       -" end

local mismatches = 0

local function run_mode(title, precompiled)
  print(("\n(%s) %s"):format(precompiled and "b" or "a", title))
  print(("%-28s %-6s %8s %8s %7s"):format("pattern", "op", "ours", "lrexlib", "ratio"))
  local sum = {}
  for _, op in ipairs(ops) do sum[op] = { ours = 0, base = 0, n = 0, logr = 0 } end
  for _, pt in ipairs(patterns) do
    local name, pat, cf = pt[1], pt[2], pt[3]
    local our_p, base_p, our_cf, base_cf = pat, pat, cf, cf
    if precompiled then
      our_p, our_cf = rex.new(pat, cf), nil
      if lrex then base_p, base_cf = lrex.new(pat, cf), nil end
    end
    for _, op in ipairs(ops) do
      local ours, r1 = measure(make_op(rex, op, our_p, our_cf), total)
      local base, r2
      if lrex then
        base, r2 = measure(make_op(lrex, op, base_p, base_cf), total)
        if r1 ~= r2 then
          mismatches = mismatches + 1
          print(("  !! %s %s: results differ (%s vs %s)"):format(name, op, r1, r2))
        end
      end
      local s = sum[op]
      -- time per corpus pass, to aggregate as total bytes / total time
      s.ours = s.ours + 1 / ours
      if base then
        s.base = s.base + 1 / base
        s.logr = s.logr + math.log(ours / base)
      end
      s.n = s.n + 1
      print(("%-28s %-6s %s %s %7s"):format(name, op, fmt(ours), fmt(base),
        base and ("%6.2fx"):format(ours / base) or "-"))
    end
  end
  print(("%-28s %-6s %8s %8s %7s %s"):format("all patterns", "op", "ours", "lrexlib", "ratio",
    "geo-mean"))
  local all_o, all_b, all_l, all_n = 0, 0, 0, 0
  for _, op in ipairs(ops) do
    local s = sum[op]
    local o = s.n / s.ours
    local b = lrex and s.n / s.base or nil
    print(("%-28s %-6s %s %s %7s %7s"):format("", op, fmt(o), fmt(b),
      b and ("%6.2fx"):format(o / b) or "-", b and ("%6.2fx"):format(math.exp(s.logr / s.n)) or "-"))
    all_o, all_b, all_l, all_n = all_o + s.ours, all_b + s.base, all_l + s.logr, all_n + s.n
  end
  local o, b = all_n / all_o, lrex and all_n / all_b or nil
  print(("%-28s %-6s %s %s %7s %7s"):format("", "ALL", fmt(o), fmt(b),
    b and ("%6.2fx"):format(o / b) or "-", b and ("%6.2fx"):format(math.exp(all_l / all_n)) or "-"))
  return b and o / b
end

print(("dossier.regex vs %s; PCRE2 %s, JIT %s"):format(lrex and lrex._VERSION or "(lrexlib absent)",
  rex.version(), rex.config().PCRE2_CONFIG_JIT == 1 and "on" or "unavailable"))
print(("corpus: %d documents, %.2f MB: %s"):format(#docs, total / 1e6, table.concat(sources, ", ")))
if not lrex then print("lrexlib's rex_pcre2 is not installed (Debian: lua-rex-pcre2): our figures only") end

local t_start = clock()
local ra = run_mode("string patterns, one call per document", false)
local rb = run_mode("precompiled patterns, one call per document", true)

-- (c) Whole-corpus subjects in UTF mode: one subject per script, every match
-- of a frequent pattern. lrexlib validates the rest of the subject at each
-- match, so its time grows with the square of the subject size; it is run
-- on a smaller slice and reported per MB.
print("\n(c) one large subject, UTF mode, precompiled (lrexlib re-checks UTF-8 at every match)")
local function slice(pred, limit)
  local parts, n = {}, 0
  for _, d in ipairs(docs) do
    if pred(d) then
      parts[#parts + 1] = d
      n = n + #d
      if n >= limit then break end
    end
  end
  return table.concat(parts, "\n")
end
local cyr = slice(function(d) return d:find("[\208\209]") ~= nil end, 256 * 1024)
local lat = slice(function(d) return d:find("[\196\197]") ~= nil end, 256 * 1024)
print(("%-28s %-6s %8s %8s %7s"):format("subject, pattern", "op", "ours", "lrexlib", "ratio"))
for _, case in ipairs {
  { "Cyrillic, \\w+", cyr, "\\w+" },
  { "Latin, \\w+", lat, "\\w+" },
} do
  local label, subject, pat = case[1], case[2], case[3]
  local r = rex.new(pat, U)
  local lr = lrex and lrex.new(pat, U)
  local ours = measure(function() return r:count(subject) end, #subject, 0.2)
  local base
  if lr then base = measure(function() return lrex.count(subject, lr) end, #subject, 0.2) end
  print(("%-28s %-6s %s %s %7s  (%d KB)"):format(label, "count", fmt(ours), fmt(base),
    base and ("%6.1fx"):format(ours / base) or "-", #subject // 1024))
end

print(("\nsummary: (a) string patterns %s, (b) precompiled %s (targets 5x and 1.5x); %s; %.0f s"):format(
  ra and ("%.2fx"):format(ra) or "-", rb and ("%.2fx"):format(rb) or "-",
  mismatches == 0 and "all results equal" or (mismatches .. " result mismatches"), clock() - t_start))
