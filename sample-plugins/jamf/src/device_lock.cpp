#include "jamf/device_lock.hpp"

#include <boost/json.hpp>

#include "jamf/error.hpp"

namespace jamf {

namespace json = boost::json;

void check_device_lock(const DeviceLock& lock) {
  bool six_digits = lock.pin.size() == 6;
  for (char c : lock.pin)
    six_digits = six_digits && c >= '0' && c <= '9';
  if (!six_digits)
    throw Error(ErrorKind::invalid_input,
                "the input 'pin' must be exactly six digits (a Mac asks for it at its startup "
                "screen to unlock), e.g. 482913");
  if (lock.message && lock.message->size() > 500)
    throw Error(ErrorKind::invalid_input,
                "the input 'message' is " + std::to_string(lock.message->size()) +
                    " bytes: keep the lock screen message under 500 (a phone number and a line "
                    "or two)");
}

json::value device_lock_body(const DeviceLock& lock) {
  json::object command{{"commandType", "DEVICE_LOCK"}, {"pin", lock.pin}};
  if (lock.message) command["message"] = *lock.message;
  return json::object{
      {"clientData", json::array{json::object{{"managementId", lock.management_id}}}},
      {"commandData", std::move(command)},
  };
}

std::optional<QueuedCommand> parse_command_answer(const json::value& answer) {
  const json::array* commands = answer.if_array();
  if (!commands || commands->empty() || !commands->front().is_object()) return std::nullopt;
  const json::object& first = commands->front().get_object();
  const json::value* id = first.if_contains("id");
  if (!id || !id->is_string() || id->get_string().empty()) return std::nullopt;
  QueuedCommand queued{std::string(id->get_string()), std::nullopt};
  if (const json::value* href = first.if_contains("href"); href && href->is_string())
    queued.href = std::string(href->get_string());
  return queued;
}

}  // namespace jamf
