#include "jamf/computer.hpp"

#include <boost/json.hpp>

#include "jamf/error.hpp"

namespace jamf {
namespace {

namespace json = boost::json;

// Reads one section of a record, naming fields as "section.field" in errors.
class SectionReader {
 public:
  SectionReader(const json::object* section, std::string record_id, std::string name)
      : section_(section), record_id_(std::move(record_id)), name_(std::move(name)) {}

  Text text(const char* field) const {
    const json::value* value = find(field);
    if (!value) return std::nullopt;
    if (value->is_string()) return std::string(value->get_string());
    // Jamf Pro writes some ids as numbers; accept them as text.
    if (value->is_int64()) return std::to_string(value->get_int64());
    throw wrong(field, "a string");
  }
  std::optional<bool> flag(const char* field) const {
    const json::value* value = find(field);
    if (!value) return std::nullopt;
    if (!value->is_bool()) throw wrong(field, "true or false");
    return value->get_bool();
  }
  std::optional<std::int64_t> integer(const char* field) const {
    const json::value* value = find(field);
    if (!value) return std::nullopt;
    if (value->is_int64()) return value->get_int64();
    if (value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
    throw wrong(field, "an integer");
  }
  std::optional<Timestamp> time(const char* field) const {
    Text value = text(field);
    if (!value || value->empty()) return std::nullopt;
    auto parsed = parse_timestamp(*value);
    if (!parsed) throw wrong(field, "an ISO 8601 date-time", "'" + *value + "'");
    return parsed;
  }
  SectionReader child(const char* field) const {
    const json::value* value = find(field);
    if (value && !value->is_object()) throw wrong(field, "an object");
    return SectionReader(value ? &value->get_object() : nullptr, record_id_, name_ + "." + field);
  }

 private:
  // The field, or nullptr when the section or the field is absent or null.
  const json::value* find(const char* field) const {
    if (!section_) return nullptr;
    const json::value* value = section_->if_contains(field);
    return value && !value->is_null() ? value : nullptr;
  }
  Error wrong(const char* field, const std::string& expected, std::string got = {}) const {
    if (got.empty()) {
      const json::value* value = find(field);
      got = value ? json::serialize(*value) : "nothing";
      if (got.size() > 60) got = got.substr(0, 60) + "...";
    }
    return Error(ErrorKind::upstream, "Jamf Pro's record of computer " + record_id_ + " has " +
                                          name_ + "." + field + " = " + got + ", expected " +
                                          expected);
  }

  const json::object* section_;
  std::string record_id_;
  std::string name_;
};

SectionReader section(const json::object& record, const std::string& id, const char* name) {
  const json::value* value = record.if_contains(name);
  if (!value || value->is_null()) return SectionReader(nullptr, id, name);
  if (!value->is_object())
    throw Error(ErrorKind::upstream,
                "Jamf Pro's record of computer " + id + " has " + name + " that is not an object");
  return SectionReader(&value->get_object(), id, name);
}

}  // namespace

Computer parse_computer(const json::value& record_value) {
  const json::object* record = record_value.if_object();
  if (!record)
    throw Error(ErrorKind::upstream, "Jamf Pro returned a computer record that is not an object");
  Computer computer;
  const json::value* id = record->if_contains("id");
  if (id && id->is_string() && !id->get_string().empty()) {
    computer.id = std::string(id->get_string());
  } else if (id && id->is_int64()) {
    computer.id = std::to_string(id->get_int64());
  } else {
    throw Error(ErrorKind::upstream, "Jamf Pro returned a computer record without an id");
  }
  const SectionReader top(record, computer.id, "computer");
  computer.udid = top.text("udid");

  const SectionReader general = section(*record, computer.id, "general");
  computer.general.name = general.text("name");
  computer.general.management_id = general.text("managementId");
  computer.general.last_ip = general.text("lastIpAddress");
  computer.general.last_reported_ip = general.text("lastReportedIp");
  computer.general.last_contact = general.time("lastContactTime");
  computer.general.last_inventory_update = general.time("reportDate");
  computer.general.last_enrolled = general.time("lastEnrolledDate");
  computer.general.managed = general.child("remoteManagement").flag("managed");
  computer.general.supervised = general.flag("supervised");
  computer.general.platform = general.text("platform");

  const SectionReader hardware = section(*record, computer.id, "hardware");
  computer.hardware.make = hardware.text("make");
  computer.hardware.model = hardware.text("model");
  computer.hardware.model_identifier = hardware.text("modelIdentifier");
  computer.hardware.serial = hardware.text("serialNumber");
  computer.hardware.processor_type = hardware.text("processorType");
  computer.hardware.processor_architecture = hardware.text("processorArchitecture");
  computer.hardware.total_ram_mb = hardware.integer("totalRamMegabytes");
  computer.hardware.apple_silicon = hardware.flag("appleSilicon");

  const SectionReader os = section(*record, computer.id, "operatingSystem");
  computer.os.name = os.text("name");
  computer.os.version = os.text("version");
  computer.os.build = os.text("build");
  computer.os.rapid_security_response = os.text("rapidSecurityResponse");
  computer.os.filevault_status = os.text("fileVault2Status");

  const SectionReader user = section(*record, computer.id, "userAndLocation");
  computer.user.username = user.text("username");
  computer.user.realname = user.text("realname");
  computer.user.email = user.text("email");
  computer.user.position = user.text("position");

  const SectionReader security = section(*record, computer.id, "security");
  computer.security.sip_status = security.text("sipStatus");
  computer.security.gatekeeper_status = security.text("gatekeeperStatus");
  computer.security.firewall_enabled = security.flag("firewallEnabled");
  computer.security.secure_boot_level = security.text("secureBootLevel");
  computer.security.activation_lock_enabled = security.flag("activationLockEnabled");
  computer.security.recovery_lock_enabled = security.flag("recoveryLockEnabled");
  computer.security.auto_login_disabled = security.flag("autoLoginDisabled");
  computer.security.xprotect_version = security.text("xprotectVersion");

  const SectionReader encryption = section(*record, computer.id, "diskEncryption");
  const SectionReader boot = encryption.child("bootPartitionEncryptionDetails");
  computer.encryption.boot_partition_state = boot.text("partitionFileVault2State");
  computer.encryption.boot_partition_percent = boot.integer("partitionFileVault2Percent");
  computer.encryption.recovery_key_status = encryption.text("individualRecoveryKeyValidityStatus");
  return computer;
}

}  // namespace jamf
