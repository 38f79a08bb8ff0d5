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
local icbm = {
  "ICBM*", "intercontinental ballistic missile*", "Hwasong*", "Hvasong*",
  "interkontinentaln* balistick* raket*", "interkontinentaln* balistick* projektil*",
  "interkontinentaln* raket*", "interkontinentaln* projektil*",
}
local arms = {
  "arms", "weapon*", "munition*", "ammunition", "shell*", "artillery shell*", "rocket*",
  "missile*", "launcher*", "tanks", "small arms", "military equipment", "rounds",
  "oruzj*", "municij*", "granat*", "artiljerijsk* granat*", "topnick* granat*",
  "artiljerijsk* municij*", "raket*", "projektil*", "bacac*", "naoruzanj*", "streljiv*",
  "tenk*", "vojn* oprem*",
}
-- a missile named by its class is also arms (one hit fills either slot)
for _, t in ipairs(ballistic) do arms[#arms + 1] = t end
for _, t in ipairs(icbm) do arms[#arms + 1] = t end

return {
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
    "test-fired", "test-fires", "test-fire", "test-launched",
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
    "builders", "forced labour", "forced labor", "workforce",
    "radnik*", "radnici", "radnicima", "gradjevinsk* radnik*", "gradjevinsk* radnici",
    "graditelj*", "radn* snag*",
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
    "restriktivn* mer*", "restriktivn* mjer*" },
  sanctionv = { "sanctioned", "sanctioning", "sankcionisa*", "sankcionira*", "sankcionis*" },
  impose = {
    "impose", "imposes", "imposed", "imposing", "adopt", "adopts", "adopted", "adopting",
    "approve", "approves", "approved", "slap*", "introduce*", "introducing", "tighten*",
    "expand*", "announce*", "extend*",
    "uveo", "uvela", "uvelo", "uveli", "uvele", "uvesti", "uvodi*", "uveden*", "uvede",
    "usvoj*", "nametn*", "nameta*", "odobri*", "pooštri*", "prosiri*", "produzi*",
  },
  -- counterfactual or conditional auxiliaries right before the verb: the vetoed draft
  -- "would have imposed" sanctions, "kojom bi se uvele": no event
  cond = { "would", "would have", "would not have", "could have", "might have", "bi",
    "bi se", "bio bi", "bila bi", "bili bi" },
  veto = { "veto*" },
  meet = {
    "meet", "meets", "met", "convene", "convenes", "convened", "held talks", "hold talks",
    "sastat*", "sastane", "sastanu", "sastao", "sastala", "sastali", "sastalo", "sastaje*",
    "sastace*", "sastajat*", "sastajal*",
  },
  -- non-actor names that would otherwise read as actors or items: a sea, a war, outlets
  place = {
    "Sea of Japan", "East Sea", "Japansk* mor*", "Istocn* mor*", "Korean War", "Korejsk* rat*",
    "Washington Post", "New York Times", "Njujork tajms*", "Russia Today",
  },
}
