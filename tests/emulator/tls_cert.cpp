#include "tls_cert.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace emu {

namespace {

[[noreturn]] void ossl_fail(const char *what) {
    unsigned long e = ERR_get_error();
    char buf[256] = {0};
    if (e) ERR_error_string_n(e, buf, sizeof buf);
    throw std::runtime_error(std::string("TLS setup: ") + what +
                             (e ? std::string(": ") + buf : ""));
}

PkeyPtr new_ec_key() {
    PkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) ossl_fail("EC key generation failed");
    return key;
}

void set_random_serial(X509 *cert) {
    unsigned char raw[16];
    if (RAND_bytes(raw, sizeof raw) != 1) ossl_fail("RAND_bytes failed");
    raw[0] &= 0x7f;  // positive
    BIGNUM *bn = BN_bin2bn(raw, sizeof raw, nullptr);
    if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert))) {
        BN_free(bn);
        ossl_fail("serial number");
    }
    BN_free(bn);
}

void add_ext(X509 *cert, X509 *issuer, int nid, const std::string &value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext) ossl_fail("certificate extension");
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    if (!ok) ossl_fail("X509_add_ext");
}

X509Ptr new_cert(const std::string &cn, long days) {
    X509Ptr cert(X509_new());
    if (!cert) ossl_fail("X509_new");
    X509_set_version(cert.get(), 2);
    set_random_serial(cert.get());
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 24L * 3600L);
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>("elizacloud-emulator"), -1,
                               -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>(cn.c_str()), -1, -1, 0);
    return cert;
}

bool is_ip(const std::string &host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 ||
           inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

TlsMaterial generate_tls(const std::string &extra_host) {
    TlsMaterial m;
    m.ca_key = new_ec_key();
    m.ca_cert = new_cert("elizacloud-emulator local CA", 3650);
    X509_set_issuer_name(m.ca_cert.get(), X509_get_subject_name(m.ca_cert.get()));
    if (!X509_set_pubkey(m.ca_cert.get(), m.ca_key.get())) ossl_fail("X509_set_pubkey");
    add_ext(m.ca_cert.get(), m.ca_cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_ext(m.ca_cert.get(), m.ca_cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(m.ca_cert.get(), m.ca_cert.get(), NID_subject_key_identifier, "hash");
    add_ext(m.ca_cert.get(), m.ca_cert.get(), NID_authority_key_identifier, "keyid:always");
    if (!X509_sign(m.ca_cert.get(), m.ca_key.get(), EVP_sha256())) ossl_fail("signing the CA");

    m.server_key = new_ec_key();
    m.server_cert = new_cert("localhost", 825);
    X509_set_issuer_name(m.server_cert.get(), X509_get_subject_name(m.ca_cert.get()));
    if (!X509_set_pubkey(m.server_cert.get(), m.server_key.get())) ossl_fail("X509_set_pubkey");
    std::string san = "IP:127.0.0.1,IP:::1,DNS:localhost";
    if (!extra_host.empty() && extra_host != "127.0.0.1" && extra_host != "::1" &&
        extra_host != "localhost" && extra_host != "0.0.0.0" && extra_host != "::") {
        san += (is_ip(extra_host) ? ",IP:" : ",DNS:") + extra_host;
    }
    X509 *srv = m.server_cert.get();
    add_ext(srv, m.ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_ext(srv, m.ca_cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(srv, m.ca_cert.get(), NID_ext_key_usage, "serverAuth");
    add_ext(srv, m.ca_cert.get(), NID_subject_alt_name, san);
    add_ext(srv, m.ca_cert.get(), NID_subject_key_identifier, "hash");
    add_ext(srv, m.ca_cert.get(), NID_authority_key_identifier, "keyid:always");
    if (!X509_sign(srv, m.ca_key.get(), EVP_sha256())) ossl_fail("signing the server certificate");

    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio || !PEM_write_bio_X509(bio, m.ca_cert.get())) {
        BIO_free(bio);
        ossl_fail("PEM encoding");
    }
    char *data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    m.ca_pem.assign(data, static_cast<size_t>(len));
    BIO_free(bio);
    return m;
}

}  // namespace emu
