#include "sotcheck/util/diagnostics.hpp"

namespace sotcheck::util {

std::string Diagnostic::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": " + message;
  return out;
}

void Diagnostics::add(std::string file, int line, std::string message) {
  // The same problem can be found twice (a rule is compiled once per
  // profile); report it once.
  for (const Diagnostic& d : m_items)
    if (d.file == file && d.line == line && d.message == message) return;
  m_items.push_back({std::move(file), line, std::move(message)});
}

std::string Diagnostics::to_string() const {
  std::string out;
  for (const Diagnostic& d : m_items) out += d.to_string() + "\n";
  return out;
}

}  // namespace sotcheck::util
