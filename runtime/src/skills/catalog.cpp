#include "secpilot/skills/catalog.hpp"

#include "secpilot/util/ascii.hpp"

#include <algorithm>
#include <cctype>

namespace secpilot::skills {
namespace {

// Levenshtein distance, for suggestions only (names are short).
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

Outcome Catalog::add(SkillEntry entry) {
  std::vector<std::string> names{entry.full_name};
  if (entry.spec)
    for (const auto& alias : entry.spec->aliases)
      names.push_back(entry.plugin + "." + alias);
  for (const auto& name : names)
    if (auto it = by_name_.find(name); it != by_name_.end())
      return make_error(Status::invalid_input, "skill name " + name + " is already used by " +
                                                   it->second->full_name +
                                                   " — rename the skill or its alias");
  entries_.push_back(std::make_unique<SkillEntry>(std::move(entry)));
  for (const auto& name : names) {
    by_name_.emplace(name, entries_.back().get());
    exact_.emplace(name, entries_.back().get());
  }
  return Done{};
}

const SkillEntry* Catalog::find(std::string_view full_name) const {
  if (auto hit = exact_.find(full_name); hit != exact_.end()) return hit->second;
  auto it = by_name_.find(full_name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<std::string> Catalog::suggest(std::string_view full_name, std::size_t limit) const {
  const std::string wanted = to_lower_ascii(full_name);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& [name, entry] : by_name_) {
    const std::string candidate = to_lower_ascii(name);
    std::size_t score = distance(wanted, candidate);
    // A bare skill name ("LookupIndicator") matches its full name.
    const auto dot = candidate.find('.');
    if (dot != std::string::npos && candidate.substr(dot + 1) == wanted) score = 0;
    if (score <= std::max<std::size_t>(3, wanted.size() / 3)) scored.emplace_back(score, name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && out.size() < limit; ++i)
    out.push_back(scored[i].second);
  return out;
}

std::vector<const SkillEntry*> Catalog::list(std::string_view plugin) const {
  std::vector<const SkillEntry*> out;
  for (const auto& entry : entries_) {
    if (!plugin.empty() && to_lower_ascii(plugin) != to_lower_ascii(entry->plugin)) continue;
    out.push_back(entry.get());
  }
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return to_lower_ascii(a->full_name) < to_lower_ascii(b->full_name);
  });
  return out;
}

}  // namespace secpilot::skills
