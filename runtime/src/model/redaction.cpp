#include "secpilot/model/redaction.hpp"

#include <algorithm>

namespace secpilot::model {

SecretRedactor::SecretRedactor(std::vector<std::string> secrets, std::size_t min_length) {
  std::erase_if(secrets, [&](const std::string& secret) { return secret.size() < min_length; });
  std::sort(secrets.begin(), secrets.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
  secrets_ = std::move(secrets);
}

std::string SecretRedactor::operator()(std::string_view text) const {
  std::string out(text);
  for (const std::string& secret : secrets_) {
    for (auto at = out.find(secret); at != std::string::npos;
         at = out.find(secret, at + kRedacted.size()))
      out.replace(at, secret.size(), kRedacted);
  }
  return out;
}

}  // namespace secpilot::model
