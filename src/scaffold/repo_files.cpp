// Repository-wide files: what the content rules look for, in the places an SSID tree keeps them (the fixed
// texts are the templates under src/scaffold/templates/repo/; the generated ledgers and scans are here). Each file
// is named so that it matches exactly the rule globs it is meant for (strict profile: braces expanded, every
// file evaluated) and no ratio rule it is not written for; docs/scaffold.md has the rule -> file table.
//
// Ratio rules evaluate every file whose name matches, so a name decides obligations: any *hash*.py must
// mention sha3/sha256 (MD-POLICY-009), *anchor*.py an hourly schedule (MD-POLICY-023), *{encrypt,crypto,
// cipher}*.py AES-256-GCM (MD-POLICY-027), *{tls,ssl,https,mtls}*.yaml TLS 1.3 (MD-POLICY-028),
// *{policy,purpose,consent}*.{py,rego,yaml} purpose limitation (MD-POLICY-012), *{rbac,role,permission,
// access}*.{py,rego,yaml} roles and permissions (MD-PRINC-007), *sanction*.py sha256 (MD-EXT-018). The
// generated implementation code never uses those words in file names.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "embedded_templates.hpp"
#include "plan.hpp"

namespace sotcheck::scaffold::detail {

namespace {

// The fixed files are the templates under repo/ (src/scaffold/templates/repo/), identical for every size and
// seed, each at the path it has below repo/. A path segment "dot-NAME" stands for ".NAME": hidden files kept
// hidden in the source tree would be live (a .gitignore there would apply to the sources).
std::string output_path(std::string_view template_path) {
  std::string path;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = template_path.find('/', start);
    std::string_view segment = template_path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (segment.starts_with("dot-")) {
      path += '.';
      segment.remove_prefix(4);
    }
    path += segment;
    if (slash == std::string_view::npos) return path;
    path += '/';
    start = slash + 1;
  }
}

// Written in byte-wise order of their paths: hidden entries first (.github, .gitignore, .pre-commit-config.yaml:
// the only non-root entries AR009 allows at the top level), then by root.
void add_fixed_files(TreePlan& plan) {
  constexpr std::string_view k_prefix = "repo/";
  std::vector<std::pair<std::string, std::string_view>> files;
  for (const auto& entry : templates_under(k_prefix))
    files.emplace_back(output_path(entry.name.substr(k_prefix.size())), entry.text);
  std::sort(files.begin(), files.end());
  for (auto& [path, text] : files) plan.add_file(std::move(path), std::string(text));
}

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
  add_fixed_files(plan);
  const bool large = size == Size::large;
  plan.add_file("02_audit_logging/ledger/hash_ledger.jsonl",
                hash_ledger_jsonl(derive_seed(seed, "hash_ledger"), large ? 4000 : 64));
  plan.add_file("23_compliance/sanctions/entities_to_check.json",
                entities_to_check_json(derive_seed(seed, "entities"), large ? 2000 : 32));
  plan.add_file("24_meta_orchestration/registry/generated/repo_scan.json", repo_scan_json(size, seed));
}

}  // namespace sotcheck::scaffold::detail
