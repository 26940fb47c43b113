# Compiler warnings and sanitizers, applied per target with ec_target_defaults().
set(EC_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
    -Wunused -Woverloaded-virtual -Wnull-dereference -Wformat=2)
# GCC 12 reports false -Wrestrict positives inside libstdc++'s std::string at -O2 and above
# (GCC bug 105651, fixed in GCC 13); they point at the standard library, not at our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    list(APPEND EC_WARNINGS -Wno-restrict)
endif()
if(EC_WERROR)
    list(APPEND EC_WARNINGS -Werror)
endif()

if(EC_SANITIZE STREQUAL "address")
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
    if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        add_compile_options(
            -fsanitize-ignorelist=${PROJECT_SOURCE_DIR}/tests/sanitizers/ubsan-ignorelist.txt)
        # The vptr and function-type checks need the C++ part of clang's UBSan runtime, which the
        # C test programs and the example C host (linked by the C driver) do not link; the GCC
        # ASan+UBSan build runs the vptr check on the same code.
        add_compile_options(-fno-sanitize=vptr,function)
    endif()
elseif(EC_SANITIZE STREQUAL "thread")
    add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
    add_link_options(-fsanitize=thread)
elseif(NOT EC_SANITIZE STREQUAL "")
    message(FATAL_ERROR "EC_SANITIZE must be '', 'address' or 'thread'")
endif()

# Shared libraries refuse undefined symbols at link time, except in clang sanitizer builds: clang
# links the sanitizer runtimes into executables only, so a sanitized shared library has undefined
# __asan_/__ubsan_/__tsan_ symbols that the executable provides at load time.
if(EC_SANITIZE AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    set(EC_NO_UNDEFINED "")
else()
    set(EC_NO_UNDEFINED -Wl,--no-undefined)
endif()

function(ec_target_defaults target)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${EC_WARNINGS}>
                                             $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Werror>)
endfunction()
