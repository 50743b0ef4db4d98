#include "sotcheck/util/glob.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>

namespace sotcheck::util {
namespace {

// ---------------------------------------------------------------------------
// UTF-8. Python decodes file names with surrogateescape: a valid sequence is
// one code point, every byte of an invalid one is its own code point
// U+DC80..U+DCFF. Restarting at the next byte after any failure gives the same
// split, because every byte inside an invalid sequence after the first is a
// continuation byte, which is never a valid start.

struct Unit {
  char32_t code_point;
  std::size_t length;
};

/// Decodes one UTF-8 sequence at s[i] (i < s.size()); `valid` reports whether it was well formed.
Unit decode_unit(std::string_view s, std::size_t i, bool* valid) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  *valid = true;
  if (b0 < 0x80) return {b0, 1};
  std::size_t need = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1, cp = b0 & 0x1Fu, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2, cp = b0 & 0x0Fu, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3, cp = b0 & 0x07u, min = 0x10000;
  }
  if (need != 0 && s.size() - i > need) {
    std::size_t k = 1;
    for (; k <= need; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0u) != 0x80u) break;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if (k > need && cp >= min && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF)) return {cp, need + 1};
  }
  *valid = false;
  return {0xDC00u + b0, 1};
}

inline Unit decode_lenient(std::string_view s, std::size_t i) {
  bool valid = false;
  return decode_unit(s, i, &valid);
}

/// Strict decode of a whole string (patterns come from YAML, so they are UTF-8).
bool decode_strict(std::string_view s, std::u32string* out) {
  out->clear();
  for (std::size_t i = 0; i < s.size();) {
    bool valid = false;
    const Unit u = decode_unit(s, i, &valid);
    if (!valid) return false;
    out->push_back(u.code_point);
    i += u.length;
  }
  return true;
}

void append_utf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

inline bool bytes_equal(const char* a, const char* b, std::size_t n) {
  return n == 0 || std::memcmp(a, b, n) == 0;
}

inline bool has_suffix(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && bytes_equal(s.data() + s.size() - suffix.size(), suffix.data(), suffix.size());
}

// ---------------------------------------------------------------------------
// Brace expansion (BraceMode::expand). Recursive descent over the raw pattern:
// sequence := (text | class | '{' sequence (',' sequence)* '}')*. A `[...]`
// class is copied untouched (found with fnmatch's own scan, never crossing '/'),
// so it is the escape for literal braces. Outside braces ',' is literal.

/// Index just past the class starting at text[open] == '[', or open + 1 if it is unterminated.
std::size_t class_extent(std::string_view text, std::size_t open) {
  std::size_t j = open + 1;
  if (j < text.size() && text[j] == '!') ++j;
  if (j < text.size() && text[j] == ']') ++j;
  while (j < text.size() && text[j] != ']' && text[j] != '/') ++j;
  return j < text.size() && text[j] == ']' ? j + 1 : open + 1;
}

class BraceExpander {
 public:
  explicit BraceExpander(std::string_view text) : m_text(text) {}

  Result<std::vector<std::string>> run() {
    std::vector<std::string> out;
    if (!sequence(0, &out)) return make_error(m_error);
    return out;
  }

 private:
  bool fail(std::string message) {
    m_error = std::move(message);
    return false;
  }

  static void append_all(std::vector<std::string>* acc, std::string_view text) {
    for (auto& s : *acc) s.append(text);
  }

  /// Parses until the end (depth 0) or an unnested ',' / '}' (depth > 0), leaving m_pos on it.
  bool sequence(std::size_t depth, std::vector<std::string>* out) {
    std::vector<std::string> acc{std::string()};
    std::size_t run_start = m_pos;
    auto flush = [&] { append_all(&acc, m_text.substr(run_start, m_pos - run_start)); };
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c == '{') {
        flush();
        const std::size_t open = m_pos++;
        std::vector<std::string> alternatives;
        if (!group(depth + 1, open, &alternatives)) return false;
        if (acc.size() * alternatives.size() > Glob::k_max_alternatives) {
          return fail("brace expansion yields more than " + std::to_string(Glob::k_max_alternatives) + " alternatives");
        }
        std::vector<std::string> product;
        product.reserve(acc.size() * alternatives.size());
        for (const auto& a : acc)
          for (const auto& b : alternatives) product.push_back(a + b);
        acc = std::move(product);
        run_start = m_pos;
      } else if (c == '}' || (c == ',' && depth > 0)) {
        if (depth == 0) return fail("unbalanced '}' at offset " + std::to_string(m_pos));
        break;
      } else if (c == '[') {
        m_pos = class_extent(m_text, m_pos);
      } else {
        ++m_pos;
      }
    }
    flush();
    *out = std::move(acc);
    return true;
  }

  /// m_pos is just past the '{' at `open`; consumes through the matching '}'.
  bool group(std::size_t depth, std::size_t open, std::vector<std::string>* out) {
    if (depth > Glob::k_max_brace_depth) {
      return fail("braces nested deeper than " + std::to_string(Glob::k_max_brace_depth));
    }
    for (;;) {
      std::vector<std::string> alternative;
      if (!sequence(depth, &alternative)) return false;
      if (out->size() + alternative.size() > Glob::k_max_alternatives) {
        return fail("brace expansion yields more than " + std::to_string(Glob::k_max_alternatives) + " alternatives");
      }
      for (auto& a : alternative) out->push_back(std::move(a));
      if (m_pos >= m_text.size()) return fail("unterminated '{' at offset " + std::to_string(open));
      const char c = m_text[m_pos++];
      if (c == '}') return true;
      // c == ',': next alternative.
    }
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
  std::string m_error;
};

}  // namespace

// ---------------------------------------------------------------------------
// Compilation.

struct Glob::Compiler {
  struct ClassToken {
    char32_t code_point;
    bool range_operator;  // an unescaped '-' in the regex fnmatch.translate builds
  };

  static void add_range(CharClass* cls, char32_t lo, char32_t hi) {
    for (char32_t cp = lo; cp <= hi && cp < 0x80; ++cp) cls->ascii[cp >> 6] |= std::uint64_t{1} << (cp & 63);
    if (hi >= 0x80) cls->wide_ranges.emplace_back(std::max<char32_t>(lo, 0x80), hi);
  }

  // Reproduces fnmatch.translate (3.11) for one class, then what Python's re
  // makes of the resulting `[...]`, including its oddities: `[z-a]` matches
  // nothing, `[!z-a]` everything, and a range emptied at the front can leave a
  // '!' that becomes a negation (`[x-a!b]` = `[^b]`). `pat[open]` is '['.
  static Result<CharClass> compile_class(const std::u32string& pat, std::size_t open, std::size_t* next) {
    const std::size_t n = pat.size();
    const std::size_t i = open + 1;
    std::size_t j = i;
    if (j < n && pat[j] == U'!') ++j;
    if (j < n && pat[j] == U']') ++j;
    while (j < n && pat[j] != U']') ++j;
    if (j >= n) {
      // Python reads an unterminated '[' as a literal; a catalog typo is likelier, so we refuse it.
      return make_error("unterminated '[' (write '[[]' for a literal '[')");
    }
    *next = j + 1;

    std::vector<ClassToken> tokens;
    const std::u32string stuff = pat.substr(i, j - i);
    if (stuff.find(U'-') == std::u32string::npos) {
      for (const char32_t c : stuff) tokens.push_back({c, false});
    } else {
      // fnmatch splits at hyphens that can form ranges, drops reversed ranges, and
      // escapes every other hyphen.
      std::vector<std::u32string> chunks;
      std::size_t start = i;
      std::size_t k = pat[i] == U'!' ? i + 2 : i + 1;
      for (;;) {
        const std::size_t hyphen = k < j ? pat.find(U'-', k) : std::u32string::npos;
        if (hyphen == std::u32string::npos || hyphen >= j) break;
        chunks.push_back(pat.substr(start, hyphen - start));
        start = hyphen + 1;
        k = hyphen + 3;
      }
      std::u32string last = pat.substr(start, j - start);
      if (!last.empty() || chunks.empty()) {
        chunks.push_back(std::move(last));
      } else {
        chunks.back().push_back(U'-');
      }
      for (std::size_t m = chunks.size() - 1; m >= 1; --m) {
        // Python would raise IndexError on an empty chunk; the scan above cannot produce one.
        if (chunks[m - 1].empty() || chunks[m].empty()) return make_error("malformed character class");
        if (chunks[m - 1].back() > chunks[m].front()) {
          chunks[m - 1].pop_back();
          chunks[m - 1].append(chunks[m], 1);
          chunks.erase(chunks.begin() + static_cast<std::ptrdiff_t>(m));
        }
      }
      for (std::size_t m = 0; m < chunks.size(); ++m) {
        if (m > 0) tokens.push_back({U'-', true});
        for (const char32_t c : chunks[m]) tokens.push_back({c, false});
      }
    }

    CharClass cls;
    if (tokens.empty()) return cls;  // "(?!)": matches nothing
    const auto is_bang = [](const ClassToken& t) { return !t.range_operator && t.code_point == U'!'; };
    if (tokens.size() == 1 && is_bang(tokens[0])) {
      cls.negated = true;  // "." : matches any character
      return cls;
    }
    std::size_t idx = 0;
    if (is_bang(tokens[0])) {
      cls.negated = true;
      idx = 1;
    }
    // Python's re class parser: an item, then an unescaped '-' and an item make a range;
    // a '-' right before ']' is literal; anything else is a single character.
    while (idx < tokens.size()) {
      const ClassToken lo = tokens[idx++];
      if (idx < tokens.size() && tokens[idx].range_operator) {
        ++idx;
        if (idx >= tokens.size()) {
          add_range(&cls, lo.code_point, lo.code_point);
          add_range(&cls, U'-', U'-');
          break;
        }
        const ClassToken hi = tokens[idx++];
        if (hi.code_point < lo.code_point) return make_error("bad character range in class");
        add_range(&cls, lo.code_point, hi.code_point);
      } else {
        add_range(&cls, lo.code_point, lo.code_point);
      }
    }
    return cls;
  }

  static Result<NameMatcher> compile_name(std::string_view component) {
    NameMatcher nm;
    nm.source = std::string(component);
    std::u32string pat;
    if (!decode_strict(component, &pat)) return make_error("pattern is not valid UTF-8");

    std::string run;  // pending literal bytes
    auto flush = [&] {
      if (run.empty()) return;
      nm.tokens.push_back(
          {Token::Kind::literal, static_cast<std::uint32_t>(nm.text.size()), static_cast<std::uint32_t>(run.size())});
      nm.text += run;
      run.clear();
    };
    for (std::size_t p = 0; p < pat.size();) {
      const char32_t c = pat[p];
      if (c == U'*') {
        flush();
        // fnmatch compresses consecutive stars; none reach here today (a name holding
        // `**` is rejected), but the matchers rely on stars never being adjacent.
        if (nm.tokens.empty() || nm.tokens.back().kind != Token::Kind::star) nm.tokens.push_back({Token::Kind::star});
        ++p;
      } else if (c == U'?') {
        flush();
        nm.tokens.push_back({Token::Kind::one});
        ++p;
      } else if (c == U'[') {
        std::size_t next = 0;
        auto cls = compile_class(pat, p, &next);
        if (!cls) return make_error(cls.error() + " in '" + nm.source + "'");
        flush();
        nm.tokens.push_back({Token::Kind::char_class, static_cast<std::uint32_t>(nm.classes.size())});
        nm.classes.push_back(std::move(*cls));
        p = next;
      } else {
        append_utf8(c, &run);
        ++p;
      }
    }
    flush();

    const auto literal_of = [&](const Token& t) { return nm.text.substr(t.offset, t.length); };
    bool only_literals_and_stars = true;
    bool has_star = false;
    for (const Token& t : nm.tokens) {
      if (t.kind == Token::Kind::star) has_star = true;
      if (t.kind != Token::Kind::literal && t.kind != Token::Kind::star) only_literals_and_stars = false;
    }
    if (only_literals_and_stars && !has_star) {
      nm.kind = NameMatcher::Kind::literal;
      nm.head = std::move(nm.text);
      nm.text.clear();
      nm.tokens.clear();
    } else if (only_literals_and_stars && nm.tokens.size() == 1) {
      nm.kind = NameMatcher::Kind::any;
    } else if (only_literals_and_stars) {
      nm.kind = NameMatcher::Kind::star_literals;
      std::size_t first = 0;
      std::size_t end = nm.tokens.size();
      if (nm.tokens.front().kind == Token::Kind::literal) nm.head = literal_of(nm.tokens[first++]);
      if (nm.tokens.back().kind == Token::Kind::literal) nm.tail = literal_of(nm.tokens[--end]);
      for (std::size_t t = first; t < end; ++t) {
        if (nm.tokens[t].kind == Token::Kind::literal) nm.mids.push_back(literal_of(nm.tokens[t]));
      }
      nm.min_length = nm.head.size() + nm.tail.size();
      for (const auto& m : nm.mids) nm.min_length += m.size();
      nm.tokens.clear();
      nm.text.clear();
    } else {
      nm.kind = NameMatcher::Kind::general;
    }
    return nm;
  }

  /// One alternative's text to its program; `directories_only` gets G4 (and 3.11's final `**`).
  static Result<Program> compile_program(std::string_view text, bool* directories_only) {
    if (text.empty()) return make_error("pattern is empty");
    // pathlib: a root makes the pattern absolute ("Non-relative patterns are unsupported").
    if (text.front() == '/') return make_error("absolute patterns are not supported");
    Program program;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t slash = text.find('/', start);
      if (slash == std::string_view::npos) slash = text.size();
      const std::string_view part = text.substr(start, slash - start);
      start = slash + 1;
      // pathlib drops empty and "." components: "a//b" and "./a/./b" are "a/b".
      if (part.empty() || part == ".") continue;
      if (part == "..") return make_error("'..' components are not supported");
      Component component;
      if (part == "**") {
        component.recursive = true;
      } else {
        if (part.find("**") != std::string_view::npos) {
          return make_error("'**' can only be an entire path component ('" + std::string(part) + "')");
        }
        auto name = compile_name(part);
        if (!name) return make_error(name.error());
        component.alternatives.push_back(std::move(*name));
      }
      program.components.push_back(std::move(component));
    }
    if (program.components.empty()) return make_error("pattern has no path components");
    *directories_only = text.back() == '/' || program.components.back().recursive;
    return program;
  }

  static void append_component_key(const Component& c, std::string* key) {
    if (c.recursive) {
      key->append("R;");
      return;
    }
    std::vector<std::string_view> sources;
    for (const auto& a : c.alternatives) sources.push_back(a.source);
    std::sort(sources.begin(), sources.end());
    for (const auto s : sources) {
      key->append(std::to_string(s.size())).push_back(':');
      key->append(s);
    }
    key->push_back(';');
  }

  static std::string program_key(const Program& p, std::size_t skip) {
    std::string key = std::to_string(p.components.size()) + "|";
    for (std::size_t k = 0; k < p.components.size(); ++k) {
      if (k == skip) {
        key.append("?;");
      } else {
        append_component_key(p.components[k], &key);
      }
    }
    return key;
  }

  // Brace expansions usually differ in one component only (`*.{py,yaml}`,
  // `.github/workflows/*.{yml,yaml}`). Programs equal everywhere but at one
  // name component k are merged into one whose component k accepts either
  // name: the placements of components are the same for both, so "some
  // placement matches A or some matches B" equals "some placement matches
  // (A or B) at k". Repeats until nothing merges; exact duplicates vanish too.
  static std::vector<Program> merge_programs(std::vector<Program> programs) {
    constexpr std::size_t k_no_skip = static_cast<std::size_t>(-1);
    {
      std::unordered_map<std::string, bool> seen;
      std::vector<Program> unique;
      for (auto& p : programs) {
        if (seen.emplace(program_key(p, k_no_skip), true).second) unique.push_back(std::move(p));
      }
      programs = std::move(unique);
    }
    bool changed = true;
    while (changed && programs.size() > 1) {
      changed = false;
      std::size_t longest = 0;
      for (const auto& p : programs) longest = std::max(longest, p.components.size());
      for (std::size_t k = 0; k < longest; ++k) {
        std::unordered_map<std::string, std::size_t> bucket;
        std::vector<Program> out;
        for (auto& p : programs) {
          if (k >= p.components.size() || p.components[k].recursive) {
            out.push_back(std::move(p));
            continue;
          }
          const auto [it, inserted] = bucket.emplace(program_key(p, k), out.size());
          if (inserted) {
            out.push_back(std::move(p));
            continue;
          }
          auto& into = out[it->second].components[k].alternatives;
          for (auto& alt : p.components[k].alternatives) {
            const bool present =
                std::any_of(into.begin(), into.end(), [&](const NameMatcher& m) { return m.source == alt.source; });
            if (!present) into.push_back(std::move(alt));
          }
          changed = true;
        }
        programs = std::move(out);
      }
    }
    return programs;
  }

  static void build_segments(Program* p) {
    p->segments.clear();
    Segment current;
    for (auto& c : p->components) {
      if (c.recursive) {
        if (!current.empty()) p->segments.push_back(std::move(current));
        current.clear();
      } else {
        // Cheap alternatives first (literal and suffix tests before token programs),
        // and star_literals grouped by tail so that Component::matches tests each
        // distinct tail once: `*{a,b,c,d}*.{py,yaml}` has 8 alternatives, 2 tails.
        auto& alts = c.alternatives;
        std::stable_sort(alts.begin(), alts.end(), [](const NameMatcher& a, const NameMatcher& b) {
          if (a.kind != b.kind) return a.kind < b.kind;
          return a.kind == NameMatcher::Kind::star_literals && a.tail < b.tail;
        });
        for (std::size_t i = alts.size(); i-- > 0;) {
          const bool same_as_next = i + 1 < alts.size() && alts[i + 1].kind == NameMatcher::Kind::star_literals &&
                                    alts[i + 1].tail == alts[i].tail;
          alts[i].next_tail_group = same_as_next ? alts[i + 1].next_tail_group : static_cast<std::uint32_t>(i + 1);
        }
        current.push_back(std::move(c));
      }
    }
    if (!current.empty()) p->segments.push_back(std::move(current));
    p->tail_anchored = !p->components.back().recursive;
    p->components.clear();  // segments now own the matchers
  }

  static void compute_prefilters(Glob* g) {
    bool anchored = true;
    bool literal_names = true;
    bool first = true;
    std::string suffix;
    std::vector<std::string> names;
    for (const auto& p : g->m_programs) {
      if (!p.tail_anchored) {
        anchored = false;
        break;
      }
      for (const auto& alt : p.segments.back().back().alternatives) {
        const std::string_view s = alt.literal_suffix();
        if (first) {
          suffix = std::string(s);
          first = false;
        } else {
          std::size_t common = 0;
          while (common < suffix.size() && common < s.size() &&
                 suffix[suffix.size() - 1 - common] == s[s.size() - 1 - common]) {
            ++common;
          }
          suffix.erase(0, suffix.size() - common);
        }
        if (alt.kind == NameMatcher::Kind::literal) {
          names.push_back(alt.head);
        } else {
          literal_names = false;
        }
      }
    }
    if (!anchored) return;
    g->m_required_suffix = std::move(suffix);
    // Any-of suffix filter: brace alternatives such as `.{py,yaml,yml}` share no
    // common suffix, yet most paths end in none of them. A suffix that has a
    // shorter member of the set as its own suffix adds nothing.
    std::vector<std::string> finals;
    for (const auto& p : g->m_programs) {
      for (const auto& alt : p.segments.back().back().alternatives) finals.emplace_back(alt.literal_suffix());
    }
    std::sort(finals.begin(), finals.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    std::vector<std::string> kept;
    for (auto& f : finals) {
      if (f.empty()) {
        kept.clear();  // some alternative accepts any ending
        break;
      }
      const bool covered =
          std::any_of(kept.begin(), kept.end(), [&](const std::string& k) { return has_suffix(f, k); });
      if (!covered) kept.push_back(std::move(f));
    }
    std::sort(kept.begin(), kept.end());
    g->m_final_suffixes = std::move(kept);
    if (literal_names) {
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      g->m_exact_names = std::move(names);
    }
  }
};

Result<Glob> Glob::compile(std::string_view pattern, BraceMode mode) {
  if (pattern.empty()) return make_error("pattern is empty");
  if (pattern.size() > k_max_pattern_length) {
    return make_error("pattern longer than " + std::to_string(k_max_pattern_length) + " bytes");
  }
  std::u32string scratch;
  if (!decode_strict(pattern, &scratch)) return make_error("pattern is not valid UTF-8");

  std::vector<std::string> alternatives;
  if (mode == BraceMode::expand) {
    auto expanded = BraceExpander(pattern).run();
    if (!expanded) return make_error(expanded.error());
    alternatives = std::move(*expanded);
    std::sort(alternatives.begin(), alternatives.end());
    alternatives.erase(std::unique(alternatives.begin(), alternatives.end()), alternatives.end());
  } else {
    alternatives.emplace_back(pattern);
  }

  Glob glob;
  glob.m_pattern = std::string(pattern);
  glob.m_brace_mode = mode;
  glob.m_alternative_count = alternatives.size();
  std::vector<Program> programs;
  for (std::size_t a = 0; a < alternatives.size(); ++a) {
    bool directories_only = false;
    auto program = Compiler::compile_program(alternatives[a], &directories_only);
    if (!program) {
      if (alternatives.size() == 1) return make_error(program.error());
      return make_error("alternative '" + alternatives[a] + "': " + program.error());
    }
    if (a == 0) {
      glob.m_directories_only = directories_only;
    } else if (directories_only != glob.m_directories_only) {
      // One flag per pattern keeps the caller's kind filter simple; mixing is never intended.
      return make_error("brace alternatives disagree on directories-only (trailing '/' or final '**')");
    }
    programs.push_back(std::move(*program));
  }
  glob.m_programs = Compiler::merge_programs(std::move(programs));
  for (auto& p : glob.m_programs) Compiler::build_segments(&p);
  Compiler::compute_prefilters(&glob);
  // `**/NAME` (the leading `**` is rglob's): one anchored segment of one component decides alone.
  glob.m_name_only = std::all_of(glob.m_programs.begin(), glob.m_programs.end(), [](const Program& p) {
    return p.tail_anchored && p.segments.size() == 1 && p.segments.front().size() == 1;
  });
  glob.m_splits_at_name =
      glob.m_programs.size() <= k_max_split_alternatives &&
      std::all_of(glob.m_programs.begin(), glob.m_programs.end(), [](const Program& p) { return p.tail_anchored; });
  return glob;
}

// ---------------------------------------------------------------------------
// Matching. Nothing below allocates.

bool Glob::CharClass::contains(char32_t cp) const {
  bool in = false;
  if (cp < 0x80) {
    in = ((ascii[cp >> 6] >> (cp & 63)) & 1u) != 0;
  } else {
    for (const auto& [lo, hi] : wide_ranges) {
      if (cp >= lo && cp <= hi) {
        in = true;
        break;
      }
    }
  }
  return in != negated;
}

std::string_view Glob::NameMatcher::literal_suffix() const {
  switch (kind) {
    case Kind::literal:
      return head;
    case Kind::star_literals:
      return tail;
    case Kind::general:
      if (!tokens.empty() && tokens.back().kind == Token::Kind::literal) {
        return std::string_view(text).substr(tokens.back().offset, tokens.back().length);
      }
      return {};
    case Kind::any:
      break;
  }
  return {};
}

bool Glob::NameMatcher::matches(std::string_view name) const {
  switch (kind) {
    case Kind::any:
      return true;
    case Kind::literal:
      return name == head;
    case Kind::star_literals: {
      if (name.size() < min_length) return false;
      if (!bytes_equal(name.data(), head.data(), head.size())) return false;
      if (!has_suffix(name, tail)) return false;
      // Leftmost placement of each middle literal leaves the most room for the
      // next; UTF-8 literals can only match on character boundaries.
      const std::string_view middle = name.substr(0, name.size() - tail.size());
      std::size_t pos = head.size();
      for (const auto& mid : mids) {
        const std::size_t found = middle.find(mid, pos);
        if (found == std::string_view::npos) return false;
        pos = found + mid.size();
      }
      return true;
    }
    case Kind::general:
      return matches_general(name);
  }
  return false;
}

// Classic single-backtrack wildcard matching: on a mismatch only the most
// recent star grows, one character at a time. Correct because the pieces
// between stars have fixed length (fnmatch.translate relies on the same fact).
bool Glob::NameMatcher::matches_general(std::string_view name) const {
  constexpr std::size_t k_none = static_cast<std::size_t>(-1);
  const std::size_t n = name.size();
  const std::size_t count = tokens.size();
  std::size_t ni = 0;
  std::size_t ti = 0;
  std::size_t star_ti = k_none;
  std::size_t star_ni = 0;
  for (;;) {
    if (ti < count) {
      const Token& t = tokens[ti];
      if (t.kind == Token::Kind::star) {
        if (ti + 1 == count) return true;
        star_ti = ti++;
        star_ni = ni;
        continue;
      }
      if (ni < n) {
        if (t.kind == Token::Kind::literal) {
          if (n - ni >= t.length && bytes_equal(name.data() + ni, text.data() + t.offset, t.length)) {
            ni += t.length;
            ++ti;
            continue;
          }
        } else {
          const Unit u = decode_lenient(name, ni);
          if (t.kind == Token::Kind::one || classes[t.offset].contains(u.code_point)) {
            ni += u.length;
            ++ti;
            continue;
          }
        }
      }
    } else if (ni == n) {
      return true;
    }
    if (star_ti == k_none || star_ni >= n) return false;
    star_ni += decode_lenient(name, star_ni).length;
    ni = star_ni;
    ti = star_ti + 1;
  }
}

bool Glob::Component::matches(std::string_view name) const {
  for (std::size_t i = 0; i < alternatives.size();) {
    const NameMatcher& alt = alternatives[i];
    if (alt.kind == NameMatcher::Kind::star_literals && !has_suffix(name, alt.tail)) {
      i = alt.next_tail_group;  // every alternative up to there needs this same tail
      continue;
    }
    if (alt.matches(name)) return true;
    ++i;
  }
  return false;
}

// The path is `** S0 ** S1 ... ** Sk [**]`. An anchored last segment must
// match the final components, tested from the end (most entries fail on the
// very last name). The floating segments are then placed leftmost, in order,
// in what remains: the same greedy argument as for stars within a name.
bool Glob::Program::matches(std::string_view path) const { return matches_before(path, path.size(), true, 0); }

bool Glob::Program::matches_before(std::string_view path, std::size_t end, bool prefix_left,
                                   std::size_t tail_done) const {
  std::size_t limit = end;  // floating segments live in path[0, limit); prefix_left: it holds a component
  std::size_t floating = segments.size();
  if (tail_anchored) {
    const Segment& tail = segments.back();
    for (std::size_t i = tail.size() - tail_done; i-- > 0;) {
      if (!prefix_left) return false;
      const std::size_t slash = end == 0 ? std::string_view::npos : path.rfind('/', end - 1);
      const std::size_t start = slash == std::string_view::npos ? 0 : slash + 1;
      if (!tail[i].matches(path.substr(start, end - start))) return false;
      if (slash == std::string_view::npos) {
        prefix_left = false;
        end = 0;
      } else {
        end = slash;
      }
    }
    limit = end;
    --floating;
  }
  // Index just past the component starting at `pos`, i.e. at its '/' or at `limit`.
  const auto component_end = [&](std::size_t pos) {
    const std::size_t slash = path.find('/', pos);
    return slash == std::string_view::npos || slash > limit ? limit : slash;
  };
  std::size_t cursor = 0;
  bool cursor_valid = prefix_left;
  for (std::size_t s = 0; s < floating; ++s) {
    const Segment& segment = segments[s];
    for (;;) {
      if (!cursor_valid) return false;
      std::size_t pos = cursor;
      bool pos_valid = true;
      bool ok = true;
      for (const Component& c : segment) {
        if (!pos_valid) {
          ok = false;
          break;
        }
        const std::size_t e = component_end(pos);
        if (!c.matches(path.substr(pos, e - pos))) {
          ok = false;
          break;
        }
        if (e >= limit) {
          pos_valid = false;
        } else {
          pos = e + 1;
        }
      }
      if (ok) {
        cursor = pos;
        cursor_valid = pos_valid;
        break;
      }
      const std::size_t e = component_end(cursor);
      if (e >= limit) {
        cursor_valid = false;
      } else {
        cursor = e + 1;
      }
    }
  }
  return true;
}

bool Glob::matches(std::string_view relpath) const {
  if (relpath.empty()) return false;
  // m_required_suffix is implied: it is a suffix of every member of m_final_suffixes.
  if (!m_final_suffixes.empty()) {
    bool any = false;
    for (const auto& s : m_final_suffixes) {
      if (has_suffix(relpath, s)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  for (const auto& p : m_programs) {
    if (p.matches(relpath)) return true;
  }
  return false;
}

// Program::matches on `dir/name` first matches the name with the tail's last component, then goes on in
// path[0, dir.size()), which holds exactly `dir`, with a component left when dir is not empty: that second
// part is matches_before(dir, ..., 1). The final-suffix filter reads only the name (no suffix holds '/').
std::uint64_t Glob::directory_mask(std::string_view dir) const {
  std::uint64_t mask = 0;
  for (std::size_t i = 0; i < m_programs.size(); ++i)
    if (m_programs[i].matches_before(dir, dir.size(), !dir.empty(), 1)) mask |= std::uint64_t{1} << i;
  return mask;
}

bool Glob::matches_in(std::uint64_t directory_mask, std::string_view name) const {
  if (name.empty() || directory_mask == 0) return false;
  if (!m_final_suffixes.empty() && std::none_of(m_final_suffixes.begin(), m_final_suffixes.end(),
                                                [&](const std::string& s) { return has_suffix(name, s); }))
    return false;
  for (std::size_t i = 0; i < m_programs.size(); ++i)
    if ((directory_mask >> i & 1u) != 0 && m_programs[i].segments.back().back().matches(name)) return true;
  return false;
}

bool Glob::may_match_name(std::string_view name) const {
  for (const auto& p : m_programs) {
    if (!p.tail_anchored || p.segments.back().back().matches(name)) return true;
  }
  return false;
}

}  // namespace sotcheck::util
