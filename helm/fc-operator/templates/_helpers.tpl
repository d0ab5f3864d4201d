{{/* The chart's name. */}}
{{- define "fc-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name when it already contains the chart's name. */}}
{{- define "fc-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "fc-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fc-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "fc-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "fc-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "fc-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "fc-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "fc-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The template fails unless more than one replica comes with leader election. */}}
{{- define "fc-operator.validate" -}}
{{- if and (gt (int .Values.replicas) 1) (not .Values.leaderElection.enabled) }}
{{- fail (printf "replicas: %d needs leaderElection.enabled=true: without leader election every replica would reconcile the same FunctionInstances" (int .Values.replicas)) }}
{{- end }}
{{- end }}

{{/* The gateway's pods: a name of their own, so the operator's Deployment never selects them. */}}
{{- define "fc-operator.gatewaySelectorLabels" -}}
app.kubernetes.io/name: {{ include "fc-operator.name" . }}-gateway
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end }}

{{- define "fc-operator.gatewaySelector" -}}
{{- printf "app.kubernetes.io/name=%s-gateway,app.kubernetes.io/instance=%s,app.kubernetes.io/component=gateway" (include "fc-operator.name" .) .Release.Name }}
{{- end }}

{{/* The gateway's invocation and admin (demand, metrics, health) ports in its pod. */}}
{{- define "fc-operator.gatewayPort" -}}8080{{- end }}
{{- define "fc-operator.gatewayAdminPort" -}}9090{{- end }}
