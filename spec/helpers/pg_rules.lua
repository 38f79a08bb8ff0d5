-- A small rule set (the extract contract: hash, rule_hashes, run) for the worker specs: one
-- event per word "missile"/"missiles" or "sanction..." of a document, with its offsets.
local rs = { name = "spec_words" }
function rs.hash() return "v1" end
function rs.rule_hashes() return { missile = "v1", sanction = "v1" } end
function rs.run(_, text, ctx)
  local ms = {}
  for _, w in ipairs({ { "missile", "[Mm]issiles?" }, { "sanction", "[Ss]anction%a*" } }) do
    local i = 1
    while true do
      local s, e = text:find(w[2], i)
      if not s then break end
      ms[#ms + 1] = { event = { rule = w[1], type = w[1], start = s, stop = e, sent_start = s, sent_stop = e,
        date = ctx.published } }
      i = e + 1
    end
  end
  return ms
end
return rs
