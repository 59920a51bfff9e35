// IPv4: ipv4_is_in_range, ipv4_is_private, ipv4_is_match, parse_ipv4.
#include <charconv>
#include <optional>

#include "functions.hpp"

namespace log_hunt {
namespace {

FunctionSpec spec(size_t min, size_t max, const char* signature,
                  std::function<ExpressionPtr(Args&, const FunctionContext&)> build) {
  return FunctionSpec{min, max, signature, std::move(build)};
}

std::optional<uint32_t> parse_address(std::string_view text) {
  uint32_t address = 0;
  for (int part = 0; part < 4; ++part) {
    unsigned value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || value > 255 || end == text.data()) return std::nullopt;
    address = (address << 8) | value;
    text.remove_prefix(static_cast<size_t>(end - text.data()));
    if (part < 3) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return std::nullopt;
  return address;
}

// "10.0.0.0/8" or a bare address (/32).
struct Network {
  uint32_t address = 0;
  uint32_t mask = 0;
};

std::optional<Network> parse_network(std::string_view text) {
  int prefix = 32;
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    std::string_view bits = text.substr(slash + 1);
    auto [end, error] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (error != std::errc() || end != bits.data() + bits.size() || prefix < 0 || prefix > 32)
      return std::nullopt;
    text = text.substr(0, slash);
  }
  auto address = parse_address(text);
  if (!address) return std::nullopt;
  const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return Network{*address & mask, mask};
}

bool in_network(uint32_t address, const Network& network) {
  return (address & network.mask) == network.address;
}

}  // namespace

void add_ip_functions(FunctionTable& t) {
  t["ipv4_is_in_range"] =
      spec(2, 2, "ipv4_is_in_range(ip, range)", [](Args& args, const FunctionContext&) {
        std::optional<Network> fixed;
        if (args[1]->is_constant()) fixed = parse_network(to_text(constant_value(*args[1])));
        return make_call(Type::Bool, std::move(args), [fixed](auto v, Value& out) {
          std::string scratch;
          auto address = parse_address(text_arg(*v[0], scratch));
          auto network = fixed ? fixed : parse_network(to_text(*v[1]));
          if (!address || !network)
            out.set_null(Type::Bool);
          else
            out.set_bool(in_network(*address, *network));
        });
      });
  t["ipv4_is_private"] = spec(1, 1, "ipv4_is_private(ip)", [](Args& args, const FunctionContext&) {
    return make_call(Type::Bool, std::move(args), [](auto v, Value& out) {
      static constexpr Network kPrivate[] = {{0x0A000000, 0xFF000000},   // 10.0.0.0/8
                                             {0xAC100000, 0xFFF00000},   // 172.16.0.0/12
                                             {0xC0A80000, 0xFFFF0000}};  // 192.168.0.0/16
      std::string scratch;
      std::string_view text = text_arg(*v[0], scratch);
      auto network = parse_network(text);  // a range is private when its base is
      if (!network) {
        out.set_null(Type::Bool);
        return;
      }
      bool is_private = false;
      for (const auto& range : kPrivate)
        is_private = is_private || in_network(network->address, range);
      out.set_bool(is_private);
    });
  });
  t["ipv4_is_match"] =
      spec(2, 3, "ipv4_is_match(ip1, ip2 [, prefix])", [](Args& args, const FunctionContext&) {
        return make_call(Type::Bool, std::move(args), [](auto v, Value& out) {
          auto a = parse_network(to_text(*v[0]));
          auto b = parse_network(to_text(*v[1]));
          int64_t prefix = 32;
          if (v.size() > 2 && !long_arg(*v[2], prefix)) prefix = 32;
          if (!a || !b || prefix < 0 || prefix > 32) {
            out.set_null(Type::Bool);
            return;
          }
          uint32_t mask = a->mask & b->mask & (prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix));
          out.set_bool((a->address & mask) == (b->address & mask));
        });
      });
  t["parse_ipv4"] = spec(1, 1, "parse_ipv4(ip)", [](Args& args, const FunctionContext&) {
    return make_call(Type::Long, std::move(args), [](auto v, Value& out) {
      auto network = parse_network(to_text(*v[0]));
      if (network)
        out.set_long(network->address);
      else
        out.set_null(Type::Long);
    });
  });
}

}  // namespace log_hunt
