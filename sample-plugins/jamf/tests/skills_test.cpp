// The four skills against the fake tenant's 17 Macs: what a user would check in each answer.
#include <map>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "in_memory_tenant.hpp"
#include "jamf/error.hpp"
#include "jamf/skills.hpp"

namespace jamf {
namespace {

namespace json = boost::json;
using secpilot::fakes::JamfProApi;

const Timestamp kStoryNow = *parse_timestamp("2026-11-20T12:00:00Z");

struct SkillsTest : ::testing::Test {
  testing::Tenant tenant;
  std::map<std::string, std::string> settings_values{{"MinimumMacOSVersion", "26.7"}};
  SettingReader settings = [this](const char* name) -> std::optional<std::string> {
    auto it = settings_values.find(name);
    return it == settings_values.end() ? std::nullopt : std::optional(it->second);
  };

  json::object list(const char* input, int page_size = 100) {
    auto client = tenant.client(page_size);
    return list_computers(client, json::parse(input).as_object());
  }
  json::object get(const char* input) {
    auto client = tenant.client();
    return get_computer(client, json::parse(input).as_object());
  }
  json::object unhealthy(const char* input, int page_size = 100) {
    auto client = tenant.client(page_size);
    return find_unhealthy_computers(client, json::parse(input).as_object(), settings, kStoryNow);
  }
  json::object lock(const char* input) {
    auto client = tenant.client();
    return lock_computer(client, json::parse(input).as_object());
  }
  template <class F>
  Error failure(F&& call) {
    try {
      call();
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "the call succeeded";
    return Error(ErrorKind::internal, "");
  }
  static std::vector<std::string> names(const json::object& result) {
    std::vector<std::string> out;
    for (const auto& computer : result.at("computers").as_array())
      out.emplace_back(computer.at("name").as_string());
    return out;
  }
};

using Names = std::vector<std::string>;

// --- ListComputers ------------------------------------------------------------------------------

TEST_F(SkillsTest, ListsEveryMacSortedByName) {
  const json::object result = list("{}");
  EXPECT_EQ(result.at("filter"), "");
  EXPECT_EQ(result.at("total_count"), 17);
  EXPECT_EQ(result.at("returned"), 17);
  EXPECT_EQ(result.at("truncated"), false);
  const Names all = names(result);
  EXPECT_EQ(all.front(), "Dana's MacBook Air");
  EXPECT_EQ(all.back(), "mbp-legal-02");
  const json::object& first = result.at("computers").as_array().at(0).as_object();
  EXPECT_EQ(first.at("serial_number"), "FVFDK33MBA0K");
  EXPECT_EQ(first.at("os_version"), "15.7.4");
  EXPECT_EQ(first.at("last_check_in"), "2026-11-19T21:18:37Z");
}

TEST_F(SkillsTest, FiltersByNameWildcardUserAndVersion) {
  EXPECT_EQ(names(list(R"({"name": "mbp-fin-*"})")),
            (Names{"mbp-fin-04", "mbp-fin-09", "mbp-fin-12", "mbp-fin-15"}));
  EXPECT_EQ(names(list(R"({"user": "JCHEN@corp.example"})")), Names{"mbp-fin-12"});
  EXPECT_EQ(names(list(R"({"user": "jchen"})")), Names{"mbp-fin-12"});
  EXPECT_EQ(names(list(R"({"user": "Jamie Chen"})")), Names{"mbp-fin-12"});
  EXPECT_EQ(names(list(R"({"os_version": "13.*"})")), Names{"mbp-fin-12"});
  EXPECT_EQ(names(list(R"({"serial_number": "C02FN12MBP7Q"})")), Names{"mbp-fin-12"});
  const json::object stale =
      list(R"({"checked_in_before": "2026-11-13", "sort": "last_check_in"})");
  EXPECT_EQ(names(stale), (Names{"mbp-fin-15", "mba-sales-05", "mbp-fin-12"}));
  EXPECT_EQ(stale.at("filter"), R"(general.lastContactTime<"2026-11-13T00:00:00Z")");
  EXPECT_EQ(names(list(R"({"name": "mbp-*", "checked_in_after": "2026-11-20T10:00:00Z"})")),
            (Names{"mbp-eng-11", "mbp-fin-09", "mbp-it-01"}));
}

TEST_F(SkillsTest, ValuesWithQuotesMatchExactlyAndCannotWidenTheFilter) {
  EXPECT_EQ(names(list(R"({"name": "Dana's MacBook Air"})")), Names{"Dana's MacBook Air"});
  // An attempt to add "or any name" stays one literal (unmatched) name.
  const json::object injected = list(R"({"name": "x\",general.name==\"*"})");
  EXPECT_EQ(injected.at("total_count"), 0);
}

TEST_F(SkillsTest, PagesThroughTheInventoryUpToTheLimit) {
  const json::object result = list(R"({"limit": 10})", 4);
  EXPECT_EQ(result.at("returned"), 10);
  EXPECT_EQ(result.at("total_count"), 17);
  EXPECT_EQ(result.at("truncated"), true);
  EXPECT_EQ(tenant.transport.count("/computers-inventory?"), 3);  // 4 + 4 + 2 (of 4)
  const Names everyone = names(list("{}"));
  EXPECT_EQ(names(result), Names(everyone.begin(), everyone.begin() + 10));

  const json::object all = list(R"({"limit": 1000})", 4);
  EXPECT_EQ(all.at("returned"), 17);
  EXPECT_EQ(all.at("truncated"), false);
}

TEST_F(SkillsTest, ListRefusesBadInputs) {
  EXPECT_EQ(failure([&] { list(R"({"sort": "serial"})"); }).kind(), ErrorKind::invalid_input);
  EXPECT_EQ(failure([&] { list(R"({"limit": 0})"); }).kind(), ErrorKind::invalid_input);
  const Error date = failure([&] { list(R"({"checked_in_before": "last week"})"); });
  EXPECT_NE(std::string(date.what()).find("the input 'checked_in_before' is 'last week'"),
            std::string::npos)
      << date.what();
  EXPECT_EQ(failure([&] { list(R"({"name": "a\nb"})"); }).kind(), ErrorKind::invalid_input);
}

// --- GetComputer --------------------------------------------------------------------------------

TEST_F(SkillsTest, GetsOneMacByIdNameOrSerial) {
  for (const char* input : {R"({"id": 42})", R"({"id": "42"})", R"({"name": "MBP-FIN-12"})",
                            R"({"serial_number": "C02FN12MBP7Q"})"}) {
    const json::object mac = get(input);
    EXPECT_EQ(mac.at("id"), "42") << input;
    EXPECT_EQ(mac.at("name"), "mbp-fin-12");
    EXPECT_EQ(mac.at("management_id"), "6c8f2a1e-3b7d-4e59-a0c4-9d2f71e8b342");
    EXPECT_EQ(mac.at("os").at("version"), "13.6.1");
    EXPECT_EQ(mac.at("security").at("filevault").at("enabled"), false);
    EXPECT_EQ(mac.at("user").at("email"), "jchen@corp.example");
    EXPECT_EQ(mac.at("last_check_in"), "2026-11-12T16:42:10Z");
  }
  EXPECT_EQ(tenant.transport.count("/api/v1/computers-inventory-detail/42"), 4);
}

TEST_F(SkillsTest, GetComputerExplainsWhatIsMissingOrAmbiguous) {
  const Error none = failure([&] { get(R"({"id": 999})"); });
  EXPECT_EQ(none.kind(), ErrorKind::not_found);
  EXPECT_STREQ(none.what(),
               "Jamf Pro has no computer with id 999: ListComputers shows the computers and their "
               "ids");
  const Error unknown_name = failure([&] { get(R"({"name": "mbp-fin-99"})"); });
  EXPECT_EQ(unknown_name.kind(), ErrorKind::not_found);
  EXPECT_NE(std::string(unknown_name.what()).find("no computer with the name 'mbp-fin-99'"),
            std::string::npos);
  const Error several = failure([&] { get(R"({"name": "mbp-fin-*"})"); });
  EXPECT_EQ(several.kind(), ErrorKind::invalid_input);
  EXPECT_NE(std::string(several.what())
                .find("4 computers match the name 'mbp-fin-*': 11 "
                      "(mbp-fin-04), 24 (mbp-fin-09), 42 (mbp-fin-12), "
                      "51 (mbp-fin-15) — pass one of their ids"),
            std::string::npos)
      << several.what();
  EXPECT_EQ(failure([&] { get("{}"); }).kind(), ErrorKind::invalid_input);
  EXPECT_EQ(failure([&] { get(R"({"id": 42, "name": "mbp-fin-12"})"); }).kind(),
            ErrorKind::invalid_input);
  EXPECT_EQ(failure([&] { get(R"({"id": -4})"); }).kind(), ErrorKind::invalid_input);
}

// --- FindUnhealthyComputers ---------------------------------------------------------------------

TEST_F(SkillsTest, FindsTheUnhealthyMacsWorstFirst) {
  const json::object result = unhealthy("{}", 5);
  EXPECT_EQ(result.at("as_of"), "2026-11-20T12:00:00Z");
  EXPECT_EQ(result.at("criteria").at("min_os_version"), "26.7");
  EXPECT_EQ(result.at("criteria").at("max_days_since_check_in"), 7);
  EXPECT_EQ(result.at("skipped_checks").as_array().size(), 0u);
  EXPECT_EQ(result.at("examined"), 17);
  EXPECT_EQ(result.at("examined_all"), true);
  EXPECT_EQ(result.at("unhealthy_count"), 8);
  EXPECT_EQ(result.at("healthy_count"), 9);
  EXPECT_EQ(tenant.transport.count("/computers-inventory?"), 4);  // 17 Macs, 5 a page

  const json::array& macs = result.at("computers").as_array();
  const json::object& first = macs.at(0).as_object();
  EXPECT_EQ(first.at("name"), "mbp-fin-12");
  std::vector<std::string> checks;
  for (const auto& problem : first.at("problems").as_array())
    checks.emplace_back(problem.at("check").as_string());
  EXPECT_EQ(checks, (Names{"os_out_of_date", "filevault_off", "not_checked_in"}));

  std::map<std::string, std::string> first_check;
  for (const auto& mac : macs)
    first_check[std::string(mac.at("name").as_string())] =
        mac.at("problems").as_array().at(0).at("check").as_string();
  EXPECT_EQ(first_check, (std::map<std::string, std::string>{
                             {"mbp-fin-12", "os_out_of_date"},
                             {"mba-sales-05", "os_out_of_date"},
                             {"Dana's MacBook Air", "os_out_of_date"},
                             {"mba-mkt-03", "filevault_off"},
                             {"mbp-eng-07", "sip_disabled"},
                             {"imac-design-01", "gatekeeper_disabled"},
                             {"mbp-fin-15", "not_checked_in"},
                             {"mac-mini-build-01", "firewall_off"},
                         }));
  EXPECT_EQ(macs.back().at("name"), "mac-mini-build-01");  // only a low-severity problem
}

TEST_F(SkillsTest, UnhealthyCriteriaComeFromInputsThenSettings) {
  settings_values.clear();
  const json::object defaults = unhealthy("{}");
  EXPECT_TRUE(defaults.at("criteria").at("min_os_version").is_null());
  EXPECT_EQ(defaults.at("criteria").at("max_days_since_check_in"), 7);
  EXPECT_NE(std::string(defaults.at("skipped_checks").as_array().at(0).as_string())
                .find("pass min_os_version or set the setting MinimumMacOSVersion"),
            std::string::npos);
  EXPECT_EQ(defaults.at("unhealthy_count"), 7);  // Dana's 15.7.4 passes without an OS rule

  settings_values["MaxCheckInAgeDays"] = "30";
  EXPECT_EQ(unhealthy("{}").at("unhealthy_count"), 6);  // mbp-fin-15 (43 days) still fails
  const json::object strict = unhealthy(R"({"min_os_version": "27.1", "max_days_since_check_in": 1,
                    "as_of": "2026-11-21T12:00:00Z"})");
  EXPECT_EQ(strict.at("criteria").at("min_os_version"), "27.1");
  EXPECT_EQ(strict.at("as_of"), "2026-11-21T12:00:00Z");
  EXPECT_EQ(strict.at("healthy_count"), 0);

  settings_values["MinimumMacOSVersion"] = "fourteen";
  const Error bad = failure([&] { unhealthy("{}"); });
  EXPECT_NE(std::string(bad.what()).find("the setting 'MinimumMacOSVersion' is 'fourteen'"),
            std::string::npos);
  EXPECT_EQ(failure([&] { unhealthy(R"({"min_os_version": "latest"})"); }).kind(),
            ErrorKind::invalid_input);
}

TEST_F(SkillsTest, UnhealthyCanBeScopedAndLimited) {
  const json::object finance = unhealthy(R"({"name": "mbp-fin-*", "limit": 1})");
  EXPECT_EQ(finance.at("examined"), 4);
  EXPECT_EQ(finance.at("unhealthy_count"), 2);
  EXPECT_EQ(finance.at("returned"), 1);
  EXPECT_EQ(names(finance), Names{"mbp-fin-12"});
}

// --- LockComputer -------------------------------------------------------------------------------

TEST_F(SkillsTest, LockSendsDeviceLockToTheComputersManagementId) {
  const json::object result =
      lock(R"({"id": 42, "pin": "482913", "message": "Locked by IT Security: call x0100"})");
  EXPECT_EQ(result.at("computer_id"), "42");
  EXPECT_EQ(result.at("name"), "mbp-fin-12");
  EXPECT_EQ(result.at("command"), "DEVICE_LOCK");
  EXPECT_EQ(result.at("status"), "queued");
  const auto commands = tenant.api.mdm_commands();
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].management_id, "6c8f2a1e-3b7d-4e59-a0c4-9d2f71e8b342");
  EXPECT_EQ(commands[0].pin, "482913");
  EXPECT_EQ(commands[0].message, "Locked by IT Security: call x0100");
  EXPECT_EQ(result.at("command_uuid"), json::value(commands[0].uuid));
  EXPECT_EQ(result.at("management_id"), json::value(commands[0].management_id));
  EXPECT_EQ(result.at("message"), "Locked by IT Security: call x0100");
  EXPECT_EQ(json::serialize(result).find("482913"), std::string::npos);  // the PIN is not echoed
}

TEST_F(SkillsTest, LockRefusesABadPinBeforeSendingAnything) {
  for (const char* pin : {"12345", "1234567", "12a456", ""}) {
    const std::string input = std::string(R"({"id": 42, "pin": ")") + pin + "\"}";
    auto client = tenant.client();
    const Error e = failure([&] { lock_computer(client, json::parse(input).as_object()); });
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << pin;
    EXPECT_NE(std::string(e.what()).find("exactly six digits"), std::string::npos);
  }
  EXPECT_TRUE(tenant.transport.sent.empty());
  EXPECT_EQ(failure([&] { lock(R"({"id": 999, "pin": "482913"})"); }).kind(), ErrorKind::not_found);
  EXPECT_TRUE(tenant.api.mdm_commands().empty());
}

TEST_F(SkillsTest, ALockThatFailsOnTheWaySaysItMayHaveBeenQueued) {
  tenant.api.fail_next(JamfProApi::Fault::server_error(504), 1, JamfProApi::Scope::mdm_commands);
  const Error server = failure([&] { lock(R"({"id": 42, "pin": "482913"})"); });
  EXPECT_EQ(server.kind(), ErrorKind::upstream);
  EXPECT_NE(std::string(server.what())
                .find("the lock may still have been queued: check the "
                      "computer's Management History"),
            std::string::npos)
      << server.what();
  tenant.api.fail_next(JamfProApi::Fault::close_connection(), 1, JamfProApi::Scope::mdm_commands);
  const Error closed = failure([&] { lock(R"({"id": 42, "pin": "482913"})"); });
  EXPECT_NE(std::string(closed.what()).find("may still have been queued"), std::string::npos);
  // A refusal is not ambiguous: no such note.
  tenant.api.fail_next(JamfProApi::Fault::forbidden(), 1, JamfProApi::Scope::mdm_commands);
  const Error denied = failure([&] { lock(R"({"id": 42, "pin": "482913"})"); });
  EXPECT_EQ(denied.kind(), ErrorKind::unauthorized);
  EXPECT_NE(std::string(denied.what()).find("'Send Computer Remote Lock Command'"),
            std::string::npos)
      << denied.what();
  EXPECT_EQ(std::string(denied.what()).find("queued"), std::string::npos);
}

}  // namespace
}  // namespace jamf
