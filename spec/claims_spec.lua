-- luacheck: std +busted
-- Specs for dossier.claims. Oracles: a hand-checked table of our own sentences (English,
-- Serbian Latin and Cyrillic, Croatian) covering each stance and relay case; the answer key of
-- the example corpus (examples/corpus/answers.lua: claims with speaker, relay chain, stance and
-- events; propositions with origins by stance; conflicts). Items the key marks `hard` are
-- reported, not required: the corpus is measured with floors (every non-hard claim found,
-- precision at least 0.5), and where our proposition tables may differ from the key because
-- of a hard item, the difference is allowed and explained below (doc/claims.md, Limitations),
-- never required, so that getting a hard item right never fails here.
local claims = require "dossier.claims"
local store = require "dossier.store"
local text = require "dossier.text"

local CORPUS = "examples/corpus/news"
local KEY = "examples/corpus/answers.lua"

local function sentence_of(s, pos)
  for a, b in text.sentences(s) do
    if pos >= a and pos <= b then return a, b end
  end
end

-- A store holding one document; `events` = { {quote=, type=, modality=, ...}, ... }.
local function one_doc(body, lang, events, outlet)
  local db = store.open(":memory:")
  local id = db:add_document { source = outlet or "Test Wire", text = body, lang = lang,
    published = "2022-09-07" }
  for _, e in ipairs(events or {}) do
    local a, b = body:find(e.quote, 1, true)
    assert(a, "quote not in text: " .. e.quote)
    local ss, se = sentence_of(body, a)
    e.id = db:add_event { doc_id = id, type = e.type or "arms_transfer", actor1 = e.actor1 or "PRK",
      actor2 = e.actor2 or "RUS", modality = e.modality or "asserted", start = a, stop = b,
      sent_start = ss, sent_stop = se }
  end
  return db, id
end

-- attributed claims grouped per attribution: { speaker=, via=, stance=, events={ids}, n= }
local function attributions(db, doc_id)
  local out, by = {}, {}
  for r in db:rows("SELECT id, event_id, speaker, via, stance, cue, start, stop, attrs FROM claims "
      .. "WHERE doc_id = ? ORDER BY start, id", doc_id) do
    local attrs = require("cjson").decode(r.attrs)
    local k = table.concat({ r.start, r.stop, r.speaker or "" }, "|")
    local g = by[k]
    if not g then
      g = { speaker = r.speaker, via = r.via or "", stance = r.stance, cue = r.cue, kind = attrs.kind,
        events = {}, attrs = attrs, start = r.start, stop = r.stop }
      by[k] = g
      out[#out + 1] = g
    end
    if r.event_id then g.events[#g.events + 1] = r.event_id end
  end
  return out
end

describe("dossier.claims", function()
  -- { text, lang, events, expected attributed claims { speaker, via, stance, linked event quotes } }
  local CASES = {
    -- English: speech verbs and stances
    { "Iran sold drones to Russia last week, the Ukrainian foreign ministry said.", "en",
      { { quote = "Iran sold drones to Russia" } },
      { { "UKR", "", "assert", { 1 } } } },
    { "Tehran denied that it sold drones to Russia.", "en",
      { { quote = "it sold drones to Russia", modality = "denied" } },
      { { "IRN", "", "deny", { 1 } } } },
    { "Russia reportedly bought shells from North Korea, according to Reuters.", "en",
      { { quote = "Russia reportedly bought shells from North Korea", modality = "hedged" } },
      { { "Reuters", "Reuters", "hedge", { 1 } } } },
    { "The Kremlin said on Monday that it plans to buy rockets from North Korea.", "en",
      { { quote = "buy rockets from North Korea", modality = "planned" } },
      { { "RUS", "", "plan", { 1 } } } },
    { "Britain, France and Germany said Iran had shipped missiles to Russia.", "en",
      { { quote = "Iran had shipped missiles to Russia" } },
      { { "GBR,FRA,DEU", "", "assert", { 1 } } } },
    { "The diplomat, who asked not to be named, said Iran had shipped drones to Russia.", "en",
      { { quote = "Iran had shipped drones to Russia" } },
      { { "diplomat", "", "assert", { 1 } } } },
    { "The defence ministry said the drills would go ahead.", "en", {},
      { { "Ministry of Defence", "", "assert", {} } } },
    { "Ministarstvo odbrane Japana saopštilo je da je raketa pala u more.", "sr", {},
      { { "JPN", "", "assert", {} } } },
    { "China's envoy said new sanctions would not help.", "en", {},
      { { "CHN", "", "assert", {} } } },
    -- English: relays
    { "AFP reports, citing the Washington Post, which first reported the sale, that Iran shipped "
      .. "missiles to Russia, according to US officials.", "en",
      { { quote = "Iran shipped missiles to Russia" } },
      { { "USA", "AFP > The Washington Post", "assert", { 1 } } } },
    { "Iran shipped missiles to Russia, as reported by Bloomberg.", "en",
      { { quote = "Iran shipped missiles to Russia" } },
      { { "Bloomberg", "Bloomberg", "assert", { 1 } } } },
    { "A Pentagon spokesman told Reuters that Iran shipped drones to Russia.", "en",
      { { quote = "Iran shipped drones to Russia" } },
      { { "USA", "Reuters", "assert", { 1 } } } },
    { "A US official confirmed that Russia is buying shells from North Korea, after CNN first "
      .. "reported the purchases.", "en",
      { { quote = "Russia is buying shells from North Korea" } },
      { { "USA", "", "assert", { 1 } }, { "CNN", "CNN", "assert", { 1 } } } },
    { "North Korea launched a missile on Monday. The launch was first reported by Kyodo.", "en",
      { { quote = "North Korea launched a missile", type = "ballistic_launch" } },
      { { "Kyodo", "Kyodo", "assert", { 1 } } } },
    { "Russia buys shells from North Korea, the Washington Post reported. The deal is worth "
      .. "millions, the newspaper said.", "en",
      { { quote = "Russia buys shells from North Korea" } },
      { { "The Washington Post", "The Washington Post", "assert", { 1 } } } },
    { "The official did not say when the shipments began.", "en", {}, {} },
    { "North Korea fired a missile, and the Japanese government said it flew 70 minutes.", "en",
      { { quote = "North Korea fired a missile", type = "ballistic_launch" } },
      { { "JPN", "", "assert", {} } } },
    -- Serbian, Latin script
    { "Rusija je kupila granate od Severne Koreje, rekao je portparol Stejt departmenta.", "sr",
      { { quote = "Rusija je kupila granate od Severne Koreje" } },
      { { "USA", "", "assert", { 1 } } } },
    { "Iran je negirao da je slao dronove Rusiji.", "sr",
      { { quote = "slao dronove Rusiji", modality = "denied" } },
      { { "IRN", "", "deny", { 1 } } } },
    { "Severna Koreja navodno šalje radnike u Rusiju, prenosi agencija Tanjug pozivajući se na "
      .. "južnokorejske zvaničnike.", "sr",
      { { quote = "Severna Koreja navodno šalje radnike u Rusiju", type = "workers_abroad" } },
      { { "KOR", "Tanjug", "hedge", { 1 } } } },
    { "Prema rečima ruskog ambasadora, Moskva planira nabavku granata od Severne Koreje.", "sr",
      { { quote = "Moskva planira nabavku granata od Severne Koreje", modality = "planned" } },
      { { "RUS", "", "plan", { 1 } } } },
    { "Raketa je ispaljena prema Japanskom moru, javlja agencija Kjodo.", "sr",
      { { quote = "Raketa je ispaljena", type = "ballistic_launch", actor2 = nil } },
      { { "Kyodo", "Kyodo", "assert", { 1 } } } },
    { "Rusija kupuje granate od Severne Koreje, javlja agencija Frans pres, pozivajući se na "
      .. "Njujork tajms, koji je prvi objavio podatke američkih obaveštajnih službi.", "sr",
      { { quote = "Rusija kupuje granate od Severne Koreje" } },
      { { "USA", "AFP > The New York Times", "assert", { 1 } } } },
    { "Iran šalje dronove Rusiji, kako je navela britanska vlada.", "sr",
      { { quote = "Iran šalje dronove Rusiji", type = "drone_transfer" } },
      { { "GBR", "", "assert", { 1 } } } },
    { "Iran je isporučio dronove Rusiji, saopšteno je iz ukrajinskog ministarstva odbrane.", "sr",
      { { quote = "Iran je isporučio dronove Rusiji", type = "drone_transfer" } },
      { { "UKR", "", "assert", { 1 } } } },
    { "Zvaničnik nije rekao koliko je granata isporučeno.", "sr", {}, {} },
    { "Kako prenosi Tanjug, Rusija kupuje granate od Severne Koreje. Agencija se poziva na pisanje "
      .. "lista Vašington post.", "sr",
      { { quote = "Rusija kupuje granate od Severne Koreje" } },
      { { "The Washington Post", "Tanjug > The Washington Post", "assert", { 1 } } } },
    { "Rusija je u procesu kupovine granata od Severne Koreje, prvo je preneo dnevnik Vašington post, "
      .. "pozivajući se na američke zvaničnike.", "sr",
      { { quote = "Rusija je u procesu kupovine granata od Severne Koreje", modality = "planned" } },
      { { "USA", "The Washington Post", "plan", { 1 } } } },
    { "Severna Koreja negirala je da je prodavala oružje Rusiji, prenela je agencija KCNA.", "sr",
      { { quote = "prodavala oružje Rusiji", modality = "denied" } },
      { { "PRK", "KCNA", "deny", { 1 } } } },
    -- Croatian
    { "Njemačka vlada priopćila je da Iran šalje dronove Rusiji.", "hr",
      { { quote = "Iran šalje dronove Rusiji", type = "drone_transfer" } },
      { { "DEU", "", "assert", { 1 } } } },
    { "Iran isporučuje bespilotne letjelice Rusiji, kazao je ukrajinski ministar.", "hr",
      { { quote = "Iran isporučuje bespilotne letjelice Rusiji", type = "drone_transfer" } },
      { { "UKR", "", "assert", { 1 } } } },
    { "Iranski ministar odbacio je optužbe i rekao da Iran ne šalje oružje.", "hr",
      { { quote = "Iran ne šalje oružje", type = "drone_transfer", modality = "denied" } },
      { { "IRN", "", "deny", { 1 } } } },
    { "Sjeverna Koreja ispalila je projektil, priopćio je japanski Stožer.", "hr",
      { { quote = "Sjeverna Koreja ispalila je projektil", type = "ballistic_launch" } },
      { { "JPN", "", "assert", { 1 } } } },
    -- Serbian, Cyrillic script
    { "Северна Кореја испалила је ракету, јавља јапанска агенција Кјодо.", "sr",
      { { quote = "Северна Кореја испалила је ракету", type = "ballistic_launch" } },
      { { "Kyodo", "Kyodo", "assert", { 1 } } } },
    { "Иран наводно испоручује дронове Русији, саопштило је Министарство одбране Украјине.", "sr",
      { { quote = "Иран наводно испоручује дронове Русији", type = "drone_transfer", modality = "hedged" } },
      { { "UKR", "", "hedge", { 1 } } } },
    { "Русија купује гранате од Северне Кореје, пренела је агенција Ројтерс, позивајући се на "
      .. "америчке званичнике.", "sr",
      { { quote = "Русија купује гранате од Северне Кореје" } },
      { { "USA", "Reuters", "assert", { 1 } } } },
    { "Иран је негирао да је слао дронове Русији.", "sr",
      { { quote = "слао дронове Русији", type = "drone_transfer", modality = "denied" } },
      { { "IRN", "", "deny", { 1 } } } },
    { "Северна Кореја испалила је ракету. Лансирање су осудиле Сједињене Државе и Јапан.", "sr",
      { { quote = "Северна Кореја испалила је ракету", type = "ballistic_launch" } },
      { { "USA,JPN", "", "assert", { 1 } } } },
    { "Руски амбасадор изјавио је да би радници могли да стигну. Према његовим речима, Пјонгјанг "
      .. "намерава да пошаље раднике у Русију.", "sr",
      { { quote = "Пјонгјанг намерава да пошаље раднике у Русију", type = "workers_abroad",
          modality = "planned" } },
      { { "RUS", "", "hedge", {} }, { "RUS", "", "plan", { 1 } } } },
  }

  describe("hand-checked attributions", function()
    for _, case in ipairs(CASES) do
      local body, lang, events, want = case[1], case[2], case[3], case[4]
      it(lang .. ": " .. body:sub(1, 70), function()
        local db <close>, id = one_doc(body, lang, events)
        local r = claims.extract(db)
        assert.same(1, r.documents)
        local got = {}
        for _, g in ipairs(attributions(db, id)) do
          if g.kind == "attributed" then
            local idx = {}
            for _, ev in ipairs(g.events) do
              for k, e in ipairs(events) do if e.id == ev then idx[#idx + 1] = k end end
            end
            got[#got + 1] = { g.speaker, g.via, g.stance, idx }
          end
        end
        assert.same(want, got)
      end)
    end
  end)

  describe("the outlet's own claims", function()
    it("gives every event no attribution covers to its outlet, hedged by 'navodno'", function()
      local body = "Iran navodno šalje dronove Rusiji. Rusija kupuje granate od Severne Koreje."
      local db <close>, id = one_doc(body, "sr", {
        { quote = "Iran navodno šalje dronove Rusiji", type = "drone_transfer", modality = "hedged" },
        { quote = "Rusija kupuje granate od Severne Koreje" } }, "Portal X")
      claims.extract(db)
      local got = {}
      for _, g in ipairs(attributions(db, id)) do
        got[#got + 1] = { g.kind, g.speaker, g.stance, g.cue, g.attrs.origin }
      end
      assert.same({ { "outlet", "Portal X", "hedge", "navodno", "Portal X" },
        { "outlet", "Portal X", "assert", nil, "Portal X" } }, got)
    end)

    it("takes the stance from the event's modality when no cue word decides", function()
      local body = "North Korea plans to send workers to Russia."
      local db <close>, id = one_doc(body, "en", {
        { quote = "send workers to Russia", type = "workers_abroad", modality = "planned" } })
      claims.extract(db)
      local g = attributions(db, id)
      assert.same(1, #g)
      assert.same({ "outlet", "plan" }, { g[1].kind, g[1].stance })
    end)
  end)

  describe("storage and re-runs", function()
    it("replaces the claims of its earlier runs and keeps one run row", function()
      local db <close> = one_doc("Iran denied that it sold drones to Russia, Reuters reported.", "en",
        { { quote = "it sold drones to Russia", modality = "denied" } })
      local r1 = claims.extract(db)
      local r2 = claims.extract(db, { force = true })
      assert.same(r1, r2)
      assert.same(r1.claims, db:value("SELECT count(*) FROM claims"))
      assert.same(1, db:value("SELECT count(*) FROM runs WHERE ruleset = ?", claims.EXTRACTOR))
      local row = db:first("SELECT speaker, via, stance, start, stop, source_id FROM claims")
      assert.same({ "IRN", "Reuters", "deny" }, { row.speaker, row.via, row.stance })
      assert.same(db:value("SELECT source_id FROM documents"), row.source_id)
      local body = db:value("SELECT text FROM documents")
      assert.truthy(body:sub(row.start, row.stop):find("Reuters reported", 1, true))
    end)

    it("works only on stale documents: new, or with events coded since its last run", function()
      local db <close> = store.open(":memory:")
      local body = "North Korea fired a ballistic missile on Thursday, South Korea's military said."
      local a = db:add_document { source = "A", lang = "en", published = "2022-03-24", text = body }
      -- what dossier.extract does when it codes a document: a run, the document's state in
      -- doc_runs, its events (all of them deleted first when it codes the document again)
      local function code(doc)
        db:exec("INSERT INTO runs (ruleset, hash) VALUES ('rules', 'h')")
        local run = db:last_id()
        db:exec("DELETE FROM events WHERE doc_id = ?", doc)
        db:exec("INSERT OR REPLACE INTO doc_runs (doc_id, ruleset_hash, run_id) VALUES (?, 'rules h', ?)",
          doc, run)
        local s, e = body:find("fired a ballistic missile", 1, true)
        db:exec("INSERT INTO events (doc_id, run_id, type, actor1, modality, start, stop, sent_start, "
          .. "sent_stop) VALUES (?, ?, 'ballistic_launch', 'PRK', 'asserted', ?, ?, 1, ?)",
          doc, run, s, e, #body)
      end
      code(a)
      local r = claims.extract(db)
      assert.same({ 1, 0 }, { r.documents, r.up_to_date })
      local n = db:value("SELECT count(*) FROM claims WHERE doc_id = ?", a)
      assert.same(1, db:value("SELECT count(*) FROM claims WHERE event_id IS NOT NULL "
        .. "AND json_extract(attrs, '$.kind') = 'attributed'"))
      -- nothing changed: nothing to do, the claims stay
      assert.same({ claims = 0, documents = 0, up_to_date = 1 }, claims.extract(db))
      assert.same(n, db:value("SELECT count(*) FROM claims WHERE doc_id = ?", a))
      -- a new document is worked on alone
      db:add_document { source = "B", lang = "sr", text = "Vlada je saopštila da je plan gotov." }
      r = claims.extract(db)
      assert.same({ 1, 1 }, { r.documents, r.up_to_date })
      -- the document coded again: its events, and through ON DELETE CASCADE the claims about
      -- them, are gone; the next run derives its claims again, and only its
      code(a)
      assert.same(0, db:value("SELECT count(*) FROM claims WHERE event_id IS NOT NULL"))
      r = claims.extract(db)
      assert.same({ 1, 1 }, { r.documents, r.up_to_date })
      assert.same(n, db:value("SELECT count(*) FROM claims WHERE doc_id = ?", a))
      assert.same(1, db:value("SELECT count(*) FROM claims WHERE event_id IS NOT NULL "
        .. "AND json_extract(attrs, '$.kind') = 'attributed'"))
      -- a run with a lexicon of its own marks what it touched as not up to date
      claims.extract(db, { speakers = require("dossier.lexicon").new() })
      assert.same(2, claims.extract(db).documents)
    end)

    it("only touches the documents named in opts.docs", function()
      local db <close> = store.open(":memory:")
      local a = db:add_document { source = "A", text = "Iran said it sold nothing." }
      local b = db:add_document { source = "B", text = "Russia said it bought nothing." }
      claims.extract(db, { docs = { a } })
      assert.same(1, db:value("SELECT count(*) FROM claims"))
      assert.same(0, db:value("SELECT count(*) FROM claims WHERE doc_id = ?", b))
      claims.extract(db, { docs = { b } })
      assert.same(2, db:value("SELECT count(*) FROM claims"))
      claims.extract(db, { docs = { a } })
      assert.same(2, db:value("SELECT count(*) FROM claims"))
    end)

    it("uses a speaker lexicon given in opts.speakers", function()
      local lexicon = require "dossier.lexicon"
      local lex = lexicon.new():add("Ministry of Magic", "MOM", { kind = "actor" })
      local db <close>, id = one_doc("The Ministry of Magic said Iran sold drones to Russia.", "en",
        { { quote = "Iran sold drones to Russia" } })
      claims.extract(db, { speakers = lex })
      assert.same("MOM", attributions(db, id)[1].speaker)
    end)

    it("rejects bad arguments with a message naming the module", function()
      local db <close> = store.open(":memory:")
      assert.has_error(function() claims.extract(nil) end,
        "dossier.claims: extract: expected a store, got nil")
      assert.has_error(function() claims.extract(db, 5) end, "dossier.claims: extract: opts must be a table")
      assert.has_error(function() claims.extract(db, { docs = 1 }) end,
        "dossier.claims: extract: opts.docs must be an array of document ids")
      assert.has_error(function() claims.extract(db, { speakers = "x" }) end,
        "dossier.claims: extract: opts.speakers must be a dossier.lexicon")
      assert.has_error(function() claims.compare(db, { group = 1 }) end,
        "dossier.claims: compare: opts.group must be a function")
      assert.same({ claims = 0, documents = 0, up_to_date = 0 }, claims.extract(db))
      assert.same({}, claims.compare(db))
    end)
  end)

  describe("compare", function()
    it("counts a relay once, with its origin, and reports stance and quantity conflicts", function()
      local db <close> = store.open(":memory:")
      local function doc(outlet, body, quote, ev)
        local id = db:add_document { source = outlet, text = body, lang = "en", published = ev.date }
        local a, b = body:find(quote, 1, true)
        ev.doc_id, ev.start, ev.stop, ev.sent_start, ev.sent_stop = id, a, b, 1, #body
        ev.date = nil
        db:add_event(ev)
      end
      doc("Wire A", "Russia bought 18 rockets from North Korea, the Washington Post reported.",
        "Russia bought 18 rockets from North Korea",
        { type = "arms_transfer", actor1 = "PRK", actor2 = "RUS", qty = 18, date = "2022-09-01",
          modality = "asserted", attrs = { qty_qualifier = "exact" } })
      doc("Wire B", "Russia bought more than 30 rockets from North Korea, AP reports, citing the "
        .. "Washington Post.", "Russia bought more than 30 rockets from North Korea",
        { type = "arms_transfer", actor1 = "PRK", actor2 = "RUS", qty = 30, date = "2022-09-02",
          modality = "asserted", attrs = { qty_qualifier = "at_least" } })
      doc("Wire C", "North Korea denied that it sold rockets to Russia.", "it sold rockets to Russia",
        { type = "arms_transfer", actor1 = "PRK", actor2 = "RUS", date = "2022-09-03", modality = "denied" })
      doc("Wire C", "North Korea has not tested a nuclear bomb this year.", "tested a nuclear bomb",
        { type = "nuclear_test", actor1 = "PRK", date = "2022-09-04", modality = "asserted", negated = true })
      claims.extract(db)
      local props = claims.compare(db)
      assert.same(1, #props)                  -- the negated assertion is no proposition
      local p = props[1]
      assert.same("arms_transfer PRK→RUS", p.key)
      assert.same(3, p.mentions)
      assert.same(1, p.origins)               -- both wires relay the Post
      assert.same({ "The Washington Post" }, p.origin_names)
      assert.same({ 1, 1, 0, 0 }, { p.asserting, p.denying, p.hedging, p.planning })
      local kinds = {}
      for _, c in ipairs(p.conflicts) do kinds[#kinds + 1] = c.kind .. ": " .. c.note end
      assert.same({ "stance: The Washington Post vs denied by Wire C", "quantity: 18 vs at least 30" }, kinds)
      local st = p.conflicts[1]
      assert.same({ "assert", "deny" }, { st.a.stance, st.b.stance })
      assert.same("Wire C", st.b.origin)
      assert.same("North Korea denied", st.b.quote)
      for _, s in ipairs(p.sources) do
        assert.truthy(s.claim_id and s.event_id and s.doc_id and s.published and s.sent_start)
      end
    end)

    it("keeps a count of launches apart from a single launch", function()
      local db <close> = store.open(":memory:")
      local body = "North Korea fired a missile. It has fired more than 30 missiles this year."
      local id = db:add_document { source = "W", text = body, lang = "en" }
      db:add_event { doc_id = id, type = "ballistic_launch", actor1 = "PRK", start = 1, stop = 27 }
      db:add_event { doc_id = id, type = "ballistic_launch", actor1 = "PRK", qty = 30, start = 30, stop = 58 }
      local props = claims.compare(db)
      assert.same({ "ballistic_launch PRK", "ballistic_launch PRK (count)" }, { props[1].key, props[2].key })
      assert.same("outlet", props[1].sources[1].kind)   -- no claims stored: the outlet's own report
    end)
  end)

  describe("real news (../shared/data/news)", function()
    local DATA = os.getenv("DOSSIER_DATA") or "../shared/data"
    local SCALE = os.getenv("DOSSIER_CHECK") == "valgrind" and 5 or 1

    local function load(db, file, limit)
      local f = io.open(DATA .. "/news/" .. file)
      if not f then return nil end
      local cjson = require "cjson"
      local n = 0
      for line in f:lines() do
        local d = cjson.decode(line)
        db:add_document { source = d.outlet, text = d.text, lang = d.lang, ext_id = d.id }
        n = n + 1
        if n >= limit then break end
      end
      f:close()
      return n
    end

    local CUE_KEYS = {}
    for phrase in pairs(claims.cues.verbs) do CUE_KEYS[#CUE_KEYS + 1] = phrase end

    -- slow reference: does the folded cue start one of the cue phrases (stems by prefix)?
    local function is_cue(cue)
      local key = text.fold(cue)
      for _, phrase in ipairs(CUE_KEYS) do
        local first = phrase:match("^(%S+)")
        if first:sub(-1) == "*" then
          if key:sub(1, #first - 1) == first:sub(1, -2) then return true end
        elseif key == phrase or key == first or phrase:sub(1, #key + 1) == key .. " " then
          return true
        end
      end
      return false
    end

    it("stores well-formed claims: spans on characters, cue inside, chains ending at the origin #slow",
      function()
      local db <close> = store.open(":memory:")
      local n = load(db, "bbc_news_2004-2005.jsonl", 300 // SCALE)
      if not n then
        pending("needs " .. DATA .. "/news")
        return
      end
      load(db, "hr_setimes_ud_dev_test.jsonl", 62 // SCALE)
      load(db, "alo_articles_sr_latn.jsonl", 300 // SCALE)
      local r = claims.extract(db)
      assert.truthy(r.claims > r.documents)           -- news is full of attributions
      local STANCES = { assert = true, deny = true, hedge = true, plan = true }
      local cjson = require "cjson"
      local rows = 0
      for c in db:rows("SELECT c.*, d.text FROM claims c JOIN documents d ON d.id = c.doc_id") do
        rows = rows + 1
        assert.truthy(STANCES[c.stance], c.stance)
        assert.truthy(c.start >= 1 and c.start <= c.stop and c.stop <= #c.text)
        local span = c.text:sub(c.start, c.stop)
        assert.truthy(utf8.len(span), "span not on character boundaries")
        assert.truthy(span:find(c.cue, 1, true), "cue outside its span")
        assert.truthy(c.cue == ":" or is_cue(c.cue), "not a cue phrase: " .. c.cue)  -- ":" headline
        local attrs = cjson.decode(c.attrs)
        assert.same("attributed", attrs.kind)         -- no events in the store: no outlet claims
        if c.via then
          assert.same(c.via, table.concat(attrs.chain, " > "))
          assert.same(attrs.chain[#attrs.chain], attrs.origin)
        else
          assert.same(c.source_id, db:value("SELECT source_id FROM documents WHERE id = ?", c.doc_id))
        end
        assert.truthy(c.speaker and c.speaker:find("%S"))
      end
      assert.same(r.claims, rows)
      assert.same(r, claims.extract(db, { force = true }))   -- deterministic, and re-runs replace
      assert.same({ claims = 0, documents = 0, up_to_date = r.documents }, claims.extract(db))
    end)

    it("finds the same claims in the Latin and Cyrillic editions of the same documents", function()
      local latn <close> = store.open(":memory:")
      local cyrl <close> = store.open(":memory:")
      if not load(latn, "sr_latn_setimes_ud_dev_test.jsonl", 44 // SCALE) then
        pending("needs " .. DATA .. "/news")
        return
      end
      load(cyrl, "sr_cyrl_translit_setimes_ud_dev_test.jsonl", 44 // SCALE)
      claims.extract(latn)
      claims.extract(cyrl)
      local function summary(db)
        local out = {}
        for c in db:rows("SELECT d.ext_id, c.speaker, c.via, c.stance, c.cue FROM claims c "
            .. "JOIN documents d ON d.id = c.doc_id ORDER BY d.ext_id, c.start") do
          -- speakers kept as written differ by script: compare them folded
          local id = c.ext_id:gsub("_cyr", "")
          out[#out + 1] = table.concat({ id, text.fold(c.speaker), c.via or "", c.stance,
            text.fold(c.cue) }, " | ")
        end
        return out
      end
      local a, b = summary(latn), summary(cyrl)
      assert.truthy(#a > 10)
      assert.same(a, b)
    end)
  end)

  describe("the example corpus", function()
    local A = dofile(KEY)

    local function setup(with_hard_events)
      local db = store.open(":memory:")
      db:ingest(CORPUS, { progress = false })
      local docs = {}
      for r in db:rows("SELECT id, ext_id, text FROM documents") do docs[r.ext_id] = r end
      local ids = {}
      for _, a in ipairs(A.articles) do
        local d = docs[a.id]
        ids[a.id] = {}
        for i, e in ipairs(a.events) do
          if with_hard_events or not e.hard then
            local s, t = d.text:find(e.quote, 1, true)
            local ss, se = sentence_of(d.text, s)
            ids[a.id][i] = db:add_event { doc_id = d.id, type = e.type, actor1 = e.actor1,
              actor2 = e.actor2, qty = e.qty, modality = e.modality, negated = e.negated, start = s,
              stop = t, sent_start = ss, sent_stop = se,
              attrs = { qty_qualifier = e.qty_qualifier, incident = e.incident } }
          end
        end
      end
      return db, docs, ids
    end

    -- the key's speaker as we normalise it: actor codes, or the outlet (end of its chain)
    local function key_speaker(c)
      if type(c.speaker_actor) == "table" then return table.concat(c.speaker_actor, ",") end
      if c.speaker_actor then return c.speaker_actor end
      if c.speaker and #c.via > 0 then return c.via[#c.via] end
      return c.speaker
    end

    -- the key names actors by code (KCNA: PRK) and outlets by name
    local function same_speaker(g, c)
      if g.kind == "outlet" then return c.speaker == nil end
      local acts = type(g.attrs.actors) == "table" and table.concat(g.attrs.actors, ",") or nil
      if c.speaker_actor then return acts == key_speaker(c) end
      return g.speaker == key_speaker(c)
    end

    local function evaluate(db, docs, ids)
      local rows = { found = 0, wanted = 0, hard_found = 0, hard = 0, mine = 0, na = 0, misses = {} }
      for _, a in ipairs(A.articles) do
        local got = attributions(db, docs[a.id].id)
        local used = {}
        for _, g in ipairs(got) do
          if g.kind == "attributed" then rows.mine = rows.mine + 1 end
        end
        -- non-hard claims pick their match first
        local order = {}
        for i, c in ipairs(a.claims) do if not c.hard then order[#order + 1] = i end end
        for i, c in ipairs(a.claims) do if c.hard then order[#order + 1] = i end end
        for _, i in ipairs(order) do
          local c = a.claims[i]
          local want_ev = {}
          for _, k in ipairs(c.events or {}) do
            if ids[a.id][k] then want_ev[#want_ev + 1] = ids[a.id][k] end
          end
          table.sort(want_ev)
          -- the outlet's own (unattributed) claims exist per event mention only
          local applicable = not (c.speaker == nil and #want_ev == 0)
          local hit
          for gi, g in ipairs(got) do
            local evs = { table.unpack(g.events) }
            table.sort(evs)
            local same = not used[gi] and same_speaker(g, c) and g.via == table.concat(c.via, " > ")
              and g.stance == c.stance and table.concat(evs, ",") == table.concat(want_ev, ",")
              and (c.speaker ~= nil) == (g.kind == "attributed")
            if same then hit = gi break end
          end
          if hit then used[hit] = true end
          if not applicable then
            rows.na = rows.na + 1
          elseif c.hard then
            rows.hard = rows.hard + 1
            if hit then rows.hard_found = rows.hard_found + 1 end
          else
            rows.wanted = rows.wanted + 1
            if hit then rows.found = rows.found + 1
            else rows.misses[#rows.misses + 1] = a.id .. " C" .. i end
          end
        end
      end
      return rows
    end

    it("finds every non-hard claim of the key with its speaker, chain, stance and events "
      .. "(events: the key's non-hard ones)", function()
      local db <close>, docs, ids = setup(false)
      local r = claims.extract(db)
      assert.same(#A.articles, r.documents)
      local e = evaluate(db, docs, ids)
      print(string.format("\n  claims (non-hard events): recall %d/%d non-hard, %d/%d hard; "
        .. "precision %d/%d attributions match a key claim (%.2f); %d not applicable (an "
        .. "unattributed claim about an event not inserted)", e.found, e.wanted, e.hard_found,
        e.hard, e.found + e.hard_found, e.mine, (e.found + e.hard_found) / e.mine, e.na))
      assert.is_true(e.wanted >= 40, "too few key claims to mean anything: " .. e.wanted)
      assert.same({}, e.misses)
      assert.is_true(e.found + e.hard_found >= 0.5 * e.mine, "precision below 0.5")
    end)

    it("finds them with all of the key's events too", function()
      local db <close>, docs, ids = setup(true)
      claims.extract(db)
      local e = evaluate(db, docs, ids)
      print(string.format("\n  claims (all events): recall %d/%d non-hard, %d/%d hard; "
        .. "precision %d/%d attributions match a key claim (%.2f)", e.found, e.wanted, e.hard_found,
        e.hard, e.found + e.hard_found, e.mine, (e.found + e.hard_found) / e.mine))
      assert.is_true(e.wanted >= 40, "too few key claims to mean anything: " .. e.wanted)
      assert.same({}, e.misses)
      assert.is_true(e.found + e.hard_found >= 0.5 * e.mine, "precision below 0.5")
    end)

    -- Where our proposition tables may differ from the key, and why (each traces to a hard item).
    -- Allowed, not required: a difference gone because a hard item is now right passes.
    local KNOWN = {
      ["I01 hedge -Вечерње новине"] = "vn-001 C3: 'сумњају' is about the missile type, in a "
        .. "sentence without event or back reference (hard)",
      ["I04 deny +Balkan Wire"] = "bw-004 C2: the KCNA relay is named in the previous sentence (hard)",
      ["I04 deny +Dnevni Glasnik"] = "dg-004 C2: the KCNA relay is named in the previous sentence (hard)",
      ["I07 assert -Pacific Dispatch"] = "pd-004 C2: 'the use of Shahed-136 drones' is no back "
        .. "reference our rules know (hard)",
      ["I07 hedge +Balkan Wire"] = "bw-005 C1: the speakers assert while the event clause is "
        .. "hedged by 'whether' (hard)",
    }

    it("gives the key's independent origins and conflicts per proposition (all events)", function()
      local db <close> = setup(true)
      claims.extract(db)
      local props = claims.compare(db)
      local by_inc = {}
      for _, p in ipairs(props) do
        local votes, best = {}, nil
        for _, s in ipairs(p.sources) do
          local ev = db:first("SELECT attrs FROM events WHERE id = ?", s.event_id)
          local inc = require("cjson").decode(ev.attrs).incident
          if inc then
            votes[inc] = (votes[inc] or 0) + 1
            if not best or votes[inc] > votes[best] then best = inc end
          end
        end
        assert.is_nil(by_inc[best], "two propositions for " .. tostring(best))
        by_inc[best] = p
      end
      local diffs, origins_ok, n = {}, 0, 0
      for inc, kp in pairs(A.propositions) do
        local p = by_inc[inc]
        assert.truthy(p, "no proposition for " .. inc)
        n = n + 1
        assert.same(kp.independent, p.origins, inc .. " independent origins")
        origins_ok = origins_ok + 1
        for _, st in ipairs { "assert", "hedge", "plan", "deny" } do
          local want, have = {}, {}
          for _, o in ipairs(kp.origins[st] or {}) do want[o] = true end
          for _, o in ipairs(p.stances[st]) do have[o] = true end
          local tag = inc .. " " .. st
          for o in pairs(want) do if not have[o] then diffs[#diffs + 1] = tag .. " -" .. o end end
          for o in pairs(have) do if not want[o] then diffs[#diffs + 1] = tag .. " +" .. o end end
        end
      end
      table.sort(diffs)
      print(string.format("\n  propositions: %d/%d with the key's independent origins; "
        .. "stance-by-origin differences (all from hard items): %d", origins_ok, n, #diffs))
      for _, d in ipairs(diffs) do print("    " .. d .. ": " .. tostring(KNOWN[d])) end
      for _, d in ipairs(diffs) do
        assert.is_not_nil(KNOWN[d], "differs from the key, not for a known hard item: " .. d)
      end
      -- conflicts: every one of the key's non-optional ones, by incident and kind, and none the
      -- key does not have (an optional one is acceptable either way)
      local want, allowed, have = {}, {}, {}
      for _, c in ipairs(A.conflicts) do
        local k = c.incident .. " " .. (c.kind == "qty" and "quantity" or c.kind)
        allowed[k] = true
        if not c.optional then want[#want + 1] = k end
      end
      for inc, p in pairs(by_inc) do
        for _, c in ipairs(p.conflicts) do
          local k = inc .. " " .. c.kind
          have[k] = c
          assert.is_true(allowed[k], "a conflict the key does not have: " .. k .. " (" .. c.note .. ")")
        end
      end
      for _, k in ipairs(want) do assert.is_not_nil(have[k], "the key's conflict not found: " .. k) end
      assert.same("at least 30 vs 18", have["I06 quantity"].note)
    end)
  end)
end)
