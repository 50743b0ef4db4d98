// Glob: Python 3.11 Path(R).rglob(P) path matching (docs/catalog-format.md G1..G7, 3.1, docs/reference-compatibility.md#rc-1).
// Expected values were checked against CPython 3.11 rglob on real trees.

#include "sotcheck/util/glob.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sotcheck::util {
namespace {

Glob must_compile(std::string_view pattern, BraceMode mode = BraceMode::literal) {
  auto glob = Glob::compile(pattern, mode);
  if (!glob) ADD_FAILURE() << "pattern '" << pattern << "': " << glob.error();
  return std::move(glob).value();
}

bool matches(std::string_view pattern, std::string_view path, BraceMode mode = BraceMode::literal) {
  return must_compile(pattern, mode).matches(path);
}

std::string compile_error(std::string_view pattern, BraceMode mode = BraceMode::literal) {
  auto glob = Glob::compile(pattern, mode);
  return glob ? std::string("<compiled>") : glob.error();
}

// ---- G1: anywhere below R ----------------------------------------------------

TEST(GlobTest, SimplePatternMatchesNameAtAnyDepth) {
  EXPECT_TRUE(matches("*.py", "a.py"));
  EXPECT_TRUE(matches("*.py", "x/y/a.py"));
  EXPECT_FALSE(matches("*.py", "a.pyc"));
  EXPECT_FALSE(matches("*.py", "a.py/readme"));
}

TEST(GlobTest, PatternWithSlashMatchesAtAnyDepthNotOnlyTopLevel) {
  const Glob g = must_compile("02_audit_logging/**/*.jsonl");
  EXPECT_TRUE(g.matches("02_audit_logging/b.jsonl"));
  EXPECT_TRUE(g.matches("02_audit_logging/a/b.jsonl"));
  EXPECT_TRUE(g.matches("x/y/02_audit_logging/a/b.jsonl"));
  EXPECT_FALSE(g.matches("x02_audit_logging/b.jsonl"));
  EXPECT_FALSE(g.matches("02_audit_logging.jsonl"));
  EXPECT_FALSE(g.matches("02_audit_logging/b.json"));
}

TEST(GlobTest, LeadingDoubleStarIsRedundant) {
  const Glob plain = must_compile("x/*.py");
  const Glob leading = must_compile("**/x/*.py");
  for (const char* path : {"x/a.py", "q/x/a.py", "q/r/x/a.py", "x/q/a.py", "a.py", "x"}) {
    EXPECT_EQ(plain.matches(path), leading.matches(path)) << path;
  }
}

// ---- G2: ** levels, * and ? within a name, classes -------------------------------

TEST(GlobTest, DoubleStarMatchesZeroLevels) {
  EXPECT_TRUE(matches("a/**/b", "a/b"));
  EXPECT_TRUE(matches("contracts/**/*.yaml", "contracts/x.yaml"));
}

TEST(GlobTest, DoubleStarMatchesManyLevels) {
  EXPECT_TRUE(matches("a/**/b", "a/x/b"));
  EXPECT_TRUE(matches("a/**/b", "a/x/y/z/b"));
  EXPECT_TRUE(matches("a/**/b", "q/a/x/b"));
  EXPECT_FALSE(matches("a/**/b", "a/x/bb"));
  EXPECT_FALSE(matches("a/**/b", "b"));
}

TEST(GlobTest, SeveralDoubleStarsBacktrackCorrectly) {
  const Glob g = must_compile("a/**/b/**/c/d");
  EXPECT_TRUE(g.matches("a/b/c/d"));
  EXPECT_TRUE(g.matches("x/a/a/b/a/b/c/c/d"));
  EXPECT_TRUE(g.matches("a/b/b/c/d"));
  EXPECT_FALSE(g.matches("a/c/d"));
  EXPECT_FALSE(g.matches("a/b/c"));
  EXPECT_FALSE(g.matches("b/a/c/d"));
}

TEST(GlobTest, StarNeverCrossesSlash) {
  EXPECT_TRUE(matches("a/*/b", "a/x/b"));
  EXPECT_FALSE(matches("a/*/b", "a/x/y/b"));
  EXPECT_FALSE(matches("a/*/b", "a/b"));
  EXPECT_FALSE(matches("a*b", "a/b"));
  EXPECT_TRUE(matches("*", "any/depth/name"));
}

TEST(GlobTest, StarMatchesEmptyAndRepeatedPieces) {
  EXPECT_TRUE(matches("*compliance*", "compliance"));
  EXPECT_TRUE(matches("*a*b*a", "abba"));
  EXPECT_TRUE(matches("*a*b*a", "aaba"));
  EXPECT_FALSE(matches("*a*b*a", "aab"));
  EXPECT_TRUE(matches("RFC*.md", "docs/RFC.md"));
  EXPECT_FALSE(matches("ab*ba", "aba"));  // prefix and suffix must not overlap
}

TEST(GlobTest, QuestionMarkMatchesExactlyOneCharacter) {
  EXPECT_TRUE(matches("?.py", "a.py"));
  EXPECT_FALSE(matches("?.py", "ab.py"));
  EXPECT_FALSE(matches("?.py", ".py"));
  EXPECT_FALSE(matches("a?b", "a/b"));
}

TEST(GlobTest, QuestionMarkCountsCodePointsAndStrayBytesAsPythonDoes) {
  EXPECT_TRUE(matches("?.py", "\xc3\xa9.py"));          // é is one character
  EXPECT_TRUE(matches("?.py", "\xf0\x9f\x98\x80.py"));  // so is an astral one
  EXPECT_TRUE(matches("?.py", "\xff.py"));              // an undecodable byte is one (surrogateescape)
  EXPECT_FALSE(matches("?.py", "\xe9\x41.py"));         // a stray byte plus 'A' are two
  EXPECT_TRUE(matches("??.py", "\xed\xa0.py"));         // an encoded surrogate is invalid: byte by byte
}

TEST(GlobTest, ClassesMatchSetsAndRanges) {
  EXPECT_TRUE(matches("[abc].txt", "b.txt"));
  EXPECT_FALSE(matches("[abc].txt", "d.txt"));
  EXPECT_TRUE(matches("v[0-9].md", "docs/v7.md"));
  EXPECT_FALSE(matches("v[0-9].md", "docs/vx.md"));
  EXPECT_TRUE(matches("[a-cx-z]", "y"));
  EXPECT_FALSE(matches("[a-cx-z]", "m"));
}

TEST(GlobTest, ClassNegationWithBang) {
  EXPECT_TRUE(matches("[!a-c]x", "dx"));
  EXPECT_FALSE(matches("[!a-c]x", "bx"));
  EXPECT_TRUE(matches("[!.]*", "visible"));
  EXPECT_FALSE(matches("[!.]*", ".hidden"));
  EXPECT_TRUE(matches("[^a]", "^"));  // '^' is not negation in fnmatch
  EXPECT_FALSE(matches("[^a]", "b"));
}

TEST(GlobTest, ClassClosingBracketFirstIsLiteral) {
  EXPECT_TRUE(matches("[]]", "]"));
  EXPECT_TRUE(matches("[]a]", "a"));
  EXPECT_TRUE(matches("[!]]", "x"));
  EXPECT_FALSE(matches("[!]]", "]"));
}

TEST(GlobTest, ClassHyphenAtEitherEndIsLiteral) {
  EXPECT_TRUE(matches("[a-]", "-"));
  EXPECT_TRUE(matches("[-a]", "-"));
  EXPECT_TRUE(matches("[!-a]", "b"));
  EXPECT_FALSE(matches("[!-a]", "-"));
  EXPECT_TRUE(matches("[a-c-e]", "-"));  // after a range, '-' is literal
  EXPECT_TRUE(matches("[a-c-e]", "e"));
  EXPECT_FALSE(matches("[a-c-e]", "d"));
}

TEST(GlobTest, ClassQuirksFollowPythonFnmatch) {
  EXPECT_FALSE(matches("[z-a]", "z"));  // reversed range: matches nothing
  EXPECT_FALSE(matches("[z-a]", "m"));
  EXPECT_TRUE(matches("[!z-a]", "m"));   // its negation: anything
  EXPECT_TRUE(matches("[x-a!b]", "c"));  // the dropped range leaves '!' first: [^b]
  EXPECT_FALSE(matches("[x-a!b]", "b"));
  EXPECT_TRUE(matches("[\\]", "\\"));  // no escape character in fnmatch
}

TEST(GlobTest, ClassesCompareCodePoints) {
  EXPECT_TRUE(matches("[\xc3\xa9]", "\xc3\xa9"));
  EXPECT_FALSE(matches("[!\xc3\xa9]", "\xc3\xa9"));
  EXPECT_TRUE(matches("[!\xc3\xa9]", "\xff"));
  EXPECT_TRUE(matches("[\xc3\xa0-\xc3\xbf]x", "\xc3\xbcx"));  // [à-ÿ] holds ü
  EXPECT_FALSE(matches("[\xc3\xa0-\xc3\xbf]x", "ux"));
}

TEST(GlobTest, EverythingElseIsLiteral) {
  EXPECT_TRUE(matches("a+b(c)$.py", "a+b(c)$.py"));
  EXPECT_FALSE(matches("a.py", "axpy"));
  EXPECT_TRUE(matches("a\\*", "a\\bc"));  // backslash does not escape
  EXPECT_FALSE(matches("a\\*", "a*"));
}

TEST(GlobTest, DoubleStarInsideAComponentIsAnError) {
  // Python 3.11: ValueError("Invalid pattern: '**' can only be an entire path component").
  EXPECT_NE(compile_error("a**"), "<compiled>");
  EXPECT_NE(compile_error("x/**.py"), "<compiled>");
  EXPECT_NE(compile_error("***"), "<compiled>");
}

// ---- G3 / docs/reference-compatibility.md#rc-1: braces ----------------------------------------------------------------

TEST(GlobTest, LiteralBraceModeMatchesOnlyLiteralBraceNames) {
  const Glob g = must_compile("*pepper*.{py,yaml,yml}", BraceMode::literal);
  EXPECT_FALSE(g.matches("x/pepper.py"));
  EXPECT_FALSE(g.matches("x/pepper.yaml"));
  EXPECT_TRUE(g.matches("x/my_pepper.{py,yaml,yml}"));
  EXPECT_EQ(g.alternative_count(), 1u);
}

TEST(GlobTest, LiteralBraceModeAcceptsUnbalancedBraces) {
  EXPECT_TRUE(matches("a{b", "a{b"));
  EXPECT_TRUE(matches("}", "}"));
  EXPECT_TRUE(matches("a,b", "a,b"));
}

TEST(GlobTest, ExpandBraceModeMatchesEachAlternative) {
  const Glob g = must_compile("*pepper*.{py,yaml,yml}", BraceMode::expand);
  EXPECT_TRUE(g.matches("x/pepper.py"));
  EXPECT_TRUE(g.matches("x/my_pepper.yaml"));
  EXPECT_TRUE(g.matches("pepper_salt.yml"));
  EXPECT_FALSE(g.matches("pepper.json"));
  EXPECT_FALSE(g.matches("x/pepper.{py,yaml,yml}"));
  EXPECT_EQ(g.alternative_count(), 3u);
}

TEST(GlobTest, ExpandBraceModeSupportsNesting) {
  const Glob g = must_compile("*.{py,{yaml,yml}}", BraceMode::expand);
  EXPECT_TRUE(g.matches("a.py"));
  EXPECT_TRUE(g.matches("a.yaml"));
  EXPECT_TRUE(g.matches("a.yml"));
  EXPECT_FALSE(g.matches("a.ym"));
  EXPECT_EQ(g.alternative_count(), 3u);
}

TEST(GlobTest, ExpandBraceModeAlternativesMayContainSlashes) {
  const Glob g = must_compile("{a/b,c}/x.py", BraceMode::expand);
  EXPECT_TRUE(g.matches("a/b/x.py"));
  EXPECT_TRUE(g.matches("q/c/x.py"));
  EXPECT_FALSE(g.matches("a/x.py"));
  EXPECT_FALSE(g.matches("b/x.py"));
}

TEST(GlobTest, ExpandBraceModeCombinesGroupsInSeveralComponents) {
  const Glob g = must_compile("{a,b}/{c,d}.py", BraceMode::expand);
  EXPECT_EQ(g.alternative_count(), 4u);
  EXPECT_TRUE(g.matches("a/c.py"));
  EXPECT_TRUE(g.matches("b/d.py"));
  EXPECT_TRUE(g.matches("z/a/d.py"));
  EXPECT_FALSE(g.matches("a/e.py"));
  EXPECT_FALSE(g.matches("c/c.py"));
}

TEST(GlobTest, ExpandBraceModeEmptyAlternativeInsideANameIsAllowed) {
  const Glob g = must_compile("x{,.bak}", BraceMode::expand);
  EXPECT_TRUE(g.matches("x"));
  EXPECT_TRUE(g.matches("x.bak"));
  EXPECT_FALSE(g.matches("x.b"));
}

TEST(GlobTest, ExpandBraceModeDeduplicatesAlternatives) {
  const Glob g = must_compile("*.{py,py,{py}}", BraceMode::expand);
  EXPECT_EQ(g.alternative_count(), 1u);
  EXPECT_TRUE(g.matches("a.py"));
}

TEST(GlobTest, ExpandBraceModeClassesSpellLiteralBraces) {
  EXPECT_TRUE(matches("[{]*[}]", "{a,b}", BraceMode::expand));
  EXPECT_TRUE(matches("x[,]y", "x,y", BraceMode::expand));
  EXPECT_TRUE(matches("{[},]}", "}", BraceMode::expand));  // a class inside a group
  EXPECT_TRUE(matches("a,b", "a,b", BraceMode::expand));   // top-level comma is literal
}

TEST(GlobTest, ExpandBraceModeAcceptsExactlyTheAlternativeLimit) {
  const std::string eight = "{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}";  // 2^8 = 256
  const Glob g = must_compile(eight, BraceMode::expand);
  EXPECT_EQ(g.alternative_count(), 256u);
  EXPECT_TRUE(g.matches("x/abbabaab"));
  EXPECT_FALSE(g.matches("x/abbabaa"));
}

TEST(GlobTest, ExpandBraceModeErrors) {
  EXPECT_NE(compile_error("a}", BraceMode::expand), "<compiled>");
  EXPECT_NE(compile_error("{a", BraceMode::expand), "<compiled>");
  EXPECT_NE(compile_error("{a,{b}", BraceMode::expand), "<compiled>");
  EXPECT_NE(compile_error("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", BraceMode::expand), "<compiled>");
  EXPECT_NE(compile_error(std::string(40, '{') + "a" + std::string(40, '}'), BraceMode::expand), "<compiled>");
  EXPECT_NE(compile_error("{,a}", BraceMode::expand), "<compiled>");    // empty alternative
  EXPECT_NE(compile_error("{/a,b}", BraceMode::expand), "<compiled>");  // absolute alternative
  EXPECT_NE(compile_error("{a/,b}", BraceMode::expand), "<compiled>");  // mixed directories-only
}

TEST(GlobTest, AbsurdBraceExpansionFailsFastWithoutBlowingUp) {
  std::string pattern;
  for (int i = 0; i < 60; ++i) pattern += "{a,b,c,d}";
  EXPECT_NE(compile_error(pattern, BraceMode::expand), "<compiled>");
  EXPECT_EQ(compile_error(pattern, BraceMode::literal), "<compiled>");
}

// ---- G4: trailing slash ---------------------------------------------------------------

TEST(GlobTest, TrailingSlashMeansDirectoriesOnlyAndIsIgnoredForMatching) {
  const Glob g = must_compile("**/implementations/*/");
  EXPECT_TRUE(g.directories_only());
  EXPECT_TRUE(g.matches("01_ai_layer/shards/01_x/implementations/python"));
  EXPECT_TRUE(g.matches("implementations/python"));
  EXPECT_FALSE(g.matches("x/implementations/python/manifest.yaml"));
  EXPECT_FALSE(g.matches("x/implementations"));
}

TEST(GlobTest, FinalDoubleStarMeansDirectoriesOnlyAsInPython311) {
  const Glob g = must_compile("a/**");
  EXPECT_TRUE(g.directories_only());
  EXPECT_TRUE(g.matches("a"));
  EXPECT_TRUE(g.matches("a/b"));
  EXPECT_TRUE(g.matches("x/a/b/c"));
  EXPECT_FALSE(g.matches("b/c"));
  EXPECT_TRUE(must_compile("**").matches("anything/at/all"));
}

TEST(GlobTest, PatternsWithoutTrailingSlashMatchAnyKind) {
  EXPECT_FALSE(must_compile("*.py").directories_only());
  EXPECT_FALSE(must_compile("**/implementations/*").directories_only());
  EXPECT_FALSE(must_compile("a/**/b").directories_only());
}

// ---- G5, G7 ---------------------------------------------------------------------------

TEST(GlobTest, HiddenNamesAreMatchedAndTraversed) {
  EXPECT_TRUE(matches("*", ".git"));
  EXPECT_TRUE(matches("?git", ".git"));
  EXPECT_TRUE(matches("*.yml", ".github/workflows/ci.yml"));
  EXPECT_TRUE(matches("**/x.py", ".venv/lib/x.py"));
  EXPECT_TRUE(matches("*.py", ".hidden.py"));
}

TEST(GlobTest, MatchingIsCaseSensitive) {
  EXPECT_TRUE(matches("**/Chart.yaml", "a/Chart.yaml"));
  EXPECT_FALSE(matches("**/Chart.yaml", "a/chart.yaml"));
  EXPECT_FALSE(matches("**/chart.yaml", "a/Chart.yaml"));
  EXPECT_FALSE(matches("*.py", "X.PY"));
  EXPECT_FALSE(matches("[a-z].py", "A.py"));
}

// ---- pathlib normalisation and errors ---------------------------------------------------

TEST(GlobTest, DotAndEmptyComponentsAreDroppedAsPathlibDoes) {
  const Glob g = must_compile(".//a/./b");
  EXPECT_TRUE(g.matches("a/b"));
  EXPECT_TRUE(g.matches("x/a/b"));
  EXPECT_FALSE(g.matches("a/x/b"));
}

TEST(GlobTest, CompileErrors) {
  EXPECT_NE(compile_error(""), "<compiled>");
  EXPECT_NE(compile_error("."), "<compiled>");
  EXPECT_NE(compile_error("./"), "<compiled>");
  EXPECT_NE(compile_error("/etc/*.conf"), "<compiled>");
  EXPECT_NE(compile_error("../x"), "<compiled>");
  EXPECT_NE(compile_error("a[b"), "<compiled>");
  EXPECT_NE(compile_error("["), "<compiled>");
  EXPECT_NE(compile_error("[]"), "<compiled>");
  EXPECT_NE(compile_error("[a/b]"), "<compiled>");  // a class never spans '/'
  EXPECT_NE(compile_error("bad\xff.py"), "<compiled>");
  EXPECT_NE(compile_error(std::string(Glob::k_max_pattern_length + 1, 'a')), "<compiled>");
}

TEST(GlobTest, ErrorMessagesSayWhatIsWrong) {
  EXPECT_NE(compile_error("a[b").find("unterminated '['"), std::string::npos);
  EXPECT_NE(compile_error("{a", BraceMode::expand).find("unterminated '{'"), std::string::npos);
  EXPECT_NE(compile_error("a}", BraceMode::expand).find("unbalanced '}'"), std::string::npos);
  EXPECT_NE(compile_error("/x").find("absolute"), std::string::npos);
}

TEST(GlobTest, EmptyPathNeverMatches) {
  EXPECT_FALSE(must_compile("*").matches(""));
  EXPECT_FALSE(must_compile("**").matches(""));
}

// ---- accessors and pre-filters ------------------------------------------------------------

TEST(GlobTest, PatternKeepsTheOriginalText) {
  EXPECT_EQ(must_compile("./a//*.py").pattern(), "./a//*.py");
  EXPECT_EQ(must_compile("*.{py,yml}", BraceMode::expand).pattern(), "*.{py,yml}");
  EXPECT_EQ(must_compile("*.{py,yml}", BraceMode::expand).brace_mode(), BraceMode::expand);
}

TEST(GlobTest, RequiredSuffixForCommonShapes) {
  EXPECT_EQ(must_compile("*.py").required_suffix(), ".py");
  EXPECT_EQ(must_compile("**/manifest.yaml").required_suffix(), "manifest.yaml");
  EXPECT_EQ(must_compile("[ab]?.json").required_suffix(), ".json");
  EXPECT_EQ(must_compile("*pepper*.{py,yaml,yml}").required_suffix(), ".{py,yaml,yml}");
  EXPECT_EQ(must_compile("*.{yml,html}", BraceMode::expand).required_suffix(), "ml");
  EXPECT_EQ(must_compile("*.{py,yaml}", BraceMode::expand).required_suffix(), "");
  EXPECT_EQ(must_compile("*compliance*").required_suffix(), "");
  EXPECT_EQ(must_compile("a/**").required_suffix(), "");
}

TEST(GlobTest, FinalSuffixesListEachAlternativeEnding) {
  EXPECT_EQ(must_compile("**/*pii*.{py,yaml,yml}", BraceMode::expand).final_suffixes(),
            (std::vector<std::string>{".py", ".yaml", ".yml"}));
  EXPECT_EQ(must_compile("*{.yaml,ml}", BraceMode::expand).final_suffixes(), std::vector<std::string>{"ml"});
  EXPECT_EQ(must_compile("*.py").final_suffixes(), std::vector<std::string>{".py"});
  EXPECT_TRUE(must_compile("{*.py,*}", BraceMode::expand).final_suffixes().empty());
  EXPECT_TRUE(must_compile("*compliance*").final_suffixes().empty());
}

TEST(GlobTest, ExactNamesForLiteralLastComponents) {
  EXPECT_EQ(must_compile("**/manifest.yaml").exact_names(), std::vector<std::string>{"manifest.yaml"});
  EXPECT_EQ(must_compile("Chart.{yml,yaml}", BraceMode::expand).exact_names(),
            (std::vector<std::string>{"Chart.yaml", "Chart.yml"}));
  EXPECT_TRUE(must_compile("*.py").exact_names().empty());
  EXPECT_TRUE(must_compile("{a,*.py}", BraceMode::expand).exact_names().empty());
  EXPECT_TRUE(must_compile("manifest.yaml/**").exact_names().empty());
}

TEST(GlobTest, NameOnlyPatternsMatchAPathExactlyWhenTheyMatchItsName) {
  for (const char* pattern : {"*.py", "**/manifest.yaml", "*{tls,ssl}*.{py,yaml}", "[!.]*", "**/**/x.md"}) {
    const Glob g = must_compile(pattern, BraceMode::expand);
    EXPECT_TRUE(g.name_only()) << pattern;
    for (const char* path : {"a.py", "x/y/a.py", "manifest.yaml", "deep/er/manifest.yaml", "tls_config.yaml",
                             "d/.hidden", "x.md", "a/b/x.md", "py"}) {
      const std::string_view p = path;
      EXPECT_EQ(g.matches(p), g.matches(p.substr(p.rfind('/') + 1))) << pattern << " on " << path;
    }
  }
  for (const char* pattern : {"a/*.py", "**/tests/**/*.py", "shards/*/", "a/**", "{*.py,x/*.py}"})
    EXPECT_FALSE(must_compile(pattern, BraceMode::expand).name_only()) << pattern;
}

TEST(GlobTest, AMatchSplitAtTheLastSlashEqualsTheWholeMatch) {
  // Every shape of pattern the split covers: anchored tails of one and several components, floating
  // segments before them, `**` at the start, middle and repeated, classes, `?` on multi-byte and stray bytes,
  // brace alternatives that differ in one component, in several, or in their number of components, and a
  // directories-only pattern; against paths at the root and deep, with names that are suffixes, empty
  // components' neighbours and non-UTF-8 bytes.
  const std::vector<const char*> patterns = {
      "*.py", "a/*.py", "a/b/*.py", "**/a/**/b/*.py", "a/**/*.py", "*/x/*", "*/*", "[0-9][0-9]_*/shards/[0-9][0-9]_*/*",
      "**/implementations/*", "x/**/x/**/x", "?/?.py", "[!a]*/[!.]*", "{a/b,c}/*.{py,md}", "{a,b/c/d}/x",
      "a/{b,c}/{d,e}/f.py", "*compliance*/*.{rego,py,yaml,yml}", ".github/workflows/*.{yml,yaml}", "shards/*/",
      "\xc3\xa9/*", "23_compliance/**/*.{md,pdf}"};
  const std::vector<std::string> dirs = {"", "a", "a/b", "x", "x/x/x", "a/x/b", "c", "b/c/d", "01_r/shards/02_s",
                                         "z/01_r/shards/02_s", "a/b/c/b", "my_compliance_x", ".github/workflows",
                                         "q/.github/workflows", "\xc3\xa9", "\xff/a", "23_compliance/x/y",
                                         "p/implementations", "a/c/e", "a/b/d"};
  const std::vector<std::string> names = {"a.py", "x.py", "x", "f.py", "a.md", "y.yml", "r.rego", ".py", "py",
                                          ".hidden", "\xc3\xa9", "\xff.py", "d", "b", "implementations"};
  std::size_t matched = 0;
  for (const BraceMode mode : {BraceMode::expand, BraceMode::literal}) {
    for (const char* pattern : patterns) {
      const Glob g = must_compile(pattern, mode);
      ASSERT_TRUE(g.splits_at_name()) << pattern;
      for (const std::string& dir : dirs) {
        const std::uint64_t mask = g.directory_mask(dir);
        for (const std::string& name : names) {
          const std::string path = dir.empty() ? name : dir + "/" + name;
          EXPECT_EQ(g.matches_in(mask, name), g.matches(path)) << pattern << " on " << path;
          matched += g.matches(path) ? 1 : 0;
        }
      }
    }
  }
  EXPECT_GT(matched, 100u);
  // A final `**` leaves no name component to split at.
  EXPECT_FALSE(must_compile("a/**").splits_at_name());
  EXPECT_FALSE(must_compile("{a,b/c}/**", BraceMode::expand).splits_at_name());
}

TEST(GlobTest, MayMatchNameIsANecessaryCondition) {
  const Glob g = must_compile("**/implementations/*/manifest.yaml");
  EXPECT_TRUE(g.may_match_name("manifest.yaml"));
  EXPECT_FALSE(g.may_match_name("chart.yaml"));
  EXPECT_TRUE(must_compile("a/**").may_match_name("anything"));
}

TEST(GlobTest, CompiledGlobIsCopyableAndMovable) {
  const Glob original = must_compile("*.{py,yml}", BraceMode::expand);
  const Glob copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  std::vector<Glob> globs;
  globs.push_back(copy);
  EXPECT_TRUE(globs[0].matches("a/b.yml"));
  EXPECT_TRUE(original.matches("b.py"));
}

// ---- The real patterns of docs/catalog-format.md ----------------------------------------------------

struct Case {
  const char* pattern;
  BraceMode mode;
  const char* path;
  bool expected;
};

constexpr BraceMode k_lit = BraceMode::literal;
constexpr BraceMode k_exp = BraceMode::expand;

const Case k_rules_cases[] = {
    {"**/manifest.yaml", k_lit, "01_ai_layer/shards/01_x/implementations/py/manifest.yaml", true},
    {"**/manifest.yaml", k_lit, "manifest.yaml", true},
    {"**/manifest.yaml", k_lit, "a/manifest.yml", false},
    {"**/manifest.yaml", k_lit, "a/Manifest.yaml", false},
    {"**/manifest.yaml", k_lit, "a/manifest.yaml.bak", false},
    {"**/manifest.yaml", k_lit, "a/my_manifest.yaml", false},
    {"**/Chart.yaml", k_lit, "01_ai_layer/Chart.yaml", true},
    {"**/Chart.yaml", k_lit, "01_ai_layer/chart.yaml", false},
    {"**/chart.yaml", k_lit, "01_ai_layer/shards/01_identitaet/chart.yaml", true},
    {"**/chart.yaml", k_lit, "Chart.yaml", false},
    {"**/implementations/*/manifest.yaml", k_lit, "r/shards/s/implementations/python/manifest.yaml", true},
    {"**/implementations/*/manifest.yaml", k_lit, "implementations/p/manifest.yaml", true},
    {"**/implementations/*/manifest.yaml", k_lit, "r/implementations/manifest.yaml", false},
    {"**/implementations/*/manifest.yaml", k_lit, "r/implementations/a/b/manifest.yaml", false},
    {"**/implementations/*", k_lit, "r/implementations/x", true},
    {"**/implementations/*", k_lit, "r/implementations", false},
    {"**/implementations/*", k_lit, "r/implementations/x/y", false},
    {"**/implementations/*/", k_lit, "r/implementations/x", true},
    {"implementations/**/*.py", k_lit, "a/implementations/x.py", true},
    {"implementations/**/*.py", k_lit, "a/implementations/b/c/x.py", true},
    {"implementations/**/*.py", k_lit, "a/implementation/x.py", false},
    {"*compliance*/*.{rego,py,yaml,yml}", k_lit, "23_compliance/p.rego", false},
    {"*compliance*/*.{rego,py,yaml,yml}", k_lit, "23_compliance/p.{rego,py,yaml,yml}", true},
    {"*compliance*/*.{rego,py,yaml,yml}", k_exp, "23_compliance/p.rego", true},
    {"*compliance*/*.{rego,py,yaml,yml}", k_exp, "x/my_compliance_dir/a.yml", true},
    {"*compliance*/*.{rego,py,yaml,yml}", k_exp, "23_compliance/policies/p.rego", false},
    {"*compliance*/*.{rego,py,yaml,yml}", k_exp, "compliance/a.json", false},
    {"**/contracts/**/*.yaml", k_lit, "16_codex/contracts/sot/sot_contract_data.yaml", true},
    {"**/contracts/**/*.yaml", k_lit, "contracts/a.yaml", true},
    {"**/contracts/**/*.yaml", k_lit, "x/contracts.yaml", false},
    {"**/contracts/**/*.yaml", k_lit, "x/contracts/a/b/c.yml", false},
    {"**/contracts/**/*.yml", k_lit, "x/contracts/a/b/c.yml", true},
    {"**/*network*.{py,yaml,yml}", k_lit, "a/network.py", false},
    {"**/*network*.{py,yaml,yml}", k_lit, "a/network.{py,yaml,yml}", true},
    {"**/*network*.{py,yaml,yml}", k_exp, "a/the_network_cfg.yml", true},
    {"**/*network*.{py,yaml,yml}", k_exp, "network.py", true},
    {"**/*network*.{py,yaml,yml}", k_exp, "a/network.json", false},
    {"**/*network*.{py,yaml,yml}", k_exp, "a/Network.py", false},
    {"**/*pii*.{py,yaml,yml}", k_exp, "03_core/pii_redactor.py", true},
    {"**/*pii*.{py,yaml,yml}", k_lit, "03_core/pii_redactor.py", false},
    {"*.rego", k_lit, "23_compliance/policies/x.rego", true},
    {"*.rego", k_lit, "x.rego.bak", false},
    {"**/*.rego", k_lit, "x.rego", true},
    {"23_compliance/**/*.rego", k_lit, "23_compliance/a/b/x.rego", true},
    {"23_compliance/**/*.rego", k_lit, "23_compliance/x.rego", true},
    {"23_compliance/**/*.rego", k_lit, "x/23_compliance/x.rego", true},
    {"23_compliance/**/*.rego", k_lit, "24_meta/x.rego", false},
    {"23_compliance/**/*.{py,rego}", k_exp, "23_compliance/a/x.py", true},
    {"02_audit_logging/**/*.jsonl", k_lit, "02_audit_logging/logs/2025/a.jsonl", true},
    {"02_audit_logging/**/*ledger*.{jsonl,json}", k_exp, "02_audit_logging/x/ledger_1.json", true},
    {"02_audit_logging/**/*ledger*.{jsonl,json}", k_lit, "02_audit_logging/x/ledger_1.json", false},
    {".github/workflows/*.{yaml,yml}", k_exp, ".github/workflows/ci.yml", true},
    {".github/workflows/*.{yaml,yml}", k_exp, "sub/.github/workflows/ci.yaml", true},
    {".github/workflows/*.{yaml,yml}", k_exp, ".github/workflows/x/ci.yml", false},
    {".github/workflows/*.{yaml,yml}", k_lit, ".github/workflows/ci.yml", false},
    {".github/workflows/*sanction*.{yml,yaml}", k_exp, ".github/workflows/sanctions_daily.yml", true},
    {"contracts/**/*.{openapi.yaml,schema.json}", k_exp, "contracts/a.openapi.yaml", true},
    {"contracts/**/*.{openapi.yaml,schema.json}", k_exp, "x/contracts/s/b.schema.json", true},
    {"contracts/**/*.{openapi.yaml,schema.json}", k_lit, "contracts/a.openapi.yaml", false},
    {"**/*{vuln,scan,security,trivy,snyk}*.{yaml,yml,py}", k_exp, "ci/trivy-config.yaml", true},
    {"**/*{vuln,scan,security,trivy,snyk}*.{yaml,yml,py}", k_exp, "security.md", false},
    {"**/*{vuln,scan,security,trivy,snyk}*.{yaml,yml,py}", k_lit, "ci/trivy-config.yaml", false},
    {"*{verbindliche,mandatory,required}*root*.{yaml,yml,md}", k_exp, "docs/mandatory_root_list.md", true},
    {"*{verbindliche,mandatory,required}*root*.{yaml,yml,md}", k_exp, "docs/root_mandatory.md", false},
    {"*{README,STRUCTURE,grundprinzipien}*.md", k_exp, "README.md", true},
    {"*{README,STRUCTURE,grundprinzipien}*.md", k_exp, "readme.md", false},
    {"**/templates/*hpa*.yaml", k_lit, "chart/templates/hpa.yaml", true},
    {"**/templates/*hpa*.yaml", k_lit, "chart/templates/x/hpa.yaml", false},
    {"**/RFC*.md", k_lit, "docs/RFC-001.md", true},
    {"**/RFC*.md", k_lit, "docs/rfc-001.md", false},
    {"**/rfcs/*.md", k_lit, "docs/rfcs/0001.md", true},
    {"**/*entities_to_check.json", k_lit, "x/sanctions_entities_to_check.json", true},
    {"**/*entities_to_check.json", k_lit, "x/entities_to_check.json", true},
    {"structure_exceptions.yaml", k_lit, "a/b/structure_exceptions.yaml", true},
    {"structure_exceptions.yaml", k_lit, "a/b/structure_exceptions.yml", false},
    {"**/compat*.py", k_lit, "x/compat_layer.py", true},
    {"**/*.schema.json", k_lit, "a.schema.json", true},
    {"**/*.schema.json", k_lit, "schema.json", false},
    {"**/tests/**/*.{py,yaml,yml}", k_exp, "a/tests/unit/t.py", true},
    {"**/tests/**/*.{py,yaml,yml}", k_exp, "tests/t.yml", true},
    {"**/tests/**/*.{py,yaml,yml}", k_exp, "a/test/t.yml", false},
    {"*.{py,js,ts,yaml,yml,json}", k_exp, "x/y.ts", true},
    {"*.{py,js,ts,yaml,yml,json}", k_exp, "x/y.tsx", false},
    {"**/GOVERNANCE.md", k_lit, "07_governance/GOVERNANCE.md", true},
    {"**/governance/*.{yaml,yml,md}", k_exp, "07_governance_legal/governance/board.md", true},
    {"*gdpr*.py", k_lit, "23_compliance/gdpr_check.py", true},
    {"**/*.ipynb", k_lit, ".venv/share/x.ipynb", true},
};

TEST(GlobTest, RulesMdPatternsTable) {
  for (const Case& c : k_rules_cases) {
    auto glob = Glob::compile(c.pattern, c.mode);
    ASSERT_TRUE(glob.ok()) << c.pattern << ": " << glob.error();
    EXPECT_EQ(glob->matches(c.path), c.expected)
        << c.pattern << (c.mode == BraceMode::expand ? " [expand]" : " [literal]") << " vs " << c.path;
  }
}

TEST(GlobTest, EveryRulesMdPatternCompilesInBothModes) {
  for (const Case& c : k_rules_cases) {
    EXPECT_TRUE(Glob::compile(c.pattern, BraceMode::literal).ok()) << c.pattern;
    EXPECT_TRUE(Glob::compile(c.pattern, BraceMode::expand).ok()) << c.pattern;
  }
}

}  // namespace
}  // namespace sotcheck::util
