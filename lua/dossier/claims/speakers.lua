--- What `dossier.claims` adds to the actor lexicon to name speakers, as data.
--
-- States and bodies (North Korea, Pyongyang, "rusk*", the Security Council, named leaders with
-- dated roles ...) are NOT listed here: `dossier.claims.speakers_lexicon` takes them from the
-- rule set's actor lexicon (`dossier.lexicon.actors`, and `dossier.lexicon.world` when it is
-- installed), so that claims and events use one vocabulary. What is listed here is what only
-- speaks: news organisations, and the institutions and offices through which a state speaks.
--
-- Each entry is `{phrase, id, kind [, actor]}`: `phrase` a `dossier.lexicon` phrase (whole
-- words after folding, `*` stems; Cyrillic text matches the Latin spelling), `id` the
-- normalised speaker, `kind` `"outlet"` (a news organisation or agency: it joins relay
-- chains), `"actor"` (an institution or office of one state or body: `id` is its actor
-- code (doc/actors.md) or, for a body without one, its usual abbreviation) or `"body"` (a kind of office with
-- no state of its own, "the defence ministry": it names the speaker only when no state is named
-- with it), `actor` the state behind an outlet (KCNA → PRK) when there is one; `cap = true`
-- when the name is also a common word (`Beta`, `Blic`): only a capitalised match counts.
--
-- `offices`: stems of words naming a state's officials and organs ("minister", "spokesman",
-- "portparol", "predsednik"). A speaker made of such words and no actor ("the official",
-- "a spokesman", "predsednik") is the state of the last office-holder or state that spoke
-- before it in the same document.
-- @module dossier.claims.speakers

local NYT = "The New York Times"

local M = {
  -- news organisations and agencies
  { "AP", "AP", "outlet" }, { "Associated Press", "AP", "outlet" }, { "agencija AP", "AP", "outlet" },
  { "Reuters", "Reuters", "outlet" }, { "Rojters*", "Reuters", "outlet" },
  { "Reuter*", "Reuters", "outlet" }, { "AFP", "AFP", "outlet" },
  { "Agence France-Presse", "AFP", "outlet" }, { "Frans pres", "AFP", "outlet" },
  { "France Presse", "AFP", "outlet" },
  { "New York Times", NYT, "outlet" }, { "The New York Times", NYT, "outlet" },
  { "NYT", NYT, "outlet" }, { "Njujork tajms*", NYT, "outlet" }, { "New York Timesa", NYT, "outlet" },
  { "Washington Post", "The Washington Post", "outlet" },
  { "Vasington post*", "The Washington Post", "outlet" },
  { "Wall Street Journal", "The Wall Street Journal", "outlet" },
  { "BBC", "BBC", "outlet" }, { "CNN", "CNN", "outlet" }, { "Bloomberg", "Bloomberg", "outlet" },
  { "Blumberg*", "Bloomberg", "outlet" },
  { "KCNA", "KCNA", "outlet", "PRK" }, { "KCNA-e", "KCNA", "outlet", "PRK" },
  { "Korean Central News Agency", "KCNA", "outlet", "PRK" },
  { "North Korean state media", "KCNA", "outlet", "PRK" },
  { "Yonhap", "Yonhap", "outlet", "KOR" }, { "Jonhap*", "Yonhap", "outlet", "KOR" },
  { "TASS", "TASS", "outlet", "RUS" }, { "Tasa", "TASS", "outlet", "RUS" },
  { "RIA Novosti", "RIA Novosti", "outlet", "RUS" }, { "Interfax", "Interfax", "outlet" },
  { "Interfaks*", "Interfax", "outlet" }, { "Sputnik*", "Sputnik", "outlet", "RUS" },
  { "IRNA", "IRNA", "outlet", "IRN" },
  { "Tanjug*", "Tanjug", "outlet", "SRB" }, { "Hina", "Hina", "outlet" },
  { "Beta", "Beta", "outlet", cap = true },
  { "agencija Beta", "Beta", "outlet" }, { "FoNet*", "FoNet", "outlet" }, { "B92", "B92", "outlet" },
  { "Index.hr", "Index.hr", "outlet" }, { "Vecernj* novost*", "Večernje novosti", "outlet" },
  { "Blic*", "Blic", "outlet", cap = true },
  { "Anadolu", "Anadolu", "outlet" }, { "Anadolij*", "Anadolu", "outlet" },
  { "China Daily", "China Daily", "outlet" },
  { "Kyodo", "Kyodo", "outlet", "JPN" }, { "Kjodo", "Kyodo", "outlet", "JPN" },
  { "Xinhua", "Xinhua", "outlet", "CHN" }, { "Sinhua", "Xinhua", "outlet", "CHN" },

  -- bodies without an actor code of their own: they name the speaker when no state is named
  -- with them ("the defence ministry said"; "Ministarstvo odbrane Japana" is JPN)
  { "Ministry of Defence", "Ministry of Defence", "body" },
  { "Ministry of Defense", "Ministry of Defence", "body" },
  { "defence ministry", "Ministry of Defence", "body" },
  { "defense ministry", "Ministry of Defence", "body" },
  { "Ministarstv* odbrane", "Ministry of Defence", "body" },
  { "Ministarstv* obrane", "Ministry of Defence", "body" },
  { "Ministry of Foreign Affairs", "Ministry of Foreign Affairs", "body" },
  { "foreign ministry", "Ministry of Foreign Affairs", "body" },
  { "Ministarstv* spoljnih poslova", "Ministry of Foreign Affairs", "body" },
  { "Ministarstv* vanjskih poslova", "Ministry of Foreign Affairs", "body" },
  { "Joint Chiefs of Staff", "Joint Chiefs of Staff", "body" },
  { "Zdruzen* generalstab*", "Joint Chiefs of Staff", "body" },
  { "Zdruzen* stozer*", "Joint Chiefs of Staff", "body" },

  -- institutions and offices that speak for one state (the state itself is in the actor lexicon)
  { "State Department", "USA", "actor" }, { "Stejt department*", "USA", "actor" },
  { "US intelligence", "USA", "actor" }, { "U.S. intelligence", "USA", "actor" },
  { "Defense Department", "USA", "actor" }, { "Department of Defense", "USA", "actor" },
  { "Agriculture Department", "USA", "actor" }, { "Department of Agriculture", "USA", "actor" },
  { "USDA", "USA", "actor" }, { "Commerce Department", "USA", "actor" },
  { "Department of Commerce", "USA", "actor" }, { "Energy Department", "USA", "actor" },
  { "Department of Energy", "USA", "actor" }, { "DOE", "USA", "actor" },
  { "Treasury Department", "USA", "actor" }, { "U.S. Treasury", "USA", "actor" },
  { "Justice Department", "USA", "actor" }, { "Labor Department", "USA", "actor" },
  { "Interior Department", "USA", "actor" },
  { "General Accounting Office", "USA", "actor" }, { "GAO", "USA", "actor" },
  { "Environmental Protection Agency", "USA", "actor" }, { "EPA", "USA", "actor" },
  { "Energy Information Administration", "USA", "actor" }, { "EIA", "USA", "actor" },
  { "Export-Import Bank", "USA", "actor" }, { "CIA", "USA", "actor" },
  { "Trade Representative", "USA", "actor" }, { "Secretary of State", "USA", "actor" },
  { "Energy Secretary", "USA", "actor" }, { "Commerce Secretary", "USA", "actor" },
  { "Treasury Secretary", "USA", "actor" }, { "Agriculture Secretary", "USA", "actor" },
  { "Defense Secretary", "USA", "actor" }, { "Secretary of Defense", "USA", "actor" },
  { "Undersecretary of Commerce", "USA", "actor" }, { "Undersecretary of State", "USA", "actor" },
  { "Bundesbank", "DEU", "actor" }, { "MITI", "JPN", "actor" },
  { "Ministry of International Trade and Industry", "JPN", "actor" },
  { "Secretary-General", "UNO", "actor" }, { "Generaln* sekretar* UN", "UNO", "actor" },
  { "Brussels", "EU", "actor" }, { "Brisel*", "EU", "actor" },
  { "ICTY", "UNO", "actor" }, { "MKSJ", "UNO", "actor" }, { "Hask* tribunal*", "UNO", "actor" },
  -- bodies without an actor code, by their usual abbreviation (ANNOTATION: `IMF`, `WB`)
  { "IMF", "IMF", "actor" }, { "International Monetary Fund", "IMF", "actor" },
  { "MMF", "IMF", "actor" }, { "Medjunarodn* monetarn* fond*", "IMF", "actor" },
  { "World Bank", "WB", "actor" }, { "Svetsk* bank*", "WB", "actor" }, { "Svjetsk* bank*", "WB", "actor" },
  { "OPEC", "OPEC", "actor" }, { "IAEA", "IAEA", "actor" }, { "MAAE", "IAEA", "actor" },
  { "NATO", "NATO", "actor" }, { "OSCE", "OSCE", "actor" }, { "OEBS", "OSCE", "actor" },
  { "ODIHR", "OSCE", "actor" },
}

--- The country of an outlet that writes for one country's readers, `{name, code}`: an office
-- named alone with no state before it in the document ("predsednik", "the prime minister") is
-- that country's. A store's source name matches when it starts with `name` ("Alo (alo.rs)").
M.outlet_countries = {
  { "Alo", "SRB" }, { "Kurir", "SRB" }, { "Politika", "SRB" }, { "Blic", "SRB" },
  { "Vecernje novosti", "SRB" }, { "Novosti", "SRB" }, { "Danas", "SRB" }, { "RTS", "SRB" },
  { "Tanjug", "SRB" }, { "B92", "SRB" }, { "Informer", "SRB" }, { "Beta", "SRB" },
  { "Index.hr", "HRV" }, { "Jutarnji list", "HRV" }, { "Vecernji list", "HRV" }, { "HRT", "HRV" },
  { "Hina", "HRV" }, { "BBC", "GBR" }, { "The Guardian", "GBR" }, { "The Times", "GBR" },
  { "KCNA", "PRK" }, { "Yonhap", "KOR" }, { "Kyodo", "JPN" }, { "TASS", "RUS" },
  { "Xinhua", "CHN" }, { "IRNA", "IRN" },
}

--- Words that name a speaker only by referring back to one named before ("The source, who
-- declined to be identified, said", "izvor"): the state that spoke last in the document.
M.refers_back = { "source", "sources", "izvor", "izvori", "izvora", "izvorima" }

M.offices = {
  "official", "officials", "spokesman", "spokesmen", "spokeswoman", "spokesperson", "minister",
  "ministry", "secretary", "president", "premier", "ambassador", "embassy",
  "government", "administration", "authorities", "department", "diplomat", "diplomats",
  "zvanicni*", "zvanicnik*", "duznosnik*", "funkcioner*", "portparol*", "glasnogovorni*",
  "ministar*", "ministarstv*", "predsednik*", "predsjednik*", "premijer*", "ambasador*",
  "veleposlanik*", "ambasad*", "vlad*", "diplomat*",
}

return M
