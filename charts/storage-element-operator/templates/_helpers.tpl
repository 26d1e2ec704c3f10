{{- define "seop.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "seop.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "seop.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create=false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "seop.selectorLabels" -}}
app.kubernetes.io/name: storage-element-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "seop.labels" -}}
{{ include "seop.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: artsore
{{- end -}}

{{/*
What the operator reconciles, and nothing more. Rendered into a ClusterRole (all namespaces) or into a
Role per watched namespace.
*/}}
{{- define "seop.reconcileRules" -}}
- apiGroups: [artsore.io]
  resources: [storageelements]
  verbs: [get, list, watch, patch, update]
- apiGroups: [artsore.io]
  resources: [storageelements/status]
  verbs: [get, patch, update]
- apiGroups: [artsore.io]
  resources: [storageelements/finalizers]
  verbs: [update]
- apiGroups: [apps]
  resources: [deployments, statefulsets]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [services, persistentvolumeclaims]
  verbs: [get, list, watch, create, update, patch, delete]
# The operator counts an element's ready pods and finds its leader among them; delete: it rolls a replicated
# element's pods itself (StatefulSet OnDelete), followers first and the leader last.
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, delete]
# Only to read the token secret a StorageElement names (auth.tokenSource.secretRef / clientCredentials) and
# ca.crt of each element's TLS Secret (<name>-tls or spec.tls.secretName), which the operator trusts for its
# HTTPS calls to that element.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
- apiGroups: ["", events.k8s.io]
  resources: [events]
  verbs: [create, patch]
# PodDisruptionBudgets of replicated elements (created, applied, deleted when an element drops to one replica).
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [cert-manager.io]
  resources: [certificates]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [gateway.networking.k8s.io]
  resources: [httproutes]
  verbs: [get, list, watch, create, update, patch, delete]
{{- end -}}
