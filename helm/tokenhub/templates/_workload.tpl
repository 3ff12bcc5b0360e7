{{/*
The objects every service has, rendered from the component table in _helpers.tpl. Each define is called with
(dict "root" $ "key" "<values key>").
*/}}

{{- define "tokenhub.serviceAccount" -}}
{{- $name := include "tokenhub.componentName" . -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tokenhub.componentLabels" . | nindent 4 }}
automountServiceAccountToken: false
{{- end }}

{{- define "tokenhub.service" -}}
{{- $c := include "tokenhub.component" . | fromYaml -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "tokenhub.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tokenhub.componentLabels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "tokenhub.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $c.port }}
      targetPort: http
      protocol: TCP
      {{- with $c.appProtocol }}
      appProtocol: {{ . }}
      {{- end }}
    {{- /* For the ServiceMonitor, which names a Service port; the NetworkPolicy admits only the scrapers to it. */}}
    - name: management
      port: {{ $c.managementPort }}
      targetPort: management
      protocol: TCP
{{- end }}

{{/* The Kubernetes API token is mounted only where the service talks to the API (health-monitor's Lease). */}}
{{- define "tokenhub.deployment" -}}
{{- $root := .root -}}
{{- $c := include "tokenhub.component" . | fromYaml -}}
{{- $v := index $root.Values .key -}}
{{- $usesCatalog := has .key (list "routing" "billing") -}}
{{- $usesApi := and (eq .key "healthMonitor") $root.Values.healthMonitor.leaderElection.enabled -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "tokenhub.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "tokenhub.componentLabels" . | nindent 4 }}
spec:
  {{- if not (and $v.autoscaling $v.autoscaling.enabled) }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "tokenhub.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "tokenhub.componentLabels" . | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- $annotations := dict }}
      {{- if $root.Values.metrics.podAnnotations }}
      {{- $_ := set $annotations "prometheus.io/scrape" "true" }}
      {{- $_ := set $annotations "prometheus.io/port" (toString $c.managementPort) }}
      {{- $_ := set $annotations "prometheus.io/path" "/q/metrics" }}
      {{- end }}
      {{- if and $usesCatalog (not $root.Values.catalog.existingConfigMap) }}
      {{- $_ := set $annotations "checksum/catalog" (include "tokenhub.catalogContent" $root | sha256sum) }}
      {{- end }}
      {{- $annotations = merge (deepCopy $v.podAnnotations) $annotations }}
      {{- with $annotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "tokenhub.componentName" . }}
      automountServiceAccountToken: {{ $usesApi }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      {{- with $root.Values.image.pullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ $c.name }}
          image: {{ include "tokenhub.image" . | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $c.port }}
              protocol: TCP
            - name: management
              containerPort: {{ $c.managementPort }}
              protocol: TCP
          env:
            - name: QUARKUS_HTTP_PORT
              value: {{ $c.port | quote }}
            - name: QUARKUS_MANAGEMENT_PORT
              value: {{ $c.managementPort | quote }}
            {{- include (printf "tokenhub.env.%s" .key) $root | nindent 12 }}
            {{- with $root.Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/live
              port: management
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 36
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: management
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: management
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $usesCatalog }}
            - name: catalog
              mountPath: {{ include "tokenhub.catalogDir" $root }}
              readOnly: true
            {{- end }}
            {{- if $v.usageSpool }}
            - name: usage-spool
              mountPath: {{ $v.usageSpool.mountPath }}
            {{- end }}
            {{- with $v.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
        {{- if $usesCatalog }}
        - name: catalog
          configMap:
            name: {{ include "tokenhub.catalogConfigMapName" $root }}
            items:
              - key: {{ $root.Values.catalog.key }}
                path: {{ $root.Values.catalog.key }}
        {{- end }}
        {{- if $v.usageSpool }}
        {{- /* Survives container restarts in the pod, not the pod: see values.yaml, routing.usageSpool. */}}
        - name: usage-spool
          emptyDir:
            sizeLimit: {{ $v.usageSpool.sizeLimit }}
        {{- end }}
        {{- with $v.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{- define "tokenhub.pdb" -}}
{{- $v := index .root.Values .key -}}
{{- if $v.pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "tokenhub.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tokenhub.componentLabels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $v.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "tokenhub.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{- define "tokenhub.hpa" -}}
{{- $v := index .root.Values .key -}}
{{- if and $v.autoscaling $v.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "tokenhub.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tokenhub.componentLabels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "tokenhub.componentName" . }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- end }}

{{/*
Ingress NetworkPolicy of a component; (dict "root" $ "key" "<values key>" "from" <list of peers>). The peers are
joined into one rule on the HTTP port, and networkPolicy.metricsFrom into another on the management port (health,
metrics, OpenAPI), so a scraper never reaches the APIs and an API caller never the management interface. Kubelet
probes come from the node, which NetworkPolicy always admits. With no peer at all the policy admits nothing, because
a rule without `from` would admit everyone. An optional "egress" (list of NetworkPolicyEgressRules) also restricts
where the pods may connect to; only the dashboard has one, since it calls nothing but known peers.
*/}}
{{- define "tokenhub.networkPolicy" -}}
{{- $c := include "tokenhub.component" . | fromYaml -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "tokenhub.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tokenhub.componentLabels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "tokenhub.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    {{- if .egress }}
    - Egress
    {{- end }}
  {{- with .egress }}
  egress:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- $metricsFrom := .root.Values.networkPolicy.metricsFrom | default list }}
  {{- if or .from $metricsFrom }}
  ingress:
    {{- if .from }}
    - from:
        {{- toYaml .from | nindent 8 }}
      ports:
        - port: {{ $c.port }}
          protocol: TCP
    {{- end }}
    {{- if $metricsFrom }}
    - from:
        {{- toYaml $metricsFrom | nindent 8 }}
      ports:
        - port: {{ $c.managementPort }}
          protocol: TCP
    {{- end }}
  {{- else }}
  ingress: []
  {{- end }}
{{- end }}

{{/*
Everything one service consists of; (dict "root" $ "key" "<values key>" "from" <NetworkPolicy peers>
[ "egress" <NetworkPolicyEgressRules> ]).
*/}}
{{- define "tokenhub.workload" -}}
{{ include "tokenhub.serviceAccount" . }}
---
{{ include "tokenhub.service" . }}
---
{{ include "tokenhub.deployment" . }}
{{- with include "tokenhub.hpa" . }}
---
{{ . }}
{{- end }}
{{- with include "tokenhub.pdb" . }}
---
{{ . }}
{{- end }}
{{- if .root.Values.networkPolicy.enabled }}
---
{{ include "tokenhub.networkPolicy" . }}
{{- end }}
{{- end }}

{{/*
Peers of the dashboard APIs (billing-service, health-monitor) as a YAML list: the chart's own dashboard pods, the
ingress controller when the Ingress publishes them, and in-cluster dashboards. Called with the root context.
*/}}
{{- define "tokenhub.dashboardApiFrom" -}}
{{- $from := list (include "tokenhub.podPeer" (dict "root" . "key" "dashboard") | fromYaml) }}
{{- if and .Values.ingress.enabled .Values.ingress.dashboardApis }}
{{- $from = concat $from (.Values.networkPolicy.ingressControllerFrom | default list) }}
{{- end }}
{{- toYaml (concat $from (.Values.networkPolicy.dashboardClientsFrom | default list)) }}
{{- end }}
