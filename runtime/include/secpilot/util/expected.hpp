// A value or an error a user can act on: how errors cross component boundaries in the runtime.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace secpilot {

// Mirrors the ABI's sp_status codes, so a skill's outcome reads the same on both sides.
enum class Status : int {
  ok = 0,
  invalid_input = 1,
  not_found = 2,
  unauthorized = 3,
  rate_limited = 4,
  upstream = 5,
  timeout = 6,
  cancelled = 7,
  internal = 8,
  too_large = 9,
  unsupported = 10,
  forbidden = 11,
};

// The snake_case name used in JSON output and messages ("invalid_input").
std::string_view status_name(Status status) noexcept;
// Maps a raw ABI code to a Status; unknown codes become Status::internal.
Status status_from_abi(int code) noexcept;

struct Error {
  Status status = Status::internal;
  std::string message;
};

inline Error make_error(Status status, std::string message) {
  return {status, std::move(message)};
}

// Minimal std::expected stand-in (C++23 is not available with GCC 12 in C++20 mode).
template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Expected(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

// For operations that return nothing but may fail.
struct Done {};
using Outcome = Expected<Done>;

}  // namespace secpilot
