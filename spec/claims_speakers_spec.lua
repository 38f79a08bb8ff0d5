-- luacheck: std +busted
-- Specs for how dossier.claims names speakers on news-like sentences (our own, English and
-- Serbian/Croatian in Latin and Cyrillic): the rule set's actor lexicon as the one source of
-- states, pluggable actor lexicons with dated roles, institutions, offices resolved by
-- context, abbreviations, speakers after a quote or before a headline colon. Oracle: a
-- hand-checked answer per sentence.
local claims = require "dossier.claims"
local store = require "dossier.store"

-- the attributed claims of one document: array of {speaker=, text=, stance=, via=}
local function said(body, lang, opts, published, outlet)
  local db <close> = store.open(":memory:")
  db:add_document { source = outlet or "Test Wire", text = body, lang = lang,
    published = published or "2015-06-01" }
  claims.extract(db, opts)
  local out = {}
  local cjson = require "cjson"
  for r in db:rows("SELECT speaker, stance, via, attrs FROM claims ORDER BY start, id") do
    local a = cjson.decode(r.attrs)
    if a.kind == "attributed" then
      out[#out + 1] = { speaker = r.speaker, text = a.speaker_text, stance = r.stance, via = r.via }
    end
  end
  return out
end

local function speakers(list)
  local s = {}
  for i, c in ipairs(list) do s[i] = c.speaker end
  return s
end

describe("dossier.claims speakers", function()
  describe("one vocabulary with the rule set", function()
    it("takes states and leaders from the rule set's actor lexicon", function()
      -- "Putin" and "Kim Jong Un" are in dossier.lexicon.actors, not in a claims-only list
      assert.same({ "RUS" }, speakers(said("Putin said the talks had failed.", "en")))
      assert.same({ "PRK" }, speakers(said("Kim Jong Un said the test was a success.", "en")))
      assert.same({ "PRK" }, speakers(said("Ким Џонг Ун је рекао да је проба успела.", "sr")))
    end)

    it("keeps no second copy of the rule set's states in dossier.claims.speakers", function()
      local actors = require "dossier.lexicon.actors"
      local own = {}
      for _, e in ipairs(require "dossier.claims.speakers") do own[require("dossier.text").fold(e[1])] = e end
      for _, e in ipairs(actors) do
        assert.is_nil(own[require("dossier.text").fold(e[1])], "duplicated: " .. e[1])
      end
    end)

    it("reads an abbreviation that is also a word only in capitals (attrs.upper)", function()
      assert.same({ "USA" }, speakers(said("The US said the sanctions would stay.", "en")))
      local c = said("Most of us said the war was over.", "en")
      assert.equal(1, #c)
      assert.are_not.equal("USA", c[1].speaker)
    end)

    it("reads capitals the same way in Latin and Cyrillic", function()
      assert.same({ "USA" }, speakers(said("САД су саопштиле да санкције остају.", "sr")))
      local c = said("Ми смо тужни, сад је рекао да санкције остају.", "sr")
      for _, x in ipairs(c) do assert.are_not.equal("USA", x.speaker) end
    end)

    it("reads single-letter abbreviations with their dots as one word", function()
      assert.same({ "USA" },
        speakers(said("The U.S. Defense Department said it had awarded the contract.", "en")))
      assert.same({ "USA" }, speakers(said("U.S. officials said the talks would go on.", "en")))
    end)
  end)

  describe("one vocabulary for stances", function()
    local function stance(body, lang)
      local c = said(body, lang)
      return c[1] and c[1].stance
    end

    it("hedges with the rule set's modality cues (dossier.recognisers.cues)", function()
      -- "probably" and "verovatno" are hedges of the rule set's cue lists only
      assert.equal("hedge", stance("The minister said the deal would probably fail.", "en"))
      assert.equal("hedge", stance("Ministar je rekao da će dogovor verovatno propasti.", "sr"))
      assert.equal("hedge", stance("Министар је рекао да ће договор вероватно пропасти.", "sr"))
      -- modals ("could", "mogao bi") are a category of their own there
      assert.equal("hedge", stance("The official said the deal could involve millions of rounds.", "en"))
      assert.equal("hedge", stance("Ministar je rekao da bi mogao propasti dogovor.", "sr"))
    end)

    it("hedges with what only a speaker's stance needs: belief, seeming", function()
      assert.equal("hedge", stance("The president said he believed that Brazil would present a plan.", "en"))
      assert.equal("hedge", stance("Radnik je rekao da je incident izgleda izbio zbog svađe.", "sr"))
    end)

    it("denies when the speaker calls what it quotes as alleged baseless", function()
      assert.equal("deny", stance('"Tvrdnje da je ruski avion navodno narušio prostor su neosnovana '
        .. 'propaganda", rekao je Putin.', "sr"))
      assert.equal("deny", stance("Reports of the allegedly secret shipments are baseless, the "
        .. "Kremlin said.", "en"))
    end)

    it("keeps a shared phrase holding a speech verb as the speaker's own assertion", function()
      -- "claims to have" hedges an event for the outlet, but is the speaker's own claim
      assert.equal("assert", stance("North Korea claims to have tested a new engine.", "en"))
    end)

    it("lets a speaker assert what only its own verb hedges for the outlet", function()
      -- the rule set hedges the test because of "claimed"; North Korea itself asserts it
      local db <close> = store.open(":memory:")
      local body = "North Korea claimed it had successfully tested a hydrogen bomb."
      local doc = db:add_document { source = "Test Wire", text = body, lang = "en", published = "2017-09-03" }
      local a, b = body:find("tested a hydrogen bomb", 1, true)
      db:add_event { doc_id = doc, type = "nuclear_test", actor1 = "PRK", modality = "hedged", start = a,
        stop = b, sent_start = 1, sent_stop = #body }
      claims.extract(db)
      assert.same({ speaker = "PRK", stance = "assert" }, db:first("SELECT speaker, stance FROM claims "
        .. "WHERE json_extract(attrs, '$.kind') = 'attributed'"))
      -- a hedge of the speaker's own clause stays
      assert.equal("hedge", stance("North Korea said it had probably tested a hydrogen bomb.", "en"))
    end)

    it("takes its intention words from the rule set's planned cues", function()
      local planned = {}
      for _, p in ipairs(require("dossier.recognisers.cues").lists.planned) do planned[p] = true end
      for _, p in ipairs(require("dossier.claims.cues").plan) do
        assert.truthy(planned[p], "not a planned cue of the rule set: " .. p)
      end
      assert.equal("plan", stance("The minister said Serbia plans to buy the jets.", "en"))
    end)
  end)

  describe("pluggable actor lexicons with dated roles", function()
    local WORLD = {
      { "Vučić*", "SRB", { kind = "state", roles = { { "SRB", "2012-07-27", "2100-01-01" } } } },
      { "Tadić*", "SRB", { kind = "state", roles = { { "SRB", "2004-07-11", "2012-04-05" } } } },
      { "Narod", "NAR", { kind = "body", cap = true } },
    }
    local lex = claims.speakers(nil, { require "dossier.lexicon.actors", WORLD })

    it("codes a named official as the state they served on the document's date", function()
      assert.same({ "SRB" }, speakers(said("Vučić je rekao da Srbija neće uvesti sankcije.", "sr",
        { speakers = lex }, "2022-03-01")))
      assert.same({ "SRB" }, speakers(said("Тадић је изјавио да ће Србија купити авионе.", "sr",
        { speakers = lex }, "2008-03-01")))
    end)

    it("keeps a person out of office on that date as written", function()
      local c = said("Tadić je rekao da Srbija neće uvesti sankcije.", "sr", { speakers = lex }, "2022-03-01")
      assert.equal(1, #c)
      assert.equal("Tadić", c[1].speaker)
    end)

    it("role_code picks the role covering the date, years or full dates", function()
      local roles = { roles = { { "SUN", "1922", "1991-12-25" }, { "RUS", "1991-12-26" } } }
      assert.equal("SUN", claims.role_code(roles, "X", "1987-03-02"))
      assert.equal("SUN", claims.role_code(roles, "X", "1922-05-01"))
      assert.equal("RUS", claims.role_code(roles, "X", "2001-01-01"))
      assert.equal("X", claims.role_code(roles, "X", nil))
      assert.equal("RUS", claims.role_code({ roles = { { "RUS", "2000" }, { "RUS", "2012" } } }, "X"))
      assert.equal("X", claims.role_code({}, "X", "2001-01-01"))
    end)

    it("reads a name that is also a word only when capitalised (attrs.cap)", function()
      local c = said("Narod je saopštio da je dogovor potpisan.", "sr", { speakers = lex })
      assert.same({ "NAR" }, speakers(c))
      c = said("Ceo narod je saopštio da je dogovor potpisan.", "sr", { speakers = lex })
      assert.equal(1, #c)
      assert.are_not.equal("NAR", c[1].speaker)
    end)
  end)

  describe("institutions and offices", function()
    it("codes a state's institutions as the state", function()
      assert.same({ "USA" }, speakers(said("Energy Secretary John Smith said imports would fall.", "en")))
      assert.same({ "DEU" }, speakers(said("Banks took up the offer, the Bundesbank said.", "en")))
      assert.same({ "IMF" }, speakers(said("MMF je saopštio da će kredit biti odobren.", "sr")))
    end)

    it("gives an office named alone the state that spoke last in the document", function()
      local c = said("Russian Foreign Minister Sergei Lavrov said Moscow would respond. "
        .. "The minister said the sanctions were illegal.", "en")
      assert.same({ "RUS", "RUS" }, speakers(c))
      c = said("Ruski ministar Lavrov je rekao da će Moskva odgovoriti. "
        .. "Ministar je dodao da su sankcije nezakonite.", "sr")
      assert.same({ "RUS", "RUS" }, speakers(c))
    end)

    it("gives a name alone the state the same name had earlier in the document", function()
      local c = said("Saopštenja su propaganda, rekao je predstavnik Ministarstva odbrane Rusije "
        .. "Igor Konašenkov. Konašenkov je rekao da radari to ne mogu da zabeleže.", "sr")
      assert.same({ "RUS", "RUS" }, speakers(c))
      c = said("Russian envoy Ivan Petrov said the talks had failed. Mr Petrov said more would follow.", "en")
      assert.same({ "RUS", "RUS" }, speakers(c))
    end)

    it("gives a name alone the state its office-holder had in a sentence that made no claim", function()
      -- the first sentence has no claim cue; "Sarney", "Kaczura", "Yeutter" are in no lexicon
      local c = said("Brazilian President Jose Sarney met bankers on Monday. Sarney said exports would rise.",
        "en", nil, "1987-03-03")
      assert.same({ "BRA" }, speakers(c))
      c = said("Polish trade official Jan Kaczura arrived in Vienna. Kaczura said exports could grow.", "en")
      assert.same({ "POL" }, speakers(c))
      c = said("U.S. Trade Representative Clayton Yeutter arrived in Tokyo. "
        .. "Yeutter said the talks went well.", "en", nil, "1987-03-03")
      assert.same({ "USA" }, speakers(c))
      -- no title between the state and the name, or a name that is the office's object: no one
      c = said("The Russian government put Yukos's subsidiary up for sale. Yukos said it would appeal.", "en")
      assert.same({ "Yukos" }, speakers(c))
      c = said("He hailed the visit to Tokyo by Corporate Affairs Minister Michael Howard. "
        .. "Howard said it went well.", "en")
      assert.same({ "Howard" }, speakers(c))
      c = said("Prvi čuvar mreže reprezentacije Srbije Vladimir Stojković je bio sjajan. "
        .. "Stojković je rekao da je srećan.", "sr")
      assert.same({ "Stojković" }, speakers(c))
    end)

    it("reads 'announced measures' as a plan and 'announced that ...' as what it says", function()
      local c = said("Brazilian President Jose Sarney announced measures to boost exports.", "en", nil,
        "1987-03-03")
      assert.same({ "BRA" }, speakers(c))
      assert.equal("plan", c[1].stance)
      c = said("North Korean state media announced that the test was of a hydrogen bomb.", "en")
      assert.equal("assert", c[1].stance)
      c = said("Predsednik Musliju najavio je danas proteste.", "sr")
      assert.equal("plan", c[1].stance)
      c = said("Predsednik je najavio da je sve spremno.", "sr")
      assert.equal("assert", c[1].stance)
    end)

    it("gives unnamed sources the state that spoke last", function()
      local c = said("Russian Foreign Minister Sergei Lavrov said Moscow would respond. "
        .. "The sanctions would fail, government sources said.", "en")
      assert.same({ "RUS", "RUS" }, speakers(c))
      c = said("Ruski ministar Lavrov je rekao da će Moskva odgovoriti. "
        .. "Sankcije neće uspeti, rekli su izvori.", "sr")
      assert.same({ "RUS", "RUS" }, speakers(c))
    end)

    it("reads a web address as an outlet's name, its dots inside the word", function()
      local c = said("Uslovi su dobro poznavanje nemačkog jezika, piše Index.hr.", "sr")
      assert.same({ { speaker = "Index.hr", text = "Index.hr", stance = "assert", via = "Index.hr" } }, c)
    end)

    it("gives an office alone with no state before it the country its outlet writes for", function()
      local c = said("Moj posao je da čuvamo mir, poručio je predsednik.", "sr", nil, nil, "Kurir")
      assert.same({ "SRB" }, speakers(c))
      c = said("The prime minister said he had no plans to change the law.", "en", nil, nil, "BBC News")
      assert.same({ "GBR" }, speakers(c))
      -- an outlet read in many countries gives none
      c = said("The prime minister said he had no plans to change the law.", "en", nil, nil, "Reuters")
      assert.equal("prime minister", c[1] and c[1].speaker)
    end)

    it("ignores a lexicon match inside one of its words", function()
      local lex = require("dossier.lexicon").new():add("hr", "HRV", { kind = "actor" })
      local c = said("Uslovi su poznati, piše portal Index.hr, rekao je ministar.", "sr", { speakers = lex })
      for _, x in ipairs(c) do assert.are_not.equal("HRV", x.speaker) end
    end)

    it("gives 'the source' the state that spoke before, never the outlet's country", function()
      local c = said("Iran fired a missile, a British naval source said. The source, who declined "
        .. "to be identified, said it hit a hulk.", "en")
      assert.same({ "GBR", "GBR" }, speakers(c))
      c = said("The source said the talks had failed.", "en", nil, nil, "Kurir")
      assert.equal("source", c[1] and c[1].speaker)
    end)

    it("leaves an office alone as written when no state spoke before it", function()
      local c = said("The minister said the sanctions were illegal.", "en")
      assert.equal(1, #c)
      assert.equal("minister", c[1].speaker)
    end)
  end)

  describe("relays and nested reports", function()
    it("reads a passive quotation: the subject speaks, the outlet relays", function()
      local c = said("Kuwait will re-register its tankers, U.S. officials were quoted by the "
        .. "New York Times as saying.", "en")
      assert.same({ { speaker = "USA", text = "U.S. officials", stance = "plan",
        via = "The New York Times" } }, c)
    end)

    it("keeps the source an outlet quotes as the speaker, with the outlet in the chain", function()
      local c = said("Millions went to groups in Lebanon, the New York Times said. The newspaper, "
        .. "quoting U.S. officials, said the merchant deposited the money.", "en")
      assert.same({ "The New York Times", "USA" }, speakers(c))
      assert.equal("The New York Times", c[2].via)
    end)

    it("gives a nested report to its innermost speaker, the outer one in the chain", function()
      local c = said("The Pentagon said that Putin told officials the test had failed.", "en")
      assert.same({ { speaker = "RUS", text = "Putin", stance = "assert", via = "USA" } }, c)
      c = said("Pentagon je saopštio da je Putin rekao da je proba propala.", "sr")
      assert.same({ "RUS" }, speakers(c))
      assert.equal("USA", c[1].via)
    end)
  end)

  describe("the first person", function()
    it("gives 'we' in a quote to the one the quote is given to", function()
      local c = said('"Mi smo rekli da nećemo uvoditi sankcije", rekao je Putin.', "sr")
      assert.same({ "RUS" }, speakers(c))
      c = said('Putin je govorio o sankcijama. "Mi smo rekli da ih nećemo uvoditi."', "sr")
      assert.same({}, c)   -- a quote given to no one: nothing to attribute it to
      c = said('Putin je rekao da je dogovor blizu. "Mi smo rekli da sankcije nećemo uvoditi", '
        .. "dodao je.", "sr")
      assert.same({ "RUS", "RUS" }, speakers(c))
      c = said("We will respond, the Russian minister said.", "en")
      assert.same({ "RUS" }, speakers(c))
    end)

    it("makes no claim of the outlet's own 'we'", function()
      assert.same({}, said("Radne dozvole izdaju se brzo jer im, kako smo već naveli, nedostaje "
        .. "radne snage.", "sr"))
    end)
  end)

  describe("where the speaker stands", function()
    it("finds the speaker after the verb that follows a quote, up to a relative clause", function()
      local c = said('"Ovo je važan dan za Srbiju", rekao je Marković, koji je dodao da je plan gotov.', "sr")
      assert.equal("Marković", c[1] and c[1].text)
      c = said("„Ово је важан дан за Србију“, рекао је Марковић, који је додао да је план готов.", "sr")
      assert.equal("Марковић", c[1] and c[1].text)
    end)

    it("ends a speaker after the verb at an adjunct (na ruskom, u ponedeljak, in Tokyo)", function()
      local c = said('"Čast mi je", rekao je Marković na ruskom.', "sr")
      assert.equal("Marković", c[1] and c[1].text)
      c = said("Al-Kaida je i dalje opasna, rekao je de Kerchove u ponedjeljak.", "hr")
      assert.equal("de Kerchove", c[1] and c[1].text)
      c = said('- Sve je u redu - izjavio je Erdogan u utorak, javlja agencija Beta.', "sr")
      assert.equal("Erdogan", c[1] and c[1].text)
    end)

    it("skips a time adjunct and an aside in brackets between the verb and its speaker", function()
      local c = said("Istanbul će biti domaćin kongresa, izvestila je u sredu (3. jun) novinska "
        .. "agencija Anadolu.", "sr")
      assert.equal("Anadolu", c[1] and c[1].speaker)
      c = said("План је готов, изјавио је у среду премијер Русије.", "sr")
      assert.equal("RUS", c[1] and c[1].speaker)
    end)

    it("drops adverbs of time at the edges of a speaker, keeps a subject pronoun", function()
      local c = said("Rogozin je tada rekao da Rusija ne gleda sa optimizmom na to.", "sr")
      assert.equal("Rogozin", c[1] and c[1].text)
      c = said("Rusija je rekla da neće uvesti vize. Ona je tada dodala da je odluka konačna.", "sr")
      assert.same({ "RUS", "RUS" }, speakers(c))
    end)

    it("reads a Serbian subject pronoun 'On' as a speaker, not as an outlet reference", function()
      local c = said("On je rekao da se radi na standardizaciji.", "sr")
      assert.equal("On", c[1] and c[1].text)
      c = said("Putin je rekao da je dogovor blizu. On je dodao da su sankcije nezakonite.", "sr")
      assert.same({ "RUS", "RUS" }, speakers(c))
    end)

    it("gives a verb with a dropped subject the previous speaker, and no claim without one", function()
      local c = said("Putin je rekao da je dogovor blizu. Dodao je da su sankcije nezakonite.", "sr")
      assert.same({ "RUS", "RUS" }, speakers(c))
      c = said("Путин је рекао да је договор близу. Оценио је да су санкције незаконите.", "sr")
      assert.same({ "RUS", "RUS" }, speakers(c))
      assert.same({}, said("Tvrdi da si Evropa neće moći priuštiti taj način života.", "sr"))
    end)

    it("gives a participle's saying to its clause's subject", function()
      assert.same({ "USA" }, speakers(said("Washington imposed the sanctions in April, saying Tokyo "
        .. "had failed to abide by the pact.", "en")))
      local c = said("Dr Williams has since criticised the government, saying the failure had "
        .. "damaged faith in politics.", "en")
      assert.equal("Dr Williams", c[1] and c[1].text)
      c = said("Predsednik Rusije Vladimir Putin stavio je veto na zakon, ističući da je "
        .. "nepotreban.", "sr")
      assert.equal("RUS", c[1] and c[1].speaker)
    end)

    it("skips an abbreviation in brackets before the verb", function()
      assert.same({ "USA" }, speakers(said("Prices fell when the Energy Information Administration "
        .. "(EIA) said on Wednesday that stocks were higher.", "en")))
    end)

    it("knows verbs of repeating, blaming and concern", function()
      local c = said("Koordinator EU protiv terorizma izrazio je zabrinutost da je Libija "
        .. "možda omogućila krijumčarenje oružja.", "hr")
      assert.same({ { speaker = "EU", text = "Koordinator EU protiv terorizma", stance = "hedge" } }, c)
      assert.same({ "RUS" }, speakers(said("Moscow blamed the end of the freeze on Washington.", "en")))
      c = said("Lider opozicije ponovio je te reči u četvrtak.", "sr")
      assert.equal("Lider opozicije", c[1] and c[1].text)
    end)

    it("takes no phrase that holds a speech verb and says nothing", function()
      assert.same({}, said("After talks the hospital called off its plan.", "en"))
      assert.same({}, said("Japan's imports and exports added up to 22 billion yen.", "en"))
      assert.same({}, said("Brent crude rose in London trading, adding $1.89 to $48.62.", "en"))
      assert.same({ "GBR" }, speakers(said("Britain rejected the plan, adding that it was unlawful.", "en")))
    end)

    it("takes no all-capital kicker of three words or more for a headline speaker", function()
      assert.same({}, said("VUČIĆ NASTAVLJA POSETU AZERBEJDŽANU: U Bakuu se otvara centar", "sr"))
      local c = said("ĐURIĆ: Sa Srbijom se ne može razgovarati jezikom ucene", "sr")
      assert.equal("ĐURIĆ", c[1] and c[1].text)
    end)

    it("takes no passive or adjective for a saying", function()
      assert.same({}, said("Holdings of over 25 pct must be disclosed.", "en"))
      assert.same({}, said("The authorities are investigating the firm for alleged tax evasion.", "en"))
      assert.same({}, said("He was told to leave the country.", "en"))
    end)

    it("finds the subject before a relative clause without a comma", function()
      local c = said("Humanitarni radnik koji nije želeo da bude imenovan, rekao je da je incident "
        .. "izbio zbog svađe.", "sr")
      assert.equal("Humanitarni radnik", c[1] and c[1].text)
      c = said("An official who declined to be named, said the talks had failed.", "en")
      assert.equal("official", c[1] and c[1].text)
    end)

    it("takes no subordinate clause before the comma for a subject", function()
      local c = said("Na pitanje da li bi seo za sto sa njim i razgovarao, kaže: - Kažu da je on "
        .. "živa enciklopedija.", "sr")
      for _, x in ipairs(c) do assert.are_not.equal("sa njim i razgovarao", x.text) end
    end)

    it("gives an English verb after a clause's conjunction the subject before it", function()
      local c = said("Russia's central bank said the economy grew in 2022, but warned a new "
        .. "campaign could harm it.", "en")
      assert.same({ { speaker = "RUS", text = "Russia's central bank", stance = "assert" },
        { speaker = "RUS", text = "Russia's central bank", stance = "hedge" } }, c)
    end)

    it("reads a headline 'Speaker: statement' as an attribution", function()
      local c = said("Љајић: Поруке су неприхватљиве и штетне", "sr")
      assert.equal("Љајић", c[1] and c[1].text)
      c = said("Ministar informisanja: Ti programi su degradacija morala", "sr")
      assert.equal("Ministar informisanja", c[1] and c[1].speaker)
      assert.same({}, said("Foto: Severna Koreja lansirala raketu", "sr"))
      -- a section label before the colon gives way to the subject of a speech verb after it
      c = said("Diplomatija: Papandreu kaže da region treba da gleda u budućnost", "sr")
      assert.same({ "Papandreu" }, speakers(c))
      assert.same({}, said("the plan was simple: buy the oil and sell it.", "en"))
    end)

    it("knows the Serbian and Croatian verbs of repeated and reported saying", function()
      assert.same({ "RUS" },
        speakers(said("Rusija je više puta izjavljivala da su sankcije besmislene.", "sr")))
      local c = said("Sastanak je bio napet, pišu današnje Večernje novosti.", "sr")
      assert.equal("Večernje novosti", c[1] and c[1].speaker)
      assert.same({ "UKR" }, speakers(said("Ukrajina je poručila da neće odustati.", "sr")))
    end)
  end)

  describe("quantities", function()
    it("gives a quantity the interval dossier.sanctions matches quantities with", function()
      assert.same({ 80, 125 }, { claims.interval(100, "about") })
      assert.same({ 100, 1000 }, { claims.interval(100, "order_of_magnitude") })
      assert.same({ 30, math.huge }, { claims.interval(30, "at_least") })
      assert.same({ 0, 30 }, { claims.interval(30, "at_most") })
      assert.same({ 18, 18 }, { claims.interval(18) })
    end)
  end)
end)
