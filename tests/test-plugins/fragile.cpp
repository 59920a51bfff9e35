// A plugin whose constructor throws: the host must report it, not crash.
#include <secpilot/sdk.hpp>

#include <stdexcept>

class Fragile {
 public:
  Fragile() { throw std::runtime_error("feed database is corrupt"); }
  std::string noop(secpilot::sdk::Context&) { return "{}"; }
};

SECPILOT_PLUGIN(Fragile, "Fragile", "1.0.0", secpilot::sdk::skill<&Fragile::noop>("Noop"));
