#include "model/bounded_parallel.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace secpilot::model::detail {

void run_bounded(std::size_t count, std::size_t max_parallel,
                 const std::function<void(std::size_t)>& job) {
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++)
      job(i);
  };
  const std::size_t helpers = std::min(count, std::max<std::size_t>(max_parallel, 1)) - (count > 0);
  std::vector<std::thread> threads;
  threads.reserve(helpers);
  for (std::size_t i = 0; i < helpers; ++i)
    threads.emplace_back(work);
  work();
  for (std::thread& thread : threads)
    thread.join();
}

}  // namespace secpilot::model::detail
