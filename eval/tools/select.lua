-- eval/tools/select.lua: choose the gold set's passages from real news, by a written, seeded
-- procedure that never looks at what the rules find.
--
--   lua5.4 eval/tools/select.lua DATA_DIR CSIS_CSV OUT_DIR
--
-- DATA_DIR is ../shared/data (news/*.jsonl); CSIS_CSV is north-korea-provocations-1958-2017.csv
-- from the public repository stiles/data (see eval/README.md). For each source (table SOURCES)
-- every document is cut into sentences with dossier.text.sentences; a passage is one sentence,
-- or that sentence and the next when both fit in MAX_PAIR bytes, cut byte-exactly from the text.
-- A passage is a keyword candidate of a group when its folded text holds one of the group's
-- keywords (KEYWORDS). Candidates are ordered by FNV-1a of SEED .. doc_id .. start, so the
-- order depends on nothing but the text; each source then takes, group by group in a fixed
-- order, its quota of candidates not taken yet, and finally its quota of passages that hold no
-- keyword at all (random sentences, same order). The output is one JSONL file per source with
-- empty `events` and `claims`, to be coded by hand (ANNOTATION.md).
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath
local text = require "dossier.text"
local cjson = require("cjson").new()
local eval = require "dossier.eval"
local hash = eval.hash

local SEED = "dossier-gold-2026-12-07"
local CSIS_FILE = "stiles/data:north-korea-provocations/north-korea-provocations-1958-2017.csv"
local MAX_PAIR, MAX_ONE, MIN_ONE = 480, 700, 25

-- Keyword groups, matched as Lua patterns on folded text (lower case, no diacritics, Cyrillic
-- transliterated to Latin), each preceded by a word start. Hard negatives come from these too:
-- "meet the demands" and figurative sanctions hold the same words as the events.
local KEYWORDS = {
  { "icbm", { "icbm", "intercontinental", "interkontinentaln", "long%-range missile", "hwasong" } },
  { "nuclear_test", { "nuclear test", "nuclear explosion", "nuclear device", "atomic test",
    "nuklearn%a* prob", "nuklearn%a* test", "atomsk%a* prob", "hydrogen bomb", "hidrogensk" } },
  { "ballistic", { "ballistic", "balistick", "missile launch", "missile test", "fired %a* ?missile",
    "launched %a* ?missile", "test%-fired", "rocket launch", "satellite", "lansir", "ispalil",
    "raket", "projektil", "slbm" } },
  { "drone", { "drone", "uav", "unmanned aerial", "dron", "bespilot" } },
  { "veto", { "veto", "vetoed", "vetoing", "blocked %a* ?resolution" } },
  { "evasion", { "evad%a* sanction", "evasion", "violat%a* %a* ?sanction", "circumvent",
    "krsen%a* sankcij", "krsi sankcij", "zaobila%a* sankcij", "bust%a* %a* ?embargo" } },
  { "ship_to_ship", { "ship%-to%-ship", "transship", "transfer at sea", "pretovar" } },
  { "workers", { "workers abroad", "foreign workers", "guest workers", "migrant workers",
    "gastarbajt", "radni%a* u inostranstv", "radni%a* iz ", "sezonsk%a* radni", "laborers" } },
  { "coal", { "coal", "ugalj", "uglja", "ugljem" } },
  { "oil", { "crude", "oil export", "oil import", "oil to ", "oil from", "oil shipment",
    "oil sales", "tanker", "nafte", "naftu", "naftom", "gasa", "gasovod" } },
  { "arms", { "arms%f[^%w]", "weapon", "munition", "military equipment", "military hardware",
    "fighter jet", "tanks", "oruzj", "naoruzanj", "vojn%a* oprem", "municij", "granat" } },
  { "sanctions", { "sanction", "embargo", "trade ban", "restrictive measures", "blockade",
    "sankcij", "embarg", "zabran%a* uvoz", "zabran%a* izvoz", "restriktivn" } },
  { "export", { "export", "import", "shipment", "izvoz", "uvoz" } },
  { "meeting", { "met with", "meet", "talks", "summit", "visit", "received", "telephone",
    "sastao", "sastal", "sastan", "susret", "samit", "razgovor", "razgovara", "poset",
    "primio", "ugostio", "telefonsk" } },
}

-- The second round's groups: words that name an event of the type rather than its topic.
local EVENT_KEYWORDS = {
  { "coal", { "coal export", "coal shipment", "coal sales", "exports? of coal", "coal imports?",
    "steaming coal", "coking coal", "coal to " } },
  { "oil", { "oil exports?", "crude exports?", "oil sales", "crude sales", "oil imports?",
    "crude imports?", "exports? of crude", "imports? of crude", "oil shipments?", "oil supplies",
    "supplies of oil", "crude oil to", "crude oil from", "isporu%a* gas", "izvoz%a* naft",
    "uvoz%a* naft", "uvoz%a* gas" } },
  { "other_export", { "exports? of %a+ to", "wheat to", "grain to", "sugar to", "corn to",
    "imports? from", "sold %a* ?%d", "bought %a* ?%d", "izvoz%a* u ", "izvezl" } },
  { "arms", { "arms sales?", "arms to", "sale of arms", "arms shipments?", "weapons to",
    "arms deals?", "arms supplies", "military equipment", "military aid", "fighter planes",
    "fighter aircraft", "missiles to", "arms purchases?", "tanks to", "isporuk", "donira",
    "migov", "mig%-29", "nabav", "naoruzanj", "oklopn", "tenkov", "protivvazdusn", "s%-400",
    "pancir", "raketn%a* sistem" } },
  { "drone", { "drones?", "unmanned", "uav", "pilotless", "dron", "bespilot" } },
  { "sanctions", { "sanctions against", "sanctions on", "impose%a* %a* ?sanctions",
    "trade sanctions", "embargo on", "embargo against", "economic sanctions", "import ban",
    "ban on imports", "sankcij", "embarg", "zabran%a* uvoz", "restriktivn" } },
  { "veto", { "veto", "vetoed", "vetoing", "vetom", "vetoa" } },
  { "evasion", { "evad", "evasion", "circumvent", "violat%a* %a* ?embargo",
    "violat%a* %a* ?sanctions", "break%a* %a* ?embargo", "smuggl", "sanctions%-busting",
    "zaobila", "krs%a* sankcij", "krijumcar", "sverc" } },
  { "ship_to_ship", { "shuttle tanker", "transship", "trans%-ship", "transferred at sea",
    "ship%-to%-ship", "pretovar" } },
  { "workers", { "foreign workers", "guest workers", "migrant workers", "workers from",
    "workers abroad", "labourers", "laborers", "expatriate workers", "radni%a* iz ",
    "gastarbajt", "radn%a* dozvol" } },
  { "nuclear_test", { "nuclear tests?", "nuclear explosion", "underground test", "test ban",
    "nuclear blast", "nuklearn%a* prob", "nuklearn%a* test", "atomsk%a* prob", "hidrogensk" } },
  { "ballistic", { "ballistic", "missile tests?", "test%-fired", "missile launch",
    "rocket launch", "satellite launch", "icbm", "intercontinental", "balistick",
    "interkontinentaln", "lansir", "ispalil", "raketn%a* prob" } },
  { "meeting", { "met with", "talks with", "held talks", "visit to", "visited", "summit",
    "meeting with", "telephone call", "phoned", "sastao", "sastala", "sastali", "sastanak",
    "sastanku", "susret", "samit", "razgovara", "poset", "ugostio", "primio",
    "telefonsk%a* razgovor", "bilateraln" } },
}

-- The third round's groups: the rarest types, by words that make a passage likely to hold one.
local RARE_KEYWORDS = {
  { "veto", { "veto%a* [^.]*sanction", "sanction[^.]*veto", "veto%a* [^.]*security council",
    "security council[^.]*veto", "veto%a* [^.]*resolution", "resolution[^.]*veto",
    "veto%a* [^.]*rezolucij", "rezolucij[^.]*veto", "veto%a* [^.]*savet bezbednosti",
    "savet%a* bezbednosti[^.]*veto" } },
  { "drone", { "drones?", "dron%a*", "bespilot", "unmanned aerial", "uav" } },
  { "ship_to_ship", { "ship%-to%-ship", "transship", "trans%-ship", "shuttle tanker",
    "pretovar", "transferred at sea" } },
}

-- The fourth round's group: the CSIS descriptions of ICBM launches.
local ICBM_KEYWORDS = {
  { "icbm", { "icbm", "intercontinental", "inter%-continent", "taepodong%-2", "hwasong%-1[45]" } },
}

-- Sources: `file` in DATA_DIR/news (or "csis"), a prefix for ids, how many keyword candidates
-- each group may take (`kw`, default `kw_default`) and how many keyword-free passages (`rand`).
-- `docs` keeps only some documents (the SETimes files are parallel: Latin and Cyrillic share
-- documents, so each document goes to one script by the parity of its hash).
local function setimes_parity(want)
  return function(doc)
    local n = doc.id:match("(%d+)$")
    return n and hash(SEED .. "setimes" .. n) % 2 == want
  end
end

local SOURCES = {
  { name = "csis", prefix = "en-csis", kw_default = 8, kw = { icbm = 14, nuclear_test = 12,
    ballistic = 22, meeting = 4 }, rand = 6 },
  { file = "reuters21578.jsonl", prefix = "en-reu", kw_default = 12, kw = { coal = 12, oil = 12,
    sanctions = 16, arms = 14, meeting = 14, veto = 8, export = 8, workers = 6 }, rand = 20 },
  { file = "bbc_news_2004-2005.jsonl", prefix = "en-bbc", kw_default = 7, kw = { sanctions = 12,
    arms = 12, meeting = 12, nuclear_test = 6, export = 6, veto = 6 }, rand = 14 },
  { file = "alo_articles_sr_latn.jsonl", prefix = "sr-alo", kw_default = 8, kw = { meeting = 14,
    sanctions = 14, arms = 12, ballistic = 8, oil = 6, export = 6 }, rand = 14 },
  { file = "kurir_headlines_sr_latn.jsonl", prefix = "sr-kur", kw_default = 5, kw = {
    meeting = 10, sanctions = 8, arms = 8, ballistic = 6 }, rand = 10 },
  { file = "sr_latn_setimes_ud_dev_test.jsonl", prefix = "sr-set", kw_default = 4,
    docs = setimes_parity(0), rand = 6 },
  { file = "hr_setimes_ud_dev_test.jsonl", prefix = "hr-set", kw_default = 4, rand = 8 },
  { file = "politika_headlines_sr_cyrl.jsonl", prefix = "sr-pol", kw_default = 6, kw = {
    meeting = 14, sanctions = 10, arms = 10, ballistic = 6, veto = 4, export = 6 }, rand = 40 },
  { file = "sr_cyrl_translit_setimes_ud_dev_test.jsonl", prefix = "sr-setc", kw_default = 5,
    docs = setimes_parity(1), rand = 22 },
  -- Round 2: the first round gave few events of the rarer types; these sources are read again
  -- with EVENT_KEYWORDS (words that name the event, not just its topic), passages the first
  -- round took excluded.
  { round = 2, file = "reuters21578.jsonl", prefix = "en-reu2", keywords = EVENT_KEYWORDS,
    kw_default = 8, kw = { coal = 14, oil = 14, other_export = 12, arms = 14, sanctions = 14,
    meeting = 12, drone = 4 }, rand = 0 },
  { round = 2, file = "bbc_news_2004-2005.jsonl", prefix = "en-bbc2", keywords = EVENT_KEYWORDS,
    kw_default = 5, kw = { arms = 10, sanctions = 10, meeting = 10, nuclear_test = 6,
    ballistic = 6, oil = 6 }, rand = 0 },
  { round = 2, file = "alo_articles_sr_latn.jsonl", prefix = "sr-alo2", keywords = EVENT_KEYWORDS,
    kw_default = 4, kw = { arms = 12, drone = 6, sanctions = 10, ballistic = 8, meeting = 10,
    oil = 6 }, rand = 0 },
  { round = 2, file = "kurir_headlines_sr_latn.jsonl", prefix = "sr-kur2",
    keywords = EVENT_KEYWORDS, kw_default = 2, kw = { arms = 8, sanctions = 6, ballistic = 5,
    meeting = 8, drone = 3 }, rand = 0 },
  { round = 2, file = "politika_headlines_sr_cyrl.jsonl", prefix = "sr-pol2",
    keywords = EVENT_KEYWORDS, kw_default = 2, kw = { arms = 8, sanctions = 6, ballistic = 5,
    meeting = 10, drone = 3, oil = 4 }, rand = 0 },
  -- Round 3: vetoes of sanctions, drones and ship-to-ship transfers were still absent; every
  -- remaining passage with RARE_KEYWORDS, up to 8 a group and source.
  { round = 3, file = "reuters21578.jsonl", prefix = "en-reu3", keywords = RARE_KEYWORDS,
    kw_default = 8, rand = 0 },
  { round = 3, file = "bbc_news_2004-2005.jsonl", prefix = "en-bbc3", keywords = RARE_KEYWORDS,
    kw_default = 8, rand = 0 },
  { round = 3, file = "alo_articles_sr_latn.jsonl", prefix = "sr-alo3", keywords = RARE_KEYWORDS,
    kw_default = 8, rand = 0 },
  { round = 3, file = "kurir_headlines_sr_latn.jsonl", prefix = "sr-kur3",
    keywords = RARE_KEYWORDS, kw_default = 8, rand = 0 },
  { round = 3, file = "politika_headlines_sr_cyrl.jsonl", prefix = "sr-pol3",
    keywords = RARE_KEYWORDS, kw_default = 8, rand = 0 },
  { round = 3, file = "hr_setimes_ud_dev_test.jsonl", prefix = "hr-set3", keywords = RARE_KEYWORDS,
    kw_default = 8, rand = 0 },
  -- Round 4: ICBM launches were still rare; every remaining CSIS passage that names one.
  { round = 4, name = "csis", prefix = "en-csis4", keywords = ICBM_KEYWORDS, kw_default = 20,
    rand = 0 },
}

-- csis: the CSV (CR line ends, RFC 4180 quotes) to documents; the same description recorded
-- for several days of one incident is one document.
local function read_csv(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  local rows, row, field, i, n = {}, {}, {}, 1, #s
  local quoted = false
  while i <= n do
    local c = s:sub(i, i)
    if quoted then
      if c == '"' and s:sub(i + 1, i + 1) == '"' then
        field[#field + 1] = '"'; i = i + 1
      elseif c == '"' then
        quoted = false
      else
        field[#field + 1] = c
      end
    elseif c == '"' then
      quoted = true
    elseif c == "," then
      row[#row + 1] = table.concat(field); field = {}
    elseif c == "\r" or c == "\n" then
      if c == "\r" and s:sub(i + 1, i + 1) == "\n" then i = i + 1 end
      row[#row + 1] = table.concat(field); field = {}
      rows[#rows + 1] = row; row = {}
    else
      field[#field + 1] = c
    end
    i = i + 1
  end
  if #field > 0 or #row > 0 then row[#row + 1] = table.concat(field); rows[#rows + 1] = row end
  return rows
end

local function csis_docs(path)
  local rows = read_csv(path)
  local head, docs, seen = rows[1], {}, {}
  local col = {}
  for k, name in ipairs(head) do col[name] = k end
  for r = 2, #rows do
    local row = rows[r]
    local desc = row[col.description]
    if desc and desc:find("%S") and not seen[desc] and text.utf8_valid(desc) then
      seen[desc] = true
      docs[#docs + 1] = { id = "csis:" .. row[col.date] .. ":" .. (r - 1), text = desc,
        date = row[col.date], outlet = "CSIS Beyond Parallel", lang = "en", script = "Latn",
        title = row[col.event], url = row[col.media],
        source = "stiles/data north-korea-provocations/north-korea-provocations-1958-2017.csv" }
    end
  end
  return docs
end

local function jsonl_docs(path)
  local docs = {}
  for line in io.lines(path) do
    if line:find("%S") then docs[#docs + 1] = cjson.decode(line) end
  end
  return docs
end

-- The groups a folded passage belongs to.
local function groups_of(folded, keywords)
  local hit = {}
  for _, g in ipairs(keywords) do
    for _, kw in ipairs(g[2]) do
      if folded:find("%f[%w]" .. kw) then hit[g[1]] = true; break end
    end
  end
  return hit
end

-- Every passage of a document: { start, stop, groups }.
local function passages(doc, keywords)
  local s, out = doc.text, {}
  local sents = {}
  for a, b in text.sentences(s, doc.lang == "en" and "en" or "sr") do sents[#sents + 1] = { a, b } end
  for k, ab in ipairs(sents) do
    local a, b = ab[1], ab[2]
    local nxt = sents[k + 1]
    if nxt and nxt[2] - a + 1 <= MAX_PAIR then b = nxt[2] end
    local len = b - a + 1
    if len >= MIN_ONE and len <= MAX_ONE then
      out[#out + 1] = { a, b, groups_of(text.fold(s:sub(a, b)), keywords) }
    end
  end
  return out
end

-- `prior`: passages an earlier round took from the same file ({doc_id, a, b}); they are not
-- taken again, nothing overlapping them is, and they count towards a document's two.
local function pick(src, docs, prior)
  local keywords = src.keywords or KEYWORDS
  local cands = {}
  for _, doc in ipairs(docs) do
    if type(doc.text) == "string" and (not src.docs or src.docs(doc)) then
      for _, p in ipairs(passages(doc, keywords)) do
        cands[#cands + 1] = { doc = doc, a = p[1], b = p[2], groups = p[3],
          key = hash(SEED .. doc.id .. ":" .. p[1]) }
      end
    end
  end
  table.sort(cands, function(x, y)
    if x.key ~= y.key then return x.key < y.key end
    return x.doc.id .. x.a < y.doc.id .. y.a
  end)
  local taken, used_doc, out = {}, {}, {}
  for _, o in ipairs(prior) do used_doc[o.doc_id] = (used_doc[o.doc_id] or 0) + 1 end
  -- At most two passages of one document, so no article dominates a source.
  local function take(c, why)
    if taken[c] or (used_doc[c.doc.id] or 0) >= 2 then return false end
    for _, o in ipairs(out) do -- no overlapping passages
      if o.doc == c.doc and o.a <= c.b and c.a <= o.b then return false end
    end
    for _, o in ipairs(prior) do
      if o.doc_id == c.doc.id and o.a <= c.b and c.a <= o.b then return false end
    end
    taken[c] = true
    used_doc[c.doc.id] = (used_doc[c.doc.id] or 0) + 1
    c.why = why
    out[#out + 1] = c
    return true
  end
  for _, g in ipairs(keywords) do
    local quota, n = (src.kw and src.kw[g[1]]) or src.kw_default, 0
    for _, c in ipairs(cands) do
      if n >= quota then break end
      if c.groups[g[1]] and take(c, "keyword" .. (src.round and src.round > 1 and src.round or "")
          .. ":" .. g[1]) then
        n = n + 1
      end
    end
  end
  local n = 0
  for _, c in ipairs(cands) do
    if n >= src.rand then break end
    if next(c.groups) == nil and take(c, "random") then n = n + 1 end
  end
  return out
end

local function record(src, c, k)
  local d = c.doc
  local groups = {}
  for _, g in ipairs(src.keywords or KEYWORDS) do
    if c.groups[g[1]] then groups[#groups + 1] = g[1] end
  end
  local date = d.date
  if type(date) ~= "string" then date = nil end
  return {
    id = ("%s-%03d"):format(src.prefix, k), doc_id = d.id, outlet = d.outlet, lang = d.lang,
    script = d.script, published = date, text = d.text:sub(c.a, c.b), span = { c.a, c.b },
    source = d.source, file = src.file and ("shared/data/news/" .. src.file) or CSIS_FILE,
    selected = c.why, keywords = groups, events = {}, claims = {}, note = "",
  }
end

local function main(data, csis, outdir)
  assert(data and csis and outdir, "usage: select.lua DATA_DIR CSIS_CSV OUT_DIR")
  local total, prior, cache = 0, {}, {}
  for _, src in ipairs(SOURCES) do
    local key = src.name or src.file
    cache[key] = cache[key] or (src.name == "csis" and csis_docs(csis)
      or jsonl_docs(data .. "/news/" .. src.file))
    local docs = cache[key]
    prior[key] = prior[key] or {}
    local out = pick(src, docs, prior[key])
    for _, c in ipairs(out) do table.insert(prior[key], { doc_id = c.doc.id, a = c.a, b = c.b }) end
    local f = assert(io.open(outdir .. "/" .. src.prefix .. ".jsonl", "wb"))
    for k, c in ipairs(out) do f:write(eval.encode(record(src, c, k)), "\n") end
    f:close()
    local kw = 0
    for _, c in ipairs(out) do if c.why ~= "random" then kw = kw + 1 end end
    io.stderr:write(("%-10s %4d passages (%d keyword, %d random) from %d documents\n"):format(
      src.prefix, #out, kw, #out - kw, #docs))
    total = total + #out
  end
  io.stderr:write(("total      %4d\n"):format(total))
end

main(...)
