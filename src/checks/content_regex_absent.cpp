// P8 `content_regex_absent` (docs/catalog-format.md): no file of a query may
// match any regex of a list. Regexes are compiled once into an RE2::Set, with
// a literal prefilter (RE2's FilteredRE2) that settles most files by their
// atoms alone; the fused content scan runs the same search while the image is
// built and stores the first hit's regex and position.

#include <algorithm>
#include <limits>

#include <re2/filtered_re2.h>
#include <re2/set.h>

#include "read_failure.hpp"
#include "sotcheck/checks/check_constants.hpp"
#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/literal_search.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/checks/text_read.hpp"

namespace sotcheck::checks {
namespace {

using json = nlohmann::ordered_json;

/// Columns at or past this are stored as unknown in a packed content position.
constexpr long long k_column_span = 1024;

/// 1-based line and column (in code points) of byte `offset` of `text`.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  std::size_t column = 1;
  for (std::size_t i = start; i < offset; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  return {line, column};
}

struct AbsentRegex {
  std::string pattern;  // the text evidence prints (the reference's regex source)
  std::optional<std::string> description;
  std::unique_ptr<RE2> re;  // fallback when the set's DFA gives up
};

class ContentRegexAbsent final : public Check {
 public:
  std::shared_ptr<const FileQuery> query;
  TextRead read;
  std::vector<AbsentRegex> regexes;
  std::unique_ptr<RE2::Set> set;
  // Literal prefilter (RE2's FilteredRE2): the lowercase atoms some regex needs. A file that holds none of the
  // atoms a regex requires cannot match it, so most files are settled by a few fast literal scans instead of a
  // full DFA pass (CP011 in strict reads ~90 MB on a large tree).
  std::unique_ptr<re2::FilteredRE2> filter;
  std::vector<std::string> atoms;
  json constants;
  std::uint64_t scan_key = 0;  // fused-scan probe name: the regex list and its case mode

  /// Builds the prefilter; leaves it off when some regex has no atoms or an atom is not ASCII.
  void build_filter(const RE2::Options& options) {
    auto f = std::make_unique<re2::FilteredRE2>(3);
    for (const AbsentRegex& r : regexes) {
      int id = 0;
      if (f->Add(r.re->pattern(), options, &id) != RE2::NoError) return;
    }
    f->Compile(&atoms);
    std::vector<int> always;
    f->AllPotentials({}, &always);
    const bool ascii = std::all_of(atoms.begin(), atoms.end(), [](const std::string& a) {
      return !a.empty() && std::all_of(a.begin(), a.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    });
    if (always.empty() && ascii) filter = std::move(f);
  }

  /// Candidate regexes for `text` (sorted ids), or nullopt when the prefilter cannot decide. `atoms_present`
  /// (one flag per atom, from the fused scan) saves the atom searches.
  std::optional<std::vector<int>> candidates(std::string_view text, bool ascii, const char* atoms_present) const {
    if (!filter) return std::nullopt;
    // RE2's case folding maps U+212A (Kelvin) to 'k' and U+017F (long s) to 's'; the ASCII atom scan would miss
    // those, so a file holding either takes the full scan.
    if (!ascii && (find_literal(text, "\xE2\x84\xAA", 0) != std::string_view::npos ||
                   find_literal(text, "\xC5\xBF", 0) != std::string_view::npos))
      return std::nullopt;
    std::vector<int> present;
    for (std::size_t i = 0; i < atoms.size(); ++i)
      if (atoms_present != nullptr ? atoms_present[i] != 0 : find_ascii_ci(text, atoms[i]) != std::string_view::npos)
        present.push_back(static_cast<int>(i));
    std::vector<int> potential;
    filter->AllPotentials(present, &potential);
    std::sort(potential.begin(), potential.end());
    return potential;
  }

  /// Index of the first regex (in list order) that matches `text` (`ascii`: it holds only ASCII), or -1.
  int first_match(std::string_view text, bool ascii, const char* atoms_present = nullptr) const {
    const re2::StringPiece piece(text.data(), text.size());
    if (const auto ids = candidates(text, ascii, atoms_present)) {
      for (int id : *ids)
        if (RE2::PartialMatch(piece, *regexes[static_cast<std::size_t>(id)].re)) return id;
      return -1;
    }
    std::vector<int> hits;
    RE2::Set::ErrorInfo info{};
    if (set->Match(piece, &hits, &info)) return *std::min_element(hits.begin(), hits.end());
    if (info.kind == RE2::Set::kNoError) return -1;
    // The DFA ran out of memory (huge hostile file): test one by one, which RE2 completes with its NFA.
    for (std::size_t i = 0; i < regexes.size(); ++i)
      if (RE2::PartialMatch(piece, *regexes[i].re)) return static_cast<int>(i);
    return -1;
  }

  /// The fused scan's value for a file: -1 when no regex matches, else the first matching regex and where its
  /// first match starts, packed by pack_hit() (positions cost only in the rare files that match).
  std::int32_t scan(std::string_view text, bool ascii, const char* atoms_present = nullptr) const {
    const int id = first_match(text, ascii, atoms_present);
    if (id < 0) return -1;
    re2::StringPiece match;
    const re2::StringPiece piece(text.data(), text.size());
    if (!regexes[static_cast<std::size_t>(id)].re->Match(piece, 0, piece.size(), RE2::UNANCHORED, &match, 1))
      return pack_hit(id, 0, 0);  // the set matched but the single regex could not say where (DFA budget)
    const auto offset = static_cast<std::size_t>(match.data() - text.data());
    const auto [line, column] = line_and_column(text, offset);
    return pack_hit(id, line, column);
  }

  /// Packs (regex, line, column) into the probe's int32: id + n * (line * 1024 + column). A column past
  /// 1023 is stored as unknown (0), a position that does not fit as unknown (0, 0).
  std::int32_t pack_hit(int id, std::size_t line, std::size_t column) const {
    const auto n = static_cast<long long>(regexes.size());
    long long position = static_cast<long long>(line) * k_column_span + (column < k_column_span ? static_cast<long long>(column) : 0);
    if (position > (std::numeric_limits<std::int32_t>::max() - id) / n) position = 0;
    return static_cast<std::int32_t>(id + n * position);
  }

  struct Hit {
    int id = 0;
    std::uint32_t line = 0, column = 0;
  };
  Hit unpack_hit(std::int32_t value) const {
    const auto n = static_cast<std::int32_t>(regexes.size());
    const std::int32_t position = value / n;
    return {value % n, static_cast<std::uint32_t>(position / k_column_span),
            static_cast<std::uint32_t>(position % k_column_span)};
  }

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    const FileQuery::Matches m = query->run(image);
    json violations = json::array(), errors = json::array();
    std::vector<Finding> findings;
    std::size_t violation_count = 0, scanned = 0;
    TextFile file;
    const std::optional<std::uint32_t> probe = image.probe_id(scan_key);
    for (std::size_t i = 0; i < m.sampled; ++i) {
      const std::uint32_t entry = m.found[i];
      const std::string_view path = image.path(entry);
      std::optional<std::int32_t> known;
      if (probe && scanned_text_usable(image, entry, read)) known = image.probe_value(entry, *probe);
      if (!known) {
        read_text(image, entry, read, &file);
        if (!file.ok) {
          if (handle_read_failure(read, path, file.error, errors)) ++violation_count;
          continue;
        }
      }
      ++scanned;
      const std::int32_t value = known ? *known : scan(file.text, file.ascii);
      if (value < 0) continue;
      const Hit hit = unpack_hit(value);
      const AbsentRegex& r = regexes[static_cast<std::size_t>(hit.id)];
      json v = {{"file", std::string(path)}, {"pattern", r.pattern}};
      if (r.description) v["description"] = *r.description;
      violations.push_back(std::move(v));
      ++violation_count;
      Finding f = make_finding(std::string(path), FindingKind::forbidden_content,
                               std::string(path) + " holds " + (r.description ? *r.description : "forbidden content") +
                                   " (matches /" + r.pattern + "/): expected none");
      f.line = hit.line;
      f.column = hit.line != 0 ? hit.column : 0;
      f.identity = r.pattern;
      findings.push_back(std::move(f));
    }
    Outputs out;
    out.passed = violation_count == 0;
    for (const auto& e : errors) findings.push_back(unreadable_finding(e));
    if (!out.passed) out.findings = std::move(findings);
    out.values["found"] = m.found.size();
    out.values["scanned"] = scanned;
    out.values["violations"] = std::move(violations);
    out.values["violation_count"] = violation_count;
    out.values["error_count"] = errors.size();
    add_constants(constants, out.values);
    if (!errors.empty()) out.notes["errors"] = std::move(errors);
    return out;
  }

  void content_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override { out->push_back(query); }

  void unprobed_content_queries(std::vector<std::shared_ptr<const FileQuery>>* /*out*/) const override {}

  // The check outlives the scan: the catalog owns it for the whole run.
  void content_probes(std::vector<ContentProbe>* out) const override {
    out->push_back({query, scan_key, filter ? atoms : std::vector<std::string>{},
                    [this](const ProbeText& file) { return scan(file.text, file.ascii, file.atoms_present); }});
  }
};

}  // namespace

std::unique_ptr<Check> make_content_regex_absent(Params& params) {
  auto check = std::make_unique<ContentRegexAbsent>();
  check->query = FileQuery::parse(params, "query");
  check->read = TextRead::parse(params);
  const bool icase = params.boolean_or("icase", false);
  if (!params.boolean_or("one_per_file", true)) params.error("content_regex_absent supports only one_per_file: true");
  check->constants = parse_constants(params);
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!icase);
  check->set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  const ParamNode list = params.node("regexes");
  bool ok = static_cast<bool>(check->query);
  if (!list.is_sequence() || list.size() == 0) {
    params.error("content_regex_absent needs 'regexes', a non-empty list of {regex, pattern, description}", list);
    return nullptr;
  }
  for (const auto& node : list) {
    Params sub(node, params.file(), params.diagnostics(), line_of(node) ? line_of(node) : params.fallback_line());
    AbsentRegex r;
    const auto text = sub.string("regex");
    r.pattern = sub.string_or("pattern", text.value_or(""));
    if (auto d = sub.string("description", false)) r.description = *d;
    sub.finish();
    if (!text) {
      ok = false;
      continue;
    }
    r.re = std::make_unique<RE2>(*text, options);
    std::string error;
    if (!r.re->ok() || check->set->Add(*text, &error) < 0) {
      sub.error("invalid regex '" + *text + "': " + (r.re->ok() ? error : r.re->error()), node["regex"]);
      ok = false;
      continue;
    }
    check->regexes.push_back(std::move(r));
  }
  if (ok && !check->set->Compile()) {
    params.error("the regexes could not be compiled together (RE2::Set out of memory)", list);
    ok = false;
  }
  if (!ok) return nullptr;
  check->build_filter(options);
  // "at:" names the packed (regex, line, column) value of scan(), so no image of another build is misread.
  std::string canonical = std::string("content_regex_absent:at:") + (icase ? "i" : "-");
  for (const AbsentRegex& r : check->regexes) canonical += std::to_string(r.re->pattern().size()) + ":" + r.re->pattern();
  check->scan_key = probe_key(canonical);
  return check;
}

}  // namespace sotcheck::checks
