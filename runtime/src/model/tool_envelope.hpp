// How a tool's result reaches the model: a JSON envelope that labels it untrusted data (it may
// carry text an attacker wrote, e.g. a phishing mail or a script under analysis) and keeps it
// within a byte budget, saying when it was cut.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace secpilot::model::detail {

// Appended to the system prompt, so the model knows the envelope.
extern const std::string_view kEnvelopeNotice;

// {"type":"tool_result","tool":...,"status":"ok","note":...,"data":...}. `data` is the output as
// JSON when it is JSON and fits `budget` bytes; otherwise the output as text, cut at a UTF-8
// boundary within `budget` bytes, with "truncated" saying how much was kept.
std::string wrap_output(std::string_view tool, std::string_view output, std::size_t budget);
// {"type":"tool_result","tool":...,"status":"error","note":...,"error":...}
std::string wrap_error(std::string_view tool, std::string_view error, std::size_t budget);

// `text` cut to at most `budget` bytes without splitting a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t budget) noexcept;

}  // namespace secpilot::model::detail
