// Stored text to typed values: a column's declared type decides how a JSON member or a CSV field
// is read. Anything that does not read as the type becomes that type's null (never an error):
// logs are messy, and a query should see the rows it can.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "log_hunt/json_scan.hpp"
#include "log_hunt/value.hpp"

namespace log_hunt {

// A JSON member's value as `type`. `scratch` is reused for decoding escapes.
void value_from_json_field(const RawField& field, Type type, Value& out, std::string& scratch);

// Text (a CSV field, or a string being converted) as `type`: long/int from integers (and whole
// reals), real from numbers, bool from true/false/1/0, datetime from ISO 8601, timespan from
// KQL's forms, dynamic from JSON text (else the text as a dynamic string).
void value_from_text(std::string_view text, Type type, Value& out);

std::optional<int64_t> parse_integer(std::string_view text) noexcept;
std::optional<double> parse_real(std::string_view text) noexcept;

// A boost::json value as `type` (for mv-expand's `to typeof(...)` and dynamic columns read whole).
void value_from_json(const boost::json::value& json, Type type, Value& out);

}  // namespace log_hunt
