// Runs a function on a thread with a large stack and waits for it.
//
// libstdc++'s std::regex matcher recurses once per character matched, so a regular expression
// over a long log value needs a deep stack; a query therefore executes on its own thread with
// 256 MiB of stack reserved (only the pages touched are ever committed), whatever thread the
// host called from.
#pragma once

#include <cstddef>
#include <functional>

namespace log_hunt {

inline constexpr size_t kQueryStackBytes = size_t{256} << 20;

// Exceptions thrown by `body` are rethrown here. Runs `body` inline if no thread can be made.
void run_on_deep_stack(const std::function<void()>& body, size_t stack_bytes = kQueryStackBytes);

}  // namespace log_hunt
