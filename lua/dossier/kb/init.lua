--- dossier.kb: sanctions measures as data, with a validator and a pure lookup.
-- The measures live in `un_dprk.lua`, `un_iran.lua` and `non_un.lua` (one table per measure),
-- context facts (vetoes, the Panel of Experts) in `context.lua`, the activity-key → event-type
-- map in `activities.lua`. Loading this module validates every measure and raises on the first
-- malformed one, so a bad edit to the data fails at `require` time, naming the measure.
-- Everything here is pure Lua: no store, no C core.
local calendar = require "dossier.calendar"
local vocab = require "dossier.vocab"

local kb = {}

--- The event types the rules code and the measures name (`dossier.vocab.EVENT_TYPES`).
kb.EVENT_TYPES = vocab.EVENT_TYPES

--- Values of `paragraph_status`, keyed by the fact sheet's status letter.
kb.STATUS = { V = "verified", C = "content only", U = "unverified" }

--- Values of `binding`. Those in `kb.VIOLABLE` can be breached by an event; the others
-- (calls, commitments, procedures, definitions, exemptions) are data only.
kb.BINDING = {
  prohibition = true, demand = true, cap = true, approval_required = true,
  call = true, commitment = true, procedure = true, definition = true, exemption = true,
}
kb.VIOLABLE = { prohibition = true, demand = true, cap = true, approval_required = true }

--- Bodies that issue measures; only the first is a UN body.
kb.BODIES = { ["UN Security Council"] = true, EU = true, ["United States"] = true }

local is_event_type = vocab.is_event_type

local is_status = {}
for _, v in pairs(kb.STATUS) do
  is_status[v] = true
end

--- Parse an ISO date, full or partial ("2022", "2022-08", "2022-08-20").
-- @param s string
-- @return first and last full ISO day of the range, or nil, message
function kb.date_range(s)
  local first, last = calendar.span(s)
  if not first then
    return nil, last
  end
  return calendar.iso(first), calendar.iso(last)
end

local function is_iso_day(s)
  local a, b = kb.date_range(s)
  return a ~= nil and a == b
end

local function is_actor(s)
  return type(s) == "string" and (s:match "^%u%u%u$" ~= nil or s == "EU")
end

local function check_list(t, what)
  if type(t) ~= "table" then
    return nil, what .. " must be a list"
  end
  for i, v in ipairs(t) do
    if type(v) ~= "string" or v == "" then
      return nil, string.format("%s[%d] must be a non-empty string", what, i)
    end
  end
  return true
end

-- The measure's identity, texts, body and paragraph citation.
local function check_citation(m)
  if type(m.id) ~= "string" or not m.id:match "^[a-z][a-z0-9_]*$" then
    return nil, "id must be a lower-case identifier"
  end
  for _, k in ipairs { "regime", "resolution", "summary", "obligation" } do
    if type(m[k]) ~= "string" or m[k] == "" then
      return nil, k .. " must be a non-empty string"
    end
  end
  if not kb.BODIES[m.body] then
    return nil, "unknown body " .. tostring(m.body)
  end
  if m.un ~= (m.body == "UN Security Council") then
    return nil, "un must be true exactly for UN Security Council measures"
  end
  if not is_status[m.paragraph_status] then
    return nil, "paragraph_status must be verified, content only or unverified"
  end
  if m.paragraph ~= nil then
    if type(m.paragraph) ~= "string" or m.paragraph == "" then
      return nil, "paragraph must be a non-empty string or nil"
    end
    if m.paragraph_status ~= "verified" then
      return nil, "paragraph cited without verified status"
    end
  elseif m.un then
    if m.paragraph_status == "verified" then
      return nil, "verified measure without a paragraph"
    end
    local note = m.paragraph_note
    if type(note) ~= "string" or not note:match "^paragraph unconfirmed %(fact sheet: .+%)$" then
      return nil, "paragraph_note must read \"paragraph unconfirmed (fact sheet: ...)\""
    end
  end
  return true
end

-- The activity keys: a non-empty list of known keys.
local function check_activities(m, activities)
  local ok, err = check_list(m.activities, "activities")
  if not ok then
    return nil, err
  end
  if #m.activities == 0 then
    return nil, "activities must not be empty"
  end
  if activities then
    for _, a in ipairs(m.activities) do
      if activities[a] == nil then
        return nil, "unknown activity key " .. a
      end
    end
  end
  return true
end

-- One applies_to entry (`where` names it): event type, actors, items, and one of the shapes
-- its measure's activity keys allow.
local function check_entry(m, e, where, activities)
  if not is_event_type[e.type] then
    return nil, where .. ": unknown event type " .. tostring(e.type)
  end
  if e.actor1 == nil and e.actor2 == nil then
    return nil, where .. ": needs an actor1 or actor2 constraint"
  end
  if (e.actor1 ~= nil and not is_actor(e.actor1)) or (e.actor2 ~= nil and not is_actor(e.actor2)) then
    return nil, where .. ": actors must be alpha-3 codes"
  end
  if e.items ~= nil then
    local ok, err = check_list(e.items, where .. ".items")
    if not ok then
      return nil, err
    end
    for _, it in ipairs(e.items) do
      if it ~= it:lower() or it:find "[\128-\255]" then
        return nil, where .. ".items must be lower-case ASCII"
      end
    end
  end
  if activities then
    local allowed = false
    for _, a in ipairs(m.activities) do
      for _, shape in ipairs(activities[a] or {}) do
        if shape.type == e.type and shape.actor1 == e.actor1 and shape.actor2 == e.actor2 then
          allowed = true
        end
      end
    end
    if not allowed then
      return nil, where .. ": " .. e.type .. " is not an event shape of its activity keys"
    end
  end
  return true
end

-- Binding, the dates in force and of adoption, source and notes.
local function check_dates(m)
  if not kb.BINDING[m.binding] then
    return nil, "unknown binding " .. tostring(m.binding)
  end
  if m.un and not is_iso_day(m.in_force_from) then
    return nil, "UN measure needs in_force_from as an ISO day"
  end
  for _, k in ipairs { "in_force_from", "in_force_until", "adopted", "deadline" } do
    if m[k] ~= nil and not is_iso_day(m[k]) then
      return nil, k .. " must be an ISO day (YYYY-MM-DD)"
    end
  end
  if m.in_force_from and m.in_force_until and m.in_force_until < m.in_force_from then
    return nil, "in_force_until before in_force_from"
  end
  if m.adopted and m.in_force_from and m.in_force_from < m.adopted then
    return nil, "in force before adoption"
  end
  if m.adopted and tonumber(m.adopted:sub(1, 4)) ~= m.year then
    return nil, "adopted does not match year"
  end
  if type(m.source) ~= "table" or type(m.source.section) ~= "string" then
    return nil, "source must name the fact sheet section"
  end
  if m.notes ~= nil and type(m.notes) ~= "string" then
    return nil, "notes must be a string"
  end
  return true
end

local function validate(m, activities)
  if type(m) ~= "table" then
    return nil, "measure must be a table"
  end
  local ok, err = check_citation(m)
  if ok then
    ok, err = check_activities(m, activities)
  end
  if not ok then
    return nil, err
  end
  if type(m.applies_to) ~= "table" then
    return nil, "applies_to must be a list"
  end
  for i, e in ipairs(m.applies_to) do
    ok, err = check_entry(m, e, string.format("applies_to[%d]", i), activities)
    if not ok then
      return nil, err
    end
  end
  return check_dates(m)
end

--- Check one measure's shape.
-- @param m table: a measure
-- @return true, or nil and a message naming the problem
function kb.validate(m)
  local ok, err = validate(m, kb.activities)
  if not ok then
    return nil, string.format("dossier.kb: measure %s: %s", type(m) == "table" and tostring(m.id) or "?", err)
  end
  return true
end

--- Check a list of measures (shapes and unique ids).
-- @param list array of measures
-- @return true, or nil and a message
function kb.validate_all(list)
  local seen = {}
  for _, m in ipairs(list) do
    local ok, err = kb.validate(m)
    if not ok then
      return nil, err
    end
    if seen[m.id] then
      return nil, "dossier.kb: duplicate measure id " .. m.id
    end
    seen[m.id] = true
  end
  return true
end

kb.activities = require "dossier.kb.activities"
kb.context = require "dossier.kb.context"

--- All measures, in file order: UN DPRK, UN Iran, non-UN.
kb.measures = {}
kb.by_id = {}
for _, name in ipairs { "dossier.kb.un_dprk", "dossier.kb.un_iran", "dossier.kb.non_un" } do
  for _, m in ipairs(require(name)) do
    kb.measures[#kb.measures + 1] = m
  end
end
do
  local ok, err = kb.validate_all(kb.measures)
  if not ok then
    error(err, 0)
  end
  for _, m in ipairs(kb.measures) do
    kb.by_id[m.id] = m
  end
end

--- The measure with this id, or nil.
-- @param id string
-- @return measure table or nil
function kb.get(id)
  return kb.by_id[id]
end

local function item_matches(items, item)
  if items == nil then
    return true
  end
  if type(item) ~= "string" then
    return false
  end
  item = item:lower()
  for _, frag in ipairs(items) do
    if item:find(frag, 1, true) then
      return true
    end
  end
  return false
end

local function entry_matches(e, ev)
  return e.type == ev.type
    and (e.actor1 == nil or e.actor1 == ev.actor1)
    and (e.actor2 == nil or e.actor2 == ev.actor2)
    and item_matches(e.items, ev.item)
end

--- Measures in force for an event.
-- A measure applies when one of its `applies_to` entries matches the event's type and actors
-- (and item, where the entry lists item fragments; `event.item` should be folded text) and
-- its in-force interval overlaps the event's date. A partial date ("2022-08") is the whole
-- month: the measure is returned if it was in force on any day of it.
-- @param event table `{type=, actor1=, actor2=, date=, item=}`; `type` and `date` required
-- @param opts table, optional: `all` (also non-binding calls, commitments, procedures),
--   `un` (true: UN measures only; false: non-UN only), `measures` (list to search instead
--   of `kb.measures`)
-- @return array of measures, in data order (possibly empty)
function kb.measures_for(event, opts)
  if type(event) ~= "table" then
    error("dossier.kb: measures_for expects an event table", 2)
  end
  if not is_event_type[event.type] then
    error("dossier.kb: unknown event type " .. tostring(event.type), 2)
  end
  local first, last = kb.date_range(event.date)
  if not first then
    error("dossier.kb: event.date: " .. tostring(last), 2)
  end
  opts = opts or {}
  local out = {}
  for _, m in ipairs(opts.measures or kb.measures) do
    local in_force = (m.in_force_from == nil or m.in_force_from <= last)
      and (m.in_force_until == nil or m.in_force_until >= first)
    local wanted = (opts.all or kb.VIOLABLE[m.binding]) and (opts.un == nil or opts.un == m.un)
    if in_force and wanted then
      for _, e in ipairs(m.applies_to) do
        if entry_matches(e, event) then
          out[#out + 1] = m
          break
        end
      end
    end
  end
  return out
end

--- Group measures by obligation: reaffirmations count once (fact sheet §6 counting rule).
-- @param list array of measures (e.g. from `measures_for`)
-- @return array of `{obligation=, primary=, supporting={...}}`, in order of first appearance;
--   `primary` is the first verified measure of the group, else its first measure
function kb.group(list)
  local groups, index = {}, {}
  for _, m in ipairs(list) do
    local g = index[m.obligation]
    if not g then
      g = { obligation = m.obligation, members = {} }
      index[m.obligation] = g
      groups[#groups + 1] = g
    end
    g.members[#g.members + 1] = m
  end
  for _, g in ipairs(groups) do
    for _, m in ipairs(g.members) do
      if m.paragraph_status == "verified" then
        g.primary = m
        break
      end
    end
    g.primary = g.primary or g.members[1]
    g.supporting = {}
    for _, m in ipairs(g.members) do
      if m ~= g.primary then
        g.supporting[#g.supporting + 1] = m
      end
    end
    g.members = nil
  end
  return groups
end

--- A short citation for output: "1718 OP8(b)" or "1874 (paragraph unconfirmed)".
-- @param m measure
-- @return string
function kb.cite(m)
  if m.paragraph then
    return m.resolution .. " " .. m.paragraph
  end
  if m.un then
    return m.resolution .. " (paragraph unconfirmed)"
  end
  return m.resolution
end

return kb
