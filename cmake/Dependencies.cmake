# Every third-party dependency comes from the system (Debian packages); nothing is vendored.
# scripts/setup.sh installs them. A missing one stops the configuration with the name of the
# Debian package that provides it.
function(ec_require found package what)
    if(NOT ${found})
        message(FATAL_ERROR "elizacloud needs ${what}, which was not found: install the Debian "
                            "package ${package} (apt-get install ${package}), or run "
                            "scripts/setup.sh, which installs everything this build needs.")
    endif()
endfunction()

find_package(Threads REQUIRED)
find_package(CURL QUIET)
ec_require(CURL_FOUND libcurl4-openssl-dev "libcurl and its headers")
find_package(OpenSSL QUIET)
ec_require(OPENSSL_FOUND libssl-dev "OpenSSL's headers")
find_package(fmt QUIET)
ec_require(fmt_FOUND libfmt-dev "fmt")
find_package(PkgConfig QUIET)
ec_require(PKG_CONFIG_FOUND pkg-config "pkg-config")

# spdlog and fmt are used header-only so that no logging symbol is needed at run time and none
# leaks out of libelizacloud.so or the plugin. Debian's spdlog::spdlog_header_only still links the
# shared fmt, so this target is assembled by hand.
find_path(SPDLOG_INCLUDE_DIR spdlog/spdlog.h)
ec_require(SPDLOG_INCLUDE_DIR libspdlog-dev "spdlog")
add_library(ec_spdlog INTERFACE)
target_include_directories(ec_spdlog SYSTEM INTERFACE ${SPDLOG_INCLUDE_DIR})
target_compile_definitions(ec_spdlog INTERFACE SPDLOG_FMT_EXTERNAL)
target_link_libraries(ec_spdlog INTERFACE fmt::fmt-header-only Threads::Threads)

# Debian's RapidJSONConfig defines no target.
find_path(RAPIDJSON_INCLUDE_DIR rapidjson/document.h)
ec_require(RAPIDJSON_INCLUDE_DIR rapidjson-dev "RapidJSON")
add_library(ec_rapidjson INTERFACE)
target_include_directories(ec_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIR})
target_compile_definitions(ec_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
# RapidJSON 1.1's member iterators declare operator== and operator!= for a const iterator only;
# under C++20's rewritten comparisons clang calls every `it != doc.MemberEnd()` ambiguous
# (fixed upstream after 1.1, which is what Debian ships). The code is right either way.
target_compile_options(ec_rapidjson INTERFACE
    $<$<CXX_COMPILER_ID:Clang>:-Wno-ambiguous-reversed-operator>)

# cpp-httplib: Debian ships it compiled (libcpp-httplib.so) with OpenSSL, zlib and brotli on;
# the same defines must be seen by every user of the header.
pkg_check_modules(HTTPLIB QUIET IMPORTED_TARGET cpp-httplib)
ec_require(HTTPLIB_FOUND libcpp-httplib-dev "cpp-httplib")
add_library(ec_httplib INTERFACE)
target_link_libraries(ec_httplib INTERFACE PkgConfig::HTTPLIB OpenSSL::SSL OpenSSL::Crypto)

# libmicrohttpd: the local REST API server (event-driven, so slow clients hold no thread).
pkg_check_modules(MHD QUIET IMPORTED_TARGET libmicrohttpd)
ec_require(MHD_FOUND libmicrohttpd-dev "libmicrohttpd")

if(EC_BUILD_TESTS)
    find_package(GTest QUIET)
    ec_require(GTest_FOUND libgtest-dev "GoogleTest (for the tests; EC_BUILD_TESTS=OFF skips them)")
endif()
