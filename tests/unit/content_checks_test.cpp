// The text layer (reading, decoding, literal search, predicates, quantifiers)
// and the path and content primitives (path_exists, glob_count, content_match,
// content_regex_absent, glob_ratio, grouped_children) on small in-memory trees,
// compiled from YAML exactly as the catalog loader compiles them.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/checks/text.hpp"
#include "sotcheck/exec/pipeline.hpp"
#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "support/memory_tree.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using checks::Profile;
using checks::TextPredicate;
using checks::TextRead;
using json = nlohmann::ordered_json;
using testing::MemoryTree;

/// A tree's image with every file's bytes loaded (files over `max_file_size` are recorded, not loaded).
struct TestImage {
  exec::RunImage image;
  snapshot::ImageView view;
};

std::unique_ptr<TestImage> image_of(MemoryTree& tree, Profile profile = Profile::strict,
                                    std::uint64_t max_file_size = snapshot::k_default_max_file_size) {
  const auto& settings = testing::builtin_catalog().profiles[static_cast<std::size_t>(profile)];
  const auto walked = snapshot::walk(tree, exec::walk_options_for(settings));
  plan::SnapshotNeeds needs;
  needs.wants_content = [](std::string_view, std::string_view) { return true; };
  exec::ImageOptions options;
  options.max_file_size = max_file_size;
  auto image = exec::RunImage::build(walked, tree, needs, options);
  if (!image) throw std::runtime_error(image.error());
  const snapshot::ImageView view = image->view();
  return std::unique_ptr<TestImage>(new TestImage{std::move(*image), view});
}

/// Compiles one check of `kind` from YAML text; the diagnostics must stay empty.
std::unique_ptr<checks::Check> compile(const std::string& kind, const std::string& yaml,
                                       Profile profile = Profile::strict) {
  util::Diagnostics diagnostics;
  const auto tree = checks::ParamTree::from_yaml(YAML::Load(yaml));
  checks::Params params(tree.root(), "test.yaml", diagnostics);
  params.set_profile(profile);
  const auto factory = checks::find_primitive(kind);
  if (factory == nullptr) throw std::runtime_error("no primitive " + kind);
  auto check = factory(params);
  params.finish();
  if (!diagnostics.empty()) throw std::runtime_error(diagnostics.to_string());
  if (!check) throw std::runtime_error("factory returned null");
  return check;
}

/// The diagnostics a bad check definition produces (empty if it compiles).
std::string compile_errors(const std::string& kind, const std::string& yaml) {
  util::Diagnostics diagnostics;
  const auto tree = checks::ParamTree::from_yaml(YAML::Load(yaml));
  checks::Params params(tree.root(), "test.yaml", diagnostics);
  auto check = checks::find_primitive(kind)(params);
  params.finish();
  return diagnostics.to_string();
}

checks::Outputs run(const checks::Check& check, MemoryTree& tree, Profile profile = Profile::strict) {
  auto image = image_of(tree, profile);
  return check.evaluate({image->view, profile});
}

std::shared_ptr<const TextPredicate> predicate(const std::string& yaml) {
  util::Diagnostics diagnostics;
  const auto empty = checks::ParamTree::from_yaml(YAML::Load("{}"));
  checks::Params params(empty.root(), "test.yaml", diagnostics);
  const auto tree = checks::ParamTree::from_yaml(YAML::Load(yaml));
  auto p = TextPredicate::parse(params, tree.root());
  if (!p || !diagnostics.empty()) throw std::runtime_error("bad predicate: " + diagnostics.to_string());
  return p;
}

std::string predicate_errors(const std::string& yaml) {
  util::Diagnostics diagnostics;
  const auto empty = checks::ParamTree::from_yaml(YAML::Load("{}"));
  checks::Params params(empty.root(), "test.yaml", diagnostics);
  const auto tree = checks::ParamTree::from_yaml(YAML::Load(yaml));
  auto p = TextPredicate::parse(params, tree.root());
  return diagnostics.to_string();
}

// ---------------------------------------------------------------- decoding

TEST(TextDecoding, DropInvalidKeepsExactlyTheWellFormedSequences) {
  EXPECT_EQ(checks::utf8_drop_invalid("plain ascii"), "plain ascii");
  EXPECT_EQ(checks::utf8_drop_invalid("a\xff"
                                      "b"),
            "ab");
  EXPECT_EQ(checks::utf8_drop_invalid("caf\xc3\xa9"), "caf\xc3\xa9");
  // A cut sequence loses its lead byte; the next byte is examined afresh (Python's maximal subpart).
  EXPECT_EQ(checks::utf8_drop_invalid("\xe2\x82"
                                      "A"),
            "A");
  // Surrogates, overlongs and code points above U+10FFFF are not UTF-8.
  EXPECT_EQ(checks::utf8_drop_invalid("x\xed\xa0\x80y"), "xy");
  EXPECT_EQ(checks::utf8_drop_invalid("x\xc0\xafy"), "xy");
  EXPECT_EQ(checks::utf8_drop_invalid("x\xf4\x90\x80\x80y"), "xy");
  EXPECT_EQ(checks::utf8_drop_invalid("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
  // Dropping bytes can join text, as in Python: the literal then matches.
  EXPECT_EQ(checks::utf8_drop_invalid("SHA3\xff-256"), "SHA3-256");
}

TEST(TextDecoding, FirstInvalidUtf8) {
  EXPECT_FALSE(checks::first_invalid_utf8("0123456789abcdef0123456789"));
  EXPECT_EQ(checks::first_invalid_utf8("0123456789abcdef\xff"), 16u);
  EXPECT_EQ(checks::first_invalid_utf8("\xc3\xa9\xc3"), 2u);
}

TEST(TextReading, DecodesLikePythonReadText) {
  MemoryTree tree;
  tree.add_file("bad.py", "SHA3\xff-256\r\nnext\rline");
  auto image = image_of(tree);
  const auto entry = image->view.lookup(0, "bad.py");
  ASSERT_TRUE(entry);
  checks::TextFile file;
  checks::read_text(image->view, *entry, TextRead{}, &file);
  ASSERT_TRUE(file.ok);
  EXPECT_EQ(file.text, "SHA3-256\nnext\nline");  // errors=ignore, then universal newlines

  TextRead strict_read;
  strict_read.errors = TextRead::Errors::strict;
  checks::read_text(image->view, *entry, strict_read, &file);
  EXPECT_FALSE(file.ok);
  EXPECT_EQ(file.error, "'utf-8' codec can't decode byte 0xff in position 4: invalid start byte: 'bad.py'");
}

TEST(TextReading, EntriesWithoutLoadedBytesAreReadFailures) {
  MemoryTree tree;
  tree.add_dir("x_hash.py");
  tree.add_file("big.py", std::string(64, 'x'));
  tree.add_file("locked.py", "secret");
  tree.fail("locked.py", EACCES);
  tree.add_symlink("gone.py", "nowhere.py", snapshot::EntryKind::missing);
  auto image = snapshot::HeapImage::build(snapshot::walk(tree, {}), tree,
                                          {"/repo", 32, 0, [](std::string_view, std::string_view) { return true; }});
  ASSERT_TRUE(image);
  const auto view = *image->view();
  checks::TextFile file;
  const auto error_of = [&](const char* path) {
    checks::read_text(view, *view.lookup(0, path), TextRead{}, &file);
    EXPECT_FALSE(file.ok) << path;
    return file.error;
  };
  EXPECT_EQ(error_of("x_hash.py"), "[Errno 21] Is a directory: 'x_hash.py'");
  EXPECT_EQ(error_of("big.py"), "file is larger than the --max-file-size cap (64 bytes): 'big.py'");
  EXPECT_EQ(error_of("locked.py"), "[Errno 13] Permission denied: 'locked.py'");
  EXPECT_EQ(error_of("gone.py"), "[Errno 2] No such file or directory: 'gone.py'");
}

/// The fused scan's decode-failure probes alone, so an image can hold a file's scan facts without its bytes.
class DecodeFailureScanner final : public snapshot::ContentScanner {
 public:
  DecodeFailureScanner() {
    const auto [position, detail] = checks::decode_failure_probe_keys();
    m_position_first = position < detail;
    m_keys = {std::min(position, detail), std::max(position, detail)};
  }
  const std::vector<std::uint64_t>& probe_keys() const override { return m_keys; }
  void probes_for(std::string_view, std::string_view, std::vector<std::uint32_t>* ids) const override {
    ids->insert(ids->end(), {0, 1});
  }
  bool scan(std::string_view bytes, const std::uint32_t*, std::size_t, std::int32_t* values) const override {
    const auto [position, detail] = checks::decode_failure_probe_values(bytes);
    values[0] = m_position_first ? position : detail;
    values[1] = m_position_first ? detail : position;
    return !checks::first_invalid_utf8(bytes);
  }

 private:
  std::vector<std::uint64_t> m_keys;
  bool m_position_first = true;
};

TEST(TextReading, StrictReadsWordEveryDecodeErrorAsPython) {
  // Python 3: b"...".decode("utf-8") for each file's bytes.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"start.py", "a\xff" "b"},
      {"one.py", "\xe2" "A"},
      {"cut.py", "ok\xe2\x82"},
      {"broken.py", "\xf0\x90\x80" "A"},
      {"surrogate.py", "\xed\xa0\x80"},
  };
  const std::vector<std::string> python = {
      "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte: 'start.py'",
      "'utf-8' codec can't decode byte 0xe2 in position 0: invalid continuation byte: 'one.py'",
      "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data: 'cut.py'",
      "'utf-8' codec can't decode bytes in position 0-2: invalid continuation byte: 'broken.py'",
      "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte: 'surrogate.py'",
  };
  MemoryTree tree;
  for (const auto& [path, bytes] : cases) tree.add_file(path, bytes);
  // Once with the bytes in the image, once with only the scan's record of them: the same words.
  snapshot::BuildOptions kept;
  kept.root_path = "/repo";
  kept.wants_content = [](std::string_view, std::string_view) { return true; };
  snapshot::BuildOptions scanned = kept;
  scanned.scanner = std::make_shared<DecodeFailureScanner>();
  scanned.keep_content = [](std::string_view, std::string_view) { return false; };
  TextRead strict_read;
  strict_read.errors = TextRead::Errors::strict;
  for (const auto* options : {&kept, &scanned}) {
    auto image = snapshot::HeapImage::build(snapshot::walk(tree, {}), tree, *options);
    ASSERT_TRUE(image);
    const auto view = *image->view();
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const auto entry = view.lookup(0, cases[i].first);
      ASSERT_TRUE(entry);
      EXPECT_EQ(static_cast<bool>(view.entry(*entry).flags & snapshot::k_flag_content_loaded), options == &kept);
      checks::TextFile file;
      checks::read_text(view, *entry, strict_read, &file);
      EXPECT_FALSE(file.ok);
      EXPECT_EQ(file.error, python[i]) << (options == &kept ? "kept" : "scanned");
    }
  }
}

TEST(TextDecoding, DecodeFailureProbeValuesRoundTripToPythonsText) {
  EXPECT_EQ(checks::decode_failure_probe_values("fine \xc3\xa9"), (std::pair<std::int32_t, std::int32_t>{-1, -1}));
  EXPECT_FALSE(checks::decode_failure_text(-1, -1));
  const auto text_of = [](std::string_view bytes) {
    const auto [position, detail] = checks::decode_failure_probe_values(bytes);
    return checks::decode_failure_text(position, detail).value_or("decodes");
  };
  EXPECT_EQ(text_of("\xe2\x82"), "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data");
  EXPECT_EQ(text_of("xy\xe2\x82" "A"), "'utf-8' codec can't decode bytes in position 2-3: invalid continuation byte");
  EXPECT_EQ(text_of("\x80"), "'utf-8' codec can't decode byte 0x80 in position 0: invalid start byte");
}

TEST(ContentProbes, KeysAreFnv1aOfTheCanonicalText) {
  // Stable across builds and processes: the 64-bit FNV-1a reference values.
  EXPECT_EQ(checks::probe_key(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(checks::probe_key("a"), 0xaf63dc4c8601ec8cull);
}

// ---------------------------------------------------------------- literal search

std::size_t naive_find_ci(std::string_view hay, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    bool same = true;
    for (std::size_t j = 0; j < needle.size() && same; ++j) {
      char c = hay[i + j];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      same = c == needle[j];
    }
    if (same) return i;
  }
  return std::string_view::npos;
}

TEST(LiteralSearch, AsciiCaseInsensitiveAgreesWithANaiveScanAcrossBlockBoundaries) {
  // Every offset around the 16-byte blocks, letters and non-letters at both ends of the needle.
  for (const std::string needle : {"sha3", "deprecat", "15 3 * * *", "@v4", "a", "_x_"}) {
    for (std::size_t at = 0; at < 70; ++at) {
      std::string hay(80, '.');
      std::string upper = needle;
      for (auto& c : upper)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (at + needle.size() <= hay.size()) hay.replace(at, needle.size(), at % 2 ? upper : needle);
      for (std::size_t from : {std::size_t{0}, at, at + 1})
        EXPECT_EQ(checks::find_ascii_ci(hay, needle, from), naive_find_ci(hay, needle, from))
            << needle << " at " << at << " from " << from;
    }
  }
  // '@' (0x40) and '`' (0x60) differ only in bit 0x20 but are not letters: no folding.
  EXPECT_EQ(checks::find_ascii_ci("x`v4", "@v4"), std::string_view::npos);
  EXPECT_EQ(checks::find_ascii_ci("", "a"), std::string_view::npos);
  EXPECT_EQ(checks::find_ascii_ci("abc", ""), 0u);
}

TEST(LiteralSearch, WordBoundedMatchesOnlyWholeAsciiWords) {
  EXPECT_FALSE(checks::contains_literal("input.REQUIRED", "IR", false, true));
  EXPECT_TRUE(checks::contains_literal("input.REQUIRED\ncountry == \"IR\"", "IR", false, true));
  EXPECT_TRUE(checks::contains_literal("IR", "IR", false, true));
  EXPECT_FALSE(checks::contains_literal("IR_CODE", "IR", false, true));
  EXPECT_TRUE(checks::contains_literal("keep 10-year retention", "10", false, true));
  EXPECT_FALSE(checks::contains_literal("keep 100 days", "10", false, true));
  EXPECT_TRUE(checks::contains_literal("keep 100 days", "10", false, false));
  EXPECT_TRUE(checks::contains_literal("Run: make Test", "test", true, true));
  EXPECT_FALSE(checks::contains_literal("pytest -q", "test", true, true));
  // Non-ASCII letters are not word characters (ASCII boundaries only, docs/bench.md).
  EXPECT_TRUE(checks::contains_literal("\xc3\xa9IR\xc3\xa9", "IR", false, true));
}

// ---------------------------------------------------------------- predicates

TEST(TextPredicates, ContainsIsCaseSensitiveUnlessCi) {
  EXPECT_TRUE(predicate("{contains: SHA3-256}")->evaluate("uses SHA3-256"));
  EXPECT_FALSE(predicate("{contains: SHA3-256}")->evaluate("uses sha3-256"));
  EXPECT_TRUE(predicate("{contains: json, ci: true}")->evaluate("return JSONResponse"));
}

TEST(TextPredicates, Combinators) {
  const auto p = predicate("{all: [{contains: test}, {any: [{contains: fairness}, {contains: demographic_parity}]}]}");
  EXPECT_TRUE(p->evaluate("def test_x(): demographic_parity"));
  EXPECT_FALSE(p->evaluate("def test_x(): pass"));
  EXPECT_FALSE(p->evaluate("fairness only"));
  const auto n = predicate("{any: [{not: {contains: random, ci: true}}, {contains: pepper, ci: true}]}");
  EXPECT_TRUE(n->evaluate("sha256"));
  EXPECT_FALSE(n->evaluate("Random salt"));
  EXPECT_TRUE(n->evaluate("random but peppered"));
  const auto k = predicate("{at_least: 2, of: [{contains: a}, {contains: b}, {contains: c}]}");
  EXPECT_TRUE(k->evaluate("a c"));
  EXPECT_FALSE(k->evaluate("b"));
  bool value = true;
  EXPECT_TRUE(predicate("false")->constant(&value));
  EXPECT_FALSE(value);
  EXPECT_FALSE(predicate("{contains: x}")->constant(&value));
}

TEST(TextPredicates, RegexIsLineBoundedAndOptionallyCaseInsensitive) {
  const auto p = predicate("{regex: 'store.*(?:name|email)', icase: true}");
  EXPECT_TRUE(p->evaluate("def Store_user(NAME)"));
  EXPECT_FALSE(p->evaluate("store\nname"));  // `.` stops at a newline, as in Python
  EXPECT_FALSE(predicate("{regex: 'store.*name'}")->evaluate("STORE NAME"));
  EXPECT_TRUE(predicate("{regex: 'a'}")->uses_regex());
}

TEST(TextPredicates, BadDefinitionsAreReported) {
  EXPECT_NE(predicate_errors("{contains: JSON, ci: true}").find("must be lowercase"), std::string::npos);
  EXPECT_NE(predicate_errors("{contains: x, cs: true}").find("unknown key 'cs'"), std::string::npos);
  EXPECT_NE(predicate_errors("{regex: '(unclosed'}").find("invalid regex"), std::string::npos);
  EXPECT_NE(predicate_errors("{all: x}").find("must be a list"), std::string::npos);
  EXPECT_NE(predicate_errors("{matches: x}").find("needs one of"), std::string::npos);
  EXPECT_NE(predicate_errors("[a]").find("a text predicate is a map"), std::string::npos);
}

// ---------------------------------------------------------------- ratio and quantifiers

TEST(Ratios, IntegerCrossMultiplicationEqualsPythonsFloatTest) {
  // docs/reference-compatibility.md#rc-23: c / n >= x in floating point, for every threshold the catalog uses.
  for (const char* text : {"0.4", "0.5", "0.6", "0.7", "0.8"}) {
    const auto ratio = checks::Ratio::parse(text);
    ASSERT_TRUE(ratio);
    const double x = std::stod(text);
    for (std::size_t n = 1; n <= 1200; ++n)
      for (std::size_t c = 0; c <= n; ++c)
        ASSERT_EQ(ratio->reached(c, n), static_cast<double>(c) / static_cast<double>(n) >= x) << c << "/" << n;
  }
  EXPECT_FALSE(checks::Ratio::parse("-0.5"));
  EXPECT_FALSE(checks::Ratio::parse("1e3"));
  EXPECT_FALSE(checks::Ratio::parse("."));
  EXPECT_TRUE(checks::Ratio::parse("1"));
}

// ---------------------------------------------------------------- content_match

MemoryTree gdpr_tree() {
  MemoryTree tree;
  tree.add_file("a/gdpr_export.py", "def export(): return json.dumps(x)");
  tree.add_file("b/gdpr_erasure.py", "def erasure(): rotate_pepper()");
  tree.add_file("c/gdpr_other.py", "pass");
  return tree;
}

TEST(ContentMatch, QuantifierAnyListsMatchedFilesInWalkOrder) {
  MemoryTree tree = gdpr_tree();
  auto check = compile("content_match", R"(
    query: {patterns: ['*gdpr*.py'], entry_kind: file}
    predicate: {any: [{contains: erasure}, {contains: export}]}
    quantifier: any)");
  const auto out = run(*check, tree);
  EXPECT_TRUE(out.passed);
  EXPECT_EQ(out.values["found"], 3);
  EXPECT_EQ(out.values["matched"], 2);
  EXPECT_EQ(out.values["matched_files"], json::array({"a/gdpr_export.py", "b/gdpr_erasure.py"}));
  EXPECT_EQ(out.values["violating"], json::array({"c/gdpr_other.py"}));
  EXPECT_EQ(out.values["found_any"], true);
}

TEST(ContentMatch, FlagIsOnlyTestedOnMatchingFiles) {
  // CP006: the JSON flag counts only in export implementations.
  MemoryTree tree = gdpr_tree();
  tree.add_file("d/gdpr_json.py", "JSON everywhere, nothing else");
  auto check = compile("content_match", R"(
    query: {patterns: ['*gdpr*.py'], entry_kind: file}
    predicate: {any: [{contains: export}, {contains: portability}]}
    flag_predicate: {contains: json, ci: true}
    pass_on: flag)");
  EXPECT_TRUE(run(*check, tree).passed);
  tree.add_file("a/gdpr_export.py", "def export(): return repr(x)");
  const auto out = run(*check, tree);
  EXPECT_FALSE(out.passed);
  EXPECT_EQ(out.values["flag"], false);
  EXPECT_EQ(out.values["matched"], 1);
}

TEST(ContentMatch, WithoutAPredicateEveryFileIsListedAndTheFlagDecides) {
  // CP010: all WORM files are listed; one must state the ten-year retention.
  MemoryTree tree;
  tree.add_file("x/worm_a.py", "append_only = True");
  tree.add_file("x/worm_b.py", "RETENTION_YEARS = 10  # year");
  auto check = compile("content_match", R"(
    query: {patterns: ['*worm*.py'], entry_kind: file}
    flag_predicate: {all: [{contains: '10', word: true}, {any: [{contains: year}, {contains: retention}]}]}
    pass_on: flag)");
  auto out = run(*check, tree);
  EXPECT_TRUE(out.passed);
  EXPECT_EQ(out.values["matched_files"], json::array({"x/worm_a.py", "x/worm_b.py"}));
  tree.add_file("x/worm_b.py", "RETENTION_YEARS = 100  # year");
  EXPECT_FALSE(run(*check, tree).passed);
}

TEST(ContentMatch, RatioDenominatorIsFoundOrSampled) {
  // docs/reference-compatibility.md#rc-5: the reference samples 20 files but divides by all files found.
  MemoryTree tree;
  for (int i = 0; i < 30; ++i) tree.add_file("p/f" + std::to_string(10 + i) + "_policy.py", "purpose limit");
  const std::string base = R"(
    query: {patterns: ['*policy*.py'], sample: 20}
    predicate: {all: [{contains: purpose}, {contains: limit}]}
    quantifier: {ratio_ge: {x: 0.7, denominator: DEN, empty: fail}}
  )";
  auto with = [&](const std::string& den) {
    std::string yaml = base;
    yaml.replace(yaml.find("DEN"), 3, den);
    return compile("content_match", yaml);
  };
  const auto found = run(*with("found"), tree);
  EXPECT_EQ(found.values["matched"], 20);
  EXPECT_EQ(found.values["found"], 30);
  EXPECT_EQ(found.values["sampled"], 20);
  EXPECT_FALSE(found.passed);                       // 20 / 30 < 0.7
  EXPECT_TRUE(run(*with("sampled"), tree).passed);  // 20 / 20
  MemoryTree empty;
  EXPECT_FALSE(run(*with("found"), empty).passed);  // empty: fail
}

TEST(ContentMatch, CountGeWithEmptyPass) {
  auto check = compile("content_match", R"(
    query: {patterns: ['.github/workflows/*.yml']}
    predicate: {contains: actions/upload-artifact@v4}
    quantifier: {count_ge: 1, empty: pass})");
  MemoryTree empty;
  empty.add_file("README.md");
  EXPECT_TRUE(run(*check, empty).passed);
  MemoryTree tree;
  tree.add_file(".github/workflows/ci.yml", "uses: actions/upload-artifact@v3");
  EXPECT_FALSE(run(*check, tree).passed);
}

TEST(ContentMatch, AllAndNoneQuantifiers) {
  MemoryTree tree;
  tree.add_file("a.md", "alpha");
  tree.add_file("b.md", "beta");
  EXPECT_FALSE(
      run(*compile("content_match", "{query: {patterns: ['*.md']}, predicate: {contains: alpha}, quantifier: all}"),
          tree)
          .passed);
  EXPECT_TRUE(
      run(*compile("content_match", "{query: {patterns: ['*.md']}, predicate: {contains: a}, quantifier: all}"), tree)
          .passed);
  EXPECT_TRUE(
      run(*compile("content_match", "{query: {patterns: ['*.md']}, predicate: {contains: z}, quantifier: none}"), tree)
          .passed);
}

TEST(ContentMatch, SampleTakesTheFirstNInWalkOrder) {
  MemoryTree tree;
  tree.add_file("z/CHANGELOG.md", "180 days deprecation");
  for (int i = 0; i < 5; ++i) tree.add_file("a" + std::to_string(i) + "/CHANGELOG.md", "nothing");
  auto check = compile("content_match", R"(
    query: {patterns: ['**/CHANGELOG.md'], sample: 5}
    predicate: {all: [{contains: '180'}, {contains: deprecat, ci: true}]})");
  const auto out = run(*check, tree);
  EXPECT_FALSE(out.passed);  // z/ comes sixth
  EXPECT_EQ(out.values["sampled"], 5);
}

TEST(ContentMatch, PartsAreConcatenatedAndFlagsCombined) {
  // JURIS_BL: part A (compliance folders) and part B (.rego), listed one after the other.
  MemoryTree tree;
  tree.add_file("23_compliance/sanctions.rego", "deny { input.country == \"IR\" }");
  tree.add_file("x/other.rego", "package x");
  auto check = compile("content_match", R"(
    parts:
      - query: {patterns: ['*compliance*/*.{rego,py}'], entry_kind: file}
        predicate: {any: [{contains: IR, word: true}, {contains: Iran}]}
        flag_predicate: {any: [{contains: block, ci: true}, {contains: deny, ci: true}]}
      - query: {patterns: ['*.rego'], entry_kind: file}
        predicate: {contains: IR, word: true}
    pass_on: flag)");
  auto out = run(*check, tree);
  EXPECT_TRUE(out.passed);
  EXPECT_EQ(out.values["matched_files"], json::array({"23_compliance/sanctions.rego", "23_compliance/sanctions.rego"}));
  EXPECT_EQ(out.values["matched"], 2);
  // In the reference the braces are literal: part A finds nothing, part B alone decides.
  auto reference = compile("content_match", R"(
    parts:
      - query: {patterns: ['*compliance*/*.{rego,py}'], entry_kind: file}
        predicate: {contains: IR}
      - query: {patterns: ['*.rego'], entry_kind: file}
        predicate: {contains: IR}
    pass_on: flag)",
                           Profile::reference);
  out = run(*reference, tree, Profile::reference);
  EXPECT_EQ(out.values["matched_files"], json::array({"23_compliance/sanctions.rego"}));
}

TEST(ContentMatch, ConstantPartsAreListedWithoutReading) {
  MemoryTree tree;
  tree.add_file("cfg/structure_exceptions.yaml", "x");
  tree.fail("cfg/structure_exceptions.yaml", EACCES);
  auto check = compile("content_match", R"(
    read: {on_failure: abort}
    parts:
      - query: {patterns: ['*structure_exceptions*.yaml']}
        flag_predicate: false
    pass_on: flag)");
  std::vector<std::shared_ptr<const checks::FileQuery>> queries;
  check->content_queries(&queries);
  EXPECT_TRUE(queries.empty());
  const auto out = run(*check, tree);  // no read, so no abort
  EXPECT_FALSE(out.passed);
  EXPECT_EQ(out.values["matched_files"], json::array({"cfg/structure_exceptions.yaml"}));
}

TEST(ContentMatch, JoinTextTestsTheSpaceJoinedSample) {
  MemoryTree tree;
  tree.add_file("a_hash.py", "SHA3");
  tree.add_file("b_hash.py", "-256 BLAKE3");
  auto check = [](const char* literal) {
    return compile("content_match", std::string("{query: {patterns: ['*hash*.py'], sample: 10}, join_text: true, "
                                                "predicate: {contains: '") +
                                        literal + "'}}");
  };
  EXPECT_TRUE(run(*check("BLAKE3"), tree).passed);
  EXPECT_FALSE(run(*check("SHA3-256"), tree).passed);  // the joining space separates the files
  EXPECT_TRUE(run(*check("SHA3 -256"), tree).passed);
}

TEST(ContentMatch, ReadFailuresSkipAbortOrReport) {
  MemoryTree tree;
  tree.add_file("a_anchor.py", "ethereum");
  tree.add_dir("b_anchor.py");
  tree.add_file("c_anchor.py", "x");
  tree.fail("c_anchor.py", EACCES);
  const std::string body = "{query: {patterns: ['*anchor*.py']}, predicate: {contains: ethereum}, quantifier: all, ";
  const auto skip = run(*compile("content_match", body + "read: {on_failure: skip}}"), tree);
  EXPECT_TRUE(skip.passed);
  EXPECT_TRUE(skip.notes.empty());
  EXPECT_THROW(run(*compile("content_match", body + "read: {on_failure: abort}}"), tree), std::runtime_error);
  const auto report = run(*compile("content_match", body + "read: {on_failure: report}}"), tree);
  EXPECT_FALSE(report.passed);  // docs/reference-compatibility.md#rc-13: an unreadable file is a violation of an all-rule
  EXPECT_EQ(report.values["violation_count"], 2);
  EXPECT_EQ(report.notes["errors"],
            json::array({{{"file", "b_anchor.py"}, {"error", "[Errno 21] Is a directory: 'b_anchor.py'"}},
                         {{"file", "c_anchor.py"}, {"error", "[Errno 13] Permission denied: 'c_anchor.py'"}}}));
}

TEST(ContentMatch, StopAtFirstLeavesLaterFilesUnread) {
  // CP004/CP012 in the reference stop at the first qualifying file, so a later unreadable one cannot abort.
  MemoryTree tree;
  tree.add_file("a/retention.yaml", "immediate");
  tree.add_file("b/retention.yaml", "x");
  tree.fail("b/retention.yaml", EACCES);
  const std::string body =
      "{query: {patterns: ['*retention*.yaml']}, predicate: {contains: immediate}, "
      "read: {on_failure: abort}, stop_at_first: ";
  EXPECT_TRUE(run(*compile("content_match", body + "true}"), tree).passed);
  EXPECT_THROW(run(*compile("content_match", body + "false}"), tree), std::runtime_error);
}

TEST(ContentMatch, ConstantsBecomeOutputs) {
  MemoryTree tree;
  auto check = compile("content_match", "{query: {patterns: ['*.x']}, predicate: true, constants: {k: [a, b], n: 3}}");
  const auto out = run(*check, tree);
  EXPECT_EQ(out.values["k"], json::array({"a", "b"}));
  EXPECT_EQ(out.values["n"], 3);
}

TEST(ContentMatch, BadDefinitionsAreReported) {
  EXPECT_NE(compile_errors("content_match", "{predicate: true}").find("either 'query'"), std::string::npos);
  EXPECT_NE(compile_errors("content_match", "{query: {patterns: ['*']}, quantifier: {ratio_ge: {x: 0.5}}}")
                .find("empty: pass"),
            std::string::npos);
  EXPECT_NE(compile_errors("content_match", "{query: {patterns: ['*']}, quantifier: most}").find("quantifier 'most'"),
            std::string::npos);
  EXPECT_NE(compile_errors("content_match", "{query: {patterns: ['*']}, read: {encoding: latin1}}").find("encoding"),
            std::string::npos);
}

// ---------------------------------------------------------------- content_regex_absent

TEST(ContentRegexAbsent, FirstRegexInListOrderGivesOneViolationPerFile) {
  MemoryTree tree;
  tree.add_file("app/models.py", "def save_face(): store_email(x)\n");
  tree.add_file("app/db.py", "db.save(user.email)\n");
  tree.add_file("app/clean.py", "store\nname\n");
  auto check = compile("content_regex_absent", R"(
    query: {patterns: ['*.py'], entry_kind: file}
    icase: true
    regexes:
      - {regex: 'store.*(?:name|email|phone|address|ssn|passport)', description: PII storage pattern}
      - {regex: 'save.*(?:biometric|fingerprint|face|iris)', description: Biometric storage pattern}
      - {regex: 'db\.save\(.*user\.(name|email|phone)', description: Direct PII DB save})");
  const auto out = run(*check, tree);
  EXPECT_FALSE(out.passed);
  EXPECT_EQ(out.values["violation_count"], 2);
  EXPECT_EQ(out.values["violations"], json::array({{{"file", "app/db.py"},
                                                    {"pattern", "db\\.save\\(.*user\\.(name|email|phone)"},
                                                    {"description", "Direct PII DB save"}},
                                                   {{"file", "app/models.py"},
                                                    {"pattern", "store.*(?:name|email|phone|address|ssn|passport)"},
                                                    {"description", "PII storage pattern"}}}));
}

TEST(ContentRegexAbsent, PatternTextAndExclusions) {
  MemoryTree tree;
  tree.add_file("cfg/settings.py", "API_KEY = \"abcdefghijklmnop\"\n");
  tree.add_file("cfg/settings.example.py", "API_KEY = \"abcdefghijklmnop\"\n");
  tree.add_file("cfg/aws.yaml", "aws_secret: from-vault\n");
  auto check = compile("content_regex_absent", R"(
    query: {patterns: ['*.{py,yaml}'], entry_kind: file, exclude_name_contains: [example]}
    regexes:
      - {regex: '(?i)(password|secret|api[_-]?key|token)\s*=\s*["''][^"'']{10,}["'']', pattern: 'P1'}
      - {regex: '(?i)(aws_access_key|aws_secret)'})");
  const auto out = run(*check, tree);
  EXPECT_EQ(out.values["violations"],
            json::array({{{"file", "cfg/aws.yaml"}, {"pattern", "(?i)(aws_access_key|aws_secret)"}},
                         {{"file", "cfg/settings.py"}, {"pattern", "P1"}}}));
}

TEST(ContentRegexAbsent, TheLiteralPrefilterNeverHidesAMatch) {
  // Files with and without the regexes' atoms, in either case, and with the two non-ASCII letters RE2 folds
  // onto ASCII ones (U+212A Kelvin sign ~ k, U+017F long s ~ s), which the ASCII prefilter cannot see.
  MemoryTree tree;
  tree.add_file("a.py", "nothing to see\n");
  tree.add_file("b.py", "TOKEN = 'abcdefghijklmnop'\n");
  tree.add_file("c.py", "to\xe2\x84\xaa" "en = 'abcdefghijklmnop'\n");
  tree.add_file("d.py", "\xc5\xbf" "ecret = \"abcdefghijklmnop\"\n");
  tree.add_file("e.py", "token = 'short'\nprivate_key = load()\n");
  tree.add_file("f.py", "key api token secret password private, but no assignment\n");
  auto check = compile("content_regex_absent", R"(
    query: {patterns: ['*.py']}
    regexes:
      - {regex: '(?i)(password|secret|api[_-]?key|token)\s*=\s*["''][^"'']{10,}["'']', pattern: r1}
      - {regex: '(?i)(aws_access_key|aws_secret)', pattern: r2}
      - {regex: '(?i)(private[_-]?key)\s*=', pattern: r3})");
  const auto out = run(*check, tree);
  EXPECT_EQ(out.values["violations"], json::array({{{"file", "b.py"}, {"pattern", "r1"}},
                                                   {{"file", "c.py"}, {"pattern", "r1"}},
                                                   {{"file", "d.py"}, {"pattern", "r1"}},
                                                   {{"file", "e.py"}, {"pattern", "r3"}}}));
}

TEST(ContentRegexAbsent, ReportedReadErrorsFailTheRule) {
  MemoryTree tree;
  tree.add_file("a.py", "clean");
  tree.fail("a.py", EIO);
  const std::string body = "{query: {patterns: ['*.py']}, regexes: [{regex: x}], read: {on_failure: ";
  EXPECT_TRUE(run(*compile("content_regex_absent", body + "skip}}"), tree).passed);
  const auto out = run(*compile("content_regex_absent", body + "report}}"), tree);
  EXPECT_FALSE(out.passed);
  EXPECT_EQ(out.notes["errors"][0]["file"], "a.py");
}

// ---------------------------------------------------------------- path_exists

TEST(PathExists, ExistenceKindsAndLiteral) {
  MemoryTree tree;
  tree.add_file(".github/CODEOWNERS", "**/Chart.yaml @board\n");
  tree.add_dir(".github/settings.yml");
  EXPECT_TRUE(run(*compile("path_exists", "{path: .github/settings.yml}"), tree).passed);
  EXPECT_FALSE(run(*compile("path_exists", "{path: .github/settings.yml, path_kind: file}"), tree).passed);
  EXPECT_TRUE(run(*compile("path_exists", "{path: .github, path_kind: dir}"), tree).passed);
  EXPECT_FALSE(run(*compile("path_exists", "{path: .github/missing}"), tree).passed);
  auto with_literal = compile("path_exists", "{path: .github/CODEOWNERS, contains: Chart.yaml}");
  std::vector<std::shared_ptr<const checks::FileQuery>> queries;
  with_literal->content_queries(&queries);
  ASSERT_EQ(queries.size(), 1u);
  EXPECT_TRUE(queries[0]->may_match(".github/CODEOWNERS"));
  auto out = run(*with_literal, tree);
  EXPECT_TRUE(out.passed);
  EXPECT_EQ(out.values["exists"], true);
  EXPECT_FALSE(run(*compile("path_exists", "{path: .github/CODEOWNERS, contains: chart.yaml}"), tree).passed);
}

TEST(PathExists, UnreadableFileWithALiteral) {
  MemoryTree tree;
  tree.add_dir(".github/CODEOWNERS");
  const std::string body = "{path: .github/CODEOWNERS, contains: Chart.yaml, read: {on_failure: ";
  EXPECT_THROW(run(*compile("path_exists", body + "abort}}"), tree), std::runtime_error);
  const auto out = run(*compile("path_exists", body + "report}}"), tree);
  EXPECT_FALSE(out.passed);
  EXPECT_EQ(out.values["exists"], true);
  EXPECT_EQ(out.notes["errors"][0]["error"], "[Errno 21] Is a directory: '.github/CODEOWNERS'");
}

// ---------------------------------------------------------------- glob_count, glob_ratio, grouped_children

TEST(GlobCount, BracesFollowTheProfileAndMatchesAreListed) {
  MemoryTree tree;
  tree.add_file("a/tenant_pepper.py");
  tree.add_file("b/pepper.yaml");
  tree.add_file("c/pepper.{py,yaml}");
  const char* yaml = "{query: {patterns: ['*pepper*.{py,yaml}']}, op: ge, value: 1}";
  const auto strict = run(*compile("glob_count", yaml), tree);
  EXPECT_EQ(strict.values["matches"], json::array({"a/tenant_pepper.py", "b/pepper.yaml"}));
  const auto reference = run(*compile("glob_count", yaml, Profile::reference), tree, Profile::reference);
  EXPECT_EQ(reference.values["matches"], json::array({"c/pepper.{py,yaml}"}));  // a dead glob matches only this
}

TEST(GlobCount, LeZeroMeansAbsentAndConstantsAreOutputs) {
  MemoryTree tree;
  tree.add_file("data/x.db");
  auto check = compile("glob_count", R"(
    query: {patterns: ['**/*.ipynb', '**/*.db']}
    op: le
    value: 0
    constants: {forbidden_extensions: ['.ipynb', '.db']})");
  auto out = run(*check, tree);
  EXPECT_FALSE(out.passed);
  EXPECT_EQ(out.values["count"], 1);
  EXPECT_EQ(out.values["forbidden_extensions"], json::array({".ipynb", ".db"}));
  tree.remove("data/x.db");
  EXPECT_TRUE(run(*check, tree).passed);
}

TEST(GlobCount, ExcludePathContainsIsASubstringOfTheAbsolutePathInTheReference) {
  // docs/reference-compatibility.md#rc-17: `.git` also excludes `.github/...` and `*.gitkeep` in the reference; strict compares components.
  MemoryTree tree;
  tree.add_file(".github/cache.db");
  tree.add_file("data/x.db");
  const char* yaml = "{query: {patterns: ['**/*.db'], exclude_path_contains: ['.git']}, op: le, value: 0}";
  EXPECT_EQ(run(*compile("glob_count", yaml, Profile::reference), tree, Profile::reference).values["count"], 1);
  EXPECT_EQ(run(*compile("glob_count", yaml), tree).values["count"], 2);
}

TEST(GlobRatio, ThresholdAndEmptyDenominator) {
  auto check = compile("glob_ratio", R"(
    numerator: {patterns: ['**/implementations/*/manifest.yaml']}
    denominator: {patterns: ['**/implementations/*'], entry_kind: dir, exclude_names: [__pycache__, .git]}
    ratio: 0.7
    empty_denominator: pass)");
  MemoryTree tree;
  tree.add_file("README.md");
  EXPECT_TRUE(run(*check, tree).passed);
  for (int i = 0; i < 10; ++i) tree.add_dir("s/implementations/i" + std::to_string(i));
  tree.add_dir("s/implementations/__pycache__");
  for (int i = 0; i < 7; ++i) tree.add_file("s/implementations/i" + std::to_string(i) + "/manifest.yaml");
  auto out = run(*check, tree);
  EXPECT_TRUE(out.passed);
  EXPECT_EQ(out.values["numerator"], 7);
  EXPECT_EQ(out.values["denominator"], 10);
  tree.remove("s/implementations/i6/manifest.yaml");
  EXPECT_FALSE(run(*check, tree).passed);
}

TEST(GroupedChildren, GroupsDirectoriesByTheirGrandparent) {
  auto check = compile("grouped_children", R"(
    query: {patterns: ['**/implementations/*/']}
    group_by_ancestor: 2
    min_children: 2
    min_groups: 1)");
  MemoryTree tree;
  tree.add_dir("01_a/shards/01_s/implementations/python");
  tree.add_dir("01_a/shards/02_s/implementations/python");
  tree.add_file("01_a/shards/02_s/implementations/notes.md");  // a file, not an implementation
  auto out = run(*check, tree);
  EXPECT_FALSE(out.passed);
  EXPECT_EQ(out.values["groups"], 2);
  tree.add_dir("01_a/shards/02_s/implementations/rust");
  out = run(*check, tree);
  EXPECT_TRUE(out.passed);
  EXPECT_EQ(out.values["multi_groups"], json::array({"01_a/shards/02_s"}));
}

}  // namespace
}  // namespace sotcheck
