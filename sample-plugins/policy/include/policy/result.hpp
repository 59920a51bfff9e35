// A value or the reason there is none, for errors that leave the core: the plugin turns them
// into skill errors, tests read the message.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace policy {

struct Error {
  enum class Kind { InvalidInput, TooLarge };
  Kind kind = Kind::InvalidInput;
  std::string message;  // what is wrong and how to fix it
};

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}      // NOLINT: implicit, like std::expected
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const Error& error() const noexcept { return error_; }

 private:
  std::optional<T> value_;
  Error error_;
};

}  // namespace policy
