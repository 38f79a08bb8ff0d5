-- Benchmark: dossier.regex against lrexlib's rex_pcre2 (Debian lua-rex-pcre2),
-- measured in the same run on the same news text.
--
--   lua5.4 bench/regex.lua            (from the repo root; `make bench`)
--   CORPUS=path lua5.4 bench/regex.lua  (a .jsonl file with "text" fields, or plain text)
--
-- Four operations (find, gmatch, gsub, count) over ~20 news-style patterns,
-- each called once per document, in two ways:
--   (a) string patterns: the module functions get the pattern string on every
--       call, as a script does in a loop over documents (lrexlib compiles it on
--       every call, without JIT: its API has no cache and JIT-compiles only
--       objects);
--   (b) precompiled: the pattern is compiled once with new() and the regex
--       object is passed instead; lrexlib's object is JIT-compiled
--       (r:jit_compile()), as its users do.
-- Then (c): whole-corpus subjects in UTF mode, and (d): the cost of one call on
-- a short subject (ns per call).
--
-- The baseline runs in its best configuration (../shared/DESIGN.md §4): every
-- subject here was validated once (utf8.len) when loaded, so lrexlib gets
-- NO_UTF_CHECK with UTF patterns (otherwise it re-checks the rest of the subject
-- at every match); dossier runs with its defaults (it checks a subject once per
-- call). Contenders alternate, REPS times (REGEX_BENCH_REPS, default 5), and
-- each figure is the median with the range of the runs; ratios are dossier /
-- lrexlib, computed per run. Figures are MB/s of subject text (CPU time);
-- nothing is asserted.

package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = (os.getenv("DOSSIER_CPATH") or "build/?.so;") .. package.cpath

local rex = require "dossier.regex"
local ok_l, lrex = pcall(require, "rex_pcre2")
if not ok_l then lrex = nil end

local F = rex.flags()
local U = F.UTF | F.UCP
local I = F.CASELESS
local REPS = tonumber(os.getenv("REGEX_BENCH_REPS") or "5")

-- lrexlib's execution flags for a pattern compiled with `cf`: NO_UTF_CHECK in
-- UTF mode (every subject here is valid UTF-8, checked once at load).
local function base_ef(cf)
  return cf and cf & F.UTF ~= 0 and F.NO_UTF_CHECK or nil
end

local stats = require "stats"
local median, range = stats.median, stats.range


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
-- a pattern string (with flags cf) or a compiled regex; `ef` execution flags.
local function make_op(m, op, p, cf, ef)
  if op == "find" then
    return function()
      local n = 0
      for i = 1, #docs do
        if m.find(docs[i], p, 1, cf, ef) then n = n + 1 end
      end
      return n
    end
  elseif op == "gmatch" then
    return function()
      local n = 0
      for i = 1, #docs do
        for _ in m.gmatch(docs[i], p, cf, ef) do n = n + 1 end
      end
      return n
    end
  elseif op == "gsub" then
    return function()
      local n = 0
      for i = 1, #docs do
        local _, k = m.gsub(docs[i], p, "<%0>", nil, cf, ef)
        n = n + k
      end
      return n
    end
  else
    return function()
      local n = 0
      for i = 1, #docs do n = n + m.count(docs[i], p, cf, ef) end
      return n
    end
  end
end

local function fmt(x) return x and ("%8.1f"):format(x) or "       -" end

local mismatches = 0

local function rng(lo, hi, f) return (f .. "-" .. f):format(lo, hi) end

-- One (pattern, op): REPS alternating runs of ours and lrexlib. Returns the
-- per-run times of a corpus pass (s) for each, and the result check.
local function pair(our_f, base_f)
  local to, tb = {}, {}
  local r1, r2
  for k = 1, REPS do
    local mo, mb
    mo, r1 = measure(our_f, total)
    to[k] = 1 / mo
    if base_f then
      mb, r2 = measure(base_f, total)
      tb[k] = 1 / mb
    end
  end
  return to, tb, r1, r2
end

-- `tag` names the section; `precompiled` passes regex objects; `same_ef`
-- gives dossier lrexlib's execution flags too (NO_UTF_CHECK with UTF patterns,
-- the same contract), else dossier runs with its defaults; `utf_only` keeps
-- the UTF patterns only.
local function run_mode(tag, title, precompiled, same_ef, utf_only)
  print(("\n(%s) %s"):format(tag, title))
  print(("%-28s %-6s %8s %8s %7s %s"):format("pattern", "op", "ours", "lrexlib", "ratio",
    "(median MB/s; ratio range over runs)"))
  local sum = {}
  for _, op in ipairs(ops) do sum[op] = { ours = {}, base = {}, n = 0, logr = 0 } end
  for k = 1, REPS do
    for _, op in ipairs(ops) do sum[op].ours[k], sum[op].base[k] = 0, 0 end
  end
  for _, pt in ipairs(patterns) do
    local name, pat, cf = pt[1], pt[2], pt[3]
    if utf_only and cf & F.UTF == 0 then goto next end
    local our_p, base_p, our_cf, base_cf = pat, pat, cf, cf
    if precompiled then
      our_p, our_cf = rex.new(pat, cf), nil
      if lrex then
        base_p, base_cf = lrex.new(pat, cf), nil
        assert(base_p:jit_compile(), "lrexlib: JIT compile failed")
      end
    end
    for _, op in ipairs(ops) do
      local to, tb, r1, r2 = pair(make_op(rex, op, our_p, our_cf, same_ef and base_ef(cf) or nil),
        lrex and make_op(lrex, op, base_p, base_cf, base_ef(cf)))
      if lrex and r1 ~= r2 then
        mismatches = mismatches + 1
        print(("  !! %s %s: results differ (%s vs %s)"):format(name, op, r1, r2))
      end
      local s = sum[op]
      local ratios = {}
      for k = 1, REPS do
        s.ours[k] = s.ours[k] + to[k]
        if lrex then
          s.base[k] = s.base[k] + tb[k]
          ratios[k] = tb[k] / to[k]
        end
      end
      local ours, base = 1 / median(to), lrex and 1 / median(tb)
      if base then s.logr = s.logr + math.log(median(ratios)) end
      s.n = s.n + 1
      print(("%-28s %-6s %s %s %7s %s"):format(name, op, fmt(ours), fmt(base),
        base and ("%6.2fx"):format(median(ratios)) or "-",
        base and rng(math.min(table.unpack(ratios)), math.max(table.unpack(ratios)), "%.2f") or ""))
    end
    ::next::
  end
  print(("%-28s %-6s %8s %8s %7s %-11s %s"):format("all patterns", "op", "ours", "lrexlib", "ratio",
    "range", "geo-mean"))
  local all_o, all_b = {}, {}
  for k = 1, REPS do all_o[k], all_b[k] = 0, 0 end
  local all_l, all_n = 0, 0
  local function line(op, to, tb, n, logr, cnt)
    local ratios, mo, mb = {}, {}, {}
    for k = 1, REPS do
      mo[k] = n / to[k]
      if lrex then
        mb[k] = n / tb[k]
        ratios[k] = tb[k] / to[k]
      end
    end
    local lo, hi = 0, 0
    if lrex then lo, hi = range(ratios) end
    print(("%-28s %-6s %s %s %7s %-11s %7s"):format("", op, fmt(median(mo)),
      lrex and fmt(median(mb)) or fmt(nil), lrex and ("%6.2fx"):format(median(ratios)) or "-",
      lrex and rng(lo, hi, "%.2f") or "", lrex and ("%6.2fx"):format(math.exp(logr / cnt)) or "-"))
    return lrex and median(ratios), lrex and lo, lrex and hi
  end
  for _, op in ipairs(ops) do
    local s = sum[op]
    line(op, s.ours, s.base, s.n, s.logr, s.n)
    for k = 1, REPS do
      all_o[k], all_b[k] = all_o[k] + s.ours[k], all_b[k] + s.base[k]
    end
    all_l, all_n = all_l + s.logr, all_n + s.n
  end
  return line("ALL", all_o, all_b, all_n, all_l, all_n)
end

print(("dossier.regex vs %s; PCRE2 %s, JIT %s"):format(lrex and lrex._VERSION or "(lrexlib absent)",
  rex.version(), rex.config().PCRE2_CONFIG_JIT == 1 and "on" or "unavailable"))
print(("corpus: %d documents, %.2f MB: %s"):format(#docs, total / 1e6, table.concat(sources, ", ")))
if not lrex then print("lrexlib's rex_pcre2 is not installed (Debian: lua-rex-pcre2): our figures only") end

local t_start = clock()
local ra, ra_lo, ra_hi = run_mode("a", "string patterns, one call per document; both sides NO_UTF_CHECK "
  .. "with UTF patterns", false, true)
local rb, rb_lo, rb_hi = run_mode("b", "precompiled patterns (lrexlib's JIT-compiled), one call per document;"
  .. " both sides NO_UTF_CHECK with UTF patterns", true, true)
local ru, ru_lo, ru_hi = run_mode("b2", "the UTF patterns of (b), dossier with its default UTF check "
  .. "(the whole subject, once per call) against lrexlib with NO_UTF_CHECK", true, false, true)

-- (c) Whole-corpus subjects in UTF mode: one subject per script, every match
-- of a frequent pattern, precompiled on both sides. The subject is valid UTF-8
-- (checked once with utf8.len), so lrexlib gets NO_UTF_CHECK; without it lrexlib
-- would re-check the rest of the subject at every match (quadratic time).
print("\n(c) one large subject, UTF mode, precompiled (lrexlib JIT-compiled, with NO_UTF_CHECK)")
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
print(("%-28s %-6s %8s %8s %7s %s"):format("subject, pattern", "op", "ours", "lrexlib", "ratio", "range"))
for _, case in ipairs {
  { "Cyrillic, \\w+", cyr, "\\w+" },
  { "Latin, \\w+", lat, "\\w+" },
} do
  local label, subject, pat = case[1], case[2], case[3]
  assert(utf8.len(subject), "invalid UTF-8")
  local r = rex.new(pat, U)
  local lr = lrex and lrex.new(pat, U)
  if lr then assert(lr:jit_compile()) end
  local mo, mb, ratios = {}, {}, {}
  for k = 1, REPS do
    mo[k] = measure(function() return r:count(subject) end, #subject, 0.1)
    if lr then
      mb[k] = measure(function() return lrex.count(subject, lr, nil, F.NO_UTF_CHECK) end, #subject, 0.1)
      ratios[k] = mo[k] / mb[k]
    end
  end
  print(("%-28s %-6s %s %s %7s %-11s (%d KB)"):format(label, "count", fmt(median(mo)),
    lr and fmt(median(mb)) or fmt(nil), lr and ("%6.2fx"):format(median(ratios)) or "-",
    lr and rng(math.min(table.unpack(ratios)), math.max(table.unpack(ratios)), "%.2f") or "",
    #subject // 1024))
end

-- (d) The cost of one call on a short subject (30 bytes, one match, no
-- captures): what a loop over sentences or titles pays per call beyond the
-- match itself. ns per call, median and range of REPS alternating runs.
print("\n(d) one call on a short subject, precompiled (lrexlib JIT-compiled): ns per call")
do
  local subj = "Severna Koreja je 3. septembra"
  local N = 300000
  local function percall(f)
    local t = clock()
    for _ = 1, N do f() end
    return (clock() - t) / N * 1e9
  end
  local r = rex.new("Kore\\w+")
  local lr = lrex and lrex.new("Kore\\w+")
  if lr then assert(lr:jit_compile()) end
  print(("%-28s %8s %8s %8s %s"):format("call", "ours", "lrexlib", "ours-lr", "(range of the difference)"))
  for _, c in ipairs {
    { "r:find(s)", function() return r:find(subj) end, lr and function() return lr:find(subj) end },
    { "rex.find(s, r)", function() return rex.find(subj, r) end,
      lr and function() return lrex.find(subj, lr) end },
    { "r:match(s)", function() return r:match(subj) end, lr and function() return lr:match(subj) end },
  } do
    local o, b, d = {}, {}, {}
    for k = 1, REPS do
      o[k] = percall(c[2])
      if c[3] then
        b[k] = percall(c[3])
        d[k] = o[k] - b[k]
      end
    end
    print(("%-28s %8.1f %8s %8s %s"):format(c[1], median(o), c[3] and ("%8.1f"):format(median(b)) or "-",
      c[3] and ("%+8.1f"):format(median(d)) or "-",
      c[3] and rng(math.min(table.unpack(d)), math.max(table.unpack(d)), "%+.1f") or ""))
  end
end

print(("\nsummary: (a) string patterns %s (%s), (b) precompiled %s (%s) (targets 5x and 1.5x), (b2) UTF"
  .. " patterns checked by dossier %s (%s); %s; %.0f s")
  :format(ra and ("%.2fx"):format(ra) or "-", ra and rng(ra_lo, ra_hi, "%.2f") or "",
    rb and ("%.2fx"):format(rb) or "-", rb and rng(rb_lo, rb_hi, "%.2f") or "",
    ru and ("%.2fx"):format(ru) or "-", ru and rng(ru_lo, ru_hi, "%.2f") or "",
    mismatches == 0 and "all results equal" or (mismatches .. " result mismatches"), clock() - t_start))
