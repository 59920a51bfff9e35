#include <boost/json.hpp>

#include "jamf/computer.hpp"
#include "jamf/device_lock.hpp"
#include "jamf/error.hpp"
#include "jamf/inputs.hpp"
#include "jamf/inventory.hpp"
#include "jamf/skills.hpp"

namespace jamf {
namespace {

namespace json = boost::json;

// The computer's GENERAL section, which holds the managementId MDM commands address.
Computer general_record(JamfClient& client, const std::string& id) {
  const Endpoint endpoint{"computer " + id, kReadComputers,
                          "Jamf Pro has no computer with id " + id +
                              ": ListComputers shows the computers and their ids"};
  return parse_computer(
      client.get_json(client.inventory_path("/" + id), {{"section", "GENERAL"}}, endpoint));
}

}  // namespace

json::object lock_computer(JamfClient& client, const json::object& input) {
  const Inputs in(input);
  const auto id = in.computer_id("id");
  if (!id)
    throw Error(ErrorKind::invalid_input,
                "the input 'id' is missing: pass the Jamf Pro id of the computer to lock");
  DeviceLock lock;
  lock.pin = in.text("pin").value_or("");
  lock.message = in.text("message");
  check_device_lock(lock);

  const Computer computer = general_record(client, *id);
  const std::string label =
      "computer " + *id + (computer.general.name ? " (" + *computer.general.name + ")" : "");
  if (computer.general.managed == false)
    throw Error(ErrorKind::invalid_input,
                label + " is not managed by Jamf Pro, so no MDM command can reach it");
  if (!computer.general.management_id || computer.general.management_id->empty())
    throw Error(ErrorKind::invalid_input,
                label +
                    " has no managementId in Jamf Pro: it is not MDM-enrolled, so it cannot "
                    "be locked remotely");
  lock.management_id = *computer.general.management_id;

  const Endpoint endpoint{"the DEVICE_LOCK command for " + label, kSendLockCommand, ""};
  json::value answer;
  try {
    answer = client.post_json(kMdmCommandsPath, device_lock_body(lock), endpoint);
  } catch (const Error& e) {
    // The request may have reached Jamf Pro before the failure: never invite a blind resend.
    if (e.kind() != ErrorKind::upstream && e.kind() != ErrorKind::timeout) throw;
    throw Error(e.kind(), std::string(e.what()) +
                              " — the lock may still have been queued: check the computer's "
                              "Management History in Jamf Pro before sending it again");
  }
  const auto queued = parse_command_answer(answer);
  if (!queued)
    throw Error(ErrorKind::upstream,
                "Jamf Pro answered the DEVICE_LOCK command for " + label +
                    " without a command id, so whether it was queued is unknown: check the "
                    "computer's Management History in Jamf Pro before sending it again");
  return {
      {"computer_id", *id},
      {"name", computer.general.name ? json::value(*computer.general.name) : json::value()},
      {"management_id", lock.management_id},
      {"command", "DEVICE_LOCK"},
      {"command_uuid", queued->uuid},
      {"href", queued->href ? json::value(*queued->href) : json::value()},
      {"status", "queued"},
      {"message", lock.message ? json::value(*lock.message) : json::value()},
      {"note",
       "The Mac locks the next time it reaches Apple's push service (seconds, when it is online) "
       "and then needs the PIN to unlock at its startup screen: keep the PIN you chose. Jamf Pro "
       "shows the command under the computer's Management History."},
  };
}

}  // namespace jamf
