// The local REST API section of the C ABI: Cloud.rest_dispatch / rest_configure, RestResponse
// (a streaming response is read with read()), and RestServer (ec_rest_server_*). Every call that
// can block runs with the GIL released; the server's threads never touch Python.
#include <elizacloud/elizacloud.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "ec_error.hpp"

namespace py = pybind11;

namespace ecpy {

namespace {

using OptStr = std::optional<std::string>;
using Release = py::call_guard<py::gil_scoped_release>;

const char *cs(const OptStr &s) {
    return c_arg(s);
}

// {"Name": "value", ...} with every needed escape, for headers_json.
std::string headers_json(const std::map<std::string, std::string> &headers) {
    auto quote = [](const std::string &text) {
        std::string out = "\"";
        for (unsigned char c : text) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += static_cast<char>(c);
            } else if (c < 0x20) {
                static const char *hex = "0123456789abcdef";
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
        return out + "\"";
    };
    std::string out = "{";
    for (const auto &[name, value] : headers) {
        if (out.size() > 1) out += ',';
        out += quote(name) + ":" + quote(value);
    }
    return out + "}";
}

// Owns one ec_rest_response; a stream ends when it is closed or collected.
class RestResponse {
public:
    explicit RestResponse(ec_rest_response *r) : r_(r) {}
    ~RestResponse() { ec_rest_response_free(r_); }
    RestResponse(const RestResponse &) = delete;
    RestResponse &operator=(const RestResponse &) = delete;

    int status() const { return r_ ? r_->status : 0; }
    std::string headers() const { return r_ ? r_->headers_json : "{}"; }
    py::bytes body() const { return r_ ? py::bytes(r_->body, r_->body_len) : py::bytes(); }
    bool handled() const { return r_ && r_->handled != 0; }
    int credentials() const { return r_ ? r_->credentials : 0; }
    bool streaming() const { return r_ && r_->streaming != 0; }

    // [without the GIL] The next bytes of the stream: "" when none came within timeout_ms,
    // nullopt once it ended.
    std::optional<std::string> read(int32_t timeout_ms) {
        if (!r_) return std::nullopt;
        char *data = nullptr;
        size_t len = 0;
        const ec_status s = ec_rest_response_read(r_, timeout_ms, &data, &len);
        if (s == EC_ERR_TIMEOUT) return std::string();
        if (s == EC_ERR_EMPTY) return std::nullopt;
        check(s);
        std::string out(data, len);
        ec_free(data);
        return out;
    }
    void close() {
        ec_rest_response_free(r_);
        r_ = nullptr;
    }

private:
    ec_rest_response *r_;
};

class RestServer {
public:
    RestServer(CloudHandle &cloud, const ec_rest_server_options &options) {
        CloudHandle::Lease lease(cloud);
        check(ec_rest_server_start(lease.get(), &options, &server_));
    }
    // Joining the server's threads takes a moment: other Python threads run meanwhile.
    ~RestServer() {
        if (server_ && PyGILState_Check()) {
            py::gil_scoped_release release;
            stop();
        } else {
            stop();
        }
    }
    RestServer(const RestServer &) = delete;
    RestServer &operator=(const RestServer &) = delete;

    int port() const { return ec_rest_server_port(server_); }
    // [GIL released] Idempotent. Closing the cloud stops its servers as well.
    void stop() { ec_rest_server_stop(std::exchange(server_, nullptr)); }

private:
    ec_rest_server *server_ = nullptr;
};

std::unique_ptr<RestServer> start_server(CloudHandle &cloud, const OptStr &host, int32_t port,
                                         const OptStr &token, const OptStr &allowed_hosts,
                                         const OptStr &allowed_origins, int64_t ttl_ms,
                                         bool export_env, int32_t threads) {
    ec_rest_server_options o;
    check(ec_rest_server_options_init(&o, sizeof o));
    o.host = cs(host);
    o.port = port;
    o.token = cs(token);
    o.allowed_hosts = cs(allowed_hosts);
    o.allowed_origins = cs(allowed_origins);
    o.login_session_ttl_ms = ttl_ms;
    o.export_env = export_env ? 1 : 0;
    o.threads = threads;
    return std::make_unique<RestServer>(cloud, o);
}

}  // namespace

void bind_rest(py::module_ &m, CloudClass &cloud) {
    m.attr("EC_REST_DEFAULT_PORT") = EC_REST_DEFAULT_PORT;
    m.attr("EC_REST_PORT_EPHEMERAL") = EC_REST_PORT_EPHEMERAL;
    m.attr("EC_REST_CREDENTIALS_UNCHANGED") = static_cast<int>(EC_REST_CREDENTIALS_UNCHANGED);
    m.attr("EC_REST_CREDENTIALS_STORED") = static_cast<int>(EC_REST_CREDENTIALS_STORED);
    m.attr("EC_REST_CREDENTIALS_REMOVED") = static_cast<int>(EC_REST_CREDENTIALS_REMOVED);

    py::class_<RestResponse>(m, "RestResponse", "One answer of the REST dispatcher.")
        .def_property_readonly("status", &RestResponse::status)
        .def_property_readonly("headers_json", &RestResponse::headers)
        .def_property_readonly("body", &RestResponse::body)
        .def_property_readonly("handled", &RestResponse::handled)
        .def_property_readonly("credentials", &RestResponse::credentials)
        .def_property_readonly("streaming", &RestResponse::streaming)
        .def(
            "read",
            [](RestResponse &r, int32_t timeout_ms) -> py::object {
                std::optional<std::string> data;
                {
                    py::gil_scoped_release release;
                    data = r.read(timeout_ms);
                }
                return data ? py::object(py::bytes(*data)) : py::object(py::none());
            },
            py::arg("timeout_ms") = -1)
        .def("close", &RestResponse::close, Release());

    py::class_<RestServer>(m, "RestServer", "The standalone /api/cloud/* server of one cloud.")
        .def(py::init(&start_server), py::arg("cloud"), py::kw_only(), py::arg("host") = py::none(),
             py::arg("port") = 0, py::arg("token") = py::none(),
             py::arg("allowed_hosts") = py::none(), py::arg("allowed_origins") = py::none(),
             py::arg("login_session_ttl_ms") = 0, py::arg("export_env") = false,
             py::arg("threads") = 0, Release())
        .def_property_readonly("port", &RestServer::port)
        .def("stop", &RestServer::stop, Release());

    cloud.def(
        "rest_configure",
        [](CloudHandle &h, const OptStr &token, const OptStr &allowed_hosts,
           const OptStr &allowed_origins, int64_t ttl_ms) {
            CloudHandle::Lease lease(h);
            ec_rest_options o;
            check(ec_rest_options_init(&o, sizeof o));
            o.token = cs(token);
            o.allowed_hosts = cs(allowed_hosts);
            o.allowed_origins = cs(allowed_origins);
            o.login_session_ttl_ms = ttl_ms;
            check(ec_cloud_rest_configure(lease.get(), &o));
        },
        py::kw_only(), py::arg("token") = py::none(), py::arg("allowed_hosts") = py::none(),
        py::arg("allowed_origins") = py::none(), py::arg("login_session_ttl_ms") = 0, Release());
    cloud.def(
        "rest_dispatch",
        [](CloudHandle &h, const std::string &method, const std::string &target,
           const std::map<std::string, std::string> &headers, const std::string &body) {
            CloudHandle::Lease lease(h);
            const std::string json = headers_json(headers);
            ec_rest_response *out = nullptr;
            check(ec_cloud_rest_dispatch(lease.get(), c_arg(method), c_arg(target), c_arg(json),
                                         body.data(), body.size(), &out));
            return std::make_unique<RestResponse>(out);
        },
        py::arg("method"), py::arg("target"),
        py::arg("headers") = std::map<std::string, std::string>{}, py::arg("body") = std::string(),
        Release());
}

}  // namespace ecpy
