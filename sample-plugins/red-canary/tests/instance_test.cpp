#include "red_canary/instance.hpp"

#include <gtest/gtest.h>

#include "red_canary/errors.hpp"

namespace red_canary {
namespace {

Error failure(const std::optional<std::string>& url, const std::optional<std::string>& token) {
  try {
    read_instance(url, token);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "read_instance accepted " << url.value_or("(none)");
  return Error(ErrorKind::internal, "");
}

TEST(Instance, ThePortalAddressGivesTheApiAddress) {
  auto instance = read_instance("https://corp-example.my.redcanary.co", "token");
  EXPECT_EQ(instance.portal_url, "https://corp-example.my.redcanary.co");
  EXPECT_EQ(instance.api_url, "https://corp-example.my.redcanary.co/openapi/v3");
  EXPECT_EQ(instance.api_token, "token");
}

TEST(Instance, ATrailingSlashOrThePastedApiAddressAreAccepted) {
  for (const char* url :
       {"https://corp-example.my.redcanary.co/", "https://corp-example.my.redcanary.co/openapi/v3/",
        "https://corp-example.my.redcanary.co/openapi/v3"})
    EXPECT_EQ(read_instance(std::string(url), "t").api_url,
              "https://corp-example.my.redcanary.co/openapi/v3")
        << url;
}

TEST(Instance, AMissingInstanceUrlSaysWhereToSetIt) {
  auto error = failure(std::nullopt, "token");
  EXPECT_EQ(error.kind(), ErrorKind::unauthorized);
  const std::string message = error.what();
  EXPECT_NE(message.find("the setting InstanceURL is not set"), std::string::npos) << message;
  EXPECT_NE(message.find("plugins: RedCanary: settings: InstanceURL"), std::string::npos);
  EXPECT_NE(message.find("secpilot plugins settings RedCanary --set InstanceURL="),
            std::string::npos);
}

TEST(Instance, AMissingTokenSaysHowToGetOneAndWhereToPutIt) {
  auto error = failure("https://corp-example.my.redcanary.co", "");
  EXPECT_EQ(error.kind(), ErrorKind::unauthorized);
  const std::string message = error.what();
  EXPECT_NE(message.find("the secret ApiToken is not set"), std::string::npos) << message;
  EXPECT_NE(message.find("Generate API Authentication Token"), std::string::npos);
  EXPECT_NE(message.find("plugins: RedCanary: secrets: ApiToken"), std::string::npos);
}

TEST(Instance, PlainHttpIsOnlyForLoopback) {
  EXPECT_EQ(read_instance("http://127.0.0.1:8443", "t").api_url,
            "http://127.0.0.1:8443/openapi/v3");
  EXPECT_EQ(read_instance("http://localhost:8443", "t").portal_url, "http://localhost:8443");
  auto error = failure("http://corp-example.my.redcanary.co", "t");
  EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
  EXPECT_NE(std::string(error.what()).find("unencrypted"), std::string::npos) << error.what();
}

TEST(Instance, AddressesThatWouldMisdirectTheTokenAreRejected) {
  for (const char* url : {"corp-example.my.redcanary.co", "ftp://corp-example.my.redcanary.co",
                          "https://user:pw@corp-example.my.redcanary.co",
                          "https://corp-example.my.redcanary.co/detections",
                          "https://corp-example.my.redcanary.co/?token=x"}) {
    auto error = failure(std::string(url), "t");
    EXPECT_EQ(error.kind(), ErrorKind::invalid_input) << url;
    EXPECT_NE(std::string(error.what()).find("https://<subdomain>.my.redcanary.co"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace red_canary
