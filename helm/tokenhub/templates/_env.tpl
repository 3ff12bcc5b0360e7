{{/*
Environment of each service, by the configuration it reads. Secrets only ever arrive through secretKeyRef.
Each define is called with the root context.
*/}}

{{- define "tokenhub.env.oidc" -}}
- name: QUARKUS_OIDC_AUTH_SERVER_URL
  value: {{ .Values.oidc.authServerUrl | quote }}
- name: QUARKUS_OIDC_CLIENT_ID
  value: {{ .Values.oidc.clientId | quote }}
{{- with .Values.oidc.tokenIssuer }}
- name: QUARKUS_OIDC_TOKEN_ISSUER
  value: {{ . | quote }}
{{- end }}
- name: TOKENHUB_AUTH_ACCOUNT_CLAIM
  value: {{ .Values.oidc.accountClaim | quote }}
- name: TOKENHUB_AUTH_AUDIENCE
  value: {{ .Values.oidc.audience | quote }}
{{- end }}

{{- define "tokenhub.env.kafka" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
{{- with .Values.kafka.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "tokenhub.env.providers" -}}
{{- $env := list }}
{{- range $provider := list "openai" "anthropic" "google" "mistral" "meta" }}
{{- $p := index $.Values.providers $provider }}
{{- $prefix := printf "TOKENHUB_PROVIDERS_%s" (upper $provider) }}
{{- $env = append $env (dict "name" (printf "%s_BASE_URL" $prefix) "value" $p.baseUrl) }}
{{- $key := dict "name" $.Values.providers.existingSecret "key" $p.apiKeySecretKey "optional" $p.optional }}
{{- $env = append $env (dict "name" (printf "%s_API_KEY" $prefix) "valueFrom" (dict "secretKeyRef" $key)) }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/* Where each provider endpoint processes requests, and the further regional endpoints: routing-service only. */}}
{{- define "tokenhub.env.providerRegions" -}}
{{- $env := list }}
{{- range $provider := list "openai" "anthropic" "google" "mistral" "meta" }}
{{- $p := index $.Values.providers $provider }}
{{- $prefix := printf "TOKENHUB_PROVIDERS_%s" (upper $provider) }}
{{- $env = append $env (dict "name" (printf "%s_REGION" $prefix) "value" $p.region) }}
{{- range $e := $p.endpoints }}
{{- $endpoint := printf "%s_ENDPOINTS_%s" $prefix (upper $e.name) }}
{{- $env = append $env (dict "name" (printf "%s_BASE_URL" $endpoint) "value" $e.baseUrl) }}
{{- $env = append $env (dict "name" (printf "%s_REGION" $endpoint) "value" $e.region) }}
{{- $key := dict "name" $.Values.providers.existingSecret "key" $e.apiKeySecretKey }}
{{- $env = append $env (dict "name" (printf "%s_API_KEY" $endpoint) "valueFrom" (dict "secretKeyRef" $key)) }}
{{- end }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/* Traces: the SDK stays disabled (the services' default) unless an endpoint is set. */}}
{{- define "tokenhub.env.tracing" -}}
{{- with .Values.tracing }}
{{- if .otlpEndpoint }}
- name: QUARKUS_OTEL_SDK_DISABLED
  value: "false"
- name: QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  value: {{ .otlpEndpoint | quote }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
  value: {{ .protocol | quote }}
- name: QUARKUS_OTEL_TRACES_SAMPLER_ARG
  value: {{ .sampleRatio | toString | quote }}
{{- if .headers.existingSecret }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_TRACES_HEADERS
  valueFrom:
    secretKeyRef:
      name: {{ .headers.existingSecret | quote }}
      key: {{ .headers.key | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tokenhub.env.internalSecret" -}}
- name: TOKENHUB_INTERNAL_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.internalSecret.existingSecret | quote }}
      key: {{ .Values.internalSecret.key | quote }}
{{- end }}

{{/* The routing fee, the same on routing-service (usage.cost) and billing-service (the ledger), as they must agree. */}}
{{- define "tokenhub.env.routingFee" -}}
- name: TOKENHUB_BILLING_ROUTING_FEE_USD
  value: {{ .Values.routingFee.usd | toString | quote }}
{{- range $i, $fee := .Values.routingFee.dated }}
- name: {{ printf "TOKENHUB_BILLING_ROUTING_FEES_%d__EFFECTIVE_FROM" $i }}
  value: {{ $fee.effectiveFrom | quote }}
- name: {{ printf "TOKENHUB_BILLING_ROUTING_FEES_%d__USD" $i }}
  value: {{ $fee.usd | toString | quote }}
{{- end }}
{{- end }}

{{- define "tokenhub.env.catalog" -}}
- name: TOKENHUB_CATALOG_PATH
  value: {{ printf "%s/%s" (include "tokenhub.catalogDir" .) .Values.catalog.key | quote }}
{{- end }}

{{/* Called with a component's database values. */}}
{{- define "tokenhub.env.database" -}}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ .jdbcUrl | quote }}
{{- if .usernameSecretKey }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .usernameSecretKey | quote }}
{{- else }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ .username | quote }}
{{- end }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .passwordSecretKey | quote }}
{{- end }}

{{- define "tokenhub.env.gateway" -}}
- name: TOKENHUB_GATEWAY_ROUTING_URL
  value: {{ printf "http://%s:%v" (include "tokenhub.componentName" (dict "root" . "key" "routing")) (include "tokenhub.component" (dict "root" . "key" "routing") | fromYaml).port | quote }}
{{ include "tokenhub.env.internalSecret" . }}
{{ include "tokenhub.env.database" .Values.gateway.database }}
{{- /* Budgets: the gateway follows billing's tokenhub.spend topic. */}}
{{ include "tokenhub.env.kafka" . }}
{{ include "tokenhub.env.oidc" . }}
{{- /* Only the ingress controller reaches the gateway (NetworkPolicy) and it sets X-Forwarded-For, so the client's
address, which failed authentications are limited by, is that header's and not the controller's. */}}
- name: QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING
  value: "true"
- name: QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED
  value: "true"
{{- with include "tokenhub.env.tracing" . }}
{{ . | trim }}
{{- end }}
{{- with .Values.gateway.rateLimits }}
{{- if .redisUrl }}
- name: TOKENHUB_RATE_LIMITS_REDIS_URL
  value: {{ .redisUrl | quote }}
{{- end }}
{{- if .existingSecret }}
- name: TOKENHUB_RATE_LIMITS_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .passwordSecretKey | quote }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tokenhub.env.routing" -}}
{{ include "tokenhub.env.internalSecret" . }}
- name: TOKENHUB_INTERNAL_ACCEPTED_SECRETS
  valueFrom:
    secretKeyRef:
      name: {{ .Values.internalSecret.existingSecret | quote }}
      key: {{ .Values.internalSecret.acceptedKey | quote }}
      optional: true
{{ include "tokenhub.env.providers" . }}
{{ include "tokenhub.env.providerRegions" . }}
{{ include "tokenhub.env.catalog" . }}
{{ include "tokenhub.env.routingFee" . }}
{{ include "tokenhub.env.kafka" . }}
{{ include "tokenhub.env.oidc" . }}
- name: TOKENHUB_LIMITS_MAX_IN_FLIGHT
  value: {{ .Values.routing.maxInFlight | int64 | quote }}
- name: TOKENHUB_USAGE_SPOOL_DIR
  value: {{ .Values.routing.usageSpool.mountPath | quote }}
- name: TOKENHUB_USAGE_SPOOL_MAX_BYTES
  value: {{ .Values.routing.usageSpool.maxBytes | int64 | quote }}
- name: TOKENHUB_USAGE_SPOOL_FSYNC
  value: {{ .Values.routing.usageSpool.fsync | quote }}
- name: TOKENHUB_USAGE_SPOOL_DRAIN_TIMEOUT
  value: {{ .Values.routing.usageSpool.drainTimeout | quote }}
{{- with include "tokenhub.env.tracing" . }}
{{ . | trim }}
{{- end }}
{{- end }}

{{- define "tokenhub.env.billing" -}}
{{ include "tokenhub.env.database" .Values.billing.database }}
{{ include "tokenhub.env.catalog" . }}
{{ include "tokenhub.env.routingFee" . }}
{{ include "tokenhub.env.kafka" . }}
{{ include "tokenhub.env.oidc" . }}
{{- with include "tokenhub.env.tracing" . }}
{{ . | trim }}
{{- end }}
{{- end }}

{{- define "tokenhub.env.healthMonitor" -}}
{{ include "tokenhub.env.providers" . }}
{{ include "tokenhub.env.kafka" . }}
{{ include "tokenhub.env.oidc" . }}
- name: TOKENHUB_HEALTH_LEADER_ELECTION_ENABLED
  value: {{ .Values.healthMonitor.leaderElection.enabled | quote }}
{{- if .Values.healthMonitor.leaderElection.enabled }}
- name: TOKENHUB_HEALTH_LEADER_ELECTION_LEASE_NAME
  value: {{ include "tokenhub.leaseName" . | quote }}
{{- /* The Role that allows the election exists in the release namespace only, so the Lease must live there. */}}
- name: TOKENHUB_HEALTH_LEADER_ELECTION_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end }}
{{- end }}

{{/*
The dashboard signs users in as its own OIDC client (confidential: client secret from a Secret), calls the four
services through their Services, and trusts the ingress controller's X-Forwarded-* headers so the redirect URI it
sends to the identity provider is the public https one.
*/}}
{{- define "tokenhub.env.dashboard" -}}
{{- $d := .Values.dashboard }}
{{- range $key, $var := dict "gateway" "GATEWAY" "routing" "ROUTING" "billing" "BILLING" "healthMonitor" "HEALTH" }}
{{- $c := dict "root" $ "key" $key }}
- name: TOKENHUB_DASHBOARD_{{ $var }}_URL
  value: {{ printf "http://%s:%v" (include "tokenhub.componentName" $c) (include "tokenhub.component" $c | fromYaml).port | quote }}
{{- end }}
- name: QUARKUS_OIDC_AUTH_SERVER_URL
  value: {{ .Values.oidc.authServerUrl | quote }}
- name: QUARKUS_OIDC_CLIENT_ID
  value: {{ $d.oidcClientId | quote }}
- name: QUARKUS_OIDC_CREDENTIALS_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $d.secrets.existingSecret | quote }}
      key: {{ $d.secrets.clientSecretKey | quote }}
{{- with .Values.oidc.tokenIssuer }}
- name: QUARKUS_OIDC_TOKEN_ISSUER
  value: {{ . | quote }}
{{- end }}
- name: TOKENHUB_AUTH_ACCOUNT_CLAIM
  value: {{ .Values.oidc.accountClaim | quote }}
- name: TOKENHUB_AUTH_AUDIENCE
  value: {{ .Values.oidc.audience | quote }}
- name: TOKENHUB_DASHBOARD_STATE_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $d.secrets.existingSecret | quote }}
      key: {{ $d.secrets.stateSecretKey | quote }}
- name: TOKENHUB_DASHBOARD_SESSION_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $d.secrets.existingSecret | quote }}
      key: {{ $d.secrets.sessionSecretKey | quote }}
- name: QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING
  value: "true"
- name: QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED
  value: "true"
- name: QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_HOST
  value: "true"
{{ include "tokenhub.env.database" $d.database }}
{{- end }}
