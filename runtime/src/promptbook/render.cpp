#include "secpilot/promptbook/render.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "manifest/text.hpp"
#include "promptbook/direct_call.hpp"
#include "promptbook/parameter_skill.hpp"
#include "promptbook/placeholders.hpp"
#include "secpilot/skills/input_validation.hpp"

namespace secpilot::promptbook {
namespace {

namespace json = boost::json;

std::string parameter_list(const Promptbook& book) {
  std::string names;
  for (const Parameter& p : book.parameters)
    names += (names.empty() ? "" : ", ") + p.name;
  return names;
}

Error unknown_parameter(const Promptbook& book, std::string_view name) {
  std::vector<std::string_view> names;
  for (const Parameter& p : book.parameters)
    names.push_back(p.name);
  const std::string_view guess = manifest::detail::nearest(name, names);
  std::string message = "promptbook " + book.name + " has no parameter '" + std::string(name) + "'";
  if (names.empty()) return make_error(Status::invalid_input, message + " — it takes none");
  return make_error(Status::invalid_input,
                    message + " — " +
                        (guess.empty() ? "" : "did you mean '" + std::string(guess) + "'? ") +
                        "it takes: " + parameter_list(book));
}

// The text a value stands for in a prompt.
std::string as_text(const json::value& value) {
  if (value.is_string()) return std::string(value.as_string());
  if (value.is_null()) return {};
  return json::serialize(value);
}

}  // namespace

Expected<json::object> resolve_parameters(const Promptbook& book, const json::object& given) {
  for (const auto& member : given)
    if (!book.parameter(member.key())) return unknown_parameter(book, member.key());

  json::object values;
  std::vector<const Parameter*> missing;
  for (const Parameter& p : book.parameters) {
    const json::value* value = given.if_contains(p.name);
    if (value && !value->is_null()) {
      values[p.name] = *value;
    } else if (p.default_value) {
      values[p.name] = *p.default_value;
    } else if (p.required) {
      missing.push_back(&p);
      continue;
    } else {
      continue;
    }
    detail::parse_structured(p.type, values[p.name]);
  }
  if (!missing.empty()) {
    std::string names, details;
    for (const Parameter* p : missing) {
      names += (names.empty() ? "'" : ", '") + p->name + "'";
      details += (details.empty() ? "" : "; ") + p->name + ": " +
                 (p->description.empty() ? p->type : p->description);
    }
    return make_error(Status::invalid_input,
                      "promptbook " + book.name + " needs a value for " + names + " — " + details);
  }
  // Types, entity shapes and conversions: the rules a skill's inputs follow.
  auto checked = skills::prepare_input(detail::parameters_as_skill(book), json::serialize(values));
  if (!checked) {
    std::string message = checked.error().message;
    if (message.starts_with("input '")) message.replace(0, 5, "parameter");
    return make_error(Status::invalid_input, "promptbook " + book.name + ": " + message);
  }
  return json::parse(*checked).as_object();
}

Expected<std::vector<RenderedStep>> render(const Promptbook& book, const json::object& given) {
  const auto problems = lint(book);
  const auto first_error = std::find_if(problems.begin(), problems.end(), [](const Diagnostic& d) {
    return d.severity == Severity::Error;
  });
  if (first_error != problems.end())
    return make_error(Status::invalid_input,
                      "promptbook " + book.name +
                          " cannot run: " + manifest::format_diagnostic(*first_error) +
                          " (`secpilot promptbook lint` lists every problem)");

  auto values = resolve_parameters(book, given);
  if (!values) return values.error();
  const auto text_of = [&](std::string_view name) {
    const json::value* value = values->if_contains(name);
    return value ? as_text(*value) : std::string();
  };

  std::vector<RenderedStep> rendered;
  for (std::size_t i = 0; i < book.steps.size(); ++i) {
    const Step& step = book.steps[i];
    RenderedStep out;
    out.number = i + 1;
    out.name = step.name;
    out.kind = step.kind;
    if (step.kind == StepKind::Prompt) {
      out.prompt = detail::substitute(step.prompt, text_of);
    } else {
      out.skill = step.skill;
      std::vector<std::pair<std::string, std::string>> inputs;
      for (const StepInput& input : step.inputs) {
        // `name: <optional>` with no value: leave the input to the skill's default.
        if (detail::is_single_placeholder(input.value) &&
            !values->contains(input.value.substr(1, input.value.size() - 2)))
          continue;
        inputs.emplace_back(input.name, detail::substitute(input.value, text_of));
        out.inputs[input.name] = inputs.back().second;
      }
      out.prompt = detail::format_direct_call(step.skill, inputs);
    }
    rendered.push_back(std::move(out));
  }
  return rendered;
}

}  // namespace secpilot::promptbook
