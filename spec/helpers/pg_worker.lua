-- A worker process for spec/extract_pg_spec.lua: codes a PostgreSQL store with a small rule set,
-- in batches of 5, then prints its counts. Run as
--   lua5.4 spec/helpers/pg_worker.lua <package.path> <package.cpath> <conninfo> [<block_doc> <marker>]
-- With block_doc, it stops inside the scan of that document (its batch claimed, not committed),
-- creates the file <marker> and waits there (at most 60 s) for the parent's SIGKILL.
package.path = arg[1]
package.cpath = arg[2]
local dossier = require "dossier"
local sys = require "dossier.sys"
local rs = dofile("spec/helpers/pg_rules.lua")
local block_doc, marker = tonumber(arg[4]), arg[5]
if block_doc then
  local run = rs.run
  function rs.run(self, text, ctx, lean)
    if ctx.doc_id == block_doc then
      assert(io.open(marker, "w")):close()
      local t0 = sys.now()
      while sys.now() - t0 < 60 do sys.sleep(0.05) end
      error("pg_worker: not killed within 60 s")
    end
    return run(self, text, ctx, lean)
  end
end
local db <close> = dossier.open(arg[3])
local r = dossier.extract(db, rs, { batch = 5, progress = false })
io.write(("docs=%d events=%d\n"):format(r.docs, r.events))
