#pragma once
/// An error a check cannot recover from that one file caused (the reference
/// profile's unguarded reads end the rule): evaluate_rule turns it into an
/// ERROR verdict whose finding names that file, so an ERROR says why and where.

#include <stdexcept>
#include <string>

#include "sotcheck/checks/finding.hpp"

namespace sotcheck::checks {

class FileError : public std::runtime_error {
 public:
  /// `what` is the error text as the verdict's message shows it; `path` is repository-relative.
  FileError(const std::string& what, std::string path) : std::runtime_error(what), m_path(std::move(path)) {}
  const std::string& path() const { return m_path; }
  /// The finding an ERROR verdict carries for this error.
  Finding finding() const {
    return make_finding(m_path, FindingKind::unreadable, m_path + " could not be read: " + what());
  }

 private:
  std::string m_path;
};

}  // namespace sotcheck::checks
