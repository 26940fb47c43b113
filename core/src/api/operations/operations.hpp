// The rows of the operation registry, one file per resource. To add a cloud operation, add a row
// to its resource's file (or a new file listed here and in registry.cpp), and a result type to
// types.cpp if it returns a new shape; the generic executor, the catalogue and every derived
// surface (Python, Node, CLI, docs) follow from the row.
#pragma once

#include <span>

#include "api/operation_spec.hpp"

namespace elizacloud::api {

std::span<const OperationSpec> account_operations();     // login, logout, status, credits
std::span<const OperationSpec> user_operations();        // identity, user.*
std::span<const OperationSpec> agents_operations();      // agents.*
std::span<const OperationSpec> backups_operations();     // backups.*
std::span<const OperationSpec> jobs_operations();        // jobs.*
std::span<const OperationSpec> session_operations();     // connect, disconnect, the connected agent
std::span<const OperationSpec> inference_operations();   // chat.completions, messages, models…
std::span<const OperationSpec> media_operations();       // images, video
std::span<const OperationSpec> voice_operations();       // voices.*
std::span<const OperationSpec> knowledge_operations();   // knowledge.*
std::span<const OperationSpec> containers_operations();  // containers.*
std::span<const OperationSpec> a2a_operations();         // a2a.*, discovery.*
std::span<const OperationSpec> api_keys_operations();    // api_keys.*
std::span<const OperationSpec> billing_operations();     // billing.*
std::span<const OperationSpec> apps_operations();        // apps.*, apps.domains.*, …
std::span<const OperationSpec> health_operations();      // health
std::span<const OperationSpec> request_operations();     // request, routes: any public route
std::span<const TypeSpec> result_types();                // every area's, collected
std::span<const TypeSpec> breadth_types();               // the result types of the areas above

}  // namespace elizacloud::api
