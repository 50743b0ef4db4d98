// The content-family rules (CP, JURIS_BL, SOT-V2-0091..0094, CE, TS, DC, the
// text MD rules and the 54 enumerated rules) on the small scaffold.
//
// Strict: the scaffold passes every rule, and for each of these rule ids the
// smallest mutation that breaks it makes exactly that rule fail, plus the rules
// that legitimately read the same input (written out per mutation).
// Reference: one test per quirk of docs/reference-compatibility.md that changes a verdict in
// these families.

#include <gtest/gtest.h>

#include <cerrno>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sotcheck/scaffold/scaffold.hpp"
#include "support/rule_harness.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using checks::Profile;
using exec::Status;
using testing::MemoryTree;

// ---------------------------------------------------------------- the scaffold and mutations

/// Path -> content of the small scaffold (seed 1), as the harness builds it.
const std::map<std::string, std::string>& scaffold_files() {
  static const std::map<std::string, std::string> files = [] {
    std::map<std::string, std::string> out;
    scaffold::visit_planned_files(scaffold::Size::small, 1, [&](const scaffold::PlannedFileView& f) {
      out[std::string(f.path)] = f.bulk ? std::string(f.size, 'x') : std::string(f.content);
    });
    return out;
  }();
  return files;
}

const MemoryTree& base_tree() {
  static const MemoryTree tree = testing::scaffold_tree();
  return tree;
}

/// Edits a copy of the scaffold; every edit must apply (a mutation that silently does nothing would make its
/// test meaningless when the scaffold changes).
class Mutator {
 public:
  explicit Mutator(MemoryTree& tree) : m_tree(tree), m_files(scaffold_files()) {}

  Mutator& remove(const std::string& path) {
    require(path);
    m_tree.remove(path);
    m_files.erase(path);
    return *this;
  }
  /// Replaces every occurrence of `from` in the file.
  Mutator& replace(const std::string& path, const std::string& from, const std::string& to) {
    require(path);
    std::string& text = m_files[path];
    if (text.find(from) == std::string::npos) throw std::runtime_error(path + " does not contain '" + from + "'");
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
    m_tree.add_file(path, text);
    return *this;
  }
  Mutator& write(const std::string& path, const std::string& text) {
    require(path);
    m_files[path] = text;
    m_tree.add_file(path, text);
    return *this;
  }
  Mutator& add(const std::string& path, const std::string& text) {
    if (m_files.count(path)) throw std::runtime_error(path + " already exists in the scaffold");
    m_files[path] = text;
    m_tree.add_file(path, text);
    return *this;
  }
  Mutator& move(const std::string& from, const std::string& to) {
    require(from);
    const std::string text = m_files[from];
    remove(from);
    return add(to, text);
  }
  const std::string& text(const std::string& path) {
    require(path);
    return m_files[path];
  }

 private:
  void require(const std::string& path) const {
    if (!m_files.count(path)) throw std::runtime_error(path + " is not a file of the small scaffold");
  }
  MemoryTree& m_tree;
  std::map<std::string, std::string> m_files;
};

// Files of the scaffold the mutations touch.
const std::string k_hash_utils = "03_core/hashing/hash_utils.py";
const std::string k_data_policy = "03_core/privacy/data_policy.yaml";
const std::string k_gdpr = "03_core/privacy/gdpr_rights.py";
const std::string k_retention = "03_core/privacy/raw_data_retention.yaml";
const std::string k_anchor = "02_audit_logging/anchoring/blockchain_anchor.py";
const std::string k_rego = "23_compliance/policies/sanctions/jurisdiction_blacklist.rego";
const std::string k_sanctions_py = "23_compliance/sanctions/build_sanctions_entities.py";
const std::string k_grundprinzipien = "16_codex/structure/grundprinzipien.md";
const std::string k_ci = ".github/workflows/ci.yml";
const std::string k_quarterly = ".github/workflows/quarterly_audit.yml";
const std::string k_network = "10_interoperability/networks/network_config.yaml";
const std::string k_did = "09_meta_identity/did/did_methods.yaml";

struct Case {
  std::string id;
  std::string what;
  std::function<void(Mutator&)> apply;
  std::set<std::string> expected;  ///< the rules that must stop passing
};
/// Names a case by its rule id in test output (not as a byte dump).
void PrintTo(const Case& c, std::ostream* os) { *os << c.id; }

std::set<std::string> family(const std::string& prefix, int n) {
  std::set<std::string> ids;
  for (int i = 1; i <= n; ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s_%03d", prefix.c_str(), i);
    ids.insert(buf);
  }
  return ids;
}

std::vector<Case> strict_cases() {
  std::vector<Case> cases = {
      // ---- CP
      {"CP001",
       "a module that stores an e-mail address",
       [](Mutator& m) {
         m.add("12_tooling/scripts/profile_export.py", "def run(db, user):\n    db.store(user.email)\n");
       },
       {"CP001"}},
      {"CP002",
       "no data-policy config and no SHA3-256 in the hash module",
       [](Mutator& m) { m.remove(k_data_policy).replace(k_hash_utils, "SHA3-256", "SHA3_256"); },
       // data_policy.yaml is the only policy file (MD-POLICY-012 loses its input); HASH_ALG_001 reads the
       // same hash module for the same literal.
       {"CP002", "HASH_ALG_001", "MD-POLICY-012"}},
      {"CP003",
       "no tenant pepper config",
       [](Mutator& m) { m.remove("03_core/privacy/tenant_pepper.yaml"); },
       {"CP003"}},
      {"CP004",
       "retention config without 0, immediate or discard",
       [](Mutator& m) {
         m.write(k_retention,
                 "raw_data:\n  retention_seconds: 30\nretention_periods:\n"
                 "  login_attempts: \"90 days\"\n  session_tokens: \"24 hours\"\n"
                 "  audit_logs: \"10 years\"\n  kyc_proofs: \"5 years\"\n"
                 "  financial_records: \"10 years\"\n");
       },
       {"CP004"}},
      {"CP005",
       "GDPR module without erasure and rotate_pepper",
       [](Mutator& m) { m.replace(k_gdpr, "erasure", "deletion").replace(k_gdpr, "rotate_pepper", "renew_pepper"); },
       {"CP005"}},
      {"CP006",
       "GDPR export without JSON",
       [](Mutator& m) { m.replace(k_gdpr, "JSON", "CSV").replace(k_gdpr, "json", "csv"); },
       {"CP006"}},
      {"CP007",
       "logging config without redaction",
       [](Mutator& m) { m.replace("17_observability/logging/logging_config.yaml", "redact", "mask"); },
       {"CP007"}},
      {"CP008",
       "bias test without fairness or demographic parity",
       [](Mutator& m) {
         m.replace("01_ai_layer/evaluation/test_bias_fairness.py", "fairness", "quality")
             .replace("01_ai_layer/evaluation/test_bias_fairness.py", "demographic_parity", "group_gap");
       },
       {"CP008", "KP008"}},  // KP008 is CP008's alias
      {"CP009",
       "anchoring module naming its chains only capitalised",
       [](Mutator& m) {
         m.replace(k_anchor, "blockchain", "Blockchain")
             .replace(k_anchor, "ethereum", "Ethereum")
             .replace(k_anchor, "polygon", "Polygon");
       },
       {"CP009"}},  // TS001 compares case-insensitively and still passes
      {"CP010",
       "WORM storage with a 7-year retention",
       [](Mutator& m) { m.replace("02_audit_logging/worm_storage/worm_storage.py", "10", "7"); },
       {"CP010"}},
      {"CP011",
       "a committed API token",
       [](Mutator& m) { m.add("12_tooling/config/settings.py", "API_TOKEN = \"abcdefghijklmnopqrstuvwxyz\"\n"); },
       {"CP011"}},
      {"CP012",
       "rotation every 30 days",
       [](Mutator& m) { m.replace("15_infra/key_management/secret_rotation.yaml", "90", "30"); },
       {"CP012"}},
      // ---- SOT-V2-0091..0094
      {"SOT-V2-0091",
       "grundprinzipien without allowed_root_files",
       [](Mutator& m) { m.replace(k_grundprinzipien, "allowed_root_files", "root_file_list"); },
       {"SOT-V2-0091"}},
      {"SOT-V2-0092",
       "no structure_exceptions.yaml",
       [](Mutator& m) { m.remove("23_compliance/exceptions/structure_exceptions.yaml"); },
       {"SOT-V2-0092"}},
      {"SOT-V2-0093",
       "grundprinzipien without ausnahmen",
       [](Mutator& m) {
         m.replace(k_grundprinzipien, "Ausnahmen", "Exceptions").replace(k_grundprinzipien, "ausnahmen", "exceptions");
       },
       {"SOT-V2-0093"}},
      {"SOT-V2-0094",
       "no mandatory root module definition",
       [](Mutator& m) { m.remove("16_codex/structure/verbindliche_root_module.yaml"); },
       {"SOT-V2-0094"}},
      // ---- CE
      {"CE001",
       "no country configs and no code under 23_compliance",
       [](Mutator& m) {
         m.move(k_rego, "19_adapters/policies/jurisdiction_blacklist.rego")
             .move(k_sanctions_py, "19_adapters/sanctions/build_sanctions_entities.py");
       },
       // CE008 and TS005 read the .rego files under 23_compliance too.
       {"CE001", "CE008", "TS005"}},
      {"CE002",
       "no has_substr helper",
       [](Mutator& m) { m.replace(k_rego, "has_substr", "contains_part"); },
       {"CE002"}},
      {"CE003",
       "sanctions workflow neither daily nor at 03:15",
       [](Mutator& m) {
         m.replace(".github/workflows/sanctions_daily.yml", "15 3 * * *", "15 3 * * 1")
             .replace(".github/workflows/sanctions_daily.yml", "Daily", "Weekly")
             .replace(".github/workflows/sanctions_daily.yml", "daily", "weekly");
       },
       {"CE003"}},
      {"CE004",
       "no entities_to_check.json",
       [](Mutator& m) { m.remove("23_compliance/sanctions/entities_to_check.json"); },
       {"CE004"}},
      {"CE006",
       "a root without its incident response plan",
       [](Mutator& m) { m.remove("05_documentation/docs/incident_response_plan.md"); },
       {"CE006"}},
      {"CE007",
       "a committed parquet file",
       [](Mutator& m) { m.add("22_datasets/raw/events.parquet", "PAR1"); },
       {"CE007"}},
      {"CE008",
       "no repo_scan.json",
       [](Mutator& m) { m.remove("24_meta_orchestration/registry/generated/repo_scan.json"); },
       {"CE008"}},
      // ---- TS
      {"TS001",
       "anchoring without Polygon",
       [](Mutator& m) { m.replace(k_anchor, "Polygon", "Gnosis").replace(k_anchor, "polygon", "gnosis"); },
       {"TS001"}},
      {"TS002",
       "no verifiable-credential definitions",
       [](Mutator& m) { m.remove("09_meta_identity/credentials/verifiable_credentials.yaml"); },
       {"TS002"}},
      {"TS003", "no IPFS storage", [](Mutator& m) { m.remove("18_data_layer/ipfs/ipfs_storage.yaml"); }, {"TS003"}},
      {"TS004",
       "no smart contract",
       [](Mutator& m) { m.remove("20_foundation/smart_contracts/ProofRegistry.sol"); },
       {"TS004"}},
      {"TS005",
       "no OPA policy under 23_compliance",
       [](Mutator& m) { m.move(k_rego, "19_adapters/policies/jurisdiction_blacklist.rego"); },
       {"TS005", "CE008"}},  // CE008 reads the same policies
      // ---- DC
      {"DC002",
       "no staging environment",
       [](Mutator& m) { m.remove("04_deployment/environments/staging.yaml"); },
       {"DC002"}},
      {"DC003",
       "CI without a test gate",
       [](Mutator& m) { m.replace(k_ci, "  test:", "  unit:").replace(k_ci, "needs: test", "needs: unit"); },
       {"DC003"}},  // DC004 still finds "pytest"
      {"DC004",
       "no tests directory",
       [](Mutator& m) {
         for (const char* f : {"test_validators.py", "test_models.py", "test_scoring.py"})
           m.move(std::string("03_core/shards/01_identitaet_personen/implementations/python-flask/tests/") + f,
                  std::string("03_core/shards/01_identitaet_personen/implementations/python-flask/checks/") + f);
       },
       {"DC004"}},
      // ---- MD-POLICY / MD-PRINC / MD-GOV / MD-EXT
      {"MD-POLICY-009",
       "a second, random-based hash module",
       [](Mutator& m) {
         m.add("03_core/hashing/random_hash_ids.py", "import random\n\ndef new_id():\n    return random.random()\n");
       },
       {"MD-POLICY-009"}},
      {"MD-POLICY-012",
       "data policy without purpose limitation",
       [](Mutator& m) { m.replace(k_data_policy, "Purpose", "Use").replace(k_data_policy, "purpose", "use"); },
       {"MD-POLICY-012"}},
      {"MD-POLICY-023",
       "anchoring without an hourly schedule",
       [](Mutator& m) {
         m.replace(k_anchor, "hour", "day").replace(k_anchor, "3600", "86400").replace(k_anchor, "cron", "timer");
       },
       {"MD-POLICY-023"}},
      {"MD-POLICY-027",
       "a second crypto module without AES-256-GCM",
       [](Mutator& m) {
         m.add("03_core/crypto/legacy_crypto.py", "def xor(a, b):\n    return bytes(x ^ y for x, y in zip(a, b))\n");
       },
       {"MD-POLICY-027"}},
      {"MD-POLICY-028",
       "mTLS at TLS 1.2",
       [](Mutator& m) { m.replace("15_infra/tls/mtls.yaml", "1.3", "1.2"); },
       {"MD-POLICY-028"}},
      {"MD-PRINC-007",
       "a second access file without roles",
       [](Mutator& m) { m.add("14_zero_time_auth/rbac/access_log.yaml", "entries: []\n"); },
       {"MD-PRINC-007"}},
      {"MD-PRINC-009",
       "no scheduled scan and only three workflows",
       [](Mutator& m) {
         m.remove(".github/workflows/security_scan.yml")
             .write("12_tooling/security/security_scan.yaml", "scanner: trivy\nseverity: [CRITICAL, HIGH]\n");
       },
       {"MD-PRINC-009"}},
      {"MD-PRINC-013",
       "alert rules without Alertmanager",
       [](Mutator& m) {
         m.write("17_observability/prometheus/prometheus_alerts.yaml", "groups:\n  - name: ssid-availability\n");
       },
       {"MD-PRINC-013"}},
      {"MD-PRINC-018",
       "ingress files that configure no load balancing",
       [](Mutator& m) {
         m.write("15_infra/edge/ingress.yaml", "edge:\n  class: nginx\n")
             .write("03_core/shards/01_identitaet_personen/implementations/python-flask/helm/templates/ingress.yaml",
                    "# disabled\n");
       },
       {"MD-PRINC-018"}},
      {"MD-PRINC-019",
       "cache without expiry",
       [](Mutator& m) { m.write("15_infra/caching/cache_config.yaml", "cache:\n  backend: redis\n"); },
       {"MD-PRINC-019"}},
      {"MD-PRINC-020",
       "benchmarks without gates",
       [](Mutator& m) { m.write("11_test_simulation/benchmarks/performance_gates.yaml", "benchmarks: []\n"); },
       {"MD-PRINC-020"}},
      {"MD-GOV-005",
       "governance doc without the compliance team",
       [](Mutator& m) { m.write("07_governance_legal/governance/compliance_review.md", "# Reviews\n"); },
       {"MD-GOV-005"}},
      {"MD-GOV-006",
       "constraints not approved",
       [](Mutator& m) { m.write("07_governance_legal/constraints_approval.yaml", "constraints: []\n"); },
       {"MD-GOV-006"}},
      {"MD-GOV-007",
       "no threat model",
       [](Mutator& m) { m.write("07_governance_legal/security/threat_model.md", "# Security notes\n"); },
       {"MD-GOV-007"}},
      {"MD-GOV-008",
       "a change process with four steps",
       [](Mutator& m) { m.write("07_governance_legal/change_process.md", "proposal, review, approval, deploy\n"); },
       {"MD-GOV-008"}},
      {"MD-GOV-009",
       "SLA without 99.5 or 99.9",
       [](Mutator& m) { m.write("17_observability/sla/sla.yaml", "availability: 98\nwindow_days: 90\n"); },
       {"MD-GOV-009"}},
      {"MD-GOV-010",
       "coverage file without 95 or contracts",
       [](Mutator& m) { m.write("11_test_simulation/coverage/contract_test_coverage.yaml", "unit: 80\n"); },
       {"MD-GOV-010"}},
      {"MD-GOV-011",
       "promotion criteria without docs",
       [](Mutator& m) { m.write("07_governance_legal/maturity_promotion.md", "beta, feature complete\n"); },
       {"MD-GOV-011"}},
      {"MD-EXT-012",
       "no string_similarity helper",
       [](Mutator& m) { m.replace(k_rego, "string_similarity", "name_score"); },
       {"MD-EXT-012"}},
      {"MD-EXT-014",
       "quarterly audit without a schedule",
       [](Mutator& m) { m.replace(k_quarterly, "schedule", "workflow_dispatch"); },
       {"MD-EXT-014"}},
      {"MD-EXT-015",
       "workflows without upload-artifact@v4",
       [](Mutator& m) {
         m.replace(k_ci, "upload-artifact@v4", "upload-artifact@v2")
             .replace(k_quarterly, "upload-artifact@v4", "upload-artifact@v2");
       },
       {"MD-EXT-015"}},
      {"MD-EXT-018",
       "sanctions matching without sha256",
       [](Mutator& m) { m.write(k_sanctions_py, "def normalise(name):\n    return name.casefold()\n"); },
       {"MD-EXT-018"}},
      // ---- enumerated families whose ids differ only in a literal
      {"HASH_ALG_001",
       "no SHA3-256 in the hash module",
       [](Mutator& m) { m.replace(k_hash_utils, "SHA3-256", "SHA3_256"); },
       {"HASH_ALG_001"}},
      {"HASH_ALG_002", "no BLAKE3", [](Mutator& m) { m.replace(k_hash_utils, "BLAKE3", "BLAKE2"); }, {"HASH_ALG_002"}},
      {"HASH_ALG_003",
       "no SHA-256",
       [](Mutator& m) { m.replace(k_hash_utils, "SHA-256", "SHA2-256"); },
       {"HASH_ALG_003"}},
      {"HASH_ALG_004",
       "no SHA-512",
       [](Mutator& m) { m.replace(k_hash_utils, "SHA-512", "SHA2-512"); },
       {"HASH_ALG_004"}},
  };
  const char* codes[] = {"IR", "KP", "SY", "CU", "SD", "BY", "VE"};
  for (int i = 0; i < 7; ++i) {
    const std::string code = codes[i];
    const std::string id = "JURIS_BL_00" + std::to_string(i + 1);
    cases.push_back({id,
                     "the policy no longer names " + code,
                     [code](Mutator& m) {
                       m.replace(k_rego, "\"" + code + "\"", "\"ZZ\"").replace(k_rego, " " + code + " ", " ZZ ");
                     },
                     {id}});
  }
  const char* networks[] = {"ethereum", "polygon", "arbitrum", "optimism", "base", "avalanche"};
  for (int i = 0; i < 6; ++i) {
    const std::string net = networks[i];
    const std::string id = "NETWORK_00" + std::to_string(i + 1);
    cases.push_back({id,
                     "the network config no longer names " + net,
                     [net](Mutator& m) {
                       std::string text = m.text(k_network);
                       std::string lower = text;
                       for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                       // Drop every line that names the network in any case.
                       std::string kept, line;
                       std::size_t start = 0;
                       while (start < text.size()) {
                         std::size_t end = text.find('\n', start);
                         if (end == std::string::npos) end = text.size();
                         if (lower.substr(start, end - start).find(net) == std::string::npos)
                           kept += text.substr(start, end - start) + "\n";
                         start = end + 1;
                       }
                       m.write(k_network, kept);
                     },
                     {id}});
  }
  const char* methods[] = {"did:ethr", "did:key", "did:web", "did:ion"};
  for (int i = 0; i < 4; ++i) {
    const std::string method = methods[i];
    const std::string id = "DID_METHOD_00" + std::to_string(i + 1);
    cases.push_back({id,
                     "the DID config no longer names " + method,
                     [method](Mutator& m) { m.replace(k_did, method, "did:none"); },
                     {id}});
  }
  // Families whose ids share one file: removing it fails the whole family, which is the shared input.
  struct Shared {
    std::string prefix;
    int n;
    std::string file;
  };
  for (const Shared& s : {Shared{"PROP_TYPE", 7, "20_foundation/dao/dao_proposals.yaml"},
                          Shared{"TIER1_MKT", 7, "23_compliance/markets/tier1_market_compliance.yaml"},
                          Shared{"REWARD_POOL", 5, "20_foundation/tokenomics/reward_pools.yaml"},
                          Shared{"AUTH_METHOD", 6, "14_zero_time_auth/methods/auth_methods.yaml"},
                          Shared{"PII_CAT", 10, "03_core/privacy/pii_categories.yaml"}}) {
    for (const auto& id : family(s.prefix, s.n))
      cases.push_back({id, "no " + s.file, [file = s.file](Mutator& m) { m.remove(file); }, family(s.prefix, s.n)});
  }
  // RETENTION reads *retention*.{py,yaml,yml}; as JSON the file still serves CP004 (*retention*.json).
  for (const auto& id : family("RETENTION", 5))
    cases.push_back({id, "the retention config as JSON",
                     [](Mutator& m) { m.move(k_retention, "03_core/privacy/raw_data_retention.json"); },
                     family("RETENTION", 5)});
  return cases;
}

std::string set_text(const std::set<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return "{" + out + "}";
}

TEST(ContentRulesStrict, TheSmallScaffoldPassesEveryRule) {
  MemoryTree tree = base_tree();
  EXPECT_EQ(set_text(testing::run_catalog(tree, Profile::strict).not_passing()), "{}");
}

TEST(ContentRulesStrict, EveryOwnedRuleHasAMutation) {
  std::set<std::string> covered;
  for (const auto& c : strict_cases()) covered.insert(c.id);
  std::set<std::string> owned;
  for (const auto& rule : testing::builtin_catalog().rules) {
    const std::string& f = rule.family;
    const bool mine = f == "CP" || f == "JURIS_BL" || f == "CE" || f == "TS" || f == "DC" || f == "MD-POLICY" ||
                      f == "MD-PRINC" || f == "MD-GOV" || f == "MD-EXT" || f == "PROP_TYPE" || f == "TIER1_MKT" ||
                      f == "REWARD_POOL" || f == "NETWORK" || f == "AUTH_METHOD" || f == "PII_CAT" || f == "HASH_ALG" ||
                      f == "RETENTION" || f == "DID_METHOD" || (rule.id >= "SOT-V2-0091" && rule.id <= "SOT-V2-0094");
    // CE005 and DC001 are YAML field rules (their own tests).
    if (mine && rule.id != "CE005" && rule.id != "DC001") owned.insert(rule.id);
  }
  EXPECT_EQ(owned.size(), 114u);
  EXPECT_EQ(set_text(covered), set_text(owned));
}

class ContentRuleMutation : public ::testing::TestWithParam<Case> {};

TEST_P(ContentRuleMutation, BreaksExactlyItsRuleAndTheRulesSharingItsInput) {
  const Case& c = GetParam();
  MemoryTree tree = base_tree();
  Mutator mutator(tree);
  c.apply(mutator);
  const auto result = testing::run_catalog(tree, Profile::strict);
  // The unmutated scaffold passes everything (TheSmallScaffoldPassesEveryRule), so these are all the mutation's.
  EXPECT_EQ(set_text(result.not_passing()), set_text(c.expected)) << c.id << ": " << c.what;
  EXPECT_EQ(result.at(c.id).status, Status::fail) << result.at(c.id).message << " " << result.at(c.id).evidence.dump();
  for (const auto& v : result.verdicts)
    if (v.status == Status::fail) {
      EXPECT_FALSE(v.findings.empty()) << v.rule_id << " fails without findings";
    }
}

INSTANTIATE_TEST_SUITE_P(Strict, ContentRuleMutation, ::testing::ValuesIn(strict_cases()),
                         [](const ::testing::TestParamInfo<Case>& param_info) {
                           std::string name = param_info.param.id;
                           for (auto& ch : name)
                             if (ch == '-') ch = '_';
                           return name;
                         });


// ---------------------------------------------------------------- the fused content scan

/// Every verdict of the catalog on `tree`, computed twice: with the image's
/// fused content scan (as `validate` runs) and with every check scanning the
/// text itself. The scan is an optimisation; it must never change a verdict.
void expect_fused_scan_agrees(MemoryTree& tree, const std::string& what) {
  for (const Profile profile : {Profile::strict, Profile::reference}) {
    const auto fused = testing::run_catalog(tree, profile, {}, 0, true);
    const auto direct = testing::run_catalog(tree, profile, {}, 0, false);
    ASSERT_EQ(fused.verdicts.size(), direct.verdicts.size());
    for (std::size_t i = 0; i < fused.verdicts.size(); ++i) {
      const exec::Verdict& f = fused.verdicts[i];
      const exec::Verdict& d = direct.verdicts[i];
      EXPECT_EQ(f.status, d.status) << what << " " << f.rule_id;
      EXPECT_EQ(f.message, d.message) << what << " " << f.rule_id;
      EXPECT_EQ(f.evidence.dump(), d.evidence.dump()) << what << " " << f.rule_id;
      EXPECT_EQ(f.findings, d.findings) << what << " " << f.rule_id;  // lines and columns included
    }
  }
}

TEST(FusedContentScan, AgreesWithDirectScanningOnTheScaffold) {
  MemoryTree tree = base_tree();
  expect_fused_scan_agrees(tree, "scaffold");
}

TEST(FusedContentScan, AgreesWithDirectScanningWhenEveryContentRuleIsBroken) {
  MemoryTree tree = base_tree();
  Mutator mutator(tree);
  std::size_t applied = 0;
  for (const Case& c : strict_cases()) {
    try {  // later mutations may need a file an earlier one removed; those are skipped
      c.apply(mutator);
      ++applied;
    } catch (const std::exception&) {
    }
  }
  EXPECT_GT(applied, 60u);
  const auto failing = testing::run_catalog(tree, Profile::strict).not_passing();
  EXPECT_GT(failing.size(), 60u) << "the mutations should break most content rules";
  expect_fused_scan_agrees(tree, "all mutations");
}

TEST(FusedContentScan, AgreesWithDirectScanningOnAwkwardText) {
  // CRLF and lone CR (universal newlines), bytes that are not UTF-8 (dropped, or a strict decode error),
  // an unreadable file and a directory named like a module: each takes a different path through read_text.
  MemoryTree tree = base_tree();
  Mutator mutator(tree);
  const std::string gdpr = scaffold_files().at(k_gdpr);
  std::string crlf;
  for (const char c : gdpr) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  mutator.write(k_gdpr, crlf);
  mutator.write(k_anchor, "\xff\xfe" + scaffold_files().at(k_anchor) + "\rpassword = 'hunter2'\r");
  mutator.write(k_data_policy, scaffold_files().at(k_data_policy) + "\n# caf\xc3\xa9 \xc3\n");
  tree.fail(k_sanctions_py, EACCES);
  tree.add_dir("03_core/hashing/legacy_hash.py");
  expect_fused_scan_agrees(tree, "awkward text");
}

// ---------------------------------------------------------------- reference-profile quirks

/// Evaluates `ids` on `tree` as `validate` would, with the repository at `root_path`.
std::map<std::string, exec::Verdict> run_ids(MemoryTree& tree, Profile profile, const std::vector<std::string>& ids,
                                             const std::string& root_path = "/repo") {
  exec::PipelineOptions options;
  options.profile = profile;
  options.selection.select = ids;
  options.image.root_path = root_path;
  std::map<std::string, exec::Verdict> out;
  for (auto& v : testing::pipeline_verdicts(testing::builtin_catalog(), tree, options)) out[v.rule_id] = std::move(v);
  return out;
}

exec::Verdict run_one(MemoryTree& tree, Profile profile, const std::string& id, const std::string& root = "/repo") {
  return run_ids(tree, profile, {id}, root).at(id);
}

TEST(ContentRulesReference, DeadBraceGlobsNeverMatchOrdinaryNames) {
  // docs/reference-compatibility.md#rc-1: the scaffold's tenant_pepper.yaml is invisible to `*pepper*.{py,yaml,yml}` in the reference.
  MemoryTree tree = base_tree();
  auto v = run_one(tree, Profile::reference, "CP003");
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "Tenant pepper strategy: 0 files, manager_found=False");
  EXPECT_EQ(run_one(tree, Profile::strict, "CP003").status, Status::pass);
  // Only a name that literally holds the braces matches.
  tree.add_file("03_core/privacy/tenant_pepper.{py,yaml,yml}", "strategy: per_tenant\n");
  v = run_one(tree, Profile::reference, "CP003");
  EXPECT_EQ(v.status, Status::pass);
  EXPECT_EQ(v.evidence["pepper_files"], nlohmann::ordered_json::array({"03_core/privacy/tenant_pepper.{py,yaml,yml}"}));
}

TEST(ContentRulesReference, DeadGlobsMakeSecretScanningAndSomeMdRulesAlwaysPass) {
  // docs/reference-compatibility.md#rc-1: CP011, MD-EXT-015 and MD-EXT-018 can never fail in the reference.
  MemoryTree tree = base_tree();
  Mutator(tree)
      .add("12_tooling/config/settings.py", "API_TOKEN = \"abcdefghijklmnopqrstuvwxyz\"\n")
      .replace(k_ci, "upload-artifact@v4", "upload-artifact@v2")
      .replace(k_quarterly, "upload-artifact@v4", "upload-artifact@v2")
      .write(k_sanctions_py, "def normalise(name):\n    return name\n");
  const auto reference = run_ids(tree, Profile::reference, {"CP011", "MD-EXT-015", "MD-EXT-018"});
  const auto strict = run_ids(tree, Profile::strict, {"CP011", "MD-EXT-015", "MD-EXT-018"});
  for (const char* id : {"CP011", "MD-EXT-015", "MD-EXT-018"}) {
    EXPECT_EQ(reference.at(id).status, Status::pass) << id;
    EXPECT_EQ(strict.at(id).status, Status::fail) << id;
  }
  EXPECT_EQ(reference.at("CP011").message, "Secret scanning: 0 potential secrets found");
  EXPECT_EQ(strict.at("CP011").evidence["violations"][0]["pattern"],
            "(?i)(password|secret|api[_-]?key|token)\\s*=\\s*[\"'][^\"']{10,}[\"']");
}

TEST(ContentRulesReference, JurisdictionCodesAreSubstringsInTheReference) {
  // docs/reference-compatibility.md#rc-9: `IR` inside `REQUIRED` blocks Iran in the reference; strict wants the word in a deny/block policy.
  MemoryTree tree = base_tree();
  Mutator(tree).write(k_rego, "package ssid.compliance\n\nrequired := input.REQUIRED_FIELDS\n");
  const auto v = run_one(tree, Profile::reference, "JURIS_BL_001");
  EXPECT_EQ(v.status, Status::pass);
  EXPECT_EQ(v.message, "Iran (IR) blocking: 1 policy files, implemented=True");
  EXPECT_EQ(v.evidence["jurisdiction"], "IR - Iran");
  EXPECT_EQ(v.evidence["reason"], "OFAC Comprehensive Sanctions");
  EXPECT_EQ(run_one(tree, Profile::strict, "JURIS_BL_001").status, Status::fail);
}

TEST(ContentRulesReference, Cp004AcceptsAnyZeroAndCp010AnyTen) {
  // docs/reference-compatibility.md#rc-9 (with names whose braces the reference reads literally, since its CP004 glob is dead).
  MemoryTree tree = base_tree();
  tree.add_file("03_core/privacy/raw_retention.{yaml,yml,json}", "retention_days: 30\n");
  EXPECT_EQ(run_one(tree, Profile::reference, "CP004").status, Status::pass);
  Mutator(tree).write(k_retention, "retention_days: 30\n");
  EXPECT_EQ(run_one(tree, Profile::strict, "CP004").status, Status::fail);

  MemoryTree worm = base_tree();
  Mutator(worm).replace("02_audit_logging/worm_storage/worm_storage.py", "10", "100");
  EXPECT_EQ(run_one(worm, Profile::reference, "CP010").status, Status::pass);
  EXPECT_EQ(run_one(worm, Profile::strict, "CP010").status, Status::fail);
}

TEST(ContentRulesReference, OnlyTheFirstNFilesAreRead) {
  // docs/reference-compatibility.md#rc-5, #rc-6: CE002 reads the first 20 .rego files in walk order; the scaffold's one comes after 20 others.
  MemoryTree tree = base_tree();
  for (int i = 0; i < 20; ++i) tree.add_file("00_policies/p" + std::to_string(10 + i) + ".rego", "package p\n");
  auto v = run_one(tree, Profile::reference, "CE002");
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "OPA naming convention: 0 files using has_substr()");
  EXPECT_EQ(run_one(tree, Profile::strict, "CE002").status, Status::pass);
  // HASH_ALG: the first 10 *hash*.py.
  MemoryTree hashes = base_tree();
  for (int i = 0; i < 10; ++i) hashes.add_file("00_tools/t" + std::to_string(i) + "_hash.py", "pass\n");
  EXPECT_EQ(run_one(hashes, Profile::reference, "HASH_ALG_002").status, Status::fail);
  EXPECT_EQ(run_one(hashes, Profile::strict, "HASH_ALG_002").status, Status::pass);
}

TEST(ContentRulesReference, RatiosDivideTheSampleByEveryFileFound) {
  // docs/reference-compatibility.md#rc-5: 30 matching files, every one deterministic; the reference evaluates 20 and divides by 30.
  MemoryTree tree = base_tree();
  for (int i = 0; i < 30; ++i)
    tree.add_file("03_core/hashing/h" + std::to_string(10 + i) + "_hash.{py,js,ts,go}", "sha256\n");
  const auto v = run_one(tree, Profile::reference, "MD-POLICY-009");
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "Deterministic hashing: 20/30 implementations");
  EXPECT_EQ(run_one(tree, Profile::strict, "MD-POLICY-009").status, Status::pass);
}

TEST(ContentRulesReference, Ce007DropsEverythingWhenTheCheckoutPathContainsDotGit) {
  // docs/reference-compatibility.md#rc-17: the reference tests `.git` against the absolute path.
  MemoryTree tree = base_tree();
  tree.add_file("22_datasets/raw/events.parquet", "PAR1");
  tree.add_file(".github/cache/state.db", "SQLite");
  const std::string runner = "/home/ci/.github-runner/work/ssid";
  EXPECT_EQ(run_one(tree, Profile::reference, "CE007", runner).status, Status::pass);
  const auto ordinary = run_one(tree, Profile::reference, "CE007");
  EXPECT_EQ(ordinary.status, Status::fail);
  EXPECT_EQ(ordinary.evidence["violations"], nlohmann::ordered_json::array({"22_datasets/raw/events.parquet"}));
  const auto strict = run_one(tree, Profile::strict, "CE007", runner);
  EXPECT_EQ(strict.status, Status::fail);
  EXPECT_EQ(strict.message, "Forbidden file types: 2 violations found");
  EXPECT_EQ(strict.evidence["forbidden_extensions"],
            nlohmann::ordered_json::array({".ipynb", ".parquet", ".sqlite", ".db"}));
}

TEST(ContentRulesReference, HiddenAndVendoredDirectoriesAreSearched) {
  // docs/reference-compatibility.md#rc-10, #rc-11: the reference scans .git and .venv; strict never enters .git and skips .venv.
  MemoryTree tree = base_tree();
  tree.add_file(".git/hooks/store_user.py", "store(user.name)\n");
  tree.add_file(".venv/lib/site/cache_store.py", "store(user.email)\n");
  const auto v = run_one(tree, Profile::reference, "CP001");
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "PII storage check: 2 potential violations found");
  EXPECT_EQ(v.evidence["violations"][0]["description"], "PII storage pattern");
  EXPECT_EQ(run_one(tree, Profile::strict, "CP001").status, Status::pass);
}

TEST(ContentRulesReference, UnguardedReadsEndTheRuleAsAnError) {
  // docs/reference-compatibility.md#rc-14: HASH_ALG reads every *hash*.py entry, a directory too; the reference dies, strict ignores directories.
  MemoryTree tree = base_tree();
  tree.add_dir("03_core/hashing/legacy_hash.py");
  const auto v = run_one(tree, Profile::reference, "HASH_ALG_001");
  EXPECT_EQ(v.status, Status::error);
  EXPECT_EQ(v.message, "Execution error: [Errno 21] Is a directory: '03_core/hashing/legacy_hash.py'");
  EXPECT_EQ(run_one(tree, Profile::strict, "HASH_ALG_001").status, Status::pass);
  // An unreadable anchoring module: ERROR in both profiles, naming the file (docs/findings.md).
  MemoryTree locked = base_tree();
  locked.fail(k_anchor, EACCES);
  EXPECT_EQ(run_one(locked, Profile::reference, "CP009").status, Status::error);
  const auto strict = run_one(locked, Profile::strict, "CP009");
  EXPECT_EQ(strict.status, Status::error);
  ASSERT_FALSE(strict.findings.empty());
  EXPECT_EQ(strict.findings[0].path, k_anchor);
}

TEST(ContentRulesReference, GuardedReadsSkipUnreadableFilesSilently) {
  // docs/reference-compatibility.md#rc-13: a module that cannot be read at all is neither skipped nor a
  // violation: CP001 is ERROR in both profiles with the OS reason (docs/findings.md).
  MemoryTree tree = base_tree();
  tree.fail(k_gdpr, EACCES);
  for (const Profile profile : {Profile::reference, Profile::strict}) {
    const auto v = run_one(tree, profile, "CP001");
    EXPECT_EQ(v.status, Status::error);
    ASSERT_FALSE(v.findings.empty());
    EXPECT_EQ(v.findings[0].path, k_gdpr);
    EXPECT_EQ(v.findings[0].actual, "Permission denied");
  }
}

TEST(ContentRulesReference, ConstantMessagesAreKeptWhenFailing) {
  // docs/reference-compatibility.md#rc-18: TIER1_MKT, AUTH_METHOD, PII_CAT and RETENTION print their positive text when they fail.
  MemoryTree tree = base_tree();
  const auto v =
      run_ids(tree, Profile::reference, {"TIER1_MKT_001", "AUTH_METHOD_004", "PII_CAT_010", "RETENTION_003"});
  EXPECT_EQ(v.at("TIER1_MKT_001").status, Status::fail);
  EXPECT_EQ(v.at("TIER1_MKT_001").message, "Tier 1 market US: compliance files present");
  EXPECT_EQ(v.at("AUTH_METHOD_004").message, "Auth method biometric_eidas: auth files present");
  EXPECT_EQ(v.at("PII_CAT_010").message, "PII category health_records: protection implemented");
  EXPECT_EQ(v.at("RETENTION_003").message, "Retention period audit_logs: policy present");
  EXPECT_EQ(v.at("RETENTION_003").evidence, nlohmann::ordered_json({{"period", "audit_logs"}}));
}

}  // namespace
}  // namespace sotcheck
