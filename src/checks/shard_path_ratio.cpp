// P11 `shard_path_ratio` (docs/catalog-format.md, MD-STRUCT-009): the share
// of shard folders under the first roots that hold a given file, against an
// exact ratio.

#include "sotcheck/checks/file_error.hpp"
#include "sotcheck/checks/quantifier.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/checks/scope.hpp"

namespace sotcheck::checks {
namespace {

using json = nlohmann::ordered_json;

class ShardPathRatio final : public Check {
 public:
  std::shared_ptr<const RE2> root_regex, shard_regex;  // shard_regex may be null: any name
  std::size_t max_roots = 0, max_shards = 0;           // 0 = all
  std::string container, file;
  Ratio ratio;
  bool strict = false;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    std::size_t expected = 0, valid = 0;
    json errors = json::array();
    std::vector<Finding> lacking;
    auto roots = child_dirs(image, 0, root_regex.get());
    if (max_roots != 0 && roots.size() > max_roots) roots.resize(max_roots);
    for (const auto& root : roots) {
      const auto holder = image.lookup(root.entry, container);
      if (!holder || !image.exists_following_links(*holder)) continue;
      if (!image.is_dir_following_links(*holder)) {
        const std::string absolute = std::string(image.root_path()) + "/" + std::string(image.path(*holder));
        const std::string text = "[Errno 20] Not a directory: '" + absolute + "'";
        // The reference's iterdir() raises out of the whole run (docs/reference-compatibility.md#rc-14): an ERROR verdict here.
        if (!strict) throw FileError(text, std::string(image.path(*holder)));
        errors.push_back({{"file", std::string(image.path(*holder))}, {"error", text}});
        lacking.push_back(make_finding(std::string(image.path(*holder)), FindingKind::unreadable,
                                       std::string(image.path(*holder)) + " is not a folder: expected the shards in it"));
        continue;
      }
      auto shards = child_dirs(image, *holder, shard_regex.get());
      if (max_shards != 0 && shards.size() > max_shards) shards.resize(max_shards);
      for (const auto& shard : shards) {
        ++expected;
        const auto chart = image.lookup(shard.entry, file);
        if (chart && image.exists_following_links(*chart)) {
          ++valid;
        } else {
          lacking.push_back(make_finding(std::string(image.path(shard.entry)) + "/" + file, FindingKind::missing, ""));
        }
      }
    }
    Outputs out;
    out.passed = expected > 0 && ratio.reached(valid, expected);
    if (!out.passed) {
      const std::string bar =
          std::to_string(valid) + "/" + std::to_string(expected) + " shards have " + file + "; needs at least " +
          ratio.percent_text();
      for (auto& f : lacking) {
        if (f.kind != FindingKind::missing) continue;
        f.message = "no " + file + " in " + f.path.substr(0, f.path.size() - file.size() - 1) + " (" + bar + ")";
        f.expected = "at least " + ratio.percent_text();
        f.actual = std::to_string(valid) + "/" + std::to_string(expected);
      }
      if (expected == 0)
        lacking.push_back(make_finding(std::string(k_repository_path), FindingKind::missing,
                                       "no shard folders found: expected each to hold " + file));
      else if (lacking.empty())
        lacking.push_back(make_finding(std::string(k_repository_path), FindingKind::below_threshold, bar));
      out.findings = std::move(lacking);
    }
    out.values["valid_paths"] = valid;
    out.values["total_expected"] = expected;
    if (!errors.empty()) out.notes["errors"] = std::move(errors);
    return out;
  }
};

std::size_t count_or_all(Params& params, const std::string& key, std::size_t fallback) {
  const ParamNode node = params.node(key);
  if (!node.is_defined() || node.is_null()) return fallback;
  if (node.is_scalar() && node.scalar() == "all") return 0;
  if (const auto n = node.to_integer(); n && *n > 0) return static_cast<std::size_t>(*n);
  params.error("'" + key + "' must be 'all' or a positive integer", node);
  return fallback;
}

}  // namespace

std::unique_ptr<Check> make_shard_path_ratio(Params& params) {
  auto check = std::make_unique<ShardPathRatio>();
  check->strict = params.profile() == Profile::strict;
  check->root_regex = params.regex("root_regex");
  const std::string shard_regex = params.string_or("shard_regex", "");
  if (!shard_regex.empty()) check->shard_regex = params.regex("shard_regex");
  check->max_roots = count_or_all(params, "max_roots", 0);
  check->max_shards = count_or_all(params, "max_shards", 0);
  check->container = params.string_or("container", "shards");
  check->file = params.string_or("file", "chart.yaml");
  const ParamNode ratio = params.node("ratio");
  const auto parsed = ratio.is_scalar() ? Ratio::parse(ratio.scalar()) : std::nullopt;
  if (!parsed) {
    params.error("'ratio' must be a non-negative decimal number", ratio);
  } else {
    check->ratio = *parsed;
  }
  if (!check->root_regex || !parsed) return nullptr;
  return check;
}

}  // namespace sotcheck::checks
