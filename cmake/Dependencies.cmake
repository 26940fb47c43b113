# Every third-party dependency comes from the system (Debian packages); nothing is vendored.
# scripts/setup.sh installs them.
find_package(Threads REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(fmt REQUIRED)
find_package(PkgConfig REQUIRED)

# spdlog and fmt are used header-only so that no logging symbol is needed at run time and none
# leaks out of libelizacloud.so or the plugin. Debian's spdlog::spdlog_header_only still links the
# shared fmt, so this target is assembled by hand.
find_path(SPDLOG_INCLUDE_DIR spdlog/spdlog.h REQUIRED)
add_library(ec_spdlog INTERFACE)
target_include_directories(ec_spdlog SYSTEM INTERFACE ${SPDLOG_INCLUDE_DIR})
target_compile_definitions(ec_spdlog INTERFACE SPDLOG_FMT_EXTERNAL)
target_link_libraries(ec_spdlog INTERFACE fmt::fmt-header-only Threads::Threads)

# Debian's RapidJSONConfig defines no target.
find_path(RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
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
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(ec_httplib INTERFACE)
target_link_libraries(ec_httplib INTERFACE PkgConfig::HTTPLIB OpenSSL::SSL OpenSSL::Crypto)

# libmicrohttpd: the local REST API server (event-driven, so slow clients hold no thread).
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)

if(EC_BUILD_TESTS)
    find_package(GTest REQUIRED)
endif()
