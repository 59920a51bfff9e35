#include "mcp/in_flight.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace secpilot::mcp {
namespace json = boost::json;

MessageIds message_ids(std::string_view text) {
  MessageIds ids;
  boost::system::error_code error;
  const auto message = json::parse(text, error);
  const auto* object = error ? nullptr : message.if_object();
  if (object == nullptr) return ids;
  if (const auto* id = object->if_contains("id"); id && !id->is_null())
    ids.id = json::serialize(*id);
  const auto* method = object->if_contains("method");
  const auto* params = object->if_contains("params");
  if (method && method->is_string() && method->get_string() == "notifications/cancelled" &&
      params && params->is_object())
    if (const auto* request = params->get_object().if_contains("requestId"))
      ids.cancels = json::serialize(*request);
  return ids;
}

InFlight::Flag InFlight::begin(const std::string& key) {
  auto flag = std::make_shared<std::atomic<bool>>(false);
  std::lock_guard lock(mutex_);
  requests_[key] = flag;
  return flag;
}

void InFlight::end(const std::string& key, const Flag& flag) {
  std::lock_guard lock(mutex_);
  if (auto found = requests_.find(key); found != requests_.end() && found->second == flag)
    requests_.erase(found);
}

void InFlight::cancel(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (auto found = requests_.find(key); found != requests_.end()) found->second->store(true);
}

}  // namespace secpilot::mcp
