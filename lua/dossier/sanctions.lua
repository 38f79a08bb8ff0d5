--- dossier.sanctions: incidents, violations of UN sanctions measures, and their counts.
-- Ten articles reporting one shipment are one violation, not ten: `incidents` groups the
-- event mentions in a store into real-world incidents (same type and actors, compatible dates
-- and quantities) and stores the grouping; `violations` matches every incident against the UN
-- measures in force on its date (`dossier.kb`), one row per incident per obligation;
-- `count` tallies those rows. Row shapes: doc/sanctions.md (the issue 6 row contract).
-- Pure Lua over `dossier.store`: no C of its own.
local kb = require "dossier.kb"
local calendar = require "dossier.calendar"
local text = require "dossier.text"
local vocab = require "dossier.vocab"


local M = {}

--- Defaults of the grouping options (`incidents(db, opts)` reads the same names).
-- `window`: days between a dated mention and an incident's dates for them to be one incident;
-- `lookback`: how many days before its publication an undated mention (or a denial) may look
-- for the incident it reports; `qty_factor`: how far apart two quantities may be and still
-- describe one incident.
M.DEFAULTS = { window = 30, lookback = 92, qty_factor = 2 }

--- Strength order of modalities: an incident takes the strongest among its mentions.
M.MODALITY_RANK = { asserted = 4, hedged = 3, planned = 2, historic = 1, denied = 0 }

local is_event_type = vocab.is_event_type

-- Types whose events are countable acts with one actor (dossier.vocab): a mention without a
-- quantity is one of them, and actor2 (a target area, say) plays no part in grouping.
local COUNTABLE = vocab.is_counted_type
local ONE_ACTOR = vocab.is_counted_type

-- ---------------------------------------------------------------------------
-- dates: ISO days as day numbers

local iso = calendar.iso

-- A full or partial ISO date (a time part is ignored) as a day range, or nil.
local function range(s)
  if type(s) ~= "string" then
    return nil
  end
  local first, last = calendar.span(s:match "^(%d%d%d%d%-%d%d%-%d%d)[T ]" or s)
  if not first then
    return nil
  end
  return first, last
end

-- The shortest ISO form naming exactly the days lo..hi: a day, a month, a year, else nil.
local function compact(lo, hi)
  local a, b = iso(lo), iso(hi)
  if a == b then
    return a
  end
  local f, l = calendar.span(a:sub(1, 7))
  if f == lo and l == hi then
    return a:sub(1, 7)
  end
  f, l = calendar.span(a:sub(1, 4))
  if f == lo and l == hi then
    return a:sub(1, 4)
  end
  return nil
end

-- Days between two ranges (0 when they overlap).
local function gap(alo, ahi, blo, bhi)
  if ahi < blo then
    return blo - ahi
  elseif bhi < alo then
    return alo - bhi
  end
  return 0
end

-- ---------------------------------------------------------------------------
-- quantities: a stated number and its qualifier as an interval

local qty_interval = require("dossier.recognisers.qty").interval

local qty_text = require("dossier.recognisers.qty").text

-- ---------------------------------------------------------------------------
-- reading the store

local decode = require("dossier.store").decode_json

-- The first publisher of a relay chain: a JSON array or "A → B → C" text, nearest first.
local function chain_end(via)
  if type(via) == "table" then
    local last = via[#via]
    return type(last) == "string" and last ~= "" and last or nil
  end
  if type(via) ~= "string" or via:match "^%s*$" then
    return nil
  end
  if via:match "^%s*%[" then
    return chain_end(decode(via))
  end
  local last
  for part in (via:gsub("→", "\0"):gsub("%->", "\0"):gsub(">", "\0")):gmatch "[^%z]+" do
    part = part:match "^%s*(.-)%s*$"
    if part ~= "" then
      last = part
    end
  end
  return last
end

local function has_rows(db)
  return db.rows ~= nil
end

local function check_db(db, fname)
  local t = type(db)
  local ok, yes = pcall(has_rows, db)
  if (t ~= "userdata" and t ~= "table") or not (ok and yes) then
    error("dossier.sanctions: " .. fname .. " expects a store (dossier.store.open)", 3)
  end
end

local function check_opts(opts, fname)
  if opts ~= nil and type(opts) ~= "table" then
    error("dossier.sanctions: " .. fname .. ": opts must be a table", 3)
  end
  return opts or {}
end

local function number_opt(opts, name, fname)
  local v = opts[name]
  if v == nil then
    return M.DEFAULTS[name]
  end
  if math.type(v) == nil or v < 0 or (name == "qty_factor" and v < 1) then
    error(("dossier.sanctions: %s: opts.%s must be a number %s"):format(fname, name,
      name == "qty_factor" and ">= 1" or ">= 0"), 4)
  end
  return v
end

-- The grouping options of `incidents`, checked (errors point at the caller's caller).
local function grouping_opts(opts)
  return {
    window = number_opt(opts, "window", "incidents"),
    lookback = number_opt(opts, "lookback", "incidents"),
    qty_factor = number_opt(opts, "qty_factor", "incidents"),
  }
end

-- Every event of the store as a mention, with its document, outlet and origins.
local function load_mentions(db)
  local claims = {}
  for c in db:rows [[
    SELECT c.id, c.event_id, c.via, c.stance, c.attrs, s.name AS outlet
    FROM claims c JOIN documents d ON d.id = c.doc_id LEFT JOIN sources s ON s.id = d.source_id
    WHERE c.event_id IS NOT NULL ORDER BY c.id]] do
    local list = claims[c.event_id]
    if not list then
      list = {}
      claims[c.event_id] = list
    end
    list[#list + 1] = c
  end
  local out = {}
  for e in db:rows [[
    SELECT e.id, e.doc_id, e.rule, e.type, e.actor1, e.actor2, e.item, e.qty, e.unit, e.date,
           e.modality, e.negated, e.start, e.stop, e.sent_start, e.sent_stop, e.attrs,
           d.published, d.attrs AS doc_attrs, s.name AS source
    FROM events e JOIN documents d ON d.id = e.doc_id LEFT JOIN sources s ON s.id = d.source_id
    ORDER BY d.published, e.doc_id, e.start, e.id]] do
    local attrs, dattrs = decode(e.attrs), decode(e.doc_attrs)
    local source = e.source or "?"
    local m = {
      event_id = e.id, doc_id = e.doc_id, source = source, rule = e.rule,
      published = type(e.published) == "string" and e.published:sub(1, 10) or nil,
      type = e.type, actor1 = e.actor1, actor2 = e.actor2, item = e.item,
      qty = tonumber(e.qty), unit = e.unit, date = e.date,
      modality = e.modality or "asserted", negated = e.negated ~= nil and e.negated ~= 0,
      start = e.start, stop = e.stop, sent_start = e.sent_start, sent_stop = e.sent_stop,
      qty_qualifier = attrs.qty_qualifier,
    }
    -- Origins: the claims about this event give theirs (assert, hedge, plan: a deny claim
    -- supports nothing); an event no claim covers is its outlet's own report, or the relay
    -- named on the event or its document. dossier.claims.compare counts the same way.
    local origins, covered = {}, claims[e.id] ~= nil
    for _, c in ipairs(claims[e.id] or {}) do
      if c.stance ~= "deny" then
        local ca = decode(c.attrs)
        local o = type(ca.origin) == "string" and ca.origin or chain_end(c.via) or c.outlet or source
        origins[#origins + 1] = o
      end
    end
    if not covered then
      origins[1] = (type(attrs.origin) == "string" and attrs.origin) or chain_end(attrs.via)
        or (type(dattrs.origin) == "string" and dattrs.origin) or chain_end(dattrs.via) or source
    end
    m.origins = origins
    -- Undated: no date of its own (none, unreadable, or taken from the publication date).
    local lo, hi = range(e.date)
    local plo, phi = range(m.published)
    m.undated = lo == nil or attrs.date_from == "published"
      or (attrs.date_from == nil and m.published ~= nil and e.date == m.published)
    if lo == nil then
      lo, hi = plo, phi
    end
    m.lo, m.hi = lo, hi
    if m.qty then
      m.qlo, m.qhi = qty_interval(m.qty, m.qty_qualifier)
    elseif COUNTABLE[m.type] then
      m.qlo, m.qhi = 1, 1
    end
    out[#out + 1] = m
  end
  return out
end

-- ---------------------------------------------------------------------------
-- grouping

local function group_key(m)
  local a2 = not ONE_ACTOR[m.type] and m.actor2 or nil
  return m.type .. " " .. (m.actor1 or "?") .. (a2 and ("→" .. a2) or "")
end

local function qty_fits(inc, m, f)
  if m.qlo == nil or inc.qlo == nil then
    return true, 0
  end
  local lo, hi = m.qlo / f, m.qhi * f
  if hi < inc.qlo or lo > inc.qhi then
    return false
  end
  -- closeness, for choosing between candidates: 0 when the bare intervals overlap
  return true, (m.qhi < inc.qlo or m.qlo > inc.qhi) and 1 or 0
end

local function add_to(inc, m, anchor)
  inc.members[#inc.members + 1] = m
  if anchor then
    inc.lo = inc.lo and math.min(inc.lo, m.lo) or m.lo
    inc.hi = inc.hi and math.max(inc.hi, m.hi) or m.hi
  end
  if m.qlo then
    inc.qlo = inc.qlo and math.min(inc.qlo, m.qlo) or m.qlo
    inc.qhi = inc.qhi and math.max(inc.qhi, m.qhi) or m.qhi
  end
end

-- Pick the nearest incident that `m` fits; fits(inc) -> distance or nil.
local function nearest(list, fits)
  local best, bd
  for _, inc in ipairs(list) do
    local d = fits(inc)
    if d and (bd == nil or d < bd) then
      best, bd = inc, d
    end
  end
  return best
end

local function by_published(a, b)
  if (a.published or "") ~= (b.published or "") then
    return (a.published or "") < (b.published or "")
  end
  if a.doc_id ~= b.doc_id then
    return a.doc_id < b.doc_id
  end
  if (a.start or 0) ~= (b.start or 0) then
    return (a.start or 0) < (b.start or 0)
  end
  return a.event_id < b.event_id
end

local function evidence(m)
  return {
    event_id = m.event_id, doc_id = m.doc_id, source = m.source, published = m.published,
    modality = m.modality, negated = m.negated, qty = m.qty, qty_qualifier = m.qty_qualifier,
    date = m.date, start = m.start, stop = m.stop, sent_start = m.sent_start,
    sent_stop = m.sent_stop, rule = m.rule, item = m.item, origins = m.origins,
  }
end

-- The members of a working group that are not denials, and the denials, in publication order.
local function split_members(inc)
  local events, denials = {}, {}
  for _, m in ipairs(inc.members) do
    if m.modality == "denied" then
      denials[#denials + 1] = m
    else
      events[#events + 1] = m
    end
  end
  table.sort(events, by_published)
  table.sort(denials, by_published)
  return events, denials
end

-- The strongest modality among the mentions that are not denials ("denied" when none).
local function strongest(events)
  local modality, rank = "denied", -1
  for _, m in ipairs(events) do
    local r = M.MODALITY_RANK[m.modality] or M.MODALITY_RANK.asserted
    if r > rank then
      modality, rank = M.MODALITY_RANK[m.modality] and m.modality or "asserted", r
    end
  end
  return modality
end

-- The dates of the members that `pick` selects: the date most of them give; a tie between
-- dates that agree is their common part (24 March beats "March"), else the span of the tied
-- dates. Returns that range and the span of all the selected dates, or nil when none is.
local function common_dates(members, pick)
  local count, order, hlo, hhi = {}, {}, nil, nil
  for _, m in ipairs(members) do
    if pick(m) then
      local k = m.lo .. ":" .. m.hi
      if not count[k] then
        count[k] = 0
        order[#order + 1] = m
      end
      count[k] = count[k] + 1
      hlo, hhi = hlo and math.min(hlo, m.lo) or m.lo, hhi and math.max(hhi, m.hi) or m.hi
    end
  end
  if not hlo then
    return nil
  end
  local top = 0
  for _, n in pairs(count) do
    top = math.max(top, n)
  end
  local ilo, ihi, ulo, uhi
  for _, m in ipairs(order) do
    if count[m.lo .. ":" .. m.hi] == top then
      ilo, ihi = ilo and math.max(ilo, m.lo) or m.lo, ihi and math.min(ihi, m.hi) or m.hi
      ulo, uhi = ulo and math.min(ulo, m.lo) or m.lo, uhi and math.max(uhi, m.hi) or m.hi
    end
  end
  if ilo <= ihi then
    return ilo, ihi, hlo, hhi
  end
  return ulo, uhi, hlo, hhi
end

local function dated_report(m)
  return not m.undated and m.modality ~= "denied"
end

local function not_denial(m)
  return m.modality ~= "denied"
end

local function any_mention()
  return true
end

-- An incident's dates: those of its dated reports; with none, the undated ones' publication
-- dates; with none, the denials'.
local function incident_dates(members)
  local lo, hi, slo, shi = common_dates(members, dated_report)
  if not lo then
    lo, hi, slo, shi = common_dates(members, not_denial)
  end
  if not lo then
    lo, hi, slo, shi = common_dates(members, any_mention)
  end
  return lo, hi, slo, shi
end

-- Quantities as stated (least, most), the conflicts between them, the item most often named.
local function quantities(events)
  local qmin, qmax, conflicts, quantified = nil, nil, {}, {}
  local items, item, best = {}, nil, 0
  for _, m in ipairs(events) do
    if m.qty then
      qmin = qmin and math.min(qmin, m.qty) or m.qty
      qmax = qmax and math.max(qmax, m.qty) or m.qty
      for _, o in ipairs(quantified) do
        if m.qhi < o.qlo or m.qlo > o.qhi then
          conflicts[#conflicts + 1] = { kind = "quantity", a = o.event_id, b = m.event_id,
            note = qty_text(o.qty, o.qty_qualifier) .. " vs " .. qty_text(m.qty, m.qty_qualifier) }
        end
      end
      quantified[#quantified + 1] = m
    end
    if m.item then
      items[m.item] = (items[m.item] or 0) + 1
      if items[m.item] > best then
        item, best = m.item, items[m.item]
      end
    end
  end
  return qmin, qmax, conflicts, item
end

-- The outlets of all mentions, and the independent origins of the non-denials (a relay
-- counts once, with its origin), each sorted.
local function outlets_and_origins(members, events)
  local sources, seen, origin_names, oseen = {}, {}, {}, {}
  for _, m in ipairs(members) do
    if not seen[m.source] then
      seen[m.source] = true
      sources[#sources + 1] = m.source
    end
  end
  for _, m in ipairs(events) do
    for _, o in ipairs(m.origins) do
      if not oseen[o] then
        oseen[o] = true
        origin_names[#origin_names + 1] = o
      end
    end
  end
  table.sort(sources)
  table.sort(origin_names)
  return sources, origin_names
end

-- Turn a working group into the public incident row.
local function finish(inc)
  local events, denials = split_members(inc)
  local first = inc.members[1]
  local modality = strongest(events)
  local lo, hi, slo, shi = incident_dates(inc.members)
  local qmin, qmax, conflicts, item = quantities(events)
  local sources, origin_names = outlets_and_origins(inc.members, events)
  local standing = modality
  if modality == "asserted" or modality == "historic" then
    standing = #denials > 0 and "disputed" or modality
  end
  local ev, dn = {}, {}
  for i, m in ipairs(events) do
    ev[i] = evidence(m)
  end
  for i, m in ipairs(denials) do
    dn[i] = evidence(m)
  end
  return {
    key = inc.key, type = first.type, actor1 = first.actor1,
    actor2 = not ONE_ACTOR[first.type] and first.actor2 or nil,
    date_from = iso(lo), date_to = iso(hi), date = compact(lo, hi) or iso(lo),
    span_from = iso(slo), span_to = iso(shi),
    qty_min = qmin, qty_max = qmax, item = item,
    modality = modality, standing = standing,
    mentions = #inc.members, origins = #origin_names, origin_names = origin_names,
    sources = sources, events = ev, denials = dn, conflicts = conflicts,
  }
end

-- The mentions that may report an incident, by group key (keys in the order first seen).
local function by_group_key(mentions)
  local by_key, keys = {}, {}
  for _, m in ipairs(mentions) do
    -- a negated plain assertion ("has not carried out a test") reports no incident;
    -- a negated denial ("never supplied arms") is a denial of one
    if not (m.negated and m.modality ~= "denied") and m.lo then
      local k = group_key(m)
      if not by_key[k] then
        by_key[k] = {}
        keys[#keys + 1] = k
      end
      table.insert(by_key[k], m)
    end
  end
  return by_key, keys
end

-- Dated reports earliest first (of two that start together, the longer first).
local function earliest_first(a, b)
  if a.lo ~= b.lo then
    return a.lo < b.lo
  end
  if a.hi ~= b.hi then
    return a.hi > b.hi
  end
  return by_published(a, b)
end

-- A group's dated reports (earliest first), undated reports and denials (in publication order).
local function by_kind(list)
  local anchors, undated, denials = {}, {}, {}
  for _, m in ipairs(list) do
    if m.modality == "denied" then
      denials[#denials + 1] = m
    elseif m.undated then
      undated[#undated + 1] = m
    else
      anchors[#anchors + 1] = m
    end
  end
  table.sort(anchors, earliest_first)
  table.sort(undated, by_published)
  table.sort(denials, by_published)
  return anchors, undated, denials
end

-- Add mention m to the nearest incident that `fits` (incident -> distance or nil) accepts, or
-- to a new one. A dated mention extends its incident's dates; an undated one only those of an
-- incident with no dated report, which takes its dates from the undated ones (and, reported
-- only by denials, from those).
local function join(incs, key, m, dated, fits)
  local inc = nearest(incs, fits)
  if not inc then
    inc = { key = key, members = {}, undated_only = not dated or nil }
    incs[#incs + 1] = inc
  end
  add_to(inc, m, dated or inc.undated_only)
end

-- The incidents of one group key (its mentions in `list`).
local function key_incidents(key, list, opts)
  local window, lookback, f = opts.window, opts.lookback, opts.qty_factor
  local anchors, undated, denials = by_kind(list)
  local incs = {}
  -- 1. dated reports, earliest first: join the nearest incident within the window
  for _, m in ipairs(anchors) do
    join(incs, key, m, true, function(i)
      local d = gap(m.lo, m.hi, i.lo, i.hi)
      local fits, far = qty_fits(i, m, f)
      return d <= window and fits and d + far * 0.5 or nil
    end)
  end
  -- 2. undated reports, then denials, in publication order: join the nearest incident that
  -- began no later than `window` days after and ended at most `lookback` days before
  for _, kind in ipairs { undated, denials } do
    for _, m in ipairs(kind) do
      join(incs, key, m, false, function(i)
        if not i.lo or i.lo > m.hi + window or m.lo - i.hi > lookback then
          return nil
        end
        local fits, far = qty_fits(i, m, f)
        return fits and gap(m.lo, m.hi, i.lo, i.hi) + far * 0.5 or nil
      end)
    end
  end
  return incs
end

local function by_dates_and_key(a, b)
  if a.date_from ~= b.date_from then
    return a.date_from < b.date_from
  end
  if a.date_to ~= b.date_to then
    return a.date_to < b.date_to
  end
  return a.key < b.key
end

-- The incidents of the mentions, sorted by date, with ids 1..n in that order.
local function group(mentions, opts)
  local by_key, keys = by_group_key(mentions)
  local all = {}
  for _, k in ipairs(keys) do
    for _, inc in ipairs(key_incidents(k, by_key[k], opts)) do
      all[#all + 1] = finish(inc)
    end
  end
  table.sort(all, by_dates_and_key)
  for i, inc in ipairs(all) do
    inc.id = i
  end
  return all
end

local function store_incidents(db, list)
  db:transaction(function()
    db:exec "DELETE FROM incident_events"
    db:exec "DELETE FROM incidents"
    for _, inc in ipairs(list) do
      db:exec([[INSERT INTO incidents(id, key, type, actor1, actor2, date_from, date_to, qty_min,
          qty_max, modality, mentions, origins, attrs)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)]], inc.id, inc.key, inc.type, inc.actor1,
        inc.actor2, inc.date_from, inc.date_to, inc.qty_min, inc.qty_max, inc.modality,
        inc.mentions, inc.origins, {
          date = inc.date, item = inc.item, standing = inc.standing, sources = inc.sources,
          origin_names = inc.origin_names, denials = #inc.denials, conflicts = inc.conflicts,
        })
      for _, group_ in ipairs { inc.events, inc.denials } do
        for _, e in ipairs(group_) do
          db:exec("INSERT INTO incident_events(incident_id, event_id) VALUES (?, ?)", inc.id, e.event_id)
        end
      end
    end
  end)
end

--- Group the event mentions in a store into incidents, store the grouping and return it.
-- Mentions are one incident when they have the same type and actors (exact codes; a missing
-- actor matches only a missing one; launches and tests ignore actor2), compatible dates and
-- compatible quantities. A dated mention joins the nearest incident whose dates are within
-- `window` days of its own (a month or year is all its days); an undated mention (no date, or
-- the publication date: `attrs.date_from = "published"`) and a denial join the nearest
-- incident that began at most `window` days after and ended at most `lookback` days before
-- it. Quantities fit when they are within `qty_factor` of each other (qualifiers widen them:
-- "more than 30" is 30 and up); a launch without a number is one launch. A negated mention
-- that is not a denial belongs to no incident. The grouping replaces the stored one (tables
-- `incidents`, `incident_events`) unless `opts.store` is false or the store is read-only;
-- nothing else in this module writes (`violations` and `count` group without storing).
-- @param db an open store (`dossier.store.open`)
-- @param opts table, optional: `window` (days, default 30), `lookback` (days, default 92),
--   `qty_factor` (default 2), `store` (default true)
-- @return array of incidents `{id=, key=, type=, actor1=, actor2=, date=, date_from=, date_to=,
--   qty_min=, qty_max=, item=, modality=, standing=, mentions=, origins=, origin_names=,
--   sources=, events=, denials=, conflicts=}` sorted by date (ids 1..n in that order)
function M.incidents(db, opts)
  check_db(db, "incidents")
  opts = check_opts(opts, "incidents")
  local list = group(load_mentions(db), grouping_opts(opts))
  if opts.store ~= false and not db:readonly() then
    store_incidents(db, list)
  end
  return list
end

-- ---------------------------------------------------------------------------
-- violations

local function modality_set(opts)
  local set = {}
  if opts.modality ~= nil then
    local list = type(opts.modality) == "table" and opts.modality or { opts.modality }
    for _, v in ipairs(list) do
      if type(v) ~= "string" or not M.MODALITY_RANK[v] then
        error("dossier.sanctions: violations: unknown modality " .. tostring(v), 3)
      end
      set[v] = true
    end
  else
    set.asserted, set.historic = true, true
    if opts.hedged or opts.planned then
      set.hedged = true
    end
    if opts.planned then
      set.planned = true
    end
  end
  set.denied = nil -- a denial is never a violation
  return set
end

local function actors_text(a1, a2)
  return (a1 or "?") .. (a2 and ("→" .. a2) or "")
end

local function label(row)
  local cite = row.citation
  local s
  if row.modality == "planned" then
    s = "planned breach of " .. cite
  elseif row.modality == "hedged" or row.contested or row.standing == "disputed" then
    s = "alleged violation of " .. cite
  elseif row.possible then
    s = "possible violation of " .. cite
  else
    s = "violation of " .. cite
  end
  if row.contested then
    s = s .. " (contested)"
  end
  return s
end

-- The documents of an incident's mentions, in order, each once.
local function documents_of(inc)
  local docs, dseen = {}, {}
  for _, e in ipairs(inc.events) do
    if not dseen[e.doc_id] then
      dseen[e.doc_id] = true
      docs[#docs + 1] = e.doc_id
    end
  end
  return docs
end

-- The obligations an incident breaches: reaffirmations grouped (`kb.group`), or with
-- `opts.group = false` one group per measure.
local function obligations(inc, opts)
  -- kb items are folded ASCII fragments: fold the item (case, diacritics, Cyrillic)
  local ev = { type = inc.type, actor1 = inc.actor1, actor2 = inc.actor2, date = inc.date,
    item = inc.item and text.fold(inc.item) or nil }
  local measures = kb.measures_for(ev, { un = opts.un ~= false })
  if opts.group ~= false then
    return kb.group(measures)
  end
  local groups = {}
  for i, m in ipairs(measures) do
    groups[i] = { obligation = m.obligation, primary = m, supporting = {} }
  end
  return groups
end

-- The row of one incident and one obligation (group `g` of `kb.group`).
local function violation_row(inc, g, docs)
  local m = g.primary
  local supporting, contested, ids = {}, m.contested == true, { m.id }
  for _, s in ipairs(g.supporting) do
    supporting[#supporting + 1] = { measure = s.id, citation = kb.cite(s),
      resolution = s.resolution, paragraph = s.paragraph,
      paragraph_status = s.paragraph_status }
    contested = contested or s.contested == true
    ids[#ids + 1] = s.id
  end
  local row = {
    incident = inc.id, event = inc.events[1].event_id, regime = m.regime, body = m.body,
    un = m.un, resolution = m.resolution, paragraph = m.paragraph,
    paragraph_status = m.paragraph_status, paragraph_note = m.paragraph_note,
    measure = m.id, measures = ids, obligation = g.obligation, citation = kb.cite(m),
    activity = m.activities and m.activities[1], binding = m.binding,
    possible = m.binding == "cap" or nil,
    type = inc.type, actors = actors_text(inc.actor1, inc.actor2), actor1 = inc.actor1,
    actor2 = inc.actor2, date = inc.date, date_from = inc.date_from, date_to = inc.date_to,
    modality = inc.modality, standing = inc.standing, contested = contested,
    alleged = contested or inc.modality ~= "asserted" and inc.modality ~= "historic"
      or inc.standing == "disputed",
    mentions = inc.mentions, origins = inc.origins, origin_names = inc.origin_names,
    documents = docs, sources = inc.sources, evidence = inc.events, denials = inc.denials,
    supporting = supporting, qty_min = inc.qty_min, qty_max = inc.qty_max, item = inc.item,
  }
  row.label = label(row)
  return row
end

-- opts.from and opts.to as day numbers (nil when not given).
local function date_bounds(opts)
  local from, to
  if opts.from ~= nil then
    from = range(opts.from)
    if not from then
      error("dossier.sanctions: violations: opts.from is not an ISO date: " .. tostring(opts.from), 3)
    end
  end
  if opts.to ~= nil then
    local _
    _, to = range(opts.to)
    if not to then
      error("dossier.sanctions: violations: opts.to is not an ISO date: " .. tostring(opts.to), 3)
    end
  end
  return from, to
end

local function by_date_and_measure(a, b)
  if a.date_from ~= b.date_from then
    return a.date_from < b.date_from
  end
  if a.resolution ~= b.resolution then
    return a.resolution < b.resolution
  end
  if (a.paragraph or "") ~= (b.paragraph or "") then
    return (a.paragraph or "") < (b.paragraph or "")
  end
  if a.incident ~= b.incident then
    return a.incident < b.incident
  end
  return a.measure < b.measure
end

--- Violations: one row per incident per UN obligation in force on the incident's date.
-- Measures come from `dossier.kb.measures_for` (type, actors, item, date); reaffirmations of
-- one obligation are one row (`kb.group`) citing its verified measure first, the others in
-- `supporting`. An incident counts when its modality (the strongest of its mentions) is
-- asserted or historic; `opts.hedged` adds incidents only hedged, `opts.planned` those only
-- planned or hedged (the answer key's "planned" standing), `opts.modality` (a list) replaces
-- the set. Denials are never violations: they ride along in `denials` and make the
-- standing "disputed". Non-UN measures never count; `opts.un = false` lists them instead.
-- `opts.group = false` gives one row per measure instead of per obligation (reaffirmations
-- then count again, each with an empty `supporting`). Only reads the store: without
-- `opts.incidents` it groups the mentions as `incidents` does, without storing the grouping,
-- so it works on a store opened read-only.
-- @param db an open store
-- @param opts table, optional: `from`, `to` (ISO dates, full or partial: incidents whose dates
--   overlap), `modality`, `hedged`, `planned`, `un`, `group`, `incidents` (rows from `incidents`, to
--   skip regrouping), and the grouping options of `incidents`
-- @return array of rows (doc/sanctions.md) sorted by date, then resolution
function M.violations(db, opts)
  check_db(db, "violations")
  opts = check_opts(opts, "violations")
  local allowed = modality_set(opts)
  local from, to = date_bounds(opts)
  -- grouped here without storing: a query never writes
  local incs = opts.incidents or group(load_mentions(db), grouping_opts(opts))
  local rows = {}
  for _, inc in ipairs(incs) do
    local lo, hi = range(inc.date_from), range(inc.date_to)
    local in_dates = (not from or hi >= from) and (not to or lo <= to)
    -- types outside the event vocabulary match no measure (kb.measures_for would raise)
    if allowed[inc.modality] and in_dates and is_event_type[inc.type] and #inc.events > 0 then
      local docs = documents_of(inc)
      for _, g in ipairs(obligations(inc, opts)) do
        rows[#rows + 1] = violation_row(inc, g, docs)
      end
    end
  end
  table.sort(rows, by_date_and_measure)
  return rows
end

-- ---------------------------------------------------------------------------
-- counts

local DERIVED = {
  year = function(r)
    return type(r.date) == "string" and r.date:sub(1, 4) or nil
  end,
  month = function(r)
    return type(r.date) == "string" and #r.date >= 7 and r.date:sub(1, 7) or nil
  end,
}

--- Count violation rows grouped by fields.
-- @param db an open store
-- @param opts table: `by` (array of row field names, e.g. `{"resolution", "type"}`; also
--   `year` and `month`, taken from the date; default `{"resolution"}`), `rows` (rows to count
--   instead of calling `violations`), and the options of `violations`
-- @return array of `{<by fields>..., count=, mentions=, origins=}` sorted by count (desc),
--   then by the field values
function M.count(db, opts)
  opts = check_opts(opts, "count")
  local by = opts.by or { "resolution" }
  if type(by) == "string" then
    by = { by }
  end
  if type(by) ~= "table" or #by == 0 then
    error("dossier.sanctions: count: opts.by must be a list of field names", 2)
  end
  for _, f in ipairs(by) do
    if type(f) ~= "string" then
      error("dossier.sanctions: count: opts.by must be a list of field names", 2)
    end
  end
  local rows = opts.rows
  if rows == nil then
    check_db(db, "count")
    rows = M.violations(db, opts)
  end
  local groups, order = {}, {}
  for _, r in ipairs(rows) do
    local vals, parts = {}, {}
    for i, f in ipairs(by) do
      local v = DERIVED[f] and r[f] == nil and DERIVED[f](r) or r[f]
      vals[i] = v
      parts[i] = v == nil and "\1" or tostring(v)
    end
    local k = table.concat(parts, "\0")
    local g = groups[k]
    if not g then
      g = { count = 0, mentions = 0, origins = 0, _vals = parts }
      for i, f in ipairs(by) do
        g[f] = vals[i]
      end
      groups[k] = g
      order[#order + 1] = g
    end
    g.count = g.count + 1
    g.mentions = g.mentions + (tonumber(r.mentions) or 0)
    g.origins = g.origins + (tonumber(r.origins) or 0)
  end
  table.sort(order, function(a, b)
    if a.count ~= b.count then
      return a.count > b.count
    end
    for i = 1, #by do
      if a._vals[i] ~= b._vals[i] then
        return a._vals[i] < b._vals[i]
      end
    end
    return false
  end)
  for _, g in ipairs(order) do
    g._vals = nil
  end
  return order
end

return M
