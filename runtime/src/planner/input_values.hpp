// Reading an input's value out of a prompt: what kinds of value the input takes, look-back
// windows ("over the last 7 days" -> 7d), dates, "name value" pairs ("PIN 482913",
// "now=2026-11-20T12:00:00Z", "comment: '...'") and enumerated values with their synonyms.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secpilot/manifest/manifest.hpp"

namespace secpilot::planner {

// The kinds the planner may fill `input` with: its Accepts; else its Type when that is an entity
// type (hash: md5, sha1 and sha256 too); else the entity type its name spells ("ip", "host").
// "text", "json", "timespan", "datetime" and "session" are kinds too.
std::vector<std::string> accepted_kinds(const manifest::Input& input);
bool accepts(const std::vector<std::string>& kinds, std::string_view kind);

// A look-back window in `lower_text`: "last 7 days", "past 24h", "over the last 30d", "last day",
// "today", "this week", "yesterday" -> "7d", "24h", "30d", "1d", "1d", "7d", "2d".
std::optional<std::string> find_timespan(std::string_view lower_text);
// An ISO 8601 date or date-time written in `text` (2026-11-19, 2026-11-20T12:00:00Z).
std::optional<std::string> find_datetime(std::string_view text);

// The value written after the input's name: "pin 482913", "PIN: 482913", "id=42",
// "comment: 'approved change'", "message: rest of the line". Quoted values keep their text.
std::optional<std::string> find_named_value(std::string_view text, std::string_view name,
                                            bool number);

// The first of the input's AcceptableValues the text names, by the value itself (as written, or
// with underscores as spaces) or by one of its Synonyms, whole words, case-insensitively.
std::optional<std::string> find_acceptable_value(std::string_view lower_text,
                                                 const manifest::Input& input);

}  // namespace secpilot::planner
