// Jamf end to end: the real `secpilot` binary loads the built plugin folder and calls the fake
// Jamf Pro tenant on loopback, as a person or a script would. The host validates every result
// against the manifest's Outputs schema, so a passing call also proves the documented shape.
// (One process per call: token reuse across calls is tested on the core, in client_test.cpp.)
#include <chrono>
#include <map>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "fakes/fake_http_service.hpp"
#include "fakes/jamf_pro_api.hpp"
#include "support/files.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace json = boost::json;
using secpilot::fakes::FakeHttpService;
using secpilot::fakes::JamfProApi;
using secpilot::testing::RunResult;
using Fault = JamfProApi::Fault;
using Scope = JamfProApi::Scope;

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kPlugin = std::string(SECPILOT_BINARY_DIR) + "/plugins/jamf";
const JamfProApi::Options kTenant;

class JamfCli : public ::testing::Test {
 protected:
  JamfCli() { api_.mount(service_); }

  // The settings file: everything set, then `changes` applied ("" removes a setting). The
  // egress allow-list holds BaseURL's host and port, unless `with_egress` is false.
  std::string settings(const std::map<std::string, std::string>& changes = {},
                       bool with_egress = true) {
    std::map<std::string, std::string> values{{"BaseURL", service_.base_url()},
                                              {"ClientId", kTenant.client_id},
                                              {"MinimumMacOSVersion", "26.7"},
                                              {"PageSize", "4"}};
    std::map<std::string, std::string> secrets{{"ClientSecret", kTenant.client_secret}};
    for (const auto& [name, value] : changes) {
      auto& target = name == "ClientSecret" ? secrets : values;
      if (value.empty())
        target.erase(name);
      else
        target[name] = value;
    }
    std::string yaml = "plugins:\n  Jamf:\n    settings:\n";
    for (const auto& [name, value] : values)
      yaml += "      " + name + ": \"" + value + "\"\n";
    yaml += "    secrets:\n";
    for (const auto& [name, value] : secrets)
      yaml += "      " + name + ": \"" + value + "\"\n";
    if (secrets.empty()) yaml += "      {}\n";
    if (with_egress)
      yaml += "    egress: [\"" + values["BaseURL"].substr(std::string("http://").size()) + "\"]\n";
    const auto path = temp_ / ("settings-" + std::to_string(++files_) + ".yaml");
    secpilot::testing::write_file(path, yaml);
    return path.string();
  }

  RunResult cli(std::vector<std::string> args, const std::string& settings_file) {
    args.insert(args.begin(), {kCli, "--plugins-dir", kPlugin, "--settings", settings_file});
    return secpilot::testing::run(args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
  }

  RunResult invoke(const std::string& skill, const json::object& inputs,
                   const std::string& settings_file, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"invoke", "Jamf." + skill, "--json", json::serialize(inputs)};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args, settings_file);
  }

  // The inventory requests the tenant received, in order.
  std::vector<secpilot::fakes::Request> inventory_requests() const {
    std::vector<secpilot::fakes::Request> out;
    for (auto& request : service_.requests())
      if (request.path.find("computers-inventory") != std::string::npos) out.push_back(request);
    return out;
  }

  FakeHttpService service_;
  JamfProApi api_{std::string(JAMF_FIXTURES) + "/computers.json"};
  secpilot::testing::TempDir temp_;
  int files_ = 0;
};

json::object parsed(const RunResult& run) {
  return json::parse(run.out).as_object();
}

#define EXPECT_CONTAINS(text, part) \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << "in: " << (text)

// --- Happy paths --------------------------------------------------------------------------------

TEST_F(JamfCli, ListComputersPagesThroughTheInventory) {
  auto run = invoke("ListComputers", {{"limit", 10}}, settings());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = parsed(run);
  EXPECT_EQ(result.at("total_count"), 17);
  EXPECT_EQ(result.at("returned"), 10);
  EXPECT_EQ(result.at("truncated"), true);
  EXPECT_EQ(result.at("computers").as_array().at(0).at("name"), "Dana's MacBook Air");

  const auto pages = inventory_requests();
  ASSERT_EQ(pages.size(), 3u);  // PageSize 4: 4 + 4 + 2
  for (std::size_t i = 0; i < pages.size(); ++i) {
    EXPECT_EQ(pages[i].query_value("page"), std::to_string(i));
    EXPECT_EQ(pages[i].query_value("page-size"), "4");
    EXPECT_EQ(pages[i].query_value("sort"), "general.name:asc");
    EXPECT_CONTAINS(pages[i].header("authorization").value_or(""), "Bearer eyJfake.");
  }
  EXPECT_EQ(api_.tokens_issued(), 1);  // one token for every page of the call
}

TEST_F(JamfCli, ListComputersSendsTheFilterAsRsql) {
  auto run =
      invoke("ListComputers", {{"name", "mbp-fin-*"}, {"user", "jchen@corp.example"}}, settings());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = parsed(run);
  EXPECT_EQ(result.at("total_count"), 1);
  EXPECT_EQ(result.at("computers").as_array().at(0).at("serial_number"), "C02FN12MBP7Q");
  EXPECT_EQ(inventory_requests().at(0).query_value("filter"),
            R"(general.name=="mbp-fin-*";(userAndLocation.username=="jchen@corp.example",)"
            R"(userAndLocation.email=="jchen@corp.example",)"
            R"(userAndLocation.realname=="jchen@corp.example"))");
}

TEST_F(JamfCli, GetComputerByNameShowsTheStorylineMac) {
  auto run = cli({"invoke", "Jamf.GetComputer", "--input", "name=mbp-fin-12"}, settings());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto mac = parsed(run);
  EXPECT_EQ(mac.at("id"), "42");
  EXPECT_EQ(mac.at("hardware").at("serial_number"), "C02FN12MBP7Q");
  EXPECT_EQ(mac.at("os").at("version"), "13.6.1");
  EXPECT_EQ(mac.at("security").at("filevault").at("enabled"), false);
  EXPECT_EQ(mac.at("security").at("sip"), "ENABLED");
  EXPECT_EQ(mac.at("user").at("email"), "jchen@corp.example");
  EXPECT_EQ(mac.at("last_check_in"), "2026-11-12T16:42:10Z");
  EXPECT_EQ(inventory_requests().back().path, "/api/v1/computers-inventory-detail/42");
}

TEST_F(JamfCli, GetComputerUsesTheConfiguredInventoryVersion) {
  auto run = cli({"invoke", "Jamf.GetComputer", "--input", "id=42"},
                 settings({{"InventoryApiVersion", "v3"}}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(inventory_requests().back().path, "/api/v3/computers-inventory-detail/42");
}

TEST_F(JamfCli, FindUnhealthyComputersReportsProblemsAndFixes) {
  auto run = invoke("FindUnhealthyComputers", {{"as_of", "2026-11-20T12:00:00Z"}}, settings());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = parsed(run);
  EXPECT_EQ(result.at("criteria").at("min_os_version"), "26.7");  // from the settings
  EXPECT_EQ(result.at("examined"), 17);
  EXPECT_EQ(result.at("unhealthy_count"), 8);
  const auto& worst = result.at("computers").as_array().at(0).as_object();
  EXPECT_EQ(worst.at("name"), "mbp-fin-12");
  const auto& problems = worst.at("problems").as_array();
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems.at(0).at("detail"), "macOS 13.6.1 is older than the minimum 26.7");
  EXPECT_EQ(problems.at(1).at("check"), "filevault_off");
  EXPECT_EQ(problems.at(2).at("check"), "not_checked_in");
  EXPECT_CONTAINS(json::serialize(problems.at(1).at("fix")), "FileVault payload");
  EXPECT_EQ(inventory_requests().size(), 5u);  // 17 Macs, 4 a page
}

TEST_F(JamfCli, LockComputerReachesJamfWithTheManagementIdAndPin) {
  auto run =
      invoke("LockComputer", {{"id", 42}, {"pin", "482913"}, {"message", "Call the SOC on x0100"}},
             settings());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = parsed(run);
  EXPECT_EQ(result.at("status"), "queued");
  EXPECT_EQ(result.at("name"), "mbp-fin-12");
  const auto commands = api_.mdm_commands();
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].command_type, "DEVICE_LOCK");
  EXPECT_EQ(commands[0].management_id, "6c8f2a1e-3b7d-4e59-a0c4-9d2f71e8b342");
  EXPECT_EQ(commands[0].pin, "482913");
  EXPECT_EQ(commands[0].message, "Call the SOC on x0100");
  EXPECT_EQ(result.at("command_uuid"), json::value(commands[0].uuid));
  EXPECT_EQ(run.out.find("482913"), std::string::npos);

  const auto posted = service_.requests().back();
  EXPECT_EQ(posted.method, "POST");
  EXPECT_EQ(posted.path, "/api/v2/mdm/commands");
  const auto body = json::parse(posted.body);
  EXPECT_EQ(body.at("clientData").at(0).at("managementId"), "6c8f2a1e-3b7d-4e59-a0c4-9d2f71e8b342");
  EXPECT_EQ(body.at("commandData").at("commandType"), "DEVICE_LOCK");
}

TEST_F(JamfCli, LockComputerIsDestructiveAndTheManifestLintsClean) {
  auto lint = cli({"manifest", "lint", kPlugin + "/jamf.yaml"}, settings());
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out, "") << lint.out;
  auto show = cli({"skills", "show", "Jamf.LockComputer", "--json"}, settings());
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_CONTAINS(show.out, "destructive");
}

// --- Tokens and credentials ---------------------------------------------------------------------

TEST_F(JamfCli, ATokenRejectedMidCallIsRefreshedAndTheCallSucceeds) {
  api_.fail_next(Fault::token_rejected());  // as if it had expired or been revoked
  auto run = cli({"invoke", "Jamf.GetComputer", "--input", "id=42"}, settings());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(parsed(run).at("name"), "mbp-fin-12");
  EXPECT_EQ(api_.tokens_issued(), 2);
  EXPECT_EQ(inventory_requests().size(), 2u);  // rejected, then retried
}

TEST_F(JamfCli, AWrongSecretIsUnauthorizedAndNeverPrinted) {
  auto run = cli({"invoke", "Jamf.GetComputer", "--input", "id=42"},
                 settings({{"ClientSecret", "wrong-secret-value"}}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_CONTAINS(run.err, "Jamf.GetComputer failed (unauthorized)");
  EXPECT_CONTAINS(run.err, "Jamf Pro refused the API client credentials");
  EXPECT_CONTAINS(run.err, "check the settings ClientId and ClientSecret");
  EXPECT_EQ(run.err.find("wrong-secret-value"), std::string::npos);
  EXPECT_TRUE(inventory_requests().empty());
}

TEST_F(JamfCli, AMissingSettingSaysWhichAndHow) {
  auto run = cli({"invoke", "Jamf.ListComputers"}, settings({{"ClientId", ""}}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_CONTAINS(run.err, "failed (unauthorized)");
  EXPECT_CONTAINS(run.err, "setting 'ClientId' is not set");
  EXPECT_CONTAINS(run.err, "API roles and clients");
  EXPECT_TRUE(service_.requests().empty());
}

// --- Jamf Pro misbehaving -----------------------------------------------------------------------

TEST_F(JamfCli, ThrottlingIsWaitedOutThenTheCallSucceeds) {
  api_.fail_next(Fault::rate_limited(1));
  const auto start = std::chrono::steady_clock::now();
  auto run = cli({"invoke", "Jamf.GetComputer", "--input", "id=42"}, settings());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds{1});  // Retry-After
  EXPECT_EQ(inventory_requests().size(), 2u);
}

TEST_F(JamfCli, ThrottlingThatDoesNotStopIsRateLimited) {
  api_.fail_next(Fault::rate_limited(0), 4);
  auto run = cli({"invoke", "Jamf.GetComputer", "--input", "id=42"}, settings());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_CONTAINS(run.err, "failed (rate_limited)");
  EXPECT_CONTAINS(run.err, "HTTP 429");
}

TEST_F(JamfCli, ServerErrorsAndMalformedBodiesAreUpstream) {
  api_.fail_next(Fault::server_error(500));
  auto failed = cli({"invoke", "Jamf.ListComputers"}, settings());
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_CONTAINS(failed.err, "failed (upstream)");
  EXPECT_CONTAINS(failed.err, "HTTP 500");

  api_.fail_next(Fault::malformed_json());
  auto malformed = cli({"invoke", "Jamf.ListComputers"}, settings());
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_CONTAINS(malformed.err, "failed (upstream)");
  EXPECT_CONTAINS(malformed.err, "the computer inventory that is not valid JSON");

  api_.fail_next(Fault::close_connection());
  auto closed = cli({"invoke", "Jamf.ListComputers"}, settings());
  EXPECT_EQ(closed.exit_code, 1);
  EXPECT_CONTAINS(closed.err, "could not reach Jamf Pro at " + service_.base_url());
}

TEST_F(JamfCli, AnUnknownComputerIsNotFound) {
  auto run = cli({"invoke", "Jamf.GetComputer", "--input", "id=999"}, settings());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_CONTAINS(run.err, "failed (not_found): Jamf Pro has no computer with id 999");
}

TEST_F(JamfCli, AHangingServerTimesOut) {
  api_.fail_next(Fault::hang());
  auto run = cli({"invoke", "Jamf.GetComputer", "--input", "id=42", "--timeout", "1"}, settings());
  EXPECT_EQ(run.exit_code, 1);
  // Either the request's timeout (capped at the call's deadline) or the deadline itself fires;
  // on a loaded machine the plugin may return its timeout just after the deadline, and the host
  // discards that late result.
  const bool timed_out =
      run.err.find("Jamf.GetComputer failed (timeout)") != std::string::npos ||
      run.err.find("Jamf.GetComputer did not finish within") != std::string::npos ||
      run.err.find("Jamf.GetComputer ran past its timeout") != std::string::npos;
  EXPECT_TRUE(timed_out) << run.err;
}

// --- Reaching Jamf Pro --------------------------------------------------------------------------

TEST_F(JamfCli, AnUnreachableServerSaysSo) {
  unsigned short closed_port = 0;
  {
    FakeHttpService gone;  // a port that was listening a moment ago and no longer is
    closed_port = gone.port();
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port);
  auto run = cli({"invoke", "Jamf.ListComputers"}, settings({{"BaseURL", url}}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_CONTAINS(run.err, "could not reach Jamf Pro at " + url);
}

TEST_F(JamfCli, EgressMustAllowTheServer) {
  auto run = cli({"invoke", "Jamf.ListComputers"}, settings({}, false));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_CONTAINS(run.err, "failed (forbidden)");
  EXPECT_CONTAINS(run.err, "egress");
  EXPECT_TRUE(service_.requests().empty());
}

}  // namespace
