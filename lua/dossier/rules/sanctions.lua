--- The shipped sanctions rule set: `require "dossier.rules.sanctions"` returns a ready
-- `dossier.rules` rule set (also loadable as a rule file with `dossier.rules.load`). It codes
-- the activities the UN measures prohibit, in English and Serbian/Croatian/Bosnian (Latin and
-- Cyrillic through folding), with DESIGN §3.6's event types and actor codes. Lexicon and term
-- lists are data: `dossier.lexicon.world` (generated; `dossier.lexicon.actors` without it),
-- `dossier.lexicon.terms`. See doc/sanctions_rules.md.
local rules = require "dossier.rules"
local lexicon = require "dossier.lexicon"
local text = require "dossier.text"
local terms = require "dossier.lexicon.terms"
local cues = require "dossier.recognisers.cues"
local vocab = require "dossier.vocab"

-- The set of the words of a space-separated list.
local function wordset(list)
  local set = {}
  for w in list:gmatch("%S+") do set[w] = true end
  return set
end

-- The generated world lexicon (every state, its capital, demonyms, South Slavic case forms,
-- international bodies, leaders with dated roles: doc/actors.md) when it is installed; the
-- hand-kept list of the first release otherwise.
local actors = vocab.actor_lists()[1] or require "dossier.lexicon.actors"

-- lexicons of the controlled items (arms, missiles, drones, oil, coal) and of the verbs of
-- imposing, to look at the word before a match
local CONTROLLED, IMPOSE
local LANGS = {}
for code in pairs(vocab.LANG_GROUPS) do LANGS[#LANGS + 1] = code end
table.sort(LANGS)
local rs = rules.new { lang = LANGS, name = "sanctions", dedupe = true }
local PARTY -- the `party` lexicon (states and bodies), for the sentence's other actors

-- Four lexicons over the same entries: `state` (states only: suppliers, launchers, vetoers),
-- `body` (UNO, EU, other international bodies), `party` (both: imposers, targets, meeting
-- sides) and `solid` (every entry but the upper-case abbreviations, so that "sad" and "us" in
-- a gap do not stop a match: the gaps below are `..N!solid`). A phrase in several sets is one
-- hit that fills a slot of any of them.
do
  local state, body, party, solid = lexicon.new(), lexicon.new(), lexicon.new(), lexicon.new()
  for _, e in ipairs(actors) do
    local phrase, code, attrs = e[1], e[2], e[3]
    local set = attrs and attrs.kind == "body" and body or state
    set:add(phrase, code, attrs)
    party:add(phrase, code, attrs)
    if not (attrs and attrs.upper) then solid:add(phrase, code, attrs) end
  end
  rs:lexicon("state", state):lexicon("body", body):lexicon("party", party):lexicon("solid", solid)
  PARTY = party
  local names = {}
  for name in pairs(terms) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do rs:terms(name, terms[name]) end
  -- every controlled item (arms, missiles, drones, oil, coal): a gap of the other-exports rules
  -- may hold none of them
  local controlled = {}
  for _, name in ipairs { "arms", "missile", "ballistic", "icbm", "drones", "oil", "coal" } do
    for _, t in ipairs(terms[name]) do controlled[#controlled + 1] = t end
  end
  rs:terms("controlled", controlled)
  CONTROLLED, IMPOSE = lexicon.new(), lexicon.new()
  for _, t in ipairs(controlled) do CONTROLLED:add(t, "controlled") end
  for _, t in ipairs(terms.impose) do IMPOSE:add(t, "impose") end
end

-- Does a phrase of `lex` end right before the match ("arms exports to China")?
local function just_before(lex, m)
  local at = m.start - m.sent_start
  local before = m.sentence:sub(math.max(1, at - 40), at)
  for _, _, b in lex:scan(before) do
    if not before:find("%S", b + 1) then return true end
  end
  return false
end

-- Template pieces: a subject's gap to its verb (at most 8 words, no actor in it, so that "the
-- UN ... whether Iran supplied" takes Iran), optional function words, Serbian/Croatian clitics.
local NH = "..8!solid"
-- A relative clause between a subject and its verb: "President Bush's government, which has
-- been a strong supporter of the embargo on Cuba, introduced ..." (commas as raw regexes).
local REL = "..3!solid /,/ (which|who|that|koji|koja|koje|kojeg|kojem|kojoj|kojim|kojima) ..24 /,/ ..3!solid"
local TO, OF, WITH = "(to|into|u|na)?", "(of)?", "(with|sa|s)?"
local AGAINST = "(on|against|for|protiv|na|za|prema)? (the|some|certain|all)?"
local CL = "(je|su|ju|ce|se)?"

-- Lower-case text in a span: ASCII a-z or Serbian Cyrillic а-я, ђ-џ.
local function has_lower(s)
  return s:find("%l") ~= nil or s:find("\xd0[\xb0-\xbf]") ~= nil or s:find("\xd1[\x80-\x9f]") ~= nil
end

-- The code of an actor hit, or nil when it is no actor here: an upper-case-only abbreviation
-- written in lower case ("sad", "us"), a name that is also a common word written without its
-- capital ("mali", "jordan"), a person outside their dated roles on the document's day.
local function code_of(id, at, txt, published)
  if type(at) ~= "table" then return id end
  if at.upper and has_lower(txt) then return nil end
  if at.cap and not txt:find("^[%u\xd0-\xd1]") then return nil end
  if at.cap and (txt:find("^\xd0[\xb0-\xbf]") or txt:find("^\xd1[\x80-\x9f]")) then return nil end
  if at.roles and published then
    for _, r in ipairs(at.roles) do
      if (not r[2] or r[2] <= published) and (not r[3] or published <= r[3]) then return r[1] end
    end
    return nil
  end
  return id
end

-- The actors bound to a role: every member of a list slot that is an actor here, or the one
-- hit; { false } (an open side) when the rule binds no such role or the slot is absent; nil
-- when its only hits are no actors here.
local function role_codes(m, role)
  if not role or m[role] == nil then return { false } end
  local out = {}
  local list = m.lists and m.lists[role]
  if list then
    for _, a in ipairs(list) do out[#out + 1] = code_of(a.id, a.attrs, a.text, m.published) end
  else
    out[1] = code_of(m[role], m.attrs[role], m.text[role], m.published)
  end
  if #out == 0 then return nil end
  return out
end

-- States that ended: an event of theirs told in a later document is historic ("radnici iz
-- Jugoslavije" in news of 2016).
local ENDED = { SUN = "1991-12-25", YUG = "2003-02-03", SCG = "2006-06-04" }
local function ended(m, x, y)
  local p = m.published
  return p ~= nil and ((ENDED[x] and p > ENDED[x]) or (ENDED[y] and p > ENDED[y]))
end

-- Does the match begin with slot `role` followed by a comma ("Japan, which opposed deals with
-- Syria, imposed ..."; for a list, its last member)? Such a subject ends a clause: "Syria,
-- imposed" is no subject and verb. The rules written for the clause (`*_rel`) are exempt.
local function clause_subject(m, role)
  if not role or not m.spans or not m.spans[role] or m.spans[role][1] ~= m.start then return false end
  if m.rule:find("_rel", 1, true) then return false end
  local list = m.lists and m.lists[role]
  local stop = list and list[#list].span[2] or m.spans[role][2]
  return m.sentence:find("^%s*,", stop - m.sent_start + 2) ~= nil
end

-- The folded word right before role `role`'s first hit (its list's first member), or nil.
local function word_before(m, role)
  local list = m.lists and m.lists[role]
  local at = list and list[1].span[1] or (m.spans and m.spans[role] and m.spans[role][1])
  if not at then return nil end
  local w = m.sentence:sub(1, at - m.sent_start):match("([%w\128-\255]+)[%s\"'\xe2\x80\x9c\x9e]*$")
  return w and text.fold(w)
end

-- Does a South Slavic word look like a dative ("Rusiji", "Iranu", "Sjevernoj Koreji")?
local function dative(s)
  local f = text.fold(s or "")
  return f:find("[iu]$") ~= nil or f:find("oj$") ~= nil or f:find("ama$") ~= nil
end

-- A side right after a preposition is a place, a target or a partner, not the subject of the
-- verb that follows: "stop in Hong Kong to meet British officials", "head to Brussels to meet".
local PREP = wordset("in at from into to on against for with by u iz od kod na za sa s prema protiv")
-- The rules whose first side opens a noun phrase ("curbs on Japanese exports to the U.S.",
-- "tariffs on Canadian shipments"): a preposition before it is the phrase's, not the side's.
local NOUN_PHRASE = { "_exports$", "^exports_to$", "^shipments_to$", "^sanctions_noun", "^sanctions_adj$",
  "^workers_host_from$", "^workers_leave$" }
local function noun_phrase(rule)
  for _, p in ipairs(NOUN_PHRASE) do
    if rule:find(p) then return true end
  end
  return false
end
-- A meeting's side may come from somewhere: "flew in from Tokyo for talks with ...".
local FROM = { from = true, iz = true, od = true }
local function not_subject(m, role)
  local list = role and m.lists and m.lists[role]
  if not role or not (list or m.spans and m.spans[role]) or noun_phrase(m.rule) then return false end
  local first = list and list[1].span[1] or m.spans[role][1]
  local w = first == m.start and word_before(m, role)
  return w ~= nil and PREP[w] == true and not (m.type == "meeting" and FROM[w])
end

-- An actor written as "Chinese-made", "US-built", "U.S.-brokered" names no party (but "North
-- Korea made its first test-fire" does).
local MADE = { made = true, built = true, supplied = true, designed = true, backed = true, led = true,
  brokered = true }
local function made_by(m, role)
  local sp = m.spans and m.spans[role]
  local w = sp and m.sentence:match("^%-(%a+)", sp[2] - m.sent_start + 2)
  return w ~= nil and MADE[w:lower()] == true
end

-- Is the match's object being lifted: a word of lifting among the four before the match or in
-- its first words ("urged Yeutter to lift the trade sanctions imposed against Japan", "the removal
-- of U.S. sanctions", "ukidanje sankcija")?
local LIFT = wordset("lift lifts lifted lifting remove removes removed removing removal ease eases "
  .. "eased easing drop "
  .. "drops dropped dropping end ends ended ending withdraw withdraws withdrew withdrawing withdrawal "
  .. "ukinuti ukine ukinu ukinule ukinute ukinuo ukinula ukidanje ukidanja ukidanju ukida ukidaju "
  .. "skinuti skine skinu skidanje skidanja ublazavanje ublazavanja")
local function lifted(m)
  local at = m.start - m.sent_start + 1
  local before = text.fold(m.sentence:sub(math.max(1, at - 60), at + 12))
  local words = {}
  for w in before:gmatch("[%w\128-\255]+") do words[#words + 1] = w end
  for i = math.max(1, #words - 5), #words do
    if LIFT[words[i]] then return true end
  end
  return false
end

-- The first person. A Serbian, Croatian or Bosnian verb in the first person plural ("izvozimo",
-- "nećemo da uvodimo", "da uvedemo": -mo) with no subject is "we": in news in those languages,
-- the country whose language it is (sr → SRB, hr → HRV, bs → BIH, cnr → MNE), the outlet's
-- country or its leader quoted, as ANNOTATION has "our country" be. A heuristic: a foreign
-- leader quoted in Serbian is coded as Serbia too. English "we" needs the speaker (dossier.claims
-- finds it) and is not coded.
local WE = { sr = "SRB", hr = "HRV", bs = "BIH", cnr = "MNE" }
local function we(m, verb)
  local v = m.text and m.text[verb]
  if not v or not WE[m.lang] then return nil end
  local f = text.fold(v)
  return f:find("mo$") and WE[m.lang] or nil
end

-- The events of a match: one per actor pair of the two roles (lists give several); none when
-- a counterfactual auxiliary ("would have", "bi") stands before the verb, or when the match is
-- what a demand, appeal or proposal asks for ("urged Japan to impose sanctions": no event).
-- The one state that the members of slots `roles` code (a list in apposition: "predsednika
-- Srbije Aleksandra Vučića"), or nil when they code several or none.
local function one_state(m, roles)
  local code
  for _, r in ipairs(roles) do
    local list = m.lists and m.lists[r]
    local one = m[r] and { id = m[r], attrs = m.attrs and m.attrs[r], text = m.text[r] }
    local members = list or { one }
    for _, e in ipairs(members) do
      local c = code_of(e.id, e.attrs, e.text, m.published)
      if not c or (code and c ~= code) then return nil end
      code = c
    end
  end
  return code
end

local function event(m, a1, a2, extra)
  if m.cond then return nil end
  -- sanctions someone plans, urges or hedges to lift are sanctions in force
  local in_force = m.type == "sanctions_imposed" and m.modality ~= "asserted" and lifted(m)
  if in_force then m.modality = "asserted" end
  if m.modality == "planned" and cues.is_demand(m.cue) then return nil end
  -- (the side that opens the match: the first, or in a one-sided rule the second)
  if clause_subject(m, a1) or clause_subject(m, a2) or not_subject(m, a1 or a2) then return nil end
  -- a verb in the first person has "we" as its subject: only the rules for it (`*_we*`) code it
  if not m.rule:find("_we", 1, true) and (we(m, "impose") or we(m, "supply") or we(m, "buy")) then
    return nil
  end
  local c1, c2 = role_codes(m, a1), role_codes(m, a2)
  if not c1 or not c2 then return nil end
  local evs = {}
  for _, x in ipairs(c1) do
    for _, y in ipairs(c2) do
      if x ~= y then
        local ev = { actor1 = x or nil, actor2 = y or nil, qty = m.qty }
        local attrs = {}
        if m.qty then attrs.qty_qualifier = m.qty_qualifier end
        if m.date or m.when then
          ev.date = m.date or m.when
          attrs.date_from, attrs.date_precision = "text", m.date and m.date_precision or m.when_precision
        else
          attrs.date_from = "published"
        end
        if extra then extra(m, ev, attrs) end
        if m.modality == "asserted" and ended(m, x, y) then ev.modality = "historic" end
        ev.attrs = attrs
        evs[#evs + 1] = ev
      end
    end
  end
  if #evs == 0 then return nil end
  return evs
end

-- The one actor of the sentence that is not in event `ev`, or nil when there are none or
-- several ("the U.S. had no choice but to impose the trade sanctions" in a sentence about a
-- trade war with Japan: the target is Japan).
local function other_actor(m, ev)
  local found
  for id, a, b, at in PARTY:scan(m.sentence) do
    local code = code_of(id, at, m.sentence:sub(a, b), m.published)
    if code and code ~= ev.actor1 and code ~= ev.actor2 then
      if found and found ~= code then return nil end
      found = code
    end
  end
  return found
end

-- Events `evs` of match m with a side the rule left open filled by other_actor.
local function fill_open(m, evs)
  for _, ev in ipairs(evs or {}) do
    if (ev.actor1 == nil) ~= (ev.actor2 == nil) then
      local other = other_actor(m, ev)
      if ev.actor1 == nil then ev.actor1 = other else ev.actor2 = other end
      if other then ev.attrs.open_side = "sentence" end
    end
  end
  return evs
end

local function add(name, type, pattern, fn)
  rs:rule { name = name, type = type, pattern = pattern, event = fn }
end

-- The item of a transfer is the term that named it.
local function item_of(set)
  return function(m, ev) ev.item = m[set] end
end

-- Meetings: actor1 the side that meets, visits or hosts, actor2 the other ("Putin met Kim Jong
-- Un", "Vučić i Makron razgovarali", "talks with Japan", "poseta predsednika Vučića
-- Azerbejdžanu"). A visit to a state is a meeting with it. ("meet" alone is too often "meet a
-- target": a state with no second party is not coded.) The fuller rules come first: a later
-- match that leaves open a side an earlier one named is dropped (the set's `dedupe`).
--
-- Where a meeting is held names its host ("Putin met Vučić in Moscow": SRB -> RUS; "sastanak
-- Vučića i Makrona u Palati Srbija": FRA -> SRB); a place is not a compound's first part ("in
-- U.S.-Japanese talks", "in Indian-administered Kashmir").
local AT = { ["in"] = true, at = true, u = true, v = true }
local function capitalised(w)
  return w:find("^%u") or w:find("^\xd0[\x80-\xaf]") or w:find("^\xc4[\x86\x8c\x90]")
    or w:find("^\xc5[\xa0\xbd]")
end
local function hosts_of(m)
  local out = {}
  local s0, s1 = m.start - m.sent_start + 1, m.stop - m.sent_start + 1
  for id, a, b, at in PARTY:scan(m.sentence) do
    -- in the match's clause: no comma between the place and the match, at most ~8 words away
    local gap = a > s1 and m.sentence:sub(s1, a) or b < s0 and m.sentence:sub(b, s0) or ""
    if #gap > 60 or gap:find("[,;]") then goto next end
    local before = m.sentence:sub(1, a - 1)
    local w = before:match("([%w\128-\255]+)%s*$")
    if w and not AT[text.fold(w)] and capitalised(w) then -- "u Palati Srbija"
      w = before:match("([%w\128-\255]+)%s+[%w\128-\255]+%s*$")
    end
    local code = w and AT[text.fold(w)] and m.sentence:sub(b + 1, b + 1) ~= "-"
      and code_of(id, at, m.sentence:sub(a, b), m.published)
    if code then out[code] = true end
    ::next::
  end
  return out
end
local VISIT = { "visit", "poset", "posjet", "doputova", "otputova", "primi", "ugost", "hosted", "host" }
local function says_visit(m)
  local v = text.fold((m.meetv or "") .. " " .. (m.meetn or ""))
  for _, w in ipairs(VISIT) do
    if v:find(w, 1, true) then return true end
  end
  return false
end
-- Events `evs` of a meeting whose words name no visitor ("met", "talks"; not "visit", "hosted"),
-- the host put second.
local function hosted_at(m, evs)
  if not evs or says_visit(m) then return evs end
  local hosts = hosts_of(m)
  for _, ev in ipairs(evs) do
    if hosts[ev.actor1] and ev.actor2 and not hosts[ev.actor2] then
      ev.actor1, ev.actor2 = ev.actor2, ev.actor1
    end
  end
  return evs
end
local OBJECT_OF, BETWEEN -- below
-- A sentence about sport names teams by their country: "Ireland meet Wales on Saturday", "New
-- Zealand's next visit to Wales", "a second round meeting with French Open champion"
local SPORT = wordset("coach coaches match matches champion champions championship tournament cup "
  .. "rugby football "
  .. "soccer cricket tennis squad fixture fixtures semi-final quarter-final wimbledon olympic olympics "
  .. "league beaten trener utakmica utakmice utakmicu utakmici mec meca reprezentacija reprezentacije "
  .. "reprezentaciju prvenstvo prvenstva turnir turnira fudbal fudbalski fudbaleri kosarka golman "
  .. "navijaci navijaca")
local MONTH = wordset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march "
  .. "april june july "
  .. "august september october november december")
local function sport_in(sentence)
  -- a score ("lost 8-3", "won 5-7 6-0"; not the days "on April 1-2")
  for at in sentence:gmatch("()%f[%d]%d%d?%-%d%d?%f[%D]") do
    if not MONTH[(sentence:sub(1, at - 1):lower():match("(%a+)%.?%s*$") or "")] then return true end
  end
  for w in text.fold(sentence):gmatch("[%w%-]+") do
    if SPORT[w] then return true end
  end
  return false
end
-- (the answer for the last sentence asked about: a sentence's matches come one after another)
local sport_of, sport_last
local function sport(m)
  if m.sentence ~= sport_of then sport_of, sport_last = m.sentence, sport_in(m.sentence) end
  return sport_last
end
-- a topic is no side: "the two leaders had talked about Afghanistan"
local TOPIC = { about = true, regarding = true, concerning = true, o = true, oko = true, povodom = true }

-- The folded word right after role `role`'s hit (its list's last member), or nil.
local function word_after(m, role)
  local list = m.lists and m.lists[role]
  local stop = list and list[#list].span[2] or (m.spans and m.spans[role] and m.spans[role][2])
  if not stop then return nil end
  local w = m.sentence:match("^[%s\"']*([%w\128-\255]+)", stop - m.sent_start + 2)
  return w and text.fold(w)
end
-- a side named by its companies is no state meeting ("sa predstavnicima kineskih kompanija");
-- a body after "summit" is the summit's own ("na samitu NATO", "the summit of NATO")
local COMPANY = { companies = true, company = true, firms = true, kompanija = true, kompanije = true,
  kompanijama = true, firmi = true, firmama = true, firme = true, preduzeca = true, preduzecima = true }
local function not_a_side(m, r2)
  if COMPANY[word_after(m, r2) or ""] then return true end
  local at = m.attrs and m.attrs[r2]
  local summit = text.fold(m.meetn or ""):find("^s[ua]m+it")
  local before = word_before(m, r2)
  return summit ~= nil and at ~= nil and at.kind == "body"
    and (before == "of" or (before or ""):find("^s[ua]m+it") ~= nil)
end

-- What no meeting rule codes, whatever its shape: a sentence about sport, a topic or a state's
-- companies as side `r2`, talks that are a topic ("Makron rekao da odluka o pregovorima sa EU
-- ..."), a body's own summit.
local function no_meeting(m, r2)
  return sport(m) or TOPIC[word_before(m, r2) or ""] ~= nil or not_a_side(m, r2)
    or (m.meetn ~= nil and TOPIC[word_before(m, "meetn") or ""] ~= nil)
end

local function meeting(m, r2)
  if made_by(m, "actor1") or no_meeting(m, r2 or "actor2") then return nil end
  -- what is discussed is no side ("to discuss the problems of Afghanistan and Kampuchea in its
  -- talks with Peking")
  local list = m.lists and m.lists.actor1
  local first = list and list[1].span[1] or (m.spans and m.spans.actor1 and m.spans.actor1[1])
  if first == m.start and OBJECT_OF[word_before(m, "actor1") or ""] then return nil end
  return hosted_at(m, event(m, "actor1", r2 or "actor2"))
end
-- the visitor is actor1: "Vučić primio Lavrova" (the host received the visitor) is RUS -> SRB
local function hosted(m)
  if not sport(m) then return event(m, "actor2", "actor1") end
end
-- two sides joined by "and": a longer list is a multilateral meeting (a G7 summit), not coded
OBJECT_OF = { of = true, about = true, on = true, over = true, o = true, with = true, sa = true,
  s = true, so = true }
-- a comma right before slot r2 ("Throughout the G-7 meeting, Japan pointed ..."; but "Lyng, who
-- is due to visit Japan" is one clause)
local function comma_before(m, r2)
  local b = m.spans and m.spans[r2]
  if not b then return false end
  return m.sentence:sub(1, b[1] - m.sent_start):find(",%s*$") ~= nil
end
-- the places a visit goes to are no pair ("is to visit Thailand and Indonesia this week"; but
-- "the visit of ...", and in South Slavic "poseta ... i ...": the visitor first)
local function visit_places(m)
  return m.meetn ~= nil and m.lang == "en" and says_visit(m) and not BETWEEN[word_before(m, "actor1") or ""]
end
local function pair(m)
  if m.lists and m.lists.actor1 and #m.lists.actor1 ~= 2 or sport(m) then return nil end
  if visit_places(m) then return nil end
  -- a state in the dative is no subject of the pair ("Prilikom posete Kini, Vučić je razgovarao")
  if m.lang ~= "en" and m.lists and m.lists.actor1 then
    for _, e in ipairs(m.lists.actor1) do
      if dative(e.text) and not (e.attrs and e.attrs.person) then return nil end
    end
  end
  -- the pair is what is discussed or who is talked with ("to discuss the problems of Afghanistan and
  -- Kampuchea in its talks", "razgovore sa Izraelom i Srbijom"), not the two sides
  if OBJECT_OF[word_before(m, "actor1") or ""] then return nil end
  if m.lists and m.lists.actor1 then
    local l = m.lists.actor1
    local a = code_of(l[1].id, l[1].attrs, l[1].text, m.published)
    local b = code_of(l[2].id, l[2].attrs, l[2].text, m.published)
    if not a or not b or a == b then return nil end
    return hosted_at(m, fill_open(m, { { actor1 = a, actor2 = b, attrs = { date_from = "published" } } }))
  end
  return meeting(m)
end
BETWEEN = { between = true, of = true, izmedju = true, medju = true }
local P1 = "{party:actor1}"
-- what "meet" also takes: "meet U.S. demands", "ispuni zahteve"
local NOT_DEMANDS = "!(demand*|complaint*|requirement*|target*|need*|condition*|criteria|standard*|"
  .. "obligation*|expectation*|deadline*|zahtev*|zahtjev*|uslov*|uvjet*)"
add("meeting", "meeting", "{party:actor1+} ..4!solid {cond?} {meet} " .. WITH .. " {party:actor2+} "
  .. NOT_DEMANDS, meeting)
-- (not "received in London", "primio od")
-- (not "welcomed Brazil's export measures": a possessive is no visitor)
add("meeting_hosted", "meeting", "{party:actor1+} " .. NH .. " {meeth} !(in|at|u|na|from|od|iz|by) "
  .. "..2!solid {party:actor2+} !('s|s)", hosted)
-- an ambassador received with his credentials: "Vučić primio akreditivna pisma novog
-- ambasadora SAD" (USA -> SRB)
add("meeting_credentials", "meeting", "{party:actor1+} " .. NH .. " {meeth} " .. CL .. " {date:when?} ..2 "
  .. "(akreditiv*|credentials) ..5!solid {party:actor2}", hosted)
add("meeting_verb", "meeting", "{party:actor1+} " .. NH .. " {meetv} " .. WITH
  .. " ..2!solid {party:actor2+}", meeting)
-- the second side after a clitic, a date, a place and titles: "Jadranka Kosor sastala se u subotu
-- (5. juna) sa članovima Predsedništva Bosne i Hercegovine"; "Sakašvili sastao se u sredu u
-- Bukureštu sa rumunskim kolegom"
add("meeting_sx", "meeting", "{party:actor1+} ..4!solid {cond?} {meet} (se)? {date:when?} ..4 (with|sa|s) "
  .. "..3!solid {party:actor2+} " .. NOT_DEMANDS, meeting)
add("meeting_verb_sx", "meeting", "{party:actor1+} " .. NH .. " {meetv} (je|se|su)? {date:when?} ..4 "
  .. "(with|sa|s) ..3!solid {party:actor2+}", meeting)
-- a visit with a date or a clitic before the place: "Bajden posetio je u utorak Sarajevo"
add("meeting_visit", "meeting", "{party:actor1+} " .. NH .. " (visited|posetio|posetila|posetili|posjetio|"
  .. "posjetila|posjetili|doputova*|otputova*) " .. CL .. " {date:when?} ..2!solid {party:actor2+}", meeting)
add("meeting_pair_verb", "meeting", "{party:actor1+} ..4!solid {meetv}", pair)
add("meeting_pair_noun", "meeting", "{party:actor1+} ..4!solid {meetn}", pair)
-- the subject's own visit: "Nakasone will explain the measures to U.S. officials during his
-- visit to Washington", "Vučić je tokom svoje posete Kini ..."
add("meeting_own_visit", "meeting", "{party:actor1} ..10 (his|her|its|their|svoje|svojoj|svojom|svoju|"
  .. "njegove|njegovoj|njene|njenoj) ..2!solid (visit|visits|poset*|posjet*) (to|u|na)? (the)? "
  .. "{party:actor2}", meeting)
-- the subject of the clause after "during the visit to X": "Tokom posete Beogradu grčki premijer
-- ponovio je ...", "Prilikom posete Kini, Vučić je ..."
add("meeting_during_visit", "meeting", "(tokom|prilikom|tijekom|during) (svoje|njegove|njene|his|her|a|the)? "
  .. "(poset*|posjet*|visit) (to)? {party:actor2} ..3!solid {party:actor1}", function(m)
    if m.lang == "en" or dative(m.text.actor2) then return meeting(m) end
  end)
-- a visit to Moscow by U.S. Secretary of State George Shultz
add("meeting_noun_by", "meeting", "{meetn} (to|in|u) {party:actor2} (by|of) ..3!solid {party:actor1}",
  meeting)
-- Vučićeve posete Briselu; poseta predsednika Vučića Azerbejdžanu
add("meeting_adj_noun", "meeting", "{party:actor1} {meetn} (to|u|na)? {party:actor2}", function(m)
  if not comma_before(m, "actor2") then return meeting(m) end
end)
-- (with the visitor's name after the state: "poseti predsednika Srbije Aleksandra Vučića Rusiji")
add("meeting_noun_gen_dat", "meeting", "(poset*|posjet*) ..2!solid {party:actor1} ..2!solid {party:who?} "
  .. "{party:actor2}",
  function(m)
    -- (the visitor's name, else nothing, between the visitor's state and the host: not
    -- "posetiti Albaniju i Kosovo")
    -- ("posetu-predsednika-srbije-kosovu-vucic": the host right after the visitor's state)
    -- (a host first is no visitor: "Tokom posete Beogradu grčki premijer ponovio je ...")
    if dative(m.text.actor1) then return nil end
    local r2 = m.who and one_state(m, { "actor1", "who" }) == nil and "who" or "actor2"
    local a, b = m.spans.actor1[2], m.spans[r2][1]
    if not (m.who and r2 == "actor2")
        and m.sentence:sub(a - m.sent_start + 2, b - m.sent_start):find("[%w\128-\255]") then
      return nil
    end
    return meeting(m, r2)
  end)
-- a summit between U.S. president Donald Trump and Chinese president Xi Jinping; razgovori
-- Beograda i Prištine (a meeting *in* a city names no side: no "in", "at", "u")
add("meeting_noun_pair", "meeting", "{meetn} (between|of|izmedju|medju)? !(in|at|u|na) ..2!solid "
  .. "{party:actor1+} ..4 (and|i|with|sa|s) ..2!solid {party:actor2}",
  function(m)
    -- (one side, named once or in apposition: "predsednika Srbije Aleksandra Vučića")
    if one_state(m, { "actor1" }) and not OBJECT_OF[word_before(m, "actor1") or ""]
        and not visit_places(m) then
      return meeting(m)
    end
  end)
add("meeting_subject_noun", "meeting", P1 .. " " .. NH .. " {meetn} (with|sa|s|to|na)? {party:actor2+}",
  function(m) if not comma_before(m, "actor2") then return meeting(m) end end)
add("meeting_noun_with", "meeting", "{meetn} (with|sa|s) ..3!solid {party:actor2+}",
  function(m)
    if not no_meeting(m, "actor2") then return fill_open(m, event(m, nil, "actor2")) end
  end)

-- the second side before the verb: "će Vučić sa Putinom razgovarati", "Vučić se juče sa Putinom
-- sastao", "Dačić je sa ruskim kolegom razgovarao o ..."
for _, v in ipairs { "meetv", "meet" } do
  add("meeting_sov_" .. v, "meeting", "{party:actor1+} " .. CL .. " {date:when?} ..2!solid (sa|s) ..3!solid "
    .. "{party:actor2+} ..5!solid {" .. v .. "}", function(m)
      if m.lang ~= "en" then return meeting(m) end -- (not the "s" of "Indonesia's")
    end)
end
-- the side's relative clause: "sa predsednikom Srbije Aleksandrom Vučićem, koji sutra stiže u
-- zvaničnu posetu BiH, ..."; "Lyng, who is due to visit Japan, said ..."
for _, v in ipairs { "meetv", "meetn" } do
  add("meeting_rel_" .. v, "meeting", "{party:actor1} /,/ (who|koji|koja|koje) ..4!solid {" .. v .. "} "
    .. TO .. " {party:actor2+}", meeting)
end
-- A body that meets or convenes on its own ("the Security Council met", "Vijeće sigurnosti
-- UN-a sastat će se"); not when a second party follows (the rules above code that).
-- (not "if the EU was to meet its target")
add("meeting_body", "meeting", "{body:actor1} ..2 {cond?} {meet} !(with|sa|s|so) !{solid} "
  .. "!(its|their|his|her|our|svoj*|njihov*)", function(m) return event(m, "actor1", nil) end)

-- An actor written as an adjective or abbreviation ("American", "Japanese", "British",
-- "U.S.", "EU", "američke", "ruske"), not as a noun ("North Korea sanctions" names the target).
local SX_ADJ = { "[aeiou]", "ih", "im", "ima", "og", "oga", "om", "omu", "oj", "ome" }
local function adjectival(s)
  local f = text.fold(s)
  if f:find("an$") or f:find("ese$") or f:find("ish$") or f:find("ch$") or f:find("i$")
      or s:find("^%u[%u.%-]*$") then
    return true
  end
  -- South Slavic adjectives in every case: americk-a/-e/-ih/-im/-ima/-og/-om/-oj ..., rusk-
  for _, e in ipairs(SX_ADJ) do
    if f:find("[sc]k" .. e .. "$") then return true end
  end
  return false
end
-- What a policy does to trade, not trade that happened ("to boost U.S. exports").
local AIMS = wordset("boost boosts boosting boosted hinder hinders hindering promote promotes "
  .. "promoting encourage "
  .. "encourages encouraging help helps helping curb curbs curbing restrict restricts restricting limit "
  .. "limits limiting hurt hurts hurting benefit benefits benefiting increase increases increasing expand "
  .. "expands expanding subsidise subsidize subsidising subsidizing support supports supporting "
  .. "povecati povecanje podstaci podsticanje ograniciti")

-- Imports named by their buyer: "China's oil imports", "USSR wheat imports" (a nationality
-- adjective on the goods names their origin: "a duty on U.S. corn imports" by Canada).
local IMPORTS = "(imports|uvoz|uvoza|uvozu)"
local function owner_imports(m, extra)
  if adjectival(m.text.recipient) and not m.sentence:find("^['\xe2][\x80\x99]*s",
      m.spans.recipient[2] - m.sent_start + 2) then
    return nil
  end
  return event(m, nil, "recipient", extra)
end

-- Transfers (supplier -> recipient) of an item set, in every order the two languages use.
local function transfers(prefix, type, set)
  local it = item_of(set)
  local function ev(m) return event(m, "supplier", "recipient", it) end
  local function ev_to(m) return fill_open(m, event(m, nil, "recipient", it)) end
  local function ev_from(m) return fill_open(m, event(m, "supplier", nil, it)) end
  local X = "{" .. set .. "}"
  -- Russia is buying millions of shells from North Korea / Rusija kupuje ... od Severne Koreje
  add(prefix .. "_buy", type, "{state:recipient+} {date:when?} " .. NH
    .. " {buy} " .. NH .. " {qty?} ..4 " .. X .. " ..4 (from|od|iz) (the)? {state:supplier+}", ev)
  -- Rusija kupuje od Severne Koreje milione raketa
  add(prefix .. "_buy_from", type, "{state:recipient+} {date:when?} " .. NH
    .. " {buy} (from|od|iz) (the)? {state:supplier} .. {qty?} ..2 " .. X, ev)
  -- one side: Russia bought thousands of drones; Saudi Arabia agreed to buy 132 warplanes (the
  -- supplier not named: a fuller match in the sentence drops this one, the set's dedupe). Not
  -- for oil and coal: business news buys "Shell Oil Co" and imports "oil needs".
  if set == "arms" or set == "drones" then
    add(prefix .. "_buy_open", type, "{state:recipient+} {date:when?} ..4!solid {buy} {qty?} ..3!solid "
      .. X, function(m) return event(m, nil, "recipient", it) end)
    -- Sirija dobija S-300; Iran received the missiles (the supplier not named)
    add(prefix .. "_receive", type, "{state:recipient+} {date:when?} ..3!solid (dobija|dobio|dobila|dobili|"
      .. "dobice|dobiti|received|receives|receiving) {qty?} ..3!solid " .. X,
      function(m) return event(m, nil, "recipient", it) end)
  end
  -- da Srbija od Rusije nabavi helikoptere (the supplier before the verb)
  add(prefix .. "_buy_from_sov", type, "{state:recipient} " .. CL .. " (od|iz) {state:supplier} ..2!solid "
    .. "{buy} ..3 " .. X, ev)
  -- North Korea is selling rockets to Russia / isporučivala oružje Rusiji
  add(prefix .. "_sell", type, "{state:supplier+} {date:when?} " .. NH
    .. " {supply} " .. NH .. " {qty?} ..2 " .. X .. " ..2 " .. TO .. " {state:recipient+}", ev)
  add(prefix .. "_sell_rel", type, "{state:supplier+} " .. REL
    .. " {supply} " .. NH .. " {qty?} ..2 " .. X .. " ..2 " .. TO .. " {state:recipient+}", ev)
  -- Iran supplied Russia with drones / isporučio Rusiji stotine letelica
  add(prefix .. "_sell_dative", type, "{state:supplier+} {date:when?} " .. NH .. " {supply} " .. TO
    .. " {state:recipient+} .. {qty?} ..2 " .. X, ev)
  -- Iran je negirao da je Rusiji slao dronove (recipient before the verb)
  add(prefix .. "_sell_sov", type, "{state:supplier} {date:when?} " .. NH .. " {state:recipient} {supply}"
    .. " .. {qty?} ..2 " .. X, ev)
  -- Iranian drones had been delivered to Russia / iranske letjelice stigle su u Rusiju
  add(prefix .. "_passive", type, "{state:supplier} ..2 " .. X .. " .. {moved} ..2 " .. TO
    .. " {state:recipient}", ev)
  -- isporuke iranskih dronova Rusiji / deliveries of North Korean shells to Russia / the sale
  -- of U.S. arms to Iran
  add(prefix .. "_noun", type, "{delivery} " .. OF .. " {state:supplier} ..2 " .. X .. " ..3 "
    .. TO .. " {state:recipient}", ev)
  -- the supplier's own noun: North Korea's deliveries of shells to Russia
  add(prefix .. "_noun_subject", type, "{state:supplier} ..2!solid {delivery} (of)? ..2 " .. X
    .. " ..3 " .. TO .. " {state:recipient}", ev)
  -- one side named: the sale of arms to Iran / stiglo 10 oklopnjaka iz Rusije
  add(prefix .. "_noun_to", type, "{delivery} (of)? ..2 " .. X .. " ..3 (to|u|na) {state:recipient}", ev_to)
  -- izvozimo municiju u Rusiju (we export ...): the supplier is "we"
  add(prefix .. "_sell_we", type, "{supply} ..3!solid " .. X .. " ..2!solid (u|na)? {state:recipient}",
    function(m)
      local c = we(m, "supply")
      if not c then return nil end
      local evs = event(m, nil, "recipient", it)
      for _, e in ipairs(evs or {}) do
        if e.actor2 ~= c then e.actor1, e.attrs.actor1_from = c, "first person" end
      end
      return evs
    end)
  -- one side: exports about one mln tonnes of steaming coal to Japan / Iran's oil exports
  add(prefix .. "_sell_to", type, "{supply} ..6!solid " .. X .. " ..3!solid (to|into|u|na) ..2!solid "
    .. "{state:recipient}", ev_to)
  add(prefix .. "_exports", type, "{state:supplier} ..2!solid " .. X .. " {exportn} "
    .. "!(to|into|u|na|from|iz|od)", ev_from)
  add(prefix .. "_from", type, "(" .. "arrive*|arrived|stig*|pristig*|" .. "kupovin*|purchase*|import*)"
    .. " ..4 " .. X .. " (from|iz|od) (the)? {state:supplier}", ev_from)
  -- what a state holds from a purchase: Iran test-fired its newly acquired Silkworm missile;
  -- Srbija je predstavila novonabavljene dronove
  add(prefix .. "_acquired", type, "{state:recipient} " .. NH .. " (its|their|svoj*)? (newly|recently) "
    .. "(acquire*|purchase*|bought|import*|delivered) ..3 " .. X,
    function(m) return event(m, nil, "recipient", it) end)
  add(prefix .. "_acquired_sx", type, "{state:recipient} " .. NH .. " (novonabavljen*|nedavno nabavljen*|"
    .. "novokupljen*|nedavno kupljen*) ..2 " .. X, function(m) return event(m, nil, "recipient", it) end)
  -- the buyer's own noun: China's oil imports (from Iran), Soviet coal imports, uvoz nafte iz Irana
  -- (a side left open stays open: the sentence's other actor is rarely the supplier)
  add(prefix .. "_imports_from", type, "{state:recipient} ..2!solid " .. X .. " " .. IMPORTS .. " ..2!solid "
    .. "(from|iz|od) ..2!solid {state:supplier+}", ev)
  add(prefix .. "_imports", type, "{state:recipient} ('s)? " .. X .. " " .. IMPORTS .. " !(from|iz|od)",
    function(m) return owner_imports(m, it) end)
end

transfers("arms", "arms_transfer", "arms")
transfers("drone", "drone_transfer", "drones")
transfers("oil", "oil_transfer", "oil")
transfers("coal", "coal_export", "coal")

-- Exports of other goods (wheat, steel, nuclear power stations): the same shapes, with the
-- noun "exports" ("Japanese exports to China", "izvoz u Rusiju").
do
  local it = item_of("goods")
  local function ev(m) return event(m, "supplier", "recipient", it) end
  add("goods_sell", "other_export", "{state:supplier+} " .. NH .. " {supply} ..6!solid {goods} ..3 "
    .. TO .. " {state:recipient+}", ev)
  add("goods_buy", "other_export", "{state:recipient+} " .. NH .. " {buy} ..6!solid {goods} ..4 "
    .. "(from|od|iz) (the)? {state:supplier}", ev)
  add("goods_buy_adj", "other_export", "{state:recipient} " .. NH .. " {buy} ..6!solid {state:supplier} "
    .. "..3!solid {goods}", ev)
  local function open_item(m) return event(m, "supplier", "recipient") end
  add("exports_to", "other_export", "{state:supplier} ..2!controlled {exportn} ..3!solid (to|u|na|into) "
    .. "..2!solid {state:recipient+}", open_item)
  -- Canadian steel shipments to the U.S.
  add("shipments_to", "other_export", "{state:supplier} ..2!controlled {delivery} ..3!solid (to|u|na|into) "
    .. "..2!solid {state:recipient+}", open_item)
  -- one side: (the administration will) sell four mln tonnes of wheat to the Soviet Union
  add("goods_sell_to", "other_export", "{supply} ..6!solid {goods} ..3!solid (to|into|u|na) ..2!solid "
    .. "{state:recipient+}", function(m) return event(m, nil, "recipient", it) end)
  -- the buyer's noun: Norwegian imports from South Africa, Soviet grain imports
  add("imports_from", "other_export", "{state:recipient} ..2!controlled " .. IMPORTS
    .. " ..2!solid (from|iz|od) ..2!solid {state:supplier+}", open_item)
  -- the U.S. supplied 41 pct of record Soviet grain imports
  add("supplied_imports", "other_export", "{state:supplier+} " .. NH .. " {supply} ..4!solid "
    .. "{state:recipient} ..2!controlled " .. IMPORTS, ev)
  -- one side: Indonesia's non-oil exports fell, EU exports rose 2% ("exports", not the "Export"
  -- of "Japan's Export-Import Bank")
  -- (not a policy's aim: "boost U.S. exports", "hinder US exports")
  add("exports_open", "other_export", "{state:supplier} ('s)? ..1!controlled (exports|izvoz|izvoza) "
    .. "!(to|into|u|na|from|iz|od|of) !{controlled}", function(m)
      if not AIMS[word_before(m, "supplier") or ""] then return event(m, "supplier", nil) end
    end)
  -- Latin American exports to China grew 34% (the supplier no state; not "arms exports to")
  add("exports_to_open", "other_export", "(exports|izvoz|izvoza) (to|into|u|na) (the)? {state:recipient+}",
    function(m) if not just_before(CONTROLLED, m) then return event(m, nil, "recipient") end end)
  add("goods_imports", "other_export", "{state:recipient} ('s)? {goods} " .. IMPORTS .. " !(from|iz|od)",
    function(m) return owner_imports(m, it) end)
end

-- Launches: one actor, the launcher. An ICBM phrase is one hit of the icbm set, so the
-- ballistic rules never see "ballistic missile" inside "intercontinental ballistic missile":
-- an ICBM is coded icbm_launch only. A missile named without its class is coded ballistic.
-- (A date written in the match or next to it is found without a slot: doc/rules.md.)
local function launcher(m)
  if made_by(m, "actor1") then return nil end
  return event(m, "actor1", nil)
end
-- (the dated form first: a date right after the verb, "ispalila je 24. marta 2022. raketu";
-- the same launch without it is then dropped by the set's dedupe)
local A1 = "{state:actor1}"
local S1 = A1 .. " {date:when?} " .. NH .. " {launch} "
add("icbm_launch_dated", "icbm_launch", S1 .. CL .. " {date} ..8 {qty?} ..2 {icbm}", launcher)
add("icbm_launch", "icbm_launch", S1 .. "..8 {qty?} ..2 {icbm}", launcher)
add("icbm_launch_rel", "icbm_launch", "{icbm} {state:actor1} ..3 {launch}", launcher)
add("ballistic_launch_dated", "ballistic_launch", S1 .. CL .. " {date} ..8 {qty?} ..2 {ballistic}", launcher)
add("ballistic_launch", "ballistic_launch", S1 .. "..8 {qty?} ..2 {ballistic}", launcher)
add("ballistic_launch_rel", "ballistic_launch", "{ballistic} {state:actor1} ..3 {launch}", launcher)
add("missile_launch_dated", "ballistic_launch", S1 .. CL .. " {date} ..8!solid {missile}", launcher)
add("missile_launch", "ballistic_launch", S1 .. "..8!solid {missile}", launcher)
add("missile_launch_noun", "ballistic_launch", "{state:actor1} " .. NH .. " {conduct} ..6!solid {missile} "
  .. "..2 (launch*|test*|lansiranj*|ispaljivanj*|probn*)", launcher)
add("missile_launch_try", "ballistic_launch", A1 .. " " .. NH .. " (made|attempted|tried) ..8!solid "
  .. "{missile}", launcher)
add("missile_launch_passive", "ballistic_launch", "{missile} ..3 (was|were|je|su|bila|bio) ..2 "
  .. "(fired|launched|test-fired|ispaljen*|lansiran*) (by|from)? {state:actor1}", launcher)
add("nuclear_test", "nuclear_test", A1 .. " {date:when?} " .. NH .. " {conduct} ..3 {ntest}",
  launcher)
add("nuclear_test_device", "nuclear_test", A1 .. " {date:when?} " .. NH .. " {testv} ..3 {nuke}",
  launcher)
add("nuclear_test_noun", "nuclear_test", "{state:actor1} ..3!solid {ntest}", launcher)
-- the first U.S. space launch of the year (a satellite on a carrier rocket is coded ballistic)
add("space_launch_noun", "ballistic_launch", A1 .. " (space|satellite|missile|rocket|svemirsk*|raketn*) "
  .. "(launch|launches|lansiranj*)", launcher)

-- Workers abroad: actor1 the sending state, actor2 the host. An occupied region of Ukraine as
-- host is coded RUS (the Russian-installed authorities), the region kept in attrs.host_region.
local function workers(m)
  return event(m, "sender", "host", function(mm, ev, attrs)
    local at = mm.attrs.host
    if at and at.occupied then ev.actor2, attrs.host_region = "RUS", at.occupied end
  end)
end
add("workers_send", "workers_abroad", "{state:sender} {date:when?} " .. NH .. " {supply}"
  .. " .. {qty?} ..2 {workers} ..4 (in|to|into|u|na|v) (the)? {state:host}", workers)
add("workers_hire", "workers_abroad", "{state:host} {date:when?} " .. NH .. " {hire}"
  .. " .. {qty?} ..2 {state:sender} {workers}", workers)
add("workers_in", "workers_abroad", "{state:sender} {workers} ..6 (in|to|into|u|na|v) (the)? {state:host}",
  workers)
add("workers_from", "workers_abroad", "{workers} (from|iz|sa) (the)? {state:sender} ..4 (in|to|into|u|na|v) "
  .. "{state:host+}", workers)
-- radnici iz Hrvatske ... austrijskom tržištu rada (the host's labour market)
add("workers_market", "workers_abroad", "{workers} (from|iz|sa) {state:sender} ..8!solid {state:host} "
  .. "(labour|labor|trzist*|trzisti|trzistu) (market|rada)", workers)
-- the host first: "U Hrvatskoj ... radi veoma malo radnika iz Srbije", "nemački poslodavci traže
-- radnike iz Srbije", "Japan uvozi radnu snagu sa Filipina i Indonezije"
-- (a nationality right before the workers is theirs, and "iz" where they come back from:
-- "iskustvo srpskog radnika iz Slovačke" SRB -> SVK; a company that recruits is no state that
-- hosts: "Nemačka železnica traži radnike iz BiH", "nemački poslodavci")
local EMPLOYER = "!(employer*|compan*|firm*|poslodav*|kompanij*|firm*|fabrik*|preduzec*|zeleznic*|agencij*)"
add("workers_host_from", "workers_abroad", "{state:host} " .. EMPLOYER .. " ..8!solid {workers} (from|iz|sa) "
  .. "(the)? {state:sender+}", function(m)
    local a, b = m.spans.host[2], m.spans.workers[1]
    if m.sentence:sub(a - m.sent_start + 2, b - m.sent_start):find("^[%s%-]*$") then
      return event(m, "host", "sender")
    end
    return workers(m)
  end)
-- employment of a state's nationals in another: "zapošljavanju srpskih državljana u Nemačkoj"
add("workers_employment", "workers_abroad", "(employment|zaposl*) ..2!solid "
  .. "{state:sender} ..2!solid (in|u) {state:host+}", workers)
-- going to work abroad, the work said in the sentence: "medicinske sestre koje iz Srbije sve više
-- odlaze u Nemačku za platu od oko 2.300 evra", "Hrvata koji su radili na primorju otišlo u Irsku"
local WORK = { "plat", "zarad", "posl", "rad", "zaposl", "sezon", "nadnic" }
add("workers_leave", "workers_abroad", "{state:sender} ..5!solid (odlaze|odlazi|odlazio|ode|odu|otislo|"
  .. "otisli|otislo je|odlazak|odlaska) (u|na) {state:host+}", function(m)
    local f = text.fold(m.sentence)
    for _, w in ipairs(WORK) do
      if f:find("%f[%w]" .. w) then return workers(m) end
    end
  end)
-- one side: migrant workers from Mozambique; remittances from Sudan's expatriate workers
local MIGRANT = { "migrant", "guest", "expatriate", "gastarbajt", "gastarbeit", "sezon" }
add("migrants_from", "workers_abroad", "{workers} (from|iz|sa) (the)? {state:sender+}", function(m)
  local w = text.fold(m.workers or "")
  for _, p in ipairs(MIGRANT) do
    if w:find(p, 1, true) then return event(m, "sender", nil) end
  end
end)
add("workers_remittances", "workers_abroad", "{state:sender} ..6!solid (remittances|doznak*) ..3!solid "
  .. "{workers}", function(m) return event(m, "sender", nil) end)

-- Ship-to-ship transfers: the state named before the transfer (its vessels) as actor1.
local function sts(m) return event(m, "actor1", nil) end
add("ship_to_ship", "ship_to_ship", "{state:actor1} .. {sts}", sts)
add("ship_to_ship_sea", "ship_to_ship", "{state:actor1} .. {transship} ..3 (at sea|na moru|on the high seas)",
  sts)

-- Sanctions imposed: actor1 the imposing state or body, actor2 the target. A draft that was
-- vetoed imposed nothing: no sanctions_imposed in a sentence about a veto.
-- A sentence about a draft that would have imposed sanctions gives no event either (the rules
-- with a subject also see the auxiliary in their {cond?} slot). `f` is the folded sentence.
local function vetoed(f) return f:find("veto", 1, true) ~= nil end
local function counterfactual(f)
  return f:find("would have", 1, true) or f:find("%f[%w]bi se%f[%W]") or f:find("%f[%w]kojom bi%f[%W]")
end
-- A sanctions event; a side the rule left open is the sentence's only other actor, if any.
local function side(m, a1, a2)
  local f = text.fold(m.sentence)
  if (vetoed(f) and not m.negated) or counterfactual(f) then return nil end
  return fill_open(m, event(m, a1, a2))
end
local function imposed(m) return side(m, "imposer", "target") end
-- the same, a side left open staying open
local function side_only(m, a1, a2)
  local f = text.fold(m.sentence)
  if (vetoed(f) and not m.negated) or counterfactual(f) then return nil end
  return event(m, a1, a2)
end
add("sanctions_imposed", "sanctions_imposed", "{party:imposer+} " .. NH .. " {cond?} {impose} " .. CL
  .. " ..4 {sanctions} ..4 " .. AGAINST .. " {party:target+}", imposed)
-- the goods first: "to impose 100 pct tariffs on 300 mln dlrs worth of Japanese goods"
add("sanctions_imposed_far", "sanctions_imposed", "{party:imposer+} " .. NH .. " {cond?} {impose} " .. CL
  .. " ..4 {sanctions} (on|against) ..7!solid {party:target+}", imposed)
-- the target in the reason: "Reagan imposed the sanctions on April 17 in retaliation for Japan's
-- failure", "announced the tariffs on March 27 to retaliate for Japan's failure"
add("sanctions_imposed_retaliation", "sanctions_imposed", "{party:imposer+} " .. NH .. " {cond?} {impose} "
  .. CL .. " ..4 {sanctions} ..8!solid (retaliation|retaliate) (for|against) ..3!solid {party:target}",
  imposed)
add("sanctions_imposed_rel", "sanctions_imposed", "{party:imposer+} " .. REL .. " {cond?} {impose} " .. CL
  .. " ..4 {sanctions} ..4 " .. AGAINST .. " {party:target+}", imposed)
add("sanctions_imposed_dative", "sanctions_imposed", "{party:imposer+} " .. NH .. " {cond?} {impose} " .. CL
  .. " {party:target} ..3 {sanctions}", imposed)
add("sanctions_imposed_sov", "sanctions_imposed", "{party:imposer} " .. NH .. " {party:target} ..2 "
  .. "{impose} ..3 {sanctions}", imposed)
-- (a passive names the target first: "UK casinos will be banned from using American tricks")
local BE = { be = true, been = true, being = true, is = true, are = true, was = true, were = true }
add("sanctions_imposed_verb", "sanctions_imposed", "{party:imposer+} {date:when?} " .. NH
  .. " {cond?} {sanctionv} ..4 {party:target+}", function(m)
    if not BE[word_before(m, "sanctionv") or ""] then return imposed(m) end
  end)
-- the first person: "Sankcije Rusiji nećemo da uvodimo", "da Rusiji uvedemo sankcije"
local function we_impose(m)
  local c = we(m, "impose")
  if not c then return nil end
  local evs = side(m, nil, "target")
  for _, e in ipairs(evs or {}) do
    if e.actor2 ~= c then e.actor1, e.attrs.actor1_from = c, "first person" end
  end
  return evs
end
add("sanctions_we_before", "sanctions_imposed", "{sanctions} {party:target} ..3!solid {impose}", we_impose)
add("sanctions_we_after", "sanctions_imposed", "{party:target} {impose} ..2!solid {sanctions}", we_impose)
-- threats (hedged by the cue): "Pompeo preti Turskoj sankcijama", "threatened Iran with sanctions"
add("sanctions_threat", "sanctions_imposed", "{party:imposer+} " .. NH
  .. " (threaten*|preti|prete|pretio|pretila|"
  .. "zapretio|zapretila|prijeti|prijete|zaprijetio|zaprijetila) {party:target+} (with|sa)? ..2 {sanctions}",
  imposed)
-- sankcije koje je Rusija uvela Turskoj / the sanctions Washington imposed on Tokyo
add("sanctions_rel", "sanctions_imposed", "{sanctions} ..3 (koje|koju|which|that)? ..2!solid "
  .. "{party:imposer} ..2!solid {impose} ..2 " .. AGAINST .. " {party:target}", imposed)
add("sanctions_rel_open", "sanctions_imposed", "{sanctions} ..3 (koje|koju|which|that) ..2!solid "
  .. "{party:imposer} ..2!solid {impose}", imposed)
-- the European Union's embargo on China / američke sankcije Rusiji
add("sanctions_noun", "sanctions_imposed", "{party:imposer} ..3!solid {sanctions} (on|against|protiv|prema) "
  .. "(the|some|certain|all)? {party:target+}", imposed)
-- the European Union's ban on arms exports to China
add("sanctions_noun_to", "sanctions_imposed", "{party:imposer} ..3!solid {sanctions} (exports|sales)? "
  .. "(to|into) {party:target+}", imposed)

-- one side named: "the U.S. had no choice but to impose the trade sanctions"; "the American
-- trade sanctions", "američke sankcije" (an adjective or abbreviation names the imposer; a
-- noun before "sanctions" names the target: "North Korea sanctions"); "the arms embargo
-- imposed on China", "trade embargo on Cuba", "sankcije protiv Rusije"
add("sanctions_imposed_open", "sanctions_imposed", "{party:imposer+} " .. NH .. " {cond?} {impose} " .. CL
  .. " ..4 {sanctions} !(on|against|protiv|prema|for|za|na) !{solid}", imposed)
add("sanctions_adj", "sanctions_imposed", "{party:imposer} (trade|economic|financial|new|ekonomsk*|"
  .. "trgovinsk*|finansijsk*|nov*)? {sanctions} !(on|against|protiv|prema|for|za|na) !{solid}",
  function(m) if adjectival(m.text.imposer) then return imposed(m) end end)
add("sanctions_on", "sanctions_imposed", "{sanctions} ..2!solid {impose?} (on|against|protiv|prema) "
  .. "(the|some|certain|all)? {party:target+}", function(m) return side(m, nil, "target") end)
-- a target in the dative, no preposition: "američke sankcije Rusiji", "sankcije Iranu",
-- "sankcije Sjevernoj Koreji" (not the genitive of the imposer: "sankcije Rusije"; not after a
-- verb of imposing, whose rules tell demands and the first person: "pritisak da uvedemo sankcije
-- Rusiji")
add("sanctions_dative_adj", "sanctions_imposed", "{party:imposer} (nove|novih|novim|ekonomsk*|trgovinsk*|"
  .. "finansijsk*)? {sanctions} {party:target+}", function(m)
    if m.lang ~= "en" and adjectival(m.text.imposer) and dative(m.text.target) then return imposed(m) end
  end)
add("sanctions_dative", "sanctions_imposed", "{sanctions} {party:target+}", function(m)
  if m.lang ~= "en" and dative(m.text.target) and not just_before(IMPOSE, m) then
    return side_only(m, nil, "target")
  end
end)

-- Vetoes: actor1 the vetoing state(s) ("the United States and Britain vetoed": one event
-- each), actor2 the target of the vetoed draft, found next to the word for sanctions.
local function veto(m) return event(m, "vetoer", "target") end
add("veto_sanctions_target", "sanctions_veto", "{state:vetoer+} .. {veto} ..12 {sanctions} ..3 "
  .. AGAINST .. " {party:target}", veto)
add("veto_target_sanctions", "sanctions_veto", "{state:vetoer+} .. {veto} ..12 {party:target} ..3 "
  .. "{sanctions}", veto)
add("veto_after", "sanctions_veto", "{sanctions} ..3 {party:target} .. {state:vetoer+} .. {veto}", veto)

return rs
