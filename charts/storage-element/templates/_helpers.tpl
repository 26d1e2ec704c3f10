{{/* Resource base name: storage-element-<elementId>. */}}
{{- define "se.fullname" -}}
{{- printf "storage-element-%s" .Values.elementId | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "se.headlessName" -}}
{{- printf "%s-headless" (include "se.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "se.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "se.fullname" .)) .Values.tls.secretName -}}
{{- end -}}

{{- define "se.dataClaimName" -}}
{{- default (printf "%s-data" (include "se.fullname" .)) .Values.storage.existingDataClaim -}}
{{- end -}}

{{- define "se.selectorLabels" -}}
app.kubernetes.io/name: storage-element
app.kubernetes.io/instance: {{ .Release.Name }}
artsore.io/storage-id: {{ .Values.elementId | quote }}
{{- end -}}

{{- define "se.labels" -}}
{{ include "se.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: artsore
{{- end -}}

{{- define "se.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "se.replicated" -}}
{{- if eq .Values.replicaMode "replicated" }}true{{ end -}}
{{- end -}}

{{- define "se.scheme" -}}
{{- if .Values.tls.devInsecureHttp }}HTTP{{ else }}HTTPS{{ end -}}
{{- end -}}

{{/*
The SE environment (contract §12). Required variables are always rendered; optional tuning only when set,
so the SE's own defaults apply.
*/}}
{{- define "se.env" -}}
{{- $c := .Values.config -}}
{{- $a := .Values.auth -}}
- name: SE_PORT
  value: {{ .Values.port | quote }}
- name: SE_STORAGE_ID
  value: {{ .Values.elementId | quote }}
- name: SE_DATA_DIR
  value: /data
- name: SE_WAL_DIR
  value: /wal
- name: SE_MODE
  value: {{ .Values.mode | quote }}
- name: SE_MAX_FILE_SIZE
  value: {{ $c.maxFileSize | int64 | quote }}
- name: SE_MAX_CAPACITY
  value: {{ $c.maxCapacity | int64 | quote }}
- name: SE_GC_INTERVAL
  value: {{ $c.gcInterval | quote }}
- name: SE_RECONCILE_INTERVAL
  value: {{ $c.reconcileInterval | quote }}
- name: SE_JWKS_URL
  value: {{ $a.jwksUrl | quote }}
- name: SE_LOG_LEVEL
  value: {{ $c.logLevel | quote }}
- name: SE_LOG_FORMAT
  value: {{ $c.logFormat | quote }}
- name: SE_REPLICA_MODE
  value: {{ .Values.replicaMode | quote }}
- name: SE_INDEX_REFRESH_INTERVAL
  value: {{ $c.indexRefreshInterval | quote }}
- name: SE_DEPHEALTH_CHECK_INTERVAL
  value: {{ $c.dephealthCheckInterval | quote }}
- name: SE_SHUTDOWN_TIMEOUT
  value: {{ printf "%ds" (int $c.shutdownTimeoutSeconds) | quote }}
{{- if .Values.tls.devInsecureHttp }}
- name: SE_DEV_INSECURE_HTTP
  value: "true"
{{- else }}
- name: SE_TLS_CERT
  value: /certs/tls.crt
- name: SE_TLS_KEY
  value: /certs/tls.key
{{- if .Values.tls.caKey }}
- name: SE_CA_CERT_PATH
  value: {{ printf "/certs/%s" .Values.tls.caKey | quote }}
{{- end }}
{{- end }}
{{- if include "se.replicated" . }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: SE_ADVERTISED_ADDRESS
  value: {{ printf "$(POD_NAME).%s.$(POD_NAMESPACE).svc.%s:%d" (include "se.headlessName" .) .Values.clusterDomain (int .Values.port) | quote }}
{{- end }}
{{- $optional := dict
  "SE_BIND_ADDRESS" $c.bindAddress
  "SE_IDLE_TIMEOUT" $c.idleTimeout
  "SE_REQUEST_HEAD_TIMEOUT" $c.requestHeadTimeout
  "SE_MAX_CONNECTIONS" $c.maxConnections
  "SE_GC_GRACE_DELETED" $c.gcGraceDeleted
  "SE_GC_GRACE_EXPIRED" $c.gcGraceExpired
  "SE_LIST_TOMBSTONE_TTL" $c.listTombstoneTtl
  "SE_SCRUB_BYTES_PER_SEC" $c.scrubBytesPerSec
  "SE_ELECTION_RETRY_INTERVAL" $c.electionRetryInterval
  "SE_LEADER_HEARTBEAT_INTERVAL" $c.leaderHeartbeatInterval
  "SE_PROXY_CONNECT_TIMEOUT" $c.proxyConnectTimeout
  "SE_PROXY_IDLE_TIMEOUT" $c.proxyIdleTimeout
  "SE_JWT_ISSUER" $a.issuer
  "SE_JWT_AUDIENCE" $a.audience
  "SE_JWT_LEEWAY" $a.leeway
  "SE_JWKS_REFRESH_INTERVAL" $a.jwksRefreshInterval
}}
{{- range $name := keys $optional | sortAlpha }}
{{- $v := get $optional $name }}
{{- if not (eq (toString $v) "") }}
- name: {{ $name }}
  value: {{ $v | toString | quote }}
{{- end }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod template shared by the Deployment (standalone) and the StatefulSet (replicated). */}}
{{- define "se.podTemplate" -}}
metadata:
  labels:
    {{- include "se.selectorLabels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    {{- if .Values.metrics.podAnnotations }}
    prometheus.io/scrape: "true"
    prometheus.io/scheme: {{ include "se.scheme" . | lower | quote }}
    prometheus.io/port: {{ .Values.port | quote }}
    prometheus.io/path: /metrics
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  terminationGracePeriodSeconds: {{ add (int .Values.config.shutdownTimeoutSeconds) (int .Values.config.preStopSleepSeconds) (int .Values.config.terminationGraceExtraSeconds) }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: storage-element
      image: {{ include "se.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      ports:
        - name: https
          containerPort: {{ .Values.port }}
          protocol: TCP
      env:
        {{- include "se.env" . | nindent 8 }}
      {{- if gt (int .Values.config.preStopSleepSeconds) 0 }}
      lifecycle:
        # Keep serving while the endpoint removal propagates; SIGTERM (and the SE's drain) follows.
        preStop:
          exec:
            command: ["sleep", {{ .Values.config.preStopSleepSeconds | int | toString | quote }}]
      {{- end }}
      startupProbe:
        httpGet: {path: /health/live, port: https, scheme: {{ include "se.scheme" . }}}
        periodSeconds: {{ .Values.probes.startup.periodSeconds }}
        failureThreshold: {{ .Values.probes.startup.failureThreshold }}
      livenessProbe:
        httpGet: {path: /health/live, port: https, scheme: {{ include "se.scheme" . }}}
        periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
      readinessProbe:
        httpGet: {path: /health/ready, port: https, scheme: {{ include "se.scheme" . }}}
        periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - {name: data, mountPath: /data}
        - {name: wal, mountPath: /wal}
        - {name: tmp, mountPath: /tmp}
        {{- if not .Values.tls.devInsecureHttp }}
        - {name: certs, mountPath: /certs, readOnly: true}
        {{- end }}
  volumes:
    - name: data
      persistentVolumeClaim:
        claimName: {{ include "se.dataClaimName" . }}
    {{- if not (include "se.replicated" .) }}
    - name: wal
      persistentVolumeClaim:
        claimName: {{ include "se.fullname" . }}-wal
    {{- end }}
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
    {{- if not .Values.tls.devInsecureHttp }}
    - name: certs
      secret:
        secretName: {{ include "se.tlsSecretName" . }}
        defaultMode: 0440
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if .Values.affinity }}
  affinity:
    {{- toYaml .Values.affinity | nindent 4 }}
  {{- else if and (include "se.replicated" .) .Values.spreadReplicas }}
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          podAffinityTerm:
            topologyKey: kubernetes.io/hostname
            labelSelector:
              matchLabels:
                {{- include "se.selectorLabels" . | nindent 16 }}
  {{- end }}
  {{- if .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml .Values.topologySpreadConstraints | nindent 4 }}
  {{- else if and (include "se.replicated" .) .Values.spreadReplicas }}
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "se.selectorLabels" . | nindent 10 }}
  {{- end }}
{{- end -}}

{{/*
PromQL label matchers selecting this element's series in the monitoring pack's alerts. Default: the
namespace and the storage_id label the chart's PodMonitor sets (metrics.podMonitor); set
metrics.prometheusRule.selector when another scrape config labels the series.
*/}}
{{- define "se.promSelector" -}}
{{- default (printf "namespace=%q,storage_id=%q" .Release.Namespace .Values.elementId) .Values.metrics.prometheusRule.selector -}}
{{- end -}}

{{/*
This element's pods by name: Deployment pods (<fullname>-<pod-template-hash>-<5 chars>, both in Kubernetes'
safe alphabet, which has no vowels) and StatefulSet pods (<fullname>-<ordinal>). Strict, so that element
"se-01" does not also match the pods of element "se-01-b".
*/}}
{{- define "se.podRegex" -}}
{{- $c := "[bcdfghjklmnpqrstvwxz2456789]" -}}
{{- printf "%s-(%s{6,10}-%s{5}|[0-9]+)" (include "se.fullname" .) $c $c -}}
{{- end -}}
