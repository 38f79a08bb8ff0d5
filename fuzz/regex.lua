-- fuzz target: dossier.regex compile and match. The input is "flags byte, pattern, NUL,
-- subject": the pattern is compiled (most inputs fail to compile: that is an answer), then
-- run over the subject by every matching function with small limits.
local rex = require "dossier.regex"
local F = rex.flags()
rex.limits { match = 20000, depth = 2000, heap = 4096, time = 50 }
rex.cachesize(16)

local CF = { 0, F.CASELESS, F.UTF | F.UCP, F.UTF | F.UCP | F.CASELESS, F.MULTILINE | F.DOTALL,
  F.EXTENDED, F.UNGREEDY, F.UTF | F.UCP | F.MULTILINE }
local EF = { 0, F.NOTBOL, F.NOTEMPTY, F.NO_JIT, F.NOTEOL | F.NOTEMPTY_ATSTART, F.ANCHORED, 0, 0 }

return function(s)
  if #s < 1 then return end
  local b = s:byte(1)
  local body = s:sub(2)
  local nul = body:find("\0", 1, true)
  local pat, subj = body, body
  if nul then pat, subj = body:sub(1, nul - 1), body:sub(nul + 1) end
  local cf, ef = CF[b % 8 + 1], EF[(b >> 3) % 8 + 1]
  local ok, r = pcall(rex.new, pat, cf)
  if not ok then return end
  pcall(r.find, r, subj, 1, ef)
  pcall(r.exec, r, subj, (b >> 6) + 1, ef)
  pcall(r.tfind, r, subj)
  pcall(function() for _ in r:gmatch(subj, ef) do end end)
  pcall(function() for _ in r:split(subj) do end end)
  pcall(r.gsub, r, subj, "<%0>", nil, ef)
  pcall(r.gsub, r, subj, function(...) return select("#", ...) > 0 and "x" or nil end)
  pcall(r.count, r, subj, ef)
  pcall(r.dfa_exec, r, subj)
  pcall(rex.find, subj, pat, -3, cf)
  pcall(rex.gsub, subj, pat, "%1", 3, cf)
  r:close()
end
