-- Argo CD health check for artsore.io/StorageElement.
-- Progressing: no status yet, a status for an older generation, pods starting or rolling out, and a mode change
--   on its way (ModeSynced=False/TransitionInProgress, e.g. the ro step of rw -> ro -> ar).
-- Degraded: Ready=False for a reason that does not heal by waiting (PodsFailing: a crash-looping pod or an image
--   that cannot be pulled; DataVolumeMissing; ApplyFailed; ReconcileFailed), or the element refused the desired
--   mode (ModeSynced=False with the element's error code, e.g. INVALID_TRANSITION, CONFIRMATION_REQUIRED,
--   UNAUTHORIZED, or TokenUnavailable).
-- Healthy: Ready=True for the current generation.
local hs = {status = "Progressing", message = "Waiting for the operator"}
if obj.status == nil then
  return hs
end
if obj.status.observedGeneration ~= obj.metadata.generation then
  hs.message = "Waiting for the operator to observe generation " .. tostring(obj.metadata.generation)
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
local function describe(c, fallback)
  return (c.reason or fallback) .. ": " .. (c.message or "")
end
local failing = {PodsFailing = true, DataVolumeMissing = true, ApplyFailed = true, ReconcileFailed = true}
if ready ~= nil and ready.status == "False" and failing[ready.reason] then
  hs.status = "Degraded"
  hs.message = describe(ready, "NotReady")
  return hs
end
-- ModeSynced=False reasons that are steps on the way or retried on their own, not refusals
local underway = {TransitionInProgress = true, LEADER_UNAVAILABLE = true, RECONCILE_IN_PROGRESS = true}
if modeSynced ~= nil and modeSynced.status == "False" then
  if underway[modeSynced.reason] then
    hs.message = describe(modeSynced, "ModeSynced=False")
    return hs
  end
  hs.status = "Degraded"
  hs.message = describe(modeSynced, "ModeSynced=False")
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "Ready, mode " .. tostring(obj.status.mode)
  return hs
end
if ready ~= nil then
  hs.message = describe(ready, "NotReady")
end
return hs
