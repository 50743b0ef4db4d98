// Which rules are about secrets, personal data or cryptography. The catalog
// has no category field yet, so the rule's title decides; these are the words
// every such rule of the catalog uses in its title.

#include <algorithm>
#include <array>
#include <cctype>

#include "sotcheck/report/report.hpp"

namespace sotcheck::report {

bool is_security_rule(const catalog::Rule& rule) {
  static constexpr std::array<std::string_view, 9> k_words = {
      "secret", "pii", "biometric", "encrypt", "crypto", "password", "credential", "private key", "personal data"};
  std::string title;
  title.reserve(rule.title.size());
  for (char c : rule.title) title += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::any_of(k_words.begin(), k_words.end(),
                     [&](std::string_view word) { return title.find(word) != std::string::npos; });
}

}  // namespace sotcheck::report
