// Keeps secrets out of what is sent to a model: every occurrence of a known secret value (plugin
// secrets, the model's own key) is replaced before a prompt or a tool's output leaves the host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace secpilot::model {

inline constexpr std::string_view kRedacted = "[REDACTED]";

class SecretRedactor {
 public:
  // Values shorter than `min_length` are ignored: they would redact ordinary words.
  explicit SecretRedactor(std::vector<std::string> secrets, std::size_t min_length = 6);

  // `text` with each secret replaced by kRedacted; longer secrets first, so that one containing
  // another is replaced whole.
  std::string operator()(std::string_view text) const;

 private:
  std::vector<std::string> secrets_;
};

}  // namespace secpilot::model
