{{- define "setest.labels" -}}
app.kubernetes.io/part-of: se-test
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "setest.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* Service URL of a component inside the cluster: setest.url (dict "root" $ "name" "se-ro" "port" 8010) */}}
{{- define "setest.url" -}}
{{- printf "https://%s.%s.svc.%s:%v" .name .root.Release.Namespace .root.Values.clusterDomain .port -}}
{{- end -}}

{{- define "setest.selector" -}}
app.kubernetes.io/name: storage-element
app.kubernetes.io/instance: {{ .root.Release.Name }}
artsore.io/storage-id: {{ .inst.storageId | quote }}
{{- end -}}

{{/*
Pod template of one element. Arguments: root, inst (an entry of replicatedInstances or
standaloneInstances), replicated (bool).
*/}}
{{- define "setest.sePod" -}}
{{- $v := .root.Values -}}
{{- $se := $v.se -}}
{{- $inst := .inst -}}
metadata:
  labels:
    app.kubernetes.io/part-of: se-test
    {{- include "setest.selector" . | nindent 4 }}
spec:
  terminationGracePeriodSeconds: {{ add (int $se.shutdownTimeoutSeconds) 10 }}
  {{- with $v.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
    fsGroup: 10001
    fsGroupChangePolicy: OnRootMismatch
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: storage-element
      image: {{ include "setest.image" (dict "root" .root "image" $v.images.storageElement) | quote }}
      imagePullPolicy: {{ $v.images.pullPolicy }}
      ports:
        - {name: https, containerPort: {{ $se.port }}, protocol: TCP}
      env:
        - {name: SE_PORT, value: {{ $se.port | quote }}}
        - {name: SE_STORAGE_ID, value: {{ $inst.storageId | quote }}}
        - {name: SE_DATA_DIR, value: /data}
        - {name: SE_WAL_DIR, value: /wal}
        - {name: SE_MODE, value: {{ $inst.mode | quote }}}
        - {name: SE_MAX_FILE_SIZE, value: {{ $se.maxFileSize | int64 | quote }}}
        - {name: SE_MAX_CAPACITY, value: {{ $se.maxCapacity | int64 | quote }}}
        - {name: SE_GC_INTERVAL, value: {{ $se.gcInterval | quote }}}
        - {name: SE_RECONCILE_INTERVAL, value: {{ $se.reconcileInterval | quote }}}
        - {name: SE_JWKS_URL, value: {{ printf "%s/jwks" (include "setest.url" (dict "root" .root "name" "jwks-mock" "port" $v.jwksMock.port)) | quote }}}
        - {name: SE_TLS_CERT, value: /certs/tls.crt}
        - {name: SE_TLS_KEY, value: /certs/tls.key}
        - {name: SE_CA_CERT_PATH, value: /certs/ca.crt}
        - {name: SE_LOG_LEVEL, value: {{ $se.logLevel | quote }}}
        - {name: SE_LOG_FORMAT, value: {{ $se.logFormat | quote }}}
        - {name: SE_DEPHEALTH_CHECK_INTERVAL, value: {{ $se.dephealthCheckInterval | quote }}}
        - {name: SE_SHUTDOWN_TIMEOUT, value: {{ printf "%ds" (int $se.shutdownTimeoutSeconds) | quote }}}
        {{- if .replicated }}
        - {name: SE_REPLICA_MODE, value: replicated}
        - {name: SE_INDEX_REFRESH_INTERVAL, value: {{ $se.replicatedIndexRefreshInterval | quote }}}
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        - {name: SE_ADVERTISED_ADDRESS, value: {{ printf "$(POD_NAME).%s-headless.%s.svc.%s:%v" $inst.name .root.Release.Namespace $v.clusterDomain $se.port | quote }}}
        {{- else }}
        - {name: SE_REPLICA_MODE, value: standalone}
        - {name: SE_INDEX_REFRESH_INTERVAL, value: {{ $se.indexRefreshInterval | quote }}}
        {{- end }}
        {{- with $se.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- with $inst.env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      startupProbe:
        httpGet: {path: /health/live, port: https, scheme: HTTPS}
        periodSeconds: 5
        failureThreshold: 60
      livenessProbe:
        httpGet: {path: /health/live, port: https, scheme: HTTPS}
        periodSeconds: 30
        timeoutSeconds: 5
      readinessProbe:
        httpGet: {path: /health/ready, port: https, scheme: HTTPS}
        periodSeconds: 15
        timeoutSeconds: 5
      resources:
        {{- toYaml $se.resources | nindent 8 }}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
      volumeMounts:
        - {name: data, mountPath: /data}
        - {name: wal, mountPath: /wal}
        - {name: tmp, mountPath: /tmp}
        - {name: certs, mountPath: /certs, readOnly: true}
  volumes:
    - name: data
      persistentVolumeClaim: {claimName: {{ $inst.name }}-data}
    {{- if not .replicated }}
    - name: wal
      persistentVolumeClaim: {claimName: {{ $inst.name }}-wal}
    {{- end }}
    - name: tmp
      emptyDir: {sizeLimit: 128Mi}
    - name: certs
      secret: {secretName: {{ $v.certificate.secretName }}, defaultMode: 0440}
{{- end -}}

{{/* ClusterIP Service of one element. */}}
{{- define "setest.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .inst.name }}
  labels:
    {{- include "setest.labels" .root | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "setest.selector" . | nindent 4 }}
  ports:
    - {name: https, port: {{ .root.Values.se.port }}, targetPort: https, protocol: TCP, appProtocol: https}
{{- end -}}

{{/* A PVC: setest.pvc (dict "root" $ "name" "x-data" "mode" "ReadWriteOnce" "size" "200Mi" "class" "nfs-client") */}}
{{- define "setest.pvc" -}}
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{ .name }}
  labels:
    {{- include "setest.labels" .root | nindent 4 }}
spec:
  accessModes: [{{ .mode }}]
  storageClassName: {{ .class | quote }}
  resources:
    requests:
      storage: {{ .size }}
{{- end -}}
