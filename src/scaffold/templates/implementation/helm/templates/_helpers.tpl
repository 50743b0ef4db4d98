{{/* Common helpers of the @name@ chart. */}}
{{- define "@name@.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
