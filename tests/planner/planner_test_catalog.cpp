#include "planner/planner_test_catalog.hpp"

#include <spdlog/spdlog.h>

#include "secpilot/manifest/diagnostic.hpp"

namespace secpilot::planner::fixtures {
namespace {

plugin::HostOptions data_folder() {
  plugin::HostOptions options;
  options.plugin_dirs = {SECPILOT_PLANNER_TEST_DATA};
  return options;
}

std::vector<std::unique_ptr<const skills::SkillEntry>> runnable_copies(
    const skills::Catalog& catalog) {
  std::vector<std::unique_ptr<const skills::SkillEntry>> entries;
  for (const auto* entry : catalog.list()) {
    auto copy = std::make_unique<skills::SkillEntry>(*entry);
    if (copy->format == manifest::Format::GPT) copy->unavailable_reason.clear();
    entries.push_back(std::move(copy));
  }
  return entries;
}

grounding::SkillIndex index_of(const std::vector<std::unique_ptr<const skills::SkillEntry>>& all) {
  std::vector<const skills::SkillEntry*> entries;
  for (const auto& entry : all)
    entries.push_back(entry.get());
  return grounding::SkillIndex::build(entries);
}

}  // namespace

PlannerTestCatalog::PlannerTestCatalog()
    : host_(data_folder()),
      entries_(runnable_copies(host_.catalog())),
      index_(index_of(entries_)) {}

std::vector<std::string> PlannerTestCatalog::problems() const {
  std::vector<std::string> out;
  for (const auto& record : host_.plugins()) {
    if (!record.error.empty()) out.push_back(record.name + ": " + record.error);
    for (const auto& diagnostic : record.diagnostics)
      out.push_back(manifest::format_diagnostic(diagnostic));
  }
  return out;
}

const skills::SkillEntry* PlannerTestCatalog::find(std::string_view full_name) const {
  for (const auto& entry : entries_)
    if (entry->full_name == full_name) return entry.get();
  return nullptr;
}

const PlannerTestCatalog& planner_test_catalog() {
  static const PlannerTestCatalog catalog = [] {
    spdlog::set_level(spdlog::level::warn);
    return PlannerTestCatalog();
  }();
  return catalog;
}

}  // namespace secpilot::planner::fixtures
