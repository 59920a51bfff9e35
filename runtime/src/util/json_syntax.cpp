#include "secpilot/util/json_syntax.hpp"

#include <boost/json/basic_parser_impl.hpp>

namespace secpilot {
namespace {

// A basic_parser handler that accepts everything: only the grammar is checked.
struct NullHandler {
  using ec = boost::system::error_code;
  using sv = boost::json::string_view;
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  bool on_document_begin(ec&) { return true; }
  bool on_document_end(ec&) { return true; }
  bool on_object_begin(ec&) { return true; }
  bool on_object_end(std::size_t, ec&) { return true; }
  bool on_array_begin(ec&) { return true; }
  bool on_array_end(std::size_t, ec&) { return true; }
  bool on_key_part(sv, std::size_t, ec&) { return true; }
  bool on_key(sv, std::size_t, ec&) { return true; }
  bool on_string_part(sv, std::size_t, ec&) { return true; }
  bool on_string(sv, std::size_t, ec&) { return true; }
  bool on_number_part(sv, ec&) { return true; }
  bool on_int64(std::int64_t, sv, ec&) { return true; }
  bool on_uint64(std::uint64_t, sv, ec&) { return true; }
  bool on_double(double, sv, ec&) { return true; }
  bool on_bool(bool, ec&) { return true; }
  bool on_null(ec&) { return true; }
  bool on_comment_part(sv, ec&) { return true; }
  bool on_comment(sv, ec&) { return true; }
};

}  // namespace

Outcome check_json_syntax(std::string_view text) {
  boost::json::basic_parser<NullHandler> parser{boost::json::parse_options{}};
  boost::system::error_code error;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), error);
  if (!error && used != text.size()) error = boost::json::error::extra_data;
  if (error)
    return make_error(Status::invalid_input, error.message() + " at byte " + std::to_string(used) +
                                                 " of " + std::to_string(text.size()));
  return Done{};
}

}  // namespace secpilot
