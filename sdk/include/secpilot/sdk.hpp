// secpilot C++ SDK: write a plugin as a plain class and one macro. Header-only, C++17, no
// dependency beyond the standard library and <secpilot/plugin.h>.
//
//   #include <secpilot/sdk.hpp>
//
//   class Greeter {
//    public:
//     explicit Greeter(secpilot::sdk::InitContext& init) : greeting_(init.setting_or("Greeting", "Hi")) {}
//     std::string greet(secpilot::sdk::Context& ctx) {
//       return "{\"text\":\"" + greeting_ + "\"}";          // a JSON value, as text
//     }
//    private:
//     std::string greeting_;
//   };
//
//   SECPILOT_PLUGIN(Greeter, "Greeter", "1.0.0",
//                   secpilot::sdk::skill<&Greeter::greet>("Greet", SP_SKILL_THREAD_SAFE));
//
// What the wrapper guarantees: every exported function is noexcept and turns any exception —
// from construction too — into a status and a message (throw secpilot::sdk::Error to choose the
// status); inputs arrive as JSON text; results are copied to the host. Define
// SECPILOT_SDK_USE_BOOST_JSON before including (and link Boost.JSON) to also get parsed inputs and
// boost::json results; see docs/sdk.md.
#ifndef SECPILOT_SDK_HPP
#define SECPILOT_SDK_HPP

#include <secpilot/plugin.h>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#ifdef SECPILOT_SDK_USE_BOOST_JSON
#include <boost/json.hpp>
#endif

namespace secpilot::sdk {

// Throw from a skill (or a constructor) to fail with a chosen status; any other exception becomes
// SP_ERR_INTERNAL with its what() as the message.
class Error : public std::runtime_error {
 public:
  Error(sp_status code, const std::string& message) : std::runtime_error(message), code_(code) {}
  sp_status code() const noexcept { return code_; }

 private:
  sp_status code_;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // 0: the host's default
  bool follow_redirects = false;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lower-case
  std::string body;

  // First header with this (lower-case) name, if any.
  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (key == name) return value;
    return std::nullopt;
  }
};

// What a call can reach of the host: settings and secrets, logging, and (for skills) HTTP,
// progress and cancellation. Cheap to copy; valid only during the call it was made for.
class CallContext {
 public:
  CallContext(const sp_host_api* host, sp_call* call) noexcept : host_(host), call_(call) {}

  // A setting or secret of this plugin, or nullopt when it has no value.
  std::optional<std::string> setting(const char* name) const {
    sp_bytes value{nullptr, 0};
    if (host_->get_setting(call_, name, &value) != SP_OK) return std::nullopt;
    return std::string(value.data ? value.data : "", value.size);
  }
  std::string setting_or(const char* name, std::string fallback) const {
    auto value = setting(name);
    return value ? *value : std::move(fallback);
  }
  // A setting that must be present: fails the call with SP_ERR_UNAUTHORIZED when it is not, with
  // a message that says which setting to set.
  std::string require_setting(const char* name) const {
    auto value = setting(name);
    if (!value || value->empty())
      throw Error(SP_ERR_UNAUTHORIZED, std::string("setting '") + name +
                                           "' is not set: add it to the plugin's settings");
    return *value;
  }

  void log(sp_log_level level, std::string_view message) const {
    host_->log(call_, level, message.data(), message.size());
  }
  void debug(std::string_view message) const { log(SP_LOG_DEBUG, message); }
  void info(std::string_view message) const { log(SP_LOG_INFO, message); }
  void warn(std::string_view message) const { log(SP_LOG_WARN, message); }
  void error(std::string_view message) const { log(SP_LOG_ERROR, message); }

  const sp_host_api* host() const noexcept { return host_; }
  sp_call* call() const noexcept { return call_; }

 private:
  const sp_host_api* host_;
  sp_call* call_;
};

// Handed to the plugin class's constructor, when it takes one.
class InitContext : public CallContext {
 public:
  InitContext(const sp_init_args* args) noexcept  // NOLINT: implicit by design
      : CallContext(args->host, args->call), args_(args) {}

  // The plugin's non-secret settings as a JSON object (text).
  std::string_view config_json() const noexcept {
    return {args_->config_json.data ? args_->config_json.data : "", args_->config_json.size};
  }
  // The folder holding the plugin's manifest, for data files shipped beside it.
  std::string manifest_dir() const { return args_->manifest_dir ? args_->manifest_dir : ""; }

 private:
  const sp_init_args* args_;
};

// Handed to every skill.
class Context : public CallContext {
 public:
  Context(const sp_host_api* host, sp_call* call, std::string_view input) noexcept
      : CallContext(host, call), input_(input) {}

  // The skill's inputs: a JSON object as text, already checked against the manifest's Inputs.
  std::string_view input() const noexcept { return input_; }

  // Reports progress (fraction 0..1, or negative when unknown).
  void progress(double fraction, const char* message = nullptr) const {
    host()->progress(call(), fraction, message);
  }
  // True once the host no longer wants the result; long loops should check it and stop.
  bool cancelled() const { return host()->is_cancelled(call()) != 0; }
  // Throws Error(SP_ERR_CANCELLED) when cancelled: a one-line check for loops.
  void throw_if_cancelled() const {
    if (cancelled()) throw Error(SP_ERR_CANCELLED, "cancelled");
  }

  // An HTTP(S) request through the host (TLS, timeouts, egress allow-list are the host's).
  // Throws Error with the host's status when no response arrived; HTTP error statuses return.
  HttpResponse http(const HttpRequest& request) const {
    std::vector<sp_header> headers;
    headers.reserve(request.headers.size());
    for (const auto& [name, value] : request.headers)
      headers.push_back({name.c_str(), value.c_str()});
    sp_http_request raw{};
    raw.struct_size = sizeof raw;
    raw.method = request.method.c_str();
    raw.url = request.url.c_str();
    raw.headers = headers.data();
    raw.header_count = headers.size();
    raw.body = {request.body.data(), request.body.size()};
    raw.timeout_ms = static_cast<uint32_t>(request.timeout.count());
    raw.flags = request.follow_redirects ? SP_HTTP_FOLLOW_REDIRECTS : 0;
    sp_http_response out{};
    out.struct_size = sizeof out;
    sp_status status = host()->http_request(call(), &raw, &out);
    if (status != SP_OK)
      throw Error(status, std::string(out.error.data ? out.error.data : "HTTP request failed",
                                      out.error.data ? out.error.size : 19));
    HttpResponse response;
    response.status = out.status;
    for (size_t i = 0; i < out.header_count; ++i)
      response.headers.emplace_back(out.headers[i].name, out.headers[i].value);
    response.body.assign(out.body.data ? out.body.data : "", out.body.size);
    return response;
  }
  HttpResponse get(std::string url, Headers headers = {}) const {
    HttpRequest request;
    request.url = std::move(url);
    request.headers = std::move(headers);
    return http(request);
  }

#ifdef SECPILOT_SDK_USE_BOOST_JSON
  // The inputs parsed (once) into an object.
  const boost::json::object& json() const {
    if (!parsed_) parsed_ = boost::json::parse(input_).as_object();
    return *parsed_;
  }
  // A string input, or nullopt when absent or null.
  std::optional<std::string> input_string(std::string_view name) const {
    const auto* value = json().if_contains(name);
    if (!value || value->is_null()) return std::nullopt;
    if (const auto* text = value->if_string()) return std::string(*text);
    return boost::json::serialize(*value);
  }

 private:
  mutable std::optional<boost::json::object> parsed_;
#endif

 private:
  std::string_view input_;
};

namespace detail {

template <class M>
struct member_traits {
  static constexpr bool is_member = false;
};
template <class T, class R, class A>
struct member_traits<R (T::*)(A)> {
  static constexpr bool is_member = true;
  using object = T;
  using result = R;
  using argument = A;
};
template <class T, class R, class A>
struct member_traits<R (T::*)(A) const> : member_traits<R (T::*)(A)> {};
template <class T, class R, class A>
struct member_traits<R (T::*)(A) noexcept> : member_traits<R (T::*)(A)> {};
template <class T, class R, class A>
struct member_traits<R (T::*)(A) const noexcept> : member_traits<R (T::*)(A)> {};

template <class R>
constexpr bool is_result_type = std::is_convertible_v<R, std::string>
#ifdef SECPILOT_SDK_USE_BOOST_JSON
                                || std::is_convertible_v<R, boost::json::value>
#endif
    ;

template <class R>
std::string to_result_text(R&& result) {
#ifdef SECPILOT_SDK_USE_BOOST_JSON
  if constexpr (!std::is_convertible_v<R, std::string>)
    return boost::json::serialize(boost::json::value(std::forward<R>(result)));
  else
#endif
    return std::string(std::forward<R>(result));
}

// What init returns: the host's table plus the user's object.
template <class T>
struct Instance {
  const sp_host_api* host;
  T object;
  template <class... A>
  Instance(const sp_host_api* h, A&&... args) : host(h), object(std::forward<A>(args)...) {}
};

inline void report(const sp_host_api* host, sp_call* call, sp_status code, const char* message) {
  host->set_error(call, code, message, std::strlen(message));
}

// Runs `body`, converting any exception into set_error + a status. Never throws.
template <class F>
sp_status guarded(const sp_host_api* host, sp_call* call, F&& body) noexcept {
  try {
    return body();
  } catch (const Error& e) {
    sp_status code = e.code() == SP_OK ? SP_ERR_INTERNAL : e.code();
    report(host, call, code, e.what());
    return code;
  } catch (const std::bad_alloc&) {
    report(host, call, SP_ERR_INTERNAL, "out of memory");
  } catch (const std::exception& e) {
    report(host, call, SP_ERR_INTERNAL, e.what());
  } catch (...) {
    report(host, call, SP_ERR_INTERNAL, "unknown exception");
  }
  return SP_ERR_INTERNAL;
}

template <class T>
sp_status init_thunk(const sp_init_args* args, void** instance) noexcept {
  *instance = nullptr;
  return guarded(args->host, args->call, [&]() -> sp_status {
    if constexpr (std::is_constructible_v<T, InitContext&>) {
      InitContext init(args);
      *instance = new Instance<T>(args->host, init);
    } else {
      *instance = new Instance<T>(args->host);
    }
    return SP_OK;
  });
}

template <class T>
void destroy_thunk(void* instance) noexcept {
  try {
    delete static_cast<Instance<T>*>(instance);
  } catch (...) {  // a destructor that throws must not cross the ABI
  }
}

template <auto Method>
sp_status invoke_thunk(void* instance, sp_call* call, const char* input, size_t size) noexcept {
  using T = typename member_traits<decltype(Method)>::object;
  auto* self = static_cast<Instance<T>*>(instance);
  return guarded(self->host, call, [&]() -> sp_status {
    Context context(self->host, call, std::string_view(input, size));
    std::string result = to_result_text((self->object.*Method)(context));
    return self->host->set_result(call, result.data(), result.size());
  });
}

template <class T, class = void>
struct config_schema_of {
  static constexpr const char* value = nullptr;
};
template <class T>
struct config_schema_of<T, std::void_t<decltype(T::config_schema)>> {
  static constexpr const char* value = T::config_schema;
};

}  // namespace detail

// Declares one skill: a member function `std::string Class::method(secpilot::sdk::Context&)`
// (const and noexcept allowed), its name as written in the manifest, and SP_SKILL_* flags.
template <auto Method>
constexpr sp_skill skill(const char* name, uint64_t flags = 0, const char* description = nullptr) {
  using traits = detail::member_traits<decltype(Method)>;
  static_assert(traits::is_member,
                "secpilot::sdk::skill<&Class::method>: the template argument must be a pointer to "
                "a member function, e.g. skill<&MyPlugin::lookup>(\"Lookup\")");
  if constexpr (traits::is_member) {
    static_assert(std::is_same_v<typename traits::argument, Context&>,
                  "secpilot::sdk::skill: a skill must take exactly one `secpilot::sdk::Context&` "
                  "parameter: std::string Class::method(secpilot::sdk::Context& ctx)");
    static_assert(detail::is_result_type<typename traits::result>,
                  "secpilot::sdk::skill: a skill must return its result as JSON text "
                  "(std::string), or a boost::json::value with SECPILOT_SDK_USE_BOOST_JSON");
  }
  return sp_skill{sizeof(sp_skill), name, &detail::invoke_thunk<Method>, flags, description};
}

// The descriptor for class T; used by SECPILOT_PLUGIN.
template <class T, size_t N>
constexpr sp_plugin describe(const char* name, const char* version, const sp_skill (&skills)[N]) {
  static_assert(std::is_constructible_v<T, InitContext&> || std::is_default_constructible_v<T>,
                "SECPILOT_PLUGIN: the plugin class needs a constructor taking "
                "`secpilot::sdk::InitContext&` or a default constructor");
  return sp_plugin{sizeof(sp_plugin),
                   SP_ABI_MAJOR,
                   SP_ABI_MINOR,
                   name,
                   version,
                   SP_SDK_VERSION,
                   detail::config_schema_of<T>::value,
                   &detail::init_thunk<T>,
                   &detail::destroy_thunk<T>,
                   N,
                   skills};
}

}  // namespace secpilot::sdk

// Exports the entry point for plugin class `Class`, named `name` (the manifest's Descriptor.Name),
// with version `version` and the skills that follow (secpilot::sdk::skill<...>(...) each). An
// optional `static constexpr const char* config_schema` member in Class is published too.
// The entry point offers the descriptor to any host of the same major: a host older than the
// plugin's minor refuses it itself, naming both versions.
#define SECPILOT_PLUGIN(Class, name, version, ...)                                       \
  extern "C" SP_EXPORT const sp_plugin* secpilot_plugin_entry(uint16_t host_abi_major,   \
                                                              uint16_t host_abi_minor) { \
    static constexpr sp_skill secpilot_skills_[] = {__VA_ARGS__};                        \
    static constexpr sp_plugin secpilot_descriptor_ =                                    \
        ::secpilot::sdk::describe<Class>(name, version, secpilot_skills_);               \
    (void)host_abi_minor;                                                                \
    return host_abi_major == SP_ABI_MAJOR ? &secpilot_descriptor_ : nullptr;             \
  }                                                                                      \
  static_assert(true, "SECPILOT_PLUGIN ends with a semicolon")

#endif  // SECPILOT_SDK_HPP
