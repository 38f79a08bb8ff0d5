#!/usr/bin/env lua5.4
-- gen_actors.lua: generates lua/dossier/lexicon/world.lua, the shipped actor lexicon, from
-- well-kept sources instead of typing it by hand (issue 14, item 1; doc/actors.md).
--
--   cd /tmp && apt-get download unicode-cldr-core && dpkg -x unicode-cldr-core_*.deb /tmp/cldr
--   lua5.4 tools/gen_actors.lua /tmp/cldr/usr/share/unicode/cldr/common/main \
--     > lua/dossier/lexicon/world.lua
--
-- Arguments (all optional): CLDR_MAIN_DIR (default /usr/share/unicode/cldr/common/main; its
-- ../supplemental/supplementalData.xml gives alpha-2 → alpha-3), PHOENIX_DIR (default
-- ../shared/data/anchors/petrarch2), NEWS_DIR (default ../shared/data/news). Run from the
-- repository root after `make` (it uses dossier.text.fold). The report (counts, conflicts, the
-- ambiguity check's findings) goes to stderr.
--
-- Sources:
--  * PETRARCH/Phoenix dictionaries (Open Event Data Alliance, MIT licence):
--    Phoenix.Countries.actors.txt (states: names, capitals, demonyms; persons with dated
--    roles), Phoenix.International.actors.txt (international bodies and their officials);
--  * Unicode CLDR (Unicode-DFS-2016) territory names in sr (Cyrillic, transliterated), sr_Latn,
--    hr and bs, declined by dossier.lexicon.decline, and their adjectives;
--  * lua/dossier/lexicon/actors.lua, the hand-kept seed: every entry is kept with its code;
--  * the news corpus (../shared/data/news), only as a word list: which derived adjectives are
--    real words, and which names are also common lower-case words (attrs.cap, attrs.upper).
-- The hand-kept OVERRIDES below hold only what these sources cannot give.
local function dir_of(p) return p:match("^(.*)/[^/]*$") end
local root = dir_of(dir_of(arg[0]) or ".") or "."
if root == "" then root = "." end
package.path = root .. "/lua/?.lua;" .. root .. "/lua/?/init.lua;" .. package.path
package.cpath = root .. "/build/?.so;" .. package.cpath

local text = require "dossier.text"
local lexicon = require "dossier.lexicon"
local decline = require "dossier.lexicon.decline"
local seed = require "dossier.lexicon.actors"

local CLDR = arg[1] or "/usr/share/unicode/cldr/common/main"
local PHOENIX = arg[2] or root .. "/../shared/data/anchors/petrarch2"
local NEWS = arg[3] or root .. "/../shared/data/news"
local ROLE_END_MIN = "1987-01-01" -- roles ending before the gold set's first year never apply

local function log(...) io.stderr:write(string.format(...), "\n") end
local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end
local function fold(s) return text.fold(s) end

-------------------------------------------------------------------------------------------------
-- OVERRIDES (hand-kept): only what the sources cannot give.
-------------------------------------------------------------------------------------------------

-- Phoenix codes that are not ISO alpha-3 (or historic states) → the code dossier uses (doc/actors.md).
local CODE_ALIAS = { KSV = "XKX", KNT = "KNA" }

-- Phoenix international codes → dossier's body codes. Prefix match: IGOUNO covers every UN
-- organ and agency (IGOUNOKID = UNICEF …); the longest prefix wins (IGOUNOIAE = IAEA).
local IGO = {
  IGOUNO = "UNO", IGOUNOIAE = "IAEA", IGOUNOAIE = "IAEA", IGOEUREEC = "EU", IGOWSTNAT = "NATO",
  IGOSEAASN = "ASEAN", IGOBUSOPC = "OPEC", IGOOPC = "OPEC", IGOEURSCE = "OSCE", IGOCASCIS = "CIS",
  IGOPGSGCC = "GCC", IGOMEAARL = "ARL", IGOAFRAFU = "AU", IGOAFROAU = "AU", IGOGOS = "G7",
}
-- Not UN organs for our purposes, or wrongly under a body's code in Phoenix.
local IGO_SKIP = { IGOUNODEVWBK = true, IGOUNOWBK = true, IGOUNODEVWBKEDU = true }
local NAME_SKIP = { ["WESTERN EUROPEAN UNION"] = true, ["EC/UNFPA INITIATIVE FOR REPRODUCTIVE"
  .. " HEALTH IN ASIA"] = true }
-- Phoenix bodies filed under a generic code, by name.
local BODY_BY_NAME = {
  ["ORGANIZATION FOR SECURITY AND COOPERATION IN EUROPE"] = "OSCE",
  ["ORGANIZATION FOR SECURITY AND CO-OPERATION IN EUROPE"] = "OSCE",
  ["SHANGHAI COOPERATION ORGANIZATION"] = "SCO",
}

-- Names the sources lack: historic states, bodies in South Slavic and English abbreviations.
-- { code, kind, names = {...} (declined), fixed = {...} (as is), upper = {...} }
local EXTRA = {
  { "XKX", "state", names = { "Kosovo" }, fixed = { "Kosovo*" } },
  { "SUN", "state", names = { "Sovjetski Savez", "Savez Sovjetskih Socijalističkih Republika" },
    fixed = { "SSSR", "Soviet Union", "USSR", "U.S.S.R.", "Soviets" }, adj = { "sovjetski" } },
  { "YUG", "state", names = { "Jugoslavija", "Savezna Republika Jugoslavija",
    "Socijalistička Federativna Republika Jugoslavija" },
    fixed = { "SFRJ", "SRJ", "FRY", "Yugoslavia", "Yugoslav", "Federal Republic of Yugoslavia" },
    adj = { "jugoslovenski", "jugoslavenski" } },
  { "SAU", "state", adj = { "saudijski", "saudijskoarabijski" } },
  { "ARE", "state", adj = { "emiratski" } },
  { "PSE", "state", adj = { "palestinski" } },
  { "BIH", "state", adj = { "bosanskohercegovački" }, fixed = { "BiH" } },
  { "PRK", "state", names = { "Radnička partija Koreje", "Korejska narodna armija" },
    fixed = { "Workers' Party of Korea", "Korean Workers' Party", "Korean People's Army",
      "Missile Administration" } },
  { "SCG", "state", names = { "Srbija i Crna Gora", "Državna zajednica Srbija i Crna Gora" },
    fixed = { "Serbia and Montenegro", "SCG" } },
  { "EU", "body", names = { "Evropska zajednica", "Europska zajednica", "Evropska komisija",
    "Europska komisija", "Evropski parlament", "Europski parlament", "Evropski savet",
    "Europsko vijeće", "Evropska ekonomska zajednica", "Europska ekonomska zajednica" },
    fixed = { "European Community", "European Communities", "European Economic Community",
      "EEC", "European Council", "Council of the European Union", "Brussels", "Brisel*" },
    upper = { "EC", "EZ" } },
  { "UNO", "body", names = { "Generalna skupština", "Opšta skupština", "Opća skupština",
    "Ujedinjene nacije", "Organizacija ujedinjenih nacija" },
    fixed = { "General Assembly", "UN General Assembly", "UN Secretary-General",
      "Secretary-General", "generalni sekretar UN", "OUN", "UNGA" } },
  { "NATO", "body", names = { "Severnoatlantska alijansa", "Sjevernoatlantski savez",
    "Alijansa" }, fixed = { "NATO", "North Atlantic Treaty Organization", "NATO-a", "NATO-u",
    "NATO-om", "Nato", "Nata", "Natu", "Natom", "НАТО" } },
  { "IAEA", "body", names = { "Međunarodna agencija za atomsku energiju" },
    fixed = { "IAEA", "MAAE", "IAEA-e", "International Atomic Energy Agency" } },
  { "OSCE", "body", names = { "Organizacija za evropsku bezbednost i saradnju" },
    fixed = { "OSCE", "OEBS", "OESS", "OSCE-a", "OEBS-a" } },
  { "AU", "body", names = { "Afrička unija" }, fixed = { "African Union",
    "Organization of African Unity", "OAU" } },
  { "ASEAN", "body", names = {}, fixed = { "ASEAN", "ASEAN-a", "Association of Southeast Asian"
    .. " Nations", "Association of South East Asian Nations" } },
  { "OPEC", "body", names = {}, fixed = { "OPEC", "OPEK", "OPEC-a", "OPEK-a",
    "Organization of the Petroleum Exporting Countries" } },
  { "CIS", "body", names = { "Zajednica nezavisnih država", "Zajednica Nezavisnih Država" },
    fixed = { "Commonwealth of Independent States", "CIS", "ZND" } },
  { "SCO", "body", names = { "Šangajska organizacija za saradnju" },
    fixed = { "Shanghai Cooperation Organisation", "SCO", "ŠOS" } },
  { "GCC", "body", names = { "Savet za saradnju zalivskih zemalja" },
    fixed = { "Gulf Cooperation Council", "GCC" } },
  { "ARL", "body", names = { "Arapska liga" },
    fixed = { "Arab League", "League of Arab States" } },
  { "G7", "body", names = {}, fixed = { "G7", "G-7", "G8", "G-8", "Group of Seven" } },
  { "G20", "body", names = {}, fixed = { "G20", "G-20", "Group of 20", "Group of Twenty" } },
}

-- Names that are also common words in English or South Slavic dictionaries, marked cap even
-- when the news word list shows no lower-case use (folded keys). The list adds to the check
-- against the word list (check_ambiguity), which finds the rest.
local CAP_ALWAYS = {
  "chad", "jordan", "georgia", "turkey", "niger", "guinea", "mali", "oman", "peru", "togo",
  "wales", "china", "japan", "chile", "jersey", "guernsey", "grenada", "dominica", "cad",
  "malta", "kina", "island", "jordana", "kuba", "gabon", "benin", "sudan", "tonga", "nauru",
}

-- Separatist-held regions: non-state (ANNOTATION.md), not the state they sit in.
local SKIP = { ["abkhaz"] = true, ["abkhazia"] = true, ["transnistria*"] = true,
  ["south ossetia"] = true, ["nagorno-karabakh"] = true, ["northern cyprus"] = true }

-- South Slavic names of capitals (Phoenix has the English ones; CLDR has none), declined.
local SR_CAPITALS = {
  SRB = { "Beograd" }, HRV = { "Zagreb" }, BIH = { "Sarajevo" }, MNE = { "Podgorica" },
  MKD = { "Skoplje", "Skopje" }, XKX = { "Priština", "Prishtina" }, SVN = { "Ljubljana" },
  ALB = { "Tirana" }, BGR = { "Sofija" }, ROU = { "Bukurešt" }, HUN = { "Budimpešta" },
  AUT = { "Beč" }, GRC = { "Atina" }, TUR = { "Ankara" }, SYR = { "Damask" }, IRQ = { "Bagdad" },
  BLR = { "Minsk" }, ITA = { "Rim" }, ESP = { "Madrid" }, POL = { "Varšava" },
  GBR = { "London" }, ISR = { "Tel Aviv" }, EGY = { "Kairo" }, IND = { "Nju Delhi" },
  PAK = { "Islamabad" }, AFG = { "Kabul" }, SAU = { "Rijad" }, CUB = { "Havana" },
  VEN = { "Karakas" }, CAN = { "Otava" }, DEU = { "Berlin" },
}

-- Leaders and officials as South Slavic news names them (transliterated; declined by
-- dossier.lexicon.decline) and as English news names those newer than Phoenix (2014).
-- { roles = { {code, from, to}... }, sr = { names declined }, en = { names as is } }
-- A bare surname is listed only where news uses it alone.
local PERSONS = {
  { roles = { { "USA", "2017-01-20", "2021-01-20" }, { "USA", "2025-01-20" } },
    sr = { "Donald Tramp", "Tramp" }, en = { "Donald Trump", "Donald J. Trump", "Trump" } },
  { roles = { { "USA", "2009-01-20", "2017-01-20" }, { "USA", "2021-01-20", "2025-01-20" } },
    sr = { "Džo Bajden", "Bajden" }, en = { "Joe Biden", "Biden" } },
  { roles = { { "USA", "2009-01-20", "2017-01-20" } }, sr = { "Barak Obama" }, en = { "Obama" } },
  { roles = { { "USA", "2001-01-20", "2009-01-20" }, { "USA", "1989-01-20", "1993-01-20" } },
    sr = { "Džordž Buš", "Buš" }, en = {} },
  { roles = { { "USA", "1993-01-20", "2001-01-20" }, { "USA", "2009-01-21", "2013-02-01" } },
    sr = { "Bil Klinton", "Hilari Klinton", "Klinton" }, en = {} },
  { roles = { { "USA", "1981-01-20", "1989-01-20" } }, sr = { "Ronald Regan" },
    en = { "Ronald Reagan", "Reagan" } },
  { roles = { { "USA", "2018-04-26", "2021-01-20" } }, sr = { "Majk Pompeo", "Pompeo" },
    en = { "Mike Pompeo", "Pompeo" } },
  { roles = { { "USA", "2021-01-26", "2025-01-20" } }, sr = { "Entoni Blinken", "Blinken" },
    en = { "Antony Blinken", "Blinken" } },
  { roles = { { "USA", "2013-02-01", "2017-01-20" } }, sr = { "Džon Keri" }, en = {} },
  { roles = { { "USA", "2017-02-01", "2018-03-31" } }, sr = { "Reks Tilerson", "Tilerson" },
    en = { "Rex Tillerson", "Tillerson" } },
  { roles = { { "CHN", "2012-11-15" } }, as_is = true, sr = { "Si Đinping", "Si Đinpinga", "Si Đinpingu",
    "Si Đinpingom", "Si Điping" }, en = { "Xi Jinping", "Xi" } },
  { roles = { { "CHN", "2013-03-16", "2022-12-30" }, { "CHN", "2023-07-25" } },
    as_is = true, sr = { "Vang Ji" }, en = { "Wang Yi" } },
  { roles = { { "RUS", "1999-08-09" } }, sr = { "Vladimir Putin", "Putin" },
    en = { "Vladimir Putin", "Putin" } },
  { roles = { { "RUS", "2004-03-09" } }, sr = { "Sergej Lavrov", "Lavrov" },
    en = { "Sergei Lavrov", "Sergey Lavrov", "Lavrov" } },
  { roles = { { "RUS", "2008-05-07", "2020-01-16" } }, sr = { "Dmitrij Medvedev", "Medvedev" },
    en = {} },
  { roles = { { "RUS", "2012-11-06", "2024-05-12" } }, sr = { "Sergej Šojgu", "Šojgu" },
    en = { "Sergei Shoigu", "Shoigu" } },
  { roles = { { "RUS", "1991-07-10", "1999-12-31" } }, sr = { "Boris Jeljcin", "Jeljcin" },
    en = {} },
  { roles = { { "SUN", "1985-03-11", "1991-12-25" } }, sr = { "Mihail Gorbačov", "Gorbačov" },
    en = { "Mikhail Gorbachev", "Gorbachev" } },
  { roles = { { "FRA", "2017-05-14" } }, sr = { "Emanuel Makron", "Makron" },
    en = { "Emmanuel Macron", "Macron" } },
  { roles = { { "DEU", "2005-11-22", "2021-12-08" } }, sr = { "Angela Merkel" }, as_is = true,
    en = { "Angela Merkel", "Merkel" }, fixed = { "Merkel", "Merkelova", "Merkelove",
    "Merkelovoj", "Merkelovu" } },
  { roles = { { "DEU", "2021-12-08", "2025-05-06" } }, sr = { "Olaf Šolc", "Šolc" },
    en = { "Olaf Scholz", "Scholz" } },
  { roles = { { "GBR", "2019-07-24", "2022-09-06" } }, sr = { "Boris Džonson" },
    en = { "Boris Johnson" } },
  { roles = { { "TUR", "2003-03-14" } }, sr = { "Redžep Tajip Erdogan", "Erdogan", "Erdoan" },
    en = { "Recep Tayyip Erdogan", "Erdogan" } },
  { roles = { { "TUR", "2014-08-29", "2023-06-04" } }, sr = { "Mevlut Čavušoglu", "Čavušoglu" },
    en = { "Mevlut Cavusoglu", "Cavusoglu" } },
  { roles = { { "SRB", "2012-07-27" } }, sr = { "Aleksandar Vučić", "Vučić" }, en = {} },
  { roles = { { "SRB", "2012-07-27", "2014-04-27" }, { "SRB", "2014-04-27", "2020-10-28" },
    { "SRB", "2024-05-02" } }, sr = { "Ivica Dačić", "Dačić" }, en = {} },
  { roles = { { "SRB", "2017-06-29", "2024-05-02" } }, sr = { "Ana Brnabić", "Brnabić" },
    en = {}, as_is = true, fixed = { "Ane Brnabić", "Ani Brnabić", "Anu Brnabić", "Anom Brnabić" } },
  { roles = { { "SRB", "2012-05-31", "2017-05-31" } }, sr = { "Tomislav Nikolić" }, en = {} },
  { roles = { { "SRB", "2004-07-11", "2012-04-05" } }, sr = { "Boris Tadić", "Tadić" },
    en = {} },
  { roles = { { "SRB", "1989-05-08", "1997-07-23" }, { "YUG", "1997-07-23", "2000-10-07" } },
    sr = { "Slobodan Milošević", "Milošević" }, en = { "Slobodan Milosevic", "Milosevic" } },
  { roles = { { "HRV", "1990-05-30", "1999-12-10" } }, sr = { "Franjo Tuđman", "Tuđman" },
    en = { "Franjo Tudjman", "Tudjman" } },
  { roles = { { "HRV", "2016-10-19" } }, sr = { "Andrej Plenković", "Plenković" }, en = {} },
  { roles = { { "HRV", "2011-12-23", "2016-01-22" }, { "HRV", "2020-02-19" } },
    sr = { "Zoran Milanović" }, en = {} },
  { roles = { { "BIH", "1990-12-20", "2000-10-14" } },
    sr = { "Alija Izetbegović" }, en = { "Alija Izetbegovic" } },
  { roles = { { "MNE", "1991-02-15", "2023-05-20" } }, sr = { "Milo Đukanović", "Đukanović" },
    en = {} },
  { roles = { { "XKX", "2008-01-09", "2020-11-05" } }, sr = { "Hašim Tači", "Tači" },
    en = { "Hashim Thaci", "Thaci" } },
  { roles = { { "XKX", "2020-02-03", "2020-06-03" }, { "XKX", "2021-03-22" } },
    sr = { "Aljbin Kurti", "Albin Kurti", "Kurti" }, en = { "Albin Kurti" } },
  { roles = { { "ALB", "2013-09-15" } }, sr = { "Edi Rama" }, en = { "Edi Rama" } },
  { roles = { { "MKD", "2017-05-31", "2020-01-03" }, { "MKD", "2020-08-31", "2022-01-16" } },
    sr = { "Zoran Zaev", "Zaev" }, en = { "Zoran Zaev" } },
  -- officials South Slavic news quotes (Alo, Kurir, Politika 2015-19; SETimes 2009-11)
  { roles = { { "SRB", "2014-08-27", "2022-10-26" } }, sr = { "Jadranka Joksimović" }, as_is = true,
    en = {}, fixed = { "Jadranke Joksimović", "Jadranki Joksimović", "Jadranku Joksimović",
    "Jadrankom Joksimović", "Joksimović", "Joksimovićeva", "Joksimovićeve", "Joksimovićevoj" } },
  { roles = { { "SRB", "2012-08-01", "2020-10-28" }, { "SRB", "2024-05-02" } },
    sr = { "Marko Đurić", "Đurić" }, en = {} },
  { roles = { { "SRB", "2012-07-27" } }, sr = { "Aleksandar Vulin", "Vulin" }, en = {} },
  { roles = { { "SRB", "2012-07-27", "2022-10-26" } }, sr = { "Nebojša Stefanović" }, en = {} },
  { roles = { { "SRB", "2018-05-29" } }, sr = { "Siniša Mali" }, en = {} },
  { roles = { { "SRB", "2007-05-15", "2012-07-27" } }, sr = { "Vuk Jeremić" }, en = {} },
  { roles = { { "SRB", "2008-07-07", "2012-07-27" } }, sr = { "Mirko Cvetković" }, en = {} },
  { roles = { { "YUG", "2000-10-07", "2003-03-07" }, { "SRB", "2004-03-03", "2008-07-07" } },
    sr = { "Vojislav Koštunica", "Koštunica" }, en = { "Vojislav Kostunica", "Kostunica" } },
  { roles = { { "RUS", "2019-06-01" } }, as_is = true, sr = { "Bocan-Harčenko", "Bocan Harčenko" },
    en = {}, fixed = { "Aleksandar Bocan-Harčenko", "Aleksandra Bocan-Harčenka", "Bocan-Harčenka",
    "Bocan-Harčenku", "Bocan-Harčenkom", "Harčenko", "Harčenka", "Harčenku", "Harčenkom" } },
  { roles = { { "RUS", "2012-01-01", "2019-06-01" } }, sr = { "Aleksandar Čepurin", "Čepurin" }, en = {} },
  { roles = { { "RUS", "2015-08-10" } }, sr = { "Marija Zaharova" }, as_is = true,
    en = { "Maria Zakharova", "Zakharova" }, fixed = { "Marije Zaharove", "Mariji Zaharovoj",
    "Zaharova", "Zaharove", "Zaharovoj", "Zaharovu" } },
  { roles = { { "RUS", "2008-05-07" } }, sr = { "Dmitrij Peskov", "Peskov" },
    en = { "Dmitry Peskov", "Peskov" } },
  { roles = { { "RUS", "2011-12-23", "2022-07-15" } }, sr = { "Dmitrij Rogozin", "Rogozin" },
    en = { "Dmitry Rogozin", "Rogozin" } },
  { roles = { { "RUS", "2011-01-01" } }, sr = { "Igor Konašenkov", "Konašenkov" },
    en = { "Igor Konashenkov", "Konashenkov" } },
  { roles = { { "RUS", "2017-07-27" } }, sr = { "Vasilij Nebenzja", "Nebenzja" },
    en = { "Vassily Nebenzia", "Nebenzia" } },
  { roles = { { "MKD", "2009-05-12", "2019-05-12" } }, sr = { "Đorđe Ivanov" },
    en = { "Gjorge Ivanov", "George Ivanov" } },
  { roles = { { "MKD", "2006-08-27", "2016-01-18" } }, sr = { "Nikola Gruevski", "Gruevski" },
    en = { "Nikola Gruevski", "Gruevski" } },
  { roles = { { "MKD", "2019-05-12", "2024-05-12" } }, sr = { "Stevo Pendarovski", "Pendarovski" },
    en = { "Stevo Pendarovski" } },
  { roles = { { "HRV", "2015-02-19", "2020-02-18" } }, as_is = true,
    sr = { "Kolinda Grabar Kitarović", "Kolinda Grabar-Kitarović" }, en = { "Kolinda Grabar-Kitarovic" },
    fixed = { "Grabar Kitarović", "Grabar-Kitarović", "Kolinde Grabar Kitarović", "Kolindi Grabar Kitarović",
    "Kolindu Grabar Kitarović", "Kolindom Grabar Kitarović" } },
  { roles = { { "HRV", "2009-07-06", "2011-12-23" } }, sr = { "Jadranka Kosor" }, as_is = true,
    en = { "Jadranka Kosor" }, fixed = { "Jadranke Kosor", "Jadranki Kosor", "Jadranku Kosor", "Kosor" } },
  { roles = { { "HRV", "2000-02-18", "2010-02-18" } }, sr = { "Stipe Mesić", "Stjepan Mesić", "Mesić" },
    en = { "Stipe Mesic", "Stjepan Mesic" } },
  { roles = { { "HRV", "2010-02-18", "2015-02-19" } }, sr = { "Ivo Josipović" },
    en = { "Ivo Josipovic" } },
  { roles = { { "HRV", "2003-12-23", "2009-07-06" } }, sr = { "Ivo Sanader", "Sanader" },
    en = { "Ivo Sanader", "Sanader" } },
  { roles = { { "BIH", "2010-11-10", "2018-11-20" } }, sr = { "Bakir Izetbegović" },
    en = { "Bakir Izetbegovic" } },
  { roles = { { "BIH", "2018-11-20", "2022-11-16" } }, sr = { "Šefik Džaferović", "Džaferović" },
    en = {} },
  { roles = { { "XKX", "2017-09-09", "2020-02-03" } }, sr = { "Ramuš Haradinaj", "Haradinaj" },
    en = { "Ramush Haradinaj", "Haradinaj" } },
  { roles = { { "XKX", "2014-12-08", "2019-08-22" } }, sr = { "Kadri Veselji", "Veselji" }, en = {} },
  { roles = { { "XKX", "2006-02-10", "2010-09-27" } }, sr = { "Fatmir Sejdiu", "Sejdiu" },
    en = { "Fatmir Sejdiu", "Sejdiu" } },
  { roles = { { "XKX", "2006-03-10", "2008-01-09" } }, sr = { "Agim Čeku", "Čeku" },
    en = { "Agim Ceku", "Ceku" } },
  { roles = { { "XKX", "2017-09-09", "2020-02-03" } }, sr = { "Bedžet Pacoli", "Pacoli" },
    en = { "Behgjet Pacolli", "Pacolli" } },
  { roles = { { "ALB", "2007-07-24", "2012-07-24" } }, sr = { "Bamir Topi" }, en = { "Bamir Topi" } },
  { roles = { { "ALB", "2017-07-24", "2022-07-24" } }, sr = { "Ilir Meta" }, en = { "Ilir Meta" } },
  { roles = { { "MNE", "2003-05-22", "2018-05-20" } }, sr = { "Filip Vujanović" },
    en = { "Filip Vujanovic" } },
  { roles = { { "MNE", "2016-11-28", "2020-12-04" } }, sr = { "Duško Marković" }, en = {} },
  { roles = { { "GRC", "2009-10-06", "2011-11-11" } }, sr = { "Jorgos Papandreu" },
    en = { "George Papandreou" } },
  { roles = { { "GRC", "2015-01-27", "2018-10-17" } }, sr = { "Nikos Kocijas", "Nikos Kozijas" },
    en = { "Nikos Kotzias" } },
  { roles = { { "EU", "2014-11-01", "2019-11-30" } }, sr = { "Federika Mogerini" }, as_is = true,
    en = { "Federica Mogherini", "Mogherini" }, fixed = { "Federike Mogerini", "Federiki Mogerini",
    "Federiku Mogerini", "Federikom Mogerini", "Mogerini", "Mogerinijeva", "Mogerinijeve",
    "Mogerinijevoj" } },
  { roles = { { "EU", "2014-11-01", "2019-11-30" } }, sr = { "Žan-Klod Junker", "Žan Klod Junker", "Junker" },
    en = { "Jean-Claude Juncker", "Juncker" } },
  { roles = { { "EU", "2019-12-01" } }, sr = { "Ursula fon der Lajen" }, as_is = true,
    en = { "Ursula von der Leyen", "von der Leyen" }, fixed = { "Ursule fon der Lajen",
    "Ursuli fon der Lajen", "Ursulu fon der Lajen", "fon der Lajen" } },
  { roles = { { "EU", "1999-10-18", "2009-11-30" } }, sr = { "Havijer Solana", "Solana" },
    en = { "Javier Solana", "Solana" } },
  { roles = { { "USA", "2016-12-01", "2019-12-31" } }, sr = { "Kajl Skat" }, en = {} },
  { roles = { { "GRC", "2015-01-26", "2019-07-08" } }, sr = { "Aleksis Cipras", "Cipras" },
    en = { "Alexis Tsipras", "Tsipras" } },
  { roles = { { "HUN", "1998-07-06", "2002-05-27" }, { "HUN", "2010-05-29" } },
    sr = { "Viktor Orban", "Orban" }, en = { "Viktor Orban", "Orban" } },
  { roles = { { "UKR", "2019-05-20" } }, sr = { "Volodimir Zelenski", "Zelenski" },
    en = { "Volodymyr Zelensky", "Zelensky", "Zelenskyy" }, fixed = { "Zelenskog",
    "Zelenskom", "Zelenskim", "Zelenskij" } },
  { roles = { { "UKR", "2014-06-07", "2019-05-20" } }, sr = { "Petro Porošenko", "Porošenko" },
    en = { "Petro Poroshenko", "Poroshenko" } },
  { roles = { { "BLR", "1994-07-20" } }, sr = { "Aleksandar Lukašenko", "Lukašenko" },
    en = { "Alexander Lukashenko", "Lukashenko" } },
  { roles = { { "PRK", "2011-12-17" } }, as_is = true, sr = { "Kim Džong Un", "Kim Džong Una",
    "Kim Džong Unu", "Kim Džong Unom", "Kim Džong-un", "Kim Džongun" },
    en = { "Kim Jong Un", "Kim Jong-un", "Kim Jong-Un" } },
  { roles = { { "PRK", "1994-07-08", "2011-12-17" } }, as_is = true, sr = { "Kim Džong Il", "Kim Džong Ila",
    "Kim Džong Ilu", "Kim Džong Ilom" }, en = { "Kim Jong Il", "Kim Jong-il" } },
  { roles = { { "PRK", "1948-09-09", "1994-07-08" } }, as_is = true, sr = { "Kim Il Sung", "Kim Il Sunga" },
    en = { "Kim Il Sung", "Kim Il-sung" } },
  { roles = { { "KOR", "2017-05-10", "2022-05-10" } }, as_is = true, sr = { "Mun Džae In" },
    en = { "Moon Jae-in", "Moon Jae In" } },
  { roles = { { "JPN", "2006-09-26", "2007-09-26" }, { "JPN", "2012-12-26", "2020-09-16" } },
    last = true, sr = { "Šinzo Abe" }, en = { "Shinzo Abe" } },
  { roles = { { "IRN", "2013-08-03", "2021-08-03" } }, sr = { "Hasan Rohani", "Rohani" },
    en = { "Hassan Rouhani", "Rouhani" } },
  { roles = { { "IRN", "2021-08-03", "2024-05-19" } }, sr = { "Ebrahim Raisi", "Raisi" },
    en = { "Ebrahim Raisi", "Raisi" } },
  { roles = { { "IRN", "1989-06-04" } }, sr = { "Ali Hamnei", "Hamnei" },
    en = { "Ali Khamenei", "Khamenei" } },
  { roles = { { "SYR", "2000-07-17", "2024-12-08" } }, sr = { "Bašar al Asad", "Bašar el Asad" },
    en = { "Bashar al-Assad", "Bashar Assad", "Assad" } },
  { roles = { { "ISR", "1996-06-18", "1999-07-06" }, { "ISR", "2009-03-31", "2021-06-13" },
    { "ISR", "2022-12-29" } }, sr = { "Benjamin Netanjahu", "Netanjahu" },
    en = { "Benjamin Netanyahu", "Netanyahu" } },
  { roles = { { "IND", "2014-05-26" } }, sr = { "Narendra Modi" }, en = { "Narendra Modi" } },
  { roles = { { "NATO", "2014-10-01", "2024-10-01" } }, sr = { "Jens Stoltenberg", "Stoltenberg" },
    en = { "Jens Stoltenberg", "Stoltenberg" } },
  { roles = { { "UNO", "2017-01-01" } }, sr = { "Antonio Gutereš", "Gutereš" },
    en = { "Antonio Guterres", "Guterres" } },
  { roles = { { "UNO", "2007-01-01", "2016-12-31" } }, last = true, sr = { "Ban Ki Mun" },
    en = { "Ban Ki-moon" } },
  { roles = { { "EU", "2019-12-01", "2024-11-30" } }, sr = { "Žozep Borelj", "Borelj" },
    en = { "Josep Borrell", "Borrell" } },
  { roles = { { "EU", "2019-12-01" } }, sr = {}, en = { "Ursula von der Leyen", "von der Leyen" },
    fixed = { "Ursula fon der Lajen", "fon der Lajen" } },
}

-------------------------------------------------------------------------------------------------
-- Phoenix (TABARI .actors) reading
-------------------------------------------------------------------------------------------------

-- TABARI date (YYMMDD: 00-29 → 20xx; or YYYYMMDD) → "YYYY-MM-DD", or nil.
local function iso_date(s)
  local y, m, d
  if #s == 6 then
    y, m, d = tonumber(s:sub(1, 2)), s:sub(3, 4), s:sub(5, 6)
    y = y + (y < 30 and 2000 or 1900)
  elseif #s == 8 then
    y, m, d = tonumber(s:sub(1, 4)), s:sub(5, 6), s:sub(7, 8)
  else
    return nil
  end
  return string.format("%04d-%s-%s", y, m, d)
end

-- "[RUSGOV 991231-080507]" inner text → { code, from, to } (nil ends open); nil if unreadable.
local function parse_role(inner)
  local code, rest = inner:match("^%s*([%w]+)%s*(.-)%s*$")
  if not code then return nil end
  if rest == "" then return { code } end
  local op, d = rest:match("^([<>])%s*(%d+)$")
  if op then
    local v = iso_date(d)
    if not v then return nil end
    return op == "<" and { code, nil, v } or { code, v, nil }
  end
  local d1, d2 = rest:match("^(%d+)%s*%-%s*(%d+)$")
  if d1 and iso_date(d1) and iso_date(d2) then return { code, iso_date(d1), iso_date(d2) } end
  return nil
end

-- Blocks of a .actors file: { names = { "NORTH_KOREA_", ... }, roles = {...}, head = code on
-- the first line or nil }. A new unprefixed name line starts a new block (as dossier.lexicon's
-- loader does); '+' lines are synonyms; '[...]' lines are roles.
local function read_actors(path)
  local blocks, cur = {}, nil
  for line in io.lines(path) do
    line = line:gsub("\r$", "")
    local body = line:gsub("%s*[#;].*$", "")
    body = body:gsub("^%s+", ""):gsub("%s+$", "")
    if body ~= "" then
      local first = body:sub(1, 1)
      local name_part, codes = body:match("^%+?([^%[]-)%s*(%[.*)$")
      name_part = name_part or (first == "+" and body:sub(2) or body)
      if first ~= "[" and first ~= "+" then
        cur = { names = {}, roles = {} }
        blocks[#blocks + 1] = cur
      end
      if cur then
        if first ~= "[" then
          local n = name_part:gsub("^%+", ""):gsub("%s+", "_")
          if n ~= "" then cur.names[#cur.names + 1] = n end
        end
        local r = codes or (first == "[" and body)
        if r then
          for inner in r:gmatch("%[([^%]]*)%]") do
            local role = parse_role(inner)
            if role then
              cur.roles[#cur.roles + 1] = role
              if first ~= "[" and #cur.names == 1 and not cur.head then cur.head = role[1] end
            end
          end
        end
      end
    end
  end
  return blocks
end

-- "NORTH_KOREA_" → "North Korea" (whole word); "SERBIA" → "Serbia*" (a stem), as TABARI reads.
local function phoenix_phrase(name)
  local whole = name:sub(-1) == "_"
  local s = name:gsub("_+", " "):gsub("^%s+", ""):gsub("%s+$", "")
  if s == "" then return nil end
  s = s:gsub("(%a)(%S*)", function(a, b) return a .. b:lower() end)
  return whole and s or s .. "*", s
end

-------------------------------------------------------------------------------------------------
-- The news word list: how often each folded word is written in lower case, capitalised, caps
-------------------------------------------------------------------------------------------------

local UPPER_2B = { ["Č"] = true, ["Ć"] = true, ["Đ"] = true, ["Š"] = true, ["Ž"] = true }
local function first_upper(w)
  local b = w:byte(1)
  if b >= 65 and b <= 90 then return true end
  local cp = utf8.codepoint(w, 1, 1, true) or 0
  return (cp >= 0x400 and cp <= 0x42F) or (cp >= 0xC0 and cp <= 0xDE) or UPPER_2B[w:sub(1, 2)]
end

local function word_counts(dir)
  local ok, cjson = pcall(require, "cjson")
  local counts = {} -- folded word → { lower, capitalised, all caps }
  if not ok then log("no cjson: no word list, no ambiguity check"); return counts end
  local cache = {}
  local p = io.popen("ls " .. dir .. "/*.jsonl 2>/dev/null")
  for path in p:lines() do
    for line in io.lines(path) do
      local okd, doc = pcall(cjson.decode, line)
      local t = okd and type(doc) == "table" and doc.text
      if type(t) == "string" then
        -- URLs, addresses, hashtags and slugs ("u-srbiji-najtrazeniji") are no evidence of case.
        t = t:gsub("%S*[/@#_]%S*", " "):gsub("%S*%-%S*%-%S*%-%S*", " ")
        for w in t:gmatch("[%a\128-\255][%w\128-\255]*") do
          local f = cache[w]
          if not f then f = fold(w); cache[w] = f end
          local c = counts[f]
          if not c then c = { 0, 0, 0 }; counts[f] = c end
          if not first_upper(w) then
            c[1] = c[1] + 1
          elseif #w > 1 and fold(w):upper() == w:upper() and w == w:upper() then
            c[3] = c[3] + 1
          else
            c[2] = c[2] + 1
          end
        end
      end
    end
  end
  p:close()
  -- Prefixes of 3 to 8 bytes with the summed counts of the words that start with them: what a
  -- stem ("Pla*", Phoenix's PLA) would match.
  local prefixes = {}
  for w, c in pairs(counts) do
    for n = 3, math.min(8, #w) do
      local pre = w:sub(1, n)
      local t = prefixes[pre]
      if not t then t = { 0, 0, 0 }; prefixes[pre] = t end
      t[1], t[2], t[3] = t[1] + c[1], t[2] + c[2], t[3] + c[3]
    end
  end
  return counts, prefixes
end

-------------------------------------------------------------------------------------------------
-- CLDR
-------------------------------------------------------------------------------------------------

local function cldr_alpha3(main)
  local sup = main .. "/../supplemental/supplementalData.xml"
  local map = {}
  for a2, a3 in slurp(sup):gmatch('<territoryCodes type="(%u%u)"[^>]-alpha3="(%u%u%u)"') do
    map[a2] = a3
  end
  return map
end

-- Cities of CLDR's time zone ids ("Europe/Belgrade" → "belgrade"), folded: a list of the
-- world's main cities, to tell a Phoenix state's city synonyms from its names (below).
local function cldr_cities(main)
  local f = io.open(main .. "/../bcp47/timezone.xml", "rb")
  local out = {}
  if not f then return out end
  for alias in f:read("a"):gmatch('alias="([^"]*)"') do
    for id in alias:gmatch("%S+") do
      local city = id:match("^%a+/([%a_/%-]+)$")
      if city then out[fold((city:gsub(".*/", ""):gsub("_", " ")))] = true end
    end
  end
  f:close()
  return out
end

-- { [alpha2] = { names... } } of one locale (Latin script), alt="short" kept apart.
local function cldr_names(main, locale)
  local path = main .. "/" .. locale .. ".xml"
  local f = io.open(path, "rb")
  if not f then return nil end
  local xml = f:read("a")
  f:close()
  local out = {}
  for a2, alt, name in xml:gmatch('<territory type="(%u%u)"([^>]*)>([^<]+)</territory>') do
    if locale == "sr" then name = text.translit(name, "Cyrl", "Latn") end
    name = name:gsub("&amp;", "&"):gsub("’", "'")
    local t = out[a2] or { main = {}, short = {} }
    out[a2] = t
    local list = alt:find("short") and t.short or t.main
    list[#list + 1] = name
  end
  return out
end

-------------------------------------------------------------------------------------------------
-- Assembly
-------------------------------------------------------------------------------------------------

local entries = {} -- folded key → { phrase, code, attrs, prio, src }
local conflicts = {}

-- prio: 0 seed and overrides, 1 main names, 2 other names; lower wins a conflict; equal prio
-- and different codes drop the phrase (both states claim it: "Kongo", "Guinea").
-- dossier's codes of international bodies (every other code is a state's alpha-3).
local BODY_CODES = { UNO = true, EU = true, NATO = true, IAEA = true, AU = true, ASEAN = true,
  OPEC = true, OSCE = true, CIS = true, SCO = true, GCC = true, ARL = true, G7 = true, G20 = true }
local function kind_of(code) return BODY_CODES[code] and "body" or "state" end

local seed_stems = {} -- { words = { "korej*", ... }, code = } of actors.lua's stem phrases

-- Does a stem phrase of actors.lua with the same code already match this key? (Then the key
-- adds nothing, and as a longer literal it would win the tie and lose the seed's attrs:
-- Phoenix's "Crimea" against the seed's occupied "Crimea*".)
local function seed_covers(key, code)
  local words = {}
  for w in key:gmatch("%S+") do words[#words + 1] = w end
  for _, st in ipairs(seed_stems) do
    if st.code == code and #st.words == #words then
      local ok = true
      for i, w in ipairs(st.words) do
        local base = w:gsub("%*$", "")
        if w == base and words[i] ~= w or w ~= base and words[i]:sub(1, #base) ~= base then
          ok = false
          break
        end
      end
      if ok then return true end
    end
  end
  return false
end

local function add(phrase, code, attrs, prio, src)
  local okk, key = pcall(lexicon.key, phrase)
  if not okk then log("skipped phrase %q: %s", phrase, key); return end
  if SKIP[key] then return end
  if src == "actors.lua" and key:find("*", 1, true) then
    local words = {}
    for w in key:gmatch("%S+") do words[#words + 1] = w end
    seed_stems[#seed_stems + 1] = { words = words, code = code }
  elseif src ~= "actors.lua" and not attrs.roles and seed_covers(key, code) then
    return
  end
  local e = entries[key]
  if not e then
    entries[key] = { phrase, code, attrs, prio = prio, src = src }
    return
  end
  if e.dead then return end
  if e[2] == code then
    if attrs.roles and not e[3].roles then e[3] = attrs end
    if prio < e.prio then e.prio, e.src = prio, src end
    return
  end
  if attrs.roles and e[3].roles then -- one name, two persons: keep both sets of roles
    local roles = {}
    for _, r in ipairs(e[3].roles) do roles[#roles + 1] = r end
    for _, r in ipairs(attrs.roles) do roles[#roles + 1] = r end
    table.sort(roles, function(a, b) return (a[3] or "9999") < (b[3] or "9999") end)
    local copy = {}
    for k, v in pairs(e[3]) do copy[k] = v end
    copy.roles = roles
    e[3], e[2] = copy, roles[#roles][1]
    copy.kind = kind_of(e[2])
    return
  end
  if prio < e.prio then
    conflicts[#conflicts + 1] = string.format("%s: %s over %s", key, code, e[2])
    entries[key] = { phrase, code, attrs, prio = prio, src = src }
  elseif prio > e.prio then
    conflicts[#conflicts + 1] = string.format("%s: %s over %s", key, e[2], code)
  else
    conflicts[#conflicts + 1] = string.format("%s: %s and %s, dropped", key, e[2], code)
    e.dead = true
  end
end


-- The code a Phoenix role names, or nil (ELI, sector ministries, unknown bodies).
local function role_code(code, states)
  if code:sub(1, 3) == "IGO" then
    if IGO_SKIP[code] then return nil end
    for n = #code, 6, -1 do
      local c = IGO[code:sub(1, n)]
      if c then return c end
    end
    return nil
  end
  local c = CODE_ALIAS[code:sub(1, 3)] or code:sub(1, 3)
  local rest = code:sub(4)
  if states[c] and (rest == "GOV" or rest == "GOVMIL") then return c end
  return nil
end

-- The roles of a Phoenix person block we keep, or nil.
local function person_roles(block, states)
  local roles = {}
  for _, r in ipairs(block.roles) do
    local c = role_code(r[1], states)
    if c and r[2] and r[3] and r[2] > r[3] then
      log("role ending before it starts, left out: %s [%s %s-%s]", block.names[1], r[1], r[2], r[3])
    elseif c and (r[2] or r[3]) and (not r[3] or r[3] >= ROLE_END_MIN) then
      roles[#roles + 1] = { c, r[2], r[3] }
    end
  end
  if #roles == 0 then return nil end
  -- Heads of state and government come from CountryInfo's leader lists, dated to the day;
  -- its cabinet lists (every minister, dated to the month: 030101-041231) are left out unless
  -- Phoenix's editors gave the person synonyms (the ones news names: Lavrov, Karzai …).
  local to_the_day = #block.names > 1
  for _, r in ipairs(roles) do
    if (r[2] and r[2]:sub(-2) ~= "01") or (r[3] and not r[3]:match("%-%d%d%-[23][8901]$")) then
      to_the_day = true
    end
    if BODY_CODES[r[1]] then to_the_day = true end -- officials of bodies: all kept
  end
  if not to_the_day then return nil end
  table.sort(roles, function(a, b) return (a[3] or "9999") < (b[3] or "9999") end)
  return roles
end

-- Synonyms with another synonym of the same block inside them add nothing
-- ("President Vladimir Putin" when "Vladimir Putin" is there): leftmost-longest finds the shorter.
local function covered(phrase, others)
  local k = " " .. lexicon.key(phrase):gsub("%*", "") .. " "
  for _, o in ipairs(others) do
    local ko = lexicon.key(o)
    if ko ~= lexicon.key(phrase) and not ko:find("*", 1, true) and k:find(" " .. ko .. " ", 1, true) then
      return true
    end
  end
  return false
end

-- State blocks: the code on the name line ("SERBIA [SRB]"), or an undated one later
-- ("SOVIET_UNION … [SUN]"); then, for codes still missing, an open-ended one ("IRAQ_ …
-- [IRQ >20060520]"; a closed period such as RSFSR's [RUS 19911226-19931212] is no state).
local function phoenix_states(blocks)
  local states, order = {}, {}
  local function take(b, code)
    code = CODE_ALIAS[code] or code
    if code:match("^%u%u%u$") and not states[code] then
      states[code] = b
      order[#order + 1] = code
    end
  end
  for _, b in ipairs(blocks) do
    local code = b.head
    for _, r in ipairs(b.roles) do
      if not code and r[1]:match("^%u%u%u$") and not (r[2] or r[3]) then code = r[1] end
    end
    if code then take(b, code) end
  end
  for _, b in ipairs(blocks) do
    for _, r in ipairs(b.roles) do
      if r[1]:match("^%u%u%u$") and r[2] and not r[3] and not b.head then take(b, r[1]) end
    end
  end
  return states, order
end

-- Where the heuristic below fails: a state's largest city that Phoenix lists as its first main
-- city (not the capital, left out), and capitals Phoenix lists after such a city (kept).
local NOT_CAPITAL = {}
for _, c in ipairs { "rosario", "sao paulo", "douala", "toronto", "shanghai", "guayaquil",
  "kolkata", "blantyre", "casablanca", "auckland", "lagos", "karachi", "johannesburg", "zurich",
  "istanbul", "dubai", "new york", "dar es salaam", "saigon", "aden", "almaty", "hebron" } do
  NOT_CAPITAL[c] = true
end
local CAPITAL = {}
for _, c in ipairs { "ottawa", "ankara", "pretoria", "abu dhabi", "wellington", "islamabad",
  "new delhi", "rabat", "abuja", "quito", "yaounde", "lilongwe", "bern", "berne", "dodoma",
  "sanaa", "sana'a", "astana", "hanoi", "buenos aires", "ramallah", "washington" } do
  CAPITAL[c] = true
end

-- Phoenix sub-codes of a state's organs that speak or act for it (government, armed forces,
-- intelligence, legislature, police); business, health and the like are left out.
local ORGAN = { GOV = true, MIL = true, GOVMIL = true, SPY = true, GOVLEG = true, COP = true }

-- A state organ named among a state's synonyms ("Revolutionary Guards", "Guardian Council").
local INSTITUTION = { "council", "assembly", "guard", "army", "ministry", "government",
  "parliament", "forces", "navy", "military", "cabinet", "presiden", "kremlin", "majlis",
  "congress", "senate", "duma", "politburo", "state department", "white house", "pentagon" }
local function institution(phrase)
  local k = lexicon.key(phrase)
  for _, w in ipairs(INSTITUTION) do
    if k:find(w, 1, true) then return true end
  end
  return false
end

-- Phoenix lists a state's names and variants, then its capital, then other cities,
-- provinces and landmarks ("+PARIS_ +MARSEILLE_ +LYON_ …"). Places are not parties
-- (ANNOTATION.md): the synonyms after the first of CLDR's main cities are left out, but for
-- state organs.
local function add_phoenix(countries, intl, states, order, cities)
  local persons, bodies = 0, 0
  for _, code in ipairs(order) do
    local b = states[code]
    local phrases = {}
    for _, n in ipairs(b.names) do phrases[#phrases + 1] = phoenix_phrase(n) end
    local after_city = false
    for i, ph in ipairs(phrases) do
      local k = lexicon.key(ph):gsub("%*$", "")
      if NOT_CAPITAL[k] then
        after_city = true
      else
        if not covered(ph, phrases) and (not after_city or institution(ph) or CAPITAL[k]) then
          add(ph, code, { kind = "state" }, i == 1 and 1 or 2, "phoenix")
        end
        if not after_city and cities[k] then after_city = true end
      end
    end
  end
  -- Given names: the first words of multiword names. A one-word synonym that is one
  -- ("HUSSEIN", "ALBERT", "HASSAN") names too many people to code a state.
  local given = {}
  for _, list in ipairs { countries, intl } do
    for _, b in ipairs(list) do
      for _, n in ipairs(b.names) do
        local first = n:match("^([^_]+)_+[^_]")
        if first then given[first] = true end
      end
    end
  end
  local surnames = {} -- surname → the persons of that surname
  local function person(b)
    local roles = person_roles(b, states)
    if not roles then return end
    local phrases = {}
    for _, n in ipairs(b.names) do
      local one = n:gsub("_+$", "")
      if not (given[one] and not one:find("_")) then phrases[#phrases + 1] = phoenix_phrase(n) end
    end
    local attrs = { kind = kind_of(roles[#roles][1]), person = true, roles = roles }
    for _, ph in ipairs(phrases) do
      if not covered(ph, phrases) then add(ph, roles[#roles][1], attrs, 2, "phoenix person") end
    end
    -- the surname of a full name ("TONY_BLAIR" → Blair): news names a leader by it alone
    local sur = b.names[1] and b.names[1]:gsub("_+$", ""):match("_([^_]+)$")
    if sur then
      surnames[sur] = surnames[sur] or {}
      table.insert(surnames[sur], { code = roles[#roles][1], attrs = attrs })
    end
    persons = persons + 1
  end
  -- State organs filed on their own, undated ("PEOPLES_LIBERATION_ARMY [CHNMIL]").
  local function organ(b)
    local r = b.roles[1]
    if not r or r[2] or r[3] then return false end
    local c = CODE_ALIAS[r[1]:sub(1, 3)] or r[1]:sub(1, 3)
    if not (states[c] and ORGAN[r[1]:sub(4)]) then return false end
    for _, n in ipairs(b.names) do
      local ph = phoenix_phrase(n)
      if ph then add(ph, c, { kind = "state" }, 2, "phoenix organ") end
    end
    return true
  end
  for _, b in ipairs(countries) do
    if not (b.head and states[CODE_ALIAS[b.head] or b.head]) and not organ(b) then person(b) end
  end
  for _, b in ipairs(intl) do
    local name = b.names[1] and b.names[1]:gsub("_+", " "):gsub("%s+$", "")
    local undated = b.roles[1] and not (b.roles[1][2] or b.roles[1][3])
    local code = BODY_BY_NAME[name] or (undated and role_code(b.roles[1][1], states))
    if name and NAME_SKIP[name] then code = nil end
    if code then
      for i, n in ipairs(b.names) do
        local ph = phoenix_phrase(n)
        if ph then add(ph, code, { kind = "body" }, i == 1 and 1 or 2, "phoenix body") end
      end
      bodies = bodies + 1
    elseif not undated then
      person(b)
    end
  end
  -- A surname alone codes its person when one person has it and it is no given name and no
  -- short word ("Blair", "Musharraf", "Thatcher"; not "Bush" when two presidents share it);
  -- at the lowest priority, and checked against the news word list like every one-word name.
  local names = {}
  for sur in pairs(surnames) do names[#names + 1] = sur end
  table.sort(names)
  for _, sur in ipairs(names) do
    local list = surnames[sur]
    if #list == 1 and not given[sur] and #sur >= 5 and sur:find("^%a+$") then
      add(phoenix_phrase(sur .. "_"), list[1].code, list[1].attrs, 3, "phoenix surname")
    end
  end
  return persons, bodies
end

-- Derived adjectives that are words of their own ("lučki", of a port, not of Sveta Lucija).
local ADJ_STOP = { ["lučki"] = true, ["obalski"] = true, sjedinjeni = true, ujedinjeni = true }

-- Words that are no name on their own.
local GENERIC = { Republika = true, Ostrva = true, Otoci = true }

-- South Slavic names of one territory: declined forms, adjectives from the word list.
-- `taken`: every territory's main names (a parenthesis naming another is skipped).
local function add_south_slavic(code, kind, names, shorts, counts, adjs, taken)
  local cand = {}
  for _, name in ipairs(names) do
    local main, paren = name:match("^(.-)%s*%((.-)%)$")
    local parts = main and { main, paren } or { name }
    for i, n in ipairs(parts) do
      -- A parenthesis that is a generic word or another territory ("Kongo (Republika)",
      -- "SAR Hongkong (Kina)") is no name of this one.
      if i == 1 or not (GENERIC[n] or taken[n]) then
        local head, tail = n:match("^(.-)( %- .*)$")
        for j, f in ipairs(decline.forms(head or n)) do
          -- the nominative of a main name is kept even when it is a common word (cap); other
          -- forms and names give way (Togo's genitive "Toga" is Serbian "toga", that)
          local prio = (i == 1 and not main and j == 1) and 1 or 2
          add(f .. (tail or ""), code, { kind = kind }, prio, "cldr")
        end
        -- the adjective of a two-word name's noun alone (makedonski of Severna Makedonija)
        -- gives way to a state named by that noun (korejski, sudanski: see add)
        local nm = head or n
        local own = {}
        if nm:find(" ") then
          for _, a in ipairs(decline.adjective_candidates(nm:match("(%S+)$"))) do own[a] = true end
        end
        for j, a in ipairs(decline.adjective_candidates(nm)) do
          cand[#cand + 1] = { a, primary = j == 1, name = nm, secondary = own[a] }
        end
      end
    end
  end
  for _, s in ipairs(shorts) do
    add(s, code, { kind = kind, upper = s:match("^%u+$") and true or nil }, 1, "cldr short")
  end
  -- Adjectives: the most used candidate, and any other used at least a quarter as much, with
  -- every form; the first candidate of a name none of whose candidates the news uses, as a
  -- stem when it is long
  -- (a non-word never matches, and most states are rare in our South Slavic news).
  local scored, best, name_best = {}, 0, {}
  for _, a in ipairs(cand) do
    local n = 0
    for _, f in ipairs(decline.adjective_forms(a[1])) do
      local c = counts[fold(f)]
      if c then n = n + c[1] end
    end
    scored[#scored + 1] = { a[1], n, a.primary, a.name, a.secondary }
    if n > best then best = n end
    name_best[a.name] = math.max(name_best[a.name] or 0, n)
  end
  for _, s in ipairs(kind == "state" and scored or {}) do
    if ADJ_STOP[s[1]] then
      log("adjective %s of %s: a word of its own, left out", s[1], code)
    elseif s[2] >= 3 and s[2] * 4 >= best then
      adjs[#adjs + 1] = { s[1], code, kind, prio = s[5] and 2 or 1 }
    elseif name_best[s[4]] == 0 and s[3] and #s[1] >= 8 then
      adjs[#adjs + 1] = { s[1], code, kind, stem = true }
    end
  end
end

-- The forms of a person's name: every word declined, case by case (Vladimir Putin → Vladimira
-- Putina …); `p.last` declines only the last word (Ban Ki Mun → Ban Ki Muna); `p.as_is` none.
local function person_forms(p, name)
  local words = {}
  for w in name:gmatch("%S+") do words[#words + 1] = w end
  if p.as_is then return { name } end
  local per = {}
  for i, w in ipairs(words) do
    if #w <= 2 or (p.last and i < #words) or not w:find("^%u") and not w:find("^[\128-\255]") then
      per[i] = { { w }, { w }, { w }, { w }, { w } }
    else
      local class = decline.noun_class(w)
      if class == "adjf" or class == "pl" then class = "a" end
      per[i] = decline.cases(w, class)
    end
  end
  -- (every variant of the surname: "sa Lavrovom" and "sa Lavrovim")
  local out, seen = {}, {}
  for c = 1, 5 do
    for _, last in ipairs(per[#words][c]) do
      local parts = {}
      for i = 1, #words - 1 do parts[i] = per[i][c][1] end
      parts[#words] = last
      local f = table.concat(parts, " ")
      if not seen[f] then seen[f] = true; out[#out + 1] = f end
    end
  end
  return out
end

-- A person of the hand table.
local function add_person(p)
  local roles = p.roles
  table.sort(roles, function(a, b) return (a[3] or "9999") < (b[3] or "9999") end)
  local code = roles[#roles][1]
  local attrs = { kind = kind_of(code), person = true, roles = roles }
  for _, n in ipairs(p.sr) do
    for _, f in ipairs(person_forms(p, n)) do add(f, code, attrs, 0, "hand person") end
    -- the possessive adjective of a one-word surname, as a stem (Trampova administracija,
    -- Putinovog, Vučićevi): long and specific enough not to need every form
    if not p.as_is and not n:find(" ") and n:find("[^aeiou]$") then
      local soft = n:find("ć$") or n:find("č$") or n:find("š$") or n:find("ž$") or n:find("[jc]$")
      add(n .. (soft and "ev" or "ov") .. "*", code, attrs, 0, "hand person")
    end
  end
  for _, n in ipairs(p.en) do add(n, code, attrs, 0, "hand person") end
  for _, n in ipairs(p.fixed or {}) do add(n, code, attrs, 0, "hand person") end
end

-------------------------------------------------------------------------------------------------
-- Ambiguity: names that are also common words (from the news word list)
-------------------------------------------------------------------------------------------------

local found = { cap = {}, upper = {}, dropped = {}, unstemmed = {} }

local function with(attrs, k)
  local copy = {}
  for kk, v in pairs(attrs) do copy[kk] = v end
  copy[k] = true
  return copy
end

-- One-word phrases only: lc = written in lower case, uc = capitalised, caps = all capitals.
-- A one-word Phoenix stem whose base starts mostly lower-case words ("Pla*" matches "plans",
-- "planira") becomes a whole word ("PLA").
local function unstem(prefixes)
  local keys = {}
  for key, e in pairs(entries) do
    if not e.dead and e.src:find("^phoenix") and key:find("^[^ ]+%*$") then keys[#keys + 1] = key end
  end
  table.sort(keys)
  for _, key in ipairs(keys) do
    local e, base = entries[key], key:sub(1, -2)
    local p = prefixes[base:sub(1, 8)]
    if p and p[1] >= 10 and p[1] >= p[2] + p[3] then
      entries[key] = nil
      found.unstemmed[#found.unstemmed + 1] = string.format("%s (%s) %d/%d", key, e[2], p[1], p[2])
      if not entries[base] then
        e[1] = e[1]:gsub("%*$", "")
        entries[base] = e
      end
    end
  end
end

local function check_ambiguity(counts)
  for key, e in pairs(entries) do
    local base = key:gsub("%*$", "")
    local c = not e.dead and not base:find(" ") and not e.adjective and counts[base]
    if c then
      local lc, uc, caps = c[1], c[2], c[3]
      local acronym = e[1]:find("%u") and e[1] == e[1]:upper()
      if not acronym and e.src:find("phoenix") and caps >= 3 and caps > uc and #base <= 6 then
        e[1], acronym = e[1]:upper(), true -- Phoenix writes everything in capitals
      end
      if acronym then
        if lc >= 10 and not e[3].upper then
          e[3] = with(e[3], "upper"); found.upper[#found.upper + 1] = key .. " " .. lc
        end
      elseif lc >= 10 and lc >= uc + caps and e.prio >= 2 then
        e.dead = true; found.dropped[#found.dropped + 1] = string.format("%s (%s) %d/%d", key, e[2], lc, uc)
      elseif lc >= 3 and lc * 20 >= lc + uc and not e[3].upper then
        e[3] = with(e[3], "cap")
        found.cap[#found.cap + 1] = string.format("%s (%s) %d/%d", key, e[2], lc, uc)
      end
    end
  end
end

-------------------------------------------------------------------------------------------------
-- Output
-------------------------------------------------------------------------------------------------

local NAMED = { state = "S", body = "B" }

local function q(s) return string.format("%q", s) end

-- Entries in output order: by code, then seed and overrides first, then by phrase.
local function sorted_entries()
  local by_code, codes = {}, {}
  for _, e in pairs(entries) do
    if not e.dead then
      if not by_code[e[2]] then by_code[e[2]] = {}; codes[#codes + 1] = e[2] end
      local list = by_code[e[2]]
      list[#list + 1] = e
    end
  end
  table.sort(codes)
  for _, code in ipairs(codes) do
    table.sort(by_code[code], function(a, b)
      if a.prio ~= b.prio then return a.prio < b.prio end
      return a[1] < b[1]
    end)
  end
  return by_code, codes
end

local function attr_text(a, roles_ids)
  if a.occupied then return "occ(" .. q(a.occupied) .. ")" end
  if a.roles then
    return (a.person and "P(" or "D(") .. q(a.kind) .. ", " .. roles_ids[a.roles]
      .. (a.cap and ", true" or "") .. ")"
  end
  return NAMED[a.kind] .. (a.cap and "C" or a.upper and "U" or "")
end

local function write(out, header)
  local by_code, codes = sorted_entries()
  local roles_ids, roles_list = {}, {}
  for _, code in ipairs(codes) do
    for _, e in ipairs(by_code[code]) do
      local r = e[3].roles
      if r and not roles_ids[r] then roles_list[#roles_list + 1] = r; roles_ids[r] = #roles_list end
    end
  end
  local w = function(...) out:write(...) end
  w(header, "-- luacheck: no max line length\n")
  w("local S, SC, SU = { kind = \"state\" }, { kind = \"state\", cap = true }, ",
    "{ kind = \"state\", upper = true }\n")
  w("local B, BC, BU = { kind = \"body\" }, { kind = \"body\", cap = true }, ",
    "{ kind = \"body\", upper = true }\n")
  w("local function occ(region) return { kind = \"state\", occupied = region } end\n")
  w("-- Dated roles of persons: { code, from, to } (ISO dates; nil = open end).\nlocal R = {\n")
  for i, r in ipairs(roles_list) do
    local parts = {}
    for _, x in ipairs(r) do
      parts[#parts + 1] = "{ " .. q(x[1]) .. ", " .. (x[2] and q(x[2]) or "nil")
        .. (x[3] and ", " .. q(x[3]) or "") .. " }"
    end
    w("  [", i, "] = { ", table.concat(parts, ", "), " },\n")
  end
  w("}\nlocal function P(kind, roles, cap)\n",
    "  return { kind = kind, person = true, roles = R[roles], cap = cap }\nend\n",
    "-- a place whose state changed (Moscow: SUN until 1991-12-25, then RUS)\n",
    "local function D(kind, roles, cap) return { kind = kind, roles = R[roles], cap = cap } end\n",
    "\nreturn {\n")
  local n = 0
  for _, code in ipairs(codes) do
    w("  -- ", code, "\n")
    for _, e in ipairs(by_code[code]) do
      w("  { ", q(e[1]), ", ", q(code), ", ", attr_text(e[3], roles_ids), " },\n")
      n = n + 1
    end
  end
  w("}\n")
  return n
end

-------------------------------------------------------------------------------------------------
-- Main
-------------------------------------------------------------------------------------------------

-- States whose names meant a predecessor state before a date: the places, organs and
-- adjectives of Russia coded SUN until the Soviet Union's end, of Serbia YUG until the SFRY's
-- (1992-04-27; the FRY that followed is coded by its own names, "Yugoslavia" → YUG). Persons
-- keep their own dated roles; names of the successor state alone ("Russian Federation") too.
local PREDECESSOR = {
  RUS = { { "SUN", nil, "1991-12-25" }, { "RUS", "1991-12-26" } },
  SRB = { { "YUG", nil, "1992-04-26" }, { "SRB", "1992-04-27" } },
}
local SUCCESSOR_ONLY = { ["russian federation"] = true, ["ruska federacija"] = true,
  ["ruske federacije"] = true, ["ruskoj federaciji"] = true, ["rusku federaciju"] = true,
  ["ruskom federacijom"] = true, ["rusk* federacij*"] = true, ["republika srbija"] = true,
  ["republike srbije"] = true, ["republici srbiji"] = true, ["republiku srbiju"] = true,
  ["republikom srbijom"] = true, ["putin*"] = true }

-- A person's role that ended before the successor state existed was a role of the predecessor
-- (Phoenix codes Gorbachev's roles RUS: they are SUN's).
local function predecessor_roles(roles)
  local out, changed = {}, false
  for i, r in ipairs(roles) do
    local p = PREDECESSOR[r[1]]
    if p and r[3] and r[3] <= p[1][3] then
      out[i], changed = { p[1][1], r[2], r[3] }, true
    else
      out[i] = r
    end
  end
  return changed and out or roles
end

local function add_predecessors()
  local keys = {}
  for key in pairs(entries) do keys[#keys + 1] = key end
  table.sort(keys)
  for _, key in ipairs(keys) do
    local e = entries[key]
    local a = e[3]
    local roles = a.roles and predecessor_roles(a.roles)
      or not a.person and not a.occupied and not SUCCESSOR_ONLY[key] and PREDECESSOR[e[2]]
    if roles and roles ~= a.roles and not e.dead then
      local copy = {}
      for k, v in pairs(a) do copy[k] = v end
      copy.roles = roles
      e[3] = copy
      e[2] = roles[#roles][1]
    end
  end
end

local function add_extras()
  for _, x in ipairs(EXTRA) do
    local code, kind = x[1], x[2]
    for _, nm in ipairs(x.names or {}) do
      for _, f in ipairs(decline.forms(nm)) do add(f, code, { kind = kind }, 0, "hand") end
    end
    for _, nm in ipairs(x.fixed or {}) do add(nm, code, { kind = kind }, 0, "hand") end
    for _, nm in ipairs(x.upper or {}) do add(nm, code, { kind = kind, upper = true }, 0, "hand") end
    for _, a in ipairs(x.adj or {}) do
      for _, f in ipairs(decline.adjective_forms(a)) do
        add(f, code, { kind = kind }, 0, "hand")
        entries[lexicon.key(f)].adjective = true
      end
    end
  end
end

local function add_cldr(states, counts)
  local a3 = cldr_alpha3(CLDR)
  a3.XK, a3.EU, a3.UN = "XKX", "EU", "UNO"
  local per = {}
  for _, loc in ipairs { "sr", "sr_Latn", "hr", "bs" } do
    for a2, t in pairs(cldr_names(CLDR, loc) or {}) do
      local p = per[a2] or { main = {}, short = {} }
      per[a2] = p
      for _, nm in ipairs(t.main) do p.main[#p.main + 1] = nm end
      for _, nm in ipairs(t.short) do p.short[#p.short + 1] = nm end
    end
  end
  local adjs, n, taken = {}, 0, {}
  for _, p in pairs(per) do
    for _, nm in ipairs(p.main) do taken[nm:gsub("%s*%(.*$", "")] = true end
  end
  local a2s = {}
  for a2 in pairs(per) do a2s[#a2s + 1] = a2 end
  table.sort(a2s)
  for _, a2 in ipairs(a2s) do
    local p, code = per[a2], a3[a2]
    if code and (states[code] or code == "XKX" or code == "EU" or code == "UNO") then
      add_south_slavic(code, kind_of(code), p.main, p.short, counts, adjs, taken)
      n = n + 1
    end
  end
  for _, a in ipairs(adjs) do
    if a.stem then add(a[1]:sub(1, -2) .. "*", a[2], { kind = a[3] }, 2, "cldr adjective stem") end
    for _, f in ipairs(a.stem and {} or decline.adjective_forms(a[1])) do
      add(f, a[2], { kind = a[3] }, a.prio or 1, "cldr adjective")
      local e = entries[lexicon.key(f)]
      if e then e.adjective = true end
    end
  end
  return n
end

local function main()
  local t0 = os.clock()
  for _, path in ipairs { CLDR .. "/sr_Latn.xml", CLDR .. "/../supplemental/supplementalData.xml",
    PHOENIX .. "/Phoenix.Countries.actors.txt" } do
    local f = io.open(path, "rb")
    if not f then
      io.stderr:write("gen_actors: cannot read ", path, " (CLDR: cd /tmp && apt-get download ",
        "unicode-cldr-core && dpkg -x unicode-cldr-core_*.deb /tmp/cldr, then pass ",
        "/tmp/cldr/usr/share/unicode/cldr/common/main)\n")
      os.exit(1)
    end
    f:close()
  end
  local counts, prefixes = word_counts(NEWS)
  for _, e in ipairs(seed) do
    local a = {}
    for k, v in pairs(e[3] or {}) do a[k] = v end
    add(e[1], e[2], a, 0, "actors.lua")
  end
  for _, p in ipairs(PERSONS) do add_person(p) end
  add_extras()
  local caps = {}
  for code in pairs(SR_CAPITALS) do caps[#caps + 1] = code end
  table.sort(caps)
  for _, code in ipairs(caps) do
    for _, nm in ipairs(SR_CAPITALS[code]) do
      for _, f in ipairs(decline.forms(nm)) do add(f, code, { kind = "state" }, 0, "hand") end
    end
  end
  local countries = read_actors(PHOENIX .. "/Phoenix.Countries.actors.txt")
  local intl = read_actors(PHOENIX .. "/Phoenix.International.actors.txt")
  local states, order = phoenix_states(countries)
  local persons, bodies = add_phoenix(countries, intl, states, order, cldr_cities(CLDR))
  local territories = add_cldr(states, counts)
  local a3 = {}
  for _, v in pairs(cldr_alpha3(CLDR)) do a3[v] = true end
  local odd = {}
  for _, c in ipairs(order) do if not a3[c] then odd[#odd + 1] = c end end
  log("Phoenix state codes that CLDR does not know: %s", table.concat(odd, " "))
  unstem(prefixes or {})
  check_ambiguity(counts)
  add_predecessors()
  for _, word in ipairs(CAP_ALWAYS) do
    for _, key in ipairs { word, word .. "*" } do
      local e = entries[key]
      if e and not e.dead and not e[3].cap and not e[3].upper then
        e[3] = with(e[3], "cap"); found.cap[#found.cap + 1] = key .. " (" .. e[2] .. ") hand list"
      end
    end
  end
  local header = table.concat({
    "-- GENERATED by tools/gen_actors.lua: do not edit by hand (edit the generator and rerun:",
    "--   lua5.4 tools/gen_actors.lua [CLDR_MAIN_DIR] > lua/dossier/lexicon/world.lua ).",
    "-- The shipped actor lexicon: { phrase, code, attrs } entries in dossier.lexicon syntax; see",
    "-- doc/actors.md for attrs (kind, cap, upper, occupied, person, roles) and how dated roles",
    "-- are resolved against a document's date.",
    "-- Sources: PETRARCH/Phoenix dictionaries Phoenix.Countries.actors.txt and",
    "--   Phoenix.International.actors.txt (Copyright (c) 2014 Open Event Data Alliance, MIT licence);",
    "--   Unicode CLDR territory names for sr, sr_Latn, hr, bs (Debian unicode-cldr-core;",
    "--   Unicode-DFS-2016, Copyright (c) 1991-2022 Unicode, Inc.); lua/dossier/lexicon/actors.lua",
    "--   and the generator's hand-kept tables (historic states, South Slavic names of bodies and",
    "--   leaders). Licence texts: doc/actors.md.",
    string.format("-- %d states from Phoenix, %d territories named by CLDR, %d Phoenix officials,",
      #order, territories, persons),
    string.format("-- %d Phoenix bodies, %d hand-kept persons.", bodies, #PERSONS),
    "", "" }, "\n")
  local n = write(io.stdout, header)
  log("phrases: %d (%.1f s)", n, os.clock() - t0)
  local by_src = {}
  for _, e in pairs(entries) do
    if not e.dead then by_src[e.src] = (by_src[e.src] or 0) + 1 end
  end
  for src, k in pairs(by_src) do log("  from %s: %d", src, k) end
  log("conflicts (%d):\n  %s", #conflicts, table.concat(conflicts, "\n  "))
  table.sort(found.cap); table.sort(found.upper); table.sort(found.dropped)
  log("cap (%d):\n  %s", #found.cap, table.concat(found.cap, "\n  "))
  log("upper (%d):\n  %s", #found.upper, table.concat(found.upper, "\n  "))
  log("dropped as common words (%d):\n  %s", #found.dropped, table.concat(found.dropped, "\n  "))
  log("stems made whole words (%d):\n  %s", #found.unstemmed, table.concat(found.unstemmed, "\n  "))
end

main()
