// The MDM device lock as the Jamf Pro API sends it: POST /api/v2/mdm/commands with
// {"clientData": [{"managementId"}], "commandData": {"commandType": "DEVICE_LOCK", "pin",
// "message"}}, answered 201 with [{"id", "href"}].
#pragma once

#include <optional>
#include <string>

#include <boost/json/value.hpp>

namespace jamf {

inline constexpr const char* kMdmCommandsPath = "/api/v2/mdm/commands";
inline constexpr const char* kSendLockCommand = "Send Computer Remote Lock Command";

struct DeviceLock {
  std::string management_id;
  std::string pin;  // six digits: a Mac asks for it to unlock
  std::optional<std::string> message;
};

// Throws jamf::Error(invalid_input) unless the PIN is six digits and the message fits.
void check_device_lock(const DeviceLock& lock);

boost::json::value device_lock_body(const DeviceLock& lock);

struct QueuedCommand {
  std::string uuid;
  std::optional<std::string> href;
};

// The first command of the answer, or nullopt when it has none.
std::optional<QueuedCommand> parse_command_answer(const boost::json::value& answer);

}  // namespace jamf
