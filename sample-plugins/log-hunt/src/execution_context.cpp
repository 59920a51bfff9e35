#include "log_hunt/execution_context.hpp"

#include <algorithm>

#include "log_hunt/query_error.hpp"

namespace log_hunt {

std::string position_prefix(const kql::SourceRange& range) {
  if (!range.known()) return {};
  return "line " + std::to_string(range.line) + ", column " + std::to_string(range.column) + ": ";
}

void ExecutionContext::check_time() {
  if (limits_.cancelled && limits_.cancelled())
    throw QueryError(ErrorKind::Cancelled, "the query was cancelled");
  if (limits_.deadline && std::chrono::steady_clock::now() > *limits_.deadline)
    throw QueryError(ErrorKind::Timeout,
                     "the query ran out of time after reading " +
                         std::to_string(stats_.rows_scanned) +
                         " rows: narrow it (a time filter such as `where Timestamp > ago(1d)`, "
                         "`take`, fewer tables) or raise the skill's timeout");
}

void ExecutionContext::charge(size_t bytes, const char* what) {
  used_bytes_ += bytes;
  if (used_bytes_ > limits_.max_memory_bytes)
    throw QueryError(ErrorKind::TooLarge,
                     std::string("the query needs more than ") +
                         std::to_string(limits_.max_memory_bytes >> 20) + " MiB for " + what +
                         ": summarize by fewer or coarser keys, filter before joining or sorting, "
                         "or raise the MaxMemoryMB setting");
}

void ExecutionContext::warn(std::string message) {
  if (warnings_.size() < 20 &&
      std::find(warnings_.begin(), warnings_.end(), message) == warnings_.end())
    warnings_.push_back(std::move(message));
}

}  // namespace log_hunt
