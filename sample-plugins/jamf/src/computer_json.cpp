#include "jamf/computer_json.hpp"

#include <boost/json.hpp>

#include "jamf/health.hpp"

namespace jamf {
namespace {

namespace json = boost::json;

template <class T>
json::value or_null(const std::optional<T>& value) {
  if (!value) return nullptr;
  return json::value(*value);
}

json::value time_or_null(const std::optional<Timestamp>& value) {
  if (!value) return nullptr;
  return json::value(format_timestamp(*value));
}

}  // namespace

json::object computer_summary_json(const Computer& c) {
  return {
      {"id", c.id},
      {"name", or_null(c.general.name)},
      {"serial_number", or_null(c.hardware.serial)},
      {"model", or_null(c.hardware.model)},
      {"os_version", or_null(c.os.version)},
      {"username", or_null(c.user.username)},
      {"email", or_null(c.user.email)},
      {"last_check_in", time_or_null(c.general.last_contact)},
      {"last_inventory_update", time_or_null(c.general.last_inventory_update)},
      {"managed", or_null(c.general.managed)},
      {"last_ip", or_null(c.general.last_ip)},
  };
}

json::object computer_detail_json(const Computer& c) {
  json::object out{
      {"id", c.id},
      {"udid", or_null(c.udid)},
      {"name", or_null(c.general.name)},
      {"management_id", or_null(c.general.management_id)},
      {"managed", or_null(c.general.managed)},
      {"supervised", or_null(c.general.supervised)},
      {"last_check_in", time_or_null(c.general.last_contact)},
      {"last_inventory_update", time_or_null(c.general.last_inventory_update)},
      {"last_enrolled", time_or_null(c.general.last_enrolled)},
      {"last_ip", or_null(c.general.last_ip)},
      {"last_reported_ip", or_null(c.general.last_reported_ip)},
  };
  out["hardware"] = json::object{
      {"make", or_null(c.hardware.make)},
      {"model", or_null(c.hardware.model)},
      {"model_identifier", or_null(c.hardware.model_identifier)},
      {"serial_number", or_null(c.hardware.serial)},
      {"processor", or_null(c.hardware.processor_type)},
      {"architecture", or_null(c.hardware.processor_architecture)},
      {"ram_mb", or_null(c.hardware.total_ram_mb)},
      {"apple_silicon", or_null(c.hardware.apple_silicon)},
  };
  out["os"] = json::object{
      {"name", or_null(c.os.name)},
      {"version", or_null(c.os.version)},
      {"build", or_null(c.os.build)},
      {"rapid_security_response", or_null(c.os.rapid_security_response)},
  };
  out["security"] = json::object{
      {"filevault",
       json::object{
           {"enabled", or_null(filevault_enabled(c))},
           {"boot_volume_state", or_null(c.encryption.boot_partition_state)},
           {"percent", or_null(c.encryption.boot_partition_percent)},
           {"status", or_null(c.os.filevault_status)},
           {"recovery_key", or_null(c.encryption.recovery_key_status)},
       }},
      {"gatekeeper", or_null(c.security.gatekeeper_status)},
      {"sip", or_null(c.security.sip_status)},
      {"firewall_enabled", or_null(c.security.firewall_enabled)},
      {"secure_boot_level", or_null(c.security.secure_boot_level)},
      {"activation_lock_enabled", or_null(c.security.activation_lock_enabled)},
      {"recovery_lock_enabled", or_null(c.security.recovery_lock_enabled)},
      {"auto_login_disabled", or_null(c.security.auto_login_disabled)},
      {"xprotect_version", or_null(c.security.xprotect_version)},
  };
  out["user"] = json::object{
      {"username", or_null(c.user.username)},
      {"realname", or_null(c.user.realname)},
      {"email", or_null(c.user.email)},
      {"position", or_null(c.user.position)},
  };
  return out;
}

}  // namespace jamf
