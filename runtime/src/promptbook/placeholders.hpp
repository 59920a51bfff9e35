// `<name>` parameter placeholders in promptbook steps, as Security Copilot writes them: angle
// brackets around a name with no spaces, case-sensitive. `\<` keeps an angle bracket literal.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace secpilot::promptbook::detail {

// A letter or '_', then letters, digits, '_' or '-': what fits between the brackets.
bool is_parameter_name(std::string_view name) noexcept;

struct Placeholder {
  std::string_view name;   // points into the scanned text
  std::size_t offset = 0;  // of its '<'
};

// Every `<name>` of `text`, in order; escaped ones (`\<name>`) are not placeholders.
std::vector<Placeholder> find_placeholders(std::string_view text);

// `text` with each placeholder replaced by value(name) and each `\<` by `<`.
std::string substitute(std::string_view text,
                       const std::function<std::string(std::string_view name)>& value);

// Whether `text` is one placeholder and nothing else (a direct-call input that may be left out).
bool is_single_placeholder(std::string_view text) noexcept;

}  // namespace secpilot::promptbook::detail
