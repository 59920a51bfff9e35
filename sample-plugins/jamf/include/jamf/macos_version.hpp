// A macOS version such as 13.6.1, compared number by number (13.10 is newer than 13.9; 14 equals
// 14.0.0), as Jamf Pro reports it in operatingSystem.version.
#pragma once

#include <array>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace jamf {

class MacosVersion {
 public:
  // "13", "13.6", "13.6.1" or "13.6.1.2", optionally followed by a Rapid Security Response
  // suffix such as " (a)", which is ignored. Anything else is nullopt.
  static std::optional<MacosVersion> parse(std::string_view text);

  std::string text() const;  // as parsed, without the suffix: "13.6.1"

  std::strong_ordering operator<=>(const MacosVersion& other) const {
    return parts_ <=> other.parts_;
  }
  bool operator==(const MacosVersion& other) const { return parts_ == other.parts_; }

 private:
  std::array<unsigned, 4> parts_{};  // missing parts are 0
  std::size_t count_ = 0;
};

}  // namespace jamf
