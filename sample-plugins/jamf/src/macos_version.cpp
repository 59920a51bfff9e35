#include "jamf/macos_version.hpp"

namespace jamf {
namespace {

// Drops a trailing Rapid Security Response marker such as " (a)".
std::string_view without_rsr_suffix(std::string_view text) {
  const auto open = text.find(" (");
  if (open != std::string_view::npos && text.back() == ')') text = text.substr(0, open);
  return text;
}

}  // namespace

std::optional<MacosVersion> MacosVersion::parse(std::string_view text) {
  text = without_rsr_suffix(text);
  MacosVersion version;
  std::size_t at = 0;
  while (true) {
    if (version.count_ == version.parts_.size()) return std::nullopt;
    unsigned value = 0;
    std::size_t digits = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (++digits > 6) return std::nullopt;  // no real version part is that long
      value = value * 10 + static_cast<unsigned>(text[at] - '0');
      ++at;
    }
    if (digits == 0) return std::nullopt;
    version.parts_[version.count_++] = value;
    if (at == text.size()) return version;
    if (text[at] != '.') return std::nullopt;
    ++at;
  }
}

std::string MacosVersion::text() const {
  std::string out;
  for (std::size_t i = 0; i < count_; ++i) {
    if (i > 0) out += '.';
    out += std::to_string(parts_[i]);
  }
  return out;
}

}  // namespace jamf
