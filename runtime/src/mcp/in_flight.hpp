// The requests a transport is answering, so that notifications/cancelled can stop the one it
// names: each request gets a flag under a key the transport chooses (what makes its id unique:
// over stdio the id alone, over HTTP the session and the id), which the skill call watches.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace secpilot::mcp {

// What a transport needs to know of a message before it is answered, ids as their JSON text: a
// request's own id, or the request that a notifications/cancelled names. Empty when absent, and
// for text that is not a JSON object (the server answers that with its parse error).
struct MessageIds {
  std::string id;
  std::string cancels;
};
MessageIds message_ids(std::string_view text);

class InFlight {
 public:
  using Flag = std::shared_ptr<std::atomic<bool>>;

  // The flag of a request that begins; a later begin() with the same key takes the key over.
  Flag begin(const std::string& key);
  // The request is answered: its key is free again (unless another request took it over).
  void end(const std::string& key, const Flag& flag);
  // Sets the flag of the request under `key`; nothing when there is none (answered already, or
  // never seen: the specification says to ignore such a cancellation).
  void cancel(const std::string& key);

 private:
  std::mutex mutex_;
  std::map<std::string, Flag, std::less<>> requests_;
};

}  // namespace secpilot::mcp
