// Failures of the C ABI as one C++ exception, translated to the elizacloud.errors classes.
// Thrown from code that may run without the GIL; the translator runs after the GIL is back.
#pragma once

#include <elizacloud/elizacloud.h>

#include <exception>
#include <optional>
#include <string>

namespace ecpy {

struct EcError : std::exception {
    EcError(ec_status s, std::string msg, std::string details = {})
        : status(s), message(std::move(msg)), details_json(std::move(details)) {}
    const char *what() const noexcept override { return message.c_str(); }

    ec_status status;
    std::string message;
    std::string details_json;  // error details the ABI returned as JSON, "" if none
};

// Throws EcError carrying ec_last_error_message() unless status is EC_OK. Must be called right
// after the failing ec_ call, on the same thread, because the message is thread-local.
void check(ec_status status);

// The C string of a str passed to the C ABI, which takes NUL-terminated strings: a value with an
// embedded NUL would be cut there without a word ("https://a.example\0.evil" would become
// "https://a.example"), so it is refused with EcError(EC_ERR_INVALID_ARGUMENT) instead.
const char *c_arg(const std::string &s);
const char *c_arg(const std::optional<std::string> &s);  // nullopt → NULL

// Registers the pybind11 translator EcError → elizacloud.errors.<class>.
void register_error_translator();

}  // namespace ecpy
