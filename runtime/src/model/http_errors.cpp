#include "model/http_errors.hpp"

#include <string>

namespace secpilot::model::detail {
namespace {

// " (401: Incorrect API key provided)", or " (401)".
std::string what_it_said(int status, const ErrorBody& body) {
  std::string out = " (" + std::to_string(status);
  if (!body.code.empty()) out += " " + body.code;
  if (!body.message.empty()) out += ": " + body.message;
  return out + ")";
}

std::string after_attempts(int attempts) {
  return attempts > 1 ? " after " + std::to_string(attempts) + " attempts" : "";
}

std::string key_advice(const ModelOptions& options) {
  switch (options.provider) {
    case Provider::azure:
      return "model.api_key must be a key of this Azure OpenAI resource (sent as api-key)";
    case Provider::openai:
      return "model.api_key must be a valid OpenAI API key (sent as Authorization: Bearer)";
    default:
      return "model.api_key must match the key the server was started with (e.g. llama-server "
             "--api-key, vllm --api-key)";
  }
}

std::string not_found_advice(const ModelOptions& options) {
  if (options.provider == Provider::azure && !options.deployment.empty())
    return "check model.deployment ('" + options.deployment +
           "', the deployment's name in the Azure portal) and model.api_version ('" +
           options.api_version + "')";
  if (options.provider == Provider::azure)
    return "check model.model ('" + options.model +
           "'): for Azure's v1 API it names the deployment, as shown in the Azure portal";
  if (options.provider == Provider::ollama)
    return "check model.model ('" + options.model + "'), or pull it: ollama pull " + options.model;
  return "check model.model ('" + options.model + "') and model.base_url";
}

}  // namespace

Error http_failure(int status, const ErrorBody& body, const ModelOptions& options,
                   const Endpoint& endpoint, int attempts) {
  const std::string said = what_it_said(status, body);
  if (body.code == "content_filter" || body.code == "ResponsibleAIPolicyViolation")
    return make_error(Status::forbidden,
                      "the model provider's content filter refused the request" + said +
                          " — rephrase the prompt, or review the deployment's content filtering "
                          "policy");
  switch (status) {
    case 401:
      return make_error(Status::unauthorized, "the model endpoint " + endpoint.display +
                                                  " refused the API key" + said + " — " +
                                                  key_advice(options));
    case 403:
      return make_error(Status::forbidden,
                        "the model endpoint " + endpoint.display + " denied access" + said +
                            " — the key may lack access to this model, or the resource's network "
                            "rules block this host");
    case 404:
      return make_error(Status::not_found, "the model endpoint " + endpoint.display +
                                               " has no such model or deployment" + said + " — " +
                                               not_found_advice(options));
    case 413:
      return make_error(Status::too_large,
                        "the request is too large for the model endpoint" + said +
                            " — lower model.loop.max_tool_output_bytes or ask about less at once");
    case 429:
      if (body.code == "insufficient_quota")
        return make_error(Status::rate_limited, "the model account has no quota left" + said +
                                                    " — add credit or raise the quota; retrying "
                                                    "does not help");
      return make_error(Status::rate_limited, "the model endpoint is rate limiting requests" +
                                                  said + after_attempts(attempts) +
                                                  " — try again later, or raise the quota");
    default:
      break;
  }
  if (status == 400 || status == 422)
    return make_error(Status::invalid_input,
                      "the model endpoint rejected the request" + said +
                          " — check that model.model supports tool calls and that model.max_tokens "
                          "and model.temperature are in range");
  if (status >= 500)
    return make_error(Status::upstream, "the model endpoint failed" + said +
                                            after_attempts(attempts) + " — try again later");
  return make_error(Status::upstream,
                    "unexpected answer from the model endpoint " + endpoint.display + said);
}

}  // namespace secpilot::model::detail
