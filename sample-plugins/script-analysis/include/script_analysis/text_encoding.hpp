// Turning decoded bytes into text: UTF-16LE (what PowerShell's -EncodedCommand and
// [Text.Encoding]::Unicode carry), UTF-8, and the test of whether bytes are text at all, so that
// a decoder never replaces a script with binary noise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace script_analysis {

// Appends the UTF-8 form of a code point (U+FFFD for surrogates and values past U+10FFFF).
void append_utf8(std::string& out, uint32_t code_point);

// UTF-16 (little- or big-endian) to UTF-8; a leading byte-order mark is dropped, an odd last byte
// and unpaired surrogates become U+FFFD.
std::string utf16le_to_utf8(std::string_view bytes);
std::string utf16be_to_utf8(std::string_view bytes);

// True when most odd bytes are zero, as in ASCII-range text encoded as UTF-16LE.
bool looks_like_utf16le(std::string_view bytes) noexcept;

// True for valid UTF-8 with a letter or digit, in which at least 90% of characters are
// printable or whitespace (not control characters).
bool is_printable_text(std::string_view utf8) noexcept;

// The bytes as text when they are text: UTF-16LE when they look like it, else UTF-8 (a BOM is
// dropped). nullopt for binary data.
std::optional<std::string> bytes_as_text(std::string_view bytes);

// Text safe to put in a JSON result and show to a person: invalid UTF-8 and control characters
// other than tab, CR and LF become U+FFFD. Stops before `max_bytes` of output (on a character
// boundary) and sets *truncated when it did.
std::string display_text(std::string_view bytes, size_t max_bytes, bool* truncated = nullptr);

}  // namespace script_analysis
