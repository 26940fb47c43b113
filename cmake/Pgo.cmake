# Profile-guided optimisation of the library (GCC), applied per target with ec_target_pgo():
#   EC_PGO=generate  the core is built instrumented; every run of a program linked with it adds
#                    its counts to EC_PGO_DIR (scripts/pgo_train.sh runs the training workload).
#   EC_PGO=use       the core is built with the counts in EC_PGO_DIR: hot paths laid out
#                    together and optimised for speed (GCC also turns on its -O3-class passes in
#                    files with counts); code the training never ran is not shrunk as cold
#                    (-fprofile-partial-training).
# scripts/build.sh pgo does the three steps (instrumented build, training, final build).
#
# Why: a sequential send is bound by instruction-cache misses, not by instructions (the library's
# code and libcurl's run on caches the other side of the connection has just used); the profile
# lays out the few hundred functions a send runs and measured 1.12-1.14x raw libcurl against
# 1.15-1.18x for the same code built without it (docs/performance.md).
#
# The counts are named by object path relative to the build directory (-fprofile-prefix-path),
# so the profile of build/pgo-gen applies to any build directory of the same tree: the wheel's
# (scripts/wheel.sh), build/pgo. A function whose source changed after the training keeps its
# plain -O2 code (-Wno-coverage-mismatch) instead of failing the build.
set(EC_PGO "" CACHE STRING "Profile-guided optimisation of the core: '', 'generate' or 'use' (GCC)")
set(EC_PGO_DIR "" CACHE PATH "Profile directory: EC_PGO=generate writes it, EC_PGO=use reads it")

if(EC_PGO)
    if(NOT EC_PGO MATCHES "^(generate|use)$")
        message(FATAL_ERROR "EC_PGO must be '', 'generate' or 'use'")
    endif()
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        message(FATAL_ERROR "EC_PGO needs GCC (its -fprofile-* profile format)")
    endif()
    if(EC_SANITIZE)
        message(FATAL_ERROR "EC_PGO and EC_SANITIZE do not go together")
    endif()
    if(NOT EC_PGO_DIR)
        message(FATAL_ERROR "EC_PGO needs EC_PGO_DIR, the profile directory")
    endif()
    get_filename_component(EC_PGO_DIR "${EC_PGO_DIR}" ABSOLUTE BASE_DIR "${PROJECT_SOURCE_DIR}")
    if(EC_PGO STREQUAL "use" AND NOT EXISTS "${EC_PGO_DIR}")
        message(FATAL_ERROR "EC_PGO=use: no profile at ${EC_PGO_DIR} (scripts/build.sh pgo)")
    endif()
    set(ec_pgo_common -fprofile-prefix-path=${CMAKE_BINARY_DIR})
    if(EC_PGO STREQUAL "generate")
        # atomic: the I/O thread and callers' threads run the same functions at once.
        set(EC_PGO_FLAGS -fprofile-generate=${EC_PGO_DIR} -fprofile-update=atomic
                         ${ec_pgo_common})
        # Whatever links the instrumented core needs gcov's runtime.
        add_link_options(-fprofile-generate)
    else()
        set(EC_PGO_FLAGS -fprofile-use=${EC_PGO_DIR} -fprofile-partial-training
                         -Wno-missing-profile -Wno-coverage-mismatch ${ec_pgo_common})
    endif()
    message(STATUS "elizacloud: profile-guided build (${EC_PGO}, ${EC_PGO_DIR})")
endif()

# The library's own code only: tests, tools and the emulator are built as always. With a profile
# that scripts/build.sh stamped (EC_PGO_DIR/.trained), every object depends on the stamp, so a
# new training rebuilds them in every build directory that uses the profile (Ninja cannot see
# the .gcda files the compiler reads).
function(ec_target_pgo target)
    if(NOT EC_PGO)
        return()
    endif()
    target_compile_options(${target} PRIVATE ${EC_PGO_FLAGS})
    if(EC_PGO STREQUAL "use" AND EXISTS "${EC_PGO_DIR}/.trained")
        get_target_property(sources ${target} SOURCES)
        get_target_property(source_dir ${target} SOURCE_DIR)
        foreach(source IN LISTS sources)
            if(source MATCHES "\\.(c|cc|cpp)$")
                if(NOT IS_ABSOLUTE "${source}")
                    set(source "${source_dir}/${source}")
                endif()
                set_property(SOURCE "${source}" APPEND PROPERTY OBJECT_DEPENDS
                             "${EC_PGO_DIR}/.trained")
            endif()
        endforeach()
    endif()
endfunction()
