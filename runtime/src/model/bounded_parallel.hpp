// Runs the tool calls of one round side by side, never more than a set number at once.
#pragma once

#include <cstddef>
#include <functional>

namespace secpilot::model::detail {

// Calls job(0) ... job(count - 1), at most `max_parallel` at a time (the calling thread is one
// of them), and returns when all have returned. `job` must not throw.
void run_bounded(std::size_t count, std::size_t max_parallel,
                 const std::function<void(std::size_t)>& job);

}  // namespace secpilot::model::detail
