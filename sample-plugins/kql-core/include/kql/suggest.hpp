// "Did you mean ...?": the closest known name to a misspelt one.
#ifndef KQL_SUGGEST_HPP
#define KQL_SUGGEST_HPP

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kql {

// The candidate closest to `name` by case-insensitive edit distance (a transposition counts as
// one edit), when it is close enough to be a plausible typo: at most a third of the name's
// length, and always at least one edit allowed; a candidate that differs only in case wins.
std::optional<std::string> closest_match(std::string_view name,
                                         const std::vector<std::string>& candidates);

// " Did you mean 'X'?" or "" — for appending to a message.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace kql

#endif  // KQL_SUGGEST_HPP
