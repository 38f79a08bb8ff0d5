--- How the activity keys of the measures' source (doc/kb.md) map onto `kb.EVENT_TYPES`.
-- Data, not code: each activity key of `sanctions-kb.md` (§2, §4, §7) lists the event shapes
-- it covers, as `{type =, actor1 =, actor2 =}`, where a present actor field is a constraint
-- (the state that must hold that role). Measures in `un_dprk.lua` / `un_iran.lua` list their
-- own `applies_to` entries; `kb/init.lua` checks that those stay within this map.
-- Keys that no event type can express (asset freezes, inspections, designations ...) map to an
-- empty list: such measures are kept as data but `measures_for` never returns them.
-- Direction convention: actor1 is the supplier / exporter / sending state / launcher,
-- actor2 the recipient / importer / host.
return {
  -- DPRK regime
  nuclear_test = { { type = "nuclear_test", actor1 = "PRK" } },
  -- an ICBM is coded icbm_launch only, so a measure on ballistic launches covers both types
  ballistic_launch = {
    { type = "ballistic_launch", actor1 = "PRK" },
    { type = "icbm_launch", actor1 = "PRK" },
  },
  icbm_launch = { { type = "icbm_launch", actor1 = "PRK" } },
  arms_export = { { type = "arms_transfer", actor1 = "PRK" } },
  arms_import = { { type = "arms_transfer", actor2 = "PRK" } },
  arms_services = {},
  wmd_items = {},
  luxury_goods = { { type = "other_export", actor2 = "PRK" } },
  asset_freeze = {},
  travel_ban = {},
  cargo_inspection = {},
  vessel_measures = {},
  vessel_designation = {},
  leasing_chartering = {},
  financial_services = {},
  joint_venture = {},
  coal_export = { { type = "coal_export", actor1 = "PRK" } },
  iron_export = { { type = "other_export", actor1 = "PRK" } },
  minerals_export = { { type = "other_export", actor1 = "PRK" } },
  statues_export = { { type = "other_export", actor1 = "PRK" } },
  seafood_export = { { type = "other_export", actor1 = "PRK" } },
  lead_export = { { type = "other_export", actor1 = "PRK" } },
  textile_export = { { type = "other_export", actor1 = "PRK" } },
  food_agri_export = { { type = "other_export", actor1 = "PRK" } },
  machinery_export = { { type = "other_export", actor1 = "PRK" } },
  vessels_export = { { type = "other_export", actor1 = "PRK" } },
  vessels_supply = { { type = "other_export", actor2 = "PRK" } },
  industrial_import = { { type = "other_export", actor2 = "PRK" } },
  aviation_fuel = { { type = "oil_transfer", actor2 = "PRK" } },
  refined_petroleum = { { type = "oil_transfer", actor2 = "PRK" } },
  crude_oil = { { type = "oil_transfer", actor2 = "PRK" } },
  condensates_ngl = { { type = "oil_transfer", actor2 = "PRK" } },
  ship_to_ship = {
    { type = "ship_to_ship", actor1 = "PRK" },
    { type = "ship_to_ship", actor2 = "PRK" },
  },
  workers_abroad = { { type = "workers_abroad", actor1 = "PRK" } },

  -- Iran, resolution 2231 Annex B ("to OR FROM Iran" for para 4)
  ballistic_launch_iran = {
    { type = "ballistic_launch", actor1 = "IRN" },
    { type = "icbm_launch", actor1 = "IRN" },
  },
  missile_transfer_iran = {
    { type = "arms_transfer", actor1 = "IRN" },
    { type = "arms_transfer", actor2 = "IRN" },
  },
  drone_transfer_iran = {
    { type = "drone_transfer", actor1 = "IRN" },
    { type = "drone_transfer", actor2 = "IRN" },
  },
  arms_import_iran = { { type = "arms_transfer", actor2 = "IRN" } },
  arms_export_iran = { { type = "arms_transfer", actor1 = "IRN" } },

  -- non-UN regimes: the fact sheet names the acts but not their activity scope
  non_un_russia = {},
}
