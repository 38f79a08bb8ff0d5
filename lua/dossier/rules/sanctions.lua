--- The shipped sanctions rule set: `require "dossier.rules.sanctions"` returns a ready
-- `dossier.rules` rule set (also loadable as a rule file with `dossier.rules.load`). It codes
-- the activities the UN measures prohibit, in English and Serbian/Croatian/Bosnian (Latin and
-- Cyrillic through folding), with DESIGN §3.6's event types and actor codes. Lexicon and term
-- lists are data: `dossier.lexicon.actors`, `dossier.lexicon.terms`. See doc/sanctions_rules.md.
local rules = require "dossier.rules"
local lexicon = require "dossier.lexicon"
local actors = require "dossier.lexicon.actors"
local terms = require "dossier.lexicon.terms"

local rs = rules.new { lang = { "en", "sr", "hr", "bs" }, name = "sanctions" }

-- Four lexicons over the same entries: `state` (states only: suppliers, launchers, vetoers),
-- `body` (UNO, EU), `party` (both: imposers, targets, meeting sides) and `solid` (every entry
-- but the upper-case abbreviations, so that "sad" and "us" in a gap do not stop a match: see
-- NH below). A phrase in several sets is one hit that fills a slot of any of them.
local function register(r)
  local state, body, party, solid = lexicon.new(), lexicon.new(), lexicon.new(), lexicon.new()
  for _, e in ipairs(actors) do
    local phrase, code, attrs = e[1], e[2], e[3]
    local set = attrs and attrs.kind == "body" and body or state
    set:add(phrase, code, attrs)
    party:add(phrase, code, attrs)
    if not (attrs and attrs.upper) then solid:add(phrase, code, attrs) end
  end
  r:lexicon("state", state):lexicon("body", body):lexicon("party", party):lexicon("solid", solid)
  local names = {}
  for name in pairs(terms) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do r:terms(name, terms[name]) end
  return r
end
register(rs)

-- In the engine's token text a hit is a marker "\x01 <code pairs of its sets> \x02". The
-- code pair of the `solid` set is read from a probe rule set registered in the same order.
local probe = register(rules.new { lang = "en" })
probe:rule { name = "probe", pattern = "{solid}" }
local SOLID = probe:pattern("probe"):match(
  "^%(\\x01%(%?:%[\\x03%-\\x1f%]{2}%)%*%?(.-)%[\\x03%-\\x1f%]%*%+\\x02%)")
assert(SOLID and SOLID:match("^[\\x%x]+$"), "dossier.rules.sanctions: cannot read the actor marker code")

-- A gap of at most 8 words with no actor in it: between a subject and its verb, so that "the
-- UN ... whether Iran supplied" takes Iran, not the UN, as the supplier.
local NH = "/(?:(?!\\x01(?:[\\x03-\\x1f]{2})*?" .. SOLID .. ")(?:\\x01[^\\x02]*+\\x02|[a-z0-9\\x80-\\xff]++)"
  .. "[^a-z0-9\\x80-\\xff\\x01]*+){0,8}?/"

-- Optional function words (raw regexes, so that they are no term hits: a hit would hide
-- "od" from the quantity recogniser in "više od 30").
local function opt(words) return "/(?:(?:" .. words .. ")(?![a-z0-9\\x80-\\xff]))?/" end
local TO, OF, WITH = opt("to|into|u|na"), opt("of"), opt("with|sa|s")
local AGAINST = opt("on|against|for|protiv|na|za")

-- A gap of at most n words written as a raw regex: the engine compiles a gap that follows an
-- optional slot into that slot's optional group (so it vanishes when the slot is absent);
-- after `{date?}` we use this one instead.
local function GAP(n)
  return "/(?:(?:\\x01[^\\x02]*+\\x02|[a-z0-9\\x80-\\xff]++)[^a-z0-9\\x80-\\xff\\x01]*+){0," .. n .. "}?/"
end

-- Serbian/Croatian clitics between a verb and its date ("ispalila je u nedelju").
local CL = opt("je|su|ju|ce")

-- Lower-case text in a span: ASCII a-z or Serbian Cyrillic а-я, ђ-џ.
local function has_lower(s)
  return s:find("%l") ~= nil or s:find("\xd0[\xb0-\xbf]") ~= nil or s:find("\xd1[\x80-\x9f]") ~= nil
end

-- The event of a match: actor1/actor2 from the named roles; nil (no event) when a role was
-- matched by an upper-case-only abbreviation written in lower case ("sad", "us"), or when a
-- counterfactual auxiliary ("would have", "bi") stands before the verb.
local function event(m, a1, a2, extra)
  if m.cond then return nil end
  for slot, at in pairs(m.attrs) do
    if type(at) == "table" and at.upper and has_lower(m.text[slot]) then return nil end
  end
  local ev = { actor1 = a1 and m[a1] or nil, actor2 = a2 and m[a2] or nil, qty = m.qty }
  local attrs = {}
  if m.qty then attrs.qty_qualifier = m.qty_qualifier end
  if m.date or m.when then
    ev.date = m.date or m.when
    attrs.date_from, attrs.date_precision = "text", m.date and m.date_precision or m.when_precision
  else
    attrs.date_from = "published"
  end
  if extra then extra(m, ev, attrs) end
  if ev.actor1 ~= nil and ev.actor1 == ev.actor2 then return nil end
  ev.attrs = attrs
  return ev
end

local function add(name, type, pattern, fn)
  rs:rule { name = name, type = type, pattern = pattern, event = fn }
end

-- The item of a transfer is the term that named it.
local function item_of(set)
  return function(m, ev) ev.item = m[set] end
end

-- Meetings: two parties, actor1 the one that meets and actor2 the one named after the verb
-- ("Putin met Kim Jong Un", "Putin se sastao sa Kim Džong Unom"). ("meet" alone is too often
-- "meet a target": a state with no second party is not coded.)
add("meeting", "meeting", "{party:actor1} ..4 {cond?} {meet} " .. WITH .. " {party:actor2}",
  function(m) return event(m, "actor1", "actor2") end)


-- A body that meets or convenes on its own ("the Security Council met", "Vijeće sigurnosti
-- UN-a sastat će se"); not when a second party follows (the meeting rule codes that).
add("meeting_body", "meeting", "{body:actor1} ..2 {cond?} {meet} /(?![^a-z0-9\\x80-\\xff\\x01]*"
  .. "(?:(?:with|sa|s|so)(?![a-z0-9\\x80-\\xff])|\\x01(?:[\\x03-\\x1f]{2})*?" .. SOLID .. "))/",
  function(m) return event(m, "actor1", nil) end)

-- Transfers (supplier -> recipient) of an item set, in every order the two languages use.
local function transfers(prefix, type, set)
  local it = item_of(set)
  local function ev(m) return event(m, "supplier", "recipient", it) end
  local X = "{" .. set .. "}"
  -- Russia is buying millions of shells from North Korea / Rusija kupuje ... od Severne Koreje
  add(prefix .. "_buy", type, "{state:recipient} {date:when?} " .. NH
    .. " {buy} " .. NH .. " {qty?} ..2 " .. X
    .. " ..4 (from|od|iz) {state:supplier}", ev)
  -- Rusija kupuje od Severne Koreje milione raketa
  add(prefix .. "_buy_from", type, "{state:recipient} {date:when?} " .. NH
    .. " {buy} (from|od|iz) {state:supplier} .. {qty?} ..2 " .. X, ev)
  -- North Korea is selling rockets to Russia / isporučivala oružje Rusiji
  add(prefix .. "_sell", type, "{state:supplier} {date:when?} " .. NH
    .. " {supply} " .. NH .. " {qty?} ..2 " .. X
    .. " ..2 " .. TO .. " {state:recipient}", ev)
  -- Iran supplied Russia with drones / isporučio Rusiji stotine letelica
  add(prefix .. "_sell_dative", type, "{state:supplier} {date:when?} " .. NH .. " {supply} " .. TO
    .. " {state:recipient} .. {qty?} ..2 " .. X, ev)
  -- Iran je negirao da je Rusiji slao dronove (recipient before the verb)
  add(prefix .. "_sell_sov", type, "{state:supplier} {date:when?} " .. NH .. " {state:recipient} {supply}"
    .. " .. {qty?} ..2 " .. X, ev)
  -- Iranian drones had been delivered to Russia / iranske letjelice stigle su u Rusiju
  add(prefix .. "_passive", type, "{state:supplier} ..2 " .. X .. " .. {moved} ..2 " .. TO
    .. " {state:recipient}", ev)
  -- isporuke iranskih dronova Rusiji / deliveries of North Korean shells to Russia
  add(prefix .. "_noun", type, "{delivery} " .. OF .. " {state:supplier} ..2 " .. X .. " ..3 "
    .. TO .. " {state:recipient}", ev)
end

transfers("arms", "arms_transfer", "arms")
transfers("drone", "drone_transfer", "drones")
transfers("oil", "oil_transfer", "oil")
transfers("coal", "coal_export", "coal")

-- Launches: one actor, the launcher. An ICBM phrase is one hit of the icbm set, so the
-- ballistic rules never see "ballistic missile" inside "intercontinental ballistic missile":
-- an ICBM is coded icbm_launch only.
local function launcher(m) return event(m, "actor1", nil) end
add("ballistic_launch", "ballistic_launch", "{state:actor1} {date:when?} " .. NH .. " {launch} " .. CL
  .. " {date?} " .. GAP(8) .. " {qty?} ..2 {ballistic}", launcher)
add("ballistic_launch_rel", "ballistic_launch", "{ballistic} {state:actor1} ..3 {launch}", launcher)
add("icbm_launch", "icbm_launch", "{state:actor1} {date:when?} " .. NH .. " {launch} " .. CL
  .. " {date?} " .. GAP(8) .. " {qty?} ..2 {icbm}", launcher)
add("icbm_launch_rel", "icbm_launch", "{icbm} {state:actor1} ..3 {launch}", launcher)
add("nuclear_test", "nuclear_test", "{state:actor1} {date:when?} " .. NH .. " {conduct} ..3 {ntest}",
  launcher)
add("nuclear_test_device", "nuclear_test", "{state:actor1} {date:when?} " .. NH .. " {testv} ..3 {nuke}",
  launcher)

-- Workers abroad: actor1 the sending state, actor2 the host. An occupied region of Ukraine as
-- host is coded RUS (the Russian-installed authorities), the region kept in attrs.host_region.
local function workers(m)
  return event(m, "sender", "host", function(mm, ev, attrs)
    local at = mm.attrs.host
    if at and at.occupied then ev.actor2, attrs.host_region = "RUS", at.occupied end
  end)
end
add("workers_send", "workers_abroad", "{state:sender} {date:when?} " .. NH .. " {supply}"
  .. " .. {qty?} ..2 {workers} ..4 (in|to|into|u|na|v) {state:host}", workers)
add("workers_hire", "workers_abroad", "{state:host} {date:when?} " .. NH .. " {hire}"
  .. " .. {qty?} ..2 {state:sender} {workers}", workers)
add("workers_in", "workers_abroad", "{state:sender} {workers} ..6 (in|to|into|u|na|v) {state:host}", workers)

-- Ship-to-ship transfers: the state named before the transfer (its vessels) as actor1.
local function sts(m) return event(m, "actor1", nil) end
add("ship_to_ship", "ship_to_ship", "{state:actor1} .. {sts}", sts)
add("ship_to_ship_sea", "ship_to_ship", "{state:actor1} .. {transship} ..3 (at sea|na moru|on the high seas)",
  sts)

-- Sanctions imposed: actor1 the imposing state or body, actor2 the target.
local function imposed(m) return event(m, "imposer", "target") end
add("sanctions_imposed", "sanctions_imposed", "{party:imposer} .. {cond?} {impose} " .. CL
  .. " {date?} " .. GAP(4) .. " {sanctions} ..4 " .. AGAINST .. " {party:target}", imposed)
add("sanctions_imposed_verb", "sanctions_imposed", "{party:imposer} {date:when?} " .. NH
  .. " {cond?} {sanctionv} ..4 {party:target}", imposed)

-- Vetoes: actor1 the vetoing state, actor2 the target of the vetoed draft, found next to the
-- word for sanctions. "Russia and China vetoed" is two events: the *_second rules code the
-- second conjunct.
local function veto(m) return event(m, "vetoer", "target") end
local vetoer = { "{state:vetoer}", "{state} (and|i) {state:vetoer}" }
for i, subj in ipairs(vetoer) do
  local sfx = i == 1 and "" or "_second"
  add("veto_sanctions_target" .. sfx, "sanctions_veto", subj
    .. " .. {date?} {veto} ..12 {sanctions} ..3 " .. AGAINST .. " {party:target}", veto)
  add("veto_target_sanctions" .. sfx, "sanctions_veto", subj
    .. " .. {date?} {veto} ..12 {party:target} ..3 {sanctions}", veto)
  add("veto_after" .. sfx, "sanctions_veto", "{sanctions} ..3 {party:target} .. " .. subj
    .. " .. {date?} {veto}", veto)
end

return rs
