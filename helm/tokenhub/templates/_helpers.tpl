{{/*
The five services: values key, object name suffix, the HTTP port each one serves its API on and the management
port of its health, metrics and OpenAPI document (Quarkus' management interface): the same ports it uses outside
Kubernetes. Probes and the metrics scrapers use the management port; the Ingress and the services' callers only the
HTTP port. appProtocol tells meshes and proxies what the HTTP port speaks beyond HTTP/1.1: gateway-service calls
routing-service with h2c (HTTP/2 with prior knowledge).
*/}}
{{- define "tokenhub.components" -}}
gateway:
  name: gateway-service
  port: 8080
  managementPort: 9080
routing:
  name: routing-service
  port: 8081
  managementPort: 9081
  appProtocol: kubernetes.io/h2c
billing:
  name: billing-service
  port: 8082
  managementPort: 9082
healthMonitor:
  name: health-monitor
  port: 8083
  managementPort: 9083
dashboard:
  name: dashboard
  port: 8084
  managementPort: 9084
{{- end }}

{{/* One component's entry from the table above; called with (dict "root" $ "key" "<values key>"). */}}
{{- define "tokenhub.component" -}}
{{- $all := include "tokenhub.components" .root | fromYaml -}}
{{- toYaml (index $all .key) -}}
{{- end }}

{{- define "tokenhub.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tokenhub.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Object name of a component; called with (dict "root" $ "key" "<values key>"). */}}
{{- define "tokenhub.componentName" -}}
{{- $c := include "tokenhub.component" . | fromYaml -}}
{{- printf "%s-%s" (include "tokenhub.fullname" .root) $c.name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tokenhub.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object; called with the root context. */}}
{{- define "tokenhub.labels" -}}
helm.sh/chart: {{ include "tokenhub.chart" . }}
app.kubernetes.io/name: {{ include "tokenhub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: tokenhub
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select one component's pods; called with (dict "root" $ "key" "<values key>"). */}}
{{- define "tokenhub.selectorLabels" -}}
{{- $c := include "tokenhub.component" . | fromYaml -}}
app.kubernetes.io/name: {{ include "tokenhub.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ $c.name }}
{{- end }}

{{/* All labels of a component's objects; called with (dict "root" $ "key" "<values key>"). */}}
{{- define "tokenhub.componentLabels" -}}
{{ include "tokenhub.labels" .root }}
app.kubernetes.io/component: {{ (include "tokenhub.component" . | fromYaml).name }}
{{- end }}

{{/* Image reference of a component; called with (dict "root" $ "key" "<values key>"). */}}
{{- define "tokenhub.image" -}}
{{- $v := index .root.Values .key -}}
{{- $tag := $v.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- with .root.Values.image.registry }}{{ . }}/{{ end }}{{ $v.image.repository }}:{{ $tag }}
{{- end }}

{{/* Catalog YAML the chart ships or the operator's replacement. */}}
{{- define "tokenhub.catalogContent" -}}
{{- .Values.catalog.content | default (.Files.Get "files/catalog.yaml") }}
{{- end }}

{{- define "tokenhub.catalogConfigMapName" -}}
{{- .Values.catalog.existingConfigMap | default (printf "%s-catalog" (include "tokenhub.fullname" .)) }}
{{- end }}

{{/* Directory the catalog ConfigMap is mounted at in routing-service and billing-service. */}}
{{- define "tokenhub.catalogDir" -}}
/etc/tokenhub/catalog
{{- end }}

{{/* A peer matching one component's pods in the release namespace; called with (dict "root" $ "key" "<key>"). */}}
{{- define "tokenhub.podPeer" -}}
podSelector:
  matchLabels:
    {{- include "tokenhub.selectorLabels" . | nindent 4 }}
{{- end }}

{{- define "tokenhub.leaseName" -}}
{{- .Values.healthMonitor.leaderElection.leaseName | default (include "tokenhub.componentName" (dict "root" . "key" "healthMonitor")) }}
{{- end }}
