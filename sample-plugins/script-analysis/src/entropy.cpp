#include "script_analysis/entropy.hpp"

#include <array>
#include <cmath>
#include <cstddef>

namespace script_analysis {

double shannon_entropy(std::string_view bytes) noexcept {
  if (bytes.empty()) return 0.0;
  std::array<size_t, 256> counts{};
  for (char c : bytes)
    ++counts[static_cast<unsigned char>(c)];
  const double total = static_cast<double>(bytes.size());
  double entropy = 0.0;
  for (size_t count : counts) {
    if (count == 0) continue;
    double p = static_cast<double>(count) / total;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

}  // namespace script_analysis
