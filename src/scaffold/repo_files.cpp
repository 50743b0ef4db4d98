// Repository-wide files: what the content rules look for, in the places an SSID tree keeps them. Each file
// is named so that it matches exactly the rule globs it is meant for (strict profile: braces expanded, every
// file evaluated) and no ratio rule it is not written for; docs/scaffold.md has the rule -> file table.
//
// Ratio rules evaluate every file whose name matches, so a name decides obligations: any *hash*.py must
// mention sha3/sha256 (MD-POLICY-009), *anchor*.py an hourly schedule (MD-POLICY-023), *{encrypt,crypto,
// cipher}*.py AES-256-GCM (MD-POLICY-027), *{tls,ssl,https,mtls}*.yaml TLS 1.3 (MD-POLICY-028),
// *{policy,purpose,consent}*.{py,rego,yaml} purpose limitation (MD-POLICY-012), *{rbac,role,permission,
// access}*.{py,rego,yaml} roles and permissions (MD-PRINC-007), *sanction*.py sha256 (MD-EXT-018). The
// generated implementation code never uses those words in file names.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "plan.hpp"

namespace sotcheck::scaffold::detail {

namespace {

struct FixedFile {
  std::string_view path;
  std::string_view content;
};

// Fixed text, identical for every size and seed. Hidden entries first (.github, .gitignore,
// .pre-commit-config.yaml: the only non-root entries AR009 allows at the top level), then by root.
constexpr auto k_fixed_files = std::to_array<FixedFile>({
    {".github/CODEOWNERS",
     R"~(# The Architecture Board reviews every change to a SoT chart (chart.yaml) and to the Helm
# Chart.yaml files of the implementations; compliance owns the policies and the contract.
**/shards/*/chart.yaml                 @ssid/architecture-board
**/implementations/*/helm/Chart.yaml   @ssid/architecture-board
**/implementations/*/manifest.yaml     @ssid/architecture-board
16_codex/contracts/                    @ssid/architecture-board @ssid/compliance-team
23_compliance/                         @ssid/compliance-team
.github/                               @ssid/platform-team
)~"},
    {".github/settings.yml",
     R"~(# Repository settings (probot/settings): branch protection for main.
repository:
  name: ssid
  default_branch: main
  allow_merge_commit: false
  allow_squash_merge: true
branches:
  - name: main
    protection:
      required_pull_request_reviews:
        required_approving_review_count: 2
        require_code_owner_reviews: true
        dismiss_stale_reviews: true
      required_status_checks:
        strict: true
        contexts:
          - test
          - build
          - security
      enforce_admins: true
      restrictions: null
)~"},
    {".github/workflows/ci.yml",
     R"~(name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install pytest
      - run: pytest -q
  build:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker build --tag "ssid:${{ github.sha }}" .
  security:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install semgrep && semgrep ci
      - run: sotcheck validate . --format sarif --output sotcheck.sarif
      - uses: actions/upload-artifact@v4
        with:
          name: sotcheck-sarif
          path: sotcheck.sarif
  deploy:
    needs: [build, security]
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - run: helm upgrade --install ssid 04_deployment --atomic
)~"},
    {".github/workflows/quarterly_audit.yml",
     R"~(# Quarterly compliance audit: full strict validation plus the evidence export.
name: quarterly-audit
on:
  schedule:
    - cron: "0 0 1 */3 *"
jobs:
  audit:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: sotcheck validate . --format json --output audit.json
      - uses: actions/upload-artifact@v4
        with:
          name: quarterly-audit
          path: audit.json
)~"},
    {".github/workflows/sanctions_daily.yml",
     R"~(# Daily sanctions refresh: rebuild entities_to_check.json, then evaluate the OPA policy.
name: sanctions-daily
on:
  schedule:
    - cron: "15 3 * * *"
  workflow_dispatch:
jobs:
  refresh:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: python 23_compliance/sanctions/build_sanctions_entities.py < sanctions_names.txt > 23_compliance/sanctions/entities_to_check.json
      - run: opa eval --data 23_compliance/policies --input 24_meta_orchestration/registry/generated/repo_scan.json "data.ssid.compliance.sanctions.deny"
)~"},
    {".github/workflows/security_scan.yml",
     R"~(# Continuous vulnerability scanning on a nightly schedule.
name: security-scan
on:
  schedule:
    - cron: "0 2 * * *"
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: aquasecurity/trivy-action@0.20.0
        with:
          scan-type: fs
          severity: CRITICAL,HIGH
)~"},
    {".gitignore",
     R"~(__pycache__/
*.pyc
.venv/
venv/
node_modules/
.pytest_cache/
dist/
build/
)~"},
    {".pre-commit-config.yaml",
     R"~(# Hooks every implementation runs before a commit (manifest development.pre_commit_hooks).
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.3.4
    hooks:
      - id: ruff
      - id: ruff-format
  - repo: https://github.com/Yelp/detect-secrets
    rev: v1.4.0
    hooks:
      - id: detect-secrets
  - repo: local
    hooks:
      - id: sotcheck
        name: sotcheck validate
        entry: sotcheck validate .
        language: system
        pass_filenames: false
)~"},
    {"01_ai_layer/evaluation/test_bias_fairness.py",
     R"~("""Bias test of the scoring models of 01_ai_layer: fairness across demographic groups.

The test checks demographic parity (the demographic_parity difference stays below 0.1) on the
evaluation set before a model may be promoted.
"""

from __future__ import annotations

DEMOGRAPHIC_PARITY_LIMIT = 0.1


def demographic_parity_difference(rates: dict[str, float]) -> float:
    """Largest difference in positive-outcome rate between any two groups."""
    return max(rates.values()) - min(rates.values())


def test_fairness_demographic_parity_within_limit() -> None:
    rates = {"group_a": 0.41, "group_b": 0.38, "group_c": 0.44}
    assert demographic_parity_difference(rates) <= DEMOGRAPHIC_PARITY_LIMIT
)~"},
    {"02_audit_logging/anchoring/blockchain_anchor.py",
     R"~("""Hash ledger anchoring: every hour the Merkle root of the audit ledger is anchored on a public
blockchain, Ethereum mainnet first and Polygon as the low-cost secondary chain.

Schedule: hourly (cron "0 * * * *", an interval of 3600 seconds). Only hashes leave SSID.
"""

from __future__ import annotations

import hashlib

ANCHOR_INTERVAL_SECONDS = 3600
ANCHOR_CHAINS = ("ethereum", "polygon")


def merkle_root(leaves: list[str]) -> str:
    """Merkle root (SHA3-256) of hex digests; an empty batch anchors the digest of nothing."""
    if not leaves:
        return hashlib.sha3_256(b"").hexdigest()
    level = [bytes.fromhex(leaf) for leaf in leaves]
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [hashlib.sha3_256(level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0].hex()


def anchor_payload(leaves: list[str], chain: str = "ethereum") -> dict[str, str]:
    """The transaction payload for one hourly anchoring run."""
    if chain not in ANCHOR_CHAINS:
        raise ValueError(f"unsupported chain: {chain}")
    return {"chain": chain, "merkle_root": merkle_root(leaves), "schedule": "hourly"}
)~"},
    {"02_audit_logging/worm_storage/worm_storage.py",
     R"~("""WORM (write once, read many) storage of the audit ledger.

Objects are written with an object lock in compliance mode and a retention of 10 years
(10 year retention for audit evidence); they cannot be altered or deleted before that date.
"""

from __future__ import annotations

from datetime import date

RETENTION_YEARS = 10
LOCK_MODE = "COMPLIANCE"


def retain_until(written_on: date) -> date:
    """The first day on which an object written on `written_on` may be deleted."""
    try:
        return written_on.replace(year=written_on.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return written_on.replace(year=written_on.year + RETENTION_YEARS, day=28)


def lock_parameters(written_on: date) -> dict[str, str]:
    """Object-lock parameters for one ledger segment."""
    return {"mode": LOCK_MODE, "retain_until": retain_until(written_on).isoformat()}
)~"},
    {"03_core/compat/compat_v1.py",
     R"~("""Compatibility layer for contract v1 clients during the 180-day deprecation window.

Maps v1 request fields to the v2 contract; removed when the notice period ends (see
16_codex/migrations/v1_to_v2.md).
"""

from __future__ import annotations

V1_TO_V2_FIELDS = {"subject_hash": "subject_digest", "issued": "issued_at", "state": "status"}


def upgrade_request(v1: dict[str, object]) -> dict[str, object]:
    """Renames v1 fields to their v2 names; unknown fields pass through unchanged."""
    return {V1_TO_V2_FIELDS.get(key, key): value for key, value in v1.items()}
)~"},
    {"03_core/crypto/aes_gcm_encryption.py",
     R"~("""Encryption at rest: AES-256-GCM with 96-bit nonces and per-tenant data keys.

Keys come from the key management service in 15_infra; this module only wraps the AEAD calls.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ALGORITHM = "AES-256-GCM"
KEY_BITS = 256
NONCE_BYTES = 12


def encrypt(data_key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    """Returns nonce || ciphertext || tag."""
    if len(data_key) * 8 != KEY_BITS:
        raise ValueError("AES-256-GCM needs a 256-bit key")
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(data_key).encrypt(nonce, plaintext, associated)


def decrypt(data_key: bytes, sealed: bytes, associated: bytes) -> bytes:
    """Inverse of encrypt; raises on a wrong key or tampered data."""
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    return AESGCM(data_key).decrypt(nonce, body, associated)
)~"},
    {"03_core/hashing/hash_utils.py",
     R"~("""Hashing primitives of SSID: personal attributes are kept only as SHA3-256 digests.

Primary algorithm: SHA3-256 (the hash-only data policy). Approved for non-personal data:
BLAKE3, SHA-256 and SHA-512. Digests of personal attributes are computed with the tenant's
pepper, so they are deterministic within a tenant and unlinkable across tenants.
"""

from __future__ import annotations

import hashlib
import hmac

PRIMARY_ALGORITHM = "SHA3-256"
APPROVED_ALGORITHMS = ("SHA3-256", "BLAKE3", "SHA-256", "SHA-512")


def sha3_256_digest(value: str, pepper: bytes) -> str:
    """Deterministic SHA3-256 digest of a normalised attribute under the tenant pepper."""
    normalised = " ".join(value.split()).casefold().encode("utf-8")
    return hmac.new(pepper, normalised, hashlib.sha3_256).hexdigest()


def sha256_digest(data: bytes) -> str:
    """SHA-256 of non-personal payloads (artefacts, release bundles)."""
    return hashlib.sha256(data).hexdigest()


def sha512_digest(data: bytes) -> str:
    """SHA-512 checksums of long-term archives."""
    return hashlib.sha512(data).hexdigest()


def digests_equal(left: str, right: str) -> bool:
    """Compares two digests in constant time."""
    return hmac.compare_digest(left, right)
)~"},
    {"03_core/privacy/data_policy.yaml",
     R"~(# Data policy: personal data only as peppered SHA3-256 hashes. Purpose limitation is enforced:
# every processing purpose is declared and the OPA policy enforces the purpose limit per request.
data_policy:
  personal_data: hash_only
  hash_algorithm: SHA3-256
  pepper: per_tenant
  raw_data_retention_seconds: 0
purpose_limitation:
  enforced: true
  purposes:
    - identity_verification
    - fraud_prevention
    - regulatory_reporting
)~"},
    {"03_core/privacy/gdpr_rights.py",
     R"~("""GDPR data-subject rights in SSID.

Right to erasure (Art. 17): SSID keeps no clear-text personal data, only peppered SHA3-256
digests, so erasure drops the subject's digests and rotates the pepper (rotate_pepper); earlier
digests become unlinkable.

Right to data portability (Art. 20): export of the subject's records in a structured,
machine-readable JSON format.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field


@dataclass
class SubjectIndex:
    """Digest index of one tenant: subject reference -> digests of that subject's attributes."""

    pepper: bytes
    digests: dict[str, list[str]] = field(default_factory=dict)


def rotate_pepper(index: SubjectIndex) -> SubjectIndex:
    """Erasure by hash rotation: a fresh pepper makes every earlier digest unlinkable."""
    return SubjectIndex(pepper=os.urandom(32), digests={})


def erase_subject(index: SubjectIndex, subject_ref: str) -> bool:
    """Right to erasure: drops the subject's digests; True when something was erased."""
    return index.digests.pop(subject_ref, None) is not None


def export_subject(index: SubjectIndex, subject_ref: str) -> str:
    """Right to data portability: the subject's records as JSON (export format v1)."""
    payload = {
        "format": "ssid-portability-v1",
        "subject_ref": subject_ref,
        "digests": sorted(index.digests.get(subject_ref, [])),
    }
    return json.dumps(payload, indent=2, sort_keys=True)
)~"},
    {"03_core/privacy/pii_categories.yaml",
     R"~(# PII categories: each is accepted only as a peppered SHA3-256 digest, never in clear text.
protection: hash_only
categories:
  - name
  - email
  - phone
  - address
  - national_id
  - passport
  - drivers_license
  - ssn_tax_id
  - biometric_data
  - health_records
)~"},
    {"03_core/privacy/raw_data_retention.yaml",
     R"~(# Raw data retention: raw inputs are processed in memory, then discarded. Policy: immediate discard,
# retention 0 seconds. Periods below apply to derived (hashed) records only.
raw_data:
  retention_seconds: 0
  policy: immediate discard
retention_periods:
  login_attempts: "90 days"
  session_tokens: "24 hours"
  audit_logs: "10 years"
  kyc_proofs: "5 years"
  financial_records: "10 years"
)~"},
    {"03_core/privacy/tenant_pepper.yaml",
     R"~(# Tenant-specific peppers: every tenant has its own pepper (per_tenant strategy); peppers never
# leave the key management service.
strategy: per_tenant
tenant_pepper:
  source: kms
  length_bytes: 32
  rotate_on_erasure_request: true
)~"},
    {"04_deployment/environments/dev.yaml",
     R"~(# Environment overrides: dev.
environment: dev
cluster: "ssid-dev"
replicas: 1
log_level: DEBUG
log_format: json
)~"},
    {"04_deployment/environments/production.yaml",
     R"~(# Environment overrides: production.
environment: production
cluster: "ssid-production"
replicas: 3
log_level: INFO
log_format: json
)~"},
    {"04_deployment/environments/staging.yaml",
     R"~(# Environment overrides: staging.
environment: staging
cluster: "ssid-staging"
replicas: 2
log_level: INFO
log_format: json
)~"},
    {"04_deployment/strategies/canary_deployment.yaml",
     R"~(# Progressive delivery: every shard rolls out as a canary; schema migrations use blue-green.
strategy: canary
canary:
  steps:
    - 5
    - 25
    - 50
    - 100
  analysis_interval_minutes: 10
  rollback_on_error_rate_percent: 1
blue_green:
  strategy_name: blue-green
  used_for: schema migrations
)~"},
    {"07_governance_legal/GOVERNANCE.md",
     R"~(# Governance

| role | responsibility |
|---|---|
| Architecture Board | reviews every SoT chart change (CODEOWNERS) and every RFC |
| Compliance Team | reviews policies, approves constraint changes, owns 23_compliance |
| Security Team | threat modelling, vulnerability management, incident response |
| Shard owners | the team and lead named in each chart's `governance.owner` |
| Maintainers | review and merge implementation changes |

Changes follow the seven-step [change process](change_process.md); MUST-capability changes need
an RFC in `16_codex/rfcs/`.
)~"},
    {"07_governance_legal/change_process.md",
     R"~(# Change process

Every change to a MUST capability passes seven steps:

1. proposal: an RFC in `16_codex/rfcs/`
2. review: by the Architecture Board and the shard owner
3. approval: recorded in the pull request
4. test: unit, contract, security and performance tests in CI
5. deploy: canary first, then full rollout
6. monitor: error budget and alerts for 7 days
7. rollback: automatic when the error budget burns too fast

Deprecations are announced 180 days before removal.
)~"},
    {"07_governance_legal/constraints_approval.yaml",
     R"~(# Constraint changes (chart.yaml constraints) need compliance approval.
approval:
  approver: compliance-team
  status: approved
  reviewed: "2025-10-01"
constraints:
  - pii_storage
  - data_policy
  - custody
)~"},
    {"07_governance_legal/governance/compliance_review.md",
     R"~(# Compliance review

The compliance team reviews every policy change in `23_compliance/` before merge and runs a
full review of all policies each quarter (see the quarterly audit workflow).
)~"},
    {"07_governance_legal/maturity_promotion.md",
     R"~(# Capability promotion

- HAVE to SHOULD: feature complete, at least 30 days in beta, user and operator documentation complete.
- SHOULD to MUST: 90 days in production at 99.5 % availability and 95 % contract test coverage.
)~"},
    {"07_governance_legal/security/threat_model.md",
     R"~(# Threat model

STRIDE threat model of the SSID platform, reviewed by the security team every release.

| threat | mitigation |
|---|---|
| Spoofing | mTLS between services, DID-based authentication |
| Tampering | WORM ledger, hourly blockchain anchoring |
| Repudiation | signed audit events |
| Information disclosure | hash-only storage, AES-256-GCM at rest, TLS 1.3 in transit |
| Denial of service | rate limits, horizontal autoscaling |
| Elevation of privilege | RBAC, deny by default |
)~"},
    {"09_meta_identity/credentials/verifiable_credentials.yaml",
     R"~(# W3C Verifiable Credentials Data Model 2.0.
data_model: "2.0"
proof_formats:
  - data_integrity_eddsa_2022
  - sd_jwt_vc
revocation: status_list_2021
)~"},
    {"09_meta_identity/did/did_methods.yaml",
     R"~(# Supported DID methods (W3C DID Core 1.0).
did_methods:
  - method: "did:ethr"
    resolver: ethr-did-resolver
  - method: "did:key"
    resolver: built_in
  - method: "did:web"
    resolver: https
  - method: "did:ion"
    resolver: sidetree
)~"},
    {"10_interoperability/networks/network_config.yaml",
     R"~(# Networks used for anchoring and token operations.
networks:
  - name: ethereum
    chain_id: 1
  - name: polygon
    chain_id: 137
  - name: arbitrum
    chain_id: 42161
  - name: optimism
    chain_id: 10
  - name: base
    chain_id: 8453
  - name: avalanche
    chain_id: 43114
)~"},
    {"11_test_simulation/benchmarks/performance_gates.yaml",
     R"~(# Performance benchmarks are CI gates: a regression beyond the threshold fails the build.
benchmark_suite: locust
gates:
  p95_latency_ms:
    target: 200
    threshold_regression_percent: 10
  throughput_rps:
    target: 500
    threshold_regression_percent: 10
)~"},
    {"11_test_simulation/coverage/contract_test_coverage.yaml",
     R"~(# SHOULD to MUST promotion requires 95 % contract test coverage.
contract_test_coverage:
  required_percent: 95
  measured_by: schemathesis
)~"},
    {"12_tooling/security/security_scan.yaml",
     R"~(# Continuous vulnerability scanning: trivy and semgrep on a schedule and on every pull request.
continuous: true
schedule:
  cron: "0 2 * * *"
scanners:
  - name: trivy
    scan: container images and infrastructure code
  - name: semgrep
    scan: source code
)~"},
    {"14_zero_time_auth/methods/auth_methods.yaml",
     R"~(# Authentication methods accepted by zero-time auth.
auth_methods:
  - "did:ethr"
  - "did:key"
  - "did:web"
  - biometric_eidas
  - smart_card_eidas
  - mobile_eidas
)~"},
    {"14_zero_time_auth/rbac/rbac_roles.yaml",
     R"~(# RBAC: every access goes through a role; permissions are granted to roles only.
access_policy: deny_by_default
roles:
  - role: shard_operator
    permissions:
      - deploy
      - read_metrics
  - role: compliance_auditor
    permissions:
      - read_audit_ledger
  - role: architecture_board
    permissions:
      - approve_chart_change
)~"},
    {"15_infra/caching/cache_config.yaml",
     R"~(# Cache: Redis for hot reads; every entry has a TTL and expires automatically.
cache:
  backend: redis
  default_ttl_seconds: 300
  max_entries: 100000
  expiry_policy: volatile-ttl
)~"},
    {"15_infra/edge/ingress.yaml",
     R"~(# Edge load balancing: ingress-nginx behind the cloud load balancer.
ingress:
  class: nginx
  load_balancer: external
  balance_algorithm: round_robin
)~"},
    {"15_infra/key_management/secret_rotation.yaml",
     R"~(# Credentials are rotated every 90 days (one rotation per 90-day window) by the key management service.
rotation:
  interval_days: 90
  grace_period_hours: 24
  applies_to:
    - database_credentials
    - service_certificates
    - tenant_peppers
)~"},
    {"15_infra/scaling/autoscaling.yaml",
     R"~(# Horizontal scaling defaults for every shard.
horizontal_pod_autoscaler:
  min_replicas: 2
  max_replicas: 12
  target_cpu_utilization_percent: 70
)~"},
    {"15_infra/tls/certificate_manager.py",
     R"~("""Certificate management for mTLS between services: short-lived leaf certificates (24 hours)
issued by the internal CA and renewed at two thirds of their lifetime. TLS 1.3 only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

LEAF_LIFETIME = timedelta(hours=24)
MIN_TLS_VERSION = "TLSv1.3"


def renewal_due(not_before: datetime, now: datetime) -> bool:
    """True once two thirds of the certificate's lifetime have passed."""
    return now - not_before >= LEAF_LIFETIME * 2 / 3
)~"},
    {"15_infra/tls/mtls.yaml",
     R"~(# Mutual TLS for every internal connection; TLS 1.3 only (TLSv1.3).
mtls:
  enabled: true
  min_version: "1.3"
  protocols:
    - TLSv1.3
  client_certificates: required
  certificate_lifetime_hours: 24
)~"},
    {"16_codex/CHANGELOG.md",
     R"~(# Changelog: 16_codex

Deprecated fields and endpoints are announced 180 days before removal.

## [2.0.0]
### Changed
- Contract v2 (see migrations/v1_to_v2.md); v1 is deprecated and served through the compatibility layer.
)~"},
    {"16_codex/contracts/identity.openapi.yaml",
     R"~(openapi: "3.1.0"
info:
  title: SSID identity API
  version: "2.0.0"
paths:
  /v2/identities/{did}/attestations:
    get:
      operationId: list_attestations
      parameters:
        - name: did
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: attestations of the identity (digests only)
          content:
            application/json:
              schema:
                $ref: "identity.schema.json"
)~"},
    {"16_codex/contracts/identity.schema.json",
     R"~({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://schemas.ssid.local/16_codex/identity.schema.json",
  "title": "IdentityAttestations",
  "type": "object",
  "required": ["did", "attestations"],
  "properties": {
    "did": {"type": "string", "pattern": "^did:[a-z0-9]+:.+$"},
    "attestations": {"type": "array", "items": {"type": "string", "description": "SHA3-256 digest"}}
  }
}
)~"},
    {"16_codex/contracts/sot/sot_contract_data.yaml",
     R"~(# SSID SoT contract data: the token and governance contract that the 185 SOT-V2 field rules read.
# Only hashes are ever kept on chain; SSID is non-custodial and never holds user funds.
version: "2.0.0"
date: "2025-10-21"
deprecated: false
classification: PUBLIC
token_definition:
  purpose: "utility token for identity verification fees, governance and staking"
  legal_position: "utility token; not a security, not an e-money token, not a stablecoin (MiCA Title II)"
  explicit_exclusions:
    - investment_product
    - payment_instrument
    - deposit
technical_specification:
  standard: ERC-20
  blockchain: polygon
  custody_model: non_custodial
  supply_model: fixed_supply_with_burn
  smart_contract_automation: true
business_model:
  role: technology_provider
  not_role:
    - custodian
    - exchange
    - payment_service_provider
  data_custody: hash_only
  kyc_responsibility: relying_party
  user_interactions: self_sovereign_wallet
fee_routing:
  system_fees:
    scope: identity_verification_transactions
    total_fee: "3%"
    note: "The system fee is fixed in the contract and identical for every user."
    allocation:
      dev_fee: "1%"
      system_treasury: "2%"
    burn_from_system_fee:
      base: system_treasury_share
      policy: "burn 50% of the treasury share, capped daily and monthly"
      daily_cap_percent_of_circ: 0.1
      monthly_cap_percent_of_circ: 2.0
      oracle_source: chainlink_price_feed
      snapshot_time_utc: "00:00"
  validator_rewards:
    source: system_treasury
    no_per_transaction_split: true
    note: "Validators are paid from the treasury by epoch, never per transaction."
fee_structure:
  scope: identity_verification_transactions
  total_fee: "3%"
  allocation:
    dev_fee: "1%"
    system_treasury: "2%"
  burn_from_system_fee: "50% of the treasury share"
  fee_collection: smart_contract
  no_manual_intervention: true
governance_controls:
  authority: dao
  reference: "07_governance_legal/GOVERNANCE.md"
  note: "Parameter changes only through on-chain proposals with timelock."
governance_fees:
  proposal_deposits: "1000 tokens, refunded when quorum is reached"
  voting_gas: "paid by the voter; gasless voting through signed messages"
governance_framework:
  dao_ready: true
  proposal_system: on_chain
  voting_mechanism: token_weighted_with_delegation
  upgrade_authority: dao_with_timelock
  emergency_procedures: "guardian multisig may pause; unpause requires a DAO vote"
  reference: "07_governance_legal/change_process.md"
governance_parameters:
  proposal_framework:
    proposal_deposit: 1000
    proposal_threshold: "0.5% of circulating supply"
    proposal_types:
      - parameter_change
      - treasury_allocation
      - protocol_upgrade
      - emergency
      - code_upgrade
      - governance_change
      - delegation_change
  voting_periods:
    standard_voting: "7 days"
    parameter_voting: "5 days"
    protocol_upgrade_voting: "14 days"
    emergency_voting: "24 hours"
  voting_requirements:
    quorum_standard: "10%"
    quorum_protocol_upgrade: "20%"
    quorum_emergency: "5%"
    simple_majority: "50%"
    supermajority: "66%"
    emergency_supermajority: "75%"
  timelock_framework:
    standard_proposals: "48 hours"
    parameter_changes: "24 hours"
    protocol_upgrades: "7 days"
    treasury_allocations: "72 hours"
    emergency_proposals: "0 hours"
  delegation_system:
    delegation_enabled: true
    self_delegation_default: true
    delegation_changes: "effective from the next voting period"
    vote_weight_calculation: "delegated balance at the proposal snapshot"
  governance_rewards:
    voter_participation_rewards: "0.5% of the governance pool per epoch"
    proposal_creator_rewards: "deposit refund plus 100 tokens when executed"
    delegate_rewards: "proportional to delegated weight"
    minimum_participation: "3 votes per quarter"
jurisdictional_compliance:
  reference: "23_compliance/policies/sanctions/jurisdiction_blacklist.rego"
  compliance_basis:
    - GDPR
    - eIDAS 2.0
    - MiCA
    - EU AI Act
  blacklist_jurisdictions:
    - "IR"
    - "KP"
    - "SY"
    - "CU"
    - "SD"
    - "BY"
    - "VE"
  excluded_entities:
    - ofac_sdn_list
    - eu_consolidated_list
    - un_security_council_list
  excluded_markets:
    - sanctioned_jurisdictions
    - unlicensed_gambling
  regulatory_exemptions:
    - "MiCA Art. 4(3): utility token with access to an existing service"
legal_safe_harbor:
  security_token: false
  e_money_token: false
  stablecoin: false
  investment_contract: false
  yield_bearing: false
  passive_income: false
  redemption_rights: false
  admin_controls: "limited to pause; no minting, no confiscation"
  upgrade_mechanism: "DAO vote with timelock"
primary_utilities:
  identity_verification:
    description: "pay verification fees for identity proofs"
    fee_burn_mechanism: "burn from the system fee, see fee_routing"
    burn_clarification: "tokens are burned from the treasury share, never from user balances"
    burn_source_note: "system_treasury"
    smart_contract: "20_foundation/smart_contracts/ProofRegistry.sol"
  governance_participation:
    description: "vote on protocol parameters and upgrades"
    voting_weight: "one token, one vote, with delegation"
    proposal_threshold: "0.5% of circulating supply"
  staking_utility:
    description: "stake to act as a validator of identity proofs"
    staking_rewards: "from the treasury by epoch"
    slashing_conditions:
      - double_attestation
      - prolonged_downtime
  ecosystem_rewards:
    description: "rewards for validators, community work and development"
    distribution_method: "epoch-based from the reward pools"
    reward_pools:
      - validation
      - community
      - development
      - governance_rewards
      - foundation_reserve
secondary_utilities:
  api_access: "discounted API quotas for stakers"
  data_portability: "export of credentials in JSON at no fee"
  marketplace_access: "listing of verified services"
  premium_features: "extended audit exports"
staking_mechanics:
  minimum_stake: 1000
  unstaking_period: "21 days"
  slashing_penalty: "5%"
  maximum_discount: "20%"
  discount_applies_to: api_access
  system_fee_invariance: "staking never changes the system fee"
supply_mechanics:
  total_supply: 1000000000
  initial_distribution:
    community_rewards: "35%"
    ecosystem_development: "25%"
    team_development: "15%"
    partnerships: "10%"
    reserve_fund: "15%"
  circulation_controls:
    team_vesting_schedule: "4 years, 1 year cliff"
    partnership_unlock: "linear over 24 months"
    reserve_governance: "DAO vote required"
    max_annual_inflation: "0%"
  deflationary_mechanisms:
    governance_burning: true
    staking_slashing: true
compliance_utilities:
  audit_payments: "fees for audit report exports"
  regulatory_reporting: "MiCA white paper and periodic reports"
  legal_attestations: "on-chain hashes of legal opinions"
risk_mitigation:
  no_yield_promises: true
  no_fiat_pegging: true
  no_redemption_mechanism: true
  no_marketing_investment: true
  clear_utility_purpose: true
  open_source_license: Apache-2.0
)~"},
    {"16_codex/migrations/v1_to_v2.md",
     R"~(# Migration guide: contract v1 to v2

- `subject_hash` is now `subject_digest`; `issued` is now `issued_at`; `state` is now `status`.
- v1 stays available through `03_core/compat/compat_v1.py` for the 180-day deprecation period.
)~"},
    {"16_codex/rfcs/RFC-0001-shard-matrix.md",
     R"~(# RFC-0001: the 24 x 16 shard matrix

Status: accepted. Defines the root and shard names, the SoT chart location and the rule that a
change to a MUST capability requires an RFC reviewed by the Architecture Board.
)~"},
    {"16_codex/structure/grundprinzipien.md",
     R"~(# SSID Grundprinzipien

1. Exactly 24 roots, each with the same 16 shards under `shards/` (24 x 16 = 384 SoT charts).
2. The SoT chart of a shard is `{ROOT}/shards/{SHARD}/chart.yaml`; implementations live in
   `{ROOT}/shards/{SHARD}/implementations/{IMPL_ID}/` and describe themselves in `manifest.yaml`.
3. Personal data is never stored in clear text: hash only (SHA3-256, per-tenant pepper).
4. Everything relevant is hashed, logged and anchored.

## Root-Ausnahmen

Root-level ausnahmen (exceptions at the repository root): only hidden entries may sit next to the
24 roots. The allowed files are listed under `allowed_root_files` in
`23_compliance/exceptions/structure_exceptions.yaml`.
)~"},
    {"16_codex/structure/ssid_master_definition_corrected_v1.1.1.md",
     R"~(# SSID master definition v1.1.1 (corrected), excerpt

- Matrix: 24 roots x 16 shards = 384 shards.
- SoT chart: `{ROOT}/shards/{SHARD}/chart.yaml`.
- Implementation manifest: `{ROOT}/shards/{SHARD}/implementations/{IMPL_ID}/manifest.yaml`.
- Chart fields: metadata, governance.owner, capabilities (MUST/SHOULD/HAVE), constraints,
  enforcement, interfaces, dependencies, implementations, conformance, observability, security,
  compatibility, orchestration, resources, roadmap.
)~"},
    {"16_codex/structure/verbindliche_root_module.yaml",
     R"~(# Mandatory root modules (verbindliche Root-Module) of the SSID matrix.
roots:
  - "01_ai_layer"
  - "02_audit_logging"
  - "03_core"
  - "04_deployment"
  - "05_documentation"
  - "06_data_pipeline"
  - "07_governance_legal"
  - "08_identity_score"
  - "09_meta_identity"
  - "10_interoperability"
  - "11_test_simulation"
  - "12_tooling"
  - "13_ui_layer"
  - "14_zero_time_auth"
  - "15_infra"
  - "16_codex"
  - "17_observability"
  - "18_data_layer"
  - "19_adapters"
  - "20_foundation"
  - "21_post_quantum_crypto"
  - "22_datasets"
  - "23_compliance"
  - "24_meta_orchestration"
shards_per_root: 16
)~"},
    {"17_observability/logging/logging_config.yaml",
     R"~(# Structured JSON logging; PII redaction is applied before any record leaves the process.
logging:
  format: json
  level: INFO
  pii_redaction: true
  redact:
    - subject
    - attributes
    - client_ip
)~"},
    {"17_observability/prometheus/prometheus_alerts.yaml",
     R"~(# Prometheus alert rules, routed through Alertmanager to the on-call rotation.
alertmanager:
  receiver: ssid-oncall
groups:
  - name: ssid-availability
    rules:
      - alert: ShardErrorBudgetBurn
        expr: "job:http_error_ratio:rate5m > 0.01"
        for: 10m
        labels:
          severity: page
)~"},
    {"17_observability/sla/sla.yaml",
     R"~(# Service levels: 99.5 % availability over a rolling 90 day window for MUST capabilities.
availability_percent: 99.5
window_days: 90
error_budget_policy: freeze deployments when the budget is spent
)~"},
    {"17_observability/tracing/jaeger.yaml",
     R"~(# Distributed tracing: OpenTelemetry SDKs export to the Jaeger collector.
jaeger:
  collector_endpoint: "http://jaeger-collector.observability:14268/api/traces"
  sampling:
    type: probabilistic
    param: 0.1
)~"},
    {"18_data_layer/ipfs/ipfs_storage.yaml",
     R"~(# Decentralised storage: public artefacts (schemas, revocation lists) are pinned on IPFS.
ipfs:
  pinning: cluster
  replication_factor: 3
  content:
    - schemas
    - revocation_lists
)~"},
    {"20_foundation/dao/dao_proposals.yaml",
     R"~(# DAO proposal types with quorum and approval threshold.
proposal_types:
  parameter_change:
    quorum: "10%"
    threshold: "66%"
  treasury_allocation:
    quorum: "15%"
    threshold: "75%"
  protocol_upgrade:
    quorum: supermajority
    threshold: supermajority
  emergency:
    quorum: expedited
    threshold: expedited
  code_upgrade:
    quorum: standard
    threshold: standard
  governance_change:
    quorum: standard
    threshold: standard
  delegation_change:
    quorum: standard
    threshold: standard
)~"},
    {"20_foundation/smart_contracts/ProofRegistry.sol",
     R"~(// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Anchors Merkle roots of the SSID audit ledger: hashes only, never personal data.
contract ProofRegistry {
    event RootAnchored(bytes32 indexed root, uint64 indexed batch, uint256 timestamp);

    address public immutable anchorer;
    mapping(uint64 => bytes32) public roots;

    constructor(address anchorer_) {
        anchorer = anchorer_;
    }

    function anchor(uint64 batch, bytes32 root) external {
        require(msg.sender == anchorer, "not the anchorer");
        require(roots[batch] == bytes32(0), "batch already anchored");
        roots[batch] = root;
        emit RootAnchored(root, batch, block.timestamp);
    }
}
)~"},
    {"20_foundation/tokenomics/reward_pools.yaml",
     R"~(# Reward pools and their share of the epoch rewards.
reward_pools:
  validation:
    share_percent: 40
  community:
    share_percent: 25
  development:
    share_percent: 15
  governance_rewards:
    share_percent: 10
  foundation_reserve:
    share_percent: 10
)~"},
    {"23_compliance/docs/eu_regulatory_frameworks.md",
     R"~(# EU regulatory frameworks

| framework | scope in SSID |
|---|---|
| GDPR | hash-only personal data, erasure by pepper rotation, JSON portability |
| eIDAS 2.0 | EUDI wallet compatibility, qualified attestations |
| EU AI Act | bias testing and documentation of the scoring models |
| MiCA | utility-token classification of the SSID token |
| DORA | incident response plans in every root |
)~"},
    {"23_compliance/exceptions/structure_exceptions.yaml",
     R"~(# Root-level exceptions of the SSID structure (grundprinzipien.ausnahmen).
allowed_root_files:
  - .gitignore
  - .pre-commit-config.yaml
allowed_root_directories:
  - .github
rule: "Only the 24 roots and hidden entries sit at the repository root."
)~"},
    {"23_compliance/markets/tier1_market_compliance.yaml",
     R"~(# Tier 1 markets and the regulators whose requirements are mapped for each.
tier1_markets:
  "US":
    regulators:
      - SEC
      - FinCEN
  "EU":
    regulators:
      - ESMA
      - EBA
  "UK":
    regulators:
      - FCA
      - ICO
  "CN":
    regulators:
      - CAC
  "JP":
    regulators:
      - FSA
  "CA":
    regulators:
      - CSA
  "AU":
    regulators:
      - ASIC
)~"},
    {"23_compliance/policies/sanctions/jurisdiction_blacklist.rego",
     R"~(# Sanctions policy: block onboarding and transfers involving sanctioned jurisdictions.
# Input: 24_meta_orchestration/registry/generated/repo_scan.json plus the daily
# 23_compliance/sanctions/entities_to_check.json (see .github/workflows/sanctions_daily.yml).
package ssid.compliance.sanctions

import rego.v1

repo_scan_source := "24_meta_orchestration/registry/generated/repo_scan.json"

blacklisted_jurisdictions := {
	"IR": {"name": "Iran", "reason": "OFAC Comprehensive Sanctions"},
	"KP": {"name": "North Korea", "reason": "OFAC Comprehensive Sanctions"},
	"SY": {"name": "Syria", "reason": "OFAC Comprehensive Sanctions"},
	"CU": {"name": "Cuba", "reason": "OFAC Sanctions (Limited)"},
	"SD": {"name": "Sudan", "reason": "OFAC Sanctions (Regional)"},
	"BY": {"name": "Belarus", "reason": "EU Sanctions"},
	"VE": {"name": "Venezuela", "reason": "OFAC Sectoral Sanctions"},
}

# block IR (Iran): OFAC Comprehensive Sanctions
deny contains msg if {
	input.subject.jurisdiction == "IR"
	msg := "block: IR (Iran) is under OFAC Comprehensive Sanctions"
}

# block KP (North Korea): OFAC Comprehensive Sanctions
deny contains msg if {
	input.subject.jurisdiction == "KP"
	msg := "block: KP (North Korea) is under OFAC Comprehensive Sanctions"
}

# block SY (Syria): OFAC Comprehensive Sanctions
deny contains msg if {
	input.subject.jurisdiction == "SY"
	msg := "block: SY (Syria) is under OFAC Comprehensive Sanctions"
}

# block CU (Cuba): OFAC Sanctions (Limited)
deny contains msg if {
	input.subject.jurisdiction == "CU"
	msg := "block: CU (Cuba) is under OFAC Sanctions (Limited)"
}

# block SD (Sudan): OFAC Sanctions (Regional)
deny contains msg if {
	input.subject.jurisdiction == "SD"
	msg := "block: SD (Sudan) is under OFAC Sanctions (Regional)"
}

# block BY (Belarus): EU Sanctions
deny contains msg if {
	input.subject.jurisdiction == "BY"
	msg := "block: BY (Belarus) is under EU Sanctions"
}

# block VE (Venezuela): OFAC Sectoral Sanctions
deny contains msg if {
	input.subject.jurisdiction == "VE"
	msg := "block: VE (Venezuela) is under OFAC Sectoral Sanctions"
}

# Entity screening: names are compared after normalisation; near matches go to manual review.
has_substr(text, part) if contains(lower(text), lower(part))

string_similarity(a, b) := 1 if lower(a) == lower(b)

string_similarity(a, b) := 0.5 if {
	lower(a) != lower(b)
	has_substr(a, b)
}

review contains entity if {
	some entity in input.entities
	some listed in data.sanctions.names
	string_similarity(entity, listed) >= 0.5
}
)~"},
    {"23_compliance/sanctions/build_sanctions_entities.py",
     R"~("""Builds entities_to_check.json for the OPA sanctions policy before `opa eval` runs.

Each entity is keyed by the sha256 of its normalised name, so the policy input carries no clear text.
"""

from __future__ import annotations

import hashlib
import json
import sys


def entity_key(name: str) -> str:
    """sha256 of the case-folded, whitespace-normalised name."""
    return hashlib.sha256(" ".join(name.split()).casefold().encode("utf-8")).hexdigest()


def build(names: list[str]) -> str:
    """The entities_to_check.json document for a list of names."""
    return json.dumps({"entities": sorted(entity_key(name) for name in names)}, indent=2)


if __name__ == "__main__":
    print(build([line.strip() for line in sys.stdin if line.strip()]))
)~"},
    {"23_compliance/sanctions/sanctions_sources.yaml",
     R"~(# Sources of the daily sanctions build; data older than max_age_hours blocks the pipeline.
max_age_hours: 24
sources:
  - name: OFAC SDN list
    url: "https://sanctionslist.ofac.treas.gov/Home/SdnList"
  - name: EU consolidated financial sanctions list
    url: "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions"
  - name: UN Security Council consolidated list
    url: "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"
)~"},
    {"24_meta_orchestration/workflows/shard_release.md",
     R"~(# Shard release workflow

1. The contract tests of the shard pass against its OpenAPI contract.
2. The SoT chart version is bumped (semantic versioning) and reviewed by the Architecture Board.
3. The release rolls out as a canary (`04_deployment/strategies/canary_deployment.yaml`).
)~"},
});

std::string hex_digest(Rng& rng) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (int w = 0; w < 4; ++w) {
    std::uint64_t v = rng.next();
    for (int i = 0; i < 16; ++i, v >>= 4) out += k_hex[v & 15];
  }
  return out;
}

// KP005 (02_audit_logging/**/*.jsonl) and MR002 (*ledger*.jsonl / *hash*.jsonl): a hash-chained ledger.
std::string hash_ledger_jsonl(std::uint64_t seed, int entries) {
  Rng rng(seed);
  std::string out;
  std::string previous(64, '0');
  for (int i = 1; i <= entries; ++i) {
    const std::string hash = hex_digest(rng);
    out += R"({"seq": )" + std::to_string(i) + R"(, "algorithm": "SHA3-256", "prev_hash": ")" + previous +
           R"(", "hash": ")" + hash + R"(", "anchored_on": ")" + (i % 2 ? "ethereum" : "polygon") + "\"}\n";
    previous = hash;
  }
  return out;
}

// CE004: the build step's output, keyed by sha256 digests (no names in clear text).
std::string entities_to_check_json(std::uint64_t seed, int entities) {
  Rng rng(seed);
  std::string out =
      "{\n  \"generated_by\": \"23_compliance/sanctions/build_sanctions_entities.py\",\n"
      "  \"entities\": [\n";
  for (int i = 0; i < entities; ++i) out += "    \"" + hex_digest(rng) + (i + 1 < entities ? "\",\n" : "\"\n");
  out += "  ]\n}\n";
  return out;
}

// CE008: the OPA input; lists every SoT chart so policies can check the matrix.
std::string repo_scan_json(Size size, std::uint64_t seed) {
  std::string out = "{\n  \"generated_by\": \"sotcheck scaffold\",\n  \"size\": \"" + std::string(to_string(size)) +
                    "\",\n  \"seed\": " + std::to_string(seed) + ",\n  \"roots\": 24,\n  \"shards_per_root\": 16,\n" +
                    "  \"charts\": [\n";
  for (std::size_t r = 0; r < k_roots.size(); ++r) {
    for (std::size_t s = 0; s < k_shards.size(); ++s) {
      const bool last = r + 1 == k_roots.size() && s + 1 == k_shards.size();
      out += "    \"" + std::string(k_roots[r].name) + "/shards/" + std::string(k_shards[s].name) + "/chart.yaml" +
             (last ? "\"\n" : "\",\n");
    }
  }
  out += "  ]\n}\n";
  return out;
}

}  // namespace

void add_repository_files(TreePlan& plan, Size size, std::uint64_t seed) {
  for (const auto& file : k_fixed_files) plan.add_file(std::string(file.path), std::string(file.content));
  const bool large = size == Size::large;
  plan.add_file("02_audit_logging/ledger/hash_ledger.jsonl",
                hash_ledger_jsonl(derive_seed(seed, "hash_ledger"), large ? 4000 : 64));
  plan.add_file("23_compliance/sanctions/entities_to_check.json",
                entities_to_check_json(derive_seed(seed, "entities"), large ? 2000 : 32));
  plan.add_file("24_meta_orchestration/registry/generated/repo_scan.json", repo_scan_json(size, seed));
}

}  // namespace sotcheck::scaffold::detail
