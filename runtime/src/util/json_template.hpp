// Small templates over JSON: "{{path}}" placeholders that read a value by a dotted path. Used by
// skills' Summary lines (docs/manifest.md, "Summary"): {{verdict}}, {{matches.0.feed}},
// {{detections.length}}, {{inputs.indicator}}.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace secpilot {

// The value at `path` under `root`: keys separated by '.', a number indexes an array, and
// `length` of an array or object is its size. nullopt when the path finds nothing.
std::optional<boost::json::value> json_at_path(const boost::json::value& root,
                                               std::string_view path);

// Renders `text`, replacing each {{placeholder}} (spaces inside allowed) by `lookup(path)`.
std::string render_json_template(std::string_view text,
                                 const std::function<std::string(std::string_view)>& lookup);

// What is wrong with a template's syntax (an unclosed "{{", an empty placeholder); empty when
// nothing is.
std::vector<std::string> json_template_problems(std::string_view text);

}  // namespace secpilot
