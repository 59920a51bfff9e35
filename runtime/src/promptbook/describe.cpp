#include "secpilot/promptbook/describe.hpp"

#include "promptbook/direct_call.hpp"

namespace secpilot::promptbook {
namespace {

namespace json = boost::json;

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "error";
}

json::object describe_step(const Step& step, std::size_t number) {
  json::object view{{"number", number}};
  if (!step.name.empty()) view["name"] = step.name;
  if (step.kind == StepKind::Prompt) {
    view["kind"] = "prompt";
    view["prompt"] = step.prompt;
    return view;
  }
  view["kind"] = "skill";
  view["skill"] = step.skill;
  json::object inputs;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const StepInput& input : step.inputs) {
    inputs[input.name] = input.value;
    pairs.emplace_back(input.name, input.value);
  }
  view["inputs"] = std::move(inputs);
  // The direct call as it will be submitted, placeholders still in.
  view["prompt"] = detail::format_direct_call(step.skill, pairs);
  return view;
}

}  // namespace

json::object describe(const Promptbook& book, bool detailed) {
  json::object view{{"name", book.name},
                    {"displayName", book.display_name},
                    {"description", book.description},
                    {"file", book.path.string()}};
  json::array tags;
  for (const auto& tag : book.tags)
    tags.push_back(json::value(tag));
  view["tags"] = std::move(tags);
  json::array parameters;
  for (const Parameter& p : book.parameters) {
    if (!detailed) {
      parameters.push_back(json::value(p.name));
      continue;
    }
    json::object parameter{{"name", p.name},
                           {"description", p.description},
                           {"type", p.type},
                           {"required", p.required}};
    if (p.default_value) parameter["default"] = *p.default_value;
    parameters.push_back(std::move(parameter));
  }
  view["parameters"] = std::move(parameters);
  if (!detailed) {
    view["steps"] = book.steps.size();
    return view;
  }
  json::array steps;
  for (std::size_t i = 0; i < book.steps.size(); ++i)
    steps.push_back(describe_step(book.steps[i], i + 1));
  view["steps"] = std::move(steps);
  return view;
}

json::object describe_broken(const PromptbookFile& file) {
  json::array diagnostics;
  for (const Diagnostic& d : file.diagnostics)
    diagnostics.push_back(describe_diagnostic(d));
  return {{"name", file.name},
          {"file", file.path.string()},
          {"error", file.error},
          {"diagnostics", std::move(diagnostics)}};
}

json::object describe_diagnostic(const Diagnostic& d) {
  return {{"file", d.where.file},     {"line", d.where.line},
          {"column", d.where.column}, {"severity", severity_name(d.severity)},
          {"message", d.message},     {"fix", d.fix}};
}

}  // namespace secpilot::promptbook
