#include "kql_skills/validate.hpp"

#include <cctype>
#include <string>

#include "kql_skills/diagnostics_json.hpp"

namespace kql_skills {

Validation validate(std::string_view query, const kql::Catalogue& catalogue,
                    const kql::CheckOptions& options) {
  Validation validation;
  validation.parse = kql::parse(query);
  if (validation.parse.ok()) {
    validation.check = kql::check(validation.parse.ast, catalogue, options);
    validation.checked = true;
  }
  return validation;
}

bool asks_for_latest(std::string_view request) {
  std::string lower(request);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view phrase : {"latest", "most recent", "newest", "last few", "recent "})
    if (lower.find(phrase) != std::string::npos) return true;
  // "last 10 processes": a count after "last" (not "last 10 days", which is a window).
  for (size_t at = lower.find("last "); at != std::string::npos; at = lower.find("last ", at + 1)) {
    size_t i = at + 5;
    const size_t digits = i;
    while (i < lower.size() && std::isdigit(static_cast<unsigned char>(lower[i])))
      ++i;
    if (i == digits) continue;
    const std::string_view rest = std::string_view(lower).substr(i);
    bool time_unit = false;
    for (std::string_view unit :
         {" minute", " min", " hour", " hr", " day", " week", " month", "h", "d", "m"})
      time_unit = time_unit || rest.starts_with(unit);
    if (!time_unit) return true;
  }
  return false;
}

boost::json::object validation_json(const Validation& validation, std::string_view query) {
  kql::Diagnostics all = validation.parse.diagnostics;
  all.insert(all.end(), validation.check.diagnostics.begin(), validation.check.diagnostics.end());
  boost::json::object out;
  out["valid"] = validation.valid();
  out["errors"] = diagnostics_json(all, kql::Severity::Error);
  out["warnings"] = diagnostics_json(all, kql::Severity::Warning);
  out["columns"] =
      validation.checked ? columns_json(validation.check.output) : boost::json::array();
  out["columns_complete"] = validation.checked && !validation.check.output.open;
  boost::json::array tables;
  for (const auto& table : validation.check.tables)
    tables.push_back(boost::json::string(table));
  out["tables"] = std::move(tables);
  out["query"] = query;
  return out;
}

}  // namespace kql_skills
