// Start-up generation of a throw-away certificate authority and a server certificate signed by
// it (OpenSSL, EC P-256), for --tls.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

namespace emu {

struct X509Deleter {
    void operator()(X509 *p) const { X509_free(p); }
};
struct PkeyDeleter {
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct TlsMaterial {
    X509Ptr ca_cert;
    PkeyPtr ca_key;
    X509Ptr server_cert;
    PkeyPtr server_key;
    std::string ca_pem;
};

// Generates the CA and a server certificate whose SANs are IP:127.0.0.1, IP:::1,
// DNS:localhost and `extra_host` (an IP or a DNS name) when it is something else.
// Throws std::runtime_error on an OpenSSL failure.
TlsMaterial generate_tls(const std::string &extra_host);

}  // namespace emu
