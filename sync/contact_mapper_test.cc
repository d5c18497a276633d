#include "sync/contact_mapper.h"

#include <gtest/gtest.h>

namespace tajo::sync {
namespace {

using nlohmann::json;

hubspot::PropertyDefinition Prop(std::string name, std::string type, std::string field_type = "text",
                                 std::vector<hubspot::PropertyDefinition::Option> options = {}) {
  hubspot::PropertyDefinition p;
  p.name = std::move(name);
  p.label = p.name;
  p.type = std::move(type);
  p.field_type = std::move(field_type);
  p.options = std::move(options);
  return p;
}

ResolvedField Field(hubspot::PropertyDefinition property, std::string attribute, std::string type,
                    std::string category = "normal") {
  ResolvedField f;
  f.hubspot_property = property.name;
  f.property = std::move(property);
  f.brevo_attribute = attribute;
  f.attribute.name = std::move(attribute);
  f.attribute.type = std::move(type);
  f.attribute.category = std::move(category);
  return f;
}

const std::vector<hubspot::PropertyDefinition::Option> kStages = {
    {"lead", "Lead"}, {"customer", "Customer"}, {"marketingqualifiedlead", "Marketing Qualified Lead"}};
const std::vector<hubspot::PropertyDefinition::Option> kInterests = {
    {"ski", "Skiing"}, {"golf", "Golf"}, {"chess", "Chess"}};

FieldMappingPlan Plan() {
  FieldMappingPlan plan;
  plan.fields.push_back(Field(Prop("firstname", "string"), "FIRSTNAME", "text"));
  plan.fields.push_back(Field(Prop("lastname", "string"), "LASTNAME", "text"));
  plan.fields.push_back(Field(Prop("phone", "string", "phonenumber"), "SMS", "text"));
  plan.fields.push_back(Field(Prop("mobilephone", "phone_number", "phonenumber"), "MOBILE", "text"));
  plan.fields.push_back(Field(Prop("landline", "string"), "LANDLINE_NUMBER", "text"));
  plan.fields.push_back(Field(Prop("date_of_birth", "date", "date"), "DOB", "date"));
  plan.fields.push_back(Field(Prop("first_seen", "datetime", "date"), "FIRST_SEEN", "text"));
  plan.fields.push_back(Field(Prop("hs_total_deal_value", "number", "number"), "DEAL_VALUE", "float"));
  plan.fields.push_back(Field(Prop("num_employees", "number", "number"), "EMPLOYEES_TEXT", "text"));
  plan.fields.push_back(Field(Prop("newsletter", "bool", "booleancheckbox"), "NEWSLETTER", "boolean"));
  plan.fields.push_back(Field(Prop("lifecyclestage", "enumeration", "radio", kStages), "LIFECYCLE_STAGE", "text"));
  plan.fields.push_back(Field(Prop("interests", "enumeration", "checkbox", kInterests), "INTERESTS", "text"));
  return plan;
}

hubspot::CrmObject Contact(std::map<std::string, std::string> properties) {
  hubspot::CrmObject c;
  c.id = "101";
  c.properties = std::move(properties);
  return c;
}

HubSpotConfig Config(EnumerationFormat enumerations = EnumerationFormat::kValue, std::string country = "") {
  HubSpotConfig config;
  config.enumerations = enumerations;
  config.default_country = std::move(country);
  return config;
}

TEST(NormalizeEmailTest, TrimsAndLowersAscii) {
  EXPECT_EQ(NormalizeEmail("  Ana.Lopez@Example.COM\t\n"), "ana.lopez@example.com");
  EXPECT_EQ(NormalizeEmail("a@b.c"), "a@b.c");
  EXPECT_EQ(NormalizeEmail(""), "");
  EXPECT_EQ(NormalizeEmail("   "), "");
  EXPECT_EQ(NormalizeEmail("ÉLODIE@EXAMPLE.FR"), "Élodie@example.fr");  // only ASCII is lowered
}

TEST(ContactMapperTest, MapsEveryTypeAndNormalisesTheEmail) {
  ContactMapper mapper(Plan(), Config());
  MappedContact m = mapper.Map(Contact({{"email", " Ana.Lopez@Example.COM "},
                                        {"firstname", "Zoë"},
                                        {"lastname", "山田 太郎"},
                                        {"phone", "+33 6 12 34 56 78"},
                                        {"mobilephone", "+1 (202) 555-0143"},
                                        {"landline", "0044 20 7946 0958"},
                                        {"date_of_birth", "1705449600000"},
                                        {"first_seen", "2024-01-17T23:30:00-05:00"},
                                        {"hs_total_deal_value", "1234.5"},
                                        {"num_employees", "12.50"},
                                        {"newsletter", "true"},
                                        {"lifecyclestage", "customer"},
                                        {"interests", "ski;golf"},
                                        {"not_mapped", "x"}}));
  EXPECT_EQ(m.hubspot_id, "101");
  EXPECT_EQ(m.email, "ana.lopez@example.com");
  EXPECT_TRUE(m.issues.empty()) << m.issues[0].message;
  EXPECT_EQ(m.attributes, json({{"FIRSTNAME", "Zoë"},
                                {"LASTNAME", "山田 太郎"},
                                {"SMS", "33612345678"},
                                {"MOBILE", "12025550143"},
                                {"LANDLINE_NUMBER", "442079460958"},
                                {"DOB", "2024-01-17"},
                                {"FIRST_SEEN", "2024-01-18"},
                                {"DEAL_VALUE", 1234.5},
                                {"EMPLOYEES_TEXT", "12.50"},
                                {"NEWSLETTER", true},
                                {"LIFECYCLE_STAGE", "customer"},
                                {"INTERESTS", "ski;golf"}}));
  EXPECT_TRUE(m.attributes["DEAL_VALUE"].is_number_float());
  EXPECT_TRUE(m.attributes["NEWSLETTER"].is_boolean());
}

TEST(ContactMapperTest, EnumerationLabels) {
  ContactMapper mapper(Plan(), Config(EnumerationFormat::kLabel));
  MappedContact m = mapper.Map(Contact({{"email", "a@b.c"},
                                        {"lifecyclestage", "marketingqualifiedlead"},
                                        {"interests", "ski; chess;unlisted"}}));
  EXPECT_TRUE(m.issues.empty());
  EXPECT_EQ(m.attributes["LIFECYCLE_STAGE"], "Marketing Qualified Lead");
  // Labels joined by ';'; a value the definition does not list is written as the value.
  EXPECT_EQ(m.attributes["INTERESTS"], "Skiing;Chess;unlisted");
}

TEST(ContactMapperTest, ValueThatCannotBeConvertedIsReportedAndTheRestStillMaps) {
  ContactMapper mapper(Plan(), Config());
  MappedContact m = mapper.Map(Contact({{"email", "a@b.c"},
                                        {"firstname", "Ana"},
                                        {"phone", "06 12 34 56 78"},  // no default_country
                                        {"date_of_birth", "2024-02-30"},
                                        {"first_seen", "yesterday"},
                                        {"hs_total_deal_value", "1,234"},
                                        {"newsletter", "maybe"},
                                        {"lifecyclestage", "lead"}}));
  EXPECT_EQ(m.attributes, json({{"FIRSTNAME", "Ana"}, {"LIFECYCLE_STAGE", "lead"}}));
  ASSERT_EQ(m.issues.size(), 5u);
  struct Want {
    const char* property;
    const char* reason;
    const char* shows;
  } want[] = {{"phone", "invalid_phone", "\"06 12 34 56 78\": no country code"},
              {"date_of_birth", "invalid_date", "\"2024-02-30\": 2024-02 has no day 30"},
              {"first_seen", "invalid_date", "\"yesterday\""},
              {"hs_total_deal_value", "invalid_number", "\"1,234\""},
              {"newsletter", "invalid_boolean", "\"maybe\""}};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(m.issues[i].hubspot_property, want[i].property);
    EXPECT_EQ(m.issues[i].reason, want[i].reason) << want[i].property;
    EXPECT_NE(m.issues[i].message.find(want[i].shows), std::string::npos) << m.issues[i].message;
  }
  EXPECT_NE(m.issues[0].message.find("(HubSpot phone -> Brevo SMS)"), std::string::npos) << m.issues[0].message;
}

TEST(ContactMapperTest, DefaultCountryReadsNationalNumbers) {
  ContactMapper mapper(Plan(), Config(EnumerationFormat::kValue, "FR"));
  MappedContact m = mapper.Map(Contact({{"email", "a@b.c"}, {"phone", "06 12 34 56 78"}, {"landline", "12"}}));
  EXPECT_EQ(m.attributes, json({{"SMS", "33612345678"}}));
  ASSERT_EQ(m.issues.size(), 1u);
  EXPECT_EQ(m.issues[0].hubspot_property, "landline");
  EXPECT_EQ(m.issues[0].reason, "invalid_phone");
}

TEST(ContactMapperTest, EmptyAndAbsentValuesAreLeftOutSilently) {
  ContactMapper mapper(Plan(), Config());
  MappedContact m = mapper.Map(Contact({{"email", "a@b.c"},
                                        {"firstname", ""},
                                        {"phone", "   "},
                                        {"date_of_birth", ""},
                                        {"hs_total_deal_value", ""},
                                        {"interests", ""}}));
  EXPECT_EQ(m.attributes, json::object());
  EXPECT_TRUE(m.issues.empty());
}

TEST(ContactMapperTest, MissingEmailIsEmptyIdentity) {
  ContactMapper mapper(Plan(), Config());
  MappedContact m = mapper.Map(Contact({{"firstname", "Ana"}}));
  EXPECT_EQ(m.email, "");
  EXPECT_EQ(m.attributes, json({{"FIRSTNAME", "Ana"}}));
  EXPECT_EQ(mapper.Map(Contact({{"email", "  "}})).email, "");
}

FieldMappingPlan CategoryPlan() {
  FieldMappingPlan plan;
  ResolvedField gender = Field(Prop("gender", "enumeration", "select", {{"m", "Men"}, {"w", "women"}, {"x", "Other"}}),
                               "GENDER", "text", "category");
  gender.attribute.enumeration = {{1, "Men"}, {2, "Women"}, {3, "X"}};
  plan.fields.push_back(gender);
  ResolvedField tier = Field(Prop("tier", "string"), "TIER", "category", "category");
  tier.attribute.enumeration = {{1, "Gold"}, {2, "Silver"}};
  plan.fields.push_back(tier);
  ResolvedField countries = Field(Prop("countries", "enumeration", "checkbox", {{"us", "USA"}, {"fr", "France"},
                                                                                {"de", "Germany"}}),
                                  "COUNTRIES", "multiple-choice");
  countries.attribute.multi_options = {"USA", "France", "Spain"};
  plan.fields.push_back(countries);
  ResolvedField vip = Field(Prop("vip", "enumeration", "booleancheckbox", {{"true", "Yes"}, {"false", "No"}}),
                            "VIP", "boolean");
  plan.fields.push_back(vip);
  return plan;
}

TEST(ContactMapperTest, CategoryTakesTheMatchingBrevoLabel) {
  ContactMapper by_value(CategoryPlan(), Config(EnumerationFormat::kValue));
  ContactMapper by_label(CategoryPlan(), Config(EnumerationFormat::kLabel));
  // HubSpot label "Men" matches; value "w" does not but its label "women" does, case-insensitively.
  EXPECT_EQ(by_value.Map(Contact({{"gender", "m"}})).attributes["GENDER"], "Men");
  EXPECT_EQ(by_value.Map(Contact({{"gender", "w"}})).attributes["GENDER"], "Women");
  // Value "x" and label "Other": the configured form is tried first.
  EXPECT_EQ(by_value.Map(Contact({{"gender", "x"}})).attributes["GENDER"], "X");
  EXPECT_TRUE(by_label.Map(Contact({{"gender", "x"}})).attributes["GENDER"] == "X");  // "Other" is not an option
  // A string property matches the option label case-insensitively.
  EXPECT_EQ(by_value.Map(Contact({{"tier", " gold "}})).attributes["TIER"], "Gold");

  MappedContact m = by_value.Map(Contact({{"tier", "Platinum"}, {"vip", "true"}}));
  EXPECT_EQ(m.attributes, json({{"VIP", true}}));
  ASSERT_EQ(m.issues.size(), 1u);
  EXPECT_EQ(m.issues[0].hubspot_property, "tier");
  EXPECT_EQ(m.issues[0].reason, "unknown_option");
  EXPECT_NE(m.issues[0].message.find("\"Platinum\" is not an option"), std::string::npos) << m.issues[0].message;
  EXPECT_NE(m.issues[0].message.find("options: Gold, Silver"), std::string::npos) << m.issues[0].message;
}

TEST(ContactMapperTest, CategoryPrefersTheConfiguredForm) {
  FieldMappingPlan plan;
  // Value "b" is the label of option 1; label "A" is the label of option 2.
  ResolvedField f = Field(Prop("p", "enumeration", "select", {{"b", "A"}}), "P", "text", "category");
  f.attribute.enumeration = {{1, "B"}, {2, "a"}};
  plan.fields.push_back(f);
  EXPECT_EQ(ContactMapper(plan, Config(EnumerationFormat::kValue)).Map(Contact({{"p", "b"}})).attributes["P"], "B");
  EXPECT_EQ(ContactMapper(plan, Config(EnumerationFormat::kLabel)).Map(Contact({{"p", "b"}})).attributes["P"], "a");
}

TEST(ContactMapperTest, MultipleChoiceWritesKnownOptionsAndReportsTheOthers) {
  ContactMapper mapper(CategoryPlan(), Config());
  // By value ("us") or label ("france" for "fr"), any case; duplicates once.
  MappedContact m = mapper.Map(Contact({{"countries", "us;FRANCE;fr;de;mars"}}));
  EXPECT_EQ(m.attributes["COUNTRIES"], json({"USA", "France"}));
  ASSERT_EQ(m.issues.size(), 1u);
  EXPECT_EQ(m.issues[0].reason, "unknown_option");
  EXPECT_NE(m.issues[0].message.find("\"de\" (label \"Germany\"), \"mars\" are not an option"), std::string::npos)
      << m.issues[0].message;
  EXPECT_NE(m.issues[0].message.find("options: USA, France, Spain"), std::string::npos) << m.issues[0].message;

  MappedContact none = mapper.Map(Contact({{"countries", "de"}}));
  EXPECT_FALSE(none.attributes.contains("COUNTRIES"));
  ASSERT_EQ(none.issues.size(), 1u);
  EXPECT_NE(none.issues[0].message.find("is not an option"), std::string::npos);

  EXPECT_TRUE(mapper.Map(Contact({{"countries", ";"}})).issues.empty());
  EXPECT_FALSE(mapper.Map(Contact({{"countries", ";"}})).attributes.contains("COUNTRIES"));
}

TEST(ContactMapperTest, WorksWithAPlanFromPlanFieldMapping) {
  HubSpotConfig config = Config(EnumerationFormat::kLabel, "US");
  std::vector<hubspot::PropertyDefinition> properties = {
      Prop("email", "string"), Prop("firstname", "string"), Prop("phone", "string", "phonenumber"),
      Prop("lifecyclestage", "enumeration", "radio", kStages), Prop("hs_total_deal_value", "number", "number")};
  config.field_mapping = {{"email", "EMAIL", true},
                          {"firstname", "FIRSTNAME", false},
                          {"phone", "SMS", false},
                          {"lifecyclestage", "LIFECYCLE_STAGE", false},
                          {"hs_total_deal_value", "DEAL_VALUE", false}};
  brevo::Attribute sms;
  sms.name = "SMS";
  sms.category = "normal";
  sms.type = "text";
  auto plan = PlanFieldMapping(config, properties, {sms});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ContactMapper mapper(*plan, config);
  MappedContact m = mapper.Map(Contact({{"email", "Bob@Example.com"},
                                        {"firstname", "Bob"},
                                        {"phone", "(202) 555-0143"},
                                        {"lifecyclestage", "customer"},
                                        {"hs_total_deal_value", "250"}}));
  EXPECT_EQ(m.email, "bob@example.com");
  EXPECT_TRUE(m.issues.empty());
  EXPECT_EQ(m.attributes, json({{"FIRSTNAME", "Bob"},
                                {"SMS", "12025550143"},
                                {"LIFECYCLE_STAGE", "Customer"},
                                {"DEAL_VALUE", 250.0}}));
}

}  // namespace
}  // namespace tajo::sync
