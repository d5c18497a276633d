#include "sync/field_mapping.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace tajo::sync {
namespace {

hubspot::PropertyDefinition Prop(std::string name, std::string type, std::string field_type = "text") {
  hubspot::PropertyDefinition p;
  p.name = std::move(name);
  p.label = p.name;
  p.type = std::move(type);
  p.field_type = std::move(field_type);
  return p;
}

brevo::Attribute Attr(std::string name, std::string type, std::string category = "normal") {
  brevo::Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.category = std::move(category);
  return a;
}

// The HubSpot properties behind DefaultFieldMapping(), plus a few.
std::vector<hubspot::PropertyDefinition> HubSpotProperties() {
  return {Prop("email", "string"),
          Prop("firstname", "string"),
          Prop("lastname", "string"),
          Prop("phone", "string", "phonenumber"),
          Prop("company", "string"),
          Prop("lifecyclestage", "enumeration", "radio"),
          Prop("hs_lead_status", "enumeration", "select"),
          Prop("hubspot_owner_id", "enumeration", "select"),
          Prop("hs_total_deal_value", "number", "calculation_equation"),
          Prop("num_associated_deals", "number", "number"),
          Prop("lastmodifieddate", "datetime", "date"),
          Prop("date_of_birth", "date", "date"),
          Prop("newsletter", "bool", "booleancheckbox"),
          Prop("vip", "enumeration", "booleancheckbox"),
          Prop("country", "string")};
}

std::vector<FieldMapping> Mapping(std::vector<std::pair<std::string, std::string>> lines) {
  std::vector<FieldMapping> out = {{"email", "EMAIL", true}};
  for (auto& [p, a] : lines) out.push_back({p, a, false});
  return out;
}

TEST(BrevoTypeForTest, FromTheHubSpotType) {
  EXPECT_EQ(BrevoTypeFor(Prop("n", "number", "number")), "float");
  EXPECT_EQ(BrevoTypeFor(Prop("d", "date", "date")), "date");
  EXPECT_EQ(BrevoTypeFor(Prop("d", "datetime", "date")), "date");
  EXPECT_EQ(BrevoTypeFor(Prop("b", "bool", "booleancheckbox")), "boolean");
  EXPECT_EQ(BrevoTypeFor(Prop("b", "enumeration", "booleancheckbox")), "boolean");
  EXPECT_EQ(BrevoTypeFor(Prop("e", "enumeration", "select")), "text");
  EXPECT_EQ(BrevoTypeFor(Prop("e", "enumeration", "checkbox")), "text");
  EXPECT_EQ(BrevoTypeFor(Prop("p", "phone_number", "phonenumber")), "text");
  EXPECT_EQ(BrevoTypeFor(Prop("s", "string", "text")), "text");
}

TEST(PlanFieldMappingTest, DefaultMappingResolvesAndListsAttributesToCreate) {
  HubSpotConfig config;  // DefaultFieldMapping(), create_missing_attributes: true
  // Brevo stores names in capitals; a lower-case answer still matches.
  std::vector<brevo::Attribute> brevo = {Attr("EMAIL", "text"), Attr("firstname", "text"), Attr("LASTNAME", "text"),
                                         Attr("SMS", "text"), Attr("COMPANY_NAME", "text")};
  auto plan = PlanFieldMapping(config, HubSpotProperties(), brevo, {"country", "lifecyclestage"});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->fields.size(), 9u);  // identity excluded
  EXPECT_EQ(plan->fields[0].hubspot_property, "firstname");
  EXPECT_EQ(plan->fields[0].brevo_attribute, "FIRSTNAME");
  EXPECT_TRUE(plan->fields[0].exists_in_brevo);
  EXPECT_EQ(plan->fields[2].property.field_type, "phonenumber");
  EXPECT_EQ(plan->fields[3].brevo_attribute, "COMPANY_NAME");

  // Missing: created as "normal", typed from HubSpot, in config order.
  ASSERT_EQ(plan->missing_attributes.size(), 5u);
  const std::vector<std::pair<std::string, std::string>> want = {{"LIFECYCLE_STAGE", "text"},
                                                                   {"LEAD_STATUS", "text"},
                                                                   {"OWNER_ID", "text"},
                                                                   {"DEAL_VALUE", "float"},
                                                                   {"DEAL_COUNT", "float"}};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(plan->missing_attributes[i].name, want[i].first);
    EXPECT_EQ(plan->missing_attributes[i].type, want[i].second) << want[i].first;
    EXPECT_EQ(plan->missing_attributes[i].category, "normal");
  }
  EXPECT_FALSE(plan->fields[4].exists_in_brevo);
  EXPECT_EQ(plan->fields[7].attribute.type, "float");  // the field carries the attribute to create

  EXPECT_EQ(plan->hubspot_properties,
            (std::vector<std::string>{"company", "country", "email", "firstname", "hs_lead_status",
                                      "hs_total_deal_value", "hubspot_owner_id", "lastmodifieddate", "lastname",
                                      "lifecyclestage", "num_associated_deals", "phone"}));
}

TEST(PlanFieldMappingTest, ExistingAttributeKeepsItsDefinition) {
  HubSpotConfig config;
  config.field_mapping = Mapping({{"country", "COUNTRIES"}, {"date_of_birth", "DOB"}});
  brevo::Attribute countries = Attr("COUNTRIES", "multiple-choice");
  countries.multi_options = {"USA", "France"};
  auto plan = PlanFieldMapping(config, HubSpotProperties(), {countries, Attr("dob", "date")});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->fields.size(), 2u);
  EXPECT_EQ(plan->fields[0].attribute.multi_options, (std::vector<std::string>{"USA", "France"}));
  EXPECT_EQ(plan->fields[1].attribute.name, "DOB");
  EXPECT_EQ(plan->fields[1].attribute.type, "date");
  EXPECT_TRUE(plan->missing_attributes.empty());
  EXPECT_EQ(plan->hubspot_properties,
            (std::vector<std::string>{"country", "date_of_birth", "email", "lastmodifieddate"}));
}

TEST(PlanFieldMappingTest, SameMissingAttributeIsCreatedOnce) {
  HubSpotConfig config;
  config.field_mapping = Mapping({{"firstname", "NAME"}, {"lastname", "name"}});
  auto plan = PlanFieldMapping(config, HubSpotProperties(), {});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->fields.size(), 2u);
  ASSERT_EQ(plan->missing_attributes.size(), 1u);
  EXPECT_EQ(plan->missing_attributes[0].name, "NAME");
}

TEST(PlanFieldMappingTest, UnknownHubSpotPropertiesAreAllNamedWithTheFix) {
  HubSpotConfig config;
  config.field_mapping = Mapping({{"firstnme", "FIRSTNAME"}, {"favorite_food", "FOOD"}, {"lastname", "LASTNAME"}});
  auto plan = PlanFieldMapping(config, HubSpotProperties(), {Attr("FIRSTNAME", "text"), Attr("LASTNAME", "text")},
                               {"plan_tier", "favorite_food"});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kFailedPrecondition);
  const std::string m = plan.status().message();
  EXPECT_NE(m.find("Property not mapped: mapped property 'firstnme' does not exist in HubSpot (did you mean "
                   "'firstname'?): create the property 'firstnme' in HubSpot first (Settings > Properties)"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("'favorite_food'"), std::string::npos) << m;
  EXPECT_NE(m.find("list rule property 'plan_tier' does not exist in HubSpot"), std::string::npos) << m;
  // One per line, each reported once (favorite_food is both mapped and read by a rule).
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 2) << m;
  EXPECT_EQ(m.find("lastname"), std::string::npos) << m;
}

TEST(PlanFieldMappingTest, MissingAttributesAreAnErrorWhenCreationIsOff) {
  HubSpotConfig config;
  config.create_missing_attributes = false;
  auto plan = PlanFieldMapping(config, HubSpotProperties(),
                               {Attr("FIRSTNAME", "text"), Attr("LASTNAME", "text"), Attr("SMS", "text")});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kFailedPrecondition);
  const std::string m = plan.status().message();
  for (const char* name : {"COMPANY_NAME", "LIFECYCLE_STAGE", "LEAD_STATUS", "OWNER_ID", "DEAL_VALUE", "DEAL_COUNT"}) {
    EXPECT_NE(m.find(std::string("Brevo attribute '") + name + "'"), std::string::npos) << name << "\n" << m;
  }
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 5) << m;
  EXPECT_NE(m.find("'DEAL_VALUE' (mapped from HubSpot 'hs_total_deal_value') does not exist: create it in Brevo"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("type float"), std::string::npos) << m;
  EXPECT_NE(m.find("create_missing_attributes: true"), std::string::npos) << m;
  EXPECT_EQ(m.find("FIRSTNAME"), std::string::npos) << m;
}

TEST(PlanFieldMappingTest, CalculatedAndGlobalAttributesCannotBeWritten) {
  HubSpotConfig config;
  config.field_mapping = Mapping({{"firstname", "SCORE"}, {"lastname", "RATE"}, {"company", "COMPANY_NAME"}});
  auto plan = PlanFieldMapping(config, HubSpotProperties(),
                               {Attr("SCORE", "", "calculated"), Attr("RATE", "float", "global")});
  ASSERT_FALSE(plan.ok());
  const std::string m = plan.status().message();
  EXPECT_NE(m.find("Brevo attribute 'SCORE' (mapped from HubSpot 'firstname') is a calculated attribute"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("'RATE' (mapped from HubSpot 'lastname') is a global attribute"), std::string::npos) << m;
  EXPECT_NE(m.find("cannot be written"), std::string::npos) << m;
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 1) << m;  // COMPANY_NAME would be created: fine
}

TEST(PlanFieldMappingTest, AllKindsOfProblemsAreReportedTogether) {
  HubSpotConfig config;
  config.create_missing_attributes = false;
  config.field_mapping = Mapping({{"nope", "X"}, {"firstname", "SCORE"}, {"lastname", "MISSING"}});
  auto plan = PlanFieldMapping(config, HubSpotProperties(), {Attr("SCORE", "", "calculated")}, {"gone"});
  ASSERT_FALSE(plan.ok());
  const std::string m = plan.status().message();
  EXPECT_NE(m.find("'nope'"), std::string::npos) << m;
  EXPECT_NE(m.find("'SCORE'"), std::string::npos) << m;
  EXPECT_NE(m.find("'MISSING'"), std::string::npos) << m;
  EXPECT_NE(m.find("'gone'"), std::string::npos) << m;
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 3) << m;
}

}  // namespace
}  // namespace tajo::sync
