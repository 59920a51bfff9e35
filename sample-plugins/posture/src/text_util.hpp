// Small text helpers shared by the configuration parsers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace posture {

struct TextLine {
  int number = 0;  // 1-based
  std::string_view text;
};

// The lines of a file, without their line ends ("\n" or "\r\n").
std::vector<TextLine> split_lines(std::string_view text);

std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);

// Splits on blanks (spaces and tabs).
std::vector<std::string_view> split_blanks(std::string_view text);
std::vector<std::string_view> split_on(std::string_view text, char separator);

// A whole decimal integer (optional sign, surrounding blanks allowed); nullopt otherwise.
std::optional<std::int64_t> parse_integer(std::string_view text);

// The items with `separator` between them ("a, b, c"), for details and evidence.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace posture
