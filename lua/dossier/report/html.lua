--- The HTML report behind `dossier.report.html`: one self-contained page (inline CSS and SVG,
-- no scripts, no external resources, a Content-Security-Policy that forbids both) whose every
-- count links to an evidence list: the sentences behind it, matched words in `<mark>`, with the
-- outlet, the date and the document.
--
-- Internal to `dossier.report`; call `require("dossier.report").html(db, path, opts)`.
-- @module dossier.report.html
local M = {}

local calendar = require "dossier.calendar"
local util = require "dossier.report.util"

local concat, floor, min, max = table.concat, math.floor, math.min, math.max
local fmt = string.format
local clean, num_str, parse_date = util.clean, util.num_str, calendar.parse

-- ---------------------------------------------------------------------------------------------
-- Escaping
-- ---------------------------------------------------------------------------------------------

local ESC = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

-- Text or attribute value: any Lua value, made valid UTF-8 and escaped.
local function esc(v)
  if v == nil then return "" end
  return (clean(tostring(v)):gsub("[&<>\"']", ESC))
end

-- Only web links are rendered as links; anything else (javascript:, data:, file:) is text.
local function safe_url(u)
  if type(u) ~= "string" then return nil end
  if u:match("^[Hh][Tt][Tt][Pp][Ss]?://[^%s]+$") then return u end
  return nil
end

-- ---------------------------------------------------------------------------------------------
-- UTF-8 boundaries: offsets from rules are byte offsets; a highlight must not split a character.
-- ---------------------------------------------------------------------------------------------

local function is_cont(text, i)
  local b = text:byte(i)
  return b ~= nil and b >= 0x80 and b < 0xC0
end

local function to_lead(text, i)
  while i > 1 and is_cont(text, i) do i = i - 1 end
  return i
end

local function to_tail(text, j)
  while j < #text and is_cont(text, j + 1) do j = j + 1 end
  return j
end

-- ---------------------------------------------------------------------------------------------
-- The page builder
-- ---------------------------------------------------------------------------------------------

local CSS = [[
:root{--ink:#1d2330;--muted:#5d6675;--line:#d9dde4;--bg:#f6f7f9;--accent:#1f5fae;--mark:#ffe27a;
--bad:#fde8e6;--badline:#d9534f;--warn:#fff3d6;--warnline:#e0a100;--ok:#e7f4ea}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 "DejaVu Sans","Noto Sans",system-ui,sans-serif;
color:var(--ink);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:20px 28px 60px}
h1{font-size:26px;margin:8px 0 2px}
h2{font-size:19px;margin:30px 0 10px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:0 0 6px}
.sub{color:var(--muted);margin:0 0 14px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
a.n{font-weight:700;font-variant-numeric:tabular-nums;border-bottom:1px dotted var(--accent)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:12px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card .big{font-size:28px;line-height:1.2}.card .big a.n{border:0}
.card .lbl{color:var(--muted);font-size:13px}
.break{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px;margin-top:12px}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.panel ul{list-style:none;margin:0;padding:0}
.panel li{display:flex;justify-content:space-between;padding:2px 0;border-bottom:1px dashed #eceef2}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);font-size:14px}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600;white-space:nowrap}
td.date{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.contested td{background:var(--bad)}tr.contested td:first-child{box-shadow:inset 4px 0 var(--badline)}
tr.conflict td{background:var(--warn)}tr.conflict td:first-child{box-shadow:inset 4px 0 var(--warnline)}
.tag{display:inline-block;font-size:12px;padding:0 6px;border-radius:9px;background:#eef1f5;color:var(--ink);
margin:1px 2px 1px 0;white-space:nowrap}
.tag.assert,.tag.asserted{background:#dcebfa}
.tag.deny,.tag.denied,.tag.denial,.tag.disputed{background:#f7d4d1}
.tag.hedge,.tag.hedged{background:#f3e6c4}.tag.plan,.tag.planned{background:#e4dcf5}
.tag.historic{background:#e2e2e2}
.tag.bad{background:var(--badline);color:#fff}.tag.warn{background:var(--warnline);color:#fff}
.muted{color:var(--muted)}.small{font-size:12px}
.chart{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px}
.chart svg{width:100%;height:auto;display:block}
.legend{font-size:13px;color:var(--muted);margin:6px 4px 0}
.legend i{display:inline-block;width:11px;height:11px;margin:0 4px 0 12px;vertical-align:-1px}
section.ev{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin:10px 0}
section.ev:target{border-color:var(--accent);box-shadow:0 0 0 3px #c9dcf3}
section.ev ol{margin:4px 0 0;padding-left:22px}section.ev li{margin:6px 0}
section.ev li:target{background:#eef5ff}
blockquote{margin:0;padding:2px 0 2px 10px;border-left:3px solid var(--line)}
mark{background:var(--mark);padding:0 1px;border-radius:2px}
.meta{color:var(--muted);font-size:12.5px}
.conf{font-size:13px;margin:2px 0}
footer{color:var(--muted);font-size:12px;margin-top:40px}
]]

-- Ids must be unique and safe in both HTML and URL fragments: [a-z0-9-], made unique.
local function id_maker()
  local used = {}
  return function(hint)
    local base = tostring(hint):lower():gsub("[^%w%-]+", "-"):gsub("%-+", "-"):gsub("^%-", ""):gsub("%-$", "")
    if base == "" or not base:match("^%a") then base = "x-" .. base end
    local id, k = base, 1
    while used[id] do k = k + 1; id = base .. "-" .. k end
    used[id] = true
    return id
  end
end

local function month_of(d)
  local y, m = parse_date(d)
  if y and m then return fmt("%04d-%02d", y, m) end
  return nil
end

-- A linked number: the count, linking to evidence group `gid` when there is one.
local function num(n, gid)
  local s = esc(num_str(n) or tostring(n))
  if not gid then return '<span class="zero">' .. s .. "</span>" end
  return fmt('<a class="n" href="#%s">%s</a>', gid, s)
end

-- The tags of an event mention: its modality when not asserted, and "negated".
local function ev_tags(e)
  local t = {}
  if e.modality and e.modality ~= "asserted" then t[#t + 1] = tostring(e.modality) end
  if e.negated == true or e.negated == 1 then t[#t + 1] = "negated" end
  return t
end

-- ---------------------------------------------------------------------------------------------
-- The page: its output buffer, its ids, its evidence groups, and the rows it reads from the
-- store to show the sentences (documents, events and claims, each fetched once).
-- ---------------------------------------------------------------------------------------------

local Page = {}
Page.__index = Page

local function new_page(db, max_ev, data)
  local page = setmetatable({ db = db, max_ev = max_ev, data = data, buf = {}, new_id = id_maker(),
    groups = {}, n_items = 0, docs = {}, events = {}, claims = {} }, Page)
  page.incident_by_id = {}
  for _, inc in ipairs(data.incidents) do
    if inc.id ~= nil then page.incident_by_id[inc.id] = inc end
  end
  return page
end

function Page:w(...)
  local buf, n = self.buf, #self.buf
  for i = 1, select("#", ...) do buf[n + i] = select(i, ...) end
end

-- A row by id, fetched once (false remembers a missing row).
local function cached(cache, db, sql, id)
  if id == nil then return nil end
  if cache[id] == nil then cache[id] = db:first(sql, id) or false end
  return cache[id] or nil
end

function Page:doc(id)
  return cached(self.docs, self.db, [[SELECT d.id, d.title, d.url, d.published, d.text, s.name AS source
        FROM documents d LEFT JOIN sources s ON s.id = d.source_id WHERE d.id = ?]], id)
end

function Page:event_row(id)
  return cached(self.events, self.db,
    "SELECT doc_id, start, stop, sent_start, sent_stop, date FROM events WHERE id = ?", id)
end

function Page:claim_row(id)
  return cached(self.claims, self.db, "SELECT doc_id, start, stop FROM claims WHERE id = ?", id)
end

-- Evidence groups: every linked number points at one. Items are normalised mentions:
-- {doc_id, source, published, sent_start, sent_stop, spans = {{s, e}...}, tags = {...}, quote}
function Page:group(hint, title, items)
  local id = self.new_id("ev-" .. hint)
  local seen, list = {}, {}
  for _, it in ipairs(items) do
    local first = it.spans[1] and it.spans[1][1]
    local key = it.key or (tostring(it.doc_id) .. ":" .. tostring(it.sent_start) .. ":" .. tostring(first)
      .. ":" .. concat(it.tags, ","))
    if not seen[key] then
      seen[key] = true
      list[#list + 1] = it
    end
  end
  self.groups[#self.groups + 1] = { id = id, title = title, items = list }
  return id, list
end

-- The anchor of the k-th item of a group (the group itself when the item is cut by max_evidence).
function Page:item_ref(gid, k)
  return k <= self.max_ev and (gid .. "-" .. k) or gid
end

-- Build a mention item from an evidence row (sanctions contract) or a claims source entry.
function Page:mention(e, tags)
  local it = { doc_id = e.doc_id, source = e.source, published = e.published, sent_start = e.sent_start,
    sent_stop = e.sent_stop, spans = {}, tags = tags or {}, quote = e.quote }
  local ev = (e.start == nil or e.sent_start == nil or e.doc_id == nil) and self:event_row(e.event_id) or nil
  if ev then
    it.doc_id = it.doc_id or ev.doc_id
    it.sent_start = it.sent_start or ev.sent_start
    it.sent_stop = it.sent_stop or ev.sent_stop
  end
  if e.start and e.stop then it.spans[#it.spans + 1] = { e.start, e.stop }
  elseif ev and ev.start and ev.stop then it.spans[#it.spans + 1] = { ev.start, ev.stop } end
  local cl = self:claim_row(e.claim_id)
  if cl and cl.start and cl.stop and (it.doc_id == nil or cl.doc_id == it.doc_id) then
    it.doc_id = it.doc_id or cl.doc_id
    it.spans[#it.spans + 1] = { cl.start, cl.stop }
  end
  it.key = e.event_id and e.claim_id == nil and ("e" .. tostring(e.event_id) .. concat(it.tags, ",")) or nil
  return it
end

function Page:evidence_items(rows, tags_of)
  local items = {}
  for _, e in ipairs(rows or {}) do items[#items + 1] = self:mention(e, tags_of and tags_of(e) or nil) end
  return items
end

-- A violation's evidence: its mentions, then the denials of its incident.
function Page:violation_items(v)
  local items = self:evidence_items(v.evidence, ev_tags)
  local inc = self.incident_by_id[v.incident]
  if inc and inc.denials then
    for _, e in ipairs(inc.denials) do items[#items + 1] = self:mention(e, { "denial" }) end
  end
  return items
end

-- ---------------------------------------------------------------------------------------------
-- Evidence items as HTML
-- ---------------------------------------------------------------------------------------------

-- The sentence of an item with its spans in <mark>.
local function quote_html(text, it)
  local out = {}
  local a, b = it.sent_start, it.sent_stop
  local s1 = it.spans[1]
  if not (a and b) then
    a = s1 and max(1, s1[1] - 160) or 1
    b = s1 and min(#text, s1[2] + 160) or min(#text, 320)
  end
  a = to_lead(text, max(1, min(a, #text)))
  b = to_tail(text, max(a, min(b, #text)))
  local spans = {}
  for _, sp in ipairs(it.spans) do
    local s, e = max(sp[1], a), min(sp[2], b)
    if s <= e then spans[#spans + 1] = { to_lead(text, s), to_tail(text, e) } end
  end
  table.sort(spans, function(x, y) return x[1] < y[1] end)
  local pos = a
  out[#out + 1] = "<blockquote>"
  if a > 1 and not it.sent_start then out[#out + 1] = "… " end
  for _, sp in ipairs(spans) do
    local s, e = max(sp[1], pos), sp[2]
    if s <= e then
      out[#out + 1] = esc(text:sub(pos, s - 1))
      out[#out + 1] = "<mark>" .. esc(text:sub(s, e)) .. "</mark>"
      pos = e + 1
    end
  end
  out[#out + 1] = esc(text:sub(pos, b))
  if b < #text and not it.sent_stop then out[#out + 1] = " …" end
  out[#out + 1] = "</blockquote>"
  return concat(out)
end

-- Outlet, date, title (linked when it has a web address), document and tags.
local function meta_html(it, d)
  local meta = {}
  meta[#meta + 1] = "<b>" .. esc(it.source or (d and d.source) or "unknown outlet") .. "</b>"
  meta[#meta + 1] = esc(it.published or (d and d.published) or "undated")
  if d and d.title then
    local u = safe_url(d.url)
    meta[#meta + 1] = u and fmt('<a href="%s" rel="noopener noreferrer">%s</a>', esc(u), esc(d.title))
      or ("“" .. esc(d.title) .. "”")
  end
  if it.doc_id then meta[#meta + 1] = "doc " .. esc(it.doc_id) end
  for _, t in ipairs(it.tags) do
    meta[#meta + 1] = fmt('<span class="tag %s">%s</span>', esc(t:match("^%w+") or ""), esc(t))
  end
  return '<div class="meta">' .. concat(meta, " · ") .. "</div>"
end

-- Render one item: the sentence with its spans marked, then outlet, date and title.
function Page:item_html(it)
  local d = self:doc(it.doc_id)
  local q
  if d and type(d.text) == "string" and #d.text > 0 then
    q = quote_html(d.text, it)
  elseif it.quote then
    q = "<blockquote>" .. esc(it.quote) .. "</blockquote>"
  else
    q = fmt('<blockquote class="muted">document %s is not in the store</blockquote>', esc(it.doc_id))
  end
  return q .. meta_html(it, d)
end

-- ---------------------------------------------------------------------------------------------
-- Data from the store
-- ---------------------------------------------------------------------------------------------

-- The corpus: document count, sources with their counts and dates, and every coded event.
local function corpus_of(db)
  local n_docs = db:first("SELECT count(*) AS n FROM documents").n
  local sources = {}
  for r in db:rows([[SELECT s.name AS name, count(d.id) AS docs,
      (SELECT count(*) FROM events e JOIN documents d2 ON d2.id = e.doc_id
        WHERE d2.source_id = s.id) AS events,
      min(d.published) AS first, max(d.published) AS last
      FROM sources s LEFT JOIN documents d ON d.source_id = s.id
      GROUP BY s.id ORDER BY docs DESC, s.name]]) do
    sources[#sources + 1] = r
  end
  local store_events = {}
  for r in db:rows([[SELECT e.id AS event_id, e.doc_id, e.type, e.actor1, e.actor2, e.modality, e.negated,
      e.start, e.stop, e.sent_start, e.sent_stop, e.date, d.published, s.name AS source
      FROM events e JOIN documents d ON d.id = e.doc_id LEFT JOIN sources s ON s.id = d.source_id
      ORDER BY d.published, e.id]]) do
    store_events[#store_events + 1] = r
  end
  return { n_docs = n_docs, sources = sources, events = store_events }
end

-- ---------------------------------------------------------------------------------------------
-- Sections
-- ---------------------------------------------------------------------------------------------

local function write_head(page, title, generated)
  local corpus = page.corpus
  page:w('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
    '<meta http-equiv="Content-Security-Policy" ',
    'content="default-src \'none\'; style-src \'unsafe-inline\'">\n',
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    '<meta name="generator" content="dossier.report">\n',
    "<title>", esc(title), "</title>\n<style>", CSS, "</style>\n</head>\n<body>\n<main>\n")
  page:w('<header id="top"><h1>', esc(title), "</h1>")
  local span_first, span_last
  for _, s in ipairs(corpus.sources) do
    if s.first and (not span_first or s.first < span_first) then span_first = s.first end
    if s.last and (not span_last or s.last > span_last) then span_last = s.last end
  end
  page:w('<p class="sub">', esc(corpus.n_docs), " documents from ", esc(#corpus.sources), " sources",
    span_first and (", published " .. esc(span_first:sub(1, 10)) .. " to " .. esc(span_last:sub(1, 10)))
      or "",
    ". Generated ", esc(generated or os.date("!%Y-%m-%d %H:%M UTC")),
    ". Every linked number opens the sentences behind it.</p></header>\n")
end

-- Propositions: one group per proposition, one per stance within it; then all claims and all
-- conflicts. Sets page.prop_items and page.prop_gids for the claims table.
local function proposition_groups(page)
  local prop_gids, prop_items, claim_all, conflict_items = {}, {}, {}, {}
  local n_conflicts = 0
  for i, p in ipairs(page.data.propositions) do
    local items = {}
    for j, s in ipairs(p.sources or {}) do
      local tags = { tostring(s.stance or "?") }
      if s.via then tags[#tags + 1] = "via " .. tostring(s.via) end
      if s.speaker then tags[#tags + 1] = "speaker: " .. tostring(s.speaker) end
      local it = page:mention(s, tags)
      it.key = "p" .. i .. "s" .. j
      it.source = s.source or it.source
      items[j] = it
      claim_all[#claim_all + 1] = it
    end
    prop_items[i] = items
    prop_gids[i] = #items > 0 and page:group("claim-" .. i, "Proposition " .. tostring(p.key or i), items)
      or nil
    n_conflicts = n_conflicts + #(p.conflicts or {})
    for _, c in ipairs(p.conflicts or {}) do
      for _, side in ipairs { c.a, c.b } do
        if type(side) == "table" then
          local it = page:mention(side, { "conflict: " .. tostring(c.kind), tostring(side.stance or "?") })
          it.source = side.source or it.source
          conflict_items[#conflict_items + 1] = it
        end
      end
    end
  end
  page.prop_items, page.prop_gids = prop_items, prop_gids
  return {
    claims = #claim_all > 0 and page:group("claims", "All claims", claim_all) or nil,
    conflicts = #conflict_items > 0 and page:group("conflicts", "All conflicts", conflict_items) or nil,
    n_conflicts = n_conflicts,
  }
end

-- The evidence groups behind the headline counts.
local function headline_groups(page)
  local data, store_events = page.data, page.corpus.events
  local g = {}
  g.events = #store_events > 0 and
    page:group("events", "All coded events", page:evidence_items(store_events, function(e)
      local t = { tostring(e.type) }
      for _, x in ipairs(ev_tags(e)) do t[#t + 1] = x end
      return t
    end)) or nil
  local vio_all = {}
  for _, v in ipairs(data.violations) do
    for _, it in ipairs(page:violation_items(v)) do vio_all[#vio_all + 1] = it end
  end
  g.violations = #data.violations > 0 and page:group("violations", "All violations", vio_all) or nil
  local inc_all = {}
  for _, inc in ipairs(data.incidents) do
    for _, it in ipairs(page:evidence_items(inc.events, ev_tags)) do inc_all[#inc_all + 1] = it end
  end
  g.incidents = #data.incidents > 0 and page:group("incidents", "All incidents", inc_all) or nil
  g.props = proposition_groups(page)
  return g
end

-- One panel of a breakdown: rows counted by key_of, each count linking to its items.
local function breakdown(page, rows, key_of, items_of, hint)
  local order, by = {}, {}
  for _, r in ipairs(rows) do
    local k = key_of(r)
    if not by[k] then by[k] = { n = 0, items = {} }; order[#order + 1] = k end
    by[k].n = by[k].n + 1
    for _, it in ipairs(items_of(r)) do by[k].items[#by[k].items + 1] = it end
  end
  table.sort(order, function(a, b)
    if by[a].n ~= by[b].n then return by[a].n > by[b].n end
    return a < b
  end)
  local lis = {}
  for _, k in ipairs(order) do
    local heading = hint:gsub("^%l", string.upper):gsub("%-", " ")
    local gid = page:group(hint .. "-" .. k, heading .. ": " .. k, by[k].items)
    lis[#lis + 1] = fmt("<li><span>%s</span>%s</li>", esc(k), num(by[k].n, gid))
  end
  return concat(lis, "\n")
end

-- Breakdowns: violations by resolution and by type; events by type from the store.
local function write_breakdowns(page)
  local violations, store_events = page.data.violations, page.corpus.events
  local function violation_items(v) return page:violation_items(v) end
  local panels = {}
  if #violations > 0 then
    panels[#panels + 1] = { "Violations by resolution", breakdown(page, violations, function(v)
      local regime = v.regime and (" (" .. tostring(v.regime) .. ")") or ""
      return "UNSCR " .. tostring(v.resolution or "?") .. regime
    end, violation_items, "violations-by-resolution") }
    panels[#panels + 1] = { "Violations by type", breakdown(page, violations, function(v)
      return tostring(v.type or v.activity or "?")
    end, violation_items, "violations-by-type") }
  end
  if #store_events > 0 then
    panels[#panels + 1] = { "Coded events by type", breakdown(page, store_events, function(e)
      return tostring(e.type)
    end, function(e) return { page:mention(e, ev_tags(e)) } end, "events-by-type") }
  end
  if #panels > 0 then
    page:w('<div class="break">')
    for _, p in ipairs(panels) do
      page:w('<div class="panel"><h3>', esc(p[1]), "</h3><ul>", p[2], "</ul></div>\n")
    end
    page:w("</div>\n")
  end
end

-- Headline counts, then the breakdowns.
local function write_counts(page)
  local data, corpus = page.data, page.corpus
  local g = headline_groups(page)
  page:w('<section id="counts"><h2>Counts</h2><div class="cards">\n')
  local function card(n, label, gid, sub)
    page:w('<div class="card"><div class="big">', gid and num(n, gid) or esc(n), '</div><div class="lbl">',
      esc(label), sub and ("<br>" .. sub) or "", "</div></div>\n")
  end
  card(corpus.n_docs, "documents", "corpus")
  card(#corpus.sources, "sources", "corpus")
  card(#corpus.events, "coded events (mentions)", g.events)
  if data.shown.violations then card(#data.violations, "UN sanctions violations", g.violations) end
  if data.shown.incidents then card(#data.incidents, "incidents", g.incidents) end
  if data.shown.propositions then
    card(#data.propositions, "propositions compared", g.props.claims)
    card(g.props.n_conflicts, "conflicts between sources", g.props.conflicts)
  end
  page:w("</div>\n")
  write_breakdowns(page)
  page:w("</section>\n")
end

-- ---------------------------------------------------------------------------------------------
-- Timeline
-- ---------------------------------------------------------------------------------------------

-- A series of the chart: its entries ({date=, items=}) counted per month.
local function series_of(name, cls, entries)
  local months, undated = {}, 0
  for _, en in ipairs(entries) do
    local m = month_of(en.date)
    if m then
      local b = months[m]
      if not b then b = { n = 0, items = {} }; months[m] = b end
      b.n = b.n + 1
      for _, it in ipairs(en.items) do b.items[#b.items + 1] = it end
    else
      undated = undated + 1
    end
  end
  return { name = name, cls = cls, months = months, undated = undated }
end

-- Series: incidents (by the date of the event) and mentions (event date, else publication);
-- without incidents, the store's events; without events, the documents.
local function timeline_series(page)
  local incidents, store_events = page.data.incidents, page.corpus.events
  if #incidents > 0 then
    local inc_entries, men_entries = {}, {}
    for _, inc in ipairs(incidents) do
      local items = page:evidence_items(inc.events, ev_tags)
      inc_entries[#inc_entries + 1] = { date = inc.date_from or inc.date, items = items }
      for k, e in ipairs(inc.events or {}) do
        men_entries[#men_entries + 1] = { date = e.date or e.published, items = { items[k] } }
      end
    end
    return { series_of("mentions", "s1", men_entries), series_of("incidents", "s2", inc_entries) }
  elseif #store_events > 0 then
    local entries = {}
    for _, e in ipairs(store_events) do
      entries[#entries + 1] = { date = e.date or e.published, items = { page:mention(e, ev_tags(e)) } }
    end
    return { series_of("coded events", "s1", entries) }
  end
  local entries = {}
  for r in page.db:rows([[SELECT d.id AS doc_id, d.published, s.name AS source FROM documents d
      LEFT JOIN sources s ON s.id = d.source_id ORDER BY d.published, d.id]]) do
    entries[#entries + 1] = { date = r.published,
      items = { { doc_id = r.doc_id, source = r.source, published = r.published, spans = {}, tags = {} } } }
  end
  return { series_of("documents", "s1", entries) }
end

-- The periods of the chart from month lo_m to hi_m: months, or years (with the series' months
-- merged into years) when more than five years of months would make bars too thin to see.
local function periods(series, lo_m, hi_m)
  local ylo, mlo = tonumber(lo_m:sub(1, 4)), tonumber(lo_m:sub(6, 7))
  local yhi, mhi = tonumber(hi_m:sub(1, 4)), tonumber(hi_m:sub(6, 7))
  local per = (yhi - ylo) * 12 + mhi - mlo + 1 > 60 and "year" or "month"
  local months = {}
  if per == "year" then
    for _, sr in ipairs(series) do
      local keys, years = {}, {}
      for k in pairs(sr.months) do keys[#keys + 1] = k end
      table.sort(keys)
      for _, k in ipairs(keys) do
        local b, yk = sr.months[k], k:sub(1, 4)
        local t = years[yk]
        if not t then t = { n = 0, items = {} }; years[yk] = t end
        t.n = t.n + b.n
        for _, it in ipairs(b.items) do t.items[#t.items + 1] = it end
      end
      sr.months = years
    end
    for y = ylo, yhi do months[#months + 1] = fmt("%04d", y) end
  else
    local y, m = ylo, mlo
    while true do
      local key = fmt("%04d-%02d", y, m)
      months[#months + 1] = key
      if key >= hi_m then break end
      m = m + 1
      if m > 12 then m = 1; y = y + 1 end
    end
  end
  return months, per
end

-- A round axis maximum: 1, 2, 5 × 10^k at or above the largest count.
local function nice_max(series)
  local top = 1
  for _, s in ipairs(series) do
    for _, b in pairs(s.months) do if b.n > top then top = b.n end end
  end
  local nice = 1
  while nice < top do
    if nice * 2 >= top then
      nice = nice * 2
    elseif nice * 5 >= top then
      nice = nice * 5
    else
      nice = nice * 10
    end
  end
  return nice
end

-- The SVG geometry: width, height, left, right, top and bottom margins.
local W, H, L, RM, T, B = 1000, 260, 44, 12, 16, 44

-- The title, and gridlines at round values: quarters of 2×10^k, fifths of 1×10^k and 5×10^k.
local function svg_frame(p, series, per, nice, ph)
  p(fmt('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="tl-title" '
    .. 'font-family="DejaVu Sans, sans-serif" font-size="12">', W, H))
  local names = {}
  for _, s in ipairs(series) do names[#names + 1] = s.name end
  p('<title id="tl-title">', esc(concat(names, " and ")), " per ", per, "</title>")
  local div = tostring(nice):sub(1, 1) == "2" and 4 or 5
  for k = 0, div do
    local v = nice * k / div
    local yy = T + ph - ph * k / div
    p(fmt('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s"/>', L, W - RM, yy, yy,
      k == 0 and "#8a93a3" or "#e3e6eb"))
    if v == floor(v) then
      p(fmt('<text x="%d" y="%.1f" text-anchor="end" fill="#5d6675">%d</text>', L - 6, yy + 4, floor(v)))
    end
  end
end

-- The chart: a bar per series and period, each linking to its evidence.
local function timeline_svg(page, series, months, per)
  local nice = nice_max(series)
  local pw, ph = W - L - RM, H - T - B
  local slot = pw / #months
  local nser = #series
  local bw = min(34, slot * 0.8 / nser)
  local parts = {}
  local function p(...) for i = 1, select("#", ...) do parts[#parts + 1] = select(i, ...) end end
  svg_frame(p, series, per, nice, ph)
  local every = max(1, math.ceil(#months / max(1, floor(pw / 58))))
  for i, mk in ipairs(months) do
    local x0 = L + (i - 1) * slot
    local cx = x0 + slot / 2
    if (i - 1) % every == 0 then
      p(fmt('<text x="%.1f" y="%d" text-anchor="middle" fill="#5d6675">%s</text>', cx, H - B + 16, mk))
      p(fmt('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#8a93a3"/>', cx, cx, T + ph, T + ph + 4))
    end
    for si, s in ipairs(series) do
      local b = s.months[mk]
      if b and b.n > 0 then
        local h = ph * b.n / nice
        local x = cx - nser * bw / 2 + (si - 1) * bw
        local title = fmt("%s, %s", s.name:gsub("^%l", string.upper), mk)
        local gid = page:group(s.name .. "-" .. mk, title, b.items)
        p(fmt('<a href="#%s" class="%s"><title>%s: %d %s</title>', gid, s.cls, mk, b.n, esc(s.name)))
        p(fmt('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="2" fill="%s"/>', x + 1, T + ph - h,
          max(1, bw - 2), h, si == 1 and "#8fb5e3" or "#1f5fae"))
        p(fmt('<text x="%.1f" y="%.1f" text-anchor="middle" fill="#1d2330" font-weight="bold">%d</text>'
          .. "</a>",
          x + bw / 2, T + ph - h - 4, b.n))
      end
    end
  end
  p("</svg>")
  return concat(parts)
end

local function write_timeline(page)
  local series = timeline_series(page)
  local lo_m, hi_m
  for _, s in ipairs(series) do
    for m in pairs(s.months) do
      if not lo_m or m < lo_m then lo_m = m end
      if not hi_m or m > hi_m then hi_m = m end
    end
  end
  page:w('<section id="timeline"><h2>Timeline</h2>')
  if not lo_m then
    page:w('<p class="muted">No dated ', esc(series[1] and series[1].name or "rows"), ".</p>")
  else
    local months, per = periods(series, lo_m, hi_m)
    page:w('<div class="chart">', timeline_svg(page, series, months, per), '<div class="legend">')
    for si, s in ipairs(series) do
      page:w(fmt('<i style="background:%s"></i>%s', si == 1 and "#8fb5e3" or "#1f5fae", esc(s.name)))
      if s.undated > 0 then page:w(fmt(' <span class="small">(%d without a month)</span>', s.undated)) end
    end
    if series[1].name ~= "documents" then
      page:w(' <span class="small">· by the date of the event, else of publication</span>')
    else
      page:w(' <span class="small">· by date of publication</span>')
    end
    page:w("</div></div>")
  end
  page:w("</section>\n")
end

-- ---------------------------------------------------------------------------------------------
-- Violations table
-- ---------------------------------------------------------------------------------------------

-- The resolution and paragraph, with the paragraph's status and the regime.
local function measure_cell(v)
  local measure = "UNSCR " .. esc(v.resolution or "?")
  if v.paragraph and v.paragraph_status == "verified" then
    measure = measure .. " " .. esc(v.paragraph)
  elseif v.paragraph then
    measure = measure .. " " .. esc(v.paragraph) .. fmt(' <span class="muted small">(%s)</span>',
      esc(v.paragraph_status or "unverified"))
  else
    measure = measure .. ' <span class="muted small">paragraph unconfirmed</span>'
  end
  if v.regime then
    measure = measure .. '<br><span class="muted small">' .. esc(v.regime) .. " regime</span>"
  end
  return measure
end

-- The event type, and the measure's activity under it when it names it otherwise (an
-- icbm_launch breaches a measure on ballistic_launch).
local function activity_cell(r)
  local t, a = r.type or r.activity or "", r.activity
  if a and a ~= t then
    return esc(t) .. '<br><span class="muted small">' .. esc(a) .. "</span>"
  end
  return esc(t)
end

-- The standing (asserted, disputed: asserted but denied by others, hedged, planned) when
-- dossier.sanctions gives one, else the modality.
local function status_cell(v)
  local standing = v.standing or v.modality
  local status = fmt('<span class="tag %s">%s</span>', esc(standing or ""), esc(standing or "?"))
  if v.contested then status = status .. ' <span class="tag bad">contested</span>' end
  return status
end

local function write_violations(page)
  local violations = page.data.violations
  if #violations == 0 then return end
  page:w('<section id="violations"><h2>Violations of UN Security Council measures</h2>',
    '<p class="sub">One row per incident and measure in force on its date. Mentions and origins open the ',
    'sentences; denials are listed beside them and never counted.</p>\n<table><thead><tr>',
    "<th>#</th><th>Date</th><th>Measure</th><th>Activity</th><th>Actors</th><th>Status</th>",
    '<th class="num">Mentions</th><th class="num">Origins</th><th>Sources</th></tr></thead><tbody>\n')
  for i, v in ipairs(violations) do
    local gid = page:group("violation-" .. i, fmt("Violation %d: %s %s, UNSCR %s", i, tostring(v.type or "?"),
      tostring(v.actors or ""), tostring(v.resolution or "?")), page:violation_items(v))
    local srcs = {}
    for _, s in ipairs(v.sources or {}) do srcs[#srcs + 1] = esc(s) end
    page:w(fmt('<tr id="%s"%s><td>%d</td><td class="date">%s</td><td>%s</td><td>%s</td><td>%s</td>' ..
      '<td>%s</td><td class="num">%s</td><td class="num">%s</td><td>%s</td></tr>\n',
      page.new_id("violation-row-" .. i), v.contested and ' class="contested"' or "", i, esc(v.date or ""),
      measure_cell(v), activity_cell(v), esc(v.actors or ""), status_cell(v),
      num(v.mentions or #(v.evidence or {}), gid),
      num(v.origins or 0, gid), concat(srcs, ", ")))
  end
  page:w("</tbody></table></section>\n")
end

-- ---------------------------------------------------------------------------------------------
-- Claims comparison
-- ---------------------------------------------------------------------------------------------

-- A chip per source entry: outlet and stance, linking to its sentence; sorts the items by stance.
local function source_chips(page, p, items, gid)
  local chips = {}
  local stance_items = { assert = {}, deny = {}, hedge = {}, plan = {} }
  for j, s in ipairs(p.sources or {}) do
    local st = tostring(s.stance or "?")
    if stance_items[st] then stance_items[st][#stance_items[st] + 1] = items[j] end
    local extra = {}
    if s.via then extra[#extra + 1] = "via " .. esc(s.via) end
    if s.origin and s.origin ~= s.source then extra[#extra + 1] = "origin " .. esc(s.origin) end
    chips[#chips + 1] = fmt('<a class="tag %s" href="#%s">%s · %s</a>%s', esc(st:match("^%w+") or ""),
      page:item_ref(gid, j),
      esc(s.source or "?"), esc(st), #extra > 0 and (' <span class="muted small">' .. concat(extra, ", ")
      .. "</span>") or "")
  end
  return chips, stance_items
end

-- The conflicts of a proposition, each side linking to its sentence.
local function conflicts_html(page, p, gid)
  local confl = {}
  for _, c in ipairs(p.conflicts or {}) do
    local a, b = c.a or {}, c.b or {}
    local function side(x)
      for j, s in ipairs(p.sources or {}) do
        if s == x then
          return fmt('<a href="#%s">%s (%s)</a>', page:item_ref(gid, j), esc(x.source or "?"),
            esc(x.stance or "?"))
        end
      end
      return fmt("%s (%s)", esc(x.source or "?"), esc(x.stance or "?"))
    end
    confl[#confl + 1] = fmt('<div class="conf"><span class="tag warn">%s</span> %s vs %s%s</div>',
      esc(c.kind or "?"),
      side(a), side(b), c.note and (' <span class="muted">' .. esc(c.note) .. "</span>") or "")
  end
  return confl
end

local function write_claim_row(page, i, p)
  local items, gid = page.prop_items[i], page.prop_gids[i]
  local chips, stance_items = source_chips(page, p, items, gid)
  local function stance_num(key, n)
    n = n or #stance_items[key]
    if n == 0 or #stance_items[key] == 0 then return num(n, nil) end
    return num(n, page:group(fmt("claim-%d-%s", i, key), fmt("Proposition %s: %s", tostring(p.key or i), key),
      stance_items[key]))
  end
  local confl = conflicts_html(page, p, gid)
  local label = esc(p.key or (tostring(p.type) .. " " .. tostring(p.actor1) .. "→" .. tostring(p.actor2)))
  if p.qty then
    label = label .. '<br><span class="muted small">quantity ' .. esc(num_str(p.qty) or p.qty)
      .. "</span>"
  end
  page:w(fmt('<tr id="%s"%s><td>%s</td><td>%s</td><td class="num">%s</td><td class="num">%s</td>'
    .. '<td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td>%s</td></tr>\n',
    page.new_id("claim-row-" .. i), #confl > 0 and ' class="conflict"' or "", label, concat(chips, " "),
    num(p.origins or 0, gid), stance_num("assert", p.asserting), stance_num("deny", p.denying),
    stance_num("hedge", p.hedging), stance_num("plan", p.planning),
    #confl > 0 and concat(confl) or '<span class="muted">none</span>'))
end

local function write_claims(page)
  local propositions = page.data.propositions
  if #propositions == 0 then return end
  page:w('<section id="claims"><h2>Claims across sources</h2>',
    '<p class="sub">Per proposition: who asserts, denies, hedges or plans it, through whom, how many ',
    'independent origins there are, and where sources disagree (highlighted).</p>\n<table><thead><tr>',
    '<th>Proposition</th><th>Sources and stance</th><th class="num">Origins</th>',
    '<th class="num">Assert</th><th class="num">Deny</th>',
    '<th class="num">Hedge</th><th class="num">Plan</th>',
    "<th>Conflicts</th></tr></thead><tbody>\n")
  for i, p in ipairs(propositions) do write_claim_row(page, i, p) end
  page:w("</tbody></table></section>\n")
end

-- ---------------------------------------------------------------------------------------------
-- Corpus and evidence
-- ---------------------------------------------------------------------------------------------

local function write_corpus(page)
  local store_events = page.corpus.events
  page:w('<section id="corpus"><h2>Corpus</h2><table><thead><tr><th>Source</th>',
    '<th class="num">Documents</th>',
    '<th class="num">Coded events</th><th>First</th><th>Last</th></tr></thead><tbody>\n')
  for _, s in ipairs(page.corpus.sources) do
    local items = {}
    if s.events > 0 then
      for _, e in ipairs(store_events) do
        if e.source == s.name then items[#items + 1] = page:mention(e, { tostring(e.type) }) end
      end
    end
    local events_cell = #items > 0
      and num(s.events, page:group("source-" .. s.name, "Coded events from " .. s.name, items))
      or num(s.events, nil)
    page:w(fmt('<tr><td>%s</td><td class="num">%s</td><td class="num">%s</td><td>%s</td><td>%s</td></tr>\n',
      esc(s.name), esc(s.docs), events_cell, esc(s.first and s.first:sub(1, 10) or ""),
      esc(s.last and s.last:sub(1, 10) or "")))
  end
  page:w("</tbody></table></section>\n")
end

local function write_evidence(page)
  local max_ev = page.max_ev
  page:w('<section id="evidence"><h2>Evidence</h2>\n')
  for _, g in ipairs(page.groups) do
    page:w('<section class="ev" id="', g.id, '"><h3>', esc(g.title), ' <span class="muted small">— ',
      #g.items,
      #g.items == 1 and " sentence" or " sentences", ' · <a href="#top">top</a></span></h3><ol>\n')
    for k, it in ipairs(g.items) do
      if k > max_ev then
        page:w(fmt('<li class="muted">… and %d more (opts.max_evidence = %d)</li>\n', #g.items - max_ev,
          max_ev))
        break
      end
      page.n_items = page.n_items + 1
      page:w('<li id="', g.id, "-", k, '">', page:item_html(it), "</li>\n")
    end
    page:w("</ol></section>\n")
  end
  page:w("</section>\n")
  page:w('<footer>Made by dossier.report. Offsets are byte offsets into each document; ',
    'highlighted words are ',
    "the spans the rules matched.</footer>\n</main>\n</body>\n</html>\n")
end

--- Render the page; returns the HTML text and a summary table. Presents only: the analyses'
-- rows come in `data`, and the store is only read (the corpus counts and the evidence sentences).
-- @param db an open store
-- @tparam table data `violations`, `incidents`, `propositions` (arrays of rows, possibly empty) and
--   `shown` (name → true for the sections to show)
-- @tparam table opts `title`, `generated`, `max_evidence` (a positive integer)
-- @treturn string the page
-- @treturn table `{violations=, incidents=, propositions=, groups=, evidence=}`
function M.render(db, data, opts)
  local page = new_page(db, opts.max_evidence, data)
  page.corpus = corpus_of(db)
  write_head(page, opts.title or "dossier report", opts.generated)
  write_counts(page)
  write_timeline(page)
  write_violations(page)
  write_claims(page)
  write_corpus(page)
  write_evidence(page)
  return concat(page.buf), {
    violations = #data.violations, incidents = #data.incidents, propositions = #data.propositions,
    groups = #page.groups, evidence = page.n_items,
  }
end

return M
