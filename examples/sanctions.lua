-- Which UN sanctions do the events in this store breach, and how often?
--
--   bin/dossier run examples/demo.db examples/sanctions.lua
--
-- `dossier` and `db` (the open store) are given by `dossier run`. The store
-- must hold coded events: `dossier ingest` the articles, then `dossier extract`;
-- run examples/claims.lua first so that relays count once, with their origin.

local sanctions = dossier.sanctions
local report = dossier.report

-- Ten articles about one shipment are one incident, not ten: group the event
-- mentions first (same activity, same countries, close dates and quantities).
local incidents = sanctions.incidents(db)
print(("%d event mentions grouped into %d incidents\n"):format(
  db:first("SELECT count(*) AS n FROM events").n, #incidents))

-- One row per incident and UN measure in force on its date. "alleged" means
-- the reports hedge or someone denies it; a denial alone is never counted.
-- "origins" counts independent sources: an outlet relaying another counts once.
local rows = sanctions.violations(db, { incidents = incidents })
io.write(report.table(rows, {
  columns = { "date", "actors", "label", "mentions", "origins" },
  headers = { label = "violation", origins = "origins" },
}))

-- The same, counted by resolution, as a bar chart.
print("\nViolations by resolution")
io.write(report.bars(sanctions.count(db, { by = { "resolution" }, incidents = incidents }),
  { label = "resolution", value = "count" }))

-- When did the incidents happen?
print("\nIncidents by month")
io.write(report.timeline(incidents, "date_from", { by = "month" }))
