#include "orchestrator/model_conversation.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "model/tool_envelope.hpp"

namespace secpilot::orchestrator {
namespace {

namespace json = boost::json;

constexpr std::size_t kEarlierAnswerBytes = 4000;  // of each earlier answer the model re-reads
constexpr std::size_t kEarlierTurns = 6;           // earlier prompts kept, the latest ones

}  // namespace

std::string model_system_prompt() {
  return "You are secpilot, a security copilot for defenders in a security operations centre. "
         "Answer the question with the tools offered when they help: call them with values taken "
         "from the question, the conversation or earlier tool results, and never invent "
         "indicators, hosts, users or results. When no tool fits, say so and answer from what "
         "you know, marking it as such. A tool that changes things waits for a person's "
         "approval: when a call says it awaits approval, do not call it again; say what is "
         "pending. Answer in Markdown, verdict first, and name the tool results your answer "
         "rests on.";
}

std::vector<model::ChatMessage> session_turns(const std::vector<store::Prompt>& prompts,
                                              const std::vector<store::Evaluation>& evaluations,
                                              std::int64_t before_seq) {
  std::vector<const store::Prompt*> earlier;
  for (const auto& prompt : prompts)
    if (prompt.seq < before_seq) earlier.push_back(&prompt);
  if (earlier.size() > kEarlierTurns)
    earlier.erase(earlier.begin(), earlier.end() - static_cast<std::ptrdiff_t>(kEarlierTurns));
  std::vector<model::ChatMessage> turns;
  for (const auto* prompt : earlier) {
    turns.push_back(model::ChatMessage::user(prompt->content));
    // The latest evaluation of the prompt that has an answer.
    const store::Evaluation* answered = nullptr;
    for (const auto& evaluation : evaluations)
      if (evaluation.prompt_id == prompt->id && !evaluation.result_content.empty())
        answered = &evaluation;
    if (!answered) continue;
    std::string answer(model::detail::utf8_prefix(answered->result_content, kEarlierAnswerBytes));
    if (answer.size() < answered->result_content.size()) answer += "\n[answer cut]";
    turns.push_back(model::ChatMessage::assistant(std::move(answer), {}));
  }
  return turns;
}

bool is_model_plan(const json::value& stored) noexcept {
  const auto* object = stored.if_object();
  const auto* kind = object ? object->if_contains("kind") : nullptr;
  return kind && kind->is_string() && kind->get_string() == "model";
}

json::value to_json(const PausedConversation& paused) {
  json::array tools;
  for (const auto& tool : paused.tools)
    tools.emplace_back(tool);
  json::array transcript;
  for (const auto& message : paused.transcript)
    transcript.push_back(model::to_json(message));
  return json::object{{"kind", "model"},
                      {"tools", std::move(tools)},
                      {"transcript", std::move(transcript)},
                      {"pending", json::object{{"skill", paused.pending.skill},
                                               {"inputs", paused.pending.inputs},
                                               {"toolCallId", paused.pending.tool_call_id}}}};
}

Expected<PausedConversation> paused_from_json(const json::value& stored) {
  const auto bad = [](const std::string& what) {
    return make_error(Status::invalid_input, "the stored model conversation " + what);
  };
  if (!is_model_plan(stored)) return bad("is not one");
  const auto& object = stored.get_object();
  PausedConversation paused;
  const auto* tools = object.if_contains("tools");
  const auto* transcript = object.if_contains("transcript");
  const auto* pending = object.if_contains("pending");
  if (!tools || !tools->is_array() || !transcript || !transcript->is_array() || !pending ||
      !pending->is_object())
    return bad("lacks its tools, transcript or pending call");
  for (const auto& tool : tools->get_array())
    if (tool.is_string()) paused.tools.emplace_back(tool.get_string());
  for (const auto& message : transcript->get_array()) {
    auto parsed = model::message_from_json(message);
    if (!parsed) return bad("has a broken message: " + parsed.error().message);
    paused.transcript.push_back(std::move(*parsed));
  }
  const auto& call = pending->get_object();
  const auto* skill = call.if_contains("skill");
  const auto* inputs = call.if_contains("inputs");
  const auto* id = call.if_contains("toolCallId");
  if (!skill || !skill->is_string() || !inputs || !inputs->is_object() || !id || !id->is_string())
    return bad("has a broken pending call");
  paused.pending = {std::string(skill->get_string()), inputs->get_object(),
                    std::string(id->get_string())};
  return paused;
}

std::string decision_message(const store::Approval& approval, const store::Step& step,
                             std::size_t output_budget) {
  const bool approved = approval.state == store::ApprovalState::approved;
  std::string text = "A person (" + approval.decided_by + ") " +
                     (approved ? "approved" : "denied") + " the call of " + approval.skill +
                     " with " + json::serialize(approval.inputs) + " that waited for approval" +
                     (approval.reason.empty() ? "" : " (\"" + approval.reason + "\")") + ". ";
  if (step.state == store::StepState::completed && step.output)
    text += "It ran; its result follows.\n" +
            model::detail::wrap_output(step.skill, json::serialize(*step.output), output_budget);
  else
    text += std::string(approved ? "It failed" : "It did not run") + "; the error follows.\n" +
            model::detail::wrap_error(step.skill, step.error_message, output_budget);
  return text + "\nFinish your answer to the question with this.";
}

}  // namespace secpilot::orchestrator
