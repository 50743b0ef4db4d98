#pragma once
/// Collects every problem found in an input (catalog, config) so the user sees
/// them all at once, each with file and line, before anything runs.

#include <string>
#include <vector>

namespace sotcheck::util {

struct Diagnostic {
  std::string file;
  int line = 0;  ///< 1-based; 0 when unknown
  std::string message;
  std::string to_string() const;  ///< "file:line: message"
};

class Diagnostics {
 public:
  void add(std::string file, int line, std::string message);
  bool empty() const { return m_items.empty(); }
  const std::vector<Diagnostic>& items() const { return m_items; }
  std::string to_string() const;  ///< one diagnostic per line

 private:
  std::vector<Diagnostic> m_items;
};

}  // namespace sotcheck::util
