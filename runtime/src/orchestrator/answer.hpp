// The answer of an evaluation, in Markdown: a short verdict per step first (the skill's Summary
// template, else what its result says of itself: verdict, severity, counts), then each step's
// result rendered for people, then the sources (skill, inputs, when, how long).
#pragma once

#include <string>
#include <vector>

#include "secpilot/skills/catalog.hpp"
#include "secpilot/store/records.hpp"

namespace secpilot::orchestrator {

std::string compose_answer(const std::vector<store::Step>& steps, const skills::Catalog& catalog);

// "**Sources**" and one numbered line per step: skill, inputs, when, how long (and its state when
// it did not complete). The end of every answer, the model's too.
std::string sources_markdown(const std::vector<store::Step>& steps);

// The one-line verdict of one completed step (without the skill's name); empty when neither a
// Summary template nor the result gives one.
std::string summarize_step(const store::Step& step, const manifest::Skill* spec);

}  // namespace secpilot::orchestrator
