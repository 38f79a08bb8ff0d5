--- Text helpers shared by `dossier.report` and `dossier.report.html`: making any string safe to
-- lay out, and numbers as the shortest decimal that reads back as the same value.
--
-- Internal to `dossier.report`.
-- @module dossier.report.util
local M = {}

local concat, floor, huge = table.concat, math.floor, math.huge

--- Make any string safe to lay out on one line: invalid UTF-8 bytes become U+FFFD, control
-- characters (newlines, tabs) become spaces.
-- @tparam string s
-- @treturn string
function M.clean(s)
  if not utf8.len(s) then
    local out, i = {}, 1
    while true do
      local n, bad = utf8.len(s, i)
      if n then out[#out + 1] = s:sub(i); break end
      out[#out + 1] = s:sub(i, bad - 1)
      out[#out + 1] = "\u{FFFD}"
      i = bad + 1
    end
    s = concat(out)
  end
  return (s:gsub("[%c\127]", " "))
end

--- A number as text: integers as they are, floats as the shortest decimal that reads back as
-- the same float; nil for NaN and the infinities.
-- @tparam number v
-- @treturn string|nil
function M.num_str(v)
  if math.type(v) == "integer" then return string.format("%d", v) end
  if v ~= v or v == huge or v == -huge then return nil end
  if v == floor(v) and v > -2 ^ 53 and v < 2 ^ 53 then return string.format("%.0f", v) end
  for p = 14, 17 do
    local s = string.format("%." .. p .. "g", v)
    if tonumber(s) == v then return s end
  end
  return string.format("%.17g", v)
end

return M
