-- A child process for the store specs: ingest a corpus into a store, then
-- print the counts. Run as
--   lua5.4 spec/helpers/ingest_child.lua <package.path> <package.cpath> <db> <corpus> <batch>
-- The parent kills it mid-ingest (SIGKILL) or runs two at once.
package.path = arg[1]
package.cpath = arg[2]
local store = require "dossier.store"
local db = store.open(arg[3])
local res = assert(db:ingest(arg[4], { batch = tonumber(arg[5]) }))
io.write(("added=%d duplicates=%d rejected=%d\n"):format(res.added, res.duplicates, res.rejected))
db:close()
