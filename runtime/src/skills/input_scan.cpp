#include "skills/input_scan.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <cstdint>
#include <string>

#include "secpilot/skills/input_validation.hpp"

namespace secpilot::skills {
namespace {

using boost::system::error_code;
using json_view = boost::json::string_view;

// A basic_parser handler that checks each member of the top-level object against the skill's
// declared inputs; returning false from any event stops the parse (the slow path takes over).
class InputScan {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  explicit InputScan(const manifest::Skill* skill) : skill_(skill) {}

  // Every declared input seen, every required or defaulted one present.
  bool complete() const {
    if (!top_is_object_) return false;
    for (std::size_t i = 0; i < skill_->inputs.size(); ++i) {
      const auto& input = skill_->inputs[i];
      if (!(seen_ & (std::uint64_t{1} << i)) && (input.required || input.default_value))
        return false;
    }
    return true;
  }

  bool on_document_begin(error_code&) { return skill_->inputs.size() <= 64; }
  bool on_document_end(error_code&) { return true; }

  bool on_object_begin(error_code&) {
    if (depth_ == 0) top_is_object_ = true;
    if (depth_ == 1 && !value_is("object")) return false;
    ++depth_;
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    --depth_;
    return true;
  }
  bool on_array_begin(error_code&) {
    if (depth_ == 0 || (depth_ == 1 && !value_is("array"))) return false;
    ++depth_;
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    --depth_;
    return true;
  }

  bool on_key_part(json_view part, std::size_t, error_code&) {
    if (depth_ == 1) text_.append(part.data(), part.size());
    return true;
  }
  bool on_key(json_view part, std::size_t, error_code&) {
    if (depth_ != 1) return true;
    text_.append(part.data(), part.size());
    current_ = -1;
    for (std::size_t i = 0; i < skill_->inputs.size(); ++i)
      if (skill_->inputs[i].name == text_) current_ = static_cast<int>(i);
    text_.clear();
    if (current_ < 0) return false;  // unknown input
    const auto bit = std::uint64_t{1} << current_;
    if (seen_ & bit) return false;  // duplicate member
    seen_ |= bit;
    return true;
  }

  bool on_string_part(json_view part, std::size_t, error_code&) {
    if (depth_ == 1) text_.append(part.data(), part.size());
    return true;
  }
  bool on_string(json_view part, std::size_t, error_code&) {
    if (depth_ != 1) return true;
    text_.append(part.data(), part.size());
    const std::string& type = input().type;
    bool ok =
        type == "string" || (manifest::is_entity_type(type) && matches_entity_type(type, text_));
    text_.clear();
    return ok;  // a string for a number or boolean needs converting: slow path
  }

  bool on_number_part(json_view, error_code&) { return true; }
  bool on_int64(std::int64_t, json_view, error_code&) {
    return depth_ != 1 || value_is("integer") || value_is("number");
  }
  bool on_uint64(std::uint64_t, json_view, error_code&) {
    return depth_ != 1 || value_is("integer") || value_is("number");
  }
  bool on_double(double, json_view, error_code&) { return depth_ != 1 || value_is("number"); }
  bool on_bool(bool, error_code&) { return depth_ != 1 || value_is("boolean"); }
  bool on_null(error_code&) {
    if (depth_ == 1) seen_ &= ~(std::uint64_t{1} << current_);  // null means absent
    return true;
  }
  bool on_comment_part(json_view, error_code&) { return false; }
  bool on_comment(json_view, error_code&) { return false; }

 private:
  const manifest::Input& input() const {
    return skill_->inputs[static_cast<std::size_t>(current_)];
  }
  bool value_is(std::string_view type) const { return input().type == type; }

  const manifest::Skill* skill_;
  bool top_is_object_ = false;
  int depth_ = 0;
  int current_ = -1;
  std::uint64_t seen_ = 0;
  std::string text_;
};

}  // namespace

bool inputs_already_valid(const manifest::Skill& skill, std::string_view input_json) {
  boost::json::basic_parser<InputScan> parser{boost::json::parse_options{}, &skill};
  error_code error;
  const std::size_t used = parser.write_some(false, input_json.data(), input_json.size(), error);
  return !error && used == input_json.size() && parser.handler().complete();
}

}  // namespace secpilot::skills
