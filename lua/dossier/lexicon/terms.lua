-- Term sets of the shipped sanctions rule set (dossier.rules.sanctions), as data: set name ->
-- list of phrases in dossier.lexicon syntax (`word*` a stem; folded matching, so Latin
-- entries also match Serbian Cyrillic and diacritic spellings). English and
-- Serbian/Croatian/Bosnian (ekavian and ijekavian). Based on data/sanctions-kb.md §7, extended.
-- Stems are chosen so that they do not catch common words: "radnik*" and "radnici", not
-- "radnic*" (the club Radnički); "uveo"/"uvela", not "uve*" (uvek, "always").
local supply = {
  "supply", "supplies", "supplied", "supplying", "sell", "sells", "selling", "sold",
  "deliver", "delivers", "delivered", "delivering", "shipped",
  "export", "exports", "exported", "exporting", "send", "sends", "sending", "sent",
  "provide", "provides", "provided", "providing", "transfer", "transfers", "transferred",
  "isporu*", "proda*", "prodaj*", "prodao", "prodala", "prodali", "izvoz*", "izvez*", "izvoze",
  "posla*", "posalj*", "salje*", "slao", "slala", "slali", "slalo", "slanj*", "dostav*",
  "transferira*", "transferisa*", "isporucuj*", "otprem*",
  -- from CAMEO 062/072/0332 (military cooperation and aid: ARM/EQUIP, donations) via tools/gen_terms.lua
  "equip", "equips", "equipped", "equipping", "arming", "furnished", "donate", "donates",
  "donated", "donating", "naoruzava", "naoruzavaju", "naoruzao", "naoruzala", "naoruzali",
  "donira*", "opremi*",
}
local arrive = { "arrive", "arrives", "arrived", "arriving", "stig*", "pristig*", "dospe*", "dospje*" }
local moved = {}
for _, t in ipairs(supply) do moved[#moved + 1] = t end
for _, t in ipairs(arrive) do moved[#moved + 1] = t end

local ballistic = {
  "ballistic missile*", "short-range ballistic missile*", "medium-range ballistic missile*",
  "submarine-launched ballistic missile*", "SLBM*", "hypersonic missile*",
  "balistick* raket*", "balistick* projektil*", "hipersonicn* raket*",
}
-- Hwasong-14/15/17/18/19 are ICBMs; Hwasong-5 … -12 are not, and a bare "Hwasong" is also a
-- place (see `missile`).
local icbm = {
  "ICBM*", "intercontinental ballistic missile*", "Hwasong-14", "Hwasong-15", "Hwasong-17",
  "Hwasong-18", "Hwasong-19", "Hvasong-14", "Hvasong-15", "Hvasong-17", "Hvasong-18", "Hvasong-19",
  "interkontinentaln* balistick* raket*", "interkontinentaln* balistick* projektil*",
  "interkontinentaln* raket*", "interkontinentaln* projektil*",
}
-- a missile named without its class ("a new medium-range missile", "Nodong-1", "raketu"):
-- a launch of one is coded ballistic_launch (DESIGN: ICBMs only by name or class)
local missile = {
  "missile*", "rocket*", "raket*", "projektil*", "Scud*", "Nodong*", "Rodong*", "Musudan*",
  "Taepodong*", "Pukguksong*", "KN-*", "Hwasong*", "Hvasong*", "Unha*", "Kwangmyongsong*",
  "medium-range missile*", "short-range missile*", "satellite launch vehicle*",
  "space launch vehicle*", "carrier rocket*", "satellit*", "satelit*",
}
local arms = {
  -- missiles that are not ballistic: one hit each, so `missile` never sees their "missile"
  "Silkworm*", "Silkworm missile*", "anti-shipping missile*", "anti-ship missile*",
  "cruise missile*", "surface-to-air missile*", "air-to-air missile*", "anti-tank missile*",
  "anti-aircraft missile*", "Blowpipe missile*", "Stinger missile*", "TOW missile*",
  "Hawk missile*", "Free Rocket Over Ground", "FROG*", "krstarec* raket*", "protivoklopn* raket*",
  "protivavionsk* raket*",
  "arms", "weapon*", "military hardware", "grenade*", "armoured vehicle*", "armored vehicle*",
  "oklopn*", "oklopnjak*", "borben* vozil*", "vojn* opreme", "vojnu opremu", "vojnom opremom",
  "munition*", "ammunition", "shells", "artillery shell*", "tank shell*", "rocket*",
  "missile*", "launcher*", "tanks", "small arms", "military equipment", "rounds",
  "oruzj*", "municij*", "granat*", "artiljerijsk* granat*", "topnick* granat*",
  "artiljerijsk* municij*", "raket*", "projektil*", "bacac*", "naoruzanj*", "streljiv*",
  "tenk*", "vojn* oprem*",
  -- weapon systems news names by their designation (Cyrillic С-300 folds to S-300)
  "S-300*", "S-400*", "S-500*", "Pantsir*", "Pancir*", "Patriot missile*", "Patriot system*",
  "air defence system*", "air defense system*", "sistem* PVO", "sistem* protivvazdusne odbrane",
  "PVO sistem*", "raketn* sistem*", "protivvazdusn* sistem*", "Mistral*",
  "fighter jet*", "fighter aircraft", "fighter plane*", "warplane*", "combat aircraft",
  "borben* avion*", "borben* helikopter*", "vojn* helikopter*", "vojn* avion*", "attack helicopter*",
  "military helicopter*", "military aircraft", "MiG-*", "Mig-*", "Su-27*", "Su-30*", "Su-35*",
  "Mi-8*", "Mi-17*", "Mi-24*", "Mi-35*", "MI35", "F-16*", "F-35*", "Rafale*",
  "warship*", "frigate*", "corvette*", "submarine*", "vojn* brod*", "ratn* brod*", "fregat*", "korvet*",
  "podmornic*",
}
-- a missile named by its class is also arms (one hit fills either slot)
for _, t in ipairs(ballistic) do arms[#arms + 1] = t end
for _, t in ipairs(icbm) do arms[#arms + 1] = t end

return {
  missile = missile,
  supply = supply,
  arrive = arrive,
  moved = moved,
  -- deliveries named by a noun (a supplier-less passive: "isporuke oružja Rusiji")
  delivery = {
    "delivery", "deliveries", "shipment", "shipments", "transfers of", "sale", "sales",
    "isporuka", "isporuke", "isporuci", "isporuku", "isporukama", "isporukom",
    "izvoz", "izvoza", "izvozu", "posiljk*", "prodaja", "prodaju",
  },
  buy = {
    "buy", "buys", "buying", "bought", "purchase*", "purchasing", "acquire*", "acquiring",
    "import", "imports", "imported", "importing", "obtain*",
    "kupuj*", "kupi*", "kupovin*", "kupova*", "nabav*", "nabavlj*", "uvoz*", "uvez*",
  },
  arms = arms,
  drones = {
    "drone*", "UAV*", "unmanned aerial vehicle*", "kamikaze drone*", "loitering munition*",
    "Shahed*", "Mohajer*", "dron*", "bespilotn* letelic*", "bespilotn* letjelic*",
    "bespilotn* vazduhoplov*", "letelic*", "letjelic*", "kamikaz*", "Sahed*", "Sahid*",
    "Mohadzer*", "Mohadjer*",
  },
  launch = {
    "fire", "fires", "fired", "firing", "launch", "launches", "launched", "launching",
    "test-fired", "test-fires", "test-fire", "test-launched", "test-launch", "test-launches",
    "test-firing", "test-launching", "blasted off", "lifted off",
    "ispal*", "lansir*", "testira*", "probn* lansir*",
  },
  ballistic = ballistic,
  icbm = icbm,
  conduct = {
    "carry out", "carries out", "carried out", "carrying out", "conduct", "conducts",
    "conducted", "conducting", "perform*", "stage", "staged",
    "izvel*", "izvede", "izvod*", "izvrs*", "sprove*", "sprovod*", "obavi*", "provel*", "proved*",
  },
  ntest = {
    "nuclear test*", "nuclear detonation*", "nuclear explosion*", "atomic test*",
    "nuclear weapons test*", "nuclear weapon test*", "underground blast*", "nuclear blast*",
    "hydrogen bomb test*", "underground nuclear test*",
    "nuklearn* prob*", "nuklearn* test*", "nuklearn* testiranj*", "atomsk* prob*",
    "nuklearn* eksplozij*",
  },
  testv = { "test", "tests", "tested", "testing", "detonate*", "detonated", "testira*", "detonira*" },
  nuke = {
    "nuclear device*", "nuclear bomb*", "hydrogen bomb*", "atomic bomb*", "nuclear weapon*",
    "nuklearn* uredjaj*", "nuklearn* bomb*", "hidrogensk* bomb*", "atomsk* bomb*",
    "nuklearn* oruzj*",
  },
  workers = {
    "workers", "worker", "laborers", "labourers", "labourer", "laborer", "construction workers",
    "builders", "forced labour", "forced labor", "workforce", "migrant workers", "guest workers",
    "expatriate workers", "gastarbajter*", "gastarbeiter*", "sezonc*", "nadnicar*",
    "radnik*", "radnici", "radnicima", "gradjevinsk* radnik*", "gradjevinsk* radnici",
    "graditelj*", "radn* snag*", "sezonsk* radnic*",
  },
  hire = {
    "hire", "hires", "hired", "hiring", "employ", "employs", "employed", "employing",
    "bring in", "brings in", "brought in", "recruit*", "host", "hosts", "hosted",
    "zaposl*", "angazova*", "angazuj*", "dovesti", "dovede", "dovod*", "dovel*", "primi*",
  },
  oil = {
    "oil", "crude", "crude oil", "refined petroleum", "petroleum", "petroleum products",
    "oil products", "diesel", "gasoline", "petrol", "kerosene", "jet fuel", "fuel",
    "naft*", "naftn* derivat*", "rafinisan* naft*", "rafinirani naftni proizvodi", "dizel*",
    "benzin*", "kerozin*", "sirov* naft*", "goriv*", "mazut*",
  },
  coal = { "coal", "anthracite", "ugalj", "uglj*", "antracit*", "kamen* uglj*" },
  -- ship-to-ship transfers; a bare "transshipment" or "pretovar" is a port or a trade route,
  -- so those need "at sea" / "na moru" (rule ship_to_ship_sea)
  sts = {
    "ship-to-ship", "ship-to-ship transfer*", "STS transfer*", "pretovar* s broda na brod",
    "s broda na brod", "sa broda na brod", "pretakanj* na moru", "pretakanj* nafte na moru",
  },
  transship = { "transshipment*", "trans-shipment*", "transfer*", "pretovar*", "prekrcaj*",
    "pretakanj*" },
  sanctions = { "sanction*", "restrictive measures", "embargo*", "sankcij*", "embarg*",
    "restriktivn* mer*", "restriktivn* mjer*", "tariff*", "punitive tariff*", "trade ban*",
    "arms ban*", "ban on arms", "coercive measures", "punitive measures", "tighter restrictions",
    "trade restrictions", "economic restrictions", "paket* sankcij*", "zabran* izvoza",
    "zabran* uvoza", "kaznen* carin*", "prinudn* mer*",
    -- from CAMEO 163 ("* BAN IMPORT OF", "* EMBARGO") via tools/gen_terms.lua
    "import ban*", "export ban*", "ban on imports", "ban on exports" },
  -- meetings: verbs and nouns (talks, summit, visit); a visit to a state is a meeting with it
  meetv = {
    "talked", "talks with", "held talks", "hold talks", "holds talks", "holding talks",
    "spoke with", "spoke to", "visited", "visits", "visiting", "conferred",
    "razgovara*", "razgovarao", "razgovarala", "razgovarali",
    "pricali", "posetio", "posetila", "posetili", "posjetio", "posjetila", "posjetili",
    "posecuje", "posjecuje", "sreo", "srela", "sreli", "susreo", "susrela", "susreli",
    "sastaje", "sastajao", "sastao", "sastala", "sastali",
    -- from CAMEO 040/042/044/046 (consult, make a visit, negotiate) via tools/gen_terms.lua;
    -- "doputovao u Beograd" is the Serbian "arrived in". (Not CAMEO's "arrive in": "Iranian
    -- drones arrived in Russia" is a delivery, and the phrase would hide "arrived" from `moved`.)
    "consulted with", "consults with", "negotiated with", "negotiating with", "negotiates with",
    "paid a visit to", "pays a visit to",
    "doputova*", "otputova*", "posetice", "posetiti", "posjetice", "posjetiti", "posjetit ce",
    "pregovara", "pregovarao", "pregovarala", "pregovarali", "pregovaraju", "pregovarati",
  },
  -- the subject hosts: "Vučić primio Lavrova" (the visitor is the object)
  meeth = { "hosted", "hosts", "hosting", "welcomed", "received", "primio", "primila", "primili",
    "ugostio", "ugostila", "ugostili", "docekao", "docekala", "docekali",
    -- from CAMEO 043 (host a visit) via tools/gen_terms.lua
    "played host to", "plays host to", "ugosti", "ugoscuje", "docekuje",
    -- the future: "Vučić će sutra ugostiti kineskog ministra" (not "primiti": "primiti potez")
    "ugostiti", "ugostice", "ugostit ce" },
  meetn = {
    "talks", "summit*", "meeting", "meetings", "visit", "visits", "state visit", "official visit",
    "negotiations", "sastanak", "sastanka", "sastanku", "sastankom", "susret", "susreta", "susretu",
    "poseta", "posete", "poseti", "posetu", "posetom", "posjeta", "posjete", "posjeti",
    "posjetu", "posjetom", "razgovor", "razgovora", "razgovori", "razgovore", "razgovorima",
    "pregovor*", "samit*", "sastanak na vrhu",
    -- from CAMEO 036/040/046 (consultations, negotiation) via tools/gen_terms.lua
    "consultations", "negotiation", "sastanci", "sastanke", "sastancima", "susreti", "susrete",
    "susretom", "konsultacij*",
  },
  -- exports of other goods (other_export): verbs, nouns, and the goods
  exportn = { "exports", "export", "sales", "izvoz", "izvoza", "izvozu", "isporuke" },
  goods = {
    "goods", "products", "wheat", "grain", "corn", "maize", "soybeans", "soybean*", "cotton",
    "coffee", "cocoa", "sugar", "rice", "beef", "meat", "steel", "iron ore", "aluminium",
    "aluminum", "copper", "cars", "vehicles", "machinery", "chemicals", "fertili*", "timber",
    "gas", "natural gas", "LNG", "electricity", "nuclear power station*", "reactor*",
    "semiconductor*", "microchip*", "chips", "electronics", "textiles", "fruit", "vegetables",
    "roba", "robe", "robu", "proizvod*", "psenic*", "kukuruz*", "zito", "zita", "secer*",
    "celik*", "gasa", "plin", "plina", "struj*", "elektricn* energij*", "automobil*",
    "voce", "lekov*", "lijekov*", "hran*",
    -- edible oils are goods, not oil
    "palm oil", "rbd palm oil", "vegetable oil*", "edible oil*", "soybean oil", "soyoil", "sunflower oil*",
    "olive oil", "rapeseed oil", "oils and fats", "jestiv* ulj*", "suncokretov* ulj*", "palmin* ulj*",
  },
  sanctionv = { "sanctioned", "sanctioning", "sankcionisa*", "sankcionira*", "sankcionis*",
    -- from CAMEO 163 (BAN IMPORT OF, EMBARGO) via tools/gen_terms.lua: "Srbija zabranila uvoz ..."
    "banned", "embargoed", "zabranio", "zabranila", "zabranili" },
  impose = {
    "impose", "imposes", "imposed", "imposing", "adopt", "adopts", "adopted", "adopting",
    "approve", "approves", "approved", "slap*", "introduce*", "introducing", "tighten*",
    "expand*", "announce*", "extend*",
    "uveo", "uvela", "uvelo", "uveli", "uvele", "uvesti", "uvodi*",
    "uveden*", "uvede", "uvedemo", "uvedete", "uvedu",
    "usvoj*", "nametn*", "nameta*", "odobri*", "pooštri*", "prosiri*", "produzi*",
    -- from CAMEO 163 (IMPOSE block: REIMPOSE, LEVY) via tools/gen_terms.lua
    "reimpose", "reimposed", "reimposing", "re-impose", "re-imposed", "levied", "levying",
  },
  -- counterfactual or conditional auxiliaries right before the verb: the vetoed draft
  -- "would have imposed" sanctions, "kojom bi se uvele": no event
  cond = { "would", "would have", "would not have", "could have", "might have", "bi",
    "bi se", "bio bi", "bila bi", "bili bi" },
  veto = { "veto*", "vetira*", "stavil* veto", "ulozil* veto", "ulozi veto" },
  meet = {
    "meet", "meets", "met", "convene", "convenes", "convened", "held talks", "hold talks",
    "sastat*", "sastane", "sastanu", "sastao", "sastala", "sastali", "sastalo", "sastaje*",
    "sastace*", "sastajat*", "sastajal*",
    -- from CAMEO 040 (ASSEMBLE block: RECONVENE) via tools/gen_terms.lua
    "reconvene", "reconvenes", "reconvened",
  },
  -- non-actor names that would otherwise read as actors or items: a sea, a war, outlets
  place = {
    "Sea of Japan", "East Sea", "Japansk* mor*", "Istocn* mor*", "Korean War", "Korejsk* rat*",
    "Washington Post", "New York Times", "Njujork tajms*", "Russia Today",
    -- regions named after a state's name: not that state
    "Latin America", "South America", "Central America", "North America", "Latinsk* Amerik*",
    "Juzn* Amerik*", "Srednj* Amerik*", "Centraln* Amerik*", "Severn* Amerik*", "Sjevern* Amerik*",
    "Latin American", "South American", "Central American", "North American",
    "United Steelworkers of America",
    -- goods named by what they are not
    "non-oil", "non-petroleum", "non-coal", "non-military",
  },
}
