// The two state changes Red Canary's API offers for a detection: PATCH mark_acknowledged (no
// body) and PATCH update_remediation_state (remediation_state, comment) as a form. The detection
// is read first, so a wrong id fails before anything is written and the result can say what
// changed.
#include <algorithm>
#include <array>
#include <string>

#include "inputs.hpp"
#include "json_access.hpp"
#include "red_canary/detection.hpp"
#include "red_canary/envelope.hpp"
#include "red_canary/errors.hpp"
#include "red_canary/skills.hpp"
#include "text.hpp"

namespace red_canary {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 4> kRemediationStates = {
    "remediated", "not_remediated_false_positive", "not_remediated_sanctioned_activity",
    "not_remediated_unwarranted"};

constexpr const char* kStateChoices =
    "acknowledged, remediated, not_remediated_false_positive, "
    "not_remediated_sanctioned_activity or not_remediated_unwarranted";

}  // namespace

json::object update_detection_state(ApiClient& client, const json::object& input) {
  const long id = detail::detection_id_input(input, "id");
  auto state = detail::optional_text(input, "state");
  if (state) state = detail::lower(*state);
  if (!state)
    throw Error(ErrorKind::invalid_input,
                std::string("the input 'state' is missing: use ") + kStateChoices);
  const bool acknowledge = *state == "acknowledged";
  const bool remediate = std::find(kRemediationStates.begin(), kRemediationStates.end(), *state) !=
                         kRemediationStates.end();
  if (!acknowledge && !remediate)
    throw Error(ErrorKind::invalid_input,
                "the input 'state' is '" + *state + "': use " + kStateChoices);
  const auto comment = detail::optional_text(input, "comment");
  if (acknowledge && comment)
    throw Error(ErrorKind::invalid_input,
                "Red Canary's mark_acknowledged takes no comment, so the input 'comment' would be "
                "lost: leave it out to acknowledge, or give it with a remediation state "
                "(remediated, not_remediated_false_positive, ...)");

  const std::string name = "detection " + std::to_string(id);
  const std::string path = "detections/" + std::to_string(id);
  const auto before = single_item(client.get(path, {}, {name, false}), name);

  json::object changed;
  if (acknowledge) {
    changed = single_item(client.patch_form(path + "/mark_acknowledged", {}, {name, false}), name);
  } else {
    Fields form{{"remediation_state", *state}};
    if (comment) form.emplace_back("comment", *comment);
    changed = single_item(
        client.patch_form(path + "/update_remediation_state", form, {name, false}), name);
  }
  const auto previous = detection_state(before);
  const auto now = detection_state(changed);
  return json::object{
      {"id", id},
      {"requested", *state},
      {"previous_state", state_name(previous)},
      {"state", state_name(now)},
      {"changed", previous != now},
      {"comment", detail::or_null(comment)},
      {"detection", detection_summary(changed, client.instance().portal_url)},
  };
}

}  // namespace red_canary
