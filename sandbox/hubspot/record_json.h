// JSON shapes of the CRM v3 objects API (reference §1.2, SPEC-C schemas): records
// (SimplePublicObject[WithAssociations], SimplePublicUpsertObject), list and search pages, batch
// responses (BatchResponse..., ...WithErrors with StandardError entries), properties, pipelines
// and owners.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/hubspot/portal.h"

namespace tajo::sandbox::hubspot {

nlohmann::json RecordToJson(const RecordOut& record);
// {"results": [...], "paging": {"next": {"after": ..., "link": "?after=..."}}} (paging only
// when there is a next page); with `with_total`, also "total" (search).
nlohmann::json PageToJson(const RecordPage& page, bool with_total);
// BatchResponse...: status COMPLETE, results, startedAt, completedAt; with errors also
// numErrors and errors (StandardError objects).
nlohmann::json BatchToJson(const BatchOut& batch, int64_t started_ms, int64_t completed_ms);
// The same envelope around results already turned into JSON (e.g. association batches).
nlohmann::json BatchEnvelopeJson(nlohmann::json results, const std::vector<BatchError>& errors, int64_t started_ms,
                                 int64_t completed_ms);
nlohmann::json StandardErrorJson(const BatchError& error);
nlohmann::json PipelineToJson(const Pipeline& pipeline, bool ticket);
nlohmann::json StageToJson(const Stage& stage, int64_t created_ms);
nlohmann::json OwnerToJson(const Owner& owner);
nlohmann::json SchemaToJson(const ObjectType& type, const std::vector<PropertyDef>& properties, int64_t portal_id);

}  // namespace tajo::sandbox::hubspot
