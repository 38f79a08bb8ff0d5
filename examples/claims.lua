-- Who says what, through whom, and where do the sources disagree?
--
--   bin/dossier run examples/demo.db examples/claims.lua
--
-- `dossier` and `db` (the open store) are given by `dossier run`. The store
-- must hold coded events (`dossier extract`) for claims to be about something.

local claims = dossier.claims
local report = dossier.report

-- Find every attribution ("said", "denied", "according to", "rekao je",
-- "prenosi agencija AP" ...) and store it as a claim linked to its event.
local found = claims.extract(db)
print(("%d claims found in %d documents\n"):format(found.claims, found.documents))

-- One row per proposition (an activity between two countries): how many
-- sources assert or deny it, and how many of them are independent. An outlet
-- that only relays another one counts once, with the one it relays.
local props = claims.compare(db)
io.write(report.table(props, {
  columns = { "key", "asserting", "denying", "hedging", "origins", "conflicts" },
  headers = { key = "proposition", asserting = "assert", denying = "deny", hedging = "hedge",
    origins = "origins" },
  format = { conflicts = function(c) return #c > 0 and (#c .. " ⚠") or "" end },
}))

-- The disagreements, spelled out.
print("\nConflicts")
for _, p in ipairs(props) do
  for _, c in ipairs(p.conflicts) do
    print(("  %-28s %-8s %s"):format(p.key, c.kind, c.note or ""))
  end
end

-- Independent origins per proposition, as a bar chart.
print("\nIndependent origins")
local bars = {}
for _, p in ipairs(props) do bars[#bars + 1] = { p.key, p.origins } end
io.write(report.bars(bars))
