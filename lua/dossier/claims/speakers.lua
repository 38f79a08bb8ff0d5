--- The default speaker lexicon of `dossier.claims`, as data.
--
-- Each entry is `{phrase, id, kind [, actor]}`: `phrase` a `dossier.lexicon` phrase (whole
-- words after folding, `*` stems; Cyrillic text matches the Latin spelling), `id` the
-- normalised speaker, `kind` `"outlet"` (a news organisation: it joins relay chains),
-- `"actor"` (a government or institution: `id` is its DESIGN §3.6 actor code) or `"body"` (a
-- kind of office with no state of its own: used only when no actor is named), `actor` the
-- state behind an outlet (KCNA → PRK) when there is one. Adjectives of nationality are listed
-- as actors because the speaker is named by them ("Kineski ambasador", "US officials").
-- @module dossier.claims.speakers

local NYT = "The New York Times"

return {
  -- news organisations
  { "AP", "AP", "outlet" }, { "Associated Press", "AP", "outlet" }, { "agencija AP", "AP", "outlet" },
  { "Reuters", "Reuters", "outlet" }, { "Rojters*", "Reuters", "outlet" },
  { "Reuter*", "Reuters", "outlet" }, { "AFP", "AFP", "outlet" },
  { "Agence France-Presse", "AFP", "outlet" }, { "Frans pres", "AFP", "outlet" },
  { "New York Times", NYT, "outlet" }, { "The New York Times", NYT, "outlet" },
  { "NYT", NYT, "outlet" }, { "Njujork tajms*", NYT, "outlet" }, { "New York Timesa", NYT, "outlet" },
  { "Washington Post", "The Washington Post", "outlet" },
  { "Vasington post*", "The Washington Post", "outlet" },
  { "Wall Street Journal", "The Wall Street Journal", "outlet" },
  { "BBC", "BBC", "outlet" }, { "CNN", "CNN", "outlet" }, { "Bloomberg", "Bloomberg", "outlet" },
  { "Blumberg*", "Bloomberg", "outlet" },
  { "KCNA", "KCNA", "outlet", "PRK" }, { "KCNA-e", "KCNA", "outlet", "PRK" },
  { "Korean Central News Agency", "KCNA", "outlet", "PRK" },
  { "Yonhap", "Yonhap", "outlet", "KOR" }, { "Jonhap*", "Yonhap", "outlet", "KOR" },
  { "TASS", "TASS", "outlet", "RUS" }, { "Tasa", "TASS", "outlet", "RUS" },
  { "RIA Novosti", "RIA Novosti", "outlet", "RUS" }, { "Interfax", "Interfax", "outlet" },
  { "Interfaks*", "Interfax", "outlet" }, { "IRNA", "IRNA", "outlet", "IRN" },
  { "Tanjug*", "Tanjug", "outlet", "SRB" }, { "Hina", "Hina", "outlet" },
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

  -- governments, institutions and their metonyms
  { "White House", "USA", "actor" }, { "Bel* kuc*", "USA", "actor" }, { "Bijel* kuc*", "USA", "actor" },
  { "Pentagon*", "USA", "actor" }, { "State Department", "USA", "actor" },
  { "Stejt department*", "USA", "actor" }, { "US intelligence", "USA", "actor" },
  { "U.S. intelligence", "USA", "actor" }, { "Washington", "USA", "actor" },
  { "Vasington*", "USA", "actor" }, { "US", "USA", "actor" }, { "U.S.", "USA", "actor" },
  { "USA", "USA", "actor" }, { "United States", "USA", "actor" }, { "American*", "USA", "actor" },
  { "SAD", "USA", "actor" }, { "Sjedinjen* Americk* Drzav*", "USA", "actor" },
  { "Sjedinjen* Drzav*", "USA", "actor" }, { "Americk*", "USA", "actor" },
  { "Kremlin", "RUS", "actor" }, { "Kremlj*", "RUS", "actor" }, { "Moscow", "RUS", "actor" },
  { "Moskv*", "RUS", "actor" }, { "Russia*", "RUS", "actor" }, { "Rusij*", "RUS", "actor" },
  { "Rusk*", "RUS", "actor" },
  { "North Korea*", "PRK", "actor" }, { "Severn* Korej*", "PRK", "actor" },
  { "Sjevern* Korej*", "PRK", "actor" }, { "Pyongyang", "PRK", "actor" },
  { "Pjongjang*", "PRK", "actor" }, { "Phenjan*", "PRK", "actor" }, { "DPRK", "PRK", "actor" },
  { "DNRK", "PRK", "actor" }, { "severnokorejsk*", "PRK", "actor" },
  { "South Korea*", "KOR", "actor" }, { "Juzn* Korej*", "KOR", "actor" },
  { "juznokorejsk*", "KOR", "actor" }, { "Seoul", "KOR", "actor" }, { "Seul*", "KOR", "actor" },
  { "Japan*", "JPN", "actor" }, { "Tokyo", "JPN", "actor" }, { "Tokij*", "JPN", "actor" },
  { "China", "CHN", "actor" }, { "Chinese", "CHN", "actor" }, { "Beijing", "CHN", "actor" },
  { "Kina", "CHN", "actor" }, { "Kine", "CHN", "actor" }, { "Kini", "CHN", "actor" },
  { "Kinu", "CHN", "actor" }, { "Kinom", "CHN", "actor" }, { "Kinesk*", "CHN", "actor" },
  { "Peking*", "CHN", "actor" },
  { "Iran*", "IRN", "actor" }, { "Tehran", "IRN", "actor" }, { "Teheran*", "IRN", "actor" },
  { "Ukrain*", "UKR", "actor" }, { "Ukrajin*", "UKR", "actor" }, { "Kyiv", "UKR", "actor" },
  { "Kiev", "UKR", "actor" }, { "Kijev*", "UKR", "actor" },
  { "Britain", "GBR", "actor" }, { "British", "GBR", "actor" }, { "United Kingdom", "GBR", "actor" },
  { "Velik* Britanij*", "GBR", "actor" }, { "Britansk*", "GBR", "actor" }, { "London", "GBR", "actor" },
  { "France", "FRA", "actor" }, { "French", "FRA", "actor" }, { "Francusk*", "FRA", "actor" },
  { "Pariz*", "FRA", "actor" }, { "Paris", "FRA", "actor" },
  { "Germany", "DEU", "actor" }, { "German", "DEU", "actor" }, { "Nemack*", "DEU", "actor" },
  { "Njemack*", "DEU", "actor" }, { "Berlin*", "DEU", "actor" },
  { "United Nations", "UNO", "actor" }, { "UN", "UNO", "actor" }, { "U.N.", "UNO", "actor" },
    { "Ujedinjen* nacij*", "UNO", "actor" }, { "Ujedinjen* narod*", "UNO", "actor" },
  { "Security Council", "UNO", "actor" }, { "Savet* bezbednosti", "UNO", "actor" },
  { "Vijec* sigurnosti", "UNO", "actor" }, { "Secretary-General", "UNO", "actor" },
  { "Generaln* sekretar* UN", "UNO", "actor" },
  { "European Union", "EU", "actor" }, { "EU", "EU", "actor" }, { "Evropsk* unij*", "EU", "actor" },
  { "Europsk* unij*", "EU", "actor" }, { "Brussels", "EU", "actor" }, { "Brisel*", "EU", "actor" },
}
