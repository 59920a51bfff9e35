// One Mac as the Jamf Pro API's computers-inventory describes it, reduced to what the skills
// report: the sections GENERAL, HARDWARE, OPERATING_SYSTEM, USER_AND_LOCATION, SECURITY and
// DISK_ENCRYPTION. A section that was not asked for (null in the response) leaves its fields
// empty; a field of the wrong type is an upstream error naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "jamf/timestamp.hpp"

namespace jamf {

using Text = std::optional<std::string>;

struct ComputerGeneral {
  Text name;
  Text management_id;  // what MDM commands address (general.managementId)
  Text last_ip;        // general.lastIpAddress
  Text last_reported_ip;
  std::optional<Timestamp> last_contact;           // general.lastContactTime: last check-in
  std::optional<Timestamp> last_inventory_update;  // general.reportDate
  std::optional<Timestamp> last_enrolled;
  std::optional<bool> managed;  // general.remoteManagement.managed
  std::optional<bool> supervised;
  Text platform;
};

struct ComputerHardware {
  Text make;
  Text model;
  Text model_identifier;
  Text serial;
  Text processor_type;
  Text processor_architecture;
  std::optional<std::int64_t> total_ram_mb;
  std::optional<bool> apple_silicon;
};

struct ComputerOperatingSystem {
  Text name;
  Text version;
  Text build;
  Text rapid_security_response;
  Text filevault_status;  // operatingSystem.fileVault2Status: ALL_ENCRYPTED, NOT_ENCRYPTED, ...
};

struct ComputerUser {
  Text username;
  Text realname;
  Text email;
  Text position;
};

struct ComputerSecurity {
  Text sip_status;         // ENABLED, DISABLED, NOT_COLLECTED, NOT_AVAILABLE
  Text gatekeeper_status;  // APP_STORE_AND_IDENTIFIED_DEVELOPERS, APP_STORE, DISABLED
  std::optional<bool> firewall_enabled;
  Text secure_boot_level;
  std::optional<bool> activation_lock_enabled;
  std::optional<bool> recovery_lock_enabled;
  std::optional<bool> auto_login_disabled;
  Text xprotect_version;
};

struct ComputerEncryption {
  Text boot_partition_state;  // partitionFileVault2State: ENCRYPTED, UNENCRYPTED, ENCRYPTING, ...
  std::optional<std::int64_t> boot_partition_percent;
  Text recovery_key_status;  // individualRecoveryKeyValidityStatus
};

struct Computer {
  std::string id;
  Text udid;
  ComputerGeneral general;
  ComputerHardware hardware;
  ComputerOperatingSystem os;
  ComputerUser user;
  ComputerSecurity security;
  ComputerEncryption encryption;
};

// Parses one entry of `results` (or a computers-inventory-detail answer). Throws
// jamf::Error(upstream) naming the field when the record is not what the API documents.
Computer parse_computer(const boost::json::value& record);

}  // namespace jamf
