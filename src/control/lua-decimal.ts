/**
 * Exact arithmetic on non-negative decimal integers in Redis Lua, prepended to the budget scripts. Redis Lua
 * numbers are doubles (exact only below 2^53, while pico-dollar amounts reach 2^63 and beyond), so amounts
 * travel and are stored as decimal strings and computed on here in base-10^7 limbs: every limb, sum and carry
 * stays far below 2^53, so each step is exact whatever the length. Inputs up to 38 digits are accepted.
 */
export const luaDecimal = `
local BASE = 10000000
local function parse(text)
  if type(text) ~= 'string' or not string.find(text, '^%d+$') or #text > 38 then
    error('frugal: expected a non-negative decimal integer of at most 38 digits, found ' .. tostring(text))
  end
  local limbs = {}
  local finish = #text
  while finish >= 1 do
    local start = math.max(1, finish - 6)
    limbs[#limbs + 1] = tonumber(string.sub(text, start, finish))
    finish = start - 1
  end
  return limbs
end
local function add(a, b)
  local sum, carry = {}, 0
  for i = 1, math.max(#a, #b) do
    local limb = (a[i] or 0) + (b[i] or 0) + carry
    if limb >= BASE then carry = 1; limb = limb - BASE else carry = 0 end
    sum[i] = limb
  end
  if carry > 0 then sum[#sum + 1] = carry end
  return sum
end
local function compare(a, b)
  for i = math.max(#a, #b), 1, -1 do
    local x, y = a[i] or 0, b[i] or 0
    if x ~= y then if x < y then return -1 else return 1 end end
  end
  return 0
end
-- a - b, or 0 when b > a
local function subtract(a, b)
  if compare(a, b) <= 0 then return {0} end
  local difference, borrow = {}, 0
  for i = 1, #a do
    local limb = a[i] - (b[i] or 0) - borrow
    if limb < 0 then borrow = 1; limb = limb + BASE else borrow = 0 end
    difference[i] = limb
  end
  return difference
end
local function format(a)
  local top = #a
  while top > 1 and a[top] == 0 do top = top - 1 end
  local parts = { string.format('%d', a[top]) }
  for i = top - 1, 1, -1 do parts[#parts + 1] = string.format('%07d', a[i]) end
  return table.concat(parts)
end
local function field(key, name)
  return parse(redis.call('HGET', key, name) or '0')
end
`;
