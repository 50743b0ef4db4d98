#pragma once
/// Result<T>: a value or an error message, for library code that can fail in
/// ordinary ways (bad input, I/O). Rule outcomes are not errors: they are
/// verdicts (exec/verdict.hpp). Exceptions from third-party parsers are caught
/// at the module edge and turned into a Result.

#include <string>
#include <utility>
#include <variant>

namespace sotcheck::util {

/// An error message meant for a human; the caller adds context as it climbs.
struct Error {
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return m_state.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(m_state); }
  const T& value() const& { return std::get<0>(m_state); }
  T&& value() && { return std::get<0>(std::move(m_state)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const std::string& error() const { return std::get<1>(m_state).message; }

 private:
  std::variant<T, Error> m_state;
};

/// Result<void>: success or an error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : m_error(std::move(error.message)), m_failed(true) {}  // NOLINT
  bool ok() const { return !m_failed; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return m_error; }

 private:
  std::string m_error;
  bool m_failed = false;
};

inline Error make_error(std::string message) { return Error{std::move(message)}; }

}  // namespace sotcheck::util
