#include "api/errors.hpp"

#include <boost/json/object.hpp>

namespace secpilot::api {

int http_status(Status status) noexcept {
  switch (status) {
    case Status::ok:
      return 200;
    case Status::invalid_input:
      return 400;
    case Status::unauthorized:
      return 401;
    case Status::forbidden:
      return 403;
    case Status::not_found:
      return 404;
    case Status::cancelled:
      return 409;
    case Status::too_large:
      return 413;
    case Status::unsupported:
      return 422;
    case Status::rate_limited:
      return 429;
    case Status::internal:
      return 500;
    case Status::upstream:
      return 502;
    case Status::timeout:
      return 504;
  }
  return 500;
}

server::Response problem_for(const Error& error) {
  const int status = http_status(error.status);
  const boost::json::object extensions{{"code", status_name(error.status)}};
  return server::problem(status, std::string(server::reason_phrase(status)), error.message,
                         "about:blank", "", extensions);
}

}  // namespace secpilot::api
