// Small pieces of KQL text the intents share: quoted values, time and host filters.
#ifndef KQL_SKILLS_SRC_GENERATE_QUERY_TEXT_HPP
#define KQL_SKILLS_SRC_GENERATE_QUERY_TEXT_HPP

#include <string>
#include <string_view>
#include <vector>

#include "generate/intent.hpp"

namespace kql_skills {

// A KQL string literal; every value from a request goes through this (no injection).
std::string kql_literal(std::string_view value);
// ("a", "b", "c")
std::string quoted_list(const std::vector<std::string>& values);
// `Column == "a"` for one value, `Column in ("a", "b")` for more; with `ignore_case`,
// `=~` and `in~`.
std::string equals_any(std::string_view column, const std::vector<std::string>& values,
                       bool ignore_case);

// The request's window, or `fallback_days` days recorded as an assumption in `generated`.
TimeWindow window_or_default(const Request& request, int fallback_days, Generated& generated);

// `| where Column > ago(7d)` (and an upper bound for windows like "yesterday").
std::string time_filter(std::string_view column, const TimeWindow& window);

// A device name as people write it (WS-042) against the FQDN Defender stores
// (ws-042.contoso.com): equal ignoring case, or the first label of the FQDN.
std::string host_condition(std::string_view column, std::string_view host);
// host_condition for each host, joined with `or` (parenthesised when more than one).
std::string hosts_condition(std::string_view column, const std::vector<std::string>& hosts);

// "a", "a and b", "a, b and c"
std::string join_words(const std::vector<std::string>& words);

// The last label of a user (CONTOSO\jdoe -> jdoe).
std::string account_name(std::string_view user);

}  // namespace kql_skills

#endif  // KQL_SKILLS_SRC_GENERATE_QUERY_TEXT_HPP
