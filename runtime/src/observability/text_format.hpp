// Pieces of the Prometheus text exposition format (0.0.4): escaping and numbers.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace secpilot::observability::text {

// A label value between its quotes: \ as \\, " as \", newline as \n; bytes that are not valid
// UTF-8 become U+FFFD, since Prometheus rejects a scrape with invalid UTF-8.
void append_label_value(std::string& out, std::string_view value);

// Help text: \ as \\, newline as \n; invalid UTF-8 as in label values.
void append_help(std::string& out, std::string_view help);

// A sample value as Prometheus parses it: "NaN", "+Inf", "-Inf", an integer when the value is
// whole and below 2^53 in magnitude, otherwise the shortest text that reads back the same double.
void append_value(std::string& out, double value);
void append_value(std::string& out, std::uint64_t value);

// {name="value",...,extra_name="extra_value"}, or nothing at all when there is no label. An
// empty extra_name adds no extra label.
void append_labels(std::string& out, std::span<const std::string> names,
                   std::span<const std::string> values, std::string_view extra_name = {},
                   std::string_view extra_value = {});

}  // namespace secpilot::observability::text
