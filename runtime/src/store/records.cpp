#include "secpilot/store/records.hpp"

#include <array>
#include <utility>

namespace secpilot::store {
namespace {

// Wire names in enumerator order.
constexpr std::array<std::string_view, 2> kPromptTypes = {"prompt", "skill"};
constexpr std::array<std::string_view, 6> kEvaluationStates = {
    "created", "running", "waitingForInput", "completed", "failed", "cancelled"};
constexpr std::array<std::string_view, 5> kResultTypes = {"", "success", "error", "timedOut",
                                                          "cancelled"};
constexpr std::array<std::string_view, 4> kStepStates = {"running", "completed", "failed",
                                                         "cancelled"};
constexpr std::array<std::string_view, 3> kRoles = {"owner", "contributor", "reader"};
constexpr std::array<std::string_view, 3> kAuditOutcomes = {"ok", "denied", "error"};
constexpr std::array<std::string_view, 2> kPluginScopes = {"user", "organization"};
constexpr std::array<std::string_view, 4> kApprovalStates = {"pending", "approved", "denied",
                                                             "cancelled"};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, Enum value) noexcept {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : std::string_view("?");
}

template <class Enum, std::size_t N>
std::optional<Enum> parse(const std::array<std::string_view, N>& names,
                          std::string_view text) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(PromptType value) noexcept {
  return name_of(kPromptTypes, value);
}
std::string_view to_string(EvaluationState value) noexcept {
  return name_of(kEvaluationStates, value);
}
std::string_view to_string(ResultType value) noexcept {
  return name_of(kResultTypes, value);
}
std::string_view to_string(StepState value) noexcept {
  return name_of(kStepStates, value);
}
std::string_view to_string(Role value) noexcept {
  return name_of(kRoles, value);
}
std::string_view to_string(AuditOutcome value) noexcept {
  return name_of(kAuditOutcomes, value);
}
std::string_view to_string(PluginScope value) noexcept {
  return name_of(kPluginScopes, value);
}
std::string_view to_string(ApprovalState value) noexcept {
  return name_of(kApprovalStates, value);
}

std::optional<PromptType> parse_prompt_type(std::string_view text) noexcept {
  return parse<PromptType>(kPromptTypes, text);
}
std::optional<EvaluationState> parse_evaluation_state(std::string_view text) noexcept {
  return parse<EvaluationState>(kEvaluationStates, text);
}
std::optional<ResultType> parse_result_type(std::string_view text) noexcept {
  return parse<ResultType>(kResultTypes, text);
}
std::optional<StepState> parse_step_state(std::string_view text) noexcept {
  return parse<StepState>(kStepStates, text);
}
std::optional<Role> parse_role(std::string_view text) noexcept {
  return parse<Role>(kRoles, text);
}
std::optional<AuditOutcome> parse_audit_outcome(std::string_view text) noexcept {
  return parse<AuditOutcome>(kAuditOutcomes, text);
}
std::optional<PluginScope> parse_plugin_scope(std::string_view text) noexcept {
  return parse<PluginScope>(kPluginScopes, text);
}
std::optional<ApprovalState> parse_approval_state(std::string_view text) noexcept {
  return parse<ApprovalState>(kApprovalStates, text);
}

}  // namespace secpilot::store
