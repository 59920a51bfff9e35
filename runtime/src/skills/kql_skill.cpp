#include "skills/kql_skill.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "secpilot/skills/input_validation.hpp"
#include "secpilot/skills/kql_template.hpp"

namespace secpilot::skills {

Expected<std::string> run_kql_skill(const SkillEntry& entry, std::string_view input_json,
                                    const InvokeOptions& options) {
  if (!entry.query_backend)
    return make_error(Status::unsupported, entry.full_name + " has no query backend");
  auto inputs =
      input_object(entry.full_name, options.validate_input ? entry.spec : nullptr, input_json);
  if (!inputs) return inputs.error();
  auto query = render_kql_template(entry.query_template, *inputs);
  if (!query)
    return make_error(Status::internal, entry.full_name + "'s Template: " + query.error().message);

  const SkillEntry& backend = *entry.query_backend;
  InvokeOptions backend_options = options;
  backend_options.validate_input = true;
  backend_options.validate_output = true;
  // The KQL skill's own limit governs the whole call.
  backend_options.timeout = effective_timeout(entry, options);
  auto result = invoke_inline(
      backend, boost::json::serialize(boost::json::object{{"query", *query}}), backend_options);
  if (!result)
    return make_error(result.error().status, entry.full_name + " (Target " + entry.query_target +
                                                 ", run by " + backend.full_name +
                                                 "): " + result.error().message);
  return result;
}

}  // namespace secpilot::skills
