// Knowledge (contract §6; eliza E§6 renamed it documents): text documents, searches, and file
// uploads (multipart, at most 5 files of 5 MB in all, §7.8).
#include <array>

#include "api/operations/common_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr ParamSpec kCharacterQuery{.name = "characterId",
                                    .type = ParamType::Uuid,
                                    .in = ParamIn::Query,
                                    .doc = "the character the documents belong to"};

constexpr std::array<ParamSpec, 3> kList{{
    kCharacterQuery,
    {.name = "count", .type = ParamType::Integer, .in = ParamIn::Query, .doc = "how many"},
    {.name = "offset", .type = ParamType::Integer, .in = ParamIn::Query, .doc = "skip this many"},
}};

constexpr std::array<ParamSpec, 5> kAdd{{
    {.name = "content",
     .required = true,
     .min_length = 1,
     .max_length = 5'000'000,
     .doc = "the document's text"},
    {.name = "contentType",
     .required = true,
     .min_length = 1,
     .max_length = 128,
     .doc = "its media type, e.g. text/plain"},
    {.name = "filename",
     .required = true,
     .min_length = 1,
     .max_length = 255,
     .doc = "its file name"},
    {.name = "metadata", .type = ParamType::Object, .doc = "metadata kept with it"},
    {.name = "characterId", .type = ParamType::Uuid, .doc = "the character it belongs to"},
}};

constexpr std::array<ParamSpec, 3> kQuery{{
    {.name = "query",
     .required = true,
     .min_length = 1,
     .max_length = 10000,
     .doc = "what to look for"},
    {.name = "limit", .type = ParamType::Integer, .doc = "at most this many results (5)"},
    {.name = "characterId", .type = ParamType::Uuid, .doc = "search this character's documents"},
}};

constexpr std::array<ParamSpec, 2> kDelete{kIdInPath, kCharacterQuery};

constexpr std::array<ParamSpec, 2> kUpload{{
    {.name = "files",
     .type = ParamType::Files,
     .required = true,
     .max_length = 5 * 1024 * 1024,
     .doc = "the documents",
     .max_items = 5,
     .max_total_bytes = 5 * 1024 * 1024,
     .accept = "pdf|txt|md|doc|docx|json|xml|yaml|yml|csv"},
    {.name = "characterId", .type = ParamType::Uuid, .doc = "the character they belong to"},
}};

constexpr std::array<OperationSpec, 5> kRows{{
    {.name = "knowledge.list",
     .summary = "The knowledge documents",
     .http_method = "GET",
     .milady_path = "/api/v1/knowledge",
     .eliza_path = "/api/v1/documents",
     .params = kList,
     .result = "KnowledgeList",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "knowledge.add",
     .summary = "Adds a text document to the knowledge base",
     .http_method = "POST",
     .milady_path = "/api/v1/knowledge",
     .eliza_path = "/api/v1/documents",
     .params = kAdd,
     .body = Body::Params,
     .result = "KnowledgeAdded",
     .answer = Answer::Whole},
    {.name = "knowledge.upload",
     .summary = "Uploads files to the knowledge base (at most 5, 5 MB in all)",
     .http_method = "POST",
     .milady_path = "/api/v1/knowledge/upload-file",
     .eliza_path = "/api/v1/documents/upload-file",
     .params = kUpload,
     .body = Body::Multipart,
     .result = "KnowledgeUploaded",
     .timing = Timing::Upload,
     .answer = Answer::Whole},
    {.name = "knowledge.query",
     .summary = "Searches the knowledge base",
     .http_method = "POST",
     .milady_path = "/api/v1/knowledge/query",
     .eliza_path = "/api/v1/documents/query",
     .params = kQuery,
     .body = Body::Params,
     .result = "KnowledgeResults",
     .answer = Answer::Whole},
    {.name = "knowledge.delete",
     .summary = "Deletes a knowledge document",
     .http_method = "DELETE",
     .milady_path = "/api/v1/knowledge/{id}",
     .eliza_path = "/api/v1/documents/{id}",
     .params = kDelete,
     .result = "Done",
     .idempotent = true,
     .answer = Answer::Whole},
}};

}  // namespace

std::span<const OperationSpec> knowledge_operations() {
    return kRows;
}

}  // namespace elizacloud::api
