// The one exception the core throws for input a person must fix: the plugin turns it into
// SP_ERR_INVALID_INPUT with the message unchanged.
#pragma once

#include <stdexcept>
#include <string>

namespace incident {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace incident
