// JUnit XML for the test tabs of GitLab, Jenkins and friends: a batch is a
// testsuite, a rule is a testcase, and a failure lists its findings as
// path:line: message. The Jenkins xUnit plugin checks the file against its
// junit-10.xsd (a copy is in tests/schemas), which allows no `skipped` count
// on <testsuites> and no `file` attribute on <testcase>. Repository content (paths, evidence) can be
// anything, including bytes that are not UTF-8 and control characters that
// XML 1.0 forbids even as references, so every string is cleaned before it is
// escaped: the file must stay well-formed whatever the tree holds.

#include <cstdint>
#include <cstdio>
#include <map>

#include "sotcheck/report/report.hpp"
#include "sotcheck/util/utf8.hpp"

namespace sotcheck::report {
namespace {

using json = nlohmann::ordered_json;

/// XML 1.0's Char production.
bool xml_allowed(std::uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

/// Escapes for element text, or (attribute = true) for a double-quoted
/// attribute value, where line breaks and tabs must be references to survive
/// attribute-value normalisation.
std::string xml_escape(std::string_view s, bool attribute) {
  static constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    const std::size_t length = util::decode_utf8(s, i, &cp);
    if (length == 0) {
      out += k_replacement;
      ++i;
      continue;
    }
    if (!xml_allowed(cp)) {
      out += k_replacement;
    } else if (cp == '&') {
      out += "&amp;";
    } else if (cp == '<') {
      out += "&lt;";
    } else if (cp == '>') {
      out += "&gt;";
    } else if (attribute && cp == '"') {
      out += "&quot;";
    } else if (attribute && cp == '\n') {
      out += "&#10;";
    } else if (attribute && cp == '\r') {
      out += "&#13;";
    } else if (attribute && cp == '\t') {
      out += "&#9;";
    } else if (cp == '\r') {
      out += "&#13;";  // a literal CR in text would be normalised away
    } else {
      out.append(s.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escape(value, true) + "\"";
}

std::string seconds_text(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", seconds);
  return buf;
}

struct Counts {
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  /// For <testsuites>, where junit-10.xsd has no `skipped`.
  std::string totals() const {
    return attr("tests", std::to_string(tests)) + attr("failures", std::to_string(failures)) +
           attr("errors", std::to_string(errors));
  }
  std::string attributes() const { return totals() + attr("skipped", std::to_string(skipped)); }
};

/// One <testsuite>: a batch and the verdicts of its rules.
struct Suite {
  std::string name;
  int id = -1;
  std::vector<std::size_t> verdicts;  ///< indices, in catalog order
};

/// The body of a failure or error: the message, then one path:line: message
/// line per finding; without findings (an ERROR, mostly) the evidence says why.
std::string failure_body(const exec::Verdict& v) {
  std::string body = v.message + "\n";
  if (v.findings.empty()) return body + v.evidence.dump(2, ' ', false, json::error_handler_t::replace);
  for (const checks::Finding& f : v.findings) {
    body += f.path.empty() ? std::string(".") : f.path;
    if (f.line > 0) body += ":" + std::to_string(f.line);
    body += ": " + f.message + "\n";
  }
  return body;
}

}  // namespace

namespace {

/// The run's settings as testsuite properties: the profile, and the config and
/// baseline that shaped the verdicts, so a CI test view shows them too.
std::string run_properties(const RunInfo& info) {
  std::string out;
  const auto property = [&](const std::string& name, const std::string& value) {
    out += "      <property" + attr("name", name) + attr("value", value) + "/>\n";
  };
  property("profile", std::string(catalog::profile_name(info.profile)));
  if (!info.config_file.empty()) {
    property("config.file", info.config_file);
    property("config.deselected", std::to_string(info.config_deselected));
    property("config.suppressed", std::to_string(info.config_suppressed));
    property("config.stale", std::to_string(info.config_stale.size()));
  }
  if (!info.baseline_file.empty()) {
    property("baseline.file", info.baseline_file);
    property("baseline.fixed", std::to_string(info.baseline_resolved.size()));
  }
  return out;
}

}  // namespace

std::string to_junit(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                     const RunInfo& info) {
  // Suites in batch order; rules the catalog does not schedule go last.
  std::vector<Suite> suites;
  std::map<int, std::size_t> suite_of_batch;
  for (const auto& batch : catalog.batches) {
    suite_of_batch[batch.id] = suites.size();
    suites.push_back({"Batch " + std::to_string(batch.id) + ": " + batch.name, batch.id, {}});
  }
  Suite unscheduled{"Unscheduled rules", -1, {}};
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const catalog::Rule* rule = catalog.find(verdicts[i].rule_id);
    const auto it = rule != nullptr ? suite_of_batch.find(rule->batch) : suite_of_batch.end();
    (it != suite_of_batch.end() ? suites[it->second] : unscheduled).verdicts.push_back(i);
  }
  suites.push_back(std::move(unscheduled));

  Counts totals;
  double total_seconds = 0;
  std::string body;
  for (const Suite& suite : suites) {
    if (suite.verdicts.empty()) continue;  // a batch the selection emptied has nothing to report
    Counts counts;
    std::string cases;
    for (std::size_t index : suite.verdicts) {
      const exec::Verdict& v = verdicts[index];
      const catalog::Rule* rule = catalog.find(v.rule_id);
      const Disposition& disposition = info.disposition(index);
      ++counts.tests;
      const std::string classname = rule != nullptr ? rule->family : "unknown";
      const std::string name = rule != nullptr && !rule->title.empty() ? v.rule_id + ": " + rule->title : v.rule_id;
      cases += "    <testcase" + attr("classname", classname) + attr("name", name) + ">";
      const std::string severity(catalog::severity_name(v.severity));
      if (v.status == exec::Status::error) {
        // An unevaluated rule is an error even when suppressed or baselined:
        // it must never look green.
        ++counts.errors;
        cases += "\n      <error" + attr("message", v.message) + attr("type", severity) + ">" +
                 xml_escape(failure_body(v), false) + "</error>\n    ";
      } else if (v.status == exec::Status::fail && !disposition.suppressed_reason.empty()) {
        ++counts.skipped;
        cases += "\n      <skipped" + attr("message", "suppressed: " + disposition.suppressed_reason) + "/>\n    ";
      } else if (v.status == exec::Status::fail && disposition.baselined) {
        ++counts.skipped;
        cases += "\n      <skipped" + attr("message", "known failure (baseline): " + v.message) + "/>\n    ";
      } else if (v.status == exec::Status::fail) {
        ++counts.failures;
        cases += "\n      <failure" + attr("message", v.message) + attr("type", severity) + ">" +
                 xml_escape(failure_body(v), false) + "</failure>\n    ";
      } else if (v.status == exec::Status::skipped) {
        ++counts.skipped;
        cases += "\n      <skipped" + attr("message", v.message) + "/>\n    ";
      }
      // What the config's suppressions took out (a rule they emptied passes): said, not hidden.
      if (!disposition.suppressed_findings.empty() || (v.passed() && !disposition.suppressed_reason.empty())) {
        std::string said = "suppressed by the config:\n";
        for (const auto& s : disposition.suppressed_findings)
          said += compiler_location(s.finding) + ": " + s.finding.message + " (reason: " + s.reason + ")\n";
        if (disposition.suppressed_findings.empty()) said += v.message + " (reason: " + disposition.suppressed_reason + ")\n";
        if (cases.size() >= 5 && cases.compare(cases.size() - 5, 5, "\n    ") != 0) cases += "\n    ";
        cases += "  <system-out>" + xml_escape(said, false) + "</system-out>\n    ";
      }
      cases += "</testcase>\n";
    }
    const double seconds =
        info.stats != nullptr && suite.id >= 0 ? info.stats->phase("batch " + std::to_string(suite.id)) : 0.0;
    total_seconds += seconds;
    body += "  <testsuite" + attr("name", suite.name) + (suite.id >= 0 ? attr("id", std::to_string(suite.id)) : "") +
            attr("package", "sotcheck") + counts.attributes() + attr("time", seconds_text(seconds)) + ">\n";
    body += "    <properties>\n" + run_properties(info) + "    </properties>\n";
    body += cases;
    body += "  </testsuite>\n";
    totals.tests += counts.tests;
    totals.failures += counts.failures;
    totals.errors += counts.errors;
    totals.skipped += counts.skipped;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attr("name", "sotcheck") + totals.totals() + attr("time", seconds_text(total_seconds)) +
         ">\n";
  out += body;
  out += "</testsuites>\n";
  return out;
}

}  // namespace sotcheck::report
