--- UN Security Council resolution 2231 (2015), Annex B: Iran measures as data.
-- One entry per row of `sanctions-kb.md` §4. All four paragraph numbers are marked V there.
-- Dates: the fact sheet verifies JCPOA Adoption Day (18 Oct 2015) but not the resolution's
-- adoption date (20 Jul 2015 is marked U), so `adopted` is nil and `in_force_from` uses the
-- earliest verified date. `in_force_until` is the last day in force (inclusive): the fact
-- sheet's "until 18 Oct 2023" (Transition Day) means nothing under 2231 from 18 Oct 2023 on.
local UN = "UN Security Council"

return {
  {
    id = "iran_2231_b3", regime = "Iran", body = UN, un = true,
    resolution = "2231", year = 2015, adopted = nil,
    paragraph = "Annex B para 3", paragraph_status = "verified",
    summary = "Iran is called upon not to undertake activity related to ballistic missiles designed "
      .. "to be able to deliver nuclear weapons, launches included.",
    activities = { "ballistic_launch_iran" },
    applies_to = {
      { type = "ballistic_launch", actor1 = "IRN" },
      { type = "icbm_launch", actor1 = "IRN" },
    },
    binding = "call", obligation = "iran_ballistic_activity",
    in_force_from = "2015-10-18", in_force_until = "2023-10-17",
    source = { section = "§4", res = "2231", para = "3", activity = "ballistic_launch_iran" },
    notes = "\"Calls upon\" wording: non-binding, never counted as a violation. Numbering per a "
      .. "2022 Russian letter (fact sheet).",
  },
  {
    id = "iran_2231_b4", regime = "Iran", body = UN, un = true,
    resolution = "2231", year = 2015, adopted = nil,
    paragraph = "Annex B para 4", paragraph_status = "verified",
    summary = "Supplying, selling or transferring MTCR-list items (S/2015/546) to or from Iran needs "
      .. "the Security Council's approval in advance, case by case.",
    activities = { "missile_transfer_iran", "drone_transfer_iran" },
    applies_to = {
      { type = "drone_transfer", actor1 = "IRN" },
      { type = "drone_transfer", actor2 = "IRN" },
      { type = "arms_transfer", actor1 = "IRN",
        items = { "missile", "rocket", "raket", "projektil", "ballistic", "balistick" } },
      { type = "arms_transfer", actor2 = "IRN",
        items = { "missile", "rocket", "raket", "projektil", "ballistic", "balistick" } },
    },
    binding = "approval_required", obligation = "iran_mtcr_items",
    in_force_from = "2015-10-18", in_force_until = "2023-10-17",
    source = { section = "§4", res = "2231", para = "4", activity = "drone_transfer_iran" },
    contested = true,
    notes = "Contested for drones: the West argues that 300 km range brings the Shahed and Mohajer "
      .. "models under the MTCR list; the list item needs a 50 kg payload over 300 km and the "
      .. "drones' payload is reportedly a little lower. Iran and Russia deny the transfers. Report "
      .. "as \"alleged violation of 2231 Annex B para 4 (contested)\".",
  },
  {
    id = "iran_2231_b5", regime = "Iran", body = UN, un = true,
    resolution = "2231", year = 2015, adopted = nil,
    paragraph = "Annex B para 5", paragraph_status = "verified",
    summary = "Arms transfers to Iran (tanks, artillery, combat aircraft, missiles ...) need "
      .. "approval in advance.",
    activities = { "arms_import_iran" },
    applies_to = { { type = "arms_transfer", actor2 = "IRN" } },
    binding = "approval_required", obligation = "iran_arms_import",
    in_force_from = "2015-10-18", in_force_until = "2020-10-17",
    source = { section = "§4", res = "2231", para = "5", activity = "arms_import_iran" },
    notes = "Lapsed five years after Adoption Day (18 Oct 2020).",
  },
  {
    id = "iran_2231_b6b", regime = "Iran", body = UN, un = true,
    resolution = "2231", year = 2015, adopted = nil,
    paragraph = "Annex B para 6(b)", paragraph_status = "verified",
    summary = "Arms transfers from Iran are prohibited unless the Council decides otherwise.",
    activities = { "arms_export_iran" },
    applies_to = { { type = "arms_transfer", actor1 = "IRN" } },
    binding = "prohibition", obligation = "iran_arms_export",
    in_force_from = "2015-10-18", in_force_until = "2020-10-17",
    source = { section = "§4", res = "2231", para = "6(b)", activity = "arms_export_iran" },
    notes = "Lapsed 18 Oct 2020.",
  },
}
