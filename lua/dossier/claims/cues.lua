--- Attribution cues for `dossier.claims`, as data (English and Serbian/Croatian/Bosnian).
--
-- Every phrase is in FOLDED form (lower case, no diacritics, Serbian Cyrillic written in
-- Latin: `dossier.text.fold`), matched as whole words by a `dossier.lexicon`; a word ending
-- in `*` is a stem. Cyrillic text matches the same phrases after folding.
--
-- `verbs`: phrase → `{kind, dir, stance}`
--   kind  `say`   a speech verb: its argument is the speaker (or, if it names an outlet, a
--                 reporter in the relay chain: "KCNA said", "The New York Times reported");
--         `relay` an outlet passing the news on ("prenosi agencija AP", "AP reports");
--         `source` what the claim rests on ("according to", "citing", "pozivajući se na",
--                 "prema rečima"): an outlet joins the chain, anyone else is the speaker;
--         `first` the first publisher ("first reported", "prvi je objavio"): an outlet
--                 ends the chain; a relative subject ("which first reported") refers back;
--         `join`  a participle that shares the clause's speaker ("saying", "telling").
--   dir   where the argument is looked for first: `before` (the subject of "X said") or
--         `after` ("according to X", "prenosi agencija X"). Speech verbs right after a
--         comma also look after them ("..., saopštilo je Ministarstvo").
--   stance `deny` / `hedge` when the verb itself carries one ("denied", "negirao je",
--         "suggested"); otherwise the stance comes from the clause and the event.
--   head  (for `prema`) the argument must contain one of these stems ("prema podacima X",
--         "prema rečima X") so that "prema Japanskom moru" (towards the Sea of Japan) is no
--         attribution.
--   kind `none` a phrase that holds a speech verb and says nothing ("called off", "called for",
--         "added up to"): it hides the verb.
--   to    the verb's object, when it names an outlet, is a relay ("told AP", "rekao je za
--         Rojters").
--   kind `quoted` a passive quotation ("U.S. officials were quoted by the New York Times as
--         saying"): the subject is the speaker, an outlet after the verb relays it.
-- A speech verb whose subject follows a `nesting` word of an earlier speech verb in the same
-- clause ("the ministry said that Kim told officials ...") is a nested report: the innermost
-- speaker speaks and the outer one goes into the relay chain.
-- @module dossier.claims.cues

local say = { kind = "say", dir = "before" }
local say_to = { kind = "say", dir = "before", to = true }
-- "announced measures", "najavio proteste": a plan, unless a that-clause follows ("announced that
-- the test was a success")
local announce = { kind = "say", dir = "before", announce = true }
local deny = { kind = "say", dir = "before", stance = "deny" }
local hedge = { kind = "say", dir = "before", stance = "hedge" }
local relay = { kind = "relay", dir = "before" }
local relay_after = { kind = "relay", dir = "after" }
local source = { kind = "source", dir = "after" }
local first = { kind = "first", dir = "before" }
local first_after = { kind = "first", dir = "after" }
local join = { kind = "join", dir = "none" }
local quoted = { kind = "quoted", dir = "before" }
local none = { kind = "none", dir = "none" }
local prema = { kind = "source", dir = "after",
  head = { "rec", "rijec", "podac", "podat", "navod", "izracun", "pisanj", "informacij", "izvor",
    "izvest", "izvjes", "saznanj", "procen", "procjen", "tvrdnj", "objav" } }

local M = {}

M.verbs = {
  -- English speech verbs
  ["said"] = say, ["says"] = say, ["say"] = say, ["told"] = say_to, ["tells"] = say_to,
  ["confirmed"] = say_to, ["confirms"] = say_to, ["claimed"] = say, ["claims"] = say,
  ["warned"] = say, ["warns"] = say, ["argued"] = say, ["argues"] = say, ["stated"] = say,
  ["announced"] = announce, ["announces"] = announce,
  ["added"] = say, ["insisted"] = say, ["condemned"] = say,
  ["condemns"] = say, ["asked"] = say, ["accused"] = say, ["acknowledged"] = say,
  ["admitted"] = say, ["estimated"] = say, ["alleged"] = say, ["noted"] = say,
  ["called"] = say, ["suggested"] = hedge, ["speculated"] = hedge,
  ["denied"] = deny, ["denies"] = deny, ["deny"] = deny, ["rejected"] = deny,
  ["rejects"] = deny, ["dismissed"] = deny, ["refuted"] = deny,
  ["repeated"] = say, ["blamed"] = say, ["expressed concern"] = hedge,
  ["called off"] = none, ["called for"] = none, ["called on"] = none, ["calling for"] = none,
  ["calling on"] = none, ["added up"] = none, ["adding up"] = none,
  ["stressed"] = say, ["explained"] = say, ["testified"] = say, ["replied"] = say,
  ["reiterated"] = say, ["revealed"] = say, ["disclosed"] = say, ["emphasised"] = say,
  ["emphasized"] = say, ["pointed out"] = say, ["predicted"] = hedge, ["forecast"] = hedge,
  ["saying"] = join, ["telling"] = join, ["adding"] = join, ["calling"] = join,
  ["insisting"] = join, ["denying"] = { kind = "join", dir = "none", stance = "deny" },
  -- English relays and sources
  ["reported"] = relay, ["reports"] = relay, ["report"] = relay, ["wrote"] = relay,
  ["published"] = relay,
  ["first reported"] = first, ["was first to report"] = first, ["first published"] = first,
  ["first reported by"] = first_after, ["as first reported by"] = first_after,
  ["according to"] = source, ["citing"] = source, ["cited"] = source, ["quoting"] = source,
  ["quoted"] = source, ["as reported by"] = source, ["reported by"] = source,
  ["was quoted by"] = quoted, ["were quoted by"] = quoted, ["was quoted as saying"] = quoted,
  ["were quoted as saying"] = quoted, ["is quoted as saying"] = quoted,
  ["are quoted as saying"] = quoted, ["was cited by"] = quoted, ["were cited by"] = quoted,
  ["data from"] = source,
  -- Serbian / Croatian / Bosnian speech verbs (past forms of every gender and number)
  ["rekao"] = say_to, ["rekla"] = say_to, ["reklo"] = say_to, ["rekli"] = say_to,
  ["rekle"] = say_to, ["kaze"] = say, ["kazu"] = say, ["kazao"] = say_to, ["kazala"] = say_to,
  ["kazali"] = say_to, ["izjavio"] = say_to, ["izjavila"] = say_to, ["izjavilo"] = say_to,
  ["izjavili"] = say_to, ["izjavile"] = say_to, ["izjavljuje"] = say_to, ["izjavljuju"] = say_to,
  ["saopstio"] = say, ["saopstila"] = say,
  ["saopstilo"] = say, ["saopstili"] = say, ["saopstile"] = say, ["saopsteno"] = say,
  ["saopstava"] = say, ["saopstavaju"] = say, ["priopcio"] = say, ["priopcila"] = say,
  ["priopcilo"] = say, ["priopcili"] = say, ["priopcile"] = say, ["priopceno"] = say,
  ["priopcava"] = say,
  ["potvrdio"] = say_to, ["potvrdila"] = say_to, ["potvrdilo"] = say_to, ["potvrdili"] = say_to,
  ["potvrdile"] = say_to, ["potvrdjuje"] = say_to, ["tvrdi"] = say, ["tvrde"] = say,
  ["tvrdio"] = say, ["tvrdila"] = say, ["tvrdili"] = say, ["tvrdilo"] = say,
  ["navodi"] = say, ["naveo"] = say, ["navela"] = say, ["naveli"] = say, ["navelo"] = say,
  ["osudio"] = say, ["osudila"] = say, ["osudilo"] = say, ["osudili"] = say, ["osudile"] = say,
  ["ocenio"] = say, ["ocenila"] = say, ["ocenili"] = say, ["ocijenio"] = say,
  ["ocijenila"] = say, ["ocijenili"] = say, ["upozorio"] = say, ["upozorila"] = say,
  ["upozorilo"] = say, ["upozorili"] = say, ["upozorile"] = say, ["zatrazio"] = say,
  ["zatrazila"] = say, ["zatrazilo"] = say, ["zatrazili"] = say, ["zatrazile"] = say,
  ["smatra"] = say, ["smatraju"] = say, ["dodao"] = say, ["dodala"] = say, ["istakao"] = say,
  ["istakla"] = say, ["najavio"] = announce, ["najavila"] = announce, ["najavilo"] = announce,
  ["nazvao"] = say, ["nazvala"] = say, ["nazvali"] = say,
  ["sumnjaju"] = hedge, ["sumnja"] = hedge, ["procenjuju"] = hedge, ["procjenjuju"] = hedge,
  ["negira*"] = deny, ["odbacio"] = deny, ["odbacila"] = deny, ["odbacilo"] = deny,
  ["odbacili"] = deny, ["odbacuje"] = deny, ["demant*"] = deny, ["opovrg*"] = deny,
  ["izjavljiva*"] = say_to, ["izvestio"] = say, ["izvestila"] = say, ["izvestilo"] = say,
  ["izvestili"] = say, ["izvijestio"] = say, ["izvijestila"] = say, ["izvijestili"] = say,
  ["porucio"] = say, ["porucila"] = say, ["porucilo"] = say, ["porucili"] = say, ["poruci"] = say,
  ["porucuje"] = say, ["istice"] = say, ["isticu"] = say, ["ocenjuje"] = say, ["ocjenjuje"] = say,
  ["objasnio"] = say, ["objasnila"] = say, ["objasnili"] = say, ["naglasio"] = say,
  ["naglasila"] = say, ["naglasili"] = say, ["precizirao"] = say, ["precizirala"] = say,
  ["dodaje"] = say, ["upozorava"] = say, ["upozoravaju"] = say,
  ["isticuci"] = join, ["istakavsi"] = join, ["izjavivsi"] = join,
  ["ponovio"] = say, ["ponovila"] = say, ["ponovili"] = say, ["otkrio"] = say, ["otkrila"] = say,
  ["otkrili"] = say, ["odgovara"] = say, ["odgovorio"] = say, ["odgovorila"] = say,
  ["priseca se"] = say, ["prisjeca se"] = say,
  ["izrazio je zabrinutost"] = hedge, ["izrazila je zabrinutost"] = hedge,
  ["izrazili su zabrinutost"] = hedge, ["izrazio zabrinutost"] = hedge,
  ["rekavsi"] = join, ["navodeci"] = join, ["dodajuci"] = join,
  ["negirajuci"] = { kind = "join", dir = "none", stance = "deny" },
  -- Serbian / Croatian relays and sources
  ["prenosi"] = relay_after, ["prenose"] = relay_after, ["preneo"] = relay_after,
  ["prenela"] = relay_after, ["prenelo"] = relay_after, ["preneli"] = relay_after,
  ["prenio"] = relay_after, ["prenijela"] = relay_after, ["prenijeli"] = relay_after,
  ["kako prenosi"] = relay_after, ["kako prenose"] = relay_after, ["javlja"] = relay_after,
  ["javljaju"] = relay_after, ["javio"] = relay_after, ["javila"] = relay_after,
  ["javili"] = relay_after, ["pise"] = relay_after, ["pisu"] = relay_after, ["pisao"] = relay_after,
  ["pisala"] = relay_after,
  ["objavio"] = relay, ["objavila"] = relay, ["objavilo"] = relay, ["objavili"] = relay,
  ["prvo je preneo"] = first_after, ["prvi je preneo"] = first_after, ["prva je prenela"] = first_after,
  ["prvo je prenela"] = first_after, ["prvi je objavio"] = first, ["prva je objavila"] = first,
  ["je prvi objavio"] = first, ["je prva objavila"] = first, ["je vest prvi objavio"] = first,
  ["je vijest prvi objavio"] = first, ["prvi objavio"] = first, ["prva objavila"] = first,
  ["pozivajuci se na"] = source, ["pozivajuci se"] = source, ["poziva se na"] = source,
  ["se poziva na"] = source,
  ["pozivaju se na"] = source, ["se pozivaju na"] = source,
  ["kako je naveo"] = source, ["kako je navela"] = source, ["kako su naveli"] = source,
  ["kako je rekao"] = source, ["kako je rekla"] = source, ["kako je izjavio"] = source,
  ["kako je izjavila"] = source, ["prema"] = prema,
  ["podatke"] = source, ["podataka"] = source,
}

--- Words that end an argument (a speaker or outlet phrase) when looking before or after a cue.
M.boundaries = {
  "that", "which", "who", "whom", "whose", "because", "while", "whereas", "when", "whether", "if",
  "after", "before", "but", "since", "although", "as", "where",
  "da", "koji", "koja", "koje", "kojeg", "kojem", "kojim", "kojima", "kojoj", "kojega", "sto",
  "jer", "dok", "kada", "kad", "ako", "ali", "nakon", "posle", "poslije", "kako", "gde", "gdje",
  "li", "jesu", "prema", "no",
}

--- Words after which a second speech verb is a report inside the first ("A said that B told").
M.nesting = { "that", "da" }

--- Boundary words that start an independent earlier report ("after The New York Times first
-- reported"): a `first` cue reached through one of them starts a claim of its own.
M.independent = { "after", "nakon", "posle", "poslije" }

--- Words skipped at the edges of an argument (auxiliaries, articles, adverbs of time).
M.skip = {
  "je", "su", "se", "bi", "has", "have", "had", "is", "was", "were", "the", "a", "an", "i",
  "on", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "later",
  "earlier", "also", "again", "then", "istodobno", "istovremeno", "takodje", "ranije", "kasnije",
  "iz", "za", "to", "od", "by", "u", "po", "tada", "danas", "juce", "jucer", "sinoc", "ipak",
  "vec", "tom", "prilikom", "pritom", "medjutim", "inace", "today", "yesterday",
}

--- A headline or lead of the form "Speaker: what they said" ("Љајић: Угљанинове поруке
-- неприхватљиве", "Ministar informisanja: Ti programi ...") is an attribution when the colon
-- comes after at most `headline_words` words and the first of them is none of `headline_labels`.
M.headline_words = 4
M.headline_labels = { "foto", "video", "update", "breaking", "uzivo", "vesti", "vijesti", "news",
  "napomena", "izvor", "source", "note", "anketa", "intervju", "interview", "analiza", "analysis",
  "komentar", "comment", "exclusive", "ekskluzivno", "reuters", "afp", "ap", "tema" }

--- Words that end a speaker named after its verb ("rekao je Vučić na ruskom", "said Smith in
-- Tokyo", "izjavio je u utorak ministar"): prepositions that start an adjunct, not a title.
-- `za`, `of` and `iz` are not among them: they belong to titles ("Ministar za evropske
-- integracije", "head of the IAEA").
M.after_speaker = { "u", "na", "sa", "s", "tokom", "prilikom", "povodom", "in", "on", "at", "during" }

--- Conjunctions that, after a comma or semicolon, start a new clause with its own speaker.
M.clause_breaks = { "and", "while", "whereas", "but", "a", "dok", "ali", "no", "however" }

--- Separators allowed between the members of a coordinated speaker ("Britain, France and
-- Germany", "Велика Британија, Француска и Немачка").
M.coordinators = { "and", "i", "&", "te" }

--- Pronouns: an argument made only of these is resolved to the previous claim's speaker.
M.pronouns = {
  "he", "she", "they", "it", "his", "her", "their", "its", "him", "them",
  "on", "ona", "oni", "one", "ono", "njegov*", "njen*", "njihov*", "njezin*", "njoj", "njemu",
}

--- Subject pronouns: an argument that starts with one is resolved to the previous speaker.
M.subject_pronouns = {
  en = { "he", "she", "they", "it" },
  sx = { "on", "ona", "oni", "one", "ono" },
}

--- A speech verb right after one of these is a negated saying ("did not say", "nije rekao"):
-- no claim.
M.negations = { "not", "never", "t", "nije", "nisu", "nisam", "nismo", "nikada", "nikad", "ne" }

--- English words after which a speech verb is a passive or an adjective, no saying ("must be
-- disclosed", "was told", "for alleged tax evasion", "the claimed link"): no claim.
M.not_saying = { "be", "been", "being", "was", "were", "is", "are", "the", "a", "an", "with", "for",
  "of", "over", "his", "her", "its", "their" }

--- Relative pronouns: "The official, who spoke on condition of anonymity, said" skips the
-- relative clause to find the speaker.
M.relatives = { "who", "which", "koji", "koja", "koje", "sto" }

--- Nouns that stand for an outlet named earlier ("the newspaper said", "List se poziva na"):
-- such a claim continues the previous claim's relay chain.
M.outlet_nouns = { "newspaper", "paper", "agency", "daily", "broadcaster", "list", "dnevnik",
  "agencija", "novine", "portal", "televizija" }

--- Words that may stand with an office in a speaker named only by offices ("a senior
-- official", "the deputy foreign minister", "visoki zvaničnik"): such a speaker is the state
-- that spoke last in the document (offices are in `dossier.claims.speakers`).
M.office_modifiers = {
  "senior", "top", "deputy", "vice", "chief", "prime", "foreign", "defence", "defense", "trade", "finance",
  "interior", "economy", "energy", "state", "one", "another", "two", "several", "other", "some",
  "this", "that", "these", "those", "his", "her", "their", "its", "government", "presidential",
  "press", "ministry", "spokesman", "for", "of", "visok*", "visi", "zamenik*", "zamjenik*",
  "spoljnih", "vanjskih", "poslova", "odbrane", "obrane", "unutrasnjih", "finansija", "financija",
  "republike", "drzavn*", "neimenovan*", "jedan", "jedna", "jedno", "njegov*", "njen*",
}

--- The first person as a speaker ("We said", "Mi smo rekli", "kako smo naveli"): inside a
-- quote it is whoever the quote is given to (a state's official speaks for the state); in the
-- outlet's own text it is the outlet's narration, which is no claim.
M.first_person = { "we", "mi", "smo" }

--- Participles that speak only before "that" / "da" ("adding that", not "adding $1.89"): without
-- a claim in their clause, the others ("saying", "ističući") give one to the clause's subject.
M.join_needs_that = { "adding", "calling", "dodajuci" }

--- Titles before a name: a speaker made of one of these and a name ("Mr Straw", "gospodin
-- Konašenkov") is that name, resolved as the same name was earlier in the document.
M.titles = { "mr", "mrs", "ms", "dr", "sir", "gospodin", "gospodja", "gdin", "gdja" }

--- Stance words in the claim's clause (checked after the cue verb's own stance). The hedge and
-- deny words are the rule set's modality cues (`dossier.recognisers.cues.lists`: `hedged`,
-- `denied`, `refusal`, with `neutral` phrases masking the cues inside them; see
-- `dossier.claims.STANCE_SOURCES`); listed here is only what claims add to them.
M.hedge = { "mogli da", "mogao da", "mogla da", "mogle da", "moglo da", "believed that",
  "believes that", "he believed", "she believed", "izgleda", "cini se" }
M.deny = { "false", "a smear", "lazn*" }
--- A claim is `plan` when its clause announces an intention: these are the phrases of the rule
-- set's `planned` cues that do (every entry must be one of them, spec/claims_speakers_spec.lua
-- checks it). The rest of `planned` ("would", "će", "is expected to") is an event's future,
-- not a speaker's plan. `plan_own`: what claims add.
M.plan = {
  "plans to", "plan to", "planning to", "intends to", "intend to", "is to", "are to",
  "will @en", "is set to", "are set to",
  "planira*", "namerava*", "namjerava*", "u procesu kupovine", "u procesu nabavke", "u planu",
  "kani*",
}
M.plan_own = { "is in talks", "are in talks" }

--- Back references to an event named in an earlier sentence ("condemned the launch"):
-- a claim in a sentence without events links to the nearest earlier sentence with events
-- only when its clause holds one of these.
M.anaphora = {
  "the launch", "the test", "the missile", "the purchases", "the purchase", "the deal",
  "the transfers", "the transfer", "the deliveries", "the shipment", "the shipments",
  "the accusation", "the accusations", "the allegations", "the reports", "such sales",
  "lansiranj*", "lansiranje", "testiranj*", "te izvestaje", "te izvjestaje", "tim navodima",
  "tim podacima", "isti izvestaj", "isti izvjestaj", "istom izvoru", "ove navode", "te navode",
  "tu vest", "tu vijest",
}

return M
