-- luacheck: std +busted
-- Specs for dossier.recognisers.cues. Oracle: a hand-checked table of our own sentences in
-- English, Serbian (Latin and Cyrillic) and Croatian, folded with dossier.text.fold, with the
-- matched span given as a substring; a slow reference (plain string.find over every cue
-- phrase) for the whole-word cue matching; invariants over real news sentences read at test
-- time from ../shared/data/news (skipped when absent).
local cues = require "dossier.recognisers.cues"
local date = require "dossier.recognisers.date"
local text = require "dossier.text"
local rex = require "dossier.regex"

local DATA = os.getenv("DOSSIER_DATA") or "../shared/data"
local news = dofile("spec/helpers/news.lua")

-- { sentence (unfolded), span (unfolded substring), modality, negated, cue (folded) [, lang [, published]] }
local CASES = {
  -- asserted
  { "Iran bought drones from the factory.", "bought drones", "asserted", false, nil },
  { "Srbija je kupila šest aviona.", "kupila šest aviona", "asserted", false, nil },
  { "Hrvatska je nabavila dvanaest helikoptera.", "nabavila dvanaest", "asserted", false, nil },
  -- negation
  { "North Korea did not buy the shells.", "buy the shells", "asserted", true, "did not" },
  { "The ministry never sold rifles to them.", "sold rifles", "asserted", true, "never" },
  { "Koreja nije kupila granate.", "kupila granate", "asserted", true, "nije" },
  { "Они нису продали тенкове.", "продали тенкове", "asserted", true, "nisu" },
  { "Vojska ne prodaje municiju.", "prodaje municiju", "asserted", true, "ne" },
  { "The firm didn't deliver the trucks.", "deliver the trucks", "asserted", true, "didn't" },
  { "No rockets were delivered.", "rockets were delivered", "asserted", true, "no", "en" },
  -- negation too far before the span does not count
  { "Not far from the border, the army bought fuel.", "bought fuel", "asserted", false, nil },
  -- denied, anywhere in the sentence
  { "Pyongyang denied selling rockets to the group.", "selling rockets", "denied", false, "denied" },
  { "The claim that Iran bought drones was rejected as false.", "bought drones", "denied", false,
    "rejected as false" },
  { "Ministarstvo je negiralo da je prodalo oružje.", "prodalo oružje", "denied", false, "negiralo" },
  { "Vlada je demantovala da je kupila tenkove.", "kupila tenkove", "denied", false, "demantovala" },
  { "Ministarstvo je odbacilo tvrdnje da je Srbija prodala municiju.", "prodala municiju", "denied", false,
    "odbacilo" },
  { "Tvrdnje da su kupili rakete su izmišljotina.", "kupili rakete", "denied", false, "izmisljotina" },
  -- planned
  { "Serbia plans to buy six jets.", "buy six jets", "planned", false, "plans to" },
  { "The navy intends to acquire two frigates.", "acquire two frigates", "planned", false, "intends to" },
  { "Egypt will buy more tanks.", "buy more tanks", "planned", false, "will", "en" },
  { "Iran will not buy drones.", "buy drones", "planned", true, "will" },
  { "Srbija namerava da kupi dronove.", "kupi dronove", "planned", false, "namerava" },
  { "Hrvatska namjerava kupiti avione.", "kupiti avione", "planned", false, "namjerava" },
  { "Srbija ne planira da kupi avione.", "kupi avione", "planned", true, "planira" },
  { "Vojska je u procesu kupovine novih vozila.", "novih vozila", "planned", false, "u procesu kupovine" },
  { "Trebalo bi da stignu nove rakete.", "stignu nove rakete", "planned", false, "trebalo bi da" },
  { "Vlada će kupiti tenkove.", "kupiti tenkove", "planned", false, "ce", "sr" },
  { "Vlada neće kupiti tenkove.", "kupiti tenkove", "planned", true, "nece" },
  -- hedged
  { "Iran reportedly bought drones.", "bought drones", "hedged", false, "reportedly" },
  { "The group allegedly received missiles.", "received missiles", "hedged", false, "allegedly" },
  { "The ship bought fuel, reportedly.", "bought fuel", "hedged", false, "reportedly" },
  { "A suspected shipment of shells arrived.", "shipment of shells", "hedged", false, "suspected" },
  { "Navodno je Iran kupio dronove.", "kupio dronove", "hedged", false, "navodno" },
  { "Postoji sumnja da je brod prevozio oružje.", "prevozio oružje", "hedged", false, "sumnja" },
  { "Prema nepotvrđenim informacijama, kupili su rakete.", "kupili su rakete", "hedged", false,
    "prema nepotvrdjenim" },
  { "Moguće je da su prodali municiju.", "prodali municiju", "hedged", false, "moguce" },
  -- historic
  { "Previously, Iran bought drones.", "bought drones", "historic", false, "previously" },
  { "Years ago the army sold tanks.", "sold tanks", "historic", false, "years ago" },
  { "Ranije je vojska kupovala tenkove.", "kupovala tenkove", "historic", false, "ranije" },
  { "Devedesetih je fabrika prodavala puške.", "prodavala puške", "historic", false, "devedesetih" },
  { "In 2006, Iran bought drones.", "bought drones", "historic", false, "in 2006", "en", "2022-03-01" },
  { "Iran je 2006. godine kupio dronove.", "kupio dronove", "historic", false, "2006. godine", "sr",
    "2022-03-01" },
  { "In 2006, Iran bought drones.", "bought drones", "asserted", false, nil, "en" },
  { "In 2022, Iran bought drones.", "bought drones", "asserted", false, nil, "en", "2022-03-01" },
  -- precedence: denied > planned > hedged > historic
  { "Iran denied it plans to buy drones.", "buy drones", "denied", false, "denied" },
  { "Serbia reportedly plans to buy jets.", "buy jets", "planned", false, "plans to" },
  { "Previously, Iran reportedly bought drones.", "bought drones", "hedged", false, "reportedly" },
  -- demands, appeals, proposals and wishes: what they ask for has not happened (issue 14)
  { "Washington urged Tokyo to impose sanctions on Pyongyang.", "Tokyo to impose sanctions on Pyongyang",
    "planned", false, "urged", "en" },
  { "The council called on Tehran to refrain from missile tests.", "Tehran to refrain from missile tests",
    "planned", false, "called on", "en" },
  { "Hanoi wanted to buy six frigates from Moscow.", "Hanoi wanted to buy six frigates from Moscow",
    "planned", false, "wanted to", "en" },
  { "Moscow wants to sell fighter jets to Cairo.", "Moscow wants to sell fighter jets to Cairo", "planned",
    false, "wants to", "en" },
  { "The proposal to impose sanctions on Iran failed.", "impose sanctions on Iran", "planned", false,
    "proposal to", "en" },
  { "Venezuela offered to supply fuel oil to Cuba.", "supply fuel oil to Cuba", "planned", false,
    "offered to", "en" },
  { "Japan said it would impose sanctions on Iran.", "impose sanctions on Iran", "planned", false,
    "it would", "en" },
  { "The trade action would help the talks with Japan.", "talks with Japan", "asserted", false, nil, "en" },
  { "North Korea claimed it had tested a hydrogen bomb.", "tested a hydrogen bomb", "hedged", false,
    "claimed it had", "en" },
  { "Vašington je pozvao Beograd da uvede sankcije Moskvi.", "Beograd da uvede sankcije Moskvi", "planned",
    false, "pozvao", "sr" },
  { "EU je zatražila od Srbije da uvede sankcije Rusiji.", "Srbije da uvede sankcije Rusiji", "planned",
    false, "zatrazila", "sr" },
  { "Predlog da Srbija uvede sankcije Rusiji nije usvojen.", "Srbija uvede sankcije Rusiji", "planned",
    false, "predlog da", "sr" },
  { "Prijedlog da Hrvatska kupi rakete razmotrit će vlada.", "Hrvatska kupi rakete", "planned", false,
    "prijedlog da", "hr" },
  { "Gemayel accepted the proposals in talks with Syrian leaders.", "talks with Syrian leaders", "asserted",
    false, nil, "en" },
  { "Na skup, na koji je pozvan, predsednik je razgovarao sa Putinom.", "razgovarao sa Putinom", "asserted",
    false, nil, "sr" },
  { "Hajlend je ponudila podršku na sastanku sa ministrom.", "sastanku sa ministrom", "asserted", false, nil,
    "sr" },
  { "Rusija je ponudila da proda oružje Srbiji.", "proda oružje Srbiji", "planned", false, "ponudila da",
    "sr" },
  { "Hrvatska želi kupiti francuske avione.", "kupiti francuske avione", "planned", false, "zeli", "hr" },
  { "Egipat želi da kupi ruske avione.", "kupi ruske avione", "planned", false, "zeli da", "sr" },
  { "Chipmakers cut output to ward off U.S. trade sanctions.", "U.S. trade sanctions", "planned", false,
    "ward off", "en" },
  { "Iran fired two missiles ahead of talks with the United States.", "talks with the United States",
    "planned", false, "ahead of", "en" },
  { "Uoči posete Vučića Moskvi stigla je delegacija.", "posete Vučića Moskvi", "planned", false, "uoci",
    "sr" },
  -- conditions and threats: hedged, even over a future (ANNOTATION.md: conditional, threatened)
  { "Washington argues that if the embargo is lifted, it could lead to a buying spree for arms.",
    "buying spree for arms", "hedged", false, "could", "en" },
  { "If talks fail, Washington will impose sanctions on Tokyo.", "Washington will impose sanctions on Tokyo",
    "hedged", false, "if", "en" },
  { "Serbia will buy the jets if the loan is approved.", "Serbia will buy the jets", "hedged", false, "if",
    "en" },
  { "Ako Srbija uvede sankcije Rusiji, gas će poskupeti.", "Srbija uvede sankcije Rusiji", "hedged", false,
    "ako", "sr" },
  { "Washington threatened Ankara with sanctions.", "Ankara with sanctions", "hedged", false, "threatened",
    "en" },
  { "Pompeo preti Turskoj sankcijama.", "Turskoj sankcijama", "hedged", false, "preti", "sr" },
  { "Brussels is considering sanctions on Minsk.", "sanctions on Minsk", "hedged", false, "is considering",
    "en" },
  { "Pyongyang may test another missile.", "test another missile", "hedged", false, "may", "en" },
  { "Greenspan attended the G7 meeting, said the world could never repay Smith.", "G7 meeting", "asserted",
    false, nil, "en" },
  { "In May, Iran bought drones.", "bought drones", "asserted", false, nil, "en" },
  { "Iran bought drones on May 5.", "bought drones", "asserted", false, nil, "en" },
  -- refusals and stated inability: planned and negated (ANNOTATION.md: a negated intention)
  { "Russia refused to extend the arms embargo on Iran.", "Russia refused to extend the arms embargo on Iran",
    "planned", true, "refused to", "en" },
  { "Vlada je odbila da produži embargo na oružje.", "produži embargo", "planned", true, "odbila da", "sr" },
  { "We cannot afford to impose sanctions on Russia.", "impose sanctions on Russia", "planned", true,
    "cannot afford to", "en" },
  { "Mi ne možemo sebi dozvoliti taj luksuz da Rusiji uvedemo sankcije.", "Rusiji uvedemo sankcije",
    "planned", true, "ne mozemo sebi dozvoliti", "sr" },
  { "Sankcije Rusiji nećemo da uvodimo.", "Sankcije Rusiji nećemo da uvodimo", "planned", true, "necemo",
    "sr" },
  -- a hedge on what a thing is does not hedge the event
  { "North Korea conducted a failed missile launch, of what was believed to be a Musudan missile.",
    "conducted a failed missile launch", "asserted", false, nil, "en" },
  { "North Korea fired a missile believed to be a variant of the KN-11.", "fired a missile", "asserted",
    false, nil, "en" },
  { "North Korea is believed to have fired a missile.", "fired a missile", "hedged", false, "is believed to",
    "en" },
  -- a negated saying is not a negated event; "not only" negates nothing
  { "Belgrade did not say how many jets it plans to buy from Moscow.",
    "Belgrade did not say how many jets it plans to buy from Moscow", "planned", false, "plans to", "en" },
  { "The ministry would not say whether Iran bought drones.", "Iran bought drones", "asserted", false, nil,
    "en" },
  { "Ministarstvo nije preciziralo koliko je dronova Srbija kupila.",
    "nije preciziralo koliko je dronova Srbija kupila", "asserted", false, nil, "sr" },
  { "The ministry declined to comment on whether Iran bought drones.", "Iran bought drones", "asserted",
    false, nil, "en" },
  { "Tehran did not deny that it sold drones to Moscow.", "sold drones to Moscow", "asserted", false, nil,
    "en" },
  { "The U.S. had no choice but to impose the trade sanctions.", "impose the trade sanctions", "asserted",
    false, nil, "en" },
  { "Vlada nije imala izbora nego da uvede sankcije.", "uvede sankcije", "asserted", false, nil, "sr" },
  { "Ministarstvo nije demantovalo da je Srbija prodala municiju.", "prodala municiju", "asserted", false,
    nil, "sr" },
  { "The ministry declined to confirm that Iran bought drones.", "Iran bought drones", "asserted", false,
    nil, "en" },
  { "Not only did Iran buy drones, it also sold them.", "Iran buy drones", "asserted", false, nil, "en" },
  -- "since 2017" and "this year" date the reported events, they do not make them history
  { "North Korea fired its first ICBM since 2017 this week.", "fired its first ICBM", "asserted", false, nil,
    "en", "2022-03-01" },
  { "Severna Koreja je lansirala prvu raketu od 2017. godine.", "lansirala prvu raketu", "asserted", false,
    nil, "sr", "2022-03-01" },
  { "Naredbom od 2014. godine uvedene su sankcije Rusiji.", "uvedene su sankcije Rusiji", "historic", false,
    "od 2014", "sr", "2022-03-01" },
  { "Ranije ove godine Srbija je kupila dronove.", "kupila dronove", "asserted", false, nil, "sr",
    "2022-03-01" },
  { "Iran bought drones this year, as it did in 2019.", "bought drones", "asserted", false, nil, "en",
    "2022-03-01" },
  { "Iran bought drones in 2019 and sells them this year.", "bought drones", "historic", false, "in 2019",
    "en", "2022-03-01" },
  -- language tags: Serbian "no" means "but", English "ce" is nothing
  { "No, Srbija je kupila tenkove.", "kupila tenkove", "asserted", false, nil, "sr" },
  { "No, Srbija je kupila tenkove.", "kupila tenkove", "asserted", true, "no" },
  { "Vlada ce kupiti tenkove.", "kupiti tenkove", "asserted", false, nil, "en" },
  -- words that look like cues but are not
  { "The president dismissed the minister and bought jets.", "bought jets", "asserted", false, nil },
  { "Deliver the trucks as soon as possible.", "deliver the trucks", "asserted", false, nil },
  { "The report was dismissed as propaganda; Iran bought drones.", "bought drones", "denied", false,
    "dismissed as" },
  { "Sporazum znači odbacivanje sile, a vojska je kupila tenkove.", "kupila tenkove", "asserted", false,
    nil },
  { "Beograd odbacuje tvrdnje da je prodao rakete.", "prodao rakete", "denied", false, "odbacuje" },
  -- whole words only
  { "The notorious dealer sold knives.", "sold knives", "asserted", false, nil },
  { "The willow trade sold wood.", "sold wood", "asserted", false, nil },
  { "Nestali su tenkovi.", "tenkovi", "asserted", false, nil },
}

-- Slow reference: is there a whole-word occurrence of cue phrase `p` (folded, `*` stems)
-- starting at `i` of `s`? Returns its end.
local function is_word(c) return c ~= "" and (c:match("[%w']") or c:byte() >= 128) end
local function ref_match_at(s, i, p)
  if i > 1 and is_word(s:sub(i - 1, i - 1)) and not s:sub(i - 1, i - 1):match("'") then return nil end
  local j = i
  local words = {}
  for w in p:gmatch("%S+") do words[#words + 1] = w end
  for k, w in ipairs(words) do
    local stem = w:sub(-1) == "*"
    local lit = stem and w:sub(1, -2) or w
    if s:sub(j, j + #lit - 1) ~= lit then return nil end
    j = j + #lit
    if stem then while is_word(s:sub(j, j)) do j = j + 1 end end
    if k < #words then
      if s:sub(j, j) ~= " " then return nil end
      j = j + 1
    end
  end
  if is_word(s:sub(j, j)) then return nil end
  return j - 1
end

-- Slow reference for modality: the rules of the module's header written plainly, one regex
-- per phrase (cues.phrase_pattern) and the words by string.gmatch.
local ANCHORED = rex.flags().ANCHORED
local compiled = {}
local function ref_modality(sent, s, e, lang, published)
  local group = lang and ((lang == "en") and "en" or "sx")
  -- cat -> list of { a, b }: at each offset, the first phrase (longest first) found there
  local function cues_of(cat)
    local pats = {}
    local list = cues.lists[cat]
    if cat == "planned" then -- demands are reported as planned
      local d = cues.lists.demand
      list = table.move(d, 1, #d, #list + 1, table.move(list, 1, #list, 1, {}))
    end
    for _, entry in ipairs(list) do
      local phrase, tag = entry:match("^(.-)%s+@(%a+)$")
      if not phrase then phrase = entry end
      if not tag or not group or tag == group then pats[#pats + 1] = phrase end
    end
    table.sort(pats, function(x, y) if #x ~= #y then return #x > #y end return x < y end)
    local at = {}
    for rank, p in ipairs(pats) do
      local r = compiled[p] or rex.new(cues.phrase_pattern(p))
      compiled[p] = r
      local init = 1
      while true do
        local a = r:find(sent, init)
        if not a then break end
        if not at[a] or at[a].rank > rank then
          at[a] = { rank = rank, b = select(2, r:find(sent, a, ANCHORED)) }
        end
        init = a + 1
      end
    end
    local t = {}
    for a, x in pairs(at) do t[#t + 1] = { a, x.b } end
    table.sort(t, function(x, y) return x[1] < y[1] end)
    return t
  end
  local ws, we = {}, {}
  for p, q in sent:gmatch("()[%w\128-\255']+()") do ws[#ws + 1], we[#we + 1] = p, q - 1 end
  local function lo(k) -- start of the k-th word before s
    local wb = 0
    for i = 1, #ws do if ws[i] < s then wb = i end end
    return wb - k + 1 >= 1 and ws[wb - k + 1] or 1
  end
  local function hi(k) -- end of the k-th word after e
    local i = 1
    while i <= #we and we[i] <= e do i = i + 1 end
    return we[i + k - 1] or #sent
  end
  local function first(t, l, h)
    for _, c in ipairs(t) do
      if c[1] >= l and c[2] <= h then return c end
    end
  end
  -- a cue lying wholly inside a neutral cue is no cue
  local neutral = cues_of("neutral")
  local function live(cat)
    local t = {}
    for _, c in ipairs(cues_of(cat)) do
      local covered = false
      for _, u in ipairs(neutral) do
        if u[1] <= c[1] and c[2] <= u[2] then covered = true end
      end
      if not covered then t[#t + 1] = c end
    end
    return t
  end
  local neg = first(live("negation"), lo(3), e)
  local ref = first(live("refusal"), lo(8), e)
  local negated = neg ~= nil or ref ~= nil
  local function ret(m, c) return m, negated, sent:sub(c[1], c[2]), c[1], c[2] end
  local c = live("denied")[1]
  if c then return ret("denied", c) end
  c = first(live("conditional"), lo(8), hi(3))
  if c then return ret("hedged", c) end
  if ref then return ret("planned", ref) end
  c = first(live("planned"), lo(6), e)
  if c then return ret("planned", c) end
  c = first(live("hedged"), lo(8), hi(4))
  if c then return ret("hedged", c) end
  c = first(live("modal"), lo(8), e)
  if c then return ret("hedged", c) end
  c = live("historic")[1]
  if c then return ret("historic", c) end
  if published then
    -- the date nearest to the span (overlapping: 0; a tie to the earlier), if it is old
    local year, init, best, near, any_old = tonumber(published:sub(1, 4)), 1, math.huge, nil, false
    while true do
      local a, b, iso, _, relative = date.find(sent, init, published)
      if not a then break end
      -- a starting point: "since 2017"; "od 2001." after a word of "first" or right after jos/vec
      local before = " " .. sent:sub(math.max(1, a - 48), a - 1)
      local od = sent:sub(a, a + 2) == "od " and (before:match("[^%w\128-\255]prv") or
        before:match("[^%w\128-\255]jos $") or before:match("[^%w\128-\255]vec $"))
      if not (sent:sub(a, a + 5) == "since " or od) then
        local old = iso and not relative and tonumber(iso:sub(1, 4)) < year
        any_old = any_old or old
        local dist = b < s and s - b or a > e and a - e or 0
        if dist < best then best, near = dist, { a, b, old } end
      end
      init = b + 1
    end
    if any_old and near[3] then return ret("historic", near) end
  end
  if neg then return ret("asserted", neg) end
  return "asserted", false
end

describe("dossier.recognisers.cues", function()
  it("reports demands, appeals and proposals as planned, and tells them apart", function()
    for _, c in ipairs {
      { "The US urged Japan to impose sanctions on Iran.", "impose sanctions", "en", true },
      { "Vašington je pozvao Srbiju da uvede sankcije Rusiji.", "uvede sankcije", "sr", true },
      { "Kijev je zatražio da EU uvede nove sankcije.", "uvede nove sankcije", "sr", true },
      { "Serbia plans to buy six jets.", "buy six jets", "en", false },
    } do
      local sent = text.fold(c[1])
      local s = sent:find(text.fold(c[2]), 1, true)
      local modality, _, cue = cues.modality(sent, s, s + #text.fold(c[2]) - 1, c[3])
      assert.equal("planned", modality, c[1])
      assert.equal(c[4], cues.is_demand(cue), c[1] .. ": " .. tostring(cue))
    end
    assert.is_false(cues.is_demand(nil))
  end)

  it("keeps its cues as data: five lists of folded phrases", function()
    for _, cat in ipairs { "denied", "planned", "demand", "hedged", "negation", "historic" } do
      assert.is_table(cues.lists[cat])
      assert.is_true(#cues.lists[cat] > 5)
      for _, p in ipairs(cues.lists[cat]) do
        local phrase = p:gsub(" @%a+$", "")
        assert.equal(phrase, text.fold(phrase), "not folded: " .. p)
      end
    end
  end)

  for i, c in ipairs(CASES) do
    local sent, span, mod, neg, cue, lang, pub = table.unpack(c, 1, 7)
    it(("case %d: %q"):format(i, sent), function()
      local f, fs = text.fold(sent), text.fold(span)
      local s, e = f:find(fs, 1, true)
      assert.is_not_nil(s, "span not in sentence")
      local gm, gn, gc, ga, gb = cues.modality(f, s, e, lang, pub)
      assert.same({ mod, neg, cue }, { gm, gn, gc })
      if cue then assert.equal(cue, f:sub(ga, gb)) else assert.is_nil(ga) end
    end)
  end

  it("matches cue phrases as whole words, like a slow reference", function()
    local sents = {
      "he denied it; denial, denials and undeniable claims were denied twice",
      "ne, nece, necemo i nesto nije; nisu nikada ni nisam",
      "they didn't, it's not notable, nothing noted",
      "namerava, namjeravaju i nameravali su, planira planirano",
    }
    local function ref_first(sent, cat)
      for i = 1, #sent do
        local best
        for _, p in ipairs(cues.lists[cat]) do
          local e = ref_match_at(sent, i, (p:gsub(" @%a+$", "")))
          if e and (not best or e > best) then best = e end
        end
        if best then return i, best end
      end
    end
    for _, sent in ipairs(sents) do
      -- a span covering the whole sentence puts every cue inside every window
      local m, neg, _, a, b = cues.modality(sent, 1, #sent)
      local ds, de = ref_first(sent, "denied")
      local ps, pe = ref_first(sent, "planned")
      local ns, ne = ref_first(sent, "negation")
      assert.equal(ns ~= nil, neg, sent)
      if ds then
        assert.same({ "denied", ds, de }, { m, a, b }, sent)
      elseif ps then
        assert.same({ "planned", ps, pe }, { m, a, b }, sent)
      elseif m == "asserted" and ns then
        assert.same({ ns, ne }, { a, b }, sent)
      end
    end
  end)

  -- several spans of each sentence, in turns with other sentences, languages and publication
  -- dates (what the module keeps of the last sentence must not leak into the next call)
  local function check_against_reference(sents)
    local n = 0
    local langs = { false, "en", "sr", "hr", "bs" }
    local pubs = { false, "2022-03-01", "2007-01-06", "1990-05-05" }
    local k = 0
    local function span(sent, i)
      local L = #sent
      if i == 1 then return 1, L end
      if i == 2 then return 1, 0 end
      if i == 3 then return L + 1, L end
      if i == 4 then return 1, math.min(L, 3) end
      if i == 5 then return math.max(1, L - 3), L end
      local a = (i * 7919) % (L + 1) + 1
      return a, a - 1 + (i * 104729) % (L - a + 2)
    end
    for round = 1, 2 do
      for si, sent in ipairs(sents) do
        for i = 1, 8 do
          k = k + 1
          local lang = langs[(k + round) % #langs + 1] or nil
          local pub = pubs[(k * 3 + si) % #pubs + 1] or nil
          local a, b = span(sent, i)
          local want = { ref_modality(sent, a, b, lang, pub) }
          assert.same(want, { cues.modality(sent, a, b, lang, pub) },
            ("%q %d..%d %s %s"):format(sent, a, b, tostring(lang), tostring(pub)))
          n = n + 1
          if i % 3 == 0 then -- the same call again, after another sentence
            cues.modality("x", 1, 1)
            assert.same(want, { cues.modality(sent, a, b, lang, pub) })
          end
        end
      end
    end
    return n
  end

  local EDGE = {
    "", "not", "not not", "did not", "x'not", "_not", "not_", "won't", "won'tx", "it's not, it isn't",
    "denied", "he never, ever, did not; nije ne nece", "in 2006 and 1999 and 2050 previously",
    "reportedly x y z w v u t s buy a b c d e f g allegedly", "will will will", "ce cemo cete nece",
    "\xff\xfenot\xff", "not\xc3\xa9", "years ago they did not buy", "u planu je da ne kupe",
    "bought, allegedly", "allegedly bought", "1 2 3 4 5 6 7 8 9 10 not 11 12 13 14 15 no",
    "rejected the claims that they rejected the claims", "in the 1990s", "the 19th", "no. 5",
    "in 2006, iran bought drones.", "iran je 2006. godine kupio dronove.", "12345 in 1999 x2006",
    "on 31 february 2001 they did not", "today, in 2006 and on 24 march", "may 2001 may 2021",
    "since 2001 they bought, in 1999 they sold, this year they will", "od 2017. do 2019. su kupovali",
    "in 2006 they did; this year they did not say how many they plan to buy", "if not, in may",
    "ranije ove godine i ranije", "they refused to say, refused to sell and did not say no",
    "ne mozemo sebi dozvoliti ne", "the first since 1999 in 2001 since 2002 today",
  }

  it("agrees with a slow reference on edge cases, spans at both ends and several per sentence", function()
    assert.is_true(check_against_reference(EDGE) > 300)
  end)

  it("agrees with a slow reference on real news sentences #slow", function()
    -- The reference runs a compiled regex per cue phrase at every position: under valgrind
    -- (JIT code instrumented anew) that takes over twenty minutes, so the valgrind pass leaves
    -- it to the edge cases above; the ASan pass and `make test` run it whole.
    if os.getenv("DOSSIER_CHECK") == "valgrind" then
      pending("slow under valgrind: run by make test and the ASan pass")
      return
    end
    local files = { "bbc_news_2004-2005.jsonl", "alo_articles_sr_latn.jsonl", "hr_setimes_ud_dev_test.jsonl" }
    local sents = news.sentences(DATA, files, 8)
    if #sents == 0 then
      pending("skipped: " .. DATA .. "/news not found")
      return
    end
    assert.is_true(check_against_reference(sents) > 1000)
  end)

  it("agrees with the slow reference on a huge sentence, cues at both ends", function()
    local mid = ("they bought fuel and sold it, "):rep(4000)
    local a = "reportedly, in 1999 they did not buy arms; " .. mid .. "in 2006 they will not sell it"
    for _, sent in ipairs { a, a .. ", he denied" } do
      local half = #sent // 2
      local spans = { { 1, 10 }, { 30, 45 }, { #sent - 8, #sent }, { half, half + 9 }, { 1, #sent } }
      for _, sp in ipairs(spans) do
        for _, pub in ipairs { false, "2022-01-01" } do
          assert.same({ ref_modality(sent, sp[1], sp[2], "en", pub or nil) },
            { cues.modality(sent, sp[1], sp[2], "en", pub or nil) })
        end
      end
    end
    assert.same({ "planned", true, "will", #a - 15, #a - 12 }, { cues.modality(a, #a - 6, #a, "en") })
  end)

  it("finds cues, years and dates where a cue begins with a digit", function()
    table.insert(cues.lists.historic, "1990s")
    table.insert(cues.lists.negation, "0 @en")
    table.insert(cues.lists.hedged, "2005")
    cues.reload()
    local sents = { "1990s: 2006 arms were sold in 2006", "in 1990s they sold 0 tanks in 2001",
      "19901 1990s 0", "in 2005 they sold tanks, and many more of them in 2009" }
    local r = rex.new(date.pattern)
    local ok, err = pcall(function()
      check_against_reference(sents)
      -- dates found after modality (which hands date.find the anchors of the sentence)
      for _, sent in ipairs(sents) do
        cues.modality(sent, 1, 1, "en")
        for init = 1, #sent + 1 do assert.same({ r:find(sent, init) }, { date._span(sent, init) }) end
      end
    end)
    table.remove(cues.lists.historic)
    table.remove(cues.lists.negation)
    table.remove(cues.lists.hedged)
    cues.reload()
    assert(ok, err)
    assert.equal("historic", (cues.modality("they sold 0 tanks in 2001", 6, 18, "en", "2022-01-01")))
  end)

  it("builds one whole-word pattern per phrase", function()
    assert.equal("(?<![\\w\\x80-\\xff])negira[\\w\\x80-\\xff']*(?![\\w\\x80-\\xff])",
      cues.phrase_pattern("negira*"))
    assert.has_error(function() cues.phrase_pattern("ne*gira") end,
      "dossier.recognisers.cues: '*' only at the end of a word: 'ne*gira'")
    assert.has_error(function() cues.phrase_pattern("  ") end,
      "dossier.recognisers.cues: a cue must be a non-empty string")
  end)

  it("recompiles edited lists on reload", function()
    local f = "the deal was scrapped"
    assert.equal("asserted", (cues.modality(f, 1, 8)))
    table.insert(cues.lists.denied, "scrapped")
    cues.reload()
    assert.equal("denied", (cues.modality(f, 1, 8)))
    table.remove(cues.lists.denied)
    cues.reload()
    assert.equal("asserted", (cues.modality(f, 1, 8)))
  end)

  it("raises on bad arguments, naming the module", function()
    assert.has_error(function() cues.modality(nil, 1, 1) end,
      "dossier.recognisers.cues: sentence must be a string, got nil")
    assert.has_error(function() cues.modality("abc", 1.5, 2) end,
      "dossier.recognisers.cues: span must be two integers")
    assert.has_error(function() cues.modality("abc", 2, 9) end,
      "dossier.recognisers.cues: span 2..9 outside the sentence (length 3)")
    assert.has_error(function() cues.modality("abc", 0, 1) end,
      "dossier.recognisers.cues: span 0..1 outside the sentence (length 3)")
    assert.has_error(function() cues.modality("abc", 1, 2, "fr") end,
      "dossier.recognisers.cues: unsupported language 'fr'")
    assert.has_error(function() cues.modality("abc", 1, 2, nil, "March 2022") end,
      "dossier.recognisers.cues: published must be an ISO date 'YYYY-MM-DD'")
  end)

  it("classifies real news sentences with cues that lie in the sentence", function()
    local fh = io.open(DATA .. "/news/bbc_news_2004-2005.jsonl")
    if not fh then
      pending("skipped: " .. DATA .. "/news not found")
      return
    end
    fh:close()
    local counts, n = {}, 0
    local files = { "bbc_news_2004-2005.jsonl", "alo_articles_sr_latn.jsonl", "hr_setimes_ud_dev_test.jsonl" }
    for _, file in ipairs(files) do
      fh = io.open(DATA .. "/news/" .. file)
      local docs = 0
      for line in fh:lines() do
        docs = docs + 1
        if docs > 60 then break end
        local body = (line:match('"text": "(.-[^\\])"') or ""):gsub("\\n", " ")
        local lang = line:match('"lang": "(%a+)"')
        for a, b in text.sentences(body, lang) do
          local s = text.fold(body:sub(a, b))
          if #s > 10 then
            -- span: the middle third of the sentence
            local x, y = #s // 3 + 1, 2 * #s // 3
            local m, neg, cue, ca, cb = cues.modality(s, x, y, lang)
            n = n + 1
            counts[m] = (counts[m] or 0) + 1
            assert.is_boolean(neg)
            if cue then
              assert.equal(cue, s:sub(ca, cb))
              assert.is_falsy(s:sub(ca - 1, ca - 1):match("[%w\128-\255]"))
              assert.is_falsy(s:sub(cb + 1, cb + 1):match("[%w\128-\255]"))
            else
              assert.equal("asserted", m)
              assert.is_false(neg)
            end
          end
        end
      end
      fh:close()
    end
    assert.is_true(n > 1000)
    -- every modality occurs in real news, and most sentences are plain assertions
    for _, m in ipairs { "asserted", "planned", "hedged", "denied", "historic" } do
      assert.is_true((counts[m] or 0) > 0, m .. " never seen")
    end
    assert.is_true(counts.asserted > n / 3)
    if os.getenv("DOSSIER_VERBOSE") then
      for k, v in pairs(counts) do print(k, v) end
    end
  end)
end)
