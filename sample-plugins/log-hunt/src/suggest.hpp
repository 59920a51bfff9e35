// "did you mean X?" for misspelt names of tables, columns and functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace log_hunt {

// " — did you mean 'X'?" for the closest candidate within a small edit distance (case
// ignored), else "".
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace log_hunt
