// The JSON report against its JSON Schema (docs/report.schema.json): every
// golden JSON report validates, and a schema check that cannot fail is caught
// by feeding it reports that must not validate. The validator below covers
// exactly the keywords the schema uses (no network, no extra dependency).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace sotcheck {
namespace {

using json = nlohmann::json;

json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return json::parse(buffer.str());
}

const json& report_schema() {
  static const json schema = read_json(std::string(SOTCHECK_SOURCE_DIR) + "/docs/report.schema.json");
  return schema;
}

/// Validates `value` against `schema` (type, enum, required, properties, additionalProperties, items, minimum,
/// minLength, $ref into #/$defs); appends one line per violation to `errors`.
class SchemaValidator {
 public:
  explicit SchemaValidator(const json& root) : m_root(root) {}

  void validate(const json& value, const json& schema, const std::string& where, std::vector<std::string>* errors) const {
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) errors->push_back(where + ": not allowed");
      return;
    }
    static const std::set<std::string> known = {"$schema", "$id", "title", "description", "type", "enum",
                                                "required", "properties", "additionalProperties", "items",
                                                "minimum", "minLength", "$ref", "$defs"};
    for (const auto& [key, unused] : schema.items())
      if (!known.count(key)) errors->push_back(where + ": the validator does not know schema keyword " + key);
    if (const auto ref = schema.find("$ref"); ref != schema.end()) {
      const std::string prefix = "#/$defs/";
      const std::string text = ref->get<std::string>();
      ASSERT_EQ(text.rfind(prefix, 0), 0u) << text;
      validate(value, m_root.at("$defs").at(text.substr(prefix.size())), where, errors);
    }
    if (const auto type = schema.find("type"); type != schema.end() && !has_type(value, type->get<std::string>())) {
      errors->push_back(where + ": expected " + type->get<std::string>() + ", found " + value.type_name());
      return;
    }
    if (const auto choices = schema.find("enum"); choices != schema.end()) {
      bool found = false;
      for (const auto& c : *choices) found = found || c == value;
      if (!found) errors->push_back(where + ": " + value.dump() + " is not one of " + choices->dump());
    }
    if (const auto minimum = schema.find("minimum"); minimum != schema.end() && value.is_number() &&
                                                     value.get<double>() < minimum->get<double>())
      errors->push_back(where + ": below " + minimum->dump());
    if (const auto min_length = schema.find("minLength"); min_length != schema.end() && value.is_string() &&
                                                          value.get<std::string>().size() < min_length->get<std::size_t>())
      errors->push_back(where + ": shorter than " + min_length->dump());
    if (value.is_object()) {
      if (const auto required = schema.find("required"); required != schema.end())
        for (const auto& key : *required)
          if (!value.contains(key.get<std::string>())) errors->push_back(where + ": lacks " + key.get<std::string>());
      const auto properties = schema.find("properties");
      const auto additional = schema.find("additionalProperties");
      for (const auto& [key, member] : value.items()) {
        if (properties != schema.end() && properties->contains(key)) {
          validate(member, properties->at(key), where + "." + key, errors);
        } else if (additional != schema.end()) {
          validate(member, *additional, where + "." + key, errors);
        }
      }
    }
    if (value.is_array())
      if (const auto items = schema.find("items"); items != schema.end())
        for (std::size_t i = 0; i < value.size(); ++i)
          validate(value[i], *items, where + "[" + std::to_string(i) + "]", errors);
  }

 private:
  static bool has_type(const json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "integer") return value.is_number_integer();
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    ADD_FAILURE() << "unknown schema type " << type;
    return false;
  }
  const json& m_root;
};

std::vector<std::string> schema_errors(const json& report) {
  std::vector<std::string> errors;
  SchemaValidator(report_schema()).validate(report, report_schema(), "$", &errors);
  return errors;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<std::filesystem::path> golden_reports() {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(SOTCHECK_SOURCE_DIR) + "/tests/golden"))
    // *.gitlab.json is the Code Quality array, not the JSON report.
    if (entry.path().extension() == ".json" && !entry.path().filename().string().ends_with(".gitlab.json"))
      out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ReportSchema, EveryGoldenJsonReportValidates) {
  const auto reports = golden_reports();
  ASSERT_GE(reports.size(), 3u);
  for (const auto& path : reports) {
    SCOPED_TRACE(path.filename().string());
    const json report = read_json(path);
    EXPECT_EQ(joined(schema_errors(report)), "");
  }
}

TEST(ReportSchema, EveryFailInTheGoldenReportsNamesAtLeastOneFinding) {
  std::size_t failures = 0;
  for (const auto& path : golden_reports()) {
    const json report = read_json(path);
    for (const auto& result : report.at("results")) {
      if (result.at("status") != "FAIL") continue;
      ++failures;
      EXPECT_FALSE(result.at("findings").empty()) << path.filename() << " " << result.at("rule_id");
    }
  }
  EXPECT_GT(failures, 0u);
}

TEST(ReportSchema, RejectsReportsThatBreakIt) {
  const json good = read_json(golden_reports().front());
  ASSERT_EQ(joined(schema_errors(good)), "");
  auto broken = [&](auto&& mutate) {
    json copy = good;
    mutate(copy);
    return !schema_errors(copy).empty();
  };
  EXPECT_TRUE(broken([](json& r) { r.erase("results"); }));
  EXPECT_TRUE(broken([](json& r) { r["profile"] = "lenient"; }));
  EXPECT_TRUE(broken([](json& r) { r["results"][0].erase("findings"); }));
  EXPECT_TRUE(broken([](json& r) { r["results"][0]["status"] = "OK"; }));
  EXPECT_TRUE(broken([](json& r) { r["results"][0]["surprise"] = 1; }));
  const json finding = {{"path", "a/b.yaml"}, {"line", 3}, {"kind", "missing"}, {"message", "m"}};
  EXPECT_FALSE(broken([&](json& r) { r["results"][0]["findings"] = json::array({finding}); }));
  EXPECT_TRUE(broken([&](json& r) {
    json f = finding;
    f["kind"] = "odd";
    r["results"][0]["findings"] = json::array({f});
  }));
  EXPECT_TRUE(broken([&](json& r) {
    json f = finding;
    f["line"] = 0;
    r["results"][0]["findings"] = json::array({f});
  }));
  EXPECT_TRUE(broken([&](json& r) {
    json f = finding;
    f.erase("path");
    r["results"][0]["findings"] = json::array({f});
  }));
}

}  // namespace
}  // namespace sotcheck
