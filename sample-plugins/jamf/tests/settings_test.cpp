// The settings a call reads, and what a person is told when one is missing or wrong.
#include <map>

#include <gtest/gtest.h>

#include "jamf/error.hpp"
#include "jamf/settings.hpp"

namespace jamf {
namespace {

using Values = std::map<std::string, std::string>;

SettingReader reader(Values values) {
  return [values = std::move(values)](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

Values complete() {
  return {{"BaseURL", "https://acme.jamfcloud.com"},
          {"ClientId", "3f6b1d2e-client"},
          {"ClientSecret", "very-secret"}};
}

// The error read_connection throws for these settings.
Error failure(Values values) {
  try {
    read_connection(reader(std::move(values)));
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "read_connection accepted the settings";
  return Error(ErrorKind::internal, "");
}

TEST(Settings, ReadsTheConnection) {
  Values values = complete();
  values["BaseURL"] = "https://acme.jamfcloud.com/";
  const Connection c = read_connection(reader(values));
  EXPECT_EQ(c.base_url, "https://acme.jamfcloud.com");
  EXPECT_EQ(c.client_id, "3f6b1d2e-client");
  EXPECT_EQ(c.client_secret, "very-secret");
  EXPECT_EQ(c.page_size, 100);
  EXPECT_EQ(c.inventory_version, "v1");
}

TEST(Settings, EachMissingSettingIsNamedWithHowToSetIt) {
  for (const char* name : {"BaseURL", "ClientId", "ClientSecret"}) {
    Values values = complete();
    values.erase(name);
    const Error e = failure(values);
    EXPECT_EQ(e.kind(), ErrorKind::unauthorized) << name;
    const std::string message = e.what();
    EXPECT_NE(message.find(std::string("setting '") + name + "' is not set"), std::string::npos)
        << message;
    EXPECT_NE(message.find("secpilot plugins settings Jamf"), std::string::npos) << message;
  }
  Values blank = complete();
  blank["ClientSecret"] = "   ";
  EXPECT_NE(std::string(failure(blank).what()).find("secrets:"), std::string::npos);
}

TEST(Settings, BaseUrlMustBeHttpsExceptOnThisMachine) {
  Values values = complete();
  values["BaseURL"] = "http://acme.jamfcloud.com";
  const Error plain = failure(values);
  EXPECT_EQ(plain.kind(), ErrorKind::invalid_input);
  EXPECT_NE(std::string(plain.what()).find("unencrypted"), std::string::npos) << plain.what();

  for (const char* local : {"http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:9"}) {
    values["BaseURL"] = local;
    EXPECT_EQ(read_connection(reader(values)).base_url, local);
  }
  for (const char* bad : {"acme.jamfcloud.com", "https://", "https://user:pw@acme.jamfcloud.com",
                          "https://acme.jamfcloud.com?x=1", "ftp://acme.jamfcloud.com"}) {
    values["BaseURL"] = bad;
    const Error e = failure(values);
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << bad;
    EXPECT_NE(std::string(e.what()).find("https://acme.jamfcloud.com"), std::string::npos);
  }
}

TEST(Settings, PageSizeAndInventoryVersionAreChecked) {
  Values values = complete();
  values["PageSize"] = "25";
  values["InventoryApiVersion"] = "V3";
  const Connection c = read_connection(reader(values));
  EXPECT_EQ(c.page_size, 25);
  EXPECT_EQ(c.inventory_version, "v3");

  values["PageSize"] = "0";
  EXPECT_NE(std::string(failure(values).what()).find("from 1 to 2000"), std::string::npos);
  values["PageSize"] = "50";
  values["InventoryApiVersion"] = "v9";
  EXPECT_NE(std::string(failure(values).what()).find("use v1, v2, v3 or v4"), std::string::npos);
}

TEST(Settings, WholeNumberSettings) {
  const auto settings = reader({{"MaxCheckInAgeDays", " 14 "}, {"Bad", "7 days"}});
  EXPECT_EQ(read_int_setting(settings, "MaxCheckInAgeDays", 7, 1, 3650), 14);
  EXPECT_EQ(read_int_setting(settings, "Unset", 7, 1, 3650), 7);
  EXPECT_THROW(read_int_setting(settings, "Bad", 7, 1, 3650), Error);
}

}  // namespace
}  // namespace jamf
