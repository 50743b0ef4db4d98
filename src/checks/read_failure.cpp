// Read failures of the content primitives (read_failure.hpp).

#include "read_failure.hpp"

#include "sotcheck/checks/file_error.hpp"

namespace sotcheck::checks {

bool handle_read_failure(const TextRead& read, std::string_view path, const std::string& error,
                         nlohmann::ordered_json& errors) {
  switch (read.on_failure) {
    case TextRead::OnFailure::skip:
      return false;
    case TextRead::OnFailure::abort:
      throw FileError(error, std::string(path));
    case TextRead::OnFailure::report:
      errors.push_back({{"file", std::string(path)}, {"error", error}});
      return true;
  }
  return false;
}

Finding unreadable_finding(const nlohmann::ordered_json& error) {
  const std::string file = error.at("file").get<std::string>();
  return make_finding(file, FindingKind::unreadable,
                      file + " could not be read: " + error.at("error").get<std::string>());
}

}  // namespace sotcheck::checks
