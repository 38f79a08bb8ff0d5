-- Actor lexicon of the shipped sanctions rule set (dossier.rules.sanctions), as data.
-- Each entry is { phrase, code [, attrs] }: phrases use dossier.lexicon syntax (`word*` is a
-- stem, matching is folded, so one Latin entry also matches Cyrillic and every diacritic
-- spelling). Codes are dossier's actor codes (doc/actors.md): ISO 3166-1 alpha-3, UNO for
-- the UN and its Security Council, EU. attrs.kind is "state" or "body" (only states supply, launch or veto);
-- attrs.upper = true marks an abbreviation that also spells a common lower-case word ("US" /
-- "us", "SAD" / "sad", "UN" / French "un"): the rule set drops a match whose original text
-- has lower-case letters. attrs.occupied names a Russian-occupied region of Ukraine (coded
-- UKR; workers_abroad codes such a host as RUS, see doc/sanctions_rules.md).
local S, B = { kind = "state" }, { kind = "body" }
local UP_S, UP_B = { kind = "state", upper = true }, { kind = "body", upper = true }
local function occ(region) return { kind = "state", occupied = region } end

return {
  -- North Korea
  { "North Korea*", "PRK", S }, { "North Korean*", "PRK", S }, { "DPRK", "PRK", S },
  { "D.P.R.K.", "PRK", S }, { "Democratic People's Republic of Korea", "PRK", S },
  { "Pyongyang*", "PRK", S }, { "Kim Jong Un*", "PRK", S }, { "Kim Jong-un*", "PRK", S },
  { "Severn* Korej*", "PRK", S }, { "Sjevern* Korej*", "PRK", S }, { "DNRK", "PRK", S },
  { "SDRK", "PRK", S }, { "Pjongjang*", "PRK", S }, { "Phenjan*", "PRK", S },
  { "severnokorejsk*", "PRK", S }, { "sjevernokorejsk*", "PRK", S },
  { "Kim Džong Un*", "PRK", S }, { "Kim Jong Una", "PRK", S },
  -- Russia
  { "Russia*", "RUS", S }, { "Russian*", "RUS", S }, { "Russian Federation", "RUS", S },
  { "Moscow", "RUS", S }, { "Kremlin", "RUS", S }, { "Putin*", "RUS", S },
  { "Rusij*", "RUS", S }, { "Rusk* Federacij*", "RUS", S }, { "rusk*", "RUS", S },
  { "Moskv*", "RUS", S }, { "Kremlj*", "RUS", S },
  -- Iran
  { "Iran*", "IRN", S }, { "Tehran*", "IRN", S }, { "Teheran*", "IRN", S },
  { "Islamic Republic of Iran", "IRN", S },
  -- China
  { "China", "CHN", S }, { "Chinese", "CHN", S }, { "Beijing", "CHN", S },
  { "Kina", "CHN", S }, { "Kine", "CHN", S }, { "Kini", "CHN", S }, { "Kinu", "CHN", S },
  { "Kinom", "CHN", S }, { "kinesk*", "CHN", S }, { "Peking*", "CHN", S }, { "Xi Jinping", "CHN", S },
  -- United States
  { "United States", "USA", S }, { "U.S.", "USA", S }, { "US", "USA", UP_S }, { "USA", "USA", UP_S },
  { "Washington", "USA", S }, { "White House", "USA", S }, { "Pentagon*", "USA", S },
  { "American*", "USA", S }, { "americk*", "USA", S }, { "SAD", "USA", UP_S },
  { "Sjedinjen* Americk* Drzav*", "USA", S }, { "Sjedinjen* Drzav*", "USA", S },
  { "Vasington*", "USA", S }, { "Bel* kuc*", "USA", S }, { "Bijel* kuc*", "USA", S },
  -- Ukraine, and the occupied regions (kept UKR, marked)
  { "Ukrain*", "UKR", S }, { "Kyiv", "UKR", S }, { "Kiev", "UKR", S }, { "Ukrajin*", "UKR", S },
  { "Kijev*", "UKR", S }, { "Kyjiv*", "UKR", S },
  { "Donbas*", "UKR", occ("Donbas") }, { "Donjeck*", "UKR", occ("Donetsk") },
  { "Donetsk*", "UKR", occ("Donetsk") }, { "Luhansk*", "UKR", occ("Luhansk") },
  { "Lugansk*", "UKR", occ("Luhansk") }, { "Mariupol*", "UKR", occ("Mariupol") },
  { "Crimea*", "UKR", occ("Crimea") }, { "Krim*", "UKR", occ("Crimea") },
  -- South Korea, Japan, Britain, France, Germany
  { "South Korea*", "KOR", S }, { "South Korean*", "KOR", S }, { "Seoul", "KOR", S },
  { "Republic of Korea", "KOR", S }, { "Juzn* Korej*", "KOR", S }, { "juznokorejsk*", "KOR", S },
  { "Seul*", "KOR", S },
  { "Japan*", "JPN", S }, { "Tokyo", "JPN", S }, { "japansk*", "JPN", S }, { "Tokij*", "JPN", S },
  { "Britain", "GBR", S }, { "Great Britain", "GBR", S }, { "United Kingdom", "GBR", S },
  { "UK", "GBR", UP_S }, { "British", "GBR", S }, { "London", "GBR", S },
  { "Velik* Britanij*", "GBR", S }, { "Britanij*", "GBR", S }, { "britansk*", "GBR", S },
  { "Ujedinjen* Kraljevstv*", "GBR", S },
  { "France", "FRA", S }, { "French", "FRA", S }, { "Paris", "FRA", S },
  { "Francusk*", "FRA", S }, { "Pariz*", "FRA", S },
  { "Germany", "DEU", S }, { "German", "DEU", S }, { "Berlin*", "DEU", S },
  { "Nemack*", "DEU", S }, { "Njemack*", "DEU", S },
  -- bodies
  { "United Nations", "UNO", B }, { "UN", "UNO", UP_B }, { "U.N.", "UNO", B },
  { "UN Security Council", "UNO", B }, { "Security Council", "UNO", B }, { "UNSC", "UNO", B },
  { "Ujedinjen* nacij*", "UNO", B }, { "Ujedinjen* narod*", "UNO", B },
  { "Savet* bezbednosti", "UNO", B }, { "Savet* bezbednosti UN", "UNO", B },
  { "Savjet* bezbjednosti", "UNO", B }, { "Savjet* bezbjednosti UN", "UNO", B },
  { "Vijec* sigurnosti", "UNO", B }, { "Vijec* sigurnosti UN", "UNO", B },
  { "European Union", "EU", B }, { "EU", "EU", UP_B },
  { "Evropsk* unij*", "EU", B }, { "Europsk* unij*", "EU", B },
}
