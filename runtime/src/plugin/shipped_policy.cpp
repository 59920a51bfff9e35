#include "secpilot/plugin/shipped_policy.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>

#include "plugin/library_checks.hpp"
#include "secpilot/util/ascii.hpp"
#include "secpilot/util/executable.hpp"

namespace secpilot::plugin {
namespace {

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

}  // namespace

std::filesystem::path first_party_list_path() {
  const auto here = executable_dir();
  if (here.empty()) return {};
  return (here / "../share/secpilot/first-party.sha256").lexically_normal();
}

Expected<std::vector<std::string>> read_first_party_list(const std::filesystem::path& file,
                                                         bool allow_writable) {
  if (auto checked = check_owner_and_mode(file, allow_writable, "first-party list"); !checked)
    return checked.error();
  std::ifstream in(file);
  if (!in) return make_error(Status::not_found, "cannot read " + file.string());
  std::vector<std::string> digests;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    const auto end = line.find_first_of(" \t\r", start);
    const std::string_view digest =
        std::string_view(line).substr(start, end == std::string::npos ? end : end - start);
    if (!is_sha256_hex(digest))
      return make_error(Status::invalid_input,
                        file.string() + ":" + std::to_string(number) +
                            ": expected a SHA-256 (64 hex digits) then a file name, as "
                            "`sha256sum` writes them");
    digests.push_back(to_lower_ascii(digest));
  }
  return digests;
}

void apply_shipped_policy(config::Settings& settings, const std::filesystem::path& list) {
  settings.enforce_isolation();
  std::error_code error;
  if (list.empty() || !std::filesystem::exists(list, error)) return;
  auto digests = read_first_party_list(list, settings.allow_writable_plugins());
  if (!digests) {
    spdlog::error("first-party list ignored, no library is trusted by it: {}",
                  digests.error().message);
    return;
  }
  spdlog::debug("first-party list {}: {} libraries", list.string(), digests->size());
  settings.set_first_party_sha256(std::move(*digests));
}

}  // namespace secpilot::plugin
