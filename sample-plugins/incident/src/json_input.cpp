// JSON text to a value, with errors that point at the line and column.
#include <algorithm>

#include <boost/json/stream_parser.hpp>

#include "incident/input_error.hpp"
#include "incident/read.hpp"

namespace incident {
namespace {

constexpr std::size_t kMaxInputBytes = std::size_t{16} << 20;

std::string where(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto line =
      std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n') + 1;
  const auto line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t column =
      offset - (line_start == std::string_view::npos || offset == 0 ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

boost::json::value parse_json_input(std::string_view text, std::string_view input_name) {
  const std::string name(input_name);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InputError("the input '" + name +
                     "' is empty: pass the JSON text of the export (the file's content)");
  if (text.size() > kMaxInputBytes)
    throw InputError("the input '" + name + "' is " +
                     std::to_string((text.size() + (std::size_t{1} << 20) - 1) >> 20) +
                     " MiB, over the 16 MiB this skill reads: export fewer alerts or entities");
  boost::json::parse_options options;
  options.max_depth = 64;  // session exports nest skill outputs inside steps inside prompts
  boost::json::stream_parser parser({}, options);
  boost::system::error_code error;
  const std::size_t used = parser.write_some(text.data(), text.size(), error);
  if (!error) parser.finish(error);
  if (error)
    throw InputError("the input '" + name + "' is not valid JSON (" + error.message() + " at " +
                     where(text, used) + "): pass the export's JSON text unchanged, as one string");
  return parser.release();
}

}  // namespace incident
