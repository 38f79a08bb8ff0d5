--- Non-UN (unilateral) sanctions regimes named in `sanctions-kb.md` §5, tagged `un = false`.
-- Breaches of these are unilateral-sanctions violations and are never counted as UN
-- violations. The fact sheet names the acts and their dates but not their activity scope, so
-- `applies_to` is empty: `measures_for` does not match events to them until someone adds a
-- verified scope. Where the fact sheet gives only a year, `in_force_from` is nil.
return {
  {
    id = "eu_reg_833_2014", regime = "Russia", body = "EU", un = false,
    resolution = "Council Regulation (EU) 833/2014", year = 2014,
    paragraph = nil, paragraph_status = "content only",
    summary = "EU sectoral restrictive measures on Russia.",
    activities = { "non_un_russia" }, applies_to = {},
    binding = "prohibition", obligation = "eu_russia_sectoral",
    source = { section = "§5", act = "833/2014" },
  },
  {
    id = "eu_reg_269_2014", regime = "Russia", body = "EU", un = false,
    resolution = "Council Regulation (EU) 269/2014", year = 2014,
    paragraph = nil, paragraph_status = "content only",
    summary = "EU asset freezes (Ukraine's territorial integrity).",
    activities = { "non_un_russia" }, applies_to = {},
    binding = "prohibition", obligation = "eu_russia_asset_freeze",
    source = { section = "§5", act = "269/2014" },
  },
  {
    id = "eu_dec_2014_512", regime = "Russia", body = "EU", un = false,
    resolution = "Council Decision 2014/512/CFSP", year = 2014,
    paragraph = nil, paragraph_status = "content only",
    summary = "EU Council decision behind the sectoral measures.",
    activities = { "non_un_russia" }, applies_to = {},
    binding = "prohibition", obligation = "eu_russia_sectoral",
    source = { section = "§5", act = "2014/512/CFSP" },
  },
  {
    id = "us_eo_2014_ukraine", regime = "Russia", body = "United States", un = false,
    resolution = "E.O. 13660/13661/13662/13685", year = 2014,
    paragraph = nil, paragraph_status = "content only",
    summary = "US executive orders of 2014 related to Ukraine.",
    activities = { "non_un_russia" }, applies_to = {},
    binding = "prohibition", obligation = "us_russia_2014",
    source = { section = "§5", act = "13660" },
  },
  {
    id = "us_eo_14024", regime = "Russia", body = "United States", un = false,
    resolution = "E.O. 14024", year = 2021,
    paragraph = nil, paragraph_status = "content only",
    summary = "US sanctions on specified harmful foreign activities of the Russian government.",
    activities = { "non_un_russia" }, applies_to = {},
    binding = "prohibition", obligation = "us_russia_harmful_activities",
    in_force_from = "2021-04-15",
    source = { section = "§5", act = "14024" },
  },
  {
    id = "us_eo_14114", regime = "Russia", body = "United States", un = false,
    resolution = "E.O. 14114", year = 2023,
    paragraph = nil, paragraph_status = "content only",
    summary = "Amends E.O. 14024.",
    activities = { "non_un_russia" }, applies_to = {},
    binding = "prohibition", obligation = "us_russia_harmful_activities",
    in_force_from = "2023-12-22",
    source = { section = "§5", act = "14114" },
  },
}
