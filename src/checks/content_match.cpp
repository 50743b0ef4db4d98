// P7 `content_match` (docs/catalog-format.md): files of one or more queries
// tested with text predicates, aggregated by a quantifier. The predicates are
// offered to the fused content scan as probes; a file the scan has no value
// for is read and tested here.

#include <algorithm>

#include "read_failure.hpp"
#include "sotcheck/checks/check_constants.hpp"
#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/quantifier.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/checks/text_predicate.hpp"
#include "sotcheck/checks/text_read.hpp"

namespace sotcheck::checks {
namespace {

using json = nlohmann::ordered_json;

struct Part {
  std::shared_ptr<const FileQuery> query;
  std::shared_ptr<const TextPredicate> predicate;       // null: every file qualifies
  std::shared_ptr<const TextPredicate> flag_predicate;  // null: true
  bool needs_text = true;
  bool predicate_value = true;  // when !needs_text
  bool flag_value = true;       // when !needs_text
  std::uint64_t predicate_key = 0, flag_key = 0;  // fused-scan probe names (non-constant predicates)
};

std::uint64_t match_probe_key(const TextPredicate& predicate) {
  return probe_key("content_match:" + predicate.canonical());
}

/// A part predicate's value on `entry` without reading its text: absent (true), constant, or the fused scan's.
std::optional<bool> known_value(const snapshot::ImageView& image, std::uint32_t entry, const TextPredicate* predicate,
                                std::optional<std::uint32_t> probe) {
  if (predicate == nullptr) return true;
  bool value = false;
  if (predicate->constant(&value)) return value;
  if (!probe) return std::nullopt;
  const auto scanned = image.probe_value(entry, *probe);
  if (!scanned) return std::nullopt;
  return *scanned != 0;
}

class ContentMatch final : public Check {
 public:
  std::vector<Part> parts;
  TextRead read;
  Quantifier quantifier;
  bool join_text = false;
  bool stop_at_first = false;
  bool pass_on_flag = false;
  json constants;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    std::size_t found = 0, sampled = 0, matched = 0, violating = 0;
    bool flag = false;
    json found_files = json::array(), matched_files = json::array(), violating_files = json::array();
    json errors = json::array();
    std::string joined;
    bool joined_any = false;
    TextFile file;
    bool stop = false;
    for (const Part& part : parts) {
      const FileQuery::Matches m = part.query->run(image);
      // The fused scan's ids for this part's predicates (join_text reads whole texts, so it never uses them).
      std::optional<std::uint32_t> predicate_probe, flag_probe;
      if (!join_text && part.predicate) predicate_probe = image.probe_id(part.predicate_key);
      if (!join_text && part.flag_predicate) flag_probe = image.probe_id(part.flag_key);
      found += m.found.size();
      for (std::uint32_t e : m.found) found_files.push_back(std::string(image.path(e)));
      for (std::size_t i = 0; i < m.sampled && !stop; ++i) {
        const std::uint32_t entry = m.found[i];
        const std::string_view path = image.path(entry);
        ++sampled;
        bool satisfied = part.predicate_value;
        bool flagged = part.flag_value;
        std::optional<bool> scanned_satisfied, scanned_flag;
        if (part.needs_text && !join_text && scanned_text_usable(image, entry, read)) {
          scanned_satisfied = known_value(image, entry, part.predicate.get(), predicate_probe);
          scanned_flag = known_value(image, entry, part.flag_predicate.get(), flag_probe);
        }
        if (scanned_satisfied && scanned_flag) {
          satisfied = *scanned_satisfied;
          flagged = satisfied && (flag || *scanned_flag);
        } else if (part.needs_text) {
          read_text(image, entry, read, &file);
          if (!file.ok) {
            if (handle_read_failure(read, path, file.error, errors)) {
              ++violating;
              violating_files.push_back(std::string(path));
            }
            continue;
          }
          if (join_text) {
            // One predicate over the space-joined text of all sampled files (NETWORK, HASH_ALG, DID_METHOD).
            if (joined_any) joined += ' ';
            joined.append(file.text);
            joined_any = true;
            continue;
          }
          satisfied = !part.predicate || part.predicate->evaluate(file.text);
          flagged = satisfied && (!part.flag_predicate || flag || part.flag_predicate->evaluate(file.text));
        } else {
          flagged = satisfied && flagged;
        }
        if (satisfied) {
          ++matched;
          matched_files.push_back(std::string(path));
          flag = flag || flagged;
          stop = stop_at_first;
        } else {
          ++violating;
          violating_files.push_back(std::string(path));
        }
      }
    }
    if (join_text) {
      const Part& part = parts.front();
      const bool satisfied = !part.predicate || part.predicate->evaluate(joined);
      matched = satisfied ? 1 : 0;
      flag = satisfied && (!part.flag_predicate || part.flag_predicate->evaluate(joined));
    }
    Outputs out;
    out.passed = pass_on_flag ? flag : quantifier.passed(found, sampled, matched, violating);
    if (!out.passed) out.findings = findings_of(found, sampled, matched, matched_files, violating_files, errors);
    out.values["found"] = found;
    out.values["found_files"] = std::move(found_files);
    out.values["found_any"] = found > 0;
    out.values["sampled"] = sampled;
    out.values["matched"] = matched;
    out.values["matched_files"] = std::move(matched_files);
    out.values["matched_any"] = matched > 0;
    out.values["violation_count"] = violating;
    out.values["violating"] = std::move(violating_files);
    out.values["flag"] = flag;
    out.values["error_count"] = errors.size();
    add_constants(constants, out.values);
    if (!errors.empty()) out.notes["errors"] = std::move(errors);
    return out;
  }

  void content_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override {
    for (const Part& p : parts)
      if (p.needs_text) out->push_back(p.query);
  }

 private:
  std::string queries_text() const {
    std::string out;
    for (const Part& p : parts) {
      if (!out.empty()) out += " or ";
      out += p.query->describe();
    }
    return out;
  }
  std::string predicate_text(const std::shared_ptr<const TextPredicate>& predicate) const {
    return predicate ? predicate->describe() : std::string("exists");
  }

  /// Why the rule failed, file by file: the files that fall short (or, for `none`, the files that match);
  /// what was looked for when nothing was found.
  std::vector<Finding> findings_of(std::size_t found, std::size_t sampled, std::size_t matched,
                                   const json& matched_files, const json& violating_files, const json& errors) const {
    std::vector<Finding> out;
    const Part& first = parts.front();
    const std::string wanted = predicate_text(first.predicate);
    const std::string tally = std::to_string(matched) + "/" + std::to_string(sampled) + " files";
    if (pass_on_flag) {
      Finding f = make_finding(queries_text(), found == 0 ? FindingKind::missing : FindingKind::invalid_value,
                               found == 0 ? "no file matches " + queries_text()
                                          : "no file matching " + queries_text() + " has text that " +
                                                predicate_text(first.flag_predicate));
      f.expected = predicate_text(first.flag_predicate);
      out.push_back(std::move(f));
      return out;
    }
    if (quantifier.matches_offend()) {
      for (const auto& file : matched_files) {
        const std::string path = file.get<std::string>();
        Finding f = make_finding(path, FindingKind::forbidden_content,
                                 path + " has text that " + wanted + ": expected no file to");
        f.identity = wanted;
        out.push_back(std::move(f));
      }
    } else {
      for (const auto& file : violating_files) {
        const std::string path = file.get<std::string>();
        const bool read_failure = std::any_of(errors.begin(), errors.end(), [&](const json& e) { return e.at("file") == path; });
        if (read_failure) continue;  // said below, with the reason
        Finding f = make_finding(path, quantifier.kind == Quantifier::Kind::all ? FindingKind::invalid_value
                                                                                : FindingKind::below_threshold,
                                 path + " has no text that " + wanted + " (" + tally + " do; needs " +
                                     quantifier.requirement() + ")");
        f.expected = wanted;
        out.push_back(std::move(f));
      }
    }
    for (const auto& e : errors) out.push_back(unreadable_finding(e));
    if (out.empty()) {
      // Nothing to blame file by file: no file was found, or the joined text of the sample fell short.
      Finding f = make_finding(queries_text(), found == 0 ? FindingKind::missing : FindingKind::below_threshold,
                               found == 0 ? "no file matches " + queries_text()
                                          : "the files matching " + queries_text() + " fall short: " + tally +
                                                " have text that " + wanted + "; needs " + quantifier.requirement());
      f.expected = wanted;
      out.push_back(std::move(f));
    }
    return out;
  }

 public:

  // With join_text the predicate runs on the joined sample, so the bytes are needed; otherwise every part's
  // predicates are probes.
  void unprobed_content_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override {
    if (join_text) content_queries(out);
  }

  void content_probes(std::vector<ContentProbe>* out) const override {
    if (join_text) return;
    for (const Part& p : parts) {
      if (!p.needs_text) continue;
      for (const auto& [predicate, key] : {std::pair{p.predicate, p.predicate_key}, std::pair{p.flag_predicate, p.flag_key}}) {
        bool constant = false;
        if (!predicate || predicate->constant(&constant)) continue;
        out->push_back({p.query, key, predicate->atoms(), [predicate = predicate](const ProbeText& file) {
                          return predicate->evaluate(file.text, file.atoms_present) ? std::int32_t{1} : std::int32_t{0};
                        }});
      }
    }
  }
};

/// Parses one part (query, predicate, flag_predicate) from `params`.
bool parse_part(Params& params, Part* part) {
  part->query = FileQuery::parse(params, "query");
  const ParamNode predicate = params.node("predicate");
  if (predicate.is_defined()) part->predicate = TextPredicate::parse(params, predicate);
  const ParamNode flag = params.node("flag_predicate");
  if (flag.is_defined()) part->flag_predicate = TextPredicate::parse(params, flag);
  if (!part->query || (predicate.is_defined() && !part->predicate) || (flag.is_defined() && !part->flag_predicate))
    return false;
  const bool predicate_constant = !part->predicate || part->predicate->constant(&part->predicate_value);
  const bool flag_constant = !part->flag_predicate || part->flag_predicate->constant(&part->flag_value);
  part->needs_text = !(predicate_constant && flag_constant);
  if (part->predicate) part->predicate_key = match_probe_key(*part->predicate);
  if (part->flag_predicate) part->flag_key = match_probe_key(*part->flag_predicate);
  return true;
}

}  // namespace

std::unique_ptr<Check> make_content_match(Params& params) {
  auto check = std::make_unique<ContentMatch>();
  bool ok = true;
  const ParamNode parts = params.node("parts");
  const bool single = params.node("query").is_defined();
  if (parts.is_defined() == single) {
    params.error("content_match needs either 'query' (with 'predicate', 'flag_predicate') or 'parts'");
    return nullptr;
  }
  if (single) {
    Part part;
    ok = parse_part(params, &part);
    check->parts.push_back(std::move(part));
  } else {
    if (!parts.is_sequence() || parts.size() == 0) {
      params.error("'parts' must be a non-empty list of {query, predicate, flag_predicate}", parts);
      return nullptr;
    }
    for (const auto& node : parts) {
      Params sub(node, params.file(), params.diagnostics(), line_of(node) ? line_of(node) : params.fallback_line());
      sub.set_profile(params.profile());
      Part part;
      ok = parse_part(sub, &part) && ok;
      sub.finish();
      check->parts.push_back(std::move(part));
    }
  }
  check->read = TextRead::parse(params);
  check->quantifier = Quantifier::parse(params);
  check->join_text = params.boolean_or("join_text", false);
  check->stop_at_first = params.boolean_or("stop_at_first", false);
  check->pass_on_flag = params.choice("pass_on", {"quantifier", "flag"}, "quantifier") == "flag";
  check->constants = parse_constants(params);
  if (check->join_text && check->parts.size() != 1) {
    params.error("join_text works on a single query");
    ok = false;
  }
  if (!ok) return nullptr;
  return check;
}

}  // namespace sotcheck::checks
