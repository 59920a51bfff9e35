// `secpilot promptbook lint`: every check on a parsed promptbook, each finding located at the
// value it is about, saying what is wrong and how to fix it.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "manifest/text.hpp"
#include "promptbook/direct_call.hpp"
#include "promptbook/parameter_skill.hpp"
#include "promptbook/placeholders.hpp"
#include "secpilot/promptbook/promptbook.hpp"
#include "secpilot/skills/catalog.hpp"

namespace secpilot::promptbook {
namespace {

namespace manifest_text = manifest::detail;

constexpr std::string_view kTypeList =
    "use an entity type (ip, domain, url, email, hash, md5, sha1, sha256, cve, mitre_technique, "
    "host, user, incident_id, script, kql) or a JSON type (string, number, integer, boolean, "
    "object, array)";

std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// "Plugin.Skill": two names joined by one '.'. The skill a step calls is fixed: no <parameter>.
bool is_skill_reference(std::string_view skill) {
  const std::size_t dot = skill.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == skill.size()) return false;
  if (!detail::find_placeholders(skill).empty()) return false;
  return manifest_text::name_problem(skill.substr(0, dot)).empty() &&
         manifest_text::name_problem(skill.substr(dot + 1)).empty();
}

class Linter {
 public:
  Linter(const Promptbook& book, const skills::Catalog* catalog)
      : book_(book), catalog_(catalog), file_(book.path.string()) {
    root_ = book.where.line > 0 ? book.where : SourceLocation{file_, 1, 1};
  }

  std::vector<Diagnostic> run() {
    header();
    parameters();
    steps();
    unused_parameters();
    std::stable_sort(out_.begin(), out_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
    return std::move(out_);
  }

 private:
  void error(SourceLocation where, std::string what, std::string fix) {
    out_.push_back({Severity::Error, std::move(where), std::move(what), std::move(fix)});
  }
  void warning(SourceLocation where, std::string what, std::string fix) {
    out_.push_back({Severity::Warning, std::move(where), std::move(what), std::move(fix)});
  }

  // --- Name, Description, Steps ----------------------------------------------------------------

  void header() {
    const SourceLocation name_at = book_.fields.find("Name", root_);
    if (book_.name.empty()) {
      error(name_at, book_.fields.contains("Name") ? "Name is empty" : "missing Name",
            "add Name: an identifier such as IndicatorTriage; `secpilot promptbook show NAME` and "
            "runs refer to the promptbook by it");
    } else if (auto problem = manifest_text::name_problem(book_.name); !problem.empty()) {
      error(name_at, "Name " + in_quotes(book_.name) + " " + problem,
            std::string(manifest_text::kNameFix));
    } else if (manifest_text::utf8_length(book_.name) > manifest_text::kNameLimit) {
      error(name_at,
            "Name is " + std::to_string(manifest_text::utf8_length(book_.name)) +
                " characters long; the limit is " + std::to_string(manifest_text::kNameLimit),
            "shorten it");
    }
    if (blank(book_.description))
      warning(book_.fields.find("Description", root_),
              book_.fields.contains("Description") ? "Description is empty" : "no Description",
              "add Description: what the promptbook does and when to run it; `secpilot "
              "promptbook list` shows it");
    if (!book_.fields.contains("Steps")) {
      error(root_, "missing Steps",
            "add Steps: a list of prompts (- Prompt: ...) and skill calls (- Skill: Plugin.Skill "
            "with Inputs:), run in order");
    } else if (book_.steps.empty()) {
      error(book_.fields.find("Steps", root_), "Steps is empty",
            "add at least one step: - Prompt: ... or - Skill: Plugin.Skill");
    }
  }

  // --- Parameters ------------------------------------------------------------------------------

  void parameters() {
    std::map<std::string, const Parameter*> seen;  // lower-cased name
    for (const Parameter& p : book_.parameters) {
      const SourceLocation name_at = p.fields.find("Name", p.where);
      if (p.name.empty()) {
        error(name_at, "a parameter has no Name",
              "add Name: steps refer to the parameter as <Name>");
      } else if (!detail::is_parameter_name(p.name)) {
        error(name_at,
              "parameter name " + in_quotes(p.name) + " cannot be written as <" + p.name + ">",
              "use letters, digits, '_' or '-', starting with a letter or '_' (no spaces)");
      } else if (auto [it, added] = seen.emplace(manifest_text::lower(p.name), &p); !added) {
        error(name_at,
              "duplicate parameter name " + in_quotes(p.name) + " (first at line " +
                  std::to_string(it->second->fields.find("Name", it->second->where).line) + ")",
              "rename or remove one of them; names that differ only in case are too easy to mix "
              "up");
      }
      if (!manifest::is_known_input_type(p.type)) {
        error(p.fields.find("Type", p.where), "unknown parameter Type " + in_quotes(p.type),
              std::string(kTypeList));
        continue;  // its Default cannot be checked against it
      }
      if (!p.default_value) continue;
      const SourceLocation default_at = p.fields.find("Default", p.where);
      if (p.required && p.fields.contains("Required"))
        warning(default_at, "Default of required parameter " + in_quotes(p.name) + " is never used",
                "set Required: false (or leave Required out) to make the default apply, or "
                "remove Default");
      manifest::Input input;
      input.name = p.name;
      input.type = p.type;
      if (auto problem = detail::value_problem(input, *p.default_value); !problem.empty())
        error(default_at, "Default of parameter " + in_quotes(p.name) + " " + problem,
              "give a default of Type " + p.type + ", or change the Type");
    }
  }

  void unused_parameters() {
    for (const Parameter& p : book_.parameters)
      if (detail::is_parameter_name(p.name) && !used_.contains(p.name))
        warning(p.fields.find("Name", p.where),
                "parameter " + in_quotes(p.name) + " is not used by any step",
                "write <" + p.name + "> in a step's Prompt or Inputs, or remove the parameter");
  }

  // --- Steps -----------------------------------------------------------------------------------

  void steps() {
    for (std::size_t i = 0; i < book_.steps.size(); ++i) {
      const Step& step = book_.steps[i];
      const std::string label = "step " + std::to_string(i + 1);
      if (step.kind == StepKind::Prompt)
        prompt_step(step, label);
      else
        skill_step(step, label);
    }
  }

  void prompt_step(const Step& step, const std::string& label) {
    const SourceLocation prompt_at = step.fields.find("Prompt", step.where);
    if (!step.fields.contains("Prompt")) {
      error(step.where, label + " is empty: it has neither Prompt nor Skill",
            "add Prompt: the text to submit, or Skill: Plugin.Skill with its Inputs");
    } else if (blank(step.prompt)) {
      error(prompt_at, label + " has an empty Prompt",
            "write the text to submit, or remove the step");
    } else {
      if (step.prompt[step.prompt.find_first_not_of(" \t\r\n")] == '/')
        warning(prompt_at, label + "'s Prompt is a direct skill call written as text",
                "write Skill: Plugin.Skill and Inputs: instead, so that each value is quoted "
                "whatever a parameter holds");
      placeholders(step.prompt, prompt_at, label);
    }
    if (!step.inputs.empty())
      error(step.fields.find("Inputs", step.where), label + " has Inputs but no Skill",
            "Inputs belong to a direct skill call: add Skill: Plugin.Skill, or write the values "
            "into the Prompt");
  }

  void skill_step(const Step& step, const std::string& label) {
    const SourceLocation skill_at = step.fields.find("Skill", step.where);
    bool well_formed = true;
    if (blank(step.skill)) {
      error(skill_at, label + " has an empty Skill",
            "name the skill to call as Plugin.Skill, e.g. ThreatIntel.LookupIndicator");
      well_formed = false;
    } else if (!is_skill_reference(step.skill)) {
      error(skill_at, "Skill " + in_quotes(step.skill) + " is not of the form Plugin.Skill",
            "write the plugin's Descriptor.Name and the skill's Name joined by one '.', e.g. "
            "ThreatIntel.LookupIndicator (no '/', no spaces, no <parameters>)");
      well_formed = false;
    }
    for (const StepInput& input : step.inputs) {
      if (!detail::is_direct_input_name(input.name))
        error(input.name_at,
              "input name " + in_quotes(input.name) + " of " + label + " is not usable",
              "input names cannot be empty or contain spaces or '='");
      if (input.value.empty())
        error(input.value_at, "input " + in_quotes(input.name) + " of " + label + " has no value",
              "give it a value or a <parameter>, or leave the input out to use the skill's "
              "default");
      placeholders(input.value, input.value_at, label);
    }
    if (catalog_ && well_formed) against_catalog(step, label, skill_at);
  }

  // Every <name> of `value` must be a declared parameter.
  void placeholders(std::string_view value, const SourceLocation& at, const std::string& label) {
    std::set<std::string_view> reported;
    for (const auto& placeholder : detail::find_placeholders(value)) {
      used_.insert(std::string(placeholder.name));
      if (book_.parameter(placeholder.name) || !reported.insert(placeholder.name).second) continue;
      std::vector<std::string_view> names;
      for (const Parameter& p : book_.parameters)
        names.push_back(p.name);
      const std::string_view guess = manifest_text::nearest(placeholder.name, names);
      error(at, label + " uses <" + std::string(placeholder.name) + ">, which is not a parameter",
            (guess.empty() ? std::string()
                           : "did you mean <" + std::string(guess) +
                                 ">? (names are "
                                 "case-sensitive) ") +
                "declare it under Parameters, or write \\< for a literal '<'");
    }
  }

  // --- The skill a step calls, in the catalog --------------------------------------------------

  void against_catalog(const Step& step, const std::string& label, const SourceLocation& skill_at) {
    const skills::SkillEntry* entry = catalog_->find(step.skill);
    if (!entry) {
      const auto close = catalog_->suggest(step.skill);
      error(skill_at, label + " calls " + in_quotes(step.skill) + ", which is not in the catalog",
            close.empty() ? "check the name with `secpilot skills list`, or install the plugin "
                            "that provides it"
                          : "did you mean " + close.front() + "?");
      return;
    }
    if (!entry->available())
      warning(skill_at, entry->full_name + " cannot run here: " + entry->unavailable_reason,
              "the run stops at " + label + " until the skill can run");
    const std::vector<manifest::Input>& inputs = entry->spec->inputs;
    std::vector<std::string_view> names;
    for (const manifest::Input& input : inputs)
      names.push_back(input.name);
    for (const StepInput& given : step.inputs) {
      if (!detail::is_direct_input_name(given.name)) continue;  // reported already
      const auto spec = std::find_if(inputs.begin(), inputs.end(), [&](const manifest::Input& in) {
        return in.name == given.name;
      });
      if (spec == inputs.end()) {
        const std::string_view guess = manifest_text::nearest(given.name, names);
        error(given.name_at, entry->full_name + " takes no input " + in_quotes(given.name),
              names.empty() ? "it takes no inputs: remove Inputs"
                            : (guess.empty() ? "" : "did you mean " + in_quotes(guess) + "? ") +
                                  "it takes: " + manifest_text::join(names));
        continue;
      }
      if (given.value.empty() || !detail::find_placeholders(given.value).empty()) continue;
      if (auto problem = detail::value_problem(*spec, given.value); !problem.empty())
        error(given.value_at, "input " + in_quotes(given.name) + " of " + label + " " + problem,
              "give a value of Type " + spec->type + " (" + entry->full_name + " declares it so)");
    }
    for (const manifest::Input& input : inputs) {
      if (!input.required || input.default_value) continue;
      const bool given = std::any_of(step.inputs.begin(), step.inputs.end(),
                                     [&](const StepInput& in) { return in.name == input.name; });
      if (!given)
        error(skill_at,
              label + " does not give " + entry->full_name + " its required input " +
                  in_quotes(input.name),
              "add it under Inputs: " + input.name + ": <value>" +
                  (input.description.empty() ? "" : " (" + input.description + ")"));
    }
  }

  const Promptbook& book_;
  const skills::Catalog* catalog_;
  std::string file_;
  SourceLocation root_;
  std::set<std::string, std::less<>> used_;  // parameter names written as <name>
  std::vector<Diagnostic> out_;
};

}  // namespace

std::vector<Diagnostic> lint(const Promptbook& promptbook, const skills::Catalog* catalog) {
  return Linter(promptbook, catalog).run();
}

std::vector<Diagnostic> lint_file(const std::filesystem::path& path,
                                  const skills::Catalog* catalog) {
  ParseResult parsed = parse_promptbook_file(path);
  std::vector<Diagnostic> diagnostics = std::move(parsed.diagnostics);
  if (parsed.promptbook) {
    auto found = lint(*parsed.promptbook, catalog);
    diagnostics.insert(diagnostics.end(), found.begin(), found.end());
    std::stable_sort(
        diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
          return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
        });
  }
  return diagnostics;
}

}  // namespace secpilot::promptbook
