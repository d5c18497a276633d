#include "hubspot/parse.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_reader.h"

namespace tajo::hubspot {
namespace {

using nlohmann::json;

using Reader = JsonReader;

Status ReadObject(const Reader& r, const json& j, const std::string& path, CrmObject* out) {
  if (!j.is_object()) return r.Fail(path, "an object", j);
  TAJO_RETURN_IF_ERROR(r.String(j, "id", path, &out->id));
  if (j.contains("properties") && !j["properties"].is_null()) {
    const json& props = j["properties"];
    if (!props.is_object()) return r.Fail(path + ".properties", "an object", props);
    for (auto it = props.begin(); it != props.end(); ++it) {
      if (it->is_null()) continue;
      std::string value;
      TAJO_RETURN_IF_ERROR(r.Scalar(*it, path + ".properties." + it.key(), &value));
      out->properties.emplace(it.key(), std::move(value));
    }
  }
  TAJO_RETURN_IF_ERROR(r.OptionalString(j, "createdAt", path, &out->created_at));
  TAJO_RETURN_IF_ERROR(r.OptionalString(j, "updatedAt", path, &out->updated_at));
  TAJO_RETURN_IF_ERROR(r.OptionalString(j, "archivedAt", path, &out->archived_at));
  if (j.contains("archived") && !j["archived"].is_null()) {
    if (!j["archived"].is_boolean()) return r.Fail(path + ".archived", "true or false", j["archived"]);
    out->archived = j["archived"].get<bool>();
  }
  if (j.contains("associations") && j["associations"].is_object()) {
    for (auto it = j["associations"].begin(); it != j["associations"].end(); ++it) {
      const std::string apath = path + ".associations." + it.key();
      if (!it->is_object() || !it->contains("results") || !(*it)["results"].is_array())
        return r.Fail(apath, "an object with results[]", *it);
      auto& ids = out->associations[it.key()];
      const json& results = (*it)["results"];
      for (size_t i = 0; i < results.size(); ++i) {
        std::string id;
        TAJO_RETURN_IF_ERROR(r.String(results[i], "id", fmt::format("{}.results[{}]", apath, i), &id));
        // HubSpot lists a record once per association type; keep each id once.
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
      }
    }
  }
  return Status::Ok();
}

Status ReadResults(const Reader& r, const json& j, std::vector<CrmObject>* out) {
  if (!j.is_object()) return r.Fail("body", "an object", j);
  if (!j.contains("results") || !j["results"].is_array())
    return r.Fail("results", "an array", j.contains("results") ? j["results"] : json());
  const json& results = j["results"];
  out->reserve(results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    CrmObject o;
    TAJO_RETURN_IF_ERROR(ReadObject(r, results[i], fmt::format("results[{}]", i), &o));
    out->push_back(std::move(o));
  }
  return Status::Ok();
}

Status ReadAfter(const Reader& r, const json& j, std::string* after) {
  after->clear();
  if (!j.contains("paging") || j["paging"].is_null()) return Status::Ok();
  const json& paging = j["paging"];
  if (!paging.is_object()) return r.Fail("paging", "an object", paging);
  if (!paging.contains("next") || paging["next"].is_null()) return Status::Ok();
  if (!paging["next"].is_object()) return r.Fail("paging.next", "an object", paging["next"]);
  return r.String(paging["next"], "after", "paging.next", after);
}

}  // namespace

Result<ObjectPage> ParseObjectPage(const std::string& endpoint, const std::string& body) {
  Reader r(endpoint);
  auto j = r.Parse(body);
  if (!j.ok()) return j.status();
  ObjectPage page;
  TAJO_RETURN_IF_ERROR(ReadResults(r, *j, &page.results));
  TAJO_RETURN_IF_ERROR(ReadAfter(r, *j, &page.after));
  if (j->contains("total")) {
    if (!(*j)["total"].is_number_integer()) return r.Fail("total", "an integer", (*j)["total"]);
    page.total = (*j)["total"].get<int64_t>();
  }
  return page;
}

Result<std::vector<CrmObject>> ParseBatchResults(const std::string& endpoint, const std::string& body) {
  Reader r(endpoint);
  auto j = r.Parse(body);
  if (!j.ok()) return j.status();
  std::vector<CrmObject> out;
  TAJO_RETURN_IF_ERROR(ReadResults(r, *j, &out));
  return out;
}

Result<CrmObject> ParseObject(const std::string& endpoint, const std::string& body) {
  Reader r(endpoint);
  auto j = r.Parse(body);
  if (!j.ok()) return j.status();
  CrmObject o;
  TAJO_RETURN_IF_ERROR(ReadObject(r, *j, "body", &o));
  return o;
}

Result<std::vector<PropertyDefinition>> ParseProperties(const std::string& endpoint, const std::string& body) {
  Reader r(endpoint);
  auto j = r.Parse(body);
  if (!j.ok()) return j.status();
  if (!j->is_object() || !j->contains("results") || !(*j)["results"].is_array())
    return r.Fail("results", "an array", j->is_object() && j->contains("results") ? (*j)["results"] : json());
  std::vector<PropertyDefinition> out;
  const json& results = (*j)["results"];
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string path = fmt::format("results[{}]", i);
    const json& p = results[i];
    if (!p.is_object()) return r.Fail(path, "an object", p);
    PropertyDefinition d;
    TAJO_RETURN_IF_ERROR(r.String(p, "name", path, &d.name));
    TAJO_RETURN_IF_ERROR(r.String(p, "type", path, &d.type));
    TAJO_RETURN_IF_ERROR(r.OptionalString(p, "label", path, &d.label));
    TAJO_RETURN_IF_ERROR(r.OptionalString(p, "fieldType", path, &d.field_type));
    if (p.contains("hubspotDefined") && p["hubspotDefined"].is_boolean()) d.hubspot_defined = p["hubspotDefined"];
    if (p.contains("options") && p["options"].is_array()) {
      for (size_t k = 0; k < p["options"].size(); ++k) {
        const std::string opath = fmt::format("{}.options[{}]", path, k);
        PropertyDefinition::Option o;
        TAJO_RETURN_IF_ERROR(r.String(p["options"][k], "value", opath, &o.value));
        TAJO_RETURN_IF_ERROR(r.OptionalString(p["options"][k], "label", opath, &o.label));
        d.options.push_back(std::move(o));
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<Owner>> ParseOwners(const std::string& endpoint, const std::string& body, std::string* after) {
  Reader r(endpoint);
  auto j = r.Parse(body);
  if (!j.ok()) return j.status();
  if (!j->is_object() || !j->contains("results") || !(*j)["results"].is_array())
    return r.Fail("results", "an array", j->is_object() && j->contains("results") ? (*j)["results"] : json());
  std::vector<Owner> out;
  const json& results = (*j)["results"];
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string path = fmt::format("results[{}]", i);
    Owner o;
    if (!results[i].is_object()) return r.Fail(path, "an object", results[i]);
    TAJO_RETURN_IF_ERROR(r.String(results[i], "id", path, &o.id));
    TAJO_RETURN_IF_ERROR(r.OptionalString(results[i], "email", path, &o.email));
    TAJO_RETURN_IF_ERROR(r.OptionalString(results[i], "firstName", path, &o.first_name));
    TAJO_RETURN_IF_ERROR(r.OptionalString(results[i], "lastName", path, &o.last_name));
    out.push_back(std::move(o));
  }
  TAJO_RETURN_IF_ERROR(ReadAfter(r, *j, after));
  return out;
}

Result<WebhookSettings> ParseWebhookSettings(const std::string& endpoint, const std::string& body) {
  Reader r(endpoint);
  auto j = r.Parse(body);
  if (!j.ok()) return j.status();
  if (!j->is_object()) return r.Fail("body", "an object", *j);
  WebhookSettings out;
  TAJO_RETURN_IF_ERROR(r.OptionalString(*j, "targetUrl", "", &out.target_url));
  if (j->contains("throttling") && (*j)["throttling"].is_object())
    TAJO_RETURN_IF_ERROR(
        r.OptionalInt((*j)["throttling"], "maxConcurrentRequests", "throttling", &out.max_concurrent_requests));
  return out;
}

namespace {

Status ReadSubscription(const Reader& r, const json& j, const std::string& path, WebhookSubscription* s) {
  if (!j.is_object()) return r.Fail(path, "an object", j);
  if (j.contains("id") && !j["id"].is_null())
    TAJO_RETURN_IF_ERROR(r.Scalar(j["id"], Reader::Join(path, "id"), &s->id));
  TAJO_RETURN_IF_ERROR(r.OptionalString(j, "eventType", path, &s->event_type));
  TAJO_RETURN_IF_ERROR(r.OptionalString(j, "propertyName", path, &s->property_name));
  TAJO_RETURN_IF_ERROR(r.OptionalBool(j, "active", path, &s->active));
  return Status::Ok();
}

}  // namespace

Result<std::vector<WebhookSubscription>> ParseWebhookSubscriptions(const std::string& endpoint,
                                                                   const std::string& body) {
  Reader r(endpoint);
  auto j = r.Parse(body);
  if (!j.ok()) return j.status();
  if (!j->is_object() || !j->contains("results") || !(*j)["results"].is_array())
    return r.Fail("results", "an array", j->is_object() && j->contains("results") ? (*j)["results"] : json());
  std::vector<WebhookSubscription> out;
  const json& results = (*j)["results"];
  for (size_t i = 0; i < results.size(); ++i) {
    WebhookSubscription s;
    TAJO_RETURN_IF_ERROR(ReadSubscription(r, results[i], fmt::format("results[{}]", i), &s));
    out.push_back(std::move(s));
  }
  return out;
}

Result<WebhookSubscription> ParseWebhookSubscription(const std::string& endpoint, const std::string& body) {
  Reader r(endpoint);
  auto j = r.Parse(body);
  if (!j.ok()) return j.status();
  if (!j->is_object()) return r.Fail("body", "an object", *j);
  WebhookSubscription s;
  TAJO_RETURN_IF_ERROR(ReadSubscription(r, *j, "", &s));
  if (s.id.empty()) return r.Fail("id", "a subscription id", j->contains("id") ? (*j)["id"] : json());
  return s;
}

}  // namespace tajo::hubspot
