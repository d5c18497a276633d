// The built-in property definitions of contacts, companies, deals, tickets and the engagements:
// the properties the reference names (§1.2, §2.1, §4.1, §5) with their types and field types,
// plus the usual address and profile fields. Pipelines, stages and owners fill their
// enumerations at run time.
#include <string>
#include <vector>

#include "sandbox/hubspot/object_types.h"
#include "sandbox/hubspot/property_catalog.h"

namespace tajo::sandbox::hubspot {
namespace {

struct Builder {
  std::vector<PropertyDef> defs;
  std::string group;
  int order = 0;

  PropertyDef& Add(const std::string& name, const std::string& label, const std::string& type,
                   const std::string& field_type) {
    PropertyDef d;
    d.name = name;
    d.label = label;
    d.type = type;
    d.field_type = field_type;
    d.group_name = group;
    d.display_order = order++;
    d.form_field = type != "datetime" && name.rfind("hs_", 0) != 0;
    defs.push_back(std::move(d));
    return defs.back();
  }
  void Text(const std::string& name, const std::string& label) { Add(name, label, "string", "text"); }
  void TextArea(const std::string& name, const std::string& label) { Add(name, label, "string", "textarea"); }
  void Phone(const std::string& name, const std::string& label) { Add(name, label, "string", "phonenumber"); }
  void Number(const std::string& name, const std::string& label) { Add(name, label, "number", "number"); }
  void DateTime(const std::string& name, const std::string& label) { Add(name, label, "datetime", "date"); }
  void Date(const std::string& name, const std::string& label) { Add(name, label, "date", "date"); }
  PropertyDef& Enum(const std::string& name, const std::string& label, const std::string& field_type,
                    const std::vector<std::pair<std::string, std::string>>& options) {
    PropertyDef& d = Add(name, label, "enumeration", field_type);
    int i = 0;
    for (const auto& [value, olabel] : options) d.options.push_back({olabel, value, "", i++, false});
    return d;
  }
  void ReadOnly(const std::string& name, const std::string& label, const std::string& type,
                const std::string& field_type, bool calculated = false) {
    PropertyDef& d = Add(name, label, type, field_type);
    d.read_only_value = true;
    d.calculated = calculated;
    d.form_field = false;
  }
  void Owner() {
    PropertyDef& d = Add("hubspot_owner_id", "Owner", "enumeration", "select");
    d.referenced_object_type = "OWNER";
  }
  void Timestamps(const std::string& created, const std::string& modified) {
    ReadOnly(created, created == "createdate" ? "Create Date" : "Created at", "datetime", "date");
    ReadOnly(modified, "Last Modified Date", "datetime", "date");
    ReadOnly("hs_object_id", "Record ID", "number", "number");
    ReadOnly("hs_merged_object_ids", "Merged record IDs", "enumeration", "checkbox");
  }
};

std::vector<std::pair<std::string, std::string>> LifecycleOptions() {
  return {{"subscriber", "Subscriber"},
          {"lead", "Lead"},
          {"marketingqualifiedlead", "Marketing Qualified Lead"},
          {"salesqualifiedlead", "Sales Qualified Lead"},
          {"opportunity", "Opportunity"},
          {"customer", "Customer"},
          {"evangelist", "Evangelist"},
          {"other", "Other"}};
}

std::vector<PropertyDef> Contacts() {
  Builder b;
  b.group = "contactinformation";
  b.Text("email", "Email");
  b.Text("firstname", "First Name");
  b.Text("lastname", "Last Name");
  b.Text("salutation", "Salutation");
  b.Phone("phone", "Phone Number");
  b.Phone("mobilephone", "Mobile Phone Number");
  b.Phone("fax", "Fax Number");
  b.Text("company", "Company Name");
  b.Text("website", "Website URL");
  b.Text("jobtitle", "Job Title");
  b.Text("address", "Street Address");
  b.Text("city", "City");
  b.Text("state", "State/Region");
  b.Text("zip", "Postal Code");
  b.Text("country", "Country/Region");
  b.Text("date_of_birth", "Date of birth");
  b.TextArea("message", "Message");
  b.Enum("lifecyclestage", "Lifecycle Stage", "radio", LifecycleOptions());
  b.Enum("hs_lead_status", "Lead Status", "radio",
         {{"NEW", "New"}, {"OPEN", "Open"}, {"IN_PROGRESS", "In Progress"}, {"OPEN_DEAL", "Open Deal"},
          {"UNQUALIFIED", "Unqualified"}, {"ATTEMPTED_TO_CONTACT", "Attempted to Contact"},
          {"CONNECTED", "Connected"}, {"BAD_TIMING", "Bad Timing"}});
  b.Enum("hs_language", "Preferred language", "select",
         {{"en", "English"}, {"fr", "French"}, {"de", "German"}, {"es", "Spanish"}, {"pt-br", "Portuguese - Brazil"},
          {"ja", "Japanese"}, {"zh-cn", "Chinese - Simplified"}, {"ru", "Russian"}, {"ar", "Arabic"}});
  b.Enum("hs_email_optout", "Unsubscribed from all email", "booleancheckbox", {{"true", "Yes"}, {"false", "No"}});
  b.Owner();
  b.DateTime("closedate", "Close Date");
  b.ReadOnly("hs_additional_emails", "Additional email addresses", "enumeration", "checkbox");
  b.ReadOnly("num_associated_deals", "Associated Deals", "number", "number", true);
  b.ReadOnly("hs_total_deal_value", "Total open deal value", "number", "number", true);
  b.defs.back().show_currency_symbol = true;
  b.ReadOnly("hs_marketable_until_renewal", "Marketing contact until next update", "enumeration", "select");
  b.Timestamps("createdate", "lastmodifieddate");
  return b.defs;
}

std::vector<PropertyDef> Companies() {
  Builder b;
  b.group = "companyinformation";
  b.Text("name", "Company name");
  b.Text("domain", "Company Domain Name");
  b.Text("website", "Website URL");
  b.Phone("phone", "Phone Number");
  b.Enum("industry", "Industry", "select",
         {{"ACCOUNTING", "Accounting"}, {"AUTOMOTIVE", "Automotive"}, {"BIOTECHNOLOGY", "Biotechnology"},
          {"COMPUTER_SOFTWARE", "Computer Software"}, {"CONSTRUCTION", "Construction"},
          {"EDUCATION_MANAGEMENT", "Education Management"}, {"FINANCIAL_SERVICES", "Financial Services"},
          {"FOOD_BEVERAGES", "Food & Beverages"}, {"HOSPITAL_HEALTH_CARE", "Hospital & Health Care"},
          {"HOSPITALITY", "Hospitality"}, {"INFORMATION_TECHNOLOGY_AND_SERVICES", "Information Technology and Services"},
          {"INSURANCE", "Insurance"}, {"INTERNET", "Internet"}, {"LOGISTICS_AND_SUPPLY_CHAIN", "Logistics and Supply Chain"},
          {"MANAGEMENT_CONSULTING", "Management Consulting"}, {"MARKETING_AND_ADVERTISING", "Marketing and Advertising"},
          {"NONPROFIT_ORGANIZATION_MANAGEMENT", "Nonprofit Organization Management"}, {"REAL_ESTATE", "Real Estate"},
          {"RETAIL", "Retail"}, {"TELECOMMUNICATIONS", "Telecommunications"}});
  b.Number("numberofemployees", "Number of Employees");
  b.Number("annualrevenue", "Annual Revenue");
  b.defs.back().show_currency_symbol = true;
  b.Text("address", "Street Address");
  b.Text("city", "City");
  b.Text("state", "State/Region");
  b.Text("zip", "Postal Code");
  b.Text("country", "Country/Region");
  b.TextArea("description", "Description");
  b.Enum("type", "Type", "select",
         {{"PROSPECT", "Prospect"}, {"PARTNER", "Partner"}, {"RESELLER", "Reseller"}, {"VENDOR", "Vendor"}, {"OTHER", "Other"}});
  b.Enum("lifecyclestage", "Lifecycle Stage", "radio", LifecycleOptions());
  b.Owner();
  b.Timestamps("createdate", "hs_lastmodifieddate");
  return b.defs;
}

std::vector<PropertyDef> Deals() {
  Builder b;
  b.group = "dealinformation";
  b.Text("dealname", "Deal Name");
  b.Number("amount", "Amount");
  b.defs.back().show_currency_symbol = true;
  b.Enum("pipeline", "Pipeline", "select", {});
  b.Enum("dealstage", "Deal Stage", "radio", {});
  b.DateTime("closedate", "Close Date");
  b.Enum("dealtype", "Deal Type", "radio", {{"newbusiness", "New Business"}, {"existingbusiness", "Existing Business"}});
  b.TextArea("description", "Deal Description");
  b.Owner();
  b.ReadOnly("hs_is_closed", "Is Deal Closed?", "bool", "booleancheckbox", true);
  b.ReadOnly("hs_is_closed_won", "Is Closed Won", "bool", "booleancheckbox", true);
  b.ReadOnly("hs_deal_stage_probability", "Deal probability", "number", "number", true);
  b.Timestamps("createdate", "hs_lastmodifieddate");
  return b.defs;
}

std::vector<PropertyDef> Tickets() {
  Builder b;
  b.group = "ticketinformation";
  b.Text("subject", "Ticket name");
  b.TextArea("content", "Ticket description");
  b.Enum("hs_pipeline", "Pipeline", "select", {});
  b.Enum("hs_pipeline_stage", "Ticket status", "radio", {});
  b.Enum("hs_ticket_priority", "Priority", "select", {{"LOW", "Low"}, {"MEDIUM", "Medium"}, {"HIGH", "High"}, {"URGENT", "Urgent"}});
  b.Enum("hs_ticket_category", "Category", "checkbox",
         {{"PRODUCT_ISSUE", "Product issue"}, {"BILLING_ISSUE", "Billing issue"},
          {"FEATURE_REQUEST", "Feature request"}, {"GENERAL_INQUIRY", "General inquiry"}});
  b.Enum("source_type", "Source", "select", {{"CHAT", "Chat"}, {"EMAIL", "Email"}, {"FORM", "Form"}, {"PHONE", "Phone"}});
  b.Owner();
  b.Timestamps("createdate", "hs_lastmodifieddate");
  return b.defs;
}

void EngagementCommon(Builder& b) {
  b.DateTime("hs_timestamp", "Activity date");
  b.Owner();
  b.Text("hs_attachment_ids", "Attachment IDs");
  b.Timestamps("hs_createdate", "hs_lastmodifieddate");
}

std::vector<PropertyDef> Calls() {
  Builder b;
  b.group = "callinformation";
  b.Text("hs_call_title", "Call Title");
  b.Add("hs_call_body", "Call notes", "string", "html");
  b.Enum("hs_call_direction", "Call direction", "select", {{"INBOUND", "Inbound"}, {"OUTBOUND", "Outbound"}});
  b.Enum("hs_call_disposition", "Call outcome", "select",
         {{"9d9162e7-6cf3-4944-bf63-4dff82258764", "Busy"}, {"f240bbac-87c9-4f6e-bf70-924b57d47db7", "Connected"},
          {"a4c4c377-d246-4b32-a13b-75a56a4cd0ff", "Left live message"},
          {"b2cf5968-551e-4856-9783-52b3da59a7d0", "Left voicemail"},
          {"73a0d17f-1163-4015-bdd5-ec830791da20", "No answer"}, {"17b47fee-58de-441e-a44c-c6300d46f273", "Wrong number"}});
  b.Number("hs_call_duration", "Call duration (ms)");
  b.Text("hs_call_from_number", "From number");
  b.Text("hs_call_to_number", "To number");
  b.Text("hs_call_recording_url", "Recording URL");
  b.Enum("hs_call_status", "Call status", "select",
         {{"BUSY", "Busy"}, {"CALLING_CRM_USER", "Calling CRM user"}, {"CANCELED", "Canceled"}, {"COMPLETED", "Completed"},
          {"CONNECTING", "Connecting"}, {"FAILED", "Failed"}, {"IN_PROGRESS", "In progress"}, {"NO_ANSWER", "No answer"},
          {"QUEUED", "Queued"}, {"RINGING", "Ringing"}});
  b.Text("hs_activity_type", "Call and meeting type");
  EngagementCommon(b);
  return b.defs;
}

std::vector<PropertyDef> Emails() {
  Builder b;
  b.group = "emailinformation";
  b.Text("hs_email_subject", "Email subject");
  b.TextArea("hs_email_text", "Email body (text)");
  b.Add("hs_email_html", "Email body (HTML)", "string", "html");
  b.TextArea("hs_email_headers", "Email headers");
  b.Enum("hs_email_direction", "Email direction", "select",
         {{"EMAIL", "Sent by the owner"}, {"INCOMING_EMAIL", "Reply from the contact"}, {"FORWARDED_EMAIL", "Forwarded"}});
  b.Enum("hs_email_status", "Email send status", "select",
         {{"BOUNCED", "Bounced"}, {"FAILED", "Failed"}, {"SCHEDULED", "Scheduled"}, {"SENDING", "Sending"}, {"SENT", "Sent"}});
  for (const char* who : {"from", "to"}) {
    std::string w = who;
    b.Text("hs_email_" + w + "_email", w + " email");
    b.Text("hs_email_" + w + "_firstname", w + " first name");
    b.Text("hs_email_" + w + "_lastname", w + " last name");
  }
  EngagementCommon(b);
  return b.defs;
}

std::vector<PropertyDef> Meetings() {
  Builder b;
  b.group = "meetinginformation";
  b.Text("hs_meeting_title", "Meeting name");
  b.Add("hs_meeting_body", "Meeting description", "string", "html");
  b.TextArea("hs_internal_meeting_notes", "Internal meeting notes");
  b.Text("hs_meeting_external_url", "External URL");
  b.Text("hs_meeting_location", "Location");
  b.DateTime("hs_meeting_start_time", "Start time");
  b.DateTime("hs_meeting_end_time", "End time");
  b.Enum("hs_meeting_outcome", "Meeting outcome", "select",
         {{"SCHEDULED", "Scheduled"}, {"COMPLETED", "Completed"}, {"RESCHEDULED", "Rescheduled"},
          {"NO_SHOW", "No show"}, {"CANCELED", "Canceled"}});
  b.Text("hs_activity_type", "Call and meeting type");
  EngagementCommon(b);
  return b.defs;
}

std::vector<PropertyDef> Notes() {
  Builder b;
  b.group = "noteinformation";
  b.Add("hs_note_body", "Note body", "string", "html");
  EngagementCommon(b);
  return b.defs;
}

std::vector<PropertyDef> Tasks() {
  Builder b;
  b.group = "taskinformation";
  b.Text("hs_task_subject", "Task title");
  b.Add("hs_task_body", "Task notes", "string", "html");
  b.Enum("hs_task_status", "Task status", "select", {{"NOT_STARTED", "Not started"}, {"COMPLETED", "Completed"}});
  b.Enum("hs_task_priority", "Priority", "select", {{"LOW", "Low"}, {"MEDIUM", "Medium"}, {"HIGH", "High"}});
  b.Enum("hs_task_type", "Task type", "select", {{"EMAIL", "Email"}, {"CALL", "Call"}, {"TODO", "To-do"}});
  b.Text("hs_task_reminders", "Reminders");
  EngagementCommon(b);
  return b.defs;
}

}  // namespace

const std::vector<std::string>& LifecycleStages() {
  static const std::vector<std::string>* stages = [] {
    auto* v = new std::vector<std::string>;
    for (const auto& [value, label] : LifecycleOptions()) v->push_back(value);
    return v;
  }();
  return *stages;
}

std::vector<PropertyDef> DefaultProperties(int type_index) {
  switch (type_index) {
    case ObjectTypeRegistry::kContacts: return Contacts();
    case ObjectTypeRegistry::kCompanies: return Companies();
    case ObjectTypeRegistry::kDeals: return Deals();
    case ObjectTypeRegistry::kTickets: return Tickets();
    case ObjectTypeRegistry::kCalls: return Calls();
    case ObjectTypeRegistry::kEmails: return Emails();
    case ObjectTypeRegistry::kMeetings: return Meetings();
    case ObjectTypeRegistry::kNotes: return Notes();
    case ObjectTypeRegistry::kTasks: return Tasks();
    default: return {};
  }
}

}  // namespace tajo::sandbox::hubspot
