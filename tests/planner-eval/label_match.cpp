#include "planner-eval/label_match.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <boost/json/serialize.hpp>

#include "secpilot/util/ascii.hpp"

namespace secpilot::planner {
namespace {

std::string trim(std::string text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
}

// Trim, lower-case, refang, drop a trailing dot.
std::string normalise(std::string text) {
  text = to_lower_ascii(trim(std::move(text)));
  for (auto [from, to] : {std::pair{"[.]", "."},
                          {"(.)", "."},
                          {"[dot]", "."},
                          {"[@]", "@"},
                          {"[at]", "@"},
                          {"hxxps://", "https://"},
                          {"hxxp://", "http://"}})
    replace_all(text, from, to);
  if (text.size() > 1 && text.back() == '.') text.pop_back();
  return text;
}

// "24h" = "1d" = 86400 s; nullopt when not a look-back.
std::optional<long> seconds(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  long count = 0;
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
    count = count * 10 + (text[i++] - '0');
  if (i == 0 || i + 1 != text.size()) return std::nullopt;
  switch (text[i]) {
    case 'm':
      return count * 60;
    case 'h':
      return count * 3600;
    case 'd':
      return count * 86400;
    case 'w':
      return count * 7 * 86400;
  }
  return std::nullopt;
}

// The prompt's first fenced block (n = 1) or second (n = 2); without fences, after line one.
std::string pasted(const std::string& prompt, int n) {
  std::size_t at = 0;
  for (int i = 0; i < n; ++i) {
    at = prompt.find("```", i == 0 ? 0 : at);
    if (at == std::string::npos) break;
    if (i + 1 < n) {
      at = prompt.find("```", at + 3);
      if (at == std::string::npos) break;
      at += 3;
    }
  }
  if (at != std::string::npos) {
    auto body = prompt.substr(at + 3);
    const auto close = body.find("```");
    body = body.substr(0, close);
    const auto newline = body.find('\n');
    if (newline != std::string::npos && body.substr(0, newline).find(' ') == std::string::npos)
      body = body.substr(newline + 1);
    return trim(body);
  }
  if (n != 1) return {};
  const auto newline = prompt.find('\n');
  return newline == std::string::npos ? std::string() : trim(prompt.substr(newline + 1));
}

std::string planned_text(const boost::json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : boost::json::serialize(value);
}

}  // namespace

Label read_label(const YAML::Node& expect) {
  Label label;
  label.abstain = expect["abstain"] && expect["abstain"].as<bool>();
  const auto read_chain = [](const YAML::Node& node) {
    LabelChain chain;
    for (const auto& step : node)
      chain.push_back({step["skill"].as<std::string>(), step["inputs"],
                       step["fan_out"] && step["fan_out"].as<bool>(),
                       step["optional"] && step["optional"].as<bool>(),
                       step["parallel"] && step["parallel"].as<bool>()});
    return chain;
  };
  if (expect["chain"]) label.chains.push_back(read_chain(expect["chain"]));
  if (expect["alternatives"])
    for (const auto& alternative : expect["alternatives"])
      label.chains.push_back(read_chain(alternative));
  return label;
}

std::vector<std::string> reduce(const PlannedCalls& calls) {
  std::vector<std::string> skills;
  for (const auto& call : calls)
    if (std::find(skills.begin(), skills.end(), call.skill) == skills.end())
      skills.push_back(call.skill);
  return skills;
}

bool chain_accepts(const LabelChain& chain, const std::vector<std::string>& skills) {
  std::vector<std::size_t> optional;
  for (std::size_t i = 0; i < chain.size(); ++i)
    if (chain[i].optional) optional.push_back(i);
  for (unsigned mask = 0; mask < (1u << optional.size()); ++mask) {
    std::vector<bool> dropped(chain.size(), false);
    for (std::size_t b = 0; b < optional.size(); ++b)
      if (mask & (1u << b)) dropped[optional[b]] = true;
    // Groups: a step without `parallel` starts one.
    std::vector<std::vector<std::string>> groups;
    for (std::size_t i = 0; i < chain.size(); ++i) {
      if (!chain[i].parallel || groups.empty()) groups.emplace_back();
      if (!dropped[i]) groups.back().push_back(chain[i].skill);
    }
    std::size_t at = 0;
    bool ok = true;
    for (auto& group : groups) {
      if (group.empty()) continue;
      if (at + group.size() > skills.size()) {
        ok = false;
        break;
      }
      std::vector<std::string> got(skills.begin() + at, skills.begin() + at + group.size());
      std::sort(got.begin(), got.end());
      std::sort(group.begin(), group.end());
      if (got != group) {
        ok = false;
        break;
      }
      at += group.size();
    }
    if (ok && at == skills.size()) return true;
  }
  return false;
}

bool may_come_first(const LabelChain& chain, const std::string& first) {
  // Members of the first group; of the next one too while every step before is optional.
  bool all_optional_so_far = true;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (i > 0 && !chain[i].parallel && !all_optional_so_far) break;
    if (chain[i].skill == first) return true;
    if (!chain[i].parallel || i == 0)
      all_optional_so_far = chain[i].optional;
    else
      all_optional_so_far = all_optional_so_far && chain[i].optional;
  }
  return false;
}

bool value_matches(const YAML::Node& label, const std::string& planned, const std::string& prompt) {
  if (label.IsMap() && label["contains"]) {
    const auto value = normalise(planned);
    for (const auto& part : label["contains"])
      if (value.find(normalise(part.as<std::string>())) == std::string::npos) return false;
    return true;
  }
  const auto text = label.as<std::string>();
  if (text == "$session") return true;
  if (text == "$pasted" || text == "$pasted2") {
    const auto block = pasted(prompt, text == "$pasted" ? 1 : 2);
    return !block.empty() && trim(planned).find(block) != std::string::npos;
  }
  const auto a = normalise(text);
  const auto b = normalise(planned);
  if (a == b) return true;
  const auto sa = seconds(a);
  const auto sb = seconds(b);
  return sa && sb && *sa == *sb;
}

Verdict judge(const Label& label, const PlannedCalls& calls, const std::string& prompt,
              const skills::Catalog& catalog) {
  Verdict verdict;
  const auto skills = reduce(calls);
  for (const auto& call : calls) {
    const auto* entry = catalog.find(call.skill);
    if (!entry || (entry->spec->side_effects != manifest::SideEffects::Write &&
                   entry->spec->side_effects != manifest::SideEffects::Destructive))
      continue;
    bool labelled = false;
    for (const auto& chain : label.chains)
      for (const auto& step : chain)
        labelled = labelled || step.skill == entry->full_name;
    verdict.unasked_change = verdict.unasked_change || !labelled;
  }
  if (label.abstain || skills.empty()) return verdict;
  const LabelChain* matched = nullptr;
  for (const auto& chain : label.chains) {
    verdict.top1 = verdict.top1 || may_come_first(chain, skills.front());
    if (!matched && chain_accepts(chain, skills)) matched = &chain;
  }
  verdict.exact = matched != nullptr;
  if (!matched) return verdict;
  for (const auto& step : *matched) {
    if (!step.inputs || !step.inputs.IsMap()) continue;
    for (const auto& input : step.inputs) {
      const auto name = input.first.as<std::string>();
      ++verdict.labelled_inputs;
      std::vector<std::string> values;
      bool session = false;
      for (const auto& call : calls) {
        if (call.skill != step.skill) continue;
        session = session || call.session_source;
        if (const auto* value = call.inputs.if_contains(name))
          values.push_back(planned_text(*value));
      }
      bool right = false;
      if (input.second.IsSequence()) {
        // A fan-out's values: the same set.
        std::vector<std::string> want;
        for (const auto& value : input.second)
          want.push_back(normalise(value.as<std::string>()));
        std::vector<std::string> got;
        for (const auto& value : values)
          got.push_back(normalise(value));
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
        got.erase(std::unique(got.begin(), got.end()), got.end());
        right = want == got;
      } else if (input.second.IsScalar() && input.second.as<std::string>() == "$session") {
        right = session;
      } else {
        right = !values.empty() && std::all_of(values.begin(), values.end(), [&](const auto& v) {
          return value_matches(input.second, v, prompt);
        });
      }
      verdict.inputs_right += right;
    }
  }
  return verdict;
}

}  // namespace secpilot::planner
