// The table catalogue: the shipped schema files, and loading rules for new ones.
#include <filesystem>
#include <fstream>
#include <random>

#include "test_support.hpp"

namespace kql {
namespace {

TEST(Catalogue, ShipsTheTablesHuntersUse) {
  const CatalogueLoad load = load_catalogue(std::string(KQL_CORE_SOURCE_DIR) + "/schema");
  EXPECT_TRUE(load.problems.empty()) << load.problems.front();
  for (const char* table : {"DeviceProcessEvents",
                            "DeviceNetworkEvents",
                            "DeviceFileEvents",
                            "DeviceLogonEvents",
                            "DeviceRegistryEvents",
                            "DeviceEvents",
                            "DeviceInfo",
                            "EmailEvents",
                            "EmailUrlInfo",
                            "EmailAttachmentInfo",
                            "IdentityLogonEvents",
                            "IdentityQueryEvents",
                            "AlertInfo",
                            "AlertEvidence",
                            "SigninLogs",
                            "AADNonInteractiveUserSignInLogs",
                            "AuditLogs",
                            "SecurityEvent",
                            "CommonSecurityLog",
                            "Syslog",
                            "OfficeActivity",
                            "SecurityAlert",
                            "SecurityIncident"}) {
    const TableSchema* schema = load.catalogue.find(table);
    ASSERT_NE(schema, nullptr) << table;
    EXPECT_FALSE(schema->description.empty()) << table;
    EXPECT_GE(schema->columns.size(), 5u) << table;
    EXPECT_FALSE(schema->time_column.empty()) << table;
  }
}

TEST(Catalogue, ColumnTypesAsMicrosoftDocumentsThem) {
  const Catalogue& catalogue = testing::shipped_catalogue();
  auto type = [&](const char* table, const char* column) {
    const Column* found = catalogue.find(table)->find(column);
    return found ? std::string(type_name(found->type)) : std::string("missing");
  };
  EXPECT_EQ(type("DeviceProcessEvents", "Timestamp"), "datetime");
  EXPECT_EQ(type("DeviceProcessEvents", "ProcessId"), "long");
  EXPECT_EQ(type("DeviceNetworkEvents", "RemotePort"), "int");
  EXPECT_EQ(type("DeviceLogonEvents", "IsLocalAdmin"), "bool");
  EXPECT_EQ(type("DeviceInfo", "OSBuild"), "long");
  EXPECT_EQ(type("EmailEvents", "AttachmentCount"), "int");
  EXPECT_EQ(type("IdentityLogonEvents", "AdditionalFields"), "dynamic");
  EXPECT_EQ(type("SigninLogs", "ResultType"), "string");
  EXPECT_EQ(type("SigninLogs", "LocationDetails"), "dynamic");
  EXPECT_EQ(type("SigninLogs", "TimeGenerated"), "datetime");
  EXPECT_EQ(type("SecurityEvent", "EventID"), "int");
  EXPECT_EQ(type("SecurityEvent", "LogonType"), "int");
  EXPECT_EQ(type("CommonSecurityLog", "SentBytes"), "long");
  EXPECT_EQ(type("Syslog", "ProcessID"), "int");
  EXPECT_EQ(type("AuditLogs", "TargetResources"), "dynamic");
  EXPECT_EQ(type("SecurityIncident", "IncidentNumber"), "int");
  EXPECT_EQ(type("SecurityAlert", "ConfidenceScore"), "real");
  EXPECT_EQ(catalogue.find("SigninLogs")->time_column, "TimeGenerated");
  EXPECT_EQ(catalogue.find("DeviceInfo")->time_column, "Timestamp");
}

class TempFolder {
 public:
  TempFolder() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("kql-catalogue-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() { std::filesystem::remove_all(path_); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(Catalogue, ABadFileCostsOnlyItsOwnTables) {
  TempFolder folder;
  folder.write("a_good.json",
               R"({"name": "Mine", "timeColumn": "T", "columns": [{"name": "T", "type": "datetime"},
                   {"name": "N", "type": "long"}]})");
  folder.write("b_broken.json", "{ not json");
  folder.write("c_list.json", R"({"tables": [{"name": "One", "columns": [{"name": "x",
      "type": "string"}]}, {"name": "Two", "columns": [{"name": "y", "type": "banana"}]}]})");
  folder.write("notes.txt", "ignored");
  const CatalogueLoad load = load_catalogue(folder.path());
  EXPECT_NE(load.catalogue.find("Mine"), nullptr);
  EXPECT_EQ(load.catalogue.find("Mine")->time_column, "T");
  EXPECT_NE(load.catalogue.find("One"), nullptr);
  ASSERT_NE(load.catalogue.find("Two"), nullptr);
  EXPECT_TRUE(load.catalogue.find("Two")->columns.empty());
  ASSERT_EQ(load.problems.size(), 2u);
  EXPECT_NE(load.problems[0].find("b_broken.json: not valid JSON"), std::string::npos);
  EXPECT_NE(load.problems[1].find("unknown type 'banana'"), std::string::npos);
}

TEST(Catalogue, MissingFolderIsAProblemNotACrash) {
  const CatalogueLoad load = load_catalogue("/nonexistent/kql/schema");
  EXPECT_TRUE(load.catalogue.empty());
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_NE(load.problems[0].find("no such schema file or folder"), std::string::npos);
}

TEST(Catalogue, ATableAddedLaterIsCheckedLikeTheShippedOnes) {
  Catalogue catalogue = testing::shipped_catalogue();
  TableSchema custom;
  custom.name = "MyAppLogs_CL";
  custom.time_column = "TimeGenerated";
  custom.columns = {{"TimeGenerated", ScalarType::DateTime, ""},
                    {"User_s", ScalarType::String, ""}};
  catalogue.add(custom);
  const ParseResult parsed =
      parse("MyAppLogs_CL | where TimeGenerated > ago(1d) | where Usr_s == \"a\"");
  const CheckResult result = check(parsed.ast, catalogue);
  const Diagnostic* d = testing::find_code(result.diagnostics, "unknown-column");
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->message.find("Did you mean 'User_s'?"), std::string::npos);
}

}  // namespace
}  // namespace kql
