// Ratio and Quantifier (quantifier.hpp): how per-file outcomes become a
// rule's `passed`, with thresholds held as exact fractions.

#include "sotcheck/checks/quantifier.hpp"

#include <cmath>
#include <cstdio>

namespace sotcheck::checks {

std::optional<Ratio> Ratio::parse(std::string_view text) {
  Ratio r;
  bool seen_digit = false, seen_point = false;
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    if (r.numerator > 100000000ll || r.denominator > 100000000ll) return std::nullopt;  // 9 significant digits
    r.numerator = r.numerator * 10 + (c - '0');
    if (seen_point) r.denominator *= 10;
  }
  if (!seen_digit) return std::nullopt;
  return r;
}

bool Ratio::reached(std::size_t value, std::size_t total) const {
  // value / total >= numerator / denominator  <=>  value * denominator >= numerator * total (all non-negative).
  unsigned long long lhs = 0, rhs = 0;
  const bool overflow =
      __builtin_mul_overflow(static_cast<unsigned long long>(value), static_cast<unsigned long long>(denominator),
                             &lhs) ||
      __builtin_mul_overflow(static_cast<unsigned long long>(total), static_cast<unsigned long long>(numerator), &rhs);
  if (!overflow) return lhs >= rhs;
  // Beyond 64 bits (never with real file counts): long double keeps 64 mantissa bits, enough for the decision.
  return static_cast<long double>(value) * denominator >= static_cast<long double>(total) * numerator;
}

Quantifier Quantifier::parse(Params& params, const std::string& key) {
  Quantifier q;
  const ParamNode node = params.node(key);
  if (!node.is_defined()) return q;
  const auto bad = [&](const std::string& message, const ParamNode& at) { params.error(message, at); };
  const auto empty_of = [&](const ParamNode& map) {
    const ParamNode e = map["empty"];
    if (!e.is_defined()) return;
    if (e.is_scalar() && (e.scalar() == "pass" || e.scalar() == "fail")) {
      q.empty_passes = e.scalar() == "pass";
    } else {
      bad("'empty' must be pass or fail", e);
    }
  };
  if (node.is_scalar()) {
    const std::string& s = node.scalar();
    if (s == "any") {
      q.kind = Kind::any;
    } else if (s == "all") {
      q.kind = Kind::all;
    } else if (s == "none") {
      q.kind = Kind::none;
    } else {
      bad("quantifier '" + s + "': expected any, all, none, {count_ge: k} or {ratio_ge: {...}}", node);
    }
    return q;
  }
  if (!node.is_map()) {
    bad("'" + key + "' must be any, all, none, {count_ge: k} or {ratio_ge: {...}}", node);
    return q;
  }
  if (node["count_ge"]) {
    q.kind = Kind::count_ge;
    for (const auto& kv : node)
      if (kv.first.scalar() != "count_ge" && kv.first.scalar() != "empty")
        bad("unknown key '" + kv.first.scalar() + "' in count_ge", kv.first);
    empty_of(node);
    if (const auto k = node["count_ge"].to_integer()) {
      q.k = *k;
    } else {
      bad("'count_ge' must be an integer", node["count_ge"]);
    }
    return q;
  }
  if (node["ratio_ge"]) {
    q.kind = Kind::ratio_ge;
    for (const auto& kv : node)
      if (kv.first.scalar() != "ratio_ge") bad("unknown key '" + kv.first.scalar() + "' in a quantifier", kv.first);
    const ParamNode r = node["ratio_ge"];
    if (!r.is_map() || !r["x"].is_scalar()) {
      bad("ratio_ge needs {x: number, denominator: found|sampled, empty: pass|fail}", r);
      return q;
    }
    for (const auto& kv : r) {
      const std::string k = kv.first.scalar();
      if (k != "x" && k != "denominator" && k != "empty") bad("unknown key '" + k + "' in ratio_ge", kv.first);
    }
    const auto ratio = Ratio::parse(r["x"].scalar());
    if (!ratio) {
      bad("ratio_ge x must be a non-negative decimal number", r["x"]);
    } else {
      q.ratio = *ratio;
    }
    if (r["denominator"]) {
      const std::string d = r["denominator"].is_scalar() ? r["denominator"].scalar() : "";
      if (d != "found" && d != "sampled") bad("'denominator' must be found or sampled", r["denominator"]);
      q.denominator_found = d != "sampled";
    }
    empty_of(r);
    if (!q.empty_passes) bad("ratio_ge needs 'empty: pass' or 'empty: fail'", r);
    return q;
  }
  bad("'" + key + "' must be any, all, none, {count_ge: k} or {ratio_ge: {...}}", node);
  return q;
}

std::string Ratio::percent_text() const {
  // Exact in tenths of a percent for every ratio the catalog can write (a decimal over a power of ten).
  const long double percent = 100.0L * static_cast<long double>(numerator) / static_cast<long double>(denominator);
  char buf[64];
  const long long tenths = std::llround(static_cast<double>(percent * 10.0L));
  if (tenths % 10 == 0) {
    std::snprintf(buf, sizeof buf, "%lld %%", tenths / 10);
  } else {
    std::snprintf(buf, sizeof buf, "%lld.%lld %%", tenths / 10, tenths % 10);
  }
  return buf;
}

std::string Quantifier::requirement() const {
  switch (kind) {
    case Kind::any: return "at least one file";
    case Kind::all: return "every file";
    case Kind::none: return "no file";
    case Kind::count_ge: return k == 1 ? "at least one file" : "at least " + std::to_string(k) + " files";
    case Kind::ratio_ge: return "at least " + ratio.percent_text() + " of the files";
  }
  return "every file";
}

bool Quantifier::passed(std::size_t found, std::size_t sampled, std::size_t matched, std::size_t violating) const {
  if (found == 0 && empty_passes) return *empty_passes;
  switch (kind) {
    case Kind::any:
      return matched >= 1;
    case Kind::all:
      return violating == 0;
    case Kind::none:
      return matched == 0;
    case Kind::count_ge:
      return static_cast<long long>(matched) >= k;
    case Kind::ratio_ge: {
      const std::size_t total = denominator_found ? found : sampled;
      if (total == 0) return empty_passes.value_or(false);
      return ratio.reached(matched, total);
    }
  }
  return false;
}

}  // namespace sotcheck::checks
