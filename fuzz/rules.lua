-- fuzz target: the rule template compiler and the rule engine. The input's first line is a
-- template (checked and compiled: most fail with a message, an answer); a rule set that
-- compiles runs over the rest of the input.
local rules = require "dossier.rules"

return function(s)
  local nl = s:find("\n", 1, true)
  local tpl, text = s, s
  if nl then tpl, text = s:sub(1, nl - 1), s:sub(nl + 1) end
  local rs = rules.new {}
  rs:terms("buy", { "buy", "bought", "kupi*", "купи*" })
  rs:terms("arms", { "missiles", "drones", "rakete" })
  local ok = pcall(rs.rule, rs, { name = "r", pattern = tpl })
  if not ok then return end
  pcall(rs.pattern, rs, "r")
  pcall(rs.run, rs, text)
  pcall(rs.run, rs, text, { lang = "sr" })
end
