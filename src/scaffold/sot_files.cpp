// Per-shard SoT files (chart.yaml, values.yaml, templates/) and per-implementation files (manifest.yaml, Helm
// chart, Python package, docs). Every field a CS/VG/MS/KP/MR/MD-CHART/MD-MANIFEST rule reads is written here;
// docs/scaffold.md maps each rule to its field.
//
// Text hygiene, enforced by tests/unit/scaffold_test.cpp: no generated .py file contains "store" or "save"
// (CP001's PII/biometric storage regexes), and no text file assigns a quoted literal to a password/secret/
// api key/token name or mentions AWS or private keys (CP011). Every .yaml file is valid YAML 1.1 — Helm
// template expressions are only ever used inside quoted scalars — because strict DC001 parses every
// *deployment*.yaml and counts parse errors as violations.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plan.hpp"

namespace sotcheck::scaffold::detail {

std::string fill(std::string_view tpl, std::initializer_list<std::pair<std::string_view, std::string_view>> vars) {
  std::string out;
  out.reserve(tpl.size() + 256);
  std::size_t i = 0;
  while (i < tpl.size()) {
    const char c = tpl[i];
    if (c == '@') {
      const std::size_t close = tpl.find('@', i + 1);
      if (close != std::string_view::npos) {
        const std::string_view name = tpl.substr(i + 1, close - i - 1);
        bool replaced = false;
        for (const auto& [key, value] : vars) {
          if (key == name) {
            out += value;
            replaced = true;
            break;
          }
        }
        if (replaced) {
          i = close + 1;
          continue;
        }
      }
    }
    out += c;
    ++i;
  }
  return out;
}

std::string_view strip_number(std::string_view nn_name) {
  return nn_name.size() > 3 && nn_name[2] == '_' ? nn_name.substr(3) : nn_name;
}

std::string dashed(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c == '_') c = '-';
  return out;
}

std::string camel(std::string_view s) {
  std::string out;
  bool upper = true;
  for (const char c : s) {
    if (c == '_' || c == '-') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

namespace {

std::string shard_id(std::string_view root, std::string_view shard) {
  std::string id(root);
  id += '/';
  id += shard;
  return id;
}

std::string semver(Rng& rng, std::uint64_t major_lo, std::uint64_t major_hi) {
  return std::to_string(rng.between(major_lo, major_hi)) + "." + std::to_string(rng.below(10)) + "." +
         std::to_string(rng.below(20));
}

// Team handles only: contacts are channels, never e-mail addresses or personal data.
constexpr std::array<std::string_view, 12> k_lead_handles = {"@a-weber",  "@m-schulz", "@l-nguyen", "@k-oduya",
                                                             "@j-petrov", "@s-keller", "@r-haddad", "@t-lindqvist",
                                                             "@c-moreau", "@d-okafor", "@e-silva",  "@h-tanaka"};

constexpr std::array<std::string_view, 6> k_upcoming = {
    "offline verification of attestations", "batch revocation endpoint",
    "post-quantum signature migration",     "cross-shard audit export",
    "rate-limit tiers per tenant",          "OpenAPI 3.1 contract refresh"};

constexpr std::array<std::string_view, 4> k_cpu = {"250m", "500m", "750m", "1000m"};
constexpr std::array<std::string_view, 4> k_memory = {"256Mi", "512Mi", "768Mi", "1Gi"};

}  // namespace

namespace {

std::string_view gloss_of(std::string_view name) {
  for (const auto& unit : k_roots)
    if (unit.name == name) return unit.gloss;
  for (const auto& unit : k_shards)
    if (unit.name == name) return unit.gloss;
  return name;
}

}  // namespace

std::string sot_chart_yaml(std::string_view root, std::string_view shard, const std::vector<std::string>& impls,
                           std::uint64_t seed) {
  Rng rng(seed);
  const std::string version = semver(rng, 1, 2);
  const std::string_view lead = rng.pick(k_lead_handles);
  const std::string_view upcoming = rng.pick(k_upcoming);
  const std::string_view cpu = rng.pick(k_cpu);
  const std::string_view memory = rng.pick(k_memory);
  const std::string replicas_min = std::to_string(rng.between(2, 3));
  const std::string replicas_max = std::to_string(rng.between(4, 12));
  // MR003 counts charts with fewer than three required dependencies and CS007 wants the key present, as a
  // mapping (a Helm-style list would make MR003 fail on the file). Every shard depends on its 16_codex twin
  // (where its contracts are governed); 16_codex shards depend on 03_core.
  const std::string dependency =
      root == "16_codex" ? "03_core/shards/" + std::string(shard) : "16_codex/shards/" + std::string(shard);
  std::string available;
  for (const auto& impl : impls) available += "    - " + impl + "\n";
  const std::string team = dashed(strip_number(root));
  // Quoted versions: VG001 needs a string matching MAJOR.MINOR.PATCH, and an unquoted 1.0 would be a float.
  return fill(R"~(# SoT chart of @id@ (@gloss@).
# The source of truth for what this shard MUST, SHOULD and HAVE; implementations live under
# implementations/ and describe themselves in their manifest.yaml.
name: @chart_name@
version: "@version@"
description: "@root_gloss@: @gloss@"
metadata:
  shard_id: "@id@"
  root: "@root@"
  shard: "@shard@"
  version: "@version@"
  status: active
governance:
  owner:
    team: "@team@"
    lead: "@lead@"
    contact: "#ssid-@team@"
  reviewers:
    - architecture-board
    - compliance-team
  change_process: "07_governance_legal/change_process.md"
capabilities:
  MUST:
    - "hash-only storage of personal attributes (SHA3-256 with per-tenant pepper)"
    - "contract-first API described in contracts/"
    - "structured JSON logging with PII redaction"
  SHOULD:
    - "horizontal scaling through an HPA"
    - "hourly anchoring of audit hashes"
  HAVE:
    - "@upcoming@"
constraints:
  pii_storage: forbidden
  data_policy: hash_only
  custody: non_custodial
enforcement:
  static_analysis:
    - semgrep
    - opa_conftest
  runtime_checks:
    - opa_gatekeeper
  audit:
    - worm_ledger
    - blockchain_anchoring
interfaces:
  contracts:
    - "contracts/@short@.openapi.yaml"
  data_schemas:
    - "contracts/@short@.schema.json"
  authentication: mtls
dependencies:
  required:
    - "@dependency@"
  optional: []
implementations:
  default: @default_impl@
  available:
@available@conformance:
  contract_tests:
    - "contracts/@short@.openapi.yaml"
  minimum_coverage: 80
observability:
  metrics:
    prometheus: true
    path: /metrics
  tracing:
    opentelemetry: true
    sample_ratio: 0.1
  logging:
    format: json
    pii_redaction: true
security:
  threat_model: "07_governance_legal/security/threat_model.md"
  encryption:
    at_rest: AES-256-GCM
    in_transit: TLS 1.3
  authentication: mtls
compatibility:
  core_min_version: "1.0.0"
  api_versions:
    - v1
orchestration:
  workflows:
    - "24_meta_orchestration/workflows/shard_release.md"
resources:
  compute:
    cpu: "@cpu@"
    memory: "@memory@"
    replicas_min: @replicas_min@
    replicas_max: @replicas_max@
roadmap:
  upcoming:
    - "@upcoming@"
)~",
              {{"id", shard_id(root, shard)},
               {"gloss", gloss_of(shard)},
               {"root_gloss", gloss_of(root)},
               {"chart_name", team + "-" + dashed(strip_number(shard))},
               {"version", version},
               {"root", root},
               {"shard", shard},
               {"team", team},
               {"lead", lead},
               {"upcoming", upcoming},
               {"short", strip_number(shard)},
               {"dependency", dependency},
               {"default_impl", impls.front()},
               {"available", available},
               {"cpu", cpu},
               {"memory", memory},
               {"replicas_min", replicas_min},
               {"replicas_max", replicas_max}});
}

std::string shard_values_yaml(std::string_view root, std::string_view shard, std::uint64_t seed) {
  Rng rng(seed ^ 0x76616c756573ULL);
  const std::string replicas = std::to_string(rng.between(2, 4));
  const std::string port = std::to_string(8000 + rng.below(100));
  return fill(R"~(# Default values for the @id@ shard chart.
replicaCount: @replicas@
image:
  repository: "registry.ssid.local/@team@/@name@"
  tag: "latest"
  pullPolicy: IfNotPresent
service:
  type: ClusterIP
  port: @port@
resources:
  requests:
    cpu: "250m"
    memory: "256Mi"
  limits:
    cpu: "500m"
    memory: "512Mi"
autoscaling:
  enabled: true
  minReplicas: 2
  maxReplicas: 8
  targetCPUUtilizationPercentage: 70
shard:
  id: "@id@"
  logFormat: json
  piiRedaction: true
)~",
              {{"id", shard_id(root, shard)},
               {"replicas", replicas},
               {"team", dashed(strip_number(root))},
               {"name", dashed(strip_number(shard))},
               {"port", port}});
}

std::string shard_deployment_yaml(std::string_view root, std::string_view shard, std::uint64_t seed) {
  Rng rng(seed ^ 0x6465706c6f79ULL);
  const std::string replicas = std::to_string(rng.between(2, 4));
  // Helm expressions stay inside quoted scalars so the template is also valid YAML (strict DC001 parses it);
  // the canary annotation is what DC001 looks for.
  return fill(R"~(# Deployment of the @id@ shard; rolled out as a canary before full promotion.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "{{ .Release.Name }}-@name@"
  labels:
    app.kubernetes.io/name: "@name@"
    app.kubernetes.io/part-of: "ssid-@team@"
  annotations:
    ssid.io/rollout-strategy: canary
    ssid.io/shard-id: "@id@"
spec:
  replicas: @replicas@
  selector:
    matchLabels:
      app.kubernetes.io/name: "@name@"
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: "@name@"
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports:
            - containerPort: 8080
          env:
            - name: LOG_FORMAT
              value: json
          livenessProbe:
            httpGet:
              path: /health/live
              port: 8080
          readinessProbe:
            httpGet:
              path: /health/ready
              port: 8080
)~",
              {{"id", shard_id(root, shard)},
               {"name", dashed(strip_number(shard))},
               {"team", dashed(strip_number(root))},
               {"replicas", replicas}});
}

std::string shard_service_yaml(std::string_view root, std::string_view shard) {
  return fill(R"~(apiVersion: v1
kind: Service
metadata:
  name: "{{ .Release.Name }}-@name@"
  labels:
    app.kubernetes.io/name: "@name@"
    app.kubernetes.io/part-of: "ssid-@team@"
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: "@name@"
  ports:
    - name: http
      port: 80
      targetPort: 8080
)~",
              {{"name", dashed(strip_number(shard))}, {"team", dashed(strip_number(root))}});
}

std::string shard_hpa_yaml(std::string_view root, std::string_view shard, std::uint64_t seed) {
  Rng rng(seed ^ 0x687061ULL);
  const std::string max_replicas = std::to_string(rng.between(4, 12));
  return fill(R"~(# Horizontal scaling of the @id@ shard (KP009).
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: "{{ .Release.Name }}-@name@"
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: "{{ .Release.Name }}-@name@"
  minReplicas: 2
  maxReplicas: @max@
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
)~",
              {{"id", shard_id(root, shard)}, {"name", dashed(strip_number(shard))}, {"max", max_replicas}});
}

std::string shard_readme_md(std::string_view root, std::string_view shard, const std::vector<std::string>& impls) {
  std::string list;
  for (const auto& impl : impls) list += "- [`" + impl + "`](implementations/" + impl + "/manifest.yaml)\n";
  return fill(R"~(# @id@

Shard **@shard@** (@gloss@) of root **@root@** (@root_gloss@).

- `chart.yaml`: the SoT chart (capabilities, constraints, governance, interfaces).
- `values.yaml` and `templates/`: deployment defaults and Kubernetes templates.
- `implementations/`: one directory per implementation, each described by its `manifest.yaml`.

## Implementations

@list@
)~",
              {{"id", shard_id(root, shard)},
               {"shard", shard},
               {"gloss", gloss_of(shard)},
               {"root", root},
               {"root_gloss", gloss_of(root)},
               {"list", list}});
}

std::string shard_openapi_yaml(std::string_view root, std::string_view shard) {
  return fill(R"~(openapi: "3.1.0"
info:
  title: "@id@ API"
  version: "1.0.0"
  description: "Contract of the @gloss@ shard; implementations are tested against it."
paths:
  /v1/@short@/attestations:
    post:
      operationId: create_attestation
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "@short@.schema.json"
      responses:
        "201":
          description: attestation created (only hashes are kept)
        "422":
          description: invalid request
  /health/live:
    get:
      operationId: liveness
      responses:
        "200":
          description: alive
)~",
              {{"id", shard_id(root, shard)}, {"gloss", gloss_of(shard)}, {"short", strip_number(shard)}});
}

std::string shard_schema_json(std::string_view root, std::string_view shard) {
  return fill(R"~({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://schemas.ssid.local/@root@/@short@.schema.json",
  "title": "@camel@Attestation",
  "description": "Attestation record of the @gloss@ shard: digests only, never clear-text attributes.",
  "type": "object",
  "required": ["attestation_id", "subject_digest", "issued_at"],
  "properties": {
    "attestation_id": {"type": "string", "pattern": "^att-[0-9a-f]{16}$"},
    "subject_digest": {"type": "string", "description": "SHA3-256 of the peppered subject attributes"},
    "issued_at": {"type": "string", "format": "date-time"},
    "status": {"enum": ["active", "revoked", "expired"]}
  },
  "additionalProperties": false
}
)~",
              {{"root", root},
               {"short", strip_number(shard)},
               {"camel", camel(strip_number(shard))},
               {"gloss", gloss_of(shard)}});
}

std::string root_readme_md(std::string_view root, std::string_view gloss, bool large) {
  std::string shards;
  for (const auto& shard : k_shards)
    shards += "| `" + std::string(shard.name) + "` | " + std::string(shard.gloss) + " |\n";
  return fill(R"~(# @root@

@gloss@.

This root holds the 16 SSID shards under `shards/`, each with its SoT chart (`chart.yaml`), its
`values.yaml`, its Kubernetes `templates/` and its `implementations/`@extra@. The layout follows the SSID
master definition v1.1.1 (`{ROOT}/shards/{SHARD}/chart.yaml`).

| shard | scope |
|---|---|
@shards@
Incident handling for this root is described in [docs/incident_response_plan.md](docs/incident_response_plan.md).
)~",
              {{"root", root},
               {"gloss", gloss},
               {"extra", large ? ", plus root-level documentation in `docs/`" : ""},
               {"shards", shards}});
}

std::string incident_response_plan_md(std::string_view root) {
  return fill(R"~(# Incident response plan: @root@

Required by DORA (Regulation (EU) 2022/2554, Art. 17) for every root of the SSID matrix.

1. **Detect**: alerts from Prometheus/Alertmanager or a report to the on-call channel `#ssid-incidents`.
2. **Classify**: severity 1-4 by impact on identity proofs, availability and integrity of the audit ledger.
3. **Contain**: isolate the affected shard deployment; revoke credentials scoped to it.
4. **Notify**: major ICT-related incidents are reported to the competent authority within 4 hours of
   classification; affected tenants are informed without undue delay.
5. **Recover**: redeploy from the last anchored release; verify hashes against the WORM ledger.
6. **Review**: a blameless post-incident review within 5 working days, tracked in `07_governance_legal`.

Owner: the @team@ team. Tested twice a year in a tabletop exercise.
)~",
              {{"root", root}, {"team", dashed(strip_number(root))}});
}

std::string root_doc_md(std::string_view root, std::string_view topic, std::uint64_t seed) {
  Rng rng(seed);
  std::string sections;
  const std::uint64_t count = rng.between(3, 7);
  constexpr std::array<std::string_view, 8> k_headings = {"Context",        "Responsibilities", "Interfaces",
                                                          "Data handling",  "Operations",       "Failure modes",
                                                          "Open questions", "References"};
  constexpr std::array<std::string_view, 6> k_sentences = {
      "Every shard of this root exposes its contract first; implementations follow the contract, never the "
      "other way round.",
      "Personal attributes are hashed with SHA3-256 and a per-tenant pepper before they leave the request "
      "scope; only digests reach the audit ledger.",
      "Changes that alter a MUST capability go through an RFC and the Architecture Board.",
      "Metrics, traces and JSON logs are emitted by default; log records are redacted before shipping.",
      "Deployments roll out as canaries and are promoted once the error budget allows it.",
      "Each implementation documents its setup, its local development loop and its pre-commit hooks."};
  for (std::uint64_t i = 0; i < count; ++i) {
    sections += "## " + std::string(k_headings[(i + rng.below(3)) % k_headings.size()]) + "\n\n";
    const std::uint64_t lines = rng.between(2, 5);
    for (std::uint64_t j = 0; j < lines; ++j) sections += std::string(rng.pick(k_sentences)) + "\n";
    sections += "\n";
  }
  return fill("# @root@: @topic@\n\n@sections@", {{"root", root}, {"topic", topic}, {"sections", sections}});
}

std::string rego_shard_policy(std::string_view root, std::string_view shard) {
  return fill(R"~(# Admission policy for the @id@ shard: deployments must carry the shard id,
# run as non-root and log in JSON. Evaluated by OPA Gatekeeper and conftest in CI.
package ssid.shards.@pkg@

import rego.v1

shard_id := "@id@"

deny contains msg if {
	input.kind == "Deployment"
	input.metadata.annotations["ssid.io/shard-id"] != shard_id
	msg := sprintf("deployment %s must be annotated with shard id %s", [input.metadata.name, shard_id])
}

deny contains msg if {
	input.kind == "Deployment"
	some container in input.spec.template.spec.containers
	not container.securityContext.runAsNonRoot
	msg := sprintf("container %s must run as non-root", [container.name])
}
)~",
              {{"id", shard_id(root, shard)},
               {"pkg", std::string(strip_number(root)) + "." + std::string(strip_number(shard))}});
}

namespace {

struct StackInfo {
  std::string_view framework;
  std::string_view package_spec;
};

// Implementation ids are "python-<framework>"; the framework decides the first dependency line.
StackInfo stack_info(std::string_view impl) {
  const std::string_view framework = impl.substr(impl.find('-') + 1);
  if (framework == "fastapi") return {framework, "fastapi>=0.110"};
  if (framework == "flask") return {framework, "flask>=3.0"};
  if (framework == "django") return {framework, "django>=5.0"};
  if (framework == "tensorflow") return {framework, "tensorflow>=2.15"};
  if (framework == "pytorch") return {framework, "torch>=2.2"};
  if (framework == "grpc") return {framework, "grpcio>=1.62"};
  if (framework == "aiohttp") return {framework, "aiohttp>=3.9"};
  if (framework == "celery") return {framework, "celery>=5.3"};
  if (framework == "starlette") return {framework, "starlette>=0.37"};
  return {framework, "scikit-learn>=1.4"};
}

std::string helm_name(const ImplContext& c) {
  return dashed(strip_number(c.root)) + "-" + dashed(strip_number(c.shard)) + "-" + c.impl;
}

}  // namespace

std::string manifest_yaml(const ImplContext& c) {
  Rng rng(c.seed ^ 0x6d616e6966657374ULL);
  const std::string impl_version = semver(rng, 1, 3);
  const std::string chart_version = semver(rng, 1, 2);
  const std::string_view maturity = rng.below(4) == 0 ? "beta" : "stable";
  const std::string python = rng.below(2) == 0 ? "3.11" : "3.12";
  const std::string coverage = std::to_string(rng.between(80, 95));
  const std::string p95 = std::to_string(rng.between(80, 250));
  const std::string target = std::to_string(rng.between(50, 79));
  const std::string rps = std::to_string(rng.between(200, 2000));
  const StackInfo stack = stack_info(c.impl);
  // Every MS and MD-MANIFEST field, each level a mapping (strict docs/reference-compatibility.md#rc-12). `testing` carries both spellings the
  // rules use: unit/integration/contract (MS005) and unit_tests/security_tests/performance_tests
  // (MD-MANIFEST-029/032/033); coverage_target is a plain integer >= 80.
  return fill(R"~(# Implementation manifest: @impl@ for @id@.
implementation_id: @impl@
implementation_version: "@impl_version@"
chart_version: "@chart_version@"
metadata:
  shard_id: "@id@"
  name: "@helm_name@"
  maturity: @maturity@
  owner_team: "@team@"
technology_stack:
  language:
    name: python
    version: "@python@"
  frameworks:
    - @framework@
  linting_formatting:
    - ruff
    - black
    - mypy
artifacts:
  source_code:
    location: src/@package@/
  configuration:
    location: config/
  models:
    location: models/
  protocols:
    location: protos/
  tests:
    location: tests/
  documentation:
    location: docs/
  scripts:
    location: scripts/
  docker:
    files:
      - Dockerfile
      - docker-compose.yml
dependencies:
  packages:
    - "@package_spec@"
    - "pydantic>=2.6"
    - "structlog>=24.1"
  services:
    - "16_codex/shards/@shard@"
build:
  commands:
    - "pip install -e .[dev]"
    - "python -m build"
  docker:
    image: "registry.ssid.local/@team@/@helm_name@"
    dockerfile: Dockerfile
deployment:
  kubernetes:
    manifests_location: helm/templates/
  helm:
    chart_location: helm/
  environment_variables:
    - name: SSID_SHARD_ID
      value: "@id@"
    - name: LOG_FORMAT
      value: json
testing:
  unit:
    framework: pytest
    location: tests/
  integration:
    framework: pytest
    location: tests/
  contract:
    framework: schemathesis
    spec: "../../contracts/@short@.openapi.yaml"
  unit_tests:
    framework: pytest
    coverage_target: @coverage@
  security_tests:
    tools:
      - bandit
      - semgrep
  performance_tests:
    tool: locust
    p95_latency_ms: @p95@
observability:
  logging:
    format: json
    pii_redaction: true
    level: INFO
  metrics:
    endpoint: /metrics
  tracing:
    exporter: otlp
  health_checks:
    liveness: /health/live
    readiness: /health/ready
development:
  setup: "python -m venv .venv && pip install -e .[dev]"
  local_development: "docker compose up"
  pre_commit_hooks:
    - ruff
    - black
    - detect-secrets
performance:
  baseline_benchmarks:
    p95_latency_ms: @p95@
    throughput_rps: @rps@
  optimization_targets:
    p95_latency_ms: @target@
  resource_requirements:
    cpu: "500m"
    memory: "512Mi"
changelog:
  location: CHANGELOG.md
support:
  contacts:
    - "#ssid-@team@"
    - "@ssid/@team@-maintainers"
)~",
              {{"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"impl_version", impl_version},
               {"chart_version", chart_version},
               {"helm_name", helm_name(c)},
               {"maturity", maturity},
               {"team", dashed(strip_number(c.root))},
               {"python", python},
               {"framework", stack.framework},
               {"package", c.package},
               {"package_spec", stack.package_spec},
               {"shard", c.shard},
               {"short", strip_number(c.shard)},
               {"coverage", coverage},
               {"p95", p95},
               {"target", target},
               {"rps", rps}});
}

std::string helm_chart_yaml(const ImplContext& c) {
  Rng rng(c.seed ^ 0x68656c6dULL);
  const std::string version = "0." + std::to_string(rng.between(1, 9)) + "." + std::to_string(rng.below(10));
  const std::string app_version = semver(rng, 1, 3);
  // A plain Helm v2 chart: semver version quoted (VG001-proof even if a tool reads Helm charts), no
  // dependencies list (a list-valued `dependencies` would trip MR003 for a tool that mistakes it for a SoT
  // chart).
  return fill(R"~(apiVersion: v2
name: @name@
description: "Helm chart of the @impl@ implementation of @id@"
type: application
version: "@version@"
appVersion: "@app_version@"
kubeVersion: ">=1.27.0-0"
annotations:
  ssid.io/shard-id: "@id@"
  ssid.io/implementation-id: "@impl@"
)~",
              {{"name", helm_name(c)},
               {"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"version", version},
               {"app_version", app_version}});
}

std::string helm_values_yaml(const ImplContext& c) {
  Rng rng(c.seed ^ 0x76616cULL);
  const std::string replicas = std::to_string(rng.between(1, 3));
  return fill(R"~(replicaCount: @replicas@
image:
  repository: "registry.ssid.local/@team@/@name@"
  tag: "latest"
  pullPolicy: IfNotPresent
service:
  type: ClusterIP
  port: 80
ingress:
  enabled: false
  host: "@name@.ssid.local"
autoscaling:
  enabled: true
  minReplicas: 2
  maxReplicas: 6
  targetCPUUtilizationPercentage: 75
resources:
  requests:
    cpu: "250m"
    memory: "256Mi"
  limits:
    cpu: "500m"
    memory: "512Mi"
env:
  LOG_FORMAT: json
  SSID_SHARD_ID: "@id@"
)~",
              {{"replicas", replicas},
               {"team", dashed(strip_number(c.root))},
               {"name", helm_name(c)},
               {"id", shard_id(c.root, c.shard)}});
}

std::string helm_deployment_yaml(const ImplContext& c) {
  return fill(R"~(apiVersion: apps/v1
kind: Deployment
metadata:
  name: '{{ include "@name@.fullname" . }}'
  labels:
    app.kubernetes.io/name: "@name@"
    app.kubernetes.io/instance: "{{ .Release.Name }}"
  annotations:
    ssid.io/shard-id: "@id@"
    ssid.io/rollout-strategy: canary
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: "@name@"
      app.kubernetes.io/instance: "{{ .Release.Name }}"
  template:
    metadata:
      labels:
        app.kubernetes.io/name: "@name@"
        app.kubernetes.io/instance: "{{ .Release.Name }}"
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: "@impl@"
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          imagePullPolicy: "{{ .Values.image.pullPolicy }}"
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: LOG_FORMAT
              value: "{{ .Values.env.LOG_FORMAT }}"
            - name: SSID_SHARD_ID
              value: "{{ .Values.env.SSID_SHARD_ID }}"
          livenessProbe:
            httpGet:
              path: /health/live
              port: http
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
)~",
              {{"name", helm_name(c)}, {"id", shard_id(c.root, c.shard)}, {"impl", c.impl}});
}

std::string helm_service_yaml(const ImplContext& c) {
  return fill(R"~(apiVersion: v1
kind: Service
metadata:
  name: '{{ include "@name@.fullname" . }}'
  labels:
    app.kubernetes.io/name: "@name@"
spec:
  type: "{{ .Values.service.type }}"
  selector:
    app.kubernetes.io/name: "@name@"
    app.kubernetes.io/instance: "{{ .Release.Name }}"
  ports:
    - name: http
      port: 80
      targetPort: http
)~",
              {{"name", helm_name(c)}});
}

std::string helm_ingress_yaml(const ImplContext& c) {
  return fill(R"~(# Ingress (load balancing at the edge); enabled per environment through values.
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: '{{ include "@name@.fullname" . }}'
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
spec:
  ingressClassName: nginx
  tls:
    - hosts:
        - "{{ .Values.ingress.host }}"
      secretName: "@name@-tls"
  rules:
    - host: "{{ .Values.ingress.host }}"
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: '{{ include "@name@.fullname" . }}'
                port:
                  name: http
)~",
              {{"name", helm_name(c)}});
}

std::string helm_hpa_yaml(const ImplContext& c) {
  return fill(R"~(apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: '{{ include "@name@.fullname" . }}'
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: '{{ include "@name@.fullname" . }}'
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 75
)~",
              {{"name", helm_name(c)}});
}

std::string helm_helpers_tpl(const ImplContext& c) {
  return fill(R"~({{/* Common helpers of the @name@ chart. */}}
{{- define "@name@.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
)~",
              {{"name", helm_name(c)}});
}

std::string impl_readme_md(const ImplContext& c) {
  return fill(R"~(# @impl@: @id@

Python implementation of the @gloss@ shard, built on @framework@.

- Contract: `../../contracts/@short@.openapi.yaml` (the shard's SoT chart lists it).
- Code: `src/@package@/`, tests in `tests/` (`pytest`), Helm chart in `helm/`.
- Local development: `docker compose up`; see `docs/architecture.md`.

Personal attributes never reach this service in clear text: callers send SHA3-256 digests computed
with the tenant's pepper.
)~",
              {{"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"gloss", gloss_of(c.shard)},
               {"framework", stack_info(c.impl).framework},
               {"short", strip_number(c.shard)},
               {"package", c.package}});
}

std::string impl_changelog_md(const ImplContext& c) {
  Rng rng(c.seed ^ 0x6368616e6765ULL);
  const std::string minor = std::to_string(rng.between(1, 9));
  // VG003: the deprecation notice period (180 days) is stated in every changelog.
  return fill(R"~(# Changelog: @impl@ (@id@)

All notable changes to this implementation. Deprecated features are announced 180 days before
removal (deprecation notice period, see 07_governance_legal/change_process.md).

## [1.@minor@.0]
### Added
- Health endpoints `/health/live` and `/health/ready`.
### Changed
- JSON logs now redact personal attributes before shipping.

## [1.0.0]
### Added
- First release against contract v1.
)~",
              {{"impl", c.impl}, {"id", shard_id(c.root, c.shard)}, {"minor", minor}});
}

std::string impl_dockerfile(const ImplContext& c) {
  return fill(R"~(FROM python:3.12-slim AS runtime
WORKDIR /app
COPY pyproject.toml ./
COPY src/ ./src/
RUN pip install --no-cache-dir .
USER 10001
ENV LOG_FORMAT=json
EXPOSE 8080
CMD ["python", "-m", "@package@"]
)~",
              {{"package", c.package}});
}

std::string impl_compose_yml(const ImplContext& c) {
  return fill(R"~(services:
  app:
    build: .
    image: "@name@:dev"
    ports:
      - "8080:8080"
    environment:
      LOG_FORMAT: json
      SSID_SHARD_ID: "@id@"
)~",
              {{"name", helm_name(c)}, {"id", shard_id(c.root, c.shard)}});
}

std::string impl_pyproject_toml(const ImplContext& c) {
  const StackInfo stack = stack_info(c.impl);
  return fill(R"~([project]
name = "@name@"
version = "1.0.0"
requires-python = ">=3.11"
dependencies = ["@package_spec@", "pydantic>=2.6", "structlog>=24.1"]

[project.optional-dependencies]
dev = ["pytest>=8.0", "ruff>=0.3", "black>=24.2", "mypy>=1.9"]

[tool.pytest.ini_options]
testpaths = ["tests"]

[tool.ruff]
line-length = 120
)~",
              {{"name", helm_name(c)}, {"package_spec", stack.package_spec}});
}

std::string impl_settings_yaml(const ImplContext& c) {
  Rng rng(c.seed ^ 0x73657474ULL);
  const std::string workers = std::to_string(rng.between(2, 8));
  const std::string timeout = std::to_string(rng.between(5, 30));
  return fill(R"~(# Runtime settings of @impl@ (@id@); overridden per environment through Helm values.
service:
  workers: @workers@
  request_timeout_seconds: @timeout@
logging:
  format: json
  redact_fields:
    - subject
    - attributes
hashing:
  algorithm: SHA3-256
  pepper_scope: tenant
)~",
              {{"impl", c.impl}, {"id", shard_id(c.root, c.shard)}, {"workers", workers}, {"timeout", timeout}});
}

std::string impl_architecture_md(const ImplContext& c) {
  return fill(R"~(# Architecture: @impl@ (@id@)

```
request -> contract validation -> service (@package@.service) -> digest only -> audit event
```

- The service layer holds the shard's rules; transport (@framework@) stays at the edge.
- Inputs are validated against `contracts/@short@.schema.json` before any processing.
- Every state change emits an audit event (hash only) that `02_audit_logging` anchors hourly.
- Configuration comes from `config/settings.yaml` and environment variables set by the Helm chart.
)~",
              {{"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"package", c.package},
               {"framework", stack_info(c.impl).framework},
               {"short", strip_number(c.shard)}});
}

const std::array<std::string_view, 16> k_python_modules = {
    "service", "models", "handlers", "schemas",     "routes",   "validators", "metrics", "health",
    "events",  "client", "mappers",  "serializers", "registry", "pipeline",   "scoring", "adapters"};

namespace {

// One generated function and its test: `@noun@` and `@Entity@` are filled per module.
struct PythonFunction {
  std::string_view name;
  std::string_view code;
  std::string_view test;
};

// None of these texts contains "store" or "save" (CP001) or any credential-looking assignment (CP011).
constexpr std::array<PythonFunction, 8> k_python_functions = {{
    {"is_@noun@_accepted",
     R"~(def is_@noun@_accepted(
    record: @Entity@Record, threshold: float = DEFAULT_THRESHOLD
) -> bool:
    """True when the record is active and its score reaches the threshold."""
    LOG.debug("is_@noun@_accepted %s", record.record_id)
    return record.status == "active" and record.score >= threshold
)~",
     R"~(def test_is_@noun@_accepted_at_threshold() -> None:
    record = @Entity@Record(record_id="r-1", score=DEFAULT_THRESHOLD)
    assert is_@noun@_accepted(record)
    assert not is_@noun@_accepted(dataclasses.replace(record, status="revoked"))
)~"},
    {"rank_@noun@s", R"~(def rank_@noun@s(records: Iterable[@Entity@Record]) -> list[@Entity@Record]:
    """Orders records by score, highest first; ties are ordered by id so results are stable."""
    return sorted(records, key=lambda record: (-record.score, record.record_id))
)~",
     R"~(def test_rank_@noun@s_orders_by_score() -> None:
    low = @Entity@Record(record_id="a", score=0.1)
    high = @Entity@Record(record_id="b", score=0.9)
    assert rank_@noun@s([low, high]) == [high, low]
)~"},
    {"active_@noun@s", R"~(def active_@noun@s(records: Iterable[@Entity@Record]) -> list[@Entity@Record]:
    """Drops revoked and expired records."""
    return [record for record in records if record.status == "active"]
)~",
     R"~(def test_active_@noun@s_drops_revoked() -> None:
    kept = @Entity@Record(record_id="a")
    dropped = @Entity@Record(record_id="b", status="revoked")
    assert active_@noun@s([kept, dropped]) == [kept]
)~"},
    {"summarize_@noun@s", R"~(def summarize_@noun@s(records: Iterable[@Entity@Record]) -> dict[str, int]:
    """Counts records per status, for metrics and audit summaries."""
    counts: dict[str, int] = {}
    for record in records:
        counts[record.status] = counts.get(record.status, 0) + 1
    return counts
)~",
     R"~(def test_summarize_@noun@s_counts_per_status() -> None:
    active = @Entity@Record(record_id="a")
    expired = @Entity@Record(record_id="b", status="expired")
    records = [active, expired]
    assert summarize_@noun@s(records) == {"active": 1, "expired": 1}
)~"},
    {"@noun@_digest", R"~(def @noun@_digest(record: @Entity@Record, pepper: bytes) -> str:
    """SHA3-256 digest of the record id under the tenant pepper: the only form that leaves the service."""
    return hashlib.sha3_256(pepper + record.record_id.encode("utf-8")).hexdigest()
)~",
     R"~(def test_@noun@_digest_is_sha3_256_hex() -> None:
    digest = @noun@_digest(@Entity@Record(record_id="a"), b"tenant-pepper")
    assert len(digest) == 64
)~"},
    {"merge_@noun@s", R"~(def merge_@noun@s(
    older: @Entity@Record, newer: @Entity@Record
) -> @Entity@Record:
    """Combines two versions of one record: the newer status wins, the higher score is kept."""
    if older.record_id != newer.record_id:
        raise ValueError("cannot merge different records")
    return dataclasses.replace(newer, score=max(older.score, newer.score))
)~",
     R"~(def test_merge_@noun@s_keeps_higher_score() -> None:
    older = @Entity@Record(record_id="a", score=0.8)
    newer = @Entity@Record(record_id="a", score=0.2, status="expired")
    assert merge_@noun@s(older, newer) == @Entity@Record(record_id="a", score=0.8, status="expired")
)~"},
    {"batch_@noun@s",
     R"~(def batch_@noun@s(
    records: list[@Entity@Record], size: int = BATCH_SIZE
) -> list[list[@Entity@Record]]:
    """Splits records into batches for the hourly anchoring job."""
    if size <= 0:
        raise ValueError("batch size must be positive")
    return [records[index:index + size] for index in range(0, len(records), size)]
)~",
     R"~(def test_batch_@noun@s_splits_evenly() -> None:
    records = [@Entity@Record(record_id=str(index)) for index in range(5)]
    assert [len(batch) for batch in batch_@noun@s(records, size=2)] == [2, 2, 1]
)~"},
    {"normalize_@noun@_status", R"~(def normalize_@noun@_status(record: @Entity@Record) -> @Entity@Record:
    """Lower-cases and trims the status so that comparisons are exact."""
    return dataclasses.replace(record, status=record.status.strip().lower())
)~",
     R"~(def test_normalize_@noun@_status_trims_and_lowercases() -> None:
    record = @Entity@Record(record_id="a", status=" Active ")
    assert normalize_@noun@_status(record).status == "active"
)~"},
}};

constexpr std::array<std::string_view, 10> k_nouns = {"claim",     "attestation", "proof",   "profile", "request",
                                                      "assertion", "binding",     "mandate", "entry",   "event"};

struct ModuleShape {
  std::vector<std::size_t> functions;  // indices into k_python_functions
  std::vector<std::string_view> nouns;
};

// Which functions a module has; the module and its test derive it from the same seed.
ModuleShape module_shape(std::uint64_t seed) {
  Rng rng(seed);
  std::array<std::size_t, k_python_functions.size()> order{};
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  ModuleShape shape;
  const std::uint64_t count = rng.between(3, k_python_functions.size());
  for (std::uint64_t i = 0; i < count; ++i) {
    shape.functions.push_back(order[i]);
    shape.nouns.push_back(rng.pick(k_nouns));
  }
  return shape;
}

std::string_view module_title(std::string_view module) {
  if (module == "service") return "Service layer";
  if (module == "models") return "Domain helpers";
  if (module == "handlers") return "Request handlers";
  if (module == "schemas") return "Schema helpers";
  if (module == "routes") return "Routing helpers";
  if (module == "validators") return "Input checks";
  if (module == "metrics") return "Metric helpers";
  if (module == "health") return "Health reporting";
  if (module == "events") return "Event handling";
  if (module == "client") return "Client helpers";
  if (module == "mappers") return "Record mappers";
  if (module == "serializers") return "Serialisation helpers";
  if (module == "registry") return "Record registry";
  if (module == "pipeline") return "Processing pipeline";
  if (module == "scoring") return "Scoring";
  return "Adapters";
}

}  // namespace

std::string python_init_py(const ImplContext& c) {
  Rng rng(c.seed ^ 0x696e6974ULL);
  const std::string threshold = "0." + std::to_string(rng.between(55, 90));
  const std::string batch = std::to_string(16u << rng.below(4));
  return fill(R"~("""@impl@ implementation of shard @id@.

Scope of the shard: @gloss@.

Shared record type and constants; the modules of this package hold the shard's rules.
"""

from __future__ import annotations

import dataclasses

__all__ = ["BATCH_SIZE", "DEFAULT_THRESHOLD", "SHARD_ID", "@Entity@Record"]

SHARD_ID = "@id@"
DEFAULT_THRESHOLD = @threshold@
BATCH_SIZE = @batch@


@dataclasses.dataclass(frozen=True)
class @Entity@Record:
    """A record exchanged over the shard contract; attributes arrive as digests, never in clear text."""

    record_id: str
    status: str = "active"
    score: float = 0.0
    subject_digest: str = ""
)~",
              {{"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"gloss", gloss_of(c.shard)},
               {"Entity", camel(c.package)},
               {"threshold", threshold},
               {"batch", batch}});
}

std::string python_module_py(const ImplContext& c, std::string_view module, std::uint64_t seed) {
  const ModuleShape shape = module_shape(seed);
  const std::string entity = camel(c.package);
  std::string body;
  for (std::size_t i = 0; i < shape.functions.size(); ++i) {
    body += "\n\n";
    body += fill(k_python_functions[shape.functions[i]].code, {{"noun", shape.nouns[i]}, {"Entity", entity}});
  }
  // Import exactly what the chosen functions use, so the generated code passes a linter.
  const auto uses = [&body](std::string_view what) { return body.find(what) != std::string::npos; };
  std::string imports = "from __future__ import annotations\n\n";
  if (uses("dataclasses.")) imports += "import dataclasses\n";
  if (uses("hashlib.")) imports += "import hashlib\n";
  imports += "import logging\n";
  if (uses("Iterable[")) imports += "from typing import Iterable\n";
  imports += "\nfrom " + c.package + " import ";
  if (uses("BATCH_SIZE")) imports += "BATCH_SIZE, ";
  if (uses("DEFAULT_THRESHOLD")) imports += "DEFAULT_THRESHOLD, ";
  imports += entity + "Record\n";
  return fill(R"~("""@title@ of the @gloss@ shard.

Shard @id@, implementation @impl@.
"""

@imports@
LOG = logging.getLogger(__name__)
@body@)~",
              {{"title", module_title(module)},
               {"gloss", gloss_of(c.shard)},
               {"id", shard_id(c.root, c.shard)},
               {"impl", c.impl},
               {"imports", imports},
               {"body", body}});
}

std::string python_test_py(const ImplContext& c, std::string_view module, std::uint64_t seed) {
  const ModuleShape shape = module_shape(seed);
  const std::string entity = camel(c.package);
  std::string names;
  std::string body;
  for (std::size_t i = 0; i < shape.functions.size(); ++i) {
    const PythonFunction& function = k_python_functions[shape.functions[i]];
    names += "    " + fill(function.name, {{"noun", shape.nouns[i]}}) + ",\n";
    body += "\n\n";
    body += fill(function.test, {{"noun", shape.nouns[i]}, {"Entity", entity}});
  }
  const auto uses = [&body](std::string_view what) { return body.find(what) != std::string::npos; };
  std::string imports;
  if (uses("dataclasses.")) imports += "import dataclasses\n\n";
  imports +=
      "from " + c.package + " import " + (uses("DEFAULT_THRESHOLD") ? "DEFAULT_THRESHOLD, " : "") + entity + "Record\n";
  imports += "from " + c.package + "." + std::string(module) + " import (\n" + names + ")\n";
  return fill(R"~("""Unit tests of @package@.@module@ (@impl@)."""

@imports@@body@)~",
              {{"package", c.package},
               {"module", module},
               {"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"imports", imports},
               {"body", body}});
}

}  // namespace sotcheck::scaffold::detail
