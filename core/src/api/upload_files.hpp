// Files to upload (multipart/form-data bodies, contract §6 and §7.8): what a caller may give for
// a file, and the parts a call sends, with the route's limits checked before anything is sent.
//
// A file is one of
//   "/path/to/file"                                        a file on disk
//   {"path": "...", "filename"?: "...", "contentType"?: "..."}
//   {"data": "<base64>", "filename": "...", "contentType"?: "..."}   bytes from memory
// A file on disk is streamed by libcurl while sending, never loaded whole. Without contentType
// the media type follows the file name's extension (the cloud checks declared audio types).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/operation_spec.hpp"
#include "net/http.hpp"
#include "util/json.hpp"

namespace elizacloud::api {

// Checks the shape of a File or Files parameter's value. Throws Error(InvalidArgument).
void check_file_value(const ParamSpec &p, const json::Value &v);

// The multipart parts of a Body::Multipart row's call, in the order of its parameters: text
// fields (a JSON value as its JSON text), then each file under its part name. Checks the
// files exist and are regular files (Error(Io)) and the row's limits: count, bytes per file,
// bytes in all, accepted extensions (Error(InvalidArgument)).
std::vector<FormPart> multipart_parts(const OperationSpec &op, const json::Value &params);

// One file of the generic request (raw_call): field is its part name. Same checks, without a
// row's limits.
FormPart file_part(std::string_view field, const json::Value &file);

// The media type a file name's extension stands for; application/octet-stream when unknown.
std::string_view media_type_for(std::string_view filename);

}  // namespace elizacloud::api
