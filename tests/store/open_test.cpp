// Opening the store: file permissions, WAL, schema migrations and refusing files it cannot use.
#include <sys/stat.h>

#include "store/store_fixture.hpp"

namespace secpilot::store::testing {
namespace {

using StoreOpenTest = StoreFixture;

unsigned mode_of(const std::filesystem::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return 0xFFFF;
  return status.st_mode & 0777;
}

TEST_F(StoreOpenTest, CreatesAPrivateFolderAndFileInWalMode) {
  EXPECT_EQ(mode_of(file()), 0600u);
  EXPECT_EQ(mode_of(file().parent_path()), 0700u);
  must(store->create_session("alice", "s"));
  // The WAL companions inherit the file's permissions.
  EXPECT_EQ(mode_of(file().string() + "-wal"), 0600u);
  EXPECT_EQ(raw_sql(file(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw_sql(file(), "SELECT max(version) FROM schema_migrations"),
            std::to_string(sqlite_schema_version()));
  EXPECT_EQ(raw_sql(file(), "PRAGMA application_id"), std::to_string(0x73656370));
}

TEST_F(StoreOpenTest, TightensPermissionsOfAnExistingFile) {
  close();
  std::filesystem::permissions(
      file(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                  std::filesystem::perms::group_read | std::filesystem::perms::others_read);
  ASSERT_EQ(mode_of(file()), 0644u);
  store = open();
  EXPECT_EQ(mode_of(file()), 0600u);
}

TEST_F(StoreOpenTest, OpeningAgainKeepsDataAndAppliesNothingTwice) {
  const auto session = must(store->create_session("alice", "kept"));
  close();
  // Two stores on one file at once (a daemon and a CLI, say) are fine too.
  auto first = open();
  auto second = open();
  EXPECT_EQ(must(first->get_session(session.id, "alice")).display_name, "kept");
  EXPECT_EQ(must(second->get_session(session.id, "alice")).display_name, "kept");
  first.reset();
  second.reset();
  EXPECT_EQ(raw_sql(file(), "SELECT count(*) FROM schema_migrations"),
            std::to_string(sqlite_schema_version()));
}

TEST_F(StoreOpenTest, RefusesASchemaNewerThanItKnows) {
  const auto session = must(store->create_session("alice", "from the future"));
  close();
  raw_sql(file(), "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (" +
                      std::to_string(sqlite_schema_version() + 1) + ", 'future', 0)");
  const Error error = error_of(open_sqlite_store(file()));
  EXPECT_EQ(error.status, Status::unsupported);
  EXPECT_NE(error.message.find("schema version " + std::to_string(sqlite_schema_version() + 1)),
            std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("newer secpilot"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find(file().string()), std::string::npos) << error.message;
  // Refusing changed nothing.
  EXPECT_EQ(raw_sql(file(), "SELECT display_name FROM sessions"), "from the future");
}

TEST_F(StoreOpenTest, RefusesAnotherApplicationsDatabase) {
  close();
  const auto other = folder.path() / "other.db";
  raw_sql_create(other, "CREATE TABLE contacts (name TEXT)");
  const Error error = error_of(open_sqlite_store(other));
  EXPECT_EQ(error.status, Status::invalid_input);
  EXPECT_NE(error.message.find("not a secpilot store"), std::string::npos) << error.message;
  EXPECT_EQ(raw_sql(other, "SELECT count(*) FROM sqlite_schema WHERE name = 'sessions'"), "0");

  const auto tagged = folder.path() / "tagged.db";
  raw_sql_create(tagged, "PRAGMA application_id = 1234");
  EXPECT_NE(error_of(open_sqlite_store(tagged)).message.find("application_id 0x4d2"),
            std::string::npos);
}

TEST_F(StoreOpenTest, RefusesAFileThatIsNotADatabase) {
  close();
  const auto text = folder.path() / "notes.txt";
  {
    std::ofstream out(text);
    out << "these are not the pages you are looking for, padded to look like a header\n";
  }
  const Error error = error_of(open_sqlite_store(text));
  EXPECT_NE(error.message.find("not a database"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("notes.txt"), std::string::npos) << error.message;
}

TEST_F(StoreOpenTest, ReportsAFolderItCannotCreate) {
  close();
  const auto blocker = folder.path() / "file";
  { std::ofstream out(blocker); }
  const Error error = error_of(open_sqlite_store(blocker / "sub" / "secpilot.db"));
  EXPECT_NE(error.message.find("cannot create the store's folder"), std::string::npos)
      << error.message;
}

TEST_F(StoreOpenTest, CheckpointFoldsTheLogIntoTheFile) {
  must(store->create_session("alice", "s"));
  EXPECT_GT(std::filesystem::file_size(file().string() + "-wal"), 0u);
  must(store->checkpoint());
  EXPECT_EQ(std::filesystem::file_size(file().string() + "-wal"), 0u);
}

TEST(StoreRecordsTest, WireNamesRoundTrip) {
  for (auto state :
       {EvaluationState::created, EvaluationState::running, EvaluationState::waiting_for_input,
        EvaluationState::completed, EvaluationState::failed, EvaluationState::cancelled})
    EXPECT_EQ(parse_evaluation_state(to_string(state)), state);
  EXPECT_EQ(to_string(EvaluationState::waiting_for_input), "waitingForInput");
  EXPECT_EQ(to_string(ResultType::timed_out), "timedOut");
  EXPECT_EQ(to_string(ResultType::none), "");
  EXPECT_EQ(parse_role("contributor"), Role::contributor);
  EXPECT_EQ(parse_role("Owner"), std::nullopt);
  EXPECT_EQ(parse_plugin_scope("organization"), PluginScope::organization);
  EXPECT_EQ(parse_audit_outcome("denied"), AuditOutcome::denied);
  EXPECT_EQ(parse_step_state("cancelled"), StepState::cancelled);
  EXPECT_EQ(parse_prompt_type("skill"), PromptType::skill);
  EXPECT_TRUE(is_terminal(EvaluationState::failed));
  EXPECT_FALSE(is_terminal(EvaluationState::waiting_for_input));
}

}  // namespace
}  // namespace secpilot::store::testing
