#include "sotcheck/pyyaml/bool_constructor.hpp"

#include <utility>

#include "sotcheck/pyyaml/error_quote.hpp"

namespace sotcheck::pyyaml {
namespace {

/// `text` equals the lower-case `word` once A-Z are lowered (PyYAML looks up value.lower()).
bool equals_lowered(std::string_view text, std::string_view word) {
  if (text.size() != word.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[i]) return false;
  }
  return true;
}

}  // namespace

bool construct_bool(std::string_view text, bool& out, std::string& error) {
  static constexpr std::pair<std::string_view, bool> k_values[] = {{"yes", true},    {"no", false}, {"true", true},
                                                                   {"false", false}, {"on", true},  {"off", false}};
  for (const auto& [word, value] : k_values) {
    if (equals_lowered(text, word)) {
      out = value;
      return true;
    }
  }
  error = "could not construct a bool from " + quote_for_error(text);
  return false;
}

}  // namespace sotcheck::pyyaml
