// Where a file was seen, by hash (MD5, SHA-1 or SHA-256 each map to their own column) or name.
#include "generate/intent.hpp"
#include "generate/query_text.hpp"

namespace kql_skills {
namespace {

bool has_hash(const Request& r) {
  return !r.entities.md5s.empty() || !r.entities.sha1s.empty() || !r.entities.sha256s.empty();
}

int score_hashes(const Request& r) {
  return has_hash(r) ? 85 : 0;
}

// `Column in~ (...)` for each hash kind present, joined with or.
std::string hash_condition(const Request& r, bool with_sha256) {
  std::vector<std::string> parts;
  if (!r.entities.md5s.empty()) parts.push_back(equals_any("MD5", r.entities.md5s, true));
  if (!r.entities.sha1s.empty()) parts.push_back(equals_any("SHA1", r.entities.sha1s, true));
  if (with_sha256 && !r.entities.sha256s.empty())
    parts.push_back(equals_any("SHA256", r.entities.sha256s, true));
  std::string text;
  for (size_t i = 0; i < parts.size(); ++i)
    text += (i ? " or " : "") + parts[i];
  return text;
}

Generated build_hashes(const Request& r) {
  Generated g;
  const TimeWindow window = window_or_default(r, 30, g);
  // Email attachments only carry SHA-256, so that table joins only for SHA-256 hashes.
  // A host narrows the search to devices, which attachments are not.
  const bool attachments = !r.entities.sha256s.empty() && r.entities.md5s.empty() &&
                           r.entities.sha1s.empty() && r.entities.hosts.empty();
  g.tables = {"DeviceProcessEvents", "DeviceFileEvents", "DeviceEvents"};
  if (attachments) g.tables.push_back("EmailAttachmentInfo");
  std::string legs;
  for (size_t i = 0; i < g.tables.size(); ++i)
    legs += (i ? ", " : "") + g.tables[i];
  std::string query = "union withsource=SourceTable " + legs + "\n" +
                      time_filter("Timestamp", window) + "\n" + "| where " +
                      hash_condition(r, true) + "\n" +
                      (r.entities.hosts.empty()
                           ? std::string()
                           : "| where " + hosts_condition("DeviceName", r.entities.hosts) + "\n") +
                      "| summarize FirstSeen = min(Timestamp), LastSeen = max(Timestamp), "
                      "Events = count(), Devices = dcount(DeviceId), DeviceNames = "
                      "make_set(DeviceName, 50), FileNames = make_set(FileName, 10) by "
                      "SourceTable\n| sort by LastSeen desc";
  g.query = std::move(query);
  std::vector<std::string> kinds;
  if (!r.entities.md5s.empty()) kinds.push_back("MD5");
  if (!r.entities.sha1s.empty()) kinds.push_back("SHA-1");
  if (!r.entities.sha256s.empty()) kinds.push_back("SHA-256");
  g.explanation = "Finds where the file with this " + join_words(kinds) + " hash was seen" +
                  (r.entities.hosts.empty() ? "" : " on " + join_words(r.entities.hosts)) + " in " +
                  window.phrase + " (process starts, file events, other device events" +
                  (attachments ? ", e-mail attachments" : "") +
                  "): first and last sighting, number of events and the devices, per table.";
  if (!r.entities.sha256s.empty())
    g.assumptions.push_back(
        "Defender often leaves SHA256 empty on device events; if nothing "
        "is found, search by the file's SHA-1 too.");
  return g;
}

int score_file_names(const Request& r) {
  if (r.entities.files.empty() && r.entities.processes.empty()) return 0;
  return r.has_any({"file", "files", "seen", "written", "created", "dropped", "downloaded",
                    "where is", "where was", "sightings", "prevalence"})
             ? 60
             : 0;
}

Generated build_file_names(const Request& r) {
  Generated g;
  g.tables = {"DeviceFileEvents"};
  const TimeWindow window = window_or_default(r, 7, g);
  std::vector<std::string> names = r.entities.files;
  names.insert(names.end(), r.entities.processes.begin(), r.entities.processes.end());
  std::string query = "DeviceFileEvents\n" + time_filter("Timestamp", window) + "\n" + "| where " +
                      equals_any("FileName", names, true) + "\n";
  if (!r.entities.hosts.empty())
    query += "| where " + hosts_condition("DeviceName", r.entities.hosts) + "\n";
  query +=
      "| project Timestamp, DeviceName, ActionType, FolderPath, FileName, SHA1, SHA256, "
      "FileOriginUrl, InitiatingProcessFileName, InitiatingProcessAccountName\n"
      "| sort by Timestamp desc";
  g.query = std::move(query);
  g.explanation = "Lists file creations, changes and renames of " + join_words(names) + " in " +
                  window.phrase +
                  ", with the folder, hashes, download origin and the process "
                  "that wrote the file.";
  return g;
}

}  // namespace

void add_file_intents(std::vector<Intent>& list) {
  list.push_back({"file_hash_sightings",
                  "Where a file hash (MD5, SHA-1 or SHA-256) was seen on "
                  "devices or in e-mail attachments",
                  "Where has the file with SHA256 "
                  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 been seen?",
                  score_hashes, build_hashes});
  list.push_back({"file_events_by_name", "File events for a file name",
                  "Where was invoice.docm written in the last 3 days?", score_file_names,
                  build_file_names});
}

}  // namespace kql_skills
