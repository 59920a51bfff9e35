#include "threat_intel/feed_store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>

#include "text_util.hpp"

namespace threat_intel {
namespace fs = std::filesystem;
namespace json = boost::json;
namespace {

constexpr std::string_view kFeedExtensions[] = {".csv", ".ipset",  ".list",
                                                ".lst", ".netset", ".txt"};

bool is_feed_file_name(const fs::path& path) {
  std::string name = path.filename().string();
  if (name.empty() || name.front() == '.') return false;
  std::string extension = to_lower(path.extension().string());
  return std::find(std::begin(kFeedExtensions), std::end(kFeedExtensions), extension) !=
         std::end(kFeedExtensions);
}

std::string now_iso8601() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

FileStamp stamp(const fs::path& path, std::string key) {
  FileStamp result;
  result.path = std::move(key);
  std::error_code ec;
  auto time = fs::last_write_time(path, ec);
  if (ec) {
    result.mtime_ns = -1;  // missing or unreadable: appearing later counts as a change
    return result;
  }
  result.mtime_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
  result.size = fs::file_size(path, ec);
  if (ec) result.size = 0;
  return result;
}

// Reads a whole file; empty optional and a message when it cannot.
std::optional<std::string> read_file(const fs::path& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path.string() + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    error = "cannot read " + path.string();
    return std::nullopt;
  }
  return std::move(content).str();
}

// Line and column (1-based) of a byte offset, for messages.
std::string position_of(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

struct ListedFeed {
  FeedSpec spec;
  bool enabled = true;
};

struct FeedList {
  std::vector<ListedFeed> feeds;
  bool auto_detect_unlisted = true;
};

// Reads feeds.json into `list`; problems go to `problems`. Returns false when the file is
// unusable as a whole (then every feed file is auto-detected).
bool read_feed_index(const fs::path& path, FeedList& list, std::vector<std::string>& problems) {
  const std::string file = std::string(kFeedIndexFile);
  std::string error;
  auto text = read_file(path, error);
  if (!text) {
    problems.push_back(file + ": " + error);
    return false;
  }
  json::parse_options options;
  options.allow_comments = true;
  options.allow_trailing_commas = true;
  json::stream_parser parser({}, options);
  boost::system::error_code ec;
  size_t used = parser.write_some(text->data(), text->size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    problems.push_back(file + ":" + position_of(*text, used) + ": " + ec.message() +
                       "; fix the JSON (comments and trailing commas are allowed) - until then "
                       "every feed file is loaded with its format detected");
    return false;
  }
  json::value root = parser.release();
  const json::object* object = root.if_object();
  const json::value* feeds = object ? object->if_contains("feeds") : nullptr;
  if (!object || !feeds || !feeds->is_array()) {
    problems.push_back(file +
                       ": expected an object with a \"feeds\" array, e.g. {\"feeds\": [{\"name\": "
                       "\"local\", \"file\": \"blocklist.txt\"}]}");
    return false;
  }
  for (const auto& [key, value] : *object) {
    if (key == "feeds" || key == "description") continue;
    if (key == "auto_detect_unlisted" && value.is_bool()) {
      list.auto_detect_unlisted = value.get_bool();
      continue;
    }
    problems.push_back(file + ": unknown or mistyped key \"" + std::string(key) +
                       "\" (known: feeds, auto_detect_unlisted as a boolean, description)");
  }
  size_t position = 0;
  for (const auto& item : feeds->get_array()) {
    const std::string where = file + ": feeds[" + std::to_string(position++) + "]";
    const json::object* entry = item.if_object();
    if (!entry) {
      problems.push_back(where + ": expected an object with at least \"file\"");
      continue;
    }
    FeedSpec spec;
    bool enabled = true, usable = true;
    for (const auto& member : *entry) {
      const std::string_view key = member.key();
      const json::value& value = member.value();
      auto text_of = [&](const char* what) -> std::optional<std::string> {
        if (const auto* s = value.if_string()) return std::string(*s);
        problems.push_back(where + ": \"" + std::string(key) + "\" must be " + what);
        return std::nullopt;
      };
      if (key == "file") {
        if (auto s = text_of("a file name (relative to the feed folder)")) spec.file = *s;
      } else if (key == "name") {
        if (auto s = text_of("a string")) spec.name = *s;
      } else if (key == "format") {
        if (auto s = text_of("a string")) {
          spec.format = parse_format(*s).value_or(FeedFormat::Auto);
          if (!parse_format(*s))
            problems.push_back(where + ": unknown format \"" + *s + "\" (known: " +
                               std::string(kFormatNames) + "); detecting it instead");
        }
      } else if (key == "verdict") {
        if (auto s = text_of("a string")) {
          spec.verdict = parse_verdict(*s);
          if (!spec.verdict)
            problems.push_back(where + ": unknown verdict \"" + *s +
                               "\" (known: malicious, suspicious, clean); using the default");
        }
      } else if (key == "confidence") {
        if (value.is_int64() && value.get_int64() >= 0 && value.get_int64() <= 100)
          spec.confidence = static_cast<int>(value.get_int64());
        else
          problems.push_back(where + ": \"confidence\" must be an integer from 0 to 100");
      } else if (key == "tags") {
        if (const auto* tags = value.if_array()) {
          for (const auto& tag : *tags)
            if (const auto* s = tag.if_string()) spec.tags.emplace_back(*s);
        } else {
          problems.push_back(where + ": \"tags\" must be an array of strings");
        }
      } else if (key == "enabled") {
        if (value.is_bool())
          enabled = value.get_bool();
        else
          problems.push_back(where + ": \"enabled\" must be true or false");
      } else if (key == "description") {
        // documentation only
      } else {
        problems.push_back(where + ": unknown key \"" + std::string(key) +
                           "\" (known: name, file, format, verdict, confidence, tags, enabled, "
                           "description)");
      }
    }
    if (spec.file.empty()) {
      problems.push_back(where + ": \"file\" is required: the feed's file name in the folder");
      usable = false;
    }
    if (spec.name.empty()) spec.name = fs::path(spec.file).stem().string();
    if (usable) list.feeds.push_back({std::move(spec), enabled});
  }
  return true;
}

}  // namespace

size_t Snapshot::feeds_loaded() const noexcept {
  return static_cast<size_t>(
      std::count_if(index.feeds().begin(), index.feeds().end(),
                    [](const ParsedFeed& f) { return f.status.error.empty(); }));
}

size_t Snapshot::skipped_lines() const noexcept {
  size_t total = 0;
  for (const auto& feed : index.feeds())
    total += feed.status.skipped_lines;
  return total;
}

Fingerprint fingerprint_of(const fs::path& directory, const std::vector<std::string>& extra) {
  Fingerprint result;
  std::error_code ec;
  if (!directory.empty()) {
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.empty() || name.front() == '.') continue;
      std::error_code type_ec;
      if (!it->is_regular_file(type_ec)) continue;
      result.push_back(stamp(it->path(), name));
    }
  }
  for (const auto& path : extra)
    result.push_back(stamp(path, path));
  std::sort(result.begin(), result.end(),
            [](const FileStamp& a, const FileStamp& b) { return a.path < b.path; });
  return result;
}

std::shared_ptr<const Snapshot> load_snapshot(const fs::path& directory) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->directory = directory;
  snapshot->loaded_at = now_iso8601();
  // Stamp the files before reading them: a change during the read shows at the next check.
  snapshot->fingerprint = fingerprint_of(directory, {});

  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    snapshot->problems.push_back(
        "feed folder " + directory.string() +
        (fs::exists(directory, ec) ? " is not a folder" : " does not exist") +
        ": create it and put feed files in it, or point the FeedDirectory setting at one");
    return snapshot;
  }

  FeedList list;
  const fs::path index_path = directory / kFeedIndexFile;
  if (fs::exists(index_path, ec)) read_feed_index(index_path, list, snapshot->problems);

  std::set<fs::path> listed;
  std::vector<FeedSpec> specs;
  for (auto& [spec, enabled] : list.feeds) {
    fs::path path = fs::path(spec.file).is_absolute() ? fs::path(spec.file) : directory / spec.file;
    listed.insert(path.lexically_normal());
    if (path.lexically_normal().parent_path() != directory.lexically_normal()) {
      snapshot->watched.push_back(path.string());
    }
    if (enabled) specs.push_back(std::move(spec));
  }
  if (!snapshot->watched.empty()) {
    auto extra = fingerprint_of({}, snapshot->watched);
    snapshot->fingerprint.insert(snapshot->fingerprint.end(), extra.begin(), extra.end());
    std::sort(snapshot->fingerprint.begin(), snapshot->fingerprint.end(),
              [](const FileStamp& a, const FileStamp& b) { return a.path < b.path; });
  }
  if (list.auto_detect_unlisted) {
    std::vector<fs::path> unlisted;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (!it->is_regular_file(type_ec) || !is_feed_file_name(it->path())) continue;
      if (listed.count(it->path().lexically_normal())) continue;
      unlisted.push_back(it->path());
    }
    std::sort(unlisted.begin(), unlisted.end());
    for (const auto& path : unlisted) {
      FeedSpec spec;
      spec.name = path.stem().string();
      spec.file = path.filename().string();
      specs.push_back(std::move(spec));
    }
  }

  std::set<std::string> names;
  std::vector<ParsedFeed> feeds;
  for (const auto& spec : specs) {
    if (!names.insert(spec.name).second)
      snapshot->problems.push_back("two feeds are named \"" + spec.name +
                                   "\": give them distinct names in feeds.json");
    fs::path path = fs::path(spec.file).is_absolute() ? fs::path(spec.file) : directory / spec.file;
    std::string error;
    auto content = read_file(path, error);
    if (!content) {
      ParsedFeed failed;
      failed.status.name = spec.name;
      failed.status.file = spec.file;
      failed.status.format = spec.format;
      failed.status.error = error;
      feeds.push_back(std::move(failed));
      continue;
    }
    feeds.push_back(parse_feed(*content, spec));
  }
  snapshot->index = IndicatorIndex(std::move(feeds));
  return snapshot;
}

FeedStore::FeedStore(fs::path directory, Options options)
    : directory_(std::move(directory)), options_(options), snapshot_(load_snapshot(directory_)) {
  next_check_ns_.store(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::steady_clock::now().time_since_epoch() + options_.check_interval)
          .count());
}

std::shared_ptr<const Snapshot> FeedStore::current() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

FeedStore::Acquired FeedStore::acquire() {
  return check(false);
}

FeedStore::Acquired FeedStore::refresh() {
  return check(true);
}

FeedStore::Acquired FeedStore::check(bool force) {
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  if (!force && now < next_check_ns_.load(std::memory_order_relaxed)) return {current(), false};
  std::unique_lock lock(reload_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) {
    if (!force) return {current(), false};  // someone else is checking: use what we have
    lock.lock();
  }
  next_check_ns_.store(
      now + std::chrono::duration_cast<std::chrono::nanoseconds>(options_.check_interval).count(),
      std::memory_order_relaxed);
  auto snapshot = current();
  if (fingerprint_of(directory_, snapshot->watched) == snapshot->fingerprint)
    return {snapshot, false};
  std::shared_ptr<const Snapshot> fresh = load_snapshot(directory_);
  {
    std::lock_guard guard(snapshot_mutex_);
    snapshot_ = fresh;
  }
  return {fresh, true};
}

}  // namespace threat_intel
