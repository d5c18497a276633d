// The mapping and deletion options of connectors.hubspot: create_missing_attributes,
// enumerations, default_country, on_delete, and the default field mapping they apply to.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/config.h"
#include "core/redact.h"

namespace tajo {
namespace {

using ::testing::HasSubstr;

const std::string kPrefix =
    "connectors:\n"
    "  hubspot:\n"
    "    access_token: pat-na1-options-token-0001\n";
const std::string kSuffix =
    "brevo:\n"
    "  api_key: xkeysib-options-key-0001\n";

Result<Config> Load(const std::string& hubspot_lines) {
  ConfigLoadOptions o;
  o.env = MapEnvironment({});
  o.register_secrets = false;
  return LoadConfigString(kPrefix + hubspot_lines + kSuffix, "tajo.yaml", o);
}

TEST(ConfigSyncOptions, DefaultsAreCreateValueNoCountryAndDelete) {
  Result<Config> c = Load("");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const HubSpotConfig& h = c->connectors.hubspot;
  EXPECT_TRUE(h.create_missing_attributes);
  EXPECT_EQ(h.enumerations, EnumerationFormat::kValue);
  EXPECT_EQ(h.default_country, "");
  EXPECT_EQ(h.on_delete, OnDelete::kDelete);
}

TEST(ConfigSyncOptions, DefaultMappingHasTheDocumentsTenLines) {
  std::vector<std::string> lines;
  for (const FieldMapping& f : DefaultFieldMapping()) lines.push_back(f.hubspot_property + "=" + f.brevo_attribute);
  EXPECT_THAT(lines, ::testing::ElementsAre("email=EMAIL", "firstname=FIRSTNAME", "lastname=LASTNAME", "phone=SMS",
                                            "company=COMPANY_NAME", "lifecyclestage=LIFECYCLE_STAGE",
                                            "hs_lead_status=LEAD_STATUS", "hubspot_owner_id=OWNER_ID",
                                            "hs_total_deal_value=DEAL_VALUE", "num_associated_deals=DEAL_COUNT"));
}

TEST(ConfigSyncOptions, ReadsEveryValue) {
  Result<Config> c = Load(
      "    create_missing_attributes: false\n"
      "    enumerations: label\n"
      "    default_country: fr\n"
      "    on_delete: blocklist\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const HubSpotConfig& h = c->connectors.hubspot;
  EXPECT_FALSE(h.create_missing_attributes);
  EXPECT_EQ(h.enumerations, EnumerationFormat::kLabel);
  EXPECT_EQ(h.default_country, "FR");  // normalised to upper case
  EXPECT_EQ(h.on_delete, OnDelete::kBlocklist);
}

TEST(ConfigSyncOptions, EffectiveConfigReadsBack) {
  Result<Config> c = Load("    enumerations: label\n    default_country: DE\n    on_delete: unlink\n");
  ASSERT_TRUE(c.ok());
  std::string text = DescribeEffectiveConfig(*c);
  EXPECT_THAT(text, HasSubstr("on_delete: unlink"));
  ConfigLoadOptions o;
  o.env = MapEnvironment({});
  o.register_secrets = false;
  // The description masks secrets; give them back so it loads.
  Result<Config> again = LoadConfigString(
      kPrefix + "    enumerations: label\n    default_country: DE\n    on_delete: unlink\n" + kSuffix, "again.yaml", o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->connectors.hubspot.default_country, "DE");
  EXPECT_EQ(again->connectors.hubspot.on_delete, OnDelete::kUnlink);
  EXPECT_EQ(again->connectors.hubspot.enumerations, EnumerationFormat::kLabel);
}

TEST(ConfigSyncOptions, BadValuesNameTheKeyAndTheChoices) {
  Result<Config> c = Load(
      "    create_missing_attributes: sometimes\n"
      "    enumerations: labels\n"
      "    default_country: France\n"
      "    on_delete: remove\n");
  ASSERT_FALSE(c.ok());
  const std::string m = c.status().message();
  EXPECT_THAT(m, HasSubstr("tajo.yaml:4:32: connectors.hubspot.create_missing_attributes: expected a boolean"));
  EXPECT_THAT(m, HasSubstr("connectors.hubspot.enumerations"));
  EXPECT_THAT(m, HasSubstr("label"));
  EXPECT_THAT(m, HasSubstr("connectors.hubspot.default_country: expected a two-letter ISO 3166 country code"));
  EXPECT_THAT(m, HasSubstr("connectors.hubspot.on_delete"));
  EXPECT_THAT(m, HasSubstr("blocklist"));
}

}  // namespace
}  // namespace tajo
