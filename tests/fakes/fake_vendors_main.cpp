// secpilot-fake-vendors: the Red Canary and Jamf Pro fakes the connectors' tests use, as a
// program, so that a person can try the connectors offline (the README's tour). Loopback only.
//
//   secpilot-fake-vendors [--red-canary-port N] [--jamf-port N] [--fixtures DIR]
//                         [--settings-out FILE]
//
// Prints (and with --settings-out, writes) the settings file that points the connectors at the
// fakes, then serves until SIGINT or SIGTERM.
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fakes/fake_http_service.hpp"
#include "fakes/jamf_pro_api.hpp"
#include "fakes/red_canary_api.hpp"
#include "secpilot/util/replace_file.hpp"

namespace {

struct Options {
  unsigned short red_canary_port = 0;
  unsigned short jamf_port = 0;
  std::filesystem::path fixtures = SECPILOT_FAKES_DATA_DIR;
  std::filesystem::path settings_out;  // optional
};

[[noreturn]] void usage(std::string_view problem) {
  std::cerr << "secpilot-fake-vendors: " << problem
            << "\nusage: secpilot-fake-vendors [--red-canary-port N] [--jamf-port N] "
               "[--fixtures DIR] [--settings-out FILE]\n";
  std::exit(2);
}

unsigned short port_of(std::string_view text) {
  const int port = std::atoi(std::string(text).c_str());
  if (port <= 0 || port > 65535) usage("not a port: " + std::string(text));
  return static_cast<unsigned short>(port);
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) usage(std::string(arg) + " needs a value");
    const std::string_view value = argv[++i];
    if (arg == "--red-canary-port")
      options.red_canary_port = port_of(value);
    else if (arg == "--jamf-port")
      options.jamf_port = port_of(value);
    else if (arg == "--fixtures")
      options.fixtures = value;
    else if (arg == "--settings-out")
      options.settings_out = value;
    else
      usage("unknown option " + std::string(arg));
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  // Block the stop signals before any thread starts, so that only sigwait() receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  try {
    secpilot::fakes::FakeHttpService red_canary_service(options.red_canary_port);
    secpilot::fakes::RedCanaryApi red_canary(red_canary_service, options.fixtures / "red-canary");
    secpilot::fakes::FakeHttpService jamf_service(options.jamf_port);
    secpilot::fakes::JamfProApi jamf(options.fixtures / "jamf" / "computers.json");
    jamf.mount(jamf_service);
    const secpilot::fakes::JamfProApi::Options jamf_credentials;

    std::ostringstream settings;
    settings << "plugins:\n"
             << "  RedCanary:\n"
             << "    settings: { InstanceURL: \"" << red_canary.instance_url() << "\" }\n"
             << "    secrets: { ApiToken: \"" << secpilot::fakes::RedCanaryApi::kDefaultToken
             << "\" }\n"
             << "    egress: [ \"127.0.0.1:" << red_canary_service.port() << "\" ]\n"
             << "  RedCanaryApi:\n"
             << "    settings: { InstanceURL: \"" << red_canary.instance_url() << "\" }\n"
             << "    secrets: { ApiToken: \"" << secpilot::fakes::RedCanaryApi::kDefaultToken
             << "\" }\n"
             << "    egress: [ \"127.0.0.1:" << red_canary_service.port() << "\" ]\n"
             << "  Jamf:\n"
             << "    settings: { BaseURL: \"" << jamf_service.base_url() << "\", ClientId: \""
             << jamf_credentials.client_id << "\" }\n"
             << "    secrets: { ClientSecret: \"" << jamf_credentials.client_secret << "\" }\n"
             << "    egress: [ \"127.0.0.1:" << jamf_service.port() << "\" ]\n";
    // Replaced whole once both fakes listen: a script waiting for the file (the README's tour)
    // reads it complete.
    if (!options.settings_out.empty())
      if (auto failed = secpilot::replace_file(options.settings_out, settings.str()))
        throw std::runtime_error("cannot write " + options.settings_out.string() + ": " +
                                 failed.message());
    std::cout << "Fake vendors on loopback (Ctrl-C stops them). Settings file for secpilot"
              << (options.settings_out.empty() ? "" : " (in " + options.settings_out.string() + ")")
              << ":\n\n"
              << settings.str() << std::flush;
    int signal_number = 0;
    sigwait(&stop, &signal_number);
    std::cout << "stopping\n";
  } catch (const std::exception& e) {
    std::cerr << "secpilot-fake-vendors: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
