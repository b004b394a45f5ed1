{{/*
The model's name: fullnameOverride, else the release name.
*/}}
{{- define "model-serving.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The namespace: namespaceOverride (one chart instance per model in an umbrella chart), else the release's.
*/}}
{{- define "model-serving.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride }}
{{- end }}

{{/*
Labels on every object.
*/}}
{{- define "model-serving.labels" -}}
app.kubernetes.io/managed-by: kubectl-mlserve
app.kubernetes.io/name: {{ include "model-serving.fullname" . }}
app.kubernetes.io/part-of: {{ include "model-serving.fullname" . }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Requests equal limits (Guaranteed QoS; GPUs cannot be overcommitted). Argument: a resources map {cpu, memory, gpu}.
*/}}
{{- define "model-serving.resources" -}}
requests:
  cpu: {{ .cpu | quote }}
  memory: {{ .memory | quote }}
  {{- if .gpu }}
  nvidia.com/gpu: {{ .gpu | quote }}
  {{- end }}
limits:
  cpu: {{ .cpu | quote }}
  memory: {{ .memory | quote }}
  {{- if .gpu }}
  nvidia.com/gpu: {{ .gpu | quote }}
  {{- end }}
{{- end }}

{{/*
A map of environment variables as a container env list, sorted by name.
*/}}
{{- define "model-serving.env" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}
