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
elseif(EC_SANITIZE STREQUAL "thread")
    add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
    add_link_options(-fsanitize=thread)
elseif(NOT EC_SANITIZE STREQUAL "")
    message(FATAL_ERROR "EC_SANITIZE must be '', 'address' or 'thread'")
endif()

function(ec_target_defaults target)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${EC_WARNINGS}>
                                             $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Werror>)
endfunction()
