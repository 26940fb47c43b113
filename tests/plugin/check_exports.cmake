# cmake -DNM=<nm> -DMODULE=<elizacloud_plugin.so> -P check_exports.cmake
# Fails unless the module's dynamic symbol table defines ec_plugin_query and nothing else
# (the version node EC_PLUGIN_1 of plugin.map is a definition too, and is allowed).
execute_process(COMMAND ${NM} -D --defined-only ${MODULE}
                OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm failed (${rc}) on ${MODULE}")
endif()
string(REPLACE "\n" ";" lines "${listing}")
set(found FALSE)
foreach(line IN LISTS lines)
    if(line STREQUAL "")
        continue()
    endif()
    # "<address> <type> <name>[@@version]"
    string(REGEX REPLACE "^[0-9a-fA-F]* *[A-Za-z] +" "" name "${line}")
    string(REGEX REPLACE "@.*$" "" name "${name}")
    if(name STREQUAL "ec_plugin_query")
        set(found TRUE)
    elseif(NOT name STREQUAL "EC_PLUGIN_1")
        message(FATAL_ERROR "unexpected exported symbol: ${line}")
    endif()
endforeach()
if(NOT found)
    message(FATAL_ERROR "ec_plugin_query is not exported:\n${listing}")
endif()
message(STATUS "exports: ec_plugin_query only")
