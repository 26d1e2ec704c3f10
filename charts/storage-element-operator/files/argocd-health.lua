-- Argo CD health check for artsore.io/StorageElement.
-- Degraded: the desired mode cannot be applied (ModeSynced=False).
-- Healthy: Ready=True and the status describes the current generation. Progressing otherwise.
local hs = {status = "Progressing", message = "Waiting for the operator"}
if obj.status == nil then
  return hs
end
local ready = nil
local modeSynced = nil
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then ready = c end
    if c.type == "ModeSynced" then modeSynced = c end
  end
end
if modeSynced ~= nil and modeSynced.status == "False" then
  hs.status = "Degraded"
  hs.message = (modeSynced.reason or "ModeSynced=False") .. ": " .. (modeSynced.message or "")
  return hs
end
if obj.status.observedGeneration ~= obj.metadata.generation then
  hs.message = "Waiting for the operator to observe generation " .. tostring(obj.metadata.generation)
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "Ready, mode " .. tostring(obj.status.mode)
  return hs
end
if ready ~= nil then
  hs.message = (ready.reason or "NotReady") .. ": " .. (ready.message or "")
end
return hs
