{{/*
Shared helpers of the XLSS chart.
*/}}

{{/* The components keep their leases, capacity objects and the backup Secret in xlss-system. */}}
{{- define "xlss.checkNamespace" -}}
{{- if ne .Release.Namespace "xlss-system" -}}
{{- fail (printf "install XLSS into the namespace xlss-system (helm install ... -n xlss-system --create-namespace), not %q: the components keep their leases, capacity objects and the backup Secret there" .Release.Namespace) -}}
{{- end -}}
{{- end -}}

{{- define "xlss.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: xlss
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component: (dict "ctx" $ "component" "xlss-provisioner") */}}
{{- define "xlss.selectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- end -}}

{{- define "xlss.componentLabels" -}}
{{ include "xlss.labels" .ctx }}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* An image reference: (dict "ctx" $ "image" .Values.images.rescuer) */}}
{{- define "xlss.image" -}}
{{- $registry := .ctx.Values.images.registry -}}
{{- $tag := .image.tag | default .ctx.Values.images.tag | default .ctx.Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" $registry .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "xlss.imagePullSecrets" -}}
{{- with .Values.images.pullSecrets -}}
imagePullSecrets:
{{ toYaml . }}
{{- end -}}
{{- end -}}

{{/* The pod-level security context of the controllers and the console: any non-root uid. */}}
{{- define "xlss.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "xlss.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Environment every Node.js component gets. */}}
{{- define "xlss.commonEnv" -}}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: NODE_OPTIONS
  value: --enable-source-maps
{{- end -}}

{{/* Probes on a component's metrics server (/healthz). */}}
{{- define "xlss.probes" -}}
startupProbe:
  httpGet: {path: /healthz, port: metrics}
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet: {path: /healthz, port: metrics}
  periodSeconds: 10
  failureThreshold: 3
{{- end -}}

{{/* Scheduling fields of a pod: (dict "ctx" $ "c" .Values.provisioner) */}}
{{- define "xlss.placement" -}}
{{- with .c.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .c.nodeSelector }}
nodeSelector:
{{ toYaml . | indent 2 }}
{{- end }}
{{- with .c.tolerations }}
tolerations:
{{ toYaml . | indent 2 }}
{{- end }}
{{- with .c.affinity }}
affinity:
{{ toYaml . | indent 2 }}
{{- end }}
{{- end -}}

{{/* A pod-spec affinity that spreads replicas over nodes unless the values give one. */}}
{{- define "xlss.spreadAffinity" -}}
{{- if .c.affinity -}}
{{- toYaml .c.affinity -}}
{{- else -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
{{ include "xlss.selectorLabels" (dict "ctx" .ctx "component" .component) | indent 12 }}
{{- end -}}
{{- end -}}

{{- define "xlss.consoleSecretName" -}}
{{- .Values.console.existingSecret | default (printf "%s-console" .Release.Name) -}}
{{- end -}}

{{/* A random secret generated once: the value already in the cluster if any, else a new one. */}}
{{- define "xlss.keptSecret" -}}
{{- $existing := lookup "v1" "Secret" .namespace .name -}}
{{- if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- randAlphaNum 40 -}}
{{- end -}}
{{- end -}}

{{/* Binds the ClusterRole of a component to its ServiceAccount: (dict "name" .. "ns" .. "labels" ..) */}}
{{- define "xlss.clusterRoleBinding" }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ .name }}
  labels:
{{ .labels | indent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ .name }}
subjects:
  - kind: ServiceAccount
    name: {{ .name }}
    namespace: {{ .ns }}
{{- end }}

{{/* Binds the Role (in xlss-system) of a component to its ServiceAccount. */}}
{{- define "xlss.roleBinding" }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ .name }}
  namespace: {{ .ns }}
  labels:
{{ .labels | indent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ .name }}
subjects:
  - kind: ServiceAccount
    name: {{ .name }}
    namespace: {{ .ns }}
{{- end }}
