#include "generate/query_text.hpp"

#include "kql/print.hpp"

namespace kql_skills {

std::string kql_literal(std::string_view value) {
  return kql::quote_string(value);
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::string text = "(";
  for (size_t i = 0; i < values.size(); ++i)
    text += (i ? ", " : "") + kql_literal(values[i]);
  return text + ")";
}

std::string equals_any(std::string_view column, const std::vector<std::string>& values,
                       bool ignore_case) {
  const std::string name(column);
  if (values.size() == 1)
    return name + (ignore_case ? " =~ " : " == ") + kql_literal(values.front());
  return name + (ignore_case ? " in~ " : " in ") + quoted_list(values);
}

TimeWindow window_or_default(const Request& request, int fallback_days, Generated& generated) {
  if (request.entities.window) return *request.entities.window;
  TimeWindow window;
  window.phrase =
      fallback_days == 1 ? "the last day" : "the last " + std::to_string(fallback_days) + " days";
  window.lower_kql = "ago(" + std::to_string(fallback_days) + "d)";
  window.from_request = false;
  generated.assumptions.push_back("No time window was given, so the query covers " + window.phrase +
                                  "; say e.g. \"in the last 24 hours\" to change it.");
  return window;
}

std::string time_filter(std::string_view column, const TimeWindow& window) {
  const std::string name(column);
  if (window.upper_kql.empty()) return "| where " + name + " > " + window.lower_kql;
  return "| where " + name + " between (" + window.lower_kql + " .. " + window.upper_kql + ")";
}

std::string host_condition(std::string_view column, std::string_view host) {
  const std::string name(column);
  if (host.find('.') != std::string_view::npos) return name + " =~ " + kql_literal(host);
  return "(" + name + " =~ " + kql_literal(host) + " or " + name + " startswith " +
         kql_literal(std::string(host) + ".") + ")";
}

std::string hosts_condition(std::string_view column, const std::vector<std::string>& hosts) {
  std::string text;
  for (size_t i = 0; i < hosts.size(); ++i)
    text += (i ? " or " : "") + host_condition(column, hosts[i]);
  return hosts.size() > 1 ? "(" + text + ")" : text;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string text;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += i + 1 == words.size() ? " and " : ", ";
    text += words[i];
  }
  return text;
}

std::string account_name(std::string_view user) {
  const size_t slash = user.rfind('\\');
  return std::string(slash == std::string_view::npos ? user : user.substr(slash + 1));
}

}  // namespace kql_skills
